"""The consistency-objective policy: loads, passes on good evidence, fails on each criterion."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from _helpers import NOW, REPO

from evidence_schema import (
    ConsistencyObjectiveArm,
    ConsistencyObjectiveEvidence,
    ConsistencyObjectiveMetrics,
    Producer,
    Sample,
    make_provenance,
    write_evidence,
)
from policy import check, load_policy

POLICY = REPO / "policy" / "consistency-objective" / "v1.yaml"


SEEDS = (1, 2, 3, 4, 5, 6)  # λ chosen on 1-3, confirmed on 4-6 (issue 10 §3)


def _samples(vals: list[float], seeds: tuple[int, ...] = SEEDS) -> list[Sample]:
    return [Sample(seeds=[s], value=v) for s, v in zip(seeds, vals, strict=True)]


def _write(evidence_dir: Path, deltas: list[float], drops: list[float],
           budget: float = 0.05) -> Path:
    """``deltas``/``drops`` on the selection seeds; the confirmation seeds get the same
    values + 0.001 (so they differ), and `selected` is that arm on the confirmation seeds."""
    from evidence_schema._split import SeedSplit, choose_arm
    from policy import one_sample_bounds

    deltas = deltas + [d + 0.001 for d in deltas]
    drops = drops + [d + 0.001 for d in drops]
    base = [0.60, 0.61, 0.62, 0.605, 0.615, 0.625]
    ev0 = [0.80, 0.81, 0.79, 0.8, 0.805, 0.795]
    arm = ConsistencyObjectiveArm(
        lam=0.2, pwmcc=_samples([b + d for b, d in zip(base, deltas, strict=True)]),
        explained_variance=_samples([e - d for e, d in zip(ev0, drops, strict=True)]),
        delta_pwmcc=_samples(deltas), delta_pwmcc_lcb=one_sample_bounds(deltas, 0.95)[0],
        ev_drop=_samples(drops))
    arms = [ConsistencyObjectiveArm(lam=0.0, pwmcc=_samples(base),
                                    explained_variance=_samples(ev0)), arm]
    split = SeedSplit(selection_seeds=[1, 2, 3], confirmation_seeds=[4, 5, 6])
    ev = ConsistencyObjectiveEvidence(
        created_at=NOW - timedelta(days=1),
        producer=Producer(name="runners.consistency_objective", version="1"),
        provenance=make_provenance({"test": True}, [0, *SEEDS], "cpu"),
        inputs=[],
        metrics=ConsistencyObjectiveMetrics(
            architecture="topk", hook_point="blocks.0.hook_resid_post", d_sae=64,
            training_tokens=20480, reference_seed=0, matching="hungarian",
            pwmcc_method="max_cosine", confidence=0.95, arms=arms,
            selected=choose_arm(arms, budget, 0.95, split), ev_drop_budget=budget, split=split),
    )
    path = evidence_dir / "consistency_objective.json"
    write_evidence(path, ev)
    return path


def test_policy_loads_with_its_own_gates() -> None:
    loaded = load_policy(POLICY)
    assert [g.name for g in loaded.policy.gates] == ["delta_pwmcc", "ev_drop", "external"]


def test_pass(evidence_dir: Path) -> None:
    _write(evidence_dir, deltas=[0.07, 0.06, 0.08], drops=[0.001, 0.0, 0.002])
    d = check(POLICY, evidence_dir, now=NOW)
    assert d.verdict == "pass", [(g.name, g.status, g.reason) for g in d.gates]


@pytest.mark.parametrize(("deltas", "drops", "failing"), [
    ([0.07, -0.05, 0.01], [0.001, 0.0, 0.002], "delta_pwmcc"),  # mean > 0 but lcb < 0
    # A run whose own budget (0.1) was looser than the policy's 0.05: selected honestly by the
    # run's rule (the selection is recomputed at validation), failed by the policy.
    ([0.07, 0.06, 0.08], [0.06, 0.07, 0.05], "ev_drop"),
])
def test_fail(evidence_dir: Path, deltas: list[float], drops: list[float], failing: str) -> None:
    _write(evidence_dir, deltas, drops, budget=0.1)
    d = check(POLICY, evidence_dir, now=NOW)
    assert d.verdict == "fail"
    assert {g.name for g in d.gates if g.status == "fail"} == {failing}


def test_missing_objective_evidence_fails(evidence_dir: Path) -> None:
    d = check(POLICY, evidence_dir, now=NOW)
    assert {g.name: g.status for g in d.gates}["delta_pwmcc"] == "missing"

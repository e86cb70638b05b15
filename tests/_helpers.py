"""Shared test helpers: build evidence sets from the repository's own generator, mutate them."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# The examples' created_at; evaluating "as of" a fixed time keeps staleness checks reproducible.
NOW = datetime(2026, 11, 26, tzinfo=UTC)
POLICY = REPO / "policy" / "husai-release" / "v1.yaml"
# The smallest valid policy, as YAML text: its head and its one leaf gate (line numbers in the
# loader tests count from here: the gate's "- name" is line 5)
POLICY_HEAD = "name: t\nversion: 1.2.3\ndescription: d\ngates:\n"
POLICY_LEAF = """\
  - name: g
    kind: ood_stress
    metric: /metrics/in_distribution/explained_variance
    statistic: mean
    op: ">="
    threshold: 0
"""
MINIMAL_POLICY = POLICY_HEAD + POLICY_LEAF


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "generate_examples", REPO / "examples" / "generate_examples.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate_examples", mod)
    spec.loader.exec_module(mod)
    return mod


def build_passing(out: Path) -> Path:
    _generator().build(out, cebench_centre=1.5)
    return out


def mutate(path: Path, fn: Callable[[dict[str, Any]], None]) -> None:
    doc = json.loads(path.read_text())
    fn(doc)
    path.write_text(json.dumps(doc, indent=2))


def set_samples(doc: dict[str, Any], pointer: str, values: list[float]) -> None:
    """Replace the values of the sample list at ``pointer`` (keeps the seeds)."""
    cur: Any = doc
    for tok in pointer.strip("/").split("/"):
        cur = cur[tok]
    assert len(cur) == len(values)
    for sample, v in zip(cur, values, strict=True):
        sample["value"] = v


def set_deltas(doc: dict[str, Any], values: list[float]) -> None:
    """Give an external_benchmark file these per-seed deltas, consistently: the candidate moves
    (candidate = baseline + delta), since a stored delta is recomputed at validation."""
    m = doc["metrics"]
    base = {s["seeds"][0]: s["value"] for s in m["baseline"]}
    set_samples(doc, "/metrics/deltas", values)
    for c, d in zip(m["candidate"], m["deltas"], strict=True):
        c["value"] = base[c["seeds"][0]] + d["value"]
        d["value"] = c["value"] - base[c["seeds"][0]]


def _samples(vals: list[float], seeds: tuple[int, ...] = (1, 2, 3)) -> list[Any]:
    from evidence_schema import Sample

    return [Sample(seeds=[s], value=v) for s, v in zip(seeds, vals, strict=True)]


def objective_document() -> dict[str, Any]:
    """A valid consistency_objective document (λ = 0, 0.1, 0.3; seeds 1–3), built by the models."""
    from datetime import timedelta

    from scipy import stats  # the stored bound is computed independently of evidence_schema.stats

    from evidence_schema import (
        ConsistencyObjectiveArm,
        ConsistencyObjectiveEvidence,
        ConsistencyObjectiveMetrics,
        Producer,
        make_provenance,
    )
    from evidence_schema._split import SeedSplit

    def lcb(xs: list[float]) -> float:
        m = sum(xs) / len(xs)
        return float(m - stats.t.ppf(0.975, len(xs) - 1) * stats.sem(xs))

    # Six seeds: λ is chosen on 1-3, the gates read the chosen arm on 4-6 (issue 10 §3).
    seeds = (1, 2, 3, 4, 5, 6)
    base_pw, base_ev = [0.60, 0.61, 0.62, 0.605, 0.615, 0.625], [0.80, 0.81, 0.79, 0.8, 0.805,
                                                                 0.795]
    arms = [ConsistencyObjectiveArm(lam=0.0, pwmcc=_samples(base_pw, seeds),
                                    explained_variance=_samples(base_ev, seeds))]
    for lam, gain, cost in ((0.1, [0.03, 0.05, 0.04, 0.035, 0.045, 0.04],
                             [0.001, 0.002, 0.0, 0.001, 0.0, 0.002]),
                            (0.3, [0.09, 0.06, 0.08, 0.07, 0.085, 0.075],
                             [0.01, 0.02, 0.015, 0.012, 0.018, 0.01])):
        pw = [b + g for b, g in zip(base_pw, gain, strict=True)]
        ev = [b - c for b, c in zip(base_ev, cost, strict=True)]
        deltas = [p - b for p, b in zip(pw, base_pw, strict=True)]
        arms.append(ConsistencyObjectiveArm(
            lam=lam, pwmcc=_samples(pw, seeds), explained_variance=_samples(ev, seeds),
            delta_pwmcc=_samples(deltas, seeds), delta_pwmcc_lcb=lcb(deltas),
            ev_drop=_samples([b - e for b, e in zip(base_ev, ev, strict=True)], seeds)))
    # Chosen on seeds 1-3 (λ = 0.3 has the higher bound there), recorded on seeds 4-6 only.
    top = arms[2]
    confirm = [s for s in top.delta_pwmcc or [] if s.seeds[0] >= 4]
    selected = top.model_copy(update={
        "pwmcc": top.pwmcc[3:], "explained_variance": top.explained_variance[3:],
        "delta_pwmcc": confirm, "delta_pwmcc_lcb": lcb([s.value for s in confirm]),
        "ev_drop": (top.ev_drop or [])[3:]})
    ev = ConsistencyObjectiveEvidence(
        created_at=NOW - timedelta(days=1),
        producer=Producer(name="tests", version="1"),
        provenance=make_provenance({"test": True}, [0, *seeds], "cpu"),
        inputs=[],
        metrics=ConsistencyObjectiveMetrics(
            architecture="topk", hook_point="blocks.0.hook_resid_post", d_sae=64,
            training_tokens=20480, reference_seed=0, matching="hungarian",
            pwmcc_method="max_cosine", confidence=0.95, arms=arms, selected=selected,
            ev_drop_budget=0.05,
            split=SeedSplit(selection_seeds=[1, 2, 3], confirmation_seeds=[4, 5, 6])))
    doc: dict[str, Any] = json.loads(ev.model_dump_json())
    return doc

"""Property: the verdict is pass exactly when every (required) gate passes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_schema import config_sha256
from policy._evaluate import evaluate_policy, verdict_of
from policy._evidence_set import EvidenceFile, EvidenceSet
from policy._models import GroupGate, Policy

NOW = datetime(2026, 11, 26, tzinfo=UTC)
KINDS = ["ood_stress", "consistency", "sweep"]


def _leaf(i: int, kind: str, stat: str, op: str, thr: float) -> dict[str, Any]:
    return {"name": f"g{i}", "kind": kind, "metric": "/metrics/v", "statistic": stat, "op": op,
            "threshold": thr}


leaf = st.builds(
    lambda kind, stat, op, thr: (kind, stat, op, thr),
    st.sampled_from(KINDS), st.sampled_from(["mean", "lcb", "ucb", "min", "max", "value"]),
    st.sampled_from([">=", ">", "<=", "<"]), st.floats(-1, 1),
)


@st.composite
def policies(draw: Any) -> Policy:
    leaves = draw(st.lists(leaf, min_size=1, max_size=6))
    gates: list[dict[str, Any]] = [_leaf(i, *spec) for i, spec in enumerate(leaves)]
    if len(gates) > 2 and draw(st.booleans()):
        mode = draw(st.sampled_from(["all", "any"]))
        gates = [{"name": "grp", mode: gates[:2]}, *gates[2:]]
    return Policy.model_validate({"name": "p", "version": "1.0.0", "description": "",
                                  "gates": gates})


@st.composite
def evidence(draw: Any) -> EvidenceSet:
    ev = EvidenceSet()
    for i, kind in enumerate(KINDS):
        if draw(st.booleans()):
            n = draw(st.integers(1, 4))
            vals = draw(st.lists(st.floats(-1, 1), min_size=n, max_size=n))
            samples = [{"seeds": [s], "value": v} for s, v in enumerate(vals)]
            data = {"kind": kind, "metrics": {"v": samples},
                    "provenance": {"seeds": list(range(n)), "config_sha256": config_sha256({})}}
            ev.files.append(EvidenceFile(f"e{i}.json", "0" * 64, kind, NOW, data))
    return ev


@settings(max_examples=300, deadline=None)
@given(policies(), evidence())
def test_verdict_pass_iff_every_gate_passes(policy: Policy, ev: EvidenceSet) -> None:
    results = evaluate_policy(policy, ev, NOW)
    assert len(results) == len(policy.gates)
    assert (verdict_of(results) == "pass") == all(r.status == "pass" for r in results)
    for gate, r in zip(policy.gates, results, strict=True):
        if isinstance(gate, GroupGate):  # a group passes only as its combinator says
            kids = [c.status == "pass" for c in r.children]
            assert (r.status == "pass") == (all(kids) if gate.mode == "all" else any(kids))
        if r.status == "pass":
            assert r.observed is not None or r.children

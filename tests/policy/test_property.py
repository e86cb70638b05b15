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


# --- advisory children at any depth (issue 10, section 3) ------------------------------------

ABSENT_KIND = "lm_training"  # no evidence of this kind is ever generated: such a leaf is missing


@st.composite
def gate_trees(draw: Any, depth: int = 0, counter: list[int] | None = None) -> dict[str, Any]:
    counter = counter if counter is not None else [0]
    counter[0] += 1
    name = f"n{counter[0]}"
    required = draw(st.booleans())
    if depth >= 3 or draw(st.integers(0, 2)) == 0:
        kind, stat, op, thr = draw(leaf)
        node = {**_leaf(0, kind, stat, op, thr), "name": name}
    else:
        mode = draw(st.sampled_from(["all", "any"]))
        kids = [draw(gate_trees(depth + 1, counter)) for _ in range(draw(st.integers(1, 3)))]
        node = {"name": name, mode: kids}
    if not required:
        node["required"] = False
    return node


@st.composite
def tree_policies(draw: Any) -> dict[str, Any]:
    counter = [0]
    gates = [draw(gate_trees(0, counter)) for _ in range(draw(st.integers(1, 3)))]
    return {"name": "p", "version": "1.0.0", "description": "", "gates": gates}


def _oracle(node: dict[str, Any], leaf_pass: dict[str, bool]) -> bool:
    """Written from the rule, not from the code: only required children decide a group."""
    mode = "all" if "all" in node else "any" if "any" in node else None
    if mode is None:
        return leaf_pass[node["name"]]
    req = [_oracle(c, leaf_pass) for c in node[mode] if c.get("required", True)]
    if not req:
        return False  # nothing may decide the group: fail closed
    return all(req) if mode == "all" else any(req)


def _leaves(results: list[Any]) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for r in results:
        if r.combinator is None:
            out[r.name] = r.status == "pass"
        out.update(_leaves(r.children))
    return out


def _neutralise_advisory(node: dict[str, Any]) -> dict[str, Any]:
    """Make every advisory subtree read evidence that never exists (all missing)."""
    node = dict(node)
    if node.get("required", True) is False:
        return {"name": node["name"], "required": False, "kind": ABSENT_KIND,
                "metric": "/metrics/v", "statistic": "mean", "op": ">=", "threshold": 0.0}
    for mode in ("all", "any"):
        if mode in node:
            node[mode] = [_neutralise_advisory(c) for c in node[mode]]
    return node


@settings(max_examples=200, deadline=None)
@given(tree_policies(), evidence())
def test_advisory_gates_never_decide(doc: dict[str, Any], ev: EvidenceSet) -> None:
    from evidence_schema import GateResult

    results = evaluate_policy(Policy.model_validate(doc), ev, NOW)
    leaf_pass = _leaves(results)
    for node, r in zip(doc["gates"], results, strict=True):
        assert (r.status == "pass") == _oracle(node, leaf_pass), (node, r)
        GateResult.model_validate(r.model_dump())  # the recorded status re-derives
    expected_verdict = [_oracle(n, leaf_pass) for n in doc["gates"] if n.get("required", True)]
    assert (verdict_of(results) == "pass") == (bool(expected_verdict) and all(expected_verdict))
    # Whatever the advisory gates observe, the required statuses and the verdict are unchanged.
    doc2 = {**doc, "gates": [_neutralise_advisory(g) for g in doc["gates"]]}
    results2 = evaluate_policy(Policy.model_validate(doc2), ev, NOW)
    assert verdict_of(results2) == verdict_of(results)
    for r1, r2 in zip(results, results2, strict=True):
        if r1.required:
            assert r1.status == r2.status

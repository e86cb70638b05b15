"""Issue 10 §3: the verdict follows from its gates, and only from them.

Advisory children never decide a group; a decision that contradicts itself does not validate.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from _helpers import NOW, POLICY, REPO

from evidence_schema import validate_document
from policy import check

FAILING = REPO / "examples" / "failing"  # saebench passes, cebench fails (lcb −1.58)
PASSING = REPO / "examples" / "evidence"


def _external(kids: dict[str, bool], mode: str = "any") -> dict[str, Any]:
    """The shipped policy's `external` group, re-combined; kids: child name → required."""
    doc = yaml.safe_load(POLICY.read_text())
    ext = next(g for g in doc["gates"] if g.get("name") == "external")
    children = {c["name"]: c for c in ext.pop("all")}
    ext[mode] = [{**children[n], "required": r} for n, r in kids.items()]
    return doc


def _write(tmp_path: Path, doc: dict[str, Any]) -> Path:
    # an edited copy must not keep the shipped policy's name and version (refused on load)
    doc = {**doc, "version": f"{doc['version']}-test"}
    p = tmp_path / "policy.yaml"
    p.write_text(yaml.safe_dump(doc, sort_keys=False))
    return p


def _gate(d: Any, name: str) -> Any:
    stack = list(d.gates)
    while stack:
        g = stack.pop()
        if g.name == name:
            return g
        stack.extend(g.children)
    raise KeyError(name)


def test_any_group_with_failing_required_and_passing_advisory_does_not_pass(
    tmp_path: Path,
) -> None:
    # The example: an advisory pass inside `any:` used to pass the group and the release.
    p = _write(tmp_path, _external({"cebench": True, "saebench": False}))
    d = check(p, FAILING, now=NOW)
    assert _gate(d, "saebench").status == "pass" and _gate(d, "cebench").status == "fail"
    ext = _gate(d, "external")
    assert ext.status == "fail"
    assert "1 advisory not counted" in ext.reason
    assert d.verdict == "fail"


def test_any_group_passes_on_a_required_child(tmp_path: Path) -> None:
    p = _write(tmp_path, _external({"cebench": False, "saebench": True}))
    d = check(p, FAILING, now=NOW)
    assert _gate(d, "external").status == "pass"  # saebench (required) passes
    assert d.verdict == "pass"


def test_all_group_ignores_a_failing_advisory_child(tmp_path: Path) -> None:
    p = _write(tmp_path, _external({"cebench": False, "saebench": True}, mode="all"))
    d = check(p, FAILING, now=NOW)
    assert _gate(d, "cebench").status == "fail"  # reported with its true status
    assert _gate(d, "external").status == "pass"


@pytest.mark.parametrize("mode", ["any", "all"])
def test_group_of_only_advisory_children_is_invalid_never_pass(tmp_path: Path, mode: str) -> None:
    # Fail closed: nothing may decide such a group, so it cannot pass (documented in
    # evidence_schema/_decision_rules.py and docs/policy.md).
    p = _write(tmp_path, _external({"cebench": False, "saebench": False}, mode=mode))
    d = check(p, PASSING, now=NOW)
    assert {_gate(d, n).status for n in ("cebench", "saebench")} == {"pass"}
    ext = _gate(d, "external")
    assert ext.status == "invalid" and "advisory gate never decides" in ext.reason
    assert d.verdict == "fail"


def test_advisory_child_at_depth_two_does_not_decide(tmp_path: Path) -> None:
    doc = _external({"cebench": True, "saebench": False})
    ext = next(g for g in doc["gates"] if g.get("name") == "external")
    # external: all: [ inner: any: [cebench (required, fails), saebench (advisory, passes)] ]
    ext["all"] = [{"name": "inner", "any": ext.pop("any")}]
    d = check(_write(tmp_path, doc), FAILING, now=NOW)
    assert _gate(d, "inner").status == "fail"
    assert _gate(d, "external").status == "fail" and d.verdict == "fail"


# --- forged decisions -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def failing_decision() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(check(POLICY, FAILING, now=NOW).model_dump_json())
    return doc


def _find(doc: dict[str, Any], name: str) -> dict[str, Any]:
    stack = list(doc["gates"])
    while stack:
        g = stack.pop()
        if g["name"] == name:
            return g
        stack.extend(g["children"])
    raise KeyError(name)


def _problems(doc: dict[str, Any]) -> str:
    res = validate_document(doc, "decision.json")
    assert not res.ok, "a forged decision validated"
    return "\n".join(str(p) for p in res.problems)


def _all_pass(gates: list[dict[str, Any]]) -> None:
    for g in gates:
        g["status"] = "pass"
        _all_pass(g["children"])


def test_real_decisions_validate(failing_decision: dict[str, Any]) -> None:
    assert validate_document(failing_decision, "decision.json").ok
    ok = json.loads(check(POLICY, PASSING, now=NOW).model_dump_json())
    assert validate_document(ok, "decision.json").ok


def test_forged_all_pass_over_failing_observed_is_refused(
    failing_decision: dict[str, Any],
) -> None:
    # The example: observed −0.035 against `>= 0`, every status and the verdict "pass".
    doc = copy.deepcopy(failing_decision)
    ceb = _find(doc, "cebench")
    ceb["observed"] = -0.035
    assert validate_document(doc, "d.json").ok  # still a consistent (failing) decision
    _all_pass(doc["gates"])
    doc["verdict"] = "pass"
    msg = _problems(doc)
    assert "cebench" in msg and "-0.035" in msg and "not met" in msg


def test_forged_group_pass_over_failing_child_is_refused(
    failing_decision: dict[str, Any],
) -> None:
    doc = copy.deepcopy(failing_decision)
    _find(doc, "external")["status"] = "pass"
    doc["verdict"] = "pass"
    assert "contradicts its required sub-gates" in _problems(doc)


def test_forged_verdict_alone_is_refused(failing_decision: dict[str, Any]) -> None:
    doc = copy.deepcopy(failing_decision)
    doc["verdict"] = "pass"
    assert "verdict 'pass' contradicts" in _problems(doc)


def test_forged_pass_with_too_few_seeds_is_refused(failing_decision: dict[str, Any]) -> None:
    doc = copy.deepcopy(failing_decision)
    sae = _find(doc, "saebench")
    assert sae["status"] == "pass"
    sae["n_seeds"] = 2  # fewer than min_seeds 3
    assert "min_seeds 3" in _problems(doc)


@pytest.mark.parametrize("field", ["observed", "comparison", "threshold", "n_seeds"])
def test_pass_without_what_it_derives_from_is_refused(
    failing_decision: dict[str, Any], field: str
) -> None:
    doc = copy.deepcopy(failing_decision)
    _find(doc, "saebench")[field] = None
    assert "saebench" in _problems(doc)


def test_group_without_combinator_is_refused(failing_decision: dict[str, Any]) -> None:
    doc = copy.deepcopy(failing_decision)
    _find(doc, "external")["combinator"] = None
    assert "cannot be re-derived" in _problems(doc)


def test_forged_combinator_flip_is_refused(failing_decision: dict[str, Any]) -> None:
    # all → any would pass the group on saebench alone; the status then contradicts it.
    doc = copy.deepcopy(failing_decision)
    _find(doc, "external")["combinator"] = "any"
    assert "gives 'pass'" in _problems(doc)


def test_waived_without_waiver_and_waiver_without_waived_are_refused(
    failing_decision: dict[str, Any],
) -> None:
    doc = copy.deepcopy(failing_decision)
    _find(doc, "external")["status"] = "waived"
    doc["verdict"] = "waived"
    assert "records no waiver" in _problems(doc)
    doc = copy.deepcopy(failing_decision)
    _find(doc, "cebench")["waiver"] = {"reason": "x" * 12, "approver": "a",
                                       "expires": "2027-01-01", "evidence_sha256": ["a" * 64]}
    assert "records a waiver" in _problems(doc)


@pytest.mark.parametrize("status", ["missing", "invalid", "error"])
def test_fail_closed_statuses_stay_valid_and_not_pass(
    failing_decision: dict[str, Any], status: str
) -> None:
    doc = copy.deepcopy(failing_decision)
    for g in doc["gates"]:
        if g["name"] == "ood":
            g.update(status=status, observed=None)
    assert validate_document(doc, "d.json").ok
    doc["verdict"] = "pass"
    assert "contradicts" in _problems(doc)

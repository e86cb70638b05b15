"""Review of the session's audit change: three ways a wrong claim could end up verified or
only a warning, each fixed where it lived."""

from __future__ import annotations

from audit import AuditOptions, AuditResult, Finding, audit_paths
from audit._decision import _flatten
from evidence_schema import GateResult
from tests.audit.conftest import Repo


def _gate(name: str, status: str, children: list[GateResult] | None = None) -> GateResult:
    rec = {"observed": 1.0 if status == "pass" else -1.0, "comparison": ">=", "threshold": 0.0,
           "min_seeds": 1, "n_seeds": 1} if not children else {"combinator": "all"}
    return GateResult(name=name, status=status, reason="r", children=children or [], **rec)


def test_a_sub_gate_never_shadows_a_top_level_gate_of_the_same_name() -> None:
    inner = _gate("ood", "pass")
    outer = _gate("external", "pass", [inner])
    top = _gate("ood", "fail")
    out: dict[str, GateResult] = {}
    _flatten([outer, top], out)
    assert out["ood"] is top
    assert out["external.ood"] is inner


def test_a_bare_sub_gate_name_shared_by_two_sub_gates_names_neither() -> None:
    a = _gate("external", "pass", [_gate("delta", "pass")])
    b = _gate("stress", "fail", [_gate("delta", "fail")])
    out: dict[str, GateResult] = {}
    _flatten([a, b], out)
    assert "delta" not in out  # ambiguous: only the dotted paths stand for them
    assert out["external.delta"].status == "pass" and out["stress.delta"].status == "fail"


def test_a_temporal_word_mid_sentence_does_not_hide_the_main_claim(repo: Repo) -> None:
    d = repo.decision({"random_model": "pass", "transcoder": "fail", "ood": "fail",
                       "external": "pass"})
    cases = {
        "The transcoder gate passes when run on GPU.\n": "contradicts-gate",
        "Once again, the transcoder gate passes.\n": "contradicts-gate",
        # a rule, not an outcome: stays a non-claim
        "The release is blocked unless all gates pass.\n": None,
    }
    for text, verdict in cases.items():
        (repo.root / "r.md").write_text("# R\n\n" + text)
        res = audit_paths([repo.root / "r.md"], AuditOptions(repo=repo.root, decision=d))
        got = [f.verdict for f in res.findings if f.kind == "status"]
        assert got == ([verdict] if verdict else []), (text, got)


def test_no_decision_excuses_status_claims_only() -> None:
    res = AuditResult(no_decision=True)
    status = Finding("r.md", 3, 1, "transcoder gate: pass", "status", "unverifiable", "m")
    stat = Finding("r.md", 5, 1, "significantly better", "number", "unverifiable", "m")
    assert res.severity(status) == "warning"
    assert res.severity(stat) == "error"  # a statistic that cannot be recomputed still fails
    assert AuditResult().severity(status) == "error"


def test_a_statistic_that_cannot_be_recomputed_is_never_only_a_warning(repo: Repo) -> None:
    # Two identical seeds: no bound can be computed (degenerate). The significance claim is an
    # error even under --no-decision, and the stated mean (0.9; the values are 0.2) still
    # meets the plain number check instead of being skipped as "covered".
    (repo.root / "ev.json").write_text(
        '{"deltas": [{"seeds": [0], "value": 0.2}, {"seeds": [1], "value": 0.2}]}')
    (repo.root / "r.md").write_text(
        "# R\n\nIn `ev.json` the delta is significantly better than zero.\n\n"
        "In `ev.json`: mean delta 0.9 (95% CI [0.5, 1.3]).\n")
    res = audit_paths([repo.root / "r.md"], AuditOptions(repo=repo.root, no_decision=True))
    claim = [f for f in res.findings if f.line == 3 and f.kind == "number"]
    assert claim and all(res.severity(f) == "error" for f in claim), claim
    mean = [f for f in res.findings if f.line == 5 and f.claim.startswith("0.9")]
    assert [f.verdict for f in mean] == ["mismatch"], [(f.claim, f.verdict) for f in
                                                       res.findings if f.line == 5]
    assert res.exit_code() == 1

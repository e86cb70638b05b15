"""Stated statistics recomputed from per-seed evidence (issue 12): every recognised phrasing
with its exact verdict. Expected values come from scipy.stats (or by hand), never from the code
under test."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest
from scipy import stats as sps

from audit import AuditOptions, AuditResult, Finding, audit_paths

DELTAS = [0.061, 0.070, 0.052, 0.066, 0.061]  # all positive, bound clear of zero
CROSSING = [0.030, -0.020, 0.010, 0.045, -0.015]  # mean > 0, 95% bound crosses zero
WORSE = [-0.051, -0.060, -0.048, -0.055, -0.062]
CAND = [0.62, 0.60, 0.63]
BASE = [0.55, 0.56, 0.54]


def _samples(vals: list[float]) -> list[dict[str, object]]:
    return [{"seeds": [i], "value": v} for i, v in enumerate(vals)]


def _ci(vals: list[float], conf: float = 0.95) -> tuple[float, float]:
    lo, hi = sps.t.interval(conf, len(vals) - 1, loc=statistics.mean(vals),
                            scale=sps.sem(vals))
    return float(lo), float(hi)


R = "r.json"
M = statistics.mean(DELTAS)
LO, HI = _ci(DELTAS)
LO90, HI90 = _ci(DELTAS, 0.90)
W = sps.ttest_ind(CAND, BASE, equal_var=False).confidence_interval(0.95)
WM = statistics.mean(CAND) - statistics.mean(BASE)
CLO, CHI = _ci(CROSSING)
WLO, WHI = _ci(WORSE)
assert LO > 0 and CLO < 0 < CHI and WHI < 0  # the premises of the claims below
D = f"[per-seed deltas]({R}#/deltas)"
X = f"[per-seed deltas]({R}#/crossing)"

# (line text, expected verdicts of the stated-statistic findings on that line, in order)
CASES: list[tuple[str, list[str]]] = [
    (f"Mean delta {M:+.3f} (95% CI [{LO:+.3f}, {HI:+.3f}], n = 5) over {D}.",
     ["verified", "verified"]),
    (f"Mean delta {M:+.3f} (95% CI [{LO:+.3f}, {HI + 0.01:+.3f}], n = 5) over {D}.",
     ["mismatch", "verified"]),  # a wrong CI
    (f"Mean delta {M:+.3f} (95% CI [{LO:+.3f}, {HI:+.3f}], n = 6) over {D}.",
     ["verified", "mismatch"]),  # a wrong n
    (f"Mean delta {M + 0.01:+.3f} (95% CI [{LO:+.3f}, {HI:+.3f}], n = 5) over {D}.",
     ["mismatch", "verified"]),  # a wrong mean
    (f"The 90% CI [{LO90:+.4f}, {HI90:+.4f}] of {D}.", ["verified"]),
    (f"The 95% CI [{LO90:+.4f}, {HI90:+.4f}] of {D}.", ["mismatch"]),  # 90% bounds called 95%
    (f"LCB {LO:+.3f} over 5 seeds ({D}).", ["verified", "verified"]),
    (f"LCB {LO + 0.002:+.3f} over 5 seeds ({D}).", ["mismatch", "verified"]),
    (f"95% UCB {HI:.4f} for {D}.", ["verified"]),
    (f"Upper bound {LO:.4f} for {D}.", ["mismatch"]),
    (f"Mean {M:.4f} on {D}.", ["verified"]),
    (f"Mean {M + 0.003:.4f} on {D}.", ["mismatch"]),
    (f"5/5 seeds positive in {D}.", ["verified"]),
    (f"3/5 seeds positive in {D}.", ["mismatch"]),
    (f"3 of 5 seeds positive in {X}.", ["verified"]),
    (f"2 of 5 seeds negative in {X}.", ["verified"]),
    (f"Across 4 seeds, see {D}.", ["mismatch"]),
    (f"Candidate [0.56]({R}#/cand_mean) improves by 12% over [0.5]({R}#/base_mean).",
     ["verified"]),  # (0.56 − 0.5) / 0.5 = 12%, by hand
    (f"Candidate [0.56]({R}#/cand_mean) improves by 15% over [0.5]({R}#/base_mean).",
     ["mismatch"]),
    (f"Candidate [0.56]({R}#/cand_mean) drops by 12% from [0.5]({R}#/base_mean).",
     ["mismatch"]),  # the wrong direction
    (f"The SAE is significantly better: {D}.", ["verified"]),
    (f"The SAE is significantly better: {X}.", ["decision-error"]),  # bound crosses zero
    (f"It beats the baseline ({X}).", ["decision-error"]),
    (f"It outperforms the matched baseline ({D}).", ["verified"]),
    (f"A positive delta on every benchmark ({X}).", ["decision-error"]),
    (f"A statistically significant improvement ({X}).", ["decision-error"]),
    (f"Significantly worse out of distribution ({R}#/worse as [values]({R}#/worse)).",
     ["verified"]),
    (f"Significantly lower ([values]({R}#/crossing)).", ["decision-error"]),
    (f"The SAE is not significantly better ({X}).", []),  # negated: no claim of significance
    (f"The mean of 5 seeds is in {D}.", []),  # a count of seeds, not a stated mean
    (f"Mean difference {WM:+.4f} (95% CI [{W.low:+.4f}, {W.high:+.4f}], Welch, n = 3 vs 3) of "
     f"[candidate]({R}#/candidate) minus [baseline]({R}#/baseline).", ["verified", "verified"]),
    (f"Mean difference {WM:+.4f} (95% CI [{W.low:+.4f}, {W.high:+.4f}], Welch, n = 3) of "
     f"[candidate]({R}#/candidate) minus [baseline]({R}#/baseline).", ["verified", "verified"]),
    (f"Mean difference {WM:+.4f} (95% CI [{W.low:+.4f}, {W.high:+.4f}], Welch, n = 3 vs 4) of "
     f"[candidate]({R}#/candidate) minus [baseline]({R}#/baseline).", ["verified", "mismatch"]),
    # phrasings added after red-team review 11, each over a clear bound and one crossing zero
    (f"Mean {M:+.4f} \u00b1 {(HI - LO) / 2:.4f} over {D}.", ["verified"]),  # 95% half-width
    (f"Mean {M:+.4f} \u00b1 {(HI - LO) / 2 + 0.002:.4f} over {D}.", ["mismatch"]),
    (f"Delta {M:+.4f} +/- {sps.sem(DELTAS):.4f} (SE) over {D}.", ["verified"]),
    (f"Delta {M:+.4f} \u00b1 {statistics.stdev(DELTAS):.4f} (SD) over {D}.", ["verified"]),
    (f"Delta {M:+.4f} \u00b1 {sps.sem(DELTAS):.4f} over {D}.", ["mismatch"]),  # SE read as CI
    (f"The 95% CI: {LO:+.3f} to {HI:+.3f} ({D}).", ["verified"]),
    (f"The 95% CI: {LO:+.3f} to {HI + 0.01:+.3f} ({D}).", ["mismatch"]),
    (f"Positive on all 5 seeds ({D}).", ["verified"]),
    (f"Positive on all 5 seeds ({X}).", ["mismatch"]),
    (f"All seeds positive in {D}.", ["verified"]),
    (f"All seeds positive in {X}.", ["mismatch"]),
    (f"Three of five seeds positive in {X}.", ["verified"]),
    (f"Four of five seeds positive in {X}.", ["mismatch"]),
    (f"The gain is statistically significant ({D}).", ["verified"]),
    (f"The gain is statistically significant ({X}).", ["decision-error"]),
    (f"A significant improvement over the baseline ({D}).", ["verified"]),
    (f"A significant improvement over the baseline ({X}).", ["decision-error"]),
    (f"It outperformed the baseline ({D}).", ["verified"]),
    (f"It outperformed the baseline ({X}).", ["decision-error"]),
    (f"The delta is positive ({D}).", ["verified"]),
    (f"The delta is positive ({X}).", ["decision-error"]),
    (f"Significantly above zero ({D}).", ["verified"]),
    (f"Significantly above zero ({X}).", ["decision-error"]),
    (f"A statistically significant drop ({R}#/worse as [values]({R}#/worse)).", ["verified"]),
    (f"The gain is not statistically significant ({X}).", []),
    (f"We test whether the gain is statistically significant ({X}).", []),
]


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> tuple[AuditResult, list[int]]:
    repo = tmp_path_factory.mktemp("statements")
    (repo / R).write_text(json.dumps({
        "deltas": _samples(DELTAS), "crossing": _samples(CROSSING), "worse": _samples(WORSE),
        "candidate": _samples(CAND), "baseline": _samples(BASE),
        "cand_mean": 0.56, "base_mean": 0.5,
    }), encoding="utf-8")
    lines, numbers = ["# Stated statistics", ""], []
    for text, _ in CASES:
        numbers.append(len(lines) + 1)
        lines += [text, ""]
    (repo / "report.md").write_text("\n".join(lines), encoding="utf-8")
    return audit_paths([repo / "report.md"], AuditOptions(repo=repo)), numbers


def _stat_findings(result: AuditResult, line: int) -> list[Finding]:
    return [f for f in result.findings if f.line == line and f.kind == "number"
            and f.explanation and f.explanation[0].startswith("stated statistic")]


@pytest.mark.parametrize("i", range(len(CASES)), ids=[c[0][:50] for c in CASES])
def test_each_phrasing_has_its_exact_verdict(audited: tuple[AuditResult, list[int]],
                                             i: int) -> None:
    result, numbers = audited
    _text, expected = CASES[i]
    found = _stat_findings(result, numbers[i])
    assert [f.verdict for f in found] == expected, [(f.claim, f.message) for f in found]


def test_statement_numbers_are_not_checked_again_one_by_one(
        audited: tuple[AuditResult, list[int]]) -> None:
    result, numbers = audited
    first = numbers[0]
    plain = [f for f in result.findings if f.line == first and f.kind == "number"
             and f not in _stat_findings(result, first)]
    assert plain == []


def test_mismatch_names_the_recomputed_value(audited: tuple[AuditResult, list[int]]) -> None:
    result, numbers = audited
    wrong_ci = _stat_findings(result, numbers[1])[0]
    assert wrong_ci.artifact == R and wrong_ci.pointer == "/deltas"
    assert wrong_ci.artifact_value == pytest.approx(HI)
    assert f"{HI:.6g}" in wrong_ci.message
    err = _stat_findings(result, numbers[21])[0]
    assert err.verdict == "decision-error" and f"{CLO:.6g}" in err.message


def test_decision_error_fails_the_audit(audited: tuple[AuditResult, list[int]]) -> None:
    result, _ = audited
    assert result.counts()["decision-error"] == sum(e.count("decision-error") for _, e in CASES)
    assert result.exit_code() == 1


def _audit_one(tmp_path: Path, text: str, data: dict[str, object]) -> list[Finding]:
    (tmp_path / "ev.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "report.md").write_text(text, encoding="utf-8")
    res = audit_paths([tmp_path / "report.md"], AuditOptions(repo=tmp_path))
    return [f for f in res.findings if f.explanation
            and f.explanation[0].startswith("stated statistic")]


def test_scope_citation_without_pointer_finds_the_one_series(tmp_path: Path) -> None:
    text = (f"## Results\n\n- Deltas in `ev.json`: mean {M:+.3f} (95% CI [{LO:+.3f}, "
            f"{HI + 0.02:+.3f}], n = 5).\n")
    found = _audit_one(tmp_path, text, {"metrics": {"deltas": _samples(DELTAS)}})
    assert [f.verdict for f in found] == ["mismatch", "verified"]
    assert found[0].pointer == "/metrics/deltas"


def test_two_series_in_scope_that_fit_equally_are_ambiguous(tmp_path: Path) -> None:
    text = f"## Results\n\n- In `ev.json`: mean {M:+.3f} (95% CI [{LO:+.3f}, {HI:+.3f}], n = 5).\n"
    found = _audit_one(tmp_path, text, {"a": _samples(DELTAS), "b": _samples(DELTAS[::-1])})
    assert [f.verdict for f in found] == ["unbacked", "unbacked"]
    assert "ambiguous" in found[0].message


def test_a_statement_no_series_fits_is_a_mismatch_naming_the_closest(tmp_path: Path) -> None:
    # before (red team 11): "unbacked … ambiguous", a warning, whenever two series were in scope
    text = "## Results\n\n- In `ev.json`: mean +0.500 (95% CI [+0.1, +0.9], n = 5).\n"
    found = _audit_one(tmp_path, text, {"a": _samples(DELTAS), "b": _samples(CROSSING)})
    assert [f.verdict for f in found] == ["mismatch", "verified"]
    closest = min((abs(0.5 - statistics.mean(v)), p) for p, v in (("/a", DELTAS),
                                                                    ("/b", CROSSING)))[1]
    assert found[0].pointer == closest and "no per-seed series in scope fits" in found[0].message


def test_a_series_picked_by_its_matching_mean(tmp_path: Path) -> None:
    text = f"- Deltas in `ev.json`: mean {statistics.mean(CROSSING):+.3f}.\n"
    found = _audit_one(tmp_path, text, {"a": _samples(DELTAS), "b": _samples(CROSSING)})
    assert [(f.verdict, f.pointer) for f in found] == [("verified", "/b")]


def test_statement_without_any_per_seed_values_is_left_to_the_number_check(
        tmp_path: Path) -> None:
    found = _audit_one(tmp_path, "Mean delta +0.062 (95% CI [+0.041, +0.083], n = 5).\n",
                       {"x": 1})
    assert found == []

"""Which per-seed series a stated statistic without its own link is about (red-team review 11).

Before: with two or more per-seed series in scope every wrong statement was only "unbacked …
ambiguous" (a warning, exit 0), and a claim of significance was verified by whichever series
supported it. Expected values come from scipy or by hand, never from the code under test."""

from __future__ import annotations

import json
import shutil
import statistics
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from audit import AuditOptions, AuditResult, Finding, audit_paths

ROOT = Path(__file__).resolve().parents[2]
CE = json.loads((ROOT / "examples" / "failing" / "external_cebench.json").read_text("utf-8"))
CE_DELTAS = [d["value"] for d in CE["metrics"]["deltas"]]
CE_CAND = [d["value"] for d in CE["metrics"]["candidate"]]


def _ci(vals: list[float], conf: float = 0.95) -> tuple[float, float]:
    lo, hi = sps.t.interval(conf, len(vals) - 1, loc=statistics.mean(vals), scale=sps.sem(vals))
    return float(lo), float(hi)


CE_LO, _ = _ci(CE_DELTAS)
S = [0.05, -0.01, 0.08, 0.02, -0.03]  # s.json of the review: LCB < 0
G = [0.06, 0.05, 0.07, 0.065, 0.06]  # g.json: LCB > 0
TWO = {"candidate": [0.70, 0.71, 0.72], "baseline": [0.69, 0.70, 0.705]}
assert CE_LO < 0 < _ci(G)[0] and _ci(S)[0] < 0  # the premises


def _audit(repo: Path, files: list[str], lines: list[str], strict: bool = False
           ) -> tuple[AuditResult, list[list[Finding]]]:
    """One section per line, each citing ``files`` (no #/pointer)."""
    cited = ", ".join(f"`{f}`" for f in files)
    text, at = ["# Report", ""], []
    for i, line in enumerate(lines):
        text += [f"## Part {chr(65 + i)}", "", f"Files: {cited}.", ""]
        at.append(len(text) + 1)
        text += [line, ""]
    (repo / "report.md").write_text("\n".join(text), encoding="utf-8")
    res = audit_paths([repo / "report.md"], AuditOptions(repo=repo, strict=strict))
    return res, [[f for f in res.findings if f.line == n and f.explanation
                  and f.explanation[0].startswith("stated statistic")] for n in at]


@pytest.fixture(scope="module")
def cebench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("cebench")
    shutil.copy(ROOT / "examples" / "failing" / "external_cebench.json", repo)
    return repo


CE_CASES = [
    # (line, verdicts, pointer of the first finding)
    ("The candidate significantly outperforms the matched baseline.", ["decision-error"],
     "/metrics/deltas"),
    ("Mean delta +1.5 (95% CI [+1.2, +1.8], n = 3).", ["mismatch", "verified"],
     "/metrics/deltas"),
    ("LCB +1.2 over 3 seeds.", ["mismatch", "verified"], "/metrics/deltas"),  # closest
    ("3/3 seeds positive.", ["mismatch"], "/metrics/deltas"),
    ("All seeds positive.", ["mismatch"], "/metrics/deltas"),
    (f"Mean delta {statistics.mean(CE_DELTAS):.4f}.", ["verified"], "/metrics/deltas"),
    (f"Mean candidate {statistics.mean(CE_CAND):.3f}.", ["verified"], "/metrics/candidate"),
    ("The improvement is statistically significant.", ["decision-error"], "/metrics/deltas"),
    ("It outperformed the baseline.", ["decision-error"], "/metrics/deltas"),
]


def test_cebench_statements_are_judged_not_ambiguous(cebench: Path) -> None:
    res, found = _audit(cebench, ["external_cebench.json"], [c[0] for c in CE_CASES])
    for (line, verdicts, pointer), fs in zip(CE_CASES, found, strict=True):
        assert [f.verdict for f in fs] == verdicts, (line, [f.message for f in fs])
        assert fs[0].pointer == pointer, (line, fs[0].message)
        assert not any("ambiguous" in f.message for f in fs)
    assert f"{CE_LO:.6g}" in found[0][0].message and f"{CE_LO:.6g}" in found[2][0].message
    assert res.exit_code() == 1


def test_two_arm_statements_that_no_series_fits_are_mismatches(tmp_path: Path) -> None:
    (tmp_path / "two.json").write_text(json.dumps(TWO), encoding="utf-8")
    res, found = _audit(tmp_path, ["two.json"],
                        ["Mean candidate 0.75.", "LCB +0.9.", "2/3 seeds negative."])
    assert [[f.verdict for f in fs] for fs in found] == [["mismatch"]] * 3
    assert found[0][0].pointer == "/candidate"
    assert found[0][0].artifact_value == pytest.approx(statistics.mean(TWO["candidate"]))
    assert res.exit_code() == 1


@pytest.fixture
def cherry(tmp_path: Path) -> Path:
    for name, vals in (("s.json", S), ("g.json", G)):
        (tmp_path / name).write_text(json.dumps(
            {"deltas": [{"seeds": [i], "value": v} for i, v in enumerate(vals)]}),
            encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("files", "verdict"), [
    (["s.json", "g.json"], "decision-error"),  # before: verified via g.json, even --strict
    (["g.json", "s.json"], "decision-error"),
    (["s.json"], "decision-error"),
    (["g.json"], "verified"),
])
def test_a_claim_must_hold_for_every_series_it_could_mean(cherry: Path, files: list[str],
                                                          verdict: str) -> None:
    res, found = _audit(cherry, files, ["The delta is significantly better than zero."],
                        strict=True)
    assert [f.verdict for f in found[0]] == [verdict], [f.message for f in found[0]]
    assert res.exit_code() == (0 if verdict == "verified" else 1)
    if len(files) == 2:
        assert f"{_ci(S)[0]:.6g}" in found[0][0].message and "g.json" in found[0][0].message


def test_both_series_clear_of_zero_verify_the_claim(cherry: Path) -> None:
    (cherry / "s.json").write_text(json.dumps({"deltas": [0.07, 0.06, 0.08, 0.065]}),
                                   encoding="utf-8")
    _res, found = _audit(cherry, ["s.json", "g.json"], ["The delta is significantly positive.",
                                                        "Significantly above zero."])
    assert [[f.verdict for f in fs] for fs in found] == [["verified"], ["verified"]]


def test_the_words_choose_the_series(cherry: Path) -> None:
    (cherry / "m.json").write_text(json.dumps({"pwmcc": [0.61, 0.62, 0.60],
                                               "l0": [31.0, 33.0, 32.0]}), encoding="utf-8")
    _res, found = _audit(cherry, ["m.json"], ["Mean PWMCC 0.61 over 3 seeds.",
                                              "Mean L0 33.5.", "Mean 0.61."])
    assert [(f.verdict, f.pointer) for f in found[0]] == [("verified", "/pwmcc"),
                                                         ("verified", "/pwmcc")]
    assert [(f.verdict, f.pointer) for f in found[1]] == [("mismatch", "/l0")]
    assert [(f.verdict, f.pointer) for f in found[2]] == [("verified", "/pwmcc")]


_VALS = st.lists(st.integers(-900, 900).map(lambda i: i / 1000), min_size=3, max_size=6)


@settings(max_examples=40, deadline=None)
@given(a=_VALS, b=_VALS)
def test_property_a_claim_is_verified_only_when_every_series_supports_it(
        tmp_path_factory: pytest.TempPathFactory, a: list[float], b: list[float]) -> None:
    assume(statistics.stdev(a) > 1e-3 and statistics.stdev(b) > 1e-3)
    repo = tmp_path_factory.mktemp("prop")
    for name, vals in (("a.json", a), ("b.json", b)):
        (repo / name).write_text(json.dumps({"deltas": vals}), encoding="utf-8")
    _res, found = _audit(repo, ["a.json", "b.json"],
                         ["The delta is significantly better than zero."])
    lows = [_ci(a)[0], _ci(b)[0]]  # scipy
    assume(all(abs(lo) > 1e-9 for lo in lows))
    expected = "verified" if all(lo > 0 for lo in lows) else "decision-error"
    assert [f.verdict for f in found[0]] == [expected]

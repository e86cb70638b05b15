"""Numbers bound to the value they claim (issue 11): each case is a small report in a throwaway
repository, with the exact verdict of every number it is about.

The coincidences the issue found on a real repository are here as cases: a job count 17
"verified" by the hour of a timestamp, 2% by the 2 of "L2", 8 by 7.61, an OOD drop of 0.1 by the
policy's threshold 0.1; and a changed number (50.44 for 49.44) that passed.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from audit import AuditResult
from audit._claims import extract
from audit._notclaims import DEFAULT_NOT_CLAIM_WORDS
from releasegate.cli.main import main
from tests.audit.conftest import Repo, only, verdicts


@pytest.fixture
def ood(repo: Repo) -> Repo:
    repo.json("runs/ood.json", {
        "created_at": "2026-02-13T17:05:00Z",
        "metrics": {"ood_drop": 0.021, "saebench_gate_value": 0.42, "loss": 7.61},
        "thresholds": {"max_ood_drop": 0.1},
        "n_jobs": 17,
        "external": {"cebench_gate_value": None},
        "version": "3.11.2", "run_id": "run-0.7452",
    })
    return repo


def numbers(r: AuditResult) -> list[tuple[str, str]]:
    return verdicts(r, "number")


# --- key-aware binding -------------------------------------------------------------------------

def test_keyed_number_is_checked_against_its_key_not_the_threshold(ood: Repo) -> None:
    ood.text("r.md", """
        ## OOD
        Source: `runs/ood.json`
        - ood_drop: 0.1
        - ood_drop: 0.021
        - max OOD drop: 0.1
        """)
    r = ood.audit("r.md")
    assert numbers(r) == [("0.1", "mismatch"), ("0.021", "verified"), ("0.1", "verified")]
    bad = next(f for f in r.findings if f.kind == "number" and f.line == 3)
    assert (bad.pointer, bad.artifact_value) == ("/metrics/ood_drop", 0.021)
    assert "0.1 but runs/ood.json#/metrics/ood_drop = 0.021" in bad.message
    assert bad.difference == pytest.approx(0.079)
    good = next(f for f in r.findings if f.kind == "number" and f.line == 5)
    assert good.pointer == "/thresholds/max_ood_drop"
    assert r.exit_code() == 1


@pytest.mark.parametrize("written", [
    "ood_drop: 0.021", "ood_drop = 0.021", "OOD drop: 0.021", "ood-drop: 0.021",
    "Ood_Drop 0.021", "metrics.ood_drop: 0.021", "metrics/ood_drop = 0.021",
    "measured OOD drop: 0.021", "**ood_drop**: `0.021`",
])
def test_name_matching_is_case_space_underscore_and_dash_insensitive(
        ood: Repo, written: str) -> None:
    ood.text("r.md", f"## OOD\n\n- `runs/ood.json`\n- {written}\n")
    f = only(ood.audit("r.md"), "0.021")
    assert (f.verdict, f.pointer) == ("verified", "/metrics/ood_drop")


@pytest.mark.parametrize("written", ["thresholds.ood_drop: 0.1", "thresholds/ood_drop = 0.1"])
def test_a_path_that_is_not_the_keys_path_does_not_match_it(ood: Repo, written: str) -> None:
    # no key path ends in thresholds/…/ood_drop: the name binds nothing and the number is
    # checked like an unnamed one, so the threshold's 0.1 backs it (documented: a name that
    # matches no key does not protect the number)
    ood.text("r.md", f"## OOD\n\n- `runs/ood.json`\n- {written}\n")
    f = only(ood.audit("r.md"), "0.1")
    assert (f.verdict, f.pointer) == ("verified", "/thresholds/max_ood_drop")
    assert "matches no key" in " ".join(f.explanation)


def test_none_against_a_number_is_a_mismatch(ood: Repo) -> None:
    ood.text("r.md", """
        ## Gates
        - `runs/ood.json`
        - saebench_gate_value: None
        - cebench_gate_value: null
        - some_other_value: None
        """)
    r = ood.audit("r.md")
    assert numbers(r) == [("saebench_gate_value: None", "mismatch"),
                          ("cebench_gate_value: null", "verified")]
    f = only(r, "saebench_gate_value: None")
    assert (f.artifact_value, f.pointer) == (0.42, "/metrics/saebench_gate_value")
    assert (f.line, f.column) == (3, 24)


def test_number_against_a_null_is_a_mismatch(ood: Repo) -> None:
    ood.text("r.md", "## Gates\n\n- `runs/ood.json`\n- cebench_gate_value: 0.55\n")
    f = only(ood.audit("r.md"), "0.55")
    assert f.verdict == "mismatch" and "is null" in f.message


def test_explicit_pointer_beats_the_name(ood: Repo) -> None:
    ood.text("r.md", "## OOD\n\n- ood_drop: [0.1](runs/ood.json#/thresholds/max_ood_drop)\n")
    f = only(ood.audit("r.md"), "0.1")
    assert (f.verdict, f.pointer) == ("verified", "/thresholds/max_ood_drop")


def test_table_cells_bind_by_column_header_and_row_label(ood: Repo) -> None:
    ood.text("r.md", """
        ## OOD (`runs/ood.json`)

        | metric | value |
        |---|---|
        | ood_drop | 0.1 |
        | saebench_gate_value | 0.42 |

        | run | ood_drop | loss |
        |---|---|---|
        | main | 0.021 | 7.62 |
        """)
    r = ood.audit("r.md")
    assert numbers(r) == [("0.1", "mismatch"), ("0.42", "verified"), ("0.021", "verified"),
                          ("7.62", "mismatch")]
    assert only(r, "7.62").pointer == "/metrics/loss"


def test_row_label_narrows_a_key_that_repeats(repo: Repo) -> None:
    repo.json("s.json", {"by_budget": {"10000": {"delta_mean": -0.07854},
                                       "30000": {"delta_mean": -0.08497}}})
    repo.text("r.md", """
        ## Scaling (`s.json`)
        - `10000`: delta mean `-0.08497`
        - `30000`: delta mean `-0.08497`
        """)
    r = repo.audit("r.md")
    assert numbers(r) == [("10000", "verified"), ("-0.08497", "mismatch"),
                          ("30000", "verified"), ("-0.08497", "verified")]
    first = next(f for f in r.findings if f.claim == "-0.08497" and f.line == 2)
    assert (first.pointer, first.artifact_value) == ("/by_budget/10000/delta_mean", -0.07854)


def test_keys_of_text_artifacts_bind_too(repo: Repo) -> None:
    repo.text("summary.md", """
        # Summary

        - ood_drop: 0.021 (threshold 0.1)

        | arch | EV | delta |
        |---|---|---|
        | topk | 0.7452 | -0.0632 |
        """)
    repo.text("r.md", """
        ## R (`summary.md`)
        - ood_drop: 0.1
        - topk delta: -0.06319
        - EV: 0.7452
        """)
    r = repo.audit("r.md")
    assert numbers(r) == [("0.1", "mismatch"), ("-0.06319", "verified"), ("0.7452", "verified")]


# --- what can back a number --------------------------------------------------------------------

def test_job_count_is_not_verified_by_the_hour_of_a_timestamp(ood: Repo) -> None:
    ood.text("log.md", "# Run log\n\nGenerated: 2026-02-13T17:05:00Z\nstarted at 17:05\n")
    ood.text("r.md", """
        ## Jobs
        We ran 17 jobs (`log.md`).

        ## Keyed
        - `runs/ood.json`
        - n_jobs: 17
        """)
    r = ood.audit("r.md")
    assert numbers(r) == [("17", "unbacked"), ("17", "verified")]
    assert only(r, "log.md").verdict == "verified"


def test_two_percent_is_not_verified_by_the_2_of_l2(repo: Repo) -> None:
    repo.text("notes.md", "# Notes\n\n- norm: L2\n\n| norm | used |\n|---|---|\n| L2 | yes |\n")
    repo.text("r.md", "## R\n\nSee `notes.md`: 2% of runs diverged.\n")
    assert numbers(repo.audit("r.md")) == [("2%", "unbacked")]


def test_eight_is_not_verified_by_7_61(ood: Repo) -> None:
    ood.text("r.md", "## R\n\n`runs/ood.json`: the loss stayed below 8.\n")
    f = only(ood.audit("r.md"), "8")
    assert f.verdict == "unbacked" and "small integer" in f.message


def test_digits_inside_strings_back_nothing(ood: Repo) -> None:
    # "version": "3.11.2" and "run_id": "run-0.7452" are strings: their digits are no values.
    # 0.7452 has no value of its shape (4 decimals, magnitude 0.1) to be a copy of: unbacked;
    # 3.11 has one (loss 7.61, same magnitude and decimals) in the one cited artifact: mismatch
    ood.text("r.md", "## R\n\n`runs/ood.json`: 0.7452 and 3.11\n")
    r = ood.audit("r.md")
    assert numbers(r) == [("0.7452", "unbacked"), ("3.11", "mismatch")]
    assert only(r, "3.11").pointer == "/metrics/loss"


@pytest.mark.parametrize("name", ["constraints.txt", "requirements-dev.txt", "uv.lock",
                                  "poetry.lock", "requirements.txt"])
def test_lock_and_requirements_files_back_no_number(repo: Repo, name: str) -> None:
    repo.text(name, "python_version: 3.1\npyyaml==6.0.1\nnumpy==3.11\n")
    repo.text("r.md", f"## Install\n\nPython 3.11 with `{name}`.\n")
    r = repo.audit("r.md")
    assert numbers(r) == [("3.11", "unbacked")]
    assert r.exit_code() == 0


def test_code_and_comments_in_a_text_artifact_back_nothing(repo: Repo) -> None:
    repo.text("notes.md", """
        # Notes

        ```python
        ev: 0.9137
        ```

        <!-- ev: 0.9137 -->
        The EV was 0.9137 in prose, and `ev: 0.9137` in code.

        - ev: 0.8125
        """)
    repo.text("r.md", "## R\n\n`notes.md`: EV 0.9137, and 0.8125.\n")
    r = repo.audit("r.md")
    assert numbers(r) == [("0.9137", "mismatch"), ("0.8125", "verified")]
    # the mismatch names the one value a text artifact can back: its key: value line
    assert only(r, "0.9137").artifact_value == 0.8125


# --- precision both ways -----------------------------------------------------------------------

@pytest.mark.parametrize(("claim", "verdict"), [
    ("-0.06319", "verified"),  # rounds to the table's -0.0632
    ("-0.0632", "verified"),
    ("-0.063", "verified"),  # coarser than the table: a rounding of it
    ("-0.06339", "mismatch"),  # rounds to -0.0634
])
def test_precision_is_compared_at_the_coarser_of_the_two(
        repo: Repo, claim: str, verdict: str) -> None:
    repo.text("table.md", "| arch | delta |\n|---|---|\n| topk | -0.0632 |\n")
    repo.text("r.md", f"## R\n\n`table.md`: topk moved by {claim}.\n")
    assert numbers(repo.audit("r.md")) == [(claim, verdict)]


def test_data_values_are_exact_not_rounded(repo: Repo) -> None:
    # a JSON value is the value: 0.021 does not back 0.0213 as a table's "0.021" would
    repo.json("a.json", {"ood_drop": 0.021})
    repo.text("r.md", "## R\n\n- `a.json`\n- ood_drop: 0.0213\n")
    assert numbers(repo.audit("r.md")) == [("0.0213", "mismatch")]


# --- changed digits are errors -----------------------------------------------------------------

def test_changed_number_with_one_cited_artifact_is_a_mismatch(repo: Repo) -> None:
    repo.json("score.json", {"interpretability": 49.44, "n": 5})
    repo.text("r.md", "## R\n\nInterpretability reached 50.44 (`score.json`).\n")
    r = repo.audit("r.md")
    f = only(r, "50.44")
    assert (f.verdict, f.artifact_value, f.pointer) == ("mismatch", 49.44, "/interpretability")
    assert f.difference == pytest.approx(1.0)
    assert r.exit_code() == 1


def test_changed_number_in_the_scope_of_several_artifacts_is_unbacked_and_fails_strict(
        repo: Repo) -> None:
    repo.json("a.json", {"score": 49.44})
    repo.json("b.json", {"score": 61.27})
    repo.text("r.md", "## R\n\nSee `a.json` and `b.json`: reached 50.44.\n")
    r = repo.audit("r.md")
    assert numbers(r) == [("50.44", "unbacked")]
    assert r.exit_code() == 0
    assert repo.audit("r.md", strict=True).exit_code() == 1


def test_policy_unbacked_error_fails_the_audit(repo: Repo,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    repo.json("a.json", {"score": 49.44})
    repo.json("b.json", {"score": 61.27})
    repo.text("r.md", "## R\n\nSee `a.json` and `b.json`: reached 50.44.\n")
    pol = repo.text("policy.yaml", "audit:\n  unbacked: error\n")
    base = ["audit", str(repo.root / "r.md"), "--repo", str(repo.root)]
    assert main(base) == 0
    assert main([*base, "--policy", str(pol)]) == 1
    bad = repo.text("bad.yaml", "audit:\n  unbacked: maybe\n")
    assert main([*base, "--policy", str(bad)]) == 2
    assert "audit.unbacked must be 'warning' or 'error'" in capsys.readouterr().err


# --- when a wrong number can still pass (docs/audit.md, "When a wrong number can pass") ------

def test_documented_pass_a_wrong_number_equal_to_another_value_in_scope(repo: Repo) -> None:
    # unnamed, it equals *some* value in scope: verified. Named, it is checked against its key.
    repo.json("a.json", {"ev": 0.7452, "baseline_ev": 0.6812})
    repo.text("r.md", "## R\n\n- `a.json`\n- the SAE reaches 0.6812\n- ev: 0.6812\n")
    assert numbers(repo.audit("r.md")) == [("0.6812", "verified"), ("0.6812", "mismatch")]


def test_documented_pass_unbacked_is_a_warning_without_strict(repo: Repo) -> None:
    repo.json("a.json", {"ev": 0.7452})
    repo.text("r.md", """
        ## Cited
        - `a.json`
        - budget 5000
        - a rate of 3.5

        ## Not cited
        The loss fell to 0.0123.
        """)
    r = repo.audit("r.md")
    # 5000 is an integer (never "measured-shaped"), 3.5 is of another magnitude than 0.7452,
    # 0.0123 has no citation in scope: each is unbacked, a warning (exit 0)
    assert numbers(r) == [("5000", "unbacked"), ("3.5", "unbacked"), ("0.0123", "unbacked")]
    assert r.exit_code() == 0


def test_documented_pass_a_small_integer_or_a_rounding(repo: Repo) -> None:
    repo.json("a.json", {"n_jobs": 5, "n_failed": 3, "ev": 0.74516})
    repo.text("r.md", "## R\n\n- `a.json`\n- n_jobs: 5\n- 3 jobs failed\n- EV 0.75\n")
    # a coarser print of the value is a legitimate rounding, whatever the writer meant
    assert numbers(repo.audit("r.md")) == [("5", "verified"), ("3", "unbacked"),
                                           ("0.75", "verified")]


# --- notations ---------------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "74.61 %", "74.61\u00a0%", "74.61%", "$0.7461$", ".7461", "0.7461",
])
def test_percent_and_math_notations_verify(repo: Repo, written: str) -> None:
    repo.json("a.json", {"acc": 0.7461})
    repo.text("r.md", f"## R\n\n`a.json`: accuracy {written} on the test set\n")
    r = repo.audit("r.md")
    assert numbers(r) == [(written.strip("$"), "verified")]


@pytest.mark.parametrize("written", [
    "1.2×10⁻³", "1.2 × 10^-3", "1.2e-3", "$1.2 \\times 10^{-3}$", "1.2E-03",
])
def test_scientific_notations_verify(repo: Repo, written: str) -> None:
    repo.json("a.json", {"lr": 0.0012})
    repo.text("r.md", f"## R\n\n`a.json`: lr {written} throughout\n")
    r = repo.audit("r.md")
    assert [v for _c, v in numbers(r)] == ["verified"]
    assert only(r, numbers(r)[0][0]).artifact_value == 0.0012


@pytest.mark.parametrize("written", ["1 234 567", "1,234,567", "1\u202f234\u202f567"])
def test_thousands_separators_verify(repo: Repo, written: str) -> None:
    repo.json("a.json", {"tokens": 1234567})
    repo.text("r.md", f"## R\n\n`a.json`: trained on {written} tokens\n")
    assert numbers(repo.audit("r.md")) == [(written, "verified")]


def test_unicode_minus_and_p_values(repo: Repo) -> None:
    repo.json("a.json", {"delta": -0.5123, "p_value": 0.0009})
    repo.text("r.md", "## R\n\n- `a.json`\n- delta \u22120.5123 (p < .001)\n")
    assert numbers(repo.audit("r.md")) == [("\u22120.5123", "verified"), (".001", "verified")]


def test_report_in_the_issue_is_clean_when_right(tmp_path: Path, ood: Repo) -> None:
    ood.text("r.md", """
        # OOD stress

        Source: `runs/ood.json`, 17 jobs.

        | metric | value |
        |---|---|
        | ood_drop | 0.021 |
        | max_ood_drop | 0.1 |

        - saebench_gate_value: 0.42
        - loss: 7.61
        """)
    r = ood.audit("r.md")
    assert numbers(r) == [("17", "unbacked"), ("0.021", "verified"), ("0.1", "verified"),
                          ("0.42", "verified"), ("7.61", "verified")]


# --- notations: property -----------------------------------------------------------------------

_SUPER = str.maketrans("0123456789-+", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078"
                       "\u2079\u207b\u207a")


def _render(mantissa: int, places: int, notation: str) -> tuple[str, Decimal]:
    """A value written in one notation, and the value (in the notation's unit) it must read as."""
    v = Decimal(mantissa).scaleb(-places)
    plain = f"{v:.{places}f}"
    if notation == "plain":
        return plain, v
    if notation in ("percent-space", "percent-nbsp", "percent-thin"):
        sep = {"percent-space": " ", "percent-nbsp": "\u00a0", "percent-thin": "\u202f"}[notation]
        return f"{plain}{sep}%", v
    if notation == "math":
        return f"${plain}$", v
    if notation == "minus":
        return "\u2212" + f"{abs(v):.{places}f}", -abs(v)
    if notation == "leading-dot":
        frac = Decimal(mantissa % 10**places).scaleb(-places) if places else Decimal(0)
        return f"{frac:.{places}f}"[1:], frac
    if notation in ("thousands-comma", "thousands-space", "thousands-nbsp"):
        n = abs(mantissa) + 1000
        sep = {"thousands-comma": ",", "thousands-space": " ", "thousands-nbsp": "\u00a0"}[notation]
        return f"{n:,}".replace(",", sep), Decimal(n)
    # scientific: mantissa d.ddd × 10^e
    digits = str(abs(mantissa) + 1)
    m = Decimal(digits[0] + ("." + digits[1:] if len(digits) > 1 else ""))
    e = places - 4
    mtext = f"{m}"
    value = m.scaleb(e)
    if notation == "sci-e":
        return f"{mtext}e{e}", value
    if notation == "sci-times-super":
        return f"{mtext}\u00d710{str(e).translate(_SUPER)}", value
    if notation == "sci-times-caret":
        return f"{mtext} \u00d7 10^{e}", value
    assert notation == "sci-latex"
    return f"${mtext} \\times 10^{{{e}}}$", value


NOTATIONS = ["plain", "percent-space", "percent-nbsp", "percent-thin", "math", "minus",
             "leading-dot", "thousands-comma", "thousands-space", "thousands-nbsp", "sci-e",
             "sci-times-super", "sci-times-caret", "sci-latex"]


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 10**7), st.integers(1, 6), st.sampled_from(NOTATIONS))
def test_every_notation_reads_as_one_number_with_its_value(
        mantissa: int, places: int, notation: str) -> None:
    text, value = _render(mantissa, places, notation)
    assume(not (notation == "leading-dot" and value == 0))
    got = extract(f"## R\n\nThe measured value was {text} in the end.\n",
                  DEFAULT_NOT_CLAIM_WORDS).numbers
    assert len(got) == 1, (text, [n.number.text for n in got])
    assert got[0].number.value == value, (text, got[0].number.value)
    assert got[0].number.percent is notation.startswith("percent")


def test_documented_pass_a_citation_in_an_enclosing_section_only(ood: Repo) -> None:
    # the document's introduction cites the file; the numbers sit in a subsection that cites
    # nothing. A name or a shape is then not enough to call a number a copy (unbacked); a
    # near miss still is a mismatch.
    ood.text("r.md", """
        # Guide

        Source: `runs/ood.json`.

        ## Example settings

        - ood_drop: 0.1
        - loss 3.25
        - loss is 7.62
        """)
    r = ood.audit("r.md")
    assert numbers(r) == [("0.1", "unbacked"), ("3.25", "unbacked"), ("7.62", "mismatch")]
    assert "enclosing section" in " ".join(only(r, "0.1").explanation)


def test_the_policy_model_accepts_audit_unbacked_and_refuses_other_values() -> None:
    # the full policy loader (policy/) and audit's plain reading of audit: agree on the key
    from pydantic import ValidationError

    from policy import AuditRules

    assert AuditRules.model_validate({"unbacked": "error"}).unbacked == "error"
    assert AuditRules().unbacked == "warning"
    with pytest.raises(ValidationError):
        AuditRules.model_validate({"unbacked": "maybe"})

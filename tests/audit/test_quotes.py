"""Quotes of a decision's text (red-team review 11): inline code linked to a pointer whose value
is text must appear in that text verbatim, and a bare number bound to text must appear with its
sign. Before, ``= 1.58104 >= 0.0`` audited clean as a quote of ``= -1.58104 not >= 0.0``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from audit import AuditOptions, AuditResult, Finding, audit_paths
from releasegate.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
PTR = "/gates/3/children/1/reason"


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A repository with the failing example evidence and the decision `check` writes for it."""
    repo = tmp_path_factory.mktemp("quotes")
    shutil.copytree(ROOT / "examples" / "failing", repo / "failing")
    assert main(["check", "--evidence", str(repo / "failing"), "--out",
                 str(repo / "fdec.json")]) == 1
    import json

    reason = json.loads((repo / "fdec.json").read_text(encoding="utf-8"))
    for part in PTR.strip("/").split("/"):
        reason = reason[int(part)] if part.isdigit() else reason[part]
    assert isinstance(reason, str) and reason.startswith("lcb(/metrics/deltas) = -1.58104 not")
    return repo, reason


def _audit(repo: Path, line: str, strict: bool = True) -> tuple[AuditResult, list[Finding]]:
    (repo / "report.md").write_text(f"# Report\n\n{line}\n", encoding="utf-8")
    res = audit_paths([repo / "report.md"], AuditOptions(
        repo=repo, strict=strict, decision=repo / "fdec.json"))
    return res, [f for f in res.findings if f.line == 3 and f.pointer == PTR]


def test_quote_with_sign_and_not_removed_is_a_mismatch(failing: tuple[Path, str]) -> None:
    repo, reason = failing
    res, found = _audit(repo, "CE-Bench: [`lcb(/metrics/deltas) = 1.58104 >= 0.0 over 3 "
                        f"seed(s)`](fdec.json#{PTR}).")
    quote = [f for f in found if f.verdict == "mismatch"]
    assert len(quote) == 1 and reason in quote[0].message  # shows the real text
    assert [f for f in found if f.verdict == "verified" and f.kind == "number"] == []
    assert res.exit_code() == 1


@pytest.mark.parametrize("edit", [
    lambda r: r.replace(" not ", " "),  # the "not" removed
    lambda r: r.replace("-1.58104", "1.58104"),  # the sign removed
    lambda r: r.replace("-1.58104", "\u22121.58105"),  # a digit changed
    lambda r: r.replace("0.95", "0.99"),
])
def test_any_edit_of_the_quoted_text_is_a_mismatch(failing: tuple[Path, str], edit: object
                                                   ) -> None:
    repo, reason = failing
    assert callable(edit)
    res, found = _audit(repo, f"[`{edit(reason)}`](fdec.json#{PTR})")
    assert [f.verdict for f in found if f.message.startswith("presented as a quote")] == [
        "mismatch"]
    assert res.exit_code() == 1


@pytest.mark.parametrize("quote", [
    lambda r: r,  # whole
    lambda r: r.split(" [")[0],  # a verbatim part
    lambda r: r.replace(" ", "   ").replace("-", "\u2212"),  # whitespace and minus normalised
])
def test_verbatim_quote_is_verified(failing: tuple[Path, str], quote: object) -> None:
    repo, reason = failing
    assert callable(quote)
    res, found = _audit(repo, f"CE-Bench: [`{quote(reason)}`](fdec.json#{PTR}).")
    assert [f.verdict for f in found if f.claim != f"fdec.json#{PTR}"] == ["verified"]
    assert "quoted verbatim" in found[-1].message
    assert res.exit_code() == 0


@pytest.mark.parametrize(("line", "verdict"), [
    (f"LCB [1.58104](fdec.json#{PTR})", "mismatch"),  # the sign dropped
    (f"LCB [-1.58104](fdec.json#{PTR})", "verified"),
    (f"LCB [\u22121.58104](fdec.json#{PTR})", "verified"),
    (f"threshold [0.0](fdec.json#{PTR})", "verified"),
])
def test_bare_number_bound_to_text_keeps_its_sign(failing: tuple[Path, str], line: str,
                                                  verdict: str) -> None:
    repo, _ = failing
    _res, found = _audit(repo, line)
    assert [f.verdict for f in found if f.kind == "number"] == [verdict]


def test_rendered_reason_is_a_verbatim_quote(failing: tuple[Path, str]) -> None:
    # releasegate render prints a gate's reason as such a quote: it must stay audit-clean
    repo, _ = failing
    tpl = repo / "r.md.j2"
    tpl.write_text("# R\n\n{{ gate('cebench').reason }}\n", encoding="utf-8")
    assert main(["render", str(tpl), "--out", str(repo / "r.md"), "--repo", str(repo),
                 "--decision", str(repo / "fdec.json")]) == 0
    res = audit_paths([repo / "r.md"], AuditOptions(repo=repo, strict=True,
                                                    decision=repo / "fdec.json"))
    quotes = [f for f in res.findings if "quote" in f.message]
    assert [f.verdict for f in quotes] == ["verified"], [f.message for f in res.findings]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_property_a_quote_is_verified_iff_it_is_part_of_the_text(
        failing: tuple[Path, str], data: st.DataObject) -> None:
    repo, reason = failing
    i = data.draw(st.integers(0, len(reason) - 2))
    j = data.draw(st.integers(i + 1, len(reason)))
    part = reason[i:j].strip()
    assume(part and "`" not in part and not part.endswith("\\\\"))
    edit = data.draw(st.sampled_from(["none", "drop", "insert"]))
    k = data.draw(st.integers(0, len(part) - 1))
    quote = {"none": part, "drop": part[:k] + part[k + 1:],
             "insert": part[:k] + "X" + part[k:]}[edit].strip()
    assume(quote)
    _res, found = _audit(repo, f"Reason: [`{quote}`](fdec.json#{PTR}).")
    quotes = [f for f in found if "quote" in f.message]
    expected = "verified" if " ".join(quote.split()) in " ".join(reason.split()) else "mismatch"
    assert [f.verdict for f in quotes] == [expected], (quote, [f.message for f in found])

"""Baselines and ignore comments (issue 11, "Adoption on a repository with years of reports")."""

from __future__ import annotations

import json
import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import AuditOptions, AuditResult, apply_baseline, audit_paths, load_baseline
from audit._baseline import BaselineError, parse_directive, write_baseline
from releasegate.cli.main import main
from tests.audit.conftest import Repo

OLD = """\
## Old results

- transcoder gate: ✅
- budget 0.05
"""


@pytest.fixture
def legacy(repo: Repo) -> Repo:
    repo.decision({"transcoder": "fail", "ood": "pass"})
    repo.text("docs/old.md", OLD)
    return repo


def cli(repo: Repo, *args: str) -> int:
    return main(["audit", str(repo.root / "docs"), "--repo", str(repo.root), *args])


def test_baseline_records_findings_and_ci_fails_only_on_new_ones(
        legacy: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    base = str(legacy.root / "baseline.json")
    assert cli(legacy) == 1
    assert cli(legacy, "--baseline", base, "--update-baseline") == 0
    doc = json.loads((legacy.root / "baseline.json").read_text())
    assert [(f["verdict"], f["claim"]) for f in doc["findings"]] == [
        ("contradicts-gate", "transcoder gate: ✅"), ("unbacked", "0.05")]
    capsys.readouterr()
    assert cli(legacy, "--baseline", base) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("(2 baselined: not counted)")
    # lines move: an intro above, the old list indented into another section
    legacy.text("docs/old.md", "# Archive\n\nIntro paragraph.\n\n" + OLD)
    assert cli(legacy, "--baseline", base) == 0
    # a new finding fails
    legacy.text("docs/new.md", "## New\n\n- OOD gate: ❌\n")
    assert cli(legacy, "--baseline", base) == 1
    out = capsys.readouterr().out
    assert "docs/new.md" in out and "docs/old.md\n" not in out


def test_summary_counts_what_the_baseline_silenced(legacy: Repo) -> None:
    r = audit_paths([legacy.root / "docs"], AuditOptions(repo=legacy.root))
    write_baseline(legacy.root / "b.json", r)
    r2 = audit_paths([legacy.root / "docs"], AuditOptions(repo=legacy.root))
    apply_baseline(r2, load_baseline(legacy.root / "b.json"))
    assert r2.success and r2.suppressed_counts() == {"baselined": 2, "ignored": 0}
    assert "(2 baselined: not counted)" in r2.summary_line()


def test_changed_claim_is_a_new_finding(legacy: Repo) -> None:
    r = audit_paths([legacy.root / "docs"], AuditOptions(repo=legacy.root))
    write_baseline(legacy.root / "b.json", r)
    legacy.text("docs/old.md", OLD.replace("transcoder gate: ✅", "transcoder gate: passing"))
    r2 = audit_paths([legacy.root / "docs"], AuditOptions(repo=legacy.root))
    apply_baseline(r2, load_baseline(legacy.root / "b.json"))
    assert [f.claim for f in r2.errors] == ["transcoder gate: passing"]


def test_a_second_identical_finding_is_new(legacy: Repo) -> None:
    r = audit_paths([legacy.root / "docs"], AuditOptions(repo=legacy.root))
    write_baseline(legacy.root / "b.json", r)
    legacy.text("docs/old.md", OLD + "- transcoder gate: ✅\n")
    r2 = audit_paths([legacy.root / "docs"], AuditOptions(repo=legacy.root))
    apply_baseline(r2, load_baseline(legacy.root / "b.json"))
    assert [(f.claim, f.line) for f in r2.errors] == [("transcoder gate: ✅", 5)]


def test_release_verdict_contradiction_needs_a_reason_in_the_baseline(repo: Repo) -> None:
    repo.decision({"transcoder": "fail"})
    repo.text("docs/r.md", "## R\n\nRelease gate: PASS\n")
    path = repo.root / "b.json"

    def run() -> AuditResult:
        r = audit_paths([repo.root / "docs"], AuditOptions(repo=repo.root))
        apply_baseline(r, load_baseline(path))
        return r

    write_baseline(path, audit_paths([repo.root / "docs"], AuditOptions(repo=repo.root)))
    doc = json.loads(path.read_text())
    assert doc["findings"][0]["reason"] == ""  # left for a person to fill in
    r = run()
    assert not r.success and "needs a reason" in r.errors[0].message
    doc["findings"][0]["reason"] = "archived 2025 report; superseded by docs/current.md"
    path.write_text(json.dumps(doc))
    assert run().success
    # rewriting the baseline keeps the reason
    write_baseline(path, audit_paths([repo.root / "docs"], AuditOptions(repo=repo.root)),
                   load_baseline(path))
    assert json.loads(path.read_text())["findings"][0]["reason"].startswith("archived")


def test_baseline_is_written_atomically_with_the_users_umask(legacy: Repo) -> None:
    old = os.umask(0o027)
    try:
        assert cli(legacy, "--baseline", str(legacy.root / "b.json"), "--update-baseline") == 0
    finally:
        os.umask(old)
    mode = stat.S_IMODE(os.stat(legacy.root / "b.json").st_mode)
    assert mode == 0o640
    assert [p.name for p in legacy.root.iterdir() if p.name.startswith(".b.json")] == []


@pytest.mark.parametrize(("content", "why"), [
    ("not json", "not a JSON baseline"),
    ('{"format": "x"}', "/format"),
    ('{"format": "releasegate-audit-baseline", "version": 9, "findings": []}', "/version"),
    ('{"format": "releasegate-audit-baseline", "version": 1, "findings": [{}]}',
     "/findings/0"),
])
def test_malformed_baseline_is_a_usage_error(legacy: Repo, content: str, why: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (legacy.root / "b.json").write_text(content)
    with pytest.raises(BaselineError, match=why):
        load_baseline(legacy.root / "b.json")
    assert cli(legacy, "--baseline", str(legacy.root / "b.json")) == 2
    assert why in capsys.readouterr().err


def test_update_baseline_needs_a_file(legacy: Repo) -> None:
    assert cli(legacy, "--update-baseline") == 2


# --- ignore comments -------------------------------------------------------------------------

def test_ignore_silences_the_next_claim_with_its_reason(legacy: Repo) -> None:
    legacy.text("docs/old.md", """\
## Old results

<!-- releasegate: ignore[contradicts-gate] quoted from the 2024 paper, not our run -->
- transcoder gate: ✅
- OOD gate: ❌
""")
    r = audit_paths([legacy.root / "docs"], AuditOptions(repo=legacy.root))
    assert [(f.claim, f.verdict, f.suppressed) for f in r.findings] == [
        ("transcoder gate: ✅", "contradicts-gate",
         "ignored: quoted from the 2024 paper, not our run"),
        ("OOD gate: ❌", "contradicts-gate", None)]  # only one claim is silenced
    assert r.suppressed_counts() == {"baselined": 0, "ignored": 1}
    assert "(1 ignored: not counted)" in r.summary_line()


def test_inline_ignore_applies_to_the_claim_after_it(legacy: Repo) -> None:
    legacy.text("docs/old.md", "## R\n\nbudget 0.05 <!-- releasegate: ignore[unbacked] a "
                               "planning figure --> and 0.07\n")
    r = audit_paths([legacy.root / "docs"], AuditOptions(repo=legacy.root))
    assert [(f.claim, f.suppressed) for f in r.findings] == [
        ("0.05", None), ("0.07", "ignored: a planning figure")]


def test_ignore_without_a_reason_is_refused(legacy: Repo,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    legacy.text("docs/old.md", "## R\n\n<!-- releasegate: ignore[contradicts-gate] -->\n"
                               "- transcoder gate: ✅\n")
    r = audit_paths([legacy.root / "docs"], AuditOptions(repo=legacy.root))
    assert [f.suppressed for f in r.findings] == [None]
    assert r.exit_code() == 2 and "without a reason" in r.file_errors[0].message
    assert r.file_errors[0].line == 3
    assert cli(legacy) == 2


def test_ignore_inside_a_code_block_is_documentation_not_a_directive(legacy: Repo) -> None:
    legacy.text("docs/old.md", "## R\n\n```\n<!-- releasegate: ignore[kind] reason -->\n```\n")
    r = audit_paths([legacy.root / "docs"], AuditOptions(repo=legacy.root))
    assert r.file_errors == [] and r.findings == []


@pytest.mark.parametrize(("comment", "expected"), [
    ("<!-- releasegate: ignore[mismatch] copied from the paper -->",
     ("mismatch", "copied from the paper")),
    ("<!--releasegate:ignore[STATUS]   old run-->", ("status", "old run")),
    ("<!-- a normal comment -->", None),
    ("<!-- releasegate: ignore[mismatch] -->", "without a reason"),
    ("<!-- releasegate: ignore[mismach] typo -->", "did you mean 'mismatch'"),
    ("<!-- releasegate: skip -->", "must read"),
])
def test_directive_parsing(comment: str, expected: object) -> None:
    got = parse_directive(comment)
    if isinstance(expected, str):
        assert isinstance(got, str) and expected in got
    else:
        assert got == expected


# --- red team 11: invisible reasons, ignores that reached too far, one claim per sentence ----

# every Unicode whitespace, format and control character is no reason
INVISIBLE = ["\u200b", "\u00a0", "\u2028", "\u2029", "\ufeff", "\u00ad", "\u200d\u2060",
             "\u3000\u202f", "\x07"]


@pytest.mark.parametrize("reason", INVISIBLE)
def test_invisible_reason_in_an_ignore_comment_is_refused(repo: Repo, reason: str) -> None:
    repo.decision({"transcoder": "fail"})
    repo.text("docs/r.md", f"# R\n\n<!-- releasegate: ignore[contradicts-gate] {reason} -->\n"
                           "Release gate: PASS\n")
    r = audit_paths([repo.root / "docs"], AuditOptions(repo=repo.root))
    assert [f.suppressed for f in r.findings] == [None]
    assert r.exit_code() == 2 and "without a reason" in r.file_errors[0].message


@pytest.mark.parametrize("reason", INVISIBLE)
def test_invisible_reason_in_the_baseline_does_not_silence_the_release_verdict(
        repo: Repo, reason: str) -> None:
    repo.decision({"transcoder": "fail"})
    repo.text("docs/r.md", "## R\n\nRelease gate: PASS\n")
    path = repo.root / "b.json"
    write_baseline(path, audit_paths([repo.root / "docs"], AuditOptions(repo=repo.root)))
    doc = json.loads(path.read_text())
    doc["findings"][0]["reason"] = reason
    path.write_text(json.dumps(doc))
    r = audit_paths([repo.root / "docs"], AuditOptions(repo=repo.root))
    apply_baseline(r, load_baseline(path))
    assert not r.success and "needs a reason" in r.errors[0].message


def ignored(repo: Repo, md: str) -> list[tuple[str, str | None]]:
    r = audit_paths([repo.text("docs/r.md", md)], AuditOptions(repo=repo.root))
    return [(f.claim, f.suppressed) for f in r.findings if f.kind == "status"]


def test_ignore_above_a_sentence_without_a_finding_silences_nothing_further_down(
        legacy: Repo) -> None:
    md = ("# R\n\n<!-- releasegate: ignore[contradicts-gate] quoted from the 2024 paper -->\n"
          'We quote: "the transcoder gate passes" in 2024.\n\nMore text.\n\n## Later\n\n'
          "stuff\n\n## Much later\n\nRelease gate: PASS\n")
    assert ignored(legacy, md) == [("Release gate: PASS", None)]


@pytest.mark.parametrize("md", [
    "# R\n\n<!-- releasegate: ignore[contradicts-gate] quoting 2024 -->\n\n## Next\n\n"
    "Release gate: PASS\n",  # never past a heading
    "# R\n\n<!-- releasegate: ignore[contradicts-gate] quoting 2024 -->\n\n\nRelease gate: "
    "PASS\n",  # more than one blank line: not the block right below
    "# R\n\nIntro.\n\n<!-- releasegate: ignore[contradicts-gate] quoting 2024 -->\n"
    + "line.\n" * 6 + "Release gate: PASS\n",  # more than a few lines below
    "# R\n\n<details><!-- releasegate: ignore[contradicts-gate] x --></details>\n\n"
    "Release gate: PASS\n",  # after text on its line: that line only
])
def test_ignore_reaches_only_the_block_right_below(legacy: Repo, md: str) -> None:
    assert ignored(legacy, md) == [("Release gate: PASS", None)]


@pytest.mark.parametrize("md", [
    "# R\n\n<!-- releasegate: ignore[contradicts-gate] quoting 2024 -->\nRelease gate: PASS\n",
    "# R\n\n<!-- releasegate: ignore[contradicts-gate] quoting 2024 -->\n\nRelease gate: PASS\n",
    "# R\n\n<!-- releasegate: ignore[contradicts-gate]\n     quoting 2024 -->\nRelease gate: "
    "PASS\n",
    # the same line, after the claim ("same line or below")
    "# R\n\nRelease gate: PASS <!-- releasegate: ignore[contradicts-gate] quoting 2024 -->\n",
])
def test_ignore_on_the_same_line_or_the_block_below(legacy: Repo, md: str) -> None:
    assert ignored(legacy, md) == [("Release gate: PASS", "ignored: quoting 2024")]


def test_one_ignore_silences_one_sentence_of_a_paragraph(legacy: Repo) -> None:
    md = ("# R\n\n<!-- releasegate: ignore[contradicts-gate] first sentence quotes the 2024 "
          "paper -->\nIn 2024 the release gate passed. Today all gates pass.\n")
    assert ignored(legacy, md) == [
        ("release gate passed", "ignored: first sentence quotes the 2024 paper"),
        ("all gates pass", None)]


_INVISIBLE_CHARS = st.characters(categories=("Zs", "Zl", "Zp", "Cf", "Cc"),
                                 exclude_characters="\n\r-<>")


@settings(max_examples=60, deadline=None)
@given(st.text(_INVISIBLE_CHARS, min_size=1, max_size=6))
def test_a_reason_of_invisible_characters_only_is_no_reason(reason: str) -> None:
    got = parse_directive(f"<!-- releasegate: ignore[contradicts-gate] {reason} -->")
    assert isinstance(got, str) and "without a reason" in got


@settings(max_examples=60, deadline=None)
@given(st.text(_INVISIBLE_CHARS, max_size=3), st.sampled_from("aZ7é(."),
       st.text(_INVISIBLE_CHARS, max_size=3))
def test_one_visible_character_is_a_reason(pre: str, ch: str, post: str) -> None:
    got = parse_directive(f"<!-- releasegate: ignore[status] {pre}{ch}{post} -->")
    assert isinstance(got, tuple) and got[0] == "status"

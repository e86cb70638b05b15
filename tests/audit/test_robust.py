"""Hostile inputs: each gives a clear per-file error or a normal audit, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.audit.conftest import Repo, only

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hostile(repo: Repo) -> Repo:
    repo.json("ev/a.json", {"v": 0.5123})
    repo.text("good.md", "## R\n\n`ev/a.json` gives 0.5123\n")
    # a 10 MB line is refused clearly; a 1 MB line of prose (a number every kB) is audited
    filler = "lorem ipsum dolor sit amet, " * 36
    (repo.root / "huge.md").write_text("## L\n\n`ev/a.json` " + (filler + "0.5123 ") * 10_000
                                       + "\n")
    (repo.root / "long.md").write_text("## L\n\n`ev/a.json` " + (filler + "0.5123 ") * 1_000
                                       + "\n")
    (repo.root / "wide.md").write_text("## W\n\n" + "x" * 2_000_000 + "\n")
    (repo.root / "digits.md").write_text("1" * 1_000_000 + "\n")
    (repo.root / "quotes.md").write_text(">" * 10_000 + " 0.5123\n")
    (repo.root / "lists.md").write_text("".join("  " * i + "- x 1.5\n" for i in range(2000)))
    (repo.root / "brackets.md").write_text("[" * 10_000 + "0.5" + "](" * 10_000 + "\n")
    (repo.root / "binary.md").write_bytes(bytes(range(256)) * 10)
    (repo.root / "badutf8.md").write_bytes(b"## ok\n\ncaf\xc3\x28 0.5\n")
    deep = "[" * 10_000 + "1" + "]" * 10_000
    (repo.root / "ev").mkdir(exist_ok=True)
    (repo.root / "ev" / "deep.json").write_text(deep)
    repo.text("deepcite.md", "## D\n\n`ev/deep.json` holds 1.5\n")
    return repo


def test_hostile_reports_do_not_stop_the_audit(hostile: Repo) -> None:
    r = hostile.audit()
    errs = {e.file: e.message for e in r.file_errors}
    # nested 10,000 and 2,000 levels deep: once read as far as markdown-it-py's nesting limit
    # and the rest dropped unread (a false claim past it passed: red team 13), now refused
    assert set(errs) == {"binary.md", "badutf8.md", "huge.md", "wide.md", "quotes.md",
                         "lists.md"}
    assert "more than 100 levels deep" in errs["quotes.md"] == errs["lists.md"]
    assert errs["huge.md"] == "file is 10,150,019 bytes, over the 8,388,608-byte limit"
    assert errs["wide.md"] == ("line 3 is 2,000,000 characters long (limit 1,048,576): not a "
                               "hand-written report")
    assert "binary" in errs["binary.md"] and "invalid UTF-8" in errs["badutf8.md"]
    assert "line 3" in errs["badutf8.md"]
    good = [f for f in r.findings if f.file == "good.md"]
    assert [(f.claim, f.verdict) for f in good] == [("ev/a.json", "verified"),
                                                    ("0.5123", "verified")]
    longs = [f for f in r.findings if f.file == "long.md" and f.kind == "number"]
    assert len(longs) == 1_000 and {f.verdict for f in longs} == {"verified"}
    # a million-digit number is not a measurement
    assert [s.rule for s in r.skipped if s.file == "digits.md"] == [
        "too long to be a measurement"]
    deep = only(r, "ev/deep.json")
    assert deep.verdict == "missing-artifact" and "nested too deeply" in deep.message
    assert r.exit_code() == 2


def test_hostile_inputs_through_the_cli(hostile: Repo) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "releasegate.cli.main", "audit", "--format", "json"],
        cwd=hostile.root, capture_output=True, text=True, timeout=300,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    doc = json.loads(out.stdout)
    assert {e["file"] for e in doc["file_errors"]} == {"quotes.md", "lists.md", "binary.md",
                                                        "badutf8.md", "huge.md", "wide.md"}


def test_report_named_but_a_directory_of_nothing(repo: Repo) -> None:
    (repo.root / "empty").mkdir()
    from releasegate.cli.main import main

    assert main(["audit", str(repo.root / "empty"), "--repo", str(repo.root)]) == 2


def test_symlink_loop_is_missing_not_a_hang(repo: Repo) -> None:
    import os

    os.symlink(repo.root / "loop_b", repo.root / "loop_a")
    os.symlink(repo.root / "loop_a", repo.root / "loop_b")
    repo.text("r.md", "## R\n\n`loop_a.json` and [x](loop_a)\n")
    r = repo.audit("r.md")
    assert {f.verdict for f in r.findings} == {"missing-artifact"}


def test_a_data_file_named_as_a_report_is_refused_clearly(repo: Repo) -> None:
    (repo.root / "data.md").write_text("## D\n\n" + "0.5 " * 120_000 + "\n")
    repo.text("ok.md", "## R\n\nnothing to see\n")
    r = repo.audit()
    assert [(e.file, "limit 100,000" in e.message) for e in r.file_errors] == [("data.md", True)]
    assert r.files_audited == ["ok.md"]

"""An output path the file system refuses is the user's input, not a releasegate bug: every
command says ``releasegate: error: cannot write PATH: reason`` and exits 2 (red-team finding:
it was "internal error … This is a bug", exit 3)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _helpers import REPO

from releasegate.cli._exit import os_error_path
from releasegate.cli.main import main

EVIDENCE = str(REPO / "examples" / "evidence")


@pytest.fixture
def blocker(tmp_path: Path) -> Path:
    """A regular file: nothing can be written below it (portable, unlike /proc)."""
    f = tmp_path / "a-file"
    f.write_text("x\n")
    return f


@pytest.fixture
def decision(tmp_path: Path) -> Path:
    out = tmp_path / "decision.json"
    assert main(["check", "--evidence", EVIDENCE, "--out", str(out), "--format", "json"]) == 0
    return out


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str], path: Path) -> str:
    capsys.readouterr()
    rc = main(argv)
    err = capsys.readouterr().err
    assert rc == 2, err
    assert "internal error" not in err and "bug" not in err and "Traceback" not in err, err
    line = err.strip().splitlines()[-1]
    assert line.startswith(f"releasegate: error: cannot write {path}"), err
    return line


def test_check_out_below_a_file(blocker: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _refused(["check", "--evidence", EVIDENCE, "--out", str(blocker / "d.json")], capsys,
             blocker)


def test_check_out_is_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _refused(["check", "--evidence", EVIDENCE, "--out", str(tmp_path)], capsys, tmp_path)
    assert line.endswith("Is a directory")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no partial file


def test_report_out_below_a_file(blocker: Path, decision: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    _refused(["report", "--decision", str(decision), "--out", str(blocker / "site")], capsys,
             blocker)


def test_render_out_below_a_file(blocker: Path, decision: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "t.md.j2"
    template.write_text("# {{ 1 + 1 }}\n")
    line = _refused(["render", str(template), "--repo", str(tmp_path), "--decision",
                     str(decision), "--out", str(blocker / "r.md")], capsys, blocker)
    assert "a file is in the way of a directory" in line


def test_audit_baseline_below_a_file(blocker: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.md"
    report.write_text("# R\n\nThe loss fell to 0.1234.\n")
    _refused(["audit", str(report), "--repo", str(tmp_path), "--no-decision", "--baseline",
              str(blocker / "b.json"), "--update-baseline"], capsys, blocker)


def test_a_failed_read_says_read_and_a_non_path_error_stays_a_bug(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    try:
        missing.read_text()
    except OSError as e:
        assert os_error_path(e) == f"cannot read {missing}: No such file or directory"
    else:
        raise AssertionError("read_text of a missing file did not fail")
    try:
        os.close(os.open(os.devnull, os.O_RDONLY))
        os.fstat(2**20)  # a bad file descriptor: an OSError without a path
    except OSError as e:
        assert os_error_path(e) is None
    assert os_error_path(ValueError("x")) is None

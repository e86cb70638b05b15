"""`releasegate ci --render TEMPLATE:REPORT` (issue 12): a committed report that drifted from
its template and evidence fails the CI gate with an annotation on the report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from _render_helpers import REPO

from releasegate.cli.main import main


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    proj = tmp_path / "project"
    shutil.copytree(REPO / "examples" / "evidence", proj / "evidence")
    shutil.copy2(REPO / "examples" / "report.md.j2", proj / "report.md.j2")
    monkeypatch.chdir(proj)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("GITHUB_OUTPUT", raising=False)
    assert main(["check", "--evidence", "evidence", "--out", "decision.json"]) == 0
    assert main(["render", "report.md.j2", "--out", "report.md"]) == 0
    return proj


def test_ci_passes_an_up_to_date_report(project: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["ci", "--evidence", "evidence", "--render", "report.md.j2:report.md"]) == 0
    assert "render: report.md is up to date with report.md.j2" in capsys.readouterr().out


def test_ci_fails_a_hand_edited_report(project: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    report = project / "report.md"
    report.write_text(report.read_text(encoding="utf-8").replace(
        "# Example release report", "# Example release report (edited)"), encoding="utf-8")
    capsys.readouterr()
    assert main(["ci", "--evidence", "evidence", "--render", "report.md.j2:report.md"]) == 1
    out = capsys.readouterr().out
    assert "::error file=report.md" in out and "report out of date" in out
    assert "-# Example release report (edited)" in out  # the diff is in the job summary


def test_ci_render_spec_needs_both_parts(project: Path) -> None:
    assert main(["ci", "--evidence", "evidence", "--render", "report.md"]) == 2

"""Issue 10 §5: every file the project writes gets the permissions the umask gives (0644 under
umask 022), written atomically: decisions, evidence, HTML reports and their plots, ingested
and selected evidence."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from _helpers import REPO

from releasegate.cli.main import main


@pytest.fixture(params=[0o022, 0o077])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def _modes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mode & 0o777
            for p in root.rglob("*") if p.is_file()}


def test_decision_report_and_evidence_keep_the_umask(tmp_path: Path, umask: int) -> None:
    expected = 0o666 & ~umask
    out = tmp_path / "site"
    assert main(["check", "--evidence", str(REPO / "examples" / "evidence"), "--out",
                 str(out / "decision.json"), "--now", "2026-11-26T00:00:00Z"]) == 0
    assert main(["report", "--decision", str(out / "decision.json"), "--out",
                 str(out / "html")]) == 0
    from _helpers import build_passing

    build_passing(tmp_path / "ev")  # evidence through write_evidence
    modes = {**_modes(out), **{f"ev/{k}": v for k, v in _modes(tmp_path / "ev").items()}}
    assert "decision.json" in modes and "html/index.html" in modes
    assert any(k.startswith("ev/") for k in modes)
    wrong = {k: oct(v) for k, v in modes.items() if v != expected}
    assert not wrong, (oct(expected), wrong)
    assert not [k for k in modes if Path(k).name.startswith(".")]  # no temporary left behind

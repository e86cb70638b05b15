"""`validate` and `check` of a folder a sweep wrote: condition.json, sweep-status.json, sae-lens
cfg.json are skipped and counted, never invalid evidence (issue 10 §4). Slow: it uses the
session's real local sweep (tests/sweeps/conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from releasegate.cli.main import main

pytestmark = pytest.mark.slow


def test_validate_and_check_of_a_sweep_output_folder(
        local_sweep: tuple[Any, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, out = local_sweep
    names = {p.name for p in out.rglob("*.json")}
    assert {"condition.json", "sweep-status.json"} <= names
    assert main(["validate", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2].endswith("file(s) checked, 0 invalid")
    assert lines[-1].endswith("non-evidence JSON file(s) skipped")

    rc = main(["check", "--evidence", str(out), "--format", "json"])
    captured = capsys.readouterr()
    decision = json.loads(captured.out)
    assert rc in (0, 1)  # a tiny sweep need not pass the release policy; it must be read
    assert decision["unreadable"] == []
    assert not [g for g in decision["gates"] if "unusable evidence" in g["reason"]]
    assert any(line.endswith("non-evidence JSON file(s) skipped")
               for line in captured.err.splitlines())

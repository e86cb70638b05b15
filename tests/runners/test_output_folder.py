"""`validate` and `check` of a folder the runners wrote: its sae-lens cfg.json and cached
evaluations are skipped and counted, never invalid evidence (issue 10 §4). Slow: it uses the
session's real tiny runs (tests/runners/conftest.py)."""

from __future__ import annotations

import json

import pytest

from releasegate.cli.main import main

from .conftest import Trained

pytestmark = pytest.mark.slow


def test_validate_and_check_of_a_runner_output_folder(
        trained: Trained, capsys: pytest.CaptureFixture[str]) -> None:
    out = trained.out
    stray = [p for p in out.rglob("*.json") if p.name == "cfg.json"]
    assert stray, "the runners write sae-lens cfg.json next to the evidence"
    assert main(["validate", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2].endswith("file(s) checked, 0 invalid")
    assert lines[-1].endswith("non-evidence JSON file(s) skipped")
    assert int(lines[-1].split()[0]) >= len(stray)

    rc = main(["check", "--evidence", str(out), "--format", "json"])
    captured = capsys.readouterr()
    decision = json.loads(captured.out)
    assert rc in (0, 1)  # the tiny runs need not pass the release policy; they must be read
    assert decision["unreadable"] == []
    assert not [g for g in decision["gates"] if "unusable evidence" in g["reason"]]
    assert any(line.endswith("non-evidence JSON file(s) skipped")
               for line in captured.err.splitlines())

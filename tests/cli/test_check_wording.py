"""What ``check`` says about the evidence path and the policy (red-team review): the error names
the evidence path (no stray ``<policy>`` label), a file is "not a directory", and the shipped
policy is printed as ``shipped: /absolute/path``, never as a ``../../..`` chain."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _helpers import POLICY, REPO

from releasegate.cli.main import main

EVIDENCE = REPO / "examples" / "evidence"


def _err(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    return capsys.readouterr().err.strip()


def test_a_missing_evidence_directory_is_named(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nonexistent"
    err = _err(["check", "--evidence", str(missing)], capsys)
    assert err == f"releasegate: error: {missing}: evidence directory not found"


def test_an_evidence_file_is_not_a_directory(capsys: pytest.CaptureFixture[str]) -> None:
    path = EVIDENCE / "ood_stress.json"
    err = _err(["check", "--evidence", str(path)], capsys)
    assert err == f"releasegate: error: {path}: not a directory"


def test_the_shipped_policy_is_named_absolutely(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)  # far from the installed policy: relpath would climb
    assert main(["check", "--evidence", str(EVIDENCE)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert f"(shipped: {POLICY.resolve()}, sha256 " in first, first
    assert "../" not in first
    assert main(["check", "--evidence", str(EVIDENCE), "--format", "markdown"]) == 0
    assert f"shipped: {POLICY.resolve()}" in capsys.readouterr().out


def test_a_policy_outside_the_working_directory_is_absolute(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "mine" / "p.yaml"
    mine.parent.mkdir()
    text = POLICY.read_text(encoding="utf-8").replace("name: husai-release\n", "name: mine\n", 1)
    mine.write_text(text, encoding="utf-8")
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    assert main(["check", "--policy", str(mine), "--evidence", str(EVIDENCE)]) == 0
    assert re.match(rf"policy mine v\S+ \({re.escape(str(mine.resolve()))}, sha256 ",
                    capsys.readouterr().out)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--policy", "mine/p.yaml", "--evidence", str(EVIDENCE)]) == 0
    assert re.match(r"policy mine v\S+ \(mine/p\.yaml, sha256 ", capsys.readouterr().out)

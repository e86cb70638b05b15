"""Entry points of the application layer (issue 9): `python -m releasegate`, every subcommand's
help from outside the checkout, and no `python -m audit` left behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from releasegate.cli.main import COMMANDS


def _py(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False)


def test_python_m_releasegate_lists_every_subcommand(tmp_path: Path) -> None:
    proc = _py("-m", "releasegate", "--help", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in COMMANDS:
        assert f"    {name}" in proc.stdout, name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_subcommand_has_working_help(name: str, tmp_path: Path) -> None:
    proc = _py("-m", "releasegate", name, "--help", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"usage: releasegate {name}")
    assert "Traceback" not in proc.stderr


def test_ci_is_a_subcommand_not_a_script() -> None:
    assert COMMANDS["ci"][0] == "releasegate.cli.commands.ci"


def test_python_m_audit_is_gone(tmp_path: Path) -> None:
    proc = _py("-m", "audit", "--help", cwd=tmp_path)
    assert proc.returncode != 0
    assert "audit.__main__" in proc.stderr or "cannot be directly executed" in proc.stderr

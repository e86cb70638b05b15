"""Fixtures for the CI/pre-commit/GX/report integration tests (issue 5)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from integrations._integ_helpers import REPO


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """Writable copies of examples/evidence (passes) and examples/failing (external fails)."""
    for name in ("evidence", "failing"):
        shutil.copytree(REPO / "examples" / name, tmp_path / name)
    return tmp_path

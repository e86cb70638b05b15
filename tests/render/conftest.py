"""Fixtures for the render tests: a throwaway repository holding a copy of the shipped examples
and a decision that `releasegate check` wrote for them (no training, no network)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from _render_helpers import build_example_repo


@pytest.fixture(scope="session")
def example_repo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example_repo(tmp_path_factory.mktemp("render-example"))


@pytest.fixture
def example_repo(example_repo_template: Path, tmp_path: Path) -> Path:
    """A fresh writable copy (tests edit reports and evidence in it)."""
    dest = tmp_path / "repo"
    shutil.copytree(example_repo_template, dest)
    return dest

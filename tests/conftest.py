from __future__ import annotations

from pathlib import Path

import pytest
from _helpers import build_passing


@pytest.fixture(scope="session")
def passing_set_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_passing(tmp_path_factory.mktemp("template") / "evidence")


@pytest.fixture
def evidence_dir(passing_set_template: Path, tmp_path: Path) -> Path:
    """A fresh, writable copy of a complete passing evidence set."""
    import shutil

    dest = tmp_path / "evidence"
    shutil.copytree(passing_set_template, dest)
    return dest

"""Fixtures for the external-benchmark tests (builders live in results_factory.py)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from external.results_factory import Writer


@pytest.fixture
def write(tmp_path: Path) -> Writer:
    """Write a dict as JSON (or a str verbatim) under tmp_path/results; return the path."""

    def _write(name: str, doc: Any) -> Path:
        p = tmp_path / "results" / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(doc if isinstance(doc, str) else json.dumps(copy.deepcopy(doc), indent=2))
        return p

    return _write

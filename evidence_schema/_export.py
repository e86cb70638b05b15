"""JSON Schema (draft 2020-12) export from the pydantic models: the models are the one source."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from ._atomic import write_atomic
from ._common import SCHEMA_VERSION
from ._registry import MODEL_BY_KIND

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = Path(__file__).parent / "schemas"


def schema_filename(kind: str) -> str:
    return f"{kind}.schema.json"


def build_schema(kind: str) -> dict[str, Any]:
    schema = MODEL_BY_KIND[kind].model_json_schema(mode="validation")
    return {
        "$schema": DRAFT,
        "$id": f"https://releasegate.invalid/schemas/{kind}/{SCHEMA_VERSION}.json",
        **schema,
    }


def render_schema(kind: str) -> bytes:
    return (json.dumps(build_schema(kind), indent=2, sort_keys=True) + "\n").encode()


def export_schemas(out_dir: Path = SCHEMA_DIR) -> list[Path]:
    """Write one schema file per kind; returns the paths written."""
    written = []
    for kind in MODEL_BY_KIND:
        path = out_dir / schema_filename(kind)
        write_atomic(path, render_schema(kind))
        written.append(path)
    return written


def drifted_schemas(out_dir: Path = SCHEMA_DIR) -> list[str]:
    """Kinds whose committed schema differs from the one the models produce now."""
    drift = []
    for kind in MODEL_BY_KIND:
        path = out_dir / schema_filename(kind)
        if not path.is_file() or path.read_bytes() != render_schema(kind):
            drift.append(kind)
    return drift


@cache
def committed_schema(kind: str) -> dict[str, Any]:
    """The committed (shipped) JSON Schema of ``kind``, read from ``SCHEMA_DIR``.

    A plain path beside the package, not ``importlib.resources``: the schemas ship inside the
    package directory, and the resources machinery (zipfile, readers) cost ~2 ms of every
    ``validate`` start (issue 13).
    """
    path = SCHEMA_DIR / schema_filename(kind)
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded

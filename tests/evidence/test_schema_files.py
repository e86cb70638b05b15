from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator

from evidence_schema import KINDS, drifted_schemas, export_schemas
from evidence_schema._export import SCHEMA_DIR, schema_filename


def test_committed_schemas_match_models() -> None:
    # Fails when a model changes without `releasegate schema export`.
    assert drifted_schemas() == []


def test_export_is_deterministic_and_drift_detected(tmp_path: Path) -> None:
    export_schemas(tmp_path)
    for kind in KINDS:
        assert (tmp_path / schema_filename(kind)).read_bytes() == (
            SCHEMA_DIR / schema_filename(kind)).read_bytes()
    (tmp_path / schema_filename("sae_run")).write_text("{}")
    assert drifted_schemas(tmp_path) == ["sae_run"]


def test_schemas_are_valid_draft_2020_12() -> None:
    for kind in KINDS:
        schema = json.loads((SCHEMA_DIR / schema_filename(kind)).read_text())
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)
        assert schema["additionalProperties"] is False

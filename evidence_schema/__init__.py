"""Evidence: strict pydantic models, their exported JSON Schemas, and validation.

Importing this package is cheap: no torch, sae-lens, great-expectations or pandas.
"""

import importlib
import json
import os
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ._atomic import (
    canonical_json,
    config_sha256,
    sha256_bytes,
    sha256_file,
    write_atomic,
    write_json_atomic,
)
from ._common import (
    SCHEMA_VERSION,
    InputRef,
    LibraryVersions,
    Producer,
    Provenance,
    Sample,
    now_utc,
)
from ._content_hash import content_sha256
from ._errors import EvidenceError, StrictJSONError
from ._export import drifted_schemas, export_schemas
from ._kinds import (
    AxisAggregate,
    BenchmarkRef,
    ConsistencyEvidence,
    ConsistencyMetrics,
    ConsistencyObjectiveArm,
    ConsistencyObjectiveEvidence,
    ConsistencyObjectiveMetrics,
    ControlArm,
    DecisionEvidence,
    DecisionProvenance,
    EvidenceUse,
    ExternalBenchmarkEvidence,
    ExternalBenchmarkMetrics,
    ExternalScore,
    ExternalSelectionEvidence,
    ExternalSelectionMetrics,
    FrontierObjective,
    FrontierRow,
    GateResult,
    GateStatus,
    LmTrainingEvidence,
    LmTrainingMetrics,
    LossPoint,
    OodArm,
    OodStressEvidence,
    OodStressMetrics,
    PolicyRef,
    RandomModelControlEvidence,
    RandomModelControlMetrics,
    SaeRunEvidence,
    SaeRunMetrics,
    SelectionRow,
    StressArm,
    SweepAggregateEvidence,
    SweepAggregateMetrics,
    SweepEvidence,
    SweepFrontier,
    SweepMetrics,
    SweepRow,
    TranscoderStressEvidence,
    TranscoderStressMetrics,
    Verdict,
    WaiverRef,
)
from ._pointer import POINTER_MISSING, resolve_pointer
from ._registry import KINDS, MODEL_BY_KIND, model_for
from ._sparsity import L0_MATCH_TOLERANCE, SparsityMatch, relative_l0_difference, sparsity_match
from ._strict_json import load_strict_bytes, loads_strict, pointer_lines
from ._validate import (
    FileResult,
    Problem,
    ValidationReport,
    gc_paused,
    iter_json_files,
    validate_bytes,
    validate_document,
    validate_file,
    validate_paths,
)

if TYPE_CHECKING:
    from ._provenance import git_state, library_versions, make_provenance, repository_state
    from ._yaml_safe import (
        YAMLDocument,
        YAMLLoadError,
        load_yaml_bytes,
        load_yaml_file,
        yaml11_float,
        yaml11_note,
    )

# Imported on first use (PEP 562), not with the package: PyYAML and the provenance helpers
# (subprocess, importlib.metadata) cost ~40 ms that `validate` never needs (issue 13).
_LAZY = {
    **dict.fromkeys(
        ("git_state", "library_versions", "make_provenance", "repository_state"), "_provenance"),
    **dict.fromkeys(("YAMLDocument", "YAMLLoadError", "load_yaml_bytes", "load_yaml_file",
                     "yaml11_float", "yaml11_note"), "_yaml_safe"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def write_evidence(path: str | os.PathLike[str], evidence: BaseModel) -> str:
    """Validate ``evidence`` (a model) against its kind and write it atomically; return sha256."""
    doc = json.loads(evidence.model_dump_json())
    checked = validate_document(doc, str(path))
    if not checked.ok:
        raise EvidenceError("; ".join(str(p) for p in checked.problems), path=str(path))
    return write_json_atomic(path, doc)


__all__ = [
    "KINDS",
    "L0_MATCH_TOLERANCE",
    "MODEL_BY_KIND",
    "POINTER_MISSING",
    "SCHEMA_VERSION",
    "AxisAggregate",
    "BenchmarkRef",
    "ConsistencyEvidence",
    "ConsistencyMetrics",
    "ConsistencyObjectiveArm",
    "ConsistencyObjectiveEvidence",
    "ConsistencyObjectiveMetrics",
    "ControlArm",
    "DecisionEvidence",
    "DecisionProvenance",
    "EvidenceError",
    "EvidenceUse",
    "ExternalBenchmarkEvidence",
    "ExternalBenchmarkMetrics",
    "ExternalScore",
    "ExternalSelectionEvidence",
    "ExternalSelectionMetrics",
    "FileResult",
    "FrontierObjective",
    "FrontierRow",
    "GateResult",
    "GateStatus",
    "InputRef",
    "LibraryVersions",
    "LmTrainingEvidence",
    "LmTrainingMetrics",
    "LossPoint",
    "OodArm",
    "OodStressEvidence",
    "OodStressMetrics",
    "PolicyRef",
    "Problem",
    "Producer",
    "Provenance",
    "RandomModelControlEvidence",
    "RandomModelControlMetrics",
    "SaeRunEvidence",
    "SaeRunMetrics",
    "Sample",
    "SelectionRow",
    "SparsityMatch",
    "StressArm",
    "StrictJSONError",
    "SweepAggregateEvidence",
    "SweepAggregateMetrics",
    "SweepEvidence",
    "SweepFrontier",
    "SweepMetrics",
    "SweepRow",
    "TranscoderStressEvidence",
    "TranscoderStressMetrics",
    "ValidationReport",
    "Verdict",
    "WaiverRef",
    "YAMLDocument",
    "YAMLLoadError",
    "canonical_json",
    "config_sha256",
    "content_sha256",
    "drifted_schemas",
    "export_schemas",
    "gc_paused",
    "git_state",
    "iter_json_files",
    "library_versions",
    "load_strict_bytes",
    "load_yaml_bytes",
    "load_yaml_file",
    "loads_strict",
    "make_provenance",
    "model_for",
    "now_utc",
    "pointer_lines",
    "relative_l0_difference",
    "repository_state",
    "resolve_pointer",
    "sha256_bytes",
    "sha256_file",
    "sparsity_match",
    "validate_bytes",
    "validate_document",
    "validate_file",
    "validate_paths",
    "write_atomic",
    "write_evidence",
    "write_json_atomic",
    "yaml11_float",
    "yaml11_note",
]

"""Evidence: strict pydantic models, their exported JSON Schemas, and validation.

Importing this package is cheap: no torch, sae-lens, great-expectations or pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import os

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
    from ._models.consistency import ConsistencyEvidence, ConsistencyMetrics
    from ._models.consistency_objective import (
        ConsistencyObjectiveArm,
        ConsistencyObjectiveEvidence,
        ConsistencyObjectiveMetrics,
    )
    from ._models.decision import (
        DecisionEvidence,
        DecisionProvenance,
        EvidenceUse,
        GateResult,
        GateStatus,
        PolicyRef,
        Verdict,
        WaiverRef,
    )
    from ._models.external_benchmark import (
        BenchmarkRef,
        ExternalBenchmarkEvidence,
        ExternalBenchmarkMetrics,
    )
    from ._models.external_selection import (
        ExternalScore,
        ExternalSelectionEvidence,
        ExternalSelectionMetrics,
        SelectionRow,
    )
    from ._models.lm_training import LmTrainingEvidence, LmTrainingMetrics, LossPoint
    from ._models.ood_stress import OodArm, OodStressEvidence, OodStressMetrics
    from ._models.random_model_control import (
        ControlArm,
        RandomModelControlEvidence,
        RandomModelControlMetrics,
    )
    from ._models.sae_run import SaeRunEvidence, SaeRunMetrics
    from ._models.sweep import SweepEvidence, SweepMetrics, SweepRow
    from ._models.sweep_aggregate import (
        AxisAggregate,
        FrontierObjective,
        FrontierRow,
        SweepAggregateEvidence,
        SweepAggregateMetrics,
        SweepFrontier,
    )
    from ._models.transcoder_stress import (
        StressArm,
        TranscoderStressEvidence,
        TranscoderStressMetrics,
    )
    from ._pointer import POINTER_MISSING, resolve_pointer
    from ._provenance import git_state, library_versions, make_provenance, repository_state
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
    from ._yaml_safe import (
        YAMLDocument,
        YAMLLoadError,
        load_yaml_bytes,
        load_yaml_file,
        yaml11_float,
        yaml11_note,
    )

# Every public name is imported on first use (PEP 562), not with the package: `import
# evidence_schema` costs nothing, and `validate` of one file imports pydantic, the strict JSON
# reader and that file's kind only; not PyYAML, the provenance helpers (subprocess,
# importlib.metadata) or the other kinds' models (issue 13: eager imports cost ~0.1 s).
# name → module under this package.
_NAMES: dict[str, str] = {
    "_atomic": (
        "canonical_json config_sha256 sha256_bytes sha256_file write_atomic write_json_atomic"
    ),
    "_common": "SCHEMA_VERSION InputRef LibraryVersions Producer Provenance Sample now_utc",
    "_content_hash": "content_sha256",
    "_errors": "EvidenceError StrictJSONError",
    "_export": "drifted_schemas export_schemas",
    "_pointer": "POINTER_MISSING resolve_pointer",
    "_provenance": "git_state library_versions make_provenance repository_state",
    "_registry": "KINDS MODEL_BY_KIND model_for",
    "_sparsity": "L0_MATCH_TOLERANCE SparsityMatch relative_l0_difference sparsity_match",
    "_strict_json": "load_strict_bytes loads_strict pointer_lines",
    "_validate": (
        "FileResult Problem ValidationReport gc_paused iter_json_files validate_bytes "
        "validate_document validate_file validate_paths"
    ),
    "_yaml_safe": (
        "YAMLDocument YAMLLoadError load_yaml_bytes load_yaml_file yaml11_float yaml11_note"
    ),
    "_models.consistency": "ConsistencyEvidence ConsistencyMetrics",
    "_models.consistency_objective": (
        "ConsistencyObjectiveArm ConsistencyObjectiveEvidence ConsistencyObjectiveMetrics"
    ),
    "_models.decision": (
        "DecisionEvidence DecisionProvenance EvidenceUse GateResult GateStatus PolicyRef Verdict "
        "WaiverRef"
    ),
    "_models.external_benchmark": "BenchmarkRef ExternalBenchmarkEvidence ExternalBenchmarkMetrics",
    "_models.external_selection": (
        "ExternalScore ExternalSelectionEvidence ExternalSelectionMetrics SelectionRow"
    ),
    "_models.lm_training": "LmTrainingEvidence LmTrainingMetrics LossPoint",
    "_models.ood_stress": "OodArm OodStressEvidence OodStressMetrics",
    "_models.random_model_control": (
        "ControlArm RandomModelControlEvidence RandomModelControlMetrics"
    ),
    "_models.sae_run": "SaeRunEvidence SaeRunMetrics",
    "_models.sweep": "SweepEvidence SweepMetrics SweepRow",
    "_models.sweep_aggregate": (
        "AxisAggregate FrontierObjective FrontierRow SweepAggregateEvidence SweepAggregateMetrics "
        "SweepFrontier"
    ),
    "_models.transcoder_stress": "StressArm TranscoderStressEvidence TranscoderStressMetrics",
}
_LAZY = {name: module for module, names in _NAMES.items() for name in names.split()}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def write_evidence(path: str | os.PathLike[str], evidence: BaseModel) -> str:
    """Validate ``evidence`` (a model) against its kind and write it atomically; return sha256."""
    import json

    from ._atomic import write_json_atomic
    from ._errors import EvidenceError
    from ._validate import validate_document

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

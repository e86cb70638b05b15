"""Every evidence kind's models in one namespace: a re-export of ``evidence_schema._models``.

The models live one kind per module in ``_models/`` so that validating a file imports its own
kind only (issue 13). Importing this module imports them all; the fast paths use
``evidence_schema._registry.model_for`` or the package's lazy names instead.
"""

from __future__ import annotations

from ._models.consistency import ConsistencyEvidence, ConsistencyMetrics
from ._models.consistency_objective import (
    ConsistencyObjectiveArm,
    ConsistencyObjectiveEvidence,
    ConsistencyObjectiveMetrics,
)
from ._models.decision import (
    Comparison,
    DecisionEvidence,
    DecisionProvenance,
    DeepCheckResult,
    DeepChecks,
    EvidenceUse,
    GateResult,
    GateStatus,
    PolicyRef,
    Verdict,
    WaiverRef,
)
from ._models.decision_checks import gate_inconsistency
from ._models.envelope import (
    Architecture,
    Envelope,
    OptionalPairs,
    OptionalSamples,
    Samples,
    Scalar,
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

__all__ = [
    "Architecture",
    "AxisAggregate",
    "BenchmarkRef",
    "Comparison",
    "ConsistencyEvidence",
    "ConsistencyMetrics",
    "ConsistencyObjectiveArm",
    "ConsistencyObjectiveEvidence",
    "ConsistencyObjectiveMetrics",
    "ControlArm",
    "DecisionEvidence",
    "DecisionProvenance",
    "DeepCheckResult",
    "DeepChecks",
    "Envelope",
    "EvidenceUse",
    "ExternalBenchmarkEvidence",
    "ExternalBenchmarkMetrics",
    "ExternalScore",
    "ExternalSelectionEvidence",
    "ExternalSelectionMetrics",
    "FrontierObjective",
    "FrontierRow",
    "GateResult",
    "GateStatus",
    "LmTrainingEvidence",
    "LmTrainingMetrics",
    "LossPoint",
    "OodArm",
    "OodStressEvidence",
    "OodStressMetrics",
    "OptionalPairs",
    "OptionalSamples",
    "PolicyRef",
    "RandomModelControlEvidence",
    "RandomModelControlMetrics",
    "SaeRunEvidence",
    "SaeRunMetrics",
    "Samples",
    "Scalar",
    "SelectionRow",
    "StressArm",
    "SweepAggregateEvidence",
    "SweepAggregateMetrics",
    "SweepEvidence",
    "SweepFrontier",
    "SweepMetrics",
    "SweepRow",
    "TranscoderStressEvidence",
    "TranscoderStressMetrics",
    "Verdict",
    "WaiverRef",
    "gate_inconsistency",
]

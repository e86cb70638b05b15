"""Evidence kind name → model class. One table, so adding a kind is one line here."""

from __future__ import annotations

from pydantic import BaseModel

from ._kinds import (
    ConsistencyEvidence,
    ConsistencyObjectiveEvidence,
    DecisionEvidence,
    ExternalBenchmarkEvidence,
    ExternalSelectionEvidence,
    LmTrainingEvidence,
    OodStressEvidence,
    RandomModelControlEvidence,
    SaeRunEvidence,
    SweepAggregateEvidence,
    SweepEvidence,
    TranscoderStressEvidence,
)

MODEL_BY_KIND: dict[str, type[BaseModel]] = {
    "sae_run": SaeRunEvidence,
    "random_model_control": RandomModelControlEvidence,
    "transcoder_stress": TranscoderStressEvidence,
    "ood_stress": OodStressEvidence,
    "external_benchmark": ExternalBenchmarkEvidence,
    "external_selection": ExternalSelectionEvidence,
    "consistency": ConsistencyEvidence,
    "sweep": SweepEvidence,
    "sweep_aggregate": SweepAggregateEvidence,
    "consistency_objective": ConsistencyObjectiveEvidence,
    "lm_training": LmTrainingEvidence,
    "decision": DecisionEvidence,
}

KINDS: tuple[str, ...] = tuple(MODEL_BY_KIND)


def model_for(kind: str) -> type[BaseModel]:
    try:
        return MODEL_BY_KIND[kind]
    except KeyError:
        raise KeyError(
            f"unknown evidence kind {kind!r}; known kinds: {', '.join(sorted(KINDS))}"
        ) from None

"""Evidence kind name → model class. One table, so adding a kind is one line here.

The table names each kind's module and class instead of importing them: ``KINDS`` costs
nothing, and :func:`model_for` imports only the kind asked for, so validating one file builds
that kind's models alone (issue 13: building all twelve kinds was ~30 ms of every process).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import BaseModel

# kind → (module under evidence_schema._models, model class)
_MODELS: dict[str, tuple[str, str]] = {
    "sae_run": ("sae_run", "SaeRunEvidence"),
    "random_model_control": ("random_model_control", "RandomModelControlEvidence"),
    "transcoder_stress": ("transcoder_stress", "TranscoderStressEvidence"),
    "ood_stress": ("ood_stress", "OodStressEvidence"),
    "external_benchmark": ("external_benchmark", "ExternalBenchmarkEvidence"),
    "external_selection": ("external_selection", "ExternalSelectionEvidence"),
    "consistency": ("consistency", "ConsistencyEvidence"),
    "sweep": ("sweep", "SweepEvidence"),
    "sweep_aggregate": ("sweep_aggregate", "SweepAggregateEvidence"),
    "consistency_objective": ("consistency_objective", "ConsistencyObjectiveEvidence"),
    "lm_training": ("lm_training", "LmTrainingEvidence"),
    "decision": ("decision", "DecisionEvidence"),
}

KINDS: tuple[str, ...] = tuple(_MODELS)


def model_for(kind: str) -> type[BaseModel]:
    """The model class of ``kind``, importing its module (and no other kind's) on first use.

    Raises KeyError naming the known kinds when ``kind`` is not one.
    """
    try:
        module, name = _MODELS[kind]
    except KeyError:
        raise KeyError(
            f"unknown evidence kind {kind!r}; known kinds: {', '.join(sorted(KINDS))}"
        ) from None
    model: type[BaseModel] = getattr(
        importlib.import_module(f"{__package__}._models.{module}"), name)
    return model


class _ModelByKind(Mapping[str, "type[BaseModel]"]):
    """Read-only kind → model mapping in ``KINDS`` order; a model is imported when looked up."""

    def __getitem__(self, kind: str) -> type[BaseModel]:
        if kind not in _MODELS:
            raise KeyError(kind)
        return model_for(kind)

    def __contains__(self, kind: object) -> bool:
        return kind in _MODELS  # without importing the model

    def __iter__(self) -> Iterator[str]:
        return iter(KINDS)

    def __len__(self) -> int:
        return len(KINDS)

    def __repr__(self) -> str:
        return f"MODEL_BY_KIND({', '.join(KINDS)})"


MODEL_BY_KIND: Mapping[str, type[BaseModel]] = _ModelByKind()

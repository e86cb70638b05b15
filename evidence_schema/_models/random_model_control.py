"""``random_model_control``: the same SAE training on a trained model and on its random copy."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .. import _seed_coverage
from .._common import Name, PositiveInt, Sha256, Strict
from .envelope import Architecture, Envelope, OptionalPairs, OptionalSamples


class ControlArm(Strict):
    """Per-seed metrics of SAEs trained on one model (the trained one, or its random copy)."""

    model_name: Name
    model_sha256: Sha256 | None = None
    pwmcc: OptionalPairs = Field(default=None, description="per seed pair")
    explained_variance: OptionalSamples = None
    kl_score: OptionalSamples = None
    ce_loss_score: OptionalSamples = None
    l0: OptionalSamples = None


class RandomModelControlMetrics(Strict):
    hook_point: Name
    d_sae: PositiveInt
    architecture: Architecture
    training_tokens: PositiveInt
    trained: ControlArm
    random: ControlArm


class RandomModelControlEvidence(Envelope):
    kind: Literal["random_model_control"] = "random_model_control"
    metrics: RandomModelControlMetrics

    @model_validator(mode="after")
    def _every_seed(self) -> RandomModelControlEvidence:
        _seed_coverage.runner_kind(self)  # every per-seed list holds the run's seeds (rt10 §6)
        return self

"""``consistency_objective``: SAEs trained with a consistency penalty λ, and the λ chosen."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from .. import _derived, _seed_coverage
from .._common import Finite, Name, NonNegative, PositiveInt, Seed, Strict
from .._split import SeedSplit
from .envelope import Architecture, Envelope, OptionalSamples, Samples


class ConsistencyObjectiveArm(Strict):
    """SAEs trained with one λ; per-seed values against the reference seed's decoder."""

    lam: Annotated[float, Field(strict=True, ge=0.0, allow_inf_nan=False)]
    pwmcc: Samples = Field(description="PWMCC to the reference decoder, per seed")
    explained_variance: Samples
    delta_pwmcc: OptionalSamples = Field(
        default=None, description="pwmcc − pwmcc at λ = 0, per seed (null for λ = 0)"
    )
    delta_pwmcc_lcb: Finite | None = None
    ev_drop: OptionalSamples = Field(
        default=None, description="explained variance at λ = 0 − at this λ, per seed"
    )


class ConsistencyObjectiveMetrics(Strict):
    architecture: Architecture
    hook_point: Name
    d_sae: PositiveInt
    training_tokens: PositiveInt
    reference_seed: Seed
    matching: Literal["hungarian"]
    pwmcc_method: Literal["max_cosine", "hungarian"]
    confidence: Annotated[float, Field(strict=True, gt=0.0, lt=1.0)]
    arms: list[ConsistencyObjectiveArm] = Field(min_length=2, description="λ = 0 first")
    selected: ConsistencyObjectiveArm | None = Field(
        description="the λ > 0 arm with the highest delta_pwmcc_lcb whose mean EV drop is "
        "within budget; null when none is"
    )
    ev_drop_budget: NonNegative
    split: SeedSplit | None = Field(
        default=None, description="λ is chosen on selection_seeds; selected holds the chosen "
        "arm on confirmation_seeds only, which the gates read (issue 10)")

    @model_validator(mode="after")
    def _selected_needs_split(self) -> ConsistencyObjectiveMetrics:
        if self.selected is not None and self.split is None:
            raise ValueError("selected without a recorded selection/confirmation split: a gate "
                             "confirming the lower bound that chose λ is biased upward "
                             "(winner's curse)")
        return self

    @model_validator(mode="after")
    def _baseline_first(self) -> ConsistencyObjectiveMetrics:
        if self.arms[0].lam != 0.0:
            raise ValueError("arms[0] must be the λ = 0 baseline")
        _derived.consistency_objective(self)
        return self


class ConsistencyObjectiveEvidence(Envelope):
    kind: Literal["consistency_objective"] = "consistency_objective"
    metrics: ConsistencyObjectiveMetrics

    @model_validator(mode="after")
    def _every_seed(self) -> ConsistencyObjectiveEvidence:
        # every per-seed list holds the run's seeds (rt10 §6)
        _seed_coverage.consistency_objective(self)
        return self

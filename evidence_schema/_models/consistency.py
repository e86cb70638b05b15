"""``consistency``: PWMCC of trained SAEs across seed pairs, and a random baseline."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .. import _seed_coverage
from .._common import PairSamples, PositiveInt, Strict
from .envelope import Envelope


class ConsistencyMetrics(Strict):
    method: Literal["max_cosine", "hungarian"]
    d_model: PositiveInt
    d_sae: PositiveInt
    trained: PairSamples = Field(description="PWMCC per seed pair of trained SAEs")
    random_baseline: PairSamples = Field(description="PWMCC per pair of random decoders")


class ConsistencyEvidence(Envelope):
    kind: Literal["consistency"] = "consistency"
    metrics: ConsistencyMetrics

    @model_validator(mode="after")
    def _every_seed(self) -> ConsistencyEvidence:
        _seed_coverage.runner_kind(self)  # every per-seed list holds the run's seeds (rt10 §6)
        return self

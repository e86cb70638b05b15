"""``sweep_aggregate``: a sweep's metrics pooled per axis value, and its Pareto frontier."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, model_validator

from .. import _derived
from .._common import Finite, Name, PositiveInt, Sha256, Strict, UniqueSeeds
from .envelope import Envelope, Scalar


class AxisAggregate(Strict):
    """One metric over every sweep row with one value of one axis."""

    axis: Name
    value: Scalar
    metric: Name
    n: PositiveInt = Field(description="rows pooled: conditions with this value × seeds")
    mean: Finite
    lcb: Finite | None = Field(description="lower confidence bound; null with under 2 rows")
    ucb: Finite | None = None


class FrontierObjective(Strict):
    metric: Name
    goal: Literal["max", "min"]


class FrontierRow(Strict):
    condition: dict[str, Scalar]
    seeds: UniqueSeeds = Field(min_length=1)
    values: dict[str, Finite] = Field(description="the statistic of each objective metric")
    pareto: StrictBool


class SweepFrontier(Strict):
    objectives: list[FrontierObjective] = Field(min_length=1)
    statistic: Literal["mean", "bound"]
    rows: list[FrontierRow] = Field(min_length=1)


class SweepAggregateMetrics(Strict):
    sweep_evidence: Name = Field(description="the sweep table these aggregate")
    sweep_sha256: Sha256
    axes: list[Name] = Field(min_length=1)
    confidence: Annotated[float, Field(strict=True, gt=0.0, lt=1.0)]
    bound_method: Name
    by_axis: list[AxisAggregate] = Field(min_length=1)
    frontier: SweepFrontier | None = None

    @model_validator(mode="after")
    def _derived_consistent(self) -> SweepAggregateMetrics:
        _derived.sweep_aggregate(self)
        return self


class SweepAggregateEvidence(Envelope):
    kind: Literal["sweep_aggregate"] = "sweep_aggregate"
    metrics: SweepAggregateMetrics

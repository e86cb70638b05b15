"""``sweep``: one row of metrics per condition of a grid and seed."""

from __future__ import annotations

import json
from typing import Literal

from pydantic import Field, model_validator

from .._common import Finite, Name, Seed, Strict
from .envelope import Envelope, Scalar


class SweepRow(Strict):
    condition: dict[str, Scalar]
    seed: Seed
    metrics: dict[str, Finite]
    evidence: Name | None = Field(default=None, description="path of the row's own evidence")


class SweepMetrics(Strict):
    axes: list[Name] = Field(min_length=1)
    rows: list[SweepRow] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_row_per_condition_and_seed(self) -> SweepMetrics:
        # Aggregates count rows as units: a repeated (condition, seed) would be counted twice.
        seen: dict[str, int] = {}
        for i, r in enumerate(self.rows):
            key = json.dumps([r.condition, r.seed], sort_keys=True)
            if key in seen:
                raise ValueError(f"rows {seen[key]} and {i} are both seed {r.seed} of condition "
                                 f"{r.condition}: one row per condition and seed")
            seen[key] = i
        return self


class SweepEvidence(Envelope):
    kind: Literal["sweep"] = "sweep"
    metrics: SweepMetrics

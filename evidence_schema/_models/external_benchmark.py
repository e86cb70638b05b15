"""``external_benchmark``: a candidate against its baseline on SAEBench or CE-Bench, per seed."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .._common import Name, PositiveInt, Strict
from .._derived import check_difference
from .._split import SeedSplit, outside
from .envelope import Envelope, Samples


class BenchmarkRef(Strict):
    name: Literal["saebench", "cebench"]
    version: Name = Field(description="package version or commit of the benchmark")
    eval_type: Name = Field(description="e.g. sparse_probing, interpretability")


class ExternalBenchmarkMetrics(Strict):
    benchmark: BenchmarkRef
    metric: Name = Field(description="the headline metric compared")
    delta_definition: Name = Field(description="how the delta is computed, in words")
    candidate_id: Name
    baseline_id: Name
    row_budget: PositiveInt | None = Field(
        default=None, description="rows evaluated; candidate and baseline must match"
    )
    baseline_row_budget: PositiveInt | None = None
    candidate: Samples
    baseline: Samples
    deltas: Samples = Field(description="candidate − baseline, per seed")
    selection: SeedSplit | None = Field(
        default=None,
        description="set when `select` chose this candidate: the seeds that chose it and the "
        "held-out seeds this file holds (confirmation only)",
    )

    @model_validator(mode="after")
    def _confirmation_only(self) -> ExternalBenchmarkMetrics:
        if self.selection is None:
            return self
        if not self.selection.confirmation_seeds:
            raise ValueError("selected with no confirmation seeds: nothing can confirm it")
        for name in ("candidate", "baseline", "deltas"):
            stray = outside([s.seeds for s in getattr(self, name)],
                            self.selection.confirmation_seeds)
            if stray:
                raise ValueError(f"{name} holds seed(s) {stray} outside the confirmation seeds "
                                 f"{self.selection.confirmation_seeds}: the gate would confirm "
                                 "on seeds that selected the candidate")
        return self

    @model_validator(mode="after")
    def _matched(self) -> ExternalBenchmarkMetrics:
        if self.row_budget != self.baseline_row_budget:
            raise ValueError(
                f"unmatched baseline: candidate row budget {self.row_budget} vs baseline "
                f"{self.baseline_row_budget}; deltas are only meaningful on the same rows"
            )
        return self

    @model_validator(mode="after")
    def _deltas_recomputed(self) -> ExternalBenchmarkMetrics:
        # Derived, so recomputed (issue 10): a stored +1.5 over a candidate below its baseline
        # must not reach the gate.
        check_difference(self.deltas, self.candidate, self.baseline, field="deltas",
                         what="delta", left_name="candidate", right_name="baseline")
        return self


class ExternalBenchmarkEvidence(Envelope):
    kind: Literal["external_benchmark"] = "external_benchmark"
    metrics: ExternalBenchmarkMetrics

"""``external_selection``: candidates ranked by the lower bounds of their external deltas."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictStr, model_validator

from .. import _derived
from .._common import Finite, Name, PositiveInt, Strict, UniqueSeeds
from .._split import SeedSplit, outside
from .envelope import Envelope


class ExternalScore(Strict):
    """One candidate's delta on one external benchmark, pooled over seeds."""

    benchmark: Literal["saebench", "cebench"]
    evidence: list[Name] = Field(min_length=1, description="external_benchmark files pooled")
    seeds: UniqueSeeds = Field(description="distinct seeds with a delta")
    mean: Finite
    lcb: Finite | None = Field(description="lower confidence bound; null with under 2 seeds")
    rank: PositiveInt | None = Field(
        default=None, description="rank by lcb among eligible candidates (1 = best)"
    )


class SelectionRow(Strict):
    candidate_id: Name
    scores: list[ExternalScore]
    eligible: StrictBool = Field(description="every benchmark present with at least min_seeds")
    reason: StrictStr = Field(description="why not eligible; empty when eligible")
    pareto: StrictBool = Field(description="on the Pareto front of the benchmarks' lcbs")


class ExternalSelectionMetrics(Strict):
    benchmarks: list[Literal["saebench", "cebench"]] = Field(min_length=1)
    min_seeds: PositiveInt
    confidence: Annotated[float, Field(strict=True, gt=0.0, lt=1.0)]
    bound_method: Name = Field(description="how lcb was computed")
    rule: Name = Field(description="how the selected candidate was chosen from the front")
    rows: list[SelectionRow] = Field(min_length=1)
    selected: Name | None = Field(description="candidate_id chosen; null when none is eligible")
    selected_evidence: list[Name] = Field(
        default_factory=list, description="external_benchmark files written for the selection"
    )
    split: SeedSplit | None = Field(
        default=None, description="rows are scored on selection_seeds only; the selected "
        "candidate's evidence holds confirmation_seeds only (issue 10)")
    confirmation_note: StrictStr = Field(
        default="", description="why no evidence was written for the selection, if so")

    @model_validator(mode="after")
    def _scored_on_selection_seeds(self) -> ExternalSelectionMetrics:
        if self.split is None:
            return self
        for r in self.rows:
            for s in r.scores:
                stray = outside([[x] for x in s.seeds], self.split.selection_seeds)
                if stray:
                    raise ValueError(f"{r.candidate_id} {s.benchmark}: scored on seed(s) {stray} "
                                     "outside the selection seeds")
        return self

    @model_validator(mode="after")
    def _consistent(self) -> ExternalSelectionMetrics:
        # A hand-edited selection must not name a candidate that was not eligible.
        by_id = {r.candidate_id: r for r in self.rows}
        if len(by_id) != len(self.rows):
            raise ValueError("candidate_id appears in more than one row")
        for r in self.rows:
            if r.pareto and not r.eligible:
                raise ValueError(f"{r.candidate_id}: on the Pareto front but not eligible")
        if self.selected is not None:
            row = by_id.get(self.selected)
            if row is None or not row.pareto:
                raise ValueError(f"selected {self.selected!r} is not an eligible Pareto row")
        elif any(r.eligible for r in self.rows):
            raise ValueError("no candidate selected although some are eligible")
        _derived.external_selection(self)
        return self


class ExternalSelectionEvidence(Envelope):
    kind: Literal["external_selection"] = "external_selection"
    metrics: ExternalSelectionMetrics

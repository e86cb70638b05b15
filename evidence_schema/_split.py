"""Selection then confirmation (issue 10 §3): the seeds that chose a candidate or a λ are not
the seeds that confirm it.

Choosing the candidate with the best lower confidence bound and then gating that same bound is
biased upward (the winner's curse: the maximum of several noisy bounds overstates the winner).
Evidence that says it was selected records both seed sets; they must not overlap, and the
evidence a gate reads for the selected candidate holds confirmation seeds only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import Field, model_validator

from ._common import Strict, UniqueSeeds


class SeedSplit(Strict):
    """Which seeds selected, which confirm. Disjoint; a seed in both is refused."""

    selection_seeds: UniqueSeeds = Field(
        min_length=1, description="seeds whose values chose the candidate (or λ)")
    confirmation_seeds: UniqueSeeds = Field(
        description="held-out seeds the confirming gate reads; empty: nothing can confirm")

    @model_validator(mode="after")
    def _disjoint(self) -> SeedSplit:
        both = sorted(set(self.selection_seeds) & set(self.confirmation_seeds))
        if both:
            raise ValueError(
                f"seed(s) {both} used both to select and to confirm: a gate confirming on the "
                "seeds that chose the candidate is biased upward (winner's curse)")
        return self


def default_split(seeds: Iterable[int]) -> SeedSplit:
    """The documented default: the larger half of the distinct seeds (by seed number) confirms,
    the rest selects; with one seed nothing is left to confirm."""
    ordered = sorted(set(seeds))
    n_confirm = len(ordered) // 2
    cut = len(ordered) - n_confirm
    return SeedSplit(selection_seeds=ordered[:cut], confirmation_seeds=ordered[cut:])


def outside(seeds: Sequence[Sequence[int]], allowed: Iterable[int]) -> list[int]:
    """Seeds of ``seeds`` (sample keys) that are not in ``allowed``, sorted."""
    ok = set(allowed)
    return sorted({s for key in seeds for s in key if s not in ok})



def restrict_arm(arm: Any, seeds: Iterable[int], confidence: float) -> Any | None:
    """A consistency-objective arm with only ``seeds``' samples and its lower bound recomputed
    over them (null under 2 seeds); None when no sample is left."""
    from .stats import DegenerateEvidence, one_sample_bounds

    keep = set(seeds)

    def only(samples: list[Any] | None) -> list[Any] | None:
        if samples is None:
            return None
        return [s for s in samples if set(s.seeds) <= keep] or None

    pwmcc, ev = only(arm.pwmcc), only(arm.explained_variance)
    if pwmcc is None or ev is None:
        return None
    deltas = only(arm.delta_pwmcc)
    values = [s.value for s in deltas or []]
    try:
        lcb = one_sample_bounds(values, confidence)[0] if len(values) >= 2 else None
    except DegenerateEvidence:
        lcb = None  # zero/negligible spread: no bound (_derived.check_bound wants null)
    return arm.model_copy(update={"pwmcc": pwmcc, "explained_variance": ev,
                                  "delta_pwmcc": deltas, "delta_pwmcc_lcb": lcb,
                                  "ev_drop": only(arm.ev_drop)})


def choose_arm(arms: Sequence[Any], budget: float, confidence: float,
               split: SeedSplit | None) -> Any | None:
    """The consistency objective's ``selected`` arm.

    Rule: among the λ > 0 arms whose mean EV drop is within ``budget``, the highest
    delta_pwmcc lower bound. With a ``split`` the rule reads the selection seeds only, and the
    chosen arm is returned restricted to the confirmation seeds (what the gate reads); None when
    no arm qualifies or no confirmation sample is left. Without a split (evidence written before
    issue 10) the rule reads every seed.
    """
    def qualifies(a: Any) -> bool:
        return (a is not None and a.delta_pwmcc_lcb is not None and bool(a.ev_drop)
                and sum(x.value for x in a.ev_drop) / len(a.ev_drop) <= budget)

    if split is None:
        ok = [a for a in arms[1:] if qualifies(a)]
        return max(ok, key=lambda a: a.delta_pwmcc_lcb) if ok else None
    views = [(a, restrict_arm(a, split.selection_seeds, confidence)) for a in arms[1:]]
    ok = [(a, v) for a, v in views if qualifies(v)]
    if not ok:
        return None
    chosen, _ = max(ok, key=lambda av: av[1].delta_pwmcc_lcb)
    return restrict_arm(chosen, split.confirmation_seeds, confidence)

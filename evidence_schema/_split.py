"""Selection then confirmation (issue 10 §3): the seeds that chose a candidate or a λ are not
the seeds that confirm it.

Choosing the candidate with the best lower confidence bound and then gating that same bound is
biased upward (the winner's curse: the maximum of several noisy bounds overstates the winner).
Evidence that says it was selected records both seed sets; they must not overlap, and the
evidence a gate reads for the selected candidate holds confirmation seeds only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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


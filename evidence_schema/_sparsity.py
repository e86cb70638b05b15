"""Sparsity matching between the two arms of a comparison (transcoder vs SAE).

A PWMCC difference between two dictionaries says something about their architectures only when
they are equally sparse: a denser dictionary is, other things equal, more (or less) consistent
across seeds for that reason alone. The arms count as matched when their mean L0 (non-zero
latents per token, averaged over seeds) differ by at most ``L0_MATCH_TOLERANCE`` relative to the
larger of the two.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import Field, StrictBool, model_validator

from ._common import Fraction, NonNegative, Strict
from ._derived import close

#: Largest relative L0 difference, |L0̄_a − L0̄_b| / max(L0̄_a, L0̄_b), at which two arms count as
#: matched on sparsity (10 %). The shipped policy's ``transcoder/sparsity_matched`` sub-gate uses
#: the same number as its threshold.
L0_MATCH_TOLERANCE = 0.1


def relative_l0_difference(l0_a: float, l0_b: float) -> float:
    """|a − b| / max(a, b) for two mean L0s (≥ 0), in [0, 1]. Two dead dictionaries (both 0)
    give 1.0: they are degenerate, never "matched"."""
    top = max(l0_a, l0_b)
    return 1.0 if top == 0 else abs(l0_a - l0_b) / top


class SparsityMatch(Strict):
    """Mean L0 of both arms and whether they are matched (see the module docstring)."""

    sae_l0_mean: NonNegative = Field(description="SAE arm, mean over seeds of held-out L0")
    transcoder_l0_mean: NonNegative = Field(description="transcoder arm, same definition")
    relative_l0_difference: Fraction = Field(
        description="|L0̄_transcoder − L0̄_sae| / max(L0̄_transcoder, L0̄_sae)"
    )
    tolerance: Fraction = Field(description="largest relative difference that counts as matched")
    matched: StrictBool = Field(description="relative_l0_difference ≤ tolerance")

    @model_validator(mode="after")
    def _consistent(self) -> SparsityMatch:
        # Derived fields are recomputed, so a hand-edited "matched: true" cannot stand.
        want = relative_l0_difference(self.transcoder_l0_mean, self.sae_l0_mean)
        # The one derived-value tolerance (float rounding only, _derived.close).
        if not close(self.relative_l0_difference, want):
            raise ValueError(f"relative_l0_difference {self.relative_l0_difference!r} does not "
                             f"follow from the mean L0s (expected {want!r})")
        if self.matched != (self.relative_l0_difference <= self.tolerance):
            raise ValueError(f"matched is {self.matched} but the relative L0 difference "
                             f"{self.relative_l0_difference:.4g} is "
                             f"{'≤' if not self.matched else '>'} the tolerance {self.tolerance}")
        return self


def sparsity_match(sae_l0: Sequence[float], transcoder_l0: Sequence[float],
                   tolerance: float = L0_MATCH_TOLERANCE) -> SparsityMatch:
    """Build the match record from per-seed L0s of both arms (each non-empty)."""
    if not sae_l0 or not transcoder_l0:
        raise ValueError("sparsity_match needs at least one L0 per arm")
    a, b = math.fsum(sae_l0) / len(sae_l0), math.fsum(transcoder_l0) / len(transcoder_l0)
    rel = relative_l0_difference(b, a)
    return SparsityMatch(sae_l0_mean=a, transcoder_l0_mean=b, relative_l0_difference=rel,
                         tolerance=tolerance, matched=rel <= tolerance)

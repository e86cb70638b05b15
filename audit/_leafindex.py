"""Which leaves of an artifact can equal a printed number, without trying every leaf (issue 13).

``_numcheck._judge_free`` compared each claim with every numeric leaf of every cited artifact
(``matches``, Decimal arithmetic): 147,000 comparisons for 8,000 claims on the 200-report bench.
A leaf can match a claim printed at quantum ``u`` (``0.01`` for ``0.74``) only if the leaf, or
for a percentage the leaf ×100, lies within ``2u`` of it (``_numbers.matches`` skips anything
farther before its Decimal work). So each artifact keeps its leaves sorted by value, and a claim
looks at the two windows (the value, the value ×100) by bisection; the window is widened by a
relative 1e-9 so that float rounding can only add candidates, never drop one. Leaves the windows
cannot place (printed text values, which match under looser rules; values a float cannot hold)
are always candidates.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ._index import Artifact
from ._numbers import ParsedNumber


@dataclass(frozen=True)
class LeafIndex:
    values: list[float]  # sorted
    order: list[int]  # leaf index of each sorted value
    always: list[int]  # leaves every claim must try


def leaf_index(art: Artifact) -> LeafIndex:
    """Built once per artifact (kept on it)."""
    idx = art.value_index
    if isinstance(idx, LeafIndex) and len(idx.order) + len(idx.always) == len(art.leaves):
        return idx
    pairs: list[tuple[float, int]] = []
    always: list[int] = []
    for i, (_ptr, val, exp) in enumerate(art.leaves):
        try:
            f = float(val)
        except OverflowError:
            f = math.inf
        if exp is not None or not math.isfinite(f):
            always.append(i)
        else:
            pairs.append((f, i))
    pairs.sort()
    idx = LeafIndex([p[0] for p in pairs], [p[1] for p in pairs], always)
    art.value_index = idx
    return idx


def candidates(claim: ParsedNumber, art: Artifact) -> list[int] | None:
    """Indices (ascending) of the leaves of ``art`` that may match ``claim``; None when the
    claim itself is outside what a float window can bound (then every leaf is a candidate)."""
    try:
        c = float(claim.value)
        u = float(claim.quantum)
    except OverflowError:
        return None
    if not (math.isfinite(c) and math.isfinite(u)):
        return None
    half = 2 * u * (1 + 1e-9) + 1e-9 * abs(c) + 1e-300
    idx = leaf_index(art)
    found = set(idx.always)
    windows = [(c - half, c + half)]
    if claim.percent:  # the leaf ×100 within the window: the leaf within it ÷100
        lo, hi = (c - half) / 100, (c + half) / 100
        windows.append((lo - 1e-12 * abs(lo) - 1e-300, hi + 1e-12 * abs(hi) + 1e-300))
    for lo, hi in windows:
        a, b = bisect_left(idx.values, lo), bisect_right(idx.values, hi)
        found.update(idx.order[a:b])
    return sorted(found)

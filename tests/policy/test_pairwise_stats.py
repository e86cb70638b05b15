"""The pairwise (PWMCC) bound: delete-one-seed jackknife of the mean over seed pairs, df k − 1.

Checked against a hand-worked example, a brute-force numpy implementation written here, and a
closed form of the same variance from the per-seed means (an identity derived independently).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from evidence_schema.stats import (
    DegenerateEvidence,
    StatError,
    pairwise_jackknife,
    seed_bounds,
    seed_difference_bounds,
    units,
)


def test_hand_worked_example() -> None:
    # Seeds 0, 1, 2; pairs (0,1) 0.6, (0,2) 0.5, (1,2) 0.7.
    # θ = 0.6. Deleting seed 0 leaves (1,2): 0.7; seed 1 → (0,2): 0.5; seed 2 → (0,1): 0.6.
    # Var = (3−1)/3 · [(0.7−0.6)² + (0.5−0.6)² + (0.6−0.6)²] = 2/3 · 0.02 = 0.013333…
    # t(0.975, 2) = 4.3027 (tables); half width = 4.3027 · √0.013333 = 4.3027 · 0.11547 = 0.49683
    keys = [(0, 1), (0, 2), (1, 2)]
    values = [0.6, 0.5, 0.7]
    est = pairwise_jackknife(keys, values)
    assert est.value == pytest.approx(0.6)
    assert est.var == pytest.approx(0.0133333, rel=1e-5)
    assert est.df == 2 and est.n_seeds == 3
    lo, hi = seed_bounds(keys, values, 0.95)
    assert lo == pytest.approx(0.6 - 0.49683, abs=1e-4)
    assert hi == pytest.approx(0.6 + 0.49683, abs=1e-4)
    # A t interval treating the 3 pairs as independent samples is half as wide: s/√3 vs 2s/√3.
    naive = stats.t.interval(0.95, 2, loc=0.6, scale=stats.sem(values))
    assert (hi - lo) == pytest.approx(2 * (naive[1] - naive[0]), rel=1e-9)


def _brute(k: int, values: dict[tuple[int, int], float]) -> tuple[float, float]:
    m = np.zeros((k, k))
    for (a, b), v in values.items():
        m[a, b] = m[b, a] = v
    theta = m[np.triu_indices(k, 1)].mean()
    loo = np.array([np.delete(np.delete(m, i, 0), i, 1)[np.triu_indices(k - 1, 1)].mean()
                    for i in range(k)])
    return float(theta), float((k - 1) / k * ((loo - loo.mean()) ** 2).sum())


pair_values = st.integers(3, 8).flatmap(lambda k: st.tuples(
    st.just(k),
    st.lists(st.floats(-1, 1, allow_nan=False), min_size=k * (k - 1) // 2,
             max_size=k * (k - 1) // 2),
    st.randoms(use_true_random=False)))


@settings(max_examples=60, deadline=None)
@given(pair_values)
def test_matches_brute_force_numpy_and_closed_form(case: tuple) -> None:  # type: ignore[type-arg]
    k, vals, rnd = case
    pairs = list(itertools.combinations(range(k), 2))
    order = list(range(len(pairs)))
    rnd.shuffle(order)  # order of the list and of each pair must not matter
    keys = [pairs[i] if i % 2 else pairs[i][::-1] for i in order]
    values = [vals[i] for i in order]
    est = pairwise_jackknife(keys, values)
    theta, var = _brute(k, dict(zip(pairs, vals, strict=True)))
    assert est.value == pytest.approx(theta, abs=1e-12)
    assert est.var == pytest.approx(var, rel=1e-9, abs=1e-15)
    assert est.df == k - 1
    # Closed form: with m_i the mean of the pairs containing seed i and s_m² their sample
    # variance, Var_jack = 4 (k−1)² s_m² / (k (k−2)²).
    m = np.array([np.mean([v for (a, b), v in zip(pairs, vals, strict=True) if i in (a, b)])
                  for i in range(k)])
    closed = 4 * (k - 1) ** 2 * m.var(ddof=1) / (k * (k - 2) ** 2)
    assert est.var == pytest.approx(closed, rel=1e-9, abs=1e-15)
    # The brute force again on values scaled by their largest magnitude: squares of 1e-247
    # underflow in float64, and the standard error must not.
    top = max(abs(v) for v in vals) or 1.0
    se = np.sqrt(_brute(k, {p: v / top for p, v in zip(pairs, vals, strict=True)})[1]) * top
    ref = 1e-9 * max(abs(theta), max(abs(v) for v in vals))
    if ref / 2 < se < ref * 2:
        return  # at the negligible-variance threshold, rounding decides either way
    if se <= ref / 2:
        # Zero or negligible jackknife variance (e.g. all pairs equal): no bound (issue rt10).
        with pytest.raises(DegenerateEvidence, match="degenerate evidence"):
            seed_bounds(keys, values, 0.9)
        return
    lo, _ = seed_bounds(keys, values, 0.9)
    assert lo == pytest.approx(theta - stats.t.ppf(0.95, k - 1) * se, rel=1e-9, abs=1e-12)


def test_two_arms_combine_like_welch() -> None:
    a = {(0, 1): 0.62, (0, 2): 0.60, (1, 2): 0.65}
    b = {(0, 1): 0.41, (0, 2): 0.43, (1, 2): 0.40, }
    ta, va = _brute(3, a)
    tb, vb = _brute(3, b)
    df = (va + vb) ** 2 / (va**2 / 2 + vb**2 / 2)
    half = stats.t.ppf(0.975, df) * np.sqrt(va + vb)
    lo, hi = seed_difference_bounds(list(a), list(a.values()), list(b), list(b.values()), 0.95)
    assert (lo, hi) == pytest.approx((ta - tb - half, ta - tb + half), rel=1e-9)


@pytest.mark.parametrize(("keys", "message"), [
    ([(0, 1)], "at least 3 seeds"),
    ([(0, 1), (0, 2), (1, 3)], "every pair of the 4 seeds"),
    ([(0, 1), (1, 0), (1, 2)], "pair [0, 1] appears 2 times"),
    ([(0, 0), (0, 1), (1, 2)], "two different seeds"),
])
def test_refused_designs(keys: list[tuple[int, int]], message: str) -> None:
    with pytest.raises(StatError, match=message.replace("[", r"\[").replace("]", r"\]")):
        pairwise_jackknife(keys, [0.5] * len(keys))


def test_units_refuse_repeats_and_mixed_arity() -> None:
    with pytest.raises(StatError, match="seed 1 appears 10 times"):
        units([(1,)] * 10 + [(2,)])
    with pytest.raises(StatError, match="must all be per seed or all per seed pair"):
        units([(1,), (1, 2)])
    assert units([(2, 1), (0,)][:1]) == [(1, 2)]

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from evidence_schema.stats import DegenerateEvidence, StatError
from policy import one_sample_bounds, t_cdf, t_ppf, welch_bounds


@pytest.mark.parametrize("df", [1, 2, 3, 4.5, 10, 29, 200, 5000])
@pytest.mark.parametrize("p", [0.55, 0.9, 0.95, 0.975, 0.995, 0.9995])
def test_t_quantile_matches_scipy(df: float, p: float) -> None:
    assert t_ppf(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-9)
    assert t_ppf(1 - p, df) == pytest.approx(stats.t.ppf(1 - p, df), rel=1e-9)
    assert t_cdf(stats.t.ppf(p, df), df) == pytest.approx(p, abs=1e-12)


finite = st.floats(min_value=-100, max_value=100, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(finite, min_size=2, max_size=12), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_one_sample_interval_matches_scipy(values: list[float], conf: float) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        # scipy on values scaled by their largest magnitude (squares of 1e-200 underflow).
        top = max(abs(v) for v in values) or 1.0
        sem = float(stats.sem([v / top for v in values])) * top
    ref_scale = 1e-9 * max(abs(float(np.mean(values))), *(abs(v) for v in values))
    if ref_scale / 2 < sem < 2 * ref_scale:
        return  # at the negligible-variance threshold, rounding decides either way
    if sem <= ref_scale / 2 or not math.isfinite(sem):
        # Zero or negligible variance: no bound at all (docs/statistics.md), never [m, m].
        with pytest.raises(DegenerateEvidence, match="degenerate evidence"):
            one_sample_bounds(values, conf)
        return
    lo, hi = one_sample_bounds(values, conf)
    ref = stats.t.interval(conf, len(values) - 1, loc=sum(values) / len(values), scale=sem)
    assert lo == pytest.approx(ref[0], rel=1e-7, abs=1e-9)
    assert hi == pytest.approx(ref[1], rel=1e-7, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(finite, min_size=2, max_size=10), st.lists(finite, min_size=2, max_size=10))
def test_welch_interval_matches_scipy(a: list[float], b: list[float]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # scipy on near-constant samples
        # scipy on values scaled by their largest magnitude (squares of 1e-200 underflow).
        top = max(abs(v) for v in a + b) or 1.0
        a_s, b_s = [v / top for v in a], [v / top for v in b]
        ci = stats.ttest_ind(a_s, b_s, equal_var=False).confidence_interval(0.95)
        ref = type("Ref", (), {"low": ci.low * top, "high": ci.high * top})
        se = math.hypot(stats.sem(a_s), stats.sem(b_s)) * top
    ref_scale = 1e-9 * max(abs(float(np.mean(a) - np.mean(b))), *(abs(v) for v in a + b))
    if ref_scale / 2 < se < 2 * ref_scale:
        return  # at the negligible-variance threshold, rounding decides either way
    if se <= ref_scale / 2 or not (math.isfinite(ref.low) and math.isfinite(ref.high)):
        with pytest.raises(DegenerateEvidence, match="degenerate evidence"):
            welch_bounds(a, b, 0.95)
        return
    lo, hi = welch_bounds(a, b, 0.95)
    assert lo == pytest.approx(ref.low, rel=1e-7, abs=1e-8)
    assert hi == pytest.approx(ref.high, rel=1e-7, abs=1e-8)


def test_three_seed_interval_is_wider_than_min_max_bootstrap() -> None:
    # gates.md: with 3 seeds a percentile bootstrap collapses to [min, max]; t does not.
    values = [0.60, 0.62, 0.64]
    lo, hi = one_sample_bounds(values, 0.95)
    assert lo < min(values) and hi > max(values)


def test_too_few_values() -> None:
    with pytest.raises(StatError, match="at least 2"):
        one_sample_bounds([1.0], 0.95)

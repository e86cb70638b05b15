from __future__ import annotations

import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from evidence_schema.stats import StatError
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
    lo, hi = one_sample_bounds(values, conf)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        sem = stats.sem(values)
    if sem == 0 or not math.isfinite(sem):
        assert lo == pytest.approx(hi)
        return
    ref = stats.t.interval(conf, len(values) - 1, loc=sum(values) / len(values), scale=sem)
    assert lo == pytest.approx(ref[0], rel=1e-7, abs=1e-9)
    assert hi == pytest.approx(ref[1], rel=1e-7, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(finite, min_size=2, max_size=10), st.lists(finite, min_size=2, max_size=10))
def test_welch_interval_matches_scipy(a: list[float], b: list[float]) -> None:
    lo, hi = welch_bounds(a, b, 0.95)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # scipy on near-constant samples
        ref = stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    if not (math.isfinite(ref.low) and math.isfinite(ref.high)):
        return  # scipy returns NaN when both variances are zero; we return the point
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

"""The project's one statistics module: confidence bounds for gates (policy), the runners'
aggregates and the audit, computed one documented way (gates.md lists three ways that diverged).
It lives at the bottom layer so that every stage uses the same method (docs/architecture.md).

Confidence bounds are Student-t intervals:
- one group:   mean ± t(q, n−1) · s/√n
- paired:      the same on per-seed differences a_s − b_s (seeds matched by key)
- two groups:  Welch: (mean_a − mean_b) ± t(q, ν) · √(s_a²/n_a + s_b²/n_b), ν by
               Welch–Satterthwaite
where q = (1 + confidence)/2, so `lcb` at confidence 0.95 is the lower end of the two-sided 95%
interval ("CI95 low"). s is the sample standard deviation (n−1). A t-interval is used instead of
a percentile bootstrap because with 3 seeds the bootstrap collapses to [min, max].

The t quantile is computed here (regularised incomplete beta by continued fraction, inverted by
bisection) so that the fast path needs no scipy; tests compare it with scipy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


class StatError(ValueError):
    """The statistic cannot be computed from these values (e.g. too few seeds)."""


def _betacf(a: float, b: float, x: float) -> float:
    # Lentz's continued fraction for the incomplete beta function.
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 1000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    ln_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(ln_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    if df <= 0 or not math.isfinite(df):
        raise StatError(f"degrees of freedom must be positive and finite, got {df}")
    x = df / (df + t * t)
    tail = 0.5 * _betainc(df / 2.0, 0.5, x)
    return 1.0 - tail if t >= 0 else tail


def t_ppf(p: float, df: float) -> float:
    """Quantile of Student's t with ``df`` degrees of freedom (0 < p < 1)."""
    if not 0.0 < p < 1.0:
        raise StatError(f"probability must be in (0, 1), got {p}")
    if p < 0.5:
        return -t_ppf(1.0 - p, df)
    lo, hi = 0.0, 1.0
    while t_cdf(hi, df) < p:
        hi *= 2.0
        if hi > 1e12:
            return hi
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-12 * max(1.0, hi):
            break
    return 0.5 * (lo + hi)


def mean(values: Sequence[float]) -> float:
    if not values:
        raise StatError("no values")
    return math.fsum(values) / len(values)


def sample_var(values: Sequence[float]) -> float:
    n = len(values)
    if n < 2:
        raise StatError(f"a confidence bound needs at least 2 values, got {n}")
    m = mean(values)
    return math.fsum((v - m) ** 2 for v in values) / (n - 1)


def one_sample_bounds(values: Sequence[float], confidence: float) -> tuple[float, float]:
    n = len(values)
    m = mean(values)
    var = sample_var(values)  # raises for n < 2 before the quantile is asked for df = 0
    half = t_ppf((1.0 + confidence) / 2.0, n - 1) * math.sqrt(var / n)
    return m - half, m + half


def welch_bounds(
    a: Sequence[float], b: Sequence[float], confidence: float
) -> tuple[float, float]:
    va, vb = sample_var(a) / len(a), sample_var(b) / len(b)
    diff = mean(a) - mean(b)
    se2 = va + vb
    if se2 == 0.0:
        return diff, diff
    # Welch–Satterthwaite, computed on variances scaled by the larger one: squaring a tiny
    # variance (1e-200) underflows to 0 and would divide by zero.
    scale = max(va, vb)
    sa, sb = va / scale, vb / scale
    df = (sa + sb) ** 2 / (sa**2 / (len(a) - 1) + sb**2 / (len(b) - 1))
    half = t_ppf((1.0 + confidence) / 2.0, df) * math.sqrt(se2)
    return diff - half, diff + half

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

Units. A statistic counts *seeds*, never list entries: keyed values (``seed_estimate``,
``seed_bounds``, ``seed_difference_bounds``) refuse a repeated seed or pair (a list given ten
times must not narrow the interval √10-fold), so no statistic uses more values than units.

Pairwise values (PWMCC per seed pair): with k seeds the k(k−1)/2 pair values share seeds and are
not independent, so a t interval over pairs is too narrow. Their mean is a U-statistic of order 2
and its variance is estimated at the seed level by the delete-one-seed jackknife:
    θ̂ = mean over all pairs;  θ̂₋ᵢ = mean over the pairs without seed i (i = 1..k)
    Var̂(θ̂) = (k−1)/k · Σᵢ (θ̂₋ᵢ − θ̄)²,   θ̄ = mean of the θ̂₋ᵢ
    bound:   θ̂ ± t(q, k−1) · √Var̂
(Efron & Stein 1981; Arvesen 1969 for U-statistics). It needs k ≥ 3 seeds and every pair of
them (a complete design). Two arms of pairwise values combine like Welch: the difference of the
estimates, variance the sum, degrees of freedom by Welch–Satterthwaite with each arm's k−1; paired
arms (the same pairs in both) take the jackknife of the per-pair differences. docs/statistics.md
has a worked example.

Degenerate evidence: :func:`bounds` refuses an estimate whose standard error is zero, negligible
(< NEGLIGIBLE_SE · the values' magnitude) or not finite (DegenerateEvidence); spreads are
computed on values scaled by their largest magnitude, so 1e-170 does not square to 0
(docs/statistics.md, "Degenerate evidence").

The t quantile is computed in ``_tdist`` (regularised incomplete beta by continued fraction,
inverted by bisection) so that the fast path needs no scipy; tests compare it with scipy.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# Re-exported: stats is the one public statistics module; the t distribution lives apart.
from ._tdist import StatError as StatError
from ._tdist import t_cdf as t_cdf
from ._tdist import t_ppf as t_ppf


def mean(values: Sequence[float]) -> float:
    """Arithmetic mean (exactly rounded sum); values near the float range are summed scaled, so
    a mean that is representable never overflows on the way. Raises StatError if not finite."""
    if not values:
        raise StatError("no values")
    try:
        m = math.fsum(values) / len(values)
    except OverflowError:
        scale = max(abs(v) for v in values)
        m = scale * (math.fsum(v / scale for v in values) / len(values))
    if not math.isfinite(m):
        raise StatError(f"the mean of {len(values)} values is not finite ({m})")
    return m


def sample_sd(values: Sequence[float]) -> float:
    """Sample standard deviation (n−1), computed on the values divided by their largest
    magnitude: squaring a spread of 1e-170 underflows to 0 in float64 and would report zero
    variance for values that differ (docs/statistics.md, "Degenerate evidence")."""
    n = len(values)
    if n < 2:
        raise StatError(f"a confidence bound needs at least 2 values, got {n}")
    scale = max(abs(v) for v in values)
    if not math.isfinite(scale):
        raise StatError("a value is not finite")
    if scale == 0.0:
        return 0.0
    xs = [v / scale for v in values]
    m = math.fsum(xs) / n
    return scale * math.sqrt(math.fsum((x - m) ** 2 for x in xs) / (n - 1))


def sample_var(values: Sequence[float]) -> float:
    return sample_sd(values) ** 2


def _magnitude(values: Sequence[float]) -> float:
    return max((abs(v) for v in values), default=0.0)


def t_estimate(values: Sequence[float], method: str = "t over seeds") -> Estimate:
    """Mean of independent values with standard error s/√n, df n − 1."""
    n = len(values)
    se = sample_sd(values) / math.sqrt(n)
    return Estimate(mean(values), se * se, n - 1, n, method, se=se, scale=_magnitude(values))


def one_sample_bounds(values: Sequence[float], confidence: float) -> tuple[float, float]:
    """t interval of the mean; raises DegenerateEvidence when the variance is zero/negligible."""
    return bounds(t_estimate(values), confidence)


def welch_bounds(
    a: Sequence[float], b: Sequence[float], confidence: float
) -> tuple[float, float]:
    """Welch interval of mean(a) − mean(b) for two independent groups of per-seed values."""
    return bounds(difference(t_estimate(a, "mean"), t_estimate(b, "mean")), confidence)


# --- keyed values: seeds and seed pairs as units ---------------------------------------------

Key = tuple[int, ...]


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its estimated variance and the t degrees of freedom to use.

    ``se`` is the standard error (√var, kept separately because var = se² underflows below
    ~1e-154); ``scale`` is the largest magnitude among the values the estimate was made from
    (0 when unknown), the reference for "negligible" variance (:func:`require_spread`).
    """

    value: float
    var: float
    df: float
    n_seeds: int
    method: str
    se: float = math.nan
    scale: float = 0.0

    def __post_init__(self) -> None:
        if math.isnan(self.se):
            object.__setattr__(self, "se", math.sqrt(self.var) if self.var >= 0 else math.nan)


class DegenerateEvidence(StatError):
    """The estimate's variance is zero, negligible or not finite: no bound can be computed.

    The message starts with "degenerate evidence:"; gates report it as ``invalid``.
    """


#: A standard error below this fraction of max(|estimate|, largest |value|) is negligible:
#: honest seeds of a trained model differ by far more (~1e-3 relative), while one run
#: re-serialised or with a changed last digit differs by ~1e-15 (docs/statistics.md).
NEGLIGIBLE_SE = 1e-9


def spread_problem(est: Estimate, *, allow_zero_variance: bool = False) -> str | None:
    """Why no bound may be computed from ``est`` ("degenerate evidence: …"), or None.

    Refused: a non-finite estimate or standard error (always); a standard error that is zero or
    below ``NEGLIGIBLE_SE`` · max(|estimate|, largest |value|) (unless ``allow_zero_variance``).
    """
    if not (math.isfinite(est.value) and math.isfinite(est.se)) or est.se < 0:
        return (f"degenerate evidence: the estimate {est.value:.6g} or its standard error "
                f"{est.se:.6g} is not finite")
    if allow_zero_variance:
        return None
    ref = max(abs(est.value), est.scale)
    if est.se == 0.0:
        return (f"degenerate evidence: zero variance ({est.method}, {est.n_seeds} seeds give "
                "one and the same estimate; a bound would equal the point estimate)")
    if est.se < NEGLIGIBLE_SE * ref:
        return (f"degenerate evidence: standard error {est.se:.3g} is negligible (below "
                f"{NEGLIGIBLE_SE:g} × {ref:.6g}, the magnitude of the values; near-duplicate "
                f"seeds?) [{est.method}]")
    return None


def require_spread(est: Estimate, *, allow_zero_variance: bool = False) -> None:
    """Raise DegenerateEvidence when :func:`spread_problem` names one."""
    why = spread_problem(est, allow_zero_variance=allow_zero_variance)
    if why:
        raise DegenerateEvidence(why)


def units(keys: Sequence[Sequence[int]]) -> list[Key]:
    """Normalised units, ``(seed,)`` or ``(a, b)`` with a < b; raise StatError unless every
    entry is a distinct unit of one arity (a seed, or a pair of two different seeds)."""
    out: list[Key] = [tuple(sorted(k)) for k in keys]
    if not out:
        raise StatError("no values")
    arity = {len(k) for k in out}
    if len(arity) > 1 or not arity <= {1, 2}:
        raise StatError("values must all be per seed or all per seed pair")
    if 2 in arity and any(k[0] == k[1] for k in out):
        raise StatError("a seed pair must be two different seeds")
    repeated = [(k, n) for k, n in Counter(out).items() if n > 1]
    if repeated:
        k, n = repeated[0]
        unit = f"seed {k[0]}" if len(k) == 1 else f"pair {list(k)}"
        raise StatError(f"{unit} appears {n} times: a statistic counts each unit once")
    return out


def distinct_seeds(keys: Sequence[Sequence[int]]) -> set[int]:
    return {s for k in keys for s in k}


def pairwise_jackknife(keys: Sequence[Sequence[int]], values: Sequence[float]) -> Estimate:
    """Mean over seed pairs (a U-statistic) with its delete-one-seed jackknife variance.

    ``keys``: one pair of different seeds per value; every pair of the k seeds present exactly
    once (k ≥ 3). Returns df = k − 1. Raises StatError otherwise.
    """
    ks = units(keys)
    if len(ks[0]) != 2:
        raise StatError("the pairwise jackknife needs values per seed pair")
    seeds = sorted(distinct_seeds(ks))
    k = len(seeds)
    if k < 3:
        raise StatError(f"a seed-level bound over pairwise values needs at least 3 seeds, got {k}")
    if len(ks) != k * (k - 1) // 2:
        raise StatError(f"pairwise values need every pair of the {k} seeds "
                        f"({k * (k - 1) // 2} pairs), got {len(ks)}")
    theta = mean(values)
    loo = [mean([v for key, v in zip(ks, values, strict=True) if s not in key]) for s in seeds]
    # √((k−1)/k · Σ(θ̂₋ᵢ − θ̄)²) = √((k−1)²/k) · sd(θ̂₋ᵢ), sd computed without underflow.
    se = (k - 1) / math.sqrt(k) * sample_sd(loo)
    return Estimate(theta, se * se, k - 1, k, "delete-one-seed jackknife over pairs", se=se,
                    scale=_magnitude(values))


def pairwise_jackknife_from_seed_means(means: Sequence[float]) -> Estimate:
    """The same jackknife when only each seed's mean over its pairs is kept (sweep rows).

    With every pair of k seeds present, mᵢ = mean of the k − 1 pairs containing seed i gives
    θ̂ = mean(mᵢ) and θ̂₋ᵢ = (k·θ̂ − 2·mᵢ)/(k − 2), hence
    Var̂ = 4 (k−1)² s_m² / (k (k−2)²) with s_m² the sample variance of the mᵢ; df = k − 1.
    """
    k = len(means)
    if k < 3:
        raise StatError(f"a seed-level bound over pairwise values needs at least 3 seeds, got {k}")
    se = 2.0 * (k - 1) * sample_sd(means) / (math.sqrt(k) * (k - 2))
    return Estimate(mean(means), se * se, k - 1, k, "delete-one-seed jackknife over pairs",
                    se=se, scale=_magnitude(means))


def pooled_mean(estimates: Sequence[Estimate]) -> Estimate:
    """Equal-weight mean of independent estimates (e.g. one per sweep condition): variance
    Σ varᵢ / C², df by Welch–Satterthwaite for a linear combination."""
    if not estimates:
        raise StatError("no estimates to pool")
    c = len(estimates)
    se = math.hypot(*(e.se for e in estimates)) / c
    return Estimate(mean([e.value for e in estimates]), se * se, _welch_df(estimates),
                    sum(e.n_seeds for e in estimates), estimates[0].method, se=se,
                    scale=max(e.scale for e in estimates))


def _welch_df(estimates: Sequence[Estimate]) -> float:
    """Welch–Satterthwaite df of a sum of independent estimates, on squared standard errors
    scaled by the largest (squaring a tiny variance would underflow and divide by zero)."""
    top = max(e.se for e in estimates)
    if not top > 0.0 or not math.isfinite(top):
        return min(e.df for e in estimates)
    r = [(e.se / top) ** 2 for e in estimates]
    return math.fsum(r) ** 2 / math.fsum(x * x / e.df for x, e in zip(r, estimates, strict=True))


def seed_estimate(keys: Sequence[Sequence[int]], values: Sequence[float]) -> Estimate:
    """Mean of keyed values with its variance: per-seed → s²/n (df n−1); per pair → jackknife."""
    if len(keys) != len(values):
        raise StatError(f"{len(keys)} keys for {len(values)} values")
    ks = units(keys)
    if len(ks[0]) == 2:
        return pairwise_jackknife(ks, values)
    return t_estimate(values)


def sample_estimate(keys: Sequence[Sequence[int]], values: Sequence[float]) -> Estimate:
    """The estimate every consumer uses for a list of per-seed values (gates, render, audit).

    Keyed values (``(seed,)`` or ``(a, b)`` per value) go through :func:`seed_estimate`: seeds
    are the units, pairwise values get the delete-one-seed jackknife. A list of bare numbers
    (no keys at all) has no seed information; each entry is then taken as one unit (t over the
    entries). A list mixing keyed and bare entries raises StatError.
    """
    if len(keys) != len(values):
        raise StatError(f"{len(keys)} keys for {len(values)} values")
    if keys and all(len(k) == 0 for k in keys):
        return t_estimate(values, "t over entries")
    if any(len(k) == 0 for k in keys):
        raise StatError("some values carry seeds and some do not")
    return seed_estimate(keys, values)


def bounds(est: Estimate, confidence: float, *,
           allow_zero_variance: bool = False) -> tuple[float, float]:
    """est.value ± t((1 + confidence)/2, est.df) · est.se.

    The one place a bound is made: raises DegenerateEvidence (a StatError) unless the standard
    error is finite, strictly positive and not negligible (:func:`spread_problem`), so every
    consumer (gates, runners, render, audit) refuses the same evidence. ``allow_zero_variance``
    (a gate's opt-in) lets a zero or negligible spread give the point estimate; never a
    non-finite one.
    """
    require_spread(est, allow_zero_variance=allow_zero_variance)
    if est.se == 0.0:
        return est.value, est.value
    half = t_ppf((1.0 + confidence) / 2.0, est.df) * est.se
    lo, hi = est.value - half, est.value + half
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise DegenerateEvidence(f"degenerate evidence: the bounds [{lo}, {hi}] are not finite")
    return lo, hi


def difference(a: Estimate, b: Estimate) -> Estimate:
    """a − b for independent estimates: variances add; df by Welch–Satterthwaite."""
    value = a.value - b.value
    if not math.isfinite(value):
        raise StatError(f"the difference {a.value:.6g} − {b.value:.6g} is not finite")
    se = math.hypot(a.se, b.se)
    return Estimate(value, se * se, _welch_df([a, b]), min(a.n_seeds, b.n_seeds),
                    f"Welch on {a.method}", se=se, scale=max(a.scale, b.scale))


def paired_differences(
    a_keys: Sequence[Sequence[int]], a: Sequence[float],
    b_keys: Sequence[Sequence[int]], b: Sequence[float],
) -> tuple[list[Key], list[float]]:
    """Per-unit differences a − b; both sides must hold exactly the same units."""
    ka, kb = units(a_keys), units(b_keys)
    bmap = dict(zip(kb, b, strict=True))
    if set(ka) != set(kb):
        raise StatError("a paired statistic needs the same seeds (or seed pairs) on both sides")
    return ka, [v - bmap[k] for k, v in zip(ka, a, strict=True)]


def seed_bounds(keys: Sequence[Sequence[int]], values: Sequence[float],
                confidence: float, *, allow_zero_variance: bool = False) -> tuple[float, float]:
    """Two-sided t interval of the mean of keyed values, seeds (not entries) as units."""
    return bounds(seed_estimate(keys, values), confidence,
                  allow_zero_variance=allow_zero_variance)


def seed_difference_bounds(
    a_keys: Sequence[Sequence[int]], a: Sequence[float],
    b_keys: Sequence[Sequence[int]], b: Sequence[float], confidence: float, *,
    allow_zero_variance: bool = False,
) -> tuple[float, float]:
    """Interval of mean(a) − mean(b) for two independent arms (Welch on seed-level variances)."""
    return bounds(difference(seed_estimate(a_keys, a), seed_estimate(b_keys, b)), confidence,
                  allow_zero_variance=allow_zero_variance)

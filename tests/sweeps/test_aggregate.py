"""Aggregates and the frontier on hand-made rows."""

from __future__ import annotations

import pytest

from policy import one_sample_bounds
from runners.sweep._aggregate import by_axis, frontier
from runners.sweep._spec import FrontierSpec

ROWS = [
    {"condition": {"a": a, "b": b}, "seed": s, "metrics": {"ev": ev + 0.01 * s, "l0": l0}}
    for (a, b, ev, l0) in [(1, "x", 0.5, 10.0), (1, "y", 0.7, 20.0), (2, "x", 0.6, 5.0),
                           (2, "y", 0.4, 30.0)]
    for s in (0, 1)
]


def test_by_axis_pools_other_axes_and_uses_policy_bounds() -> None:
    aggs = by_axis(ROWS, ["a", "b"], None, 0.95)
    one = next(g for g in aggs if g.axis == "a" and g.value == 1 and g.metric == "ev")
    xs = [0.5, 0.51, 0.7, 0.71]
    assert one.n == 4 and one.mean == pytest.approx(sum(xs) / 4)
    assert (one.lcb, one.ucb) == pytest.approx(one_sample_bounds(xs, 0.95))
    assert {(g.axis, g.value) for g in aggs} == {("a", 1), ("a", 2), ("b", "x"), ("b", "y")}


def test_frontier_marks_non_dominated_conditions() -> None:
    spec = FrontierSpec(statistic="mean", objectives=[{"metric": "ev", "goal": "max"},
                                                      {"metric": "l0", "goal": "min"}])
    rows = {tuple(r.condition.values()): r for r in frontier(ROWS, ["a", "b"], spec, 0.95).rows}
    assert rows[(1, "y")].pareto and rows[(2, "x")].pareto
    assert not rows[(2, "y")].pareto  # worse ev and worse l0 than (1, "y")
    assert not rows[(1, "x")].pareto  # worse ev and worse l0 than (2, "x")
    assert rows[(2, "x")].seeds == [0, 1]


def test_frontier_bound_needs_two_seeds() -> None:
    spec = FrontierSpec(objectives=[{"metric": "ev", "goal": "max"}])
    with pytest.raises(ValueError, match="at least 2 seeds"):
        frontier([r for r in ROWS if r["seed"] == 0], ["a", "b"], spec, 0.95)
    with pytest.raises(ValueError, match="'nope' is missing"):
        frontier(ROWS, ["a", "b"], FrontierSpec(objectives=[{"metric": "nope", "goal": "max"}]),
                 0.95)


def _jack(pairs: dict[tuple[int, int], float]) -> tuple[float, float, int]:
    """Brute-force delete-one-seed jackknife over the pair values (numpy, not the code)."""
    import numpy as np

    seeds = sorted({s for p in pairs for s in p})
    theta = float(np.mean(list(pairs.values())))
    loo = np.array([np.mean([v for p, v in pairs.items() if s not in p]) for s in seeds])
    k = len(seeds)
    return theta, (k - 1) / k * float(((loo - loo.mean()) ** 2).sum()), k - 1


def test_pairwise_metric_is_bounded_at_the_seed_level() -> None:
    # Issue 10: a row's pwmcc is its seed's mean over the pairs it is in; rows of one condition
    # share pairs, so a t interval over rows is too narrow. Two conditions with axis a = 1.
    import numpy as np
    from scipy import stats

    pair_sets = {
        "x": {(0, 1): 0.61, (0, 2): 0.58, (1, 2): 0.66, (0, 3): 0.60, (1, 3): 0.63, (2, 3): 0.59},
        "y": {(0, 1): 0.52, (0, 2): 0.55, (1, 2): 0.50, (0, 3): 0.57, (1, 3): 0.51, (2, 3): 0.54},
    }
    rows = []
    for b, pairs in pair_sets.items():
        for s in range(4):
            mine = [v for p, v in pairs.items() if s in p]
            rows.append({"condition": {"a": 1, "b": b}, "seed": s,
                         "metrics": {"pwmcc": sum(mine) / len(mine)}})
    agg = next(g for g in by_axis(rows, ["a", "b"], ["pwmcc"], 0.95) if g.axis == "a")
    ests = [_jack(p) for p in pair_sets.values()]
    theta = np.mean([e[0] for e in ests])
    var = sum(e[1] for e in ests) / 4
    df = sum(e[1] for e in ests) ** 2 / sum(e[1] ** 2 / e[2] for e in ests)
    half = stats.t.ppf(0.975, df) * np.sqrt(var)
    assert agg.mean == pytest.approx(theta)
    assert (agg.lcb, agg.ucb) == pytest.approx((theta - half, theta + half), rel=1e-9)
    naive = one_sample_bounds([r["metrics"]["pwmcc"] for r in rows], 0.95)
    assert agg.lcb is not None and agg.lcb < naive[0]  # wider than rows-as-independent
    one = next(g for g in by_axis(rows, ["a", "b"], ["pwmcc"], 0.95) if g.value == "x")
    t, v, d = _jack(pair_sets["x"])
    assert one.lcb == pytest.approx(t - stats.t.ppf(0.975, d) * np.sqrt(v), rel=1e-9)


def test_pairwise_metric_with_two_seeds_has_no_bound() -> None:
    rows = [{"condition": {"a": 1}, "seed": s, "metrics": {"pwmcc": 0.6}} for s in (0, 1)]
    agg = by_axis(rows, ["a"], ["pwmcc"], 0.95)[0]
    assert (agg.lcb, agg.ucb) == (None, None) and agg.mean == pytest.approx(0.6)
    spec = FrontierSpec(objectives=[{"metric": "pwmcc", "goal": "max"}])
    with pytest.raises(ValueError, match="pwmcc needs at least 3 seeds"):
        frontier(rows, ["a"], spec, 0.95)

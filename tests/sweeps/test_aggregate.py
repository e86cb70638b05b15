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

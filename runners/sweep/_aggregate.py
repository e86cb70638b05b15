"""Sweep rows → aggregates by axis and the frontier table.

Bounds come from ``policy.one_sample_bounds`` (the one confidence-bound method of the project)
and Pareto dominance from external selection (``runners.external._selection``), so a sweep's
frontier and a candidate selection can never disagree about what "better" means.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from evidence_schema import AxisAggregate, FrontierObjective, FrontierRow, SweepFrontier

from ..external._selection import _dominates
from ._spec import FrontierSpec

BOUND_METHOD = ("policy.one_sample_bounds: Student t interval over the sweep rows "
                "(conditions × seeds) with that axis value")


def _key(v: Any) -> str:
    return json.dumps(v, sort_keys=True)


def _bounds(values: Sequence[float], confidence: float) -> tuple[float | None, float | None]:
    from evidence_schema.stats import one_sample_bounds

    if len(values) < 2:
        return None, None
    lo, hi = one_sample_bounds(values, confidence)
    return lo, hi


def by_axis(rows: Sequence[dict[str, Any]], axes: Sequence[str], metrics: Sequence[str] | None,
            confidence: float) -> list[AxisAggregate]:
    """Mean and bounds of each metric for each value of each axis, over all other axes."""
    names = sorted({m for r in rows for m in r["metrics"]}) if metrics is None else list(metrics)
    out = []
    for axis in axes:
        values: dict[str, Any] = {}
        for r in rows:
            values.setdefault(_key(r["condition"][axis]), r["condition"][axis])
        for vkey, value in values.items():
            sel = [r for r in rows if _key(r["condition"][axis]) == vkey]
            for m in names:
                xs = [float(r["metrics"][m]) for r in sel if m in r["metrics"]]
                if not xs:
                    continue
                lo, hi = _bounds(xs, confidence)
                out.append(AxisAggregate(axis=axis, value=value, metric=m, n=len(xs),
                                         mean=sum(xs) / len(xs), lcb=lo, ucb=hi))
    return out


def frontier(rows: Sequence[dict[str, Any]], axes: Sequence[str], spec: FrontierSpec,
             confidence: float) -> SweepFrontier:
    """Per condition: each objective's statistic over seeds, and whether it is Pareto-optimal.

    With ``statistic: bound`` a maximised metric is scored by its lcb and a minimised one by its
    ucb: a condition has to be better even at the pessimistic end of its seed interval.
    """
    conds: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        conds.setdefault(_key({a: r["condition"][a] for a in axes}), []).append(r)
    scored: list[tuple[dict[str, Any], list[int], dict[str, float]]] = []
    for group in conds.values():
        vals: dict[str, float] = {}
        for obj in spec.objectives:
            xs = [float(r["metrics"][obj.metric]) for r in group if obj.metric in r["metrics"]]
            if not xs:
                raise ValueError(f"frontier metric {obj.metric!r} is missing from condition "
                                 f"{group[0]['condition']}; row metrics: "
                                 f"{', '.join(sorted(group[0]['metrics']))}")
            if spec.statistic == "mean":
                vals[obj.metric] = sum(xs) / len(xs)
            else:
                lo, hi = _bounds(xs, confidence)
                if lo is None or hi is None:
                    raise ValueError("frontier statistic 'bound' needs at least 2 seeds; "
                                     "use statistic: mean for single-seed sweeps")
                vals[obj.metric] = lo if obj.goal == "max" else hi
        cond = {a: group[0]["condition"][a] for a in axes}
        scored.append((cond, sorted(r["seed"] for r in group), vals))

    def signed(v: dict[str, float]) -> list[float]:
        return [v[o.metric] if o.goal == "max" else -v[o.metric] for o in spec.objectives]

    front_rows = []
    for cond, seeds, vals in scored:
        dominated = any(_dominates(signed(other), signed(vals)) for _, _, other in scored)
        front_rows.append(FrontierRow(condition=cond, seeds=seeds, values=vals,
                                      pareto=not dominated))
    return SweepFrontier(
        objectives=[FrontierObjective(metric=o.metric, goal=o.goal) for o in spec.objectives],
        statistic=spec.statistic, rows=front_rows,
    )

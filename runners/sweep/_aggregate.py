"""Sweep rows → aggregates by axis and the frontier table.

Bounds come from ``evidence_schema.stats`` (the one confidence-bound method of the project) and
Pareto dominance from external selection (``runners.external._selection``), so a sweep's
frontier and a candidate selection can never disagree about what "better" means.

Rows are condition × seed. A per-seed metric is bounded by the t interval over its rows. A
pairwise metric (PWMCC: a row holds the seed's mean over the pairs it is in) is not independent
across the seeds of one condition, so it is bounded at the seed level: the delete-one-seed
jackknife per condition (``stats.pairwise_jackknife_from_seed_means``), conditions pooled with
equal weight (``stats.pooled_mean``); see docs/statistics.md.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from evidence_schema import AxisAggregate, FrontierObjective, FrontierRow, SweepFrontier

from ..external._selection import _dominates
from ._spec import FrontierSpec

BOUND_METHOD = ("evidence_schema.stats: Student t interval over the sweep rows (conditions × "
                "seeds) with that axis value; pairwise metrics (pwmcc, pwmcc_random): "
                "delete-one-seed jackknife per condition, conditions pooled (df Welch–"
                "Satterthwaite)")
# Row metrics that are a seed's mean over its seed pairs (runners.sweep._condition).
PAIRWISE_METRICS = ("pwmcc", "pwmcc_random")


def is_pairwise(metric: str) -> bool:
    return metric.rsplit(".", 1)[-1] in PAIRWISE_METRICS


def _key(v: Any) -> str:
    return json.dumps(v, sort_keys=True)


def _bounds(values: Sequence[float], confidence: float) -> tuple[float | None, float | None]:
    from evidence_schema.stats import one_sample_bounds

    if len(values) < 2:
        return None, None
    return _or_none(lambda: one_sample_bounds(values, confidence))


def _or_none(make: Any) -> tuple[float | None, float | None]:
    """Bounds, or none when the spread is zero/negligible (stats.DegenerateEvidence): a
    zero-width interval would look like certainty (docs/statistics.md)."""
    from evidence_schema.stats import DegenerateEvidence

    try:
        lo, hi = make()
    except DegenerateEvidence:
        return None, None
    return lo, hi


def _metric_bounds(rows: Sequence[dict[str, Any]], metric: str,
                   confidence: float) -> tuple[float | None, float | None]:
    """Bounds of ``metric`` over ``rows`` (one value per condition × seed)."""
    from evidence_schema import stats

    if not is_pairwise(metric):
        return _bounds([float(r["metrics"][metric]) for r in rows], confidence)
    by_cond: dict[str, list[float]] = {}
    for r in rows:
        by_cond.setdefault(_key(r["condition"]), []).append(float(r["metrics"][metric]))
    # Under 3 seeds a condition has no seed-level variance: no bound (never a narrower one).
    if any(len(v) < 3 for v in by_cond.values()):
        return None, None
    est = stats.pooled_mean([stats.pairwise_jackknife_from_seed_means(v)
                             for v in by_cond.values()])
    return _or_none(lambda: stats.bounds(est, confidence))


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
                have = [r for r in sel if m in r["metrics"]]
                xs = [float(r["metrics"][m]) for r in have]
                if not xs:
                    continue
                lo, hi = _metric_bounds(have, m, confidence)
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
            have = [r for r in group if obj.metric in r["metrics"]]
            xs = [float(r["metrics"][obj.metric]) for r in have]
            if not xs:
                raise ValueError(f"frontier metric {obj.metric!r} is missing from condition "
                                 f"{group[0]['condition']}; row metrics: "
                                 f"{', '.join(sorted(group[0]['metrics']))}")
            if spec.statistic == "mean":
                vals[obj.metric] = sum(xs) / len(xs)
            else:
                lo, hi = _metric_bounds(have, obj.metric, confidence)
                if lo is None or hi is None:
                    need = 3 if is_pairwise(obj.metric) else 2
                    raise ValueError(f"frontier statistic 'bound' of {obj.metric} needs at least "
                                     f"{need} seeds whose values differ (zero or negligible "
                                     "variance is degenerate evidence); use statistic: mean")
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

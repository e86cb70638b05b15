"""One leaf gate + its evidence → the data of its plot (``GatePlot``), in words.

The band is the two-sided interval the policy computes (``evidence_schema.stats``, the same
keyed functions ``policy`` calls): Student-t over seeds, the delete-one-seed jackknife for
per-pair values such as PWMCC, per-seed differences when paired, Welch for two independent arms;
the gate's ``lcb``/``ucb`` is one end of it. Statistics without an interval (``value``,
``mean``, ``min``, ``max``) are drawn without a band.
"""

from __future__ import annotations

import re
from statistics import mean
from typing import Any

from evidence_schema import GateResult

from ._plots import GatePlot, words

# Display names of the external benchmarks (evidence /metrics/benchmark/name).
BENCHMARKS = {"cebench": "CE-Bench", "saebench": "SAEBench"}
_STAT_WORDS = {"lcb": "lower bound", "ucb": "upper bound", "mean": "mean", "min": "minimum",
               "max": "maximum", "value": "value"}


def _is_number(doc: Any, pointer: str) -> bool:
    from policy import resolve_pointer

    raw = resolve_pointer(doc, pointer)
    return isinstance(raw, int | float) and not isinstance(raw, bool)


def samples(doc: Any, pointer: str) -> list[tuple[tuple[int, ...], float]]:
    """(seeds, value) pairs at ``pointer``; a bare number counts for the provenance's seeds."""
    from policy import resolve_pointer

    raw = resolve_pointer(doc, pointer)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return [(tuple(doc.get("provenance", {}).get("seeds", [])), float(raw))]
    return [(tuple(s["seeds"]), float(s["value"])) for s in raw or []]


def benchmark_label(doc: Any) -> str | None:
    """``CE-Bench interpretability score (mean)`` for external-benchmark evidence, else None.

    An axis reading only "delta vs matched baseline" does not say which benchmark or which of
    its metrics the delta is of; the evidence names both (``/metrics/benchmark/name``,
    ``/metrics/metric``).
    """
    metrics = doc.get("metrics") if isinstance(doc, dict) else None
    if not isinstance(metrics, dict):
        return None
    bench = metrics.get("benchmark")
    if not isinstance(bench, dict) or not isinstance(bench.get("name"), str):
        return None
    name = BENCHMARKS.get(bench["name"], bench["name"])
    metric = str(metrics.get("metric") or "").strip()
    evaluation = str(bench.get("eval_type") or "").replace("_", " ")
    if ": " in metric:  # "sparse_probing: sae_top_1_test_accuracy − llm_test_accuracy"
        head, formula = metric.split(": ", 1)
        metric = f"{head.replace('_', ' ')} ({formula})"
    elif re.fullmatch(r"[a-z]+(_[a-z]+)*_mean", metric):  # CE-Bench's interpretability_score_mean
        metric = metric.removesuffix("_mean").replace("_", " ") + " (mean)"
    elif metric and evaluation:  # a result-file field: the evaluation in words, then the field
        metric = f"{evaluation} ({metric})"
    else:
        metric = (metric or evaluation).replace("_", " ")
    return f"{name} {metric}".strip()


def _axis(doc: Any, pointer: str) -> str:
    """The y-axis words for ``pointer``; a benchmark's deltas name the benchmark and metric."""
    bench = benchmark_label(doc)
    if bench is not None and pointer.rstrip("/").endswith("/deltas"):
        return f"{bench}: candidate − matched baseline"
    return words(pointer)


def _label(seeds: tuple[int, ...], bare: bool) -> str:
    if bare:  # one number standing for the whole run
        return "seeds " + ", ".join(map(str, seeds))
    return "–".join(map(str, seeds))


def gate_plot(name: str, g: GateResult, leaf: Any, doc: Any) -> GatePlot:
    """Raises KeyError/TypeError/ValueError when the evidence lacks what the gate reads."""
    from evidence_schema.stats import (
        StatError,
        paired_differences,
        seed_bounds,
        seed_difference_bounds,
    )

    conf = float(leaf.confidence)
    a = samples(doc, leaf.metric)
    pct = f"{conf * 100:g}%"
    bare = _is_number(doc, leaf.metric)
    per_pair = not bare and any(len(k) == 2 for k, _ in a)
    how = "pairwise jackknife" if per_pair else "t"
    bounded = leaf.statistic in ("lcb", "ucb")
    interval: tuple[float, float] | None = None
    try:
        if leaf.minus is None:
            pts = a
            ylabel = _axis(doc, leaf.metric)
            centre = ("mean", mean(v for _, v in a))
            method = f"{pct} interval ({how})"
            if bounded:
                interval = seed_bounds([k for k, _ in a], [v for _, v in a], conf)
        elif leaf.pairing == "paired":
            b = samples(doc, leaf.minus)
            keys, diffs = paired_differences([k for k, _ in a], [v for _, v in a],
                                             [k for k, _ in b], [v for _, v in b])
            pts = list(zip(keys, diffs, strict=True))
            ylabel = f"{words(leaf.metric)} − {words(leaf.minus)}"
            centre = ("mean difference", mean(diffs))
            method = f"{pct} interval (paired {how})"
            if bounded:
                interval = seed_bounds(keys, diffs, conf)
        else:  # Welch: two independent arms; each point is one unit minus the other arm's mean
            b = samples(doc, leaf.minus)
            bmean = mean(v for _, v in b)
            pts = [(k, v - bmean) for k, v in a]
            ylabel = f"{words(leaf.metric)} − mean {words(leaf.minus)}"
            centre = ("difference of means", mean(v for _, v in a) - bmean)
            method = f"{pct} interval (Welch, {how})"
            if bounded:
                interval = seed_difference_bounds([k for k, _ in a], [v for _, v in a],
                                                  [k for k, _ in b], [v for _, v in b], conf)
    except StatError:
        interval = None  # the gate itself is then invalid; draw the points without a band
    stat = _STAT_WORDS.get(g.statistic or "", g.statistic or "observed")
    if g.statistic in ("lcb", "ucb"):
        stat = f"{stat} ({pct})"
    shown = name.replace(".", " / ")
    return GatePlot(
        title=f"{shown}: {g.status.upper()}",
        ylabel=ylabel,
        xlabel=("all seeds (one value)" if bare else "seed pair" if per_pair else "seed"),
        points=[(_label(tuple(k), bare), v) for k, v in pts],
        statistic=(f"gate {stat}", float(g.observed if g.observed is not None else 0.0)),
        passed=g.status == "pass",
        interval=interval,
        interval_label=method if interval is not None else "",
        # For `mean` the centre is the statistic itself; one point has no centre to show.
        centre=centre if len(pts) > 1 and g.statistic != "mean" else None,
        threshold=None if g.threshold is None else (g.comparison or "", float(g.threshold)),
    )

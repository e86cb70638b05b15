"""Evidence documents → tables, in plain Python (no pandas, no GX).

Two shapes:
- a sweep's rows: one row per (condition, seed), a column per axis and per metric;
- per-seed metric tables: every list of ``Sample`` in a document, long form, one row per
  (metric pointer, seeds).

Each table carries what the suite must check: the cells that must be present (so a missing
condition or seed is a failure, and zero rows is a failure, never a vacuous pass), the key
columns that must be unique, and value ranges by metric.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

# The per-seed tables the shipped policy reads, by kind: a document without one of these has
# zero rows for that condition, which must fail rather than pass vacuously.
EXPECTED_METRICS: dict[str, tuple[str, ...]] = {
    "random_model_control": ("/metrics/trained/pwmcc", "/metrics/random/pwmcc"),
    "transcoder_stress": ("/metrics/sae/pwmcc", "/metrics/transcoder/pwmcc"),
    "ood_stress": ("/metrics/in_distribution/explained_variance",
                   "/metrics/out_of_distribution/explained_variance"),
    "external_benchmark": ("/metrics/candidate", "/metrics/baseline", "/metrics/deltas"),
    "consistency": ("/metrics/trained", "/metrics/random_baseline"),
}

# Value ranges by the metric's last name (None: unbounded on that side). Pydantic already
# refuses NaN/inf; these are the scientific ranges a correct run cannot leave.
RANGES: dict[str, tuple[float | None, float | None]] = {
    "pwmcc": (-1.0, 1.0),
    "trained": (-1.0, 1.0),  # consistency: PWMCC
    "random_baseline": (-1.0, 1.0),
    "explained_variance": (None, 1.0),
    "dead_fraction": (0.0, 1.0),
    "feature_recovery_mcc": (0.0, 1.0),
    "l0": (0.0, None),
    "mse": (0.0, None),
}


@dataclass
class Table:
    path: str
    name: str  # "sweep" or "per_seed"
    columns: list[str]
    rows: list[dict[str, Any]]
    key: list[str]  # one row per key
    cell_column: str  # a column naming each (condition, seed) cell
    expected_cells: list[str]  # cells that must all be present
    value_columns: list[str]  # must have no nulls
    # (column, row_condition or None, min, max) ranges
    ranges: list[tuple[str, str | None, float | None, float | None]] = field(default_factory=list)


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _seed_key(seeds: list[int] | tuple[int, ...]) -> str:
    return "-".join(str(s) for s in seeds)


def _range_of(name: str) -> tuple[float | None, float | None] | None:
    return RANGES.get(name)


def sweep_table(path: str, doc: dict[str, Any]) -> Table:
    metrics = doc["metrics"]
    axes: list[str] = list(metrics["axes"])
    rows_in: list[dict[str, Any]] = metrics["rows"]
    metric_names = sorted({m for r in rows_in for m in r["metrics"]})
    rows = []
    for r in rows_in:
        cond = {a: r["condition"].get(a) for a in axes}
        row: dict[str, Any] = {f"axis:{a}": _key(cond[a]) for a in axes}
        row["condition"] = _key(cond)
        row["seed"] = r["seed"]
        row["cell"] = f"{row['condition']}|{r['seed']}"
        for m in metric_names:  # a metric missing from one row is a null in the table
            row[f"metric:{m}"] = r["metrics"].get(m)
        rows.append(row)
    # The expected grid: every combination of the axis values seen, for every declared seed.
    # A sweep that silently dropped a cell (a crashed run) is then a failure.
    values = [sorted({_key(r["condition"].get(a)) for r in rows_in}) for a in axes]
    seeds = sorted(set(doc["provenance"]["seeds"]) | {r["seed"] for r in rows_in})
    expected = []
    for combo in itertools.product(*values):
        cond_key = _key({a: json.loads(v) for a, v in zip(axes, combo, strict=True)})
        expected += [f"{cond_key}|{s}" for s in seeds]
    ranges: list[tuple[str, str | None, float | None, float | None]] = []
    for m in metric_names:
        rng = _range_of(m)
        if rng is not None:
            ranges.append((f"metric:{m}", None, rng[0], rng[1]))
    return Table(
        path=path, name="sweep",
        columns=[*(f"axis:{a}" for a in axes), "condition", "seed", "cell",
                 *(f"metric:{m}" for m in metric_names)],
        rows=rows, key=["condition", "seed"], cell_column="cell", expected_cells=expected,
        value_columns=[f"metric:{m}" for m in metric_names], ranges=ranges,
    )


def _sample_lists(node: Any, pointer: str) -> list[tuple[str, list[dict[str, Any]]]]:
    if isinstance(node, dict):
        out = []
        for k, v in node.items():
            out += _sample_lists(v, f"{pointer}/{k}")
        return out
    if isinstance(node, list) and node and all(
        isinstance(s, dict) and set(s) == {"seeds", "value"} for s in node
    ):
        return [(pointer, node)]
    return []


def per_seed_table(path: str, doc: dict[str, Any]) -> Table | None:
    found = dict(_sample_lists(doc.get("metrics", {}), "/metrics"))
    required = EXPECTED_METRICS.get(doc.get("kind", ""), ())
    if not found and not required:
        return None
    declared = sorted(set(doc.get("provenance", {}).get("seeds", [])))
    rows = []
    expected: list[str] = []
    for pointer in sorted(set(found) | set(required)):
        samples = found.get(pointer, [])
        for s in samples:
            rows.append({"metric": pointer, "seeds": _seed_key(s["seeds"]), "value": s["value"],
                         "cell": f"{pointer}|{_seed_key(s['seeds'])}"})
        # Per-seed lists need every declared seed; per-pair lists (PWMCC) every pair of them.
        width = len(samples[0]["seeds"]) if samples else 1
        combos = itertools.combinations(declared, width)
        expected += [f"{pointer}|{_seed_key(c)}" for c in combos]
    ranges: list[tuple[str, str | None, float | None, float | None]] = []
    for pointer in sorted(found):
        rng = _range_of(pointer.rsplit("/", 1)[-1])
        if rng is not None:
            ranges.append(("value", f'metric=="{pointer}"', rng[0], rng[1]))
    return Table(
        path=path, name="per_seed", columns=["metric", "seeds", "value", "cell"], rows=rows,
        key=["metric", "seeds"], cell_column="cell",
        expected_cells=expected,
        value_columns=["value"], ranges=ranges,
    )


def tables_for(path: str, doc: dict[str, Any]) -> list[Table]:
    """The tables of one (schema-valid) evidence document; empty for non-tabular kinds."""
    tables: list[Table] = []
    if doc.get("kind") == "sweep":
        tables.append(sweep_table(path, doc))
    per_seed = per_seed_table(path, doc)
    if per_seed is not None:
        tables.append(per_seed)
    return tables

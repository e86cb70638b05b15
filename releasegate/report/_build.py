"""Decision (+ its evidence) → a static HTML page with SVG plots beside it.

The page is for people: the gate table with everything a reviewer asks about (status, observed
value, threshold, seeds, evidence with hashes, waivers with expiry), then pictures where a
picture is quicker than a table: per-seed values with the confidence interval as a band, the
gate's bound and its threshold for each gate, the external-benchmark frontier (both deltas
against 0, points labelled by seed), and sweep metrics against their axes. Plots are drawn by
matplotlib (``_plots``), imported only here; without it the page has the table and a note.

Plots are drawn only from evidence whose sha256 still matches the decision: a picture of
different data than the decision judged would be worse than no picture.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any

from evidence_schema import DecisionEvidence, GateResult, sha256_file, write_atomic

from ._gateplot import gate_plot
from ._plots import ScatterSeries, words

INDEX = "index.html"
PLOTS = "plots"
# Sweep axes people want on the x axis, in this order; other numeric axes follow.
PREFERRED_AXES = ("training_tokens", "tokens", "token_budget", "layer", "d_sae")


@dataclass
class Plot:
    file: str  # relative to the output directory
    caption: str


@dataclass
class Report:
    decision: DecisionEvidence
    plots_by_gate: dict[str, Plot] = field(default_factory=dict)
    other_plots: list[Plot] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "plot"


def _load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _leaf_gates(policy_path: Path) -> dict[str, Any]:
    from policy import load_policy

    return dict(load_policy(policy_path).policy.leaves())


def _flatten(gates: list[GateResult], prefix: str = "") -> list[tuple[str, GateResult, int]]:
    out: list[tuple[str, GateResult, int]] = []
    for g in gates:
        out.append((prefix + g.name, g, prefix.count(".")))
        out += _flatten(g.children, prefix + g.name + ".")
    return out


class _Builder:
    def __init__(self, decision: DecisionEvidence, out: Path, base: Path,
                 evidence_dir: Path | None) -> None:
        self.report = Report(decision)
        self.out = out
        self.base = base  # decision paths are relative to where `check` ran
        self.evidence_dir = evidence_dir
        self.hashes = {e.path: e.sha256 for e in decision.evidence}
        self.docs: dict[str, Any] = {}

    def doc(self, rel: str) -> Any | None:
        if rel in self.docs:
            return self.docs[rel]
        path = Path(rel) if Path(rel).is_absolute() else self.base / rel
        doc = None
        if not path.is_file():
            self.report.notes.append(f"{rel}: not found; no plot from it")
        elif rel in self.hashes and sha256_file(path) != self.hashes[rel]:
            self.report.notes.append(f"{rel}: changed since the decision (sha256 differs); "
                                     "no plot from it")
        else:
            doc = _load_json(path)
        self.docs[rel] = doc
        return doc

    def write_plot(self, name: str, svg: str, caption: str) -> Plot:
        rel = f"{PLOTS}/{_slug(name)}.svg"
        write_atomic(self.out / rel, svg.encode("utf-8"))
        return Plot(rel, caption)

    # --- per-gate plots -------------------------------------------------------------------

    def gate_plots(self) -> None:
        d = self.report.decision
        from policy import resolve_recorded_policy

        policy_path = resolve_recorded_policy(d.policy.path, self.base)
        try:
            if sha256_file(policy_path) != d.policy.sha256:
                self.report.notes.append(f"{d.policy.path}: changed since the decision; "
                                         "no per-gate plots")
                return
            leaves = _leaf_gates(policy_path)
        except OSError:
            self.report.notes.append(f"{d.policy.path}: not found; no per-gate plots")
            return
        for name, g, _ in _flatten(d.gates):
            leaf = leaves.get(name)
            if leaf is None or not g.evidence or g.observed is None:
                continue
            doc = self.doc(g.evidence[0])
            if doc is None:
                continue
            try:
                plot = self._gate_plot(name, g, leaf, doc)
            except (KeyError, TypeError, ValueError) as e:
                self.report.notes.append(f"{name}: no plot ({type(e).__name__}: {e})")
                continue
            self.report.plots_by_gate[name] = plot

    def _gate_plot(self, name: str, g: GateResult, leaf: Any, doc: Any) -> Plot:
        from ._plots import gate_svg

        p = gate_plot(name, g, leaf, doc)
        band = f", {p.interval_label} (band)" if p.interval else ""
        return self.write_plot(f"gate-{name}", gate_svg(p),
                               f"{name}: {p.ylabel} per {p.xlabel}{band}, the gate's "
                               f"{g.statistic or 'value'} and its threshold")

    # --- external frontier and sweeps -----------------------------------------------------

    def _extra_docs(self) -> list[tuple[str, Any]]:
        paths = [e.path for e in self.report.decision.evidence]
        docs = [(p, self.doc(p)) for p in paths]
        if self.evidence_dir is not None:
            from evidence_schema import iter_json_files

            for f in iter_json_files([self.evidence_dir]):
                rel = os.path.relpath(f, self.base)
                if rel not in paths:
                    try:
                        docs.append((rel, _load_json(f)))
                    except (OSError, ValueError):
                        self.report.notes.append(f"{rel}: unreadable; skipped")
        return [(p, d) for p, d in docs if isinstance(d, dict)]

    def frontier(self, docs: list[tuple[str, Any]]) -> None:
        by_bench: dict[str, dict[tuple[int, ...], float]] = {}
        for _, d in docs:
            if d.get("kind") == "external_benchmark":
                name = d["metrics"]["benchmark"]["name"]
                by_bench[name] = {tuple(s["seeds"]): s["value"] for s in d["metrics"]["deltas"]}
        series = []
        if "saebench" in by_bench and "cebench" in by_bench:
            common = sorted(set(by_bench["saebench"]) & set(by_bench["cebench"]))
            series.append(ScatterSeries(
                "candidate, per seed",
                [(by_bench["saebench"][k], by_bench["cebench"][k]) for k in common],
                point_labels=["seed " + "–".join(map(str, k)) for k in common]))
        for path, d in docs:  # sweeps carrying both deltas: one point per condition
            if d.get("kind") != "sweep":
                continue
            cols = {m for r in d["metrics"]["rows"] for m in r["metrics"]}
            sx = next((m for m in sorted(cols) if "saebench" in m and "delta" in m), None)
            sy = next((m for m in sorted(cols) if "cebench" in m and "delta" in m), None)
            if sx and sy:
                cells = _means_by_condition(d, [sx, sy])
                series.append(ScatterSeries(Path(path).stem,
                                            [(v[sx], v[sy]) for v in cells.values()],
                                            point_labels=list(cells)))
        if not series:
            return
        from ._plots import scatter_svg

        svg = scatter_svg("External benchmarks: candidate vs matched baseline",
                          "SAEBench delta (candidate − baseline)",
                          "CE-Bench delta (candidate − baseline)", series, zero_axes=True,
                          pass_quadrant="both deltas ≥ 0")
        self.report.other_plots.append(self.write_plot(
            "frontier", svg, "External frontier: SAEBench delta vs CE-Bench delta (each vs "
            "its matched baseline); up and right is better"))

    def sweeps(self, docs: list[tuple[str, Any]]) -> None:
        for path, d in docs:
            if d.get("kind") != "sweep":
                continue
            axes: list[str] = d["metrics"]["axes"]
            rows = d["metrics"]["rows"]
            numeric = [a for a in axes if all(
                isinstance(r["condition"].get(a), int | float)
                and not isinstance(r["condition"].get(a), bool) for r in rows)
                and len({r["condition"][a] for r in rows}) > 1]  # a constant axis is no plot
            numeric.sort(key=lambda a: (PREFERRED_AXES.index(a) if a in PREFERRED_AXES
                                        else len(PREFERRED_AXES), a))
            metrics = sorted({m for r in rows for m in r["metrics"]})
            for axis in numeric:
                for metric in metrics:
                    self._sweep_plot(path, d, axis, metric)

    def _sweep_plot(self, path: str, d: Any, axis: str, metric: str) -> None:
        others = [a for a in d["metrics"]["axes"] if a != axis]
        groups: dict[str, dict[float, list[float]]] = {}
        for r in d["metrics"]["rows"]:
            if metric not in r["metrics"]:
                continue
            label = ", ".join(f"{a}={r['condition'].get(a)}" for a in others) or metric
            groups.setdefault(label, {}).setdefault(float(r["condition"][axis]), []).append(
                r["metrics"][metric])
        series = [ScatterSeries(label, [(x, mean(v)) for x, v in sorted(pts.items())],
                                line=True)
                  for label, pts in list(groups.items())[:7]]
        xs = [x for s in series for x, _ in s.points]
        log_x = bool(xs) and min(xs) > 0 and max(xs) / min(xs) >= 100
        from ._plots import scatter_svg

        svg = scatter_svg(f"{words(metric)} vs {words(axis)}",
                          words(axis) + (" (log scale)" if log_x else ""),
                          f"{words(metric)}, mean over seeds", series, log_x=log_x)
        self.report.other_plots.append(self.write_plot(
            f"sweep-{Path(path).stem}-{metric}-vs-{axis}", svg,
            f"{Path(path).name}: {metric} vs {axis}"))


def _means_by_condition(d: Any, metrics: list[str]) -> dict[str, dict[str, float]]:
    acc: dict[str, dict[str, list[float]]] = {}
    for r in d["metrics"]["rows"]:
        key = ", ".join(f"{k}={v}" for k, v in sorted(r["condition"].items()))
        for m in metrics:
            if m in r["metrics"]:
                acc.setdefault(key, {}).setdefault(m, []).append(r["metrics"][m])
    return {k: {m: mean(v) for m, v in ms.items()} for k, ms in acc.items()
            if all(m in ms for m in metrics)}


class DecisionRefused(ValueError):
    """The decision does not reproduce when re-evaluated: no page is built (→ exit 1)."""

    def __init__(self, differences: list[str]) -> None:
        super().__init__("\n".join(differences))
        self.differences = differences


def _trust_notes(decision: DecisionEvidence, decision_path: Path, base: Path) -> list[str]:
    """Notes for the page; raises DecisionRefused when re-evaluation contradicts the decision
    (a page of a forged or stale decision would show green where the evidence says fail)."""
    if decision.basis == "imported":
        source = decision.provenance.config.get("imported_from") or decision.policy.path
        return [f"decision imported from {source} by import-gates: not re-evaluated by "
                "releasegate; no policy-derived plots (it names no releasegate policy)"]
    from .._decision_trust import reevaluate

    trust = reevaluate(decision_path, base)
    if trust.refused:
        raise DecisionRefused(trust.refused)
    return trust.notes + trust.unverified


def build_report(decision_path: Path, out: Path, evidence_dir: Path | None = None,
                 base: Path | None = None) -> Path:
    """Write ``out/index.html`` and ``out/plots/*.svg``; return the index path.

    ``base`` is the directory the decision's relative paths are relative to; default: the
    decision's directory (``paths_relative_to: decision``), else the current directory. A
    decision that contradicts itself is refused (ValueError); so is one that re-evaluation
    (`releasegate verify`) contradicts (DecisionRefused, every difference); one that cannot be
    re-evaluated because files are absent, or that was imported, gets a note on the page.
    """
    from evidence_schema import validate_file

    checked = validate_file(decision_path)
    if not checked.ok or checked.kind != "decision":
        why = "; ".join(str(p) for p in checked.problems) or f"kind {checked.kind}"
        raise ValueError(f"{decision_path} is not a valid decision: {why}")
    decision = DecisionEvidence.model_validate(checked.data)
    if base is None:  # where the decision says its paths start
        base = (decision_path.resolve().parent if decision.paths_relative_to == "decision"
                else Path.cwd())
    notes = _trust_notes(decision, decision_path, base)
    b = _Builder(decision, out, base, evidence_dir)
    b.report.notes += notes
    out.mkdir(parents=True, exist_ok=True)
    try:
        import matplotlib  # noqa: F401 - only to know whether plots can be drawn
    except ImportError:
        b.report.notes.append("no plots: they are drawn with matplotlib, which is not "
                              "installed (pip install 'releasegate[report]')")
    else:
        if decision.basis != "imported":  # its "policy" is the imported file: no gates
            b.gate_plots()
        docs = b._extra_docs()
        b.frontier(docs)
        b.sweeps(docs)
    from ._html import render_page

    index = out / INDEX
    write_atomic(index, render_page(b.report, str(decision_path)).encode("utf-8"))
    return index




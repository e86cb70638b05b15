"""The report's plots, drawn with matplotlib's SVG backend into standalone SVG text.

matplotlib is imported inside the functions (``releasegate report`` only, never at CLI parse
time) and used through ``matplotlib.figure.Figure``, not pyplot, so no global state or GUI
backend is involved. ``layout="constrained"`` sizes the margins to the labels, so axis labels
and legends are never cut off. Text stays text in the SVG (``svg.fonttype: none``): selectable,
searchable and small; ``svg.hashsalt`` and no date make the files reproducible.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

PASS_COLOUR, FAIL_COLOUR, POINT_COLOUR, BAND_COLOUR = "#1a7f37", "#cf222e", "#0969da", "#0969da"
SIZE = (6.4, 4.0)  # inches; about 615 × 384 px in a browser
_OPS = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}


def op_symbol(op: str | None) -> str:
    """'>=' → '≥' etc.: the legend reads as a sentence, not as code."""
    return _OPS.get(op or "", op or "")


@dataclass
class GatePlot:
    """One gate's picture: per-seed values, the interval as a band, statistic and threshold."""

    title: str
    ylabel: str
    xlabel: str
    points: list[tuple[str, float]]  # (seed or seed-pair label, value)
    statistic: tuple[str, float]  # (legend text, the gate's observed value)
    passed: bool
    interval: tuple[float, float] | None = None  # two-sided interval drawn as a band
    interval_label: str = ""
    centre: tuple[str, float] | None = None  # e.g. ("mean difference", 0.012)
    threshold: tuple[str, float] | None = None  # (op as in the policy, value)


@dataclass
class ScatterSeries:
    label: str
    points: list[tuple[float, float]]
    point_labels: list[str] = field(default_factory=list)
    line: bool = False


def _figure() -> Any:
    import matplotlib

    matplotlib.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "releasegate",
                                "font.size": 9, "axes.titlesize": 10,
                                "font.family": ["DejaVu Sans", "sans-serif"]})
    from matplotlib.figure import Figure

    fig = Figure(figsize=SIZE, layout="constrained")
    ax = fig.add_subplot()
    ax.grid(True, color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig, ax


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def _limits(values: Sequence[float], pad: float = 0.12) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    span = hi - lo or abs(hi) or 1.0
    return lo - pad * span, hi + pad * span


def gate_svg(p: GatePlot) -> str:
    return _svg(gate_figure(p))


def gate_figure(p: GatePlot) -> Any:
    """Per-seed dots; the interval as a shaded band; statistic solid; threshold dashed.

    Returns the matplotlib ``Figure`` (its one axes: dots, lines, limits; tests read them).
    """
    fig, ax = _figure()
    xs = list(range(len(p.points)))
    ys = [v for _, v in p.points]
    wanted = [*ys, p.statistic[1]]
    if p.interval is not None:
        lo, hi = p.interval
        ax.axhspan(lo, hi, color=BAND_COLOUR, alpha=0.13, linewidth=0, label=p.interval_label)
        wanted += [lo, hi]
    if p.centre is not None:
        ax.axhline(p.centre[1], color=BAND_COLOUR, linewidth=1, linestyle=":",
                   label=f"{p.centre[0]} = {p.centre[1]:.4g}")
    ax.axhline(p.statistic[1], color=PASS_COLOUR if p.passed else FAIL_COLOUR, linewidth=2,
               label=f"{p.statistic[0]} = {p.statistic[1]:.4g}")
    if p.threshold is not None:
        op, thr = p.threshold
        ax.axhline(thr, color="#444", linewidth=1.3, linestyle="--",
                   label=f"threshold {op_symbol(op)} {thr:g}")
        wanted.append(thr)  # the threshold is always inside the frame
    ax.scatter(xs, ys, s=36, color=POINT_COLOUR, edgecolor="white", linewidth=0.8, zorder=3,
               label={"seed": "per seed", "seed pair": "per seed pair"}.get(p.xlabel, "value"))
    ax.set_ylim(*_limits(wanted))
    ax.set_xlim(-0.6, len(xs) - 0.4)
    ax.set_xticks(xs, [lab for lab, _ in p.points], rotation=30 if len(xs) > 6 else 0)
    ax.set_xlabel(p.xlabel)
    ax.set_ylabel(p.ylabel, wrap=True)
    ax.set_title(p.title, loc="left", fontweight="bold",
                 color=PASS_COLOUR if p.passed else FAIL_COLOUR)
    fig.legend(loc="outside lower center", ncols=2, frameon=False)
    return fig


def scatter_svg(title: str, xlabel: str, ylabel: str, series: Sequence[ScatterSeries], *,
                zero_axes: bool = False, pass_quadrant: str = "", log_x: bool = False) -> str:
    return _svg(scatter_figure(title, xlabel, ylabel, series, zero_axes=zero_axes,
                               pass_quadrant=pass_quadrant, log_x=log_x))


def scatter_figure(title: str, xlabel: str, ylabel: str, series: Sequence[ScatterSeries], *,
                   zero_axes: bool = False, pass_quadrant: str = "", log_x: bool = False) -> Any:
    """Labelled points (a frontier) or lines (a sweep), as a matplotlib ``Figure``.

    ``zero_axes``: both axes include 0 and draw it, so the sign of each delta is visible;
    ``pass_quadrant``: legend text for a shaded x ≥ 0, y ≥ 0 quadrant.
    """
    fig, ax = _figure()
    xs = [x for s in series for x, _ in s.points] or [0.0]
    ys = [y for s in series for _, y in s.points] or [0.0]
    if zero_axes:
        xs, ys = [*xs, 0.0], [*ys, 0.0]
    x0, x1 = (min(xs) / 1.5, max(xs) * 1.5) if log_x else _limits(xs, 0.15)
    y0, y1 = _limits(ys, 0.15)
    colours = ["#0969da", "#bf3989", "#1a7f37", "#8250df", "#bc4c00", "#57606a", "#1b7c83"]
    for i, s in enumerate(series):
        c = colours[i % len(colours)]
        pts = sorted(s.points) if s.line else s.points
        if s.line:
            ax.plot([x for x, _ in pts], [y for _, y in pts], color=c, marker="o",
                    markersize=4, linewidth=1.4, label=s.label)
        else:
            ax.scatter([x for x, _ in pts], [y for _, y in pts], s=36, color=c, zorder=3,
                       edgecolor="white", linewidth=0.8, label=s.label)
            # Labels alternate above and below their point, in x order, so that two close
            # points do not print their labels on top of each other.
            order = sorted(range(len(pts)), key=lambda j: pts[j])
            for rank, j in enumerate(j for j in order if j < len(s.point_labels)):
                ax.annotate(s.point_labels[j], pts[j], xytext=(5, 4 if rank % 2 == 0 else -11),
                            textcoords="offset points", fontsize=8, color="#333")
    if zero_axes:
        ax.axhline(0.0, color="#444", linewidth=1)
        ax.axvline(0.0, color="#444", linewidth=1)
        if pass_quadrant and x1 > 0 and y1 > 0:
            ax.fill_between([0.0, x1], 0.0, y1, color=PASS_COLOUR, alpha=0.08, linewidth=0,
                            label=pass_quadrant)
    if log_x:
        ax.set_xscale("log")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel, wrap=True)
    ax.set_title(title, loc="left", fontweight="bold")
    fig.legend(loc="outside lower center", ncols=min(3, len(series) + int(bool(pass_quadrant))),
               frameon=False)
    return fig


# --- words for JSON pointers -----------------------------------------------------------------

_WORDS = {
    "pwmcc": "PWMCC", "sae": "SAE", "l0": "L0", "ood": "OOD", "mse": "MSE", "kl_score": "KL score",
    "ce_loss_score": "CE loss recovered", "explained_variance": "explained variance",
    "explained_variance_total": "explained variance (all elements)",
    "in_distribution": "in-distribution", "out_of_distribution": "out-of-distribution",
    "trained": "trained model", "random": "random model", "random_baseline": "random decoders",
    "transcoder": "transcoder", "deltas": "delta vs matched baseline",
    "relative_l0_difference": "relative L0 difference", "sparsity": "",
    "candidate": "candidate", "baseline": "baseline",
}


def words(pointer: str) -> str:
    """'/metrics/transcoder/pwmcc' → 'transcoder PWMCC' (known names; others de-underscored)."""
    parts = [p for p in pointer.strip("/").split("/") if p and p != "metrics"]
    out = [_WORDS.get(p, p.replace("_", " ")) for p in parts]
    return " ".join(w for w in out if w) or pointer


def finite(*values: float) -> bool:
    return all(math.isfinite(v) for v in values)

"""A few SVG charts, written by hand: no plotting dependency, fast, and crisp at any zoom."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

W, H = 560, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 150, 28, 46  # margins; the legend sits on the right
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]


@dataclass
class Series:
    label: str
    points: list[tuple[float, float]]
    line: bool = False  # join the points (a sweep) or not (per-seed dots)
    labels: list[str] = field(default_factory=list)  # hover text per point


@dataclass
class HLine:
    label: str
    y: float
    dashed: bool = True
    colour: str = "#555"


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 5, 10) if m * mag >= raw), default=raw)
    start = math.ceil(lo / step) * step
    return [start + i * step for i in range(int((hi - start) / step) + 1)]


def _span(values: Sequence[float]) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    if hi == lo:
        pad = abs(lo) * 0.1 or 1.0
        return lo - pad, hi + pad
    pad = (hi - lo) * 0.08
    return lo - pad, hi + pad


def chart(title: str, xlabel: str, ylabel: str, series: Sequence[Series],
          hlines: Sequence[HLine] = (), xticks: Sequence[tuple[float, str]] | None = None,
          log_x: bool = False) -> str:
    """One chart as a standalone SVG document."""
    fx = (lambda v: math.log10(v)) if log_x else (lambda v: v)
    xs = [fx(x) for s in series for x, _ in s.points]
    ys = [y for s in series for _, y in s.points] + [h.y for h in hlines]
    if not xs:
        xs = [0.0]
    if not ys:
        ys = [0.0]
    x0, x1 = _span(xs)
    y0, y1 = _span(ys)
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def px(x: float) -> float:
        return LEFT + (fx(x) - x0) / (x1 - x0) * pw

    def py(y: float) -> float:
        return TOP + (1 - (y - y0) / (y1 - y0)) * ph

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="11">',
           f"<title>{escape(title)}</title>",
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="{LEFT}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
           f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>']
    for t in _ticks(y0, y1):
        out.append(f'<line x1="{LEFT - 4}" x2="{LEFT + pw}" y1="{py(t):.1f}" y2="{py(t):.1f}" '
                   'stroke="#eee"/>')
        out.append(f'<text x="{LEFT - 6}" y="{py(t) + 4:.1f}" text-anchor="end">{t:.4g}</text>')
    if xticks is None:
        raw = _ticks(x0, x1)
        xticks = [(10 ** t if log_x else t, f"{10 ** t if log_x else t:.4g}") for t in raw]
    for xv, lab in xticks:
        out.append(f'<text x="{px(xv):.1f}" y="{TOP + ph + 16}" text-anchor="middle">'
                   f"{escape(lab)}</text>")
    out.append(f'<text x="{LEFT + pw / 2}" y="{H - 8}" text-anchor="middle">'
               f"{escape(xlabel)}</text>")
    out.append(f'<text transform="translate(14 {TOP + ph / 2}) rotate(-90)" '
               f'text-anchor="middle">{escape(ylabel)}</text>')
    legend_y = TOP + 8
    for h in hlines:
        dash = ' stroke-dasharray="6 4"' if h.dashed else ""
        out.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{py(h.y):.1f}" y2="{py(h.y):.1f}" '
                   f'stroke="{h.colour}" stroke-width="1.5"{dash}/>')
        out.append(f'<line x1="{W - RIGHT + 10}" x2="{W - RIGHT + 30}" y1="{legend_y}" '
                   f'y2="{legend_y}" stroke="{h.colour}" stroke-width="1.5"{dash}/>')
        out.append(f'<text x="{W - RIGHT + 34}" y="{legend_y + 4}">'
                   f"{escape(h.label)} = {h.y:.4g}</text>")
        legend_y += 16
    for i, s in enumerate(series):
        c = PALETTE[i % len(PALETTE)]
        pts = sorted(s.points) if s.line else s.points
        if s.line and len(pts) > 1:
            path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
            out.append(f'<polyline points="{path}" fill="none" stroke="{c}" stroke-width="1.5"/>')
        for j, (x, y) in enumerate(s.points):
            tip = s.labels[j] if j < len(s.labels) else f"({x:.4g}, {y:.4g})"
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="4" fill="{c}" '
                       f'fill-opacity="0.8"><title>{escape(tip)}</title></circle>')
        out.append(f'<circle cx="{W - RIGHT + 20}" cy="{legend_y}" r="4" fill="{c}"/>')
        out.append(f'<text x="{W - RIGHT + 34}" y="{legend_y + 4}">{escape(s.label[:22])}</text>')
        legend_y += 16
    out.append("</svg>")
    return "\n".join(out) + "\n"

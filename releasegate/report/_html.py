"""The HTML page itself: one self-contained file (inline CSS, no scripts) plus plot images."""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from evidence_schema import GateResult

from ._plots import op_symbol

if TYPE_CHECKING:
    from ._build import Report

# Fits a 1280-px window: the page is at most 1200 px wide; the gate table has a fixed layout
# (column widths below), so no cell can widen it: long words (file names, pointers in reasons)
# wrap, file names preferably after - _ . (<wbr>), and hashes show 12 hex digits with the full
# sha256 on hover (title).
CSS = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;padding:0 16px;
color:#222;box-sizing:border-box}
table{border-collapse:collapse;margin:1em 0;font-size:14px;max-width:100%}
#gates{width:100%;table-layout:fixed}
#gates td{overflow-wrap:anywhere}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4} td.num{text-align:right;font-variant-numeric:tabular-nums;
white-space:nowrap}
#gates th,#gates td.st{overflow-wrap:normal;white-space:nowrap}
col.gate{width:17%} col.status{width:8%} col.stat{width:6.5%} col.obs{width:8.5%}
col.thr{width:7.5%} col.seeds{width:6%} col.ev{width:16%} col.waiver{width:6%}
.pass{background:#e6f4ea}.waived{background:#fff4d6}
.fail,.missing,.invalid,.error{background:#fde7e9}
.verdict{font-size:1.4em;padding:.3em .6em;display:inline-block;border-radius:4px}
code{font-size:12px;overflow-wrap:anywhere} p,li{overflow-wrap:anywhere}
figure{display:inline-block;vertical-align:top;width:calc(50% - 1.2em);margin:.5em .5em}
figure img{width:100%;height:auto}
figcaption{font-size:12px;color:#555}
@media (max-width:1000px){figure{width:100%}}
"""


def _short(sha: str) -> str:
    """12 hex digits in the cell, the whole sha256 on hover."""
    return f'<code title="sha256 {escape(sha)}">{escape(sha[:12])}…</code>'


def _soft(text: str) -> str:
    """Escaped text that may break after - _ . (file and gate names) before anywhere else."""
    return re.sub(r"([-_.])", r"\1<wbr>", escape(text))


def _file(path: str) -> str:
    """The file name in the cell, the whole path on hover."""
    name = path.rsplit("/", 1)[-1]
    return f'<code title="{escape(path)}">{_soft(name)}</code>'



def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:.4g}"


def _gate_rows(report: Report) -> list[str]:
    from ._build import _flatten

    d = report.decision
    hashes = {e.path: e.sha256 for e in d.evidence}
    rows = []
    for name, g, depth in _flatten(d.gates):
        rows.append(_row(name, g, depth, hashes, report))
    return rows


def _row(name: str, g: GateResult, depth: int, hashes: dict[str, str], report: Report) -> str:
    thr = "—" if g.threshold is None else f"{escape(op_symbol(g.comparison))} {g.threshold:g}"
    ev = "<br>".join(f"{_file(p)}<br>{_short(hashes.get(p, '?'))}" for p in g.evidence) or "—"
    waiver = "—"
    if g.waiver is not None:
        w = g.waiver
        waiver = (f"{escape(w.reason)}<br>approved by {escape(w.approver)}<br>"
                  f"<b>expires {escape(w.expires)}</b>")
    plot = report.plots_by_gate.get(name)
    link = f' <a href="#plot-{escape(name)}">plot</a>' if plot else ""
    adv = " <i>(advisory)</i>" if not g.required else ""
    seeds = ", ".join(map(str, g.seeds_used)) or "—"
    return (f'<tr class="{g.status}" id="gate-{escape(name)}">'
            f'<td style="padding-left:{8 + 16 * depth}px">{_soft(name)}{adv}{link}</td>'
            f'<td class="st"><b>{g.status.upper()}</b></td><td>{escape(g.statistic or "—")}</td>'
            f'<td class="num">{_fmt(g.observed)}</td><td class="num">{thr}</td>'
            f'<td>{len(g.seeds_used)} ({seeds})</td><td class="ev">{ev}</td><td>{waiver}</td>'
            f'<td class="reason">{escape(g.reason)}</td></tr>')


def _figure(plot_id: str, file: str, caption: str) -> str:
    return (f'<figure id="plot-{escape(plot_id)}"><img src="{escape(file)}" '
            f'alt="{escape(caption)}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def render_page(report: Report, decision_path: str) -> str:
    d = report.decision
    head = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>releasegate: {escape(d.policy.name)} {d.verdict.upper()}</title>"
            f"<style>{CSS}</style></head><body>")
    parts = [
        head,
        f'<h1>Release gate decision: <span class="verdict {d.verdict}">'
        f"{d.verdict.upper()}</span></h1>",
        f"<p>{escape(d.summary)}</p>",
        f"<p>Policy <code>{escape(d.policy.name)}</code> v{escape(d.policy.version)} "
        f"(<code>{escape(d.policy.path)}</code>, sha256 {_short(d.policy.sha256)}), "
        f"evaluated {d.created_at.isoformat()}; decision <code>{escape(decision_path)}</code>"
        f"; git {escape(d.provenance.git_commit or 'unknown')}"
        f"{' (dirty)' if d.provenance.git_dirty else ''}.</p>",
        '<h2>Gates</h2><table id="gates"><colgroup><col class="gate"><col class="status">'
        '<col class="stat"><col class="obs"><col class="thr"><col class="seeds"><col class="ev">'
        '<col class="waiver"><col class="reason"></colgroup><thead><tr><th>gate</th><th>status</th>'
        "<th>statistic</th><th>observed</th><th>threshold</th><th>seeds</th>"
        "<th>evidence (sha256)</th><th>waiver</th><th>reason</th></tr></thead><tbody>",
        *_gate_rows(report),
        "</tbody></table>",
    ]
    if d.unreadable:
        parts.append("<h3>Unusable evidence</h3><ul>"
                     + "".join(f"<li>{escape(u)}</li>" for u in d.unreadable) + "</ul>")
    if d.deep_checks is not None:
        dc = d.deep_checks
        failed = [r for r in dc.results if not r.success]
        parts.append(f"<h3>Table checks ({escape(dc.engine)}): {len(dc.results)} "
                     f"expectation(s), {len(failed)} failed</h3>")
        if failed:
            parts.append("<ul>" + "".join(
                f"<li><code>{escape(r.path)}</code> {escape(r.expectation)}: "
                f"{escape(r.message)}</li>" for r in failed) + "</ul>")
    if report.plots_by_gate:
        parts.append("<h2>Per-gate values</h2><p>Each dot is one seed (or seed pair); the "
                     "shaded band is the two-sided confidence interval of the gate's policy "
                     "(Student-t, Welch for two groups), the dotted line its centre, the solid "
                     "line the gate's statistic (green: pass, red: not pass), the dashed line "
                     "its threshold.</p>")
        parts += [_figure(name, p.file, p.caption) for name, p in report.plots_by_gate.items()]
    if report.other_plots:
        parts.append("<h2>Frontier and sweeps</h2>")
        parts += [_figure(p.file, p.file, p.caption) for p in report.other_plots]
    parts.append("<h2>Evidence</h2><table><tr><th>path</th><th>kind</th><th>sha256</th></tr>"
                 + "".join(f"<tr><td><code>{escape(e.path)}</code></td><td>{escape(e.kind)}"
                           f"</td><td><code>{e.sha256}</code></td></tr>" for e in d.evidence)
                 + "</table>")
    if report.notes:
        parts.append("<h3>Notes</h3><ul>"
                     + "".join(f"<li>{escape(n)}</li>" for n in report.notes) + "</ul>")
    parts.append("</body></html>\n")
    return "\n".join(parts)

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
# (column widths below), so no cell can widen it. Each column is wide enough for the words it
# holds (a waiver's reason, a gate name), and text wraps between words (overflow-wrap:
# break-word breaks inside a word only when that word alone is wider than its column); file
# names and pointers may also break after - _ . / (<wbr>), and hashes show 12 hex digits with
# the full sha256 on hover (title). Below 1000 px the table keeps its minimum width and scrolls
# inside its box rather than breaking words.
CSS = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;padding:0 16px;
color:#222;box-sizing:border-box}
table{border-collapse:collapse;margin:1em 0;font-size:14px;max-width:100%}
.scroll{overflow-x:auto;max-width:100%}
#gates{width:100%;min-width:960px;table-layout:fixed}
#gates td{overflow-wrap:break-word;word-break:normal;hyphens:manual}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4} td.num{text-align:right;font-variant-numeric:tabular-nums;
white-space:nowrap}
#gates th,#gates td.st{overflow-wrap:normal;white-space:nowrap}
col.gate{width:15%} col.status{width:8%} col.stat{width:7%} col.obs{width:8%}
col.thr{width:8%} col.seeds{width:7%} col.ev{width:15%} col.reason{width:32%}
.waivers col.gate{width:13%} .waivers col.waiver{width:15%} .waivers col.reason{width:19%}
.dim{color:#666}
.pass{background:#e6f4ea}.waived{background:#fff4d6}
.fail,.missing,.invalid,.error{background:#fde7e9}
.verdict{font-size:1.4em;padding:.3em .6em;display:inline-block;border-radius:4px}
code{font-size:12px;overflow-wrap:anywhere} p,li{overflow-wrap:break-word}
figure{display:inline-block;vertical-align:top;width:calc(50% - 1.2em);margin:.5em .5em}
figure img{width:100%;height:auto}
figcaption{font-size:12px;color:#555}
@media (max-width:1000px){figure{width:100%}}
"""


def _short(sha: str) -> str:
    """12 hex digits in the cell, the whole sha256 on hover."""
    return f'<code title="sha256 {escape(sha)}">{escape(sha[:12])}…</code>'


def _soft(text: str, at: str = "-_.") -> str:
    """Escaped text that may break after the characters ``at`` (file and gate names: - _ .;
    pointers: / _) before anywhere else."""
    return re.sub(f"([{re.escape(at)}])", r"\1<wbr>", escape(text))


def _file(path: str) -> str:
    """The file name in the cell, the whole path on hover."""
    name = path.rsplit("/", 1)[-1]
    return f'<code title="{escape(path)}">{_soft(name)}</code>'



def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:.4g}"


def _reason(g: GateResult) -> str:
    """The reason without the observed value, threshold and seeds the row shows in their own
    columns (policy's split_reason, the one parser the markdown table and CI summary use)."""
    from policy._render import split_reason

    parts = split_reason(g)
    if parts is None:
        return escape(g.reason)
    expr, method, rest = parts
    return f"<code>{_soft(expr, '/_')}</code> {escape(method)}{escape(rest)}"


def decided_by(g: GateResult) -> tuple[list[int], list[str]]:
    """The seeds and evidence that decide ``g``: a leaf's own; a group's from its required
    children only (an advisory child neither passes nor fails a group, so its seeds and
    evidence are not the group's). Sorted, each once."""
    if not g.children and g.combinator is None:
        return sorted(g.seeds_used), sorted(g.evidence)
    seeds: set[int] = set()
    files: set[str] = set()
    for c in g.children:
        if c.required:
            s, f = decided_by(c)
            seeds.update(s)
            files.update(f)
    return sorted(seeds), sorted(files)


def _gate_rows(report: Report) -> list[str]:
    from ._build import _flatten

    d = report.decision
    hashes = {e.path: e.sha256 for e in d.evidence}
    flat = _flatten(d.gates)
    # The waiver column only when a gate has a waiver: otherwise its width goes to the reason.
    waivers = any(g.waiver is not None for _, g, _ in flat)
    return [_row(name, g, depth, hashes, report, waivers) for name, g, depth in flat]


def _row(name: str, g: GateResult, depth: int, hashes: dict[str, str], report: Report,
         waivers: bool) -> str:
    thr = "—" if g.threshold is None else f"{escape(op_symbol(g.comparison))} {g.threshold:g}"
    seeds_used, evidence = decided_by(g)
    ev = "<br>".join(f"{_file(p)}<br>{_short(hashes.get(p, '?'))}" for p in evidence) or "—"
    waiver = "—"
    if g.waiver is not None:
        w = g.waiver
        waiver = (f"{escape(w.reason)}<br>approved by {escape(w.approver)}<br>"
                  f"<b>expires {escape(w.expires)}</b>")
    plot = report.plots_by_gate.get(name)
    link = f' <a href="#plot-{escape(name)}">plot</a>' if plot else ""
    adv = " <i>(advisory)</i>" if not g.required else ""
    seeds = (f'{len(seeds_used)}<br><span class="dim">{", ".join(map(str, seeds_used))}</span>'
             if seeds_used else "—")
    waiver_cell = f"<td>{waiver}</td>" if waivers else ""
    return (f'<tr class="{g.status}" id="gate-{escape(name)}">'
            f'<td style="padding-left:{8 + 16 * depth}px">{_soft(name)}{adv}{link}</td>'
            f'<td class="st"><b>{g.status.upper()}</b></td><td>{escape(g.statistic or "—")}</td>'
            f'<td class="num">{_fmt(g.observed)}</td><td class="num">{thr}</td>'
            f'<td>{seeds}</td><td class="ev">{ev}</td>{waiver_cell}'
            f'<td class="reason">{_reason(g)}</td></tr>')


def _table_head(waivers: bool) -> str:
    """The gate table's opening: columns (with a waiver column only when a gate has one)."""
    cols = ["gate", "status", "stat", "obs", "thr", "seeds", "ev", *(["waiver"] * waivers),
            "reason"]
    heads = ["gate", "status", "statistic", "observed", "threshold", "seeds",
             "evidence (sha256)", *(["waiver"] * waivers), "reason"]
    return ('<h2>Gates</h2><div class="scroll"><table id="gates"'
            + (' class="waivers"' if waivers else "") + "><colgroup>"
            + "".join(f'<col class="{c}">' for c in cols) + "</colgroup><thead><tr>"
            + "".join(f"<th>{h}</th>" for h in heads) + "</tr></thead><tbody>")


def _figure(plot_id: str, file: str, caption: str) -> str:
    return (f'<figure id="plot-{escape(plot_id)}"><img src="{escape(file)}" '
            f'alt="{escape(caption)}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def render_page(report: Report, decision_path: str) -> str:
    from ._build import _flatten

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
        _table_head(any(g.waiver is not None for _, g, _ in _flatten(d.gates))),
        *_gate_rows(report),
        "</tbody></table></div>",
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

"""The markdown of ``releasegate ci``'s job summary ($GITHUB_STEP_SUMMARY), read top-down.

One ``## releasegate`` heading with the overall result, then the gate table, the evidence,
the report audit, and any annotations GitHub would not show; headings never skip a level
(markdown embedded from ``audit --format markdown`` is shifted under its ``###`` section).
Hashes are shown as 12 hex digits with the full sha256 on hover (``<code title=…>``, which
GitHub's summary markdown renders). The reason column does not repeat the observed value and
threshold that have their own columns.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from ._ci_annotations import Annotation

SHORT_HASH = 12

# policy/_evaluate.py's reason for a computed gate: "lcb(/m − /n) = -1.58 not >= 0.0 over 3
# seed(s) [t-interval 0.95]" (+ "; waiver note"). The observed value, comparison, threshold and
# seeds have their own columns; the rest is kept. A reason of any other shape is shown whole.
_COMPUTED = re.compile(
    r"^(?P<expr>\w+\(.*\)) = \S+ (?:not )?\S+ \S+ over \d+ seed\(s\) (?P<method>\[[^\]]*\])"
    r"(?P<rest>.*)$", re.S)


def code_hash(sha: str) -> str:
    """``<code title="FULL">short</code>``: 12 hex digits shown, the whole hash on hover."""
    full = html.escape(sha, quote=True)
    return f'<code title="{full}">{html.escape(sha[:SHORT_HASH])}</code>'


def cell(text: object) -> str:
    """Text safe inside a markdown table cell (no column break, no line break, no raw HTML)."""
    return html.escape(str(text), quote=False).replace("|", "\\|").replace("\n", " ")


def short_reason(gate: dict[str, Any]) -> str:
    """The reason without the numbers the table already shows."""
    reason: str = gate["reason"]
    m = _COMPUTED.match(reason)
    if m is None or gate.get("observed") is None:
        return cell(reason)
    return f"`{cell(m['expr'])}` {cell(m['method'])}{cell(m['rest'])}"


def _num(v: float | None) -> str:
    return "—" if v is None else f"{v:.4g}"


def _gates(gates: list[dict[str, Any]], prefix: str = "") -> Iterator[str]:
    for g in gates:
        name = prefix + g["name"]
        # The comparison is one of the policy's operators (>=, <=, ...): shown as typed.
        thr = "—" if g.get("threshold") is None else f"{g['comparison']} {g['threshold']:g}"
        thr = thr.replace("|", "\\|")
        status = g["status"] + ("" if g.get("required", True) else " (advisory)")
        yield (f"| {cell(name)} | {status} | {cell(g.get('statistic') or '—')} | "
               f"{_num(g.get('observed'))} | {thr} | {len(g.get('seeds_used', []))} | "
               f"{short_reason(g)} |")
        yield from _gates(g.get("children", []), name + ".")


def gate_section(doc: dict[str, Any]) -> str:
    """``### Gates``: the policy, the verdict line, one table row per gate and sub-gate."""
    pol = doc["policy"]
    out = [
        "### Gates",
        "",
        f"Policy `{cell(pol['name'])}` v{cell(pol['version'])} (`{cell(pol['path'])}`, "
        f"sha256 {code_hash(pol['sha256'])}), evaluated {cell(doc['created_at'])}: "
        f"**{cell(doc['summary'])}**",
        "",
        "| gate | status | statistic | observed | threshold | seeds | reason |",
        "|---|---|---|---|---|---|---|",
        *_gates(doc["gates"]),
    ]
    return "\n".join(out) + "\n"


def evidence_section(files: int, invalid: list[Annotation], doc: dict[str, Any] | None) -> str:
    """``### Evidence``: how many files validated, the ones the decision used, the problems."""
    out = ["### Evidence", "", f"{files} file(s) checked, "
           f"{len({a.file for a in invalid})} invalid."]
    used = (doc or {}).get("evidence", [])
    if used:
        out += ["", "| file used by the gates | kind | sha256 |", "|---|---|---|"]
        out += [f"| `{cell(e['path'])}` | {cell(e['kind'])} | {code_hash(e['sha256'])} |"
                for e in used]
    if invalid:
        out += ["", "| problem at | message |", "|---|---|"]
        out += [f"| `{cell(a.where())}` | {cell(a.message)} |" for a in invalid]
    return "\n".join(out) + "\n"


def left_out_section(left: list[Annotation]) -> str:
    """``### Annotations not shown on the pull request`` (over GitHub's per-step limit)."""
    out = ["### Annotations not shown on the pull request", "",
           f"GitHub shows 10 errors and 10 warnings per step; these {len(left)} are the rest.",
           "", "| level | where | title | message |", "|---|---|---|---|"]
    out += [f"| {a.level} | `{cell(a.where() or '—')}` | {cell(a.title or '')} | "
            f"{cell(a.message)} |" for a in left]
    return "\n".join(out) + "\n"


def embed(markdown: str, title: str, level: int = 3) -> str:
    """``markdown`` under a ``level`` heading ``title``, its own headings shifted below it.

    The embedded document's first heading, when it opens the document, is replaced by
    ``title``; every other heading keeps its depth relative to that one, one level deeper at
    least, never past ``######``. Headings are found with markdown-it-py, so ``#`` inside code
    blocks is left alone and setext headings are rewritten as ATX ones.
    """
    from markdown_it import MarkdownIt

    lines = markdown.splitlines()
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    heads = [(t.map, int(t.tag[1]), tokens[i + 1].content)
             for i, t in enumerate(tokens) if t.type == "heading_open" and t.map]
    drop_first = bool(heads) and heads[0][0] is not None and not any(
        ln.strip() for ln in lines[:heads[0][0][0]])
    top = heads[0][1] if drop_first else min((h[1] for h in heads), default=1) - 1
    for span, depth, text in reversed(heads):
        new = [] if (drop_first and span is heads[0][0]) else [
            "#" * min(6, level + max(1, depth - top)) + " " + text]
        lines[span[0]:span[1]] = new
    return f"{'#' * level} {title}\n\n" + "\n".join(lines).strip("\n") + "\n"

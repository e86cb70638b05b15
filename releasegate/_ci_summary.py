"""The markdown of ``releasegate ci``'s job summary ($GITHUB_STEP_SUMMARY), read top-down.

One ``## releasegate`` heading with the overall result, then the decision (gate table and
evidence, rendered by ``policy``'s markdown renderer one level down), evidence validation, the
report audit, and any annotations GitHub would not show; headings never skip a level (markdown
embedded from ``audit --format markdown`` is shifted under its ``###`` section).
"""

from __future__ import annotations

from typing import Any

from evidence_schema._markdown import md_code, md_fence, md_text

from ._ci_annotations import Annotation

cell = md_text  # text safe inside a markdown table cell, shown as written

# A step that could not run: its output in the summary, up to this many lines.
STDERR_LINES = 50


def stderr_block(lines: list[str], limit: int = STDERR_LINES) -> str:
    """A failed step's output as a code block: every line up to ``limit``, then "N more"."""
    shown = lines[:limit]
    more = (f"\n\n… and {len(lines) - limit} more line(s), in the job's log."
            if len(lines) > limit else "")
    return md_fence(shown) + more


def gate_section(doc: dict[str, Any], policy_shown: str | None = None) -> str:
    """The decision as ``check --format markdown`` renders it, nested at ``###``;
    ``policy_shown`` replaces the recorded policy path (relative to the decision) on the page.

    One renderer (policy/_render.py) for both: the same table, reasons without the numbers
    that have their own columns, and short hashes with the full one on hover.
    """
    from evidence_schema import DecisionEvidence
    from policy import render_decision

    d = DecisionEvidence.model_validate(doc)
    if policy_shown is not None:
        d = d.model_copy(update={"policy": d.policy.model_copy(update={"path": policy_shown})})
    return render_decision(d, "markdown", level=3)


def evidence_section(files: int, invalid: list[Annotation]) -> str:
    """``### Evidence validation``: how many files validated, and every problem found."""
    out = ["### Evidence validation", "", f"{files} file(s) checked, "
           f"{len({a.file for a in invalid})} invalid."]
    if invalid:
        out += ["", "| problem at | message |", "|---|---|"]
        out += [f"| {md_code(a.where())} | {cell(a.message)} |" for a in invalid]
    return "\n".join(out) + "\n"


def left_out_section(left: list[Annotation]) -> str:
    """``### Annotations not shown on the pull request`` (over GitHub's per-step limit)."""
    out = ["### Annotations not shown on the pull request", "",
           f"GitHub shows 10 errors and 10 warnings per step; these {len(left)} are the rest.",
           "", "| level | where | title | message |", "|---|---|---|---|"]
    out += [f"| {a.level} | {md_code(a.where() or '—')} | {cell(a.title or '')} | "
            f"{cell(a.message)} |" for a in left]
    return "\n".join(out) + "\n"


# GitHub refuses a step summary over 1 MiB ("supports content up to a size of 1024k"), and
# then shows none of it; stay under with room for the closing note.
SUMMARY_LIMIT = 1024 * 1024 - 4096


def fit(summary: str, limit: int = SUMMARY_LIMIT) -> tuple[str, bool]:
    """(summary, cut): ``summary`` cut at a line boundary to ``limit`` UTF-8 bytes, with a
    note that says so, or unchanged when it fits. The caller prints the whole one to the log."""
    data = summary.encode("utf-8")
    if len(data) <= limit:
        return summary, False
    note = ("\n\n**The summary was cut here at GitHub's 1 MiB limit ({} more lines); the "
            "job's log has all of it.**\n")
    head = data[:limit - 200].decode("utf-8", errors="ignore")
    head = head[:head.rfind("\n")] if "\n" in head else head
    rest = summary[len(head):].count("\n")
    return head + note.format(rest), True


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

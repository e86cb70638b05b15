"""Renderers for a decision, one per format. No renderer shows a pass for a gate that did not."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from evidence_schema import DecisionEvidence, GateResult
from evidence_schema._markdown import md_code, md_text

_MARK = {
    "pass": "PASS", "fail": "FAIL", "missing": "MISSING", "invalid": "INVALID",
    "waived": "WAIVED", "error": "ERROR",
}
_COLOUR = {"pass": "32", "waived": "33"}  # everything else red


def _paint(text: str, status: str, colour: bool) -> str:
    if not colour:
        return text
    return f"\x1b[{_COLOUR.get(status, '31')}m{text}\x1b[0m"


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:.4g}"


def render_text(d: DecisionEvidence, colour: bool = False) -> str:
    lines = [f"policy {d.policy.name} v{d.policy.version} ({d.policy.path}, sha256 "
             f"{d.policy.sha256[:12]}…)"]

    def walk(g: GateResult, depth: int) -> None:
        tag = _paint(f"{_MARK[g.status]:<8}", g.status, colour)
        adv = " (advisory)" if not g.required else ""
        lines.append(f"{'  ' * depth}{tag} {g.name}{adv}: {g.reason}")
        for c in g.children:
            walk(c, depth + 1)

    for g in d.gates:
        walk(g, 1)
    for u in d.unreadable:
        lines.append(f"  unusable evidence: {u}")
    lines.append(_paint(d.summary, d.verdict, colour))
    return "\n".join(lines)


def render_json(d: DecisionEvidence, colour: bool = False) -> str:
    return d.model_dump_json(indent=2)


# Markdown shows a hash as 12 hex digits with the whole sha256 on hover; GitHub's markdown
# (job summaries, comments) renders this HTML.
SHORT_HASH = 12

# _evaluate.py's reason for a computed gate: "lcb(/m − /n) = -1.58 not >= 0.0 over 3 seed(s)
# [t-interval 0.95]" (+ "; waiver note"). The observed value, comparison, threshold and seeds
# have their own table columns; split_reason keeps the rest. Any other reason is kept whole.
_COMPUTED = re.compile(
    r"^(?P<expr>\w+\(.*\)) = \S+ (?:not )?\S+ \S+ over \d+ seed\(s\) (?P<method>\[[^\]]*\])"
    r"(?P<rest>.*)$", re.S)


def code_hash(sha: str) -> str:
    """``<code title="FULL">first 12</code>``: short on the page, the full hash on hover."""
    return f'<code title="{html.escape(sha, quote=True)}">{html.escape(sha[:SHORT_HASH])}</code>'


# Free text safe in a markdown table cell, rendered as written: names, paths and reasons come
# from the user's policy and file names (evidence_schema/_markdown.py).
md_cell = md_text


def split_reason(g: GateResult) -> tuple[str, str, str] | None:
    """A computed gate's reason as (expression, method, rest): without the observed value,
    comparison, threshold and seeds that a table shows in their own columns. None for any other
    reason (shown whole). The one parser of reasons: markdown, the CI summary and the HTML
    report use it."""
    m = _COMPUTED.match(g.reason)
    if m is None or g.observed is None:
        return None
    return m["expr"], m["method"], m["rest"]


def short_reason(g: GateResult) -> str:
    """The gate's reason without the numbers a table shows in their own columns (markdown)."""
    parts = split_reason(g)
    if parts is None:
        return md_cell(g.reason)
    expr, method, rest = parts
    return f"{md_code(expr)} {md_cell(method)}{md_cell(rest)}"


def render_markdown(d: DecisionEvidence, colour: bool = False, level: int = 2) -> str:
    """The decision as markdown: a heading at ``level`` with the verdict, the policy, one table
    row per gate and sub-gate (status, statistic, observed, threshold, seeds, reason), and the
    evidence used with short hashes. ``level`` lets a caller nest it under its own heading."""
    h = "#" * level
    out = [
        f"{h} Release gate decision: **{d.verdict.upper()}**",
        "",
        f"Policy {md_code(d.policy.name)} v{md_cell(d.policy.version)} "
        f"({md_code(d.policy.path)}, sha256 "
        f"{code_hash(d.policy.sha256)}), evaluated {d.created_at.isoformat()}: "
        f"{md_cell(d.summary)}",
        "",
        "| gate | status | statistic | observed | threshold | seeds | reason |",
        "|---|---|---|---|---|---|---|",
    ]

    def walk(g: GateResult, prefix: str) -> None:
        thr = "—" if g.threshold is None else f"{g.comparison} {g.threshold:g}"
        status = g.status + ("" if g.required else " (advisory)")
        out.append(f"| {md_cell(prefix + g.name)} | {status} | {md_cell(g.statistic or '—')} "
                   f"| {_fmt(g.observed)} "
                   f"| {thr} | {len(g.seeds_used)} | {short_reason(g)} |")
        for c in g.children:
            walk(c, prefix + g.name + ".")

    for g in d.gates:
        walk(g, "")
    if d.evidence:
        out += ["", "| evidence | kind | sha256 |", "|---|---|---|"]
        out += [f"| {md_code(e.path)} | {md_cell(e.kind)} | {code_hash(e.sha256)} |"
                for e in d.evidence]
    out.append("")
    return "\n".join(out)


def _flatten(gates: list[GateResult], prefix: str = "") -> list[tuple[str, GateResult]]:
    out: list[tuple[str, GateResult]] = []
    for g in gates:
        out.append((prefix + g.name, g))
        out += _flatten(g.children, prefix + g.name + ".")
    return out


def render_junit(d: DecisionEvidence, colour: bool = False) -> str:
    """JUnit XML: one test case per gate (groups and their sub-gates), named by dotted path.

    Names are the policy's gate names so CI test history lines up across runs. A failing
    advisory gate is reported as skipped: it must be visible without failing the build.
    """
    import xml.etree.ElementTree as ET  # stdlib, but only this format needs it

    cases = _flatten(d.gates)
    classname = f"releasegate.{d.policy.name}"
    counts = {"failures": 0, "errors": 0, "skipped": 0}
    suite = ET.Element("testsuite", name=classname, timestamp=d.created_at.isoformat())
    props = ET.SubElement(suite, "properties")
    for key, value in (("policy.version", d.policy.version), ("policy.sha256", d.policy.sha256),
                       ("verdict", d.verdict)):
        ET.SubElement(props, "property", name=key, value=value)
    for name, g in cases:
        case = ET.SubElement(suite, "testcase", classname=classname, name=name, time="0")
        thr = "" if g.threshold is None else f" (threshold {g.comparison} {g.threshold:g})"
        message = f"{g.status}: {g.reason}{thr}"
        if g.status == "pass":
            pass
        elif not g.required or g.status == "waived":
            counts["skipped"] += 1
            why = "advisory gate, not part of the verdict; " if not g.required else ""
            if g.waiver is not None:
                why += f"waived by {g.waiver.approver} until {g.waiver.expires}: "
                why += f"{g.waiver.reason}; "
            ET.SubElement(case, "skipped", message=why + message)
        elif g.status == "error":
            counts["errors"] += 1
            ET.SubElement(case, "error", message=message, type=g.status).text = message
        else:  # fail, missing, invalid: the gate did not pass
            counts["failures"] += 1
            ET.SubElement(case, "failure", message=message, type=g.status).text = message
        lines = [f"observed: {_fmt(g.observed)}", f"seeds: {g.seeds_used}"]
        lines += [f"evidence: {p}" for p in g.evidence]
        ET.SubElement(case, "system-out").text = "\n".join(lines)
    suite.set("tests", str(len(cases)))
    for key, n in counts.items():
        suite.set(key, str(n))
    root = ET.Element("testsuites", name="releasegate", tests=str(len(cases)),
                      failures=str(counts["failures"]), errors=str(counts["errors"]))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


RENDERERS: dict[str, Callable[[DecisionEvidence, bool], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "junit": render_junit,
}


def render_decision(d: DecisionEvidence, fmt: str = "text", colour: bool = False,
                    level: int = 2) -> str:
    """``d`` in format ``fmt``; ``level`` is the markdown heading level (nesting in a page)."""
    if fmt == "markdown":
        return render_markdown(d, colour, level)
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(RENDERERS)}") from None
    return renderer(d, colour)



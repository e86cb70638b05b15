"""Renderers for a decision, one per format. No renderer shows a pass for a gate that did not."""

from __future__ import annotations

from collections.abc import Callable

from evidence_schema import DecisionEvidence, GateResult

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


def render_markdown(d: DecisionEvidence, colour: bool = False) -> str:
    out = [
        f"## Release gate decision: **{d.verdict.upper()}**",
        "",
        f"Policy `{d.policy.name}` v{d.policy.version} (`{d.policy.path}`, sha256 "
        f"`{d.policy.sha256}`), evaluated {d.created_at.isoformat()}.",
        "",
        "| gate | status | observed | threshold | seeds | reason |",
        "|---|---|---|---|---|---|",
    ]

    def walk(g: GateResult, prefix: str) -> None:
        thr = "—" if g.threshold is None else f"{g.comparison} {g.threshold:g}"
        reason = g.reason.replace("|", "\\|")
        out.append(f"| {prefix}{g.name} | {g.status} | {_fmt(g.observed)} | {thr} | "
                   f"{len(g.seeds_used)} | {reason} |")
        for c in g.children:
            walk(c, prefix + g.name + ".")

    for g in d.gates:
        walk(g, "")
    if d.evidence:
        out += ["", "| evidence | kind | sha256 |", "|---|---|---|"]
        out += [f"| `{e.path}` | {e.kind} | `{e.sha256[:16]}` |" for e in d.evidence]
    out += ["", d.summary, ""]
    return "\n".join(out)


RENDERERS: dict[str, Callable[[DecisionEvidence, bool], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
}


def render_decision(d: DecisionEvidence, fmt: str = "text", colour: bool = False) -> str:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(RENDERERS)}") from None
    return renderer(d, colour)



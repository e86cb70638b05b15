"""Quotes of a decision's (or any artifact's) text (red-team review 11): inline code that is the
text of a link to a JSON pointer whose value is a string —
``[`lcb(/metrics/deltas) = -1.58104 not >= 0.0 …`](decision.json#/gates/3/children/1/reason)``,
as ``releasegate render`` prints a gate's reason — is presented as that text, so it must appear
in it verbatim. Checking its numbers one by one let ``= 1.58104 >= 0.0`` pass as a quote of
``= -1.58104 not >= 0.0`` (the sign and the "not" removed).

Compared after normalising whitespace (markdown folds it), the minus sign (``−`` is ``-``) and
backticks (render writes a reason's backticks as ``'``); nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ._claims import Citation, NumberClaim, Segment, TextUnit
from ._index import MISSING, Artifact, resolve_pointer
from ._result import Finding


def normalise(text: str) -> str:
    return " ".join(text.replace("\u2212", "-").replace("`", "'").split())


def _link_of(unit: TextUnit, seg: Segment, content: str,
             numbers: Sequence[NumberClaim]) -> Citation | None:
    """The link whose text ends with this code span: a number in the span bound to it, else the
    link target right after the span on the same line (`` [`code`](target) ``)."""
    for n in _inside(seg, content, numbers):
        if n.binding is not None:
            return n.binding
    # a link's text is placed at the link's target (the extractor does not locate it); a
    # located span ends right before "`](" and the target
    column = seg.column if not seg.located else seg.column + len(content) + 3
    for c in unit.scope.citations:
        if c.origin == "link" and c.scope is unit.scope and c.line == seg.line \
                and c.column == column:
            return c
    return None


def _inside(seg: Segment, content: str, numbers: Sequence[NumberClaim]) -> list[NumberClaim]:
    if not seg.located:
        return [n for n in numbers if n.line == seg.line and n.column == seg.column]
    return [n for n in numbers
            if n.line == seg.line and seg.column <= n.column < seg.column + len(content)]


def check_quotes(
    file: str, units: list[TextUnit], numbers: Sequence[NumberClaim],
    artifact_of: Callable[[Citation], Artifact | None], record: Callable[[Finding], None],
) -> set[tuple[int, int]]:
    """Check every code span linked to a text value; return the (line, column) of every number
    in those spans (the engine does not check them again one by one)."""
    covered: set[tuple[int, int]] = set()
    by_line: dict[int, list[NumberClaim]] = {}
    for n in numbers:
        if n.binding is not None:
            by_line.setdefault(n.line, []).append(n)
    for unit in units:
        for seg in unit.segments:
            if not seg.code:
                continue
            content = unit.text[seg.start:seg.end]
            c = _link_of(unit, seg, content, by_line.get(seg.line, ()))
            if c is None or c.pointer is None:
                continue
            art = artifact_of(c)
            if art is None or art.error is not None or not art.parsed:
                continue  # the citation check reports an unusable artifact
            val = resolve_pointer(art.data, c.pointer)
            if val is MISSING or not isinstance(val, str):
                continue  # a number or structure: the number check judges it
            quoted = normalise(content)
            ok = bool(quoted) and quoted in normalise(val)
            shown = val if len(val) <= 200 else val[:199] + "…"
            inside = _inside(seg, content, by_line.get(seg.line, ()))
            record(Finding(
                file=file, line=seg.line, column=seg.column, claim=content[:120],
                kind="number" if inside else "status",
                verdict="verified" if ok else "mismatch",
                message=(f"quoted verbatim from {art.rel}{c.pointer}" if ok else
                         f"presented as a quote of {art.rel}{c.pointer}, which says {shown!r}"),
                artifact=art.rel, pointer=c.pointer, artifact_value=shown,
                explanation=(
                    "inline code as the text of a link to a text value is a quote: it must "
                    "appear in that text verbatim (whitespace, '−' and '`' normalised)",
                    f"{art.rel}{c.pointer} = {shown!r}"),
            ))
            covered.update((n.line, n.column) for n in inside)
    return covered

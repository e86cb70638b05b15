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
from typing import Any

from ._claims import Citation, NumberClaim
from ._index import Artifact, resolve_pointer
from ._mdtokens import normalize, tokens
from ._result import Finding


def normalise(text: str) -> str:
    return " ".join(text.replace("\u2212", "-").replace("`", "'").split())


def _quote_links(source: str) -> list[tuple[str, int, str]]:
    """(href, k, code) for every link whose text is exactly one code span: the k-th link (from
    0) to that href in the document, as the extractor meets them (its citations' order)."""
    seen: dict[str, int] = {}
    out: list[tuple[str, int, str]] = []
    for tok in tokens(normalize(source)):
        if tok.type != "inline":
            continue
        stack: list[tuple[str, int, list[Any]]] = []
        for child in tok.children or []:
            if child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                k = seen.get(href, 0)
                seen[href] = k + 1
                stack.append((href, k, []))
            elif child.type == "link_close" and stack:
                href, k, inner = stack.pop()
                parts = [c for c in inner if not (c.type == "text" and not c.content.strip())]
                if len(parts) == 1 and parts[0].type == "code_inline":
                    out.append((href, k, parts[0].content))
            elif stack:
                stack[-1][2].append(child)
    return out


def _text_at(c: Citation, artifact_of: Callable[[Citation], Artifact | None]
             ) -> tuple[Artifact, str] | None:
    if c.pointer is None:
        return None
    art = artifact_of(c)
    if art is None or art.error is not None or not art.parsed:
        return None  # the citation check reports an unusable artifact
    val = resolve_pointer(art.data, c.pointer)
    return (art, val) if isinstance(val, str) else None


def check_quotes(
    file: str, source: str, citations: Sequence[Citation], numbers: Sequence[NumberClaim],
    artifact_of: Callable[[Citation], Artifact | None], record: Callable[[Finding], None],
) -> set[tuple[int, int]]:
    """Check every quote (a link whose text is one code span) of a text value in ``source``;
    return the (line, column) of the numbers in those quotes (the engine does not check them
    again one by one)."""
    covered: set[tuple[int, int]] = set()
    by_href: dict[str, list[Citation]] = {}
    texts: dict[int, tuple[Artifact, str]] = {}
    for cit in citations:
        if cit.origin == "link":
            by_href.setdefault(cit.text, []).append(cit)
            if (v := _text_at(cit, artifact_of)) is not None:
                texts[id(cit)] = v
    if not texts:  # no link leads to text: the document is not parsed a second time
        return covered
    for href, k, content in _quote_links(source):
        links = by_href.get(href, [])
        c = links[k] if k < len(links) else None
        if c is None or id(c) not in texts:
            continue  # a number or structure there: the number check judges it
        art, val = texts[id(c)]
        quoted = normalise(content)
        ok = bool(quoted) and quoted in normalise(val)
        shown = val if len(val) <= 200 else val[:199] + "…"
        inside = [n for n in numbers if n.binding is c]
        record(Finding(
            file=file, line=c.line, column=c.column, claim=content[:120],
            kind="number" if inside else "status",
            verdict="verified" if ok else "mismatch",
            message=(f"quoted verbatim from {art.rel}{c.pointer}" if ok else
                     f"presented as a quote of {art.rel}{c.pointer}, which says {shown!r}"),
            artifact=art.rel, pointer=c.pointer, artifact_value=shown,
            explanation=(
                "inline code as the whole text of a link to a text value is a quote: it must "
                "appear in that text verbatim (whitespace, '−' and '`' normalised)",
                f"{art.rel}{c.pointer} = {shown!r}"),
        ))
        covered.update((n.line, n.column) for n in inside)
    return covered

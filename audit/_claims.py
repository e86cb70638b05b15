"""Markdown → claims: artifact citations, numbers and status-bearing text units (issue 3).

Structure comes from markdown-it's token stream (parsed by markdown-it-pyrs, see
``audit/_mdtokens.py``), never from regexes over the raw text:
headings open sections, list items and table rows open narrower scopes, and inline tokens
give text, inline code and links. Regexes are used only inside one inline text, to find
numbers and words.
"""

from __future__ import annotations

import html
import re
import sys
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from ._binding import key_context
from ._mdtokens import normalize, py_parser, tokens
from ._normalize import normalize_report_text
from ._notclaims import date_spans, enumeration_end, following_word, is_year, naming_word
from ._numbers import MAX_NUMBER_CHARS, NUMBER_RE, ParsedNumber, parse_number
from ._paths import is_dir_hint, is_path_code, is_path_template
from ._pbound import p_bound

ScopeKind = Literal["document", "section", "item", "row"]

# What inline code counts as a path: audit/_paths.py (is_path_code, is_path_template).
# a URL scheme ("https:", "mailto:"); bounded so that a long href cannot backtrack
_DIGIT = re.compile(r"\d")  # any digit NUMBER_RE can start from (Unicode digits too)
_EXTERNAL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]{0,31}:")


@dataclass(eq=False)
class Scope:
    kind: ScopeKind
    line: int
    label: str
    parent: Scope | None = None
    level: int = 0
    # citations made in this scope and its nested items/rows (not in subsections)
    citations: list[Citation] = field(default_factory=list)
    # one-level directories named in passing (`runners/`): (line, column, target, origin);
    # bare names listed after them are looked for there (audit/_paths.py, sibling_bases)
    dir_hints: list[tuple[int, int, str, str]] = field(default_factory=list)

    def describe(self) -> str:
        names = {"document": "document", "section": "section", "item": "list item",
                 "row": "table row"}
        label = f" {self.label!r}" if self.label else ""
        return f"{names[self.kind]}{label} (line {self.line})"


@dataclass(eq=False)
class Citation:
    target: str  # path part, as written (URL-decoded)
    pointer: str | None  # JSON pointer from a "#/..." fragment
    origin: Literal["code", "link"]
    line: int
    column: int
    text: str
    scope: Scope


@dataclass(eq=False)
class NumberClaim:
    number: ParsedNumber
    line: int
    column: int
    scope: Scope
    binding: Citation | None = None  # explicit [value](file.json#/pointer)
    # names it is written under, most specific first ("ood_drop" in "ood_drop: 0.1", then a
    # table's column header and row label), and labels that narrow them ("10000" in
    # "`10000`: delta `-0.07`"): audit/_binding.py
    keys: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    # "p < .001": the number bounds a p-value ("<", "<=", ">", ">="); "" otherwise
    p_bound: str = ""


@dataclass
class Segment:
    start: int  # offset in the unit's flat text
    end: int
    line: int
    column: int
    code: bool
    located: bool  # False when the text could not be found verbatim in the source


@dataclass(eq=False)
class TextUnit:
    """One heading, paragraph or table row as flat text, for status-claim detection."""

    text: str
    segments: list[Segment]
    scope: Scope
    line: int
    # a table body row's cells: (start, end, column header) in ``text`` (transposed tables
    # name the gate in the header: "| | transcoder |" / "| status | ✅ |")
    cells: list[tuple[int, int, str]] = field(default_factory=list)

    def position(self, offset: int) -> tuple[int, int]:
        for seg in self.segments:
            if seg.start <= offset < seg.end or (offset == seg.end and seg is self.segments[-1]):
                if seg.located:
                    return seg.line, seg.column + (offset - seg.start)
                return seg.line, seg.column
        return self.line, 1

    def is_code(self, offset: int) -> bool:
        return any(s.code and s.start <= offset < s.end for s in self.segments)


@dataclass
class SkippedNumber:
    line: int
    column: int
    text: str
    rule: str


class TooManyClaims(Exception):
    """More numbers than a report can have: stop early (bounded work per file)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit:,} numbers in one report")
        self.limit = limit


@dataclass
class Extraction:
    max_numbers: int | None = None
    citations: list[Citation] = field(default_factory=list)
    numbers: list[NumberClaim] = field(default_factory=list)
    units: list[TextUnit] = field(default_factory=list)
    skipped: list[SkippedNumber] = field(default_factory=list)
    # HTML comments (line, column, text): where `releasegate: ignore[...]` directives live
    comments: list[tuple[int, int, str]] = field(default_factory=list)


def is_artifact_code(content: str) -> bool:
    return is_path_code(content)


def split_target(href: str) -> tuple[str, str | None]:
    from urllib.parse import unquote

    path, _, frag = href.partition("#")
    pointer = unquote(frag) if frag.startswith("/") or (frag == "" and "#" in href) else None
    return unquote(path), pointer


def is_external(href: str) -> bool:
    return bool(_EXTERNAL.match(href)) or href.startswith("//")


class _Locator:
    """Finds inline text in the source lines, left to right, to give line and column."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.cursor: dict[int, int] = {}

    def find(self, text: str, first: int, last: int) -> tuple[int, int, bool]:
        """(0-based line, 0-based col, found) of ``text`` within lines [first, last)."""
        if not text:
            return first, self.cursor.get(first, 0), False
        for li in range(first, min(last, len(self.lines))):
            start = self.cursor.get(li, 0)
            col = self.lines[li].find(text, start)
            if col >= 0:
                self.cursor[li] = col + len(text)
                return li, col, True
        return first, self.cursor.get(first, 0), False


def extract(
    text: str, not_claim_words: frozenset[str], max_numbers: int | None = None,
    parse: Callable[[str], list[Any]] = tokens,
) -> Extraction:
    """Walk the token stream once; scopes, citations, numbers and units come out of it.

    ``text`` is normalised as markdown-it does (CR LF → LF, NUL → U+FFFD) so that lines agree
    with the parser's. ``parse`` gives markdown-it's token stream (the differential tests pass
    markdown-it-py's ``MarkdownIt("commonmark").enable("table").parse``). Raises
    ``TooManyClaims`` as soon as more than ``max_numbers`` numbers (claims or not) are seen, so
    that a data file named as a report costs little.
    """
    text = normalize(text)
    tokens = parse(text)
    lines = text.split("\n")
    loc = _Locator(lines)
    out = Extraction(max_numbers=max_numbers)
    doc = Scope("document", 1, "")
    sections: list[Scope] = [doc]
    blocks: list[Scope] = []  # open list items / table rows
    heading_open = False
    row_unit: TextUnit | None = None
    # table context for key-aware binding: header texts, current cell, the row's label
    header: list[str] = []
    in_head = False
    cell = -1
    row_label = ""

    def current() -> Scope:
        return blocks[-1] if blocks else sections[-1]

    for i, tok in enumerate(tokens):
        t = tok.type
        if t == "heading_open":
            level = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 1
            while len(sections) > 1 and sections[-1].level >= level:
                sections.pop()
            line = tok.map[0] + 1 if tok.map else 1
            label = tokens[i + 1].content if i + 1 < len(tokens) else ""
            sec = Scope("section", line, label[:80], parent=sections[-1], level=level)
            sections.append(sec)
            blocks.clear()
            heading_open = True
        elif t == "heading_close":
            heading_open = False
        elif t == "html_block":
            _html_block(tok, current(), loc, out, not_claim_words)
        elif t == "list_item_open":
            line = tok.map[0] + 1 if tok.map else 1
            blocks.append(Scope("item", line, "", parent=current()))
        elif t == "list_item_close":
            if blocks and blocks[-1].kind == "item":
                blocks.pop()
        elif t in ("thead_open", "thead_close"):
            in_head = t == "thead_open"
            if in_head:
                header = []
        elif t in ("th_open", "td_open"):
            cell += 1
        elif t == "tr_open":
            cell, row_label = -1, ""
            line = tok.map[0] + 1 if tok.map else 1
            blocks.append(Scope("row", line, "", parent=current()))
            row_unit = TextUnit("", [], blocks[-1], line)
        elif t == "tr_close":
            if blocks and blocks[-1].kind == "row":
                blocks.pop()
            if row_unit is not None and row_unit.text.strip():
                out.units.append(row_unit)
            row_unit = None
        elif t == "inline":
            first = tok.map[0] if tok.map else 0
            last = tok.map[1] if tok.map else first + 1
            context = "heading" if heading_open else ("cell" if row_unit is not None
                                                      else "para")
            n0 = len(out.numbers)
            unit = _walk_inline(tok, current(), loc, first, last, out, context,
                                not_claim_words)
            if row_unit is not None:
                if in_head:
                    header.append(unit.text.strip())
                elif cell == 0:
                    row_label = unit.text.strip()
                extra = tuple(x for x in (header[cell] if 0 <= cell < len(header) else "",
                                          row_label if cell > 0 else "") if x)
                for nc in out.numbers[n0:]:
                    nc.keys = (*nc.keys, *extra)
                off = len(row_unit.text) + (3 if row_unit.text else 0)
                if not in_head:
                    row_unit.cells.append((off, off + len(unit.text),
                                           header[cell] if 0 <= cell < len(header) else ""))
                row_unit.text += (" | " if row_unit.text else "") + unit.text
                for s in unit.segments:
                    row_unit.segments.append(
                        Segment(s.start + off, s.end + off, s.line, s.column, s.code, s.located)
                    )
            else:
                out.units.append(unit)
    return out


def _add_dir_hint(scope: Scope, hint: tuple[int, int, str, str]) -> None:
    s: Scope | None = scope
    while s is not None:
        s.dir_hints.append(hint)
        if s.kind in ("section", "document"):
            break
        s = s.parent


def _add_citation(c: Citation, out: Extraction) -> None:
    # A citation belongs to its list item / table row, their enclosing items, and the
    # innermost heading section: not to enclosing sections, or every number in a report
    # would be matched against every artifact the report cites.
    out.citations.append(c)
    s: Scope | None = c.scope
    while s is not None:
        s.citations.append(c)
        if s.kind in ("section", "document"):
            break
        s = s.parent


def _walk_inline(
    tok: Any, scope: Scope, loc: _Locator, first: int, last: int, out: Extraction,
    context: str, words: frozenset[str],
) -> TextUnit:
    flat: list[str] = []
    segments: list[Segment] = []
    pos = 0
    link_stack: list[tuple[Citation | None, bool]] = []  # (binding citation, external link)
    numbers_at: list[tuple[int, int, Segment, Citation | None, bool]] = []

    for child in tok.children or []:
        ct = child.type
        if ct in ("text", "code_inline"):
            content: str = child.content
            if not content and ct == "text":
                continue  # markdown-it-py leaves an empty text where ** was consumed
            if not content.isascii():  # entities are characters now: "&nbsp;", "&#173;"
                content = normalize_report_text(content)
            li, col, found = loc.find(content, first, last)
            seg = Segment(pos, pos + len(content), li + 1, col + 1, ct == "code_inline", found)
            segments.append(seg)
            flat.append(content)
            binding, external = link_stack[-1] if link_stack else (None, False)
            if ct == "code_inline" and is_artifact_code(content):
                path, pointer = split_target(content)
                _add_citation(
                    Citation(path, pointer, "code", seg.line, seg.column, content, scope), out
                )
            elif ct == "code_inline" and is_dir_hint(content):
                _add_dir_hint(scope, (seg.line, seg.column, content, "code"))
            elif ct == "code_inline" and is_path_template(content):
                # runs/<run_id>/x.json names no file: listed as skipped, never silently dropped
                out.skipped.append(SkippedNumber(
                    seg.line, seg.column, content,
                    "path template: a placeholder (<…>, {…}, $…) names no file"))
            elif not external:
                numbers_at.append((pos, pos + len(content), seg, binding, ct == "code_inline"))
            pos += len(content)
        elif ct in ("softbreak", "hardbreak"):
            flat.append(" ")
            pos += 1
        elif ct == "html_inline" and child.content.startswith("<!--"):
            li, col, _found = loc.find(child.content, first, last)
            out.comments.append((li + 1, col + 1, child.content))
        elif ct == "link_open":
            href = str(child.attrs.get("href", ""))
            if not href or href.startswith("#") or is_external(href):
                link_stack.append((None, True))
                continue
            path, pointer = split_target(href)
            # The link target is in the source after the text; its position is the link's.
            li, col, found = loc.find("](", first, last)
            line, column = (li + 1, col + 3) if found else (first + 1, 1)
            cit = Citation(path, pointer, "link", line, column, href, scope)
            _add_citation(cit, out)
            link_stack.append((cit if pointer is not None else None, False))
        elif ct == "link_close":
            if link_stack:
                link_stack.pop()
        elif ct == "image":
            src = str(child.attrs.get("src", ""))
            if src and not is_external(src) and not src.startswith("#"):
                path, pointer = split_target(src)
                _add_citation(Citation(path, pointer, "link", first + 1, 1, src, scope), out)
            # the raw alt text: its entities decoded and normalised like any text
            alt: str = child.content
            if "&" in alt or not alt.isascii():
                alt = normalize_report_text(html.unescape(alt))
            if alt.strip():
                # alt text is read (screen readers, a broken image): "![transcoder gate: ✅]"
                # is a status claim like any other text (red team 11); its numbers are not
                li, col, found = loc.find(alt, first, last)
                segments.append(Segment(pos, pos + len(alt), li + 1, col + 1, False, found))
                flat.append(alt)
                pos += len(alt)

    text = "".join(flat)
    unit = TextUnit(text, segments, scope, first + 1)
    _scan_numbers(text, numbers_at, scope, out, context, words)
    return unit


def _html_block(
    tok: Any, scope: Scope, loc: _Locator, out: Extraction, words: frozenset[str]
) -> None:
    """Raw HTML renders on GitHub: audit its text like markdown (audit/_html_blocks.py)."""
    from ._html_blocks import html_texts

    first = tok.map[0] if tok.map else 0
    texts, comments = html_texts(tok.content)
    for line, col, comment in comments:
        out.comments.append((first + line, col, comment))
    for ht in texts:
        at = first + ht.line - 1
        # markdown-it-py: parseInline has no counterpart in the Rust parser
        inline = py_parser().parseInline(ht.text)
        if not inline:
            continue
        block_scope = scope
        if ht.kind in ("row", "item"):
            block_scope = Scope(ht.kind, at + 1, "", parent=scope)
        context = {"row": "cell", "heading": "heading"}.get(ht.kind, "para")
        last = tok.map[1] if tok.map else at + 1
        out.units.append(_walk_inline(inline[0], block_scope, loc, at, last, out, context,
                                      words))


def _scan_numbers(
    text: str, spans: list[tuple[int, int, Segment, Citation | None, bool]], scope: Scope,
    out: Extraction, context: str, words: frozenset[str],
) -> None:
    if not spans or not _DIGIT.search(text):
        return  # most text has no number: none of the context below is needed
    dates = date_spans(text)
    enum_end = enumeration_end(text, context)
    slashed = _slash_words(text)
    in_heading = context == "heading"
    dates_done: set[int] = set()
    limit = out.max_numbers
    for start, end, seg, binding, _is_code in spans:
        for m in NUMBER_RE.finditer(text, start, end):
            if limit is not None and len(out.numbers) + len(out.skipped) >= limit:
                raise TooManyClaims(limit)
            s, e = m.span()
            raw = m.group()
            if raw[0] in "+-\u2212" and s > 0 and (text[s - 1].isalnum() or text[s - 1] == "_"):
                if not text[s - 1].isdigit():
                    continue  # a hyphen inside a word ("CE-Bench-2")
                s, raw = s + 1, raw[1:]  # a range ("0.5-0.7"): the dash is not a sign
            line = seg.line
            col = seg.column + (s - seg.start) if seg.located else seg.column
            k = bisect_right(dates, (s, sys.maxsize)) - 1
            if k >= 0 and dates[k][0] <= s < dates[k][1]:
                # one "date" entry per date, not one per "2026", "-02", "-13"
                if k not in dates_done:
                    dates_done.add(k)
                    d0 = dates[k][0]
                    dcol = seg.column + (d0 - seg.start) if seg.located and d0 >= seg.start \
                        else col
                    out.skipped.append(SkippedNumber(line, dcol, text[d0:dates[k][1]], "date"))
                continue
            rule = _skip_rule(text, s, e, raw, enum_end, in_heading, words, slashed)
            if rule == "":
                continue  # part of a word or identifier: not a number at all
            if rule is None:
                parsed = parse_number(raw)
                if parsed is None:
                    continue
                if is_year(parsed):
                    rule = "year"
                else:
                    keys, labels = key_context(text, s, loose=scope.kind in ("item", "row"))
                    out.numbers.append(NumberClaim(parsed, line, col, scope, binding, keys,
                                                   labels, p_bound(text, s)))
                    continue
            out.skipped.append(SkippedNumber(line, col, raw, rule))


def _skip_rule(
    text: str, s: int, e: int, raw: str, enum_end: int, in_heading: bool,
    words: frozenset[str], slashed: list[tuple[int, int]],
) -> str | None:
    """None: a claim. "": not a number (inside a word). Otherwise the not-a-claim rule."""
    digits_start = s + 1 if raw[0] in "+-\u2212" else s
    before = text[s - 1] if s > 0 else " "
    after = text[e] if e < len(text) else " "
    if digits_start == s and (before.isalnum() or before in "_.\\/~@" or (
            before == "$" and s > 1 and (text[s - 2].isalnum() or text[s - 2] in "_$"))):
        return ""  # "$0.7461$" (inline math) and "$5" are numbers; "a$1", "$$1" are not
    if after.isalnum() or after == "_" or (after in "./" and e + 1 < len(text)
                                           and text[e + 1].isalnum()):
        # "16k", "v1.2.3", "x.json", "10/20/30": identifiers, versions, paths
        return ""
    if len(raw) > MAX_NUMBER_CHARS:
        return "too long to be a measurement"
    if _inside(slashed, s):
        return "inside a path or URL"
    if s < enum_end:
        return "heading numbering" if in_heading else "list or section numbering"
    w = naming_word(text, digits_start, words)
    if w is not None:
        return f"names a {w}, not a result"
    if "." not in raw and "%" not in raw:
        w = following_word(text, e)
        if w in words:
            return f"counts {w}, not a result"
    return None


def _slash_words(text: str) -> list[tuple[int, int]]:
    """Spans of whitespace-delimited words with a "/" and a letter: paths and URLs.

    Found from each "/" outwards (not with a regex like ``\\S*/\\S*``, which backtracks
    quadratically on a long run of non-space characters).
    """
    spans: list[tuple[int, int]] = []
    i = text.find("/")
    n = len(text)
    while i >= 0:
        a = i
        while a > 0 and not text[a - 1].isspace():
            a -= 1
        b = i
        while b < n and not text[b].isspace():
            b += 1
        if any(c.isalpha() for c in text[a:b]):
            spans.append((a, b))
        i = text.find("/", b)
    return spans


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    k = bisect_right(spans, (pos, sys.maxsize)) - 1
    return k >= 0 and spans[k][0] <= pos < spans[k][1]

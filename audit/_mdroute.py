"""Which parser reads a report (issue 13): markdown-it-pyrs where it is known to read as
markdown-it-py does, markdown-it-py where it may not, and no parser where nesting is too deep.

The Rust parser (``audit/_mdtokens.py``) is ten times faster, but red-team review 13 found
where it differs from markdown-it-py, the parser the audit was built and tested on:

- lazy continuation lines after a block quote (a table or setext underline there is read
  differently, and a wrong number in the table passed);
- an empty list item (a lone ``-``, ``*``, ``1.``) right under a line of text;
- HTML comments containing ``--`` or another ``<!--`` (CommonMark 0.30 and 0.31 disagree; an
  ``ignore`` directive nested in a comment took effect);
- tabs in the indentation of a line (column arithmetic);
- a line of dashes with no ``|`` under a table row (a one-column table or a heading);
- an unclosed code span after a ``[``, where the Rust parser panics (a panic elsewhere is
  caught in ``_mdtokens`` too, but Rust prints it to stderr first).

Red-team round 2 found more (``<source>``/``<search>`` HTML blocks, an ordered item ``2.``
under a table row, a one-column delimiter row under a heading, nested-quote lazy lines, quoted
dash lines, emphasis beside ``£``, code spans of spaces, non-ASCII spaces that Python's
``str.strip`` removes, odd reference definitions), so the rule became an allowlist: the Rust
parser reads plain markdown only — no block quotes, no line starting with HTML, tables set off
from the lines around them (a ``- item`` may follow a table), none of the constructs above. A
report with anything else is read by markdown-it-py. Deep nesting: the Rust tree's teardown
overflows the stack past ~40,000 levels (a segfault), deep lists parse in quadratic time, and
markdown-it-py drops what lies past its nesting limit without a word. So a report that could
nest deeper than ``MAX_BLOCK_LEVELS`` is not audited (an error naming the reason), and one with
more than ``MAX_INLINE_DELIMITERS`` emphasis/link delimiters in a paragraph goes to
markdown-it-py, whose nesting limit is raised so that it keeps every word
(``RecursionError`` → "nested too deeply" beyond Python's own limit).
"""

from __future__ import annotations

import re

MAX_BLOCK_LEVELS = 100
MAX_INLINE_DELIMITERS = 10_000
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BULLETS = frozenset("-+*")


class NestedTooDeep(ValueError):
    """A report that could nest deeper than ``MAX_BLOCK_LEVELS``: not audited."""


def _prefix(line: str) -> tuple[int, int, bool, bool, bool, int]:
    """(container markers, leading columns, a ``>`` among them, a tab among them, the line is
    nothing but its prefix and that ends with a list marker, where the prefix ends) of one
    line's container prefix."""
    i, n, markers, columns, quoted, tab, item = 0, len(line), 0, 0, False, False, False
    while i < n:
        ch = line[i]
        if ch == " " or ch == "\t":
            columns += 4 if ch == "\t" else 1
            tab = tab or ch == "\t"
            i += 1
        elif ch == ">":
            markers, quoted, item, i = markers + 1, True, False, i + 1
        elif ch in _BULLETS and (i + 1 == n or line[i + 1] in " \t"):
            markers, item, i = markers + 1, True, i + 1
        elif ch.isdigit():
            j = i
            while j < n and j - i < 10 and line[j].isdigit():
                j += 1
            if j < n and line[j] in ".)" and (j + 1 == n or line[j + 1] in " \t"):
                markers, item, i = markers + 1, True, j + 1
            else:
                break
        else:
            break
    return markers, columns, quoted, tab, item and i >= n, i


def scan(text: str) -> tuple[int, int, str | None]:
    """(block levels bound, inline delimiters bound, why the Rust parser may read ``text``
    differently or None).

    An allowlist: the Rust parser reads plain markdown only (headings, paragraphs, lists,
    tables set off from their neighbours, code, links, emphasis between ASCII characters).
    A block container level needs a marker on its line or two columns of indentation
    continuing a list item, so a line nests at most its markers plus half its leading
    columns deep. Inline nesting uses at least one ``*``, ``_`` or ``[`` per level and never
    crosses a blank line.
    """
    blocks = 0
    why: str | None = None
    if _ODD_SPACE.search(text):
        why = "a non-ASCII or control space character"
    prev = ""
    for line in text.split("\n"):
        markers, columns, quoted, tab, empty_item, end = _prefix(line)
        blocks = max(blocks, markers + columns // 2)
        if why is None:
            why = _line_risk(line, line[end:], prev, quoted, tab, empty_item)
        prev = line
    if why is None and "<!--" in text and _odd_comment(text):
        why = "an HTML comment holding '--' or another '<!--'"
    if why is None and _DECLARATION.search(text):
        why = "an HTML declaration, CDATA or processing instruction (rules differ by version)"
    if why is None and _SYMBOL_FLANK.search(text):
        why = "emphasis next to non-ASCII punctuation or a symbol"
    chunks = _BLANK_LINE.split(text)
    if why is None and _BLANK_CODE.search(text) and (
            any(map(_blank_code_span, chunks))  # paragraphs, and each line (a heading, a row)
            or any(_blank_code_span(line) for line in text.split("\n") if "`" in line)):
        why = "a code span of spaces only"
    if why is None and "[" in text and "`" in text and (
            any(map(_open_code_after_bracket, chunks))
            # table rows (even without a '|') and their cells are parsed one by one
            or any(_open_code_after_bracket(cell) for line in text.split("\n")
                   if "[" in line and "`" in line
                   for cell in (line, *(line.split("|") if "|" in line else ())))):
        why = "an unclosed code span after a '[' (the Rust parser panics there)"
    inline = max((p.count("*") + p.count("_") + p.count("[") for p in chunks), default=0)
    return blocks, inline, why


def _line_risk(line: str, body: str, prev: str, quoted: bool, tab: bool, empty_item: bool
               ) -> str | None:
    """Why this line (under ``prev``; ``body``: the line after its container prefix) is
    outside what the Rust parser is trusted with."""
    if tab:
        return "a tab in a line's indentation"
    if quoted:
        return "a block quote (lazy continuation lines are read differently)"
    if body.startswith("<"):
        return "a line starting with HTML (HTML block rules differ: <source>, <search>)"
    blank, prev_blank = not line.strip(), not prev.strip()
    if empty_item and not prev_blank:
        return "an empty list item under a line of text"
    if not blank and _DASHES.fullmatch(line):
        tableish = "|" in line or ":" in line
        if tableish and ("|" not in prev or prev_blank):
            return "a table delimiter row under a line with no '|' (a heading, an item, text)"
        if not tableish and "|" in prev:
            return "a line of dashes under a table row (a delimiter row or a heading underline)"
    if line[:1] == " " and _UNDERLINE.fullmatch(line) and not prev_blank:
        return "an indented heading underline (a heading in a list item)"
    if "|" in prev and not prev_blank and not blank and "|" not in line and not (
            _BULLET_ITEM.match(line)):
        return "a line right under a table row (a row, a list item or text)"
    if body.startswith("[") and _ODD_DEFINITION.match(line):
        return "a link reference definition with no usable destination"
    return None


_DASHES = re.compile(r"[ ]{0,3}\|?[ ]*:?-[-:| \t]*")
_BULLET_ITEM = re.compile(r"[ ]{0,3}[-+*][ ]+\S")  # "- text": ends a table in both parsers
# spaces other than ASCII space/newline: markdown-it-py strips them with str.strip
_ODD_SPACE = re.compile(r"[\x0b\x0c\x85\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_BLANK_CODE = re.compile(r"`[ \n]+`")
_UNDERLINE = re.compile(r" +(?:=+|-+) *")
_DECLARATION = re.compile(r"<\?|<![A-Za-z\[]")
_ODD_DEFINITION = re.compile(r"[ ]{0,3}\[[^\]]*\]:[ ]*(?:\\|$)")
# `*` or `_` beside a non-ASCII character that CommonMark 0.31 counts as punctuation
_SYMBOL_FLANK = re.compile(r"[*_][^\x00-\x7f\w\s]|[^\x00-\x7f\w\s][*_]")
_TICKS = re.compile(r"`+")


def _code_spans(chunk: str) -> tuple[list[tuple[int, int]], list[int]]:
    """CommonMark's pairing of backtick runs: a run opens a code span closed by the next run of
    the same length (the runs between are its content); a run with no such closer is literal
    text and the scan goes on from the run after it. Returns (the spans' content ranges, the
    positions of the literal runs)."""
    runs = list(_TICKS.finditer(chunk))
    spans: list[tuple[int, int]] = []
    literal: list[int] = []
    i = 0
    while i < len(runs):
        opener = runs[i]
        j = next((k for k in range(i + 1, len(runs))
                  if len(runs[k].group()) == len(opener.group())), None)
        if j is None:
            literal.append(opener.start())
            i += 1
        else:
            spans.append((opener.end(), runs[j].start()))
            i = j + 1
    return spans, literal


def _blank_code_span(chunk: str) -> bool:
    """A code span holding only spaces and line breaks: the parsers strip it differently."""
    return any(not chunk[a:b].strip(" \n") for a, b in _code_spans(chunk)[0])


def _open_code_after_bracket(chunk: str) -> bool:
    """A literal (unclosed) backtick run with a ``[`` before it: markdown-it.rs 0.6 panics on
    it (index out of bounds in code_pair.rs)."""
    if "[" not in chunk or "`" not in chunk:
        return False
    first = chunk.index("[")
    return any(pos > first for pos in _code_spans(chunk)[1])


def _odd_comment(text: str) -> bool:
    i = text.find("<!--")
    while i >= 0:
        end = text.find("-->", i + 4)
        body = text[i + 4: end] if end >= 0 else text[i + 4:]
        if end < 0 or "--" in body or body.startswith((">", "->")) or body.endswith("-"):
            return True
        i = text.find("<!--", end + 3)
    return False

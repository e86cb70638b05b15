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

A report with any of these is read by markdown-it-py. Deep nesting: the Rust tree's teardown
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


def _prefix(line: str) -> tuple[int, int, bool, bool, bool]:
    """(container markers, leading columns, a ``>`` among them, a tab among them, the line is
    nothing but its prefix and that ends with a list marker) of one line's container
    prefix."""
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
    return markers, columns, quoted, tab, item and i >= n


def scan(text: str) -> tuple[int, int, str | None]:
    """(block levels bound, inline delimiters bound, why the Rust parser may read ``text``
    differently or None).

    A block container level needs a marker on its line or two columns of indentation
    continuing a list item, so a line nests at most its markers plus half its leading
    columns deep. Inline nesting uses at least one ``*``, ``_`` or ``[`` per level and never
    crosses a blank line.
    """
    blocks = 0
    why: str | None = None
    prev_blank, prev_quoted, prev_pipe = True, False, False
    for line in text.split("\n"):
        markers, columns, quoted, tab, empty_item = _prefix(line)
        blocks = max(blocks, markers + columns // 2)
        blank = not line.strip()
        if why is None:
            if tab:
                why = "a tab in a line's indentation"
            elif prev_quoted and not blank and not quoted:
                why = "a lazy continuation line after a block quote"
            elif empty_item and not prev_blank:
                why = "an empty list item under a line of text"
            elif prev_pipe and "|" not in line and _DASHES.fullmatch(line):
                why = "a line of dashes under a table row (delimiter row or heading underline)"
        prev_blank, prev_quoted = blank, quoted and not blank
        prev_pipe = "|" in line
    if why is None and "<!--" in text and _odd_comment(text):
        why = "an HTML comment holding '--' or another '<!--'"
    chunks = _BLANK_LINE.split(text)
    if why is None and "[" in text and "`" in text and (
            any(map(_open_code_after_bracket, chunks))
            # table rows (even without a '|') and their cells are parsed one by one
            or any(_open_code_after_bracket(cell) for line in text.split("\n")
                   for cell in (line, *(line.split("|") if "|" in line else ())))):
        why = "an unclosed code span after a '[' (the Rust parser panics there)"
    inline = max((p.count("*") + p.count("_") + p.count("[") for p in chunks), default=0)
    return blocks, inline, why


_DASHES = re.compile(r"[ ]{0,3}[-:][-: \t]*")
_TICKS = re.compile(r"`+")


def _open_code_after_bracket(chunk: str) -> bool:
    """A backtick run left unclosed (pairing runs of equal length, left to right) with a
    ``[`` before it: markdown-it.rs 0.6 panics on it (index out of bounds in code_pair.rs)."""
    if "[" not in chunk or "`" not in chunk:
        return False
    opener: re.Match[str] | None = None
    for m in _TICKS.finditer(chunk):
        if opener is None:
            opener = m
        elif len(m.group()) == len(opener.group()):
            opener = None
    return opener is not None and "[" in chunk[: opener.start()]


def _odd_comment(text: str) -> bool:
    i = text.find("<!--")
    while i >= 0:
        end = text.find("-->", i + 4)
        body = text[i + 4: end] if end >= 0 else text[i + 4:]
        if end < 0 or "--" in body or body.startswith((">", "->")) or body.endswith("-"):
            return True
        i = text.find("<!--", end + 3)
    return False

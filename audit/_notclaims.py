"""Numbers that are not claims, by rule (documented in docs/audit.md, "What is not a claim").

A report is full of numbers that no artifact could back: dates, section numbers, seeds, layer
indices. Checking them would bury the real findings in noise, so they are skipped, and each
skip is recorded with its rule so that ``--explain`` can say why.
"""

from __future__ import annotations

import re

from ._numbers import ParsedNumber

# Numbers right after these words (or a list of numbers after them) name a thing, not a result.
DEFAULT_NOT_CLAIM_WORDS: frozenset[str] = frozenset(
    {
        "seed", "seeds", "layer", "layers", "step", "steps", "row", "rows", "run", "runs",
        "cycle", "cycles", "phase", "phases", "section", "sections", "sec", "figure", "fig",
        "table", "appendix", "chapter", "issue", "pr", "item", "items", "version", "epoch",
        "epochs", "batch", "gpu", "gpus",
    }
)

# ISO dates (optionally with a time), and compact YYYYMMDD dates.
_DATE_RE = re.compile(
    r"(?<!\d)(?:19|20)\d\d-[01]\d-[0-3]\d(?:[T ][0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?"
    r"(?:Z|[+-][0-2]\d:?[0-5]\d)?)?(?!\d)"
    r"|(?<!\d)(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"
)
# "1)", "2.", "3.1" opening a heading: numbering, not a value. In a paragraph only a clear
# enumeration ("2) The …", "3.1 Results …") counts; a table cell is never numbering.
_HEADING_ENUM_RE = re.compile(r"\s{0,3}\d{1,3}(?:\.\d{1,3}){0,3}[.)]?(?=\s)")
_PARA_ENUM_RE = re.compile(r"\s{0,3}(?:\d{1,3}[.)]|\d{1,3}(?:\.\d{1,3}){1,3})(?=\s+[A-Z])")
_WORD_CHARS = re.compile(r"[A-Za-z_]")
# Separators that may sit between a naming word and its numbers: "seeds: 0, 1 and 2".
_GAP = " \t:=#([{`'\",/&-"


def date_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _DATE_RE.finditer(text)]


def enumeration_end(text: str, context: str = "heading") -> int:
    """End of a leading enumeration ("1)", "2.", "3.1") in a heading or paragraph, else 0."""
    if context == "cell":
        return 0
    m = (_HEADING_ENUM_RE if context == "heading" else _PARA_ENUM_RE).match(text)
    return m.end() if m else 0


def _preceding_word(text: str, start: int, depth: int = 0) -> str:
    """The word before position ``start``, skipping separators and earlier numbers.

    Scans backwards at most 60 characters (a dozen listed numbers), so that the cost per
    number is small and constant even on a 10 MB line of numbers.
    """
    i = start
    lo = max(0, start - 60)
    while i > lo:
        ch = text[i - 1]
        if ch in _GAP or ch.isspace():
            i -= 1
            continue
        if ch.isdigit() or ch in ".+\u2212%":
            # an earlier number of the same list: keep walking back over it
            j = i
            while j > lo and (text[j - 1].isdigit() or text[j - 1] in ".,+-\u2212%eE"):
                j -= 1
            if j > lo and _WORD_CHARS.match(text[j - 1]):
                # it was the tail of a word ("layer2"): that word decides
                i = j
                break
            i = j
            continue
        break
    j = i
    while j > lo and (text[j - 1].isalnum() or text[j - 1] == "_"):
        j -= 1
    word = text[j:i].lower()
    if word in ("and", "or", "to") and depth == 0:
        return _preceding_word(text, j, 1) if j > lo else ""
    return word


def naming_word(text: str, start: int, words: frozenset[str]) -> str | None:
    word = _preceding_word(text, start)
    if not word:
        return None
    if word in words:
        return word
    # "max_rows=200", "n_layers 4": the last part of a snake_case name counts.
    last = word.rsplit("_", 1)[-1]
    if last in words:
        return last
    return None


def is_year(p: ParsedNumber) -> bool:
    return p.is_plain_integer and not p.has_separators and 1900 <= p.value <= 2100 and len(
        p.text
    ) == 4


def following_word(text: str, end: int) -> str:
    """The word right after a number ("3000 steps"), lower-cased; at most 40 chars read."""
    i = end
    hi = min(len(text), end + 40)
    while i < hi and text[i] in " \t":
        i += 1
    j = i
    while j < hi and (text[j].isalnum() or text[j] == "_"):
        j += 1
    return text[i:j].lower()

"""What in a text artifact can back a number (issue 11, "What can back a number").

A markdown or text artifact is prose, code and data mixed. Only two places in it hold values a
report may quote: **table cells** and **``key: value`` / ``key = value`` lines**. Everything
else is left out, because its digits back report numbers by coincidence: the hour of a
timestamp, the 2 of "L2", a version pin, a line of code. So:

- fenced code blocks, HTML comments and inline code are skipped;
- a number must stand alone (not part of a word, identifier, version, path, date or time);
- CSV/TSV cells count when the whole cell is one number.

Each value keeps the precision it was printed with (``exp``: exponent of its last digit), so
that a report may quote it more precisely (``-0.06319`` against a table's ``-0.0632``), and
the labels it sits under (column header, row label, key), for key-aware binding.

Lock and requirements files (``constraints.txt``, ``requirements*.txt``, ``*.lock`` ...) hold
only version pins: they back no number at all.
"""

from __future__ import annotations

import csv
import io
import re
from bisect import bisect_right
from dataclasses import dataclass

from ._numbers import MAX_NUMBER_CHARS, NUMBER_RE, parse_number


@dataclass(frozen=True)
class TextValue:
    """A number read from text: pointer (``#L<line>`` or ``/<row>/<column>``), value (a
    fraction for a printed percentage), printed exponent, and labels (column header, row
    label, key), outermost first."""

    pointer: str
    value: float | int
    exp: int
    labels: tuple[str, ...]


_LOCK_NAMES = frozenset({
    "poetry.lock", "uv.lock", "pipfile.lock", "cargo.lock", "yarn.lock", "composer.lock",
    "gemfile.lock", "package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "go.sum",
    "pdm.lock", "conda-lock.yml", "conda-lock.yaml",
})
_REQUIREMENTS_RE = re.compile(r"(?:constraints|requirements)[\w.\-]*\.(?:txt|in)", re.I)


def is_lock_file(name: str) -> bool:
    """Lock, constraints and requirements files: version pins, never measurements."""
    low = name.lower()
    return low in _LOCK_NAMES or low.endswith(".lock") or bool(_REQUIREMENTS_RE.fullmatch(name))


# A table's delimiter row: | --- | :---: | (leading/trailing pipes optional).
_DELIM_RE = re.compile(r"\s{0,3}\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*")
_FENCE_RE = re.compile(r"\s{0,3}(`{3,}|~{3,})")
# "key: value", "- **key** = value", "1. key: value": a short label, then ":" or "=".
_KEY_LINE_RE = re.compile(
    r"\s{0,8}(?:[-*+]\s+|\d{1,3}[.)]\s+)?(?:\*\*|__)?([A-Za-z][\w .\-/()%\u0394]{0,60}?)"
    r"(?:\*\*|__)?\s{0,4}[:=]\s{0,4}(?=\S)"
)
_CODE_SPAN_RE = re.compile(r"`[^`\n]{0,1000}`")
_DATE_TIME_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}:\d{2}(?::\d{2})?"
)


def standalone_numbers(text: str) -> list[tuple[int, str]]:
    """(offset, matched text) of each number in ``text`` that stands alone: not part of a word,
    identifier, version or path, not in a date or a time of day, not in inline code."""
    blocked = sorted([m.span() for m in _CODE_SPAN_RE.finditer(text)]
                     + [m.span() for m in _DATE_TIME_RE.finditer(text)])
    ends = _running_max_ends(blocked)
    out: list[tuple[int, str]] = []
    for m in NUMBER_RE.finditer(text):
        s, e = m.span()
        raw = m.group()
        k = bisect_right(blocked, (s, len(text) + 1)) - 1
        if len(raw) > MAX_NUMBER_CHARS or (k >= 0 and ends[k] > s):
            continue
        before = text[s - 1] if s > 0 else " "
        after = text[e] if e < len(text) else " "
        signed = raw[0] in "+-\u2212"
        if before.isalnum() or before == "_" or (not signed and before in ".\\/~@#"):
            continue  # "L2", "run_3", "v1.2", "#3": part of a word, name or version
        if after.isalnum() or after in "_:" or (after in "./-" and e + 1 < len(text)
                                                 and text[e + 1].isalnum()):
            continue
        out.append((s, raw))
    return out


def _running_max_ends(spans: list[tuple[int, int]]) -> list[int]:
    """ends[i]: the furthest end among spans[0..i] (spans sorted by start), so that one
    bisection tells whether a position is inside any span."""
    ends: list[int] = []
    top = -1
    for _a, b in spans:
        top = max(top, b)
        ends.append(top)
    return ends


def _value(raw: str) -> tuple[float | int, int] | None:
    p = parse_number(raw)
    if p is None:
        return None
    v = p.value / 100 if p.percent else p.value
    exp = p.exponent - 2 if p.percent else p.exponent
    num: float | int = int(v) if exp >= 0 and v == v.to_integral_value() else float(v)
    return num, exp


def _cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", s)]


def _label(cell: str) -> str:
    return _CODE_SPAN_RE.sub(lambda m: m.group()[1:-1], cell).strip("*_ `")


def markdown_values(text: str, comments: tuple[str, ...] = ()) -> list[TextValue]:
    """Numbers in the tables and ``key: value`` lines of a markdown or text artifact.

    ``comments``: line prefixes that start a comment in this kind of file (``#`` for .txt).
    """
    out: list[TextValue] = []
    lines = text.splitlines()
    fence: str | None = None
    in_comment = False
    header: list[str] | None = None
    for i, line in enumerate(lines):
        lineno = i + 1
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        fm = _FENCE_RE.match(line)
        if fm:
            fence = fm.group(1)
            header = None
            continue
        if in_comment:
            in_comment = "-->" not in line
            continue
        if "<!--" in line:
            # a comment is not content: the line is skipped, a multi-line comment until "-->"
            in_comment = "-->" not in line.split("<!--", 1)[1]
            continue
        stripped = line.strip()
        if comments and stripped.startswith(comments):
            continue
        if header is not None:
            if "|" not in stripped:
                header = None
            else:
                cells = _cells(line)
                row_label = _label(cells[0]) if cells else ""
                for col, cell in enumerate(cells):
                    col_label = header[col] if col < len(header) else ""
                    labels = tuple(x for x in (row_label if col else "", col_label) if x)
                    for _off, raw in standalone_numbers(cell):
                        v = _value(raw)
                        if v is not None:
                            out.append(TextValue(f"#L{lineno}", v[0], v[1], labels))
                continue
        if (
            "|" in stripped and i + 1 < len(lines) and "-" in lines[i + 1]
            and _DELIM_RE.fullmatch(lines[i + 1]) and "|" in lines[i + 1] + stripped
        ):
            header = [_label(c) for c in _cells(line)]
            continue
        km = _KEY_LINE_RE.match(line)
        if km is None:
            continue
        key = km.group(1).strip()
        rest = line[km.end():]
        # the value is the first number after the key; later ones ("(threshold 0.1)") are
        # about something else
        nums = standalone_numbers(rest)
        v = _value(nums[0][1]) if nums and not rest[:nums[0][0]].strip("`*_ ") else None
        if v is not None:
            out.append(TextValue(f"#L{lineno}", v[0], v[1], (key,)))
    return out


def csv_values(text: str, delimiter: str) -> tuple[list[dict[str, object]], list[TextValue]]:
    """Rows of a CSV/TSV as records (for pointers) and the cells that are one number each.

    Raises ``csv.Error`` on malformed input.
    """
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        return [], []
    header = rows[0]
    records: list[dict[str, object]] = []
    values: list[TextValue] = []
    for r, row in enumerate(rows[1:]):
        rec: dict[str, object] = {}
        first = row[0].strip() if row else ""
        row_label = first if first and parse_number(first) is None else ""
        for i, cell in enumerate(row):
            key = header[i] if i < len(header) and header[i] else str(i)
            c = cell.strip()
            nums = standalone_numbers(c) if c else []
            v = _value(c) if len(nums) == 1 and nums[0][1] == c else None
            if v is None:
                rec[key] = cell
                continue
            rec[key] = v[0]
            ptr = f"/{r}/{key.replace('~', '~0').replace('/', '~1')}"
            labels = tuple(x for x in (row_label if i else "", key) if x)
            values.append(TextValue(ptr, v[0], v[1], labels))
        records.append(rec)
    return records, values

"""Plain words, with the fix, for what PyYAML reports about a file people write by hand.

PyYAML's scanner and parser speak in tokens ("expected chomping or indentation indicators, but
found '='"). Most of those errors come from a handful of mistakes, and the most surprising one
is a value that starts with a YAML indicator character: ``op: >=`` is a folded block (``>``)
followed by garbage, ``op: >`` is an empty folded block, ``op: !=`` is a tag. This module names
the mistake and the spelling that works (``quote the operator: op: ">="``).

Used by ``_yaml_safe`` (every YAML error) and by ``policy`` (a value that loaded as something
else than written, e.g. ``op: |`` read as empty text).
"""

from __future__ import annotations

import re

import yaml

# What each character means at the start of a plain (unquoted) YAML value.
INDICATORS: dict[str, str] = {
    ">": "starts a YAML folded block (text on the following lines)",
    "|": "starts a YAML literal block (text on the following lines)",
    "!": "starts a YAML tag",
    "&": "starts a YAML anchor",
    "*": "starts a YAML alias",
    "%": "starts a YAML directive",
    "@": "is reserved in YAML and cannot start a value",
    "`": "is reserved in YAML and cannot start a value",
    "?": "starts a YAML complex key",
    ",": "separates items in a YAML flow list",
    "#": "starts a YAML comment, so the value is empty",
}
# `key: value` on one line, possibly a list item (`- gate: x`); the key is plain or quoted.
_KEY_VALUE = re.compile(
    r"""^\s*(?:-\s+)*(?P<key>"[^"]*"|'[^']*'|[^\s#'"{}\[\],&*!|>%@`?:-][^#]*?)\s*:"""
    r"""(?:[ \t]+(?P<value>.*?))?[ \t]*$""")


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _split(line: str) -> tuple[str, str] | None:
    m = _KEY_VALUE.match(line)
    if m is None or not m.group("value"):
        return None
    return m.group("key").strip("'\""), m.group("value")


def indicator_note(line: str) -> str | None:
    """Explain a ``key: value`` source line whose value starts with a YAML indicator.

    ``op: >=`` → ``"`>` starts a YAML folded block (…); quote the operator: op: \">=\""``.
    ``None`` when the line is not ``key: value`` or its value starts normally.
    """
    parts = _split(line)
    if parts is None:
        return _bare_note(line)
    key, value = parts
    noun = "operator" if key == "op" else "value"
    first = value[0]
    if first in "'\"" and (len(value) < 2 or value[-1] != first):
        return (f"the quote {first} that starts the value of {key!r} is not closed on its "
                f"line; close it: {key}: {_quoted(value.strip(first))}")
    if value.startswith("- "):
        return (f"`- ` starts a YAML list item, which cannot follow `{key}:` on the same line; "
                f"quote the {noun}: {key}: {_quoted(value)}")
    if first in "{[":
        close = "}" if first == "{" else "]"
        if value.rstrip().endswith(close):
            return None  # a whole flow collection: not an indicator mistake
        kind = "mapping" if first == "{" else "list"
        return (f"`{first}` starts a YAML flow {kind}, which must close with `{close}` on the "
                f"same line; close it, or quote the {noun} if you mean text: "
                f"{key}: {_quoted(value)}")
    what = INDICATORS.get(first)
    if what is None:
        if ": " in value:
            return (f"the value of {key!r} contains `: ` (colon and space), which YAML reads "
                    f"as a new key; quote the {noun}: {key}: {_quoted(value)}")
        return None
    shown = value if first != "#" else value.split()[0]
    return f"{_tick(first)} {what}; quote the {noun}: {key}: {_quoted(shown)}"


def _tick(char: str) -> str:
    return "the backtick" if char == "`" else f"`{char}`"


def _bare_note(line: str) -> str | None:
    """A line (or list item) that is no `key: value` and starts with an indicator."""
    text = re.sub(r"^\s*(?:-\s+)*", "", line).rstrip()
    if not text or text[0] not in INDICATORS or text[0] == "#":
        return None
    return (f"{_tick(text[0])} {INDICATORS[text[0]]}; quote the text: {_quoted(text)}, or "
            "write `key: value`")


# PyYAML's scanner/parser problems (the start of the message) → plain words with the fix.
_PLAIN: list[tuple[str, str]] = [
    ("found character '\\t'", "a tab character: YAML indents with spaces only"),
    ("mapping values are not allowed here",
     "`: ` (colon and space) inside an unquoted value, or a key indented further than the key "
     "above it; quote the value or line the key up with its siblings"),
    ("expected <block end>",
     "this line's indentation does not line up with the lines above it (indent a key exactly "
     "like its siblings, a nested one further)"),
    ("could not find expected ':'",
     "a line that is not `key: value` (a missing `:`, or a quote opened above and not closed)"),
    ("expected ',' or '}'", "a `{…}` mapping not closed with `}` (or a `:` with no space after "
                            "it inside it); close it, or quote the value if you mean text"),
    ("expected ',' or ']'", "a `[…]` list not closed with `]`; close it, or quote the value if "
                            "you mean text"),
    ("found unexpected end of stream", "the file ends inside a quoted value: close the quote"),
    ("found unknown escape character",
     "an unknown `\\` escape inside double quotes: use single quotes, or write `\\\\`"),
    ("found undefined alias", "`*` starts a YAML alias: quote the value"),
    ("sequence entries are not allowed here",
     "a `- ` list item where a `key: value` is expected (check its indentation)"),
    ("mapping keys are not allowed here", "`? ` starts a YAML complex key: quote the value"),
    ("expected the node content", "a value is missing, or starts with a character YAML "
                                   "reserves (, ] }): quote it"),
    ("expected a single document", "more than one YAML document (`---`): keep one"),
    ("expected '<document start>'",
     "a line starting with `%` (a YAML directive) above the document: remove it or quote it"),
    ("expected URI", "`!` starts a YAML tag: quote the value"),
    ("expected chomping or indentation indicators",
     "`>` or `|` starts a YAML block of text on the following lines: quote the value"),
    ("expected alphabetic or numeric character",
     "`&` or `*` (a YAML anchor or alias) must be followed by a name: quote the value"),
    ("expected a comment or a line break", "text after a quoted value on the same line: put "
                                           "the whole value inside the quotes"),
    ("found unexpected document separator", "`---` inside a value: quote the value"),
]


def plain_yaml_problem(problem: str) -> str:
    """PyYAML's ``problem`` text in plain words (the original when no plain words are known)."""
    for start, plain in _PLAIN:
        if problem.startswith(start):
            return plain
    m = re.match(r"found character '(.)' that cannot start any token", problem)
    if m:
        return f"{_tick(m.group(1))} cannot start an unquoted YAML value: quote the value"
    # PyYAML's token words ("expected <block end>, but found …") help nobody: say what to check.
    return ("this line cannot be read as YAML: check its indentation and quoting (a value that "
            "starts with one of > | ! & * % @ ` { [ or contains `: ` must be quoted)")


def explain_marked_error(e: yaml.MarkedYAMLError, text: str) -> tuple[str, int | None]:
    """A PyYAML error as (plain message with the fix, 1-based line of the offending key)."""
    rows = text.splitlines()
    marks = [m for m in (e.problem_mark, e.context_mark) if m is not None]
    line = marks[0].line + 1 if marks else None
    note = None
    # A value starting with a YAML indicator (`op: >=`) explains most scanner errors; look at
    # the line of the problem first, then at the line where the construct began.
    for mark in marks:
        if mark.line < len(rows):
            note = indicator_note(rows[mark.line])
            if note is not None:
                line = mark.line + 1
                break
    if isinstance(e, yaml.constructor.ConstructorError):
        tag = re.search(r"tag '([^']*)'", e.problem or "")
        what = f"unknown tag {tag.group(1)!r}" if tag else (e.problem or str(e))
        return (f"invalid YAML: {what}: only plain YAML is allowed (unsafe tags are refused)"
                + (f"; {note}" if note else "")), line
    if note is not None:
        return f"invalid YAML: {note}", line
    return f"invalid YAML: {plain_yaml_problem(e.problem or str(e))}", line

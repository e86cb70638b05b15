"""Markdown-safe text for tables and summaries: what the user wrote shows as written.

File names, gate names, reasons and report claims are user-controlled. Put raw into a GitHub
markdown table, a ``|`` adds a column, a backtick ends a code span, ``**pass**`` renders bold and
``<b>`` is HTML. ``md_text`` backslash-escapes every character that can open inline markup
(CommonMark allows a backslash before any ASCII punctuation, GFM adds ``~`` and GitHub ``$``
math) and writes ``& < >`` as entities; ``md_code`` shows such text in code font with
``<code>``, inside which escapes still work (they do not inside a backtick code span).
"""

from __future__ import annotations

import re

# Inline markup openers: emphasis, code, links/images, table pipes, strikethrough, math, the
# backslash itself. Entities (& < >) are written as entities below.
# An underscore between two letters or digits (``ood_stress``) cannot open or close emphasis
# (CommonMark's flanking rules) and stays as it is, so names stay readable in the source.
_SPECIAL = re.compile(r"[\\`*\[\]|~$!]|(?<![^\W_])_|_(?![^\W_])")


def md_text(text: object) -> str:
    """``text`` as markdown that renders exactly as ``text`` (line breaks become spaces)."""
    s = " ".join(str(text).splitlines())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(lambda m: "\\" + m[0], s)


def md_code(text: object) -> str:
    """``text`` in code font, escaped as ``md_text`` (safe in a table cell)."""
    return f"<code>{md_text(text)}</code>"


def md_fence(lines: list[str], info: str = "") -> str:
    """``lines`` as a fenced code block whose fence no backtick run inside can close."""
    longest = max((len(m) for ln in lines for m in re.findall(r"`+", ln)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence + info, *lines, fence])

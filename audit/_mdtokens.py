"""Markdown → markdown-it's token stream, parsed by markdown-it-pyrs (issue 13).

markdown-it-py (pure Python) took a quarter of ``audit``'s time on a 200-report corpus (1.3 s of
5 s CPU); markdown-it-pyrs, the executablebooks project's Rust port of the same parser, builds
the same syntax tree in a tenth of that. The audit's extractor (``audit/_claims.py``) reads
markdown-it-py's flat token stream; this module turns the Rust tree into that stream, for the
token types the extractor reads:

- blocks: ``heading_open``/``heading_close`` (``tag`` ``h1``…``h6``), ``inline`` (with
  ``children`` and the block's ``map``), ``html_block``, ``list_item_open``/``_close``,
  ``thead_open``/``_close``, ``tr_open``/``_close``, ``th_open``/``td_open``;
- inline children: ``text`` (adjacent text and escapes/entities joined, as markdown-it-py's
  ``text_join`` rule does), ``code_inline``, ``softbreak``/``hardbreak``, ``html_inline``,
  ``link_open``/``link_close`` (``href``, autolinks too), ``image`` (``src``; ``content`` is the
  raw alt text), and ``em``/``strong`` open/close markers (text is never joined across them).

Reports the Rust parser is not known to read as markdown-it-py does (``audit/_mdroute.py``:
lazy block-quote lines, empty list items under text, odd HTML comments, tabs in indentation,
heavy inline nesting, a Rust panic) are read by markdown-it-py itself; reports that may nest
too deeply are refused (``NestedTooDeep``).

Other blocks (fences, indented code, rules, reference definitions) produce no token: the
extractor reads no claim from them. ``map`` is ``[first line, last line + 1]`` (0-based) like
markdown-it-py's; the Rust parser reports byte offsets, converted here. The differential tests
(tests/audit/test_mdtokens.py) hold this stream equal to markdown-it-py's on the test corpora and
on generated documents.
"""

from __future__ import annotations

import os
import re
import sys
from bisect import bisect_right
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ._mdroute import MAX_BLOCK_LEVELS, MAX_INLINE_DELIMITERS, NestedTooDeep, scan

_NEWLINES = re.compile(r"\r\n?")

_INLINE = frozenset({"text", "text_special", "code_inline", "softbreak", "hardbreak", "link",
                     "autolink", "image", "em", "strong", "s", "html_inline"})
_PARSER: Any = None
_PY_PARSER: Any = None


_NO_ATTRS: Mapping[str, str] = MappingProxyType({})


class Token:
    """The fields of markdown-it-py's ``Token`` that the audit reads."""

    __slots__ = ("attrs", "children", "content", "map", "tag", "type")

    def __init__(self, type: str, tag: str = "", map: list[int] | None = None,
                 content: str = "", children: list[Token] | None = None,
                 attrs: Mapping[str, str] = _NO_ATTRS) -> None:
        self.type = type
        self.tag = tag
        self.map = map
        self.content = content
        self.children = children
        self.attrs = attrs

    def __repr__(self) -> str:
        return f"Token({self.type!r}, map={self.map!r}, content={self.content!r})"


def normalize(text: str) -> str:
    """The input normalisation markdown-it applies before parsing (CR LF and CR → LF, NUL →
    U+FFFD), so that line numbers and the extractor's source lines agree."""
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    return text.replace("\0", "\ufffd") if "\0" in text else text


def py_parser() -> Any:
    """The audit's one markdown-it-py parser (CommonMark + tables), its nesting limit raised
    from 20 to 1,000 so that nothing within ``MAX_BLOCK_LEVELS`` is dropped unread."""
    from markdown_it import MarkdownIt

    global _PY_PARSER
    if _PY_PARSER is None:
        _PY_PARSER = MarkdownIt("commonmark", {"maxNesting": 1000}).enable("table")
    return _PY_PARSER


def markdown_it_py(text: str) -> list[Any]:
    """markdown-it-py's own token stream for ``text`` (see :func:`py_parser`)."""
    return list(py_parser().parse(text))


def _parser() -> Any:
    global _PARSER
    if _PARSER is None:
        from markdown_it_pyrs import MarkdownIt

        _PARSER = MarkdownIt("commonmark").enable("table")
    return _PARSER


class _Source:
    """Byte offsets (the Rust parser's source map) → 0-based lines and source slices."""

    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8")
        starts = [0]
        find = self.data.find
        i = find(b"\n")
        while i >= 0:
            starts.append(i + 1)
            i = find(b"\n", i + 1)
        self.starts = starts

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def lines(self, start: int, end: int) -> list[int]:
        return [self.line(start), self.line(max(start, end - 1)) + 1]

    def slice(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8", errors="replace")


def tokens(text: str) -> list[Any]:
    """markdown-it-py's token stream (the types listed above) for ``text``: pass it through
    :func:`normalize` first. Read by the Rust parser where ``audit/_mdroute.py`` trusts it,
    otherwise by markdown-it-py itself; ``NestedTooDeep`` where neither can be trusted."""
    blocks, inline, why = scan(text)
    if blocks > MAX_BLOCK_LEVELS:
        raise NestedTooDeep(f"markdown that may nest more than {MAX_BLOCK_LEVELS} levels deep "
                            "(lists, quotes, indentation): not audited")
    if why is not None or inline > MAX_INLINE_DELIMITERS:
        return markdown_it_py(text)
    try:
        tree = _quiet_tree(text)
    except BaseException as e:  # a Rust panic is a BaseException (pyo3's PanicException)
        if isinstance(e, Exception) or type(e).__name__ == "PanicException":
            return markdown_it_py(text)  # red team 13: "[` " panicked (index out of bounds)
        raise
    return _convert(tree, text)


def _quiet_tree(text: str) -> Any:
    """The Rust tree, with file descriptor 2 pointed at /dev/null meanwhile: a Rust panic
    writes its message (with RUST_BACKTRACE set, a whole backtrace) straight to the process's
    stderr before it reaches Python as an exception, and the report is then read by
    markdown-it-py anyway. Nothing else writes in that window (no threads here)."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        return _parser().tree(text)
    finally:
        os.dup2(saved, 2)
        os.close(devnull)
        os.close(saved)


def _convert(tree: Any, text: str) -> list[Token]:
    src = _Source(text)
    out: list[Token] = []
    # An explicit stack, not recursion, so that a 100,000-deep blockquote is walked like any
    # other document. Items: (node, its name, in a table head), (inline nodes, "", lines) for a
    # run of inline nodes, (token, None, None) for a closing token.
    stack: list[tuple[Any, Any, Any]] = [(tree, "root", False)]
    pop, append = stack.pop, out.append
    while stack:
        x, name, extra = pop()
        if name is None:
            append(x)
        elif name == "":
            append(_inline(x, src, extra))
        else:
            _block(x, name, extra, src, out, stack)
    return out


def _block(node: Any, name: str, in_head: bool, src: _Source, out: list[Token],
           stack: list[tuple[Any, Any, Any]]) -> None:
    if name == "paragraph":
        out.append(_inline(node.children, src, src.lines(*node.srcmap)))
        return
    if name == "tcell":
        line = src.line(node.srcmap[0])
        out.append(Token("th_open" if in_head else "td_open", "th" if in_head else "td"))
        out.append(_inline(node.children, src, [line, line + 1]))
        return
    if name == "heading" or name == "lheading":
        tag = f"h{int(node.meta.get('level', 1))}"
        lines = src.lines(*node.srcmap)
        kids = node.children
        out.append(Token("heading_open", tag, lines))
        heading = _inline(kids, src, lines)
        if kids:  # the raw heading text and its lines (a setext heading's underline is not)
            a, b = _span(kids, node)
            if name == "lheading":  # never into the underline, whatever the children's maps
                b = min(b, src.starts[src.line(max(a, node.srcmap[1] - 1))] - 1)
            heading.content, heading.map = src.slice(a, max(a, b)), src.lines(a, max(a, b))
        out.append(heading)
        out.append(Token("heading_close", tag))
        return
    if name == "html_block":
        sm = node.srcmap
        content = node.meta["content"]
        if sm[1] >= len(src.data) and content.endswith("\n"):
            content = content[:-1]  # at the end of a file without a final newline
        out.append(Token("html_block", "", src.lines(*sm), content))
        return
    closing: Token | None = None
    if name == "list_item":
        out.append(Token("list_item_open", "li", src.lines(*node.srcmap)))
        closing = Token("list_item_close", "li")
    elif name == "trow":
        line = src.line(node.srcmap[0])
        out.append(Token("tr_open", "tr", [line, line + 1]))
        closing = Token("tr_close", "tr")
    elif name == "thead":
        out.append(Token("thead_open", "thead"))
        closing, in_head = Token("thead_close", "thead"), True
    elif name not in _CONTAINERS:
        return  # fences, indented code, rules, reference definitions: no claims read there
    if closing is not None:
        stack.append((closing, None, None))
    # A tight list item's text sits directly under the item: each run of inline nodes there is
    # markdown-it-py's hidden paragraph, one inline token.
    items: list[tuple[Any, Any, Any]] = []
    run: list[Any] = []
    for child in node.children:
        cname = child.name
        if cname in _INLINE:
            run.append(child)
            continue
        if run:  # the text ends where the next block (a nested list) begins
            lo, hi = _span(run, node)
            hi = min(hi, max(lo, (child.srcmap or (hi, hi))[0]))
            items.append((run, "", src.lines(*_trimmed(src, lo, hi))))
            run = []
        items.append((child, cname, in_head))
    if run:
        items.append((run, "", src.lines(*_trimmed(src, *_span(run, node)))))
    stack.extend(reversed(items))


_CONTAINERS = frozenset({"root", "blockquote", "bullet_list", "ordered_list", "table", "tbody"})


def _span(nodes: Any, parent: Any = None) -> tuple[int, int]:
    """The byte range covering ``nodes`` (within ``parent``'s). Not first start to last end:
    markdown-it.rs can give an inline node a reversed map (``7:6`` for the ``_u_`` of a list
    item whose next lines looked like a table) or one past its block (red team 13)."""
    ends = [x for n in nodes for x in (n.srcmap or ())]
    if not ends:
        return 0, 0
    lo, hi = min(ends), max(ends)
    if parent is not None and parent.srcmap:
        lo, hi = max(lo, parent.srcmap[0]), min(hi, parent.srcmap[1])
    return lo, max(lo, hi)


def _trimmed(src: _Source, lo: int, hi: int) -> tuple[int, int]:
    """``lo:hi`` without trailing blank lines (a list item's map runs over them)."""
    data = src.data
    while hi > lo + 1 and data[hi - 1] in b" \t\n":
        hi -= 1
    return lo, hi


def _inline(children: Any, src: _Source, lines: list[int]) -> Token:
    kids: list[Token] = []
    _flatten(children, src, kids)
    return Token("inline", "", lines, "", kids)


def _flatten(nodes: Any, src: _Source, out: list[Token]) -> None:
    # Inline nesting is bounded by the parser (emphasis, links); recursion is fine here.
    # Each attribute of a Rust node is a call across the boundary: read each once.
    for node in nodes:
        name = node.name
        if name == "text" or name == "text_special":
            content = node.meta["content"]
            if out and out[-1].type == "text":
                out[-1].content += content  # markdown-it-py's text_join
            else:
                out.append(Token("text", "", None, content))
        elif name == "code_inline":
            out.append(Token("code_inline", "code", None,
                             "".join([c.meta["content"] for c in node.children])))
        elif name == "softbreak":
            out.append(Token("softbreak"))
        elif name == "hardbreak":
            out.append(Token("hardbreak", "br"))
        elif name == "html_inline":
            out.append(Token("html_inline", "", None, node.meta["content"]))
        elif name == "link" or name == "autolink":
            out.append(Token("link_open", "a", None, "", None, {"href": node.meta["url"]}))
            _flatten(node.children, src, out)
            out.append(Token("link_close", "a"))
        elif name == "image":
            kids = node.children
            alt = src.slice(*_span(kids)) if kids else ""
            out.append(Token("image", "img", None, alt, None, {"src": node.meta["url"]}))
        elif name in _MARKS:
            tag = _MARKS[name]
            out.append(Token(f"{name}_open", tag))
            _flatten(node.children, src, out)
            out.append(Token(f"{name}_close", tag))


_MARKS = {"em": "em", "strong": "strong", "s": "s"}

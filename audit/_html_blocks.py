"""Raw HTML blocks in markdown (``<p>``, ``<table>``, ``<details>``/``<summary>``): GitHub
renders them, so their text is audited like markdown.

Parsed with the standard library's ``html.parser`` (a tolerant, maintained HTML tokenizer; no
regexes over HTML). Each block-level element becomes one piece of text, rebuilt as markdown so
the rest of the pipeline treats it alike: ``<code>x</code>`` → `` `x` ``, ``<a href="f.json">t</a>``
→ ``[t](f.json)``, ``<img src="p.png">`` → ``![](p.png)``, a ``<tr>`` → its cells joined by
`` | `` (one table row scope). ``<pre>``, ``<script>`` and ``<style>`` content is skipped (code,
not claims). HTML comments are returned too: they carry ``releasegate: ignore[...]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal

_BLOCKS = frozenset({
    "p", "li", "summary", "details", "div", "blockquote", "dd", "dt", "caption", "h1", "h2",
    "h3", "h4", "h5", "h6", "section", "article", "ul", "ol", "table", "thead", "tbody",
    "figcaption", "figure",
})
_SKIP = frozenset({"pre", "script", "style", "textarea"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr"})


@dataclass(frozen=True)
class HtmlText:
    kind: Literal["para", "item", "row", "heading"]
    text: str  # markdown inline text
    line: int  # 1-based, within the block


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[HtmlText] = []
        self.comments: list[tuple[int, int, str]] = []
        self.buf: list[str] = []
        self.buf_line = 0
        self.kind: Literal["para", "item", "row", "heading"] = "para"
        self.cells: list[str] | None = None
        self.row_line = 0
        self.skip = 0
        self.links: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self.buf).split())
        if text:
            if self.cells is not None:
                self.cells.append(text)
            else:
                self.out.append(HtmlText(self.kind, text, self.buf_line or 1))
        self.buf = []
        self.buf_line = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in _SKIP:
            self._flush()
            self.skip += 1
        elif tag == "tr":
            self._flush()
            self.cells, self.row_line = [], self.getpos()[0]
        elif tag in ("td", "th"):
            self._flush()
        elif tag in _BLOCKS:
            self._flush()
            self.kind = ("item" if tag == "li" else "heading" if tag[:1] == "h" and
                         tag[1:].isdigit() else "para")
        elif tag == "code":
            self._text("`")
        elif tag == "a":
            self.links.append(a.get("href", ""))
            self._text("[")
        elif tag == "img":
            src = a.get("src", "")
            if src:
                self._text(f"![]({src})")
        elif tag == "br":
            self._text(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "tr":
            self._flush()
            if self.cells:
                self.out.append(HtmlText("row", " | ".join(self.cells), self.row_line or 1))
            self.cells = None
        elif tag in ("td", "th"):
            self._flush()
        elif tag in _BLOCKS:
            self._flush()
            self.kind = "para"
        elif tag == "code":
            self._text("`")
        elif tag == "a":
            href = self.links.pop() if self.links else ""
            self._text(f"]({href})" if href else "]")

    def handle_data(self, data: str) -> None:
        self._text(data)

    def _text(self, data: str) -> None:
        if self.skip:
            return
        if not self.buf_line and data.strip():
            self.buf_line = self.getpos()[0]
        self.buf.append(data)

    def handle_comment(self, data: str) -> None:
        line, col = self.getpos()
        self.comments.append((line, col + 1, f"<!--{data}-->"))

    def close(self) -> None:
        super().close()
        self._flush()


def html_texts(html: str) -> tuple[list[HtmlText], list[tuple[int, int, str]]]:
    """Block texts (as markdown inline text) and comments (line, column, text) of ``html``."""
    c = _Collector()
    c.feed(html)
    c.close()
    return c.out, c.comments

"""audit/_mdtokens.py turns markdown-it-pyrs's tree into markdown-it-py's token stream (issue 13).

The audit used to parse with markdown-it-py; the Rust port is ~10x faster. These differential
tests hold the two equal where the extractor reads them: on every markdown file of this
repository, on hand-picked edge cases, and on generated documents — compared as token streams
and as what ``extract`` reads from them (citations, numbers, skipped numbers, text units).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from audit._claims import extract
from audit._mdroute import MAX_BLOCK_LEVELS, MAX_INLINE_DELIMITERS, NestedTooDeep, scan
from audit._mdtokens import _convert, _parser, markdown_it_py, normalize, tokens
from audit._notclaims import DEFAULT_NOT_CLAIM_WORDS

ROOT = Path(__file__).resolve().parents[2]
_PY = MarkdownIt("commonmark").enable("table")  # markdown-it-py as the audit used it before
_READ = {"heading_open", "heading_close", "inline", "html_block", "list_item_open",
         "list_item_close", "thead_open", "thead_close", "tr_open", "tr_close", "th_open",
         "td_open"}
_MAPPED = {"heading_open", "inline", "html_block", "list_item_open", "tr_open"}


def _sig(toks: list[Any]) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for t in toks:
        if t.type not in _READ:
            continue
        # markdown-it-py counts a list item's trailing blank lines into its map; the extractor
        # reads only the first line of an item
        m = t.map[:1] if t.type == "list_item_open" else t.map
        kids = None
        if t.type == "inline":
            kids = [(c.type, c.content, c.attrs.get("href") or c.attrs.get("src"))
                    for c in t.children or [] if not (c.type == "text" and c.content == "")]
        content = t.content if t.type == "html_block" or (
            t.type == "inline" and out and out[-1][0] == "heading_open") else None
        out.append((t.type, tuple(m) if t.type in _MAPPED and m else None, content, kids))
    return out


def _py_tokens(text: str) -> list[Any]:
    return list(_PY.parse(text))


def _extracted(text: str, parse: Any) -> tuple[object, ...]:
    ex = extract(text, DEFAULT_NOT_CLAIM_WORDS, parse=parse)
    return (
        [(c.target, c.pointer, c.origin, c.line, c.column, c.text, c.scope.kind, c.scope.line)
         for c in ex.citations],
        [(n.number.text, n.line, n.column, n.keys, n.labels, n.p_bound, n.scope.kind,
          n.binding.target if n.binding else None) for n in ex.numbers],
        [(u.text, u.line, u.scope.kind, u.scope.label,
          [(s.start, s.end, s.line, s.column, s.code, s.located) for s in u.segments])
         for u in ex.units],
        [(s.line, s.column, s.text, s.rule) for s in ex.skipped],
        ex.comments,
    )


def _rust(text: str) -> list[Any]:
    """The Rust parser's reading, whatever the route would choose."""
    return _convert(_parser().tree(text), text)


def _same(text: str) -> None:
    """What the audit reads (``tokens``) equals markdown-it-py's reading."""
    norm = normalize(text)
    assert _sig(tokens(norm)) == _sig(_py_tokens(norm))
    assert _extracted(text, tokens) == _extracted(text, _py_tokens)


def _repo_markdown() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "*.md"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    return [ROOT / p for p in out]


@pytest.mark.parametrize("path", _repo_markdown(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_markdown_file_of_the_repository(path: Path) -> None:
    _same(path.read_text(encoding="utf-8"))


EDGE_CASES = [
    "a &amp; b \\* c &#x41; é ü 0.5",
    "[x](<a b.json>) [y](c%20d.json#/a/b) [z](é.json) [w](#frag) [v](https://x.org/a.json)",
    "![alt *t* `c` 0.7](img.png) x ![](empty.png)",
    "héllo\n\n- a\n\n  b 0.3\n- c\n  1. d 0.4",
    "> q\n> r 0.5\n>\n> - item `x.json` 0.25",
    "| a | b |\n|---|---|\n| `x\\|y` | 2.5 |\n| | |\n| only |",
    "a  \nb\\\nc 1.5",
    "<b>x</b> <!-- releasegate: ignore[mismatch] why --> y 0.9",
    "```\ncode 1.5\n```\n    ind 2.5\n\npara 3.5",
    "Title 0.5\n===\n\n***\n\n<div>\nhi 0.3\n</div>\n\n## Sub *x* ##\n",
    "<http://x.org> <a.json> [r][ref] [ref] 0.61\n\n[ref]: x.json#/a \"t\"\n",
    "**b `1.5` [l *e*](x.json)** ![](i.png) _u_ __v__",
    "- [x] done 0.1\n- [ ] open 0.2\n\n1) first 0.3\n2) second",
    "Line one\r\nline two 0.4\r\n\r\n- item\r\n",
    "#\n\n# \n\n- \n\n|a|\n|-|\n",
    "*a **b *c* d** e* `` `x` `` 0.75",
    "term  \n: not a definition list 0.1\n\n<details><summary>gate: pass</summary>\n\nbody 0.2\n"
    "</details>",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases(text: str) -> None:
    _same(text)


_WORDS = st.sampled_from([
    "the", "gate", "passes", "fails", "EV", "L0:", "0.7461", "74.61%", "-0.031", "1,234",
    "`data/x.json`", "`run/<id>.json`", "[r](d.json#/metrics/ev)", "[e](https://x.org)",
    "**bold**", "*em*", "_u_", "`code 0.5`", "&amp;", "\\*", "<b>", "<!-- c -->", "é", "ü",
    "|", "\\|", "2026-11-20", "p < .001", "±", "![a](i.png)", "<http://x.org>", "  ", "\\",
    "[", "`", "<!-- a -- b -->", "<!-- <!-- c -->", "---", "\t", "£", "*€", "€*", "` `",
    "\u00a0", "\u3000", "|-|",
])
_LINE = st.lists(_WORDS, min_size=0, max_size=8).map(" ".join)
_PREFIX = st.sampled_from(["", "", "- ", "* ", "1. ", "> ", "## ", "  ", "    ", "| ", "#", "-",
                           "> > ", "\t", "=", "---", "<!-- ", "-->", "[`", "2. ", "10) ", "|-|",
                           ":-", "<source>", "<search>", "<div>", "[x]: ", "\u00a0", ">> "])


@st.composite
def _documents(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 10))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            lines += ["| a | b |", "|---|---|", f"| {draw(_LINE)} | {draw(_LINE)} |"]
        elif kind == 1:
            lines += ["```", draw(_LINE), "```"]
        else:
            lines.append(draw(_PREFIX) + draw(_LINE))
        if draw(st.booleans()):
            lines.append("")
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents())
def test_generated_documents(text: str) -> None:
    _same(text)


DIVERGENT = [
    # markdown-it-py: the blockquote's paragraph takes the table lines as text; Rust: a table
    "> transcoder gate passes 0.5\n| a | ev |\n|---|---|\n| x | 0.7461 |\n",
    # markdown-it-py: an empty list item ends the table; Rust: one more row
    "| a | ev |\n|---|---|\n| x | 0.25 |\n-\n  foo 0.5\n",
    # markdown-it-py: an empty list item after the blockquote; Rust: lazy text
    "> q 0.1\n- \n\nz 0.2\n",
    # red team 13: a table whose delimiter row is a lazy line (Rust: one quoted paragraph)
    "> arm | file | value\n--- | --- | ---\ncandidate | [a](a.json) | 0.6812\n",
    # red team 13: a setext underline as a lazy line
    "## Results\n\nSee [m](m.json).\n\n> Note\n-\n>-\n\nexplained_variance 0.7561\n",
    # red team 13: a directive inside an unclosed comment (CommonMark 0.30 vs 0.31)
    "transcoder gate: ✅ <!-- <!-- releasegate: ignore[contradicts-gate] quoted -->\n",
    "transcoder gate: ✅ <!-- releasegate: ignore[contradicts-gate] q -- see the paper -->\n",
    # red team 13, round 2 (one of each kind it found)
    "para\n<source src=x>\ntranscoder gate: pass\n",  # HTML block tags of CommonMark 0.31
    "| a | ev |\n|---|---|\n| x | 0.25 |\n2. y 0.5\n",  # "2." under a table row
    "## Candidate\n|-|\nx\n",  # a one-column delimiter row under a heading
    "> > arm | file | value\n> --- | --- | ---\n> candidate | [a](a.json) | 0.6812\n",
    "> | x |\n> ---\n",  # a quoted dash line under a table row
    "*£*transcoder gate: pass\n",  # emphasis beside a symbol (punctuation in 0.31)
    "a ```    ```\n",  # a code span of spaces only
    "#  \u00a0h\u00a0\n",  # str.strip removes NBSP; Rust does not
    "| h0 |\n|---|\n| ] |\n\u00a0\nnext 0.5\n",
    "[x]: \\\n",  # a reference definition with no usable destination
]


@pytest.mark.parametrize("text", DIVERGENT)
def test_where_the_parsers_differ_markdown_it_py_reads(text: str) -> None:
    norm = normalize(text)
    assert scan(norm)[2] is not None  # the route sees the risk ...
    assert _sig(_rust(norm)) != _sig(_py_tokens(norm))  # ... which is real
    _same(text)  # and the audit reads what markdown-it-py reads


def test_tabs_in_indentation_are_read_by_markdown_it_py() -> None:
    # red team 13 saw tab-expansion differences in token maps: not worth the risk
    assert scan("- a\n\t- b 0.5\n")[2] == "a tab in a line's indentation"
    assert scan("a\tb 0.5\n")[2] is None  # a tab inside a line is not indentation


def test_a_rust_panic_is_read_by_markdown_it_py() -> None:
    # red team 13: markdown-it.rs 0.6 panics (index out of bounds) on "[`"
    text = "Release gate: PASS\n\nAccuracy interval [0.70, 0.80) with a stray ` here.\n"
    with pytest.raises(BaseException, match="index out of bounds"):
        _parser().tree(text)
    _same(text)


def test_deep_documents_are_refused_or_read_by_markdown_it_py() -> None:
    # the Rust tree's teardown overflows the stack past ~40,000 levels (a segfault), deep lists
    # parse in quadratic time, and markdown-it-py drops what lies past its nesting limit
    for text in ("> " * 20000 + "deep 0.5", "- " * 150 + "x 0.5"):
        assert scan(text)[0] > MAX_BLOCK_LEVELS
        with pytest.raises(NestedTooDeep, match="not audited"):
            tokens(text)
    heavy = "*" * 6000 + "a 0.5" + "*" * 6000
    assert scan(heavy)[1] > MAX_INLINE_DELIMITERS
    _same(heavy)
    assert scan("# T\n\n- a\n  - b `x.json` 0.5\n    > q\n")[:2] == (3, 0)
    assert scan("a *b* [c](d) _e_\n\n**f**")[:2] == (0, 5)
    # 15 list levels: markdown-it-py's own limit (20) dropped the words; read now
    toks = tokens("- " * 15 + "Release gate: PASS")
    assert any("PASS" in c.content for t in toks if t.type == "inline" for c in t.children)
    toks = markdown_it_py("- " * 15 + "Release gate: PASS")
    assert any("PASS" in c.content for t in toks if t.type == "inline" for c in t.children)


@pytest.mark.parametrize("text", [
    "- " * 30000 + "x", "> " * 200000 + "x", "*" * 100000 + "a" + "*" * 100000,
    "_" * 200000 + "a" + "_" * 200000, "![" * 100000 + "a" + "](x)" * 100000,
    "1. " * 30000 + "x",
])
def test_hostile_nesting_never_crashes_the_audit(text: str, tmp_path: Path) -> None:
    (tmp_path / "r.md").write_text(text + "\n")
    proc = subprocess.run([sys.executable, "-m", "releasegate.cli.main", "audit", "r.md",
                           "--no-decision", "--format", "json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1, 2), proc.stderr[-500:]  # an exit code, not a signal
    assert "Traceback" not in proc.stderr


def _depth(node: Any) -> int:
    best, stack = 0, [(node, 1)]
    while stack:
        n, d = stack.pop()
        best = max(best, d)
        stack.extend((c, d + 1) for c in n.children)
    return best


_MARKERS = st.sampled_from(["> ", "- ", "* ", "1. ", "2) ", "  ", "    ", "\t", ">", "+ "])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_MARKERS, max_size=6).map("".join).map(lambda p: p + "x *y* [z](w)"),
                min_size=1, max_size=8).map("\n".join))
def test_the_nesting_bound_bounds_the_tree(text: str) -> None:
    """The Rust tree is never deeper than the bound allows: two levels (list and item) per
    block level, root, paragraph, one per inline delimiter."""
    blocks, inline, _why = scan(text)
    assert _depth(_parser().tree(text)) <= 2 + 2 * blocks + 1 + inline + 1

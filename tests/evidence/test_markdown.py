"""User text in markdown tables shows as written (red-team finding: an evidence file named
``a` | **pass** | <b>OK<b> ✅ `.json`` added columns to the CI summary and rendered **pass**).

Checked with a real CommonMark + GFM-table parser (markdown-it-py): whatever the string, a row
has exactly the intended cells and each cell's inline content is plain text (no emphasis, link,
code span, strikethrough or HTML tag of the user's), equal to the string with its line breaks
as spaces.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from evidence_schema._markdown import md_code, md_fence, md_text

_MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")
# Markdown's own characters weighted in, plus any printable text and line breaks.
_PUNCT = "\\`*_[]()|~$!<>&#:;-+.=\"' \n\r"
_TEXT = st.text(st.sampled_from(_PUNCT) | st.characters(
    codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30)


def _cells(row: list[str]) -> list[list[object]]:
    md = ("| " + " | ".join("h" for _ in row) + " |\n|" + "---|" * len(row) + "\n| "
          + " | ".join(row) + " |\n")
    tokens = _MD.parse(md)
    assert [t.type for t in tokens].count("tr_open") == 2, md  # header + one body row
    assert [t.type for t in tokens].count("td_open") == len(row), md
    inlines = [t for t in tokens if t.type == "inline"][len(row):]  # the body row's cells
    return [list(t.children or []) for t in inlines]


def _expected(text: str) -> str:
    return " ".join(text.splitlines())


@settings(max_examples=150, deadline=None)
@given(row=st.lists(_TEXT, min_size=1, max_size=4))
def test_any_text_is_one_plain_cell(row: list[str]) -> None:
    for text, kids in zip(row, _cells([md_text(t) for t in row]), strict=True):
        assert {k.type for k in kids} <= {"text", "text_special"}, (text, kids)
        # The table trims a cell's edge whitespace (a cell of only a no-break space is empty).
        assert "".join(k.content for k in kids) == _expected(text).strip(), text


@settings(max_examples=150, deadline=None)
@given(row=st.lists(_TEXT, min_size=1, max_size=4))
def test_any_text_is_one_code_cell(row: list[str]) -> None:
    for text, kids in zip(row, _cells([md_code(t) for t in row]), strict=True):
        tags = [k.content for k in kids if k.type == "html_inline"]
        assert tags == ["<code>", "</code>"], (text, kids)  # ours, and only ours
        assert {k.type for k in kids} <= {"text", "text_special", "html_inline"}, (text, kids)
        assert "".join(k.content for k in kids if k.type != "html_inline") == _expected(text)


def test_the_red_team_file_name() -> None:
    name = "a` | **pass** | <b>OK<b> ✅ `.json"
    (kids,) = _cells([md_code(name)])
    assert [k.type for k in kids].count("html_inline") == 2
    assert "".join(k.content for k in kids if k.type != "html_inline") == name
    assert "<b>" not in _MD.render(md_text(name))  # shown as text, not as a tag


@given(lines=st.lists(_TEXT.map(lambda s: s.replace("\r", "").replace("\n", "")), max_size=5))
@settings(max_examples=60, deadline=None)
def test_a_fence_holds_any_lines(lines: list[str]) -> None:
    tokens = _MD.parse(md_fence(lines))
    assert [t.type for t in tokens] == ["fence"]
    assert tokens[0].content == "".join(ln + "\n" for ln in lines)

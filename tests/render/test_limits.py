"""`releasegate render` resource limits (red-team review 11): a template cannot build strings,
lists or numbers large enough to run the machine out of memory or time, cannot mutate the
values the functions return, and every refusal is `TEMPLATE:LINE: error: …` with exit 2."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from releasegate.cli.main import main
from releasegate.render import RenderError, render_template
from releasegate.render._limits import MAX_ITEMS, MAX_OUTPUT_BYTES, MAX_WIDTH


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "x.json").write_text(json.dumps({"a": 1.5}), encoding="utf-8")
    return tmp_path


def _render(repo: Path, body: str) -> str:
    tpl = repo / "t.md.j2"
    tpl.write_text(body, encoding="utf-8")
    return render_template(tpl, repo=repo)


# (template line 2, words the refusal must contain); each was accepted before (red team 11):
# a MemoryError (exit 3), minutes of CPU, or a 100 MB line
REFUSED = [
    ('{{ ("x" * 10**10)|length }}', "over the limit of"),
    ('{{ "x" * 10**9 }}', "over the limit of"),
    ('{{ [1, 2] * 10**9 }}', "over the limit of"),
    ('{{ 10**9 * "x" }}', "over the limit of"),
    ('{{ 2 ** (10**9) }}', "bits, over the limit"),
    ('{{ value("x.json#/a", ">100000000") }}', "width or precision 100000000"),
    ('{{ value("x.json#/a", ".5000f") }}', "width or precision 5000"),
    ('{{ "%100000000s" % 1 }}', "%-format"),
    ('{{ "%*d" % (10**9, 1) }}', "'*' width"),
    ('{{ "%100000000s"|format(1) }}', "%-format"),
    ('{{ "{:>100000000}".format(1) }}', "width or precision 100000000"),
    ('{{ "{:{w}}".format(1, w=10**9) }}', "nested replacement"),
    ('{{ "x"|center(10**9) }}', "|center width"),
    ('{{ "x"|indent(10**9, true) }}', "|indent width"),
    ('{{ ("a b " * 100)|wordwrap(10**9) }}', "|wordwrap width"),
    ('{{ [1]|batch(10**9, 0)|list }}', "|batch size"),
    ('{{ ("x" * 900000)|replace("x", "xy") }}', "|replace"),
    ('{{ "x".ljust(10**9) }}', "str.ljust"),
    ('{{ "x".zfill(10**9) }}', "str.zfill"),
    ('{{ ("x" * 1000).replace("x", "x" * 10000) }}', "str.replace"),
    ('{% set a = "x" * 900000 %}{{ a ~ a }}', "'~' concatenation"),
    ('{% set a = "x" * 900000 %}{{ a + a }}', "concatenated"),
    ('{% set g = [1, 2] %}{{ g.append(1) }}', "sandbox"),  # immutable values
]


@pytest.mark.parametrize(("body", "words"), REFUSED, ids=[b for b, _ in REFUSED])
def test_resource_use_is_refused_with_the_template_line(repo: Path, body: str,
                                                        words: str) -> None:
    t0 = time.monotonic()
    with pytest.raises(RenderError) as e:
        _render(repo, "ok\n" + body + "\n")
    assert words in e.value.message
    assert e.value.line == 2
    assert time.monotonic() - t0 < 5  # refused before the work, not after


def test_values_the_functions_return_are_immutable(example_repo: Path) -> None:
    # gates() gave a mutable list: {% set g = gates() %}{{ g.append(1) }} worked
    with pytest.raises(RenderError, match="sandbox") as e:
        _render(example_repo, "{% set g = gates() %}\n{{ g.append(1) }}")
    assert e.value.line == 2


def test_reasonable_use_still_renders(repo: Path) -> None:
    out = _render(repo, '{{ "-" * 80 }}|{{ 2 ** 10 }}|{{ "%5.2f" % 1.5 }}|{{ "{:>6}".format("a") }}'
                  '|{{ value("x.json#/a", ">8.3f") }}|{{ "ab"|center(6) }}|{{ "a" ~ 1 }}')
    assert out == ("-" * 80 + "|1024| 1.50|     a|[   1.500](x.json#/a)|  ab  |a1")
    assert MAX_WIDTH >= 100 and MAX_ITEMS >= 100_000


def test_output_over_the_cap_is_refused(repo: Path) -> None:
    # each piece is allowed; the report as a whole is not
    body = '{% set s = "x" * 1000000 %}{% for i in "123456789" %}{{ s }}{% endfor %}'
    with pytest.raises(RenderError, match=f"over {MAX_OUTPUT_BYTES:,} bytes"):
        _render(repo, body)


def test_runaway_macro_recursion_is_refused(repo: Path) -> None:
    body = '{% macro f(s) %}{{ f(s ~ s) }}{% endmacro %}\n{{ f("x") }}'
    with pytest.raises(RenderError, match="over the limit"):
        _render(repo, body)


def test_memory_error_is_exit_2_with_a_message(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    # a MemoryError raised anywhere while rendering (here by a function) is a usage error
    from releasegate.render import _format

    def boom(*_a: object, **_k: object) -> str:
        raise MemoryError

    monkeypatch.setattr(_format, "format_number", boom)
    monkeypatch.setattr("releasegate.render._functions.format_number", boom)
    tpl = repo / "t.md.j2"
    tpl.write_text('a\n{{ value("x.json#/a") }}\n', encoding="utf-8")
    code = main(["render", str(tpl), "--out", str(repo / "r.md"), "--repo", str(repo)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{tpl}:2: error: out of memory" in err
    assert "Traceback" not in err and not (repo / "r.md").exists()


@pytest.mark.parametrize("body", ['{{ "x" * 10**9 }}', '{{ ("x" * 10**10)|length }}'])
def test_cli_refusal_is_exit_2_never_3(repo: Path, body: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    tpl = repo / "t.md.j2"
    tpl.write_text("a\n" + body + "\n", encoding="utf-8")
    code = main(["render", str(tpl), "--out", str(repo / "r.md"), "--repo", str(repo)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{tpl}:2: error: refused by the sandbox:" in err
    assert "internal error" not in err and "Traceback" not in err

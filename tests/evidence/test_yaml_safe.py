"""The project's one YAML reader (evidence_schema._yaml_safe): bombs, positions, YAML 1.1."""

from __future__ import annotations

import math
import tracemalloc
from pathlib import Path

import pytest
import yaml
from _yaml_bomb import BOMB, within, yaml_bomb
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_schema import (
    YAMLLoadError,
    load_yaml_bytes,
    load_yaml_file,
    yaml11_float,
    yaml11_note,
)


def test_bomb_refused_outright_where_aliases_are_refused() -> None:
    with within(), pytest.raises(YAMLLoadError) as exc:
        load_yaml_bytes(BOMB, "bomb.yaml", aliases="refuse")
    assert "aliases" in exc.value.message
    assert (exc.value.path, exc.value.line) == ("bomb.yaml", 1)
    assert str(exc.value).startswith("bomb.yaml:1: ")


def test_bomb_refused_quickly_and_in_little_memory_where_aliases_are_bounded() -> None:
    tracemalloc.start()
    try:
        with within(), pytest.raises(YAMLLoadError) as exc:
            load_yaml_bytes(BOMB, "bomb.yaml", aliases="bounded")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "aliases" in exc.value.message and "1,000,000" in exc.value.message
    assert exc.value.line is not None
    assert peak < 20 * 1024 * 1024, f"peak {peak:,} bytes"


def test_expanded_size_bound_is_exact() -> None:
    # Three levels: the mapping (1) + three keys (3) + a (1 + 9) + b (1 + 9*10) + c (1 + 9*91).
    small = yaml_bomb(3)
    expanded = 1 + 3 + 10 + 91 + 820
    doc = load_yaml_bytes(small, "s.yaml", aliases="bounded", max_nodes=expanded)
    assert doc.data["c"][8][8] == ["lol"] * 9
    with pytest.raises(YAMLLoadError, match="more than 924 values"):
        load_yaml_bytes(small, "s.yaml", aliases="bounded", max_nodes=expanded - 1)


def test_modest_aliases_load_where_bounded() -> None:
    doc = load_yaml_bytes(b"a: &x [1, 2]\nb: *x\n", "a.yaml", aliases="bounded")
    assert doc.data == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize("mode", ["refuse", "bounded"])
def test_recursive_alias_refused(mode: str) -> None:
    with within(), pytest.raises(YAMLLoadError, match="alias") as exc:
        load_yaml_bytes(b"x: 1\na: &a [1, *a]\n", "r.yaml", aliases=mode)  # type: ignore[arg-type]
    assert exc.value.line == 2


def test_merge_key_is_an_alias_and_refused() -> None:
    text = b"base: &b {lr: 1}\nrun:\n  <<: *b\n"
    with pytest.raises(YAMLLoadError, match="anchors and aliases"):
        load_yaml_bytes(text, "m.yaml")


def test_duplicate_keys() -> None:
    text = b"a: 1\nb:\n  c: 1\n  c: 2\n"
    with pytest.raises(YAMLLoadError, match="duplicate key 'c'") as exc:
        load_yaml_bytes(text, "d.yaml")
    assert exc.value.line == 4
    assert load_yaml_bytes(text, "d.yaml", unique_keys=False).data == {"a": 1, "b": {"c": 2}}


def test_unsafe_tag_and_syntax_errors_have_lines() -> None:
    with pytest.raises(YAMLLoadError, match="unsafe tags") as exc:
        load_yaml_bytes(b"a: 1\nb: !!python/object/apply:os.system ['true']\n", "t.yaml")
    assert exc.value.line == 2
    with pytest.raises(YAMLLoadError, match="invalid YAML") as exc:
        load_yaml_bytes(b"a: 1\nb: [unclosed\n", "t.yaml")
    assert exc.value.line == 2  # the key whose `[` is not closed, not the end of the file


def test_lines_are_those_of_keys_and_items() -> None:
    doc = load_yaml_bytes(b"top: 1\na:\n  - 1\n  - x: 2\n    y/z: 3\n", "l.yaml")
    assert doc.lines == {"": 1, "/top": 1, "/a": 2, "/a/0": 3, "/a/1": 4, "/a/1/x": 4,
                         "/a/1/y~1z": 5}


def test_plain_scalars_remember_their_text() -> None:
    doc = load_yaml_bytes(b"t: 1e-1\nv: 1.10\nq: '1e-1'\nw: on\ns: word\n", "p.yaml")
    assert doc.data == {"t": "1e-1", "v": 1.1, "q": "1e-1", "w": True, "s": "word"}
    assert doc.plain == {"/t": "1e-1", "/v": "1.10", "/w": "on"}


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(YAMLLoadError, match="cannot read"):
        load_yaml_file(tmp_path / "nope.yaml")
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: 1\n" * 100)
    with pytest.raises(YAMLLoadError, match="over the 100-byte limit"):
        load_yaml_file(big, max_bytes=100)
    (tmp_path / "bin.yaml").write_bytes(b"a: \x00")
    with pytest.raises(YAMLLoadError, match="binary"):
        load_yaml_file(tmp_path / "bin.yaml")
    (tmp_path / "u.yaml").write_bytes(b"a: 1\nb: caf\xc3\x28\n")
    with pytest.raises(YAMLLoadError, match="invalid UTF-8") as exc:
        load_yaml_file(tmp_path / "u.yaml")
    assert exc.value.line == 2
    (tmp_path / "e.yaml").write_bytes(b"# only a comment\n")
    assert load_yaml_file(tmp_path / "e.yaml").data is None


@pytest.mark.parametrize(
    ("text", "value", "fragment"),
    [
        ("1e-1", "1e-1", "YAML 1.1 reads `1e-1` as text, not a number; write `0.1`"),
        ("1E5", "1E5", "write `100000.0`"),
        ("1.10", 1.1, 'YAML 1.1 reads `1.10` as the number 1.1, not text; quote it: "1.10"'),
        ("on", True, "as the boolean true"),
        ("no", False, "as the boolean false"),
    ],
)
def test_yaml11_notes(text: str, value: object, fragment: str) -> None:
    assert value == yaml.safe_load(f"x: {text}")["x"]  # the reading the note explains
    note = yaml11_note(text, value)
    assert note is not None and fragment in note


@pytest.mark.parametrize(("text", "value"), [("0.1", 0.1), ("true", True), ("word", "word"),
                                             ("3", 3), (".nan", math.nan)])
def test_no_note_when_yaml_read_what_was_written(text: str, value: object) -> None:
    assert yaml11_note(text, value) is None


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_suggested_spelling_reads_back_as_the_number(x: float) -> None:
    spelled = yaml11_float(x)
    loaded = yaml.safe_load(f"x: {spelled}")["x"]
    assert isinstance(loaded, float) and loaded == x


@settings(max_examples=100, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e30, max_value=1e30),
       st.sampled_from(["{:e}", "{:E}", "{:.0e}"]))
def test_every_exponent_written_as_text_is_explained(x: float, fmt: str) -> None:
    text = fmt.format(x).replace("e+", "e").replace("E+", "E")
    value = yaml.safe_load(f"x: {text}")["x"]
    if isinstance(value, str):  # YAML 1.1 read it as text: the note must say how to fix it
        note = yaml11_note(text, value)
        assert note is not None and "as text, not a number" in note
        fix = note.split("write `", 1)[1].split("`", 1)[0]
        assert yaml.safe_load(f"x: {fix}")["x"] == float(text)


def test_duplicate_keys_collected_keep_the_first_value() -> None:
    doc = load_yaml_bytes(b"a: 1\nb:\n  c: 1\n  c: 2\na: 3\n", "d.yaml", unique_keys="collect")
    assert doc.data == {"a": 1, "b": {"c": 1}}
    assert doc.problems == [(4, "duplicate key 'c' (YAML would keep only the last one)"),
                            (5, "duplicate key 'a' (YAML would keep only the last one)")]


@pytest.mark.parametrize(("text", "line", "message"), [
    (b"a: 1\nop: >=\n", 2, 'invalid YAML: `>` starts a YAML folded block (text on the following '
                           'lines); quote the operator: op: ">="'),
    (b"x: !=\n", 1, "invalid YAML: unknown tag '!=': only plain YAML is allowed (unsafe tags are "
                    'refused); `!` starts a YAML tag; quote the value: x: "!="'),
    (b"x: @home\n", 1, 'invalid YAML: `@` is reserved in YAML and cannot start a value; quote '
                       'the value: x: "@home"'),
    (b"d: Note: this\n", 1, "invalid YAML: the value of 'd' contains `: ` (colon and space), "
                            'which YAML reads as a new key; quote the value: d: "Note: this"'),
    (b"a:\n\tb: 1\n", 2, "invalid YAML: a tab character: YAML indents with spaces only"),
    (b"a:\n  b: 1\n c: 2\n", 3, "invalid YAML: this line's indentation does not line up with "
                                "the lines above it (indent a key exactly like its siblings, a "
                                "nested one further)"),
    (b"e: 2027-13-01\n", 1, "invalid date (month must be in 1..12): write a real date as "
                            "YYYY-MM-DD, or quote the value if you mean text"),
])
def test_yaml_errors_are_plain_words_at_the_key(text: bytes, line: int, message: str) -> None:
    with pytest.raises(YAMLLoadError) as exc:
        load_yaml_bytes(text, "e.yaml")
    assert (exc.value.line, exc.value.message) == (line, message)


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="ab :-#>|!&*%@`{}[],?'\"\t\n", max_size=40))
def test_any_small_yaml_loads_or_fails_with_a_plain_error(text: str) -> None:
    try:
        load_yaml_bytes(text.encode(), "f.yaml")
    except YAMLLoadError as e:
        for raw in ("but found", "chomping", "<block", "<document", "while scanning"):
            assert raw not in e.message, e.message

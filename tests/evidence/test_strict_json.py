from __future__ import annotations

import pytest

from evidence_schema import StrictJSONError, load_strict_bytes, loads_strict, pointer_lines


@pytest.mark.parametrize(
    ("text", "line", "pointer", "fragment"),
    [
        ('{\n "a": [1,\n  NaN]}', 3, "/a/1", "NaN is not allowed"),
        ('{"a": {"b": Infinity}}', 1, "/a/b", "Infinity is not allowed"),
        ('{\n"x": 1,\n"a": -Infinity}', 3, "/a", "-Infinity"),
        ('{"a": 1,\n "a": 2}', 2, "/a", "duplicate key 'a'"),
        ('{"o": {"k": 1, "k": 1}}', 1, "/o/k", "duplicate key 'k'"),
        ('{\n"a": 1,\n"b": }', 3, "", "invalid JSON"),
    ],
)
def test_refusals_carry_line_and_pointer(text: str, line: int, pointer: str, fragment: str) -> None:
    with pytest.raises(StrictJSONError) as exc:
        loads_strict(text, "f.json")
    assert exc.value.line == line
    assert exc.value.pointer == pointer
    assert fragment in exc.value.message
    assert str(exc.value).startswith(f"f.json:{line}:")


def test_accepts_plain_json() -> None:
    assert loads_strict('{"a": [1, 2.5, "NaN", {"b": null}]}') == {
        "a": [1, 2.5, "NaN", {"b": None}]
    }


def test_deep_nesting_is_a_clear_error() -> None:
    with pytest.raises(StrictJSONError, match="nested too deeply"):
        loads_strict("[" * 100_000 + "]" * 100_000)


def test_binary_and_bad_utf8() -> None:
    with pytest.raises(StrictJSONError, match="binary"):
        load_strict_bytes(b"\x89PNG\r\n\x1a\n\x00\x00", "x.json")
    with pytest.raises(StrictJSONError, match="invalid UTF-8") as exc:
        load_strict_bytes(b'{"a":\n "\xff"}', "x.json")
    assert exc.value.line == 2


def test_pointer_lines_maps_every_value() -> None:
    text = '{\n "a": [1,\n  {"b": 2}],\n "c": {},\n "d": []\n}'
    assert pointer_lines(text) == {"": 1, "/a": 2, "/a/0": 2, "/a/1": 3, "/a/1/b": 3,
                                   "/c": 4, "/d": 5}


def test_pointer_escaping() -> None:
    assert pointer_lines('{"a/b": {"~c": 1}}') == {"": 1, "/a~1b": 1, "/a~1b/~0c": 1}

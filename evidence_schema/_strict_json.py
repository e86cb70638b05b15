"""Strict JSON: what the standard parser accepts too generously, refused with a position.

Python's ``json`` accepts NaN, Infinity and duplicate keys (the last one silently wins). Evidence
must not: a NaN compares false with every threshold and a duplicate key hides a value. The happy
path is the C parser; only when something is wrong do we scan the text again to find the line.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ._errors import StrictJSONError

# Files larger than this are refused before parsing: evidence is metrics, not data.
MAX_BYTES = 64 * 1024 * 1024


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _NonFinite(Exception):
    def __init__(self, token: str) -> None:
        self.token = token


def _reject_constant(token: str) -> Any:
    raise _NonFinite(token)


def _pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) == len(pairs):  # no key repeated: one C-level pass per object (issue 13)
        return out
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen.add(key)
    raise AssertionError("unreachable: fewer keys than pairs means one repeats")


def decode_text(data: bytes, path: str | None = None) -> str:
    """Bytes to text, refusing binary and invalid UTF-8 with a clear message."""
    if len(data) > MAX_BYTES:
        raise StrictJSONError(
            f"file is {len(data):,} bytes, over the {MAX_BYTES:,}-byte limit for evidence",
            path=path,
        )
    if b"\x00" in data[:65536]:
        raise StrictJSONError("binary file (contains NUL bytes), not JSON text", path=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise StrictJSONError(
            f"invalid UTF-8 at byte {e.start}: {e.reason}", path=path, line=line
        ) from e


def loads_strict(text: str, path: str | None = None) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_pairs_hook)
    except json.JSONDecodeError as e:
        raise StrictJSONError(f"invalid JSON: {e.msg} (column {e.colno})", path=path,
                              line=e.lineno) from e
    except _NonFinite as e:
        token = e.token
        ptr, line = _first_offence(text, lambda kind, tok: kind == "const" and tok == token)
        raise StrictJSONError(
            f"{token} is not allowed: evidence numbers must be finite", path=path, line=line,
            pointer=ptr,
        ) from None
    except _DuplicateKey as e:
        ptr, line = _first_offence(text, lambda kind, tok: kind == "dup")
        raise StrictJSONError(
            f"duplicate key {e.key!r}: the parser would keep only the last value",
            path=path, line=line, pointer=ptr,
        ) from None
    except RecursionError:
        raise StrictJSONError("JSON nested too deeply to be evidence", path=path) from None


def load_strict_bytes(data: bytes, path: str | None = None) -> Any:
    return loads_strict(decode_text(data, path), path)


def escape_pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


_WS = re.compile(r"[ \t\r\n]*")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_WORD = re.compile(r"[A-Za-z_+\-][A-Za-z0-9_]*")


def pointer_lines(text: str) -> dict[str, int]:
    """Map every JSON pointer in ``text`` to the 1-based line where its value starts.

    Best effort: stops quietly at the first syntax error (the parser reports those).
    """
    lines: dict[str, int] = {}
    _scan(text, lines, None)
    return lines


def _first_offence(text: str, match: Any) -> tuple[str, int | None]:
    found: list[tuple[str, int]] = []
    _scan(text, None, (match, found))
    if found:
        return found[0]
    return "", None


def _scan(text: str, lines: dict[str, int] | None, offence: Any) -> None:
    # Iterative so that deep nesting cannot overflow the Python stack.
    pos = 0
    n = len(text)
    # Each frame: [kind, path_tokens_prefix, key_or_index, seen_keys]
    stack: list[list[Any]] = []
    path: list[str] = []
    line = 1
    expect_key = False

    def skip_ws(p: int) -> tuple[int, int]:
        m = _WS.match(text, p)
        assert m is not None
        return m.end(), text.count("\n", p, m.end())

    def pointer() -> str:
        return "".join("/" + escape_pointer_token(t) for t in path)

    def record(kind: str, tok: str) -> bool:
        if offence is not None and offence[0](kind, tok):
            offence[1].append((pointer(), line))
            return True
        return False

    while pos < n:
        pos, dl = skip_ws(pos)
        line += dl
        if pos >= n:
            return
        ch = text[pos]
        if stack and stack[-1][0] == "obj" and expect_key:
            if ch == "}":
                stack.pop()
                if path and stack:
                    path.pop()
                pos += 1
                expect_key = False
                continue
            m = _STRING.match(text, pos)
            if not m:
                return
            key = json.loads(m.group())
            frame = stack[-1]
            path.append(key)
            if key in frame[1]:
                if record("dup", key):
                    return
            frame[1].add(key)
            pos, dl = skip_ws(m.end())
            line += dl
            if pos >= n or text[pos] != ":":
                return
            pos += 1
            expect_key = False
            continue
        # a value starts here
        if lines is not None:
            lines.setdefault(pointer(), line)
        if ch == "{":
            stack.append(["obj", set()])
            pos += 1
            expect_key = True
            pos2, dl = skip_ws(pos)
            if pos2 < n and text[pos2] == "}":
                line += dl
                pos = pos2 + 1
                stack.pop()
                expect_key = False
                pos, line = _after_value(text, pos, line, stack, path, skip_ws)
                if pos < 0:
                    return
                expect_key = bool(stack and stack[-1][0] == "obj" and text[pos - 1] == ",")
            continue
        if ch == "[":
            stack.append(["arr", 0])
            path.append("0")
            pos += 1
            pos2, dl = skip_ws(pos)
            if pos2 < n and text[pos2] == "]":
                line += dl
                path.pop()
                stack.pop()
                pos = pos2 + 1
                pos, line = _after_value(text, pos, line, stack, path, skip_ws)
                if pos < 0:
                    return
                expect_key = bool(stack and stack[-1][0] == "obj" and text[pos - 1] == ",")
            continue
        m = _STRING.match(text, pos) or _NUMBER.match(text, pos) or _WORD.match(text, pos)
        if not m:
            return
        tok = m.group()
        if tok in ("NaN", "Infinity", "-Infinity") and record("const", tok):
            return
        pos = m.end()
        pos, line = _after_value(text, pos, line, stack, path, skip_ws)
        if pos < 0:
            return
        expect_key = bool(stack and stack[-1][0] == "obj" and text[pos - 1] == ",")


def _after_value(
    text: str, pos: int, line: int, stack: list[list[Any]], path: list[str], skip_ws: Any
) -> tuple[int, int]:
    """Consume separators and closers after a value; return the next position (or -1)."""
    n = len(text)
    while True:
        pos, dl = skip_ws(pos)
        line += dl
        if not stack:
            return n, line
        if pos >= n:
            return -1, line
        ch = text[pos]
        frame = stack[-1]
        if ch == ",":
            if frame[0] == "arr":
                frame[1] += 1
                path[-1] = str(frame[1])
            else:
                path.pop()
            return pos + 1, line
        if (ch == "]" and frame[0] == "arr") or (ch == "}" and frame[0] == "obj"):
            stack.pop()
            path.pop()
            pos += 1
            continue
        return -1, line

"""Pydantic's validation errors in plain words, with the fix, for files people write by hand.

Pydantic says ``Input should be a valid string`` or ``String should match pattern
'^(0|[1-9]\\d*)…'``; a person editing a policy, waiver or sweep file needs "expected text, got
the number 2" and "a version has three parts: write \"2.0.0\"". :func:`plain_message` words
every error type a hand-written YAML file can cause; patterns are named by what they mean (a
name, a JSON pointer, a semantic version, a sha256), never printed. Used by ``policy`` and
``runners`` (sweep files), so both say the same thing about the same mistake.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

# Labels pydantic appends to an error location for each branch of a plain union
# (``str | float | bool``): not part of where the value is.
UNION_LABELS = frozenset({"str", "float", "int", "bool", "date", "list", "dict", "none"})
_KIND_WORDS = {"str": "text", "float": "a number", "int": "a whole number",
               "bool": "true or false", "date": "a date", "list": "a list",
               "dict": "a mapping", "none": "nothing"}


def describe(value: Any) -> str:
    """A value as a person reads it: ``the number 2``, ``the text '1.10'``, ``a list``."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value!r}" if value else "empty text"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (an empty value)"
    return f"a {type(value).__name__}"


def version_fix(text: str) -> str | None:
    """``1.10`` → ``1.10.0``, ``2`` → ``2.0.0``, ``v1.2.3`` → ``1.2.3``; None when unclear."""
    parts = text.strip().lstrip("vV").split(".")
    if 1 <= len(parts) <= 3 and all(p.isdigit() for p in parts):
        return ".".join([str(int(p)) for p in parts] + ["0"] * (3 - len(parts)))
    return None


def _name_fix(text: str, longest: int) -> str | None:
    fixed = re.sub(r"[^A-Za-z0-9_.-]+", "_", text).lstrip("0123456789_.-")[:longest]
    return fixed or None


def pattern_message(pattern: str, value: Any) -> str:
    """What a pattern means, and a spelling that matches it when one is obvious."""
    text = str(value)
    m = re.fullmatch(r"\^\[A-Za-z\]\[A-Za-z0-9_\.-\]\{0,(\d+)\}\$", pattern)
    if m:
        longest = int(m.group(1)) + 1
        fix = _name_fix(text, longest)
        hint = f"; e.g. {fix!r}" if fix and fix != text else ""
        return (f"{text!r} is not a name: a letter first, then letters, digits, _ . - "
                f"(at most {longest} characters){hint}")
    if pattern == r"^(/[^/]*)+$":
        hint = f"; write {'/' + text.lstrip('/')!r}" if text.strip("/") else ""
        return f"{text!r} is not a JSON pointer: it starts with / (e.g. /metrics/l0){hint}"
    if r"(0|[1-9]\d*)\." in pattern:
        fix = version_fix(text)
        if fix is not None:
            return f"{text!r} is not a semantic version: a version has three parts: write \"{fix}\""
        return f"{text!r} is not a semantic version: write three numbers, e.g. \"1.0.0\""
    if pattern == r"^[0-9a-f]{64}$":
        hint = ("; write it in lowercase" if re.fullmatch(r"[0-9a-fA-F]{64}", text) else "")
        return (f"{text[:20] + ('…' if len(text) > 20 else '')!r} is not a sha256: 64 "
                f"lowercase hex digits (sha256sum FILE){hint}")
    return f"{text!r} is not in the form this field takes"


def plain_message(err: Any, field: str = "") -> str:
    """One pydantic error (a dict of ``ValidationError.errors()``) in plain words.

    ``field``: the name of the offending field (used in fixes such as ``write required: true``).
    Never returns pydantic's wording ("Input should be…") or a regular expression.
    """
    kind = str(err["type"])
    value = err.get("input")
    ctx = err.get("ctx") or {}
    got = describe(value)
    if kind == "string_pattern_mismatch":
        return pattern_message(str(ctx.get("pattern", "")), value)
    if kind in ("string_type", "string_sub_type"):
        return f"expected text, got {got}"
    if kind in ("float_type", "float_parsing", "finite_number") and isinstance(value, bool):
        return f"expected a number, got {got} (a boolean is not a number)"
    if kind == "finite_number":
        return "NaN and infinities are not allowed: write a finite number"
    if kind in ("float_type", "float_parsing", "decimal_type", "decimal_parsing"):
        return f"expected a number, got {got}"
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        return f"expected a whole number, got {got}"
    if kind in ("bool_type", "bool_parsing"):
        fix = (f"; write {field}: {value.lower()} (no quotes)"
               if isinstance(value, str) and value.lower() in ("true", "false") and field
               else "")
        return f"expected true or false, got {got}{fix}"
    if kind.startswith(("date_", "datetime_")):
        return f"expected a date, got {got}; write YYYY-MM-DD, e.g. 2027-01-31"
    if kind in ("list_type", "tuple_type", "set_type"):
        return f"expected a list, got {got}; write [a, b] or one `- item` per line"
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return f"expected a mapping (`key: value` lines), got {got}"
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return f"{got} is too short: write at least {n} character{'s' if n != 1 else ''}"
    if kind == "string_too_long":
        return f"{got} is too long: at most {ctx.get('max_length')} characters"
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        return f"needs at least {n} item{'s' if n != 1 else ''}, got {ctx.get('actual_length', 0)}"
    if kind == "too_long":
        return f"at most {ctx.get('max_length')} items, got {ctx.get('actual_length')}"
    bounds = {"greater_than": ("greater than", "gt"), "greater_than_equal": ("at least", "ge"),
              "less_than": ("less than", "lt"), "less_than_equal": ("at most", "le")}
    if kind in bounds:
        words, key = bounds[kind]
        return f"must be {words} {ctx.get(key)}, got {got}"
    if kind == "extra_forbidden":
        return f"unknown field {field!r}" if field else "unknown field"
    if kind == "missing":
        return f"missing required field {field!r}" if field else "missing required field"
    if kind == "value_error":
        return str(err.get("msg", "")).removeprefix("Value error, ")
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{value!r} is not one of {', '.join(choices)}"
    msg = str(err.get("msg", "invalid value"))
    return re.sub(r"^Input should be", "expected", msg) + f" (got {got})"


def union_message(kinds: list[str], value: Any) -> str:
    """One message for a value no branch of a plain union accepts (``str | float | bool``)."""
    words = [_KIND_WORDS.get(k, k) for k in kinds]
    shown = ", ".join(words[:-1]) + (" or " if len(words) > 1 else "") + words[-1]
    return f"expected {shown}, got {describe(value)}"


def plain_errors(errors: list[Any]) -> list[tuple[str, str]]:
    """(dotted location, plain message) per error; a union's branches merged into one."""
    out: list[tuple[str, str]] = []
    unions: dict[tuple[Any, ...], list[str]] = {}
    values: dict[tuple[Any, ...], Any] = {}
    for err in errors:
        loc = tuple(err["loc"])
        if len(loc) > 1 and loc[-1] in UNION_LABELS and str(err["type"]).endswith("_type"):
            if loc[:-1] not in unions:
                unions[loc[:-1]] = []
                values[loc[:-1]] = err.get("input")
                out.append((".".join(map(str, loc[:-1])), ""))
            unions[loc[:-1]].append(str(loc[-1]))
            continue
        out.append((".".join(map(str, loc)) or "(top level)",
                    plain_message(err, str(loc[-1]) if loc else "")))
    merged = {".".join(map(str, k)): union_message(v, values[k]) for k, v in unions.items()}
    return [(where, msg or merged[where]) for where, msg in out]

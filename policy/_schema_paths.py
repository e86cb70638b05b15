"""Can this JSON pointer exist in evidence of that kind? Answered from the kind's JSON Schema.

A policy names values by JSON pointer (``metric: /metrics/trained/pwmcc``) and the evaluator
resolves them literally (``policy._evaluate.resolve_pointer``: object keys, and decimal indexes
into arrays). A pointer the kind's schema cannot hold is a typo that would otherwise surface
only at ``check`` time as a ``missing`` gate, so the loader asks here first. The schema is the
committed one (``evidence_schema/schemas/KIND.schema.json``, what ``validate`` enforces); ``$ref``,
``anyOf``/``oneOf``/``allOf``, ``additionalProperties`` and array ``items`` are followed. An
unconstrained sub-schema (``{}``, free-form config) can hold anything, so nothing below it is
refused: the check only says "cannot exist" when the schema rules it out.
"""

from __future__ import annotations

import difflib
from typing import Any

from evidence_schema._export import committed_schema

_STRUCTURE = ("type", "properties", "items", "prefixItems", "$ref", "anyOf", "oneOf", "allOf",
              "enum", "const", "additionalProperties", "patternProperties")


def _resolve(root: dict[str, Any], schema: Any, depth: int = 0) -> list[Any]:
    """The alternatives a (sub)schema stands for: $ref followed, anyOf/oneOf/allOf flattened."""
    if schema is True or not isinstance(schema, dict):
        return [{}] if schema is True else []
    if depth > 50:  # a self-referencing schema (none today): stop following, accept
        return [{}]
    if "$ref" in schema:
        ref = str(schema["$ref"])
        target: Any = root
        for part in ref.removeprefix("#/").split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        return [*_resolve(root, target, depth + 1), *([rest] if _constrains(rest) else [])]
    out: list[Any] = []
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            for sub in schema[combinator]:
                out += _resolve(root, sub, depth + 1)
    if "allOf" in schema:
        for sub in schema["allOf"]:
            out += _resolve(root, sub, depth + 1)
    plain = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf", "allOf")}
    if _constrains(plain) or not out:
        out.append(plain)
    return out


def _constrains(schema: dict[str, Any]) -> bool:
    return any(k in schema for k in _STRUCTURE)


def _types(schema: dict[str, Any]) -> set[str]:
    t = schema.get("type")
    if isinstance(t, list):
        return {str(x) for x in t}
    if isinstance(t, str):
        return {t}
    if "properties" in schema or "additionalProperties" in schema:
        return {"object"}
    if "items" in schema or "prefixItems" in schema:
        return {"array"}
    return set()


def _step(schema: dict[str, Any], token: str) -> tuple[list[Any], list[str]]:
    """Sub-schemas ``token`` can lead to from ``schema``, and the property names seen."""
    nxt: list[Any] = []
    names: list[str] = []
    types = _types(schema)
    if "object" in types:
        props = schema.get("properties", {})
        names = sorted(props)
        if token in props:
            nxt.append(props[token])
        else:
            extra = schema.get("additionalProperties", True)
            if extra is not False:
                nxt.append(extra)
    if "array" in types and token.isdigit():
        prefix = schema.get("prefixItems", [])
        idx = int(token)
        maximum = schema.get("maxItems")
        if isinstance(maximum, int) and idx >= maximum:
            return nxt, names
        if idx < len(prefix):
            nxt.append(prefix[idx])
        elif schema.get("items", True) is not False:
            nxt.append(schema.get("items", True))
    return nxt, names


def _unconstrained(schema: Any) -> bool:
    return schema is True or (isinstance(schema, dict) and not _constrains(schema))


def pointer_targets(kind: str, pointer: str) -> tuple[list[Any] | None, str | None]:
    """(schemas the pointer can land on, None) — or (None, why it cannot exist).

    The list is ``[]``-free: an empty result is reported as a reason instead. A list holding an
    unconstrained schema means "anything may be there".
    """
    root = committed_schema(kind)
    current = _resolve(root, root)
    walked = ""
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if any(_unconstrained(s) for s in current):
            return [{}], None
        nxt: list[Any] = []
        names: set[str] = set()
        kinds_here: set[str] = set()
        for s in current:
            step, seen = _step(s, token)
            names.update(seen)
            kinds_here |= _types(s)
            for sub in step:
                nxt += _resolve(root, sub)
        if not nxt:
            where = walked or "the top level"
            if names:
                return None, (f"{pointer} cannot exist in {kind} evidence: no {token!r} under "
                              f"{where}{did_you_mean(token, sorted(names))}")
            what = " or ".join(sorted(kinds_here)) or "a value"
            return None, (f"{pointer} cannot exist in {kind} evidence: {where} is "
                          f"{'an' if what[0] in 'aeiou' else 'a'} {what}, it has no {token!r}")
        current = nxt
        walked += "/" + raw
    return current, None


def close_matches(word: str, choices: list[str]) -> list[str]:
    """Up to three of ``choices`` close to ``word`` (difflib ratio >= 0.5), best first."""
    return difflib.get_close_matches(word, choices, n=3, cutoff=0.5)


def did_you_mean(word: str, choices: list[str], *, known: str = "known") -> str:
    """``"; did you mean 'x'?"`` (up to three close matches), else ``"; known: a, b, c"``.

    difflib's ratio; the cutoff 0.5 keeps every single-character typo of a name of two or more
    characters (a substitution in a two-letter name still shares half of it).
    """
    close = close_matches(word, choices)
    if close:
        return "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    if len(choices) <= 30:
        return f"; {known}: " + ", ".join(choices)
    return ""


def metric_problem(kind: str, pointer: str) -> str | None:
    """Why ``pointer`` cannot be a gate metric of ``kind`` (None when it can).

    A metric is a number or a per-seed sample list (``[{seeds, value}]``); a pointer that can
    only land on text, a boolean, an object or null can never be one.
    """
    targets, why = pointer_targets(kind, pointer)
    if why is not None:
        return why
    assert targets is not None
    if any(_unconstrained(s) for s in targets):
        return None
    types = set().union(*(_types(s) for s in targets))
    if types & {"number", "integer", "array"} or not types:
        return None
    what = " or ".join(("an " if t[0] in "aeiou" else "a ") + t for t in sorted(types))
    root = committed_schema(kind)
    below = [p for p in _numeric_below(root, targets, pointer)][:6]
    hint = f"; numbers below it: {', '.join(below)}" if below else ""
    return f"{pointer} is {what} in {kind} evidence, not a number or per-seed samples{hint}"


def _numeric_below(root: dict[str, Any], targets: list[Any], pointer: str) -> list[str]:
    out: list[str] = []
    for s in targets:
        for name, sub in sorted(s.get("properties", {}).items()):
            alts = _resolve(root, sub)
            if any(_types(a) & {"number", "integer", "array"} for a in alts):
                out.append(f"{pointer}/{name}")
    return out


def selector_problem(kind: str, pointer: str, value: Any) -> str | None:
    """Why ``select: where: {pointer: value}`` can never match ``kind`` evidence (None if it can).

    Either the pointer cannot exist, or the schema fixes the values there (an enum) and
    ``value`` is not one of them.
    """
    targets, why = pointer_targets(kind, pointer)
    if why is not None:
        return why
    assert targets is not None
    allowed: list[Any] = []
    for s in targets:
        if "enum" in s:
            allowed += list(s["enum"])
        elif "const" in s:
            allowed.append(s["const"])
        else:
            return None  # some alternative is not an enum: the value may occur
    if value in allowed and all(type(value) is type(a) for a in allowed if a == value):
        return None
    choices = [str(a) for a in allowed]
    return (f"{pointer} = {value!r} can never match {kind} evidence, where it is one of "
            f"{', '.join(repr(a) for a in allowed)}{did_you_mean(str(value), choices)}")

"""Pydantic's errors about a policy file, as problems a person can act on.

Each error becomes ``path:line: where: message`` at the line of the offending key (a misspelt
field is reported on its own line, not at the start of its gate), with a "did you mean" for a
misspelt field or choice and an explanation when YAML 1.1 read a value other than as written
(``1e-1`` is text, ``1.10`` is the number 1.1, ``on`` is a boolean). A misspelt required field
is one problem, not two: the "field required" error it causes is dropped.
"""

from __future__ import annotations

import re
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from evidence_schema import YAMLDocument, yaml11_note
from evidence_schema._plain_errors import (
    UNION_LABELS,
    describe,
    plain_message,
    union_message,
    version_fix,
)
from evidence_schema._yaml_explain import indicator_note

from ._errors import PolicyProblem
from ._models import GroupGate, LeafGate
from ._schema_paths import close_matches, did_you_mean

# The tags of the gate union (``_models.Gate``): pydantic puts them in error locations.
_TAGS: dict[str, tuple[type[BaseModel], ...]] = {
    "leaf": (LeafGate, GroupGate), "group": (GroupGate, LeafGate),
}
_GROUP_ONLY = set(GroupGate.model_fields) - set(LeafGate.model_fields)


def escape(token: Any) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_of(loc: tuple[Any, ...]) -> str:
    """The JSON pointer into the YAML document of a pydantic error location."""
    return "".join("/" + escape(p) for p in loc if p not in _TAGS)


def line_of(pointer: str, lines: dict[str, int]) -> int | None:
    """The line of ``pointer``, else of the nearest enclosing value that has one."""
    while True:
        if pointer in lines:
            return lines[pointer]
        if not pointer:
            return None
        pointer = pointer.rsplit("/", 1)[0]


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Model classes reachable through an annotation (list[...], unions, Annotated, Optional)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        args = args[:1]
    for a in args:
        out += [m for m in _models_in(a) if m not in out]
    return out


def fields_at(root: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed at a location (the union over the models that may be there)."""
    models: tuple[type[BaseModel], ...] = (root,)
    for part in loc:
        if isinstance(part, int):
            continue
        if part in _TAGS:
            models = _TAGS[part]
            continue
        nxt: list[type[BaseModel]] = []
        for m in models:
            f = m.model_fields.get(str(part))
            if f is not None:
                nxt += [x for x in _models_in(f.annotation) if x not in nxt]
        if not nxt:
            return []
        models = tuple(nxt)
    names: list[str] = []
    for m in models:
        names += [n for n in m.model_fields if n not in names]
    return sorted(names)


def _where(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc if p not in _TAGS) or "(top level)"


def _choices(ctx: dict[str, Any] | None) -> list[str]:
    expected = str((ctx or {}).get("expected", ""))
    return re.findall(r"'([^']*)'", expected)


def problems_from_validation(
    root: type[BaseModel], error: ValidationError, doc: YAMLDocument, path: str
) -> list[PolicyProblem]:
    """Every pydantic error of ``error`` as a PolicyProblem at its key's line."""
    errors = error.errors(include_url=False)
    explained: set[tuple[str, str]] = set()  # (parent pointer, field) a typo already explains
    group_meant: set[str] = set()  # gates whose typo shows a group was meant (`al:` → `all:`)
    problems: list[tuple[str, PolicyProblem]] = []
    for err in errors:
        if err["type"] != "extra_forbidden":
            continue
        loc = tuple(err["loc"])
        parent, field = pointer_of(loc[:-1]), str(loc[-1])
        fields = fields_at(root, loc[:-1])
        hint = did_you_mean(field, fields, known="fields")
        if field in fields:  # a field of the other gate shape, or indented into the wrong place
            hint = _misplaced(field, loc)
        for name in close_matches(field, fields):
            explained.add((parent, name))
            if name in _GROUP_ONLY:
                group_meant.add(parent)
        ptr = pointer_of(loc)
        problems.append((ptr, PolicyProblem(f"{_where(loc)}: unknown field {field!r}{hint}",
                                            path, line_of(ptr, doc.lines))))
    for err in _merge_union_branches(errors):
        if err["type"] == "extra_forbidden":
            continue
        loc = tuple(err["loc"])
        ptr = pointer_of(loc)
        if err["type"] == "missing":
            parent = pointer_of(loc[:-1])
            if (parent, str(loc[-1])) in explained or parent in group_meant:
                continue
            problems.append((ptr, PolicyProblem(
                f"{_where(loc)}: missing required field {str(loc[-1])!r}", path,
                line_of(parent, doc.lines))))
            continue
        msg = _message(err, loc, ptr, doc)
        problems.append((ptr, PolicyProblem(f"{_where(loc)}: {msg}", path,
                                            line_of(ptr, doc.lines))))
    # One problem per location: a union can report the same bad value once per branch.
    seen: set[str] = set()
    out: list[PolicyProblem] = []
    for ptr, prob in problems:
        key = f"{ptr}\0{prob.message}"
        if key not in seen:
            seen.add(key)
            out.append(prob)
    return out


def _misplaced(field: str, loc: tuple[Any, ...]) -> str:
    """Why a field valid elsewhere is unknown here (never "did you mean" the same name)."""
    if "group" in loc:
        return (f": a gate with `all:` or `any:` is a group, which takes only "
                f"{', '.join(sorted(GroupGate.model_fields))}; {field!r} belongs to a leaf gate "
                "(check the indentation)")
    if "leaf" in loc:
        return f": only a group gate (with `all:` or `any:`) takes {field!r}"
    return " here (check the indentation)"


def _merge_union_branches(errors: list[Any]) -> list[Any]:
    """One error for a value no branch of a plain union takes (``where:`` values)."""
    out: list[Any] = []
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for err in errors:
        loc = tuple(err["loc"])
        if len(loc) > 1 and loc[-1] in UNION_LABELS and str(err["type"]).endswith("_type"):
            first = merged.get(loc[:-1])
            if first is None:
                first = merged[loc[:-1]] = {**err, "loc": loc[:-1], "type": "union_type",
                                            "kinds": []}
                out.append(first)
            first["kinds"].append(loc[-1])
            continue
        out.append(err)
    return out


def _message(err: Any, loc: tuple[Any, ...], ptr: str, doc: YAMLDocument) -> str:
    """The plain message of one (non-missing, non-extra) error at ``ptr``."""
    kind = str(err["type"])
    text = doc.plain.get(ptr)
    number = isinstance(err["input"], int | float) and not isinstance(err["input"], bool)
    if loc == ("version",) and text is not None and number:
        fix = version_fix(text)
        return (f"YAML 1.1 reads `{text}` as the number {err['input']!r}, not text; "
                + (f"a version has three parts: write \"{fix}\"" if fix else
                   "a version is text with three parts, e.g. \"1.0.0\""))
    note = _yaml_note(ptr, doc) if _type_error(kind) else None
    if note is None and (_type_error(kind) or kind == "union_type"):
        # `op: >` (an empty folded block), `op: !` (a tag), `op: #` (a comment)
        note = indicator_note(doc.source_line(line_of(ptr, doc.lines)))
    if note is not None:
        return note
    if kind == "union_type":
        return union_message(err["kinds"], err["input"])
    if kind == "literal_error":
        choices = _choices(err.get("ctx"))
        if not isinstance(err["input"], str):
            return f"expected one of {', '.join(choices)}, got {describe(err['input'])}"
        msg = f"{err['input']!r} is not one of {', '.join(choices)}"
        if close_matches(str(err["input"]), choices):
            msg += did_you_mean(str(err["input"]), choices)
        return msg
    return plain_message(err, str(loc[-1]) if loc else "")


def _type_error(kind: str) -> bool:
    """A wrong-type error: where YAML reading a value as another type explains it."""
    return kind.endswith(("_type", "_parsing")) or kind == "literal_error"


def _yaml_note(ptr: str, doc: YAMLDocument) -> str | None:
    text = doc.plain.get(ptr)
    if text is None:
        return None
    value: Any = doc.data
    for raw in ptr.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        try:
            value = value[int(token)] if isinstance(value, list) else value[token]
        except (KeyError, IndexError, ValueError, TypeError):
            return None
    return yaml11_note(text, value)


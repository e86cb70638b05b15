"""The compiled schema check (jsonschema-rs, issue 13) never accepts what jsonschema refuses.

``validate`` asks the compiled validator first and runs the pure-Python jsonschema pass only when
it says no (to word the errors). So the fast pass may be *stricter* than jsonschema, never
laxer: every document it accepts, jsonschema must accept too, and the problems reported for any
document are the same with and without the fast pass.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_schema import KINDS, validate_bytes, validate_document
from evidence_schema import _validate as validate_module


def _docs(folder: Path) -> dict[str, dict[str, Any]]:
    """One valid document of each kind in the passing set."""
    out: dict[str, dict[str, Any]] = {}
    for p in sorted(folder.rglob("*.json")):
        doc = json.loads(p.read_text())
        if isinstance(doc, dict) and doc.get("kind") in KINDS:
            out.setdefault(doc["kind"], doc)
    return out


@pytest.fixture(scope="module")
def valid_docs(passing_set_template: Path) -> dict[str, dict[str, Any]]:
    docs = _docs(passing_set_template)
    assert len(docs) >= 5, sorted(docs)
    return docs


def _slow_ok(kind: str, doc: Any) -> bool:
    return not any(True for _ in validate_module._validator(kind).iter_errors(doc))


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, (*prefix, i))


def _without_fast_pass(doc: Any) -> list[str]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(validate_module, "_schema_valid_fast", lambda kind, doc: False)
        return [str(p) for p in validate_document(copy.deepcopy(doc), "x.json").problems]


def _has_trailing_newline(doc: Any) -> bool:
    """Python's ``re`` lets ``$`` match before a final newline, ECMA-262 (and jsonschema-rs)
    does not: ``"<64 hex>\\n"`` passes jsonschema's sha256 pattern only. The fast pass refuses
    it and the jsonschema pass then decides, as before (pydantic refuses it too)."""
    if isinstance(doc, str):
        return doc.endswith("\n")
    if isinstance(doc, dict):
        return any(_has_trailing_newline(v) for v in doc.values())
    if isinstance(doc, list):
        return any(_has_trailing_newline(v) for v in doc)
    return False


def test_every_valid_example_takes_the_fast_path(valid_docs: dict[str, dict[str, Any]]) -> None:
    for kind, doc in valid_docs.items():
        assert validate_module._schema_valid_fast(kind, doc), kind
        assert validate_document(doc, "x.json").ok, kind


# The kinds of value that the schema's types, bounds and patterns tell apart.
_EDGES = st.sampled_from([0, 1, -1, 0.0, 1.0, 1.5, -0.5, 2.0, 1e308, 5e-324, "", "0" * 64,
                          "a" * 64 + "\n", "A" * 64, "abc1234", "1.0", "2026-11-25T00:00:00Z",
                          "topk", "pass", "fail"])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8) | _EDGES,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fast_pass_never_laxer_than_jsonschema(
    valid_docs: dict[str, dict[str, Any]], data: st.DataObject
) -> None:
    kind = data.draw(st.sampled_from(sorted(valid_docs)))
    doc = copy.deepcopy(valid_docs[kind])
    path = data.draw(st.sampled_from([p for p in _paths(doc) if p]))
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    action = data.draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "replace" or (action == "delete" and isinstance(parent, list)):
        parent[path[-1]] = data.draw(JSON_VALUES)
    elif action == "delete":
        del parent[path[-1]]
    else:
        target = parent[path[-1]] if isinstance(parent[path[-1]], dict) else parent
        if isinstance(target, dict):
            target[data.draw(st.text(min_size=1, max_size=6))] = data.draw(JSON_VALUES)
    fast, slow = validate_module._schema_valid_fast(kind, doc), _slow_ok(kind, doc)
    assert not fast or slow, (path, action)
    assert fast == slow or _has_trailing_newline(doc), (path, action)
    assert [str(p) for p in validate_document(copy.deepcopy(doc), "x.json").problems] == \
        _without_fast_pass(doc)


@pytest.mark.parametrize(
    ("pointer", "value", "refused"),
    [
        (("metrics", "d_sae"), True, True),  # a boolean is not a number
        (("metrics", "d_sae"), 1.5, True),
        # over 64 bits: the fast pass cannot take it, jsonschema decides (no maximum: valid)
        (("metrics", "d_sae"), 2**64, False),
        (("metrics", "d_sae"), -(2**64), True),
        (("metrics", "d_sae"), 512.0, True),  # jsonschema's "integer"; the model wants an int
        (("provenance", "config_sha256"), "a" * 64 + "\n", True),
        (("provenance", "seeds"), [0, 0], True),
        (("created_at",), "not a date", True),
        (("producer",), {"name": "x", "version": "1", "extra": 1}, True),
        (("kind",), "sae_runs", True),
    ],
)
def test_edge_values_same_verdict_and_messages(
    valid_docs: dict[str, dict[str, Any]], pointer: tuple[str, ...], value: Any, refused: bool
) -> None:
    kind = "random_model_control" if "random_model_control" in valid_docs else sorted(valid_docs)[0]
    doc = copy.deepcopy(valid_docs[kind])
    parent = doc
    for key in pointer[:-1]:
        parent = parent[key]
    parent[pointer[-1]] = value
    assert not validate_module._schema_valid_fast(kind, doc) or _slow_ok(kind, doc)
    with_fast = [str(p) for p in validate_document(copy.deepcopy(doc), "x.json").problems]
    assert with_fast == _without_fast_pass(doc)
    assert bool(with_fast) == refused, with_fast


def test_bytes_path_keeps_strict_json(valid_docs: dict[str, dict[str, Any]]) -> None:
    """NaN, Infinity and duplicate keys are refused before any schema check, fast or not."""
    doc = next(iter(valid_docs.values()))
    text = json.dumps(doc, indent=1)
    for bad in (text.replace('"schema_version": "1.0"', '"schema_version": "1.0", "x": NaN', 1),
                text.replace('"schema_version": "1.0"',
                             '"schema_version": "1.0", "schema_version": "1.0"', 1)):
        r = validate_bytes(bad.encode(), "x.json", skip_non_evidence=True)
        assert not r.ok and r.problems and r.problems[0].line is not None, r.problems


def test_gc_is_restored_after_a_batch(tmp_path: Path) -> None:
    import gc

    from evidence_schema import gc_paused, validate_paths

    (tmp_path / "bad.json").write_text("{")
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    assert not validate_paths([tmp_path]).success
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a caller that had turned it off keeps it off
    finally:
        gc.enable()

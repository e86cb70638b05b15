"""Samples are what they claim (issue 10 §1): every per-seed and per-pair list of every evidence
kind has unique units, refused at validation with ``path:line: /pointer: seed N appears K times``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from _helpers import objective_document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_schema import validate_bytes, validate_file

# The issue's example: seeds 0: 0.5, 1: 0.3, 2: −0.2, the three entries given ten times.
ISSUE_DELTAS = {0: 0.5, 1: 0.3, 2: -0.2}


def _sample_lists(doc: Any, pointer: str = "") -> list[str]:
    """JSON pointers of every list of samples ({"seeds": [...], "value": x}) in ``doc``."""
    out: list[str] = []
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _sample_lists(v, f"{pointer}/{k}")
    elif isinstance(doc, list):
        if doc and all(isinstance(s, dict) and set(s) == {"seeds", "value"} for s in doc):
            out.append(pointer)
        else:
            for i, v in enumerate(doc):
                out += _sample_lists(v, f"{pointer}/{i}")
    return out


def _at(doc: Any, pointer: str) -> Any:
    for tok in pointer.strip("/").split("/"):
        doc = doc[int(tok)] if isinstance(doc, list) else doc[tok]
    return doc


def _external_with(deltas: dict[int, float], times: int, doc: dict[str, Any]) -> bytes:
    m = doc["metrics"]
    base = 0.9
    entries = list(deltas.items()) * times
    m["candidate"] = [{"seeds": [s], "value": base + d} for s, d in entries]
    m["baseline"] = [{"seeds": [s], "value": base} for s, _ in entries]
    m["deltas"] = [{"seeds": [s], "value": (base + d) - base} for s, d in entries]
    return json.dumps(doc, indent=2).encode()


def test_issue_example_repeated_seeds_refused_with_line_and_pointer(evidence_dir: Path) -> None:
    doc = json.loads((evidence_dir / "external_saebench.json").read_text())
    data = _external_with(ISSUE_DELTAS, 10, doc)
    r = validate_bytes(data, "ext.json")
    assert not r.ok
    by_ptr = {p.pointer: p for p in r.problems}
    assert set(by_ptr) == {"/metrics/candidate", "/metrics/baseline", "/metrics/deltas"}
    p = by_ptr["/metrics/deltas"]
    line = data.decode().splitlines().index('    "deltas": [') + 1
    assert str(p).startswith(f"ext.json:{line}: /metrics/deltas: seed 0 appears 10 times; "
                             "seed 1 appears 10 times; seed 2 appears 10 times")
    # Given once each, the same values are valid evidence.
    assert validate_bytes(_external_with(ISSUE_DELTAS, 1, doc), "ext.json").ok


@pytest.mark.parametrize(("seeds", "message"), [
    ([[0, 0], [0, 1], [1, 2]], "[0, 0] is not a pair"),
    ([[0, 1], [1, 0], [0, 2]], "pair [0, 1] (in either order) appears twice"),
    ([[0, 1], [0], [1, 2]], "each sample here is a pair of two different seeds"),
])
def test_pairs_are_unordered_pairs_of_two_different_seeds(
        evidence_dir: Path, seeds: list[list[int]], message: str) -> None:
    doc = json.loads((evidence_dir / "consistency.json").read_text())
    for s, new in zip(doc["metrics"]["trained"], seeds, strict=True):
        s["seeds"] = new
    r = validate_bytes(json.dumps(doc).encode(), "c.json")
    assert [p.pointer for p in r.problems] == ["/metrics/trained"]
    assert message in r.problems[0].message


def test_per_seed_list_refuses_pairs(evidence_dir: Path) -> None:
    # A per-seed metric given per pair would be bounded as if pairs were independent seeds.
    doc = json.loads((evidence_dir / "ood_stress.json").read_text())
    doc["metrics"]["in_distribution"]["explained_variance"][0]["seeds"] = [0, 5]
    r = validate_bytes(json.dumps(doc).encode(), "o.json")
    assert "each sample here is one seed" in r.problems[0].message


@pytest.mark.parametrize(("pointer", "value"), [
    ("/provenance/seeds", [0, 1, 1]),
])
def test_provenance_seeds_unique(evidence_dir: Path, pointer: str, value: list[int]) -> None:
    doc = json.loads((evidence_dir / "ood_stress.json").read_text())
    doc["provenance"]["seeds"] = value
    r = validate_bytes(json.dumps(doc).encode(), "o.json")
    assert [(p.pointer, p.message.split(":")[0]) for p in r.problems] == [
        (pointer, "seed 1 appears twice")]


def test_sweep_rows_unique_per_condition_and_seed() -> None:
    from evidence_schema import SweepMetrics

    row = {"condition": {"d_sae": 64}, "seed": 1, "metrics": {"l0": 3.0}}
    SweepMetrics.model_validate({"axes": ["d_sae"], "rows": [row, {**row, "seed": 2}]})
    with pytest.raises(ValueError, match="rows 0 and 1 are both seed 1"):
        SweepMetrics.model_validate({"axes": ["d_sae"], "rows": [row, dict(row)]})


# --- property: whatever kind and list, a repeated unit is refused -----------------------------


@pytest.fixture(scope="module")
def documents(passing_set_template: Path) -> dict[str, dict[str, Any]]:
    docs = {p.name: json.loads(p.read_text()) for p in sorted(passing_set_template.glob("*.json"))}
    assert all(validate_file(passing_set_template / n).ok for n in docs)
    docs["consistency_objective.json"] = objective_document()
    assert validate_bytes(json.dumps(docs["consistency_objective.json"]).encode(), "o").ok
    return docs


def _targets(docs: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    return [(name, ptr) for name, doc in docs.items() for ptr in _sample_lists(doc)]


def test_targets_cover_every_sample_list_of_every_kind(documents: dict[str, Any]) -> None:
    kinds = {documents[n]["kind"] for n, _ in _targets(documents)}
    assert kinds == {"random_model_control", "transcoder_stress", "ood_stress", "consistency",
                     "external_benchmark", "consistency_objective"}
    assert len(_targets(documents)) >= 12


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_repeated_unit_is_refused(documents: dict[str, Any], data: st.DataObject) -> None:
    name, ptr = data.draw(st.sampled_from(_targets(documents)), label="list")
    doc = copy.deepcopy(documents[name])
    samples = _at(doc, ptr)
    i = data.draw(st.integers(0, len(samples) - 1), label="entry")
    copies = data.draw(st.integers(1, 9), label="extra copies")
    flip = data.draw(st.booleans(), label="reverse the pair")
    value = data.draw(st.floats(-1, 1), label="value of the copy")
    unit = list(samples[i]["seeds"])
    for _ in range(copies):
        dup = {"seeds": list(reversed(unit)) if flip else list(unit), "value": value}
        samples.insert(data.draw(st.integers(0, len(samples)), label="at"), dup)
    r = validate_bytes(json.dumps(doc).encode(), name)
    assert not r.ok
    mine = [p for p in r.problems if p.pointer == ptr]
    label = f"seed {unit[0]}" if len(unit) == 1 else f"pair {sorted(unit)}"
    n = copies + 1
    assert mine and f"{label}" in mine[0].message
    assert f"appears {'twice' if n == 2 else f'{n} times'}" in mine[0].message

"""Issue 10 §3, selection then confirmation: the consistency objective's λ is chosen on the
selection seeds, its `selected` arm (what the gates read) holds confirmation seeds only."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from _helpers import objective_document

from evidence_schema import validate_bytes
from evidence_schema._split import SeedSplit, default_split


def _problems(doc: dict[str, Any]) -> str:
    r = validate_bytes(json.dumps(doc).encode(), "o.json")
    assert not r.ok, "validated"
    return "\n".join(str(p) for p in r.problems)


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return objective_document()


def test_recorded_split_validates(doc: dict[str, Any]) -> None:
    m = doc["metrics"]
    assert m["split"] == {"selection_seeds": [1, 2, 3], "confirmation_seeds": [4, 5, 6]}
    assert [s["seeds"] for s in m["selected"]["delta_pwmcc"]] == [[4], [5], [6]]
    assert validate_bytes(json.dumps(doc).encode(), "o.json").ok


def test_overlapping_seed_sets_are_refused(doc: dict[str, Any]) -> None:
    d = copy.deepcopy(doc)
    d["metrics"]["split"]["confirmation_seeds"] = [3, 4, 5, 6]
    assert "seed(s) [3] used both to select and to confirm" in _problems(d)


def test_selected_without_split_is_refused(doc: dict[str, Any]) -> None:
    d = copy.deepcopy(doc)
    d["metrics"]["split"] = None
    assert "without a recorded selection/confirmation split" in _problems(d)


def test_selected_must_hold_confirmation_seeds_only(doc: dict[str, Any]) -> None:
    # The full arm (selection seeds included) as `selected`: the gate would confirm the bound
    # that chose λ. The recomputed rule refuses it.
    d = copy.deepcopy(doc)
    d["metrics"]["selected"] = d["metrics"]["arms"][2]
    assert "/metrics/selected" in _problems(d)


def test_no_confirmation_seeds_means_nothing_selected(doc: dict[str, Any]) -> None:
    d = copy.deepcopy(doc)
    d["metrics"]["split"] = {"selection_seeds": [1, 2, 3], "confirmation_seeds": [9]}
    assert "stored selected is an arm" in _problems(d)  # the rule gives null: nothing to read
    d["metrics"]["selected"] = None
    assert validate_bytes(json.dumps(d).encode(), "o.json").ok


def test_default_split_holds_out_the_larger_half() -> None:
    assert default_split([3, 1, 2, 5, 4]) == SeedSplit(selection_seeds=[1, 2, 3],
                                                       confirmation_seeds=[4, 5])
    assert default_split([7]).confirmation_seeds == []

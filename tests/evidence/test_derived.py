"""Derived numbers are recomputed at validation (issue 10 §2): a stored delta, drop, bound, rank,
Pareto flag or selection that disagrees with what it derives from makes the file invalid, naming
the stored field and both numbers. Tolerance: 1e-6 relative (evidence_schema/_derived.py).
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest
from _helpers import NOW, POLICY, REPO, mutate, objective_document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_schema import (
    validate_bytes,
)
from policy import check

# The issue's example: candidate ≈ 46.4 below baseline ≈ 47.95, stored deltas +1.5.
CANDIDATE = [46.38, 46.42, 46.40]
BASELINE = 47.9516


def _forge(doc: dict[str, Any]) -> None:
    m = doc["metrics"]
    for c, b, d, v in zip(m["candidate"], m["baseline"], m["deltas"], CANDIDATE, strict=True):
        c["value"], b["value"], d["value"] = v, BASELINE, 1.5


def test_issue_example_stored_plus_delta_over_a_worse_candidate(evidence_dir: Path) -> None:
    path = evidence_dir / "external_cebench.json"
    mutate(path, _forge)
    data = path.read_bytes()
    r = validate_bytes(data, "ext.json")
    assert [p.pointer for p in r.problems] == ["/metrics/deltas/0/value"]
    msg = r.problems[0].message
    assert msg == ("stored delta 1.5 for seed 0 but candidate − baseline = 46.38 − 47.9516 = "
                   f"{46.38 - 47.9516:.6g}")
    assert r.problems[0].line is not None
    d = check(POLICY, evidence_dir, now=NOW)
    ce = next(c for g in d.gates for c in g.children if c.name == "cebench")
    assert ce.status == "invalid" and "stored delta 1.5" in ce.reason
    assert d.verdict == "fail"


def test_deltas_need_the_candidates_seeds(evidence_dir: Path) -> None:
    def drop(doc: dict[str, Any]) -> None:
        doc["metrics"]["deltas"][2]["seeds"] = [7]
    mutate(evidence_dir / "external_cebench.json", drop)
    r = validate_bytes((evidence_dir / "external_cebench.json").read_bytes(), "e.json")
    assert r.problems[0].pointer == "/metrics/deltas"
    assert "deltas has seeds [0, 1, 7] but candidate has seeds [0, 1, 2]" in r.problems[0].message


# --- documents with derived fields ------------------------------------------------------------


def _selection() -> dict[str, Any]:
    from evidence_schema import ExternalSelectionEvidence

    def score(bench: str, lcb: float, rank: int | None, seeds: int = 3) -> dict[str, Any]:
        return {"benchmark": bench, "evidence": [f"{bench}.json"], "seeds": list(range(seeds)),
                "mean": lcb + 0.1, "lcb": lcb if seeds >= 2 else None, "rank": rank}
    rows = [
        {"candidate_id": "a", "eligible": True, "reason": "", "pareto": True,
         "scores": [score("saebench", 0.04, 1), score("cebench", 0.5, 2)]},
        {"candidate_id": "b", "eligible": True, "reason": "", "pareto": True,
         "scores": [score("saebench", 0.01, 2), score("cebench", 2.0, 1)]},
        {"candidate_id": "c", "eligible": False, "reason": "saebench: 1 seed(s) < min_seeds 3",
         "pareto": False, "scores": [score("saebench", 0.0, None, seeds=1)]},
    ]
    doc = json.loads((REPO / "examples" / "evidence" / "external_cebench.json").read_text())
    doc["kind"] = "external_selection"
    doc["metrics"] = {"benchmarks": ["saebench", "cebench"], "min_seeds": 3, "confidence": 0.95,
                      "bound_method": "t", "rule": "maxmin", "rows": rows, "selected": "a",
                      "selected_evidence": []}
    ExternalSelectionEvidence.model_validate(doc)
    return doc


def _lm_training() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(
        (REPO / "runners" / "assets" / "tiny_lm_training.json").read_text())
    return doc


@pytest.fixture(scope="module")
def docs(passing_set_template: Path) -> dict[str, dict[str, Any]]:
    out = {"external": json.loads((passing_set_template / "external_cebench.json").read_text()),
           "objective": objective_document(), "selection": _selection(), "lm": _lm_training()}
    for name, doc in out.items():
        r = validate_bytes(json.dumps(doc).encode(), name)
        assert r.ok, (name, r.problems)
    return out


# (document, pointer of a stored derived number)
NUMBERS = [
    *(("external", f"/metrics/deltas/{i}/value") for i in range(3)),
    *(("objective", f"/metrics/arms/{a}/delta_pwmcc/{i}/value") for a in (1, 2) for i in range(3)),
    *(("objective", f"/metrics/arms/{a}/ev_drop/{i}/value") for a in (1, 2) for i in range(3)),
    ("objective", "/metrics/arms/1/delta_pwmcc_lcb"),
    ("objective", "/metrics/arms/2/delta_pwmcc_lcb"),
    ("lm", "/metrics/uniform_loss"),
    ("lm", "/metrics/final_val_loss"),
]


def _parent(doc: Any, pointer: str) -> tuple[Any, str | int]:
    toks = pointer.strip("/").split("/")
    for t in toks[:-1]:
        doc = doc[int(t)] if isinstance(doc, list) else doc[t]
    last = toks[-1]
    return doc, int(last) if isinstance(doc, list) else last


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(NUMBERS), size=st.floats(1e-3, 10.0), sign=st.sampled_from([-1, 1]))
def test_perturbing_a_derived_number_beyond_tolerance_is_refused(
        docs: dict[str, Any], target: tuple[str, str], size: float, sign: int) -> None:
    name, pointer = target
    doc = copy.deepcopy(docs[name])
    parent, key = _parent(doc, pointer)
    old = parent[key]
    parent[key] = old + sign * size
    if parent[key] < 0 and name == "lm":  # losses are ≥ 0 by schema; stay inside it
        parent[key] = old + size
    r = validate_bytes(json.dumps(doc).encode(), name)
    assert not r.ok
    assert r.problems[0].pointer == pointer, r.problems
    assert "stored" in r.problems[0].message and f"{parent[key]:.6g}" in r.problems[0].message
    # Float rounding (one ulp, inside the documented 1e-12 relative) keeps the file valid;
    # 1e-9 (a changed digit, not rounding) no longer does (issue rt10).
    parent[key] = math.nextafter(old, old + sign)
    assert validate_bytes(json.dumps(doc).encode(), name).ok
    parent[key] = old + sign * 1e-9
    assert not validate_bytes(json.dumps(doc).encode(), name).ok


@pytest.mark.parametrize(("name", "edit", "pointer", "fragment"), [
    ("objective", lambda m: m.update(selected=m["arms"][1]), "/metrics/selected",
     "gives the arm with λ = 0.3"),
    ("objective", lambda m: m.update(selected=None), "/metrics/selected",
     "stored selected is null"),
    ("objective", lambda m: m["arms"][0].update(delta_pwmcc_lcb=0.1),
     "/metrics/arms/0/delta_pwmcc_lcb", "must be null"),
    ("selection", lambda m: m["rows"][0]["scores"][0].update(rank=2),
     "/metrics/rows/0/scores/0/rank", "stored rank 2"),
    ("selection", lambda m: m["rows"][1].update(pareto=False), "/metrics/rows/1/pareto",
     "stored pareto False"),
    ("selection", lambda m: m["rows"][2].update(eligible=True, reason=""),
     "/metrics/rows/2/eligible", "stored eligible True"),
    ("selection", lambda m: m.update(selected="b"), "/metrics/selected",
     "stored selected 'b' but the rule gives 'a'"),
    ("selection", lambda m: m["rows"][2]["scores"][0].update(lcb=0.2),
     "/metrics/rows/2/scores/0/lcb", "with 1 seed(s)"),
])
def test_derived_choices_are_recomputed(docs: dict[str, Any], name: str, edit: Any,
                                        pointer: str, fragment: str) -> None:
    doc = copy.deepcopy(docs[name])
    edit(doc["metrics"])
    r = validate_bytes(json.dumps(doc).encode(), name)
    assert [p.pointer for p in r.problems] == [pointer], r.problems
    assert fragment in r.problems[0].message


def test_sweep_aggregate_pareto_and_bounds_are_recomputed() -> None:
    from evidence_schema import SweepAggregateMetrics

    agg = {"axis": "d_sae", "value": 64, "metric": "l0", "n": 3, "mean": 2.0, "lcb": 1.0,
           "ucb": 3.0}
    rows = [{"condition": {"d_sae": 64}, "seeds": [0, 1], "values": {"ev": 0.8}, "pareto": True},
            {"condition": {"d_sae": 32}, "seeds": [0, 1], "values": {"ev": 0.7}, "pareto": False}]
    doc: dict[str, Any] = {
        "sweep_evidence": "s.json", "sweep_sha256": "0" * 64, "axes": ["d_sae"],
        "confidence": 0.95, "bound_method": "t", "by_axis": [agg],
        "frontier": {"objectives": [{"metric": "ev", "goal": "max"}], "statistic": "mean",
                     "rows": rows}}
    SweepAggregateMetrics.model_validate(doc)
    bad = copy.deepcopy(doc)
    bad["frontier"]["rows"][1]["pareto"] = True
    with pytest.raises(ValueError, match="stored pareto True but the row is dominated"):
        SweepAggregateMetrics.model_validate(bad)
    bad = copy.deepcopy(doc)
    bad["by_axis"][0]["mean"] = 3.5
    with pytest.raises(ValueError, match=r"mean 3\.5 outside its bounds"):
        SweepAggregateMetrics.model_validate(bad)
    bad = copy.deepcopy(doc)
    bad["by_axis"][0]["n"] = 1
    with pytest.raises(ValueError, match="none under n = 2"):
        SweepAggregateMetrics.model_validate(bad)

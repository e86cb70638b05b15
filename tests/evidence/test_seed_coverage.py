"""Per-seed lists of runner kinds hold exactly the run's seeds (review rt10 §6).

Cutting a transcoder_stress file's l0/mse/explained_variance lists to seed 0 and recomputing
``sparsity`` used to validate, and ``sparsity_matched`` (statistic ``value``) then read
"over 3 seed(s)" from provenance.seeds although the value came from one seed.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from _helpers import NOW, POLICY, objective_document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_schema import validate_bytes
from policy import check

RUNNER_FILES = ("random_model_control", "transcoder_stress", "ood_stress", "consistency")


def _lists(doc: Any, pointer: str = "") -> list[str]:
    """Pointers of every sample list (per seed or per pair) in ``doc``."""
    if isinstance(doc, list) and doc and all(isinstance(s, dict) and "seeds" in s for s in doc):
        return [pointer]
    if isinstance(doc, dict):
        return [p for k, v in doc.items() for p in _lists(v, f"{pointer}/{k}")]
    if isinstance(doc, list):
        return [p for i, v in enumerate(doc) for p in _lists(v, f"{pointer}/{i}")]
    return []


def _at(doc: Any, pointer: str) -> Any:
    for tok in pointer.strip("/").split("/"):
        doc = doc[int(tok)] if isinstance(doc, list) else doc[tok]
    return doc


@pytest.fixture(scope="module")
def docs(passing_set_template: Path) -> dict[str, dict[str, Any]]:
    out = {k: json.loads((passing_set_template / f"{k}.json").read_text()) for k in RUNNER_FILES}
    out["consistency_objective"] = objective_document()
    for name, doc in out.items():
        r = validate_bytes(json.dumps(doc).encode(), name)
        assert r.ok, (name, r.problems)
    return out


def _cut_to_seed0(doc: dict[str, Any]) -> dict[str, Any]:
    """The review's edit: every per-seed arm list cut to seed 0, sparsity recomputed."""
    e = copy.deepcopy(doc)
    for arm in ("sae", "transcoder"):
        for k in ("l0", "explained_variance", "mse"):
            if isinstance(e["metrics"][arm].get(k), list):
                e["metrics"][arm][k] = e["metrics"][arm][k][:1]
    sm = e["metrics"]["sae"]["l0"][0]["value"]
    tm = e["metrics"]["transcoder"]["l0"][0]["value"]
    rel = abs(tm - sm) / max(tm, sm)
    e["metrics"]["sparsity"].update(sae_l0_mean=sm, transcoder_l0_mean=tm,
                                    relative_l0_difference=rel, matched=rel <= 0.1)
    return e


def test_sparsity_from_one_seed_is_refused(docs: dict[str, Any]) -> None:
    r = validate_bytes(json.dumps(_cut_to_seed0(docs["transcoder_stress"])).encode(), "t.json")
    assert not r.ok
    assert r.problems[0].pointer == "/metrics/sae/l0"
    assert "missing seed(s) 1, 2" in r.problems[0].message


def test_sparsity_matched_is_not_pass_over_one_seed(docs: dict[str, Any],
                                                    evidence_dir: Path) -> None:
    cut = _cut_to_seed0(docs["transcoder_stress"])
    (evidence_dir / "transcoder_stress.json").write_text(json.dumps(cut, indent=1))
    d = check(POLICY, evidence_dir, now=NOW)
    tc = next(g for g in d.gates if g.name == "transcoder")
    sm = next(c for c in tc.children or [] if c.name == "sparsity_matched")
    assert sm.status == "invalid", sm.reason




@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_dropping_any_unit_from_any_list_is_refused(docs: dict[str, Any],
                                                    data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(docs)))
    doc = copy.deepcopy(docs[name])
    pointer = data.draw(st.sampled_from(_lists(doc["metrics"], "/metrics")))
    samples = _at(doc, pointer)
    if len(samples) < 2:
        return
    i = data.draw(st.integers(0, len(samples) - 1))
    dropped = samples.pop(i)
    r = validate_bytes(json.dumps(doc).encode(), name)
    assert not r.ok, (name, pointer, dropped)


@pytest.mark.parametrize("name", [*RUNNER_FILES])
def test_a_seed_outside_provenance_is_refused(docs: dict[str, Any], name: str) -> None:
    doc = copy.deepcopy(docs[name])
    doc["provenance"]["seeds"] = [*doc["provenance"]["seeds"], 99]
    from evidence_schema._common import config_sha256

    doc["provenance"]["config_sha256"] = config_sha256(doc["provenance"]["config"])
    r = validate_bytes(json.dumps(doc).encode(), name)
    assert not r.ok
    assert "missing" in r.problems[0].message and "99" in r.problems[0].message

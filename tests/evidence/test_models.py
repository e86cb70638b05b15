from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from evidence_schema import (
    MODEL_BY_KIND,
    config_sha256,
    validate_bytes,
    validate_document,
    validate_file,
)


def _load(p: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(p.read_text())
    return doc


def test_every_example_kind_round_trips(evidence_dir: Path) -> None:
    kinds = set()
    for p in sorted(evidence_dir.glob("*.json")):
        r = validate_file(p)
        assert r.ok, r.problems
        assert r.model is not None
        kinds.add(r.kind)
        again = json.loads(r.model.model_dump_json())
        assert again == _load(p)  # dict → model → dict is lossless
    assert {"random_model_control", "transcoder_stress", "ood_stress", "external_benchmark",
            "consistency"} <= kinds


@pytest.mark.parametrize(
    ("pointer_path", "value", "fragment"),
    [
        (["metrics", "trained", "pwmcc", 0, "value"], True, "number"),
        (["metrics", "trained", "pwmcc", 0, "value"], "0.5", "number"),
        (["metrics", "trained", "pwmcc", 0, "seeds"], [], "non-empty"),
        (["provenance", "seeds"], [], "non-empty"),
        (["metrics", "d_sae"], 0, "minimum"),
        (["metrics", "d_sae"], 1.5, "integer"),
        (["metrics", "architecture"], "gelu", "is not one of"),
        (["created_at"], "2026-11-25T00:00:00+02:00", "UTC"),
        (["created_at"], "2026-11-25T00:00:00", "timezone"),
        (["metrics", "unknown_field"], 1, "Additional properties"),
        (["schema_version"], "2.0", "1.0"),
    ],
)
def test_strictness(
    evidence_dir: Path, pointer_path: list[Any], value: Any, fragment: str
) -> None:
    doc = _load(evidence_dir / "random_model_control.json")
    cur = doc
    for key in pointer_path[:-1]:
        cur = cur[key]
    cur[pointer_path[-1]] = value
    r = validate_document(doc, "x.json")
    assert not r.ok
    assert any(fragment.lower() in p.message.lower() for p in r.problems), r.problems


def test_ranges_of_sae_run_metrics() -> None:
    base = {
        "architecture": "topk", "model_name": "m", "hook_point": "h", "d_model": 8, "d_sae": 16,
        "k": 4, "training_tokens": 100, "seed": 0, "explained_variance": 0.9, "mse": 0.1,
        "l0": 4.0, "dead_fraction": 0.1, "checkpoint_path": "c", "checkpoint_sha256": "0" * 64,
    }
    cfg = {"a": 1}
    doc = {
        "kind": "sae_run", "schema_version": "1.0", "created_at": "2026-11-25T00:00:00Z",
        "producer": {"name": "t", "version": "1"},
        "provenance": {"git_commit": None, "git_dirty": None, "config": cfg,
                       "config_sha256": config_sha256(cfg), "seeds": [0], "device": "cpu",
                       "versions": {"python": "3.11", "releasegate": "0"}},
        "inputs": [], "metrics": base,
    }
    assert validate_document(doc, "x").ok
    for field, bad in [("explained_variance", 1.01), ("l0", -0.1), ("dead_fraction", 1.5),
                       ("mse", -1.0)]:
        bad_doc = json.loads(json.dumps(doc))
        bad_doc["metrics"][field] = bad
        r = validate_document(bad_doc, "x")
        assert not r.ok and r.problems[0].pointer == f"/metrics/{field}"
    assert validate_document({**doc, "metrics": {**base, "explained_variance": -3.0}}, "x").ok


def test_config_hash_must_match_config(evidence_dir: Path) -> None:
    doc = _load(evidence_dir / "ood_stress.json")
    doc["provenance"]["config"]["tampered"] = True
    r = validate_document(doc, "x.json")
    assert [p.pointer for p in r.problems] == ["/provenance"]
    assert "does not match the config" in r.problems[0].message


def test_unmatched_external_baseline_refused(evidence_dir: Path) -> None:
    doc = _load(evidence_dir / "external_cebench.json")
    doc["metrics"]["baseline_row_budget"] = 100
    r = validate_document(doc, "x.json")
    assert not r.ok and "unmatched baseline" in r.problems[0].message


def test_decision_verdict_must_match_gates(tmp_path: Path, evidence_dir: Path) -> None:
    from _helpers import NOW, POLICY

    from policy import check

    d = check(POLICY, evidence_dir, tmp_path / "d.json", now=NOW)
    assert d.verdict == "pass"
    doc = _load(tmp_path / "d.json")
    doc["gates"][1]["status"] = "fail"  # over what passes (its value, or its sub-gates)
    r = validate_document(doc, "d.json")
    assert not r.ok and "status 'fail' contradicts" in r.problems[0].message


def test_problem_lines_point_at_the_value(evidence_dir: Path) -> None:
    text = (evidence_dir / "transcoder_stress.json").read_text()
    head, tail = text.rsplit('"d_sae": 512', 1)  # the metrics field, not the config's
    text = head + '"d_sae": -512' + tail
    r = validate_bytes(text.encode(), "t.json")
    (problem,) = r.problems
    expected_line = next(i for i, ln in enumerate(text.splitlines(), 1) if '"d_sae": -512' in ln)
    assert problem.line == expected_line
    assert str(problem).startswith(f"t.json:{expected_line}: /metrics/d_sae:")


def test_unknown_kind_and_non_object() -> None:
    assert "unknown kind" in validate_document({"kind": "nope"}, "x").problems[0].message
    assert "JSON object" in validate_document([1], "x").problems[0].message


def test_all_kinds_registered() -> None:
    assert set(MODEL_BY_KIND) >= {"sae_run", "random_model_control", "transcoder_stress",
                                  "ood_stress", "external_benchmark", "consistency", "sweep",
                                  "decision"}

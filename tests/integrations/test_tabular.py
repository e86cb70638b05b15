"""Great Expectations suites over sweep and per-seed tables; `--deep` on validate and check."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from integrations._integ_helpers import REPO, edit_json, releasegate, run, sweep_doc

pytest.importorskip("great_expectations", reason="pip install 'releasegate[gx]'")

from evidence_schema.tabular import DeepReport, run_deep_checks

GRID = {"training_tokens": [10**5, 10**6], "d_sae": [512, 2048]}


@pytest.fixture(scope="session")
def example_report() -> DeepReport:
    # GX takes seconds to import: the one full run over the examples is shared.
    return run_deep_checks(sorted((REPO / "examples/evidence").glob("*.json")))


def _failed(doc: dict[str, Any]) -> list[str]:
    return [f"{r.expectation}: {r.message}" for r in run_deep_checks([("x.json", doc)]).failed]


def test_examples_pass_every_expectation(example_report: DeepReport) -> None:
    assert example_report.success
    kinds = {r.expectation for r in example_report.results}
    assert {"expect_table_row_count_to_be_between",
            "expect_column_distinct_values_to_contain_set",
            "expect_compound_columns_to_be_unique", "expect_column_values_to_not_be_null",
            "expect_column_values_to_be_between"} <= kinds


def test_full_sweep_grid_passes() -> None:
    assert _failed(sweep_doc(GRID, [0, 1, 2])) == []


def test_sweep_missing_condition_fails() -> None:
    doc = sweep_doc(GRID, [0, 1, 2])
    doc["metrics"]["rows"] = [r for r in doc["metrics"]["rows"]
                              if not (r["condition"]["d_sae"] == 2048 and r["seed"] == 1)]
    failed = _failed(doc)
    assert any("cell(s) missing" in f and '"d_sae":2048' in f for f in failed), failed


def test_sweep_duplicate_row_null_and_range() -> None:
    doc = sweep_doc(GRID, [0, 1, 2])
    rows = doc["metrics"]["rows"]
    rows.append(json.loads(json.dumps(rows[0])))  # a run recorded twice
    del rows[1]["metrics"]["saebench_delta"]  # a metric lost in one row
    rows[2]["metrics"]["explained_variance"] = 1.7  # impossible
    failed = "\n".join(_failed(doc))
    assert "repeat a (condition, seed) key" in failed
    assert "null(s) in metric:saebench_delta" in failed
    assert "outside [None, 1.0]" in failed and "1.7" in failed


def test_zero_rows_is_a_failure_not_a_pass() -> None:
    doc = json.loads((REPO / "examples/evidence/random_model_control.json").read_text())
    doc["metrics"]["random"]["pwmcc"] = None  # schema allows it; the gate needs it
    failed = _failed(doc)
    assert any("cell(s) missing" in f and "/metrics/random/pwmcc" in f for f in failed), failed


def test_validate_deep_and_check_deep_record_and_fail_closed(examples: Path,
                                                            tmp_path: Path) -> None:
    ev = examples / "evidence"

    def drop_arm(d: dict[str, Any]) -> None:
        d["metrics"]["random"]["pwmcc"] = None  # schema allows it; the gate needs it

    # (A dropped seed, the old example here, is now refused by the fast path itself: every
    # per-seed list of a runner kind must hold every provenance seed.)
    edit_json(ev / "random_model_control.json", drop_arm)
    # The fast path cannot see it: the schema allows a missing arm.
    assert releasegate("validate", str(ev)).returncode == 0
    proc = releasegate("validate", "--deep", str(ev))
    assert proc.returncode == 1
    assert "random_model_control.json: deep:" in proc.stdout
    out = tmp_path / "decision.json"
    proc = releasegate("check", "--deep", "--evidence", str(ev), "--out", str(out))
    assert proc.returncode == 1
    decision = json.loads(out.read_text())
    assert decision["deep_checks"]["success"] is False
    assert decision["deep_checks"]["engine"].startswith("great_expectations 1.")
    gate = next(g for g in decision["gates"] if g["name"] == "random_model")
    assert gate["status"] != "pass"
    assert "deep check failed" in json.dumps(gate)
    assert releasegate("validate", str(out)).returncode == 0  # the decision stays schema-valid


def test_default_paths_do_not_import_gx() -> None:
    code = ("import sys, policy, evidence_schema, audit, evidence_schema.tabular, "
            "releasegate.report; from releasegate.cli.main import build_parser; build_parser(); "
            "print([m for m in ('torch', 'sae_lens', 'transformer_lens', 'great_expectations', "
            "'pandas') if m in sys.modules])")
    assert run([sys.executable, "-c", code], cwd=REPO).stdout.strip() == "[]"

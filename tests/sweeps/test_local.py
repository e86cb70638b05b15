"""Real tiny sweeps with the local executor: evidence, deep checks, resume, failures, pool."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from sweeps.sweep_helpers import LOCAL_SWEEP, TINY_BASE, tiny_sweep

from evidence_schema import validate_file
from releasegate.cli.main import main
from runners.sweep import LocalExecutor, Progress, parse_sweep, run_sweep

pytestmark = pytest.mark.slow


def test_sweep_evidence_rows_and_aggregates(local_sweep: tuple[Any, Path]) -> None:
    outcome, out = local_sweep
    assert outcome.ok and [r.status for r in outcome.results] == ["done", "done"]
    sweep = json.loads(outcome.sweep_evidence.read_text())
    assert validate_file(outcome.sweep_evidence).ok
    assert validate_file(outcome.aggregate_evidence).ok
    rows = sweep["metrics"]["rows"]
    assert sweep["metrics"]["axes"] == ["d_sae"]
    assert {(r["condition"]["d_sae"], r["seed"]) for r in rows} == {(64, 0), (64, 1),
                                                                      (128, 0), (128, 1)}
    for r in rows:
        assert {"explained_variance", "l0", "pwmcc", "pwmcc_random"} <= set(r["metrics"])
        assert Path(r["evidence"]).name.startswith("sae_run-trained-seed")
    agg = json.loads(outcome.aggregate_evidence.read_text())["metrics"]
    ev64 = next(a for a in agg["by_axis"]
                if a["value"] == 64 and a["metric"] == "explained_variance")
    assert ev64["n"] == 2 and ev64["lcb"] <= ev64["mean"] <= ev64["ucb"]
    # Two seeds make one PWMCC pair: no seed-level variance, so no bound (issue 10) — never
    # the zero-width interval two copies of that one pair value would give.
    pw64 = next(a for a in agg["by_axis"] if a["value"] == 64 and a["metric"] == "pwmcc")
    assert pw64["n"] == 2 and pw64["lcb"] is None and pw64["ucb"] is None
    assert any(r["pareto"] for r in agg["frontier"]["rows"])
    # Every condition's directory is named by its config hash and holds its marker.
    for c in outcome.conditions:
        assert (out / "conditions" / c.id / "condition.json").is_file()


def test_sweep_table_passes_the_expectation_suite(local_sweep: tuple[Any, Path]) -> None:
    pytest.importorskip("great_expectations")
    from evidence_schema.tabular import run_deep_checks

    outcome, _ = local_sweep
    report = run_deep_checks([outcome.sweep_evidence])
    assert report.success, [c for c in report.checks if not c.success]


def test_rerun_resumes_without_running_anything(local_sweep: tuple[Any, Path]) -> None:
    outcome, out = local_sweep
    spec = parse_sweep(LOCAL_SWEEP)
    before = outcome.sweep_evidence.read_bytes()
    t0 = time.perf_counter()
    again = run_sweep(spec, dict(spec.base), out, LocalExecutor(), quiet=True)
    assert time.perf_counter() - t0 < 5
    assert [r.status for r in again.results] == ["skipped", "skipped"]
    assert again.sweep_evidence == outcome.sweep_evidence
    assert outcome.sweep_evidence.read_bytes() == before  # unchanged inputs: file kept


def test_extended_grid_runs_only_the_new_condition(local_sweep: tuple[Any, Path],
                                                   tmp_path: Path) -> None:
    import shutil

    _, out = local_sweep
    work = tmp_path / "out"
    shutil.copytree(out, work)
    spec = parse_sweep({**LOCAL_SWEEP, "grid": {"d_sae": [64, 128, 96]}})
    progress = Progress(total=3, quiet=True)
    res = run_sweep(spec, dict(spec.base), work, LocalExecutor(), progress=progress)
    assert [r.status for r in res.results] == ["skipped", "skipped", "done"]
    assert progress.counts()["done"] == 1 and progress.counts()["skipped"] == 2


def test_failed_condition_is_reported_and_exits_1(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # A condition that fails at run time (its model checkpoint does not exist); the other one
    # still runs, the status file names the failure, and no partial sweep evidence is written.
    raw = tiny_sweep(name="failing", grid={"model.source": ["tiny", "local"]})
    raw["base"] = {**TINY_BASE, "model": {"config_path": str(tmp_path / "nope.json"),
                                          "checkpoint": str(tmp_path / "nope.safetensors")}}
    raw["seeds"] = [0]
    raw["runner"] = "sae"
    f = tmp_path / "failing.yaml"
    f.write_text(yaml.safe_dump(raw))
    code = main(["sweep", str(f), "--out", str(tmp_path / "o"), "--quiet"])
    captured = capsys.readouterr()
    assert code == 1
    assert "FAILED sae-" in captured.err and "model.source=local" in captured.err
    status = json.loads((tmp_path / "o" / "sweep-status.json").read_text())
    assert [c["status"] for c in status["conditions"]] == ["done", "failed"]
    assert not list((tmp_path / "o" / "evidence").glob("sweep*.json")) \
        if (tmp_path / "o" / "evidence").exists() else True


def test_process_pool_matches_sequential(local_sweep: tuple[Any, Path], tmp_path: Path) -> None:
    outcome, _ = local_sweep
    spec = parse_sweep(LOCAL_SWEEP)
    pooled = run_sweep(spec, dict(spec.base), tmp_path, LocalExecutor(workers=2), quiet=True)
    assert pooled.ok and [r.status for r in pooled.results] == ["done", "done"]
    seq = {(r["condition"]["d_sae"], r["seed"]): r["metrics"] for r in
           json.loads(outcome.sweep_evidence.read_text())["metrics"]["rows"]}
    par = {(r["condition"]["d_sae"], r["seed"]): r["metrics"] for r in
           json.loads(pooled.sweep_evidence.read_text())["metrics"]["rows"]}
    assert seq.keys() == par.keys()
    for k in seq:  # same seeds, same data order: same SAEs (CPU, one thread vs several)
        assert par[k]["pwmcc"] == pytest.approx(seq[k]["pwmcc"], abs=1e-3)

"""The Ray executor on a local Ray instance (ray.init on this machine), tiny conditions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sweeps.sweep_helpers import LOCAL_SWEEP, TINY_BASE, tiny_sweep

from runners.sweep import parse_sweep, run_sweep
from runners.sweep._ray import RayExecutor

pytestmark = pytest.mark.slow


def test_ray_runs_conditions_and_resumes(ray_session: Any, local_sweep: tuple[Any, Path],
                                         tmp_path: Path) -> None:
    outcome, _ = local_sweep
    spec = parse_sweep(LOCAL_SWEEP)
    res = run_sweep(spec, dict(spec.base), tmp_path, RayExecutor(max_retries=0), quiet=True)
    assert res.ok and [r.status for r in res.results] == ["done", "done"]
    seq = {(r["condition"]["d_sae"], r["seed"]): r["metrics"]["pwmcc"] for r in
           json.loads(outcome.sweep_evidence.read_text())["metrics"]["rows"]}
    ray_rows = {(r["condition"]["d_sae"], r["seed"]): r["metrics"]["pwmcc"] for r in
                json.loads(res.sweep_evidence.read_text())["metrics"]["rows"]}
    assert ray_rows == pytest.approx(seq, abs=1e-3)
    again = run_sweep(spec, dict(spec.base), tmp_path, RayExecutor(), quiet=True)
    assert [r.status for r in again.results] == ["skipped", "skipped"]


def test_ray_retries_then_reports_failure(ray_session: Any, tmp_path: Path) -> None:
    raw = tiny_sweep(name="failing", grid={"model.source": ["local"]}, seeds=[0], runner="sae")
    raw["base"] = {**TINY_BASE, "model": {"config_path": str(tmp_path / "nope.json"),
                                          "checkpoint": str(tmp_path / "nope.safetensors")}}
    spec = parse_sweep(raw)
    res = run_sweep(spec, dict(spec.base), tmp_path, RayExecutor(max_retries=1), quiet=True)
    assert not res.ok and res.sweep_evidence is None
    (_cond, failed), = res.failed
    assert failed.attempts == 2 and failed.error
    status = json.loads((tmp_path / "sweep-status.json").read_text())
    assert status["executor"] == "ray" and status["conditions"][0]["status"] == "failed"

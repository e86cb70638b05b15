"""Tiny sweeps trained once per session and shared: each condition takes seconds on CPU."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sweeps.sweep_helpers import LOCAL_SWEEP


@pytest.fixture(scope="session")
def local_sweep(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    """Two conditions, sequential, with a frontier."""
    from runners.sweep import LocalExecutor, parse_sweep, run_sweep

    spec = parse_sweep(LOCAL_SWEEP)
    out = tmp_path_factory.mktemp("sweep")
    outcome = run_sweep(spec, dict(spec.base), out, LocalExecutor(), quiet=True)
    return outcome, out


@pytest.fixture(scope="session")
def ray_session() -> Iterator[Any]:
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()

"""Helpers for the CI/pre-commit/GX/report integration tests (issue 5)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run a real command; its output is shown when an assertion about it fails."""
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    print(f"$ {' '.join(cmd)}\n[rc={proc.returncode}]\n{proc.stdout}\n{proc.stderr}")
    return proc


def releasegate(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "releasegate", *args], cwd=cwd or REPO)


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.skip(f"{name} is not installed in this venv (pip install 'releasegate[test]')")
    return str(path)


def edit_json(path: Path, fn: Callable[[dict[str, Any]], None]) -> None:
    doc = json.loads(path.read_text())
    fn(doc)
    path.write_text(json.dumps(doc, indent=2))


def sweep_doc(axes_values: dict[str, list[Any]], seeds: list[int]) -> dict[str, Any]:
    """A schema-valid sweep: the ood example's envelope, a full grid of conditions × seeds."""
    import itertools

    doc: dict[str, Any] = json.loads((REPO / "examples/evidence/ood_stress.json").read_text())
    rows = []
    for combo in itertools.product(*axes_values.values()):
        cond = dict(zip(axes_values, combo, strict=True))
        for s in seeds:
            tokens = cond.get("training_tokens", 1)
            rows.append({"condition": cond, "seed": s, "metrics": {
                "explained_variance": 0.5 + 0.01 * s + (0.1 if tokens > 10**5 else 0.0),
                "saebench_delta": 0.01 * s, "cebench_delta": 0.2 - 0.05 * s}})
    doc["kind"] = "sweep"
    doc["metrics"] = {"axes": list(axes_values), "rows": rows}
    return doc

"""Benchmarks for the spine: `validate` on 1,000 evidence files, `check` with 10,000.

    .venv/bin/python bench/bench_spine.py [--validate-files 1000] [--check-files 10000]

Prints wall times (in-process library calls and the CLI as a subprocess). Figures are recorded
in the issue notes; this is not a test and asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "evidence"


def _sae_run_doc(i: int) -> dict[str, object]:
    from evidence_schema import config_sha256

    cfg = {"runner": "sae", "i": i}
    return {
        "schema_version": "1.0", "kind": "sae_run", "created_at": "2026-11-25T00:00:00Z",
        "producer": {"name": "bench", "version": "1"},
        "provenance": {"git_commit": None, "git_dirty": None, "config": cfg,
                       "config_sha256": config_sha256(cfg), "seeds": [i % 5], "device": "cpu",
                       "versions": {"python": "3.11", "releasegate": "0"}},
        "inputs": [{"path": "ckpt", "sha256": "0" * 64, "role": "checkpoint"}],
        "metrics": {"architecture": "topk", "model_name": "tiny", "hook_point": "h",
                    "d_model": 128, "d_sae": 512, "k": 16, "training_tokens": 100000,
                    "seed": i % 5, "explained_variance": 0.8, "mse": 0.01, "l0": 16.0,
                    "dead_fraction": 0.05, "checkpoint_path": "c", "checkpoint_sha256": "0" * 64},
    }


def make_tree(root: Path, n: int) -> None:
    shutil.copytree(EXAMPLES, root / "set")
    bulk = root / "bulk"
    bulk.mkdir()
    for i in range(n - len(list(EXAMPLES.glob("*.json")))):
        (bulk / f"sae_{i:05d}.json").write_text(json.dumps(_sae_run_doc(i)))


def timed(label: str, fn: object) -> float:
    t0 = time.perf_counter()
    fn()  # type: ignore[operator]
    dt = time.perf_counter() - t0
    print(f"{label:<48} {dt:8.2f} s")
    return dt


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--validate-files", type=int, default=1000)
    p.add_argument("--check-files", type=int, default=10000)
    args = p.parse_args()
    from evidence_schema import validate_paths
    from policy import DEFAULT_POLICY, check

    with tempfile.TemporaryDirectory() as tmp:
        v = Path(tmp) / "v"
        make_tree(v, args.validate_files)
        n = args.validate_files
        dt = timed(f"validate_paths, {n} files (in-process)",
                   lambda: validate_paths([v]))
        print(f"{'':<48} {n / dt:8.0f} files/s")
        timed(f"releasegate validate, {n} files (CLI)", lambda: subprocess.run(
            [sys.executable, "-P", "-m", "releasegate.cli.main", "validate", "-q", str(v)],
            check=True))
        # check through the CLI at 1/4, 1/2 and the full size: the cost must grow linearly
        # (issue 13: under 2 s for 10,000 files); median of 3 whole processes each.
        per_file = []
        for frac in (4, 2, 1):
            m = args.check_files // frac
            c = Path(tmp) / f"c{m}"
            make_tree(c, m)
            if frac == 1:
                timed(f"check, {m} files (in-process)", partial(check, DEFAULT_POLICY, c))
            runs = []
            for _ in range(3):
                t0 = time.perf_counter()
                subprocess.run([sys.executable, "-P", "-m", "releasegate.cli.main", "check",
                                "--evidence", str(c)], stdout=subprocess.DEVNULL, check=False)
                runs.append(time.perf_counter() - t0)
            dt = statistics.median(runs)
            per_file.append(dt / m)
            print(f"{f'releasegate check, {m} files (CLI, median of 3)':<48} {dt:8.2f} s"
                  f"  {dt / m * 1e6:6.0f} µs/file")
        print(f"{'':<48} growth 1/4 → full: {per_file[-1] / per_file[0]:.2f}x per file "
              "(1.00 = linear)")


if __name__ == "__main__":
    main()

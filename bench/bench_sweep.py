"""Sweep overhead per condition vs the runner alone, local and Ray (tiny CPU conditions).

    .venv/bin/python bench/bench_sweep.py [--n 3]

Overhead = (sweep wall time − Σ runner seconds) / conditions: scheduling, marker and evidence
writing, and (Ray) cluster start and task dispatch; Ray gets one CPU so its tasks run one at a
time like the local executor and the difference is overhead, not parallelism.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["TQDM_DISABLE"] = "1"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=3)
    n = p.parse_args().n
    from runners.sweep import LocalExecutor, parse_sweep, run_sweep
    from runners.sweep._ray import RayExecutor

    raw = {"name": "bench", "runner": "sae", "seeds": [0],
           "base": {"model": {"source": "tiny"}, "data": {"max_train_tokens": 100_000},
                    "sae": {"d_sae": 64, "k": 8, "training_tokens": 10_240},
                    "eval": {"n_batches": 1, "batch_size_prompts": 4,
                             "max_eval_tokens": 20_000}},
           "grid": {"sae.lr": [0.001 * (i + 1) for i in range(n)]}}
    spec = parse_sweep(raw)
    for name, ex in (("local", LocalExecutor()), ("ray", RayExecutor(num_cpus=1))):
        with tempfile.TemporaryDirectory() as d:
            t0 = time.perf_counter()
            out = run_sweep(spec, dict(spec.base), Path(d), ex, quiet=True)
            wall = time.perf_counter() - t0
            runner = sum(r.seconds for r in out.results)
            t1 = time.perf_counter()
            run_sweep(spec, dict(spec.base), Path(d), ex, quiet=True)
            resume = time.perf_counter() - t1
        print(f"{name}: {n} conditions, wall {wall:.2f}s, runner Σ {runner:.2f}s, "
              f"overhead/condition {(wall - runner) / n:.3f}s, "
              f"runner/condition {runner / n:.2f}s, resume (all kept) {resume:.3f}s")


if __name__ == "__main__":
    main()

"""Benchmarks for the runners.

    python bench/bench_runners.py            # both, with their defaults
    python bench/bench_runners.py overhead [--tokens 102400] [--repeats 3]
    python bench/bench_runners.py pwmcc [--quick] [--seeds 5 --d-sae 16384 --d-model 2304]

overhead: tokens/s of ``runners.sae_training.train_saes`` (our runner: seeded SAE construction,
temporary directory, atomic rename) vs sae-lens's ``MultiSAETrainingRunner`` called directly on
the identical config, model and dataset. Reported as runner/direct (goal ≥ 0.95). Runs alternate
so that machine load affects both alike; the median of each is used.

pwmcc: wall time of all seed pairs' PWMCC at a realistic size (5 seeds × d_sae 16,384 ×
d_model 2,304 by default) with the chunked computation (no d_sae² matrix is held at once), and
the peak memory of the process.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _setup(tokens: int) -> tuple[Any, Any, Any, Any]:
    import runners
    from runners.config import RunnerConfig

    runners.set_offline_env()
    cfg = RunnerConfig.model_validate({
        "sae": {"d_sae": 512, "k": 16, "training_tokens": tokens, "seeds": [0, 1, 2]},
        "data": {"max_train_tokens": 1_000_000},
    })
    ctx = runners.make_context(cfg, Path(tempfile.mkdtemp()), quiet=True)
    ds, _ = ctx.dataset("train")
    return cfg, ctx, ds, ctx.lm().model


def _direct(cfg: Any, model: Any, ds: Any, out: Path) -> None:
    """sae-lens's trainer called directly with the same settings our runner passes."""
    import torch
    from sae_lens import LoggingConfig
    from sae_lens.multi_sae_training_runner import (
        MultiSAETrainingRunner,
        MultiSAETrainingRunnerConfig,
    )

    from runners.sae_training import training_sae_config

    spec, data = cfg.sae, cfg.data
    sae_cfgs = {f"seed{s}": training_sae_config(spec, 128, "cpu") for s in spec.seeds}
    mcfg = MultiSAETrainingRunnerConfig(
        saes=sae_cfgs, hook_names=spec.hook_point, model_name="m", dataset_path="",
        streaming=False, context_size=data.context_size, training_tokens=spec.training_tokens,
        train_batch_size_tokens=spec.train_batch_size_tokens, store_batch_size_prompts=8,
        n_batches_in_buffer=8, prepend_bos=False, sequence_separator_token=None, device="cpu",
        seed=data.data_seed, lr=spec.lr,
        lr_warm_up_steps=max(1, spec.training_tokens // spec.train_batch_size_tokens // 20),
        n_eval_batches=1, dead_feature_window=200, feature_sampling_window=400,
        logger=LoggingConfig(log_to_wandb=False), checkpoint_path=None, output_path=str(out),
        n_batches_for_norm_estimate=4, model_from_pretrained_kwargs={},
    )
    torch.manual_seed(data.data_seed)
    MultiSAETrainingRunner(mcfg, override_dataset=ds, override_model=model).run()


def bench_overhead(tokens: int, repeats: int) -> dict[str, Any]:
    import torch
    from tqdm import std

    from runners.sae_training import train_saes

    torch.set_num_threads(1)
    orig = std.tqdm.__init__

    def quiet(self: Any, *a: Any, **k: Any) -> None:
        k["disable"] = True
        orig(self, *a, **k)

    std.tqdm.__init__ = quiet  # type: ignore[method-assign]
    cfg, _ctx, ds, model = _setup(tokens)
    ours, direct = [], []
    for _ in range(repeats):
        d = Path(tempfile.mkdtemp())
        t = time.perf_counter()
        _direct(cfg, model, ds, d / "direct")
        direct.append(time.perf_counter() - t)
        t = time.perf_counter()
        train_saes(model, "m", ds, cfg.sae, cfg.data, d / "ours", "cpu")
        ours.append(time.perf_counter() - t)
        shutil.rmtree(d)
    n = tokens * len(cfg.sae.seeds)
    tps_ours, tps_direct = n / statistics.median(ours), n / statistics.median(direct)
    return {
        "bench": "runner_overhead", "tokens_per_seed": tokens, "seeds": len(cfg.sae.seeds),
        "runner_seconds": ours, "direct_seconds": direct,
        "runner_tokens_per_s": round(tps_ours), "direct_tokens_per_s": round(tps_direct),
        "ratio": round(tps_ours / tps_direct, 3),
    }


def _metrics_module() -> Any:
    # Loaded by file path: runners/metrics.py needs only numpy and torch, so this bench also runs
    # on a GPU box that has torch but not the rest of releasegate's dependencies.
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "runners" / "metrics.py"
    spec = importlib.util.spec_from_file_location("releasegate_bench_metrics", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def bench_pwmcc(seeds: int, d_sae: int, d_model: int, chunk: int, threads: int,
                device: str = "cpu") -> dict[str, Any]:
    import torch

    metrics = _metrics_module()
    torch.set_num_threads(threads)
    decs = {s: w.to(device) for s, w in
            metrics.random_decoders(list(range(seeds)), d_sae, d_model).items()}
    if device.startswith("cuda"):
        metrics.pairwise({0: decs[0], 1: decs[1]}, chunk=chunk)  # warm-up: kernels, allocator
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    t = time.perf_counter()
    pairs = metrics.pairwise(decs, chunk=chunk)
    secs = time.perf_counter() - t
    return {
        "bench": "pwmcc", "seeds": seeds, "pairs": len(pairs), "d_sae": d_sae,
        "d_model": d_model, "chunk": chunk, "threads": threads, "seconds": round(secs, 2),
        "seconds_per_pair": round(secs / len(pairs), 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "mean_pwmcc": sum(v for _, v in pairs) / len(pairs),
        "device": device,
        **({"peak_gpu_mib": round(torch.cuda.max_memory_allocated() / 2**20)}
           if device.startswith("cuda") else {}),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    # No subcommand runs both with their defaults (the README's line): not a usage error.
    sub = p.add_subparsers(dest="what", required=False)
    o = sub.add_parser("overhead")
    o.add_argument("--tokens", type=int, default=102_400)
    o.add_argument("--repeats", type=int, default=3)
    w = sub.add_parser("pwmcc")
    w.add_argument("--seeds", type=int, default=5)
    w.add_argument("--d-sae", type=int, default=16_384)
    w.add_argument("--d-model", type=int, default=2_304)
    w.add_argument("--chunk", type=int, default=2048)
    w.add_argument("--threads", type=int, default=2)
    w.add_argument("--device", default="cpu", help="cpu or cuda")
    w.add_argument("--quick", action="store_true", help="3 seeds × d_sae 4,096 × d_model 512")
    a = p.parse_args(argv)
    runs = [a] if a.what else [p.parse_args(["overhead"]), p.parse_args(["pwmcc"])]
    for a in runs:
        if a.what == "overhead":
            result = bench_overhead(a.tokens, a.repeats)
        else:
            if a.quick:
                a.seeds, a.d_sae, a.d_model = 3, 4096, 512
            result = bench_pwmcc(a.seeds, a.d_sae, a.d_model, a.chunk, a.threads, a.device)
        json.dump(result, sys.stdout, indent=2)
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Tiny sweep files for the tests: each condition takes seconds on CPU."""

from __future__ import annotations

from typing import Any

TINY_BASE: dict[str, Any] = {
    "model": {"source": "tiny"},
    "data": {"max_train_tokens": 100_000},
    "sae": {"architecture": "topk", "d_sae": 64, "k": 8, "training_tokens": 20_480,
            "train_batch_size_tokens": 1024},
    "eval": {"n_batches": 1, "batch_size_prompts": 4, "max_eval_tokens": 20_000},
}


def tiny_sweep(name: str = "t", grid: dict[str, list[Any]] | None = None,
               **extra: Any) -> dict[str, Any]:
    return {"name": name, "runner": "consistency", "base": TINY_BASE, "seeds": [0, 1],
            "grid": grid or {"d_sae": [64, 128]}, **extra}


# The session's shared local sweep (conftest.local_sweep); reruns must use the same file.
LOCAL_SWEEP: dict[str, Any] = tiny_sweep(frontier={"statistic": "mean", "objectives": [
    {"metric": "explained_variance", "goal": "max"}, {"metric": "l0", "goal": "min"}]})

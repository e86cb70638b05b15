"""Shared fixtures: train the tiny SAEs once per session and run every runner over them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from runners import set_offline_env

set_offline_env()

# Small enough that the whole runner suite trains in well under a minute on 2 CPU cores.
FIXTURE_CONFIG: dict[str, Any] = {
    "model": {"source": "tiny", "random_seed": 1234},
    "data": {"context_size": 128, "max_train_tokens": 200_000},
    "sae": {"architecture": "topk", "hook_point": "blocks.0.hook_resid_post", "d_sae": 256,
            "k": 8, "training_tokens": 40_960, "train_batch_size_tokens": 512, "lr": 0.003,
            "seeds": [0, 1, 2]},
    "eval": {"n_batches": 2, "batch_size_prompts": 8, "max_eval_tokens": 100_000},
    "transcoder": {"layer": 0},
    "synthetic": {"training_samples": 61_440, "eval_samples": 4096},
}
ALL_RUNNERS = ("sae", "consistency", "random_model", "transcoder", "ood", "synthetic")


@dataclass
class Trained:
    cfg: Any
    out: Path
    ctx: Any
    evidence: dict[str, list[Path]]


def make_cfg(**sae_overrides: Any) -> Any:
    from runners import RunnerConfig

    raw = {**FIXTURE_CONFIG, "sae": {**FIXTURE_CONFIG["sae"], **sae_overrides}}
    return RunnerConfig.model_validate(raw)


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Trained:

    import runners

    cfg = make_cfg()
    out = tmp_path_factory.mktemp("runs")
    evidence = {name: runners.run(name, cfg, out, quiet=True) for name in ALL_RUNNERS}
    return Trained(cfg=cfg, out=out, ctx=runners.make_context(cfg, out, quiet=True),
                   evidence=evidence)

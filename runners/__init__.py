"""Runners that fill evidence: SAE training and the control/stress experiments around it.

Importing this package is cheap (no torch, sae-lens or transformer-lens); the heavy modules are
imported by :func:`run` and by the CLI commands only when a runner actually runs.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .config import ConfigError, RunnerConfig, load_config

# Switches that keep every library we touch off the network: sae-lens defaults to wandb, and
# datasets / huggingface_hub / transformers try the hub. Set before those are imported.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "WANDB_MODE": "disabled",
    "HF_HUB_DISABLE_TELEMETRY": "1",
}


def set_offline_env(allow_network: bool = False) -> None:
    if allow_network:
        return
    for k, v in OFFLINE_ENV.items():
        os.environ.setdefault(k, v)


def resolve_device(device: str) -> str:
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise ConfigError("--device cuda asked for, but torch sees no CUDA device")
    return device


def runner_names() -> list[str]:
    from . import suite  # noqa: F401  (registers the runners)
    from .registry import RUNNERS

    return sorted(RUNNERS)


def run(name: str, cfg: RunnerConfig, out: Path, device: str = "cpu",
        quiet: bool = False, threads: int | None = 1) -> list[Path]:
    """Run one registered runner; return the evidence paths it wrote or kept."""
    set_offline_env(cfg.model.allow_network)
    import torch

    from . import suite  # noqa: F401
    from .context import RunContext
    from .registry import get_runner

    if quiet:
        # sae-lens's INFO/WARNING logs ("override_model overrides ...").
        import logging

        logging.getLogger("sae_lens").setLevel(logging.ERROR)
    dev = resolve_device(device)
    if dev == "cpu" and threads is not None:
        # One thread by default: the tiny models' ops are far too small to split, and on a
        # shared 2-core machine two spinning OpenMP threads made SAE training 15x slower
        # (81 s vs 5 s for the test fixture). Bigger models: pass threads=None (torch default).
        torch.set_num_threads(threads)
    if dev == "cpu":
        # Deterministic for a given seed on CPU: fixed thread count, deterministic kernels.
        torch.use_deterministic_algorithms(True, warn_only=True)
    entry = get_runner(name)
    ctx = RunContext(cfg=cfg, out=Path(out), device=dev, quiet=quiet)
    with warnings.catch_warnings(), _progress_bars(enabled=not quiet):
        # sae-lens's activation store re-wraps tensors with torch.tensor() on every row; the
        # warning is about its own inefficiency and says nothing about our results.
        warnings.filterwarnings("ignore", message="To copy construct from a tensor",
                                category=UserWarning)
        return entry.fn(ctx)


@contextmanager
def _progress_bars(enabled: bool) -> Iterator[None]:
    """Turn every tqdm bar (sae-lens's and ours) off for the duration, for --quiet / CI.

    TQDM_DISABLE is read once, when tqdm is first imported, so it cannot be set this late.
    """
    if enabled:
        yield
        return
    from tqdm import std

    original = std.tqdm.__init__

    def silent(self: Any, *args: Any, **kwargs: Any) -> None:
        kwargs["disable"] = True
        original(self, *args, **kwargs)

    std.tqdm.__init__ = silent
    try:
        yield
    finally:
        std.tqdm.__init__ = original


def make_context(cfg: RunnerConfig, out: Path, device: str = "cpu", quiet: bool = False) -> Any:
    from .context import RunContext

    return RunContext(cfg=cfg, out=Path(out), device=resolve_device(device), quiet=quiet)


__all__ = [
    "OFFLINE_ENV", "ConfigError", "RunnerConfig", "load_config", "make_context",
    "resolve_device", "run", "runner_names", "set_offline_env",
]

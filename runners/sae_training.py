"""SAE training through sae-lens's own trainer (``MultiSAETrainingRunner``), one pass for all seeds.

All seeds share one forward pass of the language model and one stream of activations (ordered by
``data.data_seed``); each seed sets only its SAE's initialisation. Seed-to-seed differences are
therefore initialisation differences, which is what PWMCC across seeds is meant to measure.

Checkpoints are written in sae-lens's own format (``cfg.json`` + ``sae_weights.safetensors``) into
``<dir>/seed<N>/``, and only after a seed's whole directory is complete (trained in a temporary
directory, then renamed), so an interrupted run leaves nothing that looks finished; a rerun
trains only the seeds that are missing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

import torch

from .config import DataSpec, SaeSpec

SAE_WEIGHTS = "sae_weights.safetensors"
SAE_CFG = "cfg.json"


def training_sae_config(spec: SaeSpec, d_in: int, device: str, hook_point: str | None = None,
                        architecture: str | None = None) -> Any:
    """The sae-lens ``TrainingSAEConfig`` for one architecture of the spec."""
    from sae_lens.saes import (
        BatchTopKTrainingSAEConfig,
        JumpReLUTrainingSAEConfig,
        MatryoshkaBatchTopKTrainingSAEConfig,
        StandardTrainingSAEConfig,
        TopKTrainingSAEConfig,
    )

    arch = architecture or spec.architecture
    common: dict[str, Any] = {
        "d_in": d_in, "d_sae": spec.d_sae, "device": device,
        "normalize_activations": spec.normalize_activations,
    }
    if arch == "standard":
        return StandardTrainingSAEConfig(**common, l1_coefficient=spec.l1_coefficient)
    if arch == "topk":
        return TopKTrainingSAEConfig(**common, k=spec.k)
    if arch == "batchtopk":
        return BatchTopKTrainingSAEConfig(**common, k=float(spec.k or 0))
    if arch == "jumprelu":
        return JumpReLUTrainingSAEConfig(**common, l0_coefficient=spec.l0_coefficient)
    if arch == "matryoshka_batchtopk":
        widths = spec.matryoshka_widths or [spec.d_sae // 4, spec.d_sae // 2, spec.d_sae]
        return MatryoshkaBatchTopKTrainingSAEConfig(
            **common, k=float(spec.k or 0), matryoshka_widths=widths
        )
    raise ValueError(f"unknown architecture {arch!r}")


def seed_dir(root: Path, seed: int) -> Path:
    return root / f"seed{seed}"


def is_complete(path: Path) -> bool:
    return (path / SAE_WEIGHTS).is_file() and (path / SAE_CFG).is_file()


def promote_seed_dirs(tmp: Path, root: Path, seeds: list[int]) -> None:
    """Move each finished ``tmp/seed{s}`` to ``root/seed{s}``: a checkpoint appears whole or not
    at all, so an interrupted run never leaves a half-written one that looks complete."""
    for s in seeds:
        final = seed_dir(root, s)
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp / f"seed{s}", final)


def train_saes(
    model: Any,
    model_name: str,
    dataset: Any,
    spec: SaeSpec,
    data: DataSpec,
    root: Path,
    device: str,
    hook_point: str | None = None,
    architecture: str | None = None,
) -> dict[int, Path]:
    """Train the spec's SAEs (one per seed) on ``model`` unless already on disk; return dirs."""
    from sae_lens import LoggingConfig
    from sae_lens.multi_sae_training_runner import (
        MultiSAETrainingRunner,
        MultiSAETrainingRunnerConfig,
    )
    from sae_lens.registry import get_sae_training_class

    hook = hook_point or spec.hook_point
    root.mkdir(parents=True, exist_ok=True)
    todo = [s for s in spec.seeds if not is_complete(seed_dir(root, s))]
    if todo:
        d_in = int(model.cfg.d_model)
        sae_cfgs = {
            f"seed{s}": training_sae_config(spec, d_in, device, hook, architecture) for s in todo
        }
        saes = {}
        for s in todo:
            # Each SAE's initialisation depends on its own seed only, not on which other seeds
            # are trained in the same pass (resuming trains a subset).
            torch.manual_seed(s)
            cls, _ = get_sae_training_class(sae_cfgs[f"seed{s}"].architecture())
            saes[f"seed{s}"] = cls(sae_cfgs[f"seed{s}"])
        tmp = Path(tempfile.mkdtemp(prefix=".train-", dir=root))
        try:
            cfg = MultiSAETrainingRunnerConfig(
                saes=sae_cfgs,
                hook_names=hook,
                model_name=model_name,
                dataset_path="",
                streaming=False,
                context_size=data.context_size,
                training_tokens=spec.training_tokens,
                train_batch_size_tokens=spec.train_batch_size_tokens,
                store_batch_size_prompts=8,
                n_batches_in_buffer=8,
                # The tiny byte model has no BOS token; sequences are raw bytes.
                prepend_bos=False,
                sequence_separator_token=None,
                device=device,
                seed=data.data_seed,
                lr=spec.lr,
                lr_warm_up_steps=max(1, spec.training_tokens // spec.train_batch_size_tokens // 20),
                n_eval_batches=1,
                dead_feature_window=200,
                feature_sampling_window=400,
                logger=LoggingConfig(log_to_wandb=False),
                checkpoint_path=None,
                output_path=str(tmp),
                n_batches_for_norm_estimate=4,
                # Non-empty kwargs make every later SAE load warn; our models are built locally.
                model_from_pretrained_kwargs={},
            )
            # The mixing buffer shuffles with torch's global RNG: seed it for a deterministic
            # activation order.
            torch.manual_seed(data.data_seed)
            with warnings.catch_warnings():
                # sae-lens warns that a small dataset is read for more than one epoch; the
                # token budget is what the config asks for, so that is expected here.
                warnings.filterwarnings("ignore", message=".*fewer samples.*")
                runner = MultiSAETrainingRunner(
                    cfg, override_dataset=dataset, override_model=model, override_saes=saes
                )
                runner.run()
            promote_seed_dirs(tmp, root, todo)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return {s: seed_dir(root, s) for s in spec.seeds}


def load_sae(path: Path, device: str = "cpu") -> Any:
    from sae_lens import SAE

    from .topk_transcoder import ensure_registered

    ensure_registered()  # TopK transcoder checkpoints name an architecture sae-lens lacks
    return SAE.load_from_disk(str(path), device=device)

"""Every supported architecture trains through sae-lens's trainer and loads back."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

import runners
from runners.sae_training import load_sae, train_saes

from .conftest import Trained, make_cfg

pytestmark = pytest.mark.slow

EXPECTED_CLASS = {
    "standard": "StandardSAE",
    "topk": "TopKSAE",
    "batchtopk": "JumpReLUSAE",  # sae-lens saves BatchTopK for inference as JumpReLU
    "jumprelu": "JumpReLUSAE",
    "matryoshka_batchtopk": "JumpReLUSAE",
}


@pytest.mark.parametrize("arch", sorted(EXPECTED_CLASS))
def test_architecture_trains_and_reconstructs(arch: str, trained: Trained,
                                              tmp_path: Path) -> None:
    ctx = trained.ctx
    ds, _ = ctx.dataset("train")
    spec = make_cfg(architecture=arch, seeds=[0], training_tokens=20480, d_sae=128, k=8,
                    matryoshka_widths=[32, 64, 128] if arch.startswith("matryoshka") else None).sae
    runners.set_offline_env()
    torch.set_num_threads(1)
    dirs = train_saes(ctx.lm().model, "m", ds, spec, trained.cfg.data, tmp_path, "cpu")
    sae = load_sae(dirs[0])
    assert type(sae).__name__ == EXPECTED_CLASS[arch]
    x = ctx.lm().model.run_with_cache(torch.tensor(ds["input_ids"][:2]),
                                      names_filter=[spec.hook_point])[1][spec.hook_point]
    x_hat = sae.decode(sae.encode(x))
    assert x_hat.shape == x.shape and torch.isfinite(x_hat).all()
    # Better than predicting zero: the SAE learned something in 20k tokens.
    assert (x - x_hat).pow(2).sum() < x.pow(2).sum()

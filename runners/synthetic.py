"""Feature recovery on sae-lens synthetic data, where the true dictionary is known.

sae-lens's ``train_toy_sae`` trains the SAE (its own trainer again); recovery is sae-lens's
``mean_correlation_coefficient`` between the SAE's decoder and the true feature vectors (the
Hungarian-matched mean |cosine|). Data are drawn from torch's RNG, seeded per SAE seed; the
held-out evaluation draws fresh samples from a different seed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import torch

from .config import SyntheticSpec
from .sae_training import is_complete, seed_dir, training_sae_config

DICTIONARY_SEED = 0
EVAL_SEED_OFFSET = 1_000_000


def feature_dictionary(spec: SyntheticSpec) -> Any:
    from sae_lens.synthetic import FeatureDictionary

    return FeatureDictionary(spec.num_features, spec.hidden_dim, seed=DICTIONARY_SEED)


def generator(spec: SyntheticSpec) -> Any:
    from sae_lens.synthetic import ActivationGenerator

    return ActivationGenerator(spec.num_features, firing_probabilities=spec.firing_probability,
                               std_firing_magnitudes=0.1)


def save_dictionary(spec: SyntheticSpec, path: Path) -> Path:
    from safetensors.torch import save_file

    if not path.exists():
        fd = feature_dictionary(spec)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        save_file({"feature_vectors": fd.feature_vectors.detach().contiguous()}, str(tmp))
        tmp.replace(path)
    return path


def train_synthetic(spec: SyntheticSpec, sae_spec: Any, seeds: list[int], root: Path,
                    device: str) -> dict[int, Path]:
    from sae_lens.registry import get_sae_training_class
    from sae_lens.synthetic import train_toy_sae

    root.mkdir(parents=True, exist_ok=True)
    fd = feature_dictionary(spec)
    for s in seeds:
        if is_complete(seed_dir(root, s)):
            continue
        # Synthetic activations are already unit-scale; sae-lens's norm estimate would draw
        # 1,000 extra batches for nothing.
        local = sae_spec.model_copy(update={"d_sae": spec.d_sae, "k": spec.k,
                                            "matryoshka_widths": None,
                                            "normalize_activations": "none"})
        cfg = training_sae_config(local, spec.hidden_dim, device)
        torch.manual_seed(s)
        cls, _ = get_sae_training_class(cfg.architecture())
        sae = cls(cfg)
        train_toy_sae(sae, fd, generator(spec), training_samples=spec.training_samples,
                      batch_size=spec.batch_size, lr=spec.lr, device=device)
        tmp = Path(tempfile.mkdtemp(prefix=".train-", dir=root))
        try:
            sae.save_inference_model(tmp / "sae")
            final = seed_dir(root, s)
            if final.exists():
                shutil.rmtree(final)
            os.replace(tmp / "sae", final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return {s: seed_dir(root, s) for s in seeds}


def evaluate_synthetic(sae: Any, spec: SyntheticSpec, seed: int) -> dict[str, float]:
    from sae_lens.evals import ExplainedVarianceCalculator
    from sae_lens.synthetic import mean_correlation_coefficient

    # Built outside no_grad: sae-lens orthogonalises the dictionary by gradient descent.
    fd = feature_dictionary(spec)
    torch.manual_seed(EVAL_SEED_OFFSET + seed)
    with torch.no_grad():
        x = fd(generator(spec)(spec.eval_samples))
        f = sae.encode(x)
        x_hat = sae.decode(f)
    evc = ExplainedVarianceCalculator()
    evc.add_batch(sae_output=x_hat, hidden_acts=x)
    return {
        "explained_variance": evc.compute(),
        "mse": float((x - x_hat).pow(2).sum(dim=-1).mean()),
        "l0": float((f != 0).sum(dim=-1).float().mean()),
        "dead_fraction": float((~(f != 0).any(dim=0)).float().mean()),
        "feature_recovery_mcc": mean_correlation_coefficient(sae.W_dec.detach(),
                                                             fd.feature_vectors.detach()),
        "tokens": spec.eval_samples,
    }

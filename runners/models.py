"""Transformer-lens models: the shipped tiny LM, local checkpoints, pretrained names, random copies.

Two sources of models. A *local* model is a ``HookedTransformerConfig`` plus a safetensors
checkpoint (no network ever). A *pretrained* model is a transformer-lens name (e.g. ``gpt2``),
which downloads weights from the Hugging Face hub: only on machines with network, and only when
a config asks for it (it is never exercised in tests).
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file
from transformer_lens import HookedTransformer, HookedTransformerConfig

ASSETS = Path(__file__).parent / "assets"
TINY_LM_NAME = "tiny-bytes-2l-128d"
TINY_LM_CHECKPOINT = ASSETS / "tiny_lm.safetensors"
TINY_LM_CONFIG = ASSETS / "tiny_lm_config.json"
TINY_LM_EVIDENCE = ASSETS / "tiny_lm_training.json"


def tiny_lm_config_dict() -> dict[str, Any]:
    """The shipped tiny LM: 2 layers, d_model 128, 4 heads, byte vocabulary, context 128."""
    return {
        "n_layers": 2,
        "d_model": 128,
        "n_heads": 4,
        "d_head": 32,
        "d_mlp": 512,
        "n_ctx": 128,
        "d_vocab": 256,
        "act_fn": "gelu",
        "normalization_type": "LN",
        "positional_embedding_type": "standard",
        "model_name": TINY_LM_NAME,
        "default_prepend_bos": False,
        "seed": 0,
    }


def _hooked(hcfg: HookedTransformerConfig) -> HookedTransformer:
    with warnings.catch_warnings():
        # transformer-lens 3 deprecates HookedTransformer in favour of TransformerBridge, which
        # wraps Hugging Face models; a config-built local model has no such model to wrap, and
        # sae-lens's trainer and evals still take HookedTransformer.
        warnings.filterwarnings("ignore", message="HookedTransformer is deprecated",
                                category=DeprecationWarning)
        return HookedTransformer(hcfg)


def build_model(cfg: dict[str, Any], device: str = "cpu") -> HookedTransformer:
    hcfg = HookedTransformerConfig(**{**cfg, "device": device})
    # No tokenizer: the model reads byte ids directly (sae-lens gets pre-tokenized datasets).
    return _hooked(hcfg)


@dataclass(frozen=True)
class LoadedModel:
    model: HookedTransformer
    name: str
    checkpoint: Path | None  # None for a pretrained-by-name model


def load_local(config_path: Path, checkpoint: Path, device: str = "cpu") -> LoadedModel:
    cfg = json.loads(Path(config_path).read_text())
    model = build_model(cfg, device)
    state = load_file(str(checkpoint), device=device)
    # Checkpoints are stored in fp16 to stay small; compute in fp32.
    state = {k: v.float() for k, v in state.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    # transformer-lens registers buffers (masks, IGNORE) that are not saved; real weights must be.
    real_missing = [k for k in missing if not k.endswith(("mask", "IGNORE"))]
    if real_missing or unexpected:
        raise ValueError(
            f"checkpoint {checkpoint} does not match config {config_path}: "
            f"missing {real_missing}, unexpected {unexpected}"
        )
    model.eval()
    return LoadedModel(model=model, name=str(cfg.get("model_name", Path(checkpoint).stem)),
                       checkpoint=Path(checkpoint))


def load_pretrained(name: str, device: str = "cpu") -> LoadedModel:  # pragma: no cover - network
    """A transformer-lens pretrained model by name. Needs network (Hugging Face hub)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="HookedTransformer is deprecated",
                                category=DeprecationWarning)
        model = HookedTransformer.from_pretrained_no_processing(name, device=device)
    model.eval()
    return LoadedModel(model=model, name=name, checkpoint=None)


def save_checkpoint(model: HookedTransformer, path: Path, fp16: bool = True) -> None:
    state = {
        k: (v.half() if fp16 and v.is_floating_point() else v).detach().cpu().contiguous()
        for k, v in model.state_dict().items()
        if not k.endswith(("mask", "IGNORE"))
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    save_file(state, str(tmp))
    tmp.replace(path)


def random_copy(model: HookedTransformer, seed: int) -> HookedTransformer:
    """A copy of ``model`` with every weight re-initialised (same architecture, fresh init).

    The random-model control: an SAE recipe that finds "features" in a model that never learned
    anything is measuring the recipe, not the model.
    """
    cfg = model.cfg.to_dict()
    cfg["seed"] = seed
    cfg["model_name"] = f"{model.cfg.model_name}-random-{seed}"
    torch.manual_seed(seed)
    fresh = _hooked(HookedTransformerConfig(**cfg))
    fresh.to(model.cfg.device, print_details=False)
    fresh.eval()
    return fresh

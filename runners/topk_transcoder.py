"""A TopK transcoder: sae-lens's ``Transcoder`` with the TopK activation of its ``TopKSAE``.

sae-lens 6 ships ReLU and JumpReLU transcoders but no TopK one. This class keeps exactly the
``k`` largest pre-activations per token (then ReLU, as sae-lens's ``TopK``), so a TopK
transcoder and a TopK SAE with the same ``k`` have the same L0 by construction and a comparison
between them measures the architecture, not the sparsity. It is registered with sae-lens under
``topk_transcoder`` so that ``SAE.load_from_disk`` reads the checkpoints back.

Imported lazily (it imports sae-lens at module level).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from sae_lens.registry import SAE_CLASS_REGISTRY, register_sae_class
from sae_lens.saes.topk_sae import TopK
from sae_lens.saes.transcoder import Transcoder, TranscoderConfig

ARCHITECTURE = "topk_transcoder"


@dataclass
class TopKTranscoderConfig(TranscoderConfig):  # type: ignore[misc]  # sae-lens is untyped here
    k: int = 16

    @classmethod
    def architecture(cls) -> str:
        return ARCHITECTURE


class TopKTranscoder(Transcoder):  # type: ignore[misc]
    """Transcoder whose encoder keeps the top ``cfg.k`` latents per token (shape [..., d_sae])."""

    cfg: TopKTranscoderConfig

    def get_activation_fn(self) -> Callable[[torch.Tensor], torch.Tensor]:
        act: Callable[[torch.Tensor], torch.Tensor] = TopK(self.cfg.k)
        return act


def ensure_registered() -> None:
    """Register the class with sae-lens once per process (its registry refuses duplicates)."""
    if ARCHITECTURE not in SAE_CLASS_REGISTRY:
        register_sae_class(ARCHITECTURE, TopKTranscoder, TopKTranscoderConfig)

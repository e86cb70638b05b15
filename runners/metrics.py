"""Consistency metrics between SAE decoders: PWMCC (max-|cosine| matching), Hungarian variant.

Definition (shared/reference/gates.md): normalise decoder directions, take |cosine| between all
pairs of latents, average the row maxima and the column maxima, then average those two. The
matrix of cosines is d_sae × d_sae; at d_sae 16,384 it would be 2 GiB in float64, so the maxima are
computed over row chunks in float32 and only the two max-vectors are kept.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import torch

# Rows of the cosine matrix computed at once: 2,048 × 16,384 float32 is 128 MiB.
DEFAULT_CHUNK = 2048


def _unit_rows(w: torch.Tensor) -> torch.Tensor:
    """Decoder as (d_sae, d_model) with unit-norm rows (float32; zero rows stay zero)."""
    w = w.detach().to(torch.float32)
    unit: torch.Tensor = w / w.norm(dim=1, keepdim=True).clamp_min(1e-12)
    return unit


def pwmcc(w_a: torch.Tensor, w_b: torch.Tensor, chunk: int = DEFAULT_CHUNK) -> float:
    """Symmetric max-|cosine| PWMCC between decoders ``w_a`` (n_a, d) and ``w_b`` (n_b, d)."""
    if w_a.shape[1] != w_b.shape[1]:
        raise ValueError(f"decoders differ in d_model: {tuple(w_a.shape)} vs {tuple(w_b.shape)}")
    a, b = _unit_rows(w_a), _unit_rows(w_b)
    col_max = torch.zeros(b.shape[0], dtype=torch.float32, device=b.device)
    row_sum = 0.0
    with torch.no_grad():
        for i in range(0, a.shape[0], chunk):
            c = (a[i : i + chunk] @ b.T).abs_()
            row_sum += float(c.max(dim=1).values.double().sum())
            col_max = torch.maximum(col_max, c.max(dim=0).values)
    return 0.5 * (row_sum / a.shape[0] + float(col_max.double().mean()))


def pwmcc_hungarian(w_a: torch.Tensor, w_b: torch.Tensor) -> float:
    """Mean |cosine| over a one-to-one (Hungarian) matching; needs scipy and a d_sae² matrix."""
    from scipy.optimize import linear_sum_assignment

    a, b = _unit_rows(w_a), _unit_rows(w_b)
    c = (a @ b.T).abs().cpu().numpy()
    rows, cols = linear_sum_assignment(c, maximize=True)
    # Unmatched latents (when sizes differ) count as 0, so a bigger dictionary is not rewarded.
    return float(c[rows, cols].sum() / max(c.shape))


def pairwise(
    decoders: dict[int, torch.Tensor], method: str = "max_cosine", chunk: int = DEFAULT_CHUNK
) -> list[tuple[tuple[int, int], float]]:
    """PWMCC for every unordered pair of seeds, in sorted seed order."""
    out = []
    for sa, sb in itertools.combinations(sorted(decoders), 2):
        if method == "hungarian":
            v = pwmcc_hungarian(decoders[sa], decoders[sb])
        else:
            v = pwmcc(decoders[sa], decoders[sb], chunk=chunk)
        out.append(((sa, sb), v))
    return out


def random_decoders(
    seeds: Sequence[int], d_sae: int, d_model: int, base_seed: int = 10_000
) -> dict[int, torch.Tensor]:
    """Standard-normal decoders of the same shape: the chance level of PWMCC at this size."""
    out = {}
    for s in seeds:
        g = torch.Generator().manual_seed(base_seed + s)
        out[s] = torch.randn(d_sae, d_model, generator=g)
    return out


def mcc_vs_truth(learned: torch.Tensor, truth: torch.Tensor) -> float:
    """Feature recovery: mean over true features of the max |cosine| to any learned latent.

    ``learned`` is (d_sae, d) and ``truth`` (n_features, d). One-sided on purpose: it asks
    whether every ground-truth feature was found, not whether every latent is a true feature.
    """
    a, b = _unit_rows(truth), _unit_rows(learned)
    return float((a @ b.T).abs().max(dim=1).values.double().mean())


# --- numpy references (tests compare the torch versions against these) --------------------


def pwmcc_reference(w_a: np.ndarray, w_b: np.ndarray) -> float:
    a = w_a / np.linalg.norm(w_a, axis=1, keepdims=True)
    b = w_b / np.linalg.norm(w_b, axis=1, keepdims=True)
    c = np.abs(a.astype(np.float64) @ b.astype(np.float64).T)
    return float(0.5 * (c.max(axis=1).mean() + c.max(axis=0).mean()))

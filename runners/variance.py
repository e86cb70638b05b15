"""Explained variance as the research programme defines it, streamed over batches.

shared/reference/gates.md: explained variance = 1 − var(x − x̂) / var(x), each variance taken
over *all elements* of the flattened tensors (one scalar mean per tensor). sae-lens's
``ExplainedVarianceCalculator`` (used by ``run_evals``, recorded as ``explained_variance``)
differs: 1 − E‖x − x̂‖² / Σ_d Var(x_d), i.e. x is centred per dimension and the residual is not
centred at all. The two agree when x̂ is unbiased and x has the same mean in every dimension;
on residual-stream activations with a large mean direction the sae-lens figure is lower.
"""

from __future__ import annotations

import torch


class TotalVarianceExplained:
    """Accumulate float64 sums of x, x², r = x − x̂ and r² over batches of any shape."""

    def __init__(self) -> None:
        self.n = 0
        self.sum_x = self.sum_x2 = self.sum_r = self.sum_r2 = 0.0

    def add_batch(self, x_hat: torch.Tensor, x: torch.Tensor) -> None:
        """``x_hat`` and ``x``: the same shape (e.g. [tokens, d]); every element counts once."""
        if x_hat.shape != x.shape:
            raise ValueError(f"shapes differ: {tuple(x_hat.shape)} vs {tuple(x.shape)}")
        x64 = x.detach().to(torch.float64)
        r = x64 - x_hat.detach().to(torch.float64)
        self.n += x64.numel()
        self.sum_x += float(x64.sum())
        self.sum_x2 += float(x64.pow(2).sum())
        self.sum_r += float(r.sum())
        self.sum_r2 += float(r.pow(2).sum())

    def compute(self) -> float:
        """1 − var(r)/var(x) (population variances; the ratio does not depend on ddof)."""
        if self.n == 0:
            raise ValueError("no batches added")
        var_x = self.sum_x2 / self.n - (self.sum_x / self.n) ** 2
        var_r = self.sum_r2 / self.n - (self.sum_r / self.n) ** 2
        if var_x <= 0.0:
            raise ValueError("var(x) is 0: explained variance is undefined")
        return 1.0 - var_r / var_x

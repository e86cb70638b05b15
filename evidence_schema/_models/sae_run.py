"""``sae_run``: one SAE (or transcoder) trained on one seed, with its quality metrics."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .. import _seed_coverage
from .._common import (
    AtMostOne,
    Finite,
    Fraction,
    Name,
    NonNegative,
    PositiveInt,
    Seed,
    Sha256,
    Strict,
)
from .envelope import Architecture, Envelope


class SaeRunMetrics(Strict):
    architecture: Architecture
    model_name: Name
    hook_point: Name
    hook_point_out: Name | None = Field(default=None, description="transcoders only")
    d_model: PositiveInt
    d_sae: PositiveInt
    k: PositiveInt | None = Field(default=None, description="TopK-family sparsity")
    training_tokens: PositiveInt
    seed: Seed
    explained_variance: AtMostOne = Field(
        description="sae-lens's definition: 1 − E‖x − x̂‖² / Σ_d Var(x_d) (per-dimension "
        "centred variance of x, uncentred residual), held-out tokens"
    )
    explained_variance_total: AtMostOne | None = Field(
        default=None,
        description="the programme's definition (shared/reference/gates.md): "
        "1 − var(x − x̂) / var(x), both variances over all elements of the flattened tensors",
    )
    mse: NonNegative
    l0: NonNegative
    dead_fraction: Fraction
    kl_score: Finite | None = None
    ce_loss_score: Finite | None = Field(
        default=None, description="CE loss recovered: (zero-abl − spliced)/(zero-abl − clean)"
    )
    ce_loss_clean: NonNegative | None = None
    ce_loss_with_sae: NonNegative | None = None
    ce_loss_zero_ablation: NonNegative | None = None
    feature_recovery_mcc: Fraction | None = Field(
        default=None, description="MCC vs a known ground-truth dictionary (synthetic data)"
    )
    checkpoint_path: Name
    checkpoint_sha256: Sha256


class SaeRunEvidence(Envelope):
    kind: Literal["sae_run"] = "sae_run"
    metrics: SaeRunMetrics

    @model_validator(mode="after")
    def _every_seed(self) -> SaeRunEvidence:
        _seed_coverage.sae_run(self)  # every per-seed list holds the run's seeds (rt10 §6)
        return self

"""``lm_training``: a small language model trained for the SAEs to read."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from .. import _derived
from .._common import Name, NonNegative, PositiveInt, Sha256, Strict
from .envelope import Envelope


class LossPoint(Strict):
    step: Annotated[int, Field(strict=True, ge=0)]
    train_loss: NonNegative
    val_loss: NonNegative | None = None


class LmTrainingMetrics(Strict):
    model_name: Name
    n_layers: PositiveInt
    d_model: PositiveInt
    n_heads: PositiveInt
    d_vocab: PositiveInt
    n_ctx: PositiveInt
    corpus: Name
    training_tokens: PositiveInt
    loss_curve: list[LossPoint] = Field(min_length=1)
    final_val_loss: NonNegative = Field(description="nats per token on held-out text")
    uniform_loss: NonNegative = Field(description="ln(d_vocab): loss of uniform prediction")
    checkpoint_path: Name
    checkpoint_sha256: Sha256

    @model_validator(mode="after")
    def _derived_consistent(self) -> LmTrainingMetrics:
        _derived.lm_training(self)
        return self


class LmTrainingEvidence(Envelope):
    kind: Literal["lm_training"] = "lm_training"
    metrics: LmTrainingMetrics

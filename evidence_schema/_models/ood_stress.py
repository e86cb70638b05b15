"""``ood_stress``: one SAE's metrics in and out of its training distribution."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from .. import _seed_coverage
from .._common import Name, PositiveInt, Strict
from .envelope import Envelope, OptionalSamples, Samples


class OodArm(Strict):
    dataset: Name
    tokens: PositiveInt
    explained_variance: Samples
    kl_score: OptionalSamples = None
    ce_loss_score: OptionalSamples = None


class OodStressMetrics(Strict):
    hook_point: Name
    in_distribution: OodArm
    out_of_distribution: OodArm


class OodStressEvidence(Envelope):
    kind: Literal["ood_stress"] = "ood_stress"
    metrics: OodStressMetrics

    @model_validator(mode="after")
    def _every_seed(self) -> OodStressEvidence:
        _seed_coverage.runner_kind(self)  # every per-seed list holds the run's seeds (rt10 §6)
        return self

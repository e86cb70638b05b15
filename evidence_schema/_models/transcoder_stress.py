"""``transcoder_stress``: SAE and transcoder arms on the same hook, matched on sparsity."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, model_validator

from .. import _derived, _seed_coverage
from .._common import Name, PositiveInt, Strict
from .._sparsity import SparsityMatch
from .envelope import Envelope, OptionalPairs, OptionalSamples


class StressArm(Strict):
    pwmcc: OptionalPairs = Field(default=None, description="per seed pair")
    explained_variance: OptionalSamples = None
    mse: OptionalSamples = None
    l0: OptionalSamples = None


class TranscoderStressMetrics(Strict):
    hook_point_in: Name
    hook_point_out: Name
    d_sae: PositiveInt
    training_tokens: PositiveInt
    architecture: Literal["topk", "standard"] | None = Field(
        default=None, description="sparsity mechanism both arms share: TopK with k, or ReLU + L1"
    )
    k: PositiveInt | None = Field(default=None, description="TopK k of both arms")
    sae: StressArm
    transcoder: StressArm
    sparsity: SparsityMatch | None = Field(
        default=None, description="mean L0 of both arms and whether they are matched "
        "(evidence_schema/_sparsity.py); a PWMCC comparison of unmatched arms measures sparsity"
    )

    @model_validator(mode="after")
    def _sparsity_from_arms(self) -> TranscoderStressMetrics:
        if self.architecture == "topk" and self.k is None:
            raise ValueError("architecture topk needs k")
        if self.sparsity is None:
            return self
        if self.sae.l0 is None or self.transcoder.l0 is None:
            raise ValueError("sparsity needs per-seed l0 in both arms")
        for name, arm, mean in (("sae", self.sae, self.sparsity.sae_l0_mean),
                                ("transcoder", self.transcoder,
                                 self.sparsity.transcoder_l0_mean)):
            vals = [s.value for s in arm.l0 or []]
            want = math.fsum(vals) / len(vals)
            if not _derived.close(mean, want, *vals):
                raise ValueError(f"sparsity.{name}_l0_mean {mean!r} is not the mean of "
                                 f"{name}.l0 ({want!r})")
        return self


class TranscoderStressEvidence(Envelope):
    kind: Literal["transcoder_stress"] = "transcoder_stress"
    metrics: TranscoderStressMetrics

    @model_validator(mode="after")
    def _every_seed(self) -> TranscoderStressEvidence:
        _seed_coverage.runner_kind(self)  # every per-seed list holds the run's seeds (rt10 §6)
        return self

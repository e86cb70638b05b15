"""Runner configuration: one strict pydantic model loaded from YAML.

Unknown keys are errors (a typo such as ``d_sea`` must not silently fall back to a default), and
every value that changes a result is part of the config, so its canonical-JSON sha256 names the
output directory (idempotent, resumable runs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Architecture = Literal["standard", "topk", "batchtopk", "jumprelu", "matryoshka_batchtopk"]
Corpus = Literal["stdlib_python", "pydoc_prose"]
Pos = Annotated[int, Field(strict=True, ge=1)]
NonNeg = Annotated[int, Field(strict=True, ge=0)]
PosFloat = Annotated[float, Field(gt=0.0, allow_inf_nan=False)]


class ConfigError(Exception):
    """A runner config that cannot be used as written (exit 2 from the CLI)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelSpec(_Strict):
    """Where the language model comes from.

    ``tiny``: the checkpoint shipped in runners/assets (offline). ``local``: any transformer-lens
    config JSON plus safetensors checkpoint. ``pretrained``: a transformer-lens model name; needs
    network (Hugging Face hub) and is refused unless ``allow_network`` is true.
    """

    source: Literal["tiny", "local", "pretrained"] = "tiny"
    config_path: str | None = None
    checkpoint: str | None = None
    name: str | None = None
    allow_network: bool = False
    random_seed: NonNeg = Field(default=1234, description="seed of the random re-init control")

    @model_validator(mode="after")
    def _complete(self) -> ModelSpec:
        if self.source == "local" and not (self.config_path and self.checkpoint):
            raise ValueError("model.source 'local' needs model.config_path and model.checkpoint")
        if self.source == "pretrained":
            if not self.name:
                raise ValueError("model.source 'pretrained' needs model.name (e.g. gpt2)")
            if not self.allow_network:
                raise ValueError(
                    f"model.source 'pretrained' ({self.name}) downloads from the Hugging Face "
                    "hub; set model.allow_network: true on a machine with network"
                )
        return self


class DataSpec(_Strict):
    corpus: Corpus = "stdlib_python"
    ood_corpus: Corpus = "pydoc_prose"
    context_size: Pos = 128
    max_train_tokens: Pos = Field(
        default=4_000_000, description="cap on the train split read from disk"
    )
    data_seed: NonNeg = Field(default=0, description="order of training activations")


class SaeSpec(_Strict):
    architecture: Architecture = "topk"
    hook_point: str = "blocks.0.hook_resid_post"
    d_sae: Pos = 512
    k: Pos | None = Field(default=16, description="TopK-family sparsity")
    l1_coefficient: PosFloat = Field(default=5.0, description="standard (ReLU) SAEs")
    l0_coefficient: PosFloat = Field(default=1.0, description="JumpReLU SAEs")
    matryoshka_widths: list[Pos] | None = Field(
        default=None, description="Matryoshka prefixes; default [d_sae/4, d_sae/2, d_sae]"
    )
    training_tokens: Pos = 400_000
    train_batch_size_tokens: Pos = 1024
    lr: PosFloat = 3e-3
    normalize_activations: Literal["none", "expected_average_only_in"] = Field(
        default="expected_average_only_in",
        description="sae-lens scales inputs to mean norm sqrt(d_in) in training and folds the "
        "factor into the saved weights; keeps one learning rate right for trained and random "
        "models, whose activation scales differ",
    )
    seeds: list[NonNeg] = Field(default_factory=lambda: [0, 1, 2], min_length=1)

    @model_validator(mode="after")
    def _check(self) -> SaeSpec:
        if len(set(self.seeds)) != len(self.seeds):
            raise ValueError(f"sae.seeds has duplicates: {self.seeds}")
        if self.architecture in ("topk", "batchtopk", "matryoshka_batchtopk") and self.k is None:
            raise ValueError(f"sae.k is required for architecture {self.architecture}")
        if self.k is not None and self.k > self.d_sae:
            raise ValueError(f"sae.k ({self.k}) exceeds sae.d_sae ({self.d_sae})")
        if self.matryoshka_widths is not None and self.matryoshka_widths[-1] != self.d_sae:
            raise ValueError("sae.matryoshka_widths must end with d_sae")
        return self


class EvalSpec(_Strict):
    """Held-out evaluation with sae-lens's evals (run_evals)."""

    n_batches: Pos = 4
    batch_size_prompts: Pos = 16
    max_eval_tokens: Pos = 300_000


class TranscoderSpec(_Strict):
    """The transcoder stress test: a transcoder (MLP in → MLP out) vs an SAE on the MLP output.

    Both arms share one sparsity mechanism so that their PWMCC difference measures the
    architecture, not the sparsity: ``topk`` (default) keeps exactly the ``sae.k`` largest
    latents per token in both; ``standard`` is ReLU + ``sae.l1_coefficient`` in both, whose L0s
    can drift apart (the evidence records both and the policy's sparsity sub-gate checks them).
    """

    layer: NonNeg = 0
    lr: PosFloat = 3e-3
    architecture: Literal["topk", "standard"] = Field(
        default="topk", description="sparsity mechanism of both arms (topk uses sae.k)"
    )


class SyntheticSpec(_Strict):
    """sae-lens synthetic data: a known dictionary of features, sparse random firings."""

    num_features: Pos = 64
    hidden_dim: Pos = 32
    firing_probability: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.05
    d_sae: Pos = 64
    k: Pos = 4
    training_samples: Pos = 300_000
    batch_size: Pos = 1024
    lr: PosFloat = 3e-3
    eval_samples: Pos = 20_000


class ConsistencySpec(_Strict):
    method: Literal["max_cosine", "hungarian"] = "max_cosine"


class RunnerConfig(_Strict):
    model: ModelSpec = Field(default_factory=ModelSpec)
    data: DataSpec = Field(default_factory=DataSpec)
    sae: SaeSpec = Field(default_factory=SaeSpec)
    eval: EvalSpec = Field(default_factory=EvalSpec)
    transcoder: TranscoderSpec = Field(default_factory=TranscoderSpec)
    consistency: ConsistencySpec = Field(default_factory=ConsistencySpec)
    synthetic: SyntheticSpec = Field(default_factory=SyntheticSpec)

    @model_validator(mode="after")
    def _transcoder_k(self) -> RunnerConfig:
        if self.transcoder.architecture == "topk" and self.sae.k is None:
            raise ValueError("transcoder.architecture 'topk' needs sae.k")
        return self

    def as_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def load_config(path: Path) -> RunnerConfig:
    """Read a YAML runner config; every problem is one ``ConfigError`` naming file and key.

    The project's one safe YAML reader, anchors and aliases refused (no alias bombs).
    """
    from evidence_schema import YAMLLoadError, load_yaml_file

    try:
        raw = load_yaml_file(path, aliases="refuse").data
    except YAMLLoadError as e:
        raise ConfigError(str(e)) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: top level must be a mapping, got {type(raw).__name__}")
    try:
        return RunnerConfig.model_validate(raw)
    except ValidationError as e:
        lines = [
            f"  {'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['msg']}"
            for err in e.errors()
        ]
        raise ConfigError(f"{path}: invalid runner config:\n" + "\n".join(lines)) from e

"""The runners: each fills one kind of evidence (or one per SAE) from a RunContext.

    sae           one ``sae_run`` per seed (trained model), held-out sae-lens metrics
    consistency   PWMCC of every seed pair vs random decoders of the same shape
    random_model  the same recipe on a randomly re-initialised copy of the model
    transcoder    transcoder (MLP in → MLP out) vs a standard SAE on the MLP output
    ood           the in-distribution SAEs evaluated on out-of-distribution prose
    synthetic     feature recovery (MCC) on sae-lens synthetic data with a known dictionary
"""

from __future__ import annotations

from pathlib import Path

from evidence_schema import (
    ConsistencyEvidence,
    ConsistencyMetrics,
    ControlArm,
    OodArm,
    OodStressEvidence,
    OodStressMetrics,
    RandomModelControlEvidence,
    RandomModelControlMetrics,
    SaeRunEvidence,
    SaeRunMetrics,
    StressArm,
    TranscoderStressEvidence,
    TranscoderStressMetrics,
    sparsity_match,
)

from . import metrics as M
from .context import Arm, RunContext
from .evidence import envelope, per_pair, per_seed, produce
from .registry import register

# Architectures whose sparsity is set by k (JumpReLU and standard SAEs ignore it).
_TOPK_FAMILY = ("topk", "batchtopk", "matryoshka_batchtopk")


def _pwmcc_pairs(ctx: RunContext, arm: Arm) -> list[tuple[tuple[int, int], float]]:
    return M.pairwise(ctx.decoders(arm), method=ctx.cfg.consistency.method)


def _sae_runs(ctx: RunContext, arm: Arm) -> list[Path]:
    """One ``sae_run`` evidence per seed of an arm.

    Written under the runner name "sae" whichever runner asks, so that its config hash (and
    so idempotence) does not depend on which runner happened to train the SAE first.
    """
    runner = "sae"
    from .transcoder import mlp_hooks

    spec = ctx.cfg.sae
    hin, hout = mlp_hooks(ctx.cfg.transcoder.layer)
    paths = []
    for seed in spec.seeds:
        path = ctx.evidence_path(f"sae_run-{arm}-seed{seed}")

        def build(seed: int = seed) -> SaeRunEvidence:
            ev = ctx.evaluation(arm, seed, "val")
            ck = ctx.checkpoint_file(arm, seed)
            _, model_name = ctx.model_for(arm)
            tc_arch = ctx.cfg.transcoder.architecture
            tc_k = spec.k if tc_arch == "topk" else None
            if arm == "transcoder":
                arch = "topk_transcoder" if tc_arch == "topk" else "transcoder"
                hook, hook_out, k = hin, hout, tc_k
            elif arm == "mlp_sae":
                arch, hook, hook_out, k = tc_arch, hout, None, tc_k
            else:
                arch, hook, hook_out = spec.architecture, spec.hook_point, None
                k = spec.k if spec.architecture in _TOPK_FAMILY else None
            inputs = [ctx.lm_input(), ctx.corpus_input("train"), ctx.corpus_input("val"),
                      ctx.file_input(ck, f"sae_checkpoint:{arm}", seed=seed)]
            if arm == "random":
                inputs.append(ctx.file_input(ctx.random_lm()[1], "random_lm_checkpoint"))
            return SaeRunEvidence(
                **envelope(ctx, runner, inputs),
                metrics=SaeRunMetrics(
                    architecture=arch, model_name=model_name, hook_point=hook,
                    hook_point_out=hook_out, d_model=int(ctx.lm().model.cfg.d_model),
                    d_sae=spec.d_sae, k=k, training_tokens=spec.training_tokens, seed=seed,
                    explained_variance=min(1.0, ev["explained_variance"]),
                    explained_variance_total=_ev_total(ev),
                    mse=ev["mse"], l0=ev["l0"], dead_fraction=ev["dead_fraction"],
                    kl_score=ev.get("kl_score"), ce_loss_score=ev.get("ce_loss_score"),
                    ce_loss_clean=ev.get("ce_loss_clean"),
                    ce_loss_with_sae=ev.get("ce_loss_with_sae"),
                    ce_loss_zero_ablation=ev.get("ce_loss_zero_ablation"),
                    checkpoint_path=ctx.recorded(ck), checkpoint_sha256=ctx._sha(ck),
                ),
            )

        paths.append(produce(ctx, runner, path, build))
    return paths


@register("sae", "train SAEs over seeds on the model; one sae_run evidence per seed")
def run_sae(ctx: RunContext) -> list[Path]:
    return _sae_runs(ctx, "trained")


@register("consistency", "PWMCC between every pair of seeds vs random decoders of that shape")
def run_consistency(ctx: RunContext) -> list[Path]:
    spec = ctx.cfg.sae
    path = ctx.evidence_path("consistency")

    def build() -> ConsistencyEvidence:
        trained = _pwmcc_pairs(ctx, "trained")
        d_model = int(ctx.lm().model.cfg.d_model)
        rand = M.pairwise(M.random_decoders(spec.seeds, spec.d_sae, d_model),
                          method=ctx.cfg.consistency.method)
        return ConsistencyEvidence(
            **envelope(ctx, "consistency", [ctx.lm_input(), *ctx.checkpoint_inputs(("trained",))]),
            metrics=ConsistencyMetrics(
                method=ctx.cfg.consistency.method, d_model=d_model, d_sae=spec.d_sae,
                trained=per_pair(trained), random_baseline=per_pair(rand),
            ),
        )

    return [*_sae_runs(ctx, "trained"), produce(ctx, "consistency", path, build)]


def _control_arm(ctx: RunContext, arm: Arm, name: str, sha: str) -> ControlArm:
    seeds = ctx.cfg.sae.seeds
    evs = {s: ctx.evaluation(arm, s, "val") for s in seeds}
    return ControlArm(
        model_name=name, model_sha256=sha,
        pwmcc=per_pair(_pwmcc_pairs(ctx, arm)) if len(seeds) > 1 else None,
        explained_variance=per_seed({s: e["explained_variance"] for s, e in evs.items()}),
        kl_score=per_seed({s: e["kl_score"] for s, e in evs.items()}),
        ce_loss_score=per_seed({s: e["ce_loss_score"] for s, e in evs.items()}),
        l0=per_seed({s: e["l0"] for s, e in evs.items()}),
    )


@register("random_model", "the SAE recipe on the model and on a random re-init of it")
def run_random_model(ctx: RunContext) -> list[Path]:
    spec = ctx.cfg.sae
    path = ctx.evidence_path("random_model_control")

    def build() -> RandomModelControlEvidence:
        lm = ctx.lm()
        _, rnd_path = ctx.random_lm()
        _, rnd_name = ctx.model_for("random")
        lm_sha = ctx.lm_input()["sha256"]
        return RandomModelControlEvidence(
            **envelope(ctx, "random_model", [
                ctx.lm_input(), ctx.file_input(rnd_path, "random_lm_checkpoint"),
                ctx.corpus_input("train"), ctx.corpus_input("val"),
                *ctx.checkpoint_inputs(("trained", "random")),
            ]),
            metrics=RandomModelControlMetrics(
                hook_point=spec.hook_point, d_sae=spec.d_sae, architecture=spec.architecture,
                training_tokens=spec.training_tokens,
                trained=_control_arm(ctx, "trained", lm.name, lm_sha),
                random=_control_arm(ctx, "random", rnd_name, ctx._sha(rnd_path)),
            ),
        )

    runs = [*_sae_runs(ctx, "trained"), *_sae_runs(ctx, "random")]
    return [*runs, produce(ctx, "random_model", path, build)]


def _ev_total(ev: dict[str, float]) -> float | None:
    # Evaluations cached before the field existed lack it; ≤ 1 by definition (float rounding).
    v = ev.get("explained_variance_total")
    return None if v is None else min(1.0, v)


def _stress_arm(ctx: RunContext, arm: Arm) -> StressArm:
    seeds = ctx.cfg.sae.seeds
    evs = {s: ctx.evaluation(arm, s, "val") for s in seeds}
    return StressArm(
        pwmcc=per_pair(_pwmcc_pairs(ctx, arm)) if len(seeds) > 1 else None,
        explained_variance=per_seed({s: e["explained_variance"] for s, e in evs.items()}),
        mse=per_seed({s: e["mse"] for s, e in evs.items()}),
        l0=per_seed({s: e["l0"] for s, e in evs.items()}),
    )


@register("transcoder", "transcoder (MLP in → out) vs a standard SAE on the MLP output")
def run_transcoder(ctx: RunContext) -> list[Path]:
    from .transcoder import mlp_hooks

    spec = ctx.cfg.sae
    hin, hout = mlp_hooks(ctx.cfg.transcoder.layer)
    path = ctx.evidence_path("transcoder_stress")
    arch = ctx.cfg.transcoder.architecture

    def build() -> TranscoderStressEvidence:
        sae, tc = _stress_arm(ctx, "mlp_sae"), _stress_arm(ctx, "transcoder")
        assert sae.l0 is not None and tc.l0 is not None  # _stress_arm always fills l0
        return TranscoderStressEvidence(
            **envelope(ctx, "transcoder", [
                ctx.lm_input(), ctx.corpus_input("train"), ctx.corpus_input("val"),
                *ctx.checkpoint_inputs(("mlp_sae", "transcoder")),
            ]),
            metrics=TranscoderStressMetrics(
                hook_point_in=hin, hook_point_out=hout, d_sae=spec.d_sae,
                training_tokens=spec.training_tokens, architecture=arch,
                k=spec.k if arch == "topk" else None, sae=sae, transcoder=tc,
                # Recorded, not enforced here: unmatched arms still yield evidence, and the
                # policy's sparsity sub-gate keeps the transcoder gate from passing on them.
                sparsity=sparsity_match([s.value for s in sae.l0], [s.value for s in tc.l0]),
            ),
        )

    return [produce(ctx, "transcoder", path, build)]


@register("ood", "in-distribution SAEs evaluated on out-of-distribution prose")
def run_ood(ctx: RunContext) -> list[Path]:
    seeds = ctx.cfg.sae.seeds
    path = ctx.evidence_path("ood_stress")

    def arm(split: str) -> OodArm:
        evs = {s: ctx.evaluation("trained", s, split) for s in seeds}  # type: ignore[arg-type]
        name = ctx.cfg.data.corpus if split == "val" else ctx.cfg.data.ood_corpus
        return OodArm(
            dataset=f"{name}/val", tokens=int(next(iter(evs.values()))["tokens"]),
            explained_variance=per_seed({s: e["explained_variance"] for s, e in evs.items()}),
            kl_score=per_seed({s: e["kl_score"] for s, e in evs.items()}),
            ce_loss_score=per_seed({s: e["ce_loss_score"] for s, e in evs.items()}),
        )

    def build() -> OodStressEvidence:
        return OodStressEvidence(
            **envelope(ctx, "ood", [
                ctx.lm_input(), ctx.corpus_input("train"), ctx.corpus_input("val"),
                ctx.corpus_input("ood"), *ctx.checkpoint_inputs(("trained",)),
            ]),
            metrics=OodStressMetrics(
                hook_point=ctx.cfg.sae.hook_point,
                in_distribution=arm("val"), out_of_distribution=arm("ood"),
            ),
        )

    return [produce(ctx, "ood", path, build)]


@register("synthetic", "feature recovery (MCC vs the true dictionary) on sae-lens synthetic data")
def run_synthetic(ctx: RunContext) -> list[Path]:
    from .sae_training import SAE_WEIGHTS, load_sae
    from .synthetic import evaluate_synthetic, save_dictionary, train_synthetic

    syn, spec = ctx.cfg.synthetic, ctx.cfg.sae
    root = ctx.artifacts / "saes" / "synthetic"
    dict_path = save_dictionary(syn, ctx.artifacts / "synthetic_dictionary.safetensors")
    paths = []
    for seed in spec.seeds:
        path = ctx.evidence_path(f"sae_run-synthetic-seed{seed}")

        def build(seed: int = seed) -> SaeRunEvidence:
            ctx.log(f"synthetic SAE seed {seed}: {syn.training_samples:,} samples")
            d = train_synthetic(syn, spec, [seed], root, ctx.device)[seed]
            ev = evaluate_synthetic(load_sae(d, ctx.device), syn, seed)
            ck = d / SAE_WEIGHTS
            return SaeRunEvidence(
                **envelope(ctx, "synthetic", [ctx.file_input(dict_path, "true_dictionary"),
                                              ctx.file_input(ck, "sae_checkpoint:synthetic")]),
                metrics=SaeRunMetrics(
                    architecture=spec.architecture, model_name="sae_lens.synthetic",
                    hook_point="synthetic", d_model=syn.hidden_dim, d_sae=syn.d_sae,
                    k=syn.k if spec.architecture in _TOPK_FAMILY else None,
                    training_tokens=syn.training_samples, seed=seed,
                    explained_variance=min(1.0, ev["explained_variance"]), mse=ev["mse"],
                    l0=ev["l0"], dead_fraction=ev["dead_fraction"],
                    feature_recovery_mcc=max(0.0, min(1.0, ev["feature_recovery_mcc"])),
                    checkpoint_path=ctx.recorded(ck), checkpoint_sha256=ctx._sha(ck),
                ),
            )

        paths.append(produce(ctx, "synthetic", path, build))
    return paths

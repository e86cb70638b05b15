"""Assignment-aware consistency objective (cycle 2, study 4): a λ sweep with its own evidence.

SAEs are trained with sae-lens's own trainer; the objective is added by subclassing sae-lens's
``TopKTrainingSAE`` (its ``calculate_aux_loss`` hook, whose losses the trainer sums), not by
forking the trainer:

    loss += λ · (1 − mean_i |cos(W_dec[i], W_ref[π(i)])|)

where ``W_ref`` is the λ = 0 decoder of the reference seed and ``π`` the Hungarian matching of
|cos| between the two decoders, recomputed every ``rematch_every`` steps (the matching is a
discrete assignment; the gradient flows through the cosines under the current assignment).

The λ = 0 arm is the plain recipe (shared with the other runners through the RunContext). For
every other seed s and every λ: delta PWMCC = PWMCC(s_λ, ref) − PWMCC(s_0, ref) and EV drop =
EV(s_0) − EV(s_λ). Each arm's delta lower bound is ``policy.one_sample_bounds`` over seeds.

    python -m runners.consistency_objective --config C.yaml --lambdas 0 0.1 0.3 --out DIR
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

BASE_ARCHITECTURE = "topk"  # the programme's objective was defined on TopK SAEs
PRODUCER = "consistency_objective"


def consistency_sae_class() -> type:
    """The sae-lens TopK training SAE with the consistency term (built lazily: torch import)."""
    import torch
    from sae_lens.saes.topk_sae import TopKTrainingSAE

    class ConsistencyTopKTrainingSAE(TopKTrainingSAE):  # type: ignore[misc]
        lam: float = 0.0
        w_ref: torch.Tensor | None = None
        rematch_every: int = 50
        _calls: int = 0
        _perm: torch.Tensor | None = None

        def set_reference(self, w_ref: torch.Tensor, lam: float, rematch_every: int) -> None:
            self.w_ref = w_ref.detach().to(self.W_dec.device, torch.float32)
            self.w_ref = self.w_ref / self.w_ref.norm(dim=1, keepdim=True).clamp_min(1e-12)
            self.lam, self.rematch_every = lam, rematch_every

        def _match(self) -> torch.Tensor:
            from scipy.optimize import linear_sum_assignment

            assert self.w_ref is not None
            w = self.W_dec.detach().float()
            c = (w / w.norm(dim=1, keepdim=True).clamp_min(1e-12)) @ self.w_ref.T
            _, cols = linear_sum_assignment(c.abs().cpu().numpy(), maximize=True)
            return torch.as_tensor(cols, device=self.W_dec.device)

        def calculate_aux_loss(self, step_input: Any, feature_acts: torch.Tensor,
                               hidden_pre: torch.Tensor, sae_out: torch.Tensor
                               ) -> dict[str, torch.Tensor]:
            losses = dict(super().calculate_aux_loss(step_input, feature_acts, hidden_pre,
                                                     sae_out))
            if self.lam > 0.0 and self.w_ref is not None:
                if self._perm is None or self._calls % self.rematch_every == 0:
                    self._perm = self._match()
                self._calls += 1
                w = self.W_dec / self.W_dec.norm(dim=1, keepdim=True).clamp_min(1e-12)
                matched = (w * self.w_ref[self._perm]).sum(dim=1).abs().mean()
                losses["consistency_loss"] = self.lam * (1.0 - matched)
            return losses

    return ConsistencyTopKTrainingSAE


def train_regularised(ctx: Any, seeds: list[int], lam: float, w_ref: Any, root: Path,
                      rematch_every: int = 50) -> dict[int, Path]:
    """Train ``seeds`` with the consistency term through sae-lens's multi-SAE runner."""
    import torch
    from sae_lens import LoggingConfig
    from sae_lens.multi_sae_training_runner import (
        MultiSAETrainingRunner,
        MultiSAETrainingRunnerConfig,
    )

    from .sae_training import is_complete, promote_seed_dirs, seed_dir, training_sae_config

    spec, data = ctx.cfg.sae, ctx.cfg.data
    root.mkdir(parents=True, exist_ok=True)
    todo = [s for s in seeds if not is_complete(seed_dir(root, s))]
    if todo:
        model = ctx.lm().model
        cls = consistency_sae_class()
        cfgs = {f"seed{s}": training_sae_config(spec, int(model.cfg.d_model), ctx.device,
                                                architecture=BASE_ARCHITECTURE) for s in todo}
        saes = {}
        for s in todo:
            torch.manual_seed(s)  # same initialisation as the λ = 0 SAE of this seed
            sae = cls(cfgs[f"seed{s}"])
            sae.set_reference(w_ref, lam, rematch_every)
            saes[f"seed{s}"] = sae
        tmp = Path(tempfile.mkdtemp(prefix=".train-", dir=root))
        try:
            # Mirrors runners.sae_training.train_saes (same data order, warm-up and buffer) so
            # the λ = 0 arm and the λ > 0 arms differ only in the added loss.
            cfg = MultiSAETrainingRunnerConfig(
                saes=cfgs, hook_names=spec.hook_point, model_name=ctx.lm().name,
                dataset_path="", streaming=False, context_size=data.context_size,
                training_tokens=spec.training_tokens,
                train_batch_size_tokens=spec.train_batch_size_tokens,
                store_batch_size_prompts=8, n_batches_in_buffer=8, prepend_bos=False,
                sequence_separator_token=None, device=ctx.device, seed=data.data_seed,
                lr=spec.lr,
                lr_warm_up_steps=max(1, spec.training_tokens // spec.train_batch_size_tokens // 20),
                n_eval_batches=1, dead_feature_window=200, feature_sampling_window=400,
                logger=LoggingConfig(log_to_wandb=False), checkpoint_path=None,
                output_path=str(tmp), n_batches_for_norm_estimate=4,
                model_from_pretrained_kwargs={},
            )
            torch.manual_seed(data.data_seed)
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*fewer samples.*")
                MultiSAETrainingRunner(cfg, override_dataset=ctx.dataset("train")[0],
                                       override_model=model, override_saes=saes).run()
            promote_seed_dirs(tmp, root, todo)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return {s: seed_dir(root, s) for s in seeds}


def _arm(lam: float, pw: dict[int, float], ev: dict[int, float],
         base: tuple[dict[int, float], dict[int, float]] | None, confidence: float) -> Any:
    from evidence_schema import ConsistencyObjectiveArm
    from evidence_schema.stats import DegenerateEvidence, one_sample_bounds

    from .evidence import per_seed

    if base is None:
        return ConsistencyObjectiveArm(lam=lam, pwmcc=per_seed(pw), explained_variance=per_seed(ev))
    deltas = {s: pw[s] - base[0][s] for s in pw}
    drops = {s: base[1][s] - ev[s] for s in ev}
    try:
        lcb = one_sample_bounds(list(deltas.values()), confidence)[0] if len(deltas) > 1 else None
    except DegenerateEvidence:
        lcb = None  # zero/negligible spread: no bound, the arm cannot be selected
    return ConsistencyObjectiveArm(lam=lam, pwmcc=per_seed(pw), explained_variance=per_seed(ev),
                                   delta_pwmcc=per_seed(deltas), delta_pwmcc_lcb=lcb,
                                   ev_drop=per_seed(drops))


def run_objective(ctx: Any, lambdas: list[float], ev_drop_budget: float = 0.05,
                  confidence: float = 0.95, rematch_every: int = 50) -> Path:
    """Train and evaluate every λ; write one ``consistency_objective`` evidence file."""
    from evidence_schema import ConsistencyObjectiveEvidence, ConsistencyObjectiveMetrics
    from evidence_schema._split import choose_arm, default_split

    from . import metrics as M
    from .evaluation import evaluate_sae
    from .evidence import envelope, produce
    from .sae_training import SAE_WEIGHTS, load_sae

    spec = ctx.cfg.sae
    if spec.architecture != BASE_ARCHITECTURE:
        raise ValueError(f"the consistency objective is defined for sae.architecture "
                         f"{BASE_ARCHITECTURE!r}, got {spec.architecture!r}")
    if len(spec.seeds) < 2:
        raise ValueError("the consistency objective needs at least 2 seeds (a reference + 1)")
    lams = sorted({0.0, *(float(x) for x in lambdas)})
    if lams[0] < 0:
        raise ValueError(f"λ must be ≥ 0, got {lams}")
    ref, others = spec.seeds[0], list(spec.seeds[1:])
    method = ctx.cfg.consistency.method
    tag = "-".join(f"{x:g}" for x in lams)
    path = ctx.evidence_path(f"consistency_objective-lam{tag}")

    def build() -> Any:
        w_ref = ctx.sae("trained", ref).W_dec.detach()
        ds, _ = ctx.dataset("val")
        arms, base = [], None
        inputs = [ctx.lm_input(), ctx.corpus_input("train"), ctx.corpus_input("val"),
                  *ctx.checkpoint_inputs(("trained",))]
        for lam in lams:
            if lam == 0.0:
                saes = {s: ctx.sae("trained", s) for s in others}
                evs = {s: ctx.evaluation("trained", s, "val")["explained_variance"]
                       for s in others}
            else:
                dirs = train_regularised(ctx, others, lam, w_ref,
                                         ctx.artifacts / "consistency_objective" / f"lam{lam:g}",
                                         rematch_every)
                saes = {s: load_sae(d, ctx.device) for s, d in dirs.items()}
                evs = {s: evaluate_sae(ctx.lm().model, saes[s], ds, ctx.cfg.data.context_size,
                                       ctx.cfg.eval).as_dict()["explained_variance"]
                       for s in others}
                inputs += [ctx.file_input(d / SAE_WEIGHTS, f"sae_checkpoint:lam{lam:g}", seed=s)
                           for s, d in dirs.items()]
            fn = M.pwmcc_hungarian if method == "hungarian" else M.pwmcc
            pw = {s: fn(saes[s].W_dec.detach(), w_ref) for s in others}
            evs = {s: min(1.0, v) for s, v in evs.items()}
            arms.append(_arm(lam, pw, evs, base, confidence))
            if base is None:
                base = (pw, evs)
        # Selection then confirmation (issue 10): λ is chosen on the selection seeds and the
        # gates read the chosen arm on the held-out confirmation seeds only.
        split = default_split(others)
        selected = choose_arm(arms, ev_drop_budget, confidence, split)
        return ConsistencyObjectiveEvidence(
            **envelope(ctx, PRODUCER, inputs),
            metrics=ConsistencyObjectiveMetrics(
                architecture=BASE_ARCHITECTURE, hook_point=spec.hook_point, d_sae=spec.d_sae,
                training_tokens=spec.training_tokens, reference_seed=ref, matching="hungarian",
                pwmcc_method=method, confidence=confidence, arms=arms, selected=selected,
                ev_drop_budget=ev_drop_budget, split=split,
            ),
        )

    return produce(ctx, PRODUCER, path, build)


def main(argv: list[str] | None = None) -> int:
    import runners

    p = argparse.ArgumentParser(prog="python -m runners.consistency_objective")
    p.add_argument("--config", type=Path, required=True)
    p.add_argument("--lambdas", type=float, nargs="+", required=True)
    p.add_argument("--out", type=Path, default=Path("out"))
    p.add_argument("--ev-drop-budget", type=float, default=0.05)
    p.add_argument("--device", default="cpu")
    p.add_argument("--quiet", action="store_true")
    a = p.parse_args(argv)
    cfg = runners.load_config(a.config)
    runners.set_offline_env(cfg.model.allow_network)
    ctx = runners.make_context(cfg, a.out, a.device, a.quiet)
    print(run_objective(ctx, a.lambdas, a.ev_drop_budget))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Held-out evaluation of trained SAEs with sae-lens's own evals (``run_evals``).

Metrics: explained variance (sae-lens's definition, 1 − E‖x − x̂‖² / total variance of x) and
the programme's 1 − var(x − x̂)/var(x) over all elements (``runners.variance``), on the same tokens,
MSE (‖x − x̂‖² per token), L0, dead-latent fraction (latents that never fire on the held-out
tokens), KL score and CE loss recovered (zero-ablation baseline). The dataset passed in is the
held-out split (or the out-of-distribution corpus), never the training split.
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass
from typing import Any

import torch

from .config import EvalSpec


@dataclass(frozen=True)
class SaeEval:
    explained_variance: float
    explained_variance_total: float
    mse: float
    l0: float
    dead_fraction: float
    kl_score: float
    ce_loss_score: float
    ce_loss_clean: float
    ce_loss_with_sae: float
    ce_loss_zero_ablation: float
    tokens: int

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def eval_store(model: Any, sae: Any, dataset: Any, context_size: int, spec: EvalSpec) -> Any:
    from sae_lens.training.activations_store import ActivationsStore

    with warnings.catch_warnings():
        # sae-lens warns when a dataset is smaller than its default token budget; we read a
        # fixed number of batches, so this is expected.
        warnings.simplefilter("ignore", UserWarning)
        return ActivationsStore.from_sae(
            model=model,
            sae=sae,
            dataset=dataset,
            context_size=context_size,
            streaming=False,
            store_batch_size_prompts=spec.batch_size_prompts,
            n_batches_in_buffer=2,
            total_tokens=len(dataset) * context_size,
            device=str(sae.device),
            sequence_separator_token=None,
        )


@torch.no_grad()
def evaluate_sae(model: Any, sae: Any, dataset: Any, context_size: int, spec: EvalSpec) -> SaeEval:
    from sae_lens.evals import EvalConfig, run_evals
    from sae_lens.training.activation_scaler import ActivationScaler

    store = eval_store(model, sae, dataset, context_size, spec)
    cfg = EvalConfig(
        batch_size_prompts=spec.batch_size_prompts,
        n_eval_reconstruction_batches=spec.n_batches,
        n_eval_sparsity_variance_batches=spec.n_batches,
        compute_kl=True,
        compute_ce_loss=True,
        compute_sparsity_metrics=True,
        compute_variance_metrics=True,
        compute_featurewise_density_statistics=True,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        metrics, feature_metrics = run_evals(
            sae=sae,
            activation_store=store,
            model=model,
            activation_scaler=ActivationScaler(),
            eval_config=cfg,
            # The byte model has no special tokens to exclude.
            exclude_special_tokens=False,
        )
    _, ev_total = explained_variances(model, sae, dataset, context_size, spec)
    density = torch.tensor(feature_metrics["feature_density"])
    perf = metrics["model_performance_preservation"]
    rq = metrics["reconstruction_quality"]
    return SaeEval(
        explained_variance=float(rq["explained_variance"]),
        explained_variance_total=ev_total,
        mse=float(rq["mse"]),
        l0=float(metrics["sparsity"]["l0"]),
        dead_fraction=float((density == 0).float().mean()),
        kl_score=float(metrics["model_behavior_preservation"]["kl_div_score"]),
        ce_loss_score=float(perf["ce_loss_score"]),
        ce_loss_clean=float(perf["ce_loss_without_sae"]),
        ce_loss_with_sae=float(perf["ce_loss_with_sae"]),
        ce_loss_zero_ablation=float(perf["ce_loss_with_ablation"]),
        tokens=spec.n_batches * spec.batch_size_prompts * context_size,
    )


@torch.no_grad()
def explained_variances(model: Any, sae: Any, dataset: Any, context_size: int,
                        spec: EvalSpec) -> tuple[float, float]:
    """(sae-lens's explained variance, the programme's) on the tokens ``run_evals`` scores.

    ``run_evals`` draws ``n_batches`` batches for KL/CE first, then ``n_batches`` for the
    variance metrics, from a fresh store reading the split in order; this pass skips the first
    ``n_batches`` the same way so both definitions describe the same held-out tokens.
    """
    from sae_lens.evals import ExplainedVarianceCalculator

    from .variance import TotalVarianceExplained

    store = eval_store(model, sae, dataset, context_size, spec)
    for _ in range(spec.n_batches):
        store.get_batch_tokens(spec.batch_size_prompts)
    lens, total = ExplainedVarianceCalculator(), TotalVarianceExplained()
    for _ in range(spec.n_batches):
        tokens = store.get_batch_tokens(spec.batch_size_prompts)
        x = store.get_activations(tokens)
        x = x.reshape(-1, x.shape[-1]).to(sae.device)
        x_hat = sae.decode(sae.encode(x))
        lens.add_batch(sae_output=x_hat, hidden_acts=x)
        total.add_batch(x_hat, x)
    return float(lens.compute()), total.compute()

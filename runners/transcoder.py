"""Transcoders (MLP input → MLP output), trained from sae-lens's multi-hook activation store.

sae-lens 6 ships transcoder classes for inference but no transcoder trainer, so this is the one
training loop we write ourselves. Its data comes from ``ActivationsStore.from_config_multi_hook``,
which captures both hooks in one forward pass and shuffles them with one shared permutation, so
row i of the input batch and row i of the output batch are the same token. The result is saved
with ``Transcoder.save_model`` and loads back with ``SAE.load_from_disk``.

Two sparsity mechanisms, the same for the transcoder and its comparison SAE (an SAE on the MLP
output), so that the two differ in what they read and not in how sparse they are:

- ``topk`` (default): the k largest latents per token (``runners.topk_transcoder``), loss =
  squared error summed over dimensions, as sae-lens's TopK SAE (without its AuxK dead-latent
  term); both arms then have L0 ≤ k, equal in practice.
- ``standard``: ReLU with sae-lens's standard-SAE loss, squared error plus an L1 penalty on
  activations weighted by decoder row norms. The L0 each arm settles at depends on what it reads,
  so the arms may end up unmatched (in the demo: SAE L0 ≈ 6, transcoder L0 ≈ 15).
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import torch

from .config import DataSpec, EvalSpec, SaeSpec
from .sae_training import is_complete, promote_seed_dirs, seed_dir


def mlp_hooks(layer: int) -> tuple[str, str]:
    return f"blocks.{layer}.ln2.hook_normalized", f"blocks.{layer}.hook_mlp_out"


def multi_hook_store(model: Any, dataset: Any, hooks: tuple[str, ...], data: DataSpec,
                     total_tokens: int, batch_tokens: int, batch_prompts: int = 8) -> Any:
    from sae_lens.training.activations_store import ActivationsStore

    d = int(model.cfg.d_model)
    hooks = tuple(dict.fromkeys(hooks))  # an SAE reads and writes the same hook
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return ActivationsStore.from_config_multi_hook(
            model=model,
            dataset=dataset,
            hook_names=list(hooks),
            hook_d_ins={h: d for h in hooks},
            streaming=False,
            context_size=data.context_size,
            n_batches_in_buffer=8,
            total_training_tokens=total_tokens,
            store_batch_size_prompts=batch_prompts,
            train_batch_size_tokens=batch_tokens,
            prepend_bos=False,
            sequence_separator_token=None,
        )


def _new_transcoder(d_in: int, d_out: int, d_sae: int, hooks: tuple[str, str], model_name: str,
                    context_size: int, seed: int, device: str = "cpu",
                    k: int | None = None) -> Any:
    """A ReLU transcoder, or a TopK one keeping ``k`` latents per token when ``k`` is given."""
    from sae_lens.saes import Transcoder, TranscoderConfig
    from sae_lens.saes.sae import SAEMetadata

    from .topk_transcoder import TopKTranscoder, TopKTranscoderConfig, ensure_registered

    torch.manual_seed(seed)
    common: dict[str, Any] = dict(
        d_in=d_in, d_sae=d_sae, d_out=d_out, apply_b_dec_to_input=False, device=device,
        metadata=SAEMetadata(
            hook_name=hooks[0], hook_name_out=hooks[1], model_name=model_name,
            context_size=context_size, prepend_bos=False, seed=seed,
        ),
    )
    if k is None:
        tc = Transcoder(TranscoderConfig(**common))
    else:
        ensure_registered()
        tc = TopKTranscoder(TopKTranscoderConfig(**common, k=k))
    with torch.no_grad():
        # Same heuristic as sae-lens's TrainingSAEConfig.decoder_init_norm: small unit-ish rows.
        tc.W_dec.data = 0.1 * tc.W_dec.data / tc.W_dec.data.norm(dim=1, keepdim=True)
        if d_in == d_out:
            tc.W_enc.data = tc.W_dec.data.T.clone().contiguous()
    return tc


def _loss(tc: Any, x: torch.Tensor, y: torch.Tensor, l1: float) -> torch.Tensor:
    f = tc.encode(x)
    y_hat = tc.decode(f)
    mse = (y_hat - y).pow(2).sum(dim=-1).mean()
    if l1 == 0.0:  # TopK: sparsity is the activation's job
        return mse  # type: ignore[no-any-return]
    sparsity = (f * tc.W_dec.norm(dim=1)).sum(dim=-1).mean()
    loss: torch.Tensor = mse + l1 * sparsity
    return loss


def train_transcoders(
    model: Any, model_name: str, dataset: Any, spec: SaeSpec, data: DataSpec, layer: int,
    lr: float, root: Path, device: str, architecture: str = "topk",
) -> dict[int, Path]:
    """Train one transcoder per seed, in lockstep on one aligned activation stream.

    ``architecture``: ``topk`` (k = ``spec.k``, no L1) or ``standard`` (ReLU + ``spec.l1``).
    """
    k = spec.k if architecture == "topk" else None
    l1 = 0.0 if architecture == "topk" else spec.l1_coefficient
    if architecture == "topk" and k is None:
        raise ValueError("a TopK transcoder needs sae.k")
    hooks = mlp_hooks(layer)
    root.mkdir(parents=True, exist_ok=True)
    todo = [s for s in spec.seeds if not is_complete(seed_dir(root, s))]
    if todo:
        d = int(model.cfg.d_model)
        store = multi_hook_store(model, dataset, hooks, data, spec.training_tokens,
                                 spec.train_batch_size_tokens)
        tcs = {s: _new_transcoder(d, d, spec.d_sae, hooks, model_name, data.context_size, s,
                                  device, k) for s in todo}
        opts = {s: torch.optim.Adam(tc.parameters(), lr=lr) for s, tc in tcs.items()}
        steps = max(1, spec.training_tokens // spec.train_batch_size_tokens)
        warm = max(1, steps // 20)
        torch.manual_seed(data.data_seed)
        loader: Iterator[dict[str, torch.Tensor]] = store.get_multi_hook_data_loader()
        from tqdm.auto import tqdm

        for step in tqdm(range(steps), desc="Training transcoders", unit="step"):
            batch = next(loader)
            x, y = batch[hooks[0]].to(device), batch[hooks[1]].to(device)
            # Warmup, then linear decay to lr/10 (sae-lens's defaults are similar in spirit).
            scale = min(1.0, (step + 1) / warm) * (1.0 - 0.9 * step / steps)
            for s, tc in tcs.items():
                for g in opts[s].param_groups:
                    g["lr"] = lr * scale
                loss = _loss(tc, x, y, l1)
                opts[s].zero_grad(set_to_none=True)
                loss.backward()  # type: ignore[no-untyped-call]
                opts[s].step()
        tmp = Path(tempfile.mkdtemp(prefix=".train-", dir=root))
        try:
            for s, tc in tcs.items():
                tc.save_model(tmp / f"seed{s}")
            promote_seed_dirs(tmp, root, list(tcs))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return {s: seed_dir(root, s) for s in spec.seeds}


@torch.no_grad()
def evaluate_pair_model(
    model: Any, encoder_decoder: Any, dataset: Any, hooks: tuple[str, str], data: DataSpec,
    spec: EvalSpec,
) -> dict[str, float]:
    """EV, MSE and L0 of a map hooks[0] → hooks[1] on held-out tokens (an SAE: both the same).

    Uses sae-lens's ExplainedVarianceCalculator so the definition matches ``run_evals``, and
    records the programme's 1 − var(y − ŷ)/var(y) over all elements as well.
    """
    from sae_lens.evals import ExplainedVarianceCalculator

    from .variance import TotalVarianceExplained

    n_tokens = spec.n_batches * spec.batch_size_prompts * data.context_size
    store = multi_hook_store(model, dataset, hooks, data, n_tokens, n_tokens,
                             batch_prompts=spec.batch_size_prompts)
    evc, total = ExplainedVarianceCalculator(), TotalVarianceExplained()
    sq, l0, n = 0.0, 0.0, 0
    fired: torch.Tensor | None = None
    for _ in range(spec.n_batches):
        tokens = store.get_batch_tokens(spec.batch_size_prompts)
        acts = store.get_multi_hook_activations(tokens)
        x = acts[hooks[0]].reshape(-1, acts[hooks[0]].shape[-1])
        y = acts[hooks[1]].reshape(-1, acts[hooks[1]].shape[-1])
        f = encoder_decoder.encode(x)
        y_hat = encoder_decoder.decode(f)
        evc.add_batch(sae_output=y_hat, hidden_acts=y)
        total.add_batch(y_hat, y)
        sq += float((y - y_hat).pow(2).sum())
        l0 += float((f != 0).sum())
        n += x.shape[0]
        hit = (f != 0).any(dim=0)
        fired = hit if fired is None else fired | hit
    assert fired is not None
    return {"explained_variance": evc.compute(), "explained_variance_total": total.compute(),
            "mse": sq / n, "l0": l0 / n, "tokens": n,
            "dead_fraction": float((~fired).float().mean())}

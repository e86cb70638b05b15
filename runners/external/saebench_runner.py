"""Run SAEBench's core eval on a releasegate checkpoint (optional: needs the saebench extra).

Not exercised in CI: ``sae-bench`` pins numpy<2 and datasets<4, which clash with the core
install, so it lives in its own environment (``pip install "releasegate[saebench]"`` into a
separate venv). The eval loads its model with ``HookedTransformer.from_pretrained_no_processing``
and streams ``dataset`` from the hub, so it needs network or a warm HF cache. Its output files
are ordinary SAEBench results: ingest them with ``releasegate ingest saebench``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._errors import ExternalResultError

INSTALL_HINT = ('SAEBench is not installed. Install it into a separate environment: '
                'python -m venv .venv-saebench && .venv-saebench/bin/pip install '
                '"releasegate[saebench]"')


def run_core_eval(
    checkpoint_dir: str | Path,
    out_dir: str | Path,
    *,
    release: str = "releasegate",
    device: str = "cpu",
    dataset: str = "Skylion007/openwebtext",
    context_size: int = 128,
    n_eval_reconstruction_batches: int = 8,
    n_eval_sparsity_variance_batches: int = 8,
    batch_size_prompts: int = 4,
    dtype: str = "float32",
) -> list[Path]:
    """Load the checkpoint through sae-lens, run SAEBench core, return the result files."""
    try:
        # Heavy and optional: imported only when a run is asked for, never by the package.
        from sae_bench.evals.core.main import (  # type: ignore[import-not-found,unused-ignore]
            multiple_evals,
        )
        from sae_lens import SAE
    except ModuleNotFoundError as e:
        if e.name and e.name.split(".")[0] in ("sae_bench", "sae_lens"):
            raise ExternalResultError(INSTALL_HINT, path=str(checkpoint_dir)) from e
        raise
    ckpt = Path(checkpoint_dir)
    if not ckpt.is_dir():
        raise ExternalResultError("checkpoint directory not found", path=str(ckpt))
    sae: Any = SAE.load_from_disk(str(ckpt), device=device)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    before = set(out.rglob("*.json"))
    multiple_evals(
        selected_saes=[(release, sae)],
        n_eval_reconstruction_batches=n_eval_reconstruction_batches,
        n_eval_sparsity_variance_batches=n_eval_sparsity_variance_batches,
        eval_batch_size_prompts=batch_size_prompts,
        dataset=dataset,
        context_size=context_size,
        output_folder=str(out),
        dtype=dtype,
        device=device,
        force_rerun=True,
    )
    return sorted(set(out.rglob("*.json")) - before)

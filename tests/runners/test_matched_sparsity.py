"""Issue 14 on a real tiny run: the transcoder arms are matched on sparsity (TopK, same k), and
sae_run evidence carries both definitions of explained variance, each equal to numpy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from .conftest import Trained

pytestmark = pytest.mark.slow


def _doc(trained: Trained, stem: str) -> dict[str, Any]:
    (path,) = {p for ps in trained.evidence.values() for p in ps if p.name.startswith(stem + "-")}
    return json.loads(path.read_text())  # type: ignore[no-any-return]


def test_transcoder_and_sae_arms_are_topk_with_the_same_k(trained: Trained) -> None:
    from sae_lens import SAE

    k = trained.cfg.sae.k
    m = _doc(trained, "transcoder_stress")["metrics"]
    assert (m["architecture"], m["k"]) == ("topk", k)
    sae_l0 = [s["value"] for s in m["sae"]["l0"]]
    tc_l0 = [s["value"] for s in m["transcoder"]["l0"]]
    assert len(sae_l0) == len(tc_l0) == 3 and max(sae_l0 + tc_l0) <= k
    a, b = np.mean(sae_l0), np.mean(tc_l0)
    rel = abs(a - b) / max(a, b)
    sp = m["sparsity"]
    assert sp["sae_l0_mean"] == pytest.approx(a) and sp["transcoder_l0_mean"] == pytest.approx(b)
    assert sp["relative_l0_difference"] == pytest.approx(rel)
    assert sp["tolerance"] == 0.1 and rel <= 0.1 and sp["matched"] is True

    # The saved transcoder really keeps at most k latents per token (checked on the weights).
    ctx = trained.ctx
    tc = SAE.load_from_disk(str(ctx.sae_dirs("transcoder")[0]))
    assert type(tc).__name__ == "TopKTranscoder" and tc.cfg.k == k
    ds, _ = ctx.dataset("val")
    tokens = torch.tensor(np.array(ds["input_ids"][:4]))
    hin = "blocks.0.ln2.hook_normalized"
    with torch.no_grad():
        _, cache = ctx.lm().model.run_with_cache(tokens, names_filter=[hin])
        x = cache[hin].reshape(-1, 128).double().numpy()
    pre = x @ tc.W_enc.detach().double().numpy() + tc.b_enc.detach().double().numpy()
    top = np.sort(pre, axis=1)[:, -k:]  # TopK then ReLU, in numpy
    l0_numpy = (top > 0).sum(axis=1).mean()
    assert l0_numpy <= k
    assert l0_numpy == pytest.approx(tc_l0[0], rel=0.05)


def test_sae_run_carries_both_explained_variances_equal_to_numpy(trained: Trained) -> None:
    from runners.sae_training import load_sae

    m = _doc(trained, "sae_run-trained-seed0")["metrics"]
    ev = trained.cfg.eval
    from runners.context import resolve_recorded

    ck = resolve_recorded(m["checkpoint_path"], trained.out / "evidence")
    sae = load_sae(ck.parent)
    ds, _ = trained.ctx.dataset("val")
    # run_evals scores batches n..2n−1 of the held-out split for the variance metrics.
    lo, hi = ev.n_batches * ev.batch_size_prompts, 2 * ev.n_batches * ev.batch_size_prompts
    tokens = torch.tensor(np.array(ds["input_ids"][lo:hi]))
    hook = m["hook_point"]
    with torch.no_grad():
        _, cache = trained.ctx.lm().model.run_with_cache(tokens, names_filter=[hook])
        xt = cache[hook].reshape(-1, m["d_model"])
        x_hat = sae.decode(sae.encode(xt)).double().numpy()
    x = xt.double().numpy()
    total = 1.0 - np.var(x - x_hat) / np.var(x)
    lens = 1.0 - ((x - x_hat) ** 2).sum(axis=1).mean() / x.var(axis=0).sum()
    assert m["explained_variance"] == pytest.approx(lens, rel=1e-3)
    assert m["explained_variance_total"] == pytest.approx(total, rel=1e-3)


def test_standard_arms_are_relu_and_record_whether_they_matched(tmp_path: Path) -> None:
    # transcoder.architecture: standard keeps the old ReLU + L1 arms; their L0s are whatever
    # training gives, so the evidence must say whether they matched (tiny budget: 2 seeds).
    from sae_lens import SAE

    import runners
    from evidence_schema import validate_file

    from .conftest import FIXTURE_CONFIG

    raw = {**FIXTURE_CONFIG, "transcoder": {"layer": 0, "architecture": "standard"},
           "sae": {**FIXTURE_CONFIG["sae"], "d_sae": 64, "training_tokens": 8192,
                   "seeds": [0, 1]}}
    cfg = runners.RunnerConfig.model_validate(raw)
    (path,) = runners.run("transcoder", cfg, tmp_path, quiet=True)
    assert validate_file(path).ok
    m = json.loads(path.read_text())["metrics"]
    assert (m["architecture"], m["k"]) == ("standard", None)
    sae_l0 = [s["value"] for s in m["sae"]["l0"]]
    tc_l0 = [s["value"] for s in m["transcoder"]["l0"]]
    a, b = np.mean(sae_l0), np.mean(tc_l0)
    rel = abs(a - b) / max(a, b)
    assert m["sparsity"]["relative_l0_difference"] == pytest.approx(rel)
    assert m["sparsity"]["matched"] is bool(rel <= 0.1)
    ctx = runners.make_context(cfg, tmp_path, quiet=True)
    tc = SAE.load_from_disk(str(ctx.sae_dirs("transcoder")[0]))
    sae = SAE.load_from_disk(str(ctx.sae_dirs("mlp_sae")[0]))
    assert type(tc).__name__ == "Transcoder" and sae.cfg.architecture() == "standard"

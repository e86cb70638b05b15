"""Train the shipped tiny byte-level LM on the standard library's Python source.

    python -m runners.train_tiny_lm [--minutes 4.5] [--out runners/assets]

Why it exists: the random-model control compares SAEs trained on a real model with SAEs trained
on a randomly re-initialised copy. Offline, with no hub, a "real" model has to be trained here;
this one reaches about 1.4 nats/byte (uniform prediction is ln 256 ≈ 5.55) in 4-5 minutes on two
CPU cores. It writes the fp16 safetensors checkpoint, the transformer-lens config JSON and its own
``lm_training`` evidence (loss curve, final validation loss vs ln 256) beside it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time
from pathlib import Path

import numpy as np
import torch

from evidence_schema import (
    InputRef,
    LmTrainingEvidence,
    LmTrainingMetrics,
    LossPoint,
    Producer,
    make_provenance,
    now_utc,
    sha256_file,
    write_evidence,
    write_json_atomic,
)

from .data import iter_batches, load_corpus, to_sequences
from .models import (
    ASSETS,
    TINY_LM_NAME,
    build_model,
    save_checkpoint,
    tiny_lm_config_dict,
)

REPO = Path(__file__).resolve().parent.parent


def _rel(p: Path) -> str:
    try:
        return p.resolve().relative_to(REPO).as_posix()
    except ValueError:
        return str(p)


@torch.no_grad()
def _val_loss(model: torch.nn.Module, val: np.ndarray, batch: int = 64) -> float:
    model.eval()
    losses = []
    for i in range(0, len(val), batch):
        x = torch.from_numpy(val[i : i + batch])
        losses.append(float(model(x, return_type="loss")) * len(x))
    model.train()
    return sum(losses) / len(val)


def train(minutes: float, out: Path, seed: int, batch_size: int, lr: float,
          max_steps: int, val_rows: int) -> Path:
    torch.manual_seed(seed)
    torch.set_num_threads(os.cpu_count() or 1)
    cfg = tiny_lm_config_dict()
    n_ctx = cfg["n_ctx"]
    train_c = load_corpus("stdlib_python", "train")
    val_c = load_corpus("stdlib_python", "val")
    train_seqs = to_sequences(train_c.data, n_ctx)
    val_seqs = to_sequences(val_c.data, n_ctx)
    # A fixed, evenly spaced subset keeps each validation pass to a second or two.
    val_seqs = val_seqs[np.linspace(0, len(val_seqs) - 1, val_rows).astype(int)]

    model = build_model(cfg)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01, betas=(0.9, 0.95))
    budget_s = minutes * 60.0
    warmup = 50
    curve: list[LossPoint] = []
    batches = iter_batches(train_seqs, batch_size, seed)
    start = time.monotonic()
    step = 0
    ema = None
    while step < max_steps:
        elapsed = time.monotonic() - start
        if elapsed > budget_s:
            break
        # Warmup then cosine decay over the *time* budget: the step count depends on the machine.
        frac = min(1.0, elapsed / budget_s)
        scale = min(1.0, (step + 1) / warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr * scale
        x = torch.from_numpy(next(batches))
        loss = model(x, return_type="loss")
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        lv = float(loss.detach())
        ema = lv if ema is None else 0.95 * ema + 0.05 * lv
        if step % 100 == 0:
            v = _val_loss(model, val_seqs)
            curve.append(LossPoint(step=step, train_loss=ema, val_loss=v))
            print(f"step {step:5d}  {elapsed:6.1f}s  train {ema:.3f}  val {v:.3f}", flush=True)
        step += 1
    final_val = _val_loss(model, val_seqs)
    assert ema is not None
    curve.append(LossPoint(step=step, train_loss=ema, val_loss=final_val))
    print(f"final step {step}  val {final_val:.4f} nats/byte (uniform {math.log(256):.4f})")

    out.mkdir(parents=True, exist_ok=True)
    ckpt = out / "tiny_lm.safetensors"
    save_checkpoint(model, ckpt)
    cfg_path = out / "tiny_lm_config.json"
    write_json_atomic(cfg_path, cfg)
    run_cfg = {
        "model": cfg, "seed": seed, "batch_size": batch_size, "lr": lr, "minutes": minutes,
        "max_steps": max_steps, "val_rows": val_rows, "corpus": "stdlib_python",
    }
    ev = LmTrainingEvidence(
        created_at=now_utc(),
        producer=Producer(name="runners.train_tiny_lm", version="1"),
        provenance=make_provenance(run_cfg, [seed], "cpu",
                                   libraries=("torch", "transformer_lens", "numpy")),
        inputs=[
            InputRef(path=train_c.source, sha256=train_c.sha256, role="corpus_train"),
            InputRef(path=val_c.source, sha256=val_c.sha256, role="corpus_val"),
        ],
        metrics=LmTrainingMetrics(
            model_name=TINY_LM_NAME, n_layers=cfg["n_layers"], d_model=cfg["d_model"],
            n_heads=cfg["n_heads"], d_vocab=cfg["d_vocab"], n_ctx=n_ctx,
            corpus="CPython standard library .py source (runners.data stdlib_python)",
            training_tokens=step * batch_size * n_ctx, loss_curve=curve,
            final_val_loss=final_val, uniform_loss=math.log(cfg["d_vocab"]),
            checkpoint_path=_rel(ckpt), checkpoint_sha256=sha256_file(ckpt),
        ),
    )
    ev_path = out / "tiny_lm_training.json"
    write_evidence(ev_path, ev)
    print(json.dumps({"checkpoint": str(ckpt), "evidence": str(ev_path)}))
    return ev_path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--minutes", type=float, default=4.5, help="wall-clock training budget")
    p.add_argument("--out", type=Path, default=ASSETS)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--max-steps", type=int, default=100_000)
    p.add_argument("--val-rows", type=int, default=512)
    a = p.parse_args(argv)
    train(a.minutes, a.out, a.seed, a.batch_size, a.lr, a.max_steps, a.val_rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

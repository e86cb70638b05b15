"""Writing evidence: the envelope (producer, provenance, inputs) and skip-if-valid idempotency."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evidence_schema import (
    InputRef,
    Producer,
    Sample,
    make_provenance,
    now_utc,
    validate_file,
    write_evidence,
)

from .context import RunContext

PRODUCER_VERSION = "1"
LIBRARIES = ("torch", "sae_lens", "transformer_lens", "numpy")


def provenance_config(ctx: RunContext, runner: str) -> dict[str, Any]:
    return {"runner": runner, **ctx.cfg.as_dict()}


def is_current(path: Path, config: dict[str, Any]) -> bool:
    """True if ``path`` is valid evidence produced from exactly ``config``."""
    if not path.is_file():
        return False
    if not validate_file(path).ok:
        return False
    from evidence_schema import config_sha256

    doc = json.loads(path.read_text(encoding="utf-8"))
    return bool(doc.get("provenance", {}).get("config_sha256") == config_sha256(config))


def envelope(ctx: RunContext, runner: str, inputs: list[dict[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    refs = []
    for ref in inputs:
        if ref and ref["path"] + ref["sha256"] not in seen:
            seen.add(ref["path"] + ref["sha256"])
            refs.append(InputRef(**ref))
    return {
        "created_at": now_utc(),
        "producer": Producer(name=f"runners.{runner}", version=PRODUCER_VERSION),
        "provenance": make_provenance(provenance_config(ctx, runner), list(ctx.cfg.sae.seeds),
                                      ctx.device, libraries=LIBRARIES),
        "inputs": refs,
    }


def produce(ctx: RunContext, runner: str, path: Path, build: Callable[[], Any]) -> Path:
    """Write ``build()`` to ``path`` unless current evidence from this config is already there."""
    if is_current(path, provenance_config(ctx, runner)):
        ctx.log(f"kept {path} (valid evidence for this config)")
        return path
    write_evidence(path, build())
    ctx.log(f"wrote {path}")
    return path


def per_seed(values: dict[int, float]) -> list[Sample]:
    return [Sample(seeds=[s], value=float(v)) for s, v in sorted(values.items())]


def per_pair(pairs: list[tuple[tuple[int, int], float]]) -> list[Sample]:
    return [Sample(seeds=[a, b], value=float(v)) for (a, b), v in pairs]

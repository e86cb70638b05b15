"""Shared test helpers: build evidence sets from the repository's own generator, mutate them."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# The examples' created_at; evaluating "as of" a fixed time keeps staleness checks reproducible.
NOW = datetime(2026, 11, 26, tzinfo=UTC)
POLICY = REPO / "policy" / "husai-release" / "v1.yaml"


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "generate_examples", REPO / "examples" / "generate_examples.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate_examples", mod)
    spec.loader.exec_module(mod)
    return mod


def build_passing(out: Path) -> Path:
    _generator().build(out, cebench_centre=1.5)
    return out


def mutate(path: Path, fn: Callable[[dict[str, Any]], None]) -> None:
    doc = json.loads(path.read_text())
    fn(doc)
    path.write_text(json.dumps(doc, indent=2))


def set_samples(doc: dict[str, Any], pointer: str, values: list[float]) -> None:
    """Replace the values of the sample list at ``pointer`` (keeps the seeds)."""
    cur: Any = doc
    for tok in pointer.strip("/").split("/"):
        cur = cur[tok]
    assert len(cur) == len(values)
    for sample, v in zip(cur, values, strict=True):
        sample["value"] = v


def set_deltas(doc: dict[str, Any], values: list[float]) -> None:
    """Give an external_benchmark file these per-seed deltas, consistently: the candidate moves
    (candidate = baseline + delta), since a stored delta is recomputed at validation."""
    m = doc["metrics"]
    base = {s["seeds"][0]: s["value"] for s in m["baseline"]}
    set_samples(doc, "/metrics/deltas", values)
    for c, d in zip(m["candidate"], m["deltas"], strict=True):
        c["value"] = base[c["seeds"][0]] + d["value"]
        d["value"] = c["value"] - base[c["seeds"][0]]

"""Running one condition, and reading its evidence back as per-seed rows.

``run_condition`` is what every executor calls (in-process, in a spawned worker, or as a Ray
task), so it takes and returns only plain picklable values. A condition is finished when its
``condition.json`` marker exists, written atomically after the runner returned and naming every
evidence file with its sha256; a condition whose marker is missing or whose files changed is run
again (the runners themselves keep evidence that is still current, so that rerun is cheap).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from evidence_schema import sha256_file, validate_file, write_json_atomic

from ._expand import Condition

MARKER = "condition.json"
Status = Literal["done", "skipped", "failed"]


class ConditionResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    condition_id: str
    status: Status
    seconds: float  # wall time of the runner call (0 for skipped)
    evidence: list[str] = []  # absolute paths
    rows: list[dict[str, Any]] = []  # {"seed": int, "metrics": {...}, "evidence": path}
    error: str = ""
    attempts: int = 1


def marker_path(cond: Condition, root: Path) -> Path:
    return cond.out_dir(root) / MARKER


def finished(cond: Condition, root: Path) -> ConditionResult | None:
    """The recorded result of a finished condition whose evidence is unchanged, else None."""
    path = marker_path(cond, root)
    if not path.is_file():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("config_sha256") != cond.config_sha256:
            return None
        for ref in doc["evidence"]:
            if sha256_file(ref["path"]) != ref["sha256"]:
                return None
    except (OSError, ValueError, KeyError, TypeError):
        return None  # unreadable or hand-edited marker: run the condition again
    evidence = [str(r["path"]) for r in doc["evidence"]]
    return ConditionResult(condition_id=cond.id, status="skipped", seconds=0.0,
                           evidence=evidence, rows=rows_from_evidence(evidence))


def run_condition(cond: Condition, root: Path, device: str = "cpu",
                  quiet: bool = True) -> ConditionResult:
    """Run the condition's runner (raising on failure) and record the marker."""
    import runners
    from runners.config import RunnerConfig

    done = finished(cond, root)
    if done is not None:
        return done
    out = cond.out_dir(root)
    cfg = RunnerConfig.model_validate(cond.config)
    t0 = time.perf_counter()
    paths = runners.run(cond.runner, cfg, out, device=device, quiet=quiet)
    seconds = time.perf_counter() - t0
    evidence = [str(Path(p).resolve()) for p in paths]
    write_json_atomic(marker_path(cond, root), {
        "condition_id": cond.id, "runner": cond.runner, "axes": cond.axes,
        "config_sha256": cond.config_sha256, "seconds": round(seconds, 3),
        "evidence": [{"path": p, "sha256": sha256_file(p)} for p in evidence],
    })
    return ConditionResult(condition_id=cond.id, status="done", seconds=seconds,
                           evidence=evidence, rows=rows_from_evidence(evidence))


# --- evidence → rows ------------------------------------------------------------------------

_ARM = re.compile(r"^sae_run-(?P<arm>[a-z_]+)-seed\d+-")
_SCALARS = ("explained_variance", "mse", "l0", "dead_fraction", "kl_score", "ce_loss_score",
            "feature_recovery_mcc")


def _sample_lists(node: Any, name: str) -> list[tuple[str, list[dict[str, Any]]]]:
    if isinstance(node, dict):
        out = []
        for k, v in node.items():
            out += _sample_lists(v, f"{name}.{k}" if name else k)
        return out
    if isinstance(node, list) and node and all(
        isinstance(s, dict) and set(s) == {"seeds", "value"} for s in node
    ):
        return [(name, node)]
    return []


def rows_from_evidence(paths: list[str]) -> list[dict[str, Any]]:
    """One row per seed: the metrics of every evidence file of one condition.

    ``sae_run`` scalars are used as they are (prefixed with the arm unless it is the trained
    model's); every per-seed list of other kinds is used by its dotted name, and a per-pair
    list (PWMCC) gives each seed the mean over the pairs it is in, so each row stays one seed.
    """
    by_seed: dict[int, dict[str, float]] = {}
    source: dict[int, str] = {}
    for p in paths:
        res = validate_file(p)
        if not res.ok:
            raise ValueError(f"{p}: evidence written by the runner does not validate")
        doc = json.loads(Path(p).read_text(encoding="utf-8"))
        kind = doc["kind"]
        m = doc["metrics"]
        if kind == "sae_run":
            match = _ARM.match(Path(p).name)
            arm = match.group("arm") if match else "trained"
            prefix = "" if arm == "trained" else f"{arm}."
            seed = int(m["seed"])
            row = by_seed.setdefault(seed, {})
            for key in _SCALARS:
                if m.get(key) is not None:
                    row[prefix + key] = float(m[key])
            if arm == "trained":
                source[seed] = p
            continue
        prefix = "" if kind == "consistency" else f"{kind}."
        for name, samples in _sample_lists(m, ""):
            key = prefix + ("pwmcc" if (kind, name) == ("consistency", "trained")
                            else "pwmcc_random" if (kind, name) == ("consistency",
                                                                      "random_baseline")
                            else name)
            acc: dict[int, list[float]] = {}
            for s in samples:
                for seed in s["seeds"]:
                    acc.setdefault(int(seed), []).append(float(s["value"]))
            for seed, vals in acc.items():
                by_seed.setdefault(seed, {})[key] = sum(vals) / len(vals)
                source.setdefault(seed, p)
    return [{"seed": s, "metrics": by_seed[s], "evidence": source.get(s)}
            for s in sorted(by_seed)]

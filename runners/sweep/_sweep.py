"""A sweep end to end: expand, run through an executor, write the sweep table and aggregates."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_schema import (
    InputRef,
    Producer,
    SweepAggregateEvidence,
    SweepAggregateMetrics,
    SweepEvidence,
    SweepMetrics,
    SweepRow,
    config_sha256,
    make_provenance,
    now_utc,
    sha256_file,
    validate_file,
    write_evidence,
    write_json_atomic,
)

from ..context import display_path, recorded_path
from ._aggregate import BOUND_METHOD, by_axis, frontier
from ._condition import ConditionResult
from ._executors import Executor
from ._expand import Condition, expand
from ._progress import Progress
from ._spec import SweepSpec

PRODUCER_VERSION = "1"
STATUS_FILE = "sweep-status.json"
LIBRARIES = ("torch", "sae_lens", "transformer_lens", "numpy")


@dataclass
class SweepOutcome:
    conditions: list[Condition]
    results: list[ConditionResult]
    sweep_evidence: Path | None = None
    aggregate_evidence: Path | None = None
    status_file: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[tuple[Condition, ConditionResult]]:
        return [(c, r) for c, r in zip(self.conditions, self.results, strict=True)
                if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed


def sweep_config(spec: SweepSpec, base: dict[str, Any]) -> dict[str, Any]:
    return {"sweep": spec.model_dump(mode="json", exclude={"base", "base_config"}),
            "base": base}


def _seeds(conditions: list[Condition]) -> list[int]:
    return sorted({int(s) for c in conditions for s in c.config["sae"]["seeds"]})


def _is_current(path: Path, cfg_sha: str, inputs: list[InputRef]) -> bool:
    """Same sweep config and exactly the same condition evidence: keep the file as it is."""
    if not path.is_file() or not validate_file(path).ok:
        return False
    doc = json.loads(path.read_text(encoding="utf-8"))
    want = sorted((i.path, i.sha256) for i in inputs)
    have = sorted((i["path"], i["sha256"]) for i in doc.get("inputs", []))
    return bool(doc["provenance"]["config_sha256"] == cfg_sha and want == have)


def run_sweep(spec: SweepSpec, base: dict[str, Any], out: Path, executor: Executor,
              device: str = "cpu", quiet: bool = False, source: str = "<sweep>",
              progress: Progress | None = None) -> SweepOutcome:
    out = Path(out)
    conditions = expand(spec, base, source)
    progress = progress or Progress(total=len(conditions), quiet=quiet)
    results = executor.run(conditions, out, progress)
    outcome = SweepOutcome(conditions=conditions, results=results)
    outcome.status_file = out / STATUS_FILE
    write_json_atomic(outcome.status_file, {
        "sweep": spec.name, "executor": executor.name, "total": len(conditions),
        "counts": progress.counts(),
        "conditions": [{"id": c.id, "axes": c.axes, "status": r.status,
                        "seconds": round(r.seconds, 3), "attempts": r.attempts,
                        "error": r.error, "out": display_path(c.out_dir(out))}
                       for c, r in zip(conditions, results, strict=True)],
    })
    if not outcome.ok:
        # A sweep table with missing cells would be evidence of a grid that was not run; the
        # deep checks would fail it anyway. Write none, keep the status file as the report.
        outcome.notes.append("no sweep evidence written: some conditions failed")
        return outcome
    outcome.sweep_evidence, outcome.aggregate_evidence = write_sweep_evidence(
        spec, base, out, conditions, results, device)
    return outcome


def write_sweep_evidence(spec: SweepSpec, base: dict[str, Any], out: Path,
                         conditions: list[Condition], results: list[ConditionResult],
                         device: str) -> tuple[Path, Path]:
    cfg = sweep_config(spec, base)
    cfg_sha = config_sha256(cfg)
    stem = f"{spec.name}-{cfg_sha[:12]}"
    rows: list[SweepRow] = []
    inputs: list[InputRef] = []
    evidence_dir = out / "evidence"  # recorded paths are relative to it (issue 10)
    plain_rows: list[dict[str, Any]] = []
    for c, r in zip(conditions, results, strict=True):
        for p in r.evidence:
            inputs.append(InputRef(path=recorded_path(p, evidence_dir), sha256=sha256_file(p),
                                   role=f"condition:{c.id}"))
        for row in r.rows:
            cond = {**c.axes, "condition_id": c.id}
            ev = recorded_path(row["evidence"], evidence_dir) if row["evidence"] else None
            rows.append(SweepRow(condition=cond, seed=row["seed"], metrics=row["metrics"],
                                 evidence=ev))
            plain_rows.append({"condition": cond, "seed": row["seed"],
                               "metrics": row["metrics"]})
    if not rows:
        raise ValueError(f"sweep {spec.name}: the runners wrote no per-seed metrics")
    seeds = _seeds(conditions)
    envelope = {
        "created_at": now_utc(),
        "producer": Producer(name="runners.sweep", version=PRODUCER_VERSION),
        "provenance": make_provenance(cfg, seeds, device, libraries=LIBRARIES),
    }
    sweep_path = out / "evidence" / f"sweep-{stem}.json"
    if not _is_current(sweep_path, cfg_sha, inputs):
        write_evidence(sweep_path, SweepEvidence(
            **envelope, inputs=inputs, metrics=SweepMetrics(axes=spec.axes, rows=rows)))
    agg_inputs = [InputRef(path=recorded_path(sweep_path, evidence_dir),
                           sha256=sha256_file(sweep_path),
                           role="sweep")]
    agg_path = out / "evidence" / f"sweep_aggregate-{stem}.json"
    if not _is_current(agg_path, cfg_sha, agg_inputs):
        write_evidence(agg_path, SweepAggregateEvidence(
            **envelope, inputs=agg_inputs,
            metrics=SweepAggregateMetrics(
                sweep_evidence=recorded_path(sweep_path, evidence_dir),
                sweep_sha256=agg_inputs[0].sha256,
                axes=spec.axes, confidence=spec.confidence, bound_method=BOUND_METHOD,
                by_axis=by_axis(plain_rows, spec.axes, spec.aggregate, spec.confidence),
                frontier=(frontier(plain_rows, spec.axes, spec.frontier, spec.confidence)
                          if spec.frontier else None),
            )))
    return sweep_path, agg_path

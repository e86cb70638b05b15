"""Parsed results (candidate per seed, baseline) → one ``external_benchmark`` evidence file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_schema import (
    BenchmarkRef,
    ExternalBenchmarkEvidence,
    ExternalBenchmarkMetrics,
    InputRef,
    Producer,
    Sample,
    make_provenance,
    now_utc,
    write_evidence,
)
from evidence_schema._provenance import dist_version

from ._constants import PRODUCER_INGEST, evidence_filename
from ._errors import ExternalResultError
from ._matching import check_matched, common_row_budget
from ._results import BenchResult

# Each definition leads with the metric the deltas are computed on, never with a name that could
# pass for another metric ("CE-Bench interpretability" over contrastive_score_mean deltas).
DEFINITIONS = {
    "saebench_reference": (
        "SAEBench {metric} (eval type {eval_type}): candidate {metric} minus the model's own "
        "probe ({ref}) in the same result file (same probe rows), per seed"),
    "saebench_baseline": (
        "SAEBench {metric} (eval type {eval_type}): candidate {metric} minus the matched "
        "baseline SAE's {metric} (same eval_config model, data and rows), per seed"),
    "cebench": (
        "CE-Bench {metric} (eval type {eval_type}): candidate {metric} minus the matched "
        "baseline SAE's {metric} on the same contrastive dataset and row budget, per seed"),
}


@dataclass(frozen=True)
class Written:
    path: Path
    sha256: str
    evidence: ExternalBenchmarkEvidence


def build_evidence(
    candidates: Sequence[tuple[int, BenchResult]],
    baselines: Sequence[BenchResult],
    *,
    candidate_id: str,
    baseline_id: str | None = None,
    benchmark_version: str | None = None,
    config: dict[str, Any] | None = None,
) -> ExternalBenchmarkEvidence:
    """Per-seed candidate results and their baseline(s) → validated evidence.

    ``baselines``: empty to use the reference measured inside each candidate file (SAEBench
    sparse probing: the LLM probe); one file, compared with every seed (a public baseline is
    evaluated once); or one per candidate, paired in order.
    """
    if not candidates:
        raise ExternalResultError("no candidate result files")
    first = candidates[0][1]
    seeds = [s for s, _ in candidates]
    if len(set(seeds)) != len(seeds):
        dup = sorted({s for s in seeds if seeds.count(s) > 1})
        raise ExternalResultError(f"seed(s) {dup} given to more than one candidate file",
                                  path=first.path)
    # One run under two seeds: the same bytes, or the same content re-serialised (another
    # indent or key order gives another byte sha256; review rt10 §5).
    for attr, what in (("sha256", "the same sha256"),
                       ("content_sha256", "the same content (canonical JSON sha256)")):
        by_sha: dict[str, list[int]] = {}
        for s, r in candidates:
            if getattr(r, attr) is not None:
                by_sha.setdefault(getattr(r, attr), []).append(s)
        for sha, same in by_sha.items():
            if len(same) > 1:
                paths = sorted({r.path for s, r in candidates if s in same})
                raise ExternalResultError(
                    f"seeds {same} are one run: their result files have {what} "
                    f"({sha[:12]}…: {', '.join(paths)}); each seed needs its own run",
                    path=paths[0])
    for _, r in candidates[1:]:
        if (r.benchmark, r.eval_type, r.metric) != (first.benchmark, first.eval_type,
                                                    first.metric):
            raise ExternalResultError(
                f"mixes {r.eval_type} {r.metric} with {first.eval_type} {first.metric} "
                f"({first.path}); ingest one eval type and metric at a time", path=r.path)
    rows = common_row_budget([r for _, r in candidates], "candidate")

    if not baselines:
        if first.reference_value is None:
            raise ExternalResultError(
                f"{first.benchmark} {first.eval_type} has no baseline inside the result file; "
                "pass the matched baseline's result file(s) with --baseline", path=first.path)
        pairs = [(s, r, r.reference_value) for s, r in candidates]
        base_rows = rows
        template = DEFINITIONS["saebench_reference"]
        baseline_id = baseline_id or f"{first.match_key.get('model_name') or 'model'}:own-probe"
    else:
        if len(baselines) not in (1, len(candidates)):
            raise ExternalResultError(
                f"{len(baselines)} baseline files for {len(candidates)} candidate files: give "
                "one baseline (used for every seed) or one per candidate file, in the same order",
                path=baselines[0].path)
        for _, r in candidates:
            for b in baselines:
                check_matched(r, b)
        base_rows = common_row_budget(baselines, "baseline")
        paired = list(baselines) if len(baselines) == len(candidates) else [baselines[0]] * len(
            candidates)
        pairs = [(s, r, b.value) for (s, r), b in zip(candidates, paired, strict=True)]
        template = DEFINITIONS["cebench" if first.benchmark == "cebench" else "saebench_baseline"]
        ids = sorted({b.subject_id for b in baselines})
        baseline_id = baseline_id or ",".join(ids)

    assert all(v is not None for _, _, v in pairs)
    definition = template.format(eval_type=first.eval_type, metric=first.metric,
                                 ref=first.reference_metric)
    versions = sorted({r.version for _, r in candidates if r.version})
    version = benchmark_version or (",".join(versions) if versions else "unrecorded")
    devices = sorted({r.device for _, r in candidates if r.device})
    cfg = {
        "benchmark": first.benchmark,
        "eval_type": first.eval_type,
        "metric": first.metric,
        "candidate_id": candidate_id,
        "candidates": [{"seed": s, "path": r.path, "subject": r.subject_id}
                       for s, r in candidates],
        "baselines": [{"path": b.path, "subject": b.subject_id} for b in baselines],
        "match_key": first.match_key if baselines else None,
        "benchmark_python_package": dist_version("sae-bench") if first.benchmark == "saebench"
        else None,
        **(config or {}),
    }
    inputs = [InputRef(path=r.path, sha256=r.sha256, role=f"candidate seed {s}", seed=s,
                       content_sha256=r.content_sha256) for s, r in candidates]
    inputs += [InputRef(path=b.path, sha256=b.sha256, role="baseline",
                        content_sha256=b.content_sha256) for b in baselines]
    return ExternalBenchmarkEvidence(
        created_at=now_utc(),
        producer=Producer(name=f"{PRODUCER_INGEST}.{first.benchmark}",
                          version=dist_version("releasegate") or "0+unknown"),
        provenance=make_provenance(cfg, sorted(seeds), ",".join(devices) or "unrecorded"),
        inputs=inputs,
        metrics=ExternalBenchmarkMetrics(
            benchmark=BenchmarkRef(name=first.benchmark, version=version,
                                   eval_type=first.eval_type),
            metric=first.metric,
            delta_definition=definition,
            candidate_id=candidate_id,
            baseline_id=baseline_id,
            row_budget=rows,
            baseline_row_budget=base_rows,
            candidate=[Sample(seeds=[s], value=r.value) for s, r, _ in pairs],
            baseline=[Sample(seeds=[s], value=float(b)) for s, _, b in pairs if b is not None],
            deltas=[Sample(seeds=[s], value=r.value - float(b))
                    for s, r, b in pairs if b is not None],
        ),
    )


def write_external_evidence(out_dir: str | Path, evidence: ExternalBenchmarkEvidence) -> Written:
    """Write ``evidence`` as ``external_{benchmark}_{candidate}.json`` under ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    m = evidence.metrics
    path = out / evidence_filename(m.benchmark.name, m.candidate_id)
    sha = write_evidence(path, evidence)
    return Written(path=path, sha256=sha, evidence=evidence)

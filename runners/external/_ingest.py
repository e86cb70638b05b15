"""The ingest pipeline: result files → parsed results → evidence → written file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._build import Written, build_evidence, write_external_evidence
from ._cebench import load_cebench_result
from ._constants import Benchmark
from ._errors import ExternalResultError
from ._results import BenchResult, seed_from_path
from ._saebench import load_saebench_result


def resolve_seeds(paths: Sequence[str | Path], seeds: Sequence[int] | None) -> list[int]:
    """Seeds given explicitly (one per file, in order), or read from each file's path."""
    if seeds:
        if len(seeds) != len(paths):
            raise ExternalResultError(
                f"{len(seeds)} seed(s) for {len(paths)} candidate file(s); give one per file")
        return list(seeds)
    out = []
    for p in paths:
        s = seed_from_path(p)
        if s is None:
            raise ExternalResultError(
                "no seed in the file name or its folders (e.g. 'seed3/…' or '…_seed3.json'); "
                "name the files so, or pass --seeds", path=str(p))
        out.append(s)
    return out


def _portable(r: BenchResult, out_dir: str | Path) -> BenchResult:
    """``r`` with its path relative to ``out_dir``, where the evidence naming it is written:
    never an absolute path of this machine (issue 10 §5)."""
    import os

    try:
        rel = Path(os.path.relpath(Path(r.path).resolve(), Path(out_dir).resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        rel = Path(r.path).resolve().as_posix()
    return r.model_copy(update={"path": rel})


def ingest(
    benchmark: Benchmark,
    candidate_paths: Sequence[str | Path],
    *,
    candidate_id: str,
    out_dir: str | Path,
    baseline_paths: Sequence[str | Path] = (),
    seeds: Sequence[int] | None = None,
    baseline_id: str | None = None,
    metric: str | None = None,
    eval_type: str | None = None,
    benchmark_version: str | None = None,
    validate_schema: bool = True,
) -> Written:
    """Ingest one candidate's per-seed result files of one benchmark into evidence."""
    seed_list = resolve_seeds(candidate_paths, seeds)

    def load(path: str | Path) -> BenchResult:
        if benchmark == "saebench":
            return load_saebench_result(path, eval_type=eval_type, metric=metric,
                                        validate_schema=validate_schema)
        if eval_type not in (None, "interpretability"):
            raise ExternalResultError(
                f"CE-Bench has one eval type, 'interpretability', not {eval_type!r}",
                path=str(path))
        return load_cebench_result(path, metric=metric or "interpretability_score_mean")

    candidates = [(s, load(p)) for s, p in zip(seed_list, candidate_paths, strict=True)]
    baselines = [load(p) for p in baseline_paths]

    def build(cands: list[tuple[int, BenchResult]], bases: list[BenchResult]) -> Any:
        return build_evidence(
            cands, bases, candidate_id=candidate_id, baseline_id=baseline_id,
            benchmark_version=benchmark_version,
            config={"validate_schema": validate_schema} if benchmark == "saebench" else None,
        )

    # Built once with the paths as given, so that a refusal names the files as the user typed
    # them; then recorded with paths relative to where the evidence is written.
    build(candidates, baselines)
    evidence = build([(s, _portable(r, out_dir)) for s, r in candidates],
                     [_portable(b, out_dir) for b in baselines])
    return write_external_evidence(out_dir, evidence)

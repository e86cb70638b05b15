"""External benchmarks (SAEBench, CE-Bench): ingest their result files as ``external_benchmark``
evidence, and select a candidate across seeds by the lower confidence bound of its deltas.

Importing this package is cheap: no torch, sae-lens or sae-bench (the optional SAEBench runner
imports them inside its function).
"""

from ._build import Written, build_evidence, write_external_evidence
from ._cebench import CEBENCH_METRICS, CEBenchResultFile, load_cebench_result
from ._constants import BENCHMARKS, SELECTION_FILENAME, Benchmark, evidence_filename
from ._errors import ExternalResultError, SelectionError, UnmatchedBaselineError
from ._ingest import ingest, resolve_seeds
from ._matching import check_matched, common_row_budget
from ._results import BenchResult, read_result_json, seed_from_path
from ._saebench import (
    EVAL_TYPES,
    METRICS,
    SAEBENCH_SCHEMA_VERSION,
    load_saebench_result,
    schema_problems,
)
from ._selection import (
    SelectionOutcome,
    load_external_evidence,
    run_selection,
    select_candidates,
)

__all__ = [
    "BENCHMARKS",
    "CEBENCH_METRICS",
    "EVAL_TYPES",
    "METRICS",
    "SAEBENCH_SCHEMA_VERSION",
    "SELECTION_FILENAME",
    "BenchResult",
    "Benchmark",
    "CEBenchResultFile",
    "ExternalResultError",
    "SelectionError",
    "SelectionOutcome",
    "UnmatchedBaselineError",
    "Written",
    "build_evidence",
    "check_matched",
    "common_row_budget",
    "evidence_filename",
    "ingest",
    "load_cebench_result",
    "load_external_evidence",
    "load_saebench_result",
    "read_result_json",
    "resolve_seeds",
    "run_selection",
    "schema_problems",
    "seed_from_path",
    "select_candidates",
    "write_external_evidence",
]

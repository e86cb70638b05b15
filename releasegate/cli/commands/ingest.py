"""``releasegate ingest saebench|cebench FILES...``: benchmark result files → evidence (issue 6).

One call ingests one candidate's per-seed result files of one benchmark and eval type. Seeds come
from ``--seeds`` (one per file, in order) or from the file paths (``seed3/…``, ``…_seed3.json``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .._exit import ExitCode, UsageError

EXAMPLES = """
releasegate ingest saebench s0/probe.json s1/probe.json s2/probe.json --candidate-id topk --out ev/
releasegate ingest cebench c_seed0.json c_seed1.json --candidate-id topk --baseline b.json --out ev/
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("benchmark", choices=["saebench", "cebench"],
                   help="which benchmark wrote the files: saebench or cebench")
    p.add_argument("files", nargs="+", type=Path,
                   help="the candidate's result files, one per seed")
    p.add_argument("--candidate-id", required=True,
                   help="the condition these SAEs were trained under (groups seeds in `select`)")
    p.add_argument("--out", required=True, type=Path, metavar="DIR",
                   help="output directory: the evidence file is written into it")
    p.add_argument("--baseline", nargs="+", type=Path, default=[], metavar="FILE",
                   help="matched baseline result file(s): one for every seed, or one per "
                   "candidate file in order. Required for cebench and for SAEBench eval types "
                   "other than sparse probing (whose baseline is the model's own probe)")
    p.add_argument("--baseline-id", help="name of the baseline (default: from the file)")
    p.add_argument("--seeds", nargs="+", type=int, metavar="N",
                   help="seed of each candidate file, in order (default: from the file names)")
    p.add_argument("--eval-type", help="refuse files of another eval type (saebench: e.g. "
                   "sparse_probing, core, scr, tpp, absorption_first_letter)")
    p.add_argument("--metric", help="headline metric (default per eval type; saebench core: "
                   "model_performance_preservation.ce_loss_score, cebench: "
                   "interpretability_score_mean)")
    p.add_argument("--benchmark-version", help="benchmark version or commit to record "
                   "(default: the sae_bench_commit_hash in the files; CE-Bench records none)")
    p.add_argument("--no-schema", action="store_true",
                   help="skip validation against SAEBench's shipped output schemas")


def run(args: argparse.Namespace) -> int:
    missing = [str(f) for f in [*args.files, *args.baseline] if not f.is_file()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    if args.seeds and len(args.seeds) != len(args.files):
        raise UsageError(f"--seeds has {len(args.seeds)} value(s) for {len(args.files)} file(s)")
    if args.no_schema and args.benchmark != "saebench":
        raise UsageError("--no-schema applies to saebench only (CE-Bench ships no schema)")
    from runners.external import ExternalResultError, ingest

    try:
        written = ingest(
            args.benchmark, args.files, candidate_id=args.candidate_id, out_dir=args.out,
            baseline_paths=args.baseline, seeds=args.seeds, baseline_id=args.baseline_id,
            metric=args.metric, eval_type=args.eval_type,
            benchmark_version=args.benchmark_version, validate_schema=not args.no_schema,
        )
    except ExternalResultError as e:
        print(f"releasegate ingest: {e}", file=sys.stderr)
        return ExitCode.FAILED
    m = written.evidence.metrics
    deltas = ", ".join(f"seed {d.seeds[0]}: {d.value:+.4g}" for d in m.deltas)
    print(f"wrote {written.path} ({m.benchmark.name} eval type {m.benchmark.eval_type}, "
          f"metric {m.metric}, {m.candidate_id} vs {m.baseline_id}; deltas {deltas})")
    return ExitCode.OK

"""``releasegate sweep FILE.yaml``: run a grid of runner conditions and collect sweep evidence.

Exit 0 when every condition completed (now or in an earlier run), 1 when any failed (each is
named, with its error), 2 for an unusable sweep file or options.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .._exit import ExitCode, UsageError

EXAMPLES = """
releasegate sweep examples/sweeps/scaling_tiny.yaml --dry-run    # list conditions, run nothing
releasegate sweep examples/sweeps/scaling_tiny.yaml --workers 2
releasegate sweep examples/sweeps/architecture_frontier.yaml --executor ray --device cuda
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="sweep file (YAML), see examples/sweeps/")
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="output directory: one subdirectory per condition and the sweep "
                   "evidence (default out/sweeps/<sweep name>)")
    p.add_argument("--executor", choices=["local", "ray"], default="local",
                   help="local: in this process or a process pool (default); ray: one Ray "
                   "task per condition, with retries (needs the sweep extra)")
    p.add_argument("--workers", type=int, default=1,
                   help="local: parallel worker processes (default 1: sequential, in-process)")
    p.add_argument("--gpus", type=int, default=0,
                   help="local with --device cuda: GPUs to spread workers over (one each)")
    p.add_argument("--ray-address", default=None,
                   help="ray: address of an existing cluster (default: start a local one)")
    p.add_argument("--retries", type=int, default=2, help="ray: retries per failed condition")
    p.add_argument("--device", choices=["cpu", "cuda", "auto"], default="cpu",
                   help="where to train: cpu (default), cuda, or auto (cuda when there is one)")
    p.add_argument("--dry-run", action="store_true",
                   help="list the conditions and their output directories; run nothing")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress lines")


def run(args: argparse.Namespace) -> int:
    from runners.sweep import SweepError, expand, load_sweep, make_executor, run_sweep

    if not args.file.is_file():
        raise UsageError(f"sweep file not found: {args.file}")
    if args.workers < 1:
        raise UsageError(f"--workers must be at least 1, got {args.workers}")
    if args.retries < 0:
        raise UsageError(f"--retries must be at least 0, got {args.retries}")
    if args.executor == "ray" and args.workers != 1:
        raise UsageError("--workers is for the local executor; Ray schedules by resources")
    try:
        spec, base = load_sweep(args.file)
        conditions = expand(spec, base, str(args.file))
    except SweepError as e:
        raise UsageError(str(e)) from e
    out = args.out or Path("out") / "sweeps" / spec.name
    if args.dry_run:
        for c in conditions:
            print(f"{c.id}\t{c.label()}\t{c.out_dir(out)}")
        return ExitCode.OK
    device = args.device
    if device == "auto":
        import runners

        device = runners.resolve_device("auto")
    executor = make_executor(args.executor, workers=args.workers, device=device,
                             gpus=args.gpus, max_retries=args.retries,
                             address=args.ray_address)
    try:
        outcome = run_sweep(spec, base, out, executor, device=device, quiet=args.quiet,
                            source=str(args.file))
    except RuntimeError as e:
        if "pip install" in str(e):  # the Ray install hint
            raise UsageError(str(e)) from e
        raise
    for c, r in outcome.failed:
        print(f"FAILED {c.id} ({c.label()}) after {r.attempts} attempt(s): {r.error}",
              file=sys.stderr)
    for note in outcome.notes:
        print(note, file=sys.stderr)
    done = sum(r.status != "failed" for r in outcome.results)
    print(f"{done}/{len(outcome.results)} conditions complete; status: {outcome.status_file}",
          file=sys.stderr)
    for p in (outcome.sweep_evidence, outcome.aggregate_evidence):
        if p is not None:
            print(p)
    return ExitCode.OK if outcome.ok else ExitCode.FAILED

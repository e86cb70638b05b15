"""``releasegate select --evidence DIR --min-seeds N --out DIR``: pick the candidate whose
external deltas have the best lower confidence bounds, and write its evidence for the gate.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .._exit import ExitCode, UsageError

EXAMPLES = """
releasegate select --evidence ev/external --out ev/selected
releasegate select --evidence ev/external --min-seeds 5 --confidence 0.9 --out ev/selected
releasegate select --evidence ev/external --confirm-seeds 5 6 7 --out ev/selected
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--evidence", required=True, type=Path,
                   help="directory of external_benchmark evidence (from `releasegate ingest`)")
    p.add_argument("--min-seeds", type=int, default=3,
                   help="seeds each candidate needs on every benchmark (default 3, the policy's)")
    p.add_argument("--confidence", type=float, default=0.95,
                   help="confidence level of the lower bound (default 0.95, the policy's)")
    p.add_argument("--confirm-seeds", type=int, nargs="+", default=None, metavar="SEED",
                   help="held-out seeds: candidates are ranked on the other seeds and the "
                   "gate reads these only (default: the larger half of the seeds)")
    p.add_argument("--out", required=True, type=Path, metavar="DIR",
                   help="output directory: external_selection.json and the selected "
                   "candidate's evidence go into it; must not be the --evidence directory")


def run(args: argparse.Namespace) -> int:
    if not args.evidence.is_dir():
        raise UsageError(f"evidence directory not found: {args.evidence}")
    if args.min_seeds < 2:
        raise UsageError("--min-seeds must be at least 2 (a confidence bound needs 2 seeds)")
    if not 0.0 < args.confidence < 1.0:
        raise UsageError("--confidence must be between 0 and 1, e.g. 0.95")
    from runners.external import SelectionError, run_selection

    try:
        outcome = run_selection(args.evidence, args.out, min_seeds=args.min_seeds,
                                confidence=args.confidence,
                                confirmation_seeds=args.confirm_seeds)
    except SelectionError as e:
        print(f"releasegate select: {e}", file=sys.stderr)
        return ExitCode.FAILED
    for row in outcome.evidence.metrics.rows:
        scores = ", ".join(
            f"{s.benchmark} lcb {'n/a' if s.lcb is None else f'{s.lcb:+.4g}'} "
            f"({len(s.seeds)} seeds)" for s in row.scores)
        flag = "*" if row.candidate_id == outcome.selected else ("p" if row.pareto else " ")
        why = f" — {row.reason}" if row.reason else ""
        print(f"{flag} {row.candidate_id}: {scores}{why}")
    m = outcome.evidence.metrics
    if m.split is not None:
        print(f"ranked on seeds {m.split.selection_seeds}; the gate confirms on seeds "
              f"{m.split.confirmation_seeds}")
    print(f"wrote {outcome.path}" + "".join(f", {p}" for p in outcome.written))
    if m.confirmation_note:
        print(f"not confirmable: {m.confirmation_note}", file=sys.stderr)
        return ExitCode.FAILED
    if outcome.selected is None:
        print("no candidate is eligible", file=sys.stderr)
        return ExitCode.FAILED
    print(f"selected {outcome.selected}")
    return ExitCode.OK

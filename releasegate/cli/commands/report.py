"""``releasegate report --decision FILE --out DIR``: a static HTML page people can read."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .._exit import ExitCode, UsageError

EXAMPLES = """
releasegate report --decision decision.json --out site/
releasegate report --decision decision.json --out site/ --evidence out/sweeps/   # plot sweeps too
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--decision", type=Path, required=True, help="decision JSON from `check`")
    p.add_argument("--out", type=Path, required=True, metavar="DIR",
                   help="output directory: index.html and plots/ go into it")
    p.add_argument("--evidence", type=Path, default=None,
                   help="also plot sweeps found here (recursed); the decision's own evidence "
                   "is always used")
    p.add_argument("--base", type=Path, default=None,
                   help="directory the decision's relative paths start from (default: the "
                   "decision's own directory, or the cwd for decisions written before "
                   "paths_relative_to)")


def run(args: argparse.Namespace) -> int:
    from releasegate.report import DecisionRefused, build_report

    if not args.decision.is_file():
        raise UsageError(f"no such decision file: {args.decision}")
    if args.evidence is not None and not args.evidence.is_dir():
        raise UsageError(f"no such evidence directory: {args.evidence}")
    try:
        index = build_report(args.decision, args.out, args.evidence, args.base)
    except DecisionRefused as e:  # re-evaluation contradicts it: a failed check, not usage
        print(f"report refused: {len(e.differences)} difference(s):", file=sys.stderr)
        for line in e.differences:
            print(f"  {line}", file=sys.stderr)
        return ExitCode.FAILED
    except ValueError as e:
        raise UsageError(str(e)) from None
    print(index, file=sys.stdout)
    return ExitCode.OK

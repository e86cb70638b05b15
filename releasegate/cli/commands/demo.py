"""``releasegate demo``: train tiny SAEs on the CPU, fill evidence, check the policy, report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .._exit import ExitCode, UsageError

EXAMPLES = """
releasegate demo --out demo-out/
releasegate demo --tokens 4096 --quiet    # faster, less converged
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, default=Path("out/demo"), metavar="DIR",
                   help="output directory: evidence/, the decision, the report and its "
                   "audit go under it (default out/demo)")
    p.add_argument("--tokens", type=int, default=None,
                   help="SAE training tokens per seed (smaller = faster, less converged)")
    p.add_argument("--device", choices=["cpu", "cuda", "auto"], default="cpu",
                   help="where to train: cpu (default), cuda, or auto (cuda when there is one)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bars or logs")


def run(args: argparse.Namespace) -> int:
    if args.tokens is not None and args.tokens < 1024:
        raise UsageError(f"--tokens must be at least 1024 (one training batch), got {args.tokens}")
    from releasegate.demo import run_demo
    from runners import ConfigError

    try:
        r = run_demo(args.out, training_tokens=args.tokens, quiet=args.quiet, device=args.device)
    except ConfigError as e:
        raise UsageError(str(e)) from e
    w = sys.stdout.write
    w(f"evidence:  {r.out / 'evidence'} ({len(r.evidence)} files)\n")
    w(f"decision:  {r.decision_path}\n")
    w(f"report:    {r.report_path}\n")
    if r.audit_path is not None:
        w(f"audit:     {r.audit_path} ({'clean' if r.audit_success else 'findings'})\n")
    w(f"verdict:   {r.verdict.upper()}\n")
    for name, status, reason in r.not_passing:
        w(f"  {status:8s} {name}: {reason}\n")
    if r.verdict != "pass":
        w("The demo completed; its verdict is not pass for the gates listed above (the "
          "external gate cannot have evidence offline).\n")
    w(f"took {r.seconds:.0f}s\n")
    return ExitCode.OK

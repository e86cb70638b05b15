"""``releasegate ci``: validate → check → audit with GitHub annotations and a job summary."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

EXAMPLES = """
releasegate ci --evidence evidence/ --reports "docs/report.md docs/results.md"
releasegate ci --evidence examples/failing --decision /tmp/d.json --junit /tmp/gates.xml
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--evidence", type=Path, required=True,
                   help="evidence directory (recursed for .json files)")
    p.add_argument("--policy", type=Path, default=None,
                   help="gate policy YAML (default: the policy shipped with releasegate)")
    p.add_argument("--reports", default="",
                   help="markdown reports to audit, space-separated (empty: no audit)")
    p.add_argument("--decision", type=Path, default=Path("releasegate-decision.json"),
                   metavar="FILE",
                   help="file to write the decision JSON to (default "
                   "releasegate-decision.json)")
    p.add_argument("--junit", type=Path, default=None,
                   metavar="FILE",
                   help="also write JUnit XML (one test case per gate) to this file")
    p.add_argument("--strict-audit", action="store_true", help="audit warnings fail the job too")
    p.add_argument("--allow-waivers", action="store_true",
                   help="pass when every required gate passes or is validly waived (verdict "
                   "waived); without it a waived release fails the job")
    p.add_argument("--deep", action="store_true",
                   help="also run the Great Expectations table checks (needs the gx extra)")
    p.add_argument("--render", action="append", default=[], metavar="TEMPLATE:REPORT",
                   help="fail when REPORT differs from a fresh `releasegate render TEMPLATE` "
                   "(repeatable)")


def _pair(spec: str) -> tuple[str, str]:
    from .._exit import UsageError

    template, sep, report = spec.rpartition(":")
    if not sep or not template or not report:
        raise UsageError(f"--render wants TEMPLATE:REPORT (e.g. docs/report.md.j2:docs/"
                         f"report.md), got {spec!r}")
    return template, report


def run(args: argparse.Namespace) -> int:
    from releasegate.ci import CiOptions, run_ci

    return run_ci(CiOptions(
        evidence=args.evidence, policy=args.policy, reports=tuple(shlex.split(args.reports)),
        decision=args.decision, junit=args.junit, strict_audit=args.strict_audit,
        allow_waivers=args.allow_waivers,
        deep=args.deep, renders=tuple(_pair(s) for s in args.render),
    ))

"""``releasegate render TEMPLATE --out REPORT | --check REPORT``: reports from evidence.

Exit 0: written, or the committed report is up to date. 1: ``--check`` found drift (a unified
diff is printed) or the report is missing, or the decision is refused: re-evaluating it
(``releasegate verify``, as audit and report do) does not reproduce it (every difference is
printed; nothing is written), or, under ``--strict``, it cannot be re-evaluated (a warning
without ``--strict``). 2: the template cannot be rendered (syntax error,
undefined name, sandbox refusal or resource limit, out of memory, missing file or pointer,
invalid evidence) or bad options.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .._exit import ExitCode, UsageError

EXAMPLES = """
releasegate render report.md.j2 --out report.md  # decision.json at the repository root
releasegate render examples/report.md.j2 --decision examples/decision.json --out /tmp/r.md
releasegate render report.md.j2 --check report.md  # exit 1 with a diff when it drifted
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("template", type=Path, help="Jinja2 markdown template (e.g. report.md.j2)")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--out", type=Path, metavar="FILE",
                      help="markdown file to write the rendered report to (atomically)")
    mode.add_argument("--check", type=Path, metavar="REPORT",
                      help="re-render and fail (exit 1, unified diff) if REPORT differs")
    p.add_argument("--decision", type=Path, default=None,
                   help="gate decision for gate()/verdict() (default: decision.json or "
                        ".releasegate/decision.json in --repo)")
    p.add_argument("--repo", type=Path, default=Path("."),
                   help="repository root; templates read files inside it only (default: .)")
    p.add_argument("--strict", action="store_true",
                   help="a decision that cannot be re-evaluated (policy, evidence absent) is an "
                        "error (exit 1), not a warning")


def run(args: argparse.Namespace) -> int:
    from releasegate.render import (
        DecisionRefused,
        RenderError,
        check_report,
        trust_decision,
        write_report,
    )

    if not args.repo.is_dir():
        raise UsageError(f"--repo {args.repo} is not a directory")
    if not args.template.is_file():
        raise UsageError(f"template {args.template} does not exist")
    try:
        trusted = trust_decision(args.repo, args.decision, strict=args.strict)
    except DecisionRefused as e:  # a forged or stale decision must not render as green
        for problem in e.problems:
            print(f"error: {problem}", file=sys.stderr)
        print("error: not rendered: the decision is refused", file=sys.stderr)
        return int(ExitCode.FAILED)
    for warning in trusted.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    try:
        if args.out is not None:
            write_report(args.template, args.out, args.repo, args.decision)
            print(f"wrote {args.out} from {args.template}")
            return int(ExitCode.OK)
        result = check_report(args.template, args.check, args.repo, args.decision)
    except RenderError as e:
        where = f"{args.template}:{e.line}" if e.line else str(args.template)
        print(f"{where}: error: {e.message}", file=sys.stderr)
        return int(ExitCode.USAGE)
    except MemoryError:
        # outside the template itself (a huge evidence file, the diff of a huge report): the
        # input is too big, not a bug
        print(f"{args.template}: error: out of memory while rendering or comparing the report",
              file=sys.stderr)
        return int(ExitCode.USAGE)
    if result.diff:
        sys.stdout.write(result.diff)
    print(result.message, file=sys.stderr if not result.ok else sys.stdout)
    return int(ExitCode.OK if result.ok else ExitCode.FAILED)

"""``releasegate validate PATH...``: the pre-commit entry point for evidence files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from evidence_schema import ValidationReport, validate_paths

from .._exit import ExitCode, UsageError


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", type=Path, help="evidence files or directories (recursed)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--quiet", "-q", action="store_true", help="print problems only")


def render_text(report: ValidationReport, quiet: bool) -> str:
    lines = [str(p) for p in report.problems]
    if not quiet:
        bad = sum(1 for r in report.results if not r.ok)
        lines.append(f"{len(report.results)} file(s) checked, {bad} invalid")
    return "\n".join(lines)


def render_json(report: ValidationReport) -> str:
    return json.dumps(
        {
            "success": report.success,
            "files": [
                {
                    "path": r.path,
                    "kind": r.kind,
                    "sha256": r.sha256,
                    "valid": r.ok,
                    "problems": [
                        {"line": p.line, "pointer": p.pointer, "message": p.message}
                        for p in r.problems
                    ],
                }
                for r in report.results
            ],
        },
        indent=2,
    )


def run(args: argparse.Namespace) -> int:
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    report = validate_paths(args.paths)
    if not report.results:
        raise UsageError("no .json files found under the given paths")
    out = render_json(report) if args.format == "json" else render_text(report, args.quiet)
    if out:
        print(out, file=sys.stdout)
    return ExitCode.OK if report.success else ExitCode.FAILED

"""``releasegate validate PATH...``: the pre-commit entry point for evidence files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evidence_schema import ValidationReport
    from evidence_schema.tabular import DeepReport

from .._exit import ExitCode, UsageError
from .._jobs import add_jobs_option, jobs_from

EXAMPLES = """
releasegate validate examples/evidence
releasegate validate evidence/ --format json       # machine-readable problems
releasegate validate --quiet results/run.json      # print problems only (pre-commit)
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", type=Path, help="evidence files or directories (recursed)")
    p.add_argument("--format", choices=["text", "json"], default="text",
                   help="text: one `path:line: /pointer: message` per problem (default); "
                   "json: every file with its problems, for machines")
    p.add_argument("--quiet", "-q", action="store_true", help="print problems only")
    add_jobs_option(p)
    p.add_argument("--deep", action="store_true",
                   help="also run the Great Expectations table checks (needs the gx extra; "
                   "GX takes seconds to import)")


def render_text(report: ValidationReport, quiet: bool) -> str:
    lines = [str(p) for p in report.problems]
    if not quiet:
        bad = sum(1 for r in report.evidence if not r.ok)
        lines.append(f"{len(report.evidence)} file(s) checked, {bad} invalid")
        if report.skipped:
            lines.append(f"{len(report.skipped)} non-evidence JSON file(s) skipped")
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
                for r in report.evidence
            ],
            # JSON that does not declare the evidence schema (sae-lens cfg.json, eval dumps)
            "skipped": [r.path for r in report.skipped],
        },
        indent=2,
    )


def run(args: argparse.Namespace) -> int:
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    from evidence_schema import validate_paths  # here, not at import: `--help` stays instant

    # the documents are sent back from worker processes only when --deep reads them
    report = validate_paths(args.paths, jobs=jobs_from(args), keep_documents=args.deep)
    if not report.results:
        raise UsageError("no .json files found under the given paths")
    deep = _deep(report) if args.deep else None
    out = render_json(report) if args.format == "json" else render_text(report, args.quiet)
    if deep is not None:
        out = _with_deep(out, deep, args.format, args.quiet)
    if out:
        print(out, file=sys.stdout)
    ok = report.success and (deep is None or deep.success)
    return ExitCode.OK if ok else ExitCode.FAILED


def _deep(report: ValidationReport) -> DeepReport:
    # Imported only under --deep: the suites import great-expectations (seconds), which the
    # pre-commit fast path must never pay for.
    try:
        from evidence_schema.tabular import run_deep_checks

        return run_deep_checks([(r.path, r.data) for r in report.results if r.ok])
    except ModuleNotFoundError as e:
        if e.name and e.name.split(".")[0] in ("great_expectations", "pandas"):
            raise UsageError("--deep needs great-expectations: pip install 'releasegate[gx]'"
                             ) from None
        raise


def _with_deep(out: str, deep: DeepReport, fmt: str, quiet: bool) -> str:
    if fmt == "json":
        doc = json.loads(out)
        doc["deep"] = deep.as_dict()
        doc["success"] = doc["success"] and deep.success
        return json.dumps(doc, indent=2)
    lines = [out] if out else []
    lines += [f"{r.path}: deep: {r.expectation}: {r.message}" for r in deep.failed]
    if not quiet:
        lines.append(f"deep checks ({deep.engine}): {len(deep.results)} expectation(s), "
                     f"{len(deep.failed)} failed")
    return "\n".join(lines)

"""``releasegate schema export|check``: the committed JSON Schemas follow the pydantic models."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .._exit import ExitCode
from .._locate import package_dir

# evidence_schema._export.SCHEMA_DIR, without importing the models to build the parser
SCHEMA_DIR = package_dir("evidence_schema") / "schemas"

EXAMPLES = """
releasegate schema check     # exit 1 when the committed schemas drift from the models
releasegate schema export    # rewrite evidence_schema/schemas/ from the models
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["export", "check"], help="rewrite, or fail on drift")
    p.add_argument("--dir", type=Path, default=SCHEMA_DIR, metavar="DIR",
                   help="schema directory (default: evidence_schema/schemas/)")


def run(args: argparse.Namespace) -> int:
    from evidence_schema import drifted_schemas, export_schemas

    if args.action == "export":
        for path in export_schemas(args.dir):
            print(path)
        return ExitCode.OK
    drift = drifted_schemas(args.dir)
    if drift:
        print(
            f"schemas out of date for: {', '.join(drift)}; run `releasegate schema export`",
            file=sys.stderr,
        )
        return ExitCode.FAILED
    print("schemas match the models")
    return ExitCode.OK

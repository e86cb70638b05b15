"""``releasegate import-gates FILE --out decision.json``: another tool's gate output
(per-gate booleans and ``pass_all``) as a releasegate decision, for ``audit``.

Exit 0 when the decision was written (whatever its verdict), 2 when the input is unusable.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .._exit import ExitCode, UsageError

EXAMPLES = """
releasegate import-gates release_policy.json --out decision.json
releasegate import-gates results/gates.json --out decision.json --tool my_gates --repo .
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="gate output JSON, e.g. release_policy.json")
    p.add_argument("--out", type=Path, required=True, metavar="FILE",
                   help="file to write the decision JSON to")
    p.add_argument("--tool", default=None,
                   help="tool name for the policy name imported:<tool> (default: the script "
                        "named in run_metadata.command, else the file's stem)")
    p.add_argument("--repo", type=Path, default=None,
                   help="record the input's path relative to this repository root")


def run(args: argparse.Namespace) -> int:
    from audit import GateImportError, import_gate_output
    from evidence_schema import write_json_atomic

    record: str | None = None
    if args.repo is not None:
        try:
            record = args.file.resolve().relative_to(args.repo.resolve()).as_posix()
        except ValueError as e:
            raise UsageError(f"{args.file} is not inside --repo {args.repo}") from e
    try:
        decision = import_gate_output(args.file, tool=args.tool, record_path=record)
    except GateImportError as e:
        raise UsageError(str(e)) from e
    doc = json.loads(decision.model_dump_json())
    try:
        write_json_atomic(args.out, doc)
    except OSError as e:
        raise UsageError(f"cannot write {args.out}: {e.strerror or e}") from e
    print(f"wrote {args.out}: verdict {decision.verdict}; {decision.summary}")
    return ExitCode.OK

"""``releasegate verify DECISION``: re-run a decision's evaluation and say whether it reproduces."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .._exit import ExitCode, UsageError

EXAMPLES = """
releasegate verify decision.json                   # 'reproduced' (exit 0) or what differs (1)
releasegate verify demo-out/decision.json --format json
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("decision", type=Path,
                   help="decision JSON written by `releasegate check --out`")
    p.add_argument("--format", choices=["text", "json"], default="text",
                   help="text: `reproduced` or one line per difference (default); json: the "
                   "same for machines")


def run(args: argparse.Namespace) -> int:
    from policy import VerifyError, verify_decision

    try:
        result = verify_decision(args.decision)
    except VerifyError as e:
        raise UsageError(str(e)) from None
    if args.format == "json":
        print(json.dumps(result.to_json(), indent=2))
    else:
        print(result.to_text(), file=sys.stdout)
    return ExitCode.OK if result.reproduced else ExitCode.FAILED

"""``releasegate check``: evaluate a policy over evidence and write a decision."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .._color import add_color_option, use_color
from .._exit import ExitCode, UsageError
from .._locate import package_dir

if TYPE_CHECKING:
    from policy import EvidenceSet, PolicyError

# policy.DEFAULT_POLICY and sorted(policy.RENDERERS), spelled out so that building the parser
# does not import policy (pydantic, PyYAML); tests/cli/test_startup.py checks they agree.
DEFAULT_POLICY = package_dir("policy") / "husai-release" / "v1.yaml"
FORMATS = ("json", "junit", "markdown", "text")


def _aware(text: str) -> datetime:
    try:
        dt = datetime.fromisoformat(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from e
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


EXAMPLES = """
releasegate check --evidence examples/evidence --out decision.json
releasegate check --evidence examples/failing --format markdown
releasegate check --policy policy/husai-release/v1.yaml --evidence ev/ --now 2026-06-01T00:00:00Z
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--policy", type=Path, default=DEFAULT_POLICY,
                   help="policy YAML (default: the shipped husai-release v1)")
    p.add_argument("--evidence", type=Path, default=None,
                   help="evidence directory (recursed); without it every gate is missing")
    p.add_argument("--out", type=Path, default=None, metavar="FILE",
                   help="file to write the decision JSON to (evidence of kind decision)")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="how to print the decision on stdout: text (default), json, "
                   "markdown or junit (one test case per gate)")
    p.add_argument("--waivers", type=Path, default=None, help="extra waiver YAML file")
    p.add_argument("--allow-waivers", action="store_true",
                   help="exit 0 when every required gate passes or is validly waived")
    p.add_argument("--now", type=_aware, default=None,
                   help="evaluate as of this UTC time (reproducible staleness/expiry checks)")
    p.add_argument("--deep", action="store_true",
                   help="also run the Great Expectations table checks and record them in the "
                   "decision; failing evidence becomes unusable (needs the gx extra; slower)")
    add_color_option(p)


def _policy_problems(e: PolicyError) -> str:
    """One ``path:line: message`` line per problem (editors jump to each), then a count."""
    if len(e.problems) == 1:
        return str(e)
    for p in e.problems:
        print(p, file=sys.stderr)
    return f"{len(e.problems)} problems in {e.path or 'the policy'}"


def policy_label(policy: Path | None) -> str:
    """The policy as a person reads it: ``shipped: /abs/path`` for the one shipped with
    releasegate, the path relative to the working directory when it lies under it, else the
    absolute path (never a long ``../../..`` chain). For display only: the decision records
    its paths relative to itself."""
    import os

    if policy is None or policy.resolve() == DEFAULT_POLICY.resolve():
        return f"shipped: {DEFAULT_POLICY.resolve()}"
    rel = os.path.relpath(policy.resolve(), Path.cwd())
    return Path(rel).as_posix() if not rel.startswith("..") else policy.resolve().as_posix()


def run(args: argparse.Namespace) -> int:
    from policy import PolicyError, check, load_evidence, render_decision, shipped_note

    ev: EvidenceSet | None = None
    try:
        if args.evidence is not None and args.evidence.is_dir():
            ev = load_evidence(args.evidence)
        decision = check(args.policy, args.evidence, args.out, waivers_path=args.waivers,
                         now=args.now, deep=args.deep, evidence=ev)
    except PolicyError as e:
        raise UsageError(_policy_problems(e)) from None
    except ModuleNotFoundError as e:
        if args.deep and e.name and e.name.split(".")[0] in ("great_expectations", "pandas"):
            raise UsageError("--deep needs great-expectations: pip install 'releasegate[gx]'"
                             ) from None
        raise
    if ev is not None and ev.skipped:  # stderr: --format json/junit output stays parseable
        print(f"{len(ev.skipped)} non-evidence JSON file(s) skipped", file=sys.stderr)
    colour = args.format == "text" and use_color(args.color)
    shown = decision
    if args.format in ("text", "markdown"):  # json/junit: the decision as recorded
        shown = decision.model_copy(update={"policy": decision.policy.model_copy(
            update={"path": policy_label(args.policy)})})
    print(render_decision(shown, args.format, colour))
    if args.out is not None and args.format == "text":
        print(f"decision written to {args.out}", file=sys.stderr)
    # a policy named like a shipped one but not one of its files: say so (audit says it too)
    posing = shipped_note(decision.policy.name, decision.policy.version, decision.policy.sha256)
    if posing:
        print(f"note: {posing}", file=sys.stderr)
    if decision.verdict == "pass":
        return ExitCode.OK
    if decision.verdict == "waived" and args.allow_waivers:
        return ExitCode.OK
    return ExitCode.FAILED

"""``releasegate audit [PATHS...]``: check every claim of markdown reports (issue 3).

Exit 0: nothing wrong. 1: a mismatch, missing artifact, contradiction, stale claim or unsafe
path (and unbacked claims under --strict). 2: usage error or unreadable input.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from .._color import add_color_option, use_color
from .._exit import ExitCode, UsageError
from .._jobs import add_jobs_option, jobs_from

if TYPE_CHECKING:
    from ..._decision_trust import DecisionTrust

EXAMPLES = """
releasegate audit docs/ --decision decision.json --baseline audit-baseline.json  # new ones fail
releasegate audit reports/ --format sarif > audit.sarif
releasegate audit --explain docs/report.md:42    # why each claim on line 42 got its verdict
"""


# sorted(audit._reporters.REPORTERS), spelled out so that building the parser does not import
# audit (markdown-it, pydantic); tests/cli/test_startup.py checks they agree.
FORMATS = ("github", "json", "markdown", "sarif", "text")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", type=Path,
                   help="markdown reports, or directories searched for *.md (default: --repo)")
    p.add_argument("--decision", type=Path, default=None,
                   help="gate decision JSON (default: decision.json or .releasegate/"
                        "decision.json in the repo)")
    p.add_argument("--repo", type=Path, default=Path("."),
                   help="repository root; cited paths must stay inside it (default: .)")
    p.add_argument("--policy", type=Path, default=None,
                   help="gate policy YAML; only its audit: section is read "
                        "(not_claim_words, gate_groups, unbacked)")
    p.add_argument("--strict", action="store_true",
                   help="unbacked numbers and status claims are errors, not warnings")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="text (default), json, markdown, github (workflow annotations) or "
                   "sarif (code scanning)")
    p.add_argument("--verbose", "-v", action="store_true",
                   help="also list verified claims (text, markdown, github, sarif)")
    p.add_argument("--show", choices=["errors", "warnings", "all"], default="errors",
                   help="text output: list errors only and count warnings per file (default), "
                        "also list warnings, or everything (as --verbose)")
    p.add_argument("--no-decision", action="store_true",
                   help="no gate decision exists yet: status claims that cannot be checked "
                        "(unverifiable) are warnings, not errors")
    p.add_argument("--allow-imported", action="store_true",
                   help="under --strict, accept a decision imported by import-gates (it is "
                        "never re-evaluated by releasegate; a note says so either way)")
    p.add_argument("--baseline", type=Path, default=None, metavar="FILE",
                   help="findings recorded in FILE no longer fail the audit; new ones do")
    p.add_argument("--update-baseline", action="store_true",
                   help="write every current finding to --baseline FILE (atomically) and exit 0")
    p.add_argument("--max-annotations", type=int, default=10, metavar="N",
                   help="github format: at most N annotations per level (GitHub shows 10 per "
                        "step); 0 prints all")
    add_color_option(p)
    add_jobs_option(p)
    p.add_argument("--explain", metavar="FILE:LINE", default=None,
                   help="say why each claim on that line got its verdict")


def _parse_explain(spec: str) -> tuple[Path, int]:
    file, sep, line = spec.rpartition(":")
    if not sep or not file or not line.isdigit() or int(line) < 1:
        raise UsageError(f"--explain wants FILE:LINE (e.g. docs/report.md:42), got {spec!r}")
    return Path(file), int(line)


def _reevaluate(decision: Path | None, repo: Path) -> DecisionTrust:
    """Re-run the evaluation of the decision audit will use (audit itself cannot import
    policy): a decision that does not reproduce is refused, not trusted."""
    from audit import find_decision

    from ..._decision_trust import DecisionTrust, reevaluate

    path = decision if decision is not None else find_decision(repo.resolve())
    if path is None or not path.is_file():
        return DecisionTrust()  # none, or a missing --decision: the Auditor says so
    return reevaluate(path, repo=repo)


def run(args: argparse.Namespace) -> int:
    from audit import (
        DEFAULT_NOT_CLAIM_WORDS,
        AuditInputError,
        AuditOptions,
        Auditor,
        BaselineError,
        PolicyWordsError,
        apply_baseline,
        explain,
        finding_json,
        load_audit_policy,
        load_baseline,
        render,
        write_baseline,
    )

    repo: Path = args.repo
    if not repo.is_dir():
        raise UsageError(f"--repo {repo} is not a directory")
    words = DEFAULT_NOT_CLAIM_WORDS
    strict: bool = args.strict
    groups: dict[str, tuple[str, ...]] | None = None
    gate_names: tuple[str, ...] = ()
    if args.update_baseline and args.baseline is None:
        raise UsageError("--update-baseline needs --baseline FILE (where to write it)")
    if args.max_annotations < 0:
        raise UsageError(f"--max-annotations must be 0 or more, got {args.max_annotations}")
    if args.policy is not None:
        try:
            pol = load_audit_policy(args.policy)
        except PolicyWordsError as e:
            raise UsageError(str(e)) from e
        words = pol.not_claim_words
        groups = pol.gate_groups
        gate_names = pol.gate_names
        # audit.unbacked: error → unbacked claims fail the audit, as under --strict
        strict = strict or pol.unbacked == "error"
    paths: list[Path] = list(args.paths)
    explain_at: tuple[Path, int] | None = None
    if args.explain is not None:
        explain_at = _parse_explain(args.explain)
        paths = [explain_at[0]]
    if not paths:
        paths = [repo]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    trust = _reevaluate(args.decision, repo)
    options = AuditOptions(repo=repo, decision=args.decision, strict=strict,
                           not_claim_words=words, gate_groups=groups, gate_names=gate_names,
                           no_decision=args.no_decision,
                           decision_refused=tuple(trust.refused),
                           decision_errors=tuple(trust.unverified) if strict else (),
                           decision_notes=tuple(trust.notes + ([] if strict else trust.unverified)),
                           allow_imported=args.allow_imported)
    try:
        auditor = Auditor(options)
    except AuditInputError as e:
        raise UsageError(str(e)) from e
    # --format json: the processes of a parallel audit encode their own findings' lines
    result = auditor.audit(paths, jobs=jobs_from(args) if explain_at is None else 1,
                           prerender=finding_json if args.format == "json" else None)
    if explain_at is not None:
        print(explain(result, auditor.display(explain_at[0].resolve()), explain_at[1]))
        return ExitCode.OK if not result.file_errors else ExitCode.USAGE
    if not result.files_audited and not result.file_errors:
        raise UsageError("no markdown reports found under the given paths")
    if args.baseline is not None:
        try:
            entries = load_baseline(args.baseline) if (
                args.baseline.exists() or not args.update_baseline) else {}
        except BaselineError as e:
            raise UsageError(str(e)) from e
        if args.update_baseline:
            n = write_baseline(args.baseline, result, entries)
            print(f"wrote {args.baseline}: {n} finding(s) recorded; later runs with --baseline "
                  "fail only on new ones")
            return ExitCode.OK if not result.file_errors else ExitCode.USAGE
        apply_baseline(result, entries)
    color = use_color(args.color)
    print(render(result, args.format, color=color, verbose=args.verbose, show=args.show,
                 max_annotations=args.max_annotations))
    return result.exit_code()

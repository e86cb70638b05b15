"""Findings as data: every claim check is recorded here, never raised (issue 3).

Reporters render an ``AuditResult``; the exit code is derived from it in one place.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

Verdict = Literal[
    "verified", "mismatch", "unbacked", "missing-artifact", "contradicts-gate", "stale",
    "unsafe-path", "unverifiable", "decision-error",
]
ClaimKind = Literal["artifact", "number", "status"]
Severity = Literal["error", "warning", "note"]

VERDICTS: tuple[Verdict, ...] = (
    "contradicts-gate", "decision-error", "mismatch", "stale", "missing-artifact",
    "unsafe-path", "unverifiable", "unbacked", "verified",
)
# Verdicts that always fail the audit; "unbacked" fails only under --strict, and
# "unverifiable" (a status claim with no decision or gate to check it against) unless the user
# says --no-decision.
ERROR_VERDICTS: frozenset[str] = frozenset(
    {"mismatch", "missing-artifact", "contradicts-gate", "stale", "unsafe-path",
     # a claim of significance / of beating a baseline that the recomputed bound refutes
     "decision-error"}
)


@dataclass(frozen=True)
class Finding:
    """One claim in one report and what the audit concluded about it."""

    file: str
    line: int
    column: int
    claim: str
    kind: ClaimKind
    verdict: Verdict
    message: str
    artifact: str | None = None
    pointer: str | None = None
    artifact_value: float | int | str | None = None
    difference: float | None = None
    explanation: tuple[str, ...] = ()
    # "baseline[: reason]" or "ignored: reason": recorded, shown, but it no longer fails
    suppressed: str | None = None

    def __post_init__(self) -> None:
        # a difference from a value beyond the float range (an integer of 400 digits) is no
        # number JSON or SARIF can hold (red team 13)
        if self.difference is not None and not math.isfinite(self.difference):
            object.__setattr__(self, "difference", None)


@dataclass(frozen=True)
class Skipped:
    """A number or status word that is not a claim, and the rule that says so (for --explain)."""

    file: str
    line: int
    column: int
    text: str
    rule: str


@dataclass(frozen=True)
class FileError:
    """A report that could not be audited at all (unreadable, binary, invalid UTF-8, too big)."""

    file: str
    message: str
    line: int | None = None


@dataclass
class AuditResult:
    strict: bool = False
    decision: str | None = None
    no_decision: bool = False  # --no-decision: unverifiable status claims are warnings
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    file_errors: list[FileError] = field(default_factory=list)
    files_audited: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # problems with the decision itself (refused: not reproduced by re-evaluation; imported or
    # not re-evaluable under --strict): each fails the audit
    decision_errors: list[str] = field(default_factory=list)
    # id(finding) → (that finding, its severity, its json reporter line), written by a parallel
    # audit that was asked to (``Auditor.audit(prerender=)``); the reporter uses an entry only
    # for the very same object at the same severity
    prerendered: dict[int, tuple[Finding, str, str]] = field(
        default_factory=dict, repr=False, compare=False)

    def record_finding(self, finding: Finding) -> None:
        self.findings.append(finding)

    def record_skipped(self, skipped: Skipped) -> None:
        self.skipped.append(skipped)

    def record_file_error(self, error: FileError) -> None:
        self.file_errors.append(error)

    def record_file(self, path: str) -> None:
        self.files_audited.append(path)

    def severity(self, f: Finding) -> Severity:
        if f.suppressed is not None:
            return "note"
        if f.verdict in ERROR_VERDICTS:
            return "error"
        if f.verdict == "unbacked":
            return "error" if self.strict else "warning"
        if f.verdict == "unverifiable":
            # --no-decision excuses status claims only: a statistic that cannot be recomputed
            # stays an error
            return "warning" if self.no_decision and f.kind == "status" else "error"
        return "note"

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if self.severity(f) == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if self.severity(f) == "warning"]

    @property
    def success(self) -> bool:
        return not self.file_errors and not self.errors and not self.decision_errors

    def counts(self) -> dict[str, int]:
        """Findings per verdict; silenced ones (baseline, ignore) are not counted here."""
        c = Counter(f.verdict for f in self.findings if f.suppressed is None)
        return {v: c.get(v, 0) for v in VERDICTS}

    def suppressed_counts(self) -> dict[str, int]:
        """How many findings the baseline and ignore comments silenced."""
        c = Counter("baselined" if (f.suppressed or "").startswith("baseline") else "ignored"
                    for f in self.findings if f.suppressed is not None)
        return {"baselined": c.get("baselined", 0), "ignored": c.get("ignored", 0)}

    def exit_code(self) -> int:
        # An unreadable report means the audit is incomplete: that is an input error (2), and
        # it outranks findings in the files that were read (their findings are still printed).
        if self.file_errors:
            return 2
        return 0 if self.success else 1

    def summary_line(self) -> str:
        counts = self.counts()
        parts = [f"{n} {v}" for v, n in counts.items() if n]
        body = ", ".join(parts) if parts else "no claims found"
        quiet = self.suppressed_counts()
        silenced = [f"{n} {k}" for k, n in quiet.items() if n]
        if silenced:
            body += f" ({', '.join(silenced)}: not counted)"
        errs = f", {len(self.file_errors)} unreadable" if self.file_errors else ""
        if self.decision_errors:
            errs += f", {len(self.decision_errors)} decision error(s)"
        status = "OK" if self.success else "FAILED"
        return (
            f"audit {status}: {len(self.files_audited)} report(s), {len(self.findings)} claim(s): "
            f"{body}{errs}"
        )

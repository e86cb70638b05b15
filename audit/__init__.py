"""releasegate audit: cross-check the claims of markdown reports against artifacts and the
latest gate decision (issue 3), and import other tools' gate output as a decision.

Importing this package is cheap: no CLI, no torch, sae-lens, great-expectations or pandas.
"""

from ._baseline import BaselineError, apply_baseline, load_baseline, write_baseline
from ._decision import DEFAULT_DECISION_PATHS, Decision, DecisionError, find_decision, load_decision
from ._engine import AuditInputError, AuditOptions, Auditor, audit_paths, iter_reports
from ._explain import explain
from ._importer import GateImportError, import_gate_output
from ._notclaims import DEFAULT_NOT_CLAIM_WORDS
from ._policy import AuditPolicy, PolicyWordsError, load_audit_policy, load_not_claim_words
from ._reporters import REPORTERS, Reporter, finding_json, get_reporter, render
from ._result import (
    ERROR_VERDICTS,
    VERDICTS,
    AuditResult,
    FileError,
    Finding,
    Skipped,
    Verdict,
)

__all__ = [
    "DEFAULT_DECISION_PATHS", "DEFAULT_NOT_CLAIM_WORDS", "ERROR_VERDICTS", "REPORTERS", "VERDICTS",
    "AuditInputError", "AuditOptions", "AuditPolicy", "AuditResult", "Auditor", "BaselineError",
    "Decision", "DecisionError", "FileError", "Finding", "GateImportError", "PolicyWordsError",
    "Reporter", "Skipped", "Verdict", "apply_baseline", "audit_paths", "explain", "find_decision",
    "finding_json",
    "get_reporter", "import_gate_output", "iter_reports", "load_audit_policy", "load_baseline",
    "load_decision", "load_not_claim_words", "render", "write_baseline",
]

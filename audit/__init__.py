"""releasegate audit: cross-check the claims of markdown reports against artifacts and the
latest gate decision (issue 3), and import other tools' gate output as a decision.

Importing this package is cheap: no CLI, no torch, sae-lens, great-expectations or pandas.
"""

from ._decision import DEFAULT_DECISION_PATHS, Decision, DecisionError, find_decision, load_decision
from ._engine import AuditInputError, AuditOptions, Auditor, audit_paths, iter_reports
from ._explain import explain
from ._importer import GateImportError, import_gate_output
from ._notclaims import DEFAULT_NOT_CLAIM_WORDS
from ._policy import PolicyWordsError, load_not_claim_words
from ._reporters import REPORTERS, Reporter, get_reporter, render
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
    "DEFAULT_DECISION_PATHS", "DEFAULT_NOT_CLAIM_WORDS", "ERROR_VERDICTS", "REPORTERS",
    "VERDICTS", "AuditInputError", "AuditOptions", "AuditResult", "Auditor", "Decision",
    "DecisionError", "FileError", "Finding", "GateImportError", "PolicyWordsError", "Reporter",
    "Skipped", "Verdict", "audit_paths", "explain", "find_decision", "get_reporter",
    "import_gate_output", "iter_reports", "load_decision", "load_not_claim_words", "render",
]

"""Versioned YAML gate policies and their evaluation into a decision.

Importing this package is cheap: no torch, sae-lens, great-expectations or pandas.
"""

from evidence_schema.stats import one_sample_bounds, t_cdf, t_ppf, welch_bounds

from ._check import (
    check,
    decision_document,
    recorded_policy_path,
    resolve_recorded_policy,
    write_decision,
)
from ._errors import PolicyError
from ._evaluate import evaluate_policy, resolve_pointer, verdict_of
from ._evidence_set import EvidenceFile, EvidenceSet, display_path, load_evidence
from ._loader import DEFAULT_POLICY, LoadedPolicy, load_policy, load_waivers
from ._models import AuditRules, GroupGate, LeafGate, Policy, Selector, Waiver
from ._render import RENDERERS, render_decision
from ._shipped import impersonation, shipped_note, shipped_policies
from ._verify import VerifyError, VerifyResult, verify_decision

__all__ = [
    "DEFAULT_POLICY", "RENDERERS", "AuditRules", "EvidenceFile", "EvidenceSet", "GroupGate",
    "LeafGate", "LoadedPolicy", "Policy", "PolicyError", "Selector", "VerifyError", "VerifyResult",
    "Waiver", "check", "decision_document", "display_path", "evaluate_policy", "impersonation",
    "load_evidence", "load_policy", "load_waivers", "one_sample_bounds", "recorded_policy_path",
    "render_decision", "resolve_pointer", "resolve_recorded_policy", "shipped_note",
    "shipped_policies", "t_cdf", "t_ppf", "verdict_of",
    "verify_decision", "welch_bounds", "write_decision",
]

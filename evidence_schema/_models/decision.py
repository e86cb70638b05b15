"""``decision``: the outcome of `check` (gates, verdict) that audit, report and render trust.

A decision must agree with itself: every gate's status follows from what it records
(:mod:`.decision_checks`), and the verdict from the required gates.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool, StrictStr, model_validator

from .._common import (
    Finite,
    Name,
    NonNegativeInt,
    PositiveInt,
    Producer,
    Sha256,
    Strict,
    UniqueSeeds,
    UTCDatetime,
)
from .._decision_rules import verdict as verdict_from
from .decision_checks import gate_inconsistency, walk

GateStatus = Literal["pass", "fail", "missing", "invalid", "waived", "error"]
Comparison = Literal[">=", ">", "<=", "<"]
Verdict = Literal["pass", "waived", "fail"]


class PolicyRef(Strict):
    name: Name
    version: Name
    path: Name
    sha256: Sha256


class EvidenceUse(Strict):
    path: Name
    sha256: Sha256
    kind: Name


class WaiverRef(Strict):
    reason: Name
    approver: Name
    expires: Name
    evidence_sha256: list[Sha256]


class GateResult(Strict):
    """One gate's outcome. Its status must follow from what it records (see
    ``_decision_rules``): a leaf's from observed, comparison, threshold, n_seeds and min_seeds;
    a group's from its required children and combinator. A decision that contradicts itself
    does not validate."""

    name: Name
    status: GateStatus
    reason: StrictStr
    basis: Literal["evaluated", "imported"] = Field(
        default="evaluated",
        description="evaluated: the status is re-derivable from the fields below; imported: "
        "taken from another tool's boolean (import-gates), recorded but not re-derivable",
    )
    statistic: Name | None = None
    observed: Finite | None = None
    comparison: Comparison | None = None
    threshold: Finite | None = None
    min_seeds: PositiveInt | None = Field(default=None, description="the policy's min_seeds")
    n_seeds: NonNegativeInt | None = Field(
        default=None, description="distinct seeds the statistic counted (the smaller arm)"
    )
    seeds_used: UniqueSeeds = Field(default_factory=list)
    evidence: list[Name] = Field(default_factory=list, description="paths used by this gate")
    required: StrictBool = Field(
        default=True, description="false: advisory, reported but not part of the verdict"
    )
    combinator: Literal["all", "any"] | None = Field(
        default=None, description="groups only: how the required children decide"
    )
    waiver: WaiverRef | None = None
    children: list[GateResult] = Field(default_factory=list)

    @model_validator(mode="after")
    def _status_follows(self) -> GateResult:
        problem = gate_inconsistency(self)
        if problem:
            raise ValueError(f"gate {self.name!r}: {problem}")
        return self


class DecisionProvenance(Strict):
    git_commit: Annotated[str, Field(pattern=r"^[0-9a-f]{7,64}$")] | None
    git_dirty: StrictBool | None
    git_note: StrictStr | None = Field(
        default=None,
        description="whose git state this is (the repository holding the evidence, or the "
        "working directory), or why it is null",
    )
    config: dict[str, Any]
    versions: dict[str, Name]


class DeepCheckResult(Strict):
    """One Great Expectations expectation over one table of one evidence file."""

    path: Name
    table: Name
    expectation: Name
    success: StrictBool
    message: StrictStr


class DeepChecks(Strict):
    """Results of ``check --deep``: the tabular expectation suites (issue 5)."""

    engine: Name = Field(description="e.g. great_expectations 1.24.1")
    success: StrictBool
    results: list[DeepCheckResult]


class DecisionEvidence(Strict):
    schema_version: Literal["1.0"] = "1.0"
    kind: Literal["decision"] = "decision"
    created_at: UTCDatetime
    producer: Producer
    provenance: DecisionProvenance
    policy: PolicyRef
    evidence: list[EvidenceUse]
    unreadable: list[Name] = Field(
        default_factory=list, description="evidence files that could not be used, with reasons"
    )
    gates: list[GateResult]
    verdict: Verdict
    summary: StrictStr
    deep_checks: DeepChecks | None = Field(
        default=None,
        description="tabular expectation suites (check --deep); null when not run. Evidence "
        "that fails them is unusable, so the gates that read it do not pass",
    )
    paths_relative_to: Literal["decision", "working_directory"] = Field(
        default="working_directory",
        description="what the recorded paths (policy, evidence, config) are relative to: the "
        "directory of this decision file, or the directory `check` ran in (no file written)",
    )
    basis: Literal["evaluated", "imported"] = Field(
        default="evaluated",
        description="evaluated: written by `releasegate check`, every gate re-derivable; "
        "imported: another tool's gate output turned into a decision by `import-gates` as a "
        "whole (never re-evaluated by releasegate). The gates' basis must all equal it",
    )

    @model_validator(mode="after")
    def _basis_whole(self) -> DecisionEvidence:
        # `basis: imported` on one gate must not switch off the re-derivation of a decision
        # that `check` evaluated: imported is a property of the whole decision or of none.
        wrong = [g.name for g in walk(self.gates) if g.basis != self.basis]
        if wrong:
            raise ValueError(
                f"gate(s) {', '.join(repr(n) for n in wrong[:5])} have a basis other than the "
                f"decision's {self.basis!r}: a decision is imported as a whole (import-gates) "
                "or evaluated as a whole (check), never a mix")
        return self

    @model_validator(mode="after")
    def _verdict_consistent(self) -> DecisionEvidence:
        # A decision file is itself evidence that audit trusts: a hand-edited "pass" over
        # failing gates must not validate. (Each gate checked itself already.)
        expected = verdict_from((g.status, g.required) for g in self.gates)
        if self.verdict != expected:
            statuses = sorted({g.status for g in self.gates if g.required})
            raise ValueError(
                f"verdict {self.verdict!r} contradicts the required gates' statuses {statuses} "
                f"(expected {expected!r})"
            )
        for g in self.gates:
            if g.waiver is None and g.status == "waived":
                raise ValueError(f"gate {g.name!r} is waived but records no waiver")
        return self

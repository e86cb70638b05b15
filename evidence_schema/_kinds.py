"""Evidence kinds. Each is one pydantic model; JSON Schemas are exported from these.

Where a metric is a distribution over seeds it is stored as a list of ``Sample`` (one value per
seed, or per seed pair for pairwise metrics like PWMCC), never only as a mean, so that gates can
compute their own statistic and count seeds.
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool, StrictStr, model_validator

from . import _derived, _seed_coverage
from ._common import (
    AtMostOne,
    Finite,
    Fraction,
    InputRef,
    Name,
    NonNegative,
    NonNegativeInt,
    PairSamples,
    PositiveInt,
    Producer,
    Provenance,
    Seed,
    SeedSamples,
    Sha256,
    Strict,
    UniqueSeeds,
    UTCDatetime,
)
from ._decision_rules import compare, group_status
from ._decision_rules import verdict as verdict_from
from ._derived import check_difference
from ._sparsity import SparsityMatch
from ._split import SeedSplit, outside

# Per-seed lists hold one sample per seed; per-pair lists (PWMCC) one per unordered pair of two
# different seeds. Both refuse a repeated unit (``_common._check_samples``).
Samples = SeedSamples
OptionalSamples = SeedSamples | None
OptionalPairs = PairSamples | None

Architecture = Literal[
    "standard", "topk", "batchtopk", "jumprelu", "matryoshka_batchtopk", "transcoder",
    "topk_transcoder",
]


class Envelope(Strict):
    """Fields every measurement evidence file carries."""

    schema_version: Literal["1.0"] = "1.0"
    created_at: UTCDatetime
    producer: Producer
    provenance: Provenance
    inputs: list[InputRef] = Field(
        description="every file this evidence was derived from, with its sha256"
    )


# --- sae_run -------------------------------------------------------------------------------


class SaeRunMetrics(Strict):
    architecture: Architecture
    model_name: Name
    hook_point: Name
    hook_point_out: Name | None = Field(default=None, description="transcoders only")
    d_model: PositiveInt
    d_sae: PositiveInt
    k: PositiveInt | None = Field(default=None, description="TopK-family sparsity")
    training_tokens: PositiveInt
    seed: Seed
    explained_variance: AtMostOne = Field(
        description="sae-lens's definition: 1 − E‖x − x̂‖² / Σ_d Var(x_d) (per-dimension "
        "centred variance of x, uncentred residual), held-out tokens"
    )
    explained_variance_total: AtMostOne | None = Field(
        default=None,
        description="the programme's definition (shared/reference/gates.md): "
        "1 − var(x − x̂) / var(x), both variances over all elements of the flattened tensors",
    )
    mse: NonNegative
    l0: NonNegative
    dead_fraction: Fraction
    kl_score: Finite | None = None
    ce_loss_score: Finite | None = Field(
        default=None, description="CE loss recovered: (zero-abl − spliced)/(zero-abl − clean)"
    )
    ce_loss_clean: NonNegative | None = None
    ce_loss_with_sae: NonNegative | None = None
    ce_loss_zero_ablation: NonNegative | None = None
    feature_recovery_mcc: Fraction | None = Field(
        default=None, description="MCC vs a known ground-truth dictionary (synthetic data)"
    )
    checkpoint_path: Name
    checkpoint_sha256: Sha256


class SaeRunEvidence(Envelope):
    kind: Literal["sae_run"] = "sae_run"
    metrics: SaeRunMetrics

    @model_validator(mode="after")
    def _every_seed(self) -> SaeRunEvidence:
        _seed_coverage.sae_run(self)  # every per-seed list holds the run's seeds (rt10 §6)
        return self


# --- random_model_control ------------------------------------------------------------------


class ControlArm(Strict):
    """Per-seed metrics of SAEs trained on one model (the trained one, or its random copy)."""

    model_name: Name
    model_sha256: Sha256 | None = None
    pwmcc: OptionalPairs = Field(default=None, description="per seed pair")
    explained_variance: OptionalSamples = None
    kl_score: OptionalSamples = None
    ce_loss_score: OptionalSamples = None
    l0: OptionalSamples = None


class RandomModelControlMetrics(Strict):
    hook_point: Name
    d_sae: PositiveInt
    architecture: Architecture
    training_tokens: PositiveInt
    trained: ControlArm
    random: ControlArm


class RandomModelControlEvidence(Envelope):
    kind: Literal["random_model_control"] = "random_model_control"
    metrics: RandomModelControlMetrics

    @model_validator(mode="after")
    def _every_seed(self) -> RandomModelControlEvidence:
        _seed_coverage.runner_kind(self)  # every per-seed list holds the run's seeds (rt10 §6)
        return self


# --- transcoder_stress ---------------------------------------------------------------------


class StressArm(Strict):
    pwmcc: OptionalPairs = Field(default=None, description="per seed pair")
    explained_variance: OptionalSamples = None
    mse: OptionalSamples = None
    l0: OptionalSamples = None


class TranscoderStressMetrics(Strict):
    hook_point_in: Name
    hook_point_out: Name
    d_sae: PositiveInt
    training_tokens: PositiveInt
    architecture: Literal["topk", "standard"] | None = Field(
        default=None, description="sparsity mechanism both arms share: TopK with k, or ReLU + L1"
    )
    k: PositiveInt | None = Field(default=None, description="TopK k of both arms")
    sae: StressArm
    transcoder: StressArm
    sparsity: SparsityMatch | None = Field(
        default=None, description="mean L0 of both arms and whether they are matched "
        "(evidence_schema/_sparsity.py); a PWMCC comparison of unmatched arms measures sparsity"
    )

    @model_validator(mode="after")
    def _sparsity_from_arms(self) -> TranscoderStressMetrics:
        if self.architecture == "topk" and self.k is None:
            raise ValueError("architecture topk needs k")
        if self.sparsity is None:
            return self
        if self.sae.l0 is None or self.transcoder.l0 is None:
            raise ValueError("sparsity needs per-seed l0 in both arms")
        for name, arm, mean in (("sae", self.sae, self.sparsity.sae_l0_mean),
                                ("transcoder", self.transcoder,
                                 self.sparsity.transcoder_l0_mean)):
            vals = [s.value for s in arm.l0 or []]
            want = math.fsum(vals) / len(vals)
            if not _derived.close(mean, want, *vals):
                raise ValueError(f"sparsity.{name}_l0_mean {mean!r} is not the mean of "
                                 f"{name}.l0 ({want!r})")
        return self


class TranscoderStressEvidence(Envelope):
    kind: Literal["transcoder_stress"] = "transcoder_stress"
    metrics: TranscoderStressMetrics

    @model_validator(mode="after")
    def _every_seed(self) -> TranscoderStressEvidence:
        _seed_coverage.runner_kind(self)  # every per-seed list holds the run's seeds (rt10 §6)
        return self


# --- ood_stress ----------------------------------------------------------------------------


class OodArm(Strict):
    dataset: Name
    tokens: PositiveInt
    explained_variance: Samples
    kl_score: OptionalSamples = None
    ce_loss_score: OptionalSamples = None


class OodStressMetrics(Strict):
    hook_point: Name
    in_distribution: OodArm
    out_of_distribution: OodArm


class OodStressEvidence(Envelope):
    kind: Literal["ood_stress"] = "ood_stress"
    metrics: OodStressMetrics

    @model_validator(mode="after")
    def _every_seed(self) -> OodStressEvidence:
        _seed_coverage.runner_kind(self)  # every per-seed list holds the run's seeds (rt10 §6)
        return self


# --- external_benchmark --------------------------------------------------------------------


class BenchmarkRef(Strict):
    name: Literal["saebench", "cebench"]
    version: Name = Field(description="package version or commit of the benchmark")
    eval_type: Name = Field(description="e.g. sparse_probing, interpretability")


class ExternalBenchmarkMetrics(Strict):
    benchmark: BenchmarkRef
    metric: Name = Field(description="the headline metric compared")
    delta_definition: Name = Field(description="how the delta is computed, in words")
    candidate_id: Name
    baseline_id: Name
    row_budget: PositiveInt | None = Field(
        default=None, description="rows evaluated; candidate and baseline must match"
    )
    baseline_row_budget: PositiveInt | None = None
    candidate: Samples
    baseline: Samples
    deltas: Samples = Field(description="candidate − baseline, per seed")
    selection: SeedSplit | None = Field(
        default=None,
        description="set when `select` chose this candidate: the seeds that chose it and the "
        "held-out seeds this file holds (confirmation only)",
    )

    @model_validator(mode="after")
    def _confirmation_only(self) -> ExternalBenchmarkMetrics:
        if self.selection is None:
            return self
        if not self.selection.confirmation_seeds:
            raise ValueError("selected with no confirmation seeds: nothing can confirm it")
        for name in ("candidate", "baseline", "deltas"):
            stray = outside([s.seeds for s in getattr(self, name)],
                            self.selection.confirmation_seeds)
            if stray:
                raise ValueError(f"{name} holds seed(s) {stray} outside the confirmation seeds "
                                 f"{self.selection.confirmation_seeds}: the gate would confirm "
                                 "on seeds that selected the candidate")
        return self

    @model_validator(mode="after")
    def _matched(self) -> ExternalBenchmarkMetrics:
        if self.row_budget != self.baseline_row_budget:
            raise ValueError(
                f"unmatched baseline: candidate row budget {self.row_budget} vs baseline "
                f"{self.baseline_row_budget}; deltas are only meaningful on the same rows"
            )
        return self

    @model_validator(mode="after")
    def _deltas_recomputed(self) -> ExternalBenchmarkMetrics:
        # Derived, so recomputed (issue 10): a stored +1.5 over a candidate below its baseline
        # must not reach the gate.
        check_difference(self.deltas, self.candidate, self.baseline, field="deltas",
                         what="delta", left_name="candidate", right_name="baseline")
        return self


class ExternalBenchmarkEvidence(Envelope):
    kind: Literal["external_benchmark"] = "external_benchmark"
    metrics: ExternalBenchmarkMetrics


# --- external_selection --------------------------------------------------------------------


class ExternalScore(Strict):
    """One candidate's delta on one external benchmark, pooled over seeds."""

    benchmark: Literal["saebench", "cebench"]
    evidence: list[Name] = Field(min_length=1, description="external_benchmark files pooled")
    seeds: UniqueSeeds = Field(description="distinct seeds with a delta")
    mean: Finite
    lcb: Finite | None = Field(description="lower confidence bound; null with under 2 seeds")
    rank: PositiveInt | None = Field(
        default=None, description="rank by lcb among eligible candidates (1 = best)"
    )


class SelectionRow(Strict):
    candidate_id: Name
    scores: list[ExternalScore]
    eligible: StrictBool = Field(description="every benchmark present with at least min_seeds")
    reason: StrictStr = Field(description="why not eligible; empty when eligible")
    pareto: StrictBool = Field(description="on the Pareto front of the benchmarks' lcbs")


class ExternalSelectionMetrics(Strict):
    benchmarks: list[Literal["saebench", "cebench"]] = Field(min_length=1)
    min_seeds: PositiveInt
    confidence: Annotated[float, Field(strict=True, gt=0.0, lt=1.0)]
    bound_method: Name = Field(description="how lcb was computed")
    rule: Name = Field(description="how the selected candidate was chosen from the front")
    rows: list[SelectionRow] = Field(min_length=1)
    selected: Name | None = Field(description="candidate_id chosen; null when none is eligible")
    selected_evidence: list[Name] = Field(
        default_factory=list, description="external_benchmark files written for the selection"
    )
    split: SeedSplit | None = Field(
        default=None, description="rows are scored on selection_seeds only; the selected "
        "candidate's evidence holds confirmation_seeds only (issue 10)")
    confirmation_note: StrictStr = Field(
        default="", description="why no evidence was written for the selection, if so")

    @model_validator(mode="after")
    def _scored_on_selection_seeds(self) -> ExternalSelectionMetrics:
        if self.split is None:
            return self
        for r in self.rows:
            for s in r.scores:
                stray = outside([[x] for x in s.seeds], self.split.selection_seeds)
                if stray:
                    raise ValueError(f"{r.candidate_id} {s.benchmark}: scored on seed(s) {stray} "
                                     "outside the selection seeds")
        return self

    @model_validator(mode="after")
    def _consistent(self) -> ExternalSelectionMetrics:
        # A hand-edited selection must not name a candidate that was not eligible.
        by_id = {r.candidate_id: r for r in self.rows}
        if len(by_id) != len(self.rows):
            raise ValueError("candidate_id appears in more than one row")
        for r in self.rows:
            if r.pareto and not r.eligible:
                raise ValueError(f"{r.candidate_id}: on the Pareto front but not eligible")
        if self.selected is not None:
            row = by_id.get(self.selected)
            if row is None or not row.pareto:
                raise ValueError(f"selected {self.selected!r} is not an eligible Pareto row")
        elif any(r.eligible for r in self.rows):
            raise ValueError("no candidate selected although some are eligible")
        _derived.external_selection(self)
        return self


class ExternalSelectionEvidence(Envelope):
    kind: Literal["external_selection"] = "external_selection"
    metrics: ExternalSelectionMetrics


# --- consistency ---------------------------------------------------------------------------


class ConsistencyMetrics(Strict):
    method: Literal["max_cosine", "hungarian"]
    d_model: PositiveInt
    d_sae: PositiveInt
    trained: PairSamples = Field(description="PWMCC per seed pair of trained SAEs")
    random_baseline: PairSamples = Field(description="PWMCC per pair of random decoders")


class ConsistencyEvidence(Envelope):
    kind: Literal["consistency"] = "consistency"
    metrics: ConsistencyMetrics

    @model_validator(mode="after")
    def _every_seed(self) -> ConsistencyEvidence:
        _seed_coverage.runner_kind(self)  # every per-seed list holds the run's seeds (rt10 §6)
        return self


# --- sweep ---------------------------------------------------------------------------------

Scalar = StrictStr | Annotated[int, Field(strict=True)] | Finite | StrictBool | None


class SweepRow(Strict):
    condition: dict[str, Scalar]
    seed: Seed
    metrics: dict[str, Finite]
    evidence: Name | None = Field(default=None, description="path of the row's own evidence")


class SweepMetrics(Strict):
    axes: list[Name] = Field(min_length=1)
    rows: list[SweepRow] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_row_per_condition_and_seed(self) -> SweepMetrics:
        # Aggregates count rows as units: a repeated (condition, seed) would be counted twice.
        seen: dict[str, int] = {}
        for i, r in enumerate(self.rows):
            key = json.dumps([r.condition, r.seed], sort_keys=True)
            if key in seen:
                raise ValueError(f"rows {seen[key]} and {i} are both seed {r.seed} of condition "
                                 f"{r.condition}: one row per condition and seed")
            seen[key] = i
        return self


class SweepEvidence(Envelope):
    kind: Literal["sweep"] = "sweep"
    metrics: SweepMetrics


# --- sweep_aggregate -----------------------------------------------------------------------


class AxisAggregate(Strict):
    """One metric over every sweep row with one value of one axis."""

    axis: Name
    value: Scalar
    metric: Name
    n: PositiveInt = Field(description="rows pooled: conditions with this value × seeds")
    mean: Finite
    lcb: Finite | None = Field(description="lower confidence bound; null with under 2 rows")
    ucb: Finite | None = None


class FrontierObjective(Strict):
    metric: Name
    goal: Literal["max", "min"]


class FrontierRow(Strict):
    condition: dict[str, Scalar]
    seeds: UniqueSeeds = Field(min_length=1)
    values: dict[str, Finite] = Field(description="the statistic of each objective metric")
    pareto: StrictBool


class SweepFrontier(Strict):
    objectives: list[FrontierObjective] = Field(min_length=1)
    statistic: Literal["mean", "bound"]
    rows: list[FrontierRow] = Field(min_length=1)


class SweepAggregateMetrics(Strict):
    sweep_evidence: Name = Field(description="the sweep table these aggregate")
    sweep_sha256: Sha256
    axes: list[Name] = Field(min_length=1)
    confidence: Annotated[float, Field(strict=True, gt=0.0, lt=1.0)]
    bound_method: Name
    by_axis: list[AxisAggregate] = Field(min_length=1)
    frontier: SweepFrontier | None = None

    @model_validator(mode="after")
    def _derived_consistent(self) -> SweepAggregateMetrics:
        _derived.sweep_aggregate(self)
        return self


class SweepAggregateEvidence(Envelope):
    kind: Literal["sweep_aggregate"] = "sweep_aggregate"
    metrics: SweepAggregateMetrics


# --- consistency_objective -----------------------------------------------------------------


class ConsistencyObjectiveArm(Strict):
    """SAEs trained with one λ; per-seed values against the reference seed's decoder."""

    lam: Annotated[float, Field(strict=True, ge=0.0, allow_inf_nan=False)]
    pwmcc: Samples = Field(description="PWMCC to the reference decoder, per seed")
    explained_variance: Samples
    delta_pwmcc: OptionalSamples = Field(
        default=None, description="pwmcc − pwmcc at λ = 0, per seed (null for λ = 0)"
    )
    delta_pwmcc_lcb: Finite | None = None
    ev_drop: OptionalSamples = Field(
        default=None, description="explained variance at λ = 0 − at this λ, per seed"
    )


class ConsistencyObjectiveMetrics(Strict):
    architecture: Architecture
    hook_point: Name
    d_sae: PositiveInt
    training_tokens: PositiveInt
    reference_seed: Seed
    matching: Literal["hungarian"]
    pwmcc_method: Literal["max_cosine", "hungarian"]
    confidence: Annotated[float, Field(strict=True, gt=0.0, lt=1.0)]
    arms: list[ConsistencyObjectiveArm] = Field(min_length=2, description="λ = 0 first")
    selected: ConsistencyObjectiveArm | None = Field(
        description="the λ > 0 arm with the highest delta_pwmcc_lcb whose mean EV drop is "
        "within budget; null when none is"
    )
    ev_drop_budget: NonNegative
    split: SeedSplit | None = Field(
        default=None, description="λ is chosen on selection_seeds; selected holds the chosen "
        "arm on confirmation_seeds only, which the gates read (issue 10)")

    @model_validator(mode="after")
    def _selected_needs_split(self) -> ConsistencyObjectiveMetrics:
        if self.selected is not None and self.split is None:
            raise ValueError("selected without a recorded selection/confirmation split: a gate "
                             "confirming the lower bound that chose λ is biased upward "
                             "(winner's curse)")
        return self

    @model_validator(mode="after")
    def _baseline_first(self) -> ConsistencyObjectiveMetrics:
        if self.arms[0].lam != 0.0:
            raise ValueError("arms[0] must be the λ = 0 baseline")
        _derived.consistency_objective(self)
        return self


class ConsistencyObjectiveEvidence(Envelope):
    kind: Literal["consistency_objective"] = "consistency_objective"
    metrics: ConsistencyObjectiveMetrics

    @model_validator(mode="after")
    def _every_seed(self) -> ConsistencyObjectiveEvidence:
        # every per-seed list holds the run's seeds (rt10 §6)
        _seed_coverage.consistency_objective(self)
        return self


# --- lm_training -----------------------------------------------------------------------------


class LossPoint(Strict):
    step: Annotated[int, Field(strict=True, ge=0)]
    train_loss: NonNegative
    val_loss: NonNegative | None = None


class LmTrainingMetrics(Strict):
    model_name: Name
    n_layers: PositiveInt
    d_model: PositiveInt
    n_heads: PositiveInt
    d_vocab: PositiveInt
    n_ctx: PositiveInt
    corpus: Name
    training_tokens: PositiveInt
    loss_curve: list[LossPoint] = Field(min_length=1)
    final_val_loss: NonNegative = Field(description="nats per token on held-out text")
    uniform_loss: NonNegative = Field(description="ln(d_vocab): loss of uniform prediction")
    checkpoint_path: Name
    checkpoint_sha256: Sha256

    @model_validator(mode="after")
    def _derived_consistent(self) -> LmTrainingMetrics:
        _derived.lm_training(self)
        return self


class LmTrainingEvidence(Envelope):
    kind: Literal["lm_training"] = "lm_training"
    metrics: LmTrainingMetrics


# --- decision ------------------------------------------------------------------------------

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
        wrong = [g.name for g in _walk(self.gates) if g.basis != self.basis]
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


def gate_inconsistency(g: GateResult) -> str | None:
    """Why ``g``'s status does not follow from what it records, or None when it does."""
    if g.waiver is not None and g.status != "waived":
        return f"records a waiver but its status is {g.status!r}"
    if g.basis == "imported" and (g.observed is None or g.comparison is None
                                  or g.threshold is None) and not g.children:
        # another tool's booleans, recorded as given (with that file's sha256); a leaf that
        # records a comparison is re-derived like any other, whatever its basis
        return None
    if g.basis == "imported" and g.children and g.combinator is None:
        return None  # imported groups record no combinator; children are checked themselves
    if g.children:
        if g.combinator is None:
            return "a group without a combinator: its status cannot be re-derived"
        derived = group_status(g.combinator, [(c.status, c.required) for c in g.children])
        if g.status == "waived":
            return "a passing group is never waived" if derived == "pass" else None
        if g.status != derived:
            return (f"status {g.status!r} contradicts its required sub-gates "
                    f"({', '.join(f'{c.name}: {c.status}' for c in g.children if c.required)}"
                    f" under {g.combinator}: gives {derived!r})")
        return None
    if g.combinator is not None:
        return None if g.status == "error" else "a group without children must be an error"
    return _leaf_inconsistency(g)


def _walk(gates: list[GateResult]) -> list[GateResult]:
    out: list[GateResult] = []
    stack = list(gates)
    while stack:
        g = stack.pop()
        out.append(g)
        stack.extend(g.children)
    return out


def _leaf_inconsistency(g: GateResult) -> str | None:
    if g.status in ("missing", "invalid", "error"):
        return None  # never a pass; nothing to re-derive
    if g.observed is None or g.comparison is None or g.threshold is None:
        if g.status == "waived":
            return None  # waived from missing/invalid/error: no value was observed
        return f"status {g.status!r} without observed, comparison and threshold"
    met = compare(g.observed, g.comparison, g.threshold)
    enough = g.n_seeds is not None and g.min_seeds is not None and g.n_seeds >= g.min_seeds
    derived = "pass" if met and enough else "fail"
    if g.status == "waived":
        return "a passing gate is never waived" if derived == "pass" else None
    if g.status == derived:
        return None
    if not enough:
        return (f"status {g.status!r} but {g.n_seeds} seed(s) counted against min_seeds "
                f"{g.min_seeds}")
    return (f"status {g.status!r} contradicts observed {g.observed!r} {g.comparison} "
            f"{g.threshold!r} ({'met' if met else 'not met'})")


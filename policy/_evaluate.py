"""Evaluate a policy over an evidence set. Fail closed: anything but a clean pass is not a pass.

Each gate is evaluated inside its own guard: an exception becomes that gate's ``error`` status
with the reason, never a pass and never a traceback.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from evidence_schema import POINTER_MISSING, GateResult, WaiverRef
from evidence_schema import resolve_pointer as _resolve
from evidence_schema._decision_rules import NO_REQUIRED_CHILD, compare, group_status, verdict
from evidence_schema.stats import (
    DegenerateEvidence,
    StatError,
    mean,
    paired_differences,
    require_spread,
    sample_estimate,
    seed_bounds,
    seed_difference_bounds,
    units,
)

from ._evidence_set import EvidenceFile, EvidenceSet, OutsideFile
from ._models import Gate, GroupGate, LeafGate, Policy, Waiver
from ._pick import PickRefused, pick_latest

_ROLE_SEED = re.compile(r"\bseed[ _:=]?(\d+)\b")


class GateProblem(Exception):
    """A gate cannot pass for a reason that is not a threshold miss; carries the status."""

    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class Samples:
    values: list[float]
    seeds: list[tuple[int, ...]]
    label: str

    @property
    def distinct_seeds(self) -> set[int]:
        return {s for key in self.seeds for s in key}


def resolve_pointer(doc: Any, pointer: str) -> Any:
    """The value at ``pointer`` (RFC 6901, evidence_schema's one implementation); KeyError when
    there is none."""
    value = _resolve(doc, pointer)
    if value is POINTER_MISSING:
        raise KeyError(pointer)
    return value


def _same(a: Any, b: Any) -> bool:
    # True == 1 in Python; a selector asking for a boolean must not match a number.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def _matches(f: EvidenceFile, where: dict[str, Any]) -> bool:
    return _data_matches(f.data, where)


def _data_matches(data: Any, where: dict[str, Any]) -> bool:
    for ptr, expected in where.items():
        try:
            if not _same(resolve_pointer(data, ptr), expected):
                return False
        except KeyError:
            return False
    return True


def _unselected(files: list[EvidenceFile], where: dict[str, Any]) -> str:
    """Why the files of the kind were passed over: the nearest one's (fewest mismatches) value
    at each selector pointer it does not match (e.g. deltas over contrastive_score_mean where
    the gate selects interpretability_score_mean), so a missing gate says what is there."""
    def mismatches(f: EvidenceFile) -> list[str]:
        out = []
        for ptr, expected in where.items():
            try:
                got = resolve_pointer(f.data, ptr)
            except KeyError:
                out.append(f"no {ptr}")
                continue
            if not _same(got, expected):
                out.append(f"{ptr} = {got!r}")
        return out

    if not files:
        return ""
    nearest = min(files, key=lambda f: (len(mismatches(f)), f.path))
    shown = mismatches(nearest)
    more = f" (+{len(files) - 1} other file(s) of the kind)" if len(files) > 1 else ""
    return f"; nearest: {nearest.path} has {', '.join(shown)}{more}" if shown else ""


def select_evidence(gate: LeafGate, ev: EvidenceSet,
                    now: datetime) -> tuple[EvidenceFile, str]:
    """The file the gate reads and, for ``pick: latest`` over several, the note naming the
    files passed over (policy/_pick.py); raises GateProblem."""
    # a refused symlink out of the repository (OutsideFile) that parsed as evidence spoils only
    # the gates whose selector it matches; one that did not parse, every gate of its kind
    bad = [r for r in ev.invalid_for(gate.kind) if not (
        isinstance(r, OutsideFile) and r.kind == gate.kind and isinstance(r.data, dict)
        and not _data_matches(r.data, gate.select.where))]
    if bad:
        first = bad[0]
        why = str(first.problems[0]) if first.problems else "invalid"
        more = f" (+{len(bad) - 1} more)" if len(bad) > 1 else ""
        raise GateProblem("invalid", f"unusable evidence that may be of kind {gate.kind}: {why}"
                          f"{more}")
    found = [f for f in ev.of_kind(gate.kind) if _matches(f, gate.select.where)]
    if not found:
        sel = f" matching {gate.select.where}" if gate.select.where else ""
        raise GateProblem("missing", f"no {gate.kind} evidence{sel}"
                          + _unselected(ev.of_kind(gate.kind), gate.select.where))
    if len(found) == 1:
        return found[0], ""
    if gate.select.pick == "only":
        names = ", ".join(f.path for f in found)
        raise GateProblem("invalid", f"{len(found)} {gate.kind} files match and the selector "
                          f"picks only one: {names}; add `select: where:` or `pick: latest`")
    try:
        return pick_latest(gate.kind, found, now)
    except PickRefused as e:
        raise GateProblem("invalid", str(e)) from None


# Kinds whose validation ties every per-seed list to provenance.seeds (evidence_schema's
# _seed_coverage): a single number in them was computed over exactly those seeds.
_SEED_COVERED_KINDS = frozenset({"random_model_control", "transcoder_stress", "ood_stress",
                                 "consistency", "consistency_objective"})


def _scalar_seeds(f: EvidenceFile) -> tuple[int, ...]:
    """The seeds a single number stands for. Only what validation guarantees counts: a sae_run's
    own seed, a seed-covered kind's provenance seeds; elsewhere none, so a `min_seeds` above 0
    cannot be met by a file that merely lists seeds in its provenance (fail closed)."""
    if f.kind == "sae_run":
        seed = f.data.get("metrics", {}).get("seed")
        return (seed,) if isinstance(seed, int) and not isinstance(seed, bool) else ()
    if f.kind in _SEED_COVERED_KINDS:
        return tuple(f.data.get("provenance", {}).get("seeds", []))
    return ()


def extract_samples(f: EvidenceFile, pointer: str) -> Samples:
    try:
        raw = resolve_pointer(f.data, pointer)
    except KeyError:
        raise GateProblem("missing", f"{f.path} has no value at {pointer}") from None
    if raw is None:
        raise GateProblem("missing", f"{f.path} has no value at {pointer} (null)")
    if isinstance(raw, bool):
        raise GateProblem("invalid", f"{f.path}{pointer} is a boolean, not a number")
    if isinstance(raw, int | float):
        return Samples([float(raw)], [_scalar_seeds(f)], pointer)
    if isinstance(raw, list) and raw and all(
        isinstance(s, dict) and "value" in s and "seeds" in s for s in raw
    ):
        out = Samples([float(s["value"]) for s in raw], [tuple(s["seeds"]) for s in raw], pointer)
        # Validation refuses repeated seeds already; this holds even if it was bypassed, so no
        # statistic counts more values than distinct units (issue 10).
        try:
            units(out.seeds)
        except StatError as e:
            raise GateProblem("invalid", f"{f.path}{pointer}: {e}") from None
        return out
    raise GateProblem("invalid", f"{f.path}{pointer} is neither a number nor a list of samples")


def _per_pair(s: Samples) -> bool:
    return bool(s.seeds) and len(s.seeds[0]) == 2


def _degenerate(gate: LeafGate, s: Samples) -> None:
    """Refuse an arm whose estimate has zero, negligible or non-finite variance.

    Judged on the variance the statistic would use (evidence_schema.stats.sample_estimate:
    seed-level, jackknife for pairs, spread computed without underflow), not on raw values:
    values of 1e-170 differ yet square to 0; pair values spread 0.05–0.95 can give every
    delete-one-seed mean the same; one run re-serialised differs by an ulp (issue rt10).
    """
    if len(s.values) < 2:
        return
    try:
        est = sample_estimate(s.seeds, s.values)
    except DegenerateEvidence as e:
        raise GateProblem("invalid", f"{e} ({s.label})") from None
    except StatError:
        return  # too few units for a variance: min_seeds or the statistic itself says so
    try:
        require_spread(est, allow_zero_variance=gate.allow_zero_variance)
    except DegenerateEvidence as e:
        what = (f"all seeds identical, {len(s.values)} values all {s.values[0]:.6g}"
                if len(set(s.values)) == 1 else f"{len(s.values)} values")
        raise GateProblem("invalid", f"{e} ({s.label}: {what}); set allow_zero_variance: true "
                          "on the gate if that is expected") from None


def shared_inputs(f: EvidenceFile) -> str | None:
    """Why two seeds of ``f`` come from one input file (same sha256 or content sha256), or None.

    An input's seed is its ``seed`` field, else a ``seed N`` in its role (older ingest files).
    """
    by_sha: dict[tuple[str, str], set[int]] = {}
    paths: dict[tuple[str, str], str] = {}
    for ref in f.data.get("inputs") or []:
        if not isinstance(ref, dict) or not isinstance(ref.get("sha256"), str):
            continue
        seed = ref.get("seed")
        if seed is None and isinstance(ref.get("role"), str):
            m = _ROLE_SEED.search(ref["role"])
            seed = int(m.group(1)) if m else None
        if isinstance(seed, int) and not isinstance(seed, bool):
            # The byte sha256, and the canonical content sha256 where recorded: one run
            # re-serialised with another indent shares the latter (review rt10 §5).
            for what in ("sha256", "content_sha256"):
                if isinstance(ref.get(what), str):
                    key = (what, ref[what])
                    by_sha.setdefault(key, set()).add(seed)
                    paths.setdefault(key, str(ref.get("path")))
    for (what, sha), seeds in by_sha.items():
        if len(seeds) > 1:
            label = "sha256" if what == "sha256" else "content sha256"
            return (f"seeds {sorted(seeds)} of {f.path} come from one input ({label} "
                    f"{sha[:12]}…, {paths[(what, sha)]}): one run counted as several seeds")
    return None


def _statistic(gate: LeafGate, a: Samples, b: Samples | None) -> tuple[float, str]:
    """The gate's statistic; bounds count seeds as units (per-pair values: jackknife)."""
    conf = gate.confidence
    stat = gate.statistic
    if b is None:
        vals = a.values
        if stat == "value":
            if len(vals) != 1:
                raise GateProblem("invalid", f"statistic `value` needs one value, got {len(vals)}")
            return vals[0], "value"
        if stat == "mean":
            return mean(vals), "mean" + (" over seed pairs" if _per_pair(a) else "")
        if stat == "min":
            return min(vals), "min"
        if stat == "max":
            return max(vals), "max"
        lo, hi = seed_bounds(a.seeds, vals, conf,
                             allow_zero_variance=gate.allow_zero_variance)
        how = "pairwise jackknife, df k−1" if _per_pair(a) else "t-interval"
        return (lo if stat == "lcb" else hi), f"{how} {conf:g}"
    if gate.pairing == "paired":
        try:
            keys, diffs = paired_differences(a.seeds, a.values, b.seeds, b.values)
        except StatError as e:
            raise GateProblem("invalid", f"paired statistic needs the same seeds in {a.label} "
                              f"and {b.label}: {e}") from None
        d = Samples(diffs, list(keys), f"{a.label} − {b.label}")
        _degenerate(gate, d)
        return _statistic(gate.model_copy(update={"minus": None}), d, None)[0], \
            f"paired, {conf:g}"
    if stat == "value":
        if len(a.values) != 1 or len(b.values) != 1:
            raise GateProblem("invalid", "statistic `value` of a difference needs one value each")
        return a.values[0] - b.values[0], "value"
    if stat == "mean":
        return mean(a.values) - mean(b.values), "difference of means"
    if stat in ("min", "max"):
        raise GateProblem("invalid", f"statistic `{stat}` is undefined for unpaired differences; "
                          "use pairing: paired")
    lo, hi = seed_difference_bounds(a.seeds, a.values, b.seeds, b.values, conf,
                                    allow_zero_variance=gate.allow_zero_variance)
    how = "Welch on pairwise jackknife" if _per_pair(a) or _per_pair(b) else "Welch"
    return (lo if stat == "lcb" else hi), f"{how} {conf:g}"


def _compare(observed: float, op: str, threshold: float) -> bool:
    return compare(observed, op, threshold)


def evaluate_leaf(gate: LeafGate, ev: EvidenceSet, now: datetime) -> GateResult:
    base: dict[str, Any] = {
        "name": gate.name, "statistic": gate.statistic, "comparison": gate.op,
        "threshold": float(gate.threshold), "required": gate.required,
        "min_seeds": gate.min_seeds,
    }
    used: list[str] = []
    picked = ""  # `pick: latest` over several files: which were passed over, for the reason
    try:
        f, picked = select_evidence(gate, ev, now)
        used = [f.path]
        if gate.max_age_days is not None:
            age = now - f.created_at
            if age > timedelta(days=gate.max_age_days):
                raise GateProblem("invalid", f"stale: {f.path} was created {f.created_at:%Y-%m-%d}"
                                  f", {age.days} days ago (max_age_days {gate.max_age_days})")
        if f.created_at - now > timedelta(days=1):
            raise GateProblem("invalid", f"{f.path} claims to be created in the future "
                              f"({f.created_at.isoformat()})")
        a = extract_samples(f, gate.metric)
        b = extract_samples(f, gate.minus) if gate.minus else None
        shared = shared_inputs(f)
        if shared:
            raise GateProblem("invalid", shared)
        seeds_a = a.distinct_seeds
        seeds_all = seeds_a | (b.distinct_seeds if b else set())
        n_seeds = min(len(seeds_a), len(b.distinct_seeds)) if b else len(seeds_a)
        if n_seeds < gate.min_seeds:
            raise GateProblem("invalid", f"{n_seeds} seed(s) in {f.path}, policy needs "
                              f"min_seeds {gate.min_seeds}")
        if gate.statistic != "value":
            for arm in (a, b) if b is not None else (a,):
                _degenerate(gate, arm)
        try:
            observed, method = _statistic(gate, a, b)
        except DegenerateEvidence as e:
            raise GateProblem("invalid", f"{gate.statistic}: {e}") from None
        except StatError as e:
            raise GateProblem("invalid", f"cannot compute {gate.statistic}: {e}") from None
        if not math.isfinite(observed):
            raise GateProblem("error", f"{gate.statistic} is not finite ({observed})")
        expr = gate.metric + (f" − {gate.minus}" if gate.minus else "")
        passed = _compare(observed, gate.op, float(gate.threshold))
        reason = (f"{gate.statistic}({expr}) = {observed:.6g} {'' if passed else 'not '}"
                  f"{gate.op} {gate.threshold} over {n_seeds} seed(s) [{method}]"
                  + (f"; {picked}" if picked else ""))
        return GateResult(**base, status="pass" if passed else "fail", reason=reason,
                          observed=observed, n_seeds=n_seeds, seeds_used=sorted(seeds_all),
                          evidence=used)
    except GateProblem as p:
        return GateResult(**base, status=p.status, evidence=used,
                          reason=p.reason + (f"; {picked}" if picked else ""))
    except Exception as e:
        return GateResult(**base, status="error", evidence=used,
                          reason=f"internal error: {type(e).__name__}: {e}")


def evaluate_gate(gate: Gate, ev: EvidenceSet, now: datetime) -> GateResult:
    if isinstance(gate, LeafGate):
        return evaluate_leaf(gate, ev, now)
    return evaluate_group(gate, ev, now)


def evaluate_group(gate: GroupGate, ev: EvidenceSet, now: datetime) -> GateResult:
    try:
        children = [evaluate_gate(c, ev, now) for c in gate.children]
        # Only required children decide (evidence_schema._decision_rules): an advisory child
        # is reported with its true status but can neither pass nor fail the group.
        status = group_status(gate.mode, [(c.status, c.required) for c in children])
        required = [c for c in children if c.required]
        n_adv = len(children) - len(required)
        adv = f" ({n_adv} advisory not counted)" if n_adv else ""
        bad = [f"{c.name}: {c.status}" for c in required if c.status != "pass"]
        if not required:
            reason = f"{gate.mode}: {NO_REQUIRED_CHILD}"
        elif status == "pass" and gate.mode == "all":
            reason = f"all of {len(required)} sub-gates pass{adv}"
        elif status == "pass":
            reason = f"any of {len(required)} sub-gates pass{adv}"
        else:
            reason = f"{gate.mode}: " + "; ".join(bad) + adv
        # What decides the group: its required children's seeds and evidence, never an
        # advisory child's (renderers and the report show these on the group's row).
        seeds = sorted({s for c in required for s in c.seeds_used})
        used = sorted({p for c in required for p in c.evidence})
        return GateResult(name=gate.name, status=status, reason=reason, combinator=gate.mode,
                          required=gate.required, seeds_used=seeds, evidence=used,
                          children=children)
    except Exception as e:
        return GateResult(name=gate.name, status="error", required=gate.required,
                          combinator=gate.mode, reason=f"internal error: {type(e).__name__}: {e}")


def apply_waivers(
    result: GateResult, waivers: list[Waiver], ev: EvidenceSet, now: datetime
) -> GateResult:
    """A valid waiver turns a non-passing gate into ``waived`` (never ``pass``)."""
    mine = [w for w in waivers if w.gate == result.name]
    if result.status == "pass" or not mine:
        return result
    sha_by_path = {f.path: f.sha256 for f in ev.files}
    used = {sha_by_path[p] for p in result.evidence if p in sha_by_path}
    notes = []
    for w in mine:
        if w.expires < now.date():
            notes.append(f"waiver by {w.approver} expired on {w.expires.isoformat()}")
            continue
        if not used:
            notes.append(f"waiver by {w.approver} void: the gate used no evidence to waive")
            continue
        if not used <= set(w.evidence_sha256):
            notes.append(f"waiver by {w.approver} void: the evidence changed since it was "
                         "approved (sha256 not covered)")
            continue
        ref = WaiverRef(reason=w.reason, approver=w.approver, expires=w.expires.isoformat(),
                        evidence_sha256=list(w.evidence_sha256))
        return result.model_copy(update={
            "status": "waived", "waiver": ref,
            "reason": f"waived by {w.approver} until {w.expires.isoformat()}: {w.reason} "
                      f"(was {result.status}: {result.reason})",
        })
    return result.model_copy(update={"reason": result.reason + "; " + "; ".join(notes)})


def verdict_of(results: list[GateResult]) -> str:
    return verdict((r.status, r.required) for r in results)


def evaluate_policy(
    policy: Policy, ev: EvidenceSet, now: datetime, extra_waivers: list[Waiver] | None = None
) -> list[GateResult]:
    waivers = list(policy.waivers) + list(extra_waivers or [])
    return [apply_waivers(evaluate_gate(g, ev, now), waivers, ev, now) for g in policy.gates]

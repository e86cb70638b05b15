"""No bound from a variance that is zero, negligible or not finite (red-team review rt10 §2-4).

Each example of the review is a test; the property tests say the general rule: whatever the
values, an estimate whose standard error is zero or below 1e-9 of the values' magnitude never
yields ``pass``, on every statistic path (one sample, paired, Welch, pairwise jackknife).
Expected numbers come from scipy on scaled values or by hand, never from evidence_schema.stats.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from _helpers import NOW, POLICY, mutate
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from evidence_schema.stats import DegenerateEvidence, Estimate, bounds
from policy import check
from policy._evaluate import evaluate_leaf
from policy._evidence_set import EvidenceFile, EvidenceSet
from policy._models import LeafGate

WHEN = datetime(2026, 11, 25, tzinfo=UTC)


def _leaf(decision: Any, name: str) -> Any:
    stack = list(decision.gates)
    while stack:
        g = stack.pop()
        if g.name == name:
            return g
        stack.extend(g.children or [])
    raise AssertionError(f"no gate {name}")


def _cebench(evidence_dir: Path, cand: list[float], base: list[float], deltas: list[float]
             ) -> Any:
    def edit(doc: dict[str, Any]) -> None:
        m = doc["metrics"]
        for key, vals in (("candidate", cand), ("baseline", base), ("deltas", deltas)):
            m[key] = [{"seeds": [i], "value": v} for i, v in enumerate(vals)]
    mutate(evidence_dir / "external_cebench.json", edit)
    return _leaf(check(POLICY, evidence_dir, now=NOW), "cebench")


def test_underflowing_variance_is_the_true_bound_not_the_mean(evidence_dir: Path) -> None:
    # Squared deviations of 1e-170 underflow to 0: the old code used lcb = mean and passed.
    dl = [3e-170, 1e-170, -2e-170]
    g = _cebench(evidence_dir, dl, [0.0] * 3, dl)
    unit = [3.0, 1.0, -2.0]  # the same values / 1e-170, where nothing underflows
    lcb_unit = sum(unit) / 3 - stats.t.ppf(0.975, 2) * stats.sem(unit)
    assert g.status == "fail", g.reason
    assert g.observed == pytest.approx(lcb_unit * 1e-170, rel=1e-9)  # ≈ −5.6e-170


def test_subnormal_deltas_do_not_pass(evidence_dir: Path) -> None:
    g = _cebench(evidence_dir, [5e-324, 1e-323, 0.0], [0.0] * 3, [5e-324, 1e-323, 0.0])
    assert g.status != "pass", g.reason


def test_near_duplicate_seeds_are_degenerate(evidence_dir: Path) -> None:
    # One run re-serialised with its last digit changed: deltas 1e-4, 1e-4, 1e-4 + 7e-15.
    g = _cebench(evidence_dir, [47.9517, 47.9517, 47.9517 + 7e-15], [47.9516] * 3,
                 [47.9517 - 47.9516, 47.9517 - 47.9516, 47.9517 + 7e-15 - 47.9516])
    assert g.status == "invalid"
    assert g.reason.startswith("lcb: degenerate evidence: standard error") or \
        g.reason.startswith("degenerate evidence: standard error"), g.reason


def _pairs(vals: dict[tuple[int, int], float]) -> list[dict[str, Any]]:
    return [{"seeds": list(k), "value": v} for k, v in vals.items()]


def _design(x: float, y: float, z: float) -> dict[tuple[int, int], float]:
    # 4 seeds; (0,1),(2,3) = x; (0,2),(1,3) = y; (0,3),(1,2) = z: every delete-one-seed mean is
    # (x + y + z)/3, so the jackknife variance is 0 whatever x, y, z are.
    return {(0, 1): x, (2, 3): x, (0, 2): y, (1, 3): y, (0, 3): z, (1, 2): z}


def _file(metrics: dict[str, Any], seeds: list[int]) -> EvidenceSet:
    data = {"kind": "random_model_control", "provenance": {"seeds": seeds}, "inputs": [],
            "metrics": metrics}
    f = EvidenceFile("rm.json", "0" * 64, "random_model_control", WHEN, data)
    return EvidenceSet(files=[f], invalid=[])


def _gate(**kw: Any) -> LeafGate:
    base: dict[str, Any] = {"name": "g", "kind": "random_model_control",
                            "metric": "/metrics/trained/pwmcc", "statistic": "lcb", "op": ">=",
                            "threshold": 0.0, "min_seeds": 2}
    return LeafGate.model_validate({**base, **kw})


@pytest.mark.parametrize("statistic", ["lcb", "mean"])
def test_pairwise_jackknife_zero_variance_by_design(statistic: str) -> None:
    trained, random = _design(0.95, 0.05, 0.5), _design(0.90, 0.0, 0.5)
    ev = _file({"trained": {"pwmcc": _pairs(trained)}, "random": {"pwmcc": _pairs(random)}},
               [0, 1, 2, 3])
    g = evaluate_leaf(_gate(minus="/metrics/random/pwmcc", pairing="welch",
                            statistic=statistic), ev, NOW)
    assert g.status == "invalid"
    assert "degenerate evidence: zero variance" in g.reason
    assert "jackknife" in g.reason


def _check_evidence_set(evidence_set: EvidenceSet, gate: LeafGate) -> str:
    return evaluate_leaf(gate, evidence_set, NOW).status


# --- property tests: zero or negligible variance never passes --------------------------------

magnitudes = st.one_of(st.floats(-1e300, 1e300, allow_nan=False),
                       st.floats(-1e-150, 1e-150, allow_nan=False),
                       st.sampled_from([0.0, 5e-324, -5e-324, 1e-170, 47.9516, 1e7]))
# relative jitter far below 1e-9 (a re-serialised run, a changed last digit)
jitters = st.lists(st.floats(-1e-12, 1e-12, allow_nan=False), min_size=2, max_size=6)
THRESHOLDS = {"lcb": (">=", -1e308), "ucb": ("<=", 1e308), "mean": (">=", -1e308),
              "min": (">=", -1e308), "max": ("<=", 1e308)}


def _per_seed(values: list[float]) -> list[dict[str, Any]]:
    return [{"seeds": [i], "value": v} for i, v in enumerate(values)]


@settings(max_examples=80, deadline=None)
@given(m=magnitudes, jit=jitters, statistic=st.sampled_from(sorted(THRESHOLDS)))
def test_one_sample_negligible_variance_never_passes(m: float, jit: list[float],
                                                     statistic: str) -> None:
    values = [m * (1 + e) for e in jit]
    ev = _file({"trained": {"pwmcc": _per_seed(values)}}, list(range(len(values))))
    op, threshold = THRESHOLDS[statistic]
    status = _check_evidence_set(ev, _gate(statistic=statistic, op=op, threshold=threshold))
    assert status == "invalid", (values, status)


@settings(max_examples=60, deadline=None)
@given(m=magnitudes, jit=jitters, spread=st.lists(st.floats(0.1, 0.9), min_size=6, max_size=6),
       statistic=st.sampled_from(["lcb", "ucb", "mean", "min", "max"]))
def test_paired_negligible_variance_never_passes(m: float, jit: list[float], spread: list[float],
                                                 statistic: str) -> None:
    # Each arm varies, but their per-seed differences are one number (to 1e-12 relative).
    a = spread[:len(jit)]
    diffs = [m * (1 + e) for e in jit]
    b = [x - d for x, d in zip(a, diffs, strict=False)]
    d_real = [x - y for x, y in zip(a, b, strict=True)]
    if any(not math.isfinite(v) for v in b + d_real):
        return
    top = max(abs(v) for v in d_real)
    if top and max(d_real) - min(d_real) > 1e-10 * top:  # the arms' rounding gave real spread
        return
    ev = _file({"trained": {"pwmcc": _per_seed(a)}, "random": {"pwmcc": _per_seed(b)}},
               list(range(len(a))))
    op, threshold = THRESHOLDS[statistic]
    gate = _gate(statistic=statistic, op=op, threshold=threshold, minus="/metrics/random/pwmcc",
                 pairing="paired")
    assert _check_evidence_set(ev, gate) != "pass"


@settings(max_examples=60, deadline=None)
@given(x=st.floats(0, 1), y=st.floats(0, 1), z=st.floats(0, 1),
       other=st.lists(st.floats(0, 1), min_size=6, max_size=6),
       statistic=st.sampled_from(["lcb", "ucb", "mean"]))
def test_pairwise_zero_jackknife_variance_never_passes(x: float, y: float, z: float,
                                                       other: list[float],
                                                       statistic: str) -> None:
    keys = list(_design(0, 0, 0))
    ev = _file({"trained": {"pwmcc": _pairs(_design(x, y, z))},
                "random": {"pwmcc": [{"seeds": list(k), "value": v}
                                     for k, v in zip(keys, other, strict=True)]}},
               [0, 1, 2, 3])
    op, threshold = THRESHOLDS[statistic]
    for gate in (_gate(statistic=statistic, op=op, threshold=threshold),
                 _gate(statistic=statistic, op=op, threshold=threshold,
                       minus="/metrics/random/pwmcc", pairing="welch")):
        assert _check_evidence_set(ev, gate) != "pass"


@settings(max_examples=100, deadline=None)
@given(value=st.floats(allow_nan=True, allow_infinity=True),
       scale=st.floats(0, 1e308), rel=st.floats(0, 0.999e-9), df=st.floats(1, 50))
def test_bounds_refuse_zero_negligible_or_non_finite(value: float, scale: float, rel: float,
                                                     df: float) -> None:
    ref = max(abs(value), scale) if math.isfinite(value) else 1.0
    se = rel * ref
    est = Estimate(value, se * se, df, 3, "t over seeds", se=se, scale=scale)
    with pytest.raises(DegenerateEvidence, match=r"^degenerate evidence: "):
        bounds(est, 0.95)
    if not math.isfinite(value):  # the gate's opt-in never admits a non-finite estimate
        with pytest.raises(DegenerateEvidence):
            bounds(est, 0.95, allow_zero_variance=True)
    elif abs(value) < 1e300:  # (± t·SE could leave the float range at 1.8e308)
        lo, hi = bounds(est, 0.95, allow_zero_variance=True)
        assert lo <= value <= hi


def test_allow_zero_variance_still_refuses_non_finite() -> None:
    est = Estimate(1.0, math.inf, 2, 3, "t over seeds", se=math.inf, scale=1.0)
    with pytest.raises(DegenerateEvidence, match="not finite"):
        bounds(est, 0.95, allow_zero_variance=True)

"""Derived numbers are recomputed, never trusted (issue 10).

An evidence file that stores a number derived from other numbers in the same file (a delta, a
drop, a bound, a rank, a Pareto flag, a selection) must agree with the numbers it derives from:
a hand-edited ``deltas: +1.5`` over a candidate below its baseline would otherwise pass a gate.
The models call these checks from their validators; docs/evidence.md lists every derived field.

Tolerance (one helper, :func:`close`, for every derived field): a stored value agrees when
    |stored − recomputed| ≤ ATOL + RTOL · max(|recomputed|, |operands|…),   RTOL = ATOL = 1e-12,
and its sign is the recomputed one's unless both are within ATOL of 0; a recomputation that is
not finite (e.g. −1.7e308 − 1.7e308 = −inf) makes the file invalid. Writers compute in float64
and JSON keeps every float exactly (shortest repr), so an honest stored value equals the float
recomputation; 1e-12 relative (~4,500 ulps) absorbs another tool's summation order or t
quantile, and nothing a result could turn on: an error of 4.8e-5 at 48 or +1.5 for −1.5 on
operands of 1e7 is refused (issue rt10; the former 1e-6 · max(1, operands) accepted both).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

RTOL = 1e-12
ATOL = 1e-12


class DerivedMismatch(ValueError):
    """A stored derived value disagrees with its recomputation.

    ``where`` is the location of the stored value relative to the model that raised it (JSON
    pointer tokens); ``evidence_schema._validate`` appends it to the model's own location, so
    the problem names the exact field, e.g. ``/metrics/deltas/0/value``.
    """

    def __init__(self, where: Sequence[str | int], message: str) -> None:
        super().__init__(message)
        self.where = tuple(where)


def close(stored: float, recomputed: float, *operands: float) -> bool:
    """``stored`` equals ``recomputed`` up to float rounding (module docstring).

    False when anything is not finite, when the difference exceeds
    ATOL + RTOL · max(|recomputed|, |operands|), or when the signs differ and either value is
    farther than ATOL from 0.
    """
    if not all(math.isfinite(x) for x in (stored, recomputed, *operands)):
        return False
    scale = max([abs(recomputed), *(abs(x) for x in operands)])
    if not abs(stored - recomputed) <= ATOL + RTOL * scale:
        return False
    opposite = (stored > 0 > recomputed) or (stored < 0 < recomputed)
    return not opposite or (abs(stored) <= ATOL and abs(recomputed) <= ATOL)


def shown(*xs: float) -> list[str]:
    """``xs`` with 6 significant digits, or in full when that would print two as one (at 48 a
    sign flip of 4e-5 would read "47.9516 − 47.9516")."""
    short = [f"{x:.6g}" for x in xs]
    return short if len(set(short)) == len(set(xs)) else [repr(x) for x in xs]


def not_finite(where: Sequence[str | int], what: str, recomputed: float) -> DerivedMismatch:
    return DerivedMismatch(where, f"{what} recomputes to {recomputed} (not finite): the "
                           "operands are out of float64 range and the file cannot be checked")


def by_seed(samples: Iterable[Any]) -> dict[int, tuple[int, float]]:
    """Per-seed sample list → {seed: (index in the list, value)}."""
    return {s.seeds[0]: (i, s.value) for i, s in enumerate(samples)}


def same_seeds(name_a: str, a: dict[int, Any], name_b: str, b: dict[int, Any],
               where: Sequence[str | int]) -> None:
    if set(a) != set(b):
        raise DerivedMismatch(where, f"{name_b} has seeds {sorted(b)} but {name_a} has seeds "
                              f"{sorted(a)}: a per-seed derived list needs the same seeds")


def check_difference(
    stored: Sequence[Any], left: Sequence[Any], right: Sequence[Any], *,
    field: str, what: str, left_name: str, right_name: str, prefix: Sequence[str | int] = (),
) -> None:
    """``stored[s] = left[s] − right[s]`` for every seed s (lists of per-seed samples)."""
    st, lt, rt = by_seed(stored), by_seed(left), by_seed(right)
    same_seeds(left_name, lt, field, st, (*prefix, field))
    same_seeds(left_name, lt, right_name, rt, (*prefix, right_name))
    for seed, (i, value) in st.items():
        a, b = lt[seed][1], rt[seed][1]
        if not math.isfinite(a - b):
            raise not_finite((*prefix, field, i, "value"), f"{what} for seed {seed}", a - b)
        if not close(value, a - b, a, b):
            (sa, sb), (sv, sd) = shown(a, b), shown(value, a - b)
            raise DerivedMismatch(
                (*prefix, field, i, "value"),
                f"stored {what} {sv} for seed {seed} but {left_name} − {right_name} = "
                f"{sa} − {sb} = {sd}")


def check_bound(stored: float | None, values: Sequence[float], confidence: float,
                where: Sequence[str | int], what: str) -> None:
    """A stored lower bound equals the t-interval lcb of ``values`` (null under 2 values)."""
    from .stats import DegenerateEvidence, StatError, one_sample_bounds

    if len(values) < 2:
        if stored is not None:
            raise DerivedMismatch(where, f"stored {what} {stored:.6g} but a bound needs at "
                                  f"least 2 values, got {len(values)} (must be null)")
        return
    try:
        lo, hi = one_sample_bounds(values, confidence)
    except DegenerateEvidence as e:
        # No bound exists for zero/negligible spread (stats.spread_problem): writers store null.
        if stored is not None:
            raise DerivedMismatch(where, f"stored {what} {stored:.6g} but {e}; a bound must "
                                  "be null") from None
        return
    except StatError as e:
        raise DerivedMismatch(where, f"{what} cannot be recomputed: {e}") from None
    if stored is None or not close(stored, lo, *values, hi - lo):
        shown = "null" if stored is None else f"{stored:.6g}"
        raise DerivedMismatch(where, f"stored {what} {shown} but the t-interval lower bound "
                              f"of the {len(values)} values at confidence {confidence:g} is "
                              f"{lo:.6g}")


def dominates(a: Sequence[float], b: Sequence[float]) -> bool:
    """Pareto dominance, every coordinate higher-is-better."""
    return all(x >= y for x, y in zip(a, b, strict=True)) and any(
        x > y for x, y in zip(a, b, strict=True))


# --- per kind: called from the models' validators (docs/evidence.md lists these) ----------


def consistency_objective(m: Any) -> None:
    """delta_pwmcc, ev_drop, delta_pwmcc_lcb of each λ > 0 arm, and ``selected``."""
    base = m.arms[0]
    for name in ("delta_pwmcc", "delta_pwmcc_lcb", "ev_drop"):
        if getattr(base, name) is not None:
            raise DerivedMismatch(("arms", 0, name), f"{name} of the λ = 0 arm must be null: "
                                  "it is the baseline the others are measured against")
    for i, arm in enumerate(m.arms[1:], start=1):
        where = ("arms", i)
        if arm.delta_pwmcc is not None:
            check_difference(arm.delta_pwmcc, arm.pwmcc, base.pwmcc, field="delta_pwmcc",
                             what="delta_pwmcc", left_name="pwmcc", right_name="arms[0].pwmcc",
                             prefix=where)
            check_bound(arm.delta_pwmcc_lcb, [s.value for s in arm.delta_pwmcc], m.confidence,
                        (*where, "delta_pwmcc_lcb"), "delta_pwmcc_lcb")
        elif arm.delta_pwmcc_lcb is not None:
            raise DerivedMismatch((*where, "delta_pwmcc_lcb"),
                                  "delta_pwmcc_lcb without the delta_pwmcc it bounds")
        if arm.ev_drop is not None:
            check_difference(arm.ev_drop, base.explained_variance, arm.explained_variance,
                             field="ev_drop", what="ev_drop",
                             left_name="arms[0].explained_variance",
                             right_name="explained_variance", prefix=where)
    from ._split import choose_arm  # selection then confirmation (issue 10 §3)

    expected = choose_arm(m.arms, m.ev_drop_budget, m.confidence, m.split)
    if expected is None:
        agrees = m.selected is None
    else:
        agrees = m.selected is not None and _same(m.selected.model_dump(), expected.model_dump())
    if not agrees:
        want = ("null (no λ > 0 arm qualifies)" if expected is None
                else f"the arm with λ = {expected.lam:g}, and selected must equal that arm")
        got = "null" if m.selected is None else f"an arm with λ = {m.selected.lam:g}"
        raise DerivedMismatch(("selected",), f"stored selected is {got} but the rule (highest "
                              f"delta_pwmcc_lcb among λ > 0 arms with mean ev_drop ≤ "
                              f"{m.ev_drop_budget:g}) gives {want}")


def _same(a: Any, b: Any) -> bool:
    """Equal structure, numbers equal within the tolerance (a copy written by another tool)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return close(a, b, a)
    return bool(a == b)


def external_selection(m: Any) -> None:
    """lcb null iff < 2 seeds, eligible, rank and pareto of every row, from the rows' scores."""
    lcbs: dict[str, list[float]] = {}
    for i, row in enumerate(m.rows):
        scores = {sc.benchmark: sc for sc in row.scores}
        for j, sc in enumerate(row.scores):
            # A bound needs 2 seeds; with 2 or more it is null only when the deltas' variance
            # is degenerate (stats.spread_problem), and then the row cannot be eligible.
            if (sc.lcb is not None and len(sc.seeds) < 2) or (
                    sc.lcb is None and len(sc.seeds) >= 2 and row.eligible):
                raise DerivedMismatch(("rows", i, "scores", j, "lcb"),
                                      f"lcb is {sc.lcb} with {len(sc.seeds)} seed(s): a bound "
                                      "exists exactly when there are at least 2 seeds (null "
                                      "with more only for degenerate deltas, never eligible)")
        missing = [b for b in m.benchmarks if b not in scores]
        short = [b for b in m.benchmarks if b in scores and len(scores[b].seeds) < m.min_seeds]
        # Eligible needs every benchmark with enough seeds; a row may be ineligible for a reason
        # the scores cannot show (degenerate deltas), but then it must say why.
        if row.eligible and (missing or short):
            raise DerivedMismatch(("rows", i, "eligible"), f"stored eligible {row.eligible} but "
                                  f"missing {missing}, under min_seeds {m.min_seeds}: {short}")
        if not row.eligible and not row.reason:
            raise DerivedMismatch(("rows", i, "reason"), "an ineligible row must say why")
        if row.eligible:
            lcbs[row.candidate_id] = [scores[b].lcb for b in m.benchmarks]
    for b_index, bench in enumerate(m.benchmarks):
        order = sorted(lcbs, key=lambda c: (-lcbs[c][b_index], c))
        rank = {c: r for r, c in enumerate(order, start=1)}
        for i, row in enumerate(m.rows):
            for j, sc in enumerate(row.scores):
                if sc.benchmark == bench and sc.rank != rank.get(row.candidate_id):
                    raise DerivedMismatch(("rows", i, "scores", j, "rank"),
                                          f"stored rank {sc.rank} but by lcb among eligible "
                                          f"rows it is {rank.get(row.candidate_id)}")
    front = {c for c in lcbs if not any(dominates(lcbs[o], lcbs[c]) for o in lcbs)}
    for i, row in enumerate(m.rows):
        if row.pareto != (row.candidate_id in front):
            raise DerivedMismatch(("rows", i, "pareto"), f"stored pareto {row.pareto} but the "
                                  "lcbs of the eligible rows say "
                                  f"{row.candidate_id in front}")
    best = min(front, key=lambda c: (-min(lcbs[c]), -sum(lcbs[c]), c)) if front else None
    if m.selected != best:
        raise DerivedMismatch(("selected",), f"stored selected {m.selected!r} but the rule gives "
                              f"{best!r}")


def sweep_aggregate(m: Any) -> None:
    """lcb ≤ mean ≤ ucb, no bounds under n = 2; the frontier's pareto flags from its values."""
    for i, agg in enumerate(m.by_axis):
        # No bound under 2 rows; a pairwise metric has none under 3 seeds per condition.
        if (agg.lcb is None) != (agg.ucb is None) or (agg.n < 2 and agg.lcb is not None):
            raise DerivedMismatch(("by_axis", i), f"bounds {agg.lcb}, {agg.ucb} with n {agg.n}: "
                                  "both or neither, and none under n = 2")
        tol = ATOL + RTOL * abs(agg.mean)
        if agg.lcb is not None and agg.ucb is not None and not (
                agg.lcb - tol <= agg.mean <= agg.ucb + tol):
            raise DerivedMismatch(("by_axis", i, "mean"), f"mean {agg.mean:.6g} outside its "
                                  f"bounds [{agg.lcb:.6g}, {agg.ucb:.6g}]")
    f = m.frontier
    if f is None:
        return
    for i, row in enumerate(f.rows):
        if {o.metric for o in f.objectives} != set(row.values):
            raise DerivedMismatch(("frontier", "rows", i, "values"),
                                  f"values for {sorted(row.values)} but objectives are "
                                  f"{sorted(o.metric for o in f.objectives)}")

    def signed(v: dict[str, float]) -> list[float]:
        return [v[o.metric] if o.goal == "max" else -v[o.metric] for o in f.objectives]

    for i, row in enumerate(f.rows):
        dominated = any(dominates(signed(o.values), signed(row.values)) for o in f.rows)
        if row.pareto == dominated:
            raise DerivedMismatch(("frontier", "rows", i, "pareto"),
                                  f"stored pareto {row.pareto} but the row is "
                                  f"{'dominated' if dominated else 'not dominated'}")


def lm_training(m: Any) -> None:
    """uniform_loss = ln(d_vocab); final_val_loss = the last loss point's val_loss."""
    uniform = math.log(m.d_vocab)
    if not close(m.uniform_loss, uniform):
        raise DerivedMismatch(("uniform_loss",), f"stored uniform_loss {m.uniform_loss:.6g} but "
                              f"ln(d_vocab {m.d_vocab}) = {uniform:.6g}")
    last = m.loss_curve[-1].val_loss
    if last is not None and not close(m.final_val_loss, last):
        raise DerivedMismatch(("final_val_loss",), f"stored final_val_loss "
                              f"{m.final_val_loss:.6g} but the last loss point's val_loss is "
                              f"{last:.6g}")

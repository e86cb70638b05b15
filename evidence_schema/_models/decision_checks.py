"""Does a recorded gate's status follow from what it records? (``_decision_rules`` applied to a
``GateResult``; the decision model calls these from its validators.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._decision_rules import compare, group_status

if TYPE_CHECKING:
    from .decision import GateResult


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


def walk(gates: list[GateResult]) -> list[GateResult]:
    """Every gate of ``gates`` and of their children, at any depth."""
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

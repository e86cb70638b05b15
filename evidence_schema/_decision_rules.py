"""How a decision's statuses follow from what it records: one definition for `check` and for
validating a decision file.

`policy` evaluates gates with these rules, and the decision model re-applies them when a
decision is read, so a hand-edited decision (a status set to pass over a failing observed value,
a group passed by an advisory child, a verdict that ignores a gate) does not validate.

Rules (fail closed):

* a leaf passes when ``observed <op> threshold`` holds and it counted at least ``min_seeds``
  seeds; ``missing``, ``invalid`` and ``error`` carry no observed value and never pass;
* an advisory (``required: false``) gate never decides a group or the verdict: a group is
  decided by its *required* children only — ``all:`` passes when every required child passes,
  ``any:`` when at least one required child passes; a group with no required child is
  ``invalid`` (nothing may decide it, so it cannot pass);
* a group that does not pass reports the worst status of its required children
  (error > invalid > missing > fail > waived);
* the verdict is ``pass`` when every required top-level gate passes, ``waived`` when each of
  them passes or is validly waived, else ``fail`` (also when no gate is required).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

# Worst first: the status a group reports when it does not pass.
SEVERITY: tuple[str, ...] = ("error", "invalid", "missing", "fail", "waived", "pass")

NO_REQUIRED_CHILD = "no required sub-gate: an advisory gate never decides a group"


def compare(observed: float, op: str, threshold: float) -> bool:
    """``observed op threshold`` for op in ``>= > <= <``; KeyError for another op."""
    return {
        ">=": observed >= threshold,
        ">": observed > threshold,
        "<=": observed <= threshold,
        "<": observed < threshold,
    }[op]


def worst(statuses: Iterable[str]) -> str:
    return min(statuses, key=SEVERITY.index)


def group_status(mode: str, children: Sequence[tuple[str, bool]]) -> str:
    """Status of an ``all``/``any`` group from its children's ``(status, required)``."""
    statuses = [s for s, required in children if required]
    if not statuses:
        return "invalid"
    if mode == "all":
        return "pass" if all(s == "pass" for s in statuses) else worst(statuses)
    if mode == "any":
        return "pass" if any(s == "pass" for s in statuses) else worst(statuses)
    raise ValueError(f"unknown combinator {mode!r} (all or any)")


def verdict(gates: Iterable[tuple[str, bool]]) -> str:
    """The decision's verdict from its top-level gates' ``(status, required)``."""
    statuses = {s for s, required in gates if required}
    if not statuses:
        return "fail"
    if statuses == {"pass"}:
        return "pass"
    if statuses <= {"pass", "waived"}:
        return "waived"
    return "fail"

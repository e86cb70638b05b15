"""Check one status claim against a gate decision: a gate, a policy gate group, or the release.

The decision is the latest one (``--decision`` or found in the repository), or a historical
gate output the claim's scope cites (an older decision, another tool's gate JSON). A claim
that nothing can check is ``unverifiable``: an error unless the user says ``--no-decision``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from evidence_schema import GateResult

from ._decision import Decision, gate_staleness, normalize_name
from ._result import Verdict
from ._status import StatusClaim

_CLAIM_WORD = {"pass": "a positive", "fail": "a negative", "waived": "a waived"}


@dataclass(frozen=True)
class StatusOutcome:
    verdict: Verdict
    message: str
    explanation: tuple[str, ...]
    artifact: str | None = None
    pointer: str | None = None
    value: str | None = None


def _agrees(polarity: str, actual: str) -> bool:
    """Fail closed: only ``pass`` is a pass; a waived claim agrees only with ``waived``."""
    return {"pass": actual == "pass", "waived": actual == "waived",
            "fail": actual != "pass"}[polarity]


def _group_status(statuses: Sequence[str]) -> str:
    if statuses and all(s == "pass" for s in statuses):
        return "pass"
    if statuses and all(s in ("pass", "waived") for s in statuses):
        return "waived"
    return "fail"


def check_status(
    sc: StatusClaim, d: Decision | None, dname: str | None,
    groups: Mapping[str, tuple[str, ...]], no_decision_note: str, source: str = "",
) -> StatusOutcome:
    """The verdict of ``sc`` against ``d`` (named ``dname``); ``source`` says why ``d``."""
    subj = sc.subject
    what = {"release": "the release as a whole", "group": f"gate group {subj.name!r}",
            "gate": f"gate {subj.name!r}"}[subj.kind]
    why = [f"{_CLAIM_WORD[sc.polarity]} status claim about {what}"]
    if source:
        why.append(source)
    if d is None or dname is None:
        why.append(no_decision_note)
        return StatusOutcome(
            "unverifiable", "no gate decision to check this status claim against (commit "
            "one, pass --decision FILE, or say --no-decision)", tuple(why))
    stale: list[str]
    reason: str
    if subj.kind == "release":
        actual = d.verdict
        stale = gate_staleness(d, None)
        pointer = "/verdict"
        label = f"the decision's verdict is {actual!r}"
        reason = d.model.summary
    elif subj.kind == "group":
        members = groups.get(subj.name)
        if members is None:
            defined = ", ".join(sorted(groups)) or "none"
            why.append(f"the policy defines no gate group {subj.name!r} (audit.gate_groups: "
                       f"{defined}); it is not the whole release")
            return StatusOutcome(
                "unverifiable", f"no gate group named {subj.name!r}: define it under "
                "audit.gate_groups in the policy (--policy FILE)", tuple(why), artifact=dname)
        found: list[tuple[str, GateResult | None]] = [
            (m, d.gates.get(normalize_name(m))) for m in members]
        statuses = [g.status if g is not None else "missing" for _, g in found]
        actual = _group_status(statuses)
        stale = []
        for _, g in found:
            if g is not None:
                stale += gate_staleness(d, g)
        pointer = "/gates"
        parts = [f"{m} is {s!r}" for (m, _), s in zip(found, statuses, strict=True)]
        label = f"gate group {subj.name!r} ({', '.join(members)}) is {actual!r}"
        reason = "; ".join(parts)
    else:
        gate = find_gate(d, subj.name)
        if gate is None:
            why.append(f"the decision has no gate named {subj.name!r}; it has "
                       f"{', '.join(sorted(d.gates)) or 'none'}")
            return StatusOutcome(
                "unverifiable", f"no gate named {subj.name!r} in the decision", tuple(why),
                artifact=dname)
        actual = gate.status
        stale = gate_staleness(d, gate)
        pointer = _gate_pointer(d, gate.name)
        label = f"gate {gate.name!r} is {actual!r}"
        reason = gate.reason
    why.append(f"{dname}: {label}" + (f" ({reason})" if reason else ""))
    # checked against a cited gate output, not the latest decision: say which, every time
    other = f" {dname} (a cited gate output, not the current decision)" if source else ""
    if not _agrees(sc.polarity, actual):
        return StatusOutcome(
            "contradicts-gate",
            f"claims {sc.polarity} but{' in' + other + ',' if other else ''} {label}"
            + (f": {reason}" if reason else ""),
            tuple(why), dname, pointer, actual)
    if stale:
        why.extend(stale)
        return StatusOutcome(
            "stale", f"agrees with{other or ' the decision'}, but its evidence changed since: "
            f"{stale[0]}", tuple(why), dname, pointer, actual)
    return StatusOutcome("verified", f"agrees{' with' + other if other else ''}: {label}",
                         tuple(why), dname, pointer, actual)


def find_gate(d: Decision, name: str) -> GateResult | None:
    """The gate ``name`` (normalized) names, also when prose spells it with other separators
    ("CE-Bench" for ``cebench``); None when no gate, or more than one, fits."""
    gate = d.gates.get(name)
    if gate is not None:
        return gate
    squashed = name.replace(" ", "")
    fits = {id(g): g for k, g in d.gates.items() if k.replace(" ", "") == squashed}
    return next(iter(fits.values())) if len(fits) == 1 else None


def _gate_pointer(d: Decision, name: str) -> str:
    for i, g in enumerate(d.model.gates):
        if g.name == name:
            return f"/gates/{i}/status"
        for j, ch in enumerate(g.children):
            if ch.name == name:
                return f"/gates/{i}/children/{j}/status"
    return "/gates"

"""Re-evaluate the decision a report is rendered from, before ``gate()``/``verdict()`` print it.

``render`` prints the decision's statuses as links the audit checks against that same decision,
so a forged decision (a failing one edited to pass consistently) would render "pass" and
``render --check`` against it would pass. The decision is therefore re-evaluated as ``audit``
and ``report`` do (releasegate/_decision_trust.py, ``releasegate verify``): one that does not
reproduce is refused (every difference); one that cannot be re-evaluated (files absent) is a
warning, an error under ``strict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class DecisionRefused(Exception):
    """The decision cannot be trusted: ``problems`` are the differences (or, under ``strict``,
    why it could not be re-evaluated). The CLI exits 1."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class DecisionCheck:
    decision: Path | None  # the decision re-evaluated; None when there is none
    warnings: list[str] = field(default_factory=list)  # unverified and notes, for stderr


def trust_decision(repo: Path, decision: Path | None = None,
                   strict: bool = False) -> DecisionCheck:
    """Re-evaluate ``decision`` (default: ``find_decision(repo)``) before rendering from it.

    Raises DecisionRefused when re-evaluation contradicts it, or when it cannot be re-evaluated
    and ``strict``. Returns the warnings to print otherwise. No decision, or a missing file: an
    empty result (rendering reports the missing file; a template without ``gate()`` needs none).
    """
    from .._decision_trust import reevaluate
    from . import find_decision

    path = decision if decision is not None else find_decision(repo)
    if path is None or not path.is_file():
        return DecisionCheck(None)
    trust = reevaluate(path, repo=repo)
    if trust.refused:
        raise DecisionRefused(trust.refused)
    if strict and trust.unverified:
        raise DecisionRefused([f"{u} (--strict)" for u in trust.unverified])
    return DecisionCheck(path, trust.notes + trust.unverified)

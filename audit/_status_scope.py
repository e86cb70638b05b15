"""Which gate decision a status claim is checked against, and the policy's gate groups.

The latest decision, unless the claim's own sentence, list item or table row cites a gate
output (an older releasegate decision, or another tool's gate JSON such as the programme's
``release_policy.json``) and the claim is about one gate, or about the release in the past
tense. Then the claim is about that output (issue 11, "Historical gate outputs"; red team 11:
a file cited elsewhere in the section never replaces the latest decision). Each output is
loaded once per run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ._claims import Citation
from ._decision import Decision, DecisionError, is_gate_output, load_gate_output
from ._index import Artifact
from ._policy import PolicyWordsError, load_audit_policy
from ._realpath import realpath
from ._status import StatusClaim


class GateOutputs:
    def __init__(self, repo: Path, latest: Decision | None,
                 gate_groups: dict[str, tuple[str, ...]] | None) -> None:
        self.repo = repo
        self.latest = latest
        self.notes: list[str] = []
        self._cache: dict[str, tuple[Decision | None, str]] = {}
        self._latest_real = realpath(latest.path) if latest is not None else None
        if gate_groups is None:
            gate_groups = self._groups_from_decision_policy()
        self.groups: dict[str, tuple[str, ...]] = {
            " ".join(k.lower().replace("_", " ").replace("-", " ").split()): v
            for k, v in gate_groups.items()}

    def _groups_from_decision_policy(self) -> dict[str, tuple[str, ...]]:
        """The gate groups of the policy the latest decision names, when it is readable here."""
        if self.latest is None:
            return {}
        real = self.latest.locate(self.latest.model.policy.path)
        if real is None:
            return {}
        try:
            return load_audit_policy(Path(real)).gate_groups
        except PolicyWordsError as e:
            self.notes.append(f"gate groups not read from the decision's policy: {e}")
            return {}

    def for_claim(self, arts: Sequence[Artifact]) -> tuple[Decision | None, str | None, str]:
        """(decision, its display name, why) for a claim whose scope cites ``arts``.

        ``why`` is empty when the latest decision applies; (None, None, why) when the cited
        gate output cannot be used (the claim is then unverifiable, never checked against the
        latest decision instead).
        """
        for art in arts:
            if art.is_dir or not art.parsed or art.error is not None:
                continue
            if not is_gate_output(art.data, art.evidence_kind):
                continue
            if self._latest_real is not None and realpath(art.path) == self._latest_real:
                return None, None, ""
            hit = self._cache.get(art.rel)
            if hit is None:
                try:
                    d: Decision | None = load_gate_output(art.path, art.rel, art.evidence_kind,
                                                          self.repo)
                    why = (f"its scope cites the gate output {art.rel}: checked against that, "
                           "not the latest decision")
                except DecisionError as e:
                    d, why = None, f"its scope cites the gate output {art.rel}, unusable: {e}"
                hit = (d, why)
                self._cache[art.rel] = hit
            return hit[0], art.rel if hit[0] is not None else None, hit[1]
        return None, None, ""


# "passed", "was green", "had failed": a claim about a past run, which a cited output may hold
_PAST_RE = re.compile(r"\b(?:passed|failed|succeeded|completed|was|were|had|did)\b",
                      re.IGNORECASE)


def historical_claim(sc: StatusClaim) -> bool:
    """May ``sc`` be about a cited gate output rather than the latest decision?

    A claim about one gate or group may be attributed to an output cited in its own sentence,
    list item or table row. A claim about the release ("Release gate: PASS", "all gates
    pass") is about the current release unless its sentence is in the past tense.
    """
    if sc.subject.kind != "release":
        return True
    a, b = sc.sentence
    return _PAST_RE.search(sc.unit.text, a, b) is not None


def claim_citations(sc: StatusClaim) -> list[Citation]:
    """Citations in the claim's own sentence (a paragraph or heading), or its own list item or
    table row; never those of an enclosing section."""
    unit = sc.unit
    own = [c for c in unit.scope.citations if c.scope is unit.scope]
    if unit.scope.kind in ("item", "row"):
        return own
    a, b = sc.sentence
    if b <= a:
        return []
    first = unit.position(a)
    last = unit.position(max(a, b - 1))
    return [c for c in own if first <= (c.line, c.column) <= last]

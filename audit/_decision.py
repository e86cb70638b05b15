"""The gate decision that status claims are checked against, and staleness (issue 3).

Lookup when ``--decision`` is not given: ``decision.json`` at the repository root, then
``.releasegate/decision.json``. With none, status claims cannot be verified (``unbacked``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from evidence_schema import DecisionEvidence, GateResult, sha256_file, validate_file

DEFAULT_DECISION_PATHS = ("decision.json", ".releasegate/decision.json")


class DecisionError(Exception):
    """The decision file named or found cannot be used (→ exit 2)."""


def normalize_name(name: str) -> str:
    """Gate names as prose writes them: "random-model", "Random model", "random_model"."""
    out = []
    prev_sep = False
    for ch in name.lower():
        if ch in "-_ \t":
            if not prev_sep:
                out.append(" ")
            prev_sep = True
        else:
            out.append(ch)
            prev_sep = False
    return "".join(out).strip()


@dataclass
class Decision:
    path: str
    model: DecisionEvidence
    gates: dict[str, GateResult] = field(default_factory=dict)  # normalized name → gate
    recorded: dict[str, str] = field(default_factory=dict)  # repo-relative path → sha256

    @property
    def verdict(self) -> str:
        return self.model.verdict


def _flatten(gates: list[GateResult], out: dict[str, GateResult]) -> None:
    stack = list(reversed(gates))
    while stack:
        g = stack.pop()
        out.setdefault(normalize_name(g.name), g)
        stack.extend(reversed(g.children))


def _norm_path(p: str, repo: Path) -> str:
    path = Path(p)
    if path.is_absolute():
        try:
            return PurePosixPath(path.resolve().relative_to(repo.resolve())).as_posix()
        except ValueError:
            return PurePosixPath(path).as_posix()
    return PurePosixPath(os.path.normpath(p).replace(os.sep, "/")).as_posix()


def load_decision(path: Path, repo: Path) -> Decision:
    res = validate_file(path)
    if not res.ok or not isinstance(res.model, DecisionEvidence):
        if res.problems:
            why = "; ".join(str(p) for p in res.problems[:3])
        else:
            why = f"kind is {res.kind!r}, not 'decision'"
        raise DecisionError(f"decision {path} is not a valid releasegate decision: {why}")
    d = Decision(str(path), res.model)
    _flatten(list(res.model.gates), d.gates)
    for use in res.model.evidence:
        d.recorded[_norm_path(use.path, repo)] = use.sha256
    return d


def find_decision(repo: Path) -> Path | None:
    for rel in DEFAULT_DECISION_PATHS:
        p = repo / rel
        if p.is_file():
            return p
    return None


def changed_since(decision: Decision, rel: str, current_sha: str | None) -> str | None:
    """Why the artifact at ``rel`` is stale relative to the decision, or None."""
    recorded = decision.recorded.get(rel)
    if recorded is None:
        return None
    if current_sha is None:
        return "the decision used this file but it can no longer be read"
    if current_sha != recorded:
        return (
            f"changed since the decision: sha256 now {current_sha[:12]}…, the decision used "
            f"{recorded[:12]}…"
        )
    return None


def gate_staleness(decision: Decision, gate: GateResult | None, repo: Path) -> list[str]:
    """Evidence of ``gate`` (or of the whole decision when None) that changed since."""
    paths = (
        [_norm_path(p, repo) for p in gate.evidence] if gate is not None
        else list(decision.recorded)
    )
    out: list[str] = []
    for rel in paths:
        if rel not in decision.recorded:
            continue
        full = repo / rel
        try:
            sha: str | None = sha256_file(full)
        except OSError:
            sha = None
        why = changed_since(decision, rel, sha)
        if why:
            out.append(f"{rel}: {why}")
    return out

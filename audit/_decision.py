"""The gate decision that status claims are checked against, and staleness (issue 3).

Lookup when ``--decision`` is not given: ``decision.json`` at the repository root, then
``.releasegate/decision.json``. With none, status claims cannot be verified (``unbacked``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from evidence_schema import DecisionEvidence, GateResult, sha256_file, validate_file

from ._realpath import realpath

DEFAULT_DECISION_PATHS = ("decision.json", ".releasegate/decision.json")


class DecisionError(Exception):
    """The decision file named or found cannot be used (→ exit 2)."""


_SEPARATORS = re.compile(r"[-_ \t]+")


def normalize_name(name: str) -> str:
    """Gate names as prose writes them: "random-model", "Random model", "random_model" →
    "random model" (lower case, each run of ``-``, ``_``, space or tab one space, stripped)."""
    return _SEPARATORS.sub(" ", name.lower()).strip()


@dataclass
class Decision:
    path: str
    model: DecisionEvidence
    base_dirs: list[Path] = field(default_factory=list)  # where relative paths may start
    repo: Path = field(default_factory=Path.cwd)
    gates: dict[str, GateResult] = field(default_factory=dict)  # normalized name → gate
    # real path of each evidence file the decision used → the sha256 it recorded
    recorded: dict[str, str] = field(default_factory=dict)
    # evidence paths the decision names that cannot be found any more
    unresolved: dict[str, str] = field(default_factory=dict)
    # paths are relative to the decision file (paths_relative_to: decision): no guessing
    exact: bool = False
    # why the decision cannot be re-evaluated from the files present (policy or evidence
    # missing or changed); `releasegate verify` does the full re-evaluation
    notes: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return self.model.verdict

    def locate(self, p: str) -> str | None:
        """Real path of an evidence path as the decision wrote it, or None if it is gone.

        ``releasegate check`` records paths as it was given them, relative to the directory
        it ran in, which audit cannot know. Tried in order: the repository root, the
        decision's directory, the current directory, then ever shorter tails of the path under
        the repository (``demo-out/evidence/x.json`` → ``evidence/x.json``).
        """
        if p.startswith(SHIPPED_POLICY_PREFIX):
            # A policy shipped with releasegate, recorded by its place in the package (not by
            # a machine path): read as plain YAML like --policy, without importing `policy`.
            shipped = _shipped_policy_dir()
            c = None if shipped is None else shipped / p.removeprefix(SHIPPED_POLICY_PREFIX)
            return realpath(c) if c is not None and c.is_file() else None
        path = Path(p)
        cands = [path] if path.is_absolute() else [b / path for b in self.base_dirs]
        if not path.is_absolute() and not self.exact:
            parts = PurePosixPath(p.replace(os.sep, "/")).parts
            cands += [self.repo.joinpath(*parts[i:]) for i in range(1, len(parts))]
        for c in cands:
            if c.is_file():
                return realpath(c)
        return None


SHIPPED_POLICY_PREFIX = "releasegate:policy/"


def _shipped_policy_dir() -> Path | None:
    """Where the installed `policy` package keeps its shipped YAML files, found without
    importing it (audit never imports the policy stage: docs/architecture.md)."""
    import importlib.util

    spec = importlib.util.find_spec("policy")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    return Path(locations[0]) if locations else None


def _flatten(gates: list[GateResult], out: dict[str, GateResult]) -> None:
    """Every gate by its name, and each sub-gate also by its dotted path ("external.cebench",
    as reports write it: red team 11)."""
    # Top-level names first: a sub-gate sharing a top-level gate's name must never stand for
    # it ("the OOD gate passes" is about the gate `ood`, not `external.ood`). A sub-gate's bare
    # name stands for it only when no other gate has that name; its dotted path always does.
    for g in gates:
        out[normalize_name(g.name)] = g
    bare: dict[str, list[GateResult]] = {}
    stack = [(ch, normalize_name(g.name)) for g in reversed(gates) for ch in reversed(g.children)]
    while stack:
        g, parent = stack.pop()
        name = normalize_name(g.name)
        path = f"{parent}.{name}"
        out.setdefault(path, g)
        bare.setdefault(name, []).append(g)
        stack.extend((ch, path) for ch in reversed(g.children))
    for name, found in bare.items():
        if name not in out and len(found) == 1:
            out[name] = found[0]


def load_decision(path: Path, repo: Path) -> Decision:
    res = validate_file(path)
    if not res.ok or not isinstance(res.model, DecisionEvidence):
        if res.problems:
            why = "; ".join(str(p) for p in res.problems[:3])
        else:
            why = f"kind is {res.kind!r}, not 'decision'"
        raise DecisionError(f"decision {path} is not a valid releasegate decision: {why}")
    return decision_from_model(res.model, path, repo)


def decision_from_model(model: DecisionEvidence, path: Path, repo: Path) -> Decision:
    """A ``Decision`` over ``model`` (read from ``path``): gates by name, evidence hashes."""
    exact = model.paths_relative_to == "decision"
    bases = [path.resolve().parent] if exact else [repo, path.resolve().parent, Path.cwd()]
    d = Decision(str(path), model, base_dirs=bases, repo=repo, exact=exact)
    _flatten(list(model.gates), d.gates)
    for use in model.evidence:
        real = d.locate(use.path)
        if real is None:
            d.unresolved[use.path] = use.sha256
        else:
            d.recorded[real] = use.sha256
    d.notes = reproducibility_notes(d)
    return d


def imported_note(d: Decision, shown: str | None = None) -> str | None:
    """The line every audit using an imported decision prints (None for evaluated ones);
    ``shown``: the decision's path as the audit displays it."""
    if d.model.basis != "imported":
        return None
    source = d.model.provenance.config.get("imported_from") or d.model.policy.path
    return (f"decision {shown or d.path} imported from {source} by import-gates: not "
            "re-evaluated by releasegate (its gates are another tool's booleans)")


def reproducibility_notes(d: Decision) -> list[str]:
    """Cheap checks (sha256 only) of whether ``d`` can be re-evaluated from the files here.

    Audit cannot import the policy engine; ``releasegate verify`` re-runs the evaluation.
    """
    if d.model.basis == "imported":
        return []  # another tool's gate output: nothing to re-evaluate (imported_note says so)
    why: list[str] = []
    policy = d.locate(d.model.policy.path)
    if policy is None:
        why.append(f"its policy {d.model.policy.path} is not found")
    elif sha256_file(policy) != d.model.policy.sha256:
        why.append(f"its policy {d.model.policy.path} changed (sha256)")
    if d.unresolved:
        why.append(f"{len(d.unresolved)} evidence file(s) it used are not found "
                   f"({', '.join(sorted(d.unresolved)[:3])})")
    changed = sorted(r for r, sha in d.recorded.items() if _sha_or_none(r) != sha)
    if changed:
        why.append(f"{len(changed)} evidence file(s) it used changed since (sha256)")
    if not why:
        return []
    return [f"decision {d.path} is not reproducible from the files present: "
            + "; ".join(why) + " (run `releasegate verify` for the full comparison)"]


def _sha_or_none(path: str) -> str | None:
    try:
        return sha256_file(path)
    except OSError:
        return None


def find_decision(repo: Path) -> Path | None:
    for rel in DEFAULT_DECISION_PATHS:
        p = repo / rel
        if p.is_file():
            return p
    return None


def changed_since(decision: Decision, real_path: str, current_sha: str | None) -> str | None:
    """Why the artifact at ``real_path`` is stale relative to the decision, or None."""
    recorded = decision.recorded.get(realpath(real_path))
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


def gate_staleness(decision: Decision, gate: GateResult | None) -> list[str]:
    """Evidence of ``gate`` (or of the whole decision when None) that changed since."""
    if gate is None:
        paths = [(real, real) for real in decision.recorded]
        gone = list(decision.unresolved)
    else:
        paths = []
        gone = []
        for p in gate.evidence:
            real = decision.locate(p)
            if real is None:
                if p in decision.unresolved:
                    gone.append(p)
            else:
                paths.append((p, real))
    out = [f"{p}: the decision used this file but it can no longer be found" for p in gone]
    for shown, real in paths:
        try:
            sha: str | None = sha256_file(real)
        except OSError:
            sha = None
        why = changed_since(decision, real, sha)
        if why:
            out.append(f"{shown}: {why}")
    return out


def is_gate_output(data: object, evidence_kind: str | None) -> bool:
    """Is a parsed artifact a gate output: a releasegate decision, or another tool's gate JSON
    (a ``gates`` object of booleans, as the programme's ``release_policy.json`` writes)?"""
    if evidence_kind == "decision":
        return True
    if not isinstance(data, dict):
        return False
    gates = data.get("gates")
    return isinstance(gates, dict) and bool(gates) and (
        "pass_all" in gates or all(isinstance(v, bool) for v in gates.values()))


def load_gate_output(path: Path, rel: str, evidence_kind: str | None, repo: Path) -> Decision:
    """The gate output at ``path`` as a ``Decision`` (raises ``DecisionError``).

    A releasegate decision is loaded as such; another tool's gate JSON goes through
    ``import_gate_output`` (its own ``pass_all`` is never trusted: the verdict is recomputed).
    """
    if evidence_kind == "decision":
        return load_decision(path, repo)
    from ._importer import GateImportError, import_gate_output

    try:
        model = import_gate_output(path, record_path=rel)
    except GateImportError as e:
        raise DecisionError(str(e)) from e
    return decision_from_model(model, path, repo)

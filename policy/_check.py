"""``check``: policy + evidence directory → a schema-valid decision, written atomically."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evidence_schema import (
    DecisionEvidence,
    DecisionProvenance,
    EvidenceUse,
    PolicyRef,
    Producer,
    library_versions,
    repository_state,
    sha256_file,
    validate_document,
    write_json_atomic,
)
from evidence_schema._models.decision import DeepCheckResult, DeepChecks

from ._errors import PolicyError
from ._evaluate import evaluate_policy, verdict_of
from ._evidence_set import EvidenceSet, display_path, load_evidence, rebase_evidence
from ._loader import load_policy, load_waivers

PRODUCER = "releasegate.check"


def _summary(decision_gates: list[Any], verdict: str) -> str:
    counts: dict[str, int] = {}
    for g in decision_gates:
        counts[g.status] = counts.get(g.status, 0) + 1
    parts = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    not_passing = [g.name for g in decision_gates if g.status != "pass" and g.required]
    why = f"; not passing: {', '.join(not_passing)}" if not_passing else ""
    return f"verdict {verdict.upper()}: {parts}{why}"


SHIPPED_PREFIX = "releasegate:"
_PACKAGE_DIR = Path(__file__).resolve().parent


def recorded_policy_path(path: str | os.PathLike[str], base: str | os.PathLike[str]) -> str:
    """How a decision names its policy: a policy shipped with releasegate as
    ``releasegate:policy/<name>/vN.yaml`` (the same file wherever releasegate is installed),
    any other as a path relative to ``base`` (the decision's directory). Never an absolute path
    or a ``../../`` chain into the machine's install location (issue 10 §5)."""
    p = Path(path).resolve()
    if p.is_relative_to(_PACKAGE_DIR):
        return SHIPPED_PREFIX + "policy/" + p.relative_to(_PACKAGE_DIR).as_posix()
    return display_path(path, base)


def resolve_recorded_policy(recorded: str, base: Path) -> Path:
    """The file a recorded policy path names (inverse of :func:`recorded_policy_path`)."""
    if recorded.startswith(SHIPPED_PREFIX + "policy/"):
        return _PACKAGE_DIR / recorded.removeprefix(SHIPPED_PREFIX + "policy/")
    return base / recorded


def check(
    policy_path: str | os.PathLike[str],
    evidence_dir: str | os.PathLike[str] | None,
    out: str | os.PathLike[str] | None = None,
    *,
    waivers_path: str | os.PathLike[str] | None = None,
    now: datetime | None = None,
    deep: bool = False,
    paths_base: str | os.PathLike[str] | None = None,
    evidence: EvidenceSet | None = None,
) -> DecisionEvidence:
    """Evaluate every gate and return the decision (also written to ``out`` when given).

    ``evidence``: the set already loaded from ``evidence_dir`` (``load_evidence``), for callers
    that report on it too (the CLI counts skipped non-evidence JSON); loaded here when None.
    Raises PolicyError for an unreadable policy or waiver file (usage errors); every problem
    with evidence is recorded in the decision instead.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    loaded = load_policy(policy_path)
    names = {g.name for g in loaded.policy.gates}
    extra = load_waivers(waivers_path, names) if waivers_path is not None else []
    if evidence_dir is not None and not Path(evidence_dir).is_dir():
        what = "not a directory" if Path(evidence_dir).exists() else "evidence directory not found"
        raise PolicyError(what, path=os.fspath(evidence_dir))
    ev = evidence if evidence is not None else load_evidence(evidence_dir)
    # Recorded paths are relative to the decision file (or to the cwd when none is written), so
    # a decision verifies wherever it is copied with its files and whatever cwd `check` ran in.
    base = Path(paths_base if paths_base is not None
                else Path(out).resolve().parent if out is not None else Path.cwd())
    relative_to = "decision" if out is not None or paths_base is not None else "working_directory"
    ev = rebase_evidence(ev, base)
    deep_checks = _run_deep_checks(ev) if deep else None
    gates = evaluate_policy(loaded.policy, ev, now, extra)
    verdict = verdict_of(gates)
    used_paths = {p for g in gates for p in _all_paths(g)}
    # The state of the repository holding the evidence (or the cwd), not of the policy's
    # directory: with the shipped policy that was releasegate's own checkout.
    commit, dirty, git_note = repository_state(
        evidence_dir if evidence_dir is not None else Path.cwd(),
        "the evidence directory" if evidence_dir is not None else "the working directory",
        # an untracked or ignored file that decided a gate makes the state dirty
        [base / f.path for f in ev.files if f.path in used_paths])
    versions = library_versions()
    decision = DecisionEvidence(
        created_at=now,
        producer=Producer(name=PRODUCER, version=versions.releasegate),
        provenance=DecisionProvenance(
            git_commit=commit,
            git_dirty=dirty,
            git_note=git_note,
            config={
                "policy": recorded_policy_path(policy_path, base),
                "evidence_dir": None if evidence_dir is None else display_path(evidence_dir, base),
                "waivers": None if waivers_path is None else display_path(waivers_path, base),
                "waivers_sha256": None if waivers_path is None else sha256_file(waivers_path),
                "now": now.isoformat(),
            },
            versions={"python": versions.python, "releasegate": versions.releasegate},
        ),
        policy=PolicyRef(
            name=loaded.policy.name,
            version=loaded.policy.version,
            path=recorded_policy_path(policy_path, base),
            sha256=loaded.sha256,
        ),
        evidence=[
            EvidenceUse(path=f.path, sha256=f.sha256, kind=f.kind)
            for f in ev.files
            if f.path in used_paths
        ],
        unreadable=[
            f"{r.path}: {r.problems[0] if r.problems else 'invalid'}" for r in ev.invalid
        ],
        gates=gates,
        verdict=verdict,
        summary=_summary(gates, verdict),
        deep_checks=deep_checks,
        paths_relative_to=relative_to,
    )
    if out is not None:
        write_decision(out, decision)
    return decision


def _run_deep_checks(ev: Any) -> DeepChecks:
    """Run the tabular suites; evidence that fails them becomes unusable (fail closed).

    Imported here, not at the top: the suites import great-expectations, which takes seconds
    and must stay off the default path.
    """
    from evidence_schema import Problem
    from evidence_schema._validate import FileResult
    from evidence_schema.tabular import run_deep_checks

    report = run_deep_checks([(f.path, f.data) for f in ev.files])
    failed: dict[str, list[str]] = {}
    for r in report.failed:
        failed.setdefault(r.path, []).append(r.message)
    for f in [f for f in ev.files if f.path in failed]:
        ev.files.remove(f)
        ev.invalid.append(FileResult(
            path=f.path, kind=f.kind, sha256=f.sha256, data=f.data,
            problems=[Problem(f.path, None, "", "deep check failed: " + m)
                      for m in failed[f.path]]))
    return DeepChecks(
        engine=report.engine, success=report.success,
        results=[DeepCheckResult(path=r.path, table=r.table, expectation=r.expectation,
                                 success=r.success, message=r.message)
                 for r in report.results])


def _all_paths(g: Any) -> list[str]:
    return list(g.evidence) + [p for c in g.children for p in _all_paths(c)]


def decision_document(decision: DecisionEvidence) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(decision.model_dump_json())
    return doc


def write_decision(path: str | os.PathLike[str], decision: DecisionEvidence) -> str:
    doc = decision_document(decision)
    checked = validate_document(doc, str(path))
    if not checked.ok:  # a bug, not a user error: never write an invalid decision
        raise RuntimeError("decision failed its own schema: " + "; ".join(
            str(p) for p in checked.problems))
    return write_json_atomic(path, doc)

"""``verify``: re-run a decision's evaluation from the files it names and compare.

A decision records the policy and every evidence file it used with their sha256, the evidence
directory, the waiver file and the evaluation time (``--now``). Verification

1. reads the decision (a file that does not validate — e.g. a status that contradicts its own
   observed value — is reported as not reproduced, with the validator's reasons);
2. checks the sha256 of the policy, the waiver file and each evidence file as found now;
3. runs ``check`` again with the same policy, evidence directory, waivers, time and ``--deep``
   setting, recording paths against the same base, and compares every gate (status, observed,
   threshold, seeds, evidence, reason), the evidence used and the verdict.

Paths are resolved against the decision's directory (``paths_relative_to: decision``) or the
current directory (``working_directory``). When the recorded policy path does not exist but the
shipped policy has the recorded sha256, the shipped policy is used (and a note says so).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from evidence_schema import DecisionEvidence, GateResult, sha256_file, validate_file

from ._check import check, resolve_recorded_policy
from ._errors import PolicyError
from ._loader import DEFAULT_POLICY
from ._shipped import shipped_note

# Fields of a gate compared on re-evaluation; observed is compared numerically.
_GATE_FIELDS = ("status", "statistic", "comparison", "threshold", "min_seeds", "n_seeds",
                "seeds_used", "evidence", "required", "combinator", "basis", "reason")


class VerifyError(Exception):
    """The decision cannot be read at all (missing, not JSON, not a decision): exit 2."""


@dataclass
class VerifyResult:
    decision: str
    reproduced: bool
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    verdict: str | None = None
    # Re-evaluated from the files present (all of them, or only the evidence files the decision
    # names when its evidence directory is gone) and the outcome differs: forged or stale, not
    # merely unverifiable here.
    contradicted: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"decision": self.decision, "reproduced": self.reproduced,
                "verdict": self.verdict, "differences": self.differences, "notes": self.notes,
                "contradicted": self.contradicted}

    def to_text(self) -> str:
        if self.reproduced:
            head = f"reproduced: {self.decision} (verdict {self.verdict})"
        else:
            head = f"NOT reproduced: {self.decision}"
        lines = [head] + [f"  differs: {d}" for d in self.differences]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _read(path: Path) -> tuple[DecisionEvidence | None, list[str]]:
    if not path.is_file():
        raise VerifyError(f"{path}: no such decision file")
    res = validate_file(path)
    if res.kind is not None and res.kind != "decision":
        raise VerifyError(f"{path}: kind is {res.kind!r}, not a decision")
    if res.ok and isinstance(res.model, DecisionEvidence):
        return res.model, []
    if isinstance(res.data, dict) and res.data.get("kind") == "decision":
        # A decision that does not validate (e.g. hand-edited statuses) is not reproduced.
        return None, [f"not a consistent decision: {p}" for p in res.problems]
    why = "; ".join(str(p) for p in res.problems[:3]) or "unreadable"
    raise VerifyError(f"{path}: not a releasegate decision: {why}")


def _base(decision: DecisionEvidence, path: Path, base: Path | None = None) -> Path:
    if base is not None:
        return base
    if decision.paths_relative_to == "decision":
        return path.resolve().parent
    return Path.cwd()


def _sha(path: Path) -> str | None:
    try:
        return sha256_file(path)
    except OSError:
        return None


def _policy_file(d: DecisionEvidence, base: Path, out: VerifyResult) -> Path | None:
    p = resolve_recorded_policy(d.policy.path, base)
    sha = _sha(p)
    if sha is None and _sha(DEFAULT_POLICY) == d.policy.sha256:
        out.notes.append(f"policy {d.policy.path} not found here; the shipped policy has the "
                         "recorded sha256 and is used")
        return DEFAULT_POLICY
    if sha is None:
        out.differences.append(f"policy {d.policy.path}: not found")
        return None
    if sha != d.policy.sha256:
        out.differences.append(f"policy {d.policy.path}: sha256 now {sha[:12]}…, the decision "
                               f"recorded {d.policy.sha256[:12]}…")
    return p


def _config_path(d: DecisionEvidence, key: str, base: Path) -> Path | None:
    value = d.provenance.config.get(key)
    return None if value is None else base / str(value)


def _same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return a == b or math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)


def _compare_gates(old: list[GateResult], new: list[GateResult], where: str,
                   out: list[str], skip: tuple[str, ...] = ()) -> None:
    olds = {g.name: g for g in old}
    news = {g.name: g for g in new}
    for name in olds.keys() - news.keys():
        out.append(f"{where}{name}: recorded, but the policy has no such gate now")
    for name in news.keys() - olds.keys():
        out.append(f"{where}{name}: not in the decision")
    for name in [n for n in olds if n in news]:
        a, b = olds[name], news[name]
        at = f"{where}{name}"
        if not _same_number(a.observed, b.observed):
            out.append(f"{at}: observed recorded {a.observed!r}, now {b.observed!r}")
        for f in (f for f in _GATE_FIELDS if f not in skip):
            va, vb = getattr(a, f), getattr(b, f)
            if va != vb and not (f == "reason" and a.observed != b.observed):
                out.append(f"{at}: {f} recorded {va!r}, now {vb!r}")
        if (a.waiver is None) != (b.waiver is None) or (a.waiver and a.waiver != b.waiver):
            out.append(f"{at}: waiver recorded {a.waiver!r}, now {b.waiver!r}")
        _compare_gates(list(a.children), list(b.children), at + "/", out, skip)


def _now(d: DecisionEvidence) -> datetime:
    raw = d.provenance.config.get("now")
    if isinstance(raw, str):
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            pass
    return d.created_at


def verify_decision(
    path: str | os.PathLike[str], base: str | os.PathLike[str] | None = None
) -> VerifyResult:
    """Re-evaluate the decision at ``path``; ``reproduced`` only when nothing differs.

    ``base``: the directory its relative paths start from, when not the one it records.

    Raises VerifyError when the file is missing or is not a decision at all. Every other
    problem (inconsistent decision, changed or missing files, different outcomes) is a
    difference in the result.
    """
    p = Path(path)
    result = VerifyResult(decision=str(path), reproduced=False)
    d, problems = _read(p)
    if d is None:
        result.differences = problems
        return result
    result.verdict = d.verdict
    posing = shipped_note(d.policy.name, d.policy.version, d.policy.sha256)
    if posing:
        result.notes.append(posing)
    if d.producer.name != "releasegate.check":
        result.differences.append(f"produced by {d.producer.name!r}, not by `releasegate "
                                  "check`: there is no policy evaluation to re-run")
        return result
    base_dir = _base(d, p, None if base is None else Path(base))
    policy = _policy_file(d, base_dir, result)
    for use in d.evidence:
        sha = _sha(base_dir / use.path)
        if sha is None:
            result.differences.append(f"evidence {use.path}: not found")
        elif sha != use.sha256:
            result.differences.append(f"evidence {use.path}: sha256 now {sha[:12]}…, the "
                                      f"decision recorded {use.sha256[:12]}…")
    evidence_dir = _config_path(d, "evidence_dir", base_dir)
    waivers = _config_path(d, "waivers", base_dir)
    recorded = d.provenance.config.get("waivers_sha256")
    if waivers is not None and isinstance(recorded, str):
        sha = _sha(waivers)
        if sha != recorded:
            now_is = "not found" if sha is None else f"sha256 now {sha[:12]}…"
            result.differences.append(f"waivers {d.provenance.config.get('waivers')}: {now_is}, "
                                      f"the decision recorded {recorded[:12]}…")
    if evidence_dir is not None and not evidence_dir.is_dir():
        result.differences.append(f"evidence directory {evidence_dir}: not found")
        evidence_dir = None
        files_intact = len(result.differences) == 1
        if policy is not None and files_intact and d.evidence:
            # Every file the decision used is here unchanged: what they give can still be
            # re-evaluated, so a forged outcome is caught even when the folder was renamed.
            _reevaluate_recorded_files(d, policy, base_dir, waivers, result)
    if policy is None or (d.provenance.config.get("evidence_dir") and evidence_dir is None):
        return result
    intact = not result.differences  # every file the decision names is here, unchanged
    try:
        again = check(policy, evidence_dir, waivers_path=waivers, now=_now(d),
                      deep=d.deep_checks is not None, paths_base=base_dir)
    except PolicyError as e:
        result.differences.append(f"re-evaluation failed: {e}")
        return result
    if again.paths_relative_to != d.paths_relative_to:  # re-run without a file: say which base
        again = again.model_copy(update={"paths_relative_to": d.paths_relative_to})
    _compare(d, again, result)
    result.reproduced = not result.differences
    result.contradicted = intact and not result.reproduced
    return result


def _reevaluate_recorded_files(d: DecisionEvidence, policy: Path, base: Path,
                               waivers: Path | None, result: VerifyResult) -> None:
    """Re-run the policy over copies of exactly the evidence files ``d`` names and compare the
    gates and the verdict (not the paths): a difference marks ``result`` contradicted."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="releasegate-verify-") as tmp:
        for i, use in enumerate(d.evidence):
            shutil.copyfile(base / use.path, Path(tmp) / f"{i:04d}-{Path(use.path).name}")
        try:
            again = check(policy, tmp, waivers_path=waivers, now=_now(d),
                          deep=d.deep_checks is not None, paths_base=tmp)
        except PolicyError as e:
            result.differences.append(f"re-evaluation of the recorded files failed: {e}")
            return
    diffs: list[str] = []
    if again.verdict != d.verdict:
        diffs.append(f"verdict recorded {d.verdict!r}, now {again.verdict!r}")
    # Outcomes only: the copies have other paths, so evidence lists and reasons naming files
    # differ by construction.
    _compare_gates(list(d.gates), list(again.gates), "gates/", diffs, skip=("evidence", "reason"))
    if diffs:
        result.contradicted = True
        result.differences += [f"re-evaluated on the {len(d.evidence)} evidence file(s) the "
                               f"decision names: {x}" for x in diffs]


def _compare(d: DecisionEvidence, again: DecisionEvidence, result: VerifyResult) -> None:
    diffs = result.differences
    if again.verdict != d.verdict:
        diffs.append(f"verdict recorded {d.verdict!r}, now {again.verdict!r}")
    rec = {(e.path, e.sha256, e.kind) for e in d.evidence}
    now = {(e.path, e.sha256, e.kind) for e in again.evidence}
    for e in sorted(now - rec):
        diffs.append(f"evidence used now but not recorded: {e[0]} ({e[2]}, {e[1][:12]}…)")
    for e in sorted(rec - now):
        diffs.append(f"evidence recorded but not used now: {e[0]} ({e[2]}, {e[1][:12]}…)")
    if sorted(again.unreadable) != sorted(d.unreadable):
        diffs.append(f"unreadable evidence recorded {d.unreadable}, now {again.unreadable}")
    for key in ("name", "version", "sha256"):
        if getattr(again.policy, key) != getattr(d.policy, key):
            diffs.append(f"policy {key} recorded {getattr(d.policy, key)!r}, now "
                         f"{getattr(again.policy, key)!r}")
    _compare_gates(list(d.gates), list(again.gates), "gates/", diffs)


def verify_json(result: VerifyResult) -> str:
    return json.dumps(result.to_json(), indent=2)

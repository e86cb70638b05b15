"""Re-evaluate the decision that ``audit`` and ``report`` are about to use (application layer).

``audit`` cannot import the policy engine (layers), so its checks of a decision are cheap ones
(schema, self-consistency, sha256 of the files it names). A decision can pass all of them and
still not be what ``check`` says: a consistently edited observed value, a gate removed or made
advisory, or evidence added to its folder after it was made. The application can import
``policy``, so it runs ``policy.verify_decision`` (``releasegate verify``) first:

* the policy, evidence directory, waiver file and every evidence file it names are present →
  re-evaluated; any difference refuses the decision (``refused``: every difference listed);
* some of them are absent → it cannot be re-evaluated: ``unverified`` says which (a note, an
  error under ``--strict``);
* an imported decision (``import-gates``) is not re-evaluated here: audit notes it itself.

Also a note when the decision's policy has the name of a shipped policy but is not one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from evidence_schema import DecisionEvidence, validate_file


@dataclass
class DecisionTrust:
    refused: list[str] = field(default_factory=list)  # not reproduced: each difference
    unverified: list[str] = field(default_factory=list)  # could not be re-evaluated: why
    notes: list[str] = field(default_factory=list)


def _bases(d: DecisionEvidence, path: Path, base: Path | None, repo: Path | None) -> list[Path]:
    """Where the decision's relative paths may start, most likely first: the base given, the
    decision's directory (``paths_relative_to: decision``), else the directory `check` ran
    in, which is unknown: the current directory, the repository root (as audit looks)."""
    if base is not None:
        return [base]
    if d.paths_relative_to == "decision":
        return [path.resolve().parent]
    return list(dict.fromkeys([Path.cwd(), *([repo.resolve()] if repo is not None else [])]))


def _absent(d: DecisionEvidence, base: Path) -> list[str]:
    """The files and folders re-evaluation needs that are not here."""
    from evidence_schema import sha256_file
    from policy import DEFAULT_POLICY, resolve_recorded_policy

    out = []
    # verify falls back to the shipped default policy when it has the recorded sha256
    if not resolve_recorded_policy(d.policy.path, base).is_file() and (
            d.policy.sha256 != sha256_file(DEFAULT_POLICY)):
        out.append(f"policy {d.policy.path}")
    for key in ("evidence_dir", "waivers"):
        value = d.provenance.config.get(key)
        if isinstance(value, str) and not (base / value).exists():
            out.append(f"{key.replace('_dir', ' directory')} {value}")
    out += [f"evidence {e.path}" for e in d.evidence if not (base / e.path).is_file()]
    return out


def reevaluate(decision_path: str | os.PathLike[str], base: Path | None = None,
               repo: Path | None = None) -> DecisionTrust:
    """What re-evaluating the decision at ``decision_path`` says (see the module docstring).

    A file that is not a valid decision is left to the caller (audit and report refuse it
    with their own message); nothing is raised here for it.
    """
    from policy import VerifyError, shipped_note, verify_decision

    path = Path(decision_path)
    trust = DecisionTrust()
    res = validate_file(path)
    if not res.ok or not isinstance(res.model, DecisionEvidence):
        return trust
    d = res.model
    if d.basis == "imported":
        return trust  # audit prints "imported ...: not re-evaluated by releasegate"
    note = shipped_note(d.policy.name, d.policy.version, d.policy.sha256)
    if note:
        trust.notes.append(note)
    bases = _bases(d, path, base, repo)
    found = [(b, _absent(d, b)) for b in bases]
    where, absent = next(((b, a) for b, a in found if not a), found[0])
    if absent:
        # Even so, verify re-evaluates what is here (the evidence files the decision names, when
        # only their folder is gone): an outcome that differs refuses the decision.
        try:
            partial = verify_decision(path, where)
        except VerifyError:
            partial = None
        if partial is not None and partial.contradicted:
            trust.refused = [f"decision {path} refused: not reproduced by re-evaluating it "
                             f"(`releasegate verify`): {diff}" for diff in partial.differences]
            return trust
        trust.unverified.append(
            f"decision {path} could not be re-evaluated (`releasegate verify`): not found "
            f"from {where}: {', '.join(absent[:5])}"
            + (f" (+{len(absent) - 5} more)" if len(absent) > 5 else ""))
        return trust
    try:
        result = verify_decision(path, where)
    except VerifyError as e:  # validated above: only a race gets here
        trust.refused.append(f"decision {path}: {e}")
        return trust
    if not result.reproduced:
        trust.refused = [f"decision {path} refused: not reproduced by re-evaluating it "
                         f"(`releasegate verify`): {diff}" for diff in result.differences]
    return trust

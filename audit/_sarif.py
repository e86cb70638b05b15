"""SARIF 2.1.0 for GitHub code scanning (``audit --format sarif``).

Built as plain dicts: the SARIF object-model package on PyPI (``sarif-om`` 1.0.4, last
released 2019-10) only declares attrs classes and has no serializer, so it would add a
dependency without checking anything. The output is instead validated in the tests against
the official OASIS SARIF 2.1.0 JSON Schema vendored in tests/audit/data/.

What code scanning needs (and the schema alone does not enforce): ``artifactLocation.uri`` a
valid RFC 3986 relative reference (percent-encoded: ``my report, v2: 100%.md`` →
``my%20report%2C%20v2%3A%20100%25.md``), rules with ``help`` and ``helpUri``,
``partialFingerprints`` so an alert survives line moves, and ``automationDetails.id`` so runs
of this tool are told apart from other uploads.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from ._baseline import fingerprint
from ._result import VERDICTS, AuditResult, Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# Where the rules are documented: the package's "Repository"/"Source" Project-URL when its
# metadata has one, else the OWNER placeholder the docs use until the repository is published.
_PLACEHOLDER_REPO = "https://github.com/OWNER/releasegate"
AUTOMATION_ID = "releasegate/audit/"

DESCRIPTIONS: dict[str, str] = {
    "verified": "The claim agrees with the artifact or decision it was checked against.",
    "mismatch": "A number differs from the artifact value it evidently reports.",
    "unbacked": "No cited artifact or decision backs the claim.",
    "missing-artifact": "A cited artifact does not exist, cannot be parsed, or is invalid "
                        "evidence.",
    "contradicts-gate": "A status claim disagrees with the gate decision.",
    "stale": "The claim cites an artifact that changed since the gate decision.",
    "unsafe-path": "A cited path leaves the repository (.., absolute, or a symlink out).",
    "unverifiable": "A status claim that no gate decision can check (none committed, or the "
                    "gate or group is unknown).",
    "decision-error": "A claim of significance or of beating a baseline that the recomputed "
                      "confidence bound refutes.",
}
_HELP: dict[str, str] = {
    "verified": "Nothing to do.",
    "mismatch": "Copy the value from the artifact (the message gives it and its JSON "
                "pointer), or cite the artifact the number really comes from.",
    "unbacked": "Cite the artifact the number comes from in the same list item, table row or "
                "section, or bind it: [0.7451](path.json#/pointer).",
    "missing-artifact": "Fix the path, commit the artifact, or fix its content.",
    "contradicts-gate": "Say what the gate decision says, or fix the evidence and rerun "
                        "`releasegate check`.",
    "stale": "Rerun `releasegate check` on the current evidence, then re-audit.",
    "unsafe-path": "Cite a path inside the repository.",
    "unverifiable": "Commit the gate decision (`releasegate check --out decision.json`), pass "
                    "--decision FILE, define the gate group under audit.gate_groups, or say "
                    "--no-decision to make this a warning.",
    "decision-error": "Report what the interval supports (it crosses zero), or add seeds.",
}


def help_uri() -> str:
    """docs/audit.md in releasegate's repository (see ``_PLACEHOLDER_REPO``)."""
    from importlib import metadata

    repo = _PLACEHOLDER_REPO
    try:
        for entry in metadata.metadata("releasegate").get_all("Project-URL") or []:
            label, _, url = entry.partition(",")
            if label.strip().lower() in ("repository", "source") and url.strip():
                repo = url.strip().rstrip("/")
                break
    except metadata.PackageNotFoundError:
        pass
    return f"{repo}/blob/HEAD/docs/audit.md"


def sarif_uri(path: str) -> str:
    """A repository-relative path as an RFC 3986 relative reference (``/`` kept)."""
    # PurePath: "\\" separates on Windows only; on POSIX it is a character of the name
    return quote(PurePath(path).as_posix(), safe="/")


def _rules() -> list[dict[str, Any]]:
    doc = help_uri()
    out = []
    for v in VERDICTS:
        level = "error" if v not in ("unbacked", "verified") else (
            "warning" if v == "unbacked" else "note")
        out.append({
            "id": v,
            "name": "".join(p.capitalize() for p in v.split("-")),
            "shortDescription": {"text": DESCRIPTIONS.get(v, v)},
            "fullDescription": {"text": f"{DESCRIPTIONS.get(v, v)} {_HELP.get(v, '')}".strip()},
            "help": {"text": _HELP.get(v, DESCRIPTIONS.get(v, v)),
                     "markdown": _HELP.get(v, DESCRIPTIONS.get(v, v))},
            "helpUri": f"{doc}#what-is-a-claim",
            "defaultConfiguration": {"level": level},
        })
    return out


def _location(file: str, line: int | None = None, column: int | None = None) -> dict[str, Any]:
    phys: dict[str, Any] = {"artifactLocation": {"uri": sarif_uri(file),
                                                 "uriBaseId": "%SRCROOT%"}}
    if line is not None and line >= 1:
        region: dict[str, int] = {"startLine": line}
        if column is not None and column >= 1:
            region["startColumn"] = column
        phys["region"] = region
    return {"physicalLocation": phys}


def sarif_document(result: AuditResult, findings: list[Finding], version: str,
                   category: str = "") -> dict[str, Any]:
    """The SARIF log for ``findings`` of ``result`` (one run)."""
    rule_ids = list(VERDICTS)
    results = []
    for f in findings:
        props: dict[str, Any] = {"claim": f.claim, "kind": f.kind}
        for key, val in (("artifact", f.artifact), ("pointer", f.pointer),
                         ("artifactValue", f.artifact_value), ("difference", f.difference),
                         ("suppressed", f.suppressed)):
            if val is not None:
                props[key] = val
        res: dict[str, Any] = {
            "ruleId": f.verdict,
            "ruleIndex": rule_ids.index(f.verdict),
            "level": result.severity(f) if result.severity(f) != "note" else "note",
            "message": {"text": f"{f.claim}: {f.message}"},
            "locations": [_location(f.file, f.line, f.column)],
            "partialFingerprints": {"releasegateClaim/v1": fingerprint(f)},
            "properties": props,
        }
        if f.suppressed is not None:
            res["suppressions"] = [{"kind": "external" if f.suppressed.startswith("baseline")
                                    else "inSource", "justification": f.suppressed}]
        results.append(res)
    notifications = [
        {"level": "error", "message": {"text": f"{e.file}: not audited: {e.message}"},
         "locations": [_location(e.file, e.line)]}
        for e in result.file_errors
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "releasegate-audit", "version": version, "informationUri": help_uri(),
                "rules": _rules(),
            }},
            "automationDetails": {"id": AUTOMATION_ID + (category or "")},
            "originalUriBaseIds": {"%SRCROOT%": {
                "description": {"text": "The repository root (audit --repo)."}}},
            "invocations": [{
                "executionSuccessful": not result.file_errors,
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
            "properties": {"summary": result.counts(), "success": result.success},
        }],
    }

"""One renderer per output format, looked up by name (like check-jsonschema's reporters).

Text (grouped by file, coloured on a TTY), JSON, Markdown, GitHub workflow annotations and
SARIF 2.1.0. Every format ends with (or contains) the same summary counts.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from itertools import groupby
from typing import ClassVar

from ._result import VERDICTS, AuditResult, Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
JSON_SCHEMA_VERSION = "1.0"

_DESCRIPTIONS: dict[str, str] = {
    "verified": "The claim agrees with the artifact or decision it was checked against.",
    "mismatch": "A number differs from the artifact value it evidently reports.",
    "unbacked": "No cited artifact or decision backs the claim.",
    "missing-artifact": "A cited artifact does not exist, cannot be parsed, or is invalid "
                        "evidence.",
    "contradicts-gate": "A status claim disagrees with the gate decision.",
    "stale": "The claim cites an artifact that changed since the gate decision.",
    "unsafe-path": "A cited path leaves the repository (.., absolute, or a symlink out).",
}


class Reporter:
    name: ClassVar[str]

    def __init__(self, *, color: bool = False, verbose: bool = False) -> None:
        self.color = color
        self.verbose = verbose

    def render(self, result: AuditResult) -> str:
        raise NotImplementedError

    def shown(self, result: AuditResult) -> list[Finding]:
        fs = result.findings if self.verbose else [
            f for f in result.findings if f.verdict != "verified"
        ]
        return sorted(fs, key=lambda f: (f.file, f.line, f.column))


REPORTERS: dict[str, type[Reporter]] = {}


def register(cls: type[Reporter]) -> type[Reporter]:
    if cls.name in REPORTERS:
        raise ValueError(f"duplicate reporter name {cls.name!r}")
    REPORTERS[cls.name] = cls
    return cls


def get_reporter(name: str, *, color: bool = False, verbose: bool = False) -> Reporter:
    try:
        return REPORTERS[name](color=color, verbose=verbose)
    except KeyError:
        raise ValueError(
            f"unknown format {name!r}; choose from {', '.join(sorted(REPORTERS))}"
        ) from None


def render(result: AuditResult, fmt: str = "text", *, color: bool = False,
           verbose: bool = False) -> str:
    return get_reporter(fmt, color=color, verbose=verbose).render(result)


_COLORS = {"error": "\033[31m", "warning": "\033[33m", "note": "\033[32m"}
_RESET = "\033[0m"


@register
class TextReporter(Reporter):
    name = "text"

    def _paint(self, text: str, sev: str) -> str:
        return f"{_COLORS[sev]}{text}{_RESET}" if self.color else text

    def render(self, result: AuditResult) -> str:
        lines: list[str] = []
        for e in result.file_errors:
            lines.append(f"{e.file}: {self._paint('error', 'error')}: not audited: {e.message}")
        for file, group in groupby(self.shown(result), key=lambda f: f.file):
            lines.append(file)
            for f in group:
                sev = result.severity(f)
                verdict = self._paint(f"{f.verdict:<16}", sev)
                claim = f.claim if len(f.claim) <= 40 else f.claim[:39] + "…"
                lines.append(f"  {f.line}:{f.column}: {verdict} {claim!r}: {f.message}")
        for note in result.notes:
            lines.append(f"note: {note}")
        sev = "note" if result.success else "error"
        lines.append(self._paint(result.summary_line(), sev))
        return "\n".join(lines)


def _finding_dict(result: AuditResult, f: Finding) -> dict[str, object]:
    d = asdict(f)
    d["explanation"] = list(f.explanation)
    d["severity"] = result.severity(f)
    return d


@register
class JsonReporter(Reporter):
    name = "json"

    def render(self, result: AuditResult) -> str:
        doc = {
            "schema_version": JSON_SCHEMA_VERSION,
            "success": result.success,
            "exit_code": result.exit_code(),
            "strict": result.strict,
            "decision": result.decision,
            "summary": result.counts(),
            "files": result.files_audited,
            "file_errors": [asdict(e) for e in result.file_errors],
            "notes": result.notes,
            "findings": [_finding_dict(result, f) for f in sorted(
                result.findings, key=lambda f: (f.file, f.line, f.column))],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)


def _md_cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


@register
class MarkdownReporter(Reporter):
    name = "markdown"

    def render(self, result: AuditResult) -> str:
        out = ["# releasegate audit", "", f"**{result.summary_line()}**", ""]
        counts = result.counts()
        out += ["| verdict | count |", "|---|---|"]
        out += [f"| {v} | {n} |" for v, n in counts.items()]
        out.append("")
        for e in result.file_errors:
            out.append(f"- `{_md_cell(e.file)}`: not audited: {_md_cell(e.message)}")
        for file, group in groupby(self.shown(result), key=lambda f: f.file):
            out += ["", f"## `{file}`", "", "| line:col | verdict | claim | detail |",
                    "|---|---|---|---|"]
            for f in group:
                out.append(f"| {f.line}:{f.column} | {f.verdict} | `{_md_cell(f.claim)}` | "
                           f"{_md_cell(f.message)} |")
        for note in result.notes:
            out += ["", f"> {note}"]
        return "\n".join(out) + "\n"


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


@register
class GithubReporter(Reporter):
    name = "github"

    def render(self, result: AuditResult) -> str:
        out: list[str] = []
        for e in result.file_errors:
            out.append(f"::error file={_gh_escape(e.file, True)},title=audit"
                       f"::{_gh_escape('not audited: ' + e.message)}")
        for f in self.shown(result):
            sev = result.severity(f)
            cmd = {"error": "error", "warning": "warning", "note": "notice"}[sev]
            out.append(
                f"::{cmd} file={_gh_escape(f.file, True)},line={f.line},col={f.column},"
                f"title={_gh_escape('audit ' + f.verdict, True)}::"
                f"{_gh_escape(repr(f.claim) + ': ' + f.message)}"
            )
        out.append(result.summary_line())
        return "\n".join(out)


@register
class SarifReporter(Reporter):
    name = "sarif"

    def render(self, result: AuditResult) -> str:
        from importlib import metadata

        try:
            version = metadata.version("releasegate")
        except metadata.PackageNotFoundError:
            version = "0+unknown"
        rule_ids = list(VERDICTS)
        rules = [
            {
                "id": v,
                "name": "".join(p.capitalize() for p in v.split("-")),
                "shortDescription": {"text": _DESCRIPTIONS[v]},
                "defaultConfiguration": {
                    "level": "error" if v not in ("unbacked", "verified") else (
                        "warning" if v == "unbacked" else "note")
                },
            }
            for v in rule_ids
        ]
        level = {"error": "error", "warning": "warning", "note": "note"}
        results = []
        for f in self.shown(result):
            res: dict[str, object] = {
                "ruleId": f.verdict,
                "ruleIndex": rule_ids.index(f.verdict),
                "level": level[result.severity(f)],
                "message": {"text": f"{f.claim}: {f.message}"},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.file, "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }],
                "properties": {
                    "claim": f.claim, "kind": f.kind, "artifact": f.artifact,
                    "pointer": f.pointer, "artifactValue": f.artifact_value,
                    "difference": f.difference,
                },
            }
            results.append(res)
        notifications = [
            {"level": "error", "message": {"text": f"{e.file}: not audited: {e.message}"},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": e.file}}}]}
            for e in result.file_errors
        ]
        doc = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "releasegate-audit", "version": version,
                    "rules": rules,
                }},
                "invocations": [{
                    "executionSuccessful": not result.file_errors,
                    "toolExecutionNotifications": notifications,
                }],
                "results": results,
                "properties": {"summary": result.counts(), "success": result.success},
            }],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)



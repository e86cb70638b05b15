"""One renderer per output format, looked up by name (like check-jsonschema's reporters).

Text (errors first, grouped by file, then one line per file counting its warnings; coloured on
a TTY), JSON, Markdown, GitHub workflow annotations (errors first, capped at GitHub's per-step
limit) and SARIF 2.1.0 (audit/_sarif.py). Every format ends with (or contains) the same
summary counts.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from itertools import groupby
from operator import attrgetter
from typing import ClassVar, Literal

from ._result import AuditResult, Finding
from ._sarif import DESCRIPTIONS, SARIF_SCHEMA, sarif_document

JSON_SCHEMA_VERSION = "1.0"
Show = Literal["errors", "warnings", "all"]
# GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (and 50 per
# job); the rest are dropped silently. Source: actions/toolkit docs/problem-matchers.md,
# "Limitations".
GITHUB_PER_STEP = 10
__all__ = ["DESCRIPTIONS", "GITHUB_PER_STEP", "JSON_SCHEMA_VERSION", "REPORTERS", "SARIF_SCHEMA",
           "Reporter", "get_reporter", "register", "render"]

class Reporter:
    name: ClassVar[str]

    def __init__(self, *, color: bool = False, verbose: bool = False, show: Show = "errors",
                 max_annotations: int = GITHUB_PER_STEP) -> None:
        self.color = color
        self.verbose = verbose or show == "all"
        self.show: Show = "all" if verbose else show
        self.max_annotations = max_annotations

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


def get_reporter(name: str, *, color: bool = False, verbose: bool = False,
                 show: Show = "errors", max_annotations: int = GITHUB_PER_STEP) -> Reporter:
    try:
        return REPORTERS[name](color=color, verbose=verbose, show=show,
                               max_annotations=max_annotations)
    except KeyError:
        raise ValueError(
            f"unknown format {name!r}; choose from {', '.join(sorted(REPORTERS))}"
        ) from None


def render(result: AuditResult, fmt: str = "text", *, color: bool = False,
           verbose: bool = False, show: Show = "errors",
           max_annotations: int = GITHUB_PER_STEP) -> str:
    """``result`` in format ``fmt``; ``show``: which findings text output lists one by one."""
    return get_reporter(fmt, color=color, verbose=verbose, show=show,
                        max_annotations=max_annotations).render(result)


_RANK = {"error": 0, "warning": 1, "note": 2}


def by_severity(result: AuditResult, findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then notes; by file and position within each."""
    return sorted(findings, key=lambda f: (_RANK[result.severity(f)], f.file, f.line, f.column))


_COLORS = {"error": "\033[31m", "warning": "\033[33m", "note": "\033[32m"}
_RESET = "\033[0m"


@register
class TextReporter(Reporter):
    name = "text"

    def _paint(self, text: str, sev: str) -> str:
        return f"{_COLORS[sev]}{text}{_RESET}" if self.color else text

    def _line(self, result: AuditResult, f: Finding) -> str:
        verdict = self._paint(f"{f.verdict:<16}", result.severity(f))
        claim = f.claim if len(f.claim) <= 40 else f.claim[:39] + "…"
        tail = f" [{f.suppressed}]" if f.suppressed else ""
        return f"  {f.line}:{f.column}: {verdict} {claim!r}: {f.message}{tail}"

    def _grouped(self, result: AuditResult, findings: list[Finding], lines: list[str]) -> None:
        for file, group in groupby(sorted(findings, key=lambda f: (f.file, f.line, f.column)),
                                   key=lambda f: f.file):
            lines.append(file)
            lines.extend(self._line(result, f) for f in group)

    def render(self, result: AuditResult) -> str:
        lines: list[str] = []
        for e in result.file_errors:
            lines.append(f"{e.file}: {self._paint('error', 'error')}: not audited: {e.message}")
        # errors first, grouped by file: what fails the audit is never buried under warnings
        self._grouped(result, result.errors, lines)
        warnings = result.warnings
        if self.show in ("warnings", "all"):
            self._grouped(result, warnings, lines)
        elif warnings:
            per_file = Counter(f.file for f in warnings)
            for file, n in sorted(per_file.items()):
                kinds = Counter(f.verdict for f in warnings if f.file == file)
                what = ", ".join(f"{k} {v}" for v, k in sorted(kinds.items()))
                lines.append(f"{file}: {n} warning(s) ({what}); --show warnings lists them")
        if self.show == "all":
            self._grouped(result, [f for f in result.findings if result.severity(f) == "note"],
                          lines)
        for note in result.notes:
            lines.append(f"note: {note}")
        sev = "note" if result.success else "error"
        lines.append(self._paint(result.summary_line(), sev))
        return "\n".join(lines)


def _finding_dict(result: AuditResult, f: Finding) -> dict[str, object]:
    # A dict display, not asdict() (which deep-copies) nor a loop over fields(): a third of the
    # cost with 28,000 findings (issue 13). tests/audit/test_json_reporter.py holds its keys to
    # Finding's fields.
    return {"file": f.file, "line": f.line, "column": f.column, "claim": f.claim,
            "kind": f.kind, "verdict": f.verdict, "message": f.message, "artifact": f.artifact,
            "pointer": f.pointer, "artifact_value": f.artifact_value,
            "difference": f.difference, "explanation": list(f.explanation),
            "suppressed": f.suppressed, "severity": result.severity(f)}


_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False)


def finding_json(result: AuditResult, f: Finding) -> str:
    """One finding as the json reporter writes it (one line). ``Auditor.audit(prerender=)``
    takes this, so that a parallel audit encodes findings in its workers (issue 13)."""
    return _ENCODER.encode(_finding_dict(result, f))


def _encoded(result: AuditResult, f: Finding) -> str:
    # encoded during the audit only if it is this very finding (a baseline or an ignore comment
    # replaces a finding with a new object) at the same severity
    hit = result.prerendered.get(id(f))
    if hit is not None and hit[0] is f and hit[1] == result.severity(f):
        return hit[2]
    return finding_json(result, f)


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
            "findings": [],
        }
        head = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)
        findings = sorted(result.findings, key=attrgetter("file", "line", "column"))
        if not findings:
            return head
        # One finding per line, by the C encoder: with indent, json runs its pure-Python encoder,
        # a fifth of a large audit (issue 13). "findings" is the last key, so the envelope ends
        # with its empty list.
        envelope, tail = head[: -len("[]\n}")], head[-len("[]\n}"):]
        assert tail == "[]\n}" and envelope.endswith('"findings": '), tail
        body = ",\n".join("    " + _encoded(result, f) for f in findings)
        return f"{envelope}[\n{body}\n  ]\n}}"


def _md_cell(text: object) -> str:
    # Claims, file names and messages are the report author's text: shown as written, never
    # as markup (an extra column, **bold**, <b>, a code span closed early).
    from evidence_schema._markdown import md_text

    return md_text(text)


def _md_code(text: object) -> str:
    from evidence_schema._markdown import md_code

    return md_code(text)


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
            out.append(f"- {_md_code(e.file)}: not audited: {_md_cell(e.message)}")
        shown = self.shown(result)
        for title, sev in (("Errors", "error"), ("Warnings", "warning"), ("Notes", "note")):
            group_of = [f for f in shown if result.severity(f) == sev]
            if not group_of:
                continue
            out += ["", f"## {title}"]
            for file, group in groupby(group_of, key=lambda f: f.file):
                out += ["", f"### {_md_code(file)}", "",
                        "| line:col | verdict | claim | detail |", "|---|---|---|---|"]
                for f in group:
                    detail = _md_cell(f.message) + (f" ({_md_cell(f.suppressed)})"
                                                    if f.suppressed else "")
                    out.append(f"| {f.line}:{f.column} | {f.verdict} | {_md_code(f.claim)} | "
                               f"{detail} |")
        for note in result.notes:
            out += ["", f"> {_md_cell(note)}"]
        return "\n".join(out) + "\n"


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


@register
class GithubReporter(Reporter):
    """Workflow commands: errors first, at most ``max_annotations`` per level (GitHub shows
    10 of each per step and drops the rest), then one notice counting what was left out."""

    name = "github"

    def render(self, result: AuditResult) -> str:
        out: list[str] = []
        cap = self.max_annotations if self.max_annotations > 0 else None
        used = {"error": 0, "warning": 0, "notice": 0}
        left = 0

        def emit(cmd: str, line: str) -> None:
            nonlocal left
            limit = cap if cmd != "notice" or cap is None else cap - 1  # room for the last notice
            if limit is not None and used[cmd] >= limit:
                left += 1
                return
            used[cmd] += 1
            out.append(line)

        for e in result.file_errors:
            emit("error", f"::error file={_gh_escape(e.file, True)},title=audit"
                          f"::{_gh_escape('not audited: ' + e.message)}")
        for f in by_severity(result, self.shown(result)):
            sev = result.severity(f)
            cmd = {"error": "error", "warning": "warning", "note": "notice"}[sev]
            emit(cmd, f"::{cmd} file={_gh_escape(f.file, True)},line={f.line},col={f.column},"
                      f"title={_gh_escape('audit ' + f.verdict, True)}::"
                      f"{_gh_escape(repr(f.claim) + ': ' + f.message)}")
        if left:
            out.append(f"::notice title=audit::{left} more findings in the job summary (GitHub "
                       f"shows {cap} annotations of each level per step)")
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
        doc = sarif_document(result, self.shown(result), version)
        return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)

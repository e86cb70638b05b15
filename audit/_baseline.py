"""Adopting audit on a repository with years of reports: baselines and ignore comments.

``audit --baseline FILE`` records today's findings (``--update-baseline`` writes it) and later
runs fail only on new ones. A finding is recognised by a fingerprint of what it is, not where
it is: file, verdict, claim kind, the claim text (case and spacing normalized), the artifact
and pointer it was checked against, and its occurrence number among identical findings of the
file. Moving a paragraph, or adding lines above it, keeps the fingerprint; changing the
claim, the verdict or the artifact makes a new finding.

``<!-- releasegate: ignore[VERDICT] reason -->`` silences the next finding with that verdict
(or claim kind: number, status, artifact) after the comment: on the same line (a comment
after a claim silences it), or in the block right below (at most a few lines, never past a
heading). The reason is required and must hold a visible character (a zero-width space is
no reason); a comment without one is refused (the report is reported unreadable and the
audit exits 2), and every silenced finding is counted in the summary.

Neither hides a ``contradicts-gate`` on the release verdict itself without a reason: its
baseline entry needs a non-empty ``reason``, which ``--update-baseline`` leaves empty for a
person to fill in (and keeps when rewriting the file).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ._result import VERDICTS, AuditResult, FileError, Finding

BASELINE_FORMAT = "releasegate-audit-baseline"
BASELINE_VERSION = 1
_KINDS = frozenset({"number", "status", "artifact"})


class BaselineError(Exception):
    """The baseline file cannot be read or is malformed (→ exit 2)."""


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _key(f: Finding) -> str:
    return "\x1f".join([f.file, f.verdict, f.kind, _norm(f.claim), f.artifact or "",
                        f.pointer or ""])


def fingerprint(f: Finding, occurrence: int = 0) -> str:
    """Stable id of ``f`` that survives line moves (sha256 prefix, 32 hex digits)."""
    raw = f"{_key(f)}\x1f{occurrence}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def is_release_contradiction(f: Finding) -> bool:
    """A ``contradicts-gate`` about the release verdict itself (not one gate)."""
    return f.verdict == "contradicts-gate" and f.pointer == "/verdict"


def _fingerprints(findings: list[Finding]) -> list[str]:
    seen: Counter[str] = Counter()
    out = []
    for f in sorted(findings, key=lambda f: (f.file, f.line, f.column)):
        k = _key(f)
        out.append(fingerprint(f, seen[k]))
        seen[k] += 1
    return out


@dataclass(frozen=True)
class BaselineEntry:
    fingerprint: str
    file: str
    verdict: str
    claim: str
    reason: str | None = None


def load_baseline(path: Path) -> dict[str, BaselineEntry]:
    """Entries by fingerprint; raises ``BaselineError`` with ``file: message``."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise BaselineError(f"{path}: cannot read baseline: {e.strerror or e}") from e
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BaselineError(f"{path}: not a JSON baseline ({e}); write one with "
                            "--update-baseline") from e
    if not isinstance(doc, dict) or doc.get("format") != BASELINE_FORMAT:
        raise BaselineError(f"{path}: /format: not a releasegate audit baseline "
                            f"(expected {BASELINE_FORMAT!r})")
    if doc.get("version") != BASELINE_VERSION:
        raise BaselineError(f"{path}: /version: unsupported baseline version "
                            f"{doc.get('version')!r} (this releasegate writes {BASELINE_VERSION})")
    items = doc.get("findings")
    if not isinstance(items, list):
        raise BaselineError(f"{path}: /findings: must be a list")
    out: dict[str, BaselineEntry] = {}
    for i, it in enumerate(items):
        ok = isinstance(it, dict) and all(isinstance(it.get(k), str) for k in (
            "fingerprint", "file", "verdict", "claim"))
        if not ok or not isinstance(it.get("reason"), str | None):
            raise BaselineError(f"{path}: /findings/{i}: needs string fingerprint, file, "
                                "verdict, claim (and an optional string reason)")
        out[it["fingerprint"]] = BaselineEntry(it["fingerprint"], it["file"], it["verdict"],
                                               it["claim"], it.get("reason"))
    return out


def write_baseline(path: Path, result: AuditResult,
                   previous: dict[str, BaselineEntry] | None = None) -> int:
    """Write every current error and warning to ``path`` atomically; return how many.

    Reasons already written for a fingerprint are kept.
    """
    from evidence_schema import write_json_atomic

    previous = previous or {}
    findings = [f for f in result.findings if f.verdict != "verified"]
    items: list[dict[str, Any]] = []
    for f, fp in zip(sorted(findings, key=lambda f: (f.file, f.line, f.column)),
                     _fingerprints(findings), strict=True):
        item: dict[str, Any] = {"fingerprint": fp, "file": f.file, "verdict": f.verdict,
                                "claim": f.claim}
        old = previous.get(fp)
        if old is not None and old.reason:
            item["reason"] = old.reason
        elif is_release_contradiction(f):
            item["reason"] = ""  # required: a person says why the release claim may stand
        items.append(item)
    write_json_atomic(path, {
        "format": BASELINE_FORMAT, "version": BASELINE_VERSION,
        "note": "findings recorded by `releasegate audit --update-baseline`; CI fails only on "
                "findings not listed here. A contradicts-gate on the release verdict is not "
                "silenced until its reason is filled in.",
        "findings": items,
    })
    return len(items)


def apply_baseline(result: AuditResult, entries: dict[str, BaselineEntry]) -> None:
    """Mark findings recorded in ``entries`` as suppressed (they stop failing the audit)."""
    findings = [f for f in result.findings if f.verdict != "verified"]
    by_id = {id(f): fp for f, fp in zip(
        sorted(findings, key=lambda f: (f.file, f.line, f.column)), _fingerprints(findings),
        strict=True)}
    out: list[Finding] = []
    for f in result.findings:
        entry = entries.get(by_id.get(id(f), ""))
        if entry is None or f.suppressed is not None:
            out.append(f)
        elif is_release_contradiction(f) and not has_reason(entry.reason):
            out.append(replace(f, message=f.message + " (in the baseline, but a contradiction "
                               "of the release verdict needs a reason there)"))
        else:
            why = f"baseline: {entry.reason}" if entry.reason else "baseline"
            out.append(replace(f, suppressed=why))
    result.findings = out


# --- ignore comments -------------------------------------------------------------------------

@dataclass(frozen=True)
class Ignore:
    line: int
    column: int
    what: str  # a verdict or a claim kind
    reason: str
    # the lines it may silence a finding on: its own line, and (for a comment on its own
    # lines) the block right after it; 0 means unbounded (no source lines were given)
    last_line: int = 0
    trailing: bool = False  # written after text on its line: applies to that line only


# Unicode whitespace, format and control characters (a zero-width space U+200B, a BOM, a
# soft hyphen…) are not a reason: a reason must hold something a reader can see (red team 11)
_INVISIBLE = frozenset({"Zs", "Zl", "Zp", "Cf", "Cc"})


def has_reason(reason: str | None) -> bool:
    """Does ``reason`` hold a visible character (not only whitespace, format or control)?"""
    import unicodedata

    return reason is not None and any(
        unicodedata.category(ch) not in _INVISIBLE for ch in reason)


# how far below its comment a finding may be, at most, to be silenced by it
_IGNORE_REACH = 5
_HEADING_RE = re.compile(r"\s{0,3}(?:#{1,6}(?:\s|$)|(?:=+|-+)\s*$)")


def _reach(lines: list[str], line: int, column: int, text: str) -> tuple[int, bool]:
    """(last line an ignore comment at ``line``:``column`` may silence, trailing?)

    A comment after text on its line applies to that line only. A comment on its own lines
    applies to the next block (the consecutive non-blank lines after it, at most
    ``_IGNORE_REACH`` lines, never past a heading): one placed above a sentence with no
    finding never silences one further down or in another section (red team 11).
    """
    if line - 1 < len(lines) and lines[line - 1][:max(0, column - 1)].strip():
        return line, True
    end = line + text.count("\n")  # the line the comment ends on
    if end - 1 < len(lines) and text.count("\n") == 0:
        rest = lines[end - 1][max(0, column - 1) + len(text):]
        if rest.strip():
            return end, False  # "<!-- … --> Release gate: PASS"
    k = end + 1  # 1-based line after the comment
    if k - 1 < len(lines) and not lines[k - 1].strip():
        k += 1  # one blank line between the comment and its block
    last = end
    while (k - 1 < len(lines) and lines[k - 1].strip() and k - end <= _IGNORE_REACH + 1):
        last = k
        if _HEADING_RE.match(lines[k - 1]):
            break
        k += 1
    return last, False


_PREFIX = "releasegate:"


def parse_directive(comment: str) -> tuple[str, str] | str | None:
    """``<!-- releasegate: ignore[kind] reason -->`` → (kind, reason); a str is an error.

    None when the comment is not a releasegate directive.
    """
    body = comment.strip()
    if not (body.startswith("<!--") and body.endswith("-->")):
        return None
    body = body[4:-3].strip()
    if not body.lower().startswith(_PREFIX):
        return None
    body = body[len(_PREFIX):].strip()
    if not body.lower().startswith("ignore[") or "]" not in body:
        return "a releasegate comment must read <!-- releasegate: ignore[VERDICT] reason -->"
    what, _, reason = body[len("ignore["):].partition("]")
    what = what.strip().lower()
    if what not in set(VERDICTS) | _KINDS:
        import difflib

        near = difflib.get_close_matches(what, sorted(set(VERDICTS) | _KINDS), n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        return f"ignore[{what}]: unknown verdict or claim kind{hint}"
    if not has_reason(reason):
        return (f"ignore[{what}] without a reason: say why, e.g. <!-- releasegate: "
                f"ignore[{what}] quoted from the 2024 paper, not our run -->")
    return what, reason.strip()


def apply_ignores(result: AuditResult, file: str, ignores: list[Ignore]) -> None:
    """Each ignore silences the next not-yet-silenced finding it names, after its position."""
    if not ignores:
        return
    idx = [i for i, f in enumerate(result.findings)
           if f.file == file and f.verdict != "verified"]
    idx.sort(key=lambda i: (result.findings[i].line, result.findings[i].column))
    for ig in sorted(ignores, key=lambda g: (g.line, g.column)):
        after = [i for i in idx if (result.findings[i].line, result.findings[i].column)
                 > (ig.line, ig.column)]
        # "Release gate: PASS <!-- releasegate: ignore[…] ok -->": the same line, before it
        before = [i for i in idx if ig.trailing and result.findings[i].line == ig.line
                  and result.findings[i].column < ig.column]
        for i in after + before[::-1]:
            f = result.findings[i]
            if f.suppressed is not None or (ig.last_line and f.line > ig.last_line):
                continue
            if ig.what in (f.verdict, f.kind):
                result.findings[i] = replace(f, suppressed=f"ignored: {ig.reason}")
                break


def directive_errors(file: str, problems: list[tuple[int, str]]) -> list[FileError]:
    return [FileError(file, f"line {line}: {msg}", line) for line, msg in problems]


def ignores_from_comments(
    comments: list[tuple[int, int, str]], lines: list[str] | None = None,
) -> tuple[list[Ignore], list[tuple[int, str]]]:
    """Directives among a report's HTML comments, and (line, message) for refused ones.

    ``lines``: the report's source lines, which bound what each directive may silence.
    """
    ignores: list[Ignore] = []
    problems: list[tuple[int, str]] = []
    for line, col, text in comments:
        parsed = parse_directive(text)
        if parsed is None:
            continue
        if isinstance(parsed, str):
            problems.append((line, parsed))
        else:
            last, trailing = _reach(lines, line, col, text) if lines is not None else (0, False)
            ignores.append(Ignore(line, col, parsed[0], parsed[1], last, trailing))
    return ignores, problems

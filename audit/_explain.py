"""``--explain FILE:LINE``: why each claim on one line got its verdict."""

from __future__ import annotations

from ._result import AuditResult


def explain(result: AuditResult, file: str, line: int) -> str:
    """Explain the findings and skipped numbers of ``file`` at ``line`` in plain text."""
    found = [f for f in result.findings if f.file == file and f.line == line]
    skipped = [s for s in result.skipped if s.file == file and s.line == line]
    errors = [e for e in result.file_errors if e.file == file]
    out: list[str] = []
    for e in errors:
        out.append(f"{file}: not audited: {e.message}")
    for f in sorted(found, key=lambda f: f.column):
        out.append(f"{f.file}:{f.line}:{f.column}: {f.kind} claim {f.claim!r} → {f.verdict}")
        out.append(f"  {f.message}")
        for step in f.explanation:
            out.append(f"  - {step}")
        if f.verdict == "unbacked":
            strict = result.severity(f) == "error"
            out.append(f"  - unbacked is {'an error (--strict)' if strict else 'a warning'}")
        if f.verdict == "unverifiable":
            out.append("  - unverifiable is " + ("a warning (--no-decision)" if
                                                 result.severity(f) == "warning" else
                                                 "an error; --no-decision makes it a warning"))
        if f.suppressed:
            out.append(f"  - silenced: {f.suppressed} (not counted)")
    for s in sorted(skipped, key=lambda s: s.column):
        out.append(f"{s.file}:{s.line}:{s.column}: {s.text!r} is not a claim: {s.rule}")
    if not out:
        out.append(f"{file}:{line}: no claim found on this line")
        if result.decision is None and result.notes:
            out.append(f"  note: {result.notes[0]}")
    return "\n".join(out)

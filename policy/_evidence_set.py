"""Read an evidence directory once: valid files by kind, invalid ones with their reasons.

JSON that does not declare the evidence schema (a runner's sae-lens ``cfg.json``, cached
evaluations, a sweep's ``condition.json``) is skipped and counted; a file that claims to be
evidence and is malformed, or that does not parse at all, stays ``invalid`` (fail closed).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from evidence_schema import FileResult, iter_json_files, validate_file


def display_path(path: str | os.PathLike[str]) -> str:
    """Repository-relative (cwd-relative) POSIX path when inside the cwd, else absolute."""
    p = Path(path).resolve()
    try:
        return p.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.as_posix()


@dataclass(frozen=True)
class EvidenceFile:
    path: str
    sha256: str
    kind: str
    created_at: datetime
    data: dict[str, Any]


@dataclass
class EvidenceSet:
    files: list[EvidenceFile] = field(default_factory=list)
    invalid: list[FileResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # non-evidence JSON, display paths

    def of_kind(self, kind: str) -> list[EvidenceFile]:
        return [f for f in self.files if f.kind == kind]

    def invalid_for(self, kind: str) -> list[FileResult]:
        """Invalid files that could be of this kind (unknown kind: could be any)."""
        return [r for r in self.invalid if r.kind in (kind, None)]


def load_evidence(directory: str | os.PathLike[str] | None) -> EvidenceSet:
    ev = EvidenceSet()
    if directory is None:
        return ev
    for path in iter_json_files([directory]):
        result = validate_file(path, skip_non_evidence=True)
        result.path = display_path(path)
        if result.skipped:
            ev.skipped.append(result.path)
            continue
        if not result.ok:
            ev.invalid.append(result)
            continue
        assert result.kind is not None and result.sha256 is not None
        created = getattr(result.model, "created_at")  # noqa: B009 - every kind has it
        ev.files.append(
            EvidenceFile(result.path, result.sha256, result.kind, created, result.data)
        )
    return ev

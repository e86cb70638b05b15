"""Read an evidence directory once: valid files by kind, invalid ones with their reasons.

JSON that does not declare the evidence schema (a runner's sae-lens ``cfg.json``, cached
evaluations, a sweep's ``condition.json``) is skipped and counted; a file that claims to be
evidence and is malformed, or that does not parse at all, stays ``invalid`` (fail closed).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from evidence_schema import FileResult, Problem, gc_paused, iter_json_files, validate_file


def display_path(
    path: str | os.PathLike[str], base: str | os.PathLike[str] | None = None,
    follow: bool = True,
) -> str:
    """``path`` as a POSIX path relative to ``base`` (default: the cwd), with ``..`` when it lies
    outside: recorded paths must not be absolute paths of the machine that ran (issue 10).
    Absolute only where no relative path exists (another drive on Windows). ``follow=False``:
    a symlink is shown where it is, not where it points (a refused link, red team 2 §3)."""
    if follow:
        p = Path(path).resolve()
    else:
        parent, name = os.path.split(os.fspath(path))
        p = Path(parent or ".").resolve() / name
    b = Path(base if base is not None else Path.cwd()).resolve()
    try:
        return Path(os.path.relpath(p, b)).as_posix()
    except ValueError:
        return p.as_posix()


class _DisplayPaths:
    """:func:`display_path` (relative to the cwd) for many files of one tree, resolving each
    directory once: ``realpath(dir/name)`` is ``realpath(dir)/name`` unless ``name`` is a
    symlink, so only symlinked files are resolved one by one (issue 13: resolving every file of
    10,000 took half of ``check``)."""

    def __init__(self) -> None:
        self.dirs: dict[str, str] = {}  # directory as walked → its display path + "/" (or "")

    def __call__(self, path: Path) -> str:
        parent, name = os.path.split(os.fspath(path))
        if not name or name in (".", "..") or os.path.islink(path):
            return display_path(path)
        prefix = self.dirs.get(parent)
        if prefix is None:
            shown = display_path(parent or ".")
            prefix = self.dirs[parent] = "" if shown == "." else shown + "/"
        return prefix + name  # a name os.walk gave: no separator in it


def rebase_evidence(ev: EvidenceSet, base: str | os.PathLike[str]) -> EvidenceSet:
    """The same set with its cwd-relative display paths made relative to ``base``."""
    if Path(base).resolve() == Path.cwd().resolve():
        return ev

    def move(p: str, follow: bool = True) -> str:
        return display_path(p, base, follow)

    def moved(r: FileResult) -> FileResult:
        path = move(r.path, not isinstance(r, OutsideFile))
        return replace(r, path=path, problems=[
            replace(p, path=path) if p.path == r.path else p for p in r.problems])

    return EvidenceSet(
        files=[replace(f, path=move(f.path)) for f in ev.files],
        invalid=[moved(r) for r in ev.invalid],
        skipped=[move(p) for p in ev.skipped],
    )


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


@dataclass
class OutsideFile(FileResult):
    """A symlink whose file lies outside the evidence's repository (``_Boundary``): unusable.
    ``data`` is kept when it parsed, so that only the gates whose selector it matches are
    invalid (policy/_evaluate.py ``select_evidence``)."""


class _Boundary:
    """Where evidence of ``directory`` may really lie (red team 2 §3): inside the git repository
    holding it, or inside the directory itself when no repository does. A symlink out of it
    brings in a file the repository does not record (its commit says nothing about it) and puts
    a path of this machine into the decision. os.walk does not follow directory links, so only
    a file that is itself a symlink can lead out; git is asked only when one does."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory).resolve()
        self.root: Path | None = None
        self.what = ""

    def holds(self, path: Path) -> bool:
        if not os.path.islink(path):
            return True
        real = Path(os.path.realpath(path))
        if real.is_relative_to(self.directory):
            return True
        if self.root is None:
            from evidence_schema._provenance import repository_root

            top = repository_root(self.directory)
            self.root = top or self.directory
            self.what = ("the repository holding the evidence directory" if top else
                         "the evidence directory (no git repository holds it)")
        return real.is_relative_to(self.root)

    def refusal(self, path: Path, result: FileResult) -> FileResult:
        """The file, refused: its kind kept so that only the gates of that kind are invalid;
        its link's own path shown (never where it points)."""
        shown = display_path(path, follow=False)
        why = (f"a symlink to a file outside {self.what}: refused, evidence must lie in the "
               "repository whose commit the decision records")
        return OutsideFile(shown, [Problem(shown, None, "", why)], kind=result.kind,
                           data=result.data if result.ok else None)


def load_evidence(directory: str | os.PathLike[str] | None) -> EvidenceSet:
    ev = EvidenceSet()
    if directory is None:
        return ev
    shown = _DisplayPaths()
    with gc_paused():
        _load_into(ev, directory, shown)
    return ev


def _load_into(ev: EvidenceSet, directory: str | os.PathLike[str], shown: _DisplayPaths) -> None:
    bound = _Boundary(directory)
    for path in iter_json_files([directory]):
        result = validate_file(path, skip_non_evidence=True)
        if not result.skipped and not bound.holds(path):
            ev.invalid.append(bound.refusal(path, result))
            continue
        result.path = shown(path)
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

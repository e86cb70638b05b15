"""Where a template's numbers come from: JSON artifacts inside the repository, read strictly.

A template may name only repository-relative paths (no absolute path, no ``..`` out, no symlink
out), so a template cannot make ``render`` read ``/etc/passwd``. Releasegate evidence must
validate before any of its numbers is printed: an invalid file is an error, never a number.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from evidence_schema import (
    POINTER_MISSING,
    EvidenceError,
    load_strict_bytes,
    validate_document,
)
from evidence_schema import resolve_pointer as _resolve


class RenderError(Exception):
    """The template cannot be rendered as written (exit 2); ``line`` is the template line."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


_MISSING = object()


def split_ref(ref: str) -> tuple[str, str]:
    """``"evidence/x.json#/metrics/deltas"`` → (path, pointer); the pointer is required."""
    if not isinstance(ref, str):
        raise RenderError(f"a reference is a string 'path.json#/pointer', got {type(ref).__name__}")
    path, sep, pointer = ref.partition("#")
    if not sep or not pointer.startswith("/"):
        raise RenderError(f"reference {ref!r} needs a JSON pointer: 'path.json#/metrics/name'")
    return path, pointer


def resolve_pointer(doc: Any, pointer: str) -> Any:
    """RFC 6901 pointer lookup (evidence_schema's one implementation); ``_MISSING`` when a
    token does not exist."""
    value = _resolve(doc, pointer)
    return _MISSING if value is POINTER_MISSING else value


def _inside(child: str, root: str) -> bool:
    return child == root or child.startswith(root.rstrip(os.sep) + os.sep)


@dataclass
class Sources:
    """The repository a template reads from, each JSON file loaded (and validated) once."""

    repo: Path
    _docs: dict[str, Any] = field(default_factory=dict)

    def safe_path(self, written: str) -> Path:
        if not written or "\x00" in written:
            raise RenderError(f"empty or invalid path {written!r}")
        if written.startswith(("/", "\\", "~")) or (len(written) > 1 and written[1] == ":"):
            raise RenderError(f"{written}: absolute path; name files relative to the repository")
        root = os.path.realpath(self.repo)
        lexical = os.path.normpath(os.path.join(root, written))
        if not _inside(lexical, root):
            raise RenderError(f"{written}: '..' leads outside the repository")
        real = os.path.realpath(lexical)
        if not _inside(real, root):
            raise RenderError(f"{written}: a symlink on the way resolves outside the repository")
        if not os.path.isfile(real):
            raise RenderError(f"{written}: no such file in the repository {self.repo}")
        return Path(real)

    def document(self, written: str) -> Any:
        key = PurePosixPath(written).as_posix()
        if key in self._docs:
            return self._docs[key]
        path = self.safe_path(written)
        try:
            doc = load_strict_bytes(path.read_bytes(), written)
        except EvidenceError as e:
            raise RenderError(f"{written}: {e}") from e
        except OSError as e:
            raise RenderError(f"{written}: cannot read: {e.strerror or e}") from e
        if isinstance(doc, dict) and "schema_version" in doc and "kind" in doc:
            checked = validate_document(doc, written)
            if not checked.ok:
                first = "; ".join(str(p) for p in checked.problems[:3])
                raise RenderError(f"{written}: invalid evidence, its numbers are not printed: "
                                  f"{first}")
        self._docs[key] = doc
        return doc

    def peek(self, written: str) -> Any:
        """The parsed JSON of a repository file without validating it; None when unreadable."""
        try:
            return load_strict_bytes(self.safe_path(written).read_bytes(), written)
        except (RenderError, EvidenceError, OSError):
            return None

    def lookup(self, ref: str) -> tuple[str, str, Any]:
        """(path, pointer, value) for ``path#/pointer``; RenderError when it does not exist."""
        path, pointer = split_ref(ref)
        val = resolve_pointer(self.document(path), pointer)
        if val is _MISSING:
            raise RenderError(f"{path} has no value at {pointer}")
        return path, pointer, val

    def find_by_hash(self, recorded: str, sha256: str, near: str | None = None) -> str:
        """Repository-relative path of the file recorded as ``recorded`` with ``sha256``.

        `check` records paths as it saw them (relative to where it ran, or to the decision), so
        the path and its shorter tails are tried against the directory of ``near`` (the
        decision), its parents, and the repository root.
        """
        from evidence_schema import sha256_file

        parts = PurePosixPath(recorded.replace("\\", "/")).parts
        root = os.path.realpath(self.repo)
        bases = [root]
        if near is not None:
            d = os.path.dirname(os.path.realpath(os.path.join(root, near)))
            while _inside(d, root) and d != root:
                bases.insert(-1, d)
                d = os.path.dirname(d)
        changed = None
        for base in bases:
            for i in range(len(parts)):
                if parts[i] == "/" or ".." in parts[i:]:
                    continue
                cand = os.path.realpath(os.path.join(base, *parts[i:]))
                if _inside(cand, root) and os.path.isfile(cand):
                    if sha256_file(cand) == sha256:
                        return PurePosixPath(os.path.relpath(cand, root)).as_posix()
                    changed = changed or PurePosixPath(os.path.relpath(cand, root)).as_posix()
        if changed:
            raise RenderError(f"{changed} changed since the decision used it (sha256 "
                              "differs): run `releasegate check` again")
        raise RenderError(f"the decision's evidence {recorded} is not in the repository "
                          f"{self.repo}")

    def json_files(self, rel_dir: str) -> list[str]:
        """Repository-relative paths of the ``*.json`` files directly in ``rel_dir``, sorted."""
        base = self.safe_dir(rel_dir)
        return sorted(PurePosixPath(rel_dir, p.name).as_posix() for p in base.glob("*.json")
                      if p.is_file() and not p.is_symlink())

    def safe_dir(self, written: str) -> Path:
        root = os.path.realpath(self.repo)
        real = os.path.realpath(os.path.join(root, written))
        if not _inside(real, root) or not os.path.isdir(real):
            raise RenderError(f"{written}: not a directory inside the repository")
        return Path(real)

    def rel(self, path: Path) -> str:
        """Repository-relative POSIX path of ``path`` (which must lie inside the repository)."""
        root = os.path.realpath(self.repo)
        real = os.path.realpath(path)
        if not _inside(real, root):
            raise RenderError(f"{path} is outside the repository {self.repo}: a report cannot "
                              "cite it")
        return PurePosixPath(os.path.relpath(real, root)).as_posix()

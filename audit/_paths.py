"""Resolve a cited path safely: relative, inside the repository, no symlink out (issue 3).

A report must not be able to make the audit read ``/etc/passwd`` or ``../../secrets.json``:
a path that leaves the repository, lexically or through a symlink, is an ``unsafe-path``
finding and is never opened.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal


@dataclass(frozen=True)
class Resolution:
    status: Literal["ok", "missing", "unsafe"]
    rel: str  # repository-relative POSIX path (or the path as written when unsafe)
    path: Path | None  # absolute real path when status == "ok"
    reason: str = ""


def _inside(child: str, root: str) -> bool:
    return child == root or child.startswith(root.rstrip(os.sep) + os.sep)


def repo_relative(path: Path, repo_real: str) -> str | None:
    real = os.path.realpath(path)
    if not _inside(real, repo_real):
        return None
    return PurePosixPath(Path(os.path.relpath(real, repo_real))).as_posix()


def resolve(target: str, repo: Path, report_dir: Path, prefer_report_dir: bool) -> Resolution:
    """Resolve ``target`` against the report's directory and the repo root (order by origin).

    Markdown links are relative to the report; inline-code paths are usually written from the
    repository root. Both bases are tried; the first that exists wins.
    """
    written = target.strip()
    if not written:
        return Resolution("missing", written, None, "empty path")
    if "\x00" in written:
        return Resolution("unsafe", written, None, "NUL byte in path")
    if written.startswith(("/", "\\", "~")) or (len(written) > 1 and written[1] == ":"):
        return Resolution("unsafe", written, None, "absolute path: cite paths relative to the "
                          "repository")
    repo_real = os.path.realpath(repo)
    bases = [report_dir, repo] if prefer_report_dir else [repo, report_dir]
    first_missing: Resolution | None = None
    escaped: Resolution | None = None
    for base in bases:
        base_real = os.path.realpath(base)
        if not _inside(base_real, repo_real):
            continue
        lexical = os.path.normpath(os.path.join(base_real, written))
        if not _inside(lexical, repo_real):
            escaped = escaped or Resolution(
                "unsafe", written, None, "'..' leads outside the repository"
            )
            continue
        rel = PurePosixPath(Path(os.path.relpath(lexical, repo_real))).as_posix()
        if os.path.lexists(lexical):
            real = os.path.realpath(lexical)
            if not _inside(real, repo_real):
                return Resolution("unsafe", rel, None,
                                  "a symlink on the way resolves outside the repository")
            if not os.path.exists(real):
                return Resolution("missing", rel, None, "dangling symlink")
            return Resolution("ok", rel, Path(real))
        if first_missing is None:
            first_missing = Resolution("missing", rel, None, "no such file or directory")
    return first_missing or escaped or Resolution(
        "missing", written, None, "no such file or directory"
    )

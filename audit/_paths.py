"""Resolve a cited path safely: relative, inside the repository, no symlink out (issue 3).

A report must not be able to make the audit read ``/etc/passwd`` or ``../../secrets.json``:
a path that leaves the repository, lexically or through a symlink, is an ``unsafe-path``
finding and is never opened.
"""

from __future__ import annotations

import glob
import os
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Literal

from ._realpath import realpath

if TYPE_CHECKING:
    from ._claims import Citation, Scope

# Inline code counts as an artifact path when it ends like a file we can read, or like a dir.
ARTIFACT_SUFFIXES = (
    ".json", ".jsonl", ".md", ".csv", ".tsv", ".yaml", ".yml", ".txt", ".py", ".toml", ".npz",
    ".npy", ".pt", ".safetensors", ".parquet", ".log", ".html", ".png", ".svg", ".pdf",
)
_PATHLIKE = re.compile(r"[A-Za-z0-9_.\-/~*?\[\]]+(?:#[^\s]*)?")
# a placeholder in a path: runs/<run_id>/x.json, runs/{run}/x.json, runs/$RUN/x.json
_TEMPLATE = re.compile(r"[A-Za-z0-9_.\-/~]*(?:<[A-Za-z0-9_.\-]{1,40}>|\{[A-Za-z0-9_.\-]{1,40}\}"
                       r"|\$\{?[A-Za-z_][A-Za-z0-9_]{0,40}\}?)[A-Za-z0-9_.\-/~<>{}$]*")
_GLOB_CHARS = frozenset("*?[")
MAX_GLOB_MATCHES = 10_000


# First segments of absolute paths that are file-system locations. A leading "/" alone does
# not make a path: `/metrics/ev` in a report is a JSON pointer.
_FS_ROOTS = frozenset({
    "bin", "boot", "dev", "etc", "home", "lib", "lib64", "media", "mnt", "opt", "proc", "root",
    "run", "sbin", "srv", "sys", "tmp", "usr", "var", "users", "volumes", "private", "work",
    "workspace", "data", "scratch", "nfs", "shared", "content", "kaggle",
})


def is_path_code(content: str) -> bool:
    """Whether inline code is a path the report cites (issue 3, issue 11 "Paths").

    A path ends in a known suffix (``x.json``; not a bare ``.md``), or is a directory of two
    or more levels (``docs/evidence/``), or has no suffix but leaves its directory
    (``../../etc/passwd``, ``~/.ssh/id_rsa``) or starts at a file-system root
    (``/etc/passwd``, ``/home/me/x``): those are citations so that they are refused as unsafe,
    never silently ignored. Globs (``runs/run_*/gate.json``) count. ``/metrics/ev`` is a JSON
    pointer, not a path; ``runners/`` is a directory hint (``is_dir_hint``).
    """
    c = content.strip()
    if not c or " " in c or len(c) > 1000 or not _PATHLIKE.fullmatch(c):
        return False
    path = c.split("#", 1)[0]
    name = path.rstrip("/").rsplit("/", 1)[-1]
    if _caps_placeholder(path) or (is_glob(path) and "/" not in path.rstrip("/")):
        return False  # `commands/NAME.py` is a template; `*.json` a kind of file, not a path
    if path.lower().endswith(ARTIFACT_SUFFIXES) and name.lower() not in ARTIFACT_SUFFIXES:
        return True
    if not any(ch.isalpha() for ch in path):
        return False
    if path.endswith("/") and "/" in path[:-1]:
        return True
    parts = path.split("/")
    if path.startswith("~/") or (len(parts) > 1 and ".." in parts):
        return True
    return path.startswith("/") and len(parts) > 2 and parts[1].lower() in _FS_ROOTS


def is_dir_hint(content: str) -> bool:
    """``runners/``: one directory named in passing. Not a citation (reports name output
    directories that need not exist), but bare names listed after it are looked for in it."""
    c = content.strip()
    return (len(c) > 1 and c.endswith("/") and "/" not in c[:-1] and _PATHLIKE.fullmatch(c)
            is not None and any(ch.isalpha() for ch in c) and not is_glob(c) and c[0] != ".")


def is_path_template(content: str) -> bool:
    """``runs/<run_id>/x.json``, ``commands/NAME.py``: a path with a placeholder, which no file
    can match (an all-capitals name counts, except README, LICENSE and the like)."""
    c = content.strip()
    if " " in c or len(c) > 1000:
        return False
    if "/" in c and _TEMPLATE.fullmatch(c):
        return True
    return bool(_PATHLIKE.fullmatch(c)) and _caps_placeholder(c.split("#", 1)[0])


# All-capitals file names that are real files, not placeholders.
_CAPS_FILES = frozenset({
    "README", "LICENSE", "LICENCE", "CHANGELOG", "CHANGES", "CONTRIBUTING", "AUTHORS", "NOTICE",
    "SECURITY", "CODEOWNERS", "MANIFEST", "TODO", "HISTORY", "COPYING", "CITATION", "SUPPORT",
    "MAINTAINERS", "INSTALL", "NEWS", "FAQ", "API", "CLAUDE", "AGENTS", "GEMINI",
})


def _caps_placeholder(path: str) -> bool:
    """A segment whose stem is all capitals (``NAME.py``, ``KIND.schema.json``, ``FILE``)."""
    if path.islower() or not any(ch.isupper() for ch in path):
        return False
    for seg in path.strip("/").split("/"):
        stem = seg.split(".", 1)[0]
        if (len(stem) >= 2 and stem.replace("_", "").isalpha() and stem.isupper()
                and stem not in _CAPS_FILES
                and ("/" in path or path.lower().endswith(ARTIFACT_SUFFIXES))):
            return True
    return False


def is_glob(target: str) -> bool:
    return any(ch in _GLOB_CHARS for ch in target)


@dataclass(frozen=True)
class Resolution:
    status: Literal["ok", "missing", "unsafe", "glob"]
    rel: str  # repository-relative POSIX path (or the path as written when unsafe)
    path: Path | None  # absolute real path when status == "ok"
    reason: str = ""
    # a glob: the repository-relative files it matches (status "glob": at least one)
    matches: tuple[str, ...] = ()


def _inside(child: str, root: str) -> bool:
    return child == root or child.startswith(root.rstrip(os.sep) + os.sep)


def repo_relative(path: Path, repo_real: str) -> str | None:
    real = realpath(path)
    if not _inside(real, repo_real):
        return None
    return PurePosixPath(Path(os.path.relpath(real, repo_real))).as_posix()


def resolve(
    target: str, repo: Path, report_dir: Path, prefer_report_dir: bool,
    first_bases: Sequence[Path] = (), glob_cache: dict[tuple[str, ...], Resolution] | None = None,
) -> Resolution:
    """Resolve ``target`` against the report's directory and the repo root (order by origin).

    Markdown links are relative to the report; inline-code paths are usually written from the
    repository root. Both bases are tried; the first that exists wins. ``first_bases`` (the
    directories a name is listed under or beside, see ``sibling_bases``) are tried before
    both. A glob resolves to the files it matches inside the repository (status ``glob``), or
    is missing when it matches none; ``glob_cache`` (one per audit run) keeps each answer, so
    a path or pattern is resolved (a pattern expanded) once, however often reports repeat it.
    """
    written = target.strip()
    if not written:
        return Resolution("missing", written, None, "empty path")
    if "\x00" in written:
        return Resolution("unsafe", written, None, "NUL byte in path")
    if written.startswith(("/", "\\", "~")) or (len(written) > 1 and written[1] == ":"):
        return Resolution("unsafe", written, None, "absolute path: cite paths relative to the "
                          "repository")
    repo_real = realpath(repo)
    bases = [*first_bases, *([report_dir, repo] if prefer_report_dir else [repo, report_dir])]
    # One answer per run for each (path, bases): reports in one directory cite the same files
    # again and again, and the tree is taken as it is when the run starts (audit/_realpath.py)
    key = (written, repo_real, *(str(b) for b in bases))
    if glob_cache is not None and key in glob_cache:
        return glob_cache[key]
    res = (_resolve_glob(written, bases, repo_real) if is_glob(written)
           else _resolve_path(written, bases, len(first_bases), repo_real))
    if glob_cache is not None:
        glob_cache[key] = res
    return res


def _relative(lexical: str, repo_real: str) -> str:
    """``lexical`` (normalised, inside ``repo_real``) relative to the repository, POSIX."""
    rel = lexical[len(repo_real):].lstrip(os.sep) if lexical != repo_real else "."
    return rel.replace(os.sep, "/") if os.sep != "/" else rel


def _resolve_path(written: str, bases: Sequence[Path], n_first: int, repo_real: str
                  ) -> Resolution:
    first_missing: Resolution | None = None
    escaped: Resolution | None = None
    for i, base in enumerate(bases):
        base_real = realpath(base)
        if not _inside(base_real, repo_real):
            continue
        lexical = os.path.normpath(os.path.join(base_real, written))
        if not _inside(lexical, repo_real):
            escaped = escaped or Resolution(
                "unsafe", written, None, "'..' leads outside the repository"
            )
            continue
        rel = _relative(lexical, repo_real)
        if os.path.lexists(lexical):
            real = realpath(lexical)
            if not _inside(real, repo_real):
                return Resolution("unsafe", rel, None,
                                  "a symlink on the way resolves outside the repository")
            if not os.path.exists(real):
                return Resolution("missing", rel, None, "dangling symlink")
            return Resolution("ok", rel, Path(real))
        if first_missing is None and i >= n_first:  # name the plain location
            first_missing = Resolution("missing", rel, None, "no such file or directory")
    return first_missing or escaped or Resolution(
        "missing", written, None, "no such file or directory"
    )


def _resolve_glob(written: str, bases: Sequence[Path], repo_real: str) -> Resolution:
    escaped = False
    for base in bases:
        base_real = realpath(base)
        if not _inside(base_real, repo_real):
            continue
        pattern = os.path.join(base_real, written)
        if not _inside(os.path.normpath(pattern), repo_real):
            escaped = True
            continue
        found: list[str] = []
        for m in glob.iglob(pattern, recursive=True):
            rel = repo_relative(Path(m), repo_real)
            if rel is not None:  # a match through a symlink out of the repository is no match
                found.append(rel)
            if len(found) >= MAX_GLOB_MATCHES:
                break
        if found:
            return Resolution("glob", written, None, matches=tuple(sorted(found)))
    if escaped:
        return Resolution("unsafe", written, None, "'..' leads outside the repository")
    return Resolution("missing", written, None, "no file matches the pattern")


def sibling_bases(c: Citation, repo: Path, report_dir: Path) -> list[Path]:
    """Directories a relative name is listed under or beside, nearest first.

    ``- `docs/evidence/`:`` with a nested ``- `summary.json``` means docs/evidence/summary.json;
    "(`evidence_schema/_kinds.py`, registered in `_registry.py`)" means the module's directory.
    Candidates: directories cited (or directories of modules cited) earlier in the same item,
    row or section, innermost scope first. Only for names that do not start with ``.`` or
    ``/``.
    """
    if c.target.startswith((".", "/", "~")) or "://" in c.target:
        return []
    out: list[Path] = []
    seen: set[str] = set()
    s: Scope | None = c.scope
    while s is not None:
        # bounded work: the nearest fifty citations and hints before it in each scope (both
        # lists are in document order)
        k = bisect_left(s.citations, (c.line, c.column), key=lambda o: (o.line, o.column))
        named = [(o.line, o.column, o.target, o.origin) for o in s.citations[max(0, k - 50):k]]
        h = bisect_left(s.dir_hints, (c.line, c.column), key=lambda x: (x[0], x[1]))
        for _line, _col, t, origin in sorted([*named, *s.dir_hints[max(0, h - 50):h]],
                                             reverse=True):
            d = t.rstrip("/") if t.endswith("/") else (t.rsplit("/", 1)[0] if "/" in t else "")
            if not d or is_glob(d) or d in seen or d.startswith(("/", "~")):
                continue
            seen.add(d)
            for base in ((report_dir, repo) if origin == "link" else (repo, report_dir)):
                out.append(base / d)
        if s.kind in ("section", "document"):
            break
        s = s.parent
    return out

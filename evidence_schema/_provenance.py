"""Provenance collection: git state and library versions, without importing heavy libraries.

Versions come from installed distribution metadata, so recording "torch 2.13.0" never imports
torch (the fast paths must stay fast).
"""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from ._atomic import config_sha256
from ._common import LibraryVersions, Provenance

_DISTRIBUTIONS = {
    "releasegate": "releasegate",
    "torch": "torch",
    "sae_lens": "sae-lens",
    "transformer_lens": "transformer-lens",
    "numpy": "numpy",
}

# paths per `git status` call: well under the argument-length limit of any OS
_GIT_ARGS = 500


def dist_version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def library_versions(*extra: str) -> LibraryVersions:
    """Versions of python and releasegate, plus each of ``extra`` (field names) installed."""
    fields: dict[str, str | None] = {
        "python": platform.python_version(),
        "releasegate": dist_version("releasegate") or "0+unknown",
    }
    for name in extra:
        fields[name] = dist_version(_DISTRIBUTIONS[name])
    return LibraryVersions(**fields)


def git_state(cwd: str | Path | None = None) -> tuple[str | None, bool | None]:
    """(commit, dirty) of the checkout at ``cwd``; (None, None) outside git."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=10,
            check=True,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=cwd,
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None, None
    return (commit or None), bool(status.strip())


def repository_root(directory: str | os.PathLike[str]) -> Path | None:
    """The resolved top-level directory of the git repository holding ``directory``; None
    outside any repository or without git."""
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=directory, capture_output=True,
            text=True, timeout=10, check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(top).resolve() if top else None


def _relative(path: str, directory: str | os.PathLike[str]) -> str:
    """``path`` relative to ``directory`` (POSIX, ``..`` allowed): a note never records an
    absolute path of the machine that ran (red team 2 §3)."""
    try:
        return Path(os.path.relpath(path, Path(directory).resolve())).as_posix()
    except ValueError:  # another drive (Windows): no relative path exists; the name only
        return Path(path).name


def uncommitted_files(
    directory: str | os.PathLike[str], files: Iterable[str | os.PathLike[str]]
) -> list[str]:
    """Those of ``files`` whose content the commit at ``directory`` does not hold: untracked,
    ignored, modified or staged (``git status --ignored``), as git names them (relative to the
    repository root).

    A file git cannot answer for (outside the repository, git failing) is listed too, relative
    to ``directory``: its state is unknown, and unknown is not clean. One file outside the
    repository no longer makes git refuse (and so list) every other file of its batch.
    """
    resolved = [os.fspath(Path(f).resolve()) for f in files]
    root = repository_root(directory) if resolved else None
    out = [_relative(p, directory) for p in resolved
           if root is None or not Path(p).is_relative_to(root)]
    paths = [p for p in resolved if root is not None and Path(p).is_relative_to(root)]
    for i in range(0, len(paths), _GIT_ARGS):
        chunk = paths[i:i + _GIT_ARGS]
        try:
            status = subprocess.run(
                ["git", "status", "--porcelain=v1", "-z", "--ignored=matching",
                 "--untracked-files=all", "--", *chunk],
                cwd=directory, capture_output=True, text=True, timeout=30, check=True,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out += [_relative(p, directory) for p in chunk]
            continue
        entries = status.split("\0")
        skip = False
        for entry in entries:
            if skip:  # the source path of a rename record
                skip = False
                continue
            if len(entry) > 3:
                out.append(entry[3:])
                skip = entry[0] in "RC"
    return out


def repository_state(
    directory: str | os.PathLike[str], what: str,
    files: Iterable[str | os.PathLike[str]] = (),
) -> tuple[str | None, bool | None, str]:
    """(commit, dirty, note) of the git repository holding ``directory``.

    ``what`` names the directory in the note (e.g. "the evidence directory"). Outside any
    repository (or without git) commit and dirty are None and the note says so: never the
    state of some other checkout, such as the one releasegate itself is installed from.

    ``files``: the evidence a decision used. ``git status`` leaves untracked and ignored files
    out of "dirty", but a verdict decided by an uncommitted file is not the commit's verdict:
    when any of them is untracked, ignored or modified, dirty is True and the note names them.
    """
    d = Path(directory)
    if not d.is_dir():
        d = d.parent
    commit, dirty = git_state(d)
    if commit is None:
        return None, None, f"no git repository holds {what} (or git is unavailable): " \
            "commit not recorded"
    note = f"git state of the repository holding {what}"
    loose = uncommitted_files(d, files)
    if loose:
        shown = ", ".join(loose[:5]) + (f" (+{len(loose) - 5} more)" if len(loose) > 5 else "")
        note += (f"; dirty: {len(loose)} evidence file(s) the decision used are not committed "
                 f"(untracked, ignored or modified): {shown}")
        dirty = True
    return commit, dirty, note


def make_provenance(
    config: dict[str, Any],
    seeds: list[int],
    device: str,
    libraries: tuple[str, ...] = (),
    cwd: str | Path | None = None,
) -> Provenance:
    commit, dirty = git_state(cwd if cwd is not None else Path(__file__).parent)
    return Provenance(
        git_commit=commit,
        git_dirty=dirty,
        config=config,
        config_sha256=config_sha256(config),
        seeds=seeds,
        device=device,
        versions=library_versions(*libraries),
    )

"""Provenance collection: git state and library versions, without importing heavy libraries.

Versions come from installed distribution metadata, so recording "torch 2.13.0" never imports
torch (the fast paths must stay fast).
"""

from __future__ import annotations

import os
import platform
import subprocess
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


def repository_state(
    directory: str | os.PathLike[str], what: str
) -> tuple[str | None, bool | None, str]:
    """(commit, dirty, note) of the git repository holding ``directory``.

    ``what`` names the directory in the note (e.g. "the evidence directory"). Outside any
    repository (or without git) commit and dirty are None and the note says so: never the
    state of some other checkout, such as the one releasegate itself is installed from.
    """
    d = Path(directory)
    if not d.is_dir():
        d = d.parent
    commit, dirty = git_state(d)
    if commit is None:
        return None, None, f"no git repository holds {what} (or git is unavailable): " \
            "commit not recorded"
    return commit, dirty, f"git state of the repository holding {what}"


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

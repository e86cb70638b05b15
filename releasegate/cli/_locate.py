"""Where a package's shipped files are, without importing the package.

Subcommands name defaults such as the shipped policy in their ``--help``; importing ``policy`` or
``evidence_schema`` only for that (pydantic, PyYAML: ~0.15 s) would make every ``--help`` and
every start of the command line slow (issue 13). ``importlib.util.find_spec`` of a top-level
package locates it without running its ``__init__``. tests/cli/test_startup.py checks these
paths against the packages' own constants.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path


def package_dir(name: str) -> Path:
    """The directory of the top-level package ``name`` (raises ModuleNotFoundError if absent)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"package {name!r} is not installed", name=name)
    return Path(next(iter(spec.submodule_search_locations)))

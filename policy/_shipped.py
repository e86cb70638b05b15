"""The policies shipped with releasegate (``policy/<name>/v*.yaml``) and their identity.

A policy is known by name and version. A file that claims the name and version of a shipped
policy but has other content would let a lenient copy pass for the real thing in every
decision and report (``husai-release 1.1.0`` with a threshold of −5), so loading one is
refused (``load_policy``), and a decision whose policy shares a shipped policy's *name* but not
its content gets a note (``shipped_note``).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from ._errors import PolicyError
from ._yaml import load_yaml

SHIPPED_DIR = Path(__file__).parent


@lru_cache(maxsize=1)
def shipped_policies() -> dict[tuple[str, str], tuple[str, Path]]:
    """``(name, version) → (sha256, path)`` of every shipped policy file.

    Read with the policy YAML reader, not ``load_policy`` (which consults this table).
    """
    out: dict[tuple[str, str], tuple[str, Path]] = {}
    for path in sorted(SHIPPED_DIR.glob("*/v*.yaml")):
        try:
            doc = load_yaml(path)
        except PolicyError:  # a broken shipped file is caught by the test suite, not here
            continue
        data = doc.data
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            key = (data["name"], str(data.get("version")))
            out[key] = (hashlib.sha256(doc.raw).hexdigest(), path)
    return out


def impersonation(name: str, version: str, sha256: str) -> str | None:
    """Why a policy with this identity may not be loaded, or None.

    Refused: the name and version of a shipped policy with a different sha256.
    """
    shipped = shipped_policies().get((name, version))
    if shipped is None or shipped[0] == sha256:
        return None
    sha, path = shipped
    return (f"policy {name} {version} has the name and version of the policy shipped with "
            f"releasegate ({path.parent.name}/{path.name}, sha256 {sha[:12]}…) but other "
            f"content (sha256 {sha256[:12]}…): a changed policy must bump the version or rename")


def shipped_note(name: str, version: str, sha256: str) -> str | None:
    """A note when a decision's policy has a shipped policy's name but is not a shipped file."""
    shipped = {key: v for key, v in shipped_policies().items() if key[0] == name}
    if not shipped or any(sha == sha256 for sha, _ in shipped.values()):
        return None
    versions = ", ".join(sorted(v for _, v in shipped))
    return (f"the decision's policy {name} {version} (sha256 {sha256[:12]}…) is not the "
            f"{name} policy shipped with releasegate (shipped: {versions})")

"""Helpers shared by the render tests (read evidence and decisions independently)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import policy

REPO = Path(__file__).resolve().parents[1]


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def gate_index(decision: dict[str, Any], name: str) -> str:
    """The JSON pointer of gate ``name`` in a decision document (found independently)."""
    for i, g in enumerate(decision["gates"]):
        if g["name"] == name:
            return f"/gates/{i}"
        for j, c in enumerate(g.get("children", [])):
            if c["name"] == name:
                return f"/gates/{i}/children/{j}"
    raise KeyError(name)


def build_example_repo(root: Path, which: str = "failing") -> Path:
    """``root/evidence`` = examples/<which>, ``root/decision.json`` from the real check."""
    shutil.copytree(REPO / "examples" / which, root / "evidence")
    policy.check(policy.DEFAULT_POLICY, root / "evidence", out=root / "decision.json")
    return root

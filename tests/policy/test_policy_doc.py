"""docs/policy.md says what the loader does: its example transcript and its YAML 1.1 table are
checked against the real loader and the real YAML parser (issue 14: docs that run)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "policy.md"


def _transcript() -> tuple[str, list[str], int]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"```console\n\$ (releasegate check --policy [^\n]+)\n(.*?)\n\$ echo \$\?\n"
                      r"(\d+)\n```", text, re.S)
    assert block is not None, "the transcript of a policy with mistakes is in docs/policy.md"
    return block.group(1), block.group(2).splitlines(), int(block.group(3))


def test_the_mistakes_transcript_is_what_check_prints() -> None:
    command, lines, code = _transcript()
    argv = command.split()[1:]
    proc = subprocess.run([sys.executable, "-m", "releasegate.cli.main", *argv], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == code
    assert proc.stderr.splitlines() == lines


def _pitfall_rows() -> list[list[str]]:
    section = DOC.read_text(encoding="utf-8").split("## YAML 1.1 pitfalls", 1)[1].split("\n## ")[0]
    rows = [[c.strip() for c in line.strip("|").split("|")]
            for line in section.splitlines() if line.startswith("| `")]
    assert len(rows) >= 5
    return rows


@pytest.mark.parametrize("row", _pitfall_rows(), ids=lambda r: r[0])
def test_yaml_1_1_table_says_what_pyyaml_reads(row: list[str]) -> None:
    written, reads, instead = row
    value = yaml.safe_load(written.split("`")[1])
    (key,) = value
    kinds = {"text": str, "number": (int, float), "boolean": bool, "date": dt.date}
    said = [t for word, t in kinds.items() if word in reads]
    assert said and isinstance(value[key], said[0]), (written, reads, value)
    # every "write instead" spelling that is a whole `key: value` reads as what the key needs
    for fix in re.findall(r"`([^`]+: [^`]+)`", instead):
        fixed = yaml.safe_load(fix)[key]
        wanted = {"threshold": float, "version": str, "expires": dt.date}.get(key, str)
        assert isinstance(fixed, wanted), (fix, fixed)


def test_docs_the_shipped_policies_point_to_exist() -> None:
    for policy in (REPO / "policy").glob("*/v*.yaml"):
        for ref in re.findall(r"docs/[\w./-]+\.md", policy.read_text(encoding="utf-8")):
            assert (REPO / ref).is_file(), f"{policy} points to {ref}"

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

from tests._helpers import MINIMAL_POLICY

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


# Where each key of the table sits in a policy, to load the row as a real policy would.
_PLACE = {
    "threshold": lambda v: _LEAF.replace("threshold: 0", v),
    "version": lambda v: _LEAF.replace("version: 1.2.3", v),
    "expires": lambda v: _LEAF + _WAIVER.replace("expires: 2030-01-01", v),
}
_LEAF = MINIMAL_POLICY
_WAIVER = ("waivers:\n  - gate: g\n    reason: a reason long enough\n    approver: amy\n"
           "    expires: 2030-01-01\n    evidence_sha256: ['" + "a" * 64 + "']\n")


def _load_row(tmp_path: Path, written: str) -> tuple[str, list[tuple[int | None, str]]]:
    """The policy text holding ``written`` and the loader's problems with it."""
    from policy import PolicyError, load_policy

    key = written.split(":", 1)[0]
    text = (_PLACE[key](written) if key in _PLACE else _LEAF.replace(
        "    statistic: mean\n", f"    select:\n      where: {{{written}}}\n    statistic: mean\n"))
    p = tmp_path / "row.yaml"
    p.write_text(text)
    try:
        load_policy(p)
    except PolicyError as e:
        return text, [(q.line, q.message) for q in e.problems]
    return text, []


@pytest.mark.parametrize("row", _pitfall_rows(), ids=lambda r: r[0])
def test_yaml_1_1_table_says_what_the_loader_prints(tmp_path: Path, row: list[str]) -> None:
    written, reads, instead = (c for c in row)
    source = written.split("`")[1]
    fixes = re.findall(r"`([^`]+: [^`]+)`", instead)
    text, problems = _load_row(tmp_path, source)
    if "intended" in instead:
        assert problems == [], (source, problems)
        return
    ((line, message),) = problems
    assert line == next(n for n, row in enumerate(text.splitlines(), 1) if source in row)
    words = {"text": "as text", "number": "as the number", "boolean": "as the boolean"}
    said = [w for k, w in words.items() if k in reads.split("(")[0]]
    assert said and said[0] in message, (reads, message)
    assert fixes, row
    first = fixes[0].split(": ", 1)[1].strip('"')
    assert first in message, (first, message)  # the loader suggests the table's spelling
    for fix in fixes:  # and every spelling the table suggests loads
        assert _load_row(tmp_path, fix)[1] == [], fix

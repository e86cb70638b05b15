"""Evidence that is a symlink out of the evidence's repository is refused (red team 2 §3): the
gates that would read it are invalid, saying why, and no absolute path reaches the decision."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from _helpers import REPO

import policy
from evidence_schema import DecisionEvidence
from evidence_schema._provenance import repository_state, uncommitted_files

NOW = datetime(2026, 11, 26, tzinfo=UTC)
PASSING = REPO / "examples" / "evidence"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", *args], cwd=cwd,
                   check=True, capture_output=True)


def _statuses(d: DecisionEvidence) -> dict[str, str]:
    out = {}
    for g in d.gates:
        out[g.name] = g.status
        out.update({c.name: c.status for c in g.children})
    return out


def _evidence_with_link(root: Path, target: Path) -> Path:
    """root/repo/ev = the passing examples, its CE-Bench file a symlink to ``target``."""
    ev = root / "repo" / "ev"
    shutil.copytree(PASSING, ev)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(ev / "external_cebench.json", target)
    (ev / "external_cebench.json").symlink_to(target)
    return ev


def test_a_symlink_out_of_the_repository_is_refused_and_never_recorded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "outside" / "ce.json"
    ev = _evidence_with_link(tmp_path, outside)
    _git(ev.parent, "init", "-q")
    _git(ev.parent, "add", "ev")
    _git(ev.parent, "commit", "-q", "-m", "evidence")
    monkeypatch.chdir(ev.parent)
    out = ev.parent / "decision.json"
    d = policy.check(policy.DEFAULT_POLICY, Path("ev"), now=NOW, out=out)
    st = _statuses(d)
    assert st["cebench"] == "invalid" and st["saebench"] == "pass"  # only the gate that reads it
    cebench = next(c for g in d.gates for c in g.children if c.name == "cebench")
    assert "ev/external_cebench.json" in cebench.reason
    assert "symlink to a file outside the repository holding the evidence directory" \
        in cebench.reason
    text = out.read_text(encoding="utf-8")
    assert str(tmp_path) not in text and "outside/ce.json" not in text
    assert "/tmp" not in json.loads(text)["provenance"]["git_note"]


def test_without_a_repository_the_boundary_is_the_evidence_directory(tmp_path: Path) -> None:
    ev = _evidence_with_link(tmp_path, tmp_path / "elsewhere" / "ce.json")
    if subprocess.run(["git", "rev-parse"], cwd=ev, capture_output=True).returncode == 0:
        pytest.skip("the temporary directory lies inside a git repository")
    d = policy.check(policy.DEFAULT_POLICY, ev, now=NOW)
    cebench = next(c for g in d.gates for c in g.children if c.name == "cebench")
    assert cebench.status == "invalid"
    assert "outside the evidence directory (no git repository holds it)" in cebench.reason


def test_a_symlink_inside_the_repository_is_evidence(tmp_path: Path) -> None:
    ev = _evidence_with_link(tmp_path, tmp_path / "repo" / "shared" / "ce.json")
    _git(ev.parent, "init", "-q")
    d = policy.check(policy.DEFAULT_POLICY, ev, now=NOW)
    assert d.verdict == "pass"


def test_one_file_outside_the_repository_does_not_hide_the_others_state(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "kept.json").write_text("{}")
    _git(repo, "init", "-q")
    _git(repo, "add", "kept.json")
    _git(repo, "commit", "-q", "-m", "kept")
    (repo / "loose.json").write_text("{}")
    (tmp_path / "away.json").write_text("{}")
    files = [repo / "kept.json", repo / "loose.json", tmp_path / "away.json"]
    assert sorted(uncommitted_files(repo, files)) == ["../away.json", "loose.json"]
    commit, dirty, note = repository_state(repo, "the evidence directory", files)
    assert commit is not None and dirty is True
    assert str(tmp_path) not in note and "kept.json" not in note

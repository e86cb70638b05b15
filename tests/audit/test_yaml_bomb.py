"""YAML alias bombs reach the audit twice: as a cited artifact and as the --policy (issue 10 §4).

Artifacts other tools wrote may use aliases, so the audit's reader bounds the expanded size
instead of refusing aliases; the policy is refused outright like every policy.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _yaml_bomb import BOMB, within

from releasegate.cli.main import main
from tests.audit.conftest import Repo, only


def test_cited_bomb_artifact_is_refused_quickly(repo: Repo) -> None:
    (repo.root / "ev").mkdir(parents=True, exist_ok=True)
    (repo.root / "ev" / "bomb.yaml").write_bytes(BOMB)
    repo.text("r.md", "## R\n\n`ev/bomb.yaml` holds 0.5\n")
    with within():
        result = repo.audit()
    finding = only(result, "ev/bomb.yaml")
    assert finding.verdict != "verified"
    assert "ev/bomb.yaml:" in finding.message and "aliases" in finding.message


def test_yaml_artifact_with_modest_aliases_is_still_indexed(repo: Repo) -> None:
    (repo.root / "ev").mkdir(parents=True, exist_ok=True)
    (repo.root / "ev" / "m.yaml").write_text("base: &b {score: 0.8125}\nrun: *b\n")
    repo.text("r.md", "## R\n\n`ev/m.yaml` gives 0.8125\n")
    result = repo.audit()
    assert only(result, "ev/m.yaml").verdict == "verified"
    assert only(result, "0.8125").verdict == "verified"


def test_bomb_policy_for_audit_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_bytes(BOMB)
    (tmp_path / "r.md").write_text("## R\n\nnothing to check\n")
    with within():
        rc = main(["audit", str(tmp_path / "r.md"), "--repo", str(tmp_path), "--policy", str(bomb)])
    assert rc == 2
    assert f"{bomb}:1: YAML anchors and aliases" in capsys.readouterr().err

"""Issue 10 §3: audit refuses a decision that contradicts itself, and says when a decision cannot
be re-evaluated from the files present."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from _helpers import NOW, POLICY, REPO

from audit import AuditInputError, AuditOptions, audit_paths
from policy import check
from releasegate.cli.main import main


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with the failing example's evidence, its decision and a one-line report."""
    shutil.copytree(REPO / "examples" / "failing", tmp_path / "evidence")
    shutil.copyfile(POLICY, tmp_path / "policy.yaml")
    check(tmp_path / "policy.yaml", tmp_path / "evidence", tmp_path / "decision.json", now=NOW)
    (tmp_path / "report.md").write_text("# Report\n\nThe external gate fails.\n")
    return tmp_path


def _forge(decision: Path) -> None:
    doc: dict[str, Any] = json.loads(decision.read_text())

    def all_pass(gates: list[dict[str, Any]]) -> None:
        for g in gates:
            g["status"] = "pass"
            all_pass(g["children"])

    all_pass(doc["gates"])
    doc["verdict"] = "pass"
    decision.write_text(json.dumps(doc, indent=2))


def test_audit_refuses_a_forged_decision(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _forge(repo / "decision.json")
    with pytest.raises(AuditInputError, match=r"cebench.*contradicts observed"):
        audit_paths([repo / "report.md"], AuditOptions(repo=repo, decision=repo / "decision.json"))
    rc = main(["audit", str(repo / "report.md"), "--repo", str(repo), "--decision",
               str(repo / "decision.json")])
    err = capsys.readouterr().err
    assert rc == 2 and "not a valid releasegate decision" in err and "Traceback" not in err


def test_audit_notes_a_decision_not_reproducible_here(repo: Path) -> None:
    opts = AuditOptions(repo=repo, decision=repo / "decision.json")
    assert not any("not reproducible" in n for n in audit_paths([repo / "report.md"], opts).notes)
    (repo / "evidence" / "external_cebench.json").unlink()
    (repo / "policy.yaml").write_text((repo / "policy.yaml").read_text() + "\n# edited\n")
    notes = audit_paths([repo / "report.md"], opts).notes
    note = next(n for n in notes if "not reproducible from the files present" in n)
    assert "policy.yaml changed" in note and "evidence/external_cebench.json" in note


def test_report_refuses_a_forged_decision(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _forge(repo / "decision.json")
    rc = main(["report", "--decision", str(repo / "decision.json"), "--out",
               str(repo / "site")])
    err = capsys.readouterr().err
    assert rc == 2 and "contradicts observed" in err
    assert not (repo / "site").exists()


def test_report_says_when_not_reproducible(repo: Path) -> None:
    from releasegate.report import build_report

    (repo / "evidence" / "external_cebench.json").unlink()
    index = build_report(repo / "decision.json", repo / "site")
    text = index.read_text()
    assert "could not be re-evaluated" in text and "evidence/external_cebench.json" in text

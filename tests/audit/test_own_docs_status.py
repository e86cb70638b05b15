"""This repository's README and docs make no gate status claim the audit cannot stand behind
(issue 11): with no decision (as a fresh clone has), with a passing one (as the shipped
workflow's examples/evidence gives) and with a failing one, no status finding at all, and the
shipped workflow audits them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from audit import AuditOptions, audit_paths
from tests.audit.conftest import Repo

ROOT = Path(__file__).resolve().parents[2]
GATES = ("random_model", "transcoder", "ood", "external")


@pytest.mark.parametrize(("doc", "status"), [
    ("docs", None), ("docs", "pass"), ("docs", "fail"), ("README.md", None),
    # with a decision its gate names are known: the demo table's statuses are bound to the
    # committed demo decision (examples/demo-run/decision.json), whatever the current one says
    ("README.md", "pass"), ("README.md", "fail"),
])
def test_readme_and_docs_have_no_status_findings(repo: Repo, status: str | None,
                                                 doc: str) -> None:
    decision = None if status is None else repo.decision({g: status for g in GATES})
    result = audit_paths([ROOT / doc], AuditOptions(repo=ROOT, decision=decision))
    assert not result.file_errors
    assert [(f.file, f.line, f.claim, f.verdict) for f in result.findings
            if f.kind == "status" and f.verdict != "verified"] == []
    if doc == "README.md" and status is not None:
        # The demo table's cells are checked against the committed demo decision they link to,
        # whatever the current decision says (fail, missing and pass rows alike).
        demo = [f for f in result.findings if f.kind == "status" and "demo-run" in (
            f.artifact or "")]
        assert {f.claim.split(" | ")[0] for f in demo} >= {"random_model", "transcoder", "ood"}
    # it did look: the docs' status words were read and each skipped by a named rule
    assert sum("not an outcome" in s.rule for s in result.skipped) > 5


def test_the_shipped_workflow_audits_readme_and_docs() -> None:
    wf = yaml.safe_load((ROOT / ".github/workflows/releasegate.yml").read_text())
    steps = wf["jobs"]["gate"]["steps"]
    reports = next(s["with"]["reports"] for s in steps if s.get("uses") == "./")
    assert reports.split() == ["README.md", "docs"]

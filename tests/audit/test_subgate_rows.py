"""A table row labelled "parent / child" (the form check's and render's gate tables use) names
the sub-gate, not its parent: "| external / saebench | pass |" is true when saebench passes even
though external fails, and "| external / cebench | pass |" contradicts the decision."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit import AuditOptions, audit_paths
from policy import DEFAULT_POLICY, check

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("label", "status", "verdict"), [
    ("external / saebench", "pass", "verified"),
    ("external / cebench", "pass", "contradicts-gate"),
    ("external / cebench", "fail", "verified"),
    ("external.cebench", "pass", "contradicts-gate"),
    ("external › saebench", "pass", "verified"),
])
def test_parent_slash_child_row_names_the_sub_gate(tmp_path: Path, label: str, status: str,
                                                   verdict: str) -> None:
    d = tmp_path / "decision.json"
    check(DEFAULT_POLICY, REPO / "examples/failing", out=d)  # external fails on cebench only
    (tmp_path / "r.md").write_text(
        f"# Gates\n\n| gate | status |\n|---|---|\n| {label} | {status} |\n")
    res = audit_paths([tmp_path / "r.md"], AuditOptions(repo=tmp_path, decision=d))
    status_findings = [(f.claim, f.verdict) for f in res.findings if f.kind == "status"]
    assert [v for _, v in status_findings] == [verdict], status_findings

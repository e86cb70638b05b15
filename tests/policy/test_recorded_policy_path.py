"""A decision names a shipped policy by its place in the package, never by a machine path or a
`../../` chain into wherever releasegate is installed (issue 10 §5), and every reader resolves
that name: verify, the audit's gate groups, the committed demo decision."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from audit import AuditOptions, audit_paths
from policy import DEFAULT_POLICY, check, recorded_policy_path, verify_decision

REPO = Path(__file__).resolve().parents[2]


def test_shipped_policy_is_recorded_by_package_name(tmp_path: Path) -> None:
    assert recorded_policy_path(DEFAULT_POLICY, tmp_path) == \
        "releasegate:policy/husai-release/v1.yaml"
    d = check(DEFAULT_POLICY, REPO / "examples/evidence", out=tmp_path / "d.json")
    assert d.policy.path == "releasegate:policy/husai-release/v1.yaml"
    assert str(tmp_path) not in (tmp_path / "d.json").read_text()
    assert verify_decision(tmp_path / "d.json").reproduced


def test_a_users_policy_is_recorded_relative_to_the_decision(tmp_path: Path) -> None:
    own = tmp_path / "gates" / "mine.yaml"
    own.parent.mkdir()
    text = DEFAULT_POLICY.read_text().replace("name: husai-release", "name: my-release", 1)
    own.write_text(text)
    ev = tmp_path / "evidence"
    shutil.copytree(REPO / "examples/evidence", ev)
    d = check(own, ev, out=tmp_path / "out" / "d.json")
    assert d.policy.path == "../gates/mine.yaml"
    assert verify_decision(tmp_path / "out" / "d.json").reproduced


def test_the_committed_demo_decision_reproduces() -> None:
    path = REPO / "examples/demo-run/decision.json"
    doc = json.loads(path.read_text())
    assert doc["policy"]["path"].startswith("releasegate:policy/")
    result = verify_decision(path)
    assert result.reproduced, result.differences


def test_audit_reads_gate_groups_from_the_shipped_policy_a_decision_names(tmp_path: Path) -> None:
    d = tmp_path / "decision.json"
    check(DEFAULT_POLICY, REPO / "examples/failing", out=d)
    (tmp_path / "r.md").write_text("# Results\n\nThe stress gates pass.\n")
    res = audit_paths([tmp_path / "r.md"], AuditOptions(repo=tmp_path, decision=d))
    status = [f for f in res.findings if f.kind == "status"]
    # random_model, transcoder and ood pass on the failing example (only external fails)
    assert [f.verdict for f in status] == ["verified"], [(f.verdict, f.message) for f in status]

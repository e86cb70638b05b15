"""Issue 10 §3 and §5: `releasegate verify`, portable decision paths, where a decision ran."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from _helpers import NOW, POLICY, REPO

from evidence_schema import sha256_file, validate_document
from policy import VerifyError, check, verify_decision
from releasegate.cli.main import main

EXAMPLES = {"passing": REPO / "examples" / "evidence", "failing": REPO / "examples" / "failing"}
NOW_ARG = "2026-11-26T00:00:00Z"


@pytest.fixture(scope="module")
def decisions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each example's decision, written by `releasegate check` into a folder of its own."""
    out = {}
    for name, ev in EXAMPLES.items():
        d = tmp_path_factory.mktemp(name) / "out" / "decision.json"
        rc = main(["check", "--evidence", str(ev), "--out", str(d), "--now", NOW_ARG,
                   "--format", "json"])
        assert rc == (0 if name == "passing" else 1)
        out[name] = d
    return out


def _copy(decision: Path, tmp_path: Path) -> Path:
    # Beside the original, so its relative paths still resolve.
    dest = decision.parent / f"forged-{tmp_path.name}.json"
    shutil.copyfile(decision, dest)
    return dest


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_check_decisions_are_reproduced(decisions: dict[str, Path], name: str,
                                        capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # from any directory: paths are relative to the decision
    r = verify_decision(decisions[name])
    assert r.reproduced and r.differences == [], r.differences
    assert main(["verify", str(decisions[name])]) == 0
    assert capsys.readouterr().out.startswith("reproduced: ")
    assert main(["verify", str(decisions[name]), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["reproduced"] is True and doc["verdict"] == ("pass" if name == "passing"
                                                              else "fail")


def test_forged_all_pass_decision_is_refused(decisions: dict[str, Path], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    forged = _copy(decisions["failing"], tmp_path)
    doc = json.loads(forged.read_text())

    def all_pass(gates: list[dict[str, Any]]) -> None:
        for g in gates:
            g["status"] = "pass"
            all_pass(g["children"])

    all_pass(doc["gates"])
    doc["verdict"] = "pass"
    forged.write_text(json.dumps(doc))
    assert main(["verify", str(forged)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("NOT reproduced") and "cebench" in out and "not met" in out


def test_consistent_forgery_is_caught_by_re_evaluation(decisions: dict[str, Path],
                                                       tmp_path: Path) -> None:
    # Observed and statuses edited together: the file validates, re-evaluation does not agree.
    forged = _copy(decisions["failing"], tmp_path)
    doc = json.loads(forged.read_text())
    ext = next(g for g in doc["gates"] if g["name"] == "external")
    ceb = next(c for c in ext["children"] if c["name"] == "cebench")
    ceb.update(status="pass", observed=0.5)
    ext["status"] = "pass"
    doc["verdict"] = "pass"
    assert validate_document(doc, "d.json").ok
    forged.write_text(json.dumps(doc))
    r = verify_decision(forged)
    assert not r.reproduced
    assert any("gates/external/cebench: observed recorded 0.5" in d for d in r.differences)
    assert any("verdict recorded 'pass', now 'fail'" in d for d in r.differences)


def test_changed_evidence_is_named(tmp_path: Path) -> None:
    ev = tmp_path / "evidence"
    shutil.copytree(EXAMPLES["passing"], ev)
    out = tmp_path / "decision.json"
    check(POLICY, ev, out, now=NOW)
    assert verify_decision(out).reproduced
    f = ev / "ood_stress.json"
    f.write_text(f.read_text().replace('"tokens"', '"tokens" ', 1))  # same data, new bytes
    r = verify_decision(out)
    assert not r.reproduced
    assert any(d.startswith("evidence evidence/ood_stress.json: sha256 now") for d in r.differences)
    f.unlink()
    r = verify_decision(out)
    assert "evidence evidence/ood_stress.json: not found" in r.differences
    assert any("gates/ood: status recorded 'pass', now 'missing'" in d for d in r.differences)


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    with pytest.raises(VerifyError):
        verify_decision(tmp_path / "none.json")
    assert main(["verify", str(tmp_path / "none.json")]) == 2
    (tmp_path / "x.json").write_text("{not json")
    assert main(["verify", str(tmp_path / "x.json")]) == 2
    other = next(EXAMPLES["passing"].glob("ood_stress.json"))
    assert main(["verify", str(other)]) == 2  # evidence, but not a decision


# --- §5: portable paths and where a decision ran ------------------------------------------


def test_decision_paths_do_not_depend_on_the_cwd(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site" / "decision.json"
    docs = []
    for cwd in (REPO, tmp_path):
        monkeypatch.chdir(cwd)
        d = check(POLICY, EXAMPLES["failing"], out, now=NOW)
        docs.append((d.policy.path, [e.path for e in d.evidence], d.provenance.config,
                     [g.evidence for g in d.gates]))
        assert d.paths_relative_to == "decision"
        assert not any(Path(p).is_absolute() for p in docs[-1][1])
    assert docs[0] == docs[1]
    assert all((out.parent / p).is_file() for p in docs[0][1])


def test_decision_records_the_evidence_repository_not_releasegates(tmp_path: Path) -> None:
    ev = tmp_path / "evidence"
    shutil.copytree(EXAMPLES["passing"], ev)
    d = check(POLICY, ev, tmp_path / "d.json", now=NOW)  # the shipped policy, outside git
    assert d.provenance.git_commit is None and d.provenance.git_dirty is None
    assert d.provenance.git_note is not None and "no git repository" in d.provenance.git_note
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "evidence"], check=True)
    subprocess.run([*git, "commit", "-qm", "evidence"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True,
                          text=True).stdout.strip()
    d = check(POLICY, ev, tmp_path / "d.json", now=NOW)
    assert d.provenance.git_commit == head and d.provenance.git_dirty is False
    assert d.provenance.git_note == "git state of the repository holding the evidence directory"


def test_waived_decision_reproduces_and_a_dropped_waiver_does_not(evidence_dir: Path,
                                                                  tmp_path: Path) -> None:
    from datetime import timedelta

    from _helpers import mutate, set_samples

    mutate(evidence_dir / "ood_stress.json", lambda d: set_samples(
        d, "/metrics/out_of_distribution/explained_variance", [0.5, 0.51, 0.52]))
    w = tmp_path / "waivers.yaml"
    w.write_text(json.dumps({"waivers": [{
        "gate": "ood", "reason": "known limitation of the OOD corpus, tracked",
        "approver": "amy", "expires": (NOW.date() + timedelta(days=10)).isoformat(),
        "evidence_sha256": [sha256_file(evidence_dir / "ood_stress.json")]}]}))
    out = tmp_path / "decision.json"
    d = check(POLICY, evidence_dir, out, now=NOW, waivers_path=w)
    assert d.verdict == "waived"
    assert verify_decision(out).reproduced
    w.write_text(json.dumps({"waivers": []}))  # the waiver file no longer covers the gate
    r = verify_decision(out)
    assert not r.reproduced
    assert any("gates/ood: status recorded 'waived', now 'fail'" in x for x in r.differences)
    assert any(x.startswith("waivers ") and "sha256 now" in x for x in r.differences)

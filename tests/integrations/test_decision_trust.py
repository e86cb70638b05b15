"""A forged, stale, imported or impersonating decision is never trusted silently (rt10).

Each example of the red-team review is a test here: the basis-``imported`` loophole (§1),
decisions that validate but do not reproduce (§2), imported decisions (§3), a lenient policy
posing as the shipped one (§4) and uncommitted evidence recorded as a clean git state (§5).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from _helpers import NOW, POLICY, REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_schema import validate_document, validate_file
from evidence_schema._decision_rules import compare
from policy import PolicyError, check, verify_decision
from releasegate.cli.main import main

FAILING = REPO / "examples" / "failing"  # saebench passes, cebench fails (lcb −1.58)
PASSING = REPO / "examples" / "evidence"
REPORT = "# Release\n\n- external gate: pass\n- The release passes all gates.\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The failing example's evidence, a copy of the shipped policy, its decision, a report
    claiming the release passes."""
    shutil.copytree(FAILING, tmp_path / "ev")
    shutil.copyfile(POLICY, tmp_path / "pol.yaml")
    check(tmp_path / "pol.yaml", tmp_path / "ev", tmp_path / "d.json", now=NOW)
    (tmp_path / "rep.md").write_text(REPORT)
    return tmp_path


def _load(p: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(p.read_text())
    return doc


def _ext(doc: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    ext = next(g for g in doc["gates"] if g["name"] == "external")
    return ext, next(c for c in ext["children"] if c["name"] == "cebench")


def _forge(src: Path, mode: str) -> Path:
    """rt10's forge.py, one case per mode; writes d_<mode>.json beside ``src``."""
    d = _load(src)
    ext, ce = _ext(d)
    if mode in ("consistent", "imported"):
        ce["status"] = "pass"
        ext["status"], ext["reason"] = "pass", "all of 2 sub-gates pass"
        if mode == "consistent":
            ce["observed"] = 0.5
            ce["reason"] = ce["reason"].replace("-1.58104 not", "0.5")
        else:
            ce["basis"] = "imported"
    elif mode == "imported_all":
        ext["status"], ext["basis"] = "pass", "imported"
    elif mode == "advisory":
        ext["required"] = False
    elif mode == "drop":
        d["gates"] = [g for g in d["gates"] if g["name"] != "external"]
    d["verdict"] = "pass"
    out = src.parent / f"d_{mode}.json"
    out.write_text(json.dumps(d, indent=1))
    return out


def _audit(repo: Path, decision: Path, *extra: str) -> int:
    return main(["audit", str(repo / "rep.md"), "--repo", str(repo), "--decision",
                 str(decision), *extra])


# --- §1 basis: imported does not switch off the re-derivation -------------------------------


@pytest.mark.parametrize(("mode", "why"), [
    ("imported", "cebench': status 'pass' contradicts observed"),
    ("imported_all", "external': status 'pass' contradicts its required sub-gates"),
])
def test_basis_imported_does_not_hide_a_failing_gate(
    repo: Path, mode: str, why: str, capsys: pytest.CaptureFixture[str]
) -> None:
    forged = _forge(repo / "d.json", mode)
    res = validate_file(forged)
    assert not res.ok and why in str(res.problems[0])
    for strict in ([], ["--strict"]):
        assert _audit(repo, forged, *strict) == 2
        assert why in capsys.readouterr().err


def test_imported_gates_only_in_a_decision_imported_as_a_whole(repo: Path) -> None:
    d = _load(repo / "d.json")
    # a passing leaf marked imported: consistent on its own, but a mix of bases
    saebench = next(c for c in _ext(d)[0]["children"] if c["name"] == "saebench")
    saebench["basis"] = "imported"
    res = validate_document(d, "d.json")
    assert not res.ok and "never a mix" in str(res.problems[0])
    d["basis"] = "imported"  # now the evaluated gates are the mix
    res = validate_document(d, "d.json")
    assert not res.ok and "never a mix" in str(res.problems[0])


@settings(max_examples=40, deadline=None)
@given(observed=st.floats(-10, 10), threshold=st.floats(-10, 10),
       op=st.sampled_from([">=", ">", "<=", "<"]),
       basis=st.sampled_from(["evaluated", "imported"]))
def test_a_leaf_with_a_comparison_passes_only_when_it_holds(
    observed: float, threshold: float, op: str, basis: str
) -> None:
    leaf = {"name": "g", "status": "pass", "reason": "r", "basis": basis, "observed": observed,
            "comparison": op, "threshold": threshold, "n_seeds": 3, "min_seeds": 3}
    doc = {"created_at": "2026-11-26T00:00:00Z", "producer": {"name": "t", "version": "0"},
           "provenance": {"git_commit": None, "git_dirty": None, "config": {},
                          "versions": {}},
           "policy": {"name": "p", "version": "1", "path": "p.yaml", "sha256": "a" * 64},
           "evidence": [], "gates": [leaf], "verdict": "pass", "summary": "s",
           "basis": basis, "kind": "decision", "schema_version": "1.0"}
    assert validate_document(doc, "d.json").ok == compare(observed, op, threshold)


# --- §2 audit and report re-evaluate the decision they use -----------------------------------


def _stale(repo: Path) -> Path:
    """A passing decision, then a newer failing cebench file added to its evidence folder."""
    shutil.copyfile(PASSING / "external_cebench.json", repo / "ev" / "external_cebench.json")
    check(repo / "pol.yaml", repo / "ev", repo / "d_stale.json", now=NOW)
    assert _load(repo / "d_stale.json")["verdict"] == "pass"
    newer = _load(FAILING / "external_cebench.json")
    newer["created_at"] = "2026-11-25T12:00:00Z"
    (repo / "ev" / "zz_newer_cebench.json").write_text(json.dumps(newer, indent=2))
    return repo / "d_stale.json"


@pytest.mark.parametrize(("mode", "difference"), [
    ("consistent", "gates/external/cebench: observed recorded 0.5, now -1.58"),
    ("drop", "gates/external: not in the decision"),
    ("advisory", "gates/external: required recorded False, now True"),
    ("stale", "evidence used now but not recorded: ev/zz_newer_cebench.json"),
])
def test_audit_refuses_a_decision_that_does_not_reproduce(
    repo: Path, mode: str, difference: str, capsys: pytest.CaptureFixture[str]
) -> None:
    forged = _stale(repo) if mode == "stale" else _forge(repo / "d.json", mode)
    assert validate_file(forged).ok  # the cheap checks cannot see it
    for strict in ([], ["--strict"]):
        assert _audit(repo, forged, *strict) == 1
        out = capsys.readouterr().out
        assert difference in out and "verdict recorded 'pass', now 'fail'" in out
        assert "refused: not reproduced" in out
        assert " verified" not in out.splitlines()[-1]  # no claim checked against it
    assert main(["report", "--decision", str(forged), "--out", str(repo / "site")]) == 1
    assert difference in capsys.readouterr().err
    assert not (repo / "site" / "index.html").exists()


def test_audit_trusts_a_reproduced_decision_and_notes_one_it_cannot_re_evaluate(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "rep.md").write_text("# Release\n\n- external gate: fail\n")
    assert _audit(repo, repo / "d.json") == 0
    out = capsys.readouterr().out
    assert "1 verified" in out and "re-evaluated" not in out
    (repo / "ev" / "ood_stress.json").unlink()  # gone: cannot re-run it, a note (an error
    # under --strict)
    assert _audit(repo, repo / "d.json") == 0
    assert "could not be re-evaluated" in capsys.readouterr().out
    assert _audit(repo, repo / "d.json", "--strict") == 1
    assert "ERROR: decision" in capsys.readouterr().out


def test_re_evaluation_costs_well_under_a_second(repo: Path) -> None:
    from releasegate._decision_trust import reevaluate

    start = time.perf_counter()
    trust = reevaluate(repo / "d.json")
    took = time.perf_counter() - start
    assert not trust.refused and not trust.unverified
    assert took < 1.0, f"re-evaluating the example decision took {took:.2f} s"


# --- §3 imported decisions are used, and every audit says so --------------------------------


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    (tmp_path / "pa.json").write_text(json.dumps({
        "run_metadata": {"timestamp_utc": "2026-11-30T00:00:00Z", "git_commit": "abc1234",
                         "command": "x", "run_id": "r"},
        "gates": {"random_model": True, "transcoder": True, "ood": True, "external": True,
                  "pass_all": True}}))
    (tmp_path / "rep.md").write_text(REPORT)
    assert main(["import-gates", str(tmp_path / "pa.json"), "--out",
                 str(tmp_path / "d_imp.json")]) == 0
    return tmp_path


def test_an_imported_decision_is_noted_and_an_error_under_strict(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    note = "pa.json by import-gates: not re-evaluated by releasegate"
    d = imported / "d_imp.json"
    assert _audit(imported, d) == 0
    assert note in capsys.readouterr().out
    assert _audit(imported, d, "--strict") == 1
    out = capsys.readouterr().out
    assert note in out and "--allow-imported" in out
    assert _audit(imported, d, "--strict", "--allow-imported") == 0
    assert note in capsys.readouterr().out


def test_report_of_an_imported_decision_has_no_policy_parts(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--decision", str(imported / "d_imp.json"), "--out",
                 str(imported / "site")]) == 0  # was exit 3: pa.json loaded as a policy
    html = (imported / "site" / "index.html").read_text()
    assert "not re-evaluated by releasegate" in html
    assert not list((imported / "site").glob("plots/gate-*.svg"))


# --- §4 a lenient copy cannot pose as the shipped policy ------------------------------------


def _lenient(dst: Path) -> None:
    """rt10's lenient.yaml: the shipped policy with every 0.0 threshold lowered to −5."""
    text = POLICY.read_text().replace("threshold: 0.0", "threshold: -5.0")
    assert text != POLICY.read_text()
    dst.write_text(text)


def test_a_lenient_copy_with_the_shipped_name_and_version_is_refused(repo: Path) -> None:
    _lenient(repo / "lenient.yaml")
    with pytest.raises(PolicyError, match="bump the version or rename"):
        check(repo / "lenient.yaml", repo / "ev", now=NOW)
    assert main(["check", "--policy", str(repo / "lenient.yaml"), "--evidence",
                 str(repo / "ev")]) == 2
    # a decision made with it (the policy renamed for check, then the name put back): verify
    # and audit re-run it and refuse
    text = (repo / "lenient.yaml").read_text()
    shipped = yaml.safe_load(POLICY.read_text())
    (repo / "lenient.yaml").write_text(text.replace(f"name: {shipped['name']}", "name: x"))
    check(repo / "lenient.yaml", repo / "ev", repo / "d_len.json", now=NOW)
    (repo / "lenient.yaml").write_text(text)
    d = _load(repo / "d_len.json")
    d["policy"].update(name=shipped["name"], version=str(shipped["version"]),
                       sha256=hashlib.sha256(text.encode()).hexdigest())
    (repo / "d_len.json").write_text(json.dumps(d))
    assert d["verdict"] == "pass"
    r = verify_decision(repo / "d_len.json")
    assert not r.reproduced and "bump the version or rename" in " ".join(r.differences)
    assert any("is not the" in n and "shipped with releasegate" in n for n in r.notes)
    assert _audit(repo, repo / "d_len.json") == 1


def test_a_renamed_version_loads_and_the_audit_notes_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _lenient(repo / "lenient.yaml")
    text = (repo / "lenient.yaml").read_text()
    shipped = yaml.safe_load(POLICY.read_text())
    (repo / "lenient.yaml").write_text(
        text.replace(f"version: {shipped['version']}", "version: 9.9.9-lenient"))
    assert main(["check", "--policy", str(repo / "lenient.yaml"), "--evidence",
                 str(repo / "ev"), "--out", str(repo / "d_len.json"), "--now",
                 NOW.isoformat()]) == 0
    assert "is not the" in capsys.readouterr().err
    (repo / "rep.md").write_text("# Release\n\n- external gate: pass\n")
    assert _audit(repo, repo / "d_len.json") == 0
    out = capsys.readouterr().out
    assert f"policy {shipped['name']} 9.9.9-lenient" in out
    assert "is not the" in out and "shipped with releasegate" in out


# --- §5 evidence git does not hold makes the recorded state dirty ---------------------------


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", *args], cwd=cwd,
                   check=True, capture_output=True)


@pytest.mark.parametrize("how", ["untracked", "ignored", "modified", "committed"])
def test_uncommitted_evidence_makes_the_decision_dirty(tmp_path: Path, how: str) -> None:
    shutil.copytree(FAILING, tmp_path / "ev")
    _git(tmp_path, "init", "-q")
    if how == "ignored":
        (tmp_path / ".gitignore").write_text("ev/zz_*.json\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "failing evidence")
    newer = _load(PASSING / "external_cebench.json")
    newer["created_at"] = "2026-11-25T12:00:00Z"
    target = tmp_path / "ev" / ("external_cebench.json" if how == "modified"
                                else "zz_newer_cebench.json")
    target.write_text(json.dumps(newer, indent=2))
    if how == "committed":
        _git(tmp_path, "add", ".")
        _git(tmp_path, "commit", "-q", "-m", "newer evidence")
    d = check(POLICY, tmp_path / "ev", now=NOW)
    assert d.verdict == "pass"  # the newer file decided it
    if how == "committed":
        assert d.provenance.git_dirty is False
        assert "not committed" not in (d.provenance.git_note or "")
    else:
        assert d.provenance.git_dirty is True
        assert f"ev/{target.name}" in (d.provenance.git_note or "")


# --- red team 2 §1: renaming the evidence folder must not turn a refusal into a note ---------


def test_a_forgery_whose_evidence_folder_was_renamed_is_still_refused(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    forged_path = _forge(repo / "d.json", "consistent")
    doc = _load(forged_path)
    doc["provenance"]["config"]["evidence_dir"] = "ev_archived"  # not there; its files are
    forged_path.write_text(json.dumps(doc, indent=1))
    assert validate_file(forged_path).ok
    result = verify_decision(forged_path)
    assert not result.reproduced and result.contradicted
    assert any("re-evaluated on the" in x and "observed recorded 0.5" in x
               for x in result.differences), result.differences
    for strict in ([], ["--strict"]):
        assert _audit(repo, forged_path, *strict) == 1
        out = capsys.readouterr().out
        assert "refused: not reproduced" in out and " verified" not in out.splitlines()[-1]


def test_an_honest_decision_whose_evidence_folder_was_renamed_is_only_unverified(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = _load(repo / "d.json")
    doc["provenance"]["config"]["evidence_dir"] = "ev_archived"
    moved = repo / "d_moved.json"
    moved.write_text(json.dumps(doc, indent=1))
    result = verify_decision(moved)
    assert not result.reproduced and not result.contradicted  # cannot tell what else was there
    (repo / "rep.md").write_text("# Release\n\n- external gate: fail\n")
    assert _audit(repo, moved) == 0
    assert "could not be re-evaluated" in capsys.readouterr().out

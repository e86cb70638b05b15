"""The CLI through a real subprocess: exit codes, output, and never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _helpers import NOW, REPO, mutate

from releasegate.cli.main import main


def rg(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "releasegate.cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, env=env)
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    return proc


def test_validate_good_and_bad(tmp_path: Path, evidence_dir: Path) -> None:
    ok = rg("validate", str(evidence_dir))
    assert ok.returncode == 0 and "0 invalid" in ok.stdout
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "ood_stress",\n "created_at": NaN}')
    r = rg("validate", str(evidence_dir), str(bad))
    assert r.returncode == 1
    assert f"{bad}:2: /created_at: NaN is not allowed" in r.stdout
    js = rg("validate", "--format", "json", str(bad))
    doc = json.loads(js.stdout)
    assert doc["success"] is False and doc["files"][0]["problems"][0]["line"] == 2


def test_validate_usage_errors(tmp_path: Path) -> None:
    assert rg("validate", str(tmp_path / "nope.json")).returncode == 2
    assert rg("validate").returncode == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    r = rg("validate", str(empty))
    assert r.returncode == 2 and "no .json files" in r.stderr


@pytest.mark.parametrize("binary", [b"\x00\x01\x02", b"\xff\xfe{", b"[" * 50_000])
def test_validate_hostile_files(tmp_path: Path, binary: bytes) -> None:
    f = tmp_path / "h.json"
    f.write_bytes(binary)
    r = rg("validate", str(f))
    assert r.returncode == 1 and str(f) in r.stdout


def test_check_pass_fail_and_outputs(tmp_path: Path, evidence_dir: Path) -> None:
    out = tmp_path / "decision.json"
    r = rg("check", "--evidence", str(evidence_dir), "--out", str(out), "--now", NOW.isoformat())
    assert r.returncode == 0, r.stdout + r.stderr
    assert "verdict PASS" in r.stdout
    assert rg("validate", str(out)).returncode == 0  # the decision is evidence too
    failing = REPO / "examples" / "failing"
    r = rg("check", "--evidence", str(failing), "--now", NOW.isoformat(), "--format", "json")
    assert r.returncode == 1
    assert json.loads(r.stdout)["verdict"] == "fail"
    md = rg("check", "--evidence", str(failing), "--now", NOW.isoformat(), "--format", "markdown")
    assert "| external | fail |" in md.stdout and md.returncode == 1


def test_check_never_green_on_failure(evidence_dir: Path) -> None:
    mutate(evidence_dir / "ood_stress.json", lambda d: d["metrics"].update(hook_point=3))
    r = rg("check", "--evidence", str(evidence_dir), "--now", NOW.isoformat())
    assert r.returncode == 1
    assert "INVALID  ood" in r.stdout and "verdict FAIL" in r.stdout


def test_check_usage_and_unreadable_policy(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("name: x\nversion: !!python/object/apply:os.system ['echo pwned']\n")
    r = rg("check", "--policy", str(bad))
    assert r.returncode == 2 and f"{bad}:2:" in r.stderr and "pwned" not in r.stdout
    assert rg("check", "--evidence", str(tmp_path / "none")).returncode == 2
    assert rg("check", "--now", "yesterday").returncode == 2
    assert rg("check", "--format", "pdf").returncode == 2


def test_allow_waivers_exit_code(tmp_path: Path, evidence_dir: Path) -> None:
    from _helpers import set_samples

    from evidence_schema import sha256_file

    ood = evidence_dir / "ood_stress.json"
    mutate(ood, lambda d: set_samples(
        d, "/metrics/out_of_distribution/explained_variance", [0.5, 0.51, 0.52]))
    w = tmp_path / "w.yaml"
    sha = sha256_file(ood)
    w.write_text("waivers: [{gate: ood, reason: tracked in issue 12, approver: bo, "
                 f"expires: 2027-01-01, evidence_sha256: ['{sha}']}}]\n")
    base = ["check", "--evidence", str(evidence_dir), "--now", NOW.isoformat()]
    assert rg(*base).returncode == 1
    waived = rg(*base, "--waivers", str(w))
    assert waived.returncode == 1 and "WAIVED   ood" in waived.stdout
    assert "verdict WAIVED" in waived.stdout
    assert rg(*base, "--waivers", str(w), "--allow-waivers").returncode == 0
    (evidence_dir / "external_cebench.json").unlink()
    # A waiver on ood does not cover a missing external gate.
    assert rg(*base, "--waivers", str(w), "--allow-waivers").returncode == 1


def test_internal_error_is_exit_3_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], evidence_dir: Path
) -> None:
    import policy._check as chk

    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("injected")

    monkeypatch.setattr(chk, "evaluate_policy", boom)
    rc = main(["check", "--evidence", str(evidence_dir)])
    err = capsys.readouterr().err
    assert rc == 3 and "internal error: RuntimeError: injected" in err and "Traceback" not in err


def test_schema_check_command() -> None:
    r = rg("schema", "check")
    assert r.returncode == 0 and "match" in r.stdout


def test_help_and_version() -> None:
    assert rg("--help").returncode == 0
    assert rg("--version").returncode == 0
    assert rg("frobnicate").returncode == 2

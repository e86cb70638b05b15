"""The ``audit`` and ``import-gates`` commands: exit codes, formats, --explain, no tracebacks.

Exit codes are checked through a real subprocess (what CI sees); formats in-process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from releasegate.cli.main import main
from tests.audit.conftest import Repo, sae_run_doc

REPO_ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "releasegate.cli.main", *args], cwd=cwd, capture_output=True,
        text=True, timeout=120, env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture
def proj(repo: Repo) -> Repo:
    repo.json("docs/evidence/topk.json", sae_run_doc(ev=0.74516))
    repo.decision({"random_model": "pass", "transcoder": "fail"},
                  evidence=["docs/evidence/topk.json"])
    repo.text("docs/good.md", "## R\n\n- `docs/evidence/topk.json`: EV 0.7452\n"
                              "- random-model gate: pass\n")
    repo.text("docs/bad.md", "## R\n\n- `docs/evidence/topk.json`: EV 0.7462\n"
                             "- transcoder gate: ✅\n")
    repo.text("docs/warn.md", "## R\n\n- `docs/evidence/topk.json`: budget 5000\n")
    return repo


def test_exit_0_when_nothing_is_wrong(proj: Repo) -> None:
    r = cli("audit", "docs/good.md", cwd=proj.root)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "audit OK: 1 report(s), 3 claim(s): 3 verified" in r.stdout


def test_exit_1_on_findings_and_the_findings_are_listed(proj: Repo) -> None:
    r = cli("audit", "docs/bad.md", "--color", "never", cwd=proj.root)
    assert r.returncode == 1
    assert "docs/bad.md" in r.stdout
    assert "3:33: mismatch" in r.stdout and "4:3: contradicts-gate" in r.stdout
    assert "Traceback" not in r.stderr


def test_unbacked_is_a_warning_unless_strict(proj: Repo) -> None:
    assert cli("audit", "docs/warn.md", cwd=proj.root).returncode == 0
    assert cli("audit", "docs/warn.md", "--strict", cwd=proj.root).returncode == 1


@pytest.mark.parametrize(
    "args",
    [
        ["audit", "docs/nope.md"],
        ["audit", "docs/good.md", "--decision", "nope.json"],
        ["audit", "docs/good.md", "--decision", "docs/evidence/topk.json"],
        ["audit", "docs/good.md", "--repo", "nowhere"],
        ["audit", "docs/good.md", "--format", "xml"],
        ["audit", "--explain", "docs/good.md"],
        ["audit", "docs/good.md", "--policy", "bad.yaml"],
        ["audit", "docs/good.md", "--policy", "missing.yaml"],
        ["import-gates", "nope.json", "--out", "d.json"],
    ],
)
def test_exit_2_on_usage_or_unreadable_input(proj: Repo, args: list[str]) -> None:
    proj.text("bad.yaml", "audit:\n  not_claim_words: [1, 2\n")
    r = cli(*args, cwd=proj.root)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and r.stderr.strip()


def test_unreadable_report_is_exit_2_and_others_still_audited(proj: Repo) -> None:
    (proj.root / "docs" / "blob.md").write_bytes(b"\x00\x01\x02" * 100)
    r = cli("audit", "docs", "--format", "json", cwd=proj.root)
    assert r.returncode == 2
    doc = json.loads(r.stdout)
    assert [e["file"] for e in doc["file_errors"]] == ["docs/blob.md"]
    assert set(doc["files"]) == {"docs/bad.md", "docs/good.md", "docs/warn.md"}
    assert "Traceback" not in r.stderr


def test_json_format(proj: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["audit", str(proj.root / "docs/bad.md"), "--repo", str(proj.root),
               "--format", "json"])
    assert rc == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["success"] is False and doc["exit_code"] == 1
    mm = next(f for f in doc["findings"] if f["verdict"] == "mismatch")
    assert mm == {**mm, "file": "docs/bad.md", "line": 3, "column": 33, "claim": "0.7462",
                  "artifact": "docs/evidence/topk.json",
                  "pointer": "/metrics/explained_variance", "artifact_value": 0.74516,
                  "severity": "error", "kind": "number"}
    assert mm["difference"] == pytest.approx(0.00104)
    assert doc["summary"]["contradicts-gate"] == 1


def test_sarif_format(proj: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    main(["audit", str(proj.root / "docs/bad.md"), "--repo", str(proj.root), "--format",
          "sarif"])
    doc = json.loads(capsys.readouterr().out)
    assert doc["version"] == "2.1.0" and "sarif-2.1.0" in doc["$schema"]
    run = doc["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "contradicts-gate" in rules and "mismatch" in rules
    res = {r["ruleId"]: r for r in run["results"]}
    assert set(res) == {"mismatch", "contradicts-gate"}
    loc = res["mismatch"]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "docs/bad.md"
    assert loc["region"] == {"startLine": 3, "startColumn": 33}
    assert res["mismatch"]["level"] == "error"
    assert rules[res["mismatch"]["ruleIndex"]] == "mismatch"


def test_github_annotations(proj: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    main(["audit", str(proj.root / "docs"), "--repo", str(proj.root), "--format", "github"])
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith("::error file=docs/bad.md,line=3,col=33,title=audit mismatch::")
               for line in out)
    assert any(line.startswith("::warning file=docs/warn.md,line=3,") for line in out)
    assert out[-1].startswith("audit FAILED:")


def test_markdown_format(proj: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    main(["audit", str(proj.root / "docs/bad.md"), "--repo", str(proj.root), "--format",
          "markdown"])
    out = capsys.readouterr().out
    assert "| contradicts-gate | 1 |" in out
    # errors first, grouped by file
    errors = out.index("## Errors")
    assert out.index("### ", errors) < out.index("docs/bad.md", errors)
    # The claim in code font as <code>, inside which markdown escapes still work (the
    # report's text is shown as written, never as markup).
    assert "| 3:33 | mismatch | <code>0.7462</code> |" in out


def test_text_is_coloured_only_when_asked(proj: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["audit", str(proj.root / "docs/bad.md"), "--repo", str(proj.root)]
    main([*args, "--color", "always"])
    assert "\033[31m" in capsys.readouterr().out
    main(args)  # not a TTY under pytest
    assert "\033[" not in capsys.readouterr().out


def test_verbose_lists_verified_claims(proj: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    main(["audit", str(proj.root / "docs/good.md"), "--repo", str(proj.root), "-v"])
    assert capsys.readouterr().out.count("verified") >= 3


def test_explain(proj: Repo) -> None:
    r = cli("audit", "--explain", "docs/bad.md:3", cwd=proj.root)
    assert r.returncode == 0, r.stderr
    assert "number claim '0.7462' → mismatch" in r.stdout
    assert "checked against the artifacts cited in list item" in r.stdout
    assert "/metrics/explained_variance = 0.74516" in r.stdout
    r2 = cli("audit", "--explain", "docs/bad.md:1", cwd=proj.root)
    assert "no claim found on this line" in r2.stdout


def test_explain_a_skipped_number(proj: Repo) -> None:
    proj.text("docs/s.md", "## R\n\nWe used seed 42 on 2026-01-05.\n")
    r = cli("audit", "--explain", "docs/s.md:3", cwd=proj.root)
    assert "'42' is not a claim: names a seed, not a result" in r.stdout
    assert "is not a claim: date" in r.stdout


def test_policy_file_adds_not_claim_words(proj: Repo) -> None:
    proj.text("docs/w.md", "## R\n\n- `docs/evidence/topk.json`: width 16\n")
    proj.text("policy.yaml", "gates: []\naudit:\n  not_claim_words: [width]\n")
    # about words only: no decision (the fixture's hand-made one is refused under --strict,
    # as `check` did not write it)
    (proj.root / "decision.json").unlink()
    assert cli("audit", "docs/w.md", "--strict", cwd=proj.root).returncode == 1
    assert cli("audit", "docs/w.md", "--strict", "--policy", "policy.yaml",
               cwd=proj.root).returncode == 0


def test_default_paths_are_the_repo(proj: Repo) -> None:
    r = cli("audit", "--format", "json", cwd=proj.root)
    assert set(json.loads(r.stdout)["files"]) == {"docs/bad.md", "docs/good.md",
                                                  "docs/warn.md"}


def test_import_gates_then_audit(repo: Repo) -> None:
    repo.json("out/release_policy.json", {
        "run_metadata": {"timestamp_utc": "2026-02-13T20:41:20Z", "git_commit": "abc1234",
                         "command": "python scripts/run_stress_gated_release_policy.py",
                         "run_id": "r1"},
        "metrics": {"trained_random_delta": 0.02, "transcoder_delta": float("nan")},
        "gates": {"random_model": True, "transcoder": False, "ood": False, "external": False,
                  "pass_all": True},
    })
    r = cli("import-gates", "out/release_policy.json", "--out", "decision.json",
            "--repo", ".", cwd=repo.root)
    assert r.returncode == 0, r.stderr
    d = json.loads((repo.root / "decision.json").read_text())
    assert d["verdict"] == "fail"
    assert d["policy"]["name"] == "imported:run_stress_gated_release_policy"
    assert "claims pass_all = true" in d["summary"]
    v = cli("validate", "decision.json", cwd=repo.root)
    assert v.returncode == 0, v.stdout + v.stderr
    repo.text("r.md", "## G\n\n- random-model gate: pass\n- transcoder gate: pass\n")
    a = cli("audit", "r.md", "--format", "json", cwd=repo.root)
    got = [(f["claim"], f["verdict"]) for f in json.loads(a.stdout)["findings"]]
    assert got == [("random-model gate: pass", "verified"),
                   ("transcoder gate: pass", "contradicts-gate")]
    # the gate output changed after the import: agreeing claims are now stale
    repo.json("out/release_policy.json", {"gates": {"random_model": True}})
    a2 = cli("audit", "r.md", "--format", "json", cwd=repo.root)
    assert [f["verdict"] for f in json.loads(a2.stdout)["findings"]] == [
        "stale", "contradicts-gate"]

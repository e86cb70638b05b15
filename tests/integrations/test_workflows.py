"""The GitHub workflow and composite action: schema-valid, secure, calling real commands."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path
from typing import Any

import yaml
from integrations._integ_helpers import REPO, edit_json, run, tool

from releasegate.cli.main import COMMANDS

WORKFLOW = REPO / ".github/workflows/releasegate.yml"
ACTION = REPO / "action.yml"
GATE = REPO / "releasegate/ci.py"
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def _uses(doc: Any) -> list[str]:
    steps = doc.get("runs", {}).get("steps", [])
    for job in doc.get("jobs", {}).values():
        steps += job.get("steps", [])
    return [s["uses"] for s in steps if "uses" in s]


def test_workflow_matches_githubs_schema() -> None:
    check = tool("check-jsonschema")
    assert run([check, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)]
               ).returncode == 0
    assert run([check, "--builtin-schema", "custom.github-workflows-require-timeout",
                str(WORKFLOW)]).returncode == 0
    assert run([check, "--builtin-schema", "vendor.github-actions", str(ACTION)]).returncode == 0


def test_zizmor_finds_nothing() -> None:
    # --offline: the online audits (impostor commits, known-vulnerable actions) need the API.
    proc = run([tool("zizmor"), "--offline", "--persona", "pedantic", str(WORKFLOW),
                str(ACTION)])
    assert proc.returncode == 0, proc.stdout


def test_triggers_and_least_privilege() -> None:
    wf = _load(WORKFLOW)
    on = wf[True] if True in wf else wf["on"]  # YAML 1.1 reads a bare `on` as a boolean
    assert set(on) == {"pull_request", "push"}
    assert on["push"]["branches"] == ["main"]
    assert "pull_request_target" not in on
    assert wf["permissions"] == {}
    for job in wf["jobs"].values():
        assert job["permissions"] == {"contents": "read"}
        checkout = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout")]
        assert checkout and checkout[0]["with"]["persist-credentials"] is False
    assert "secrets." not in WORKFLOW.read_text() + ACTION.read_text()


def test_remote_actions_are_pinned_to_full_shas() -> None:
    uses = _uses(_load(WORKFLOW)) + _uses(_load(ACTION))
    remote = [u for u in uses if not u.startswith("./")]
    assert remote, "expected checkout and setup-python"
    for u in remote:
        assert SHA_PIN.match(u), f"{u} is not pinned to a 40-hex commit SHA"


def test_inputs_reach_shell_only_through_env() -> None:
    # Template injection: `${{ inputs.x }}` inside `run:` is pasted into the script unquoted.
    for step in _load(ACTION)["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]


def test_scripts_call_commands_that_exist() -> None:
    text = GATE.read_text()
    called = set(re.findall(r'\["(\w[\w-]*)"', text)) & (set(COMMANDS) | {"validate", "check",
                                                                          "audit"})
    assert {"validate", "check", "audit"} <= called
    assert called <= set(COMMANDS)
    hooks = _load(REPO / ".pre-commit-hooks.yaml")
    for h in hooks:
        argv = shlex.split(h["entry"])
        assert argv[0] == "releasegate" and argv[1] in COMMANDS
    action_run = " ".join(s.get("run", "") for s in _load(ACTION)["runs"]["steps"])
    # The action calls the installed CLI, never a script path (issue 9).
    assert re.search(r"releasegate\" ci ", action_run), action_run
    assert ".py" not in action_run
    assert "constraints.txt" in action_run  # installed with the repository's pins


def _gate(tmp_path: Path, evidence: Path, *extra: str) -> tuple[int, str, str]:
    summary = tmp_path / "summary.md"
    output = tmp_path / "output.txt"
    env = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output),
           "PATH": str(Path(sys.executable).parent)}
    proc = run([sys.executable, "-m", "releasegate", "ci", "--evidence", str(evidence),
                "--decision", str(tmp_path / "decision.json"), *extra], cwd=REPO, env=env)
    return proc.returncode, proc.stdout, summary.read_text() + output.read_text()


def test_gate_script_passes_good_evidence(examples: Path, tmp_path: Path) -> None:
    rc, out, summary = _gate(tmp_path, examples / "evidence", "--junit",
                             str(tmp_path / "junit.xml"))
    assert rc == 0
    assert "::error" not in out
    assert "| external.cebench | pass |" in summary and "verdict=pass" in summary
    assert 'failures="0"' in (tmp_path / "junit.xml").read_text()


def test_gate_script_fails_a_failing_gate_with_a_line_annotation(examples: Path,
                                                                tmp_path: Path) -> None:
    rc, out, summary = _gate(tmp_path, examples / "failing")
    assert rc == 1
    ann = [ln for ln in out.splitlines() if ln.startswith("::error")]
    assert len(ann) == 1
    assert re.match(r"::error file=[^,]*external_cebench\.json,line=\d+,title=releasegate "
                    r"gate external\.cebench::fail: lcb", ann[0])
    assert "## releasegate: FAILED (check)" in summary
    assert "| external.cebench | fail |" in summary and "verdict=fail" in summary


def test_gate_script_annotates_invalid_evidence(examples: Path, tmp_path: Path) -> None:
    def corrupt(d: dict[str, Any]) -> None:
        d["metrics"]["in_distribution"]["explained_variance"][0]["value"] = "high"

    edit_json(examples / "evidence/ood_stress.json", corrupt)
    rc, out, summary = _gate(tmp_path, examples / "evidence")
    assert rc == 1
    assert re.search(r"^::error file=[^,]*ood_stress\.json,line=\d+,title=releasegate%3A "
                     r"invalid evidence::.*not of type 'number'", out, re.M)
    assert "FAILED (validate, check)" in summary


def test_gate_script_runs_the_audit(examples: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    report.write_text("# Results\n\nAll gates pass.\n")
    _rc, _out, summary = _gate(tmp_path, examples / "evidence", "--reports", str(report))
    assert "### Report audit" in summary
    assert "could not run" not in summary, summary


def test_allow_waivers_input_reaches_ci_through_env_only() -> None:
    action = _load(ACTION)
    assert action["inputs"]["allow-waivers"]["default"] == "false"  # waived fails by default
    gate = next(s for s in action["runs"]["steps"] if s.get("id") == "gate")
    assert gate["env"]["RG_ALLOW_WAIVERS"] == "${{ inputs.allow-waivers }}"
    assert 'if [ "$RG_ALLOW_WAIVERS" = "true" ]; then args+=(--allow-waivers); fi' in gate["run"]
    from releasegate.cli.main import build_parser

    args = build_parser("ci", all_commands=False).parse_args(
        ["ci", "--evidence", "e", "--allow-waivers"])
    assert args.allow_waivers is True


def test_ok_output_is_the_whole_job_not_checks_verdict(examples: Path, tmp_path: Path) -> None:
    # The gates pass, but the audited report is missing: `verdict` is check's alone (pass),
    # `ok` says the job failed, so a workflow reading outputs cannot take it for a pass.
    rc, _out, text = _gate(tmp_path, examples / "evidence", "--reports",
                           str(tmp_path / "no-such-report.md"))
    assert rc == 1
    assert "verdict=pass" in text and "ok=false" in text
    again = tmp_path / "again"
    again.mkdir()
    rc2, _out2, text2 = _gate(again, examples / "evidence")
    assert rc2 == 0 and "ok=true" in text2


def test_action_exposes_the_ok_output() -> None:
    outputs = _load(ACTION)["outputs"]
    assert outputs["ok"]["value"] == "${{ steps.gate.outputs.ok }}"

"""``releasegate ci`` when a step cannot run or a file cannot be written (red-team review):
the audit never checks claims against another run's decision, the user's repository cannot
shadow releasegate's packages, a failed output write is a failed step (not a crash), every
problem a step printed is shown, and waived gates read as waived, never as errors or passes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from integrations._integ_helpers import REPO, run

from releasegate._ci_annotations import parse
from releasegate._ci_summary import STDERR_LINES, stderr_block
from releasegate.ci import Gate

POLICY = REPO / "policy" / "husai-release" / "v1.yaml"
CLAIM = "# Release\n\nRelease gate: **PASS** ✅ — all gates pass.\n"


def ci(cwd: Path, *args: str, summary: Path | None = None,
       output: Path | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, job summary) of ``releasegate ci`` run in ``cwd``."""
    summary = summary if summary is not None else cwd / "summary.md"
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary)}
    env.pop("GITHUB_OUTPUT", None)
    if output is not None:
        env["GITHUB_OUTPUT"] = str(output)
    proc = run([sys.executable, "-m", "releasegate", "ci", *args], cwd=cwd, env=env)
    assert "Traceback" not in proc.stderr, proc.stderr
    text = summary.read_text(encoding="utf-8") if summary.is_file() else ""
    return proc.returncode, proc.stdout, text


def _typo_policy(root: Path) -> Path:
    p = root / "p2.yaml"
    p.write_text(POLICY.read_text(encoding="utf-8").replace("threshold:", "treshold:"),
                 encoding="utf-8")
    return p


def test_audit_never_uses_a_decision_check_did_not_write(examples: Path) -> None:
    root = examples
    # A passing decision from an earlier run lies where audit would look by default.
    assert run([sys.executable, "-m", "releasegate", "check", "--evidence", "evidence",
                "--out", "decision.json"], cwd=root).returncode == 0
    (root / "claim2.md").write_text(CLAIM, encoding="utf-8")
    _typo_policy(root)
    rc, _out, summary = ci(root, "--evidence", "failing", "--policy", "p2.yaml", "--decision",
                          str(root / "dT.json"), "--reports", "claim2.md")
    assert rc == 1
    assert summary.startswith("## releasegate: FAILED (check, audit)"), summary
    assert "audit: could not run: no decision from check" in summary
    assert not re.search(r"\bOK\b", summary), summary  # no step reads as OK
    assert "verified" not in summary
    assert not (root / "dT.json").exists()


def test_check_problems_are_all_shown_and_annotated_on_their_lines(examples: Path) -> None:
    root = examples
    _typo_policy(root)
    rc, out, summary = ci(root, "--evidence", "failing", "--policy", "p2.yaml", "--decision",
                          str(root / "d.json"))
    assert rc == 1
    typo_lines = [i for i, ln in enumerate((root / "p2.yaml").read_text().splitlines(), 1)
                  if ln.strip().startswith("treshold:")]
    assert len(typo_lines) >= 5
    ann = [a for a in map(parse, out.splitlines()) if a is not None]
    on_lines = sorted(a.line for a in ann if a.file == "p2.yaml" and a.line)
    assert on_lines == typo_lines[:10] or on_lines == typo_lines, (on_lines, typo_lines)
    for n in typo_lines:  # every problem line in the summary, not just the count
        assert re.search(rf"^p2\.yaml:{n}: .*treshold", summary, re.M), n
    assert f"{len(typo_lines)} problems in p2.yaml" in summary


def test_a_crashed_step_shows_its_cause_not_only_the_advice() -> None:
    gate = Gate()
    err = ("releasegate: internal error: ImportError: cannot import name 'X' from 'policy'\n"
           "This is a bug in releasegate; rerun with --traceback and report it.\n")
    gate._usage("check", subprocess.CompletedProcess(["releasegate"], 3, "", err))
    assert "ImportError: cannot import name 'X'" in gate.annotations[0].message
    assert "ImportError" in gate.summary([]) and "This is a bug" in gate.summary([])


def test_a_long_step_output_is_capped_with_a_count() -> None:
    lines = [f"p.yaml:{i}: problem {i}" for i in range(1, STDERR_LINES + 13)]
    block = stderr_block(lines)
    assert f"p.yaml:{STDERR_LINES}: problem {STDERR_LINES}" in block
    assert f"p.yaml:{STDERR_LINES + 1}:" not in block
    assert "… and 12 more line(s)" in block
    fenced = stderr_block(["a ``` b", "````"])  # the output cannot close the code block
    assert fenced.startswith("`````\n") and fenced.endswith("\n`````")


def test_user_packages_named_policy_and_audit_do_not_shadow_releasegate(tmp_path: Path) -> None:
    repo = tmp_path / "u"
    (repo / "policy" / "husai-release").mkdir(parents=True)
    (repo / "audit").mkdir()
    shutil.copytree(REPO / "examples" / "failing", repo / "evidence")
    (repo / "policy" / "husai-release" / "v1.yaml").write_text("x: 1\n")
    hijack = "raise SystemExit('the user package was imported')\n"
    (repo / "policy" / "__init__.py").write_text(hijack)
    (repo / "audit" / "__init__.py").write_text(hijack)
    (repo / "r.md").write_text("# R\n\nNothing to claim.\n")
    rc, _out, summary = ci(repo, "--evidence", "evidence", "--reports", "r.md")
    assert rc == 1  # examples/failing: the cebench gate fails, judged by releasegate's policy
    assert "could not run" not in summary, summary
    assert "| external.cebench | fail |" in summary
    assert f"shipped: {POLICY.resolve()}" in summary
    assert "### Report audit" in summary
    # `python -m releasegate` itself (the cwd first on sys.path) uses releasegate's packages too.
    proc = run([sys.executable, "-m", "releasegate", "check", "--evidence", "evidence"],
               cwd=repo)
    assert proc.returncode == 1 and "user package" not in proc.stderr, proc.stderr
    assert f"(shipped: {POLICY.resolve()}, sha256" in proc.stdout


def test_unwritable_junit_summary_and_output_fail_their_steps(examples: Path,
                                                              tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x\n")
    output = tmp_path / "out.txt"
    rc, out, summary = ci(examples, "--evidence", "evidence", "--decision",
                          str(tmp_path / "d.json"), "--junit", str(blocker / "j.xml"),
                          summary=blocker / "s.md", output=output)
    assert rc == 1
    errors = [a for a in map(parse, out.splitlines()) if a and a.level == "error"]
    assert {a.title for a in errors} == {"releasegate junit", "releasegate summary"}, errors
    assert f"cannot write {blocker / 'j.xml'}" in out
    # The summary GitHub could not take is in the log instead, saying what failed.
    assert "## releasegate: FAILED (junit, summary)" in out
    assert "| external.cebench | pass |" in out
    assert output.read_text().startswith("verdict=pass\n")  # the verdict still reaches the job
    rc, out, summary = ci(examples, "--evidence", "evidence", "--decision",
                          str(tmp_path / "d.json"), output=blocker / "o.txt")
    assert rc == 1 and summary.startswith("## releasegate: FAILED (output)"), summary
    assert "::error title=releasegate output::cannot write" in out


def _waiving_policy(root: Path) -> Path:
    shas = [hashlib.sha256((root / "failing" / f"external_{b}.json").read_bytes()).hexdigest()
            for b in ("cebench", "saebench")]
    p = root / "waived.yaml"
    text = POLICY.read_text(encoding="utf-8").replace("name: husai-release\n",
                                                      "name: waived-release\n", 1)
    assert "name: waived-release" in text  # a changed policy under its own name
    p.write_text(text.replace("waivers: []", f"""waivers:
  - gate: external
    reason: The CE-Bench baseline is being rerun (ticket 9).
    approver: amy
    expires: 2099-01-31
    evidence_sha256: [{shas[0]}, {shas[1]}]"""), encoding="utf-8")
    return p


def test_a_waived_sub_gate_is_a_warning_and_passes_only_when_allowed(examples: Path) -> None:
    _waiving_policy(examples)
    args = ("--evidence", "failing", "--policy", "waived.yaml", "--decision",
            str(examples / "d.json"))
    rc, out, summary = ci(examples, *args)
    assert rc == 1  # a waived release is not a pass unless asked
    ann = [a for a in map(parse, out.splitlines()) if a is not None]
    assert not [a for a in ann if a.level == "error" and "check" not in (a.title or "")], ann
    cebench = [a for a in ann if a.title and "external.cebench" in a.title]
    assert len(cebench) == 1 and cebench[0].level == "warning", cebench
    assert cebench[0].message.startswith("waived, not passing (under waived external): fail:")
    assert "| external | waived |" in summary
    rc, out, summary = ci(examples, *args, "--allow-waivers", summary=examples / "s2.md")
    assert rc == 0
    assert summary.startswith("## releasegate: WAIVED (not a pass"), summary
    assert not re.search(r"\bOK\b", summary.splitlines()[0])


HOSTILE = "a` | **pass** | <b>OK<b> ✅ `"


def _table_cells(markdown: str) -> tuple[int, list[str]]:
    """(tables, text of every body cell), asserting each row has its header's width and each
    cell is plain text: no emphasis, link, code span or HTML of the user's (our <code> only)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").enable("strikethrough").parse(markdown)
    width, tables, texts = 0, 0, []
    for i, t in enumerate(tokens):
        if t.type == "tr_open":
            end = next(j for j in range(i, len(tokens)) if tokens[j].type == "tr_close")
            cells = [x for x in tokens[i:end] if x.type in ("th_open", "td_open")]
            if tokens[i - 1].type == "thead_open":
                width, tables = len(cells), tables + 1
            assert len(cells) == width, tokens[i + 2].content  # no extra column
        if t.type == "inline" and tokens[i - 1].type == "td_open":
            kids = t.children or []
            bad = [k for k in kids if k.type not in ("text", "text_special", "html_inline")]
            assert not bad, (t.content, bad)
            tags = {k.content.split(" ")[0].rstrip(">") for k in kids if k.type == "html_inline"}
            assert tags <= {"<code", "</code"}, tags
            texts.append("".join(k.content for k in kids if k.type != "html_inline"))
    return tables, texts


def test_file_names_cannot_inject_markdown_into_the_summary(tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    shutil.copytree(REPO / "examples" / "failing", ev)
    # Invalid: in the validation table, and in every gate's reason (it may be of their kind).
    (ev / f"{HOSTILE}bad.json").write_text("{\n")
    report = tmp_path / f"{HOSTILE}.md"
    report.write_text("# R\n\nSee `missing/x.json`.\n")
    rc, _out, summary = ci(tmp_path, "--evidence", "ev", "--reports", shlex.quote(report.name),
                           "--decision", str(tmp_path / "d.json"))
    assert rc == 1
    tables, texts = _table_cells(summary)
    assert tables >= 3  # gates, validation problems, the audit's counts
    assert sum(f"{HOSTILE}bad.json" in x for x in texts) >= 8, texts  # shown as written


def test_an_evidence_path_cannot_inject_markdown_into_the_decision_table(
        tmp_path: Path) -> None:
    from releasegate.cli.main import main

    ev = tmp_path / "ev"
    shutil.copytree(REPO / "examples" / "evidence", ev)
    (ev / "ood_stress.json").rename(ev / f"{HOSTILE}.json")  # valid, used by the ood gate
    out = tmp_path / "check.md"
    with open(out, "w", encoding="utf-8") as fh, contextlib.redirect_stdout(fh):
        assert main(["check", "--evidence", str(ev), "--format", "markdown"]) == 0
    tables, texts = _table_cells(out.read_text(encoding="utf-8"))
    assert tables == 2  # gates, evidence used
    assert [x for x in texts if x.endswith(f"ev/{HOSTILE}.json")], texts

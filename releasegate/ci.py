"""``releasegate ci``, the CI gate behind action.yml: validate → check → audit for GitHub.

Runs the three releasegate commands in subprocesses (exactly what a person would type), turns
their machine-readable output into workflow-command annotations (``::error file=…,line=…::``),
appends a markdown summary with the gate table to ``$GITHUB_STEP_SUMMARY``, and exits 1 when
evidence is invalid, a required gate does not pass, or an audit finding is an error. Every step
runs even when an earlier one fails, so one CI run shows every problem at once.

Outside GitHub (no ``GITHUB_STEP_SUMMARY``) it prints the same annotations and summary, which
is how the test suite runs it.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_schema._markdown import md_fence, md_text

from ._ci_annotations import Annotation, cap, parse, problem_annotations
from ._ci_gates import gate_annotations
from ._ci_summary import (
    embed,
    evidence_section,
    fit,
    gate_section,
    left_out_section,
    stderr_block,
)

# The releasegate CLI of this interpreter. -P (Python 3.11+): the working directory, the user's
# repository, is NOT put first on sys.path, so a top-level `policy/` or `audit/` folder there
# cannot shadow (or replace) releasegate's own packages.
RELEASEGATE = [sys.executable, "-P", "-m", "releasegate"]


def _run(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    cmd = [*RELEASEGATE, *args]
    print(f"$ releasegate {shlex.join(args)}", file=sys.stderr)
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.stderr:
        sys.stderr.write(proc.stderr)
    return proc


class Gate:
    """Collects annotations and summary sections; ``failed`` decides the exit code."""

    def __init__(self) -> None:
        self.annotations: list[Annotation] = []
        self.failed: list[str] = []
        self.notes: list[str] = []  # one line each under the heading, e.g. a step that broke
        self.files = 0
        self.invalid: list[Annotation] = []
        self.decision: dict[str, Any] | None = None
        self.policy_shown: str | None = None  # the policy as the summary names it
        self.audit_md: str | None = None
        self.broken: list[str] = []  # "### step: could not run" sections

    def validate(self, evidence: Path, deep: bool) -> None:
        args = ["validate", str(evidence), "--format", "json"] + (["--deep"] if deep else [])
        proc = _run(args)
        try:
            if proc.returncode not in (0, 1):
                raise ValueError
            report = json.loads(proc.stdout)
        except ValueError:  # a crash or usage error: no JSON report to read
            self._usage("validate", proc)
            return
        bad = [f for f in report["files"] if not f["valid"]]
        self.files = len(report["files"])
        for f in bad:
            for p in f["problems"]:
                where = f" at {p['pointer']}" if p.get("pointer") else ""
                self.invalid.append(Annotation(
                    "error", f"{p['message']}{where}", file=f["path"], line=p.get("line"),
                    title="releasegate: invalid evidence"))
        self.annotations += self.invalid
        for check in report.get("deep", {}).get("results", []):
            if not check["success"]:
                self.annotations.append(Annotation(
                    "error", check["message"], file=check["path"],
                    title=f"releasegate: tabular check {check['expectation']}"))
        deep_ok = report.get("deep", {}).get("success", True)
        self.notes.append(f"evidence: {self.files} file(s) checked, {len(bad)} invalid"
                          + ("; tabular (Great Expectations) checks failed" if not deep_ok
                             else ""))
        # The exit code decides, the JSON explains: a reason validate gains to fail that is not
        # a per-file problem can never read as a pass here.
        if proc.returncode == 1 or bad or not deep_ok:
            self.failed.append("validate")

    def check(self, evidence: Path, policy: Path | None, decision: Path, deep: bool,
              junit: Path | None, allow_waivers: bool = False) -> str | None:
        args = ["check", "--evidence", str(evidence), "--out", str(decision),
                "--format", "text", "--color", "never"]
        args += ["--policy", str(policy)] if policy else []
        args += ["--deep"] if deep else []
        args += ["--allow-waivers"] if allow_waivers else []
        try:
            decision.unlink(missing_ok=True)  # a stale decision must not pass for this run's
        except OSError:
            pass  # a directory, or no permission: check's own write fails and says why
        proc = _run(args)
        if proc.returncode not in (0, 1) or not decision.is_file():
            self._usage("check", proc)
            return None
        sys.stderr.write(proc.stdout)  # the text table, for whoever reads the log
        doc: dict[str, Any] = json.loads(decision.read_text(encoding="utf-8"))
        self.decision = doc
        from releasegate.cli.commands.check import policy_label

        self.policy_shown = policy_label(policy)
        self.annotations += gate_annotations(doc, policy, decision)
        if junit is not None:
            # Re-rendered from the decision just written: the JUnit file and the verdict
            # cannot disagree.
            from evidence_schema import DecisionEvidence
            from policy import render_decision

            self.write_file("junit", junit,
                            render_decision(DecisionEvidence.model_validate(doc), "junit"))
        if proc.returncode != 0:
            self.failed.append("check")
        verdict: str = doc["verdict"]
        self.notes.append(f"gates: {doc['summary']}")
        return verdict

    def audit(self, reports: list[str], decision: Path | None, strict: bool) -> None:
        if decision is None:
            # check wrote no decision this run: audit would fall back to whatever
            # decision.json lies in the repository and verify "PASS" claims against it.
            self._broken("audit", "could not run: no decision from check",
                         "The report's status claims can only be checked against this run's "
                         "decision, and check made none; fix the check step above.")
            return
        base = ["audit", *reports, "--decision", str(decision)]
        base += ["--strict"] if strict else []
        # Every annotation (--max-annotations 0): the cap applies once, over all the steps.
        proc = _run([*base, "--format", "github", "--max-annotations", "0", "--color", "never"])
        if proc.returncode not in (0, 1):
            self._usage("audit", proc)
            return
        # audit's github format is already workflow commands: parsed, so that they can be
        # ordered and capped with the others.
        lines = proc.stdout.splitlines()
        self.annotations += [a for a in map(parse, lines) if a is not None]
        summary = [ln for ln in lines if ln.strip() and not ln.startswith("::")]
        md = _run([*base, "--format", "markdown"])
        self.audit_md = md.stdout
        self.notes.append("audit: " + (summary[-1] if summary else f"exit {proc.returncode}"))
        if proc.returncode != 0:
            self.failed.append("audit")

    def render_check(self, template: str, report: str) -> None:
        """``render TEMPLATE --check REPORT``: a committed report that drifted from its
        template and evidence fails the job (issue 12). It renders against the decision the
        report cites (decision.json in the repository), as a person would locally."""
        proc = _run(["render", template, "--check", report])
        if proc.returncode not in (0, 1):
            self._usage("render", proc)
            return
        if proc.returncode == 1 and not proc.stdout.strip():
            # exit 1 without a diff: the report is missing or the decision was refused; say
            # why (stderr), not "out of date" with advice that would be refused too
            self._usage("render", proc)
        elif proc.returncode == 1:
            self.annotations.append(Annotation(
                "error", f"{report} differs from a fresh render of {template}: run "
                f"`releasegate render {template} --out {report}` and commit it", file=report,
                title="releasegate render: report out of date"))
            self._broken("render", f"{report} is out of date with {template}",
                         md_fence(proc.stdout[-4000:].splitlines(), "diff"))
        else:
            self.notes.append(f"render: {report} is up to date with {template}")

    def _usage(self, step: str, proc: subprocess.CompletedProcess[str]) -> None:
        """A step that exited 2 or 3 (or wrote nothing): every line it printed in the summary,
        each ``path:line: message`` problem annotated on its line, and the cause (the
        ``releasegate: error``/``internal error`` line, not the "This is a bug" advice)."""
        lines = (proc.stderr.strip() or proc.stdout.strip() or "no output").splitlines()
        causes = [ln for ln in lines if ln.startswith("releasegate: ")] or lines[-1:]
        self.annotations.append(Annotation(
            "error", f"releasegate {step} exited {proc.returncode}: {' '.join(causes)}",
            title=f"releasegate {step} could not run"))
        self.annotations += problem_annotations(lines, f"releasegate {step}")
        self._broken(step, f"could not run (exit {proc.returncode})", stderr_block(lines))

    def _broken(self, step: str, what: str, body: str) -> None:
        self.notes.append(f"{step}: {what}")
        self.broken.append(f"### {step}: {md_text(what)}\n\n{body}\n")
        if step not in self.failed:
            self.failed.append(step)

    def write_file(self, step: str, path: Path, text: str, append: bool = False) -> bool:
        """Write an output file the run was asked for; a refusal (a missing or read-only
        directory) fails the step with an error annotation instead of crashing the run."""
        from evidence_schema import write_atomic

        try:
            if append:
                with open(path, "a", encoding="utf-8") as fh:
                    fh.write(text)
            else:
                write_atomic(path, text.encode("utf-8"))
        except OSError as e:
            why = f"cannot write {path}: {e.strerror or type(e).__name__}"
            self.annotations.append(Annotation("error", why, title=f"releasegate {step}"))
            self._broken(step, f"could not write {path}", md_fence([why]))
            return False
        return True

    def summary(self, left_out: list[Annotation]) -> str:
        """The job summary, top-down: result, gates, evidence, audit, what GitHub hides."""
        waived = self.decision is not None and self.decision["verdict"] == "waived"
        head = "## releasegate: " + (
            f"FAILED ({', '.join(self.failed)})" if self.failed
            else "WAIVED (not a pass; allowed by --allow-waivers)" if waived else "OK")
        parts = [head + "\n\n" + "\n".join(f"- {md_text(n)}" for n in self.notes) + "\n"]
        parts += self.broken
        if self.decision is not None:
            parts.append(gate_section(self.decision, self.policy_shown))
        parts.append(evidence_section(self.files, self.invalid))
        if self.audit_md is not None:
            parts.append(embed(self.audit_md, "Report audit"))
        if left_out:
            parts.append(left_out_section(left_out))
        return "\n".join(parts)


@dataclass(frozen=True)
class CiOptions:
    """What ``releasegate ci`` was asked to do (the action's inputs)."""

    evidence: Path
    policy: Path | None = None
    reports: tuple[str, ...] = ()
    decision: Path = Path("releasegate-decision.json")
    junit: Path | None = None
    strict_audit: bool = False
    allow_waivers: bool = False  # a validly waived release passes (check --allow-waivers)
    deep: bool = False
    renders: tuple[tuple[str, str], ...] = ()  # (template, committed report) for render --check


def run_ci(opts: CiOptions) -> int:
    """validate → check → audit; print annotations, write the job summary; 0 pass, 1 fail."""
    gate = Gate()
    gate.validate(opts.evidence, opts.deep)
    verdict = gate.check(opts.evidence, opts.policy, opts.decision, opts.deep, opts.junit,
                         opts.allow_waivers)
    for template, report in opts.renders:
        gate.render_check(template, report)
    if opts.reports:
        gate.audit(list(opts.reports), opts.decision if verdict else None, opts.strict_audit)

    # The verdict output first: it does not depend on the summary, and a workflow reads it.
    output = os.environ.get("GITHUB_OUTPUT")
    if output:
        gate.write_file("output", Path(output), f"verdict={verdict or 'error'}\n"
                        f"decision={opts.decision}\n", append=True)
    written = False
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        # Shows its own failure: the failed write is in the summary printed below instead.
        written = gate.write_file("summary", Path(step_summary),
                                  fit(gate.summary(cap(gate.annotations)[1]))[0] + "\n",
                                  append=True)
    shown, left_out = cap(gate.annotations)
    for a in shown:
        print(a.command())
    summary = gate.summary(left_out)
    if not written or fit(summary)[1]:
        print(summary)  # outside GitHub, unwritable, or too big for a summary: the log has it
    if output:
        # `verdict` is check's alone; `ok` is the whole job (validate, check, render, audit and
        # every write), so a workflow reading outputs cannot take a failed job for a pass.
        gate.write_file("output", Path(output), f"ok={'false' if gate.failed else 'true'}\n",
                        append=True)
    return 1 if gate.failed else 0

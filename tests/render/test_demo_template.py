"""The demo's report as a shipped template (issue 12), rendered from the examples and the
decision `check` writes for them (no training): 4 significant digits, every gate that does not
pass named, `audit --strict` clean, and a hand edit caught by the audit and by `render --check`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _render_helpers import build_example_repo, load

from audit import AuditOptions, AuditResult, audit_paths
from releasegate.cli.main import main
from releasegate.demo import DEMO_TEMPLATE, render_report

_NUM_LINK = re.compile(r"\[([+\-]?\d+(?:\.\d+)?(?:e[+\-]\d+)?)\]\(")
_ANY_NUM = re.compile(r"(?<![\w/.#\-])[+\-]?\d+\.\d+(?:e[+\-]\d+)?")


def _render(repo: Path) -> Path:
    report = repo / "report.md"
    report.write_text(render_report(repo, repo / "decision.json"), encoding="utf-8")
    return report


def _audit(repo: Path, report: Path) -> AuditResult:
    return audit_paths([report], AuditOptions(repo=repo, decision=repo / "decision.json",
                                              strict=True))


def _sig_digits(text: str) -> int:
    mantissa = text.lstrip("+-").split("e")[0].replace(".", "").lstrip("0")
    return len(mantissa) or 1


def test_template_is_package_data() -> None:
    assert DEMO_TEMPLATE.is_file() and DEMO_TEMPLATE.suffix == ".j2"


def test_numbers_print_at_four_significant_digits(example_repo: Path) -> None:
    text = _render(example_repo).read_text(encoding="utf-8")
    floats = [m for m in _ANY_NUM.findall(text)]
    assert len(floats) > 30  # per-seed tables, the gate table and the intervals
    assert max(_sig_digits(f) for f in floats) <= 4, [f for f in floats if _sig_digits(f) > 4]


@pytest.mark.parametrize("which", ["failing", "evidence"])
def test_summary_names_every_gate_that_does_not_pass(tmp_path: Path, which: str) -> None:
    repo = build_example_repo(tmp_path / which, which)
    text = _render(repo).read_text(encoding="utf-8")
    decision = load(repo / "decision.json")
    not_passing = [g["name"] for g in decision["gates"] if g["status"] != "pass"]
    summary = [ln for ln in text.splitlines() if ln.startswith(("Not passing:", "All gates"))]
    assert len(summary) == 1
    if not_passing:
        named = re.findall(r"(?:^Not passing: |; )the ([a-z_]+) gate is \[", summary[0])
        assert named == not_passing
    else:
        assert summary[0] == "All gates pass."


def test_failing_example_names_two_gates_when_two_fail(tmp_path: Path) -> None:
    # make the transcoder arm lose to the SAE as well: two gates fail, both must be named
    repo = tmp_path / "two"
    build_example_repo(repo, "failing")
    ev = repo / "evidence" / "transcoder_stress.json"
    text = ev.read_text(encoding="utf-8")
    doc = load(ev)
    for s in doc["metrics"]["transcoder"]["pwmcc"]:
        text = text.replace(f'"value": {s["value"]}', f'"value": {round(s["value"] - 0.3, 4)}', 1)
    ev.write_text(text, encoding="utf-8")
    import policy

    policy.check(policy.DEFAULT_POLICY, repo / "evidence", out=repo / "decision.json")
    decision = load(repo / "decision.json")
    not_passing = [g["name"] for g in decision["gates"] if g["status"] != "pass"]
    assert "transcoder" in not_passing and "external" in not_passing
    line = next(ln for ln in _render(repo).read_text(encoding="utf-8").splitlines()
                if ln.startswith("Not passing:"))
    for name in not_passing:
        assert f"the {name} gate is [" in line


def test_rendered_report_is_strict_audit_clean(example_repo: Path) -> None:
    report = _render(example_repo)
    result = _audit(example_repo, report)
    bad = [(f.line, f.claim, f.verdict, f.message) for f in result.findings
           if f.verdict != "verified"]
    assert bad == [] and result.success and not result.file_errors
    # every number printed in a link is bound, and was checked
    text = report.read_text(encoding="utf-8")
    checked_numbers = [f for f in result.findings if f.kind == "number"]
    assert len(checked_numbers) >= len(_NUM_LINK.findall(text)) - 1  # intervals: one per piece
    assert any(f.kind == "status" for f in result.findings)


def test_one_number_changed_by_hand_is_a_mismatch(example_repo: Path) -> None:
    report = _render(example_repo)
    text = report.read_text(encoding="utf-8")
    lines = text.splitlines()
    i = next(k for k, ln in enumerate(lines) if ln.startswith("| [") and "/value)" in ln)
    m = re.search(r"\| \[(\d\.\d+)\]\(", lines[i])
    assert m is not None
    old = m.group(1)
    new = old[:-1] + str((int(old[-1]) + 1) % 10)
    lines[i] = lines[i].replace(f"[{old}](", f"[{new}](", 1)
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _audit(example_repo, report)
    bad = [(f.line, f.claim, f.verdict) for f in result.findings if f.verdict != "verified"]
    assert bad == [(i + 1, new, "mismatch")]


def test_status_changed_by_hand_contradicts_the_gate(example_repo: Path) -> None:
    report = _render(example_repo)
    text = report.read_text(encoding="utf-8")
    verdict = load(example_repo / "decision.json")["verdict"]
    assert verdict != "pass"
    report.write_text(text.replace(f"[{verdict}](decision.json#/verdict)",
                                   "[pass](decision.json#/verdict)"), encoding="utf-8")
    result = _audit(example_repo, report)
    assert "contradicts-gate" in {f.verdict for f in result.findings}
    assert not result.success


def test_render_check_fails_on_a_hand_edit(example_repo: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    report = example_repo / "report.md"
    args = [str(DEMO_TEMPLATE), "--repo", str(example_repo), "--decision",
            str(example_repo / "decision.json")]
    assert main(["render", *args, "--out", str(report)]) == 0
    assert main(["render", *args, "--check", str(report)]) == 0
    capsys.readouterr()
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("# releasegate demo report", "# releasegate demo report!"),
                      encoding="utf-8")
    assert main(["render", *args, "--check", str(report)]) == 1
    out = capsys.readouterr()
    assert "-# releasegate demo report!" in out.out and "+# releasegate demo report\n" in out.out
    assert "differs from a fresh render" in out.err
    report.unlink()
    assert main(["render", *args, "--check", str(report)]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_demo_says_when_its_report_cannot_be_rendered(example_repo: Path) -> None:
    from releasegate.demo import _report_or_error

    ev = example_repo / "evidence" / "ood_stress.json"
    ev.write_text(ev.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # changed since check
    text, rendered = _report_or_error(example_repo, example_repo / "decision.json")
    assert not rendered
    assert "could not be rendered" in text and "changed since the decision used it" in text


def test_demo_sections_without_evidence_are_said(example_repo: Path) -> None:
    (example_repo / "evidence" / "consistency.json").unlink()
    text = _render(example_repo).read_text(encoding="utf-8")
    section = text.split("## Seed consistency", 1)[1].split("##", 1)[0]
    assert section.strip() == "No evidence of this kind was found."

"""The shipped example template renders to the committed examples/report.md (the command in
docs/render.md), the rendered report is strict-audit clean, and Jinja2 stays off the fast
paths (issue 12)."""

from __future__ import annotations

import subprocess
import sys

from _render_helpers import REPO

from audit import AuditOptions, audit_paths
from releasegate.render import check_report

EXAMPLES = REPO / "examples"


def test_committed_example_report_is_up_to_date() -> None:
    result = check_report(EXAMPLES / "report.md.j2", EXAMPLES / "report.md", repo=REPO,
                          decision=EXAMPLES / "decision.json")
    assert result.ok, result.diff + "\n" + result.message


def test_committed_example_report_is_strict_audit_clean() -> None:
    result = audit_paths([EXAMPLES / "report.md"], AuditOptions(
        repo=REPO, decision=EXAMPLES / "decision.json", strict=True))
    assert [(f.line, f.claim, f.verdict) for f in result.findings
            if f.verdict != "verified"] == []
    assert result.success


def test_example_template_uses_every_function() -> None:
    text = (EXAMPLES / "report.md.j2").read_text(encoding="utf-8")
    for fn in ("value(", "sig=", "gate(", ".status", ".observed", ".threshold", ".reason",
               "gates()", "verdict()", "policy()", "evidence(", "has(", "seeds(", "interval(",
               "minus=", 'pairing="paired"'):
        assert fn in text, fn


def test_validate_check_audit_do_not_import_jinja2() -> None:
    code = (
        "import sys\n"
        "from releasegate.cli.main import main\n"
        "main(['validate', '-q', 'examples/evidence'])\n"
        "main(['check', '--evidence', 'examples/evidence', '--format', 'json'])\n"
        "main(['audit', 'examples/report.md', '--decision', 'examples/decision.json'])\n"
        "print('JINJA', 'jinja2' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, check=False)
    assert "JINJA False" in out.stdout, out.stderr[-2000:]

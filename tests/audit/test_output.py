"""Output people can act on (issue 11): errors first, warnings counted per file, GitHub
annotations capped at the per-step limit with a pointer to the job summary."""

from __future__ import annotations

import pytest

from audit import AuditOptions, AuditResult, audit_paths, render
from audit._reporters import GITHUB_PER_STEP
from tests.audit.conftest import Repo


@pytest.fixture
def noisy(repo: Repo) -> AuditResult:
    repo.decision({"transcoder": "fail", "ood": "pass"})
    repo.json("docs/e.json", {"ev": 0.7452, "mse": 0.0123})
    # a.md: an error, then 2 warnings (unbacked); b.md: 1 error; c.md: 3 warnings only
    repo.text("docs/a.md",
              "## A\n\n- `docs/e.json`: EV 0.7462\n\n## Notes\n\n- budget 0.05 and 0.07\n")
    repo.text("docs/b.md", "## B\n\n- transcoder gate: ✅\n")
    repo.text("docs/c.md", "## C\n\nwe saw 0.31, 0.32 and 0.33\n")
    return audit_paths([repo.root / "docs"], AuditOptions(repo=repo.root))


def test_text_lists_errors_first_and_counts_warnings_per_file(noisy: AuditResult) -> None:
    out = render(noisy, "text").splitlines()
    assert out[:4] == [
        "docs/a.md",
        "  3:21: mismatch         '0.7462': " + next(
            f.message for f in noisy.findings if f.claim == "0.7462"),
        "docs/b.md",
        "  3:3: contradicts-gate 'transcoder gate: ✅': " + next(
            f.message for f in noisy.findings if f.verdict == "contradicts-gate"),
    ]
    assert "docs/a.md: 2 warning(s) (2 unbacked); --show warnings lists them" in out
    assert "docs/c.md: 3 warning(s) (3 unbacked); --show warnings lists them" in out
    assert not any("'0.05'" in line for line in out)
    assert out[-1].startswith("audit FAILED")


def test_show_warnings_lists_them_after_the_errors(noisy: AuditResult) -> None:
    out = render(noisy, "text", show="warnings").splitlines()
    items = [(i, line) for i, line in enumerate(out) if line.startswith("  ")]
    first_warning = next(i for i, line in items if "unbacked" in line)
    last_error = max(i for i, line in items if "mismatch" in line or "contradicts-gate" in line)
    assert last_error < first_warning
    assert sum("unbacked" in line for _, line in items) == 5


def _many(repo: Repo, errors: int, warnings: int) -> AuditResult:
    repo.decision({f"g{i}": "fail" for i in range(errors)})
    lines = [f"- g{i} gate: pass" for i in range(errors)]
    repo.text("docs/r.md", "## R\n\n" + "\n".join(lines) + "\n\n## S\n\n" +
              "\n".join(f"- budget 0.{101 + i}" for i in range(warnings)) + "\n")
    r = audit_paths([repo.root / "docs/r.md"], AuditOptions(repo=repo.root))
    assert (len(r.errors), len(r.warnings)) == (errors, warnings)
    return r


def test_github_annotations_errors_first_capped_with_a_notice(repo: Repo) -> None:
    r = _many(repo, errors=14, warnings=12)
    out = render(r, "github").splitlines()
    errors = [i for i, line in enumerate(out) if line.startswith("::error ")]
    warnings = [i for i, line in enumerate(out) if line.startswith("::warning ")]
    assert len(errors) == GITHUB_PER_STEP == 10 and len(warnings) == 10
    assert max(errors) < min(warnings)
    left = (14 - 10) + (12 - 10)
    assert out[-2] == (f"::notice title=audit::{left} more findings in the job summary "
                       "(GitHub shows 10 annotations of each level per step)")
    assert out[-1].startswith("audit FAILED")


def test_github_annotations_uncapped_on_request(repo: Repo) -> None:
    r = _many(repo, errors=14, warnings=12)
    out = render(r, "github", max_annotations=0).splitlines()
    assert sum(line.startswith("::error ") for line in out) == len(r.errors)
    assert not any("more findings" in line for line in out)


def test_github_under_the_limit_has_no_notice(repo: Repo) -> None:
    r = _many(repo, errors=2, warnings=1)
    out = render(r, "github").splitlines()
    assert not any("more findings" in line for line in out)

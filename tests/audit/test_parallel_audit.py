"""``audit --jobs N`` (issue 13): reports split across forked workers give the same result, in
the same order, as one process — findings, skipped numbers, unreadable files, ignores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit import (
    AuditOptions,
    Auditor,
    _chunks,
    apply_baseline,
    finding_json,
    load_baseline,
    write_baseline,
)
from audit._reporters import REPORTERS
from evidence_schema import _parallel
from evidence_schema._parallel import can_fork
from releasegate.cli.main import main
from tests.audit.conftest import Repo, sae_run_doc


def _corpus(repo: Repo) -> None:
    repo.json("runs/a.json", sae_run_doc(ev=0.74516))
    repo.json("runs/b.json", sae_run_doc(ev=0.5))
    repo.decision({"transcoder": "fail", "random_model": "pass"}, evidence=["runs/a.json"])
    for i in range(12):
        repo.text(f"docs/r{i:02d}.md", f"""
            # Report {i}

            - EV 0.7452 from `runs/a.json`, MSE 0.0123
            - explained_variance: 0.7461 from `runs/b.json`
            - see `runs/missing{i}.json`; the transcoder gate passes
            - random_model gate: pass, 2026-11-20, seed {i}
            <!-- releasegate: ignore[mismatch] checked by hand -->
            - explained_variance: 0.61 from `runs/b.json`
            """)
    (repo.root / "docs" / "sub").mkdir()
    (repo.root / "docs" / "sub" / "binary.md").write_bytes(b"\x00\x01")
    repo.text("docs/sub/z.md", "# Z\n\nEV 0.5 (`runs/b.json`).\n")


def _run(repo: Repo, jobs: int, baseline: Path | None = None
         ) -> tuple[str, list[tuple[str, int, int, str, str]], list[str]]:
    auditor = Auditor(AuditOptions(repo=repo.root))
    # the workers encode their findings' json lines; a baseline then replaces some findings
    result = auditor.audit([repo.root / "docs"], jobs=jobs, prerender=finding_json)
    if baseline is not None:
        apply_baseline(result, load_baseline(baseline))
    skipped = [(s.file, s.line, s.column, s.text, s.rule) for s in result.skipped]
    errors = [f"{e.file}: {e.message}" for e in result.file_errors]
    return REPORTERS["json"]().render(result), skipped, errors


@pytest.mark.skipif(not can_fork(), reason="fork start method is Linux-only here")
def test_jobs_give_the_same_result(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    _corpus(repo)
    one = _run(repo, 1)
    monkeypatch.setattr(_chunks, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(_chunks, "MIN_PARALLEL_REPORTS", 2)
    calls: list[int] = []
    real = _parallel.map_chunks

    def counted(task, chunks, jobs):  # type: ignore[no-untyped-def]
        calls.append(len(chunks))
        return real(task, chunks, jobs)

    monkeypatch.setattr(_chunks, "map_chunks", counted)
    for jobs in (2, 3):
        assert _run(repo, jobs) == one
    assert calls == [2, 3]  # the split really happened
    # a baseline silences the mismatches after the parallel run: the lines encoded in the
    # workers must not be printed for the findings it replaced
    baseline = repo.root / "baseline.json"
    write_baseline(baseline, Auditor(AuditOptions(repo=repo.root)).audit([repo.root / "docs"]))
    monkeypatch.setattr(_chunks, "MIN_PARALLEL_REPORTS", 10**6)
    one_baselined = _run(repo, 1, baseline)
    monkeypatch.setattr(_chunks, "MIN_PARALLEL_REPORTS", 2)
    assert _run(repo, 2, baseline) == one_baselined != one
    assert '"suppressed": "baseline' in one_baselined[0]
    doc = json.loads(one[0])
    verdicts = {f["verdict"] for f in doc["findings"]}
    assert {"verified", "mismatch", "missing-artifact", "contradicts-gate"} <= verdicts
    assert any(f["suppressed"] for f in doc["findings"]) and one[1] and one[2]


def test_jobs_option(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    _corpus(repo)
    assert main(["audit", str(repo.root / "docs" / "r00.md"), "--repo", str(repo.root),
                 "--jobs", "2", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["summary"]["mismatch"] >= 1
    assert main(["audit", "--jobs", "-1"]) == 2
    assert "--jobs" in capsys.readouterr().err


def test_small_runs_stay_in_one_process(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    _corpus(repo)

    def refuse(*a: object) -> None:
        raise AssertionError("forked for a handful of small reports")

    monkeypatch.setattr(_chunks, "map_chunks", refuse)
    result = Auditor(AuditOptions(repo=repo.root)).audit([repo.root / "docs"], jobs=8)
    # audited all the same, in this process: 13 reports read, the binary one refused
    assert len(result.files_audited) == 13 and len(result.file_errors) == 1

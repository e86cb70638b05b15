"""evidence_schema._parallel: chunks in forked workers, results in order, nothing lost when a
worker fails (issue 13)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from evidence_schema._parallel import can_fork, map_chunks, resolve_jobs, split

ROOT = Path(__file__).resolve().parents[2]
needs_fork = pytest.mark.skipif(not can_fork(), reason="fork start method is Linux-only here")


def test_split_keeps_order_and_balances_by_weight() -> None:
    items = list(range(10))
    chunks = split(items, [1.0] * 10, 3)
    assert [x for c in chunks for x in c] == items and len(chunks) == 3
    assert max(len(c) for c in chunks) - min(len(c) for c in chunks) <= 1
    heavy = split(["big", "a", "b", "c"], [9.0, 1.0, 1.0, 1.0], 2)
    assert heavy == [["big"], ["a", "b", "c"]]
    assert split([1], [0.0], 4) == [[1]]


@needs_fork
def test_workers_run_in_other_processes_and_results_come_back_in_order() -> None:
    parent = os.getpid()
    out = map_chunks(lambda c: (c, os.getpid()), [[1], [2], [3]], jobs=3)
    assert [c for c, _ in out] == [[1], [2], [3]]
    assert out[0][1] == parent and {pid for _, pid in out[1:]} - {parent}


@needs_fork
def test_a_chunk_whose_worker_fails_is_done_again_here() -> None:
    parent = os.getpid()

    def task(c: list[int]) -> list[int]:
        if os.getpid() != parent:
            os._exit(9)  # a worker killed mid-chunk (out of memory, a signal)
        return [x * 2 for x in c]

    assert map_chunks(task, [[1], [2], [3]], jobs=2) == [[2], [4], [6]]


@needs_fork
def test_an_error_in_every_process_surfaces() -> None:
    def task(c: list[int]) -> int:
        raise ValueError(f"bad chunk {c}")

    with pytest.raises(ValueError, match="bad chunk"):
        map_chunks(task, [[1], [2]], jobs=2)


def test_jobs() -> None:
    assert resolve_jobs(1) == 1 and resolve_jobs(3) == 3
    assert 1 <= resolve_jobs(0) <= 8 and resolve_jobs(None) == resolve_jobs(0)
    with pytest.raises(ValueError, match="--jobs"):
        resolve_jobs(-1)


@needs_fork
def test_validate_paths_in_workers_gives_the_same_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Valid, invalid (schema and model rules), non-evidence, unparseable and unreadable files
    across the chunk boundaries: the same results in the same order, with or without the
    documents sent back."""
    from evidence_schema import _validate, validate_paths

    examples = sorted((ROOT / "examples" / "evidence").glob("*.json"))
    for i, src in enumerate(examples * 3):
        doc = json.loads(src.read_text())
        if i % 5 == 1:
            doc["schema_version"] = 2  # the schema says no
        elif i % 5 == 2 and isinstance(doc.get("provenance"), dict):
            doc["provenance"]["config_sha256"] = "0" * 64  # a model rule says no
        (tmp_path / f"f{i:03d}.json").write_text(json.dumps(doc))
    (tmp_path / "cfg.json").write_text('{"lr": 0.001}')  # not evidence: skipped
    (tmp_path / "broken.json").write_text('{"kind": "sae_run", ')
    (tmp_path / "dir.json").mkdir()  # a directory named like a file: unreadable

    def verdicts(report: Any) -> list[tuple[object, ...]]:
        return [(r.path, r.kind, r.sha256, r.ok, r.skipped, [str(p) for p in r.problems])
                for r in report.results]

    one = validate_paths([tmp_path])
    assert {r.ok for r in one.results} == {True, False} and one.skipped
    monkeypatch.setattr(_validate, "MIN_PARALLEL_FILES", 2)
    for jobs in (2, 3):
        for keep in (True, False):
            report = validate_paths([tmp_path], jobs=jobs, keep_documents=keep)
            assert verdicts(report) == verdicts(one)
            ok = [r for r in report.results if r.ok]
            assert all((r.model is not None) == keep for r in ok)

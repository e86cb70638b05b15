"""``pick: latest`` never passes over evidence silently (red team 2 §2): the reason names every
file passed over with its created_at, and a matching file dated after ``now`` (any amount) makes
the gate invalid instead of winning."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _helpers import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

import policy
from policy._evaluate import evaluate_leaf
from policy._evidence_set import EvidenceFile, EvidenceSet, display_path
from policy._models import LeafGate

NOW = datetime(2026, 11, 26, tzinfo=UTC)  # a day after the examples' created_at


def _iso(t: datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


def _rerun_dir(tmp_path: Path, created: datetime) -> tuple[Path, Path]:
    """examples/failing plus the passing CE-Bench evidence as a rerun created at ``created``."""
    lat = tmp_path / "lat"
    shutil.copytree(REPO / "examples" / "failing", lat)
    doc = json.loads((REPO / "examples" / "evidence" / "external_cebench.json").read_text())
    doc["created_at"] = _iso(created)
    rerun = lat / "zz_cebench_rerun.json"
    rerun.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return lat, rerun


def _cebench(d: Any) -> Any:
    ext = next(g for g in d.gates if g.name == "external")
    return next(c for c in ext.children if c.name == "cebench")


def test_a_rerun_dated_23_hours_ahead_is_refused_not_picked(tmp_path: Path) -> None:
    lat, rerun = _rerun_dir(tmp_path, NOW + timedelta(hours=23))
    d = policy.check(policy.DEFAULT_POLICY, lat, now=NOW)
    gate = _cebench(d)
    assert gate.status == "invalid" and d.verdict == "fail"
    assert display_path(rerun) in gate.reason and "dated after now" in gate.reason
    assert "2026-11-26T23:00:00+00:00" in gate.reason  # the file's own created_at, shown


def test_any_amount_in_the_future_is_refused(tmp_path: Path) -> None:
    lat, _ = _rerun_dir(tmp_path, NOW + timedelta(seconds=1))
    assert _cebench(policy.check(policy.DEFAULT_POLICY, lat, now=NOW)).status == "invalid"


def test_the_failing_file_passed_over_is_named_with_its_created_at(tmp_path: Path) -> None:
    lat, rerun = _rerun_dir(tmp_path, NOW - timedelta(hours=1))
    gate = _cebench(policy.check(policy.DEFAULT_POLICY, lat, now=NOW))
    assert gate.status == "pass"  # the newer rerun is the evidence; that is allowed ...
    assert gate.evidence == [display_path(rerun)]
    # ... but not silently: the failing file it passed over is in the reason
    assert (f"passed over {display_path(lat / 'external_cebench.json')} "
            "(2026-11-25T00:00:00+00:00)") in gate.reason
    assert f"picked latest {display_path(rerun)} (2026-11-25T23:00:00+00:00)" in gate.reason


def _file(i: int, created: datetime) -> EvidenceFile:
    data = {"metrics": {"x": [{"seeds": [s], "value": 1.0 + s} for s in range(3)]}}
    return EvidenceFile(f"ev/f{i}.json", f"{i:064x}", "k", created, data)


GATE = LeafGate.model_validate({
    "name": "g", "kind": "k", "select": {"pick": "latest"}, "metric": "/metrics/x",
    "statistic": "mean", "op": ">=", "threshold": 0.0, "min_seeds": 3})


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-10_000, 10_000), min_size=2, max_size=6, unique=True))
def test_latest_names_every_file_passed_over_or_refuses_the_future(offsets: list[int]) -> None:
    files = [_file(i, NOW + timedelta(minutes=m)) for i, m in enumerate(offsets)]
    result = evaluate_leaf(GATE, EvidenceSet(files=files), NOW)
    future = [f for f, m in zip(files, offsets, strict=True) if m > 0]
    if future:
        assert result.status == "invalid"
        assert all(f.path in result.reason for f in future[:5])
        return
    newest = files[offsets.index(max(offsets))]
    assert result.status == "pass" and result.evidence == [newest.path]
    for f in files:
        if f is not newest:
            assert f"{f.path} ({f.created_at.isoformat()})" in result.reason

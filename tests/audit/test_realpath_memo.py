"""audit/_realpath.py: a path is resolved once per audit run, and never remembered across runs
(issue 13)."""

from __future__ import annotations

import os
from pathlib import Path

from audit import AuditOptions, Auditor
from audit._realpath import realpath, remembered


def test_remembered_within_a_run_only(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "a")
    assert realpath(link) == os.path.realpath(tmp_path / "a")
    with remembered():
        first = realpath(link)
        link.unlink()
        link.symlink_to(tmp_path / "b")
        assert realpath(link) == first  # the tree as it was when the run started
        with remembered():  # a nested block shares the run's memo
            assert realpath(link) == first
    assert realpath(link) == os.path.realpath(tmp_path / "b")  # a new run sees the change


def test_a_second_audit_sees_a_changed_tree(tmp_path: Path) -> None:
    (tmp_path / "r.md").write_text("# R\n\nThe value is 0.5 (`data/x.json`).\n")
    (tmp_path / "data").mkdir()
    target = tmp_path / "data" / "x.json"
    first = Auditor(AuditOptions(repo=tmp_path)).audit([tmp_path / "r.md"])
    assert first.counts()["missing-artifact"] == 1
    target.write_text('{"v": 0.5}')
    second = Auditor(AuditOptions(repo=tmp_path)).audit([tmp_path / "r.md"])
    assert second.counts()["missing-artifact"] == 0
    assert second.counts()["verified"] >= 1

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evidence_schema import sha256_file, write_atomic, write_json_atomic


def test_write_atomic_replaces_and_hashes(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "e.json"
    digest = write_atomic(target, b"one")
    assert target.read_bytes() == b"one" and digest == sha256_file(target)
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["e.json"]


def test_failed_write_leaves_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "e.json"
    write_atomic(target, b"old")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["e.json"]


def test_json_writer_refuses_nan(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_json_atomic(tmp_path / "x.json", {"a": float("nan")})
    assert list(tmp_path.iterdir()) == []

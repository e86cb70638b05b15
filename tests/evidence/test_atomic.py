from __future__ import annotations

import os
from pathlib import Path
from typing import Any

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


@pytest.fixture(params=[0o022, 0o077, 0o002])
def umask(request: pytest.FixtureRequest) -> Any:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def _mode(p: Path) -> int:
    return p.stat().st_mode & 0o777


def test_atomic_writes_keep_the_umask(tmp_path: Path, umask: int) -> None:
    # Issue 10 §5: mkstemp's 0600 broke static hosting and shared sweep folders.
    expected = {0o022: 0o644, 0o077: 0o600, 0o002: 0o664}[umask]
    a, b = tmp_path / "a.bin", tmp_path / "new" / "b.json"
    write_atomic(a, b"x")
    write_json_atomic(b, {"a": 1})
    assert _mode(a) == expected and _mode(b) == expected
    os.chmod(a, 0o600)  # an existing file is replaced by one with the umask's mode
    write_atomic(a, b"y")
    assert _mode(a) == expected
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

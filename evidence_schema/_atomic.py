"""Atomic artifact writing and content hashing.

Evidence is never half-written: we write to a temporary file in the target directory, fsync it,
and ``os.replace`` it over the destination (atomic on POSIX and Windows), like pypa/build's
report writer. A failure removes the temporary file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

_CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def canonical_json(obj: Any) -> bytes:
    """Stable bytes for hashing configs: sorted keys, no whitespace, NaN refused."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()


def config_sha256(config: Any) -> str:
    return sha256_bytes(canonical_json(config))


_umask_lock = threading.Lock()


def current_umask() -> int:
    """The process umask, read without changing it where the platform allows."""
    try:  # Linux: thread-safe, changes nothing
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _umask_lock:  # elsewhere: set and restore (the only portable way to read it)
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike[str], data: bytes) -> str:
    """Write ``data`` to ``path`` atomically and return its sha256.

    The file gets the permissions a plain ``open()`` would give (0o666 minus the umask, so
    0644 under umask 022): ``mkstemp`` creates 0600, which would break static hosting and
    shared sweep folders.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, target)
    except BaseException:
        # Also on KeyboardInterrupt: never leave a partial file behind.
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return sha256_bytes(data)


def write_json_atomic(path: str | os.PathLike[str], obj: Any) -> str:
    text = json.dumps(obj, indent=2, sort_keys=False, allow_nan=False, ensure_ascii=False) + "\n"
    return write_atomic(path, text.encode("utf-8"))

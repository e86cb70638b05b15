"""``os.path.realpath``, remembered for the length of one audit run (issue 13).

An audit resolves the same few directories and artifacts again for every claim: the repository,
each report's directory, every cited file for staleness (a system call per path component each
time: an eighth of an audit of 200 reports). Within one run the tree is taken as it is when the
run starts (the index already reads each artifact once), so a resolved path is kept until the
run ends; outside a run every call goes to the file system, so nothing is remembered between
runs or for other callers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_MEMO: ContextVar[dict[str, str] | None] = ContextVar("audit_realpath_memo", default=None)


def realpath(path: str | os.PathLike[str]) -> str:
    """``os.path.realpath(path)``; remembered while :func:`remembered` is active."""
    memo = _MEMO.get()
    if memo is None:
        return os.path.realpath(path)
    key = os.fspath(path)
    real = memo.get(key)
    if real is None:
        real = memo[key] = os.path.realpath(key)
    return real


@contextmanager
def remembered() -> Iterator[None]:
    """Remember resolved paths until the block ends (nested blocks share the outer memo)."""
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)

"""Work split across CPU cores by forking (issue 13): ``audit`` across reports, ``validate`` and
``check`` across files.

The Python standard library's ``concurrent.futures.ProcessPoolExecutor`` with the ``fork``
start method: a worker starts as a copy of this process, with every module, parsed policy and
decision already loaded, so nothing but a chunk number goes in and a chunk's result (pickled)
comes out. The calling process works on the first chunk while the workers do the rest.

Results are returned in chunk order, so output is the same as one process would give. A worker
that fails (killed, out of memory, an exception) does not lose its chunk: that chunk is done
again in this process, where an exception surfaces as it would without workers. Where ``fork``
is not available (Windows; macOS, where it is unsafe) or ``jobs`` is 1, everything runs here.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# What the forked workers run: set just before the pool forks, read in the child (a copy).
_TASK: Callable[[Any], Any] | None = None
_CHUNKS: Sequence[Any] = ()


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the OS has one), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    # fork is the default and safe on Linux; macOS's system libraries are not fork-safe.
    return sys.platform.startswith("linux")


def resolve_jobs(jobs: int | None) -> int:
    """``None`` or 0: one job per available CPU, at most 8. Negative: a usage error
    (``ValueError``)."""
    if jobs is None or jobs == 0:
        return min(8, available_cpus())
    if jobs < 0:
        raise ValueError(f"--jobs must be 0 (one per CPU) or more, not {jobs}")
    return jobs


def split(items: Sequence[T], weights: Sequence[float], n: int) -> list[list[T]]:
    """``items`` in at most ``n`` contiguous chunks of about equal total weight (order kept)."""
    total = float(sum(weights)) or 1.0
    chunks: list[list[T]] = [[]]
    acc = 0.0
    for item, w in zip(items, weights, strict=True):
        if chunks[-1] and acc >= total * len(chunks) / n and len(chunks) < n:
            chunks.append([])
        chunks[-1].append(item)
        acc += w
    return chunks


def _run_chunk(i: int) -> Any:
    assert _TASK is not None
    return _TASK(_CHUNKS[i])


def map_chunks(task: Callable[[T], R], chunks: Sequence[T], jobs: int) -> list[R]:
    """``[task(c) for c in chunks]``, the chunks after the first in forked workers.

    ``task`` may be any callable (a closure too: it is not pickled); its results must pickle.
    """
    if len(chunks) <= 1 or jobs <= 1 or not can_fork():
        return [task(c) for c in chunks]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _TASK, _CHUNKS
    _TASK, _CHUNKS = task, chunks
    results: list[Any] = [None] * len(chunks)
    done = [False] * len(chunks)
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)) - 1,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            try:
                futures = {i: pool.submit(_run_chunk, i) for i in range(1, len(chunks))}
            except Exception:  # no worker could start: every chunk is done here
                futures = {}
            results[0], done[0] = task(chunks[0]), True
            for i, fut in futures.items():
                try:
                    results[i], done[i] = fut.result(), True
                except Exception:  # done again below, where an error surfaces as it would
                    pass
    except OSError:  # the pool itself could not be made (no fork, no semaphores)
        pass
    finally:
        _TASK, _CHUNKS = None, ()
    for i, ok in enumerate(done):
        if not ok:
            results[i] = task(chunks[i])
    return results

"""Executors: how conditions get run. One Protocol; ``local`` here, ``ray`` in ``_ray``.

Every executor calls ``run_condition`` for each condition and returns one ``ConditionResult``
per condition (never raises for a failed condition: a failure is a result, so the rest of the
sweep still runs and the report names it).
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Protocol

from ._condition import ConditionResult, finished, run_condition
from ._expand import Condition
from ._progress import Progress


class Executor(Protocol):
    name: str

    def run(self, conditions: Sequence[Condition], root: Path,
            progress: Progress) -> list[ConditionResult]: ...


def _failure(cond: Condition, exc: BaseException, attempts: int = 1) -> ConditionResult:
    tail = "".join(traceback.format_exception(exc)[-3:]).strip()
    return ConditionResult(condition_id=cond.id, status="failed", seconds=0.0,
                           error=f"{type(exc).__name__}: {exc}\n{tail}", attempts=attempts)


def _skip_finished(conditions: Sequence[Condition], root: Path, progress: Progress
                   ) -> tuple[dict[str, ConditionResult], list[Condition]]:
    """Finished conditions are resolved in the driver: no worker, no Ray task for them."""
    results: dict[str, ConditionResult] = {}
    todo: list[Condition] = []
    for c in conditions:
        done = finished(c, root)
        if done is not None:
            results[c.id] = done
            progress.update(c.id, "skipped")
        else:
            todo.append(c)
    return results, todo


def _report(progress: Progress, cond: Condition, res: ConditionResult) -> None:
    note = (res.error.splitlines()[0] if res.status == "failed"
            else f"{res.seconds:.1f}s" if res.status == "done" else "")
    progress.update(cond.id, res.status, note)


# --- local ---------------------------------------------------------------------------------

_WORKER_DEVICE = "cpu"


def _init_worker(device: str, gpu_queue: object | None) -> None:
    """Spawned worker: one torch thread (the pool is the parallelism), and one GPU if any."""
    global _WORKER_DEVICE
    _WORKER_DEVICE = device
    # Workers' own progress bars would interleave on one terminal; the sweep reports progress.
    os.environ["TQDM_DISABLE"] = "1"
    if gpu_queue is not None:
        gpu = gpu_queue.get()  # type: ignore[attr-defined]
        # Pin this worker to one device before torch initialises CUDA.
        os.environ["CUDA_VISIBLE_DEVICES"] = str(gpu)
    import torch

    torch.set_num_threads(1)


def _worker_run(cond: Condition, root: str) -> ConditionResult:
    return run_condition(cond, Path(root), device=_WORKER_DEVICE, quiet=True)


class LocalExecutor:
    """Sequential in this process (``workers=1``), or a spawn-context process pool.

    With several GPUs (``gpus`` > 1) each worker is pinned to one of them, so ``workers`` should
    not exceed ``gpus``; with ``device="cpu"`` every worker is a one-thread CPU process.
    """

    name = "local"

    def __init__(self, workers: int = 1, device: str = "cpu", gpus: int = 0,
                 quiet_runner: bool = True) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self.device = device
        self.gpus = gpus
        self.quiet_runner = quiet_runner

    def run(self, conditions: Sequence[Condition], root: Path,
            progress: Progress) -> list[ConditionResult]:
        results, todo = _skip_finished(conditions, root, progress)
        if self.workers == 1 or len(todo) <= 1:
            for c in todo:
                progress.update(c.id, "running", c.label())
                try:
                    res = run_condition(c, root, device=self.device, quiet=self.quiet_runner)
                except Exception as e:
                    res = _failure(c, e)
                results[c.id] = res
                _report(progress, c, res)
        else:
            results.update(self._pool(todo, root, progress))
        return [results[c.id] for c in conditions]

    def _pool(self, todo: Sequence[Condition], root: Path,
              progress: Progress) -> dict[str, ConditionResult]:
        import multiprocessing as mp

        # spawn, not fork: a forked child inherits torch's thread pools and any CUDA context.
        ctx = mp.get_context("spawn")
        queue = None
        if self.device.startswith("cuda") and self.gpus > 1:
            queue = ctx.Manager().Queue()
            for i in range(min(self.workers, self.gpus)):
                queue.put(i)
        device = "cuda" if queue is not None else self.device
        out: dict[str, ConditionResult] = {}
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx,
                                 initializer=_init_worker, initargs=(device, queue)) as pool:
            pending = list(todo)
            running: dict[Future[ConditionResult], Condition] = {}
            while pending or running:
                # Submit only as many as there are workers, so "running" means running.
                while pending and len(running) < self.workers:
                    c = pending.pop(0)
                    running[pool.submit(_worker_run, c, str(root))] = c
                    progress.update(c.id, "running", c.label())
                finished_set, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in finished_set:
                    c = running.pop(fut)
                    try:
                        res = fut.result()
                    except Exception as e:  # includes BrokenProcessPool (worker killed)
                        res = _failure(c, e)
                    out[c.id] = res
                    _report(progress, c, res)
        return out


def make_executor(name: str, workers: int = 1, device: str = "cpu", gpus: int = 0,
                  max_retries: int = 2, address: str | None = None) -> Executor:
    if name == "local":
        return LocalExecutor(workers=workers, device=device, gpus=gpus)
    if name == "ray":
        from ._ray import RayExecutor

        return RayExecutor(device=device, max_retries=max_retries, address=address)
    raise ValueError(f"unknown executor {name!r}; choose local or ray")

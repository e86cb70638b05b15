"""The Ray executor: each condition a Ray task with its GPU request.

Ray is imported here only (``pip install 'releasegate[sweep]'``). Tasks write into the sweep's
output directory, which on a cluster must be shared storage (NFS, a mounted bucket) visible to
every node at the same path; the driver reads results back from there. A task that raises is
retried by Ray (``max_retries``, ``retry_exceptions``); one that still fails, or whose worker
died, is a failed condition in the report, never an aborted sweep.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._condition import ConditionResult, run_condition
from ._executors import _failure, _report, _skip_finished
from ._expand import Condition
from ._progress import Progress

INSTALL_HINT = "the ray executor needs Ray: pip install 'releasegate[sweep]'"


def _task(cond: Condition, root: str, device: str) -> ConditionResult:
    import os

    os.environ["TQDM_DISABLE"] = "1"
    import torch

    torch.set_num_threads(1)
    return run_condition(cond, Path(root), device=device, quiet=True)


class RayExecutor:
    name = "ray"

    def __init__(self, device: str = "cpu", max_retries: int = 2, address: str | None = None,
                 num_cpus: int | None = None, gpus_per_task: float | None = None,
                 init_kwargs: dict[str, Any] | None = None) -> None:
        self.device = device
        self.max_retries = max_retries
        self.address = address
        self.num_cpus = num_cpus
        # One GPU per condition when running on CUDA; Ray places the task and sets
        # CUDA_VISIBLE_DEVICES for it.
        self.gpus_per_task = (gpus_per_task if gpus_per_task is not None
                              else 1.0 if device.startswith("cuda") else 0.0)
        self.init_kwargs = init_kwargs or {}

    def _ray(self) -> Any:
        try:
            import ray
        except ImportError as e:
            raise RuntimeError(INSTALL_HINT) from e
        return ray

    def run(self, conditions: Sequence[Condition], root: Path,
            progress: Progress) -> list[ConditionResult]:
        results, todo = _skip_finished(conditions, root, progress)
        if todo:
            results.update(self._run_tasks(todo, root, progress))
        return [results[c.id] for c in conditions]

    def _run_tasks(self, todo: Sequence[Condition], root: Path,
                   progress: Progress) -> dict[str, ConditionResult]:
        ray = self._ray()
        started_here = False
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                      **self.init_kwargs}
            if self.address is not None:
                kwargs["address"] = self.address
            elif self.num_cpus is not None:
                kwargs["num_cpus"] = self.num_cpus
            ray.init(**kwargs)
            started_here = True
        try:
            remote = ray.remote(_task).options(
                num_cpus=1, num_gpus=self.gpus_per_task, max_retries=self.max_retries,
                retry_exceptions=True,
            )
            refs = {}
            for c in todo:
                refs[remote.remote(c, str(Path(root).resolve()), self.device)] = c
                # Submitted is not running on a busy cluster; Ray does not tell the driver when
                # a task starts, so "running" here means "submitted and not finished".
                progress.update(c.id, "running", c.label())
            out: dict[str, ConditionResult] = {}
            waiting = list(refs)
            while waiting:
                ready, waiting = ray.wait(waiting, num_returns=1)
                for ref in ready:
                    c = refs[ref]
                    try:
                        res = ray.get(ref)
                    except Exception as e:  # RayTaskError, WorkerCrashedError, ...
                        cause = getattr(e, "cause", None) or e
                        res = _failure(c, cause, attempts=self.max_retries + 1)
                    out[c.id] = res
                    _report(progress, c, res)
            return out
        finally:
            if started_here:
                ray.shutdown()

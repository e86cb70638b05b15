"""Name → runner registry. Registering a name twice is an error, never a silent override."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RunnerFn = Callable[[Any], list[Path]]  # (RunContext) -> evidence paths written or kept


@dataclass(frozen=True)
class RunnerEntry:
    name: str
    fn: RunnerFn
    help: str


RUNNERS: dict[str, RunnerEntry] = {}


def register(name: str, help: str) -> Callable[[RunnerFn], RunnerFn]:
    def deco(fn: RunnerFn) -> RunnerFn:
        if name in RUNNERS:
            raise ValueError(
                f"runner {name!r} is already registered (by {RUNNERS[name].fn.__module__}."
                f"{RUNNERS[name].fn.__qualname__}); pick another name"
            )
        RUNNERS[name] = RunnerEntry(name=name, fn=fn, help=help)
        return fn

    return deco


def get_runner(name: str) -> RunnerEntry:
    if name not in RUNNERS:
        raise KeyError(f"unknown runner {name!r}; choose one of: {', '.join(sorted(RUNNERS))}")
    return RUNNERS[name]

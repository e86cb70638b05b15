"""Name → runner registry. Registering a name twice is an error, never a silent override."""

from __future__ import annotations

import difflib
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


def did_you_mean(name: str) -> str:
    """``"; did you mean 'random_model'?"`` for the closest runner name, else ``""``.

    difflib's ratio, plus a name that starts the mistyped one: ``random_model_control`` is the
    evidence kind the ``random_model`` runner writes, a common slip (issue 14).
    """
    close = difflib.get_close_matches(name, list(RUNNERS), n=1, cutoff=0.6)
    close = close or [n for n in sorted(RUNNERS) if name.startswith(n)][:1]
    return f"; did you mean {close[0]!r}?" if close else ""


def get_runner(name: str) -> RunnerEntry:
    if name not in RUNNERS:
        raise KeyError(f"unknown runner {name!r}{did_you_mean(name)} (choose one of: "
                       f"{', '.join(sorted(RUNNERS))})")
    return RUNNERS[name]

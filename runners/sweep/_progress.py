"""Progress of the sweep as a whole: conditions done / running / failed / pending."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, TextIO

State = Literal["pending", "running", "done", "skipped", "failed"]


@dataclass
class Progress:
    """Counts per state; prints one line per change (to stderr unless quiet).

    One line per event rather than a redrawn bar: sweep logs end up in CI and cluster job
    logs, where carriage-return redraws turn into noise.
    """

    total: int
    quiet: bool = False
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    states: dict[str, State] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    listeners: list[Callable[[str, State], None]] = field(default_factory=list)

    def counts(self) -> dict[State, int]:
        out: dict[State, int] = {"done": 0, "skipped": 0, "running": 0, "failed": 0}
        for s in self.states.values():
            if s != "pending":
                out[s] += 1
        out["pending"] = self.total - sum(out.values())
        return out

    def line(self) -> str:
        c = self.counts()
        return (f"[sweep] {c['done'] + c['skipped']}/{self.total} done ({c['skipped']} kept), "
                f"{c['running']} running, {c['failed']} failed, {c['pending']} pending "
                f"[{time.perf_counter() - self.started:.0f}s]")

    def update(self, condition_id: str, state: State, note: str = "") -> None:
        self.states[condition_id] = state
        for cb in self.listeners:
            cb(condition_id, state)
        if not self.quiet:
            extra = f" — {note}" if note else ""
            print(f"{self.line()}  {condition_id}: {state}{extra}", file=self.stream,
                  flush=True)

"""The "billion laughs" YAML of issue 10: 342 bytes that expand to 9**9 (387,420,489) strings.

Each of nine levels is a list of nine references to the level above. Built here rather than
committed, so every reader's test uses the same bytes.
"""

from __future__ import annotations

import string
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# Refusing must not depend on a fast machine, but it must not expand the document either:
# expanding takes minutes and gigabytes, refusing takes milliseconds.
SECONDS = 2.0


def yaml_bomb(levels: int = 9) -> bytes:
    names = string.ascii_lowercase
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"{names[i]}: &{names[i]} [{','.join(['*' + names[i - 1]] * 9)}]")
    return ("\n".join(lines) + "\n").encode()


BOMB = yaml_bomb()
assert len(BOMB) == 342


@contextmanager
def within(seconds: float = SECONDS) -> Iterator[Callable[[], float]]:
    """Assert the block finishes within ``seconds`` (wall clock); yields the elapsed-time getter."""
    start = time.perf_counter()
    yield lambda: time.perf_counter() - start
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"took {elapsed:.2f} s (limit {seconds} s)"

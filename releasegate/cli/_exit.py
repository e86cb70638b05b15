"""Exit codes and the one place where exceptions become exit codes."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # everything passed / the command completed
    FAILED = 1  # a gate, a validation or an audit finding failed
    USAGE = 2  # bad options, unreadable policy or input
    BUG = 3  # an unexpected error inside releasegate
    INTERRUPTED = 130


class UsageError(Exception):
    """The user asked for something that cannot be done as asked (exit 2)."""


@contextmanager
def error_handler(show_traceback: bool = False) -> Iterator[list[int]]:
    """Turn exceptions into exit codes; the yielded one-element list carries the result."""
    box = [int(ExitCode.BUG)]
    try:
        yield box
    except UsageError as e:
        print(f"releasegate: error: {e}", file=sys.stderr)
        box[0] = ExitCode.USAGE
    except KeyboardInterrupt:
        print("releasegate: interrupted", file=sys.stderr)
        box[0] = ExitCode.INTERRUPTED
    except BrokenPipeError:
        box[0] = ExitCode.FAILED
    except Exception as e:
        if show_traceback:
            traceback.print_exc()
        print(
            f"releasegate: internal error: {type(e).__name__}: {e}\n"
            "This is a bug in releasegate; rerun with --traceback and report it.",
            file=sys.stderr,
        )
        box[0] = ExitCode.BUG

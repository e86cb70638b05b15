"""Exit codes and the one place where exceptions become exit codes."""

from __future__ import annotations

import os
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
        where = os_error_path(e)
        if where is not None:
            # The file system refused a path the user named (a missing or read-only
            # directory, a directory where a file goes): their input, not our bug.
            print(f"releasegate: error: {where}", file=sys.stderr)
            box[0] = ExitCode.USAGE
            return
        print(
            f"releasegate: internal error: {type(e).__name__}: {e}\n"
            "This is a bug in releasegate; rerun with --traceback and report it.",
            file=sys.stderr,
        )
        box[0] = ExitCode.BUG


# Functions whose OSError is a failed write: ours (write_atomic, write_decision, ...), pathlib's
# and os's. Only the two innermost frames are looked at: the call that failed and its caller.
_WRITING = ("write", "_write", "mkdir", "mkstemp", "replace", "touch", "makedirs")


def os_error_path(e: BaseException) -> str | None:
    """``cannot write PATH: reason`` (or read) for an OSError that names a path, else None.

    ``os.replace(tmp, target)`` names both; the target is the path the user gave.
    """
    if not isinstance(e, OSError) or e.filename is None:
        return None
    path = e.filename2 if e.filename2 is not None else e.filename
    if not isinstance(path, str | bytes | os.PathLike):
        return None  # a file descriptor: no path to name
    inner = [f.name for f in traceback.extract_tb(e.__traceback__)[-2:]]
    writing = e.filename2 is not None or any(n.startswith(_WRITING) for n in inner)
    reason = e.strerror or type(e).__name__
    if isinstance(e, FileExistsError) and not os.path.isdir(path):
        reason = "a file is in the way of a directory"  # mkdir(parents=True) over a file
    return f"cannot {'write' if writing else 'read'} {os.fsdecode(path)}: {reason}"

"""``select: pick: latest``: the newest matching file, never silently.

``latest`` orders the matching files by their own ``created_at``, which the file's author
writes. Two ways that hides evidence (red team 2 §2): a failing file passed over for a newer
passing one with nothing said, and a rerun dated in the future so that it wins over every file
written later. So the gate's reason names every file passed over (with its ``created_at``), and
a matching file dated after the evaluation's ``now`` (any amount: there is no clock-skew
allowance when the date decides which evidence counts) makes the gate ``invalid``.
"""

from __future__ import annotations

from datetime import datetime

from ._evidence_set import EvidenceFile

SHOWN = 5  # files named in a reason before "+N more"


class PickRefused(ValueError):
    """The matching files cannot be ordered honestly; the message says why (→ ``invalid``)."""


def _named(files: list[EvidenceFile]) -> str:
    shown = ", ".join(f"{f.path} ({f.created_at.isoformat()})" for f in files[:SHOWN])
    return shown + (f" (+{len(files) - SHOWN} more)" if len(files) > SHOWN else "")


def pick_latest(kind: str, found: list[EvidenceFile], now: datetime) -> tuple[EvidenceFile, str]:
    """The newest of ``found`` (two or more files of ``kind`` matching the selector) and the
    note for the gate's reason: ``picked latest P (T), passed over Q (T'), …`` (newest first).

    Raises PickRefused when a file is dated after ``now`` or the two newest share a
    ``created_at``.
    """
    future = sorted((f for f in found if f.created_at > now), key=lambda f: f.path)
    if future:
        raise PickRefused(
            f"`pick: latest` refuses {kind} evidence dated after now ({now.isoformat()}): "
            f"{_named(future)}; a future created_at would win over every file written before "
            f"it (fix the file's created_at or remove it)")
    ordered = sorted(found, key=lambda f: f.created_at, reverse=True)
    if ordered[0].created_at == ordered[1].created_at:
        raise PickRefused(f"two {kind} files share the newest created_at: "
                          f"{ordered[0].path}, {ordered[1].path}")
    newest = ordered[0]
    return newest, (f"picked latest {newest.path} ({newest.created_at.isoformat()}), "
                    f"passed over {_named(ordered[1:])}")

"""One audit across CPU cores (issue 13): reports are independent once the decision, policy and
gate outputs are loaded, so each forked worker audits a contiguous run of them and the results
are put back in report order (``evidence_schema._parallel``)."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

from evidence_schema._parallel import map_chunks as map_chunks  # tests count its calls
from evidence_schema._parallel import split
from evidence_schema._validate import gc_paused

from ._result import AuditResult, FileError, Finding, Skipped

COLLECT_EVERY = 500
# Below this much report text, forking costs more than it saves.
MIN_PARALLEL_BYTES = 256 * 1024
MIN_PARALLEL_REPORTS = 8

# Records travel back from a worker as plain tuples: pickling 14,000 frozen dataclasses one by
# one took a tenth of a large audit.
# (packed, findings, skipped, file errors, files audited, encoded findings): a worker packs its
# records as tuples; the calling process's own chunk keeps its objects
Part = tuple[bool, list[Any], list[Any], list[Any], list[str], list[tuple[str, str]]]


def _size(p: Path) -> int:
    try:
        return os.stat(p).st_size
    except OSError:
        return 0


def audit_chunked(
    reports: list[Path], result: AuditResult, audit_file: Callable[[Path], None],
    swap: Callable[[AuditResult], AuditResult], jobs: int,
    prerender: Callable[[AuditResult, Finding], str] | None = None,
) -> None:
    """Audit ``reports`` with ``audit_file`` (which records into the auditor's result), in
    ``jobs`` processes when the reports are many and large enough; append every record to
    ``result`` in report order. ``swap(r)`` makes ``r`` the auditor's result and returns the
    previous one. ``prerender``: a reporter's encoding of one finding, done by each process
    for its own findings and kept in ``result.prerendered`` (the json reporter's lines: a
    tenth of a large audit, otherwise encoded by one process after the others are done)."""
    sizes = [_size(p) for p in reports] if jobs > 1 else []
    if jobs <= 1 or len(reports) < MIN_PARALLEL_REPORTS or sum(sizes) < MIN_PARALLEL_BYTES:
        _each(reports, audit_file)
        return

    here = os.getpid()

    def part(chunk: list[Path]) -> Part:
        mine = AuditResult(strict=result.strict, no_decision=result.no_decision,
                           decision=result.decision)
        before = swap(mine)
        try:
            _each(chunk, audit_file)
        finally:
            swap(before)
        encoded: list[tuple[str, str]] = (
            [(mine.severity(f), prerender(mine, f)) for f in mine.findings]
            if prerender is not None else [])
        if os.getpid() == here:  # this process's own chunk: its records need no packing
            return False, mine.findings, mine.skipped, mine.file_errors, mine.files_audited, \
                encoded
        return (True, [astuple(f) for f in mine.findings], [astuple(s) for s in mine.skipped],
                [astuple(e) for e in mine.file_errors], mine.files_audited, encoded)

    parts = map_chunks(part, split(reports, sizes, jobs), jobs)
    for packed, findings, skipped, errors, files, encoded in parts:
        made = [Finding(*t) for t in findings] if packed else findings
        result.findings.extend(made)
        result.skipped.extend((Skipped(*t) for t in skipped) if packed else skipped)
        result.file_errors.extend((FileError(*t) for t in errors) if packed else errors)
        result.files_audited.extend(files)
        if encoded:
            for f, (severity, text) in zip(made, encoded, strict=True):
                result.prerendered[id(f)] = (f, severity, text)


def _each(reports: list[Path], audit_file: Callable[[Path], None]) -> None:
    """``audit_file`` on each report with the cyclic garbage collector paused: its passes over
    the growing findings took a seventh of a 200-report audit (0.5 s of 3.5 s CPU). A report
    leaves a little cyclic garbage (scopes and the citations that name them), collected every
    ``COLLECT_EVERY`` reports so that memory stays bounded on any corpus."""
    with gc_paused():
        for i, p in enumerate(reports, 1):
            audit_file(p)
            if i % COLLECT_EVERY == 0:
                gc.collect()


def astuple(record: Finding | Skipped | FileError) -> tuple[Any, ...]:
    # dataclasses.astuple deep-copies; the fields are scalars and tuples of strings
    return tuple(getattr(record, f) for f in _FIELDS[type(record)])


_FIELDS = {cls: tuple(f.name for f in fields(cls)) for cls in (Finding, Skipped, FileError)}

"""Domain errors of external-benchmark ingestion. Each names the file it is about."""

from __future__ import annotations


class ExternalResultError(Exception):
    """A benchmark result file cannot be used: unreadable, malformed, partial or mismatched."""

    def __init__(self, message: str, *, path: str | None = None, pointer: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.pointer = pointer

    def __str__(self) -> str:
        where = self.path or "<input>"
        ptr = f" {self.pointer}:" if self.pointer else ""
        return f"{where}:{ptr} {self.message}"


class UnmatchedBaselineError(ExternalResultError):
    """Candidate and baseline were not evaluated on the same rows, so a delta means nothing."""


class SelectionError(Exception):
    """External-benchmark evidence cannot be combined for candidate selection."""

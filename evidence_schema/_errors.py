"""Domain errors for evidence handling. Low-level errors are wrapped with ``raise ... from``."""

from __future__ import annotations


class EvidenceError(Exception):
    """An evidence file could not be read or is not valid evidence.

    ``path`` and ``line`` point at the problem where they are known, so every message can be
    printed as ``path:line: pointer: message``.
    """

    def __init__(
        self, message: str, *, path: str | None = None, line: int | None = None, pointer: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.pointer = pointer

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        ptr = f" {self.pointer}:" if self.pointer else ""
        return f"{where}:{ptr} {self.message}"


class StrictJSONError(EvidenceError):
    """The text is not strict JSON (syntax, NaN/Infinity, duplicate keys, too deep, binary)."""

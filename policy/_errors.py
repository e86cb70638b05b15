"""The one error type of policy loading: it says which file and which line."""

from __future__ import annotations


class PolicyError(Exception):
    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or "<policy>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"

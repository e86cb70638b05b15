"""The one error type of policy loading: it says which file and which line, for every problem."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PolicyProblem:
    """One thing wrong with a policy or waiver file: ``path:line: message``."""

    message: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.path or "<policy>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class PolicyError(Exception):
    """A policy (or waiver) file cannot be used; ``problems`` lists everything found, by line.

    ``message``, ``path`` and ``line`` are those of the first problem; ``str()`` is one
    ``path:line: message`` line per problem.
    """

    def __init__(
        self,
        message: str = "",
        *,
        path: str | None = None,
        line: int | None = None,
        problems: list[PolicyProblem] | None = None,
    ) -> None:
        self.problems = list(problems) if problems else [PolicyProblem(message, path, line)]
        first = self.problems[0]
        super().__init__(first.message)
        self.message = first.message
        self.path = first.path
        self.line = first.line

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

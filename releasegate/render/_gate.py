"""One gate of the decision as a template sees it: every printed attribute is markdown bound to
the decision's JSON pointer, so that ``releasegate audit`` checks it against the decision."""

from __future__ import annotations

from typing import Any

from ._format import format_number, link


class GateView:
    """One gate of the decision; every attribute is markdown bound to the decision's pointer."""

    def __init__(self, path: str, pointer: str, gate: dict[str, Any]) -> None:
        self._path, self._pointer, self._gate = path, pointer, gate

    @property
    def name(self) -> str:
        return str(self._gate["name"])

    @property
    def status(self) -> str:
        return link(str(self._gate["status"]), self._path, f"{self._pointer}/status")

    def _number(self, key: str) -> str:
        val = self._gate.get(key)
        if val is None:
            return "n/a"
        return link(format_number(val), self._path, f"{self._pointer}/{key}")

    @property
    def observed(self) -> str:
        return self._number("observed")

    @property
    def threshold(self) -> str:
        return self._number("threshold")

    @property
    def comparison(self) -> str:
        return str(self._gate.get("comparison") or "")

    @property
    def statistic(self) -> str:
        return str(self._gate.get("statistic") or "")

    @property
    def children(self) -> list[GateView]:
        return [GateView(self._path, f"{self._pointer}/children/{j}", ch)
                for j, ch in enumerate(self._gate.get("children", []))]

    @property
    def required(self) -> bool:
        return bool(self._gate.get("required", True))

    @property
    def state(self) -> str:
        """The status as a plain word, for conditions; print ``.status`` (bound) instead."""
        return str(self._gate["status"])

    @property
    def passed(self) -> bool:
        return bool(self._gate["status"] == "pass")

    @property
    def reason(self) -> str:
        # The reason is prose written by `check`, with numbers of its own: quoted as code (so its
        # status words are not read as claims) and bound to where it lives in the decision (the
        # audit checks that each number appears in that text as printed).
        text = str(self._gate["reason"]).replace("`", "'")
        return f"[`{text}`]({self._path}#{self._pointer}/reason)"

    def __str__(self) -> str:
        return self.status

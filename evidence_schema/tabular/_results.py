"""Results of the deep (tabular) checks, as plain data a decision can record."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class DeepCheck:
    path: str  # evidence file
    table: str  # which table in it: "sweep" or a per-seed metric group
    expectation: str  # GX expectation type, e.g. expect_column_values_to_not_be_null
    success: bool
    message: str  # what was expected and what was found, in words


@dataclass
class DeepReport:
    results: list[DeepCheck] = field(default_factory=list)
    engine: str = ""  # "great_expectations <version>"

    @property
    def success(self) -> bool:
        return all(r.success for r in self.results)

    @property
    def failed(self) -> list[DeepCheck]:
        return [r for r in self.results if not r.success]

    def as_dict(self) -> dict[str, Any]:
        return {"success": self.success, "engine": self.engine,
                "results": [asdict(r) for r in self.results]}

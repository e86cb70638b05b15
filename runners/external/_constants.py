"""Names of written artifacts and producers, in one place (tests and docs refer to these)."""

from __future__ import annotations

from typing import Literal

Benchmark = Literal["saebench", "cebench"]
BENCHMARKS: tuple[Benchmark, ...] = ("saebench", "cebench")

PRODUCER_INGEST = "releasegate.ingest"  # + "." + benchmark
PRODUCER_SELECT = "releasegate.select"

SELECTION_FILENAME = "external_selection.json"


def evidence_filename(benchmark: str, candidate_id: str) -> str:
    """``external_{benchmark}_{candidate}.json`` with the id made safe for a file name."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in candidate_id).strip(".")
    return f"external_{benchmark}_{safe or 'candidate'}.json"

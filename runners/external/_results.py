"""The one shape every parsed benchmark result takes, whichever benchmark wrote it.

Parsers (``_saebench``, ``_cebench``) turn a raw result file into a :class:`BenchResult`; the
evidence builder only ever sees these, so it cannot depend on one benchmark's layout.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from evidence_schema import load_strict_bytes, sha256_bytes
from evidence_schema._errors import EvidenceError

from ._constants import Benchmark
from ._errors import ExternalResultError

Finite = Annotated[float, Field(strict=True, allow_inf_nan=False)]

# Result files are metrics, not data; a larger file is a wrong path, not a result.
MAX_RESULT_BYTES = 64 * 1024 * 1024


class BenchResult(BaseModel):
    """One benchmark result file, reduced to the headline value and what matching needs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    benchmark: Benchmark
    path: str
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    content_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = Field(
        default=None, description="sha256 of the parsed file in canonical form "
        "(evidence_schema.content_sha256): equal for one run re-serialised")
    eval_type: str
    version: str | None = Field(description="benchmark commit/version the file records")
    metric: str = Field(description="headline metric, higher is better")
    value: Finite
    reference_metric: str | None = Field(
        default=None, description="a baseline measured in the same file (SAEBench's LLM probe)"
    )
    reference_value: Finite | None = None
    row_budget: int | None = Field(description="rows evaluated, where the benchmark records it")
    match_key: dict[str, Any] = Field(
        description="settings that must be equal between a candidate and its baseline, as the "
        "file records them (only the fields it records)"
    )
    unrecorded: list[str] = Field(
        default_factory=list,
        description="JSON pointers of match-key fields the file lacks (or records as null): a "
        "baseline comparison is refused while any is listed",
    )
    family: dict[str, Any] = Field(
        default_factory=dict,
        description="SAE family the file's release/id name (layer, site), where they state it",
    )
    subject_id: str = Field(description="the SAE the file is about, as the benchmark names it")
    device: str | None = None


def read_result_json(path: str | Path) -> tuple[dict[str, Any], str]:
    """Strict JSON (NaN, Infinity and duplicate keys refused) → (object, sha256)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise ExternalResultError(f"cannot read: {e.strerror or e}", path=str(path)) from e
    if len(data) > MAX_RESULT_BYTES:
        raise ExternalResultError(f"{len(data)} bytes is too large for a result file",
                                  path=str(path))
    try:
        doc = load_strict_bytes(data, str(path))
    except EvidenceError as e:
        # The strict loader already says where (line, pointer) and what (NaN, syntax, …).
        raise ExternalResultError(
            f"not strict JSON: {e.message}", path=str(path), pointer=e.pointer
        ) from e
    if not isinstance(doc, dict):
        raise ExternalResultError(
            f"top level is {type(doc).__name__}, expected a JSON object", path=str(path)
        )
    return doc, sha256_bytes(data)


def finite_number(value: Any, path: str, pointer: str) -> float:
    """A real number (not bool, not null, not NaN); anything else is an error naming the field."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ExternalResultError(
            f"expected a number, found {json_type(value)}", path=path, pointer=pointer
        )
    v = float(value)
    if v != v or v in (float("inf"), float("-inf")):
        raise ExternalResultError(f"non-finite value {value!r}", path=path, pointer=pointer)
    return v


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return f"string {value!r}"
    return type(value).__name__


_SEED_RE = re.compile(r"(?:^|[^a-z0-9])seed[_\-=]?(\d+)", re.IGNORECASE)


def seed_from_path(path: str | Path) -> int | None:
    """The seed a file name (or one of its folders) states, e.g. ``seed3`` or ``seed_3``."""
    for part in reversed(Path(path).parts):
        m = _SEED_RE.search(part)
        if m:
            return int(m.group(1))
    return None

"""The envelope every measurement evidence kind shares, and the field types several kinds use.

Where a metric is a distribution over seeds it is stored as a list of ``Sample`` (one value per
seed, or per seed pair for pairwise metrics like PWMCC), never only as a mean, so that gates can
compute their own statistic and count seeds.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictStr

from .._common import (
    Finite,
    InputRef,
    PairSamples,
    Producer,
    Provenance,
    SeedSamples,
    Strict,
    UTCDatetime,
)

# Per-seed lists hold one sample per seed; per-pair lists (PWMCC) one per unordered pair of two
# different seeds. Both refuse a repeated unit (``_common._check_samples``).
Samples = SeedSamples
OptionalSamples = SeedSamples | None
OptionalPairs = PairSamples | None

Architecture = Literal[
    "standard", "topk", "batchtopk", "jumprelu", "matryoshka_batchtopk", "transcoder",
    "topk_transcoder",
]


class Envelope(Strict):
    """Fields every measurement evidence file carries."""

    schema_version: Literal["1.0"] = "1.0"
    created_at: UTCDatetime
    producer: Producer
    provenance: Provenance
    inputs: list[InputRef] = Field(
        description="every file this evidence was derived from, with its sha256"
    )


# sweep and sweep_aggregate: a condition's axis values
Scalar = StrictStr | Annotated[int, Field(strict=True)] | Finite | StrictBool | None

"""Building blocks shared by every evidence kind: the envelope and its provenance."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    model_validator,
)

from ._atomic import config_sha256

SCHEMA_VERSION = "1.0"

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="lowercase hex sha256")]
# Strict numbers: booleans are not numbers, NaN/Infinity are refused (a NaN compares false with
# every threshold and so can never be allowed to reach a gate).
Finite = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Fraction = Annotated[float, Field(strict=True, ge=0.0, le=1.0, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(strict=True, ge=0.0, allow_inf_nan=False)]
AtMostOne = Annotated[
    float, Field(strict=True, le=1.0, allow_inf_nan=False, description="≤ 1 (can be negative)")
]
PositiveInt = Annotated[StrictInt, Field(ge=1)]
NonNegativeInt = Annotated[StrictInt, Field(ge=0)]
Seed = Annotated[StrictInt, Field(ge=0)]
Name = Annotated[str, Field(min_length=1, max_length=4096)]


def _is_utc(dt: datetime) -> datetime:
    if dt.utcoffset() != UTC.utcoffset(None):
        raise ValueError("timestamps must be UTC (offset +00:00 or Z)")
    return dt


UTCDatetime = Annotated[AwareDatetime, AfterValidator(_is_utc)]


class Strict(BaseModel):
    """Base for every evidence model: unknown keys are an error, never silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


class Producer(Strict):
    name: Name = Field(description="runner or tool that wrote the file")
    version: Name


class LibraryVersions(Strict):
    python: Name
    releasegate: Name
    torch: Name | None = None
    sae_lens: Name | None = None
    transformer_lens: Name | None = None
    numpy: Name | None = None


class Provenance(Strict):
    git_commit: Annotated[str, Field(pattern=r"^[0-9a-f]{7,64}$")] | None = Field(
        description="commit of the code that produced the file; null outside a git checkout"
    )
    git_dirty: StrictBool | None = Field(description="uncommitted changes when it ran")
    config: dict[str, Any] = Field(description="the full configuration, as run")
    config_sha256: Sha256 = Field(description="sha256 of the config as canonical JSON")
    seeds: list[Seed] = Field(min_length=1)
    device: Name
    versions: LibraryVersions

    @model_validator(mode="after")
    def _config_hash_matches(self) -> Provenance:
        # Not expressible in JSON Schema; a hand-edited config must not keep its old hash.
        actual = config_sha256(self.config)
        if actual != self.config_sha256:
            raise ValueError(
                f"config_sha256 {self.config_sha256[:12]}… does not match the config "
                f"(sha256 of canonical JSON is {actual[:12]}…)"
            )
        return self


class InputRef(Strict):
    path: Annotated[str, Field(min_length=1, max_length=4096)]
    sha256: Sha256
    role: Name | None = Field(default=None, description="e.g. checkpoint, activation_cache")


class Sample(Strict):
    """One per-seed (or per seed pair) value of a metric distributed over seeds."""

    seeds: list[Seed] = Field(min_length=1, max_length=2)
    value: Finite


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)

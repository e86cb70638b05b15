"""Building blocks shared by every evidence kind: the envelope and its provenance."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
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


def _times(n: int) -> str:
    return "twice" if n == 2 else f"{n} times"


def _unique_seed_list(seeds: list[int]) -> list[int]:
    # A seed listed twice would be counted twice by any statistic over the list.
    if len(set(seeds)) == len(seeds):  # the usual case, without counting (issue 13)
        return seeds
    counts = Counter(seeds)
    dup = [f"seed {s} appears {_times(n)}" for s, n in sorted(counts.items()) if n > 1]
    if dup:
        raise ValueError("; ".join(dup) + ": each seed may be listed once")
    return seeds


UniqueSeeds = Annotated[list[Seed], AfterValidator(_unique_seed_list)]


def _is_utc(dt: datetime) -> datetime:
    if dt.utcoffset() != UTC.utcoffset(None):
        raise ValueError("timestamps must be UTC (offset +00:00 or Z)")
    return dt


UTCDatetime = Annotated[AwareDatetime, AfterValidator(_is_utc)]


class Strict(BaseModel):
    """Base for every evidence model: unknown keys are an error, never silently dropped."""

    # defer_build: a model's validator is built when first used, not at import, so validating
    # one kind pays for that kind only (issue 13: building every kind cost ~0.1 s per process).
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False,
                              defer_build=True)


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
    seeds: UniqueSeeds = Field(min_length=1)
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
    seed: Seed | None = Field(
        default=None,
        description="the seed this input was measured on, for per-seed inputs (one run's result "
        "file); `check` refuses a gate whose seeds share one input's sha256",
    )
    content_sha256: Sha256 | None = Field(
        default=None,
        description="sha256 of the parsed JSON re-serialised canonically (sorted keys, no "
        "whitespace; evidence_schema.content_sha256): one run re-dumped with another indent "
        "shares it; `check` refuses seeds that share it as it does the byte sha256",
    )


class Sample(Strict):
    """One per-seed (or per seed pair) value of a metric distributed over seeds."""

    seeds: list[Seed] = Field(min_length=1, max_length=2)
    value: Finite


def sample_key(s: Sample) -> tuple[int, ...]:
    """The sample's unit: ``(seed,)``, or ``(a, b)`` with a < b for an unordered seed pair."""
    return tuple(sorted(s.seeds))


def _check_samples(samples: Sequence[Sample], arity: int | None) -> None:
    """Every sample is one unit (a seed, or a pair of two different seeds), listed once.

    ``arity`` 1: per-seed list; 2: per-pair list; None: either, but not mixed. Raises
    ValueError naming the first repeated unit (``seed 1 appears 10 times``).
    """
    sizes = {len(s.seeds) for s in samples}
    if arity is None and len(sizes) > 1:
        raise ValueError("mixes per-seed and per-pair samples; a list is one or the other")
    for i, s in enumerate(samples):
        if arity is not None and len(s.seeds) != arity:
            what = "one seed" if arity == 1 else "a pair of two different seeds"
            raise ValueError(f"sample {i} has seeds {s.seeds}: each sample here is {what}")
        if len(s.seeds) == 2 and s.seeds[0] == s.seeds[1]:
            raise ValueError(f"sample {i}: {s.seeds} is not a pair: a seed pair is two "
                             "different seeds")
    keys = [tuple(sorted(s.seeds)) for s in samples]  # sample_key, inlined: runs per file
    if len(set(keys)) == len(keys):
        return
    counts = Counter(keys)
    dup = [(k, n) for k, n in counts.items() if n > 1]
    if dup:
        shown = "; ".join(
            (f"seed {k[0]}" if len(k) == 1 else f"pair {list(k)} (in either order)")
            + f" appears {_times(n)}" for k, n in dup[:3])
        more = f" (+{len(dup) - 3} more repeated)" if len(dup) > 3 else ""
        unit = "seed" if len(dup[0][0]) == 1 else "seed pair"
        raise ValueError(f"{shown}{more}: each {unit} may be listed once, or a statistic "
                         "would count it more than once")


def _per_seed(samples: list[Sample]) -> list[Sample]:
    _check_samples(samples, 1)
    return samples


def _per_pair(samples: list[Sample]) -> list[Sample]:
    _check_samples(samples, 2)
    return samples


# A statistic over a list counts its entries as independent units; a repeated seed or pair
# would be counted twice (issue 10), so uniqueness is part of the type.
SeedSamples = Annotated[list[Sample], Field(min_length=1), AfterValidator(_per_seed)]
PairSamples = Annotated[list[Sample], Field(min_length=1), AfterValidator(_per_pair)]


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)

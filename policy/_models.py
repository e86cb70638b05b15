"""Policy models: what a versioned YAML gate policy may say, validated by pydantic."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictStr,
    Tag,
    field_validator,
    model_validator,
)

Name = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_.-]{0,99}$")]
Pointer = Annotated[str, Field(pattern=r"^(/[^/]*)+$", description="JSON pointer into evidence")]
SemVer = Annotated[
    str, Field(pattern=r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$")
]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
# Strict: a boolean is not a number; NaN/Infinity can never be a threshold.
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]

Statistic = Literal["value", "mean", "min", "max", "lcb", "ucb"]
Comparison = Literal[">=", ">", "<=", "<"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Selector(_Strict):
    """Which evidence file a gate reads when several of its kind exist."""

    where: dict[Pointer, StrictStr | Number | StrictBool] = Field(default_factory=dict)
    pick: Literal["only", "latest"] = Field(
        default="only",
        description="only: more than one match is an error; latest: newest created_at wins",
    )


class LeafGate(_Strict):
    name: Name
    description: str = ""
    kind: Name
    select: Selector = Field(default_factory=Selector)
    metric: Pointer
    minus: Pointer | None = Field(
        default=None, description="a second metric subtracted from the first (a delta)"
    )
    pairing: Literal["welch", "paired"] = Field(
        default="welch",
        description="welch: two independent groups; paired: per-seed differences",
    )
    statistic: Statistic
    confidence: Annotated[float, Field(gt=0.5, lt=1.0)] = 0.95
    op: Comparison
    threshold: Number
    min_seeds: Annotated[int, Field(ge=1)] = 1
    required: StrictBool = True
    max_age_days: Annotated[int, Field(ge=1)] | None = None
    allow_zero_variance: StrictBool = Field(
        default=False,
        description="accept a zero or negligible seed-level variance (otherwise `invalid`: "
        "degenerate evidence, e.g. one run counted as several seeds; see "
        "docs/statistics.md); non-finite evidence is refused regardless",
    )


class GroupGate(_Strict):
    name: Name
    description: str = ""
    all: list[Gate] | None = Field(default=None, min_length=1)
    any: list[Gate] | None = Field(default=None, min_length=1)
    required: StrictBool = True

    @model_validator(mode="after")
    def _one_combinator(self) -> GroupGate:
        if (self.all is None) == (self.any is None):
            raise ValueError("a group gate needs exactly one of `all:` or `any:`")
        _unique_names(self.children)
        return self

    @property
    def mode(self) -> Literal["all", "any"]:
        return "all" if self.all is not None else "any"

    @property
    def children(self) -> list[Gate]:
        return self.all if self.all is not None else (self.any or [])


def _gate_tag(value: Any) -> str:
    if isinstance(value, dict):
        return "group" if ("all" in value or "any" in value) else "leaf"
    return "group" if isinstance(value, GroupGate) else "leaf"


Gate = Annotated[
    Annotated[LeafGate, Tag("leaf")] | Annotated[GroupGate, Tag("group")],
    Discriminator(_gate_tag),
]


def _unique_names(gates: list[Gate]) -> None:
    seen: set[str] = set()
    for g in gates:
        if g.name in seen:
            raise ValueError(f"duplicate gate name {g.name!r}")
        seen.add(g.name)


class Waiver(_Strict):
    gate: Name
    reason: Annotated[str, Field(min_length=10)]
    approver: Annotated[str, Field(min_length=1)]
    expires: dt.date
    evidence_sha256: list[Sha256] = Field(
        min_length=1, description="the evidence the waiver covers; changed evidence voids it"
    )


class AuditRules(_Strict):
    not_claim_words: list[str] = Field(
        default_factory=list,
        description="a number right after one of these words is a count, not a claim",
    )
    gate_groups: dict[Name, Annotated[list[Name], Field(min_length=1)]] = Field(
        default_factory=dict,
        description="named groups of gates for report claims: with `stress: [random_model, "
        "transcoder, ood]`, \"stress gates pass\" in a report is checked against those three "
        "gates, not the whole release (read by `releasegate audit`)",
    )
    unbacked: Literal["warning", "error"] = Field(
        default="warning",
        description="`error`: a report number or claim that nothing cited backs fails "
        "`releasegate audit --policy` (as --strict does)",
    )


class Policy(_Strict):
    name: Name
    version: SemVer
    description: str
    gates: list[Gate] = Field(min_length=1)
    waivers: list[Waiver] = Field(default_factory=list)
    audit: AuditRules = Field(default_factory=AuditRules)

    @field_validator("gates")
    @classmethod
    def _unique(cls, gates: list[Gate]) -> list[Gate]:
        _unique_names(gates)
        return gates

    def leaves(self) -> dict[str, LeafGate]:
        """Every leaf gate by its dotted name (``external.saebench``), in policy order."""
        out: dict[str, LeafGate] = {}
        stack: list[tuple[Gate, str]] = [(g, "") for g in reversed(self.gates)]
        while stack:
            g, prefix = stack.pop()
            if isinstance(g, GroupGate):
                stack.extend((c, f"{prefix}{g.name}.") for c in reversed(g.children))
            else:
                out[prefix + g.name] = g
        return out


class WaiverFile(_Strict):
    waivers: list[Waiver]


GroupGate.model_rebuild()

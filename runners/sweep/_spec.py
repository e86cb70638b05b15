"""The sweep file: a base runner config, a grid of axes, and what to aggregate.

A sweep file is one strict pydantic model (unknown keys are errors). Axes are named by the
short names the programme's studies use (``architecture``, ``d_sae``, ``k``, ``layer``,
``training_tokens``, ``runner``) or by any dotted path into the runner config
(``sae.l1_coefficient``); every problem is one ``SweepError`` naming the file and key.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..config import ConfigError

AxisValue = str | int | float | bool
# Short axis names → dotted path in RunnerConfig. ``layer`` is special: it is written into the
# hook point through ``hook_template`` (the programme sweeps "hook layer", not hook names).
AXIS_ALIASES: dict[str, str] = {
    "architecture": "sae.architecture",
    "d_sae": "sae.d_sae",
    "k": "sae.k",
    "training_tokens": "sae.training_tokens",
    "token_budget": "sae.training_tokens",
    "hook_point": "sae.hook_point",
    "lr": "sae.lr",
}
SPECIAL_AXES = ("runner", "layer")
RUNNER_NAMES = ("sae", "consistency", "random_model", "transcoder", "ood")


class SweepError(ConfigError):
    """A sweep file that cannot be used as written (exit 2 from the CLI)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Objective(_Strict):
    metric: str = Field(min_length=1, description="a row metric, e.g. explained_variance")
    goal: Literal["max", "min"]


class FrontierSpec(_Strict):
    """Which per-condition metrics span the frontier, and from which statistic."""

    objectives: list[Objective] = Field(min_length=1)
    statistic: Literal["mean", "bound"] = Field(
        default="bound",
        description="bound: the conservative end of the seed interval (lcb for max, ucb for "
        "min), like external selection; mean: the seed mean",
    )


class SweepSpec(_Strict):
    name: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_.-]{0,79}$")]
    description: str = ""
    runner: Literal["sae", "consistency", "random_model", "transcoder", "ood"] = Field(
        default="sae", description="runner of every condition unless `runner` is an axis"
    )
    base: dict[str, Any] = Field(
        default_factory=dict, description="runner config every condition starts from"
    )
    base_config: str | None = Field(
        default=None, description="a runner config YAML (relative to the sweep file) as base"
    )
    hook_template: str = Field(
        default="blocks.{layer}.hook_resid_post", description="hook point for the `layer` axis"
    )
    grid: dict[str, list[AxisValue]] = Field(min_length=1)
    seeds: list[Annotated[int, Field(strict=True, ge=0)]] | None = Field(
        default=None, min_length=1, description="sae.seeds of every condition"
    )
    confidence: Annotated[float, Field(gt=0.5, lt=1.0)] = 0.95
    aggregate: list[str] | None = Field(
        default=None, description="row metrics aggregated by axis; default: all of them"
    )
    frontier: FrontierSpec | None = None

    @model_validator(mode="after")
    def _check(self) -> SweepSpec:
        for axis, values in self.grid.items():
            if not values:
                raise ValueError(f"grid.{axis}: an axis needs at least one value")
            if len({repr(v) for v in values}) != len(values):
                raise ValueError(f"grid.{axis}: duplicate values {values}")
            if axis == "runner":
                bad = [v for v in values if v not in RUNNER_NAMES]
                if bad:
                    close = [m for v in bad for m in difflib.get_close_matches(
                        str(v), RUNNER_NAMES, n=1, cutoff=0.6) or [
                        n for n in RUNNER_NAMES if str(v).startswith(n)][:1]]
                    hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
                    raise ValueError(f"grid.runner: unknown runner(s) {bad}{hint}; choose from "
                                     f"{', '.join(RUNNER_NAMES)}")
        paths = [config_path(a) for a in self.grid if a not in SPECIAL_AXES]
        if "layer" in self.grid:
            if "{layer}" not in self.hook_template:
                raise ValueError("hook_template must contain {layer} when `layer` is an axis")
            paths.append("sae.hook_point")
        dup = {p for p in paths if paths.count(p) > 1}
        if dup:
            raise ValueError(f"grid: several axes set the same config key {sorted(dup)}")
        if self.base and self.base_config:
            raise ValueError("give either base or base_config, not both")
        return self

    @property
    def axes(self) -> list[str]:
        return list(self.grid)


def config_path(axis: str) -> str:
    """Dotted RunnerConfig path an axis sets."""
    if axis in AXIS_ALIASES:
        return AXIS_ALIASES[axis]
    if axis == "layer":
        return "sae.hook_point"
    if "." not in axis:
        raise ValueError(
            f"unknown axis {axis!r}; use one of {', '.join([*AXIS_ALIASES, *SPECIAL_AXES])} "
            "or a dotted runner-config path such as sae.l1_coefficient"
        )
    return axis


def _errors(e: ValidationError) -> str:
    # Plain words with the fix, as for policies (never pydantic's "Input should be…").
    from evidence_schema._plain_errors import plain_errors

    return "\n".join(f"  {where}: {msg}" for where, msg in plain_errors(e.errors()))


def parse_sweep(raw: Any, source: str = "<sweep>") -> SweepSpec:
    if not isinstance(raw, dict):
        raise SweepError(f"{source}: top level must be a mapping, got {type(raw).__name__}")
    try:
        return SweepSpec.model_validate(raw)
    except ValidationError as e:
        raise SweepError(f"{source}: invalid sweep file:\n{_errors(e)}") from e


def load_sweep(path: Path) -> tuple[SweepSpec, dict[str, Any]]:
    """Read a sweep YAML; return the spec and the resolved base config (a dict).

    Both files go through the project's one safe YAML reader with anchors and aliases refused
    (a 342-byte alias bomb would otherwise expand to billions of values) and duplicate keys
    refused; every problem is a SweepError ``path:line: message``.
    """
    from evidence_schema import YAMLLoadError, load_yaml_file

    path = Path(path)
    try:
        raw = load_yaml_file(path, aliases="refuse").data
    except YAMLLoadError as e:
        raise SweepError(str(e)) from None
    spec = parse_sweep(raw, str(path))
    base = dict(spec.base)
    if spec.base_config is not None:
        base_path = (path.parent / spec.base_config).resolve()
        try:
            loaded = load_yaml_file(base_path, aliases="refuse").data or {}
        except YAMLLoadError as e:
            raise SweepError(f"{path}: base_config {e}") from None
        if not isinstance(loaded, dict):
            raise SweepError(f"{path}: base_config {base_path} is not a mapping")
        base = loaded
    return spec, base

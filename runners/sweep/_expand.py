"""Grid → conditions. Each condition is one runner call; its directory is its config hash.

The hash is the same ``config_sha256({"runner": ..., **config})`` that the runners record as
provenance, so a condition directory names exactly the evidence inside it: a rerun of the sweep
finds finished conditions by name and never trains them again.
"""

from __future__ import annotations

import copy
import itertools
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from evidence_schema import config_sha256

from ..config import RunnerConfig
from ._spec import SPECIAL_AXES, AxisValue, SweepError, SweepSpec, config_path


class Condition(BaseModel):
    """One cell of the grid: the runner, its full config, and where its output goes."""

    model_config = ConfigDict(frozen=True)

    index: int
    axes: dict[str, AxisValue]
    runner: str
    config: dict[str, Any]  # RunnerConfig as JSON (picklable, hashable)
    config_sha256: str

    @property
    def id(self) -> str:
        return f"{self.runner}-{self.config_sha256[:12]}"

    def out_dir(self, root: Path) -> Path:
        return Path(root) / "conditions" / self.id

    def label(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.axes.items())


def _set(tree: dict[str, Any], dotted: str, value: Any) -> None:
    node = tree
    *parents, leaf = dotted.split(".")
    for p in parents:
        child = node.setdefault(p, {})
        if not isinstance(child, dict):
            raise SweepError(f"axis path {dotted!r}: {p!r} is not a section of the config")
        node = child
    node[leaf] = value


def expand(spec: SweepSpec, base: dict[str, Any], source: str = "<sweep>") -> list[Condition]:
    """Every combination of the grid's values, in file order, validated as a RunnerConfig."""
    axes = spec.axes
    out: list[Condition] = []
    seen: dict[str, dict[str, AxisValue]] = {}
    for i, combo in enumerate(itertools.product(*(spec.grid[a] for a in axes))):
        values = dict(zip(axes, combo, strict=True))
        tree = copy.deepcopy(base)
        if spec.seeds is not None:
            _set(tree, "sae.seeds", list(spec.seeds))
        for axis, value in values.items():
            if axis == "runner":
                continue
            if axis == "layer":
                _set(tree, "sae.hook_point", spec.hook_template.format(layer=value))
            else:
                _set(tree, config_path(axis), value)
        try:
            cfg = RunnerConfig.model_validate(tree)
        except ValidationError as e:
            where = ", ".join(f"{a}={v}" for a, v in values.items())
            msgs = "; ".join(
                f"{'.'.join(str(p) for p in err['loc'])}: "
                f"{err['msg'].removeprefix('Value error, ')}"
                for err in e.errors()
            )
            raise SweepError(f"{source}: condition ({where}) is not a valid runner config: "
                             f"{msgs}") from e
        runner = str(values.get("runner", spec.runner))
        as_dict = cfg.as_dict()
        digest = config_sha256({"runner": runner, **as_dict})
        if digest in seen:
            # Two grid cells that produce the same config (e.g. k on an architecture that
            # ignores it is still a distinct config; an axis set twice is not) would share a
            # directory and a row key: refuse rather than count one run twice.
            raise SweepError(f"{source}: conditions {seen[digest]} and {values} are the same "
                             "runner config")
        seen[digest] = values
        out.append(Condition(index=i, axes=values, runner=runner, config=as_dict,
                             config_sha256=digest))
    return out


def special_axes() -> tuple[str, ...]:
    return SPECIAL_AXES

"""Load a policy (or waiver) YAML into models; every problem is one PolicyError with a line."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ._errors import PolicyError
from ._models import Policy, Waiver, WaiverFile
from ._yaml import load_yaml

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class LoadedPolicy:
    policy: Policy
    path: str
    sha256: str


def _line_for(loc: tuple[Any, ...], lines: dict[str, int]) -> int | None:
    parts = [str(p) for p in loc if not (isinstance(p, str) and p in ("leaf", "group"))]
    while True:
        ptr = "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)
        if ptr in lines:
            return lines[ptr]
        if not parts:
            return None
        parts.pop()


def _validate(model: type[M], data: Any, lines: dict[str, int], path: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as e:
        first = e.errors(include_url=False)[0]
        loc = tuple(first["loc"])
        where = ".".join(str(p) for p in loc if p not in ("leaf", "group")) or "(top level)"
        msg = first["msg"].removeprefix("Value error, ")
        more = f" (and {e.error_count() - 1} more problem(s))" if e.error_count() > 1 else ""
        raise PolicyError(f"{where}: {msg}{more}", path=path, line=_line_for(loc, lines)) from None


def load_policy(path: str | os.PathLike[str]) -> LoadedPolicy:
    spath = str(path)
    data, lines, raw = load_yaml(spath)
    if not isinstance(data, dict):
        raise PolicyError("a policy must be a YAML mapping", path=spath, line=1)
    policy = _validate(Policy, data, lines, spath)
    check_waiver_gates(policy.waivers, {g.name for g in policy.gates}, lines, spath)
    return LoadedPolicy(policy=policy, path=spath, sha256=hashlib.sha256(raw).hexdigest())


def check_waiver_gates(
    waivers: list[Waiver], gate_names: set[str], lines: dict[str, int], path: str
) -> None:
    for i, w in enumerate(waivers):
        if w.gate not in gate_names:
            raise PolicyError(
                f"waivers.{i}.gate: waiver names unknown gate {w.gate!r}; "
                f"gates: {', '.join(sorted(gate_names))}",
                path=path, line=_line_for(("waivers", i, "gate"), lines),
            )


def load_waivers(
    path: str | os.PathLike[str], gate_names: set[str] | None = None
) -> list[Waiver]:
    spath = str(path)
    data, lines, _ = load_yaml(spath)
    if not isinstance(data, dict):
        raise PolicyError("a waiver file must be a mapping with a `waivers:` list",
                          path=spath, line=1)
    waivers = list(_validate(WaiverFile, data, lines, spath).waivers)
    if gate_names is not None:
        check_waiver_gates(waivers, gate_names, lines, spath)
    return waivers


DEFAULT_POLICY = Path(__file__).parent / "husai-release" / "v1.yaml"

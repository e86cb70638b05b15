"""Load a policy (or waiver) YAML into models; every problem found, each with its line.

Three passes, all reported together in one PolicyError (one line per problem, in file order):
the YAML itself (``_yaml.py``: syntax, unsafe tags and anchors stop the load; duplicate keys
are collected and the first value is checked on), the structure
(pydantic: unknown or missing fields, wrong types, with "did you mean" and the YAML 1.1
surprises explained) and what the structure cannot know (``_policy_checks.py``: evidence kinds,
metric and selector pointers that the kind's JSON Schema cannot hold, waivers naming no gate).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from evidence_schema import YAMLDocument

from ._errors import PolicyError, PolicyProblem
from ._model_errors import problems_from_validation
from ._models import Policy, Waiver, WaiverFile
from ._policy_checks import raw_waiver_gate_problems, semantic_problems
from ._shipped import impersonation
from ._yaml import load_yaml

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class LoadedPolicy:
    policy: Policy
    path: str
    sha256: str


def _raise(problems: list[PolicyProblem]) -> None:
    if problems:
        unique = list(dict.fromkeys(problems))  # the same finding from two passes, once
        ordered = sorted(unique, key=lambda p: (p.line is None, p.line or 0))
        raise PolicyError(problems=ordered)


def _validate(model: type[M], doc: YAMLDocument, path: str) -> tuple[M | None, list[PolicyProblem]]:
    """The model, or None; and every problem: duplicate keys first, then pydantic's."""
    problems = [PolicyProblem(message, path, line) for line, message in doc.problems]
    try:
        return model.model_validate(doc.data), problems
    except ValidationError as e:
        return None, problems + problems_from_validation(model, e, doc, path)


def load_policy(path: str | os.PathLike[str]) -> LoadedPolicy:
    """Load and check a policy file.

    Raises PolicyError listing every problem (``problems``), each ``path:line: message``.
    """
    spath = str(path)
    doc = load_yaml(spath)
    if not isinstance(doc.data, dict):
        raise PolicyError("a policy must be a YAML mapping", path=spath, line=1)
    policy, problems = _validate(Policy, doc, spath)
    problems += semantic_problems(doc, spath, problems)
    problems += raw_waiver_gate_problems(doc, spath)
    _raise(problems)
    assert policy is not None
    sha = hashlib.sha256(doc.raw).hexdigest()
    posing = impersonation(policy.name, policy.version, sha)
    if posing is not None:  # a lenient copy must not pass for the shipped policy
        raise PolicyError(posing, path=spath, line=doc.lines.get("/version"))
    return LoadedPolicy(policy=policy, path=spath, sha256=sha)


def load_waivers(
    path: str | os.PathLike[str], gate_names: set[str] | None = None
) -> list[Waiver]:
    spath = str(path)
    doc = load_yaml(spath)
    if not isinstance(doc.data, dict):
        raise PolicyError("a waiver file must be a mapping with a `waivers:` list",
                          path=spath, line=1)
    parsed, problems = _validate(WaiverFile, doc, spath)
    if gate_names is not None:  # listed with the file's other problems, not after them
        problems += raw_waiver_gate_problems(doc, spath, gate_names)
    _raise(problems)
    assert parsed is not None
    return list(parsed.waivers)


DEFAULT_POLICY = Path(__file__).parent / "husai-release" / "v1.yaml"

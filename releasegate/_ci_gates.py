"""The gate part of ``releasegate ci``'s annotations: where each gate that did not pass points
(its evidence file at the workspace path, the line of its metric) and at what level."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ._ci_annotations import Annotation


def gate_annotations(doc: dict[str, Any], policy: Path | None,
                     decision: Path) -> list[Annotation]:
    """One annotation per leaf gate that did not pass, on its metric's line in its evidence:
    ``error`` for a required gate, ``warning`` for an advisory or waived one (and for every
    sub-gate of a waived group), whose message starts "waived, not passing"."""
    out: list[Annotation] = []
    lines_of = _metric_lines(doc, policy, decision)

    def walk(g: dict[str, Any], prefix: str, waived_by: str | None) -> None:
        name = prefix + g["name"]
        # A sub-gate of a waived group keeps its own status (fail), but the verdict does
        # not count it: a warning that says waived, never an error, never a pass.
        waived_by = name if g["status"] == "waived" and waived_by is None else waived_by
        if g["status"] != "pass" and not g["children"]:
            waived = waived_by is not None
            level = "error" if g["required"] and not waived else "warning"
            note = "" if not waived or waived_by == name else f" (under waived {waived_by})"
            message = (f"waived, not passing{note}: {g['status']}: {g['reason']}" if waived
                       else f"{g['status']}: {g['reason']}")
            file = _workspace_path(doc, g["evidence"][0], decision) if g["evidence"] else None
            out.append(Annotation(
                level, message, file=file, line=lines_of.get(name),
                title=f"releasegate gate {name}" + (" (waived)" if waived else "")))
        for c in g["children"]:
            walk(c, name + ".", waived_by)

    for g in doc["gates"]:
        walk(g, "", None)
    return out


def _workspace_path(doc: dict[str, Any], recorded: str, decision: Path) -> str:
    """A path the decision records, relative to the working directory (the checkout in
    Actions), which is where GitHub attaches annotations. The decision records paths relative
    to its own directory when ``check`` wrote it with ``--out`` (``paths_relative_to``)."""
    path = Path(recorded)
    if doc.get("paths_relative_to", "working_directory") == "decision" and not path.is_absolute():
        path = decision.resolve().parent / path
    try:
        return Path(os.path.relpath(path.resolve(), Path.cwd())).as_posix()
    except ValueError:  # another drive (Windows): no relative path exists
        return path.resolve().as_posix()


def _metric_lines(doc: dict[str, Any], policy: Path | None, decision: Path) -> dict[str, int]:
    """Dotted gate name → line of the gate's metric in its evidence file, where findable.

    Best effort: an annotation on the exact line shows up in the pull request diff; without
    a line it still shows on the file.
    """
    from evidence_schema import pointer_lines
    from policy import DEFAULT_POLICY, load_policy

    try:
        loaded = load_policy(policy or DEFAULT_POLICY)
    except Exception:
        return {}
    metric = {name: g.metric for name, g in loaded.policy.leaves().items()}
    out: dict[str, int] = {}

    def find(g: dict[str, Any], prefix: str) -> None:
        name = prefix + g["name"]
        if name in metric and g["evidence"]:
            try:
                text = Path(_workspace_path(doc, g["evidence"][0], decision)).read_text(
                    encoding="utf-8")
                line = pointer_lines(text).get(metric[name])
            except OSError:
                line = None
            if line:
                out[name] = line
        for c in g["children"]:
            find(c, name + ".")

    for g in doc["gates"]:
        find(g, "")
    return out

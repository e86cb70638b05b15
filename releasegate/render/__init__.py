"""``releasegate render``: markdown reports from Jinja2 templates whose numbers cannot drift.

Every number and status a template prints comes from an evidence file or the gate decision, as
a markdown link bound to its JSON pointer (``[0.7451](evidence/x.json#/metrics/ev)``), so that
``releasegate audit`` checks it exactly. ``check_report`` re-renders and diffs against the
committed report (``render --check``). ``trust_decision`` re-evaluates the decision first (as
audit and report do): the CLI refuses a decision that does not reproduce. docs/render.md
documents the template functions.

Library use::

    from releasegate.render import render_template, write_report, check_report
    text = render_template(Path("examples/report.md.j2"), repo=Path("."), decision=None)
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from evidence_schema import write_atomic

from ._env import render_string
from ._format import format_number
from ._functions import Functions
from ._sources import RenderError, Sources
from ._trust import DecisionCheck, DecisionRefused, trust_decision

__all__ = ["CheckResult", "DecisionCheck", "DecisionRefused", "RenderError", "check_report",
           "find_decision", "format_number", "render_template", "trust_decision", "write_report"]

MAX_TEMPLATE_BYTES = 1024 * 1024


def find_decision(repo: Path) -> Path | None:
    """The decision audit would use (``audit.find_decision``: the same default paths), so
    ``render --check`` and ``audit`` never read different decisions."""
    from audit import find_decision as audit_find_decision

    return audit_find_decision(repo)


def _read_template(template: Path) -> str:
    try:
        size = os.stat(template).st_size
        if size > MAX_TEMPLATE_BYTES:
            raise RenderError(f"template is {size:,} bytes, over {MAX_TEMPLATE_BYTES:,}")
        return template.read_bytes().decode("utf-8")
    except OSError as e:
        raise RenderError(f"cannot read template: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise RenderError(f"template is not UTF-8 (byte {e.start}): {e.reason}") from e


def render_template(template: Path, repo: Path, decision: Path | None = None,
                    out: Path | None = None) -> str:
    """Render ``template`` against the JSON files of ``repo`` and the decision.

    ``decision`` defaults to :func:`find_decision`; it must lie inside ``repo`` (the report cites
    it). ``out``, the report's path, makes link targets relative to its directory when it lies
    inside ``repo`` (else they are repository-relative). Raises RenderError (message and
    template line) for anything that cannot be rendered: undefined names, sandbox violations,
    missing files or pointers, invalid evidence.
    """
    source = _read_template(template)
    sources = Sources(repo)
    dpath = decision if decision is not None else find_decision(repo)
    drel = None
    if dpath is not None:
        if not dpath.is_file():
            raise RenderError(f"decision file {dpath} does not exist")
        drel = sources.rel(dpath)
    base = ""
    if out is not None:
        try:
            base = sources.rel(out.parent if out.parent != Path("") else Path("."))
        except RenderError:
            base = ""  # a report outside the repository: repository-relative links
        base = "" if base == "." else base
    return render_string(source, Functions(sources, drel, base).globals())


def write_report(template: Path, out: Path, repo: Path, decision: Path | None = None) -> str:
    """Render and write ``out`` atomically (the old report stays whole on any error); sha256."""
    text = render_template(template, repo, decision, out)
    return write_atomic(out, text.encode("utf-8"))


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    diff: str  # unified diff committed → fresh render; empty when ok
    message: str


def check_report(template: Path, report: Path, repo: Path,
                 decision: Path | None = None) -> CheckResult:
    """Re-render ``template`` and compare with the committed ``report`` byte for byte."""
    fresh = render_template(template, repo, decision, report)
    try:
        committed = report.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return CheckResult(False, "", f"{report} does not exist: render it with "
                           f"`releasegate render {template} --out {report}`")
    except (OSError, UnicodeDecodeError) as e:
        raise RenderError(f"cannot read {report}: {e}") from e
    if committed == fresh:
        return CheckResult(True, "", f"{report} is up to date with {template}")
    diff = "".join(difflib.unified_diff(
        committed.splitlines(keepends=True), fresh.splitlines(keepends=True),
        fromfile=f"{report} (committed)", tofile=f"{report} (rendered from {template})",
    ))
    return CheckResult(False, diff, f"{report} differs from a fresh render of {template}: "
                       f"re-render with `releasegate render {template} --out {report}`")

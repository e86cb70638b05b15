"""GitHub workflow-command annotations for ``releasegate ci``: built, parsed, ordered, capped.

GitHub shows at most 10 error and 10 warning annotations (and 10 notices) of a step on the
pull request and drops the rest without a word ("Workflow commands for GitHub Actions",
docs.github.com, limits of annotations). So: errors first, then warnings, then notices; at
most ``PER_LEVEL`` of each are printed, the last printed one says how many more there are, and
every annotation left out is listed in the job summary instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PER_LEVEL = 10
LEVELS = ("error", "warning", "notice")


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping: a raw newline would end the annotation.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _unescape(text: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


@dataclass(frozen=True)
class Annotation:
    """One ``::error``/``::warning``/``::notice``: level, message and where it points."""

    level: str
    message: str
    file: str | None = None
    line: int | None = None
    col: int | None = None
    title: str | None = None

    def command(self) -> str:
        props = []
        if self.file:
            props.append(f"file={_escape_prop(self.file)}")
        if self.line:
            props.append(f"line={self.line}")
        if self.col:
            props.append(f"col={self.col}")
        if self.title:
            props.append(f"title={_escape_prop(self.title)}")
        head = f"::{self.level}" + (" " + ",".join(props) if props else "")
        return f"{head}::{_escape_data(self.message)}"

    def where(self) -> str:
        if not self.file:
            return ""
        return self.file + (f":{self.line}" if self.line else "")


_COMMAND = re.compile(r"^::(?P<level>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<msg>.*)$")


def parse(line: str) -> Annotation | None:
    """The annotation a workflow-command line carries (``audit --format github``), or None."""
    m = _COMMAND.match(line)
    if m is None:
        return None
    props: dict[str, str] = {}
    for part in (m["props"] or "").split(","):
        key, sep, value = part.partition("=")
        if sep:
            props[key.strip()] = _unescape(value)
    line_no = props.get("line", "")
    col = props.get("col", "")
    return Annotation(level=m["level"], message=_unescape(m["msg"]), file=props.get("file"),
                      line=int(line_no) if line_no.isdigit() else None,
                      col=int(col) if col.isdigit() else None, title=props.get("title"))


# "path:line: message" (a policy or evidence problem as the CLI prints it; editors jump to it).
_PROBLEM = re.compile(r"^(?P<file>[^:\s][^:]*):(?P<line>\d+): (?P<msg>.+)$")


def problem_annotations(lines: list[str], title: str) -> list[Annotation]:
    """One error annotation per ``path:line: message`` line of a step's output, on that file
    and line (the step's other lines are in the job summary)."""
    out = []
    for ln in lines:
        m = _PROBLEM.match(ln.strip())
        if m is not None:
            out.append(Annotation("error", m["msg"], file=m["file"], line=int(m["line"]),
                                  title=title))
    return out


def cap(annotations: list[Annotation], per_level: int = PER_LEVEL
        ) -> tuple[list[Annotation], list[Annotation]]:
    """(shown, left out): errors first, at most ``per_level`` of each level shown.

    The last shown annotation of a level that overflows says how many more there are and
    that the job summary lists them.
    """
    shown: list[Annotation] = []
    left: list[Annotation] = []
    for level in LEVELS:
        group = [a for a in annotations if a.level == level]
        keep, rest = group[:per_level], group[per_level:]
        if rest:
            last = keep[-1]
            noun = {"error": "error", "warning": "warning", "notice": "notice"}[level]
            more = f"{len(rest)} more {noun}{'s' if len(rest) > 1 else ''} in the job summary"
            keep[-1] = Annotation(last.level, f"{last.message} ({more})", last.file,
                                  last.line, last.col, last.title)
        shown += keep
        left += rest
    shown += [a for a in annotations if a.level not in LEVELS]  # never dropped unseen
    return shown, left

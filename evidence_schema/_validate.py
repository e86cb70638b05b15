"""Validate evidence files: load (strict JSON) → check (schema, then model rules) → result.

A failure in one file is recorded as data in its result, never raised, so one bad file never
stops the others from being checked (like check-jsonschema's instance loader).

Folders the project writes hold other JSON next to the evidence (sae-lens ``cfg.json``, cached
evaluations, a sweep's ``condition.json``). When scanning (``skip_non_evidence``), a JSON
document is evidence when its top-level object declares the evidence schema
(:func:`declares_evidence`); other JSON is *skipped*, counted, never an error. A file that
declares itself evidence must validate strictly, and a file that does not parse at all is a
problem: both fail closed.
"""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ._atomic import sha256_bytes
from ._derived import DerivedMismatch
from ._errors import EvidenceError
from ._export import committed_schema
from ._registry import KINDS, model_for
from ._strict_json import MAX_BYTES, escape_pointer_token, load_strict_bytes, pointer_lines


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    pointer: str
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.pointer or '/'}: {self.message}"


@dataclass
class FileResult:
    path: str
    problems: list[Problem] = field(default_factory=list)
    kind: str | None = None
    sha256: str | None = None
    model: BaseModel | None = None
    data: Any = None
    # JSON that does not declare itself evidence (only when scanning with skip_non_evidence);
    # never ``ok``: a caller that does not look at ``skipped`` treats it as unusable.
    skipped: bool = False
    # the kind's model validated the document (set only where ``model`` is; a parallel
    # ``validate_paths(keep_documents=False)`` drops model and data, not this)
    valid: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and self.valid


@dataclass
class ValidationReport:
    results: list[FileResult] = field(default_factory=list)

    @property
    def evidence(self) -> list[FileResult]:
        """Results of the files that are (or claim to be, or may be) evidence."""
        return [r for r in self.results if not r.skipped]

    @property
    def skipped(self) -> list[FileResult]:
        """Results of JSON files that do not declare the evidence schema (not checked)."""
        return [r for r in self.results if r.skipped]

    @property
    def success(self) -> bool:
        """Something was read, and every evidence file is valid (skipped files do not count)."""
        return bool(self.results) and all(r.ok for r in self.evidence)

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.results for p in r.problems]


def iter_json_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Files named, and ``*.json`` under directories named (hidden directories skipped)."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.endswith(".json") and not name.startswith("."):
                        yield Path(root) / name
        else:
            yield p


@cache
def _validator(kind: str) -> Any:
    # jsonschema is imported here, not at module import: `import evidence_schema` stays cheap.
    from jsonschema import Draft202012Validator

    schema = committed_schema(kind)
    return Draft202012Validator(schema)


@cache
def _fast_validator(kind: str) -> Any:
    # jsonschema-rs: the same committed schema, compiled (Rust). Formats are not asserted, as
    # in the jsonschema pass (draft 2020-12 makes "format" an annotation).
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(committed_schema(kind), validate_formats=False)


def _schema_valid_fast(kind: str, doc: Any) -> bool:
    """True only when the compiled validator accepts ``doc``: then the jsonschema pass would find
    nothing either (tests/evidence/test_fast_path.py checks the two agree). Anything else
    (invalid, or a value it cannot take, such as an integer over 64 bits) goes to the jsonschema
    pass, which decides and words the errors, so messages are the same on both paths."""
    try:
        return bool(_fast_validator(kind).is_valid(doc))
    except Exception:  # any doubt (a value it cannot take): the slow path decides
        return False


def _pointer(parts: Iterable[Any]) -> str:
    return "".join("/" + escape_pointer_token(str(p)) for p in parts)


def declares_evidence(doc: Any) -> bool:
    """Does this JSON document claim to be releasegate evidence?

    Yes when its top-level object has both ``schema_version`` and ``kind``, or a ``kind`` that
    names an evidence kind (so evidence that lost its ``schema_version`` is still checked, and
    fails). Other JSON (configs, evaluation dumps, lists) is not evidence.
    """
    if not isinstance(doc, dict):
        return False
    kind = doc.get("kind")
    return ("schema_version" in doc and "kind" in doc) or (isinstance(kind, str) and kind in KINDS)


def _parses_as_other_json(data: bytes) -> bool:
    """Plain JSON (NaN and duplicate keys allowed, as other tools write them) not claiming to be
    evidence. False when it does not parse at all: that file fails closed."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return False
    return not declares_evidence(doc)


def validate_bytes(data: bytes, path: str, *, skip_non_evidence: bool = False) -> FileResult:
    """Validate one file's bytes. ``skip_non_evidence``: JSON that does not declare the evidence
    schema is returned with ``skipped=True`` and no problems instead of failing."""
    result = FileResult(path=path, sha256=sha256_bytes(data))
    try:
        doc = load_strict_bytes(data, path)
    except EvidenceError as e:
        if skip_non_evidence and _parses_as_other_json(data):
            result.skipped = True
            return result
        result.problems.append(Problem(path, e.line, e.pointer, e.message))
        return result
    if skip_non_evidence and not declares_evidence(doc):
        result.skipped = True
        result.data = doc
        return result
    return validate_document(doc, path, result, text_bytes=data)


def validate_document(
    doc: Any, path: str, result: FileResult | None = None, text_bytes: bytes | None = None
) -> FileResult:
    result = result or FileResult(path=path)
    result.data = doc
    lines_cache: dict[str, int] | None = None

    def line_of(ptr: str) -> int | None:
        nonlocal lines_cache
        if text_bytes is None:
            return None
        if lines_cache is None:
            lines_cache = pointer_lines(text_bytes.decode("utf-8-sig", errors="replace"))
        # The value itself, else the nearest enclosing value the scanner saw.
        while True:
            if ptr in lines_cache:
                return lines_cache[ptr]
            if not ptr:
                return None
            ptr = ptr.rsplit("/", 1)[0]

    def add(ptr: str, message: str) -> None:
        result.problems.append(Problem(path, line_of(ptr), ptr, message))

    if not isinstance(doc, dict):
        add("", f"evidence must be a JSON object, not {type(doc).__name__}")
        return result
    kind = doc.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        add("/kind", f"missing or unknown kind {kind!r}; known kinds: {', '.join(sorted(KINDS))}")
        return result
    result.kind = kind
    # Happy path: the compiled validator says the schema holds; the pure-Python pass (≈10 ms per
    # file) then runs only to explain a failure.
    errors: list[Any] = []
    if not _schema_valid_fast(kind, doc):
        try:
            errors = sorted(_validator(kind).iter_errors(doc),
                            key=lambda e: list(e.absolute_path))
        except RecursionError:
            add("", "document nested too deeply to validate")
            return result
    for err in errors:
        for leaf in _most_specific(err):
            add(_pointer(leaf.absolute_path), _short(leaf.message))
    if errors:
        return result
    try:
        result.model = model_for(kind).model_validate(doc)
        result.valid = True
    except ValidationError as e:
        for err in e.errors(include_url=False):
            loc = [p for p in err["loc"] if not str(p).startswith("function-")]
            # A recomputed derived value names the exact stored field it disagrees with.
            cause = (err.get("ctx") or {}).get("error")
            if isinstance(cause, DerivedMismatch):
                loc += list(cause.where)
            add(_pointer(loc), err["msg"].removeprefix("Value error, "))
    return result


def _most_specific(err: Any) -> list[Any]:
    """For anyOf/oneOf failures, the sub-errors that got deepest into the document.

    "X is not valid under any of the given schemas" names no field; the branch that matched
    furthest (e.g. the list branch of ``list | null``) says what is actually wrong.
    """
    if not err.context:
        return [err]
    leaves: list[Any] = []
    stack = list(err.context)
    while stack:
        e = stack.pop()
        if e.context:
            stack.extend(e.context)
        else:
            leaves.append(e)
    depth = max(len(e.absolute_path) for e in leaves)
    if depth <= len(err.absolute_path):
        return [err]
    seen: set[tuple[str, str]] = set()
    out = []
    for e in sorted(leaves, key=lambda e: [str(p) for p in e.absolute_path]):
        key = (_pointer(e.absolute_path), e.message)
        if len(e.absolute_path) == depth and key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _short(message: str, limit: int = 300) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"


def validate_file(path: str | os.PathLike[str], *, skip_non_evidence: bool = False) -> FileResult:
    """Validate one file (see :func:`validate_bytes`); unreadable or too large: a problem."""
    spath = str(path)
    try:
        size = os.stat(spath).st_size
        if size > MAX_BYTES:
            return FileResult(
                spath,
                [Problem(spath, None, "", f"file is {size:,} bytes, over the {MAX_BYTES:,} limit")],
            )
        with open(spath, "rb") as fh:
            data = fh.read()
    except OSError as e:
        return FileResult(spath, [Problem(spath, None, "", f"cannot read: {e.strerror or e}")])
    return validate_bytes(data, spath, skip_non_evidence=skip_non_evidence)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many files are validated and their results kept.

    Each file leaves a few hundred live objects (document, model); the collector, triggered
    every 700 allocations, scans them again and again: a third of ``validate`` with 1,000 files
    (issue 13). Validation makes little cyclic garbage (reference counting frees the rest), and
    the collector runs as usual afterwards. Restores the previous state (nesting is fine).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def validate_paths(
    paths: Iterable[str | os.PathLike[str]], *, skip_non_evidence: bool = True, jobs: int = 1,
    keep_documents: bool = True,
) -> ValidationReport:
    """Validate every file named and every ``*.json`` under the directories named.

    JSON that does not declare the evidence schema is skipped (``report.skipped``) unless
    ``skip_non_evidence`` is False. ``jobs`` > 1 validates large sets (``MIN_PARALLEL_FILES``
    or more) in that many processes, results in the same order; ``keep_documents=False`` lets
    them drop each file's parsed document and model (``data``, ``model``) rather than send
    them back, for callers that need only the verdicts (``ok`` and ``problems`` are kept).
    """
    from ._parallel import map_chunks, split

    files = list(iter_json_files(paths))

    def chunk(part: list[Path]) -> list[FileResult]:
        with gc_paused():
            out = [validate_file(p, skip_non_evidence=skip_non_evidence) for p in part]
        if not keep_documents:
            for r in out:
                r.model, r.data = None, None
        return out

    if jobs <= 1 or len(files) < MIN_PARALLEL_FILES:
        return ValidationReport(chunk(files))
    parts = map_chunks(chunk, split(files, [1.0] * len(files), jobs), jobs)
    return ValidationReport([r for part in parts for r in part])


# Below this many files a second process costs more (fork, results back) than it saves.
MIN_PARALLEL_FILES = 200


"""Artifact index: each cited file is read, hashed and flattened to numeric leaves once per run.

Artifacts need not be releasegate evidence: any JSON from any script is indexed generically
(every numeric leaf with its JSON pointer). NaN/Infinity in such files are recorded, not fatal.
Numbers in .md/.txt and .csv/.tsv artifacts are indexed too (pointer ``#L<line>`` /
``/<row>/<column>``) because reports often cite extracted tables, but only where a value can
be (``_textleaves``: table cells and ``key: value`` lines, never code, comments or digits
inside words, dates and versions); lock and requirements files back no number.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from evidence_schema import POINTER_MISSING
from evidence_schema import resolve_pointer as resolve_pointer  # re-exported for audit

from ._numbers import parse_number
from ._paths import Resolution
from ._textleaves import TextValue, csv_values, is_lock_file, markdown_values

MAX_ARTIFACT_BYTES = 64 * 1024 * 1024
# (pointer, value, printed exponent): the exponent of the last printed digit for values read
# from text (rounded tables), None for data values (JSON, YAML), which are exact.
Leaf = tuple[str, float | int, int | None]


@dataclass
class Artifact:
    rel: str
    path: Path
    is_dir: bool = False
    sha256: str | None = None
    error: str | None = None  # set when the file exists but cannot be used
    data: Any = None
    parsed: bool = False  # structured data (JSON/YAML/CSV) available for pointers
    leaves: list[Leaf] = field(default_factory=list)
    nan_pointers: list[str] = field(default_factory=list)
    evidence_kind: str | None = None
    evidence_problems: list[str] = field(default_factory=list)
    # text and CSV artifacts: each value with the labels it sits under (key-aware binding)
    text_values: list[TextValue] | None = None
    note: str | None = None  # why the content backs no number (a lock file)
    keyed: Any = None  # built on demand by _binding (per-artifact key map)
    value_index: Any = None  # built on demand by _leafindex (leaves sorted by value)


def escape_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def numeric_leaves(doc: Any) -> tuple[list[Leaf], list[str]]:
    """Every int/float leaf (booleans are not numbers) and the pointers of non-finite ones.

    Iterative: artifacts nested 10,000 deep must not overflow the stack.
    """
    leaves: list[Leaf] = []
    nans: list[str] = []
    stack: list[tuple[str, Any]] = [("", doc)]
    while stack:
        ptr, node = stack.pop()
        if isinstance(node, dict):
            for k in node:
                # numeric keys ({"10000": {...}}) label conditions that reports print too
                if isinstance(k, str) and k[:1].isdigit() and len(k) <= 40:
                    kp = parse_number(k)
                    if kp is not None and not kp.percent:
                        leaves.append((f"{ptr}/{escape_token(k)}", _num(kp.value), None))
            for k in reversed(list(node)):
                stack.append((f"{ptr}/{escape_token(str(k))}", node[k]))
        elif isinstance(node, list):
            for i in range(len(node) - 1, -1, -1):
                stack.append((f"{ptr}/{i}", node[i]))
        elif isinstance(node, bool):
            continue
        elif isinstance(node, int):
            leaves.append((ptr, node, None))
        elif isinstance(node, float):
            if math.isfinite(node):
                leaves.append((ptr, node, None))
            else:
                nans.append(ptr or "/")
    return leaves, nans


def _num(d: Decimal) -> float | int:
    return int(d) if d == d.to_integral_value() and abs(d) < 2**63 else float(d)


# One RFC 6901 implementation for every stage (evidence_schema._pointer).
MISSING = POINTER_MISSING


def _from_text(values: list[TextValue]) -> list[Leaf]:
    return [(v.pointer, v.value, v.exp) for v in values]


class ArtifactIndex:
    """Cache of loaded artifacts keyed by resolved real path."""

    def __init__(self) -> None:
        self._cache: dict[Path, Artifact] = {}
        self.loads = 0  # how many files were actually read (the bench checks it)
        # glob citations expanded once per run (audit/_paths.py, resolve)
        self.globs: dict[tuple[str, ...], Resolution] = {}  # every resolve() answer of the run

    def get(self, path: Path, rel: str) -> Artifact:
        art = self._cache.get(path)
        if art is None:
            art = self._load(path, rel)
            self._cache[path] = art
        return art

    def __len__(self) -> int:
        return len(self._cache)

    def _load(self, path: Path, rel: str) -> Artifact:
        self.loads += 1
        art = Artifact(rel=rel, path=path)
        if path.is_dir():
            art.is_dir = True
            return art
        try:
            size = os.stat(path).st_size
            if size > MAX_ARTIFACT_BYTES:
                art.error = f"file is {size:,} bytes, over the {MAX_ARTIFACT_BYTES:,}-byte limit"
                return art
            data = path.read_bytes()
        except OSError as e:
            art.error = f"cannot read: {e.strerror or e}"
            return art
        art.sha256 = hashlib.sha256(data).hexdigest()
        suffix = path.suffix.lower()
        if is_lock_file(path.name):
            art.note = "a lock or requirements file: its numbers are version pins, not values"
            return art
        if suffix not in (".json", ".md", ".txt", ".csv", ".tsv", ".yaml", ".yml"):
            return art  # exists and is hashed; its content is not indexed
        if b"\x00" in data[:65536]:
            art.error = "binary file (contains NUL bytes)"
            return art
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            art.error = f"invalid UTF-8 at byte {e.start}"
            return art
        if suffix == ".json":
            self._load_json(art, text, data)
        elif suffix in (".yaml", ".yml"):
            self._load_yaml(art, text)
        elif suffix in (".csv", ".tsv"):
            try:
                art.data, art.text_values = csv_values(text, "\t" if suffix == ".tsv" else ",")
            except csv.Error as e:
                art.error = f"invalid CSV: {e}"
                return art
            art.parsed = True
            art.leaves = _from_text(art.text_values)
        else:
            art.text_values = markdown_values(
                text, comments=("#", "//") if suffix == ".txt" else ())
            art.leaves = _from_text(art.text_values)
        return art

    def _load_json(self, art: Artifact, text: str, data: bytes) -> None:
        try:
            # Lenient on purpose: plain JSON from other tools may hold NaN; it is reported.
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            art.error = f"invalid JSON at line {e.lineno} column {e.colno}: {e.msg}"
            return
        except RecursionError:
            art.error = "JSON nested too deeply to index"
            return
        except ValueError as e:  # an integer of over 4,300 digits (Python's int/str limit)
            art.error = f"invalid JSON: {str(e).split(';')[0]}"
            return
        art.data = doc
        art.parsed = True
        art.leaves, art.nan_pointers = numeric_leaves(doc)
        if isinstance(doc, dict) and "schema_version" in doc and isinstance(doc.get("kind"), str):
            # Looks like releasegate evidence: then it must validate (strictly).
            from evidence_schema import KINDS, validate_bytes

            if doc["kind"] in KINDS:
                res = validate_bytes(data, art.rel)
                art.evidence_kind = doc["kind"]
                art.evidence_problems = [str(p) for p in res.problems]

    def _load_yaml(self, art: Artifact, text: str) -> None:
        # The project's one safe YAML reader: aliases are allowed in artifacts other tools
        # wrote, but their expansion is bounded, so an alias bomb is refused in milliseconds
        # instead of walking billions of values (``art.error`` is ``rel:line: message``).
        from evidence_schema import YAMLLoadError, load_yaml_bytes

        try:
            doc = load_yaml_bytes(text.encode("utf-8"), art.rel, aliases="bounded",
                                  unique_keys=False).data
        except YAMLLoadError as e:
            art.error = str(e)
            return
        art.data = doc
        art.parsed = True
        art.leaves, art.nan_pointers = numeric_leaves(doc)

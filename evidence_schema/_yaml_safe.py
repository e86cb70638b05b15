"""The project's one YAML reader: safe tags only, bounded expansion, positions for every value.

Every YAML the project reads goes through :func:`load_yaml_bytes` / :func:`load_yaml_file`:
policies and waivers (``policy``), sweep files and runner configs (``runners``), YAML artifacts
that ``audit`` indexes. Three things PyYAML's ``safe_load`` does not do:

* **Aliases.** PyYAML composes ``*alias`` as a shared node, so loading a "billion laughs" file
  (nine levels, each a list of nine references to the level above: 342 bytes) is instant, but
  anything that walks the result (validation, indexing, pointer maps) visits 9^9 nodes and runs
  out of memory. Files people write by hand (``aliases="refuse"``) may hold no anchor or alias
  at all; elsewhere (``aliases="bounded"``) the *expanded* node count is computed on the
  composed graph (memoised, so in time linear in the file) and refused above ``max_nodes``
  before anything is constructed. Recursive aliases are refused in both modes.
* **Duplicate keys** are refused (YAML loaders silently keep the last one) unless the caller
  opts out; ``unique_keys="collect"`` records each in ``problems`` instead and keeps the first
  value, so that a loader can report them together with everything else it finds.
* **Positions.** ``lines`` maps the JSON pointer of every value to its 1-based line (the line of
  the *key* for mapping members, which is where a reader looks), and ``plain`` keeps the source
  text of unquoted scalars, so that callers can explain YAML 1.1 surprises (:func:`yaml11_note`).

Errors are :class:`YAMLLoadError` with ``path``, ``line`` and ``message``; ``str()`` gives
``path:line: message``. PyYAML's own wording is translated into plain words with the fix
(``_yaml_explain``): ``op: >=`` is "`>` starts a YAML folded block …; quote the operator:
op: \">=\"", at the line of the key.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from ._yaml_explain import explain_marked_error

MAX_BYTES = 4 * 1024 * 1024
# Expanded nodes allowed when aliases are permitted. A YAML artifact with a million values is
# already far larger than any results file the audit reads; the 342-byte bomb expands to ~4e8.
MAX_NODES = 1_000_000

_STR = "tag:yaml.org,2002:str"
_FLOAT = "tag:yaml.org,2002:float"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# What YAML 1.2 / JSON would call a number (PyYAML's 1.1 resolver wants a dot and a signed
# exponent in floats, so `1e-1` and `1.0e5` stay text).
_NUMBER_RE = re.compile(r"^[-+]?(\d[\d_]*\.?\d*|\.\d+)([eE][-+]?\d+)?$")


class YAMLLoadError(Exception):
    """A YAML file cannot be read safely; ``str()`` is ``path:line: message``."""

    def __init__(self, message: str, *, path: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class YAMLDocument:
    """A loaded YAML document.

    ``data``: the constructed value (dicts, lists, str, int, float, bool, None, dates).
    ``lines``: JSON pointer → 1-based line (the key's line for mapping members; ``""`` is the
    document). ``plain``: JSON pointer → source text of each unquoted scalar that YAML 1.1
    resolves to something other than text, or to text that looks like a number.
    ``raw``: the bytes read. ``problems``: (line, message) of each duplicate key when loaded
    with ``unique_keys="collect"`` (the first value is kept), else empty.
    """

    data: Any
    lines: dict[str, int] = field(default_factory=dict)
    plain: dict[str, str] = field(default_factory=dict)
    raw: bytes = b""
    problems: list[tuple[int, str]] = field(default_factory=list)

    def source_line(self, line: int | None) -> str:
        """The text of 1-based ``line`` ("" when there is none)."""
        if line is None:
            return ""
        rows = self.raw.decode("utf-8-sig", errors="replace").splitlines()
        return rows[line - 1] if 0 < line <= len(rows) else ""


class _Refused(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.line = mark.line + 1 if mark is not None else None


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases while composing, before any expansion."""

    refuse_anchors = False

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.refuse_anchors:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            if isinstance(event, yaml.AliasEvent):
                raise _Refused(f"YAML aliases (*{event.anchor}) are not allowed here: write the "
                               "value out (aliases can expand without bound)", event.start_mark)
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise _Refused(f"YAML anchors and aliases (&{anchor}) are not allowed here: "
                               "write the value out", event.start_mark)
        return super().compose_node(parent, index)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class _Walker:
    """One pass over the composed graph: lines, plain scalars, duplicate keys, expanded size."""

    def __init__(self, unique_keys: bool | Literal["collect"], max_nodes: int) -> None:
        self.unique_keys = unique_keys
        self.problems: list[tuple[int, str]] = []
        self.timestamps: list[tuple[yaml.ScalarNode, int]] = []  # (node, its key's line)
        self.max_nodes = max_nodes
        self.lines: dict[str, int] = {}
        self.plain: dict[str, str] = {}
        self.size: dict[int, int] = {}  # id(node) → expanded node count (memo: aliases shared)
        self.active: set[int] = set()

    def walk(self, node: yaml.Node, ptr: str, line: int) -> int:
        key = id(node)
        if key in self.size:  # an alias of a node already seen: count it, do not re-walk
            return self.size[key]
        if key in self.active:
            raise _Refused("recursive YAML alias (a value that contains itself)",
                           node.start_mark)
        self.lines.setdefault(ptr, line)
        self.active.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            kept = []
            for key_node, value_node in node.value:
                name = str(key_node.value)
                if self.unique_keys and name in seen:
                    message = f"duplicate key {name!r} (YAML would keep only the last one)"
                    if self.unique_keys != "collect":
                        raise _Refused(message, key_node.start_mark)
                    # Collected: reported with every other problem; the first value stays.
                    self.problems.append((key_node.start_mark.line + 1, message))
                    continue
                seen.add(name)
                kept.append((key_node, value_node))
                total += 1 + self.walk(value_node, f"{ptr}/{_escape(name)}",
                                       key_node.start_mark.line + 1)
                self._check(total, node)
            node.value[:] = kept
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                total += self.walk(item, f"{ptr}/{i}", item.start_mark.line + 1)
                self._check(total, node)
        elif isinstance(node, yaml.ScalarNode) and node.style is None:
            if node.tag == _TIMESTAMP:
                self.timestamps.append((node, line))
            text = str(node.value)
            if node.tag != _STR or _NUMBER_RE.match(text):
                self.plain.setdefault(ptr, text)
        self.active.discard(key)
        self.size[key] = total
        return total

    def _check(self, total: int, node: yaml.Node) -> None:
        if total > self.max_nodes:
            raise _Refused(f"YAML expands to more than {self.max_nodes:,} values through "
                           "aliases (an alias bomb?): refused", node.start_mark)


def load_yaml_bytes(
    raw: bytes,
    path: str,
    *,
    aliases: Literal["refuse", "bounded"] = "refuse",
    unique_keys: bool | Literal["collect"] = True,
    max_nodes: int = MAX_NODES,
) -> YAMLDocument:
    """Parse one YAML document from ``raw`` safely (see the module docstring).

    ``aliases="refuse"``: any anchor or alias is an error (files written by hand: policies,
    waivers, sweep files, runner configs). ``aliases="bounded"``: allowed while the expanded
    document has at most ``max_nodes`` nodes (artifacts other tools wrote). An empty document
    loads as ``None``. ``unique_keys``: True refuses a duplicate key, False keeps the last value
    (as YAML does), ``"collect"`` keeps the first and lists it in ``problems``. Raises
    :class:`YAMLLoadError` (never a PyYAML exception or a traceback).
    """
    if b"\x00" in raw:
        raise YAMLLoadError("binary file (contains NUL bytes), not YAML", path=path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise YAMLLoadError(f"invalid UTF-8 at byte {e.start}", path=path,
                            line=raw[: e.start].count(b"\n") + 1) from None
    loader = _Loader(text)
    loader.refuse_anchors = aliases == "refuse"
    walker = _Walker(unique_keys, max_nodes)
    try:
        node = loader.get_single_node()
        if node is None:
            return YAMLDocument(None, {}, {}, raw)
        walker.walk(node, "", node.start_mark.line + 1)
        data = loader.construct_document(node)
    except _Refused as e:
        raise YAMLLoadError(e.message, path=path, line=e.line) from None
    except yaml.MarkedYAMLError as e:
        message, line = explain_marked_error(e, text)
        raise YAMLLoadError(message, path=path, line=line) from None
    except yaml.YAMLError as e:
        raise YAMLLoadError(f"invalid YAML: {e}", path=path) from None
    except ValueError as e:  # a resolved timestamp that is no date: `expires: 2027-13-01`
        raise YAMLLoadError(f"invalid date ({e}): write a real date as YYYY-MM-DD, or quote "
                            "the value if you mean text", path=path,
                            line=_bad_timestamp_line(loader, walker)) from None
    except RecursionError:
        raise YAMLLoadError("YAML nested too deeply", path=path) from None
    finally:
        loader.dispose()
    return YAMLDocument(data, walker.lines, walker.plain, raw, walker.problems)


def _bad_timestamp_line(loader: Any, walker: _Walker) -> int | None:
    """The line of the first timestamp that does not construct (``2027-13-01``)."""
    for node, line in walker.timestamps:
        try:
            loader.construct_yaml_timestamp(node)
        except ValueError:
            return line
    return None


def load_yaml_file(
    path: str | os.PathLike[str],
    *,
    aliases: Literal["refuse", "bounded"] = "refuse",
    unique_keys: bool | Literal["collect"] = True,
    max_nodes: int = MAX_NODES,
    max_bytes: int = MAX_BYTES,
) -> YAMLDocument:
    """Read ``path`` (at most ``max_bytes``) and :func:`load_yaml_bytes` it."""
    spath = str(path)
    try:
        size = os.stat(spath).st_size
        if size > max_bytes:
            raise YAMLLoadError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit",
                                path=spath)
        with open(spath, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as e:
        raise YAMLLoadError(f"cannot read: {e.strerror or e}", path=spath) from None
    return load_yaml_bytes(raw, spath, aliases=aliases, unique_keys=unique_keys,
                           max_nodes=max_nodes)


def yaml11_float(value: float) -> str:
    """Spell a finite float so that YAML 1.1 (PyYAML) reads it back as that float.

    YAML 1.1 needs a dot in the mantissa and a sign in the exponent: ``1e-05`` is text,
    ``1.0e-05`` is a number.
    """
    s = repr(float(value))
    if "e" not in s:
        return s
    mantissa, exponent = s.split("e")
    if "." not in mantissa:
        mantissa += ".0"
    if exponent[0] not in "+-":
        exponent = "+" + exponent
    return f"{mantissa}e{exponent}"


def yaml11_note(text: str, value: Any) -> str | None:
    """Explain how YAML 1.1 read the unquoted scalar ``text`` as ``value``, if surprising.

    ``1e-1`` → text, not a number (write ``0.1``); ``1.10`` → the number 1.1 (quote it);
    ``on``/``no`` → a boolean. ``None`` when nothing surprising happened.
    """
    if isinstance(value, str) and _NUMBER_RE.match(text):
        try:
            number = float(text.replace("_", ""))
        except ValueError:
            return None
        if not math.isfinite(number):
            return None
        return (f"YAML 1.1 reads `{text}` as text, not a number; write `{yaml11_float(number)}`"
                f" (or quote it, \"{text}\", if you mean text)")
    if isinstance(value, bool) and text.lower() not in ("true", "false"):
        return (f"YAML 1.1 reads `{text}` as the boolean {str(value).lower()}; quote it "
                f"(\"{text}\") if you mean text")
    if (isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
            and text != str(value)):
        return (f"YAML 1.1 reads `{text}` as the number {value!r}, not text; quote it: "
                f"\"{text}\"")
    if value is None and text not in ("", "null", "~"):
        return f"YAML reads `{text}` as null; quote it (\"{text}\") if you mean text"
    return None

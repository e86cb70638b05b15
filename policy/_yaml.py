"""Safe YAML with positions: one function, one error type (like pre-commit's clientlib).

Only PyYAML's SafeLoader constructs values, so tags such as ``!!python/object`` are refused. We
compose the node tree first to remember the line of every value (for error messages that point
into the file) and to refuse duplicate keys, which YAML loaders otherwise resolve silently.
"""

from __future__ import annotations

import os
from typing import Any

import yaml

from ._errors import PolicyError

MAX_BYTES = 4 * 1024 * 1024


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _walk(node: yaml.Node, ptr: str, lines: dict[str, int], path: str) -> None:
    lines.setdefault(ptr, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                raise PolicyError(
                    f"duplicate key {key!r} (YAML would keep only the last one)",
                    path=path, line=key_node.start_mark.line + 1,
                )
            seen.add(key)
            _walk(value_node, f"{ptr}/{_escape(key)}", lines, path)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, f"{ptr}/{i}", lines, path)


def load_yaml(path: str | os.PathLike[str]) -> tuple[Any, dict[str, int], bytes]:
    """Return (data, pointer→line, raw bytes). Raises PolicyError for every problem."""
    spath = str(path)
    try:
        size = os.stat(spath).st_size
        if size > MAX_BYTES:
            raise PolicyError(f"file is {size:,} bytes, over the {MAX_BYTES:,}-byte limit",
                              path=spath)
        with open(spath, "rb") as fh:
            raw = fh.read()
    except OSError as e:
        raise PolicyError(f"cannot read: {e.strerror or e}", path=spath) from e
    if b"\x00" in raw:
        raise PolicyError("binary file (contains NUL bytes), not YAML", path=spath)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise PolicyError(f"invalid UTF-8 at byte {e.start}", path=spath,
                          line=raw[: e.start].count(b"\n") + 1) from e
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise PolicyError("empty file", path=spath)
        lines: dict[str, int] = {}
        _walk(node, "", lines, spath)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = e.problem or str(e)
        if isinstance(e, yaml.constructor.ConstructorError):
            problem = f"{problem} (only plain YAML is allowed: unsafe tags are refused)"
        raise PolicyError(f"invalid YAML: {problem}", path=spath, line=line) from None
    except yaml.YAMLError as e:
        raise PolicyError(f"invalid YAML: {e}", path=spath) from None
    except RecursionError:
        raise PolicyError("YAML nested too deeply", path=spath) from None
    finally:
        loader.dispose()
    return data, lines, raw

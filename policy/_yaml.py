"""Policy and waiver YAML: the project's one safe reader, in its strictest mode.

``evidence_schema.load_yaml_file`` does the work (safe tags only, a line for every value).
Duplicate keys are collected, not fatal (``doc.problems``; the first value is kept), so that the
loader lists them with every other problem of the file. Policies and waivers are written by
hand, so anchors and aliases are refused outright: they would let a 342-byte file expand to
billions of values.
"""

from __future__ import annotations

import os

from evidence_schema import YAMLDocument, YAMLLoadError, load_yaml_file

from ._errors import PolicyError

MAX_BYTES = 4 * 1024 * 1024


def load_yaml(path: str | os.PathLike[str]) -> YAMLDocument:
    """Return the document (data, pointer→line, plain scalars, raw bytes).

    Raises PolicyError (with file and line) for every problem, including an empty file.
    """
    spath = str(path)
    try:
        doc = load_yaml_file(spath, aliases="refuse", unique_keys="collect",
                             max_bytes=MAX_BYTES)
    except YAMLLoadError as e:
        raise PolicyError(e.message, path=e.path, line=e.line) from None
    if doc.data is None:
        raise PolicyError("empty file", path=spath)
    return doc

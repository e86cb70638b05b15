"""A hash of what a JSON file says, not of how it is written (review rt10 §5).

One benchmark run re-dumped with another indent, key order or number spelling (``1.0`` vs
``1``, ``1e-1`` vs ``0.1``, ``\\u00e9`` vs ``é``) has another byte sha256 but is still one run:
counted under two seeds it narrows the interval as if it were two. ``content_sha256`` hashes
the parsed document re-serialised canonically (sorted keys, no whitespace, ASCII escapes,
integral numbers as floats), so such copies share it. Ingest and select compare it next to the
byte sha256 and record it on each per-seed input (``InputRef.content_sha256``); ``check``
compares it when recorded.
"""

from __future__ import annotations

import json
from typing import Any

from ._atomic import sha256_bytes

_EXACT_INT = 2**53  # beyond this an int and its float differ; keep the int as written


def _normal(obj: Any) -> Any:
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, int):
        return float(obj) if abs(obj) <= _EXACT_INT else obj
    if isinstance(obj, float):
        return obj + 0.0  # -0.0 and 0.0 are one number
    if isinstance(obj, dict):
        return {str(k): _normal(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_normal(v) for v in obj]
    raise TypeError(f"not JSON data: {type(obj).__name__}")


def content_sha256(doc: Any) -> str:
    """sha256 (hex) of ``doc`` (parsed JSON) in canonical form; equal for any re-serialisation
    of the same content. Raises ValueError for NaN/Infinity (not JSON)."""
    text = json.dumps(_normal(doc), sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                      allow_nan=False)
    return sha256_bytes(text.encode("ascii"))

"""Numbers as a report prints them, and the bound links that carry them (issue 12)."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import quote

from ._sources import RenderError

DEFAULT_SIG = 4


def format_number(x: Any, spec: str | None = None, sig: int | None = None,
                  sign: bool = False) -> str:
    """Format ``x`` with a Python format spec, or to ``sig`` significant digits (default 4).

    Integers without a spec print exactly. Significant digits keep trailing zeros (``0.5000``),
    so the printed precision says how precise the number is.
    """
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise RenderError(f"not a number: {x!r}")
    if not math.isfinite(x):
        raise RenderError(f"not a finite number: {x!r}")
    if spec is not None and sig is not None:
        raise RenderError("give a format spec or sig=, not both")
    if spec is not None:
        if not isinstance(spec, str):
            raise RenderError(f"a format spec is a string such as '.4f', got {spec!r}")
        from ._limits import check_format_spec

        check_format_spec(spec)  # ">100000000" would build a 100 MB string
        try:
            return format(x, spec)
        except ValueError as e:
            raise RenderError(f"format spec {spec!r}: {e}") from e
    if isinstance(x, int) and sig is None:
        return f"{x:+d}" if sign else str(x)
    digits = DEFAULT_SIG if sig is None else sig
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 17:
        raise RenderError(f"sig= wants an integer from 1 to 17, got {digits!r}")
    text = format(float(x), f"{'+' if sign else ''}#.{digits}g")
    if "e" not in text:
        text = text.rstrip(".")
    return text


def link(text: str, path: str, pointer: str) -> str:
    """``[text](path#pointer)``, percent-encoded so that any key (a space, a parenthesis) still
    makes one markdown link; the audit decodes the target before it resolves it."""
    return f"[{text}]({quote(path, safe='/-._~')}#{quote(pointer, safe='/-._~')})"

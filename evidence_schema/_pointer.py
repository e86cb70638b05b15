"""JSON Pointer lookup (RFC 6901), the one implementation every stage uses.

Policies name metrics, audit links bind numbers and render templates cite values by pointer;
all three must read a pointer the same way, or a value could be found by one and missed (or a
different one found) by another.
"""

from __future__ import annotations

from typing import Any, Final


class _Missing:
    def __repr__(self) -> str:
        return "POINTER_MISSING"


POINTER_MISSING: Final = _Missing()


def resolve_pointer(doc: Any, pointer: str) -> Any:
    """The value at ``pointer`` in ``doc``, or :data:`POINTER_MISSING` when there is none.

    RFC 6901: ``""`` is the whole document; tokens unescape ``~1`` → ``/`` then ``~0`` → ``~``;
    an array index is a decimal without leading zeros, below the array's length.
    """
    if pointer == "":
        return doc
    if not pointer.startswith("/"):
        return POINTER_MISSING
    node = doc
    for raw in pointer[1:].split("/"):
        tok = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            if tok not in node:
                return POINTER_MISSING
            node = node[tok]
        elif isinstance(node, list):
            if not tok.isdigit() or int(tok) >= len(node) or (tok != "0" and tok[0] == "0"):
                return POINTER_MISSING
            node = node[int(tok)]
        else:
            return POINTER_MISSING
    return node

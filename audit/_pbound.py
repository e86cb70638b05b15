"""Bounds on a p-value in prose (red team 11): ``p < .001``, ``p-value ≤ 0.05``, ``p > 0.1``.

Such a number is not a copy of a value: ``audit/_numcheck.py`` checks that every p-value of
the cited artifacts satisfies the bound, rather than looking for a value equal to X.
"""

from __future__ import annotations

import re

from ._binding import KeyedValue, key_map
from ._index import Artifact

# "p < .001", "p-value ≤ 0.05", "p > 0.1": a bound on a p-value, not a copy of a value. Searched
# in the 24 characters before the number only (constant work per number).
_P_BOUND_RE = re.compile(r"(?<![\w.])(?:p|p[-_ ]?val(?:ue)?)[ \t]{0,3}(<=|>=|[<>\u2264\u2265])"
                         r"[ \t]{0,3}$", re.IGNORECASE)
P_KEYS = ("p", "pvalue", "pval")


def p_bound(text: str, start: int) -> str:
    """The comparison (``<``, ``<=``, ``>``, ``>=``) of a ``p < X`` written before the number at
    ``start`` of ``text``; "" when the number is not such a bound."""
    m = _P_BOUND_RE.search(text, max(0, start - 24), start)
    if m is None:
        return ""
    return {"\u2264": "<=", "\u2265": ">="}.get(m.group(1), m.group(1))


def p_values(arts: list[Artifact]) -> list[tuple[Artifact, KeyedValue]]:
    """Every value under a key named ``p``, ``p_value``/``p-value`` or ``pval``."""
    return [(a, kv) for a in arts for k in P_KEYS for kv in key_map(a).get(k, ())]

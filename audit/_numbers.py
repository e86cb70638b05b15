"""Numbers in prose: find them, parse them, and match them to artifact values at the printed
precision (issue 3, "Numbers").

Every regex here is linear: no nested quantifiers over overlapping classes, so adversarial input
(10 MB of digits, commas or signs) cannot trigger catastrophic backtracking; bench/ checks it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from functools import lru_cache

# signed, thousands separators, decimals, scientific notation, percent
NUMBER_RE = re.compile(
    r"[+\-\u2212]?(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\d+)?(?:[eE][+\-\u2212]?\d{1,4})?%?"
)
# A number this long is not a measurement (and Decimal work on it would be slow).
MAX_NUMBER_CHARS = 40
_CTX = Context(prec=60)


@dataclass(frozen=True)
class ParsedNumber:
    text: str
    value: Decimal
    percent: bool
    # exponent of the last printed digit: 0.7451 → -4, 47 → 0, 1.20e-3 → -5
    exponent: int
    has_separators: bool
    signed: bool

    @property
    def quantum(self) -> Decimal:
        return Decimal((0, (1,), self.exponent))

    @property
    def is_plain_integer(self) -> bool:
        return self.exponent >= 0 and not self.percent and not self.signed and (
            "e" not in self.text.lower()
        )


def parse_number(text: str) -> ParsedNumber | None:
    raw = text.replace("\u2212", "-")
    percent = raw.endswith("%")
    body = raw.rstrip("%").replace(",", "")
    try:
        value = Decimal(body)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    exp = value.as_tuple().exponent
    assert isinstance(exp, int)
    return ParsedNumber(
        text=text, value=value, percent=percent, exponent=exp, has_separators="," in raw,
        signed=raw[:1] in "+-",
    )


@lru_cache(maxsize=1 << 16, typed=True)
def to_decimal(v: float | int) -> Decimal | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return Decimal(v)
    if not math.isfinite(v):
        return None
    # repr is the shortest string that round-trips: what the artifact "says".
    return Decimal(repr(v))


def _quantize(d: Decimal, exp: int, rounding: str) -> Decimal | None:
    try:
        return d.quantize(Decimal((0, (1,), exp)), rounding=rounding, context=_CTX)
    except InvalidOperation:
        return None


def _equal_at(claim: ParsedNumber, leaf: Decimal) -> bool:
    target = claim.value
    for rounding in (ROUND_HALF_EVEN, ROUND_DOWN):
        q = _quantize(leaf, claim.exponent, rounding)
        if q is not None and q == target:
            return True
    return False


def leaf_candidates(claim: ParsedNumber, leaf: float | int) -> list[Decimal]:
    """The artifact value as the claim may print it: itself, and ×100 for a percentage."""
    d = to_decimal(leaf)
    if d is None:
        return []
    return [d, d * 100] if claim.percent else [d]


def _exact_candidates(claim: ParsedNumber, leaf: float | int) -> list[Decimal]:
    # printf-style formatting rounds the exact binary value, which can differ from its
    # shortest repr at a tie ("131072.004852225" is really …2250000001): accept both.
    if not isinstance(leaf, float) or not math.isfinite(leaf):
        return []
    d = Decimal(leaf)
    return [d, d * 100] if claim.percent else [d]


def match_quality(claim: ParsedNumber, leaf: float | int) -> int | None:
    """0: exactly equal, 1: equal after rounding or truncation, None: no match."""
    if not matches(claim, leaf):
        return None
    return 0 if any(d == claim.value for d in leaf_candidates(claim, leaf)) else 1


def matches(claim: ParsedNumber, leaf: float | int) -> bool:
    """Equal at the printed precision (round-half-even or truncation; % may be fraction×100)."""
    for d in leaf_candidates(claim, leaf):
        # Cheap float pre-filter before Decimal work: truncation is off by less than a quantum.
        try:
            if abs(float(d) - float(claim.value)) > 2 * float(claim.quantum) + 1e-300:
                continue
        except OverflowError:
            continue
        if _equal_at(claim, d):
            return True
    for d in _exact_candidates(claim, leaf):
        q = _quantize(d, claim.exponent, ROUND_HALF_EVEN)
        if q is not None and q == claim.value:
            return True
    return False


def near_miss(claim: ParsedNumber, leaf: float | int) -> str | None:
    """Why ``leaf`` looks like the value the claim meant to print (→ mismatch), or None.

    A claim that is merely unrelated to every value in scope is ``unbacked``, not a mismatch;
    these rules pick out the typical transcription errors.
    """
    b = _digits(claim.value)
    # One or two printed digits ("5", "0.2") are too little to call a transcription error.
    if len(b) < 2 or (len(b) < 3 and claim.exponent >= 0):
        return None
    for d in leaf_candidates(claim, leaf):
        if d != 0 and _equal_at(claim, -d):
            return "wrong sign"
        q = _quantize(d, claim.exponent, ROUND_HALF_EVEN)
        if q is None:
            continue
        a = _digits(q)
        if len(a) == len(b) and a != b:
            diff = [i for i in range(len(a)) if a[i] != b[i]]
            if len(diff) == 1 and (q < 0) == (claim.value < 0):
                return "differs in one digit"
            if (
                len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                and a[diff[1]] == b[diff[0]]
            ):
                return "two digits transposed"
        if d != 0 and abs(claim.value - d) <= abs(d) * Decimal("0.01"):
            return "within 1% but not equal at the printed precision"
    return None


def _digits(d: Decimal) -> str:
    return "".join(str(x) for x in d.as_tuple().digits)


def difference(claim: ParsedNumber, leaf: float | int) -> float | None:
    cands = leaf_candidates(claim, leaf)
    if not cands:
        return None
    best = min(cands, key=lambda d: abs(claim.value - d))
    return float(claim.value - best)


def distance(claim: ParsedNumber, leaf: float | int) -> float:
    cands = leaf_candidates(claim, leaf)
    if not cands:
        return math.inf
    try:
        return min(abs(float(claim.value) - float(d)) for d in cands)
    except OverflowError:
        return math.inf

"""Numbers in prose: find them, parse them, and match them to artifact values at the printed
precision (issue 3, "Numbers").

Every regex here is linear: no nested quantifiers over overlapping classes, so adversarial input
(10 MB of digits, commas or signs) cannot trigger catastrophic backtracking; bench/ checks it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import lru_cache

# Space-like characters that may sit inside a number: thousands groups ("1 234 567", also with
# a no-break or thin space) and before a percent sign ("74.61 %").
_SP = "[ \u00a0\u202f\u2009]"
_SUPERSCRIPT = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
# signed; thousands separators (one kind per number: "," or a space); a leading-dot decimal
# (".7461", "p < .001"); scientific notation as "1.2e-3", "1.2×10⁻³", "1.2 × 10^-3" or
# "1.2 \times 10^{-3}"; percent with an optional space before "%". One match is one number:
# nothing a writer uses to print a single value splits it in two.
_TIMES = "(?:\u00d7|\u22c5|\u00b7|\\\\times|\\\\cdot)"
_POW10 = (r"10(?:\^\{?[+\-\u2212]?\d{1,4}\}?|[\u207a\u207b]?[" + _SUPERSCRIPT + r"]{1,4})")
NUMBER_RE = re.compile(
    r"[+\-\u2212]?"
    r"(?:" + _POW10 + r"(?![\d.])"  # a bare power of ten: "10^-3", "10⁻³"
    r"|(?:\d{1,3}(?:,\d{3})+(?!\d)|[1-9]\d{0,2}(?:" + _SP + r"\d{3})+(?!\d)|\d+)(?:\.\d+)?"
    r"(?:[eE][+\-\u2212]?\d{1,4}|" + _SP + "?" + _TIMES + _SP + "?" + _POW10 + r")?"
    r"|\.\d+(?:[eE][+\-\u2212]?\d{1,4})?)"
    r"(?:" + _SP + r"?%)?"
)
_SUPER_TO_ASCII = str.maketrans(_SUPERSCRIPT + "\u207a\u207b", "0123456789+-")
_TIMES_RE = re.compile(
    _SP + r"?(?:\u00d7|\u22c5|\u00b7|\\times|\\cdot)" + _SP + r"?10\^?\{?([^}]*)\}?$"
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
    scientific: bool = False  # "1.2e-3", "1.2×10⁻³", "10^-3"

    @property
    def quantum(self) -> Decimal:
        return Decimal((0, (1,), self.exponent))

    @property
    def is_plain_integer(self) -> bool:
        return self.exponent >= 0 and not self.percent and not self.signed and (
            not self.scientific
        )

    @property
    def is_small_integer(self) -> bool:
        """Printed without decimals and at most ``SMALL_INTEGER`` in size (``2``, ``17``, ``8%``).

        Such numbers are everywhere (counts, ordinals, hours of a timestamp, the 2 of "L2"), so
        one only counts as verified when it is bound to a key or a pointer.
        """
        return self.exponent >= 0 and not self.scientific and abs(self.value) <= SMALL_INTEGER


# Integers up to this size (printed without decimals) are verified only by a keyed or explicit
# binding, never by a coincidence among the numbers in scope (docs/audit.md).
SMALL_INTEGER = 20


def parse_number(text: str) -> ParsedNumber | None:
    """Parse one match of ``NUMBER_RE`` (any notation it accepts) into its exact value.

    Returns None for text that is not a finite number.
    """
    raw = text.replace("\u2212", "-")
    body = raw.rstrip("%").rstrip(" \u00a0\u202f\u2009")
    percent = len(body) < len(raw)
    has_sep = any(c in body for c in ", \u00a0\u202f\u2009") and _TIMES_RE.search(body) is None
    scientific = "e" in body.lower()
    m = _TIMES_RE.search(body)
    if m is not None:
        power = m.group(1).translate(_SUPER_TO_ASCII).replace("\u2212", "-")
        body = body[: m.start()] + "e" + power
        scientific = True
    elif body.lstrip("+-").startswith("10") and body.lstrip("+-")[2:3] in ("^", *_SUPERSCRIPT,
                                                                          "\u207a", "\u207b"):
        sign = body[: len(body) - len(body.lstrip("+-"))]
        rest = body.lstrip("+-")[2:].lstrip("^").strip("{}").translate(_SUPER_TO_ASCII)
        body = f"{sign}1e{rest.replace(chr(0x2212), '-')}"
        scientific = True
    else:
        for sep in (",", " ", "\u00a0", "\u202f", "\u2009"):
            body = body.replace(sep, "")
    try:
        value = Decimal(body)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    exp = value.as_tuple().exponent
    assert isinstance(exp, int)
    return ParsedNumber(
        text=text, value=value, percent=percent, exponent=exp, has_separators=has_sep,
        signed=raw[:1] in "+-", scientific=scientific,
    )


def as_float(v: float | int) -> float:
    """``float(v)``, but ±inf for an integer beyond the float range (``float`` raises
    OverflowError on ``10**400``, which an artifact may hold: red team 13)."""
    try:
        return float(v)
    except OverflowError:
        return math.inf if v > 0 else -math.inf


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


def names_percentage(key: str) -> bool:
    """Whether a key names a percentage (``acc_pct``, ``percent_alive``, ``drop %``): its value
    is already ×100, so a claim with ``%`` may print it as it is."""
    k = key.casefold()
    return "pct" in k or "percent" in k or "%" in k


def _pct_forms(claim: ParsedNumber, d: Decimal, pct_key: bool) -> list[Decimal]:
    # "74.61%" prints the fraction 0.7461 ×100. The value itself only when it cannot be a
    # fraction (outside [-1, 1]) or its key says it is a percentage: otherwise "0.021%" would
    # be "verified" by a fraction of 0.021, a claim 100× too small (red team 11).
    if not claim.percent:
        return [d]
    return [d * 100, d] if pct_key or abs(d) > 1 else [d * 100]


def sign_flipped(claim: ParsedNumber, leaf: float | int) -> bool:
    """A non-zero value whose sign differs from the printed one: "0.0" (or "+0.0") is not
    -0.0331 even though it rounds to -0.0 at one decimal; "-0.0" may be (red team 11)."""
    if isinstance(leaf, bool) or leaf != leaf or leaf == 0:
        return False
    return (leaf < 0) != claim.value.is_signed()


def leaf_candidates(claim: ParsedNumber, leaf: float | int,
                    pct_key: bool = False) -> list[Decimal]:
    """The artifact value as the claim may print it: itself; for a percentage the value ×100,
    and the value itself only when outside [-1, 1] or ``pct_key`` (its key names a
    percentage)."""
    d = to_decimal(leaf)
    if d is None:
        return []
    return _pct_forms(claim, d, pct_key)


def _exact_candidates(claim: ParsedNumber, leaf: float | int, pct_key: bool) -> list[Decimal]:
    # printf-style formatting rounds the exact binary value, which can differ from its
    # shortest repr at a tie ("131072.004852225" is really …2250000001): accept both.
    if not isinstance(leaf, float) or not math.isfinite(leaf):
        return []
    return _pct_forms(claim, Decimal(leaf), pct_key)


def match_quality(
    claim: ParsedNumber, leaf: float | int, leaf_exp: int | None = None, pct_key: bool = False
) -> int | None:
    """0: exactly equal, 1: equal after rounding or truncation, None: no match."""
    if not matches(claim, leaf, leaf_exp, pct_key):
        return None
    return 0 if any(d == claim.value for d in leaf_candidates(claim, leaf, pct_key)) else 1


def matches(claim: ParsedNumber, leaf: float | int, leaf_exp: int | None = None,
            pct_key: bool = False) -> bool:
    """Equal at the coarser of the two printed precisions.

    ``leaf_exp`` is the exponent of the last digit the artifact printed, for values read from
    text (a rounded markdown or CSV table); None for data values (JSON, YAML), which are exact.
    A claim printed coarser than the value must be a round-half-even or truncation of it (a
    percentage may be the value ×100); a claim printed finer than a rounded artifact value must
    round (half-even, half-up or truncation) to it: ``-0.06319`` is consistent with ``-0.0632``.
    A percentage prints the value ×100 (the value itself only outside [-1, 1] or when
    ``pct_key``); a non-zero value never matches a claim printed with the other sign
    (``sign_flipped``).
    """
    if sign_flipped(claim, leaf):
        return False
    if leaf_exp is not None and _matches_coarser_leaf(claim, leaf, leaf_exp, pct_key):
        return True
    for d in leaf_candidates(claim, leaf, pct_key):
        # Cheap float pre-filter before Decimal work: truncation is off by less than a quantum.
        try:
            if abs(float(d) - float(claim.value)) > 2 * float(claim.quantum) + 1e-300:
                continue
        except OverflowError:
            continue
        if _equal_at(claim, d):
            return True
    for d in _exact_candidates(claim, leaf, pct_key):
        q = _quantize(d, claim.exponent, ROUND_HALF_EVEN)
        if q is not None and q == claim.value:
            return True
    return False


def _matches_coarser_leaf(claim: ParsedNumber, leaf: float | int, leaf_exp: int,
                          pct_key: bool) -> bool:
    d = to_decimal(leaf)
    if d is None:
        return False
    cands = [(d, leaf_exp)]
    if claim.percent:
        cands = [(d * 100, leaf_exp + 2)] + (cands if pct_key or abs(d) > 1 else [])
    for cand, exp in cands:
        if exp <= claim.exponent:
            continue  # the claim is the coarser one: the ordinary rule decides
        printed = _quantize(cand, exp, ROUND_HALF_EVEN)
        if printed is None:
            continue
        for rounding in (ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_DOWN):
            if _quantize(claim.value, exp, rounding) == printed:
                return True
    return False


def same_shape(claim: ParsedNumber, leaf: float | int, leaf_exp: int | None = None) -> bool:
    """Whether ``leaf`` looks like the value the claim printed: a measured value (not an
    integer), of the same order of magnitude, printed with no more decimals than the value has
    (a rounding of it is possible). A percentage compares with the value and with it ×100.

    Used for "changed digits are errors": a measured-looking claim equal to nothing in scope.
    """
    if claim.exponent >= 0 or isinstance(leaf, bool) or isinstance(leaf, int):
        return False
    d = to_decimal(leaf)
    if d is None or d == 0 or claim.value == 0 or d == d.to_integral_value():
        return False
    leaf_places = -(leaf_exp if leaf_exp is not None else _exp(d))
    cands = [(d, leaf_places), (d * 100, leaf_places - 2)] if claim.percent else [(d, leaf_places)]
    for cand, places in cands:
        if cand.adjusted() != claim.value.adjusted():
            continue
        if leaf_exp is not None or -claim.exponent <= max(places, 0):
            return True
    return False


def _exp(d: Decimal) -> int:
    e = d.as_tuple().exponent
    return e if isinstance(e, int) else 0


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
        # a typo keeps the magnitude: 0.95 printed as "1.0" is not one digit away from 1.1
        if len(a) == len(b) and a != b and q.adjusted() == claim.value.adjusted():
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

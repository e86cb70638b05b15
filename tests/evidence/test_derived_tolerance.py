"""Derived values agree with their recomputation up to float rounding only (review rt10 §1).

The former tolerance, 1e-6 · max(1, |operands|), grew with the operands: +1.5 stored over a true
−1.5 passed once 1e7 was added to every value, a sign flipped at 48, and an overflowing
recomputation (−inf) made the tolerance infinite. Expected values here are exact rationals
(fractions.Fraction), never the code under test.
"""

from __future__ import annotations

import copy
import json
import math
from fractions import Fraction
from typing import Any

import pytest
from _helpers import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_schema import validate_bytes
from evidence_schema._derived import ATOL, RTOL, close

BASE = json.loads((REPO / "examples" / "evidence" / "external_cebench.json").read_text())


def _doc(cand: list[float], base: list[float], deltas: list[float]) -> bytes:
    doc: dict[str, Any] = copy.deepcopy(BASE)
    m = doc["metrics"]
    for key, vals in (("candidate", cand), ("baseline", base), ("deltas", deltas)):
        m[key] = [{"seeds": [i], "value": v} for i, v in enumerate(vals)]
    return json.dumps(doc).encode()


C, B = [46.4165, 46.475, 46.4397], [47.9516] * 3


def test_honest_file_is_valid() -> None:
    r = validate_bytes(_doc(C, B, [c - b for c, b in zip(C, B, strict=True)]), "x.json")
    assert r.ok, r.problems


@pytest.mark.parametrize(("name", "cand", "base", "deltas", "fragment"), [
    # +1.5 stored where candidate − baseline = −1.5, operands shifted by 1e7 (and by 1e12)
    ("shift1e7", [c + 1e7 for c in C], [b + 1e7 for b in B], [1.5, 1.6, 1.4], "stored delta "),
    ("shift1e12", [c + 1e12 for c in C], [b + 1e12 for b in B], [1.5, 1.6, 1.4],
     "stored delta "),
    # a sign flip of 4e-5 at 48: true deltas −2e-5, −3e-5, −1e-5
    ("tolflip", [47.95158, 47.95157, 47.95159], B, [2e-5, 1.5e-5, 2.5e-5], "stored delta "),
    # −1.7e308 − 1.7e308 = −inf: an infinite tolerance accepted anything
    ("overflow", [-1.7e308] * 3, [1.7e308, 1.6e308, 1.5e308], [1.5, 1.6, 1.4], "not finite"),
])
def test_review_examples_are_refused(name: str, cand: list[float], base: list[float],
                                     deltas: list[float], fragment: str) -> None:
    r = validate_bytes(_doc(cand, base, deltas), f"{name}.json")
    assert not r.ok
    assert r.problems[0].pointer == "/metrics/deltas/0/value", r.problems
    assert fragment in r.problems[0].message


# Operands over the whole float range, and pairs that are nearly equal.
wide = st.floats(-1e300, 1e300, allow_nan=False, allow_infinity=False)
near = st.tuples(st.floats(-1e12, 1e12, allow_nan=False),
                 st.integers(-64, 64)).map(lambda t: (t[0], t[0] + t[1] * math.ulp(t[0] or 1.0)))


@settings(max_examples=150, deadline=None)
@given(pair=st.one_of(st.tuples(wide, wide), near),
       off=st.floats(2.0, 1e6), sign=st.sampled_from([-1, 1]))
def test_stored_difference_agrees_only_up_to_rounding(pair: tuple[float, float], off: float,
                                                      sign: int) -> None:
    a, b = pair
    exact = Fraction(a) - Fraction(b)
    rounded = a - b
    if not math.isfinite(rounded):
        assert not close(rounded, rounded, a, b)  # an overflowing recomputation never agrees
        return
    assert close(rounded, rounded, a, b)  # the float recomputation itself is accepted
    # Off the exact difference by more than the documented rounding allowance: refused.
    allowance = Fraction(ATOL) + Fraction(RTOL) * Fraction(max(abs(a), abs(b), abs(rounded)))
    wrong = float(exact + sign * off * allowance)
    if math.isfinite(wrong) and abs(Fraction(wrong) - exact) > 1.5 * allowance:
        assert not close(wrong, rounded, a, b), (a, b, wrong)
    # A value of the other sign is refused unless both are within ATOL of 0.
    flipped = -rounded
    if abs(rounded) > ATOL:
        assert not close(flipped, rounded, a, b)


@settings(max_examples=40, deadline=None)
@given(shift=st.sampled_from([0.0, 1e3, 1e7, 1e12, 1e15]), wrong=st.floats(1e-9, 10.0))
def test_any_shifted_file_with_a_changed_delta_is_invalid(shift: float, wrong: float) -> None:
    cand, base = [c + shift for c in C], [b + shift for b in B]
    honest = [c - b for c, b in zip(cand, base, strict=True)]
    assert validate_bytes(_doc(cand, base, honest), "x.json").ok
    allowance = ATOL + RTOL * max(abs(v) for v in cand + base)
    if wrong <= 2 * allowance:
        return
    changed = [honest[0] + wrong, *honest[1:]]
    r = validate_bytes(_doc(cand, base, changed), "x.json")
    assert not r.ok and r.problems[0].pointer == "/metrics/deltas/0/value"

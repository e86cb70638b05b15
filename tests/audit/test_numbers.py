"""Number parsing and precision matching (issue 3, "Numbers")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit._claims import extract
from audit._notclaims import DEFAULT_NOT_CLAIM_WORDS
from audit._numbers import ParsedNumber, matches, near_miss, parse_number


def P(text: str) -> ParsedNumber:
    p = parse_number(text)
    assert p is not None
    return p


@pytest.mark.parametrize(
    ("text", "value", "exponent", "percent"),
    [
        ("0.7451", "0.7451", -4, False),
        ("-0.1328", "-0.1328", -4, False),
        ("+0.07080", "0.07080", -5, False),
        ("\u221240.3662", "-40.3662", -4, False),
        ("1,234,567", "1234567", 0, False),
        ("1.23e-4", "0.000123", -6, False),
        ("2E3", "2000", 3, False),
        ("62.5%", "62.5", -1, True),
    ],
)
def test_parse(text: str, value: str, exponent: int, percent: bool) -> None:
    p = P(text)
    assert p.value == Decimal(value) and p.exponent == exponent and p.percent is percent


@pytest.mark.parametrize(
    ("claim", "leaf", "ok"),
    [
        ("0.7452", 0.74516, True),  # half-even
        ("0.7451", 0.74516, True),  # truncation
        ("0.7453", 0.74516, False),
        ("0.12", 0.125, True),  # half-even: 0.125 → 0.12
        ("0.13", 0.125, False),  # half-up is not the rule
        ("0.07080", 0.0708, True),  # trailing zero printed
        ("74.5%", 0.74516, True),  # fraction × 100
        ("74.5%", 74.516, True),  # already a percentage
        ("1.23e-4", 0.000123, True),
        ("1,234,567", 1234567, True),
        ("8", 8, True),
        ("-0.1328", 0.1328, False),
        ("1", True, False),  # a boolean is not a number
        ("1e300", 1e300, True),
        ("0.5", float("nan"), False),
    ],
)
def test_matches(claim: str, leaf: float, ok: bool) -> None:
    assert matches(P(claim), leaf) is ok


@pytest.mark.parametrize(
    ("claim", "leaf", "reason"),
    [
        ("0.7481", 0.7451, "differs in one digit"),
        ("0.7541", 0.7451, "two digits transposed"),
        ("+0.1328", -0.1328, "wrong sign"),
        ("47.95", 47.9516, None),  # that is a legitimate rounding, not a near miss
        ("5", 0.0123, None),  # one printed digit is too little to call it a typo
        ("83", 84, None),
        ("0.5", 0.3, None),
    ],
)
def test_near_miss(claim: str, leaf: float, reason: str | None) -> None:
    if reason is None and matches(P(claim), leaf):
        return
    assert near_miss(P(claim), leaf) == reason


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(0, 8))
def test_printed_values_always_match_their_source(x: float, places: int) -> None:
    # what any script printing with f"{x:.{places}f}" writes must verify against x
    text = f"{x:.{places}f}"
    p = parse_number(text)
    assert p is not None and matches(p, x)


@given(st.floats(min_value=1e-3, max_value=1e3), st.integers(1, 6))
def test_percentages_of_fractions_match(x: float, places: int) -> None:
    assert matches(P(f"{x * 100:.{places}f}%"), x) or matches(P(f"{x * 100:.{places}f}%"), x)


def _numbers(md: str) -> list[str]:
    return [n.number.text for n in extract(md, DEFAULT_NOT_CLAIM_WORDS).numbers]


def _skipped(md: str) -> dict[str, str]:
    return {s.text: s.rule for s in extract(md, DEFAULT_NOT_CLAIM_WORDS).skipped}


@pytest.mark.parametrize(
    ("md", "claims"),
    [
        ("delta -0.1328 and +0.5, 1e-3", ["-0.1328", "+0.5", "1e-3"]),
        ("CE-Bench-2 phase4e run_20260213T1 16k B200 v1.2.3", []),
        ("range 0.5-0.7", ["0.5", "0.7"]),
        ("`10000, 30000`", ["10000", "30000"]),
        ("| a | 0.25 |\n|---|---|\n| b | 1.5 |", ["0.25", "1.5"]),
        ("see https://arxiv.org/abs/2501.17727 and results/run_3/x", []),
        ("[0.74](https://example.org/0.74)", []),
        ("at 12.5% of 3,000 tokens", ["12.5%", "3,000"]),
    ],
)
def test_numbers_in_prose(md: str, claims: list[str]) -> None:
    assert _numbers(md) == claims


def test_not_claim_rules() -> None:
    md = ("## 2.1 Setup\n\n3) In 1999 on 2026-02-13 with seeds 1, 2 and 3 over 12 layers, "
          "`max_rows=200`, 20260213.\n")
    assert _numbers(md) == []
    assert _skipped(md) == {
        "2.1": "heading numbering",
        "1999": "year",
        "2026-02-13": "date",
        "1": "names a seeds, not a result",
        "2": "names a seeds, not a result",
        "3": "names a seeds, not a result",
        "12": "counts layers, not a result",
        "200": "names a rows, not a result",
        "20260213": "date",
    }


def test_paragraph_numbering_only_when_it_clearly_is() -> None:
    md = "Intro\n\n3.1 Results were 0.5\n\n0.25 of runs\n\n| 0.25 |\n|---|\n| 1.5 |\n"
    assert _numbers(md) == ["0.5", "0.25", "0.25", "1.5"]
    assert _skipped(md) == {"3.1": "list or section numbering"}

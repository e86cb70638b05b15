"""The value index (audit/_leafindex.py) finds the same leaf the scan of every leaf found
(issue 13): a claim is verified by exactly the value it was before, or by none."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit._index import Artifact, Leaf
from audit._numbers import ParsedNumber, match_quality, names_percentage, parse_number
from audit._numcheck import _indexed_hit


def _scan_every_leaf(p: ParsedNumber, arts: list[Artifact]) -> tuple[int, str, str] | None:
    """What _judge_free's loop over every leaf picks: the best quality, first among equals."""
    best: tuple[int, int, int, str, str] | None = None
    for ai, art in enumerate(arts):
        for li, (ptr, val, exp) in enumerate(art.leaves):
            q = match_quality(p, val, exp, p.percent and names_percentage(ptr.rsplit("/", 1)[-1]))
            if q is not None and (best is None or (q, ai, li) < best[:3]):
                best = (q, ai, li, art.rel, ptr)
    return None if best is None else (best[0], best[3], best[4])


def _art(rel: str, leaves: list[Leaf]) -> Artifact:
    return Artifact(rel=rel, path=Path(rel), leaves=leaves)


def _check(claim: str, arts: list[Artifact]) -> None:
    p = parse_number(claim)
    assert p is not None
    hit = _indexed_hit(p, arts)
    got = None if hit is None else (hit[0], hit[1].rel, hit[2])
    assert got == _scan_every_leaf(p, arts)


@pytest.mark.parametrize(("claim", "leaves", "expected"), [
    ("0.7452", [("/a", 0.1, None), ("/b", 0.74516, None)], "/b"),  # half-even
    ("0.7451", [("/b", 0.74516, None)], "/b"),  # truncation
    ("74.5%", [("/x", 0.74516, None)], "/x"),  # the value ×100
    ("74.5%", [("/acc_pct", 74.516, None)], "/acc_pct"),  # already a percentage
    ("-0.06319", [("/t", -0.0632, -4)], "/t"),  # a rounded text value (always tried)
    ("1e300", [("/big", 1e300, None)], "/big"),
    ("0.5", [("/e", 0.4999999999999999, None), ("/x", 0.5, None)], "/x"),  # exact beats rounded
    ("0.7453", [("/b", 0.74516, None)], None),
    ("5", [("/huge", 10**400, None), ("/n", 5, None)], "/n"),  # an int no float can hold
])
def test_examples(claim: str, leaves: list[Leaf], expected: str | None) -> None:
    arts = [_art("a.json", leaves)]
    _check(claim, arts)
    p = parse_number(claim)
    assert p is not None
    hit = _indexed_hit(p, arts)
    assert (hit[2] if hit else None) == expected


_VALUES = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.integers(-10**6, 10**6),
    st.sampled_from([0.0, -0.0, 0.5, 0.125, 0.74516, 74.516, 1e-12, 131072.004852225]),
)
_KEYS = st.sampled_from(["/v", "/acc_pct", "/a/0", "/percent_alive", "/x"])


@st.composite
def _leaf(draw: st.DrawFn) -> Leaf:
    exp = draw(st.sampled_from([None, None, None, -4, -2, 0]))
    return (draw(_KEYS), draw(_VALUES), exp)


@st.composite
def _claim_for(draw: st.DrawFn, values: list[float | int]) -> str:
    """A printed form of one of the values (rounded, truncated, ×100 with %), or noise."""
    v = float(draw(st.sampled_from(values))) if values else draw(_VALUES)
    digits = draw(st.integers(0, 6))
    form = draw(st.sampled_from(["round", "pct", "sci", "shift"]))
    if form == "pct":
        return f"{v * 100:.{digits}f}%"
    if form == "sci":
        return f"{v:.{digits}e}"
    if form == "shift":
        return f"{v + draw(st.sampled_from([1e-4, -1e-4, 0.01, 1.0])):.{digits}f}"
    return f"{v:.{digits}f}"


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_index_picks_what_the_full_scan_picks(data: st.DataObject) -> None:
    arts = [_art(f"a{i}.json", data.draw(st.lists(_leaf(), max_size=12)))
            for i in range(data.draw(st.integers(1, 3)))]
    values = [leaf[1] for art in arts for leaf in art.leaves]
    claim = data.draw(_claim_for(values))
    if parse_number(claim) is None:
        return
    _check(claim, arts)

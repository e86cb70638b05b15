"""Properties tying `render` to `audit` (issue 12): whatever the value and the precision, a
rendered number is one the audit reads back as equal to its source, and a rendered interval is
one the stated-statistics check recomputes as verified; one digit changed is never verified."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit import AuditOptions, audit_paths
from audit._numbers import matches, parse_number
from releasegate.render import format_number, render_template

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False).filter(
    lambda x: x == 0 or abs(x) >= 1e-6)


@settings(max_examples=300, deadline=None)
@given(x=finite, sig=st.integers(1, 10))
def test_significant_digits_read_back_equal(x: float, sig: int) -> None:
    text = format_number(x, sig=sig)
    p = parse_number(text)
    assert p is not None, text
    assert matches(p, x), (x, text)


@settings(max_examples=200, deadline=None)
@given(x=finite, places=st.integers(0, 8))
def test_format_specs_read_back_equal(x: float, places: int) -> None:
    text = format_number(x, f".{places}f")
    p = parse_number(text)
    assert p is not None and matches(p, x), (x, text)


samples = st.lists(st.floats(min_value=-1, max_value=1, allow_nan=False).map(
    lambda v: round(v, 4)), min_size=2, max_size=7).filter(lambda vs: len(set(vs)) > 1)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=samples, sig=st.integers(3, 6), conf=st.sampled_from([0.9, 0.95, 0.99]))
def test_rendered_interval_is_verified_and_an_edit_is_not(values: list[float], sig: int,
                                                          conf: float) -> None:
    with tempfile.TemporaryDirectory() as d:
        repo = Path(d)
        (repo / "x.json").write_text(json.dumps({"d": [
            {"seeds": [i], "value": v} for i, v in enumerate(values)]}), encoding="utf-8")
        tpl = repo / "r.md.j2"
        tpl.write_text(f"Delta: {{{{ interval('x.json#/d', confidence={conf}, sig={sig}) }}}}.\n",
                       encoding="utf-8")
        text = render_template(tpl, repo=repo)
        (repo / "r.md").write_text(text, encoding="utf-8")
        res = audit_paths([repo / "r.md"], AuditOptions(repo=repo, strict=True))
        stats = [f for f in res.findings if f.explanation
                 and f.explanation[0].startswith("stated statistic")]
        assert [f.verdict for f in stats] == ["verified", "verified"], [f.message for f in stats]
        assert res.success
        # the upper end of the interval, one last digit changed
        head, _, tail = text.partition("CI [")
        lo, _, rest = tail.partition(", ")
        hi, _, after = rest.partition("]")
        digit = hi[-1]
        edited = hi[:-1] + str((int(digit) + 5) % 10)
        (repo / "r.md").write_text(f"{head}CI [{lo}, {edited}]{after}", encoding="utf-8")
        res = audit_paths([repo / "r.md"], AuditOptions(repo=repo, strict=True))
        assert "mismatch" in {f.verdict for f in res.findings}

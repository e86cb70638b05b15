"""Pairwise values (PWMCC per seed pair) are bounded the gates' way everywhere: `render`'s
`interval` and the audit's stated-statistics check use the delete-one-seed jackknife with
seeds as units, not a t interval over the k(k−1)/2 pair values (issue 10 §1, issue 12).

The reference is an independent numpy jackknife written here, not the code under test.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from scipy import stats as sps

from audit import AuditOptions, audit_paths
from releasegate.render import render_template

SEEDS = [0, 1, 2, 3]
PAIR_VALUES = {(0, 1): 0.61, (0, 2): 0.58, (0, 3): 0.60, (1, 2): 0.57, (1, 3): 0.63,
               (2, 3): 0.59}


def _jackknife_interval(pairs: dict[tuple[int, int], float], conf: float) -> tuple[float, float]:
    seeds = sorted({s for p in pairs for s in p})
    k = len(seeds)
    full = float(np.mean(list(pairs.values())))
    loo = np.array([np.mean([v for p, v in pairs.items() if s not in p]) for s in seeds])
    var = (k - 1) / k * float(np.sum((loo - loo.mean()) ** 2))
    half = float(sps.t.ppf((1 + conf) / 2, k - 1)) * var ** 0.5
    return full - half, full + half


def _doc() -> dict[str, object]:
    return {"metrics": {"pwmcc": [{"seeds": list(p), "value": v}
                                  for p, v in PAIR_VALUES.items()]}}


def test_the_naive_interval_is_different() -> None:
    # The check can fail: a t interval over the six pair values is much narrower.
    vals = list(PAIR_VALUES.values())
    naive = sps.t.interval(0.95, len(vals) - 1, loc=np.mean(vals), scale=sps.sem(vals))
    jk = _jackknife_interval(PAIR_VALUES, 0.95)
    assert jk[1] - jk[0] > 1.5 * (naive[1] - naive[0])


def test_render_interval_over_pairs_is_the_seed_level_jackknife(tmp_path: Path) -> None:
    (tmp_path / "pw.json").write_text(json.dumps(_doc()), encoding="utf-8")
    (tmp_path / "t.md.j2").write_text("{{ interval('pw.json#/metrics/pwmcc', sig=6) }}",
                                      encoding="utf-8")
    out = render_template(tmp_path / "t.md.j2", repo=tmp_path)
    lo, hi = _jackknife_interval(PAIR_VALUES, 0.95)
    assert f"[{lo:+.6g}, {hi:+.6g}]" in out.replace("−", "-"), out
    assert "n = 4)" in out  # seeds, not the six pairs


def test_audit_checks_a_stated_bound_over_pairs_with_the_jackknife(tmp_path: Path) -> None:
    (tmp_path / "pw.json").write_text(json.dumps(_doc()), encoding="utf-8")
    lo, hi = _jackknife_interval(PAIR_VALUES, 0.95)
    vals = list(PAIR_VALUES.values())
    naive_lo, _ = sps.t.interval(0.95, len(vals) - 1, loc=np.mean(vals), scale=sps.sem(vals))
    m = float(np.mean(vals))
    good = f"- PWMCC in `pw.json`: mean {m:.4f} (95% CI [{lo:.4f}, {hi:.4f}], n = 4).\n"
    naive = f"- PWMCC in `pw.json`: LCB {naive_lo:.4f} over 4 seeds.\n"
    (tmp_path / "report.md").write_text("## PWMCC\n\n" + good + "\n" + naive,
                                        encoding="utf-8")
    res = audit_paths([tmp_path / "report.md"], AuditOptions(repo=tmp_path))
    stated = [f for f in res.findings
              if f.explanation and f.explanation[0].startswith("stated statistic")]
    shown = [(f.line, f.verdict, f.message) for f in stated]
    line3 = [f for f in stated if f.line == 3]
    assert line3 and all(f.verdict == "verified" for f in line3), shown
    bound5 = [f for f in stated if f.line == 5 and "bound" in f.message]
    assert [f.verdict for f in bound5] == ["mismatch"], shown
    assert f"{lo:.6g}" in bound5[0].message  # names the jackknife bound it recomputed


@pytest.mark.parametrize("k", [3, 5])
def test_reference_jackknife_is_exact_for_equal_pairs_plus_noise(k: int) -> None:
    # Sanity of the reference itself: adding a constant to every pair moves the interval by it.
    pairs = {p: 0.5 + 0.01 * (sum(p) % 3) for p in itertools.combinations(range(k), 2)}
    shifted = {p: v + 1.0 for p, v in pairs.items()}
    a, b = _jackknife_interval(pairs, 0.9), _jackknife_interval(shifted, 0.9)
    assert (b[0] - a[0], b[1] - a[1]) == pytest.approx((1.0, 1.0))

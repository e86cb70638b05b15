"""Issue 14: the transcoder gate passes only between arms matched on sparsity.

The demo's arms used to be a ReLU SAE at L0 ≈ 6 and a ReLU transcoder at L0 ≈ 15, so its
transcoder verdict measured sparsity. The evidence now records both arms' mean L0 and whether
they are within the documented 10 % (evidence_schema/_sparsity.py), and the shipped policy's
``transcoder`` gate needs its ``sparsity_matched`` sub-gate as well as the PWMCC bound.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from _helpers import NOW, POLICY, mutate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_schema import validate_file
from policy import check

TC = "transcoder_stress.json"


def _set_l0(doc: dict[str, Any], sae: list[float], tc: list[float]) -> None:
    """Arms' per-seed L0 and the sparsity record, computed here by hand (not by the code)."""
    m = doc["metrics"]
    for arm, vals in (("sae", sae), ("transcoder", tc)):
        m[arm]["l0"] = [{"seeds": [s], "value": v} for s, v in enumerate(vals)]
    a, b = sum(sae) / len(sae), sum(tc) / len(tc)
    rel = abs(a - b) / max(a, b)
    m["sparsity"] = {"sae_l0_mean": a, "transcoder_l0_mean": b, "relative_l0_difference": rel,
                     "tolerance": 0.1, "matched": rel <= 0.1}


def _transcoder(evidence: Path) -> Any:
    d = check(POLICY, evidence, now=NOW)
    return next(g for g in d.gates if g.name == "transcoder"), d


def test_matched_arms_pass_with_the_sparsity_subgate(evidence_dir: Path) -> None:
    g, d = _transcoder(evidence_dir)
    kids = {c.name: c for c in g.children}
    assert g.status == "pass" and set(kids) == {"pwmcc_vs_sae_lcb", "sparsity_matched"}
    assert kids["sparsity_matched"].status == "pass"
    assert kids["sparsity_matched"].threshold == 0.1 and kids["sparsity_matched"].comparison == "<="
    assert d.policy.version == "1.2.0"


def test_the_demos_old_unmatched_arms_fail_the_transcoder_gate(evidence_dir: Path) -> None:
    # SAE L0 ≈ 6 vs transcoder L0 ≈ 15: the numbers the demo produced with ReLU + L1 arms.
    mutate(evidence_dir / TC, lambda d: _set_l0(d, [6.1, 5.9, 6.0], [15.1, 14.8, 15.3]))
    assert validate_file(evidence_dir / TC).ok  # honest evidence: it says it is unmatched
    g, d = _transcoder(evidence_dir)
    kids = {c.name: c for c in g.children}
    assert kids["pwmcc_vs_sae_lcb"].status == "pass"  # the PWMCC bound alone would have passed
    sp = kids["sparsity_matched"]
    assert sp.status == "fail" and g.status == "fail" and d.verdict == "fail"
    assert sp.observed == pytest.approx((15.0667 - 6.0) / 15.0667, rel=1e-3)
    assert "/metrics/sparsity/relative_l0_difference" in sp.reason and "not <= 0.1" in sp.reason


def test_evidence_without_the_sparsity_record_is_not_a_pass(evidence_dir: Path) -> None:
    mutate(evidence_dir / TC, lambda d: d["metrics"].pop("sparsity"))
    assert validate_file(evidence_dir / TC).ok  # older evidence still reads ...
    g, _ = _transcoder(evidence_dir)
    kids = {c.name: c for c in g.children}
    assert kids["sparsity_matched"].status == "missing"  # ... but cannot pass the gate
    assert g.status == "missing"


@pytest.mark.parametrize(("forged", "message"), [
    ({"matched": True}, "matched is True"),
    ({"relative_l0_difference": 0.05}, "does not follow from the mean L0s"),
    # A self-consistent record whose SAE mean is not the mean of the SAE arm's L0s.
    ({"sae_l0_mean": 15.0, "transcoder_l0_mean": 15.0, "relative_l0_difference": 0.0,
      "matched": True}, "is not the mean of sae.l0"),
])
def test_a_forged_sparsity_record_makes_the_gate_invalid(evidence_dir: Path,
                                                         forged: dict[str, Any],
                                                         message: str) -> None:
    def forge(d: dict[str, Any]) -> None:
        _set_l0(d, [6.1, 5.9, 6.0], [15.1, 14.8, 15.3])
        d["metrics"]["sparsity"].update(forged)

    mutate(evidence_dir / TC, forge)
    res = validate_file(evidence_dir / TC)
    assert not res.ok and any(message in str(p) for p in res.problems)
    g, _ = _transcoder(evidence_dir)
    assert g.status == "invalid"


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.floats(0.5, 64), min_size=3, max_size=3),
       st.lists(st.floats(0.5, 64), min_size=3, max_size=3))
def test_sparsity_subgate_passes_exactly_when_within_ten_percent(
        evidence_dir: Path, tmp_path_factory: pytest.TempPathFactory, sae: list[float],
        tc: list[float]) -> None:
    work = tmp_path_factory.mktemp("ev")
    shutil.copy(evidence_dir / TC, work / TC)
    mutate(work / TC, lambda d: _set_l0(d, sae, tc))
    a, b = sum(sae) / 3, sum(tc) / 3
    g, _ = _transcoder(work)
    sp = next(c for c in g.children if c.name == "sparsity_matched")
    assert sp.status == ("pass" if abs(a - b) / max(a, b) <= 0.1 else "fail")

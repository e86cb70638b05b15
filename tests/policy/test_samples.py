"""Gates count seeds, not entries (issue 10 §1): repeated seeds, one run as several seeds, zero
variance and pairwise values. Expected numbers come from scipy/numpy or by hand, never from
``evidence_schema.stats``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from _helpers import NOW, POLICY, mutate
from scipy import stats

from policy import check
from policy._evaluate import evaluate_leaf
from policy._evidence_set import EvidenceFile, EvidenceSet
from policy._models import LeafGate

ISSUE = {0: 0.5, 1: 0.3, 2: -0.2}


def _gate(**kw: Any) -> LeafGate:
    base: dict[str, Any] = {"name": "g", "kind": "external_benchmark", "metric": "/metrics/deltas",
                            "statistic": "lcb", "op": ">=", "threshold": 0.0, "min_seeds": 3}
    return LeafGate.model_validate({**base, **kw})


def _file(deltas: list[tuple[int, float]], inputs: list[dict[str, Any]] | None = None
          ) -> EvidenceFile:
    """An external_benchmark document built in memory: it never went through validation."""
    data = {"kind": "external_benchmark", "provenance": {"seeds": [0, 1, 2]},
            "inputs": inputs or [],
            "metrics": {"deltas": [{"seeds": [s], "value": v} for s, v in deltas]}}
    return EvidenceFile("ext.json", "0" * 64, "external_benchmark",
                        datetime(2026, 11, 25, tzinfo=UTC), data)


def _t_lcb(values: list[float], conf: float = 0.95) -> float:
    v = np.asarray(values)
    return float(v.mean() - stats.t.ppf((1 + conf) / 2, len(v) - 1) * v.std(ddof=1)
                 / np.sqrt(len(v)))


def _set_external(doc: dict[str, Any], entries: list[tuple[int, float]]) -> None:
    m = doc["metrics"]
    m["candidate"] = [{"seeds": [s], "value": 0.9 + d} for s, d in entries]
    m["baseline"] = [{"seeds": [s], "value": 0.9} for s, _ in entries]
    m["deltas"] = [{"seeds": [s], "value": (0.9 + d) - 0.9} for s, d in entries]


# --- repeated seeds -------------------------------------------------------------------------


def test_issue_numbers_the_attack_would_have_passed() -> None:
    # The arithmetic of the issue, done by scipy: over 3 seeds the bound is −0.70 (fail); the
    # same 3 values counted 30 times give +0.09 (a pass).
    assert _t_lcb(list(ISSUE.values())) == pytest.approx(-0.696, abs=5e-4)
    assert _t_lcb(list(ISSUE.values()) * 10) == pytest.approx(0.09, abs=5e-3)


def test_issue_example_without_repeat_fails_with_lcb_minus_0_70(evidence_dir: Path) -> None:
    mutate(evidence_dir / "external_saebench.json",
           lambda d: _set_external(d, list(ISSUE.items())))
    d = check(POLICY, evidence_dir, now=NOW)
    sae = next(c for g in d.gates for c in g.children if c.name == "saebench")
    assert sae.status == "fail"
    assert sae.observed == pytest.approx(_t_lcb(list(ISSUE.values())), rel=1e-9)
    assert round(sae.observed, 2) == -0.70


def test_issue_example_repeated_ten_times_is_invalid_not_pass(evidence_dir: Path) -> None:
    mutate(evidence_dir / "external_saebench.json",
           lambda d: _set_external(d, list(ISSUE.items()) * 10))
    d = check(POLICY, evidence_dir, now=NOW)
    ext = next(g for g in d.gates if g.name == "external")
    sae = next(c for c in ext.children if c.name == "saebench")
    assert (ext.status, sae.status) == ("invalid", "invalid")
    assert "seed 0 appears 10 times" in sae.reason
    assert d.verdict == "fail"


def test_repeated_seeds_refused_even_when_validation_was_bypassed() -> None:
    ev = EvidenceSet(files=[_file(list(ISSUE.items()) * 10)])
    r = evaluate_leaf(_gate(), ev, NOW)
    assert r.status == "invalid"
    assert "seed 0 appears 10 times" in r.reason and r.observed is None


def test_repeated_pairs_refused_when_validation_was_bypassed() -> None:
    f = _file([])
    f.data["metrics"]["deltas"] = [{"seeds": [0, 1], "value": 0.2}, {"seeds": [1, 0], "value": 0.3},
                                   {"seeds": [1, 2], "value": 0.1}, {"seeds": [0, 2], "value": 0.4}]
    r = evaluate_leaf(_gate(), EvidenceSet(files=[f]), NOW)
    assert r.status == "invalid" and "pair [0, 1] appears 2 times" in r.reason


# --- one run counted as several seeds ------------------------------------------------------


@pytest.mark.parametrize("recorded", ["seed field", "role only (older ingest files)"])
def test_seeds_from_one_input_file_are_invalid(recorded: str) -> None:
    sha = "ab" * 32
    inputs = [{"path": "results.json", "sha256": sha, "role": f"candidate seed {s}",
               **({"seed": s} if recorded == "seed field" else {})} for s in (0, 1, 2)]
    deltas = [(0, 0.5), (1, 0.51), (2, 0.49)]
    ok = evaluate_leaf(_gate(), EvidenceSet(files=[_file(deltas)]), NOW)
    assert ok.status == "pass"
    r = evaluate_leaf(_gate(), EvidenceSet(files=[_file(deltas, inputs)]), NOW)
    assert r.status == "invalid"
    assert "seeds [0, 1, 2]" in r.reason and "one run counted as several seeds" in r.reason


def test_a_shared_baseline_file_is_not_one_run_as_seeds() -> None:
    # One public baseline compared with every seed is listed once, without a seed: fine.
    inputs = [{"path": f"c{s}.json", "sha256": f"{s:x}" * 64, "seed": s} for s in (1, 2, 3)]
    inputs.append({"path": "base.json", "sha256": "e" * 64, "role": "baseline"})
    f = _file([(1, 0.5), (2, 0.51), (3, 0.49)], inputs)
    assert evaluate_leaf(_gate(), EvidenceSet(files=[f]), NOW).status == "pass"


# --- zero variance --------------------------------------------------------------------------


def _policy(tmp_path: Path, **gate: Any) -> Path:
    doc = yaml.safe_load(POLICY.read_text())
    ext = next(g for g in doc["gates"] if g["name"] == "external")
    sae = next(c for c in ext["all"] if c["name"] == "saebench")
    doc["gates"] = [{**sae, **gate}]
    doc["version"] = f"{doc['version']}-test"  # the shipped name+version is refused (rt10 §4)
    p = tmp_path / "p.yaml"
    p.write_text(yaml.safe_dump(doc, sort_keys=False))
    return p


@pytest.mark.parametrize("statistic", ["lcb", "mean", "min"])
def test_all_seeds_identical_is_invalid_unless_the_gate_opts_in(
        evidence_dir: Path, tmp_path: Path, statistic: str) -> None:
    mutate(evidence_dir / "external_saebench.json",
           lambda d: _set_external(d, [(0, 0.02), (1, 0.02), (2, 0.02)]))
    d = check(_policy(tmp_path, statistic=statistic), evidence_dir, now=NOW)
    assert d.gates[0].status == "invalid"
    assert d.gates[0].reason.startswith("degenerate evidence: zero variance")
    assert "all seeds identical" in d.gates[0].reason
    opted = check(_policy(tmp_path, statistic=statistic, allow_zero_variance=True),
                  evidence_dir, now=NOW)
    assert opted.gates[0].status == "pass"
    assert opted.gates[0].observed == pytest.approx(0.02)


def test_paired_differences_all_identical_are_degenerate(evidence_dir: Path) -> None:
    def same_drop(d: dict[str, Any]) -> None:
        ind = d["metrics"]["in_distribution"]["explained_variance"]
        ood = d["metrics"]["out_of_distribution"]["explained_variance"]
        for a, b in zip(ind, ood, strict=True):
            b["value"] = a["value"] - 0.25 + 0.0  # one run's drop, copied to every seed
            a["value"] = b["value"] + 0.25
    mutate(evidence_dir / "ood_stress.json", same_drop)
    d = check(POLICY, evidence_dir, now=NOW)
    ood = next(g for g in d.gates if g.name == "ood")
    assert ood.status == "invalid" and "degenerate" in ood.reason


# --- pairwise values ------------------------------------------------------------------------


def _jackknife(pairs: dict[tuple[int, int], float]) -> tuple[float, float, int]:
    """Independent brute force: the k×k matrix of pair values, each seed deleted in turn."""
    seeds = sorted({s for p in pairs for s in p})
    k = len(seeds)
    m = np.full((k, k), np.nan)
    for (a, b), v in pairs.items():
        m[seeds.index(a), seeds.index(b)] = m[seeds.index(b), seeds.index(a)] = v
    iu = np.triu_indices(k, 1)
    theta = float(np.mean(m[iu]))
    loo = []
    for i in range(k):
        keep = [j for j in range(k) if j != i]
        sub = m[np.ix_(keep, keep)]
        loo.append(np.mean(sub[np.triu_indices(k - 1, 1)]))
    loo_a = np.asarray(loo)
    var = (k - 1) / k * float(np.sum((loo_a - loo_a.mean()) ** 2))
    return theta, var, k - 1


def _pairs_of(doc: dict[str, Any], pointer: str) -> dict[tuple[int, int], float]:
    cur: Any = doc
    for tok in pointer.strip("/").split("/"):
        cur = cur[tok]
    return {(s["seeds"][0], s["seeds"][1]): s["value"] for s in cur}


@pytest.mark.parametrize(("gate", "fname", "a", "b"), [
    ("pwmcc_delta_lcb", "random_model_control.json", "/metrics/trained/pwmcc",
     "/metrics/random/pwmcc"),
    ("pwmcc_vs_sae_lcb", "transcoder_stress.json", "/metrics/transcoder/pwmcc",
     "/metrics/sae/pwmcc"),
])
def test_pairwise_gates_use_the_seed_level_jackknife(
        evidence_dir: Path, gate: str, fname: str, a: str, b: str) -> None:
    doc = json.loads((evidence_dir / fname).read_text())
    ta, va, dfa = _jackknife(_pairs_of(doc, a))
    tb, vb, dfb = _jackknife(_pairs_of(doc, b))
    df = (va + vb) ** 2 / (va**2 / dfa + vb**2 / dfb)  # Welch–Satterthwaite
    expected = (ta - tb) - stats.t.ppf(0.975, df) * np.sqrt(va + vb)
    d = check(POLICY, evidence_dir, now=NOW)
    kind = doc["kind"]
    leaf = next(c for g in d.gates for c in g.children
                if c.name == gate and any(e.endswith(fname) for e in c.evidence)
                and kind in fname.replace(".json", ""))
    assert leaf.observed == pytest.approx(expected, rel=1e-9)
    assert "jackknife" in leaf.reason and "over 3 seed(s)" in leaf.reason
    # Wider than a t interval that treats the 3 pair values as 3 independent samples.
    naive = stats.ttest_ind(list(_pairs_of(doc, a).values()), list(_pairs_of(doc, b).values()),
                            equal_var=False).confidence_interval(0.95).low
    assert leaf.observed < naive


def test_min_seeds_counts_seeds_not_pairs(evidence_dir: Path, tmp_path: Path) -> None:
    # 3 seeds give 3 pairs; 4 seeds would give 6. min_seeds 4 over 3 seeds is not met.
    doc = yaml.safe_load(POLICY.read_text())
    rm = next(g for g in doc["gates"] if g["name"] == "random_model")
    leaf = {**next(c for c in rm["all"] if c["name"] == "pwmcc_delta_lcb"), "min_seeds": 4}
    doc["gates"] = [leaf]
    doc["version"] = f"{doc['version']}-test"  # the shipped name+version is refused (rt10 §4)
    p = tmp_path / "p.yaml"
    p.write_text(yaml.safe_dump(doc, sort_keys=False))
    d = check(p, evidence_dir, now=NOW)
    assert d.gates[0].status == "invalid" and "3 seed(s)" in d.gates[0].reason


def test_pairwise_bound_needs_three_seeds() -> None:
    f = _file([])
    f.data["metrics"]["deltas"] = [{"seeds": [0, 1], "value": 0.2}]
    r = evaluate_leaf(_gate(min_seeds=2), EvidenceSet(files=[f]), NOW)
    assert r.status == "invalid" and "at least 3 seeds" in r.reason

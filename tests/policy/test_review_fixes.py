"""Review of the session's change: two narrow ways a sub-gate could read pass on degenerate or
unproven evidence, each fixed at its source."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from evidence_schema import relative_l0_difference, sparsity_match
from policy import DEFAULT_POLICY, check

REPO = Path(__file__).resolve().parents[2]


def test_two_dead_dictionaries_are_not_matched_on_sparsity() -> None:
    assert relative_l0_difference(0.0, 0.0) == 1.0
    assert relative_l0_difference(16.0, 16.0) == 0.0
    assert relative_l0_difference(6.0, 15.0) == (15.0 - 6.0) / 15.0


def test_a_single_number_counts_only_the_seeds_validation_ties_to_it(tmp_path: Path) -> None:
    # A custom policy gating a single number of an external_benchmark file with min_seeds: 3:
    # provenance.seeds of that kind is not tied to the number, so the gate cannot pass on it.
    text = DEFAULT_POLICY.read_text().replace("name: husai-release", "name: review-fix", 1)
    text = text.replace("\nwaivers: []", """
  - name: scalar_external
    kind: external_benchmark
    select:
      where: {/metrics/benchmark/name: cebench}
    metric: /metrics/candidate/0/value
    statistic: value
    op: ">="
    threshold: 0.0
    min_seeds: 3

waivers: []""", 1)
    pol = tmp_path / "p.yaml"
    pol.write_text(text)
    ev = tmp_path / "ev"
    shutil.copytree(REPO / "examples/evidence", ev)
    d = check(pol, ev)
    gate = next(g for g in d.gates if g.name == "scalar_external")
    assert gate.status == "invalid", json.dumps(gate.model_dump(mode="json"))
    # ...while the shipped sparsity sub-gate (a seed-covered kind) still counts its 3 seeds
    tc = next(g for g in d.gates if g.name == "transcoder")
    sm = next(c for c in tc.children if c.name == "sparsity_matched")
    assert sm.status == "pass" and sm.n_seeds == 3


def test_sparsity_match_of_dead_arms_says_unmatched() -> None:
    m = sparsity_match([0.0, 0.0, 0.0], [0.0, 0.0, 0.0])
    assert not m.matched

"""Selection across seeds: pooling, minimum seeds, LCB ranking and the Pareto front."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from external.results_factory import Writer, cebench, sparse_probing

from runners.external import (
    SelectionError,
    build_evidence,
    load_cebench_result,
    load_external_evidence,
    load_saebench_result,
    run_selection,
    select_candidates,
    write_external_evidence,
)


def _evidence(write: Writer, out: Path, cid: str, sae: list[float], ce: list[float],
              seeds: list[int] | None = None) -> None:
    seeds = seeds if seeds is not None else list(range(len(sae)))
    sp = [(s, load_saebench_result(write(f"{cid}/sp{s}.json", sparse_probing({1: 0.9516 + v}))))
          for s, v in zip(seeds, sae, strict=True)]
    write_external_evidence(out, build_evidence(sp, [], candidate_id=cid))
    base = load_cebench_result(write("base.json", cebench(50.0)))
    cs = [(s, load_cebench_result(write(f"{cid}/ce{s}.json", cebench(50.0 + v))))
          for s, v in zip(seeds, ce, strict=True)]
    write_external_evidence(out, build_evidence(cs, [base], candidate_id=cid))


def test_pareto_front_and_maxmin_choice(write: Writer, tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    _evidence(write, ev, "sae-strong", [0.04, 0.05, 0.06], [0.9, 1.0, 1.1])
    _evidence(write, ev / "b", "ce-strong", [0.01, 0.015, 0.02], [5.0, 5.5, 6.0])
    _evidence(write, ev / "c", "dominated", [0.0, 0.005, 0.01], [0.1, 0.2, 0.3])
    metrics, _ = select_candidates(load_external_evidence(ev), min_seeds=3)
    rows = {r.candidate_id: r for r in metrics.rows}
    assert {c for c, r in rows.items() if r.pareto} == {"sae-strong", "ce-strong"}
    # Both are on the front; the joint gate needs both lcbs ≥ 0, so the higher minimum wins.
    lcb = {c: min(s.lcb for s in r.scores if s.lcb is not None) for c, r in rows.items()}
    assert metrics.selected == max(("sae-strong", "ce-strong"), key=lcb.__getitem__)
    ranks = {c: {s.benchmark: s.rank for s in r.scores} for c, r in rows.items()}
    assert ranks["sae-strong"]["saebench"] == 1 and ranks["ce-strong"]["cebench"] == 1
    assert ranks["dominated"] == {"saebench": 3, "cebench": 3}


def test_per_seed_files_are_pooled_and_newest_wins(write: Writer, tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    for s, v in enumerate([0.02, 0.03, 0.04]):
        _evidence(write, ev / f"seed{s}", "cand", [v], [1.0 + s], seeds=[s])
    metrics, _ = select_candidates(load_external_evidence(ev), min_seeds=3)
    assert metrics.selected == "cand"
    assert metrics.rows[0].scores[0].seeds == [0, 1, 2]
    # Re-ingesting seed 1 later replaces its sample, as the policy's `pick: latest` would.
    # (its CE-Bench result differs from seed 0's: two seeds of one result file are refused)
    _evidence(write, ev / "rerun", "cand", [-0.05], [1.5], seeds=[1])
    src = load_external_evidence(ev)
    # created_at has one-second resolution; pin it so the test does not depend on the clock.
    t0 = min(s.evidence.created_at for s in src)
    for one in src:
        one.evidence = one.evidence.model_copy(update={"created_at": t0})
    with pytest.raises(SelectionError, match="same created_at"):
        select_candidates(src, min_seeds=3)
    for newer in (s for s in src if "/rerun/" in s.path):
        newer.evidence = newer.evidence.model_copy(
            update={"created_at": t0 + timedelta(seconds=5)})
    metrics, _ = select_candidates(src, min_seeds=3)
    sae = next(s for s in metrics.rows[0].scores if s.benchmark == "saebench")
    assert sae.mean == pytest.approx((0.02 - 0.05 + 0.04) / 3)


def test_missing_benchmark_and_too_few_seeds_not_eligible(write: Writer, tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    _evidence(write, ev, "two", [0.02, 0.03], [1.0, 2.0])
    # Each seed its own run (one file given as three seeds is refused at ingest).
    sp = [(s, load_saebench_result(write(f"only/sp{s}.json", sparse_probing({1: 0.95 + s / 1e3}))))
          for s in (0, 1, 2)]
    write_external_evidence(ev / "o", build_evidence(sp, [], candidate_id="only-sae"))
    metrics, _ = select_candidates(load_external_evidence(ev), min_seeds=3)
    reasons = {r.candidate_id: r.reason for r in metrics.rows}
    assert "2 seed(s) < min_seeds 3" in reasons["two"]
    assert reasons["only-sae"] == "no cebench evidence"
    assert metrics.selected is None


def test_incomparable_evidence_is_refused(write: Writer, tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    _evidence(write, ev / "a", "cand", [0.02, 0.03, 0.04], [1.0, 2.0, 3.0])
    base = load_cebench_result(write("base80.json", cebench(50.0, rows=80)))
    cs = [(s, load_cebench_result(write(f"c80/ce{s}.json", cebench(51.0 + s, rows=80))))
          for s in (3, 4)]
    write_external_evidence(ev / "b", build_evidence(cs, [base], candidate_id="cand"))
    with pytest.raises(SelectionError, match="cannot be pooled"):
        select_candidates(load_external_evidence(ev), min_seeds=3)


def test_out_must_differ_and_invalid_evidence_refused(write: Writer, tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    _evidence(write, ev, "cand", [0.02, 0.03, 0.04], [1.0, 2.0, 3.0])
    with pytest.raises(SelectionError, match="--out must differ"):
        run_selection(ev, ev, min_seeds=3)
    f = ev / "external_cebench_cand.json"
    f.write_text(f.read_text().replace('"row_budget": 200', '"row_budget": 100'))
    with pytest.raises(SelectionError, match="invalid external_benchmark evidence"):
        run_selection(ev, tmp_path / "sel", min_seeds=3)
    with pytest.raises(SelectionError, match="min_seeds"):
        select_candidates([], min_seeds=1)

"""One run counted as several seeds, and baselines matched on the row count alone (issue 10)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from external.results_factory import Writer, cebench, sae_probes, sparse_probing

import policy
from evidence_schema import now_utc
from releasegate.cli.main import main
from runners.external import (
    SelectionError,
    UnmatchedBaselineError,
    build_evidence,
    check_matched,
    load_cebench_result,
    load_external_evidence,
    load_saebench_result,
    select_candidates,
    write_external_evidence,
)


def test_same_result_file_as_three_seeds_is_refused_at_ingest(
        write: Writer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The example: one CE-Bench result given three times as seeds 0, 1, 2 gave three
    # identical deltas, a bound equal to the mean, and a pass.
    one = write("run/results.json", cebench(53.0))
    base = write("baseline/results.json", cebench(50.0, release="gemma-scope"))
    out = tmp_path / "ev"
    rc = main(["ingest", "cebench", str(one), str(one), str(one), "--seeds", "0", "1", "2",
               "--baseline", str(base), "--candidate-id", "c", "--out", str(out)])
    err = capsys.readouterr().err
    assert rc == 1
    assert "seeds [0, 1, 2] are one run: their result files have the same sha256" in err
    assert not out.exists() or not list(out.iterdir())  # nothing written


def test_byte_identical_copies_are_one_run_too(write: Writer, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    files = [write(f"seed{s}/results.json", cebench(53.0)) for s in range(3)]
    base = write("baseline/results.json", cebench(50.0, release="gemma-scope"))
    rc = main(["ingest", "cebench", *map(str, files), "--baseline", str(base),
               "--candidate-id", "c", "--out", str(tmp_path / "ev")])
    assert rc == 1 and "are one run" in capsys.readouterr().err


def test_ingested_inputs_record_their_seed(write: Writer, tmp_path: Path) -> None:
    files = [write(f"seed{s}/results.json", cebench(53.0 + s)) for s in range(3)]
    base = write("baseline/results.json", cebench(50.0, release="gemma-scope"))
    cands = [(s, load_cebench_result(p)) for s, p in enumerate(files)]
    w = write_external_evidence(tmp_path / "ev", build_evidence(
        cands, [load_cebench_result(base)], candidate_id="c"))
    doc = json.loads(w.path.read_text())
    assert [(i["seed"], i["role"]) for i in doc["inputs"]] == [
        (0, "candidate seed 0"), (1, "candidate seed 1"), (2, "candidate seed 2"),
        (None, "baseline")]
    assert doc["provenance"]["config"]["match_key"]["hook_name"] == "blocks.0.hook_resid_post"


def test_check_refuses_a_file_whose_seeds_share_an_input(write: Writer, tmp_path: Path) -> None:
    # Written by hand (or by an older ingest) without the sha256 check: `check` still refuses.
    files = [write(f"seed{s}/sp.json", sae_probes({1: 0.95 + s / 100})) for s in range(3)]
    cands = [(s, load_saebench_result(p)) for s, p in enumerate(files)]
    ev = build_evidence(cands, [], candidate_id="c")
    forged = ev.model_copy(update={"inputs": [
        i.model_copy(update={"sha256": ev.inputs[0].sha256}) for i in ev.inputs]})
    write_external_evidence(tmp_path / "ev", forged)
    decision = policy.check(policy.DEFAULT_POLICY, tmp_path / "ev", now=now_utc())
    ext = next(g for g in decision.gates if g.name == "external")
    sae = next(c for c in ext.children if c.name == "saebench")
    assert sae.status == "invalid" and "one run counted as several seeds" in sae.reason


def test_selection_refuses_one_run_pooled_as_two_seeds(write: Writer, tmp_path: Path) -> None:
    # Two separate ingest calls, each one seed, of the same result file: pooled, they would be
    # two seeds of one run.
    one = write("run/sp.json", sparse_probing({1: 0.97}))
    ev = tmp_path / "ev"
    for s in (0, 1):
        write_external_evidence(ev / f"s{s}", build_evidence(
            [(s, load_saebench_result(one))], [], candidate_id="c"))
    with pytest.raises(SelectionError, match=re.escape("seeds [0, 1] come from one result file")):
        select_candidates(load_external_evidence(ev), min_seeds=2, benchmarks=["saebench"])


def test_saebench_baseline_on_another_hook_is_unmatched(write: Writer) -> None:
    from external.results_factory import absorption

    cand = absorption(0.20)
    base = absorption(0.25)
    base["sae_cfg_dict"] = {**base["sae_cfg_dict"], "hook_name": "blocks.3.hook_resid_post"}
    cand["sae_cfg_dict"] = {**cand["sae_cfg_dict"], "hook_name": "blocks.4.hook_resid_post"}
    c = load_saebench_result(write("c.json", cand))
    b = load_saebench_result(write("b.json", base))
    with pytest.raises(UnmatchedBaselineError,
                       match=re.escape("sae_cfg_dict.hook_name: baseline "
                                       "'blocks.3.hook_resid_post' vs candidate "
                                       "'blocks.4.hook_resid_post'")):
        check_matched(c, b)
    other_model = absorption(0.25)
    other_model["eval_config"] = {**other_model["eval_config"], "model_name": "gemma-2-2b"}
    with pytest.raises(UnmatchedBaselineError, match="model_name: baseline 'gemma-2-2b'"):
        check_matched(load_saebench_result(write("c2.json", absorption(0.2))),
                      load_saebench_result(write("b2.json", other_model)))


def test_selection_never_prefers_identical_seeds(write: Writer, tmp_path: Path) -> None:
    # Three different result files that happen to give one delta: a zero-width bound would rank
    # first; the gate would refuse it as degenerate, so selection does too.
    ev = tmp_path / "ev"
    for cid, deltas in (("flat", [0.03, 0.03, 0.03]), ("real", [0.01, 0.02, 0.025])):
        files = [write(f"{cid}/seed{s}/sp.json",
                       sparse_probing({1: 0.9516 + d, 2: 0.5 + s / 100}))
                 for s, d in enumerate(deltas)]
        write_external_evidence(ev / cid, build_evidence(
            [(s, load_saebench_result(p)) for s, p in enumerate(files)], [], candidate_id=cid))
    metrics, _ = select_candidates(load_external_evidence(ev), min_seeds=3,
                                   benchmarks=["saebench"])
    rows = {r.candidate_id: r for r in metrics.rows}
    assert not rows["flat"].eligible
    assert rows["flat"].reason.startswith("saebench: degenerate evidence: ")
    assert rows["flat"].scores[0].lcb is None  # no bound from zero/negligible spread
    assert metrics.selected == "real"

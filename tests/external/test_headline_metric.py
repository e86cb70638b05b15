"""The external gate reads the headline metric only (red team rt10): deltas over another metric or
eval type are not evidence for it, and evidence never names a metric it was not computed on."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import pytest
from external.results_factory import Writer, absorption, cebench, sae_probes, sparse_probing
from hypothesis import given, settings
from hypothesis import strategies as st

import policy
from evidence_schema import now_utc
from releasegate.cli.main import main
from runners.external import (
    CEBENCH_METRICS,
    METRICS,
    BenchResult,
    build_evidence,
    write_external_evidence,
)

BASE = 54.978  # the real gemma-scope-2b-pt-res layer 0 baseline's interpretability_score_mean


def _leaf(decision: policy.Decision, name: str) -> policy.GateResult:  # type: ignore[name-defined]
    ext = next(g for g in decision.gates if g.name == "external")
    return next(c for c in ext.children if c.name == name)


def _check(ev: Path) -> policy.Decision:  # type: ignore[name-defined]
    return policy.check(policy.DEFAULT_POLICY, ev, now=now_utc())


def _rt10_files(write: Writer) -> tuple[list[Path], Path]:
    # rt10 out_metric: interpretability below the baseline on every seed (deltas -1.9, -1.6,
    # -2.1), contrastive above it (+5.6, +6.6, +7.6).
    base_doc = cebench(BASE, rows=80, release="gemma-scope-2b-pt-res",
                       sae_id="layer_0/width_16k/average_l0_105")
    base_doc["contrastive_score_mean"] = 34.40279972553253
    cands = []
    for s, v in enumerate([53.1, 53.4, 52.9]):
        doc = cebench(v, rows=80, sae_id="layer_0/width_32k")
        doc["contrastive_score_mean"] = 40.0 + s
        doc["sae_config"]["d_sae"] = 32768
        cands.append(write(f"c_seed{s}.json", doc))
    return cands, write("base.json", base_doc)


def _ingest(files: list[Path], base: Path | None, out: Path, *extra: str) -> None:
    bench = "cebench" if base is not None else "saebench"
    args = ["ingest", bench, *map(str, files), "--candidate-id", "topk", "--out", str(out),
            *extra]
    assert main([*args, *(["--baseline", str(base)] if base else [])]) == 0


def test_cebench_on_another_metric_is_missing_not_pass(
        write: Writer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cands, base = _rt10_files(write)
    ev = tmp_path / "ev"
    _ingest(cands, base, ev, "--metric", "contrastive_score_mean")
    printed = capsys.readouterr().out
    assert "metric contrastive_score_mean" in printed
    doc = json.loads((ev / "external_cebench_topk.json").read_text())
    m = doc["metrics"]
    assert (m["metric"], m["benchmark"]["eval_type"]) == ("contrastive_score_mean",
                                                          "interpretability")
    assert [round(d["value"], 4) for d in m["deltas"]] == [5.5972, 6.5972, 7.5972]
    # Its label names the metric it was computed on, and no other CE-Bench score.
    assert m["delta_definition"].startswith("CE-Bench contrastive_score_mean (eval type ")
    assert not any(other in m["delta_definition"] for other in CEBENCH_METRICS
                   if other != "contrastive_score_mean")
    gate = _leaf(_check(ev), "cebench")
    assert gate.status == "missing", gate.reason
    assert "/metrics/metric = 'contrastive_score_mean'" in gate.reason
    # The headline metric of the same files fails, and with both files present the gate reads
    # the headline one, whichever is newer.
    _ingest(cands, base, tmp_path / "ev2")
    (ev / "external_cebench_topk_headline.json").write_bytes(
        (tmp_path / "ev2" / "external_cebench_topk.json").read_bytes())
    gate = _leaf(_check(ev), "cebench")
    assert gate.status == "fail"
    assert gate.observed is not None and gate.observed < 0


@pytest.mark.parametrize(("name", "docs", "needs_baseline"), [
    ("plain sparse_probing (accuracy)",
     [sparse_probing({100: 0.9516 + d}) for d in (0.02, 0.025, 0.03)], False),
    ("absorption", [absorption(0.20 - d) for d in (0.02, 0.025, 0.03)], True),
])
def test_saebench_on_another_eval_type_is_missing_not_pass(
        write: Writer, tmp_path: Path, name: str, docs: list[dict[str, object]],
        needs_baseline: bool) -> None:
    files = [write(f"seed{s}/r.json", d) for s, d in enumerate(docs)]
    ev = tmp_path / "ev"
    args = ["ingest", "saebench", *map(str, files), "--candidate-id", "c", "--out", str(ev)]
    if needs_baseline:
        args += ["--baseline", str(write("base.json", absorption(0.25)))]
    assert main(args) == 0
    written = json.loads(next(ev.iterdir()).read_text())["metrics"]
    assert all(d["value"] > 0 for d in written["deltas"]), name  # would pass on its deltas
    gate = _leaf(_check(ev), "saebench")
    assert gate.status == "missing", (name, gate.reason)


def test_saebench_headline_auc_delta_reaches_the_gate(write: Writer, tmp_path: Path) -> None:
    files = [write(f"seed{s}/r.json", sae_probes({5: 0.93 + d}))
             for s, d in enumerate((0.02, 0.025, 0.03))]
    ev = tmp_path / "ev"
    assert main(["ingest", "saebench", *map(str, files), "--candidate-id", "c",
                 "--out", str(ev)]) == 0
    gate = _leaf(_check(ev), "saebench")
    assert gate.status == "pass", gate.reason
    assert gate.observed is not None and 0 < gate.observed < 0.03


def test_shipped_policy_pins_each_external_metric() -> None:
    loaded = policy.load_policy(policy.DEFAULT_POLICY)
    ext = next(g for g in loaded.policy.gates if g.name == "external")
    where = {c.name: c.select.where for c in ext.children}  # type: ignore[union-attr]
    assert where == {
        "saebench": {"/metrics/benchmark/name": "saebench",
                     "/metrics/benchmark/eval_type": "sparse_probing_sae_probes",
                     "/metrics/metric": "max_k sae.sae_top_k_test_auc"},
        "cebench": {"/metrics/benchmark/name": "cebench",
                    "/metrics/benchmark/eval_type": "interpretability",
                    "/metrics/metric": "interpretability_score_mean"},
    }


# Every (benchmark, eval type, metric) ingest can record, and whether the shipped gate reads it.
_CHOICES = [("cebench", "interpretability", m) for m in CEBENCH_METRICS]
_CHOICES += [("saebench", e, spec.name) for e, table in METRICS.items() for spec in table.values()]
_CHOICES += [("saebench", e, f"max_k sae.sae_top_k_test_{x}")
             for e in ("sparse_probing", "sparse_probing_sae_probes") for x in ("auc", "accuracy")]
HEADLINE = {("cebench", "interpretability", "interpretability_score_mean"),
            ("saebench", "sparse_probing_sae_probes", "max_k sae.sae_top_k_test_auc")}


def _result(bench: str, eval_type: str, metric: str, value: float, tag: str) -> BenchResult:
    return BenchResult(
        benchmark=bench, path=f"{tag}.json",  # type: ignore[arg-type]
        sha256=hashlib.sha256(tag.encode()).hexdigest(), eval_type=eval_type, version="v",
        metric=metric, value=value, row_budget=200, match_key={"model_name": "m"},
        subject_id=f"release/{tag}")


@settings(max_examples=25, deadline=None)
@given(choice=st.sampled_from(_CHOICES),
       steps=st.lists(st.integers(0, 20), min_size=3, max_size=4, unique=True))
def test_only_the_headline_metric_can_pass_its_gate(
        choice: tuple[str, str, str], steps: list[int]) -> None:
    # Clearly positive deltas (5 to 5.5, distinct): on the headline metric the gate passes; on
    # any other metric or eval type it has no evidence, however good the deltas.
    bench, eval_type, metric = choice
    deltas = [5.0 + i / 40 for i in steps]
    cands = [(s, _result(bench, eval_type, metric, 10.0 + d, f"c{s}"))
             for s, d in enumerate(deltas)]
    base = _result(bench, eval_type, metric, 10.0, "base")
    with tempfile.TemporaryDirectory() as tmp:
        write_external_evidence(tmp, build_evidence(cands, [base], candidate_id="c"))
        status = _leaf(_check(Path(tmp)), bench).status
    assert status == ("pass" if choice in HEADLINE else "missing")


def test_select_refuses_to_rank_candidates_on_different_metrics(
        write: Writer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # rt10: candidate "topk" ingested on contrastive_score_mean (+5.6 ... +7.6) would outrank a
    # candidate on the headline metric; their bounds are not on one scale.
    cands, base = _rt10_files(write)
    ev = tmp_path / "ev"
    _ingest(cands, base, ev, "--metric", "contrastive_score_mean")
    other = [write(f"relu/c_seed{s}.json", cebench(55.5 + s / 10, rows=80, sae_id="layer_0/w"))
             for s in range(3)]
    assert main(["ingest", "cebench", *map(str, other), "--baseline", str(base),
                 "--candidate-id", "relu", "--out", str(ev)]) == 0
    capsys.readouterr()
    rc = main(["select", "--evidence", str(ev), "--out",
               str(tmp_path / "sel")])
    err = capsys.readouterr().err
    assert rc == 1, err
    assert "cebench evidence of different candidates is on different eval types or metrics" in err
    assert "metric contrastive_score_mean" in err and "metric interpretability_score_mean" in err

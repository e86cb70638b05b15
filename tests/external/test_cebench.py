"""CE-Bench result files and the matched-baseline rule (same rows, same dataset)."""

from __future__ import annotations

import re

import pytest
from external.results_factory import Writer, cebench

from runners.external import (
    ExternalResultError,
    UnmatchedBaselineError,
    build_evidence,
    check_matched,
    load_cebench_result,
)

REAL_KEYS = ["contrastive_dataset", "sae_release", "sae_id", "contrastive_score_mean",
             "independent_score_mean", "interpretability_score_mean", "total_rows",
             "sae_config", "date"]


def test_fixture_has_the_real_structure() -> None:
    assert list(cebench()) == REAL_KEYS
    assert list(cebench(dataset=None)) == REAL_KEYS[1:]


def test_parses_headline_and_row_budget(write: Writer) -> None:
    r = load_cebench_result(write("r.json", cebench(50.5, rows=200)))
    assert (r.metric, r.value, r.row_budget) == ("interpretability_score_mean", 50.5, 200)
    assert r.subject_id == "releasegate-topk/layer_0/width_4k"
    other = load_cebench_result(write("r.json", cebench(50.5)), metric="contrastive_score_mean")
    assert other.value == 30.5


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("interpretability_score_mean"), "interpretability_score_mean"),
        (lambda d: d.update(total_rows=True), "total_rows"),
        (lambda d: d.update(total_rows=0), "total_rows"),
        (lambda d: d.update(interpretability_score_mean="54.9"), "interpretability_score_mean"),
        (lambda d: d.update(sae_config=None), "sae_config"),
    ],
)
def test_malformed_is_refused_with_pointer(write: Writer, mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    doc = cebench()
    mutate(doc)
    path = write("bad.json", doc)
    with pytest.raises(ExternalResultError, match=message) as info:
        load_cebench_result(path)
    assert str(path) in str(info.value)


def test_nan_and_bad_metric_refused(write: Writer) -> None:
    text = write("a.json", cebench(12.5)).read_text().replace(
        '"interpretability_score_mean": 12.5', '"interpretability_score_mean": NaN')
    with pytest.raises(ExternalResultError, match="NaN"):
        load_cebench_result(write("nan.json", text))
    with pytest.raises(ExternalResultError, match="choose one of"):
        load_cebench_result(write("ok.json", cebench()), metric="score")


def test_unmatched_row_budget_refused(write: Writer) -> None:
    cand = load_cebench_result(write("c.json", cebench(rows=200)))
    base = load_cebench_result(write("b.json", cebench(rows=80)))
    with pytest.raises(UnmatchedBaselineError, match="row budget 80 vs the candidate's 200"):
        check_matched(cand, base)
    with pytest.raises(UnmatchedBaselineError):
        build_evidence([(0, cand)], [base], candidate_id="c")


def test_dataset_mismatch_refused_and_one_sided_dataset_refused(write: Writer) -> None:
    cand = load_cebench_result(write("c.json", cebench()))
    other = load_cebench_result(write("b.json", cebench(dataset="someone/else")))
    with pytest.raises(UnmatchedBaselineError,
                       match="contrastive_dataset: baseline 'someone/else' vs candidate "
                             "'GulkoA/contrastive-stories-v2'"):
        check_matched(cand, other)
    # Older CE-Bench files do not record the dataset: the two runs cannot be confirmed
    # comparable, whether the other side records it or not (fail closed; rt10: both sides
    # without it used to be compared on the rest only).
    old = load_cebench_result(write("old.json", cebench(dataset=None)))
    with pytest.raises(UnmatchedBaselineError, match=r"old\.json does not record /contrastive_d"):
        check_matched(cand, old)
    with pytest.raises(UnmatchedBaselineError, match=r"old2\.json does not record /contrastive_d"):
        check_matched(load_cebench_result(write("old2.json", cebench(dataset=None))), old)


# Issue 10: a baseline "matched" on the row count alone, on another model and hook, passed.
@pytest.mark.parametrize(("override", "message"), [
    ({"model": "pythia-70m-deduped"}, "model_name: baseline 'pythia-70m-deduped' vs candidate "
                                      "'gemma-2-2b'"),
    ({"hook": "blocks.12.hook_mlp_out", "layer": 12, "sae_id": "layer_12/width_4k"},
     "hook_layer: baseline 12 vs candidate 0; hook_name: baseline 'blocks.12.hook_mlp_out' vs "
     "candidate 'blocks.0.hook_resid_post'"),
])
def test_other_model_or_hook_is_not_a_matched_baseline(
        write: Writer, override: dict[str, object], message: str) -> None:
    cand = load_cebench_result(write("c.json", cebench(rows=200)))
    base = load_cebench_result(write("b.json", cebench(rows=200, **override)))  # type: ignore[arg-type]
    assert cand.row_budget == base.row_budget  # the old rule called this matched
    with pytest.raises(UnmatchedBaselineError, match=re.escape(message)):
        check_matched(cand, base)
    with pytest.raises(UnmatchedBaselineError, match=re.escape(message)):
        build_evidence([(0, cand)], [base], candidate_id="c")


def test_candidates_on_different_budgets_refused(write: Writer) -> None:
    a = load_cebench_result(write("a.json", cebench(rows=200)))
    b = load_cebench_result(write("b.json", cebench(rows=100)))
    base = load_cebench_result(write("base.json", cebench(rows=200)))
    with pytest.raises(UnmatchedBaselineError, match="different row budgets"):
        build_evidence([(0, a), (1, b)], [base], candidate_id="c")


def test_cebench_needs_a_baseline(write: Writer) -> None:
    a = load_cebench_result(write("a.json", cebench()))
    with pytest.raises(ExternalResultError, match="--baseline"):
        build_evidence([(0, a)], [], candidate_id="c")

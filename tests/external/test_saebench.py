"""SAEBench result files: headline extraction, schema validation and every refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
from external.results_factory import Writer, absorption, cebench, scr, sparse_probing

from runners.external import ExternalResultError, load_saebench_result, schema_problems

# The top-level keys of SAEBench's real sparse_probing output (acceptance test data, 8042bb3).
REAL_TOP_LEVEL = ["eval_type_id", "eval_config", "eval_id", "datetime_epoch_millis",
                  "eval_result_metrics", "eval_result_details", "sae_bench_commit_hash",
                  "sae_lens_id", "sae_lens_release_id", "sae_lens_version"]


def test_fixture_has_the_real_structure() -> None:
    assert list(sparse_probing()) == REAL_TOP_LEVEL
    # Valid against SAEBench's own shipped schema (sae_cfg_dict relaxed, see schemas/README.md).
    assert schema_problems(sparse_probing(), "sparse_probing") == []
    assert schema_problems(scr(), "scr") == []
    assert schema_problems(absorption(), "absorption_first_letter") == []


def test_sparse_probing_delta_is_best_sae_probe_vs_llm_probe(write: Writer) -> None:
    r = load_saebench_result(write("sp.json", sparse_probing({100: 0.97, 50: 0.96})))
    assert r.eval_type == "sparse_probing"
    assert r.metric == "max_k sae.sae_top_k_test_accuracy"
    assert r.value == 0.97
    assert (r.reference_metric, r.reference_value) == ("llm.llm_test_accuracy", 0.9516)
    assert r.row_budget == 1000
    assert r.version == "eb8c66073524128b3154051fe47f8fe3ef85959a"


def test_auc_preferred_when_reported(write: Writer) -> None:
    doc = sparse_probing()
    doc["eval_type_id"] = "sparse_probing_sae_probes"
    doc["eval_result_metrics"]["llm"]["llm_test_auc"] = 0.90
    doc["eval_result_metrics"]["sae"] |= {"sae_top_1_test_auc": 0.8, "sae_top_5_test_auc": 0.93}
    r = load_saebench_result(write("probes.json", doc))
    assert r.metric == "max_k sae.sae_top_k_test_auc"
    assert (r.value, r.reference_value) == (0.93, 0.90)


def test_lower_is_better_metric_is_negated(write: Writer) -> None:
    r = load_saebench_result(write("abs.json", absorption(0.25)))
    assert r.value == -0.25
    assert "negated" in r.metric


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("truncated.json", '{"eval_type_id": "sparse_probing", "eval_config"', "not strict JSON"),
        ("list.json", "[1, 2]", "top level is list"),
        ("nan.json", None, "NaN"),
        ("partial.json", None, "missing top-level 'eval_result_metrics'"),
        ("wrongtype.json", None, "wrong eval type: file is 'scr', expected 'sparse_probing'"),
        ("unknown.json", None, "eval_type_id 'mdl' has no headline metric"),
        ("schema.json", None, "does not match SAEBench 0.6.0's schema for sparse_probing"),
        ("cebench.json", cebench(), "missing top-level 'eval_type_id'"),
        ("nosae.json", None, "no SAE top-k probe score"),
    ],
)
def test_refused_files_name_the_file(write: Writer, name: str, content: object,
                                     message: str) -> None:
    if content is None:
        doc = sparse_probing()
        if name == "nan.json":
            text = write("tmp.json", doc).read_text().replace('"llm_test_accuracy": 0.9516',
                                                              '"llm_test_accuracy": NaN', 1)
            content = text
        elif name == "partial.json":
            del doc["eval_result_metrics"]
            content = doc
        elif name == "wrongtype.json":
            content = scr()
        elif name == "unknown.json":
            content = doc | {"eval_type_id": "mdl"}
        elif name == "schema.json":
            doc["eval_result_metrics"]["llm"]["llm_test_accuracy"] = "0.95"
            content = doc
        elif name == "nosae.json":
            doc["eval_result_metrics"]["sae"] = {"sae_test_accuracy": 0.95}
            content = doc
    path = write(name, content)
    with pytest.raises(ExternalResultError, match=message) as info:
        load_saebench_result(path, eval_type="sparse_probing" if name == "wrongtype.json"
                             else None)
    assert str(path) in str(info.value)


def test_nan_is_refused_even_without_schema(write: Writer) -> None:
    text = write("a.json", scr()).read_text().replace("0.757", "NaN")
    with pytest.raises(ExternalResultError, match="NaN"):
        load_saebench_result(write("nan_scr.json", text), validate_schema=False)


def test_null_metric_says_which_metrics_have_values(write: Writer) -> None:
    path = write("scr.json", scr())
    assert load_saebench_result(path).value == 0.757  # default: threshold 10
    with pytest.raises(ExternalResultError, match=r"null: not computed.*scr_metric_threshold_10"):
        load_saebench_result(path, metric="scr_metrics.scr_metric_threshold_20")
    with pytest.raises(ExternalResultError, match="choose one of"):
        load_saebench_result(path, metric="scr_metrics.bogus")


def test_metric_option_refused_for_probing(write: Writer) -> None:
    with pytest.raises(ExternalResultError, match="does not apply to sparse_probing"):
        load_saebench_result(write("sp.json", sparse_probing()), metric="x.y")


def test_bool_is_not_a_number(write: Writer) -> None:
    doc = absorption()
    doc["eval_result_metrics"]["mean"]["mean_absorption_fraction_score"] = True
    with pytest.raises(ExternalResultError, match="expected a number, found boolean"):
        load_saebench_result(write("bool.json", doc), validate_schema=False)


def test_schema_problems_point_at_the_field(tmp_path: Path) -> None:
    doc = sparse_probing()
    doc["eval_config"]["probe_test_set_size"] = "1000"
    problems = schema_problems(doc, "sparse_probing")
    assert problems and problems[0][0] == "/eval_config/probe_test_set_size"

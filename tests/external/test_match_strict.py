"""The matched-baseline check fails closed (red team rt10): every match-key field recorded on
both sides, values compared type-strictly, the SAE family the names state compared too."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from external.results_factory import Writer, absorption, cebench
from hypothesis import given, settings
from hypothesis import strategies as st

from releasegate.cli.main import main
from runners.external import (
    ExternalResultError,
    UnmatchedBaselineError,
    build_evidence,
    check_matched,
    load_cebench_result,
    load_saebench_result,
)
from runners.external._matching import sae_family, strictly_equal

MATCH_FIELDS = ("model_name", "hook_name", "hook_layer", "hook_head_index", "d_in")


def _deleted(doc: dict[str, Any]) -> dict[str, Any]:
    for k in MATCH_FIELDS:
        doc["sae_config"].pop(k)
    doc.pop("contrastive_dataset")
    return doc


def test_match_fields_deleted_from_both_sides_are_refused(
        write: Writer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # rt10 both_deleted: candidates on pythia-70m layer 3, baseline on gemma-2-2b layer 0, every
    # field that tells them apart deleted from both files: was accepted as matched.
    cands = []
    for s, score in enumerate([55.9, 56.4, 56.1]):
        doc = cebench(score, rows=80, model="pythia-70m", hook="blocks.3.hook_resid_post",
                      layer=3)
        doc["sae_config"]["d_in"] = 512
        cands.append(write(f"c_seed{s}.json", _deleted(doc)))
    base = write("base.json", _deleted(cebench(54.978, rows=80, release="gemma-scope-2b-pt-res",
                                               sae_id="layer_0/width_16k/average_l0_105")))
    out = tmp_path / "ev"
    rc = main(["ingest", "cebench", *map(str, cands), "--baseline", str(base),
               "--candidate-id", "x", "--out", str(out)])
    err = capsys.readouterr().err
    assert rc == 1
    assert f"{cands[0]} does not record /contrastive_dataset, /sae_config/model_name, " \
           "/sae_config/hook_name, /sae_config/hook_layer, /sae_config/hook_head_index, " \
           "/sae_config/d_in" in err
    assert not out.exists()


@pytest.mark.parametrize("side", ["candidate", "baseline"])
@pytest.mark.parametrize("field", [*MATCH_FIELDS, "contrastive_dataset"])
def test_any_one_missing_field_on_either_side_is_refused(
        write: Writer, side: str, field: str) -> None:
    docs = {"candidate": cebench(), "baseline": cebench()}
    target = docs[side] if field == "contrastive_dataset" else docs[side]["sae_config"]
    target.pop(field)
    cand = load_cebench_result(write("cand.json", docs["candidate"]))
    base = load_cebench_result(write("base.json", docs["baseline"]))
    pointer = "/contrastive_dataset" if field == "contrastive_dataset" else f"/sae_config/{field}"
    name = "cand.json" if side == "candidate" else "base.json"
    expected = re.escape(f"{name} does not record {pointer}")
    with pytest.raises(UnmatchedBaselineError, match=expected):
        check_matched(cand, base)


@pytest.mark.parametrize(("value", "found"), [
    (False, "boolean"), (0.0, "number"), ("0", "string '0'"), (None, "null")])
def test_hook_layer_of_another_type_is_refused_naming_the_field(
        write: Writer, value: object, found: str) -> None:
    # rt10 bool_layer: `hook_layer: false` against the baseline's 0 matched (False == 0).
    doc = cebench()
    doc["sae_config"]["hook_layer"] = value
    path = write("c_seed0.json", doc)
    with pytest.raises(ExternalResultError) as info:
        load_cebench_result(path)
    assert str(info.value) == f"{path}: /sae_config/hook_layer: expected an integer, found {found}"


def test_null_model_name_is_refused(write: Writer) -> None:
    doc = cebench()
    doc["sae_config"]["model_name"] = None
    with pytest.raises(ExternalResultError, match="/sae_config/model_name: expected a string"):
        load_cebench_result(write("c.json", doc))


def test_saebench_values_compare_type_strictly(write: Writer) -> None:
    # SAEBench's sae_cfg_dict is not type-checked by its schema: `hook_layer: true` vs 1.
    cand, base = absorption(0.20), absorption(0.25)
    for doc, layer in ((cand, True), (base, 1)):
        doc["sae_cfg_dict"] |= {"hook_layer": layer, "hook_name": "blocks.1.hook_resid_post"}
        doc["sae_lens_id"] = "blocks.1.hook_resid_post__trainer_10"
    c = load_saebench_result(write("c.json", cand))
    b = load_saebench_result(write("b.json", base))
    with pytest.raises(UnmatchedBaselineError,
                       match=re.escape("sae_cfg_dict.hook_layer: baseline 1 (integer) vs "
                                       "candidate True (boolean)")):
        check_matched(c, b)


def test_saebench_missing_eval_config_or_sae_cfg_field_is_refused(write: Writer) -> None:
    cand, base = absorption(0.20), absorption(0.25)
    del cand["eval_config"]["prompt_template"]
    del base["sae_cfg_dict"]["d_in"]
    c = load_saebench_result(write("c.json", cand), validate_schema=False)
    b = load_saebench_result(write("b.json", base))
    with pytest.raises(UnmatchedBaselineError,
                       match=re.escape("c.json does not record /eval_config/prompt_template")):
        check_matched(c, b)
    with pytest.raises(UnmatchedBaselineError,
                       match=re.escape("b.json does not record /sae_cfg_dict/d_in")):
        check_matched(load_saebench_result(write("c2.json", absorption(0.2))), b)


def test_sae_family_named_by_release_and_id_is_compared(write: Writer) -> None:
    # rt10 sae_id_other: the candidate's sae_release/sae_id name an MLP SAE at layer 12, the
    # baseline a residual SAE at layer 0; nothing compared them.
    mlp = cebench(release="gemma-scope-2b-pt-mlp", sae_id="layer_12/width_16k/average_l0_108")
    base = load_cebench_result(write("base.json", cebench(
        release="gemma-scope-2b-pt-res", sae_id="layer_0/width_16k/average_l0_105")))
    with pytest.raises(UnmatchedBaselineError,
                       match=re.escape("names layer 12 (sae_release/sae_id "
                                       "'gemma-scope-2b-pt-mlp/layer_12/width_16k/average_l0_108')"
                                       " but its config reads hook_layer 0")):
        check_matched(load_cebench_result(write("c.json", mlp)), base)
    # The same layer, another site: the config agrees with the baseline, the name does not.
    site = cebench(release="gemma-scope-2b-pt-mlp", sae_id="layer_0/width_16k/average_l0_108")
    with pytest.raises(UnmatchedBaselineError,
                       match=re.escape("SAE site (from sae_release/sae_id): baseline 'res' vs "
                                       "candidate 'mlp'")):
        check_matched(load_cebench_result(write("c2.json", site)), base)
    # A candidate whose name states no site (its own release) is compared on the layer only.
    own = load_cebench_result(write("c3.json", cebench(sae_id="layer_0/width_4k")))
    check_matched(own, base)


def test_saebench_family_from_sae_lens_id(write: Writer) -> None:
    cand, base = absorption(0.20), absorption(0.25)
    base["sae_lens_id"] = "blocks.4.hook_mlp_out__trainer_10"
    with pytest.raises(UnmatchedBaselineError, match=re.escape("SAE site (from sae_lens_release_"
                                                               "id/sae_lens_id): baseline 'mlp'")):
        check_matched(load_saebench_result(write("c.json", cand)),
                      load_saebench_result(write("b.json", base)))


@pytest.mark.parametrize(("release", "sae_id", "family"), [
    ("gemma-scope-2b-pt-res", "layer_0/width_16k/average_l0_105", {"layer": 0, "site": "res"}),
    ("gemma-scope-2b-pt-mlp", "layer_12/width_16k/average_l0_108", {"layer": 12, "site": "mlp"}),
    ("gemma-scope-2b-pt-att", "layer_12/width_16k/average_l0_41", {"layer": 12, "site": "att"}),
    ("sae_bench_pythia70m_sweep_topk_ctx128_0730", "blocks.4.hook_resid_post__trainer_10",
     {"layer": 4, "site": "res"}),
    ("releasegate-topk", "layer_0/width_4k", {"layer": 0}),
    ("releasegate-topk", "width_4k", {}),
])
def test_sae_family_of_real_names(release: str, sae_id: str, family: dict[str, Any]) -> None:
    assert sae_family(release, sae_id) == family


def test_unedited_files_still_match(write: Writer) -> None:
    cand = [(s, load_cebench_result(write(f"c{s}.json", cebench(55.0 + s)))) for s in range(3)]
    base = load_cebench_result(write("b.json", cebench(50.0, release="gemma-scope-2b-pt-res",
                                                       sae_id="layer_0/width_16k/x")))
    ev = build_evidence(cand, [base], candidate_id="c")
    assert [d.value for d in ev.metrics.deltas] == [5.0, 6.0, 7.0]
    assert json.loads(ev.model_dump_json())["provenance"]["config"]["match_key"]["hook_layer"] == 0


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3)
    | st.floats(-3, 3, allow_nan=False).map(lambda x: x + 0.0)  # + 0.0: no -0.0 (== 0.0)
    | st.sampled_from(["0", "1", "a"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("ab"), inner,
                                                                max_size=2),
    max_leaves=6)


@settings(max_examples=60, deadline=None)
@given(_JSON, _JSON)
def test_strictly_equal_is_equality_of_the_json_text(a: Any, b: Any) -> None:
    # Two parsed JSON values are strictly equal exactly when they serialise to the same
    # canonical JSON (False is "false", 0 is "0", 0.0 is "0.0"): an independent definition.
    canon = (json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True))
    assert strictly_equal(a, b) == canon
    assert strictly_equal(a, a)

"""SAEBench result files → :class:`BenchResult`.

SAEBench writes one JSON per SAE and eval type (``eval_type_id``, ``eval_config``,
``eval_result_metrics``, ``eval_result_details``, ``sae_bench_commit_hash``, ``sae_lens_version``,
…). Files are validated against the JSON Schemas SAEBench ships (vendored in ``schemas/``).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_schema import content_sha256

from ._errors import ExternalResultError
from ._matching import collect_match_fields, sae_family
from ._results import BenchResult, finite_number, json_type, read_result_json

SCHEMA_DIR = Path(__file__).parent / "schemas"
SAEBENCH_SCHEMA_VERSION = "0.6.0"  # the sae-bench release the vendored schemas come from

# eval_type_id → vendored schema file. sparse_probing_sae_probes ships no schema in 0.6.0.
SCHEMA_FILES: dict[str, str] = {
    "sparse_probing": "eval_output_schema_sparse_probing.json",
    "core": "eval_output_schema_core.json",
    "scr": "eval_output_schema_scr.json",
    "tpp": "eval_output_schema_tpp.json",
    "absorption_first_letter": "eval_output_schema_absorption_first_letter.json",
    "autointerp": "eval_output_schema_autointerp.json",
    "unlearning": "eval_output_schema_unlearning.json",
    "ravel": "eval_output_schema_ravel.json",
}

# Required by the 0.6.0 schemas but absent from files written by earlier SAEBench versions,
# including SAEBench's own acceptance-test data; everything else the schema requires stays
# required.
RELAXED_REQUIRED = frozenset({"sae_cfg_dict"})


@dataclass(frozen=True)
class MetricSpec:
    """A headline metric: where it is in ``eval_result_metrics`` and which way is better."""

    pointer: tuple[str, str]
    higher_is_better: bool = True

    @property
    def name(self) -> str:
        dotted = ".".join(self.pointer)
        return dotted if self.higher_is_better else f"-{dotted} (lower is better, negated)"


# The metrics a delta can be taken over, per eval type; the first is the default. l0 is left out
# on purpose: a sparser SAE is not better at equal quality in every programme, so a delta over it
# has no agreed sign.
METRICS: dict[str, dict[str, MetricSpec]] = {
    "core": {
        "model_performance_preservation.ce_loss_score": MetricSpec(
            ("model_performance_preservation", "ce_loss_score")),
        "reconstruction_quality.explained_variance": MetricSpec(
            ("reconstruction_quality", "explained_variance")),
        "model_behavior_preservation.kl_div_score": MetricSpec(
            ("model_behavior_preservation", "kl_div_score")),
    },
    "scr": {
        f"scr_metrics.scr_metric_threshold_{n}": MetricSpec(
            ("scr_metrics", f"scr_metric_threshold_{n}"))
        for n in (10, 2, 5, 20, 50, 100, 500)
    },
    "tpp": {
        f"tpp_metrics.tpp_threshold_{n}_total_metric": MetricSpec(
            ("tpp_metrics", f"tpp_threshold_{n}_total_metric"))
        for n in (10, 2, 5, 20, 50, 100, 500)
    },
    "absorption_first_letter": {
        "mean.mean_absorption_fraction_score": MetricSpec(
            ("mean", "mean_absorption_fraction_score"), higher_is_better=False),
        "mean.mean_full_absorption_score": MetricSpec(
            ("mean", "mean_full_absorption_score"), higher_is_better=False),
    },
}
PROBING = ("sparse_probing", "sparse_probing_sae_probes")
EVAL_TYPES: tuple[str, ...] = (*PROBING, *METRICS)

# eval_config keys that must be equal between a candidate and a baseline file: the same model,
# the same data and the same number of rows. Seeds and batch sizes may differ.
MATCH_KEYS: dict[str, tuple[str, ...]] = {
    "sparse_probing": ("model_name", "dataset_names", "probe_train_set_size",
                       "probe_test_set_size", "context_length", "k_values"),
    # sae-bench's SparseProbingSaeProbesEvalConfig names its k values `ks`
    "sparse_probing_sae_probes": ("model_name", "dataset_names", "ks", "setting", "reg_type",
                                  "binarize"),
    "core": ("model_name", "dataset", "context_size", "batch_size_prompts",
             "n_eval_reconstruction_batches", "n_eval_sparsity_variance_batches"),
    "scr": ("model_name", "dataset_names", "train_set_size", "test_set_size", "context_length",
            "n_values", "column1_vals_lookup"),
    "tpp": ("model_name", "dataset_names", "train_set_size", "test_set_size", "context_length",
            "n_values", "column1_vals_lookup"),
    "absorption_first_letter": ("model_name", "prompt_template", "prompt_token_pos",
                                "max_k_value"),
}
# sae_cfg_dict keys naming what the SAE reads (model, hook, input width), compared when the files
# record sae_cfg_dict (it is missing from files older than 0.6.0); where it is recorded, every
# one of them must be.
SAE_CFG_MATCH_KEYS = ("model_name", "hook_name", "hook_layer", "hook_head_index", "d_in")
ROW_KEYS: dict[str, str] = {
    "sparse_probing": "probe_test_set_size",
    "scr": "test_set_size",
    "tpp": "test_set_size",
}

_TOP_K = re.compile(r"^sae_top_(\d+)_test_(accuracy|auc)$")


@functools.cache
def _schema_validator(eval_type: str) -> Any:
    # jsonschema is a core dependency but costs ~0.1 s to import; only ingestion pays for it.
    from jsonschema import Draft202012Validator

    schema = json.loads((SCHEMA_DIR / SCHEMA_FILES[eval_type]).read_text())
    schema["required"] = [k for k in schema.get("required", []) if k not in RELAXED_REQUIRED]
    return Draft202012Validator(schema)


def schema_problems(doc: dict[str, Any], eval_type: str) -> list[tuple[str, str]]:
    """(JSON pointer, message) for each way ``doc`` breaks SAEBench's schema for ``eval_type``."""
    if eval_type not in SCHEMA_FILES:
        return []
    out = []
    for err in sorted(_schema_validator(eval_type).iter_errors(doc), key=lambda e: e.path):
        pointer = "/" + "/".join(str(p) for p in err.absolute_path)
        out.append((pointer, err.message))
    return out


def load_saebench_result(
    path: str | Path,
    *,
    eval_type: str | None = None,
    metric: str | None = None,
    validate_schema: bool = True,
) -> BenchResult:
    """Parse one SAEBench result file; raise :class:`ExternalResultError` naming the file."""
    p = str(path)
    doc, sha = read_result_json(path)
    for key in ("eval_type_id", "eval_config", "eval_result_metrics"):
        if key not in doc:
            raise ExternalResultError(
                f"missing top-level {key!r}: not a SAEBench result file, or a partial one "
                f"(found keys: {', '.join(sorted(doc)) or 'none'})", path=p)
    found = doc["eval_type_id"]
    if found not in EVAL_TYPES:
        raise ExternalResultError(
            f"eval_type_id {found!r} has no headline metric here; supported: "
            f"{', '.join(EVAL_TYPES)}", path=p, pointer="/eval_type_id")
    if eval_type is not None and found != eval_type:
        raise ExternalResultError(
            f"wrong eval type: file is {found!r}, expected {eval_type!r}", path=p,
            pointer="/eval_type_id")
    if validate_schema:
        problems = schema_problems(doc, found)
        if problems:
            shown = "; ".join(f"{ptr}: {msg}" for ptr, msg in problems[:5])
            more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
            raise ExternalResultError(
                f"does not match SAEBench {SAEBENCH_SCHEMA_VERSION}'s schema for {found}: "
                f"{shown}{more}", path=p)
    config = doc["eval_config"]
    metrics = doc["eval_result_metrics"]
    for key, val in (("eval_config", config), ("eval_result_metrics", metrics)):
        if not isinstance(val, dict):
            raise ExternalResultError(f"expected an object, found {json_type(val)}", path=p,
                                      pointer=f"/{key}")
    if found in PROBING:
        if metric is not None:
            raise ExternalResultError(
                f"--metric does not apply to {found}: its delta is always the best SAE probe "
                "minus the model's own probe", path=p)
        name, value, ref_name, ref_value = _probing(metrics, p)
    else:
        spec = _spec(found, metric, p)
        value = _at(metrics, spec.pointer, p)
        name, ref_name, ref_value = spec.name, None, None
        if not spec.higher_is_better:
            value = -value
    row_key = ROW_KEYS.get(found)
    rows = config.get(row_key) if row_key else None
    sae_cfg = doc.get("sae_cfg_dict")
    # The eval config's match keys must all be recorded; sae_cfg_dict is absent from files older
    # than 0.6.0 (SAEBench's own test data), so its keys are required only where it is present
    # (a dict on one side only is a one-sided setting, refused by the match).
    match_key, unrecorded = collect_match_fields(config, MATCH_KEYS.get(found, ()),
                                                 pointer="/eval_config")
    if sae_cfg is not None:
        sae_keys, sae_missing = collect_match_fields(
            sae_cfg, SAE_CFG_MATCH_KEYS, pointer="/sae_cfg_dict", name_prefix="sae_cfg_dict.")
        match_key |= sae_keys
        unrecorded += sae_missing
    release, sae_id = (_str_or_none(doc.get(k)) for k in ("sae_lens_release_id", "sae_lens_id"))
    return BenchResult(
        benchmark="saebench",
        path=p,
        sha256=sha,
        content_sha256=content_sha256(doc),
        eval_type=found,
        version=_str_or_none(doc.get("sae_bench_commit_hash")),
        metric=name,
        value=value,
        reference_metric=ref_name,
        reference_value=ref_value,
        row_budget=rows if isinstance(rows, int) and not isinstance(rows, bool) else None,
        match_key={"eval_type_id": found, **match_key},
        unrecorded=unrecorded,
        family=sae_family(release, sae_id),
        subject_id="/".join(str(doc.get(k) or "?")
                            for k in ("sae_lens_release_id", "sae_lens_id")),
        device=_str_or_none(sae_cfg.get("device")) if isinstance(sae_cfg, dict) else None,
    )


def _str_or_none(v: Any) -> str | None:
    return v if isinstance(v, str) and v else None


def _spec(eval_type: str, metric: str | None, path: str) -> MetricSpec:
    table = METRICS[eval_type]
    if metric is None:
        return next(iter(table.values()))
    if metric not in table:
        raise ExternalResultError(
            f"metric {metric!r} is not a headline metric of {eval_type}; choose one of: "
            f"{', '.join(table)}", path=path)
    return table[metric]


def _at(metrics: dict[str, Any], pointer: tuple[str, str], path: str) -> float:
    group, key = pointer
    ptr = f"/eval_result_metrics/{group}/{key}"
    section = metrics.get(group)
    if not isinstance(section, dict) or key not in section:
        raise ExternalResultError("missing: the eval did not report this metric (partial "
                                  "result?)", path=path, pointer=ptr)
    if section[key] is None:
        present = [k for k, v in section.items() if v is not None]
        raise ExternalResultError(
            f"null: not computed in this run; metrics with values: {', '.join(present) or 'none'}"
            " (choose one with --metric)", path=path, pointer=ptr)
    return finite_number(section[key], path, ptr)


def _probing(metrics: dict[str, Any], path: str) -> tuple[str, float, str, float]:
    # The programme's "SAEBench delta": the best SAE probe minus the model's own probe. AUC
    # where the eval reports it for both (sae-probes variant), accuracy otherwise.
    sae, llm = metrics.get("sae"), metrics.get("llm")
    if not isinstance(sae, dict) or not isinstance(llm, dict):
        raise ExternalResultError("missing 'sae' or 'llm' probe metrics (partial result?)",
                                  path=path, pointer="/eval_result_metrics")
    for measure in ("auc", "accuracy"):
        ref_key = f"llm_test_{measure}"
        tops = {int(m.group(1)): v for k, v in sae.items()
                if (m := _TOP_K.match(k)) and m.group(2) == measure and v is not None}
        if llm.get(ref_key) is None or not tops:
            continue
        best_k = max(tops, key=lambda k: (finite_number(
            tops[k], path, f"/eval_result_metrics/sae/sae_top_{k}_test_{measure}"), -k))
        value = float(tops[best_k])
        ref = finite_number(llm[ref_key], path, f"/eval_result_metrics/llm/{ref_key}")
        # The winning k varies by seed; the metric's name must not, or seeds could not be pooled.
        return f"max_k sae.sae_top_k_test_{measure}", value, f"llm.{ref_key}", ref
    raise ExternalResultError(
        "no SAE top-k probe score with a matching LLM probe score (need sae_top_k_test_auc + "
        "llm_test_auc, or sae_top_k_test_accuracy + llm_test_accuracy)", path=path,
        pointer="/eval_result_metrics")

"""Builders of benchmark result files with the exact structure SAEBench 0.6.0 and CE-Bench write.

The structures mirror real files (SAEBench's tests/acceptance/test_data at commit 8042bb3 and
CE-Bench's interpretability_eval/{release}/{sae_id}/results.json at 48176fa); values are made up.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

K_VALUES = [1, 2, 5, 10, 20, 50, 100]


def sparse_probing(sae_top: dict[int, float] | None = None, llm: float = 0.9516,
                   probe_test_set_size: int = 1000, model: str = "pythia-70m-deduped",
                   ) -> dict[str, Any]:
    """A SAEBench sparse_probing result; ``sae_top`` overrides some sae_top_k accuracies."""
    sae = {"sae_test_accuracy": 0.954}
    sae |= {f"sae_top_{k}_test_accuracy": round(0.75 + 0.02 * i, 4)
            for i, k in enumerate(K_VALUES)}
    for k, v in (sae_top or {}).items():
        sae[f"sae_top_{k}_test_accuracy"] = v
    llm_m = {"llm_test_accuracy": llm}
    llm_m |= {f"llm_top_{k}_test_accuracy": round(0.76 + 0.02 * i, 4)
              for i, k in enumerate(K_VALUES)}
    return {
        "eval_type_id": "sparse_probing",
        "eval_config": {
            "random_seed": 44,
            "dataset_names": ["LabHC/bias_in_bios_class_set1"],
            "probe_train_set_size": 4000,
            "probe_test_set_size": probe_test_set_size,
            "context_length": 128,
            "sae_batch_size": 125,
            "llm_batch_size": 32,
            "llm_dtype": "float32",
            "model_name": model,
            "k_values": K_VALUES,
        },
        "eval_id": "f2f0401a-eef7-409d-9ac2-cfeb122ea0ed",
        "datetime_epoch_millis": 1729921837271,
        "eval_result_metrics": {"llm": llm_m, "sae": sae},
        "eval_result_details": [
            {"dataset_name": "LabHC/bias_in_bios_class_set1_results", **llm_m, **sae}
        ],
        "sae_bench_commit_hash": "eb8c66073524128b3154051fe47f8fe3ef85959a",
        "sae_lens_id": "blocks.4.hook_resid_post__trainer_10",
        "sae_lens_release_id": "sae_bench_pythia70m_sweep_topk_ctx128_0730",
        "sae_lens_version": "4.0.7",
    }


def sae_probes(sae_top_auc: dict[int, float] | None = None, llm_auc: float = 0.93,
               model: str = "pythia-70m-deduped") -> dict[str, Any]:
    """A SAEBench sparse_probing_sae_probes result (sae-bench's SparseProbingSaeProbesEvalOutput:
    accuracy, AUC and F1 per k, the model's own probe under ``llm``); ``sae_top_auc`` overrides
    some sae_top_k AUCs. The eval the shipped policy's saebench gate reads (AUC − model AUC)."""
    ks = [1, 2, 5]
    sae: dict[str, float | None] = {"sae_test_accuracy": 0.95}
    for i, k in enumerate(ks):
        sae |= {f"sae_top_{k}_test_accuracy": round(0.80 + 0.03 * i, 4),
                f"sae_top_{k}_test_auc": round(0.85 + 0.02 * i, 4),
                f"sae_top_{k}_test_f1": round(0.78 + 0.03 * i, 4)}
    for k in (10, 20, 50, 100):  # not run: ks is [1, 2, 5]
        sae |= {f"sae_top_{k}_test_{m}": None for m in ("accuracy", "auc", "f1")}
    for k, v in (sae_top_auc or {}).items():
        sae[f"sae_top_{k}_test_auc"] = v
    llm = {"llm_test_accuracy": 0.91, "llm_test_auc": llm_auc, "llm_test_f1": 0.9}
    return {
        "eval_type_id": "sparse_probing_sae_probes",
        "eval_config": {
            "model_name": model, "random_seed": 42,
            "dataset_names": ["100_news_fake", "105_click_bait"], "reg_type": "l1",
            "setting": "normal", "ks": ks, "binarize": False,
            "results_path": "artifacts/sparse_probing_sae_probes",
            "model_cache_path": "artifacts/sparse_probing_sae_probes--model_acts_cache",
            "include_llm_baseline": True, "baseline_method": "logreg",
        },
        "eval_id": "0b9e7c1e-5d0f-4c53-9a8e-2f1f3c1d7e11",
        "datetime_epoch_millis": 1754000000000,
        "eval_result_metrics": {"llm": llm, "sae": sae},
        "eval_result_details": [{"dataset_name": "100_news_fake", **llm, **sae}],
        "sae_bench_commit_hash": "8042bb3b1c0a8f4f5d7f0b8c9e6a2d4f1e3c5b7a",
        "sae_lens_id": "blocks.4.hook_resid_post__trainer_10",
        "sae_lens_release_id": "sae_bench_pythia70m_sweep_topk_ctx128_0730",
        "sae_lens_version": "6.5.1",
        "sae_cfg_dict": {"architecture": "topk", "d_in": 512, "d_sae": 16384,
                         "model_name": model, "hook_name": "blocks.4.hook_resid_post",
                         "hook_layer": 4, "hook_head_index": None, "device": "cuda"},
    }


def scr(threshold_10: float | None = 0.757) -> dict[str, Any]:
    """A SAEBench SCR result run with a single threshold (10); the others are null."""
    metrics: dict[str, float | None] = {}
    for n in (2, 5, 10, 20, 50, 100, 500):
        v = threshold_10 if n == 10 else None
        metrics |= {f"scr_dir1_threshold_{n}": v, f"scr_metric_threshold_{n}": v,
                    f"scr_dir2_threshold_{n}": None if v is None else v / 2}
    return {
        "eval_type_id": "scr",
        "eval_config": {
            "random_seed": 42, "dataset_names": ["LabHC/bias_in_bios_class_set1"],
            "perform_scr": True, "early_stopping_patience": 40, "train_set_size": 4000,
            "test_set_size": 1000, "context_length": 128, "probe_train_batch_size": 16,
            "probe_test_batch_size": 500, "probe_epochs": 100, "probe_lr": 0.001,
            "sae_batch_size": 250, "llm_batch_size": 500, "llm_dtype": "float32",
            "model_name": "pythia-70m-deduped", "n_values": [10],
            "column1_vals_lookup": {"LabHC/bias_in_bios_class_set1": [["professor", "nurse"]]},
        },
        "eval_id": "f6fe23a1-880b-4bb9-aebf-9fe04a94bf6a",
        "datetime_epoch_millis": 1730416723279,
        "eval_result_metrics": {"scr_metrics": metrics},
        "eval_result_details": [{
            "dataset_name": "LabHC/bias_in_bios_class_set1_scr_professor_nurse_results",
            **metrics}],
        "sae_bench_commit_hash": "177be38c320cec0cf2e5ceb66d94e6e5c80427c6",
        "sae_lens_id": "blocks.4.hook_resid_post__trainer_10",
        "sae_lens_release_id": "sae_bench_pythia70m_sweep_topk_ctx128_0730",
        "sae_lens_version": "4.0.10",
        "eval_result_unstructured": {},
    }


def absorption(mean_fraction: float = 0.263) -> dict[str, Any]:
    return {
        "eval_type_id": "absorption_first_letter",
        "eval_config": {
            "model_name": "pythia-70m-deduped", "random_seed": 44, "f1_jump_threshold": 0.03,
            "max_k_value": 10, "prompt_template": "{word} has the first letter:",
            "prompt_token_pos": -6, "llm_batch_size": 512, "llm_dtype": "float32",
            "k_sparse_probe_l1_decay": 0.01, "k_sparse_probe_batch_size": 4096,
            "k_sparse_probe_num_epochs": 50,
        },
        "eval_id": "43ce4f03-9b8d-4ae4-9566-3e650e5b463c",
        "datetime_epoch_millis": 1741454503938,
        "eval_result_metrics": {"mean": {
            "mean_absorption_fraction_score": mean_fraction,
            "mean_full_absorption_score": 0.25, "mean_num_split_features": 1.3,
            "std_dev_absorption_fraction_score": 0.07, "std_dev_full_absorption_score": 0.08,
            "std_dev_num_split_features": 0.47}},
        "eval_result_details": [{
            "first_letter": "a", "mean_absorption_fraction": 0.317,
            "full_absorption_rate": 0.26, "num_full_absorption": 163,
            "num_probe_true_positives": 627, "num_split_features": 2}],
        "sae_bench_commit_hash": "c0f54314bc8a8eba515c056e4d1175902f0f7f95",
        "sae_lens_id": "blocks.4.hook_resid_post__trainer_10",
        "sae_lens_release_id": "sae_bench_pythia70m_sweep_topk_ctx128_0730",
        "sae_lens_version": "5.5.2",
        "sae_cfg_dict": {"architecture": "standard", "d_in": 512, "d_sae": 16384,
                         "model_name": "pythia-70m-deduped",
                         "hook_name": "blocks.4.hook_resid_post", "hook_layer": 4,
                         "hook_head_index": None, "device": "cuda"},
        "eval_result_unstructured": None,
    }


def cebench(score: float = 54.978, rows: int = 200, *, release: str = "releasegate-topk",
            sae_id: str = "layer_0/width_4k", dataset: str | None = "GulkoA/contrastive-stories-v2",
            model: str = "gemma-2-2b", hook: str = "blocks.0.hook_resid_post", layer: int = 0,
            ) -> dict[str, Any]:
    """A CE-Bench results.json; ``dataset=None`` drops contrastive_dataset, as older files do."""
    doc: dict[str, Any] = {}
    if dataset is not None:
        doc["contrastive_dataset"] = dataset
    doc |= {
        "sae_release": release,
        "sae_id": sae_id,
        "contrastive_score_mean": score - 20.0,
        "independent_score_mean": score + 20.0,
        "interpretability_score_mean": score,
        "total_rows": rows,
        "sae_config": {
            "architecture": "jumprelu", "d_in": 2304, "d_sae": 16384,
            "dtype": "torch.bfloat16", "device": "cuda", "model_name": model,
            "hook_name": hook, "hook_layer": layer, "hook_head_index": None,
            "activation_fn_str": "relu", "activation_fn_kwargs": {},
            "apply_b_dec_to_input": False, "finetuning_scaling_factor": False,
            "sae_lens_training_version": None, "prepend_bos": True,
            "dataset_path": "monology/pile-uncopyrighted", "dataset_trust_remote_code": True,
            "context_size": 1024, "normalize_activations": None, "neuronpedia_id": None,
            "model_from_pretrained_kwargs": {}, "seqpos_slice": [None],
        },
        "date": "2025-05-08 06:09:57",
    }
    return doc




# Writes a dict as JSON (or a str verbatim) and returns its path; see the `write` fixture.
Writer = Callable[[str, Any], Path]

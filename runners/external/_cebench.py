"""CE-Bench result files (``interpretability_eval/{release}/{sae_id}/results.json``) →
:class:`BenchResult`. CE-Bench is not on PyPI and ships no schema, so the model below is the
schema: the keys every CE-Bench result carries, with strict types (NaN and booleans refused).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from evidence_schema import content_sha256

from ._errors import ExternalResultError
from ._matching import collect_match_fields, sae_family
from ._results import BenchResult, Finite, json_type, read_result_json

CEBenchMetric = Literal[
    "interpretability_score_mean", "contrastive_score_mean", "independent_score_mean"
]
CEBENCH_METRICS: tuple[str, ...] = CEBenchMetric.__args__  # type: ignore[attr-defined]

# sae_config keys naming what the SAE reads: model, hook and width of its input. Architecture,
# d_sae, training data and dtype may differ between a candidate and its baseline.
SAE_MATCH_KEYS = ("model_name", "hook_name", "hook_layer", "hook_head_index", "d_in")
# The JSON type each of them has in every real file (hook_head_index: null or a head number).
_MATCH_TYPES: dict[str, tuple[type, ...]] = {
    "model_name": (str,), "hook_name": (str,), "hook_layer": (int,),
    "hook_head_index": (int, type(None)), "d_in": (int,),
}


class CEBenchResultFile(BaseModel):
    # Extra keys are allowed: CE-Bench adds fields between commits and none of them feeds a gate.
    model_config = ConfigDict(extra="allow", frozen=True)

    sae_release: StrictStr
    sae_id: StrictStr
    contrastive_score_mean: Finite
    independent_score_mean: Finite
    interpretability_score_mean: Finite
    total_rows: Annotated[StrictInt, Field(ge=1)]
    sae_config: dict[str, Any]
    date: StrictStr
    contrastive_dataset: StrictStr | None = None


def load_cebench_result(
    path: str | Path, *, metric: str = "interpretability_score_mean"
) -> BenchResult:
    """Parse one CE-Bench ``results.json``; raise :class:`ExternalResultError` naming the file."""
    p = str(path)
    if metric not in CEBENCH_METRICS:
        raise ExternalResultError(
            f"metric {metric!r} is not a CE-Bench score; choose one of: "
            f"{', '.join(CEBENCH_METRICS)}", path=p)
    doc, sha = read_result_json(path)
    try:
        r = CEBenchResultFile.model_validate(doc)
    except ValidationError as e:
        first = e.errors()[0]
        pointer = "/" + "/".join(str(x) for x in first["loc"])
        more = f" (+{e.error_count() - 1} more)" if e.error_count() > 1 else ""
        raise ExternalResultError(
            f"not a CE-Bench result: {first['msg']}{more}", path=p, pointer=pointer) from e
    device = r.sae_config.get("device")
    cfg = r.sae_config
    _check_match_types(cfg, p)
    # Comparable runs: the same model and hook (the activations the SAEs read), the same
    # contrastive dataset and the same row count. CE-Bench records no other eval config. Every
    # field must be recorded (older CE-Bench files lack contrastive_dataset: they cannot be
    # confirmed comparable and are refused as either side of a delta).
    top, missing_top = collect_match_fields(doc, ("contrastive_dataset", "total_rows"),
                                            pointer="")
    sae, missing_sae = collect_match_fields(cfg, SAE_MATCH_KEYS, pointer="/sae_config")
    return BenchResult(
        benchmark="cebench",
        path=p,
        sha256=sha,
        content_sha256=content_sha256(doc),
        eval_type="interpretability",
        version=None,  # CE-Bench records no version of itself in its output
        metric=metric,
        value=getattr(r, metric),
        row_budget=r.total_rows,
        match_key={**top, **sae},
        unrecorded=[*missing_top, *missing_sae],
        family=sae_family(r.sae_release, r.sae_id),
        subject_id=f"{r.sae_release}/{r.sae_id}",
        device=device if isinstance(device, str) and device else None,
    )


def _check_match_types(cfg: dict[str, Any], path: str) -> None:
    # A hand-edited `hook_layer: false` or `"0"` must not pass for layer 0 (True == 1 in Python).
    for k, types in _MATCH_TYPES.items():
        if k in cfg and (isinstance(cfg[k], bool) or not isinstance(cfg[k], types)):
            want = " or ".join("null" if t is type(None) else
                               {str: "a string", int: "an integer"}[t] for t in types)
            raise ExternalResultError(f"expected {want}, found {json_type(cfg[k])}", path=path,
                                      pointer=f"/sae_config/{k}")

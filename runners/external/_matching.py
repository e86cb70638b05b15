"""Matched-baseline check: a delta is only meaningful when both sides are comparable runs.

The match key (``BenchResult.match_key``, filled by each parser) is everything the result files
record that makes two runs comparable: the model, the hook/layer and input width the SAE reads,
the dataset, the rows/tokens and the eval config (docs/evidence.md lists it per benchmark).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Any

from ._errors import ExternalResultError, UnmatchedBaselineError
from ._results import BenchResult

# Match-key fields that may be null: hook_head_index is null unless the SAE reads one head.
NULLABLE = frozenset({"hook_head_index"})
_LABEL = {"cebench": "CE-Bench", "saebench": "SAEBench"}
_FAMILY_SOURCE = {"cebench": "sae_release/sae_id", "saebench": "sae_lens_release_id/sae_lens_id"}
_HOOK_LAYER = {"cebench": "hook_layer", "saebench": "sae_cfg_dict.hook_layer"}
_LAYER = re.compile(r"(?:^|[/_.\-])(?:layer_|blocks\.)(\d+)(?=$|[/_.\-])")
_TOKEN = re.compile(r"[^a-z0-9]+")
_SITES = {"res": "res", "resid": "res", "mlp": "mlp", "att": "att", "attn": "att"}


def common_row_budget(results: Sequence[BenchResult], role: str) -> int | None:
    """The row budget all ``results`` share; differing budgets within one side are refused."""
    budgets = {r.row_budget for r in results}
    if len(budgets) > 1:
        listing = ", ".join(f"{r.path}: {r.row_budget}" for r in results)
        raise UnmatchedBaselineError(
            f"{role} files were evaluated on different row budgets ({listing}); "
            "evaluate every seed on the same rows", path=results[0].path)
    return next(iter(budgets))


def check_matched(candidate: BenchResult, baseline: BenchResult) -> None:
    """Raise :class:`UnmatchedBaselineError` unless ``baseline`` matches ``candidate``.

    Fail closed (issue 10 red team): every match-key field must be recorded by both files
    (:attr:`BenchResult.unrecorded` lists the ones a file lacks), values compare type-strictly
    (:func:`strictly_equal`: ``false`` is not ``0``, ``0.0`` is not ``0``, ``1`` is not
    ``"1"``), and the SAE family each file's name states (:attr:`BenchResult.family`: layer,
    site) must agree wherever both name it.
    """
    if (candidate.benchmark, candidate.eval_type, candidate.metric) != (
            baseline.benchmark, baseline.eval_type, baseline.metric):
        raise ExternalResultError(
            f"baseline measures {baseline.benchmark} {baseline.eval_type} {baseline.metric}, "
            f"candidate {candidate.path} measures {candidate.benchmark} {candidate.eval_type} "
            f"{candidate.metric}", path=baseline.path)
    for r in (candidate, baseline):
        if r.unrecorded:
            raise UnmatchedBaselineError(
                f"unmatched baseline: {r.path} does not record {', '.join(r.unrecorded)}, so "
                "the runs cannot be confirmed comparable; use unedited result files from a "
                f"{_LABEL[r.benchmark]} version that records every match-key field "
                "(docs/evidence.md)", path=r.path)
        inconsistent = family_inconsistency(r)
        if inconsistent:
            raise UnmatchedBaselineError(f"unmatched baseline: {inconsistent}", path=r.path)
    if candidate.row_budget != baseline.row_budget:
        raise UnmatchedBaselineError(
            f"unmatched baseline: row budget {baseline.row_budget} vs the candidate's "
            f"{candidate.row_budget} ({candidate.path}); re-run the baseline on the same rows",
            path=baseline.path)
    diffs = match_differences(candidate.match_key, baseline.match_key)
    diffs += [f"SAE {k} (from {_FAMILY_SOURCE[candidate.benchmark]}): baseline "
              f"{baseline.family[k]!r} vs candidate {candidate.family[k]!r}"
              for k in sorted(set(candidate.family) & set(baseline.family))
              if not strictly_equal(candidate.family[k], baseline.family[k])]
    if diffs:
        raise UnmatchedBaselineError(
            f"unmatched baseline (vs {candidate.path}): " + "; ".join(diffs), path=baseline.path)


def match_differences(candidate: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """Every match-key setting on which the two sides differ, naming both values.

    A setting only one side records cannot be confirmed equal, so it counts as a difference
    (fail closed). Values compare with :func:`strictly_equal`.
    """
    out = []
    for k in sorted(set(candidate) | set(baseline)):
        if k not in candidate or k not in baseline:
            out.append(f"{k}: baseline {_shown(baseline, k)} vs candidate {_shown(candidate, k)} "
                       "(recorded by one side only, so the runs cannot be confirmed comparable)")
        elif not strictly_equal(candidate[k], baseline[k]):
            c, b = candidate[k], baseline[k]
            out.append(f"{k}: baseline {b!r} ({json_type_name(b)}) vs candidate {c!r} "
                       f"({json_type_name(c)})" if type(c) is not type(b)
                       else f"{k}: baseline {b!r} vs candidate {c!r}")
    return out


def strictly_equal(a: Any, b: Any) -> bool:
    """JSON values equal in type and value, recursively: ``False`` ≠ ``0`` (Python: equal),
    ``0.0`` ≠ ``0``, ``1`` ≠ ``"1"``, ``[0]`` ≠ ``[False]``; object key order is ignored."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(strictly_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(strictly_equal(a[k], b[k]) for k in a)
    return bool(a == b)


def json_type_name(v: Any) -> str:
    """The JSON type of a parsed value: null, boolean, integer, number, string, array, object."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    return "array" if isinstance(v, list) else "object"


def collect_match_fields(
    source: Any, keys: Sequence[str], *, pointer: str, name_prefix: str = "",
    nullable: Collection[str] = NULLABLE,
) -> tuple[dict[str, Any], list[str]]:
    """``(recorded, unrecorded)``: the match-key fields ``keys`` of the object ``source`` (found
    at JSON pointer ``pointer`` in its file), named ``name_prefix + key``, and the pointers of
    those it lacks. A null counts as unrecorded unless the field may be null (``nullable``:
    ``hook_head_index`` is null for every SAE that does not read one attention head)."""
    recorded: dict[str, Any] = {}
    unrecorded: list[str] = []
    src = source if isinstance(source, dict) else {}
    for k in keys:
        if k not in src or (src[k] is None and k not in nullable):
            unrecorded.append(f"{pointer}/{k}")
        else:
            recorded[name_prefix + k] = src[k]
    return recorded, unrecorded


def sae_family(release: str | None, sae_id: str | None) -> dict[str, Any]:
    """The SAE family a release and id name: ``layer`` (``layer_12/…``, ``blocks.4.…``) and
    ``site`` (``res``/``mlp``/``att`` from tokens like ``-res``, ``hook_resid_post``,
    ``hook_mlp_out``, ``attn``), each only where the names state exactly one."""
    out: dict[str, Any] = {}
    layers = {int(m) for m in _LAYER.findall(sae_id or "")}
    if len(layers) == 1:
        out["layer"] = layers.pop()
    tokens = set(_TOKEN.split(f"{release or ''} {sae_id or ''}".lower()))
    sites = {_SITES[t] for t in tokens if t in _SITES}
    if len(sites) == 1:
        out["site"] = sites.pop()
    return out


def family_inconsistency(r: BenchResult) -> str | None:
    """Why ``r``'s name contradicts its own config (``layer_12/…`` over ``hook_layer: 0``)."""
    layer = r.family.get("layer")
    recorded = r.match_key.get(_HOOK_LAYER[r.benchmark])
    if layer is None or not isinstance(recorded, int) or isinstance(recorded, bool):
        return None
    if layer != recorded:
        return (f"{r.path} names layer {layer} ({_FAMILY_SOURCE[r.benchmark]} {r.subject_id!r}) "
                f"but its config reads hook_layer {recorded}: the file contradicts itself")
    return None


def _shown(d: dict[str, Any], k: str) -> str:
    return repr(d[k]) if k in d else "not recorded"

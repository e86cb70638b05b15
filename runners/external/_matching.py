"""Matched-baseline check: a delta is only meaningful when both sides are comparable runs.

The match key (``BenchResult.match_key``, filled by each parser) is everything the result files
record that makes two runs comparable: the model, the hook/layer and input width the SAE reads,
the dataset, the rows/tokens and the eval config (docs/evidence.md lists it per benchmark).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._errors import ExternalResultError, UnmatchedBaselineError
from ._results import BenchResult


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
    """Raise :class:`UnmatchedBaselineError` unless ``baseline`` matches ``candidate``."""
    if (candidate.benchmark, candidate.eval_type, candidate.metric) != (
            baseline.benchmark, baseline.eval_type, baseline.metric):
        raise ExternalResultError(
            f"baseline measures {baseline.benchmark} {baseline.eval_type} {baseline.metric}, "
            f"candidate {candidate.path} measures {candidate.benchmark} {candidate.eval_type} "
            f"{candidate.metric}", path=baseline.path)
    if candidate.row_budget != baseline.row_budget:
        raise UnmatchedBaselineError(
            f"unmatched baseline: row budget {baseline.row_budget} vs the candidate's "
            f"{candidate.row_budget} ({candidate.path}); re-run the baseline on the same rows",
            path=baseline.path)
    diffs = match_differences(candidate.match_key, baseline.match_key)
    if diffs:
        raise UnmatchedBaselineError(
            f"unmatched baseline (vs {candidate.path}): " + "; ".join(diffs), path=baseline.path)


def match_differences(candidate: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """Every match-key setting on which the two sides differ, naming both values.

    A setting neither side records is not compared. A setting only one side records cannot be
    confirmed equal, so it counts as a difference (fail closed): e.g. a CE-Bench baseline from
    before ``contrastive_dataset`` was recorded, against a candidate that records it.
    """
    out = []
    for k in sorted(set(candidate) | set(baseline)):
        c, b = candidate.get(k), baseline.get(k)
        if c is None and b is None:
            continue
        if c is None or b is None:
            out.append(f"{k}: baseline {_shown(b)} vs candidate {_shown(c)} (recorded by one "
                       "side only, so the runs cannot be confirmed comparable)")
        elif c != b:
            out.append(f"{k}: baseline {b!r} vs candidate {c!r}")
    return out


def _shown(v: Any) -> str:
    return "not recorded" if v is None else repr(v)

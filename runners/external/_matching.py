"""Matched-baseline check: a delta is only meaningful when both sides saw the same rows."""

from __future__ import annotations

from collections.abc import Sequence

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
    diffs = [
        f"{k}: {baseline.match_key.get(k)!r} vs candidate {candidate.match_key.get(k)!r}"
        for k in sorted(set(candidate.match_key) | set(baseline.match_key))
        # A setting one side does not record cannot be compared (older CE-Bench files omit
        # contrastive_dataset); the row budget above is always compared.
        if candidate.match_key.get(k) is not None and baseline.match_key.get(k) is not None
        and candidate.match_key.get(k) != baseline.match_key.get(k)
    ]
    if diffs:
        raise UnmatchedBaselineError(
            f"unmatched baseline (vs {candidate.path}): " + "; ".join(diffs), path=baseline.path)

"""Every per-seed list of a runner's evidence holds exactly the seeds the run was over.

A runner kind (random_model_control, transcoder_stress, ood_stress, consistency,
consistency_objective) measures every seed of ``provenance.seeds`` in one run, so each per-seed
list holds exactly those seeds and each per-pair list (PWMCC) every pair of them. Without this,
a file cut to seed 0 still reads "over 3 seed(s)": a scalar's seed count (e.g.
``sparsity.relative_l0_difference``, statistic ``value``) comes from ``provenance.seeds``, and
must then be the seeds the scalar was computed from (review rt10 §6). Called from the kinds'
validators; a missing or extra seed is refused at validation with the list's pointer.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel

from ._common import Sample, sample_key
from ._derived import DerivedMismatch


def sample_lists(model: BaseModel, where: tuple[str | int, ...] = ()
                 ) -> Iterator[tuple[tuple[str | int, ...], list[Sample]]]:
    """Every non-empty list of ``Sample`` under ``model`` (nested models too), with its path."""
    for name in type(model).model_fields:
        value: Any = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from sample_lists(value, (*where, name))
        elif isinstance(value, list) and value and all(isinstance(s, Sample) for s in value):
            yield (*where, name), value


def require_seeds(model: BaseModel, seeds: Sequence[int], where: tuple[str | int, ...],
                  what: str) -> None:
    """Each per-seed list under ``model`` holds exactly ``seeds``; each per-pair list every
    pair of them (raise DerivedMismatch naming the list and the missing/extra units)."""
    want = set(seeds)
    pairs = {tuple(p) for p in itertools.combinations(sorted(want), 2)}
    for path, samples in sample_lists(model):
        keys = {sample_key(s) for s in samples}
        per_pair = len(next(iter(keys))) == 2
        expected: set[tuple[int, ...]] = pairs if per_pair else {(s,) for s in want}
        if keys == expected:
            continue
        unit = "pair" if per_pair else "seed"
        missing = sorted(expected - keys)
        extra = sorted(keys - expected)
        parts = ([f"missing {unit}(s) {_units(missing)}"] if missing else []) + (
            [f"{unit}(s) {_units(extra)} not among them"] if extra else [])
        raise DerivedMismatch((*where, *path), f"{'/'.join(map(str, path))} must hold every "
                              f"{unit} of {what} {sorted(want)}: {'; '.join(parts)}")


def _units(keys: list[tuple[int, ...]]) -> str:
    return ", ".join(str(k[0]) if len(k) == 1 else str(list(k)) for k in keys)


def runner_kind(evidence: Any) -> None:
    """Every sample list in ``evidence.metrics`` covers ``evidence.provenance.seeds``."""
    require_seeds(evidence.metrics, evidence.provenance.seeds, ("metrics",),
                  "provenance.seeds")


def consistency_objective(evidence: Any) -> None:
    """Every arm holds the seeds other than the reference (its PWMCC is measured against the
    reference seed's decoder); ``selected`` holds the split's confirmation seeds."""
    m = evidence.metrics
    prov = evidence.provenance.seeds
    if m.reference_seed not in prov:
        raise DerivedMismatch(("metrics", "reference_seed"), f"reference_seed "
                              f"{m.reference_seed} is not among provenance.seeds {prov}")
    others = [s for s in prov if s != m.reference_seed]
    for i, arm in enumerate(m.arms):
        require_seeds(arm, others, ("metrics", "arms", i),
                      "provenance.seeds other than the reference_seed")
    if m.split is not None and m.selected is not None:
        require_seeds(m.selected, m.split.confirmation_seeds, ("metrics", "selected"),
                      "split.confirmation_seeds")


def sae_run(evidence: Any) -> None:
    """One sae_run file is one seed of the run: that seed is a provenance seed."""
    if evidence.metrics.seed not in evidence.provenance.seeds:
        raise DerivedMismatch(("metrics", "seed"), f"seed {evidence.metrics.seed} is not "
                              f"among provenance.seeds {evidence.provenance.seeds}")

"""Candidate selection across seeds: group external evidence by candidate (the condition), pool
per-seed deltas, require a minimum seed count, rank by each benchmark's lower confidence bound,
mark the Pareto front, and write the chosen candidate's evidence where the external gate reads it.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evidence_schema import (
    ExternalBenchmarkEvidence,
    ExternalBenchmarkMetrics,
    ExternalScore,
    ExternalSelectionEvidence,
    ExternalSelectionMetrics,
    InputRef,
    Producer,
    Sample,
    SelectionRow,
    make_provenance,
    now_utc,
    validate_file,
    write_evidence,
)
from evidence_schema._provenance import dist_version
from evidence_schema._split import SeedSplit, default_split
from evidence_schema.stats import DegenerateEvidence, seed_bounds, seed_estimate, spread_problem

from ._constants import BENCHMARKS, PRODUCER_SELECT, SELECTION_FILENAME, evidence_filename
from ._errors import SelectionError

BOUND_METHOD = ("evidence_schema.stats.seed_bounds: Student t interval of the per-seed deltas, "
                "one value per seed")
RULE = ("among the Pareto front of per-benchmark lcbs, the highest minimum lcb across "
        "benchmarks (the joint gate needs every one ≥ 0); ties: higher lcb sum, then candidate_id")


@dataclass
class _Source:
    path: str
    sha256: str
    evidence: ExternalBenchmarkEvidence


@dataclass
class _Pooled:
    """One candidate × benchmark: the newest sample per seed across its evidence files."""

    sources: list[_Source] = field(default_factory=list)
    by_seed: dict[int, tuple[Sample, Sample, Sample, _Source]] = field(default_factory=dict)


@dataclass(frozen=True)
class SelectionOutcome:
    evidence: ExternalSelectionEvidence
    path: Path
    written: list[Path]

    @property
    def selected(self) -> str | None:
        return self.evidence.metrics.selected


def _comparable(a: ExternalBenchmarkMetrics, b: ExternalBenchmarkMetrics) -> bool:
    keys = ("metric", "delta_definition", "baseline_id", "row_budget", "baseline_row_budget")
    return a.benchmark.eval_type == b.benchmark.eval_type and all(
        getattr(a, k) == getattr(b, k) for k in keys)


def load_external_evidence(directory: str | Path) -> list[_Source]:
    """Every valid ``external_benchmark`` file under ``directory``; invalid ones are refused."""
    from evidence_schema import iter_json_files

    found: list[_Source] = []
    for path in iter_json_files([Path(directory)]):
        res = validate_file(path)
        if res.kind != "external_benchmark":
            continue
        if not res.ok:
            raise SelectionError(f"{path}: invalid external_benchmark evidence: "
                                 + "; ".join(p.message for p in res.problems[:3]))
        assert res.sha256 is not None
        found.append(_Source(str(path), res.sha256,
                             ExternalBenchmarkEvidence.model_validate(res.data)))
    return found


def _pool(sources: Sequence[_Source]) -> dict[str, dict[str, _Pooled]]:
    pooled: dict[str, dict[str, _Pooled]] = defaultdict(lambda: defaultdict(_Pooled))
    # Oldest first, so a newer file's sample for the same seed replaces the older one (the same
    # "latest wins" rule as the policy's `pick: latest`).
    for src in sorted(sources, key=lambda s: (s.evidence.created_at, s.path)):
        m = src.evidence.metrics
        slot = pooled[m.candidate_id][m.benchmark.name]
        if slot.sources and not _comparable(slot.sources[0].evidence.metrics, m):
            raise SelectionError(
                f"{src.path}: candidate {m.candidate_id!r} {m.benchmark.name} evidence differs "
                f"from {slot.sources[0].path} in eval type, metric, baseline or row budget; "
                "deltas over different definitions cannot be pooled")
        slot.sources.append(src)
        for c, b, d in zip(m.candidate, m.baseline, m.deltas, strict=True):
            prev = slot.by_seed.get(d.seeds[0])
            if prev is not None and prev[3].evidence.created_at == src.evidence.created_at:
                raise SelectionError(
                    f"{src.path} and {prev[3].path} both give seed {d.seeds[0]} of "
                    f"{m.candidate_id!r} ({m.benchmark.name}) with the same created_at; "
                    "which is newer is ambiguous — remove one")
            slot.by_seed[d.seeds[0]] = (c, b, d, src)
    for cid, per_bench in pooled.items():
        for bench, slot in per_bench.items():
            _one_run_per_seed(cid, bench, slot)
    for bench in sorted({b for per_bench in pooled.values() for b in per_bench}):
        _one_definition(pooled, bench)
    return pooled


def _one_definition(pooled: dict[str, dict[str, _Pooled]], bench: str) -> None:
    # Candidates are ranked against each other per benchmark: an lcb over contrastive_score_mean
    # deltas does not compare with one over interpretability_score_mean (rt10).
    seen: dict[tuple[str, str], str] = {}
    for cid, per_bench in sorted(pooled.items()):
        slot = per_bench.get(bench)
        if slot is not None:
            m = slot.sources[0].evidence.metrics
            seen.setdefault((m.benchmark.eval_type, m.metric),
                            f"{cid!r} ({slot.sources[0].path})")
    if len(seen) > 1:
        listing = "; ".join(f"{who}: eval type {e}, metric {met}" for (e, met), who in seen.items())
        raise SelectionError(
            f"{bench} evidence of different candidates is on different eval types or metrics "
            f"({listing}); candidates can only be ranked on one metric: ingest each on the same "
            "one (the shipped policy's external gate reads the headline metric only)")


def _seed_inputs(ev: ExternalBenchmarkEvidence) -> dict[int, InputRef]:
    """The per-seed result files an evidence file was ingested from, by seed."""
    return {ref.seed: ref for ref in ev.inputs if ref.seed is not None}


def _one_run_per_seed(cid: str, bench: str, slot: _Pooled) -> None:
    # Seeds pooled from separate ingest calls could still be one run ingested twice under two
    # seeds; their result files' sha256 tell (issue 10).
    # ... or one run re-serialised (another indent): the recorded content_sha256 (rt10 §5).
    for attr, what in (("sha256", "sha256"), ("content_sha256", "content sha256")):
        by_sha: dict[str, list[int]] = {}
        for seed, (_, _, _, src) in sorted(slot.by_seed.items()):
            ref = _seed_inputs(src.evidence).get(seed)
            if ref is not None and getattr(ref, attr) is not None:
                by_sha.setdefault(getattr(ref, attr), []).append(seed)
        for sha, seeds in by_sha.items():
            if len(seeds) > 1:
                raise SelectionError(
                    f"candidate {cid!r} ({bench}): seeds {seeds} come from one result file "
                    f"({what} {sha[:12]}…): one run counted as several seeds")


def _score(bench: str, slot: _Pooled, confidence: float) -> ExternalScore:
    seeds = sorted(slot.by_seed)
    values = [slot.by_seed[s][2].value for s in seeds]
    lcb = None
    if len(values) >= 2:
        try:
            lcb = seed_bounds([(s,) for s in seeds], values, confidence)[0]
        except DegenerateEvidence:
            lcb = None  # no bound from zero/negligible variance; the row is ineligible
    return ExternalScore(
        benchmark=bench,
        evidence=sorted({slot.by_seed[s][3].path for s in slot.by_seed}),
        seeds=sorted(slot.by_seed),
        mean=sum(values) / len(values),
        lcb=lcb,
    )


def _degenerate(slot: _Pooled) -> str | None:
    """Why the seeds' deltas give no bound (evidence_schema.stats.spread_problem), or None."""
    if len(slot.by_seed) < 2:
        return None
    seeds = sorted(slot.by_seed)
    return spread_problem(seed_estimate([(s,) for s in seeds],
                                        [slot.by_seed[s][2].value for s in seeds]))


def _dominates(a: Sequence[float], b: Sequence[float]) -> bool:
    return all(x >= y for x, y in zip(a, b, strict=True)) and any(
        x > y for x, y in zip(a, b, strict=True))


def _portable(path: str | os.PathLike[str], base: Path) -> str:
    """``path`` relative to ``base`` (POSIX), never this machine's absolute path."""
    try:
        return Path(os.path.relpath(Path(path).resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(path).resolve().as_posix()


def _restrict(pooled: dict[str, dict[str, _Pooled]], seeds: Collection[int]
              ) -> dict[str, dict[str, _Pooled]]:
    """The same pools with only ``seeds``' samples (benchmarks left with none are dropped)."""
    keep = set(seeds)
    out: dict[str, dict[str, _Pooled]] = {}
    for cid, per_bench in pooled.items():
        for bench, slot in per_bench.items():
            by_seed = {s: v for s, v in slot.by_seed.items() if s in keep}
            if by_seed:
                out.setdefault(cid, {})[bench] = _Pooled(list(slot.sources), by_seed)
        out.setdefault(cid, {})
    return out


def select_candidates(
    sources: Sequence[_Source],
    *,
    min_seeds: int,
    confidence: float = 0.95,
    benchmarks: Sequence[str] = BENCHMARKS,
    selection_seeds: Collection[int] | None = None,
) -> tuple[ExternalSelectionMetrics, dict[str, dict[str, _Pooled]]]:
    """Rank candidates; the returned metrics name the selection (or none).

    ``selection_seeds``: score on these seeds only (the rest are held out to confirm); None:
    every seed (ranking only: `run_selection` always holds seeds out).
    """
    if min_seeds < 2:
        raise SelectionError("min_seeds must be at least 2: a confidence bound needs 2 seeds")
    if not sources:
        raise SelectionError("no external_benchmark evidence found")
    pooled = _pool(sources)
    if selection_seeds is not None:
        pooled = _restrict(pooled, selection_seeds)
    rows: dict[str, dict[str, ExternalScore]] = {}
    reasons: dict[str, str] = {}
    for cid, per_bench in sorted(pooled.items()):
        rows[cid] = {b: _score(b, per_bench[b], confidence) for b in benchmarks if b in per_bench}
        why = [f"no {b} evidence" for b in benchmarks if b not in per_bench]
        why += [f"{b}: {len(s.seeds)} seed(s) < min_seeds {min_seeds}"
                for b, s in rows[cid].items() if len(s.seeds) < min_seeds]
        # A zero-width bound would rank first; the gate refuses such evidence, so must we.
        why += [f"{b}: {_degenerate(per_bench[b])}" for b in rows[cid]
                if _degenerate(per_bench[b])]
        reasons[cid] = "; ".join(why)
    eligible = [c for c in rows if not reasons[c]]

    def lcbs(cid: str) -> list[float]:
        return [rows[cid][b].lcb for b in benchmarks]  # type: ignore[misc]

    front = {c for c in eligible if not any(_dominates(lcbs(o), lcbs(c)) for o in eligible)}
    for b in benchmarks:
        # Eligible rows have ≥ min_seeds ≥ 2 seeds, so their lcb is never None.
        by_lcb = {c: rows[c][b].lcb or 0.0 for c in eligible}
        ordered = sorted(eligible, key=lambda c: (-by_lcb[c], c))
        for i, c in enumerate(ordered, start=1):
            rows[c][b] = rows[c][b].model_copy(update={"rank": i})
    selected = min(front, key=lambda c: (-min(lcbs(c)), -sum(lcbs(c)), c)) if front else None
    metrics = ExternalSelectionMetrics(
        benchmarks=list(benchmarks),
        min_seeds=min_seeds,
        confidence=confidence,
        bound_method=BOUND_METHOD,
        rule=RULE,
        rows=[SelectionRow(candidate_id=c, scores=list(rows[c].values()),
                           eligible=not reasons[c], reason=reasons[c], pareto=c in front)
              for c in rows],
        selected=selected,
    )
    return metrics, pooled


def _moved(ref: InputRef, source: str, out: Path) -> InputRef:
    """``ref`` as recorded by the evidence at ``source`` (relative to ``out``), re-based onto
    ``out``, where the merged evidence is written."""
    if Path(ref.path).is_absolute():
        return ref
    return ref.model_copy(update={"path": _portable(out / Path(source).parent / ref.path, out)})


def _merged(cid: str, slot: _Pooled, selection_cfg: dict[str, object], out: Path
            ) -> ExternalBenchmarkEvidence:
    newest = slot.sources[-1].evidence
    seeds = sorted(slot.by_seed)
    used = {slot.by_seed[s][3].path: slot.by_seed[s][3] for s in seeds}
    return ExternalBenchmarkEvidence(
        # The oldest measurement pooled: re-writing evidence must not make it look fresher to
        # the gate's max_age_days.
        created_at=min(src.evidence.created_at for src in used.values()),
        producer=Producer(name=PRODUCER_SELECT, version=dist_version("releasegate") or "0+unknown"),
        provenance=make_provenance(
            {**selection_cfg, "candidate_id": cid, "pooled_from": sorted(used)},
            seeds, newest.provenance.device),
        inputs=[InputRef(path=p, sha256=src.sha256, role="pooled external_benchmark")
                for p, src in sorted(used.items())]
        # The per-seed result files travel with the pooled samples, so that `check` can still
        # refuse two seeds of one run.
        + [_moved(ref, slot.by_seed[s][3].path, out)
           for s in seeds if (ref := _seed_inputs(slot.by_seed[s][3].evidence).get(s))],
        metrics=newest.metrics.model_copy(update={
            "candidate": [slot.by_seed[s][0] for s in seeds],
            "baseline": [slot.by_seed[s][1] for s in seeds],
            "deltas": [slot.by_seed[s][2] for s in seeds],
        }),
    )


def run_selection(
    evidence_dir: str | Path,
    out_dir: str | Path,
    *,
    min_seeds: int,
    confidence: float = 0.95,
    confirmation_seeds: Collection[int] | None = None,
) -> SelectionOutcome:
    """Select across ``evidence_dir``; write the selection and the chosen candidate's evidence.

    ``out_dir`` then holds exactly one ``external_benchmark`` file per benchmark (the selected
    candidate's, pooled over its seeds) so that the policy's ``pick: latest`` reads it; point
    ``releasegate check --evidence`` at ``out_dir`` (plus the other gates' evidence).

    Selection then confirmation (issue 10): candidates are ranked on the selection seeds
    only, and the files written for the gate hold the held-out ``confirmation_seeds`` only
    (default: the larger half of the distinct seeds, ``default_split``), so the gate does not
    confirm the bound that chose the candidate. With no confirmation data for the selected
    candidate no file is written (the gate is then ``missing``) and the selection says why.
    """
    out = Path(out_dir)
    if out.resolve() == Path(evidence_dir).resolve():
        raise SelectionError("--out must differ from --evidence: the selected candidate's "
                             "evidence must be the only external evidence the gate sees")
    sources = load_external_evidence(evidence_dir)
    for src in sources:  # recorded relative to the files written into out (issue 10 §5)
        src.path = _portable(src.path, out)
    all_seeds = sorted({s for src in sources for s in src.evidence.provenance.seeds})
    if confirmation_seeds is None:
        split = default_split(all_seeds)
    else:
        held = sorted(set(confirmation_seeds))
        rest = [s for s in all_seeds if s not in held]
        if not rest:
            raise SelectionError(f"every seed {all_seeds} is a confirmation seed: none is left "
                                 "to select with")
        split = SeedSplit(selection_seeds=rest, confirmation_seeds=held)
    metrics, _ = select_candidates(sources, min_seeds=min_seeds, confidence=confidence,
                                   selection_seeds=split.selection_seeds)
    confirm = _restrict(_pool(sources), split.confirmation_seeds)
    cfg: dict[str, object] = {"evidence_dir": _portable(evidence_dir, out), "min_seeds": min_seeds,
                              "confidence": confidence,
                              "selection_seeds": split.selection_seeds,
                              "confirmation_seeds": split.confirmation_seeds}
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    note = ""
    confirming = confirm.get(metrics.selected or "", {})
    if metrics.selected is not None and not all(b in confirming for b in metrics.benchmarks):
        note = (f"{metrics.selected} has no data on the confirmation seeds "
                f"{split.confirmation_seeds} for every benchmark: no evidence written, so the "
                "gate cannot confirm the selection (run more seeds)")
    elif metrics.selected is not None:
        for bench in metrics.benchmarks:
            ev = _merged(metrics.selected, confirming[bench], cfg, out)
            ev = ev.model_copy(update={"metrics": ev.metrics.model_copy(
                update={"selection": split})})
            path = out / evidence_filename(bench, metrics.selected)
            write_evidence(path, ev)
            written.append(path)
        metrics = metrics.model_copy(update={"selected_evidence": [p.name for p in written]})
    metrics = metrics.model_copy(update={"split": split, "confirmation_note": note})
    selection = ExternalSelectionEvidence(
        created_at=now_utc(),
        producer=Producer(name=PRODUCER_SELECT, version=dist_version("releasegate") or "0+unknown"),
        provenance=make_provenance(cfg, all_seeds, "n/a"),
        inputs=[InputRef(path=s.path, sha256=s.sha256, role="external_benchmark")
                for s in sorted(sources, key=lambda s: s.path)],
        metrics=ExternalSelectionMetrics.model_validate(metrics.model_dump()),
    )
    path = out / SELECTION_FILENAME
    write_evidence(path, selection)
    return SelectionOutcome(selection, path, written)

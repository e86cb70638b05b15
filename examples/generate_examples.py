"""Generate the example evidence sets shipped in examples/ (never typed by hand).

    python examples/generate_examples.py   # rewrites examples/evidence and examples/failing

`examples/evidence/` passes every gate of the shipped policy; `examples/failing/` is the same set
with CE-Bench deltas below the matched baseline, so its external gate fails. Values are drawn
from a seeded RNG around figures of the size the research programme reports; `releasegate demo`
produces real ones from trained SAEs.
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evidence_schema import (
    BenchmarkRef,
    ConsistencyEvidence,
    ConsistencyMetrics,
    ControlArm,
    ExternalBenchmarkEvidence,
    ExternalBenchmarkMetrics,
    InputRef,
    OodArm,
    OodStressEvidence,
    OodStressMetrics,
    Producer,
    RandomModelControlEvidence,
    RandomModelControlMetrics,
    Sample,
    StressArm,
    TranscoderStressEvidence,
    TranscoderStressMetrics,
    make_provenance,
    sha256_bytes,
    sparsity_match,
    write_evidence,
)

HERE = Path(__file__).parent
SEEDS = [0, 1, 2]
CREATED = datetime(2026, 11, 25, tzinfo=UTC)
PRODUCER = Producer(name="examples.generate_examples", version="1")


def _pairs(rng: random.Random, centre: float, spread: float) -> list[Sample]:
    return [
        Sample(seeds=[a, b], value=round(centre + rng.uniform(-spread, spread), 4))
        for i, a in enumerate(SEEDS) for b in SEEDS[i + 1:]
    ]


def _per_seed(rng: random.Random, centre: float, spread: float) -> list[Sample]:
    return [Sample(seeds=[s], value=round(centre + rng.uniform(-spread, spread), 4))
            for s in SEEDS]


def _envelope(config: dict[str, Any]) -> dict[str, Any]:
    ckpt = InputRef(path="runners/assets/tiny-lm.safetensors",
                    sha256=sha256_bytes(b"example checkpoint"), role="checkpoint")
    prov = make_provenance(config, SEEDS, "cpu").model_copy(
        update={"git_commit": None, "git_dirty": None})
    return {"created_at": CREATED, "producer": PRODUCER, "provenance": prov, "inputs": [ckpt]}


def build(out: Path, cebench_centre: float) -> list[Path]:
    rng = random.Random(20261125)
    files: dict[str, Any] = {}
    files["random_model_control.json"] = RandomModelControlEvidence(
        **_envelope({"runner": "random_model_control", "d_sae": 512}),
        metrics=RandomModelControlMetrics(
            hook_point="blocks.0.hook_resid_post", d_sae=512, architecture="topk",
            training_tokens=200_000,
            trained=ControlArm(model_name="tiny-lm", pwmcc=_pairs(rng, 0.62, 0.02),
                               explained_variance=_per_seed(rng, 0.81, 0.01)),
            random=ControlArm(model_name="tiny-lm-random", pwmcc=_pairs(rng, 0.41, 0.02),
                              explained_variance=_per_seed(rng, 0.79, 0.01)),
        ),
    )
    # Both arms TopK with k = 16, so their L0s match; drawn from their own RNG so that adding
    # them left every other example value as it was.
    l0_rng = random.Random(14)
    sae_l0, tc_l0 = _per_seed(l0_rng, 15.9, 0.05), _per_seed(l0_rng, 15.8, 0.05)
    files["transcoder_stress.json"] = TranscoderStressEvidence(
        **_envelope({"runner": "transcoder_stress", "d_sae": 512}),
        metrics=TranscoderStressMetrics(
            hook_point_in="blocks.0.ln2.hook_normalized", hook_point_out="blocks.0.hook_mlp_out",
            d_sae=512, training_tokens=200_000, architecture="topk", k=16,
            sae=StressArm(pwmcc=_pairs(rng, 0.55, 0.01), l0=sae_l0),
            transcoder=StressArm(pwmcc=_pairs(rng, 0.60, 0.01), l0=tc_l0),
            sparsity=sparsity_match([x.value for x in sae_l0], [x.value for x in tc_l0]),
        ),
    )
    files["ood_stress.json"] = OodStressEvidence(
        **_envelope({"runner": "ood_stress"}),
        metrics=OodStressMetrics(
            hook_point="blocks.0.hook_resid_post",
            in_distribution=OodArm(dataset="python-stdlib", tokens=50_000,
                                   explained_variance=_per_seed(rng, 0.81, 0.005)),
            out_of_distribution=OodArm(dataset="pydoc-topics", tokens=50_000,
                                       explained_variance=_per_seed(rng, 0.77, 0.005)),
        ),
    )
    files["consistency.json"] = ConsistencyEvidence(
        **_envelope({"runner": "consistency"}),
        metrics=ConsistencyMetrics(method="max_cosine", d_model=128, d_sae=512,
                                   trained=_pairs(rng, 0.62, 0.02),
                                   random_baseline=_pairs(rng, 0.31, 0.005)),
    )
    # Eval type and metric as `releasegate ingest` records them; the shipped policy's external
    # sub-gates select exactly these (husai-release 1.2.0).
    for bench, eval_type, metric, base_value, centre, spread, budget in (
        ("saebench", "sparse_probing_sae_probes", "max_k sae.sae_top_k_test_auc",
         0.90, 0.02, 0.004, None),
        ("cebench", "interpretability", "interpretability_score_mean", 47.9516, cebench_centre,
         0.1, 200),
    ):
        cand = _per_seed(rng, base_value + centre, spread)
        base = [Sample(seeds=[s.seeds[0]], value=base_value) for s in cand]
        files[f"external_{bench}.json"] = ExternalBenchmarkEvidence(
            **_envelope({"runner": "external", "benchmark": bench}),
            metrics=ExternalBenchmarkMetrics(
                benchmark=BenchmarkRef(name=bench, version="example", eval_type=eval_type),
                metric=metric, delta_definition="candidate − matched baseline, per seed",
                candidate_id="tiny-lm/topk-512", baseline_id="public-baseline",
                row_budget=budget, baseline_row_budget=budget,
                candidate=cand, baseline=base,
                deltas=[Sample(seeds=c.seeds, value=round(c.value - b.value, 4))
                        for c, b in zip(cand, base, strict=True)],
            ),
        )
    if out.exists():
        shutil.rmtree(out)
    written = []
    for name, model in files.items():
        write_evidence(out / name, model)
        written.append(out / name)
    return written


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=HERE)
    args = p.parse_args(argv)
    build(args.out / "evidence", cebench_centre=1.5)
    build(args.out / "failing", cebench_centre=-1.5)
    print(f"wrote {args.out / 'evidence'} and {args.out / 'failing'}")
    render_example_report(args.out)
    return 0


def render_example_report(out: Path) -> None:
    """The decision on examples/evidence and examples/report.md rendered from report.md.j2
    (docs/render.md), so that regenerating the evidence keeps the rendered example in step."""
    import policy
    from releasegate.render import write_report

    decision = out / "decision.json"
    policy.check(policy.DEFAULT_POLICY, out / "evidence", out=decision,
                 now=datetime(2026, 11, 26, tzinfo=UTC))
    write_report(HERE / "report.md.j2", out / "report.md", repo=out.parent, decision=decision)
    print(f"wrote {decision} and {out / 'report.md'}")


if __name__ == "__main__":
    raise SystemExit(main())

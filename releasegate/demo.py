"""``releasegate demo``: tiny SAEs on the CPU, every runner's evidence, the gate check, a report.

The demo's verdict is honestly "not pass": the external-benchmark gate needs SAEBench/CE-Bench
evidence, which cannot be produced offline, so it is reported ``missing``. The demo succeeds
(exit 0) when it completed, whatever the verdict.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_schema import write_atomic
from runners.config import RunnerConfig

# The same as examples/configs/demo.yaml (a test keeps them equal); kept in code so the demo runs
# from an installed package too.
DEMO_CONFIG: dict[str, Any] = {
    "model": {"source": "tiny", "random_seed": 1234},
    "data": {"corpus": "stdlib_python", "ood_corpus": "pydoc_prose", "context_size": 128,
             "max_train_tokens": 1_000_000},
    "sae": {"architecture": "topk", "hook_point": "blocks.0.hook_resid_post", "d_sae": 512,
            "k": 16, "training_tokens": 300_000, "train_batch_size_tokens": 1024, "lr": 0.003,
            "l1_coefficient": 5.0, "seeds": [0, 1, 2]},
    "eval": {"n_batches": 4, "batch_size_prompts": 16},
    "transcoder": {"layer": 0},
}
DEMO_RUNNERS = ("random_model", "consistency", "transcoder", "ood")


@dataclass
class DemoResult:
    out: Path
    evidence: list[Path]
    decision_path: Path
    report_path: Path
    verdict: str
    not_passing: list[tuple[str, str, str]]  # (gate, status, reason)
    audit_path: Path
    audit_success: bool
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def demo_config(training_tokens: int | None = None) -> RunnerConfig:
    raw = json.loads(json.dumps(DEMO_CONFIG))
    if training_tokens is not None:
        raw["sae"]["training_tokens"] = training_tokens
    return RunnerConfig.model_validate(raw)


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _vals(samples: list[dict[str, Any]] | None) -> list[float]:
    return [float(s["value"]) for s in samples or []]


def _fmt(xs: list[float]) -> str:
    # Full repr: the audit compares printed numbers with the evidence at printed precision.
    return ", ".join(repr(x) for x in xs)


def render_report(out: Path, evidence: list[Path], decision: Any) -> str:
    """Markdown whose every number is read from the evidence and decision files just written."""
    by_kind: dict[str, tuple[Path, dict[str, Any]]] = {}
    for p in evidence:
        doc = _load(p)
        if doc["kind"] != "sae_run":
            by_kind[doc["kind"]] = (p, doc)

    def rel(p: Path) -> str:
        return Path(p).resolve().relative_to(out.resolve()).as_posix()

    lines = [
        "# releasegate demo report",
        "",
        f"Decision: **{decision.verdict}** under policy `{decision.policy.name}` "
        f"v{decision.policy.version} (decision file `decision.json`).",
        "",
        "| gate | status | statistic | observed | needed |",
        "|---|---|---|---|---|",
    ]
    def row(g: Any, name: str) -> None:
        # Numbers only as the decision file holds them (the audit checks every one).
        obs = "" if g.observed is None else repr(g.observed)
        need = "" if g.threshold is None else f"{g.comparison or ''} {g.threshold!r}"
        stat = g.statistic or ("all sub-gates" if g.children else "")
        lines.append(f"| {name} | {g.status} | {stat} | {obs} | {need} |")

    for g in decision.gates:
        row(g, g.name)
        for c in g.children:
            row(c, f"{g.name} / {c.name}")
    lines += ["", "## Evidence", ""]
    if "random_model_control" in by_kind:
        p, d = by_kind["random_model_control"]
        m = d["metrics"]
        tr, rd = _vals(m["trained"]["pwmcc"]), _vals(m["random"]["pwmcc"])
        lines += [
            f"Random-model control (`{rel(p)}`): PWMCC per seed pair on the trained model "
            f"{_fmt(tr)} vs on its random re-initialisation {_fmt(rd)}. The gate uses PWMCC: "
            f"explained variance (trained {_fmt(_vals(m['trained']['explained_variance']))}, "
            f"random {_fmt(_vals(m['random']['explained_variance']))}) measures how compressible "
            "the activations are, not whether the model learned anything, and the CE-loss score "
            "is undefined on a random model, whose clean loss is no better than zero-ablation.",
            "",
        ]
    if "consistency" in by_kind:
        p, d = by_kind["consistency"]
        m = d["metrics"]
        lines += [
            f"Seed consistency (`{rel(p)}`): PWMCC {_fmt(_vals(m['trained']))} vs random "
            f"decoders of the same shape {_fmt(_vals(m['random_baseline']))}.",
            "",
        ]
    if "transcoder_stress" in by_kind:
        p, d = by_kind["transcoder_stress"]
        m = d["metrics"]
        lines += [
            f"Transcoder stress (`{rel(p)}`): transcoder PWMCC "
            f"{_fmt(_vals(m['transcoder']['pwmcc']))} vs SAE PWMCC "
            f"{_fmt(_vals(m['sae']['pwmcc']))}; explained variance transcoder "
            f"{_fmt(_vals(m['transcoder']['explained_variance']))}, SAE "
            f"{_fmt(_vals(m['sae']['explained_variance']))}.",
            "",
        ]
    if "ood_stress" in by_kind:
        p, d = by_kind["ood_stress"]
        m = d["metrics"]
        lines += [
            f"OOD stress (`{rel(p)}`): explained variance in distribution "
            f"{_fmt(_vals(m['in_distribution']['explained_variance']))} vs out of distribution "
            f"{_fmt(_vals(m['out_of_distribution']['explained_variance']))}.",
            "",
        ]
    missing = [g.name for g in decision.gates if g.status == "missing"]
    if missing:
        lines += [
            f"Not passing because evidence is missing for: {', '.join(missing)}. The external "
            "gate needs SAEBench and CE-Bench results against a matched public baseline, which "
            "this offline demo cannot produce.",
            "",
        ]
    return "\n".join(lines)


def _audit(report: Path, out: Path, decision_path: Path) -> tuple[bool, str]:
    """Audit the demo's own report against its decision; (success, rendered text)."""
    import audit

    result = audit.audit_paths([report], audit.AuditOptions(repo=out, decision=decision_path))
    return bool(result.success), audit.render(result, "text")


def run_demo(out: Path, training_tokens: int | None = None, quiet: bool = False,
             device: str = "cpu") -> DemoResult:
    import policy
    from runners import run

    start = time.monotonic()
    cfg = demo_config(training_tokens)
    out = Path(out)
    evidence: list[Path] = []
    timings: dict[str, float] = {}
    for name in DEMO_RUNNERS:
        t = time.monotonic()
        evidence += run(name, cfg, out, device=device, quiet=quiet)
        timings[name] = time.monotonic() - t
    evidence = list(dict.fromkeys(evidence))
    decision_path = out / "decision.json"
    decision = policy.check(policy.DEFAULT_POLICY, out / "evidence", out=decision_path)
    report_path = out / "report.md"
    write_atomic(report_path, render_report(out, evidence, decision).encode("utf-8"))
    ok, text = _audit(report_path, out, decision_path)
    audit_path = out / "audit.txt"
    write_atomic(audit_path, (text + "\n").encode("utf-8"))
    return DemoResult(
        out=out, evidence=evidence, decision_path=decision_path, report_path=report_path,
        verdict=decision.verdict,
        not_passing=[(g.name, g.status, g.reason) for g in decision.gates if g.status != "pass"],
        audit_path=audit_path, audit_success=ok, seconds=time.monotonic() - start,
        timings=timings,
    )

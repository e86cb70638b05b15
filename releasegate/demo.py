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
    # Both transcoder arms TopK with sae.k, so they are matched on sparsity (issue 14).
    "transcoder": {"layer": 0, "architecture": "topk"},
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


# The demo's report is a shipped template (package data), rendered like any other report by
# `releasegate render`: every number and status is bound to the evidence or the decision.
DEMO_TEMPLATE = Path(__file__).parent / "templates" / "demo_report.md.j2"


def render_report(out: Path, decision_path: Path) -> str:
    """The demo's markdown report: ``DEMO_TEMPLATE`` rendered against the evidence under ``out``
    and its decision (numbers at 4 significant digits, per-seed tables, the gate table, and a
    summary naming every gate that does not pass). Raises ``RenderError`` if it cannot render."""
    from releasegate.render import render_template

    return render_template(DEMO_TEMPLATE, repo=out, decision=decision_path)


def _report_or_error(out: Path, decision_path: Path) -> tuple[str, bool]:
    """(report text, rendered). A report that cannot be rendered (evidence changed under the
    run, a runner wrote invalid evidence) says why in the report itself and makes the demo's
    audit not clean, never a traceback."""
    from releasegate.render import RenderError

    try:
        return render_report(out, decision_path), True
    except RenderError as e:
        where = f" (template line {e.line})" if e.line else ""
        return (f"# releasegate demo report\n\nThe report could not be rendered from "
                f"`{DEMO_TEMPLATE.name}`{where}: {e.message}\n"), False


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
    report, rendered = _report_or_error(out, decision_path)
    write_atomic(report_path, report.encode("utf-8"))
    ok, text = _audit(report_path, out, decision_path)
    ok = ok and rendered  # an unrendered report is never a clean audit
    audit_path = out / "audit.txt"
    write_atomic(audit_path, (text + "\n").encode("utf-8"))
    return DemoResult(
        out=out, evidence=evidence, decision_path=decision_path, report_path=report_path,
        verdict=decision.verdict,
        not_passing=[(g.name, g.status, g.reason) for g in decision.gates if g.status != "pass"],
        audit_path=audit_path, audit_success=ok, seconds=time.monotonic() - start,
        timings=timings,
    )

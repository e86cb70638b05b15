"""Import another tool's gate output (per-gate booleans + ``pass_all``) as a decision.

For repositories that adopt releasegate late: the research programme's gate script writes
``release_policy.json``; this turns it into a ``DecisionEvidence`` so that ``audit`` can check
status claims. The input's own ``pass_all`` is never trusted: the verdict is recomputed from
the gate statuses, and a disagreement is recorded in the reasons and the summary.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evidence_schema import (
    DecisionEvidence,
    DecisionProvenance,
    EvidenceUse,
    GateResult,
    PolicyRef,
    Producer,
    sha256_bytes,
)

# The four gates the programme's script always evaluates (reference: gates.md); a gate the
# input lacks is "missing", never silently passing.
CORE_GATES = ("random_model", "transcoder", "ood", "external")
# Sub-gates some versions write; recorded as children of "external" when present.
CHILD_GATES = {"external_saebench": "external", "external_cebench": "external"}
# The metric each gate is decided on, for GateResult.observed.
OBSERVED = {
    "random_model": "trained_random_delta",
    "transcoder": "transcoder_delta",
    "ood": "ood_drop",
    "external": "saebench_delta",
    "external_saebench": "saebench_delta",
    "external_cebench": "cebench_interp_delta_vs_baseline",
}
_HEX = re.compile(r"^[0-9a-f]{7,64}$")


class GateImportError(Exception):
    """The input is not gate output we can import (→ exit 2)."""


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("releasegate")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _finite(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return None
    return float(x) if math.isfinite(x) else None


def _jsonable(x: Any) -> Any:
    # NaN is not JSON; the decision must stay strict JSON.
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_jsonable(v) for v in x]
    return x


def _tool_name(doc: dict[str, Any], path: Path) -> str:
    meta = doc.get("run_metadata")
    cmd = meta.get("command") if isinstance(meta, dict) else None
    if isinstance(cmd, str):
        for tok in cmd.split():
            if tok.endswith(".py"):
                return Path(tok).stem
    return path.stem


def _created_at(doc: dict[str, Any]) -> datetime:
    meta = doc.get("run_metadata")
    ts = meta.get("timestamp_utc") if isinstance(meta, dict) else None
    if isinstance(ts, str):
        try:
            dt = datetime.fromisoformat(ts.replace("Z", "+00:00"))
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=UTC)
            return dt.astimezone(UTC).replace(microsecond=0)
        except ValueError:
            pass
    return datetime.now(UTC).replace(microsecond=0)


def import_gate_output(
    path: str | Path, *, tool: str | None = None, record_path: str | None = None
) -> DecisionEvidence:
    """Read ``path`` (a ``release_policy.json``-shaped file) and return a decision.

    ``record_path`` is how the input is named inside the decision (default: as given), so
    that audit's staleness check can find it relative to the repository.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise GateImportError(f"cannot read {p}: {e.strerror or e}") from e
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise GateImportError(f"{p}: invalid UTF-8 at byte {e.start}") from e
    except json.JSONDecodeError as e:
        raise GateImportError(f"{p}:{e.lineno}: invalid JSON: {e.msg}") from e
    except RecursionError:
        raise GateImportError(f"{p}: JSON nested too deeply") from None
    if not isinstance(doc, dict):
        raise GateImportError(f"{p}: expected a JSON object with a 'gates' object")
    gates_in = doc.get("gates")
    if not isinstance(gates_in, dict):
        raise GateImportError(
            f"{p}: no 'gates' object; expected booleans like "
            '{"gates": {"random_model": true, "transcoder": false, ..., "pass_all": false}}'
        )
    metrics = doc.get("metrics") if isinstance(doc.get("metrics"), dict) else {}
    assert isinstance(metrics, dict)
    sha = sha256_bytes(data)
    rec = record_path or str(path)
    claimed = gates_in.get("pass_all")

    def result(name: str) -> GateResult:
        raw = gates_in.get(name, None)
        metric = OBSERVED.get(name)
        observed = _finite(metrics.get(metric)) if metric else None
        notes = []
        if metric and metric in metrics and observed is None:
            notes.append(f"metric {metric} is {metrics[metric]!r}, not a finite number")
        if name not in gates_in:
            status, reason = "missing", f"the input has no '{name}' gate"
        elif raw is True:
            status, reason = "pass", f"{name} = true in the imported output"
        elif raw is False:
            status, reason = "fail", f"{name} = false in the imported output"
        else:
            status, reason = "invalid", f"{name} is {raw!r}, not a boolean"
        if claimed is True and status != "pass":
            notes.append("the input's pass_all = true contradicts this gate; pass_all ignored")
        return GateResult(
            name=name, status=status, reason="; ".join([reason, *notes]), basis="imported",
            statistic=metric if observed is not None else None, observed=observed,
            evidence=[rec],
        )

    gates: list[GateResult] = []
    for name in CORE_GATES:
        g = result(name)
        kids = [result(c) for c, parent in CHILD_GATES.items()
                if parent == name and c in gates_in]
        if kids:
            g = g.model_copy(update={"children": kids})
        gates.append(g)
    statuses = {g.status for g in gates}
    verdict = "pass" if statuses == {"pass"} else (
        "waived" if statuses <= {"pass", "waived"} else "fail")
    failing = [g.name for g in gates if g.status != "pass"]
    summary = (f"imported from {rec}: verdict {verdict}"
               + (f"; not passing: {', '.join(failing)}" if failing else ""))
    if claimed is True and verdict != "pass":
        summary += "; the input claims pass_all = true, which its own gates contradict"
    elif claimed is False and verdict == "pass":
        summary += "; the input says pass_all = false although every gate is true"
    elif "pass_all" not in gates_in:
        summary += "; the input has no pass_all"
    meta = doc.get("run_metadata") if isinstance(doc.get("run_metadata"), dict) else {}
    assert isinstance(meta, dict)
    commit = meta.get("git_commit")
    tool_name = tool or _tool_name(doc, p)
    version = _version()
    return DecisionEvidence(
        created_at=_created_at(doc),
        producer=Producer(name="releasegate import-gates", version=version),
        provenance=DecisionProvenance(
            git_commit=commit if isinstance(commit, str) and _HEX.match(commit) else None,
            git_dirty=None,
            config=_jsonable({
                "imported_from": rec,
                "thresholds": doc.get("thresholds"),
                "run_id": meta.get("run_id"),
                "command": meta.get("command"),
            }),
            versions={"releasegate": version},
        ),
        policy=PolicyRef(name=f"imported:{tool_name}"[:200], version="0", path=rec, sha256=sha),
        evidence=[EvidenceUse(path=rec, sha256=sha, kind="gate_output")],
        gates=gates,
        verdict=verdict,
        summary=summary,
        basis="imported",  # as a whole: never re-evaluated by releasegate (audit says so)
    )

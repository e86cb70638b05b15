"""Fixtures for the audit tests: a throwaway repository built per test (never /work/shared)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from audit import AuditOptions, AuditResult, Finding, audit_paths
from evidence_schema import (
    DecisionEvidence,
    DecisionProvenance,
    EvidenceUse,
    GateResult,
    PolicyRef,
    Producer,
    WaiverRef,
    config_sha256,
    sha256_file,
)


def _recorded(status: str) -> dict[str, Any]:
    """What a gate with ``status`` records, so the status re-derives (issue 10 §3)."""
    if status in ("pass", "fail"):
        return {"observed": 1.0 if status == "pass" else -1.0, "comparison": ">=",
                "threshold": 0.0, "min_seeds": 1, "n_seeds": 1}
    if status == "waived":
        return {"waiver": WaiverRef(reason="accepted for the test", approver="tests",
                                     expires="2099-01-01", evidence_sha256=["c" * 64])}
    return {}


def sae_run_doc(ev: float = 0.74516, mse: float = 0.0123, l0: float = 31.5) -> dict[str, Any]:
    """A valid releasegate ``sae_run`` evidence document."""
    config = {"d_sae": 1024, "lr": 0.0003}
    return {
        "schema_version": "1.0",
        "kind": "sae_run",
        "created_at": "2026-11-20T10:00:00Z",
        "producer": {"name": "tests", "version": "0"},
        "provenance": {
            "git_commit": None, "git_dirty": None, "config": config,
            "config_sha256": config_sha256(config), "seeds": [0], "device": "cpu",
            "versions": {"python": "3.11", "releasegate": "0.1.0"},
        },
        "inputs": [],
        "metrics": {
            "architecture": "topk", "model_name": "tiny", "hook_point": "blocks.0.hook_resid_post",
            "d_model": 64, "d_sae": 1024, "k": 32, "training_tokens": 100000, "seed": 0,
            "explained_variance": ev, "mse": mse, "l0": l0, "dead_fraction": 0.015,
            "checkpoint_path": "ckpt/sae.safetensors", "checkpoint_sha256": "a" * 64,
        },
    }


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def json(self, rel: str, doc: Any) -> Path:
        p = self.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(doc, indent=2, allow_nan=True))
        return p

    def text(self, rel: str, text: str) -> Path:
        p = self.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return p

    def decision(
        self, gates: dict[str, str], evidence: Iterable[str] = (),
        gate_evidence: dict[str, list[str]] | None = None, rel: str = "decision.json",
    ) -> Path:
        gate_evidence = gate_evidence or {}
        results = [
            GateResult(name=n, status=s, reason=f"{n} is {s}",
                       evidence=gate_evidence.get(n, []), **_recorded(s))
            for n, s in gates.items()
        ]
        statuses = set(gates.values())
        verdict = "pass" if statuses == {"pass"} else (
            "waived" if statuses <= {"pass", "waived"} else "fail")
        uses = [EvidenceUse(path=e, sha256=sha256_file(self.root / e), kind="sae_run")
                for e in evidence]
        d = DecisionEvidence(
            created_at="2026-11-24T12:00:00Z",
            producer=Producer(name="tests", version="0"),
            provenance=DecisionProvenance(git_commit=None, git_dirty=None, config={},
                                          versions={"releasegate": "0.1.0"}),
            policy=PolicyRef(name="husai-release", version="1", path="policy.yaml",
                             sha256="b" * 64),
            evidence=uses, gates=results, verdict=verdict,
            summary=f"verdict {verdict}",
        )
        return self.json(rel, json.loads(d.model_dump_json()))

    def audit(self, *reports: str, strict: bool = False,
              decision: Path | None = None) -> AuditResult:
        paths = [self.root / r for r in reports] or [self.root]
        return audit_paths(paths, AuditOptions(repo=self.root, decision=decision, strict=strict))


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


def only(result: AuditResult, claim: str, kind: str | None = None) -> Finding:
    """The single finding whose claim text is ``claim`` (fails loudly otherwise)."""
    hits = [f for f in result.findings if f.claim == claim and (kind is None or f.kind == kind)]
    assert len(hits) == 1, (claim, [(f.claim, f.verdict, f.line) for f in result.findings])
    return hits[0]


def verdicts(result: AuditResult, kind: str | None = None) -> list[tuple[str, str]]:
    return [(f.claim, f.verdict) for f in sorted(result.findings,
                                                 key=lambda f: (f.file, f.line, f.column))
            if kind is None or f.kind == kind]

"""``import_gate_output``: another tool's pass_all JSON as a releasegate decision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit import GateImportError, import_gate_output
from evidence_schema import sha256_file, validate_document


def write(tmp_path: Path, doc: object, name: str = "release_policy.json") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(doc, allow_nan=True))
    return p


def statuses(d: object) -> dict[str, str]:
    return {g.name: g.status for g in d.gates}  # type: ignore[attr-defined]


def test_full_output(tmp_path: Path) -> None:
    p = write(tmp_path, {
        "run_metadata": {"timestamp_utc": "2026-02-13T20:41:20Z", "git_commit": "abc1234",
                         "command": "python scripts/run_gates.py --strict", "run_id": "r"},
        "thresholds": {"min_delta": 0.0},
        "metrics": {"trained_random_delta": 0.02, "saebench_delta": -0.13,
                    "cebench_interp_delta_vs_baseline": -40.4, "ood_drop": float("nan")},
        "gates": {"random_model": True, "transcoder": True, "ood": True, "external": False,
                  "external_saebench": False, "external_cebench": False,
                  "external_mode_used": "joint", "pass_all": False},
    })
    d = import_gate_output(p)
    assert statuses(d) == {"random_model": "pass", "transcoder": "pass", "ood": "pass",
                           "external": "fail"}
    ext = d.gates[3]
    assert [(c.name, c.status) for c in ext.children] == [("external_saebench", "fail"),
                                                          ("external_cebench", "fail")]
    assert d.verdict == "fail"
    assert d.policy.name == "imported:run_gates" and d.policy.version == "0"
    assert d.policy.sha256 == sha256_file(p) and d.evidence[0].sha256 == sha256_file(p)
    assert d.gates[0].observed == 0.02
    assert d.gates[2].observed is None and "not a finite number" in d.gates[2].reason
    assert d.provenance.git_commit == "abc1234"
    assert str(d.created_at).startswith("2026-02-13 20:41:20")
    # the result is a valid decision by the schema's own rules
    assert validate_document(json.loads(d.model_dump_json()), "d.json").ok


def test_pass_all_is_never_trusted(tmp_path: Path) -> None:
    p = write(tmp_path, {"gates": {"random_model": True, "transcoder": False, "ood": True,
                                   "external": True, "pass_all": True}})
    d = import_gate_output(p)
    assert d.verdict == "fail"
    assert "pass_all = true contradicts" in d.gates[1].reason
    assert "claims pass_all = true" in d.summary


def test_old_outputs_and_missing_gates(tmp_path: Path) -> None:
    p = write(tmp_path, {"gates": {"random_model": True, "transcoder": True}})
    d = import_gate_output(p, tool="legacy")
    assert statuses(d) == {"random_model": "pass", "transcoder": "pass", "ood": "missing",
                           "external": "missing"}
    assert d.verdict == "fail" and d.policy.name == "imported:legacy"
    assert "no pass_all" in d.summary


def test_all_pass(tmp_path: Path) -> None:
    p = write(tmp_path, {"gates": {"random_model": True, "transcoder": True, "ood": True,
                                   "external": True, "pass_all": True}})
    assert import_gate_output(p).verdict == "pass"


def test_non_boolean_is_invalid(tmp_path: Path) -> None:
    p = write(tmp_path, {"gates": {"random_model": 1, "transcoder": "true", "ood": None,
                                   "external": True}})
    d = import_gate_output(p)
    assert statuses(d) == {"random_model": "invalid", "transcoder": "invalid",
                           "ood": "invalid", "external": "pass"}


@pytest.mark.parametrize("content", ["{", "[]", '{"gates": []}', '{"no": 1}', b"\xff\xfe"])
def test_unusable_input(tmp_path: Path, content: str | bytes) -> None:
    p = tmp_path / "x.json"
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content)
    with pytest.raises(GateImportError):
        import_gate_output(p)

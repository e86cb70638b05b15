"""Stray JSON next to evidence is skipped and counted; claimed or unparseable JSON fails closed.

The runners' and the sweep's output folders hold sae-lens ``cfg.json``, cached evaluations,
``condition.json`` and status files next to the evidence (issue 10 §4). The real folders are
checked in tests/runners/test_output_folder.py and tests/sweeps/test_output_folder.py (slow);
here the same kinds of files are written by hand so the rule is tested in milliseconds.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_schema import KINDS, validate_bytes, validate_paths
from policy import load_evidence
from releasegate.cli.main import main

REPO = Path(__file__).resolve().parents[2]
NOW = "2026-11-26T00:00:00+00:00"

# What a runner's and a sweep's folders hold besides evidence (keys as the project writes them).
STRAY: dict[str, str] = {
    # sae-lens 6 SAE.save_model
    "ckpt/trained/seed0/cfg.json": json.dumps({
        "d_in": 64, "d_sae": 256, "dtype": "float32", "device": "cpu",
        "apply_b_dec_to_input": True, "normalize_activations": "none",
        "reshape_activations": "none", "metadata": {"sae_lens_version": "6.54.12"}, "k": 8,
        "rescale_acts_by_decoder_norm": False, "architecture": "topk"}),
    # runners.context.RunContext.evaluation: sae-lens eval metrics, NaN where undefined
    "artifacts/evals/trained-seed0-val.json": '{"explained_variance": 0.71, "kl_score": NaN}',
    # runners.sweep._condition.run_condition's marker
    "cond-abc/condition.json": json.dumps({
        "condition_id": "abc", "runner": "sae", "axes": {"k": 8}, "config_sha256": "0" * 64,
        "seconds": 1.5, "evidence": []}),
    # runners.sweep._sweep.run_sweep's status file: a list-free object without kind
    "sweep-status.json": json.dumps({"sweep": "s", "executor": "local", "total": 1,
                                     "counts": {"done": 1}, "conditions": []}),
    # JSON that is not an object at all
    "artifacts/losses.json": "[0.5, 0.4, 0.3]",
}


def _stray(root: Path) -> None:
    for rel, text in STRAY.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    # the tiny LM's config shipped with the runners (a real file of the project, not evidence)
    shutil.copy(REPO / "runners" / "assets" / "tiny_lm_config.json", root / "tiny_lm_config.json")


N_STRAY = len(STRAY) + 1


@pytest.fixture
def mixed(evidence_dir: Path) -> Path:
    _stray(evidence_dir)
    return evidence_dir


def test_validate_skips_non_evidence_with_one_count_line(
        mixed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    top_level_stray = {"sweep-status.json", "tiny_lm_config.json"}
    n_evidence = len([p for p in mixed.glob("*.json") if p.name not in top_level_stray])
    assert main(["validate", str(mixed)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{n_evidence} file(s) checked, 0 invalid",
                   f"{N_STRAY} non-evidence JSON file(s) skipped"]


def test_validate_json_lists_skipped_files(mixed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json", str(mixed)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["success"] is True
    assert sorted(Path(p).relative_to(mixed).as_posix() for p in doc["skipped"]) == sorted(
        [*STRAY, "tiny_lm_config.json"])
    assert all(f["valid"] for f in doc["files"])


def test_check_decides_as_without_the_stray_files(
        evidence_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = tmp_path / "clean"
    shutil.copytree(evidence_dir, clean)
    rc_clean = main(["check", "--evidence", str(clean), "--now", NOW, "--format", "json"])
    clean_doc = json.loads(capsys.readouterr().out)
    _stray(evidence_dir)
    rc = main(["check", "--evidence", str(evidence_dir), "--now", NOW, "--format", "json"])
    captured = capsys.readouterr()
    doc = json.loads(captured.out)  # stdout stays machine-readable
    assert f"{N_STRAY} non-evidence JSON file(s) skipped" in captured.err.splitlines()
    assert rc == rc_clean
    assert doc["unreadable"] == [] and doc["verdict"] == clean_doc["verdict"]
    assert [(g["name"], g["status"]) for g in doc["gates"]] == [
        (g["name"], g["status"]) for g in clean_doc["gates"]]


def test_claimed_but_malformed_evidence_fails_closed_for_its_kind(
        mixed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mixed / "artifacts" / "ood.json").write_text('{"schema_version": "1.0", "kind": "ood_stress"}')
    assert main(["validate", str(mixed)]) == 1
    assert "artifacts/ood.json" in capsys.readouterr().out
    ev = load_evidence(mixed)
    assert [r.kind for r in ev.invalid] == ["ood_stress"]
    assert len(ev.skipped) == N_STRAY


def test_evidence_that_lost_its_schema_version_is_still_checked(mixed: Path) -> None:
    (mixed / "x.json").write_text('{"kind": "ood_stress", "metrics": {}}')
    report = validate_paths([mixed / "x.json"])
    assert not report.success and report.evidence and not report.skipped


@pytest.mark.parametrize("text", ['{"kind": "ood_stress", "schema_version": "1.0"',  # truncated
                                  '{"a": 1,}', "\x00\x01", '{"kind": "ood_stress", "x": NaN}'])
def test_unparseable_or_strict_failing_evidence_makes_every_gate_invalid(
        mixed: Path, text: str, capsys: pytest.CaptureFixture[str]) -> None:
    (mixed / "broken.json").write_text(text)
    assert main(["validate", str(mixed)]) == 1
    capsys.readouterr()
    ev = load_evidence(mixed)
    assert [(Path(r.path).name, r.kind) for r in ev.invalid] == [("broken.json", None)]
    rc = main(["check", "--evidence", str(mixed), "--now", NOW, "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert rc == 1 and {g["status"] for g in doc["gates"]} == {"invalid"}


def test_only_non_evidence_json_is_not_a_failure(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    _stray(tmp_path)
    assert main(["validate", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "0 file(s) checked, 0 invalid", f"{N_STRAY} non-evidence JSON file(s) skipped"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_json_not_declaring_evidence_is_skipped(doc: Any) -> None:
    if isinstance(doc, dict):
        doc.pop("kind", None)
        doc.pop("schema_version", None)
    res = validate_bytes(json.dumps(doc).encode(), "x.json", skip_non_evidence=True)
    assert res.skipped and not res.problems and not res.ok


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(max_size=5), json_values, max_size=3),
       st.one_of(st.sampled_from(KINDS), st.text(max_size=8), st.integers()))
def test_json_declaring_evidence_is_never_skipped(doc: dict[str, Any], kind: Any) -> None:
    doc.update(schema_version="1.0", kind=kind)
    res = validate_bytes(json.dumps(doc).encode(), "x.json", skip_non_evidence=True)
    assert not res.skipped and res.problems and not res.ok

"""Validating a file imports its own kind's models only (issue 13).

Building every kind's pydantic models cost ~30 ms of each process; `validate` of one file pays
for that file's kind alone. These probes run in a fresh interpreter and read ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from _helpers import REPO

from evidence_schema import config_sha256

PROBE = """
import sys
{body}
print("MODELS=" + ",".join(sorted(m for m in sys.modules if m.startswith("evidence_schema._"))))
"""


def _modules_after(body: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", PROBE.format(body=body)], cwd=REPO,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return set(out.stdout.strip().splitlines()[-1].removeprefix("MODELS=").split(","))


def _models(mods: set[str]) -> set[str]:
    return {m for m in mods if m.startswith("evidence_schema._models")}


def _sae_run_doc() -> dict[str, Any]:
    cfg = {"lr": 0.001}
    return {
        "kind": "sae_run", "schema_version": "1.0", "created_at": "2026-11-25T00:00:00Z",
        "producer": {"name": "t", "version": "1"},
        "provenance": {"git_commit": None, "git_dirty": None, "config": cfg,
                       "config_sha256": config_sha256(cfg), "seeds": [0], "device": "cpu",
                       "versions": {"python": "3.11", "releasegate": "0"}},
        "inputs": [],
        "metrics": {
            "architecture": "topk", "model_name": "m", "hook_point": "h", "d_model": 8,
            "d_sae": 16, "k": 4, "training_tokens": 100, "seed": 0, "explained_variance": 0.9,
            "mse": 0.1, "l0": 4.0, "dead_fraction": 0.1, "checkpoint_path": "c",
            "checkpoint_sha256": "0" * 64,
        },
    }


def test_validating_one_sae_run_file_imports_only_that_kind(tmp_path: Path) -> None:
    # The envelope every kind shares, and sae_run's own module: no other kind.
    assert _validate_probe(tmp_path, _sae_run_doc(), 0) == {
        "evidence_schema._models", "evidence_schema._models.envelope",
        "evidence_schema._models.sae_run"}


def _validate_probe(tmp_path: Path, doc: dict[str, Any], code: int) -> set[str]:
    path = tmp_path / "run.json"
    path.write_text(json.dumps(doc, indent=2))
    body = ("from releasegate.cli.main import main\n"
            f"assert main(['validate', '-q', {str(path)!r}]) == {code}\n")
    return _models(_modules_after(body))


def test_a_file_refused_by_a_model_rule_loads_only_its_kind(tmp_path: Path) -> None:
    doc = _sae_run_doc()
    doc["provenance"]["config"]["lr"] = 0.1  # the config no longer matches its sha256
    assert _validate_probe(tmp_path, doc, 1) == {
        "evidence_schema._models", "evidence_schema._models.envelope",
        "evidence_schema._models.sae_run"}


def test_a_file_refused_by_the_schema_builds_no_model(tmp_path: Path) -> None:
    doc = _sae_run_doc()
    doc["metrics"]["dead_fraction"] = 1.5  # over 1: the schema pass decides and words it
    assert _validate_probe(tmp_path, doc, 1) == set()


def test_a_decision_loads_the_decision_model_and_its_checks_only() -> None:
    body = ("from evidence_schema import model_for\n"
            "assert model_for('decision').__name__ == 'DecisionEvidence'\n")
    assert _models(_modules_after(body)) == {
        "evidence_schema._models", "evidence_schema._models.decision",
        "evidence_schema._models.decision_checks"}


def test_importing_the_package_imports_nothing_behind_it() -> None:
    body = "import evidence_schema\nassert 'pydantic' not in sys.modules\n"
    assert _modules_after(body) == {""}  # no evidence_schema submodule at all


@pytest.mark.parametrize("kind", ["sae_run", "random_model_control", "transcoder_stress",
                                  "ood_stress", "external_benchmark", "external_selection",
                                  "consistency", "sweep", "sweep_aggregate",
                                  "consistency_objective", "lm_training", "decision"])
def test_each_kind_maps_to_the_model_of_that_kind(kind: str) -> None:
    from evidence_schema import KINDS, MODEL_BY_KIND, model_for

    assert kind in KINDS and kind in MODEL_BY_KIND
    model = model_for(kind)
    assert model is MODEL_BY_KIND[kind]
    assert model.model_fields["kind"].default == kind


def test_the_lazy_names_are_the_package_names() -> None:
    import evidence_schema

    for name in evidence_schema.__all__:
        assert getattr(evidence_schema, name) is not None, name
    assert set(evidence_schema.__all__) <= set(dir(evidence_schema))
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        _ = evidence_schema.no_such_name


def test_unknown_kind_names_the_known_ones() -> None:
    from evidence_schema import MODEL_BY_KIND, model_for

    with pytest.raises(KeyError, match="unknown evidence kind 'nope'; known kinds: consistency"):
        model_for("nope")
    assert "nope" not in MODEL_BY_KIND
    with pytest.raises(KeyError):
        MODEL_BY_KIND["nope"]

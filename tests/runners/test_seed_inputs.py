"""Runner evidence names the seed of every per-seed input (a checkpoint), so that `check` can
refuse one run counted as several seeds for the runners' evidence too, not only for ingested
external results (issue 10 §1)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import policy

from .conftest import Trained

pytestmark = pytest.mark.slow


def _evidence(trained: Trained, stem: str) -> Path:
    paths: set[Path] = {p for ps in trained.evidence.values() for p in ps
                        if p.name.startswith(stem + "-")}
    (path,) = paths
    return path


def test_checkpoint_inputs_carry_their_seed(trained: Trained) -> None:
    for stem in ("random_model_control", "transcoder_stress", "consistency", "ood_stress"):
        doc: dict[str, Any] = json.loads(_evidence(trained, stem).read_text())
        ckpts = [i for i in doc["inputs"] if i["role"].startswith("sae_checkpoint")]
        assert ckpts, stem
        for arm in {i["role"] for i in ckpts}:
            seeds = [i.get("seed") for i in ckpts if i["role"] == arm]
            assert sorted(seeds) == trained.cfg.sae.seeds, (stem, arm, seeds)
            shas = [i["sha256"] for i in ckpts if i["role"] == arm]
            assert len(set(shas)) == len(shas), (stem, arm)


def test_one_checkpoint_given_as_two_seeds_is_not_a_pass(trained: Trained,
                                                          tmp_path: Path) -> None:
    ev = tmp_path / "evidence"
    ev.mkdir()
    src = _evidence(trained, "random_model_control")
    doc: dict[str, Any] = json.loads(src.read_text())
    trained_ckpts = [i for i in doc["inputs"] if i["role"] == "sae_checkpoint:trained"]
    by_seed = {i["seed"]: i for i in trained_ckpts}
    by_seed[1]["sha256"] = by_seed[0]["sha256"]  # seed 1's "run" is seed 0's file
    (ev / src.name).write_text(json.dumps(doc, indent=2))
    shutil.copy(_evidence(trained, "consistency"), ev)
    decision = policy.check(policy.DEFAULT_POLICY, ev)
    gate = next(g for g in decision.gates if g.name == "random_model")
    assert gate.status != "pass"
    assert "one run counted as several seeds" in json.dumps(gate.model_dump(mode="json"))

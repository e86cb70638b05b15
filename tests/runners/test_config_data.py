"""Config validation, the runner registry, the offline corpora and the shipped tiny LM."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import yaml

import runners
from evidence_schema import sha256_file, validate_file
from runners.config import ConfigError, RunnerConfig, load_config
from runners.data import load_corpus, stdlib_dir, to_sequences

REPO = Path(__file__).resolve().parents[2]


def test_unknown_key_is_an_error_naming_the_key(tmp_path: Path) -> None:
    p = tmp_path / "c.yaml"
    p.write_text("sae:\n  d_sea: 12\n")
    with pytest.raises(ConfigError, match=r"sae\.d_sea"):
        load_config(p)


@pytest.mark.parametrize(
    ("raw", "match"),
    [
        ({"model": {"source": "pretrained", "name": "gpt2"}}, "allow_network"),
        ({"model": {"source": "local"}}, "config_path"),
        ({"sae": {"seeds": [1, 1]}}, "duplicates"),
        ({"sae": {"k": 600, "d_sae": 512}}, "exceeds"),
        ({"sae": {"architecture": "gated"}}, "architecture"),
    ],
)
def test_invalid_configs_refused(raw: dict[str, object], match: str) -> None:
    with pytest.raises(Exception, match=match):
        RunnerConfig.model_validate(raw)


def test_pretrained_by_name_is_accepted_only_with_network_allowed() -> None:
    cfg = RunnerConfig.model_validate(
        {"model": {"source": "pretrained", "name": "gpt2", "allow_network": True}})
    assert cfg.model.name == "gpt2"


def test_bad_yaml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("sae: [unclosed\n")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "nope.yaml")


def test_demo_config_matches_the_example_file() -> None:
    from releasegate.demo import DEMO_CONFIG, demo_config

    example = RunnerConfig.model_validate(
        yaml.safe_load((REPO / "examples/configs/demo.yaml").read_text()))
    assert example == demo_config()
    assert RunnerConfig.model_validate(DEMO_CONFIG) == example


def test_every_example_config_loads() -> None:
    files = sorted((REPO / "examples/configs").glob("*.yaml"))
    assert files
    for f in files:
        load_config(f)


def test_registry_refuses_duplicates() -> None:
    from runners.registry import RUNNERS, get_runner, register

    assert set(runners.runner_names()) >= {"sae", "consistency", "random_model", "transcoder",
                                           "ood"}
    with pytest.raises(ValueError, match="already registered"):
        register("sae", "again")(lambda ctx: [])
    assert RUNNERS["sae"].fn.__name__ == "run_sae"
    with pytest.raises(KeyError, match="choose one of"):
        get_runner("nope")


def test_cli_run_choices_match_the_registry() -> None:
    from releasegate.cli.commands.run import _RUNNERS

    assert sorted(_RUNNERS) == runners.runner_names()


def test_import_runners_is_cheap() -> None:
    import subprocess
    import sys

    code = ("import sys, runners; heavy = [m for m in ('torch', 'sae_lens', 'transformer_lens') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_corpora_are_deterministic_and_splits_disjoint() -> None:
    a = load_corpus("stdlib_python", "val", max_bytes=200_000)
    b = load_corpus("stdlib_python", "val", max_bytes=200_000)
    assert a.sha256 == b.sha256 and len(a.data) == 200_000
    train = load_corpus("stdlib_python", "train", max_bytes=200_000)
    assert train.data[:1000] != a.data[:1000]
    prose = load_corpus("pydoc_prose", "val")
    # Prose, not code: mostly letters and spaces, few braces.
    text = prose.data.decode("utf-8")
    assert text.count(" ") / len(text) > 0.1 and text.count("{") / len(text) < 0.01
    assert str(stdlib_dir()) in prose.source


def test_to_sequences_drops_the_tail() -> None:
    seqs = to_sequences(bytes(range(10)) * 3, 8)
    assert seqs.shape == (3, 8) and seqs.dtype == np.int64
    assert seqs[1, 0] == 8


def test_shipped_tiny_lm_evidence_and_checkpoint() -> None:
    from runners.models import TINY_LM_CHECKPOINT, TINY_LM_EVIDENCE

    assert validate_file(TINY_LM_EVIDENCE).ok
    doc = json.loads(TINY_LM_EVIDENCE.read_text())
    m = doc["metrics"]
    assert m["checkpoint_sha256"] == sha256_file(TINY_LM_CHECKPOINT)
    assert m["uniform_loss"] == pytest.approx(math.log(256))
    # "Clearly non-random": well under half the loss of uniform prediction.
    assert m["final_val_loss"] < 0.5 * m["uniform_loss"]
    assert TINY_LM_CHECKPOINT.stat().st_size < 3_000_000


@pytest.mark.slow
def test_tiny_lm_loads_and_predicts_held_out_code() -> None:
    import torch

    from runners.models import TINY_LM_CHECKPOINT, TINY_LM_CONFIG, load_local, random_copy

    lm = load_local(TINY_LM_CONFIG, TINY_LM_CHECKPOINT)
    seqs = to_sequences(load_corpus("stdlib_python", "val", max_bytes=128 * 32).data, 128)
    x = torch.from_numpy(seqs)
    with torch.no_grad():
        loss = float(lm.model(x, return_type="loss"))
        rnd = float(random_copy(lm.model, 1234)(x, return_type="loss"))
    assert loss < 2.0 < math.log(256) - 0.5 < rnd

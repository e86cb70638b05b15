"""Sweep files (and their base_config) go through the one safe YAML reader (issue 10 §4)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from _yaml_bomb import BOMB, within
from sweeps.sweep_helpers import TINY_BASE, tiny_sweep

from releasegate.cli.main import main
from runners.sweep import SweepError, load_sweep


def test_bomb_sweep_file_is_refused_quickly(tmp_path: Path) -> None:
    p = tmp_path / "bomb.yaml"
    p.write_bytes(BOMB)
    with within(), pytest.raises(SweepError) as exc:
        load_sweep(p)
    assert str(exc.value).startswith(f"{p}:1: YAML anchors and aliases")


def test_bomb_base_config_is_refused_quickly(tmp_path: Path) -> None:
    (tmp_path / "bomb.yaml").write_bytes(BOMB)
    sweep = {k: v for k, v in tiny_sweep().items() if k != "base"}
    p = tmp_path / "s.yaml"
    p.write_text(yaml.safe_dump({**sweep, "base_config": "bomb.yaml"}))
    with within(), pytest.raises(SweepError, match="aliases") as exc:
        load_sweep(p)
    assert f"{tmp_path / 'bomb.yaml'}:1:" in str(exc.value)


def test_sweep_cli_with_bomb_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "bomb.yaml"
    p.write_bytes(BOMB)
    with within():
        assert main(["sweep", str(p), "--dry-run"]) == 2
    assert "aliases" in capsys.readouterr().err


def test_alias_and_duplicate_key_in_a_sweep_name_their_line(tmp_path: Path) -> None:
    text = yaml.safe_dump(tiny_sweep(), sort_keys=False)
    p = tmp_path / "s.yaml"
    p.write_text(text + "extra: &e 1\n")
    line = len(text.splitlines()) + 1
    with pytest.raises(SweepError, match=rf"s\.yaml:{line}: YAML anchors and aliases"):
        load_sweep(p)
    p.write_text("name: a\nname: b\n" + text.split("\n", 1)[1])
    with pytest.raises(SweepError, match=r"s\.yaml:2: duplicate key 'name'"):
        load_sweep(p)


def test_plain_sweep_still_loads(tmp_path: Path) -> None:
    p = tmp_path / "s.yaml"
    p.write_text(yaml.safe_dump(tiny_sweep()))
    spec, base = load_sweep(p)
    assert spec.name == "t" and base == TINY_BASE

"""Runner configs go through the one safe YAML reader: an alias bomb is refused (issue 10 §4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _yaml_bomb import BOMB, within

from runners.config import ConfigError, load_config


def test_bomb_config_is_refused_quickly(tmp_path: Path) -> None:
    p = tmp_path / "bomb.yaml"
    p.write_bytes(BOMB)
    with within(), pytest.raises(ConfigError) as exc:
        load_config(p)
    assert str(exc.value).startswith(f"{p}:1: YAML anchors and aliases")


def test_duplicate_key_in_a_config_names_its_line(tmp_path: Path) -> None:
    p = tmp_path / "c.yaml"
    p.write_text("sae:\n  k: 8\n  k: 16\n")
    with pytest.raises(ConfigError, match=r"c\.yaml:3: duplicate key 'k'"):
        load_config(p)

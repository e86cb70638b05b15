"""Sweep files and grid expansion: no training."""

from __future__ import annotations

from pathlib import Path

import pytest
from sweeps.sweep_helpers import TINY_BASE, tiny_sweep

from releasegate.cli.main import main
from runners.sweep import SweepError, expand, load_sweep, parse_sweep

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "sweeps"


def test_grid_expands_to_product_with_config_hash_dirs(tmp_path: Path) -> None:
    spec = parse_sweep(tiny_sweep(grid={"training_tokens": [20480, 40960], "layer": [0, 1],
                                        "d_sae": [64, 128]}))
    conds = expand(spec, TINY_BASE)
    assert len(conds) == 8
    assert len({c.id for c in conds}) == 8
    first = conds[0]
    assert first.config["sae"]["hook_point"] == "blocks.0.hook_resid_post"
    assert first.config["sae"]["seeds"] == [0, 1]
    assert conds[2].config["sae"]["hook_point"] == "blocks.1.hook_resid_post"
    assert first.out_dir(tmp_path).name == f"consistency-{first.config_sha256[:12]}"
    # Expansion is deterministic: the same file names the same directories.
    assert [c.id for c in expand(spec, TINY_BASE)] == [c.id for c in conds]


def test_runner_axis_and_dotted_paths() -> None:
    spec = parse_sweep(tiny_sweep(grid={"runner": ["sae", "consistency"],
                                        "sae.lr": [0.001, 0.003]}))
    conds = expand(spec, TINY_BASE)
    assert {c.runner for c in conds} == {"sae", "consistency"}
    assert {c.config["sae"]["lr"] for c in conds} == {0.001, 0.003}


@pytest.mark.parametrize(("raw", "needle"), [
    (tiny_sweep(grid={"d_sea": [64]}), "unknown axis 'd_sea'"),
    (tiny_sweep(grid={"d_sae": []}), "at least one value"),
    (tiny_sweep(grid={"d_sae": [64, 64]}), "duplicate values"),
    (tiny_sweep(grid={"runner": ["nope"]}), "unknown runner"),
    (tiny_sweep(grid={"d_sae": [64], "sae.d_sae": [64]}), "same config key"),
    (tiny_sweep(grid={"d_sae": [64]}, extra_key=1), "extra_key"),
    (tiny_sweep(grid={"layer": [0]}, hook_template="blocks.0.x"), "{layer}"),
])
def test_bad_sweep_files_name_the_key(raw: dict[str, object], needle: str) -> None:
    with pytest.raises(SweepError, match="invalid sweep file") as e:
        parse_sweep(raw, "s.yaml")
    assert needle in str(e.value) and "s.yaml" in str(e.value)


def test_condition_that_is_not_a_valid_runner_config() -> None:
    spec = parse_sweep(tiny_sweep(grid={"k": [8, 100]}))  # k 100 > d_sae 64
    with pytest.raises(SweepError, match=r"condition \(k=100\).*exceeds"):
        expand(spec, TINY_BASE, "s.yaml")


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_sweep_files_expand(path: Path) -> None:
    spec, base = load_sweep(path)
    assert expand(spec, base, str(path))


def test_cli_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep", str(tmp_path / "missing.yaml")]) == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ngrid: {d_sea: [1]}\n")
    assert main(["sweep", str(bad)]) == 2
    assert "d_sea" in capsys.readouterr().err
    good = EXAMPLES / "scaling_tiny.yaml"
    assert main(["sweep", str(good), "--workers", "0"]) == 2
    assert main(["sweep", str(good), "--executor", "ray", "--workers", "2"]) == 2
    assert main(["sweep", str(good), "--dry-run", "--out", str(tmp_path)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 8


def test_sweep_file_errors_are_plain_words_not_pydantic_wording() -> None:
    raw = tiny_sweep(grid={"d_sae": [[64]]})
    raw.update(name="1x", confidence=0.3)
    with pytest.raises(SweepError) as e:
        parse_sweep(raw, "s.yaml")
    text = str(e.value)
    assert "Input should be" not in text and "pattern" not in text
    assert "name: '1x' is not a name: a letter first" in text
    assert ("grid.d_sae.0: expected text, a whole number, a number or true or false, got a "
            "list") in text
    assert "confidence: must be greater than 0.5, got the number 0.3" in text

"""A mistyped runner name gets "did you mean" wherever a runner is named (issue 14): the
``run`` subcommand (tests/cli/test_help.py), the runner registry and a sweep file's grid.
"""

from __future__ import annotations

import pytest
from sweeps.sweep_helpers import tiny_sweep

from runners.sweep import SweepError, parse_sweep


@pytest.mark.parametrize(("typed", "meant"), [
    ("random_model_control", "random_model"),  # the evidence kind, not the runner
    ("transcodr", "transcoder"),
    ("consistancy", "consistency"),
])
def test_registry_suggests_the_runner(typed: str, meant: str) -> None:
    import runners
    from runners.registry import get_runner

    runners.runner_names()  # registers every runner
    with pytest.raises(KeyError) as e:
        get_runner(typed)
    assert f"unknown runner {typed!r}; did you mean {meant!r}?" in str(e.value)


def test_registry_makes_no_guess_for_an_unrelated_name() -> None:
    import runners
    from runners.registry import get_runner

    runners.runner_names()
    with pytest.raises(KeyError) as e:
        get_runner("frobnicate")
    assert "did you mean" not in str(e.value) and "choose one of" in str(e.value)


def test_sweep_grid_suggests_the_runner() -> None:
    with pytest.raises(SweepError) as e:
        parse_sweep(tiny_sweep(grid={"runner": ["sae", "random_model_control"]}), "s.yaml")
    assert "did you mean 'random_model'?" in str(e.value) and "s.yaml" in str(e.value)

"""The programme's explained variance, 1 − var(x − x̂)/var(x) over all elements, vs numpy."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from runners.variance import TotalVarianceExplained


def _numpy_total(x: np.ndarray, x_hat: np.ndarray) -> float:
    # The definition in shared/reference/gates.md, written out with numpy's own var.
    return float(1.0 - np.var(x - x_hat) / np.var(x))


def _numpy_sae_lens(x: np.ndarray, x_hat: np.ndarray) -> float:
    # sae-lens: 1 − E‖x − x̂‖² / Σ_d Var(x_d).
    return float(1.0 - ((x - x_hat) ** 2).sum(axis=1).mean() / x.var(axis=0).sum())


def test_streamed_over_batches_equals_numpy_over_everything() -> None:
    rng = np.random.default_rng(0)
    # A large shared mean direction, as residual-stream activations have, and a biased x̂.
    x = rng.normal(size=(600, 16)) * rng.uniform(0.5, 3, size=16) + 5.0
    x_hat = x * 0.8 + rng.normal(scale=0.3, size=x.shape) + 0.2
    calc = TotalVarianceExplained()
    for lo in range(0, 600, 128):  # uneven batches
        calc.add_batch(torch.tensor(x_hat[lo:lo + 128]), torch.tensor(x[lo:lo + 128]))
    assert calc.compute() == pytest.approx(_numpy_total(x, x_hat), rel=1e-12)
    # The two definitions really differ on such data, so recording both says something.
    assert abs(_numpy_total(x, x_hat) - _numpy_sae_lens(x, x_hat)) > 0.05


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 40), st.integers(1, 8), st.floats(-50, 50), st.integers(0, 2**32 - 1))
def test_any_shape_and_offset(n: int, d: int, offset: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)) + offset
    x_hat = x + rng.normal(scale=0.5, size=(n, d))
    calc = TotalVarianceExplained()
    calc.add_batch(torch.tensor(x_hat), torch.tensor(x))
    assert calc.compute() == pytest.approx(_numpy_total(x, x_hat), rel=1e-9, abs=1e-9)


def test_undefined_cases_raise() -> None:
    with pytest.raises(ValueError, match="no batches"):
        TotalVarianceExplained().compute()
    calc = TotalVarianceExplained()
    calc.add_batch(torch.zeros(3, 2), torch.ones(3, 2))
    with pytest.raises(ValueError, match="var\\(x\\) is 0"):
        calc.compute()
    with pytest.raises(ValueError, match="shapes differ"):
        calc.add_batch(torch.zeros(3, 2), torch.ones(2, 3))

"""PWMCC and feature-recovery metrics against independent numpy references."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from runners import metrics as M


def _brute_force_hungarian(a: np.ndarray, b: np.ndarray) -> float:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    c = np.abs(a @ b.T)
    perms = itertools.permutations(range(len(b)))
    best = max(sum(c[i, p[i]] for i in range(len(a))) for p in perms)
    return float(best / len(a))


@settings(max_examples=40, deadline=None)
@given(n_a=st.integers(1, 40), n_b=st.integers(1, 40), d=st.integers(1, 12),
       chunk=st.integers(1, 50), seed=st.integers(0, 2**31 - 1))
def test_pwmcc_matches_numpy_reference(n_a: int, n_b: int, d: int, chunk: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal((n_a, d)), rng.standard_normal((n_b, d))
    got = M.pwmcc(torch.from_numpy(a), torch.from_numpy(b), chunk=chunk)
    assert got == pytest.approx(M.pwmcc_reference(a, b), abs=1e-5)


def test_pwmcc_identity_permutation_and_sign_flip_is_one() -> None:
    rng = np.random.default_rng(0)
    w = rng.standard_normal((64, 16))
    perm = rng.permutation(64)
    flipped = w[perm] * np.where(rng.random(64) < 0.5, -1.0, 1.0)[:, None] * 3.0
    assert M.pwmcc(torch.from_numpy(w), torch.from_numpy(flipped)) == pytest.approx(1.0, abs=1e-6)


def test_pwmcc_is_symmetric_and_chunk_independent() -> None:
    g = torch.Generator().manual_seed(1)
    a, b = torch.randn(300, 32, generator=g), torch.randn(200, 32, generator=g)
    full = M.pwmcc(a, b, chunk=10_000)
    assert M.pwmcc(b, a) == pytest.approx(full, abs=1e-6)
    assert M.pwmcc(a, b, chunk=7) == pytest.approx(full, abs=1e-6)


def test_pwmcc_rejects_mismatched_width() -> None:
    with pytest.raises(ValueError, match="d_model"):
        M.pwmcc(torch.randn(4, 3), torch.randn(4, 5))


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 5), d=st.integers(1, 6), seed=st.integers(0, 2**31 - 1))
def test_hungarian_matches_brute_force(n: int, d: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal((n, d)), rng.standard_normal((n, d))
    got = M.pwmcc_hungarian(torch.from_numpy(a), torch.from_numpy(b))
    assert got == pytest.approx(_brute_force_hungarian(a, b), abs=1e-5)
    # A one-to-one matching can never beat the max-matching in either direction.
    assert got <= M.pwmcc_reference(a, b) + 1e-6


def test_pairwise_covers_every_pair_once_in_seed_order() -> None:
    decs = M.random_decoders([5, 1, 3], 20, 8)
    pairs = M.pairwise(decs)
    assert [p for p, _ in pairs] == [(1, 3), (1, 5), (3, 5)]
    for (sa, sb), v in pairs:
        assert v == pytest.approx(M.pwmcc_reference(decs[sa].numpy(), decs[sb].numpy()), abs=1e-6)


def test_random_decoders_are_seeded_and_distinct() -> None:
    a, b = M.random_decoders([0, 1], 10, 4), M.random_decoders([0, 1], 10, 4)
    assert torch.equal(a[0], b[0]) and not torch.equal(a[0], a[1])
    assert tuple(a[0].shape) == (10, 4)


def test_mcc_vs_truth_reference() -> None:
    rng = np.random.default_rng(3)
    truth = rng.standard_normal((12, 8))
    learned = np.concatenate([truth[:6] * -2.0, rng.standard_normal((20, 8))])
    t = truth / np.linalg.norm(truth, axis=1, keepdims=True)
    ell = learned / np.linalg.norm(learned, axis=1, keepdims=True)
    ref = float(np.abs(t @ ell.T).max(axis=1).mean())
    assert M.mcc_vs_truth(torch.from_numpy(learned), torch.from_numpy(truth)) == pytest.approx(ref)
    assert M.mcc_vs_truth(torch.from_numpy(truth), torch.from_numpy(truth)) == pytest.approx(1.0)

"""Round-14: the cancellation-free ``L D L^T`` (GTH) factorisation and solve of the PKU safety fit
(``_safety_pku._gth``, ``_gth_solve``), which no test called directly: a wrong sign in the substitution survived a
fresh mutation sample (issue 11) because the fit's line search still converges. Expected values: ``numpy.linalg``
on the formed matrix ``H = diag(s + W 1) - W`` where that is well conditioned, and, for a tiny ridge, the exact
rational solution (``fractions``) where forming ``H`` in float64 would round the ridge away.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from aligntheory.analysis._safety_pku import _gth, _gth_solve


def _problem(B, k, seed, ridge=1.0):
    rng = np.random.default_rng(seed)
    W = rng.uniform(0.0, 2.0, (B, k, k)) * (rng.random((B, k, k)) < 0.6)
    W = np.triu(W, 1)
    W = W + np.swapaxes(W, 1, 2)
    s = ridge * rng.uniform(0.5, 1.5, (B, k))
    g = rng.normal(size=(B, k))
    H = -W.copy()
    idx = np.arange(k)
    H[:, idx, idx] = s + W.sum(-1)
    return W, s, g, H


@pytest.mark.parametrize("block", [256, 4, 7])
@pytest.mark.parametrize("k", [1, 2, 5, 31, 33, 70])
def test_solve_matches_numpy(monkeypatch, k, block):
    """Both substitution routes (k <= 32: the loop; k > 32: BLAS triangular solves), the panel blocking at the
    default block of 256 and at blocks of 4 and 7 (several panels and trailing updates; the blocking only orders
    the same sums), against numpy.linalg.solve on the formed H (condition < 1e3 here): 1e-12 relative."""
    import aligntheory.analysis._safety_pku as pku

    monkeypatch.setattr(pku, "_GTH_BLOCK", block)
    W, s, g, H = _problem(3, k, k)
    U, d = _gth(W, s)
    p = _gth_solve(U, d, g)
    want = np.linalg.solve(H, g[..., None])[..., 0]
    np.testing.assert_allclose(p, want, rtol=1e-12, atol=1e-12 * np.abs(want).max())
    # the factors: multipliers in [0, 1], pivots positive, and L D L^T reproduces H
    assert np.all((U >= 0) & (U <= 1)) and np.all(d > 0)
    L = np.eye(k) - np.swapaxes(U, 1, 2)
    np.testing.assert_allclose(L @ (d[..., None] * np.swapaxes(L, 1, 2)), H, rtol=1e-12, atol=1e-12 * np.abs(H).max())


def test_tiny_ridge_solved_to_full_relative_precision():
    """A one-pair block with ridge 1e-20 beside curvature 1 (the case the docstring names: forming H rounds the
    ridge away). Exact solution from Fractions: H = [[1 + r, -1], [-1, 1 + r]], g = (1, 0)."""
    r = 1e-20
    W = np.array([[[0.0, 1.0], [1.0, 0.0]]])
    s = np.array([[r, r]])
    g = np.array([[1.0, 0.0]])
    p = _gth_solve(*_gth(W, s), g)
    R = Fraction(r)
    det = (1 + R) ** 2 - 1
    want = [(1 + R) / det, Fraction(1) / det]
    for got, w in zip(p[0], want):
        assert abs(Fraction(float(got)) - w) <= Fraction(1, 10**13) * w

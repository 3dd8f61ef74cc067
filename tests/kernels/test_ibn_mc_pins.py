"""Pins of the Monte Carlo variance kernels: the unbiased 1/(n - 1) divisor, checked by recomputing the
replicates through independent public routes (the same keys, simulate_bt + the host fitter)."""

from __future__ import annotations

import jax
import numpy as np
import pytest

from aligntheory.kernels import ibn as KI
from aligntheory.numerics import fit_bradley_terry


@pytest.mark.parametrize("R", [2, 3, 7])
def test_binary_mc_variance_divides_by_n_minus_1(R):
    r = np.array([0.3, -0.1, 0.0, -0.2])
    edges = np.array([[0, 1], [1, 2], [2, 3], [3, 0], [0, 2]])
    K = np.full(5, 60.0)
    pairs = np.array([[0, 2], [1, 3]])
    key = jax.random.PRNGKey(5)
    out = KI.mc_difference_variance(key, r, edges, K, 1.0, pairs, R)
    # the kernel draws replicate i with key split(key, R)[i]: redo each replicate by public routes
    diffs = []
    for k in jax.random.split(key, R):
        w = np.asarray(KI.simulate_bt(k, r, edges, K, 1.0))
        fit = fit_bradley_terry(np.concatenate([edges, edges[:, ::-1]]), n_items=4, counts=np.concatenate([w, K - w]),
                                method="newton", stderr="none")
        diffs.append(fit.scores[pairs[:, 0]] - fit.scores[pairs[:, 1]])
    diffs = np.array(diffs)
    assert int(out.n_kept) == R
    unbiased = diffs.var(axis=0, ddof=1)
    np.testing.assert_allclose(np.asarray(out.var), unbiased, rtol=1e-7)
    # the biased divisor differs by R / (R - 1) >= 7/6: the check above cannot pass with it
    assert np.all(np.abs(diffs.var(axis=0, ddof=0) / unbiased - 1) >= 1 / R - 1e-12)


def test_continuous_mc_variance_divides_by_n_minus_1():
    r = np.array([0.3, -0.1, 0.0])
    edges = np.array([[0, 1], [1, 2], [0, 2]])
    K = np.array([1.0, 2.0, 1.0])
    pairs = np.array([[0, 2]])
    key = jax.random.PRNGKey(9)
    R = 3
    out = KI.mc_difference_variance_continuous(key, r, edges, K, 2.0, pairs, R)
    diffs = []
    for k in jax.random.split(key, R):
        d = np.asarray(KI.simulate_bt_continuous(k, r, edges, K, 2.0))
        x = np.asarray(KI.fit_ls_continuous(3, edges, d, K, 2.0))
        diffs.append(x[0] - x[2])
    np.testing.assert_allclose(float(out.var[0]), np.var(diffs, ddof=1), rtol=1e-9)

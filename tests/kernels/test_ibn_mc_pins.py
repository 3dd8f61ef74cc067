"""Pins of the Monte Carlo variance kernels: the unbiased 1/(n - 1) divisor, checked by refitting the
kernel's own draws with an independent route (the host fitter), and the exactness of the batched
binomial sampler (inverse CDF) against scipy's binomial distribution."""

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
    # the kernel's draws (its batched sampler, same key); every fit redone by the host fitter
    from aligntheory.kernels.ibn._bt import _sample_wins

    W = np.asarray(_sample_wins(key, jax.numpy.asarray(r), jax.numpy.asarray(edges), jax.numpy.asarray(K), 1.0, R,
                                int(K.max())))
    diffs = []
    for w in W:
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


def test_batched_binomial_sampler_is_binomial():
    # exact inverse-CDF sampler vs scipy.stats.binom: chi-square goodness of fit on pooled cells
    from scipy import stats

    from aligntheory.kernels.ibn._bt import _sample_wins

    jnp = jax.numpy
    r = jnp.asarray([0.8, 0.0, -0.5])
    edges = jnp.asarray([[0, 1], [1, 2], [0, 2]])
    K = jnp.asarray([5.0, 12.0, 30.0])
    R = 20000
    W = np.asarray(_sample_wins(jax.random.PRNGKey(3), r, edges, K, 1.3, R, 30))
    assert np.all(W == np.round(W)) and np.all(W >= 0) and np.all(W <= np.asarray(K))
    p = 1 / (1 + np.exp(-1.3 * (np.asarray(r)[[0, 1, 0]] - np.asarray(r)[[1, 2, 2]])))
    for j, (k, pj) in enumerate(zip([5, 12, 30], p)):
        pmf = stats.binom.pmf(np.arange(k + 1), k, pj)
        obs = np.bincount(W[:, j].astype(int), minlength=k + 1)
        keep = pmf * R >= 5  # pool the sparse tails into one cell
        o = np.append(obs[keep], obs[~keep].sum())
        ex = np.append(pmf[keep] * R, pmf[~keep].sum() * R)
        o, ex = o[ex > 0], ex[ex > 0]
        chi2 = float(((o - ex) ** 2 / ex).sum())
        assert stats.chi2.sf(chi2, len(o) - 1) > 1e-4, (j, chi2)


def test_batched_replicate_newton_matches_host_fits_far_from_the_start():
    """The batched Newton of the Monte Carlo kernel against the host fitter, row by row, on replicates whose
    MLE lies far from the start: lopsided counts, and a start at (6, -6, 6, -6) where the comparisons are
    saturated, so full Newton steps overshoot and every row backtracks (12 to 20 halvings in all, counted
    with a numpy transcription of the same iteration)."""
    from aligntheory.kernels.ibn._bt_mc import _newton_replicates

    jnp = jax.numpy
    edges = np.array([[0, 1], [1, 2], [2, 3], [3, 0], [0, 2], [1, 3]])
    K = np.full(6, 400.0)
    W = np.array([[200, 200, 200, 200, 200, 200],
                  [399, 398, 397, 2, 395, 390],  # strongly lopsided: scores several units from 0
                  [1, 3, 399, 1, 2, 398],
                  [250, 120, 330, 90, 300, 60]], float)
    fits = []
    for r0 in (np.zeros(4), np.array([6.0, -6.0, 6.0, -6.0])):
        r_fit, gn = _newton_replicates(4, jnp.asarray(edges), jnp.asarray(W), jnp.asarray(K), 1.0, jnp.asarray(r0),
                                       1e-10, 100)
        assert np.all(np.asarray(gn) <= 1e-10)
        fits.append(np.asarray(r_fit))
    for w, got, got_far in zip(W, *fits):
        ref = fit_bradley_terry(np.concatenate([edges, edges[:, ::-1]]), n_items=4, counts=np.concatenate([w, K - w]),
                                method="newton", stderr="none").scores
        # both at |grad| <= 1e-10 with Fisher eigenvalues >= ~1 on these counts: within 1e-8
        assert np.max(np.abs(got - ref)) <= 1e-8 and np.max(np.abs(got_far - ref)) <= 1e-8


def test_binary_mc_variance_without_two_mles_raises_unless_asked_for_nan():
    # one comparison per edge: every replicate's beats graph has a one-way edge, so no replicate has an
    # MLE (exact: 2 outcomes, both one-way) and the sample variance is undefined
    from aligntheory.errors import DisconnectedGraphError

    args = (jax.random.PRNGKey(0), np.zeros(2), np.array([[0, 1]]), np.array([1.0]), 1.0, np.array([[0, 1]]), 5)
    with pytest.raises(DisconnectedGraphError, match="0 of 5 replicates"):
        KI.mc_difference_variance(*args)
    out = KI.mc_difference_variance(*args, throw=False)
    assert int(out.n_kept) == 0 and int(out.n_excluded) == 5
    assert np.isnan(np.asarray(out.var)).all()

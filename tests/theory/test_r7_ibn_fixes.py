"""Regression tests of the round-7 IBN fix: ``fit_ls_continuous`` (and the Monte Carlo estimator sharing its solve)
no longer depend on ``beta`` numerically. The weights ``3 beta^2 K / pi^2`` were used as they are, so ``J/N`` in the
Cholesky of ``L + J/N`` swamped ``L`` at small ``beta`` (beta = 1e-8: a wrong estimate, silently) and ``beta^2``
under- or overflowed at 1e-110 / 1e110 (NaN, silently). The expected values come from numpy's lstsq."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402

configure()

EDGES = np.array([[0, 1], [1, 2], [0, 2], [2, 3]])
K = np.array([1.0, 2.0, 3.0, 1.0])
D = np.array([0.3, -0.2, 0.5, 1.0])


def _lstsq():
    B = np.zeros((4, 4))
    B[np.arange(4), EDGES[:, 0]] = 1.0
    B[np.arange(4), EDGES[:, 1]] = -1.0
    w = np.sqrt(K)
    return np.linalg.lstsq(w[:, None] * B, w * D, rcond=None)[0]  # minimum norm: centred


@pytest.mark.parametrize("beta", [1e-300, 1e-110, 1e-8, 1.0, 1e110, 1e300])
def test_fit_ls_continuous_is_beta_free(beta):
    from aligntheory.kernels.ibn import fit_ls_continuous

    got = np.asarray(fit_ls_continuous(4, EDGES, D, K, beta))
    np.testing.assert_allclose(got, _lstsq(), rtol=0, atol=1e-13)


@pytest.mark.parametrize("beta", [1e-120, 1e120])
def test_mc_continuous_scales_exactly_at_extreme_beta(beta):
    """At r = 0 every replicate difference is (the same draws) / beta: var beta^2 is the same at every beta."""
    import jax

    from aligntheory.kernels.ibn import mc_difference_variance_continuous

    def var(b):
        return float(mc_difference_variance_continuous(jax.random.PRNGKey(0), np.zeros(4), EDGES, K, b,
                                                       np.array([[0, 3]]), 8).var[0])

    v1 = var(1.0)
    assert np.isfinite(v1) and v1 > 0
    assert abs(var(beta) * beta**2 / v1 - 1.0) < 1e-12

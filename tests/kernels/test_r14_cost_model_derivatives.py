"""Round-14: the cost model's analytic gradient and Hessian (``kernels/safety/_preferences._grad_hess``, the Newton
step of ``fit_cost_model``) against automatic differentiation of the documented objective. A fresh mutation sample
(issue 11) left a sign error in the Hessian's sign-term curvature alive: Newton with a wrong Hessian still converges
on the data the fit's tests use, only more slowly. The objective, written in the test: the weighted negative
log-likelihood ``sum_p w_p [-log sigma(s_p (c_i - c_j))] + st sum_p w_p sum_{k in p} [-log sigma(u_pk c_k)]`` plus
``ridge |c|^2 / 2`` (``s_p = +1`` when the first item was judged more harmful, ``u_pk = +1`` when item k of the pair
was flagged unsafe).
"""
from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402

from aligntheory.kernels.safety._preferences import _grad_hess  # noqa: E402


def _objective(c, pairs, harm, unsafe, st, ridge, wt):
    s = jnp.where(harm, 1.0, -1.0)
    nll = -jnp.sum(wt * jax.nn.log_sigmoid(s * (c[pairs[:, 0]] - c[pairs[:, 1]])))
    u = jnp.where(unsafe, 1.0, -1.0)
    nll = nll - st * jnp.sum(wt[:, None] * jax.nn.log_sigmoid(u * c[pairs]))
    return nll + 0.5 * ridge * jnp.sum(c * c)


@pytest.mark.parametrize("st", [0.0, 1.0])
def test_gradient_and_hessian_match_autodiff(st):
    """Six items, 40 weighted pairs (repeats included), at a random point: 1e-12 relative to the largest entry
    (the same sums in another order)."""
    rng = np.random.default_rng(14)
    n, P = 6, 40
    pairs = rng.integers(0, n, (P, 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    harm = rng.random(len(pairs)) < 0.5
    unsafe = rng.random((len(pairs), 2)) < 0.4
    wt = rng.uniform(0.5, 2.0, len(pairs))
    c = rng.normal(0.0, 1.5, n)
    args = (jnp.asarray(pairs), jnp.asarray(harm), jnp.asarray(unsafe), st, 0.3, jnp.asarray(wt))
    g, H = _grad_hess(jnp.asarray(c), *args)
    g_ad = jax.grad(_objective)(jnp.asarray(c), *args)
    H_ad = jax.hessian(_objective)(jnp.asarray(c), *args)
    np.testing.assert_allclose(np.asarray(g), np.asarray(g_ad), rtol=0, atol=1e-12 * float(jnp.abs(g_ad).max()))
    np.testing.assert_allclose(np.asarray(H), np.asarray(H_ad), rtol=0, atol=1e-12 * float(jnp.abs(H_ad).max()))

"""Round-14: ``fit_bradley_terry``'s per-iterate quantities (``_bt_fit._Work.eval`` and Newman's sums) against JAX
automatic differentiation of the documented objective

    ``obj(theta) = sum_e w_e log sigma(d_e) + l_e log sigma(-d_e) + s/2 sum_u [log sigma(theta_u) + log sigma(-theta_u)]``

(``d_e = theta_u - theta_v`` for the pair ``u < v``, ``w`` wins of ``u``, ``l`` of ``v``, prior ``s``): the
log-likelihood, the gradient, and the Hessian weights ``c_e = K_e sigma(d_e) sigma(-d_e)`` read from the autodiff
Hessian's off-diagonal. Also the fixed point's sums ``A_u = sum_{e at u} (wins of u) sigma(-d_e) +
s/2 sigma(-theta_u)`` and ``B_u = sum_{e at u} (losses of u) sigma(d_e) + s/2 sigma(theta_u)`` (Newman's
iteration, ``theta <- theta + log A - log B``), whose difference is the gradient.
"""
from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402

from aligntheory.numerics._bt_fit import _Work  # noqa: E402


def _data(seed):
    rng = np.random.default_rng(seed)
    n = 6
    iu, ju = np.triu_indices(n, 1)
    keep = rng.random(len(iu)) < 0.7
    keep[:n - 1] = True
    edges = np.stack([iu[keep], ju[keep]], 1)
    K = rng.integers(2, 9, len(edges)).astype(float)
    w = np.floor(K * rng.uniform(0.0, 1.0, len(edges)))
    return n, edges, w, K, rng.normal(0, 1.5, n)


@pytest.mark.parametrize("prior", [0.0, 0.8])
@pytest.mark.parametrize("seed", [0, 1])
def test_eval_matches_autodiff(prior, seed):
    n, edges, w, K, theta = _data(seed)
    u, v = edges[:, 0], edges[:, 1]
    lose = K - w

    def obj(th):
        d = th[u] - th[v]
        ll = jnp.sum(w * jax.nn.log_sigmoid(d) + lose * jax.nn.log_sigmoid(-d))
        return ll + prior / 2 * jnp.sum(jax.nn.log_sigmoid(th) + jax.nn.log_sigmoid(-th)), ll

    W = _Work(n, edges, w, K, prior)
    o, ll, g, c, floor = W.eval(theta)
    x = jnp.asarray(theta)
    want_o, want_ll = (float(t) for t in obj(x))
    want_g = np.asarray(jax.grad(lambda t: obj(t)[0])(x))
    Hll = np.asarray(jax.hessian(lambda t: obj(t)[1])(x))
    assert o == pytest.approx(want_o, rel=1e-13, abs=0) and ll == pytest.approx(want_ll, rel=1e-13, abs=0)
    np.testing.assert_allclose(g, want_g, rtol=0, atol=1e-13 * np.abs(want_g).max())
    np.testing.assert_allclose(c, Hll[u, v], rtol=1e-12, atol=0)  # d2 ll / dtheta_u dtheta_v = +c_e
    assert 0.0 < floor < 1e-12 * (np.abs(want_g).max() + K.sum())
    A, B = W.newman_sums(theta)
    np.testing.assert_allclose(A - B, want_g, rtol=0, atol=1e-13 * np.abs(A).max())
    q = 1.0 / (1.0 + np.exp(theta[u] - theta[v]))  # sigma(-d)
    A_want = np.zeros(n) + prior / 2 / (1.0 + np.exp(theta))
    np.add.at(A_want, u, w * q)
    np.add.at(A_want, v, lose * (1.0 - q))
    np.testing.assert_allclose(A, A_want, rtol=1e-13, atol=0)

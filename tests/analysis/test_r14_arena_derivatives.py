"""Round-14: the arena fit's analytic log-likelihood, gradient and negative Hessian (``_arena_fit.pair_terms`` over
``unit_terms``) for the three tie models, against JAX automatic differentiation of log-likelihoods written in the
test from the models' definitions:

- Bradley--Terry: ``P(i beats j) = sigma(d)``, ``d = s_i - s_j``;
- Davidson: ``P(win) = e^(d/2) / Z``, ``P(loss) = e^(-d/2) / Z``, ``P(tie) = nu / Z``,
  ``Z = e^(d/2) + e^(-d/2) + nu``, parameter ``log nu``;
- Rao--Kupper: ``P(win) = sigma(d - a)``, ``P(loss) = sigma(-d - a)``, ``P(tie) = 1 - P(win) - P(loss)``;

plus the logistic prior ``prior/2 sum_i log sigma(s_i) sigma(-s_i)``. The arena pillar is the largest body of
mutation sites (issue 11), and its Newton iteration converges to the same MLE under many wrong derivatives: only a
direct comparison shows them.
"""
from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402

from aligntheory.analysis import _arena_fit as F  # noqa: E402


def _loglik(model, n, i, j, wi, wj, t, prior):
    def ll(theta):
        s = theta[:n]
        d = s[i] - s[j]
        if model == "bt":
            out = jnp.sum(wi * jax.nn.log_sigmoid(d) + wj * jax.nn.log_sigmoid(-d))
        elif model == "davidson":
            nu = jnp.exp(theta[n])
            Z = jnp.exp(d / 2) + jnp.exp(-d / 2) + nu
            out = jnp.sum(wi * jnp.log(jnp.exp(d / 2) / Z) + wj * jnp.log(jnp.exp(-d / 2) / Z) + t * jnp.log(nu / Z))
        else:
            a = theta[n]
            pw, pl = jax.nn.sigmoid(d - a), jax.nn.sigmoid(-d - a)
            out = jnp.sum(wi * jnp.log(pw) + wj * jnp.log(pl) + t * jnp.log(1.0 - pw - pl))
        if prior > 0:
            out = out + prior / 2 * jnp.sum(jax.nn.log_sigmoid(s) + jax.nn.log_sigmoid(-s))
        return out

    return ll


@pytest.mark.parametrize("prior", [0.0, 0.7])
@pytest.mark.parametrize("model", ["bt", "davidson", "rao_kupper"])
def test_pair_terms_match_autodiff(model, prior):
    """Five items, eight pairs with win, loss and tie weights, two rounds at random points: log-likelihood,
    gradient and negative Hessian within 1e-11 relative to their largest entry (moderate logits, |d| < 4: the same
    quantities in another order)."""
    rng = np.random.default_rng(14)
    n, B = 5, 2
    pairs = np.array([(0, 1), (0, 2), (1, 2), (1, 3), (2, 3), (2, 4), (3, 4), (0, 4)])
    i, j = pairs[:, 0], pairs[:, 1]
    E = len(pairs)
    wi, wj, t = (rng.integers(0, 6, (B, E)).astype(float) for _ in range(3))
    t[:, 0] = 2.0  # ties present in every round
    extra = {"bt": [], "davidson": [np.log(0.6)], "rao_kupper": [0.4]}[model]
    theta = np.stack([np.concatenate([rng.normal(0, 1.0, n), extra]) for _ in range(B)])
    pm = F.PairModel(n, i, j, model, prior)
    ll, g, H = F.pair_terms(pm, F.incidence(n, i, j), theta, wi, wj, t, np.zeros(B, bool))
    for b in range(B):
        f = _loglik(model, n, i, j, wi[b], wj[b], t[b], prior)
        x = jnp.asarray(theta[b])
        want_ll, want_g, want_H = float(f(x)), np.asarray(jax.grad(f)(x)), -np.asarray(jax.hessian(f)(x))
        assert ll[b] == pytest.approx(want_ll, rel=1e-12, abs=0)
        np.testing.assert_allclose(g[b], want_g, rtol=0, atol=1e-11 * np.abs(want_g).max())
        np.testing.assert_allclose(H[b], want_H, rtol=0, atol=1e-11 * np.abs(want_H).max())


@pytest.mark.parametrize(("model", "boundary"), [("davidson", -np.inf), ("rao_kupper", 0.0)])
def test_fixed_round_keeps_the_tie_parameter_at_its_boundary(model, boundary):
    """A bootstrap round that drew no tie is ``fixed``: its tie parameter sits at the boundary (nu = 0, a = 0),
    where both tie models are Bradley--Terry; the strengths' derivatives are Bradley--Terry's (autodiff), and the
    tie parameter gets zero gradient, unit curvature and no coupling (the documented contract)."""
    rng = np.random.default_rng(15)
    n = 4
    pairs = np.array([(0, 1), (1, 2), (2, 3), (0, 3), (0, 2)])
    i, j = pairs[:, 0], pairs[:, 1]
    wi, wj = (rng.integers(1, 6, (1, len(pairs))).astype(float) for _ in range(2))
    t = np.zeros_like(wi)
    theta = np.concatenate([rng.normal(0, 1.0, n), [boundary]])[None]
    pm = F.PairModel(n, i, j, model, 0.0)
    ll, g, H = F.pair_terms(pm, F.incidence(n, i, j), theta, wi, wj, t, np.ones(1, bool))
    f = _loglik("bt", n, i, j, wi[0], wj[0], t[0], 0.0)
    x = jnp.asarray(theta[0, :n])
    assert ll[0] == pytest.approx(float(f(x)), rel=1e-12, abs=0)
    np.testing.assert_allclose(g[0, :n], np.asarray(jax.grad(f)(x)), rtol=0, atol=1e-11)  # entries O(10): counts <= 5 on <= 3 pairs
    np.testing.assert_allclose(H[0, :n, :n], -np.asarray(jax.hessian(f)(x)), rtol=0, atol=1e-11)  # entries O(10): counts <= 5 on <= 3 pairs
    assert g[0, n] == 0.0 and H[0, n, n] == 1.0
    assert np.all(H[0, n, :n] == 0.0) and np.all(H[0, :n, n] == 0.0)


@pytest.mark.parametrize("model", ["bt", "davidson", "rao_kupper"])
def test_row_terms_with_covariates_match_autodiff(model):
    """Battles with covariates (``row_terms``): logit ``s_a - s_b + x . gamma``, an L2 penalty ``penalty/2
    |gamma|^2``, the prior, and per-battle weights ``w``; under "bt" a tie counts half a win each way. Parameters
    ``(s, tie parameter (not for bt), gamma)``. Same tolerance as above."""
    import scipy.sparse as sp

    rng = np.random.default_rng(16)
    n, R, k, B = 4, 14, 2, 2
    a = rng.integers(0, n, R)
    b = (a + rng.integers(1, n, R)) % n
    out = rng.integers(0, 3, R)  # 0: a won, 1: b won, 2: tie
    wa, wb, wt = (out == 0).astype(float), (out == 1).astype(float), (out == 2).astype(float)
    X = rng.normal(0, 0.7, (R, k))
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keys, pair_of_row = np.unique(lo * n + hi, return_inverse=True)
    pi, pj = keys // n, keys % n
    penalty, prior = 0.8, 0.5
    rm = F.RowModel(n, a, b, wa, wb, wt, X, penalty, prior, pair_of_row, pi, pj, model)
    inc_rows = F.incidence(n, a, b)
    pair_map = sp.csr_matrix((np.ones(R), (np.arange(R), pair_of_row)), shape=(R, len(keys)))
    nt = rm.n_tie
    extra = {"bt": [], "davidson": [np.log(0.6)], "rao_kupper": [0.4]}[model]
    theta = np.stack([np.concatenate([rng.normal(0, 1.0, n), extra, rng.normal(0, 0.5, k)]) for _ in range(B)])
    w = rng.uniform(0.5, 2.0, (B, R))
    ll, g, H = F.row_terms(rm, inc_rows, pair_map, theta, w, np.zeros(B, bool))

    def f_of(wb_):
        def f(th):
            s, gam = th[:n], th[n + nt:]
            d = s[a] - s[b] + jnp.asarray(X) @ gam
            wi_, wj_, wt_ = wb_ * wa, wb_ * wb, wb_ * wt
            if model == "bt":
                val = jnp.sum((wi_ + wt_ / 2) * jax.nn.log_sigmoid(d) + (wj_ + wt_ / 2) * jax.nn.log_sigmoid(-d))
            elif model == "davidson":
                nu = jnp.exp(th[n])
                Z = jnp.exp(d / 2) + jnp.exp(-d / 2) + nu
                val = jnp.sum(wi_ * (d / 2 - jnp.log(Z)) + wj_ * (-d / 2 - jnp.log(Z)) + wt_ * jnp.log(nu / Z))
            else:
                al = th[n]
                pw, pl = jax.nn.sigmoid(d - al), jax.nn.sigmoid(-d - al)
                val = jnp.sum(wi_ * jnp.log(pw) + wj_ * jnp.log(pl) + wt_ * jnp.log(1.0 - pw - pl))
            val = val - penalty / 2 * jnp.sum(gam**2)
            return val + prior / 2 * jnp.sum(jax.nn.log_sigmoid(s) + jax.nn.log_sigmoid(-s))

        return f

    for r in range(B):
        f = f_of(jnp.asarray(w[r]))
        x = jnp.asarray(theta[r])
        want_g, want_H = np.asarray(jax.grad(f)(x)), -np.asarray(jax.hessian(f)(x))
        assert ll[r] == pytest.approx(float(f(x)), rel=1e-12, abs=0)
        np.testing.assert_allclose(g[r], want_g, rtol=0, atol=1e-11 * np.abs(want_g).max())
        np.testing.assert_allclose(H[r], want_H, rtol=0, atol=1e-11 * np.abs(want_H).max())

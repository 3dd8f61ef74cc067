"""Dense resistance kernels, the BT simulator, the dense Newton fitter and the Monte Carlo variance kernel.

Kernels are compared with the theory layer (float64, relative 1e-10) on a few fixed shapes, with
an independent scipy optimisation of the BT log-likelihood, and with closed forms.
"""

import os
import subprocess
import sys
import textwrap

import jax
import networkx as nx
import numpy as np
import pytest
import scipy.optimize
from scipy import stats
from scipy.special import expit, log_expit

from aligntheory.errors import PrecisionError
from aligntheory.kernels import ibn as K
from aligntheory.theory import ibn as T


def _graph(seed, n=12, p=0.35):
    rng = np.random.default_rng(seed)
    while True:
        G = nx.gnp_random_graph(n, p, seed=int(rng.integers(1 << 30)))
        if nx.is_connected(G):
            break
    e = np.array(G.edges(), dtype=np.int64)
    return n, e, 10 ** rng.uniform(-2, 2, len(e))


GRAPHS = [_graph(s) for s in range(3)]


@pytest.mark.parametrize("g", GRAPHS)
def test_laplacian_and_reff_match_theory(g):
    n, e, v = g
    L = np.asarray(K.laplacian_dense(n, e, conductances=1 / v))
    assert np.allclose(L, T.laplacian(n, e, variances=v), rtol=1e-13, atol=1e-13 * np.abs(L).max())
    R = np.asarray(K.effective_resistance_dense(n, e, conductances=1 / v))
    Rt = T.effective_resistance(n, e, variances=v)
    assert np.max(np.abs(R - Rt)) <= 1e-10 * Rt.max()
    assert np.max(np.abs(np.asarray(K.reff_dense_cholesky(L)) - Rt)) <= 1e-10 * Rt.max()


def test_masked_edges_contribute_nothing():
    n, e, v = GRAPHS[0]
    extra = np.vstack([e, [[0, 5], [2, 7]]])
    cond = np.concatenate([1 / v, [3.0, 4.0]])
    mask = np.r_[np.ones(len(e), bool), False, False]
    R = np.asarray(K.effective_resistance_dense(n, extra, conductances=cond, mask=mask))
    Rt = T.effective_resistance(n, e, variances=v)
    assert np.max(np.abs(R - Rt)) <= 1e-10 * Rt.max()


def test_batched_equals_loop():
    n = 12
    E = max(len(g[1]) for g in GRAPHS)
    edges = np.zeros((3, E, 2), np.int64)
    cond = np.zeros((3, E))
    mask = np.zeros((3, E), bool)
    for i, (_, e, v) in enumerate(GRAPHS):
        edges[i, : len(e)], cond[i, : len(e)], mask[i, : len(e)] = e, 1 / v, True
    Rb = np.asarray(K.effective_resistance_dense_batched(n, edges, conductances=cond, mask=mask))
    Ls = np.stack([np.asarray(K.laplacian_dense(n, edges[i], conductances=cond[i], mask=mask[i])) for i in range(3)])
    Rb2 = np.asarray(K.reff_dense_cholesky(Ls))
    for i in range(3):
        Ri = np.asarray(K.effective_resistance_dense(n, edges[i], conductances=cond[i], mask=mask[i]))
        assert np.max(np.abs(Rb[i] - Ri)) <= 1e-12 * Ri.max()
        assert np.max(np.abs(Rb2[i] - Ri)) <= 1e-12 * Ri.max()


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_low_precision_inputs_raise(dtype):
    n, e, v = GRAPHS[0]
    with pytest.raises(PrecisionError):
        K.effective_resistance_dense(n, e, conductances=(1 / v).astype(dtype))
    with pytest.raises(PrecisionError):
        K.laplacian_dense(n, e, conductances=(1 / v).astype(dtype))
    with pytest.raises(PrecisionError):
        K.reff_dense_cholesky(np.eye(3, dtype=dtype))
    with pytest.raises(PrecisionError):
        K.fit_bt_newton(2, np.array([[0, 1]]), np.array([1.0], dtype), np.array([2.0]), 1.0)


def test_x64_off_raises_in_subprocess():
    code = textwrap.dedent("""
        import numpy as np
        from aligntheory.errors import PrecisionError
        from aligntheory.kernels import ibn as K
        try:
            K.effective_resistance_dense(2, np.array([[0, 1]]), conductances=np.array([1.0]))
        except PrecisionError as exc:
            assert "jax_enable_x64" in str(exc)
            print("raised")
    """)
    env = dict(os.environ, JAX_ENABLE_X64="0", JAX_PLATFORMS="cpu")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "raised"


def test_effective_resistance_dense_compiles_once():
    from aligntheory.kernels.ibn._resistance import _reff_graph

    n, e, v = GRAPHS[1]
    K.effective_resistance_dense(n, e, conductances=1 / v, method="xla")
    before = _reff_graph._cache_size()
    for s in (2.0, 3.0, 5.0):
        K.effective_resistance_dense(n, e, conductances=s / v, method="xla")
    assert _reff_graph._cache_size() == before


# Bradley--Terry -------------------------------------------------------------------------------


def test_simulate_bt_frequencies():
    # binomial test of the BT invariant Pr[a > b] = sigma(beta (r_a - r_b))
    r = np.array([0.0, 0.4, -0.3, 1.0])
    e = np.array([[0, 1], [1, 2], [2, 3], [3, 0]])
    beta, Kc = 1.7, 50000.0
    w = np.asarray(K.simulate_bt(jax.random.PRNGKey(3), r, e, np.full(4, Kc), beta))
    p = expit(beta * (r[e[:, 0]] - r[e[:, 1]]))
    for wi, pi in zip(w, p):
        assert stats.binomtest(int(wi), int(Kc), pi).pvalue > 1e-3 / 4


def _scipy_bt(n, e, wins, Kc, beta):
    """BT MLE by scipy L-BFGS on the negative log-likelihood, with r_0 pinned to 0 (independent route)."""

    def nll(x):
        r = np.r_[0.0, x]
        d = beta * (r[e[:, 0]] - r[e[:, 1]])
        return -np.sum(wins * log_expit(d) + (Kc - wins) * log_expit(-d))

    def grad(x):
        r = np.r_[0.0, x]
        d = beta * (r[e[:, 0]] - r[e[:, 1]])
        g = beta * (wins - Kc * expit(d))
        full = np.bincount(e[:, 0], g, n) - np.bincount(e[:, 1], g, n)
        return -full[1:]

    res = scipy.optimize.minimize(nll, np.zeros(n - 1), jac=grad, method="BFGS", options={"gtol": 1e-11})
    r = np.r_[0.0, res.x]
    return r - r.mean()


@pytest.mark.parametrize("beta", [0.5, 2.0])
def test_fit_bt_newton_matches_scipy(beta):
    n, e, _ = GRAPHS[2]
    rng = np.random.default_rng(4)
    Kc = rng.integers(5, 30, len(e)).astype(float)
    wins = np.clip(rng.binomial(Kc.astype(int), 0.5), 1, Kc - 1).astype(float)
    res = K.fit_bt_newton(n, e, wins, Kc, beta)
    ref = _scipy_bt(n, e, wins, Kc, beta)
    assert np.max(np.abs(np.asarray(res.scores) - ref)) <= 1e-6
    assert abs(float(np.sum(res.scores))) <= 1e-10
    assert float(res.grad_norm) <= 1e-8
    # Fisher Laplacian: conductances beta^2 K p (1-p) at r_hat
    p = expit(beta * (ref[e[:, 0]] - ref[e[:, 1]]))
    Lf = T.laplacian(n, e, variances=1 / (beta**2 * Kc * p * (1 - p)))
    assert np.allclose(np.asarray(res.L_fisher), Lf, rtol=1e-5, atol=1e-6 * np.abs(Lf).max())


def test_mc_difference_variance_two_nodes_closed_form():
    # two nodes, K comparisons: Var[r_hat_0 - r_hat_1] -> 1/(beta^2 K p (1-p)) (spec §2.3, §3.2)
    beta, Kc, R = 1.0, 400.0, 2000
    r = np.array([0.25, -0.25])
    out = K.mc_difference_variance(jax.random.PRNGKey(8), r, np.array([[0, 1]]), np.array([Kc]), beta,
                                   np.array([[0, 1]]), R)
    p = expit(beta * 0.5)
    pred = 1 / (beta**2 * Kc * p * (1 - p))
    kept = int(out.n_kept)
    assert int(out.n_excluded) == 0 and kept == R
    lo = stats.chi2.ppf(5e-4, kept - 1) / (kept - 1) * (1 - 15 / Kc)
    hi = stats.chi2.ppf(1 - 5e-4, kept - 1) / (kept - 1) * (1 + 15 / Kc)
    assert lo <= float(out.var[0]) / pred <= hi

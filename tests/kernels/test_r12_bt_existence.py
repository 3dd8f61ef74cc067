"""The JAX Bradley-Terry fits refuse data with no unique finite MLE (session 12).

Before, ``fit_bt_newton`` reported ``successful`` on separable data: 0 beating 1 three times gave scores
+-12.58 with a gradient of 5e-11 below ``tol``, because the gradient of a diverging score decays
exponentially. The prediction here is networkx's strong connectivity of the beats graph (Ford 1957), an
anchor independent of the scipy route the library uses.
"""
from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)

from aligntheory.errors import DisconnectedGraphError  # noqa: E402
from aligntheory.kernels import ibn as KI  # noqa: E402
from aligntheory.results import RESULTS  # noqa: E402


def _beats_strongly_connected(n, edges, wins, K) -> bool:
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    for (u, v), w, k in zip(edges.tolist(), wins.tolist(), K.tolist()):
        if w > 0:
            G.add_edge(u, v)
        if k - w > 0:
            G.add_edge(v, u)
    return nx.is_strongly_connected(G)


def test_the_separable_example_is_refused_not_fitted():
    e, w, K = np.array([[0, 1]]), np.array([3.0]), np.array([3.0])
    for fit in (KI.fit_bt_newton, KI.fit_bt_newman):
        with pytest.raises(DisconnectedGraphError) as exc:
            fit(2, e, w, K, 1.0)
        assert exc.value.directed and sorted(exc.value.components) == [[0], [1]]
        res = fit(2, e, w, K, 1.0, throw=False)
        assert res.result is RESULTS.disconnected and int(res.iterations) == 0
        assert np.isnan(np.asarray(res.scores)).all() and np.isnan(float(res.grad_norm))
    # a prior makes the MAP exist: Newman fits it
    assert KI.fit_bt_newman(2, e, w, K, 1.0, prior_strength=1.0).result is RESULTS.successful


@pytest.mark.parametrize("n", [3, 4, 5])
def test_refusal_matches_networkx_strong_connectivity_on_random_data(n):
    rng = np.random.default_rng(100 + n)
    E = 2 * n + 2
    seen = {True: 0, False: 0}
    for _ in range(60):
        a = rng.integers(0, n, E)
        b = (a + rng.integers(1, n, E)) % n
        e = np.stack([a, b], axis=1)
        K = rng.integers(0, 4, E).astype(np.float64)
        w = np.floor(rng.random(E) * (K + 1))
        expect = _beats_strongly_connected(n, e, w, K)
        seen[expect] += 1
        for fit in (KI.fit_bt_newton, KI.fit_bt_newman):
            res = fit(n, e, w, K, 1.0, throw=False)
            if expect:
                assert res.result is RESULTS.successful, (fit.__name__, e, w, K, res)
                assert np.all(np.isfinite(np.asarray(res.scores)))
            else:
                assert res.result is RESULTS.disconnected, (fit.__name__, e, w, K, res)
    assert min(seen.values()) >= 5  # both outcomes drawn


def test_under_jit_the_check_cannot_run_and_the_docstring_says_so():
    # traced inputs: no host check, the fit runs (documented); the scores run off towards +-inf
    e, w, K = np.array([[0, 1]]), np.array([3.0]), np.array([3.0])
    scores = jax.jit(lambda e, w, K: KI.fit_bt_newton(2, e, w, K, 1.0, throw=False).scores)(e, w, K)
    assert float(scores[0] - scores[1]) > 20.0
    assert "jax.jit" in KI.fit_bt_newton.__doc__ and "check the scores" in KI.fit_bt_newton.__doc__

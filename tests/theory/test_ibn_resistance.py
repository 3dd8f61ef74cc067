"""Properties of effective resistance and the path surrogate (spec ``ibn.md`` §5, items 1--11).

Every expected value comes from an independent route: a law of circuits stated in the test, a
Schur complement computed here, networkx, or a closed form written in the test.
"""

import networkx as nx
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from aligntheory.testing import connected_weighted_graphs
from aligntheory.testing.strategies import log_uniform
from aligntheory.theory import ibn as T

TOL = 1e-9  # relative to max R_eff (spec §5)


def _R(n, e, v, method="grounded"):
    return T.effective_resistance(n, e, variances=v, method=method)


def _close(a, b, scale, tol=TOL):
    return np.max(np.abs(np.asarray(a) - np.asarray(b))) <= tol * scale


# 1. symmetry and metric ------------------------------------------------------------------------


@given(connected_weighted_graphs(min_nodes=2, max_nodes=25))
def test_symmetry_and_triangle_inequality(g):
    n, e, v = g
    for M in (_R(n, e, v), T.shortest_path_variance(n, e, variances=v)):
        scale = M.max()
        assert np.all(np.diag(M) == 0)
        assert _close(M, M.T, scale)
        off = ~np.eye(n, dtype=bool)
        assert np.all(M[off] > 0)
        # R(u, w) <= R(u, v) + R(v, w) for all triples
        assert np.all(M[:, None, :] <= M[:, :, None] + M[None, :, :] + TOL * scale)


# 2. Rayleigh monotonicity ----------------------------------------------------------------------


@given(connected_weighted_graphs(min_nodes=3, max_nodes=25), st.data())
def test_rayleigh_monotonicity(g, data):
    n, e, v = g
    R, D = _R(n, e, v), T.shortest_path_variance(n, e, variances=v)
    a = data.draw(st.integers(0, n - 1))
    b = data.draw(st.integers(0, n - 1).filter(lambda x: x != a))
    w = data.draw(log_uniform())
    e2, v2 = np.vstack([e, [[a, b]]]), np.append(v, w)  # add an edge
    assert np.all(_R(n, e2, v2) <= R + TOL * R.max())
    assert np.all(T.shortest_path_variance(n, e2, variances=v2) <= D + TOL * D.max())
    i = data.draw(st.integers(0, len(e) - 1))
    v3 = v.copy()
    v3[i] *= data.draw(st.floats(0.01, 0.99))  # lower one variance
    assert np.all(_R(n, e, v3) <= R + TOL * R.max())
    assert np.all(T.shortest_path_variance(n, e, variances=v3) <= D + TOL * D.max())


# 3. series law and 4. parallel law -------------------------------------------------------------


@given(connected_weighted_graphs(min_nodes=2, max_nodes=25), st.data())
def test_series_law(g, data):
    n, e, v = g
    i = data.draw(st.integers(0, len(e) - 1))
    t = data.draw(st.floats(0.05, 0.95))
    u, w = e[i]
    e2 = np.vstack([np.delete(e, i, axis=0), [[u, n], [n, w]]])
    v2 = np.concatenate([np.delete(v, i), [t * v[i], (1 - t) * v[i]]])
    R, R2 = _R(n, e, v), _R(n + 1, e2, v2)[:n, :n]
    assert _close(R, R2, R.max())


@given(connected_weighted_graphs(min_nodes=2, max_nodes=25), st.data())
def test_parallel_law(g, data):
    n, e, v = g
    i = data.draw(st.integers(0, len(e) - 1))
    t = data.draw(st.floats(0.05, 0.95))
    # conductances t/var and (1-t)/var add up to 1/var
    e2 = np.vstack([e, e[i : i + 1]])
    v2 = v.copy()
    v2[i] = v[i] / t
    v2 = np.append(v2, v[i] / (1 - t))
    R = _R(n, e, v)
    assert _close(R, _R(n, e2, v2), R.max())


# 5. Foster -------------------------------------------------------------------------------------


@given(connected_weighted_graphs(min_nodes=2, max_nodes=40))
def test_foster(g):
    n, e, v = g
    R = _R(n, e, v)
    assert abs(np.sum(R[e[:, 0], e[:, 1]] / v) - (n - 1)) <= 1e-9 * n
    assert abs(T.foster_sum(n, e, variances=v) - (n - 1)) <= 1e-9 * n


# 6. forests ------------------------------------------------------------------------------------


@given(connected_weighted_graphs(min_nodes=2, max_nodes=40, multigraph=False, extra_edges=0))
def test_trees_resistance_equals_path(g):
    n, e, v = g
    R, D = _R(n, e, v), T.shortest_path_variance(n, e, variances=v)
    assert _close(R, D, R.max())


@given(connected_weighted_graphs(min_nodes=2, max_nodes=30))
def test_bridges_resistance_equals_variance(g):
    n, e, v = g
    key = [tuple(sorted(x)) for x in e.tolist()]
    mult = {k: key.count(k) for k in key}
    G = nx.Graph(list(mult))
    R, D = _R(n, e, v), T.shortest_path_variance(n, e, variances=v)
    for a, b in nx.bridges(G):
        if mult[tuple(sorted((a, b)))] == 1:  # a simple bridge: every a-b path is that edge
            var = v[key.index(tuple(sorted((a, b))))]
            assert abs(R[a, b] - var) <= TOL * R.max()
            assert abs(D[a, b] - var) <= TOL * R.max()


# 7. permutation invariance, 8. scale covariance -----------------------------------------------


@given(connected_weighted_graphs(min_nodes=2, max_nodes=30), st.data())
def test_permutation_invariance(g, data):
    n, e, v = g
    pi = np.array(data.draw(st.permutations(range(n))))
    order = np.array(data.draw(st.permutations(range(len(e)))))
    R = _R(n, e, v)
    Rp = _R(n, pi[e][order], v[order])
    assert _close(Rp[np.ix_(pi, pi)], R, R.max())


@given(connected_weighted_graphs(min_nodes=2, max_nodes=30), log_uniform(1e-3, 1e3))
def test_scale_covariance(g, s):
    n, e, v = g
    R, D = _R(n, e, v), T.shortest_path_variance(n, e, variances=v)
    assert _close(_R(n, e, s * v), s * R, s * R.max())
    assert _close(T.shortest_path_variance(n, e, variances=s * v), s * D, s * D.max())


# 9. single-cut lower bound ---------------------------------------------------------------------


@given(connected_weighted_graphs(min_nodes=2, max_nodes=40))
def test_cut_lower_bound(g):
    n, e, v = g
    R = _R(n, e, v)
    C = np.bincount(e[:, 0], 1 / v, n) + np.bincount(e[:, 1], 1 / v, n)  # weighted degrees
    off = ~np.eye(n, dtype=bool)
    lb = np.maximum(1 / C[:, None], 1 / C[None, :])
    assert np.all(R[off] >= lb[off] * (1 - 1e-9))


def test_sum_of_inverse_degrees_is_not_a_lower_bound():
    # single edge: R = 1/c < 1/C_u + 1/C_v = 2/c (spec §5 item 9)
    R = T.effective_resistance(2, [[0, 1]], variances=[1.0], pairs=[[0, 1]])[0]
    assert R == pytest.approx(1.0, rel=1e-6, abs=0.0) and R < 2.0


# 10. Kron reduction ----------------------------------------------------------------------------


@given(connected_weighted_graphs(min_nodes=3, max_nodes=30), st.data())
def test_kron_reduction(g, data):
    n, e, v = g
    keep = np.array(sorted(data.draw(st.sets(st.integers(0, n - 1), min_size=2, max_size=n - 1))))
    elim = np.setdiff1d(np.arange(n), keep)
    L = np.zeros((n, n))
    for (a, b), w in zip(e, v):  # the Laplacian written out here, not the library's
        L[a, a] += 1 / w
        L[b, b] += 1 / w
        L[a, b] -= 1 / w
        L[b, a] -= 1 / w
    S = L[np.ix_(keep, keep)] - L[np.ix_(keep, elim)] @ np.linalg.solve(L[np.ix_(elim, elim)], L[np.ix_(elim, keep)])
    # pinv with a cutoff: the rounding residue of the zero eigenvalue (~1e-16) must not be inverted
    P = np.linalg.pinv(S, rcond=1e-10, hermitian=True)
    d = np.diag(P)
    Rk = d[:, None] + d[None, :] - 2 * P
    R = _R(n, e, v)
    assert _close(Rk, R[np.ix_(keep, keep)], R.max(), tol=1e-8)


# 11. backend agreement, networkx anchor ---------------------------------------------------------


@given(connected_weighted_graphs(min_nodes=2, max_nodes=30))
@settings(max_examples=15)
def test_backends_agree_with_networkx(g):
    n, e, v = g
    R = _R(n, e, v)
    for m in ("pinv", "grounded"):
        assert _close(_R(n, e, v, m), R, R.max())
    iu = np.triu_indices(n, 1)
    pairs = np.stack(iu, 1)[:40]
    Rs = T.effective_resistance(n, e, variances=v, pairs=pairs, method="sparse", tol=1e-12)
    assert _close(Rs, R[pairs[:, 0], pairs[:, 1]], R.max())
    G = nx.MultiGraph()
    G.add_nodes_from(range(n))
    for (a, b), w in zip(e.tolist(), v.tolist()):
        G.add_edge(a, b, var=w)
    Rnx = nx.resistance_distance(G, weight="var", invert_weight=True)
    ref = np.array([[Rnx[a][b] if a != b else 0.0 for b in range(n)] for a in range(n)])
    assert _close(ref, R, R.max())
    assert T.kirchhoff_index(n, e, variances=v) == pytest.approx(R[iu].sum(), rel=1e-9, abs=0.0)
    assert T.kirchhoff_index(n, e, variances=v) == pytest.approx(nx.effective_graph_resistance(
        nx.Graph(G) if len(set(map(tuple, np.sort(e, 1).tolist()))) == len(e) else _merge(G), weight="var",
        invert_weight=True), rel=1e-9, abs=0.0)


def _merge(G):
    H = nx.Graph()
    H.add_nodes_from(G)
    for a, b, d in G.edges(data=True):
        c = 1 / d["var"] + (1 / H[a][b]["var"] if H.has_edge(a, b) else 0.0)
        H.add_edge(a, b, var=1 / c)
    return H


def test_path_surrogate_merges_parallel_edges_by_minimum():
    # parallel variances 2 and 3: surrogate takes 2, exact takes 1/(1/2 + 1/3) = 1.2
    e, v = [[0, 1], [0, 1]], [2.0, 3.0]
    assert T.shortest_path_variance(2, e, variances=v, pairs=[[0, 1]])[0] == 2.0
    assert T.effective_resistance(2, e, variances=v, pairs=[[0, 1]])[0] == pytest.approx(1.2, rel=1e-14, abs=0.0)


# closed forms ----------------------------------------------------------------------------------


@pytest.mark.parametrize("N", [3, 5, 8])
@pytest.mark.parametrize("c", [0.5, 2.0])
def test_closed_forms_against_numeric(N, c):
    var = 1 / c
    K = nx.complete_graph(N)
    R = T.effective_resistance(N, np.array(K.edges()), variances=np.full(K.number_of_edges(), var))
    assert R[0, 1] == pytest.approx(float(T.closed_form_reff("complete", N=N, c=c)), rel=1e-12, abs=0.0)
    assert R[0, 1] == pytest.approx(2 / (N * c), rel=1e-12, abs=0.0)  # written out
    C = nx.cycle_graph(N)
    R = T.effective_resistance(N, np.array(C.edges()), variances=np.full(N, var))
    for k in range(1, N):
        assert R[0, k] == pytest.approx(float(T.closed_form_reff("cycle", N=N, c=c, k=k)), rel=1e-12, abs=0.0)
        assert R[0, k] == pytest.approx(k * (N - k) / (N * c), rel=1e-12, abs=0.0)
    P = nx.path_graph(N)
    R = T.effective_resistance(N, np.array(P.edges()), variances=np.full(N - 1, var))
    assert R[0, N - 1] == pytest.approx(float(T.closed_form_reff("path", c=c, k=N - 1)), rel=1e-12, abs=0.0)
    S = nx.star_graph(N - 1)
    R = T.effective_resistance(N, np.array(S.edges()), variances=np.full(N - 1, var))
    assert R[1, 2] == pytest.approx(float(T.closed_form_reff("star", c=c)), rel=1e-12, abs=0.0)


def test_closed_form_is_symbolic():
    N, c, k = sp.symbols("N c k", positive=True)
    assert sp.simplify(T.closed_form_reff("cycle") - k * (N - k) / (N * c)) == 0

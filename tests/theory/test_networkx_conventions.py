"""Graphs the networkx way (issue #14 item 3): networkx graphs, labels, scipy.sparse and dense matrices.

Every expected value comes from networkx (``resistance_distance``, ``effective_graph_resistance``,
``dijkstra_path_length``, ``laplacian_matrix``) or from a closed form written here, never from
aligntheory. Tolerance: networkx solves with a dense pseudo-inverse of the Laplacian; on these
graphs (conductances within a factor 8 of each other, at most 12 nodes) its condition number is
below 1e3, so both routes agree to ~1e3 * eps; ``rel=1e-9`` leaves a wide margin while still
catching any convention error (which changes values by O(1)).
"""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sps

import aligntheory.theory.ibn as T
from aligntheory.errors import InvalidInputError

REL = 1e-9


def _random_graph(seed: int, *, labels: str = "str", multigraph: bool = False):
    """A connected random graph with ``weight`` in [0.5, 4] and node labels that are not positions."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 12))
    while True:
        H = nx.gnp_random_graph(n, 0.45, seed=int(rng.integers(2**31)))
        if nx.is_connected(H):
            break
    names = {i: (f"r{i}" if labels == "str" else (7 * i + 3) % 101) for i in range(n)}
    order = rng.permutation(n)  # insertion order differs from the sorted one
    G = nx.MultiGraph() if multigraph else nx.Graph()
    G.add_nodes_from(names[int(i)] for i in order)
    for u, v in H.edges:
        G.add_edge(names[u], names[v], weight=float(rng.uniform(0.5, 4.0)))
    if multigraph:
        u, v = next(iter(H.edges))
        G.add_edge(names[u], names[v], weight=float(rng.uniform(0.5, 4.0)))  # a parallel edge
    return G


def _all_pairs(G):
    nodes = list(G.nodes)
    return [(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1:]]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("invert_weight", [True, False])
@pytest.mark.parametrize("labels", ["str", "int"])
def test_weighted_graph_pairs_match_networkx(seed, invert_weight, labels):
    G = _random_graph(seed, labels=labels)
    pairs = _all_pairs(G)
    got = T.effective_resistance(G, weight="weight", invert_weight=invert_weight, pairs=pairs)
    want = [nx.resistance_distance(G, a, b, weight="weight", invert_weight=invert_weight) for a, b in pairs]
    np.testing.assert_allclose(got, want, rtol=REL)


@pytest.mark.parametrize("seed", range(3))
def test_full_matrix_is_in_graph_node_order(seed):
    G = _random_graph(seed, labels="int")
    R = T.effective_resistance(G, weight="weight")
    Rnx = nx.resistance_distance(G, weight="weight", invert_weight=True)  # dict of dicts keyed by label
    nodes = list(G.nodes)
    want = np.array([[Rnx[a][b] for b in nodes] for a in nodes])
    np.testing.assert_allclose(R, want, rtol=REL, atol=1e-15)
    assert nodes != sorted(nodes)  # the order is the graph's, not sorted labels (the test can tell)


@pytest.mark.parametrize("seed", range(3))
def test_unweighted_graph_matches_networkx(seed):
    G = _random_graph(seed)
    pairs = _all_pairs(G)
    with pytest.warns(T.IgnoredWeightWarning):  # the graph has a 'weight' attribute that weight=None ignores
        got = T.effective_resistance(G, weight=None, pairs=pairs)
    want = [nx.resistance_distance(G, a, b, weight=None) for a, b in pairs]
    np.testing.assert_allclose(got, want, rtol=REL)
    H = nx.Graph(G.edges)  # no attributes at all: default weight "var" absent -> 1, and no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(T.effective_resistance(H, pairs=pairs), want, rtol=REL)


@pytest.mark.parametrize("seed", range(3))
def test_multigraph_parallel_edges_match_networkx(seed):
    G = _random_graph(seed, multigraph=True)
    pairs = _all_pairs(G)
    got = T.effective_resistance(G, weight="weight", pairs=pairs)
    want = [nx.resistance_distance(G, a, b, weight="weight", invert_weight=True) for a, b in pairs]
    np.testing.assert_allclose(got, want, rtol=REL)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("fmt", ["csr", "coo", "dense"])
def test_adjacency_matrix_entries_are_conductances(seed, fmt):
    G = _random_graph(seed)
    nodes = list(G.nodes)
    A = nx.to_scipy_sparse_array(G, nodelist=nodes, weight="weight", format="csr")
    M = {"csr": A, "coo": A.tocoo(), "dense": A.toarray()}[fmt]
    R = T.effective_resistance(M, matrix="adjacency")
    Rnx = nx.resistance_distance(G, weight="weight", invert_weight=False)
    want = np.array([[Rnx[a][b] for b in nodes] for a in nodes])
    np.testing.assert_allclose(R, want, rtol=REL, atol=1e-15)


@pytest.mark.parametrize("seed", range(3))
def test_laplacian_matrix_input_matches_networkx(seed):
    G = _random_graph(seed)
    nodes = list(G.nodes)
    L = nx.laplacian_matrix(G, nodelist=nodes, weight="weight")  # scipy.sparse, conductances = weight
    pairs = [[0, 1], [1, len(nodes) - 1], [2, 3]]
    got = T.effective_resistance(L, matrix="laplacian", pairs=pairs)
    want = [nx.resistance_distance(G, nodes[a], nodes[b], weight="weight", invert_weight=False) for a, b in pairs]
    np.testing.assert_allclose(got, want, rtol=REL)
    # the same answers from our own laplacian() of the graph (rows in list(G.nodes) order)
    Lours = T.laplacian(G, weight="weight", invert_weight=False)
    np.testing.assert_allclose(Lours, L.toarray(), rtol=1e-15, atol=1e-15)


@pytest.mark.parametrize("seed", range(3))
def test_kirchhoff_and_path_variance_match_networkx(seed):
    G = _random_graph(seed)
    assert T.kirchhoff_index(G, weight="weight") == pytest.approx(
        nx.effective_graph_resistance(G, weight="weight", invert_weight=True), rel=REL, abs=0.0)
    pairs = _all_pairs(G)[:8]
    got = T.shortest_path_variance(G, weight="weight", pairs=pairs)
    want = [nx.dijkstra_path_length(G, a, b, weight="weight") for a, b in pairs]
    np.testing.assert_allclose(got, want, rtol=1e-14)
    # Foster's theorem (closed form): sum_e c_e R(e) = N - 1 whatever the weights
    assert T.foster_sum(G, weight="weight") == pytest.approx(G.number_of_nodes() - 1, rel=1e-12, abs=0.0)


def test_weight_trap_warns_and_reading_weight_fixes_it():
    G = nx.Graph()
    G.add_edge(0, 1, weight=2.0)
    G.add_edge(1, 2, weight=1.0)
    G.add_edge(0, 2, weight=1.0)
    with pytest.warns(T.IgnoredWeightWarning, match="weight='weight'"):
        T.effective_resistance(G, pairs=[(0, 1)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = T.effective_resistance(G, weight="weight", pairs=[(0, 1)])
    assert got[0] == pytest.approx(nx.resistance_distance(G, 0, 1, weight="weight"), rel=REL, abs=0.0)
    assert issubclass(T.IgnoredWeightWarning, UserWarning)


def test_from_networkx_invert_weight_false_reads_conductances():
    G = nx.Graph([("a", "b", {"weight": 4.0}), ("b", "c", {"weight": 0.5})])
    g = T.from_networkx(G, "weight", invert_weight=False)
    assert g.nodelist == ["a", "b", "c"] and g.variances.tolist() == [0.25, 2.0]


def test_from_matrix_laplacian_and_adjacency_agree():
    A = sps.csr_array(np.array([[0.0, 2.0, 0.0, 1.0], [2.0, 0.0, 3.0, 0.0], [0.0, 3.0, 0.0, 1.0],
                                [1.0, 0.0, 1.0, 0.0]]))
    n1, e1, v1 = T.from_matrix(A, "adjacency")
    n2, e2, v2 = T.from_matrix(sps.csgraph.laplacian(A), "laplacian")
    assert n1 == n2 == 4 and e1.tolist() == e2.tolist() == [[0, 1], [0, 3], [1, 2], [2, 3]]
    np.testing.assert_array_equal(v1, [0.5, 1.0, 1 / 3, 1.0])
    np.testing.assert_array_equal(v1, v2)


@pytest.mark.parametrize("call, name", [
    (lambda: T.effective_resistance(sps.eye(3).tocsr()), "matrix"),  # kind not stated
    (lambda: T.effective_resistance(np.eye(3)), "matrix"),
    (lambda: T.effective_resistance(sps.csr_array([[0.0, 1.0], [2.0, 0.0]]), matrix="adjacency"), "matrix"),
    (lambda: T.effective_resistance(sps.csr_array([[0.0, -1.0], [-1.0, 0.0]]), matrix="adjacency"), "matrix"),
    (lambda: T.effective_resistance(sps.csr_array([[0.0, 1.0], [1.0, 0.0]]), matrix="laplacian"), "matrix"),
    (lambda: T.effective_resistance(sps.csr_array([[2.0, -1.0], [-1.0, 1.0]]), matrix="laplacian"), "matrix"),
    (lambda: T.effective_resistance(sps.csr_array([[0.0, np.nan], [np.nan, 0.0]]), matrix="adjacency"), "matrix"),
    (lambda: T.effective_resistance(sps.csr_array([[0.0, 1.0], [1.0, 0.0]]), matrix="other"), "matrix"),
    (lambda: T.effective_resistance(nx.path_graph(3), pairs=[(0, 9)]), "pairs"),
    (lambda: T.effective_resistance(nx.path_graph(3), pairs=[(0,)]), "pairs"),
    (lambda: T.effective_resistance(nx.path_graph(3), pairs=[([0], 1)]), "pairs"),
    (lambda: T.effective_resistance(nx.path_graph(3), matrix="adjacency"), "matrix"),
    (lambda: T.effective_resistance(nx.DiGraph([(0, 1)])), "graph"),
    (lambda: T.effective_resistance(nx.Graph()), "graph"),
    (lambda: T.effective_resistance(nx.Graph([(0, 1, {"var": "x"})])), "edge attribute 'var'"),
    (lambda: T.effective_resistance(nx.Graph([(0, 1, {"var": 0.0})])), "edge attribute 'var'"),
    (lambda: T.effective_resistance(2, [[0, 1]], variances=[1.0], weight="weight"), "weight"),
    (lambda: T.effective_resistance(2, [[0, 1]], variances=[1.0], invert_weight=False), "weight"),
    (lambda: T.effective_resistance(nx.path_graph(2), invert_weight="yes"), "invert_weight"),
])
def test_bad_graph_inputs_are_refused_by_name(call, name):
    with pytest.raises(InvalidInputError) as info:
        call()
    assert str(info.value).startswith(name), str(info.value)


def test_kernels_refuse_graphs_and_sparse_matrices():
    pytest.importorskip("jax")
    from aligntheory.config import configure
    from aligntheory.kernels import ibn as K

    configure()
    G = nx.path_graph(3)
    calls = [
        (lambda: K.effective_resistance_dense(G, [[0, 1]], conductances=[1.0]), "n_nodes"),
        (lambda: K.effective_resistance_dense(3, G, conductances=[1.0, 1.0]), "edges"),
        (lambda: K.laplacian_dense(3, [[0, 1]], conductances=G), "conductances"),
        (lambda: K.reff_dense_cholesky(G), "L"),
        (lambda: K.reff_dense_cholesky(sps.eye(3).tocsr()), "L"),
    ]
    for call, name in calls:
        with pytest.raises(InvalidInputError, match=f"^{name}: must be an array"):
            call()

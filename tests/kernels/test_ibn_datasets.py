"""Dataset generators of the IBN pillar checked against their laws (spec ``ibn.md`` §2.5, §4.2).

Goodness-of-fit tests run at the fixed level ALPHA with fixed keys, so each test is deterministic;
a correct generator fails one of them with probability about ALPHA per test.
"""

import networkx as nx
import numpy as np
import pytest
import scipy.sparse
import scipy.sparse.csgraph
from scipy import stats

import jax

from aligntheory.kernels import ibn as K

ALPHA = 1e-3


def _uniform_chi2(values, k):
    counts = np.bincount(np.asarray(values).ravel(), minlength=k)
    assert len(counts) == k
    return stats.chisquare(counts).pvalue


# chain datasets --------------------------------------------------------------------------------


def test_chain_pairs_shapes_and_law():
    n, B, D = 3000, 5, 4
    resp, pairs = K.chain_pairs(jax.random.PRNGKey(11), n, B, D)
    assert resp.shape == (2 * n, D) and resp.dtype == np.int32
    assert pairs.shape == (n, 2) and np.array_equal(np.asarray(pairs), np.arange(2 * n).reshape(n, 2))
    r = np.asarray(resp)
    assert _uniform_chi2(r, B) > ALPHA  # every segment uniform on [B]
    # segments independent: contingency table of segments 1 and 2, and of paired responses
    tab = np.zeros((B, B))
    np.add.at(tab, (r[:, 0], r[:, 1]), 1)
    assert stats.chi2_contingency(tab).pvalue > ALPHA
    tab = np.zeros((B, B))
    np.add.at(tab, (r[0::2, 0], r[1::2, 0]), 1)
    assert stats.chi2_contingency(tab).pvalue > ALPHA


def test_chain_cluster_graph_law():
    n, M = 20000, 37
    e = np.asarray(K.chain_cluster_graph(jax.random.PRNGKey(5), n, M))
    assert e.shape == (n, 2) and e.dtype == np.int32
    assert _uniform_chi2(e, M) > ALPHA
    loops = int(np.sum(e[:, 0] == e[:, 1]))  # self-loops kept, probability 1/M each
    assert stats.binomtest(loops, n, 1 / M).pvalue > ALPHA


def test_er_graph_law():
    M, c = 500, 6.0
    e, mask = K.er_graph(jax.random.PRNGKey(2), M, c)
    e, mask = np.asarray(e), np.asarray(mask)
    assert e.shape == (int(c * M / 2), 2) and mask.dtype == bool
    assert np.array_equal(mask, e[:, 0] != e[:, 1])
    assert _uniform_chi2(e, M) > ALPHA
    # degrees of a uniform multigraph with m edges: each endpoint slot hits a node w.p. 1/M
    deg = np.bincount(e.ravel(), minlength=M)
    assert abs(deg.mean() - c) < 1e-12
    e2, _ = K.er_graph(jax.random.PRNGKey(3), 401, 3.0)
    assert np.asarray(e2).shape == (601, 2)  # m = floor(c M / 2)


# tree datasets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("b,d", [(2, 3), (3, 2)])
def test_tree_pairs_structure(b, d):
    n, B, D = 100, 6, 4
    ds = K.tree_pairs(jax.random.PRNGKey(7), n, B, D, b, d)
    lay = K.tree_layout(n, b, d)
    L = b**d
    r, p, pre = (np.asarray(x) for x in ds)
    assert r.shape == (lay["trees"] * L, D) and p.shape == (n, 2) and pre.shape == (lay["trees"] * L, d)
    assert lay["per_tree"] == (b**d - 1) // (b - 1)
    for t in range(lay["trees"]):
        leaves = r[t * L : (t + 1) * L]
        for k in range(1, d + 1):
            # nodes at depth k: groups of b^(d-k) leaves share the prefix of length k
            prefixes = leaves[:, :k].reshape(b**k, b ** (d - k), k)
            assert np.all(prefixes == prefixes[:, :1])
            # the b children of one node carry distinct labels (drawn without replacement)
            labels = prefixes[:, 0, k - 1].reshape(b ** (k - 1), b)
            assert all(len(set(row)) == b for row in labels.tolist())
        ids = pre[t * L : (t + 1) * L]
        for k in range(d):  # prefix ids equal iff prefixes equal (within one tree)
            same_id = ids[:, k][:, None] == ids[:, k][None, :]
            same_pre = np.all(leaves[:, None, : k + 1] == leaves[None, :, : k + 1], axis=-1)
            assert np.array_equal(same_id, same_pre)
    assert len(np.unique(pre[:, 0])) == lay["trees"] * b  # ids unique across trees
    # cross_subtree: pair j of a tree belongs to internal node j (BFS order); its LCA is that node
    depth = np.concatenate([np.full(b**h, h) for h in range(d)])
    for j, (a, c) in enumerate(p):
        t, loc = divmod(j, lay["per_tree"])
        assert a // L == t and c // L == t
        lca = next((k for k in range(d) if pre[a, k] != pre[c, k]), d)
        assert lca == depth[loc]


def test_tree_pairs_binary_spanning_tree():
    # b = 2: the comparisons of a full tree form a spanning tree on its leaves (spec §2.5)
    b, d = 2, 4
    per = 2**d - 1
    ds = K.tree_pairs(jax.random.PRNGKey(9), 3 * per, 5, 5, b, d)
    p = np.asarray(ds.pairs)
    for t in range(3):
        G = nx.Graph()
        G.add_nodes_from(range(t * 16, (t + 1) * 16))
        G.add_edges_from(p[t * per : (t + 1) * per].tolist())
        assert nx.is_tree(G)


def test_tree_pairs_segment_and_leaf_laws():
    B, D, b, d = 5, 4, 2, 2
    ds = K.tree_pairs(jax.random.PRNGKey(13), 3000, B, D, b, d)
    r, p = np.asarray(ds.responses), np.asarray(ds.pairs)
    assert _uniform_chi2(r[:, 0], B) > ALPHA  # expanded labels uniform on [B]
    assert _uniform_chi2(r[:, d:], B) > ALPHA  # roll-out segments uniform
    # root comparison (internal node 0 of each tree): leaf offsets uniform over the 4 leaves
    per = (b**d - 1) // (b - 1)
    root = p[0::per]
    assert _uniform_chi2(root % (b**d), b**d) > ALPHA
    # two sibling labels are distinct: their pair is uniform over the B(B-1) ordered distinct pairs
    L = b**d
    first = r[0::L, 0]
    second = r[L // 2 :: L, 0]
    assert np.all(first != second)
    assert _uniform_chi2(first * B + second - (second > first) - first, B * (B - 1)) > ALPHA


def test_tree_pairs_uniform_policy():
    b, d = 3, 2
    n = 25
    ds = K.tree_pairs(jax.random.PRNGKey(4), n, 4, 3, b, d, "uniform")
    lay = K.tree_layout(n, b, d, "uniform")
    p = np.asarray(ds.pairs)
    assert lay["per_tree"] == 4 and p.shape == (n, 2)
    for t in range(lay["trees"]):
        rows = p[t * 4 : (t + 1) * 4]
        flat = rows.ravel()
        assert len(set(flat.tolist())) == len(flat)  # disjoint pairs: a matching
        assert np.all(flat // 9 == t)


def test_tree_pairs_compiles_once_per_shape():
    from aligntheory.kernels.ibn._datasets import _tree_pairs

    K.tree_pairs(jax.random.PRNGKey(0), 10, 4, 3, 2, 2)
    before = _tree_pairs._cache_size()
    K.tree_pairs(jax.random.PRNGKey(1), 10, 4, 3, 2, 2)
    assert _tree_pairs._cache_size() == before


# BFS -------------------------------------------------------------------------------------------


def test_hops_bfs_matches_scipy_and_networkx():
    rng = np.random.default_rng(0)
    M = 60
    e = rng.integers(0, M, (70, 2)).astype(np.int32)
    mask = rng.random(70) < 0.9
    src = np.array([0, 5, 17, 59])
    got = np.asarray(K.hops_bfs(M, e, mask, src))
    assert got.dtype == np.int32 and got.shape == (4, M)
    em = e[mask]
    A = scipy.sparse.coo_matrix((np.ones(len(em)), (em[:, 0], em[:, 1])), shape=(M, M))
    ref = scipy.sparse.csgraph.shortest_path(A, directed=False, unweighted=True, indices=src)
    want = np.where(np.isinf(ref), -1, ref).astype(int)
    assert np.array_equal(got, want)
    G = nx.MultiGraph()
    G.add_nodes_from(range(M))
    G.add_edges_from(em.tolist())
    for i, s in enumerate(src):
        lengths = nx.single_source_shortest_path_length(G, int(s))
        assert all(got[i, v] == lengths.get(v, -1) for v in range(M))


def test_hops_bfs_unreachable_and_mask():
    e = np.array([[0, 1], [1, 2], [2, 3]])
    out = np.asarray(K.hops_bfs(5, e, np.array([True, False, True]), np.array([0, 3])))
    assert out.tolist() == [[0, 1, -1, -1, -1], [-1, -1, 1, 0, -1]]

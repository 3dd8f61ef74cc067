"""AMG-preconditioned CG for effective-resistance queries (issue 16) against independent routes."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from aligntheory.errors import ConvergenceError, DisconnectedGraphError, InvalidInputError, SizeCapError
from aligntheory.numerics import ResistanceQueries, effective_resistance_all_pairs, effective_resistance_pairs


def _graph(rng, n, extra):
    """Random connected multigraph: a random spanning tree plus ``extra`` uniform edges."""
    perm = rng.permutation(n)
    tree = np.stack([perm[1:], perm[rng.integers(0, np.arange(1, n))]], 1)
    e = np.concatenate([tree, rng.integers(0, n, (extra, 2))])
    return e, 10.0 ** rng.uniform(-2, 2, len(e))


def _direct(n, e, c, pairs):
    """Independent route: dense pseudo-inverse of the Laplacian (numpy.linalg.pinv)."""
    L = np.zeros((n, n))
    for (a, b), w in zip(e, c):
        if a != b:
            L[a, a] += w
            L[b, b] += w
            L[a, b] -= w
            L[b, a] -= w
    P = np.linalg.pinv(L)
    return np.array([P[a, a] + P[b, b] - 2 * P[a, b] for a, b in pairs])


@pytest.mark.parametrize("seed", range(3))
def test_amg_and_splu_match_the_pseudo_inverse(seed):
    rng = np.random.default_rng(seed)
    n = 300
    e, c = _graph(rng, n, 600)
    pairs = rng.integers(0, n, (20, 2))
    want = _direct(n, e, c, pairs)
    for method in ("amg", "splu"):
        got = effective_resistance_pairs(n, e, pairs, conductances=c, method=method)
        assert isinstance(got, ResistanceQueries) and got.method == method and got.converged
        # pinv of a 300-node Laplacian with weights over 1e4: ~1e-10 relative; CG to rtol 1e-10
        np.testing.assert_allclose(got.values, want, rtol=1e-7, atol=1e-12)


def test_amg_matches_the_sparse_direct_solve_at_scale():
    """4,681-node IBN-like graph: a B-ary latent tree with iid leaf comparisons; AMG vs scipy's direct solve."""
    rng = np.random.default_rng(7)
    B, D = 8, 4
    sizes = [B**k for k in range(D + 1)]
    first = np.cumsum([0] + sizes)
    ib = [np.stack([first[k - 1] + np.arange(sizes[k]) // B, first[k] + np.arange(sizes[k])], 1) for k in range(1, D + 1)]
    ib_var = np.concatenate([np.full(sizes[k], 0.5 * 8.0 ** -(k - 1)) for k in range(1, D + 1)])
    leaves = first[D] + np.arange(sizes[D])
    hp = leaves[rng.integers(0, sizes[D], (3_000, 2))]
    e = np.concatenate(ib + [hp])
    var = np.concatenate([ib_var, np.full(len(hp), 1e-4)])
    n = int(first[-1])
    pairs = leaves[rng.integers(0, sizes[D], (6, 2))]
    got = effective_resistance_pairs(n, e, pairs, variances=var, method="amg")
    # independent route: grounded Laplacian (node 0 removed) solved by scipy.sparse.linalg.spsolve
    c = 1.0 / var
    live = e[:, 0] != e[:, 1]
    L = sp.coo_matrix((np.concatenate([-c[live], -c[live]]), (np.concatenate([e[live, 0], e[live, 1]]),
                                                              np.concatenate([e[live, 1], e[live, 0]]))), shape=(n, n)).tocsr()
    L = L - sp.diags(np.asarray(L.sum(axis=1)).ravel())
    solve = spla.factorized(L[1:, 1:].tocsc())
    want = []
    for a, b in pairs:
        rhs = np.zeros(n)
        rhs[a] += 1.0
        rhs[b] -= 1.0
        want.append(rhs[1:] @ solve(rhs[1:]))
    assert got.iterations > 0 and n > 4000
    # CG error in energy norm: |R_k - R| <= kappa * rtol^2 * R; rtol = 1e-10 leaves far below 1e-8
    np.testing.assert_allclose(got.values, want, rtol=1e-8)


def test_components_are_grounded_separately_and_cross_pairs_raise():
    e = [[0, 1], [1, 2], [3, 4]]
    got = effective_resistance_pairs(5, e, [[0, 2], [3, 4], [1, 1]], variances=[1.0, 2.0, 0.5], method="amg")
    np.testing.assert_allclose(got.values, [3.0, 0.5, 0.0], rtol=1e-9)
    with pytest.raises(DisconnectedGraphError):
        effective_resistance_pairs(5, e, [[0, 3]], variances=[1.0, 2.0, 0.5])


def test_agrees_with_networkx_and_the_all_pairs_lapack_route():
    rng = np.random.default_rng(3)
    e, c = _graph(rng, 60, 0)  # a tree: no parallel edges, networkx's simple Graph is the same graph
    G = nx.Graph()
    G.add_weighted_edges_from((int(a), int(b), float(w)) for (a, b), w in zip(e, c))
    pairs = rng.integers(0, 60, (8, 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    want = [nx.resistance_distance(G, int(a), int(b), weight="weight", invert_weight=False) for a, b in pairs]
    got = effective_resistance_pairs(60, e, pairs, conductances=c, method="amg").values
    np.testing.assert_allclose(got, want, rtol=1e-8)
    R = effective_resistance_all_pairs(60, e, conductances=c)
    np.testing.assert_allclose(got, R[pairs[:, 0], pairs[:, 1]], rtol=1e-8)


def test_scale_invariance_far_from_one():
    rng = np.random.default_rng(1)
    e, c = _graph(rng, 200, 300)
    p = rng.integers(0, 200, (5, 2))
    base = effective_resistance_pairs(200, e, p, conductances=c, method="amg").values
    for s in (1e-200, 1e200):
        np.testing.assert_allclose(effective_resistance_pairs(200, e, p, conductances=c * s, method="amg").values,
                                   base / s, rtol=1e-9)


def test_bad_input_and_failure_contract():
    with pytest.raises(InvalidInputError, match="exactly one"):
        effective_resistance_pairs(2, [[0, 1]], [[0, 1]], conductances=[1.0], variances=[1.0])
    with pytest.raises(InvalidInputError):
        effective_resistance_pairs(2, [[0, 1]], [[0, 1]], variances=[0.0])
    with pytest.raises(InvalidInputError):
        effective_resistance_pairs(2, [[0, 1]], [[0, 5]], variances=[1.0])
    with pytest.raises(InvalidInputError):
        effective_resistance_pairs(2, [[0, 1]], [[0, 1]], variances=[1.0], rtol=0.5)
    with pytest.raises(SizeCapError):
        effective_resistance_pairs(10**6, [[0, 1]], [[0, 1]], variances=[1.0], max_nodes=1000)
    rng = np.random.default_rng(2)
    e, c = _graph(rng, 1000, 100)
    p = rng.integers(0, 1000, (2, 2))
    with pytest.raises(ConvergenceError) as info:
        effective_resistance_pairs(1000, e, p, conductances=c, method="amg", maxiter=1, rtol=1e-14)
    assert info.value.iterations is not None
    flagged = effective_resistance_pairs(1000, e, p, conductances=c, method="amg", maxiter=1, rtol=1e-14, throw=False)
    assert not flagged.converged and flagged.result.value == "max_steps_reached"


def test_auto_picks_by_size():
    rng = np.random.default_rng(4)
    e, c = _graph(rng, 500, 500)
    p = [[0, 1]]
    assert effective_resistance_pairs(500, e, p, conductances=c).method == "splu"
    assert effective_resistance_pairs(500, e, p, conductances=c, amg_min_nodes=100).method == "amg"


def test_block_cg_across_block_boundaries_matches_the_lu():
    """More pairs than one CG block (BLOCK = 32): 70 pairs, every column checked against scipy's LU route."""
    from aligntheory.numerics._amg import BLOCK

    rng = np.random.default_rng(11)
    n = 3_000
    e, c = _graph(rng, n, 4_000)
    pairs = rng.integers(0, n, (70, 2))
    assert len(pairs) > 2 * BLOCK
    amg = effective_resistance_pairs(n, e, pairs, conductances=c, method="amg")
    lu = effective_resistance_pairs(n, e, pairs, conductances=c, method="splu")
    assert amg.iterations > 1 and amg.residual <= 1e-9
    # energy-norm error <= rtol^2 ||b||^2 / lambda_min: far below 1e-8 relative at rtol = 1e-10
    np.testing.assert_allclose(amg.values, lu.values, rtol=1e-8, atol=1e-14)


def test_the_block_v_cycle_is_symmetric_positive_definite():
    """Plain CG needs a fixed SPD preconditioner: u^T M w = w^T M u and u^T M u > 0 for random blocks."""
    from aligntheory.numerics._amg import _rs_levels, _vcycle

    rng = np.random.default_rng(5)
    n = 2_000
    e, c = _graph(rng, n, 3_000)
    L = sp.coo_matrix((np.r_[-c, -c], (np.r_[e[:, 0], e[:, 1]], np.r_[e[:, 1], e[:, 0]])), shape=(n, n)).tocsr()
    L = L - sp.diags(np.asarray(L.sum(axis=1)).ravel())
    A = L[1:, 1:].tocsr()
    levels, coarse = _rs_levels(A)
    assert len(levels) >= 2  # a real multilevel cycle, not only the coarse LU
    U, W = rng.standard_normal((n - 1, 4)), rng.standard_normal((n - 1, 4))
    MU, MW = _vcycle(levels, coarse, U), _vcycle(levels, coarse, W)
    uMw, wMu = np.einsum("ik,ik->k", U, MW), np.einsum("ik,ik->k", W, MU)
    # both sides are sums of ~2,000 products of O(1) terms: agreement to 1e-10 of their scale
    np.testing.assert_allclose(uMw, wMu, rtol=0, atol=1e-10 * np.abs(MU).sum())
    assert np.all(np.einsum("ik,ik->k", U, MU) > 0)

"""Laplacian solvers of the IBN pillar (spec ibn.md §3.3, §4.2, §6, §7).

Expected values come from numpy pseudo-inverses written in the test, networkx, and closed forms
(path: sum of variances; cycle: k(N-k)/(Nc)).
"""

import jax
import numpy as np
import pytest

from aligntheory.errors import ConvergenceError, InvalidInputError, PrecisionError
from aligntheory.kernels import ibn as KI


def _graph(rng, n, extra):
    perm = rng.permutation(n)
    tree = np.stack([perm[1:], perm[rng.integers(0, np.arange(1, n))]], 1)
    e = rng.integers(0, n, size=(extra, 2))
    e = np.concatenate([tree, e[e[:, 0] != e[:, 1]]]).astype(np.int64)
    return e, 10.0 ** rng.uniform(-2, 2, len(e))


def _pinv_reff(n, e, c, pairs):
    L = np.zeros((n, n))
    for (a, b), w in zip(e, c):
        if a != b:
            L[a, a] += w
            L[b, b] += w
            L[a, b] -= w
            L[b, a] -= w
    P = np.linalg.pinv(L)
    return np.array([P[u, u] + P[v, v] - 2 * P[u, v] for u, v in pairs]), P


@pytest.mark.parametrize("seed", [0, 1])
def test_pcg_matches_pinv(seed):
    rng = np.random.default_rng(seed)
    n = 60
    e, c = _graph(rng, n, 200)
    pairs = rng.integers(0, n, size=(16, 2))
    pairs[:, 1] = np.where(pairs[:, 0] == pairs[:, 1], (pairs[:, 1] + 1) % n, pairs[:, 1])
    out = KI.reff_pairs_pcg(n, e, conductances=c, pairs=pairs, tol=1e-12)
    ref, _ = _pinv_reff(n, e, c, pairs)
    np.testing.assert_allclose(np.asarray(out.values), ref, rtol=1e-8)
    assert float(np.max(out.residual)) <= 1e-12
    deg = np.bincount(e[:, 0], c, n) + np.bincount(e[:, 1], c, n)
    assert int(out.ground) == int(np.argmax(deg))  # spec §3.3: ground at the largest weighted degree
    out2 = KI.reff_pairs_pcg(n, e, conductances=c, pairs=pairs, ground=3, tol=1e-12)
    np.testing.assert_allclose(np.asarray(out2.values), ref, rtol=1e-8)


def test_pcg_mask_and_closed_form_cycle():
    n, c = 10, 2.0
    e = np.stack([np.arange(n), (np.arange(n) + 1) % n], 1)
    e_pad = np.concatenate([e, [[0, 5], [2, 7]]])  # padded edges, masked out
    cond = np.concatenate([np.full(n, c), [5.0, 5.0]])
    mask = np.concatenate([np.ones(n, bool), [False, False]])
    pairs = np.array([[0, k] for k in range(1, n)])
    out = KI.reff_pairs_pcg(n, e_pad, conductances=cond, mask=mask, pairs=pairs)
    k = np.arange(1, n)
    np.testing.assert_allclose(np.asarray(out.values), k * (n - k) / (n * c), rtol=1e-9)  # cycle closed form


def test_pcg_iterations_grow_on_paths():
    # spec §6: Jacobi-PCG needs Theta(N) iterations on a path, few on an expander
    n = 200
    e = np.stack([np.arange(n - 1), np.arange(1, n)], 1)
    out = KI.reff_pairs_pcg(n, e, conductances=np.ones(n - 1), pairs=np.array([[0, n - 1]]), maxiter=5 * n)
    assert abs(float(out.values[0]) - (n - 1)) <= 1e-7 * n  # path: sum of unit variances
    assert int(out.iterations[0]) >= n // 4
    rng = np.random.default_rng(3)
    e2, c2 = _graph(rng, n, 6 * n)
    out2 = KI.reff_pairs_pcg(n, e2, conductances=np.ones(len(e2)), pairs=np.array([[0, n - 1]]))
    assert int(out2.iterations[0]) <= 40


def test_pcg_convergence_error_and_bad_input():
    e = np.stack([np.arange(49), np.arange(1, 50)], 1)
    with pytest.raises(ConvergenceError) as ei:
        KI.reff_pairs_pcg(50, e, conductances=np.ones(49), pairs=np.array([[0, 49]]), maxiter=2)
    assert ei.value.iterations == 2 and ei.value.residual > 1e-10
    with pytest.raises(PrecisionError):
        KI.reff_pairs_pcg(50, e, conductances=np.ones(49, np.float32), pairs=np.array([[0, 49]]))
    with pytest.raises(InvalidInputError) as ei:
        KI.reff_pairs_pcg(50, e, conductances=np.ones(48), pairs=np.array([[0, 49]]))
    assert ei.value.argument == "conductances"
    with pytest.raises(InvalidInputError) as ei:
        KI.reff_pairs_pcg(50, e, conductances=np.ones(49), pairs=np.array([[0, 50]]))
    assert ei.value.argument == "pairs"
    with pytest.raises(InvalidInputError) as ei:
        KI.reff_pairs_pcg(50, e.astype(float), conductances=np.ones(49), pairs=np.array([[0, 1]]))
    assert ei.value.argument == "edges"


def test_sketch_within_epsilon():
    rng = np.random.default_rng(4)
    n = 40
    e, c = _graph(rng, n, 120)
    eps = 0.5
    out = KI.reff_sketch(jax.random.PRNGKey(0), n, e, conductances=c, eps=eps)
    assert out.k == int(np.ceil(24 * np.log(n) / eps**2))
    ref, _ = _pinv_reff(n, e, c, e)
    rel = np.abs(np.asarray(out.values) / ref - 1.0)
    assert np.all(rel <= eps), rel.max()  # JL guarantee (Spielman-Srivastava), fixed key
    # more projections tighten it: at k = 4000 the typical error is ~ sqrt(2/k) = 0.02
    out2 = KI.reff_sketch(jax.random.PRNGKey(1), n, e, conductances=c, k=4000, pairs=e[:10])
    assert np.median(np.abs(np.asarray(out2.values) / ref[:10] - 1.0)) <= 0.05


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tree_solver_exact_on_forests(seed):
    import networkx as nx

    rng = np.random.default_rng(seed)
    sizes = [1, 7, 30]  # a forest: an isolated node and two random trees
    edges, off = [], 0
    for s in sizes:
        if s > 1:
            T = nx.random_labeled_tree(s, seed=int(rng.integers(2**31)))
            edges.append(np.array(T.edges()) + off)
        off += s
    e = np.concatenate(edges).astype(np.int64)
    n = off
    c = 10.0 ** rng.uniform(-2, 2, len(e))
    t = KI.tree_elimination_order(n, e, conductances=c)
    assert sorted(t.order.tolist()) == list(range(n)) and t.is_root.sum() == len(sizes)
    b = rng.normal(size=n)
    # zero sum on every tree
    comp = np.repeat(np.arange(len(sizes)), sizes)
    b -= (np.bincount(comp, b) / np.bincount(comp))[comp]
    x = np.asarray(KI.solve_laplacian_tree(t, b, conductances=c))
    _, P = _pinv_reff(n, e, c, [])
    ref = P @ b
    # the solutions agree up to a constant per tree
    dx = x - ref
    for k in range(len(sizes)):
        np.testing.assert_allclose(dx[comp == k], dx[comp == k][0], atol=1e-8 * np.abs(ref).max())


def test_tree_order_rejects_cycles():
    with pytest.raises(InvalidInputError) as ei:
        KI.tree_elimination_order(3, [[0, 1], [1, 2], [2, 0]])
    assert ei.value.argument == "edges"
    with pytest.raises(InvalidInputError):
        KI.tree_elimination_order(3, [[0, 1], [1, 0]])


@pytest.mark.parametrize("method", ["dense", "splu", "pcg"])
def test_solve_laplacian_methods(method):
    rng = np.random.default_rng(6)
    n = 50
    e, c = _graph(rng, n, 150)
    b = rng.normal(size=n)
    b -= b.mean()
    sol = KI.solve_laplacian(n, e, b, conductances=c, method=method)
    x, used = sol.x, sol.method
    _, P = _pinv_reff(n, e, c, [])
    np.testing.assert_allclose(x, P @ b, atol=1e-8 * np.abs(P @ b).max())
    assert used == method
    d = rng.uniform(0.5, 2.0, n)
    b2 = rng.normal(size=n)
    x2 = KI.solve_laplacian(n, e, b2, conductances=c, method=method, extra_diag=d).x
    Ld = np.diag(np.bincount(e[:, 0], c, n) + np.bincount(e[:, 1], c, n))
    np.add.at(Ld, (e[:, 0], e[:, 1]), -c)
    np.add.at(Ld, (e[:, 1], e[:, 0]), -c)
    np.testing.assert_allclose(x2, np.linalg.solve(Ld + np.diag(d), b2), rtol=1e-8, atol=1e-10)


def test_solve_laplacian_tree_and_dispatch():
    n = 3000
    e = np.stack([np.arange(n - 1), np.arange(1, n)], 1)
    c = np.ones(n - 1)
    b = np.zeros(n)
    b[0], b[-1] = 1.0, -1.0
    sol = KI.solve_laplacian(n, e, b, conductances=c)
    x, used = sol.x, sol.method
    assert used == "tree" and abs((x[0] - x[-1]) - (n - 1)) <= 1e-8 * n  # path closed form
    rng = np.random.default_rng(7)
    e2, c2 = _graph(rng, n, 2 * n)  # sparse, low degree
    assert KI.LaplacianSolver(n, np.unique(np.sort(e2, 1), axis=0)).method == "splu"
    e3, _ = _graph(rng, n, 20 * n)  # well connected
    assert KI.LaplacianSolver(n, np.unique(np.sort(e3, 1), axis=0)).method == "pcg"
    assert KI.LaplacianSolver(50, np.array([[0, 1]])).method == "dense"
    with pytest.raises(InvalidInputError) as ei:
        KI.solve_laplacian(3, [[0, 1], [1, 2], [2, 0]], np.array([1.0, 0, -1.0]), conductances=np.ones(3),
                           method="tree")
    assert ei.value.argument == "method"
    with pytest.raises(InvalidInputError) as ei:
        KI.solve_laplacian(3, [[0, 1], [1, 2]], np.array([1.0, 0.0, 0.0]), conductances=np.ones(2))
    assert ei.value.argument == "b"

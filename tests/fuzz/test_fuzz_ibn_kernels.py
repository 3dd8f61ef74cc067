"""Bad-input fuzzing of the IBN kernels and host numerics (issue #12), with tests/fuzz/_harness.py.

JAX kernels are fuzzed on a few fixed shapes (a 4-node graph with 4 edges, batch of 2) so that a
hypothesis run compiles each kernel a handful of times, not once per example. Every call must end
in a named library error or a finite result; finite results of valid extreme inputs are also
checked against the mathematics (homogeneity of degree -1 of effective resistance, two-item
Bradley--Terry log-odds).
"""

from __future__ import annotations

import jax
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligntheory.kernels import ibn as KI
from aligntheory.numerics import fit_bradley_terry, solve_laplacian
from tests.fuzz._harness import bad_arrays, bad_scalars, bad_sizes, call_gently, extreme_positive

E4 = np.array([[0, 1], [1, 2], [2, 3], [0, 2]])
C4 = np.array([1.0, 2.0, 4.0, 1.0])  # R(0, 3) = 0.85 (see tests/kernels/test_ibn_validation.py)
KEY = jax.random.PRNGKey(0)

specials = st.sampled_from([np.nan, np.inf, -np.inf, -1.0, -1e-12, 0.0, 1e-300, 1e300, 5e-324, 1.0])
cond4 = st.lists(specials, min_size=4, max_size=4).map(np.array)


@given(cond4)
def test_fuzz_dense_resistance_conductances(c):
    kind, out = call_gently(KI.effective_resistance_dense, 4, E4, conductances=c)
    if kind == "ok":
        assert np.all(np.asarray(out) >= -1e-12 * np.max(np.abs(np.asarray(out))))
    call_gently(KI.laplacian_dense, 4, E4, conductances=c)
    call_gently(KI.effective_resistance_dense_batched, 4, np.stack([E4, E4]), conductances=np.stack([c, C4]))


@given(bad_arrays())
def test_fuzz_dense_resistance_bad_arrays(c):
    call_gently(KI.effective_resistance_dense, 4, E4, conductances=c)
    call_gently(KI.reff_pairs_pcg, 4, E4, conductances=c, pairs=np.array([[0, 3]]))


@given(bad_sizes())
def test_fuzz_sizes(n):
    call_gently(KI.effective_resistance_dense, n, E4, conductances=C4)
    call_gently(KI.strongly_connected_dense, n, E4, np.ones(4), np.full(4, 2.0))
    call_gently(KI.laplacian_dense, n, E4, conductances=C4)
    call_gently(solve_laplacian, n, E4, np.zeros(4), conductances=C4)
    call_gently(KI.aggregate_comparisons, n, E4)


@given(extreme_positive())
def test_fuzz_scale_homogeneity(s):
    kind, R = call_gently(KI.effective_resistance_dense, 4, E4, conductances=C4 * s)
    assert kind == "ok"
    assert abs(float(R[0, 3]) * s / 0.85 - 1.0) <= 1e-12
    kind, sol = call_gently(solve_laplacian, 4, E4, np.array([1.0, 0.0, 0.0, -1.0]), conductances=C4 * s)
    assert kind == "ok" and abs((sol.x[0] - sol.x[3]) * s / 0.85 - 1.0) <= 1e-12


ids = st.lists(st.sampled_from([-1, 0, 1, 2, 3, 4, 2**31, -(2**40)]), min_size=2, max_size=2)


@given(st.lists(ids, min_size=4, max_size=4).map(np.array))
def test_fuzz_node_ids(e):
    call_gently(KI.simulate_bt, KEY, np.zeros(4), e, np.full(4, 3.0), 1.0)
    call_gently(KI.simulate_bt_continuous, KEY, np.zeros(4), e, np.full(4, 2.0), 1.0)
    call_gently(KI.effective_resistance_dense, 4, e, conductances=C4)
    kind, _ = call_gently(KI.fit_bt_newman, 4, e, np.ones(4), np.full(4, 2.0), 1.0)
    if np.any((e < 0) | (e >= 4)):
        assert kind == "error"


counts4 = st.lists(st.sampled_from([np.nan, np.inf, -1.0, 0.0, 0.5, 1.0, 2.0, 1e12]), min_size=4, max_size=4)


@given(counts4, counts4)
def test_fuzz_counts(w, K):
    w, K = np.array(w), np.array(K)
    call_gently(KI.fit_bt_newman, 4, E4, w, K, 1.0, maxiter=50)
    call_gently(KI.strongly_connected_dense, 4, E4, w, K)
    call_gently(KI.simulate_bt, KEY, np.zeros(4), E4, K, 1.0)


@given(bad_scalars())
def test_fuzz_beta_and_tol(x):
    call_gently(KI.simulate_bt, KEY, np.zeros(4), E4, np.full(4, 2.0), x)
    call_gently(fit_bradley_terry, [[0, 1], [1, 0], [1, 2], [2, 1]], beta=x)
    call_gently(fit_bradley_terry, [[0, 1], [1, 0], [1, 2], [2, 1]], tol=x)


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", 1, (2, 3), None, 1.5]),
                          st.sampled_from(["a", "b", "c", 1, (2, 3), None])), min_size=0, max_size=8),
       st.one_of(st.none(), st.sampled_from([["a", "b", "c"], ["a", "a"], "abc", [[1]]])))
def test_fuzz_bradley_terry_labels(rows, labels):
    kind, fit = call_gently(fit_bradley_terry, rows, labels=labels, prior_strength=1.0)
    if kind == "ok":
        assert len(fit.labels) == len(fit.scores) == fit.n_items
        assert set(fit.as_dict()) == set(fit.labels)


@given(st.integers(1, 50), st.integers(1, 50))
def test_fuzz_two_item_log_odds(a, b):
    # two items: the MLE difference is log(a / b) exactly (independent closed form)
    kind, fit = call_gently(fit_bradley_terry, [["x", "y"]] * a + [["y", "x"]] * b)
    assert kind == "ok"
    assert abs(fit.score_of("x") - fit.score_of("y") - np.log(a / b)) <= 1e-9 * max(1.0, abs(np.log(a / b)))


# ---------------------------------------------------------------------------------------------- dataset generators

@given(bad_sizes(), st.sampled_from([2, 4, 10**12, 2**31, 2**63, -1]), st.sampled_from([1, 3, 10**9, 0, 2**63]))
def test_fuzz_dataset_generator_sizes(n, B, D):
    # every size either fails by name before tracing or gives arrays of the documented shapes
    kind, out = call_gently(KI.chain_pairs, KEY, n, B, D)
    if kind == "ok":
        assert out[0].shape == (2 * n, D) and out[1].shape == (n, 2)
    kind, e = call_gently(KI.chain_cluster_graph, KEY, n, B)
    if kind == "ok":
        assert e.shape == (n, 2) and int(e.min()) >= 0 and int(e.max()) < B
    call_gently(KI.tree_pairs, KEY, n, B, D, 2, 1)
    call_gently(KI.tree_layout, n, 2, D)
    call_gently(KI.er_graph, KEY, B, 4.0)


@given(bad_scalars())
def test_fuzz_er_graph_mean_degree(c):
    kind, out = call_gently(KI.er_graph, KEY, 100, c)
    if kind == "ok":
        assert out[0].shape == (int(c * 50), 2)


@given(bad_sizes(), st.sampled_from([np.array([0]), np.arange(3), np.array([0, 10**12]), np.zeros(0, int)]))
def test_fuzz_hops_bfs_sizes(n, sources):
    call_gently(KI.hops_bfs, n, E4, None, sources)


def test_dataset_generator_caps_are_named_and_raisable():
    from aligntheory.errors import SizeCapError

    # issue 12, "size before work": the cost is computed in Python integers and refused before tracing
    cases = [(lambda **k: KI.chain_pairs(KEY, 10**15, 4, 3, **k), "n", 2 * 10**15 * 3 + 2 * 10**15),
             (lambda **k: KI.chain_cluster_graph(KEY, 10**12, 4, **k), "n", 2 * 10**12),
             (lambda **k: KI.er_graph(KEY, 10**6, 1e308, **k), "c", float("inf")),
             (lambda **k: KI.tree_layout(10, 2, 10**9, **k), "d", float("inf")),
             (lambda **k: KI.tree_pairs(KEY, 10, 10**9, 3, 2, 2, **k), "n", None),
             (lambda **k: KI.hops_bfs(10**9, E4, None, np.array([0]), **k), "n_nodes", 3 * 10**9 + 8)]
    for call, arg, cost in cases:
        try:
            call()
        except SizeCapError as exc:
            assert str(exc).startswith(f"{arg}:") and exc.cap == KI.MAX_DATASET_ENTRIES
            if cost is not None:
                assert exc.cost == cost
        else:
            raise AssertionError(f"{arg}: no SizeCapError")
    # the cap is a parameter: 2 n D + 2 n = 80 entries for n = 10, D = 3
    with pytest.raises(SizeCapError):
        KI.chain_pairs(KEY, 10, 4, 3, max_entries=79)
    resp, pairs = KI.chain_pairs(KEY, 10, 4, 3, max_entries=80)
    assert resp.shape == (20, 3) and pairs.shape == (10, 2)
    # tree_pairs with a raised cap: its internal layout must not re-apply the default cap
    ds = KI.tree_pairs(KEY, 3, 2**29, 2, 2, 1, max_entries=2**31)
    assert ds.responses.shape == (6, 2)  # b = 2, d = 1: one comparison and 2 leaves per tree, 3 trees

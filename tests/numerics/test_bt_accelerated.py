"""The compiled (numba) route of fit_bradley_terry / aggregate_comparisons against independent routes.

Every check compares the numba route with something it does not share code with: a Counter over
the rows (aggregation), networkx (strong connectivity), closed forms with scipy's expit/log_expit
(Newman's sums, log-likelihood), choix (the fit) -- and with the numpy route, which must give the
same scores to rounding (1e-12 relative: both stop at a gradient norm <= tol after the same
iterations; their per-pair sums differ only in the last bits).
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import expit, log_expit

from aligntheory.errors import InvalidInputError, MissingDependencyError
from aligntheory.numerics import _bt_fit as BF
from aligntheory.numerics import aggregate_comparisons, fit_bradley_terry
from tests.fuzz._harness import bad_arrays, call_gently

NB = pytest.importorskip("aligntheory.numerics._bt_numba", reason="numba (the 'fast' extra) is in the test extra")


def _data(seed, n, m, spread=1.0, pairs=None):
    rng = np.random.default_rng(seed)
    r = rng.normal(0.0, spread, n)
    if pairs is None:
        a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    else:
        P = rng.integers(0, n, size=(pairs, 2))
        P = P[P[:, 0] != P[:, 1]]
        i = rng.integers(0, len(P), m)
        a, b = P[i, 0], P[i, 1]
    a, b = a[a != b], b[a != b]
    win = rng.random(len(a)) < expit(r[a] - r[b])
    return np.stack([np.where(win, a, b), np.where(win, b, a)], 1)


def _counter_route(n, rows, wt=None):
    """Aggregation by a dict over the rows (independent of both routes)."""
    W, K = Counter(), Counter()
    for i, (a, b) in enumerate(rows.tolist()):
        x = 1.0 if wt is None else float(wt[i])
        key = (min(a, b), max(a, b))
        K[key] += x
        W[key] += x if a < b else 0.0
    keys = sorted(k for k in K if K[k] > 0)
    return (np.array(keys, np.int64).reshape(-1, 2), np.array([W[k] for k in keys]), np.array([K[k] for k in keys]))


# ---------------------------------------------------------------------------------------------- aggregation


@pytest.mark.parametrize("n,m", [(2, 1), (7, 200), (300, 5000), (50, 20_000)])
def test_aggregation_matches_a_counter(n, m):
    rows = _data(n + m, n, m)
    e, w, K = aggregate_comparisons(n, rows, accelerator="numba")
    e0, w0, K0 = _counter_route(n, rows)
    np.testing.assert_array_equal(e, e0)
    np.testing.assert_array_equal(w, w0)  # integer counts: exact
    np.testing.assert_array_equal(K, K0)
    e1, w1, K1 = aggregate_comparisons(n, rows, accelerator="numpy")
    assert np.array_equal(e, e1) and np.array_equal(w, w1) and np.array_equal(K, K1)


def test_weighted_aggregation_sums_in_input_order_and_drops_zero_pairs():
    rng = np.random.default_rng(3)
    rows = _data(3, 40, 3000)
    wt = rng.random(len(rows)) * (rng.random(len(rows)) < 0.7)  # many zero weights: some pairs vanish
    e, w, K = aggregate_comparisons(40, rows, wt, accelerator="numba")
    e0, w0, K0 = _counter_route(40, rows, wt)  # the Counter also adds in input order
    np.testing.assert_array_equal(e, e0)
    np.testing.assert_array_equal(w, w0)
    np.testing.assert_array_equal(K, K0)
    out = aggregate_comparisons(40, rows, wt, accelerator="numpy")
    assert all(np.array_equal(x, y) for x, y in zip(out, (e, w, K)))  # bit-identical to the numpy route


@given(st.integers(2, 12), st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), min_size=1, max_size=60),
       st.booleans())
def test_aggregation_property(n, rows, weighted):
    rows = np.array([(a % n, b % n) for a, b in rows], np.int64)
    wt = (np.arange(len(rows)) % 3) * 0.5 if weighted else None
    try:
        ref = aggregate_comparisons(n, rows, wt, accelerator="numpy")
    except InvalidInputError as exc:
        with pytest.raises(InvalidInputError) as got:
            aggregate_comparisons(n, rows, wt, accelerator="numba")
        assert str(got.value) == str(exc)  # same error, same message (the numpy route reports it)
        return
    out = aggregate_comparisons(n, rows, wt, accelerator="numba")
    assert all(np.array_equal(x, y) for x, y in zip(out, ref))
    e0, w0, K0 = _counter_route(n, rows, wt)
    assert np.array_equal(out.edges, e0) and np.array_equal(out.K, K0)


@pytest.mark.parametrize("rows,counts", [([[0, 5]], None), ([[1, 1]], None), ([[-1, 0]], None),
                                         ([[0, 1], [1, 0]], [1.0, -1.0]), ([[0, 1], [1, 0]], [1.0, np.nan])])
def test_aggregation_errors_are_the_numpy_routes(rows, counts):
    errs = []
    for acc in ("numpy", "numba"):
        with pytest.raises(InvalidInputError) as exc:
            aggregate_comparisons(3, np.array(rows), counts, accelerator=acc)
        errs.append(str(exc.value))
    assert errs[0] == errs[1]


# ---------------------------------------------------------------------------------------------- existence


def _nx_strongly_connected(n, e, w, K):
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_edges_from((int(u), int(v)) for (u, v), x in zip(e, w) if x > 0)
    G.add_edges_from((int(v), int(u)) for (u, v), x, k in zip(e, w, K) if k - x > 0)
    return nx.is_strongly_connected(G)


@pytest.mark.parametrize("seed", range(12))
def test_strong_connectivity_matches_networkx(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 40))
    rows = _data(seed, n, int(rng.integers(1, 4 * n)), spread=float(rng.choice([0.5, 3.0])))
    e, w, K = aggregate_comparisons(n, rows)
    assert NB.strongly_connected(n, e, w, K) == _nx_strongly_connected(n, e, w, K)
    assert NB._strongly_connected_bfs(n, e, w, K) == _nx_strongly_connected(n, e, w, K)


@pytest.mark.parametrize("close", [True, False])
def test_strong_connectivity_on_a_shuffled_cycle_needs_the_search(close):
    """A directed cycle through the items in random id order: the sweeps cannot reach every item in
    three passes, so the O(N + E) search decides (open cycle: not strongly connected)."""
    rng = np.random.default_rng(1)
    n = 400
    order = rng.permutation(n)
    rows = np.stack([order, np.roll(order, -1)], 1)[: n if close else n - 1]
    e, w, K = aggregate_comparisons(n, rows)
    if close:
        assert NB._sweeps(n, e, w, K) == -1  # undecided after three sweeps: the search runs
    assert NB.strongly_connected(n, e, w, K) is close
    fit = fit_bradley_terry(rows, n_items=n, accelerator="numba", throw=False, stderr="none")
    ref = fit_bradley_terry(rows, n_items=n, accelerator="numpy", throw=False, stderr="none")
    assert fit.result == ref.result


# ---------------------------------------------------------------------------------------------- kernels


def test_newman_sums_and_loglik_closed_forms():
    rng = np.random.default_rng(5)
    n = 60
    e, w, K = aggregate_comparisons(n, _data(5, n, 2000))
    theta = rng.normal(0, 4, n)
    c = 0.5 * (theta.max() + theta.min())
    A, B = NB.newman_sums(theta, e, w, K, c)
    u, v = e[:, 0], e[:, 1]
    d = theta[u] - theta[v]
    # A_i = sum_j w_ij sigma(theta_j - theta_i), B_i = sum_j w_ji sigma(theta_i - theta_j)
    A0 = np.bincount(u, w * expit(-d), n) + np.bincount(v, (K - w) * expit(d), n)
    B0 = np.bincount(v, w * expit(-d), n) + np.bincount(u, (K - w) * expit(d), n)
    np.testing.assert_allclose(A, A0, rtol=1e-13)
    np.testing.assert_allclose(B, B0, rtol=1e-13)
    ll0 = float(np.sum(w * log_expit(d) + (K - w) * log_expit(-d)))
    assert abs(NB.loglik(theta, e, w, K, c) - ll0) <= 1e-12 * abs(ll0)


def test_wide_score_range_uses_the_tanh_form():
    """Beyond SPAN_MAX the exponentials would over/underflow: the numba work object hands over to
    the numpy tanh route, which stays finite."""
    n = 4
    e = np.array([[0, 1], [1, 2], [2, 3]])
    w, K = np.array([1.0, 2.0, 0.0]), np.array([2.0, 2.0, 1.0])
    theta = np.array([-900.0, -10.0, 10.0, 900.0])
    Wn = BF._NumbaWork(n, e, w, K, 0.0, NB)
    W0 = BF._Work(n, e, w, K, 0.0)
    for x, y in zip(Wn.newman_sums(theta), W0.newman_sums(theta)):
        assert np.all(np.isfinite(x)) and np.array_equal(x, y)
    assert Wn.loglik_at(theta) == W0.loglik_at(theta)


# ---------------------------------------------------------------------------------------------- fits


CASES = {
    "dense": dict(n=400, m=40_000),
    "few pairs, many repeats": dict(n=300, m=30_000, pairs=2000),
    "sparse": dict(n=1000, m=25_000, spread=0.5),
    "prior": dict(n=200, m=3000, prior=2.0),
    "weights": dict(n=150, m=6000, weights=True),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("method", ["auto", "newman", "newton"])
def test_numba_and_numpy_routes_agree(case, method):
    p = dict(CASES[case])
    prior, weights = p.pop("prior", 0.0), p.pop("weights", False)
    rows = _data(len(case), **p)
    wt = np.random.default_rng(0).integers(1, 4, len(rows)) * 0.5 if weights else None
    fits = [fit_bradley_terry(rows, n_items=p["n"], counts=wt, prior_strength=prior, method=method, accelerator=acc,
                              stderr="none") for acc in ("numba", "numpy")]
    a, b = fits
    assert a.converged and b.converged and a.grad_norm <= 1e-10
    assert (a.method, a.iterations, a.solver, a.n_pairs) == (b.method, b.iterations, b.solver, b.n_pairs)
    scale = max(1.0, float(np.max(np.abs(b.scores))))
    assert np.max(np.abs(a.scores - b.scores)) <= 1e-12 * scale
    assert abs(a.loglik - b.loglik) <= 1e-12 * abs(b.loglik)


def test_numba_route_matches_choix_on_dense_pairs():
    choix = pytest.importorskip("choix")
    n = 500
    rows = _data(11, n, 50_000)
    fit = fit_bradley_terry(rows, n_items=n, accelerator="numba", stderr="none")
    ref = choix.ilsr_pairwise(n, rows, alpha=0.0, tol=1e-12)
    # both at the MLE: choix stops on a parameter change of 1e-12, ours at |grad| <= 1e-10 with Fisher
    # eigenvalues >= ~10 here, so the two agree to well below 1e-6
    assert np.max(np.abs(fit.scores - (ref - ref.mean()))) <= 1e-6


def test_chain_hands_over_to_newton_on_both_routes():
    rng = np.random.default_rng(2)
    n = 2000
    u = np.repeat(np.arange(n - 1), 20)
    r = np.cumsum(rng.normal(0, 0.1, n))
    win = rng.random(len(u)) < expit(r[u] - r[u + 1])
    rows = np.stack([np.where(win, u, u + 1), np.where(win, u + 1, u)], 1)
    a = fit_bradley_terry(rows, n_items=n, accelerator="numba", stderr="none")
    b = fit_bradley_terry(rows, n_items=n, accelerator="numpy", stderr="none")
    assert a.method == b.method == "newman+newton" and a.solver == b.solver
    assert np.max(np.abs(a.scores - b.scores)) <= 1e-12 * max(1.0, float(np.max(np.abs(b.scores))))


def test_numba_route_is_deterministic():
    rows = _data(9, 300, 30_000)
    a = fit_bradley_terry(rows, n_items=300, accelerator="numba", stderr="none")
    b = fit_bradley_terry(rows, n_items=300, accelerator="numba", stderr="none")
    assert np.array_equal(a.scores, b.scores) and a.loglik == b.loglik  # bit-identical


def test_disconnected_is_reported_the_same_way():
    rows = np.concatenate([_data(1, 50, 3000), _data(2, 50, 3000) + 50])  # two separate leagues
    errs = []
    for acc in ("numba", "numpy"):
        fit = fit_bradley_terry(rows, n_items=100, accelerator=acc, throw=False)
        assert fit.result.name == "disconnected"
        errs.append(fit.method)
    assert errs[0] == errs[1]


# ---------------------------------------------------------------------------------------------- dispatch


def test_auto_switches_by_size_and_small_fits_do_not_import_numba():
    code = ("import sys, numpy as np; from aligntheory.numerics import fit_bradley_terry as f; "
            "f([[0, 1], [1, 0], [1, 2], [2, 1], [0, 2], [2, 0]] * 2); print('numba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
    assert BF.kernels_for("auto", BF.NUMBA_MIN_ROWS - 1) is None
    assert BF.kernels_for("auto", BF.NUMBA_MIN_ROWS) is NB
    assert BF.kernels_for("numpy", 10**9) is None


def test_missing_numba_names_the_fast_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba -> ImportError
    monkeypatch.delitem(sys.modules, "aligntheory.numerics._bt_numba")
    monkeypatch.setattr(BF, "_NB", [])
    rows = _data(0, 30, 25_000)
    with pytest.raises(MissingDependencyError, match=r"aligntheory\[fast\]"):
        fit_bradley_terry(rows, n_items=30, accelerator="numba")
    fit = fit_bradley_terry(rows, n_items=30)  # auto: the numpy route, no error
    ref = fit_bradley_terry(rows, n_items=30, accelerator="numpy")
    assert np.array_equal(fit.scores, ref.scores)


def test_bad_accelerator():
    with pytest.raises(InvalidInputError, match="accelerator"):
        fit_bradley_terry([[0, 1], [1, 0]], accelerator="gpu")
    with pytest.raises(InvalidInputError, match="accelerator"):
        aggregate_comparisons(2, [[0, 1]], accelerator="numba ")


# ---------------------------------------------------------------------------------------------- fuzz


@given(bad_arrays(max_len=8), st.sampled_from([None, "counts"]))
def test_fuzz_numba_route_fails_gently(arr, with_counts):
    """Bad comparisons (and counts) through the compiled route end in a named error or a finite result."""
    counts = arr if with_counts else None
    call_gently(aggregate_comparisons, 4, [[0, 1], [1, 0]], counts, accelerator="numba")
    call_gently(aggregate_comparisons, 4, arr, accelerator="numba")
    call_gently(fit_bradley_terry, arr, n_items=4, accelerator="numba", prior_strength=1.0)


@given(st.lists(st.tuples(st.integers(-2, 6), st.integers(-2, 6)), min_size=1, max_size=30),
       st.lists(st.sampled_from([0.0, 0.5, 1.0, 3.0, 1e300, -1.0, np.nan, np.inf]), min_size=30, max_size=30))
def test_fuzz_numba_and_numpy_routes_fail_alike(rows, wts):
    rows = np.array(rows, np.int64)
    wt = np.array(wts[: len(rows)])
    outs = []
    for acc in ("numba", "numpy"):
        kind, out = call_gently(fit_bradley_terry, rows, n_items=7, counts=wt, prior_strength=0.5,
                                accelerator=acc, stderr="none")
        outs.append((kind, type(out).__name__, str(out) if kind != "ok" else out.scores))
    (k_nb, t_nb, o_nb), (k_np, t_np, o_np) = outs
    if k_np == "ok":  # the numba route never fails where the numpy route succeeds
        assert k_nb == "ok"
        np.testing.assert_allclose(o_nb, o_np, rtol=0, atol=1e-9)  # both at |grad| <= 1e-10
    elif k_nb == "error":
        assert t_nb == t_np
    else:  # only at extreme counts (~1e300), where the numpy route's tanh form loses sigma(d) ~ e^-700
        assert np.nanmax(wt) > 1e100


def test_one_specialisation_per_kernel_whatever_the_input_arrays():
    """Read-only, int32, Fortran-ordered or strided inputs reach the kernels as the one array type
    they were compiled for (no second compilation, which would cost seconds)."""
    rows = _data(4, 60, 25_000)
    fit_bradley_terry(rows, n_items=60, counts=np.ones(len(rows)), accelerator="numba")
    fit_bradley_terry(rows, n_items=60, accelerator="numba")
    kern = (NB._sort_rows, NB._runs, NB._runs_weighted, NB._sweeps, NB.newman_sums, NB.loglik)
    before = [len(k.signatures) for k in kern]
    ro = rows.copy()
    ro.flags.writeable = False
    variants = [ro, rows.astype(np.int32), np.asfortranarray(rows), np.repeat(rows, 2, axis=0)[::2]]
    for x in variants:
        a = fit_bradley_terry(x, n_items=60, accelerator="numba", stderr="none")
        wt = np.ones(len(x))
        wt.flags.writeable = False
        b = fit_bradley_terry(x, n_items=60, counts=wt, accelerator="numba", stderr="none")
        assert np.max(np.abs(a.scores - b.scores)) <= 1e-12
    assert [len(k.signatures) for k in kern] == before


def test_unusable_numba_falls_back_with_a_warning(monkeypatch):
    """A numba that imports but fails (e.g. no writable cache directory) must not break auto fits."""
    import importlib

    real = importlib.import_module

    def broken(name, *a, **k):
        if name == "aligntheory.numerics._bt_numba":
            raise RuntimeError("cannot cache function: no locator available")
        return real(name, *a, **k)

    monkeypatch.setattr(BF.importlib, "import_module", broken)
    monkeypatch.setattr(BF, "_NB", [])
    with pytest.warns(RuntimeWarning, match="numpy route"):
        assert BF.kernels_for("auto", 10**6) is None
    with pytest.raises(RuntimeError, match="no locator"):
        BF.kernels_for("numba", 10)


@pytest.mark.parametrize("gap", [0.0, 1e-3, 5.0, 30.0, 400.0])
@pytest.mark.parametrize("split", [True, False])
def test_loglik_of_nearly_separated_pairs_is_accurate(gap, split):
    """Large gaps with every comparison won by the favourite: the log-likelihood (about -K e^-gap)
    is tiny against K|theta|; the kernel must not lose it to cancellation (independent route:
    scipy's log_expit)."""
    e = np.array([[0, 1], [1, 2]])
    w, K = np.array([1e6, 3.0 if split else 5.0]), np.array([1e6, 5.0])
    theta = np.array([gap, 0.0, -gap])
    d = theta[e[:, 0]] - theta[e[:, 1]]
    ref = float(np.sum(w * log_expit(d) + (K - w) * log_expit(-d)))
    got = NB.loglik(theta, e, w, K, 0.0)
    assert abs(got - ref) <= 1e-13 * abs(ref) + 1e-300, (got, ref)

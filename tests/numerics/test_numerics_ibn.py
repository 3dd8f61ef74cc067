"""Host-side numerics of the IBN pillar: no JAX, labels, result objects, the failure contract."""

from __future__ import annotations

import subprocess
import sys

import networkx as nx
import numpy as np
import pytest

from aligntheory.errors import ConvergenceError, DisconnectedGraphError, InvalidInputError, PrecisionError, SizeCapError
from aligntheory.numerics import (BTFit, LaplacianSolver, aggregate_comparisons, fit_bradley_terry, solve_laplacian,
                                  tree_elimination_order)
from aligntheory.results import RESULTS


def test_importing_numerics_does_not_load_jax():
    code = ("import sys, aligntheory.numerics as N; "
            "N.fit_bradley_terry([[0, 1], [1, 0]]); N.solve_laplacian(2, [[0, 1]], [1.0, -1.0], conductances=[1.0]); "
            "print('jax' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_kernels_path_reexports_the_same_objects():
    from aligntheory.kernels import ibn as KI

    assert KI.fit_bradley_terry is fit_bradley_terry and KI.BTFit is BTFit
    assert KI.aggregate_comparisons is aggregate_comparisons and KI.solve_laplacian is solve_laplacian


# ---------------------------------------------------------------------------------------------- labels


def _two_item_log_odds(wins, losses):
    return float(np.log(wins / losses))  # two items: the MLE difference is the empirical log-odds


def test_string_labels_sorted_and_mapped():
    data = [("llama", "gpt"), ("gpt", "llama"), ("gpt", "llama"), ("gpt", "claude"), ("claude", "gpt"),
            ("claude", "llama"), ("llama", "claude")]
    fit = fit_bradley_terry(data)
    assert fit.labels == ("claude", "gpt", "llama")  # sorted: the documented order
    d = fit.as_dict()
    assert list(d) == list(fit.labels)
    # the same data with integer ids in another order: same scores per name (independent encoding)
    names = ["gpt", "llama", "claude"]
    idx = np.array([[names.index(a), names.index(b)] for a, b in data])
    ref = fit_bradley_terry(idx)
    for i, nm in enumerate(names):
        assert abs(d[nm] - ref.scores[i]) <= 1e-9
        assert fit.score_of(nm) == d[nm]


def test_label_order_stable_under_resampling():
    rng = np.random.default_rng(0)
    names = np.array(["m%02d" % i for i in range(12)])
    strength = rng.normal(size=12)
    a = rng.integers(0, 12, 3000)
    b = (a + rng.integers(1, 12, 3000)) % 12
    win = rng.random(3000) < 1 / (1 + np.exp(-(strength[a] - strength[b])))
    data = np.stack([names[np.where(win, a, b)], names[np.where(win, b, a)]], 1)
    f1 = fit_bradley_terry(data)
    f2 = fit_bradley_terry(data[rng.permutation(len(data))][:2500])
    assert f1.labels == f2.labels == tuple(sorted(names.tolist()))
    # with labels= the order is the user's, and the fit is the same function of the data
    f3 = fit_bradley_terry(data, labels=names[::-1].tolist())
    assert f3.labels == tuple(names[::-1].tolist())
    for nm in names:
        assert abs(f3.score_of(nm) - f1.score_of(nm)) <= 1e-8


def test_any_hashable_ids_two_items():
    a, b = ("model", 1), ("model", 2)
    fit = fit_bradley_terry([(a, b), (a, b), (a, b), (b, a)])
    assert abs(fit.score_of(a) - fit.score_of(b) - _two_item_log_odds(3, 1)) <= 1e-9
    # ids that cannot be sorted together: order of first appearance
    fit2 = fit_bradley_terry([("x", 3), (3, "x"), ("x", 3)])
    assert fit2.labels == ("x", 3)


def test_labels_errors():
    with pytest.raises(InvalidInputError) as ei:
        fit_bradley_terry([("a", "b"), ("b", "zz")], labels=["a", "b"])
    assert ei.value.argument == "comparisons" and "zz" in str(ei.value)
    with pytest.raises(InvalidInputError) as ei:
        fit_bradley_terry([("a", "b")], labels=["a", "a", "b"])
    assert ei.value.argument == "labels"
    with pytest.raises(InvalidInputError) as ei:
        fit_bradley_terry([("a", "b", "c")])
    assert ei.value.argument == "comparisons"
    with pytest.raises(InvalidInputError) as ei:
        fit_bradley_terry([("a", "b")], n_items=2)
    assert ei.value.argument == "n_items"


def test_uncompared_label_needs_prior():
    data = [("a", "b"), ("b", "a")]
    with pytest.raises(DisconnectedGraphError) as ei:
        fit_bradley_terry(data, labels=["a", "b", "c"])
    assert ["c"] in [[x] for x in ("c",)] and "'c'" in str(ei.value)
    fit = fit_bradley_terry(data, labels=["a", "b", "c"], prior_strength=2.0)
    assert fit.labels == ("a", "b", "c") and np.all(np.isfinite(fit.scores))


def test_legacy_positional_n_items_form():
    a = fit_bradley_terry(4, [[0, 1], [1, 0], [1, 2], [2, 1]], prior_strength=1.0)
    b = fit_bradley_terry([[0, 1], [1, 0], [1, 2], [2, 1]], n_items=4, prior_strength=1.0)
    np.testing.assert_array_equal(a.scores, b.scores)
    assert a.labels == (0, 1, 2, 3)


# ---------------------------------------------------------------------------------------------- contract


def test_btfit_is_frozen_and_has_no_info_dict():
    fit = fit_bradley_terry([[0, 1], [1, 0]])
    with pytest.raises(Exception):
        fit.scores = None  # type: ignore[misc]
    assert not hasattr(fit, "info") and fit.result is RESULTS.successful and fit.converged


def test_throw_false_flags_instead_of_raising():
    data = np.array([[0, 1], [1, 2], [2, 0], [1, 0], [0, 2]] * 3)
    with pytest.raises(ConvergenceError) as ei:
        fit_bradley_terry(data, method="newman", maxiter=2, tol=1e-14)
    assert ei.value.result is RESULTS.max_steps_reached and ei.value.last_iterate.shape == (3,)
    fit = fit_bradley_terry(data, method="newman", maxiter=2, tol=1e-14, throw=False)
    assert fit.result is RESULTS.max_steps_reached and not fit.converged
    bad = fit_bradley_terry([[0, 1], [0, 1]], throw=False)
    assert bad.result is RESULTS.disconnected and np.all(np.isnan(bad.scores))


@pytest.mark.parametrize("counts", [[1.0, np.nan], [1.0, -1.0], [1.0, np.inf]])
def test_bad_counts(counts):
    with pytest.raises(InvalidInputError) as ei:
        fit_bradley_terry([[0, 1], [1, 0]], counts=counts)
    assert ei.value.argument == "counts"


def test_float32_counts_precision_error():
    with pytest.raises(PrecisionError):
        fit_bradley_terry([[0, 1], [1, 0]], counts=np.ones(2, np.float32))
    with pytest.raises(PrecisionError):
        solve_laplacian(2, [[0, 1]], np.array([1.0, -1.0]), conductances=np.ones(1, np.float32))


def test_size_caps_before_work():
    with pytest.raises(SizeCapError) as ei:
        fit_bradley_terry([[0, 10**12]])
    assert ei.value.argument == "n_items"
    with pytest.raises(SizeCapError):
        aggregate_comparisons(10**15, [[0, 1]])
    with pytest.raises(SizeCapError):
        solve_laplacian(10**15, [[0, 1]], [1.0, -1.0], conductances=[1.0])
    with pytest.raises(SizeCapError):
        LaplacianSolver(30_000, [[0, 1]], method="dense")


# ---------------------------------------------------------------------------------------------- solver


def test_solve_laplacian_returns_statistics_not_state():
    S = LaplacianSolver(3, np.array([[0, 1], [1, 2]]))
    sol = S.solve(np.ones(2), np.array([1.0, 0.0, -1.0]))
    assert sol.method == "dense" and sol.iterations == 0 and sol.residual <= 1e-14
    assert not hasattr(S, "last_method") and not hasattr(S, "last_iterations")


def _nx_reff(n, e, c, u, v):
    G = nx.Graph()
    G.add_nodes_from(range(n))
    for (a, b), w in zip(e, c):
        G.add_edge(int(a), int(b), weight=w)  # invert_weight=False: the weight is the conductance
    return nx.resistance_distance(G, u, v, weight="weight", invert_weight=False)


@pytest.mark.parametrize("scale", [1e-300, 1e-150, 1.0, 1e150, 1e300])
def test_solve_laplacian_scale_invariant(scale):
    # R(0, 3) on a weighted 4-cycle with a chord; reference by networkx at scale 1, then R / scale
    e = np.array([[0, 1], [1, 2], [2, 3], [3, 0], [0, 2]])
    c = np.array([1.0, 2.0, 0.5, 3.0, 1.5])
    ref = _nx_reff(4, e, c, 0, 3) / scale
    b = np.array([1.0, 0.0, 0.0, -1.0])
    for method in ("dense", "splu", "pcg"):
        sol = solve_laplacian(4, e, b, conductances=c * scale, method=method)
        assert abs((sol.x[0] - sol.x[3]) / ref - 1.0) <= 1e-12, method


def test_solve_laplacian_bad_conductances():
    for bad in (np.nan, np.inf, -1e-12):
        with pytest.raises(InvalidInputError) as ei:
            solve_laplacian(2, [[0, 1]], [1.0, -1.0], conductances=[bad])
        assert ei.value.argument == "conductances"


def test_solve_laplacian_inaccurate_is_flagged():
    # a path whose weights span 1e-200 .. 1: grounded LU loses the small edge entirely -> flagged, not silent
    e = np.array([[0, 1], [1, 2], [2, 3]])
    c = np.array([1.0, 1e-200, 1.0])
    b = np.array([1.0, 0.0, 0.0, -1.0])
    sol = solve_laplacian(4, e, b, conductances=c, throw=False)
    if sol.result.succeeded:  # then it must be right
        assert abs((sol.x[0] - sol.x[3]) / (2.0 + 1e200) - 1.0) <= 1e-8
    else:
        with pytest.raises(PrecisionError):
            solve_laplacian(4, e, b, conductances=c)


def test_tree_order_conductances_keyword():
    t = tree_elimination_order(3, [[0, 1], [1, 2]], conductances=[1.0, 5.0])
    assert t.is_root.tolist() == [False, True, False]
    with pytest.raises(InvalidInputError):
        tree_elimination_order(3, [[0, 1], [1, 2]], conductances=[1.0, np.nan])


@pytest.mark.parametrize("bad_row, col", [(0, 0), (3, 1), (5, 0)])
def test_an_unknown_label_is_reported_with_its_row(bad_row, col):
    """A string comparisons array with one id outside ``labels``: the error names that row (first
    occurrence), so a user can find it in a large file."""
    comps = np.array([["a", "b"], ["b", "c"], ["c", "a"], ["a", "c"], ["b", "a"], ["c", "b"]], dtype="<U4")
    comps[bad_row, col] = "zz"
    with pytest.raises(InvalidInputError, match=rf"row {bad_row}: 'zz'") as ei:
        fit_bradley_terry(comps, labels=["a", "b", "c"])
    assert ei.value.argument == "comparisons"


@pytest.mark.parametrize("accelerator", ["numpy", "numba"])
def test_pair_counts_beyond_two_to_the_53_are_refused_before_work(accelerator):
    """Above 2**53 comparisons of one pair, K - w is not exact in float64 (found by the non-CI fuzz run:
    counts 1e300 with a prior overflowed in the numpy route and 'succeeded' in the numba one)."""
    pytest.importorskip("numba") if accelerator == "numba" else None
    ok = fit_bradley_terry(np.array([[1, 0], [0, 1]]), counts=np.array([2.0**52, 2.0**52]), accelerator=accelerator)
    assert np.allclose(ok.scores, 0.0, atol=1e-12)  # equal wins: equal scores (the closed form)
    with pytest.raises(PrecisionError, match="2\\*\\*53"):
        fit_bradley_terry(np.array([[1, 0], [0, 1]]), counts=np.array([2.0**53, 2.0]), accelerator=accelerator)
    with pytest.raises(PrecisionError):
        fit_bradley_terry(np.array([[1, 0]]), n_items=7, counts=np.array([1e300]), prior_strength=0.5,
                          accelerator=accelerator, stderr="none")

"""Scale-safe numerics and size caps of the IBN theory layer (issue #12).

Regression tests for every issue-12 example that concerns ``aligntheory.theory.ibn``, scaling
properties over 1e-300 .. 1e300, and the positive-arithmetic fallback against exact rational
arithmetic (sympy) on weights spanning up to 24 decades.
"""

from __future__ import annotations

import warnings
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from aligntheory.errors import InvalidInputError, PrecisionError, SizeCapError
from aligntheory.theory import ibn as T
from aligntheory.theory.ibn import _graph as G

_EPS = float(np.finfo(float).eps)
SCALES = st.sampled_from([1e-300, 1e-200, 1e-100, 1e-30, 1e-8, 0.3, 1.0, 7.0, 1e8, 1e30, 1e100, 1e200, 1e300])


def exact_reff(n, edges, variances, pairs):
    """Effective resistances in exact rational arithmetic (sympy), from the grounded Laplacian."""
    L = sp.zeros(n, n)
    for (a, b), v in zip(edges, variances):
        c = 1 / sp.Rational(Fraction(float(v)).numerator, Fraction(float(v)).denominator)
        L[a, a] += c
        L[b, b] += c
        L[a, b] -= c
        L[b, a] -= c
    out = []
    for u, w in pairs:
        keep = [i for i in range(n) if i != w]
        Lg = L.extract(keep, keep)
        rhs = sp.zeros(n - 1, 1)
        rhs[keep.index(u)] = 1
        out.append(float(Lg.LUsolve(rhs)[keep.index(u)]))
    return np.array(out)


# issue 12: the examples ------------------------------------------------------------------------


def test_single_edge_of_variance_1e300():
    got = T.effective_resistance(2, [[0, 1]], variances=[1e300], pairs=[[0, 1]])
    assert got[0] == pytest.approx(1e300, rel=1e-15, abs=0.0)
    with pytest.warns(DeprecationWarning, match="by keyword"):  # the README's positional form still works
        assert T.effective_resistance(2, [[0, 1]], [1e300], pairs=[[0, 1]])[0] == pytest.approx(1e300, rel=1e-15, abs=0.0)


def test_path_with_variances_sixteen_decades_apart():
    got = T.effective_resistance(3, [[0, 1], [1, 2]], variances=[1e-8, 1e8], pairs=[[0, 2]])
    assert got[0] == pytest.approx(1e8 + 1e-8, rel=1e-15, abs=0.0)
    full = T.effective_resistance(3, [[0, 1], [1, 2]], variances=[1e-8, 1e8])
    assert full[0, 2] == pytest.approx(1e8 + 1e-8, rel=1e-15, abs=0.0)
    assert full[0, 1] == pytest.approx(1e-8, rel=1e-12, abs=0.0)


def test_foster_sum_single_edge_1e300():
    assert T.foster_sum(2, [[0, 1]], variances=[1e300]) == pytest.approx(1.0, rel=1e-14, abs=0.0)


@pytest.mark.parametrize("v", [1e-300, 5e-324, 1e-320])
def test_tiny_variance_no_linalg_error(v):
    got = T.effective_resistance(2, [[0, 1]], variances=[v], pairs=[[0, 1]])
    assert got[0] == pytest.approx(v, rel=1e-12, abs=0.0)


@pytest.mark.parametrize("kw,arg", [
    (dict(kind="complete", N=-1), "N"),
    (dict(kind="complete", N=1), "N"),
    (dict(kind="complete", c=0), "c"),
    (dict(kind="path", c=-2), "c"),
    (dict(kind="cycle", N=5, k=6), "k"),
    (dict(kind="path", N=5, k=5), "k"),
    (dict(kind="cycle", k=-1), "k"),
    (dict(kind="cycle", N=2.5), "N"),
    (dict(kind="star", c=sp.I), "c"),
    (dict(kind="complete", c=sp.oo), "c"),
])
def test_closed_form_reff_refuses_numeric_values_outside_the_family(kw, arg):
    kind = kw.pop("kind")
    with pytest.raises(InvalidInputError, match=f"^{arg}:"):
        T.closed_form_reff(kind, **kw)


def test_closed_form_reff_accepts_symbols_and_valid_numbers():
    N = sp.Symbol("N", positive=True)
    c = sp.Symbol("c", positive=True)
    assert sp.simplify(T.closed_form_reff("cycle", N=N, k=2).subs(sp.Symbol("N", positive=True), N)
                       - 2 * (N - 2) / (N * c)) == 0
    assert T.closed_form_reff("cycle", N=6, c=2, k=3) == sp.Rational(3 * 3, 12)


@pytest.mark.parametrize("beta", [1e-300, 1e-160])
def test_hp_edge_var_tiny_beta_is_a_named_error_not_zero_division(beta):
    with pytest.raises(PrecisionError, match="overflows"):
        T.hp_edge_var(beta, feedback="binary", p=0.5)
    with pytest.raises(PrecisionError):
        T.hp_edge_var(beta, feedback="continuous")


def test_hp_edge_var_exact_where_representable():
    # 4 / beta^2 with beta = 1e-150: 4e300, representable although beta^2 underflows
    assert T.hp_edge_var(1e-150, feedback="binary", p=0.5) == pytest.approx(4e300, rel=1e-15, abs=0.0)
    assert T.hp_edge_var(1e150, feedback="continuous", estimator="mle") == pytest.approx(3e-300, rel=1e-15, abs=0.0)


@pytest.mark.parametrize("method", ["grounded", "pinv", "cholesky", "sparse"])
def test_tol_is_validated_for_every_method(method):
    for bad in ("abc", -1.0, 0.0, float("nan"), 1.0):
        with pytest.raises(InvalidInputError, match="^tol:"):
            T.effective_resistance(3, [[0, 1], [1, 2]], variances=[1.0, 1.0], pairs=[[0, 2]], method=method, tol=bad)


def test_conductances_keyword_is_the_reciprocal_of_variances():
    e = [[0, 1], [1, 2], [0, 2]]
    a = T.effective_resistance(3, e, variances=[2.0, 4.0, 8.0])
    b = T.effective_resistance(3, e, conductances=[0.5, 0.25, 0.125])
    np.testing.assert_allclose(a, b, rtol=1e-14)
    with pytest.raises(InvalidInputError, match="exactly one"):
        T.effective_resistance(3, e, variances=[1.0] * 3, conductances=[1.0] * 3)


# size caps --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fn", [T.laplacian, T.kirchhoff_index, T.foster_sum, T.effective_resistance,
                                T.shortest_path_variance])
def test_size_caps_before_work(fn):
    n = 10**15
    with pytest.raises(SizeCapError, match="^n_nodes:") as exc:
        fn(n, [[0, 1]], variances=[1.0])
    assert exc.value.cost == n
    with pytest.raises(SizeCapError):
        fn(50, [[i, i + 1] for i in range(49)], variances=[1.0] * 49, max_nodes=10)


def test_tau_schedule_depth_cap():
    F = T.StructuralFunction("poly", 1.0, 1.0)
    with pytest.raises(SizeCapError, match="^D:"):
        T.tau_schedule(F, 2, 10**9)


# scaling properties over 1e-300 .. 1e300 --------------------------------------------------------


def _graph(seed, n=8, p=0.5):
    rng = np.random.default_rng(seed)
    while True:
        Gx = nx.gnp_random_graph(n, p, seed=int(rng.integers(2**31)))
        if nx.is_connected(Gx):
            break
    e = np.array(Gx.edges())
    return n, e, 10.0 ** rng.uniform(-3, 3, len(e))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), SCALES)
def test_resistance_family_scales_exactly(seed, c):
    n, e, v = _graph(seed)
    R = T.effective_resistance(n, e, variances=v)
    iu = np.triu_indices(n, 1)
    Rc = T.effective_resistance(n, e, variances=c * v)
    np.testing.assert_allclose(Rc[iu], c * R[iu], rtol=1e-12)
    D = T.shortest_path_variance(n, e, variances=v)
    np.testing.assert_allclose(T.shortest_path_variance(n, e, variances=c * v)[iu], c * D[iu], rtol=1e-12)
    assert T.foster_sum(n, e, variances=c * v) == pytest.approx(n - 1, rel=1e-12, abs=0.0)
    if c <= 1e300 / (n * n):  # the Kirchhoff index sums n(n-1)/2 resistances
        assert T.kirchhoff_index(n, e, variances=c * v) == pytest.approx(c * T.kirchhoff_index(n, e, variances=v),
                                                                        rel=1e-12, abs=0.0)
    pairs = np.stack(iu, axis=1)[:5]

    def dist(var, prior):
        return T.inference_distances(T.IBN(n, e, var), pairs, prior_var=prior)

    base = dist(v, 10.0)
    # A power-of-two scale is exact in floating point, so the scaled problem is the same problem and
    # the answer must agree to rounding.
    c2 = 2.0 ** round(np.log2(c))
    np.testing.assert_allclose(dist(c2 * v, c2 * 10.0), c2 * base, rtol=4 * _EPS)
    # A decimal scale rounds each scaled variance (and the prior) by up to half an ulp, and each
    # evaluation is a solve with the posterior precision M = L(1/v) + I/prior_var: by the textbook
    # bound for a backward-stable (Cholesky) solve, each result is within about n cond(M) eps of the
    # exact answer of its rounded problem, and the rounding of the inputs moves that answer by less
    # (componentwise sensitivities are at most cond(M)). Two evaluations: 4 n cond(M) eps. Example:
    # seed 75 at c = 1e-300 differs by 1.6e-12 with cond(M) = 1.7e4 (bound 1.2e-10).
    w = 1.0 / v
    M = np.diag(np.full(n, 1.0 / 10.0))
    np.add.at(M, (e[:, 0], e[:, 0]), w)
    np.add.at(M, (e[:, 1], e[:, 1]), w)
    np.add.at(M, (e[:, 0], e[:, 1]), -w)
    np.add.at(M, (e[:, 1], e[:, 0]), -w)
    tol = 4 * n * np.linalg.cond(M) * _EPS
    rel = np.abs(dist(c * v, c * 10.0) / (c * base) - 1.0)
    assert np.all(rel <= tol), (rel, tol)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([1e-150, 1e-100, 1e-10, 0.5, 3.0, 1e10, 1e100, 1e150]), st.floats(0.01, 0.99))
def test_hp_edge_var_scales_as_inverse_square_of_beta(beta, p):
    base = T.hp_edge_var(1.0, feedback="binary", p=p)
    assert T.hp_edge_var(beta, feedback="binary", p=p) == pytest.approx(base / beta**2 if beta > 1e-100 else
                                                                        base * (1 / beta) ** 2, rel=1e-14, abs=0.0)


# the positive-arithmetic route against exact rational arithmetic --------------------------------


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.integers(4, 7))
def test_wide_dynamic_range_matches_exact_arithmetic(seed, n):
    rng = np.random.default_rng(seed)
    while True:
        Gx = nx.gnp_random_graph(n, 0.6, seed=int(rng.integers(2**31)))
        if nx.is_connected(Gx):
            break
    e = np.array(Gx.edges())
    v = 10.0 ** rng.uniform(-12, 12, len(e))  # 24 decades: the grounded Cholesky alone loses digits here
    iu = np.triu_indices(n, 1)
    pairs = np.stack(iu, axis=1)
    want = exact_reff(n, e, v, pairs)
    np.testing.assert_allclose(T.effective_resistance(n, e, variances=v, pairs=pairs), want, rtol=1e-11)
    np.testing.assert_allclose(T.effective_resistance(n, e, variances=v)[iu], want, rtol=1e-11)


def test_fallback_is_taken_and_reference_methods_refuse():
    # a triangle whose edge variances span 16 decades: a cycle, so no series/parallel shortcut
    e = np.array([[0, 1], [1, 2], [0, 2], [2, 3]])
    v = np.array([1e-8, 1e8, 1.0, 1e-4])
    pairs = np.array([[0, 1], [0, 2], [1, 2], [0, 3], [1, 3]])
    L = G.laplacian_np(4, e, G.scale_of(v) / v)
    g = int(np.argmax(np.diag(L)))
    keep = np.arange(4) != g
    assert G.cholesky_cond(L[np.ix_(keep, keep)])[1] > G.REFERENCE_COND_LIMIT  # beyond the reference routes
    np.testing.assert_allclose(T.effective_resistance(4, e, variances=v, pairs=pairs),
                               exact_reff(4, e, v, pairs), rtol=1e-13)
    for method in ("cholesky", "pinv"):
        with pytest.raises(PrecisionError, match="condition number"):
            T.effective_resistance(4, e, variances=v, method=method)


def test_fallback_above_its_cost_cap_is_a_precision_error(monkeypatch):
    monkeypatch.setattr(G, "ACCURATE_COST_CAP", 10.0)
    e = np.array([[0, 1], [1, 2], [0, 2]])
    with pytest.raises(PrecisionError, match="dynamic range"):
        T.effective_resistance(3, e, variances=[1e-14, 1e14, 1.0], pairs=[[0, 1]])
    monkeypatch.setattr(G, "ACCURATE_COST_CAP", 1e9)  # the exact route answers the same instance
    np.testing.assert_allclose(T.effective_resistance(3, e, variances=[1e-14, 1e14, 1.0], pairs=[[0, 1]]),
                               exact_reff(3, e, [1e-14, 1e14, 1.0], [[0, 1]]), rtol=1e-13)


def test_result_beyond_float_range_is_a_precision_error():
    with pytest.raises(PrecisionError, match="float64 range"):
        T.effective_resistance(3, [[0, 1], [1, 2]], variances=[1.5e308, 1.5e308], pairs=[[0, 2]])
    with pytest.raises(PrecisionError, match="float64 range"):
        T.shortest_path_variance(3, [[0, 1], [1, 2]], variances=[1.5e308, 1.5e308], pairs=[[0, 2]])


def test_positional_weights_are_deprecated_but_read_as_variances():
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        got = T.effective_resistance(3, [[0, 1], [1, 2]], [1.0, 2.0], [[0, 2]])
    assert got[0] == pytest.approx(3.0, rel=1e-6, abs=0.0) and any(issubclass(x.category, DeprecationWarning) for x in w)
    with pytest.raises(TypeError, match="by keyword"):
        T.laplacian(3, [[0, 1]], [1.0], [2.0])

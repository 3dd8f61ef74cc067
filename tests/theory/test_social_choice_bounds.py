"""Bounds G1--G6 of the social choice pillar: properties, symbolic agreement, inverses, bad input (spec §3.1, §5, §7)."""

import math
import subprocess
import sys

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from aligntheory.errors import InvalidInputError
from aligntheory.theory import social_choice as T

ns = st.integers(1, 10**6)
deltas = st.floats(1e-6, 0.999)
sizes = st.integers(1, 10**6)


def test_theory_layer_does_not_import_jax():
    code = "import sys, aligntheory.theory.social_choice; assert 'jax' not in sys.modules, 'jax loaded'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_reference_values_by_hand():
    # golden values: the formulas typed out here with math (independent of the library), and spec §4.3
    e = math.sqrt((math.log(101) + math.log(40)) / 100)
    assert T.finite_class_deviation(50, 101, 0.05) == pytest.approx(e, rel=1e-14, abs=0.0)
    assert T.finite_class_deviation(50, 101, 0.05) == pytest.approx(0.288166617965288, rel=1e-12, abs=0.0)
    assert T.vc_deviation(1000, 1, 0.05) == pytest.approx(0.294466407739041, rel=1e-12, abs=0.0)
    assert T.natarajan_deviation(50, 1, 3, 0.05) == pytest.approx(1.18074024484796, rel=1e-12, abs=0.0)
    assert T.finite_class_sample_size(0.05, 101, 0.05) == 1661
    assert T.erm_regret_sample_size(0.05, 101, 0.05) == 6644
    assert T.vc_sample_size(0.1, 1, 0.05) == 10886
    assert T.vc_sample_size(0.05, 1, 0.05) == 49057


@given(ns, sizes, deltas)
def test_bounds_positive_finite_and_monotone(n, f, d):
    g1 = T.finite_class_deviation(n, f, d)
    assert 0 < g1 < math.inf
    assert T.finite_class_deviation(n + 1, f, d) < g1
    assert T.finite_class_deviation(n, f + 1, d) > g1
    assert T.finite_class_deviation(n, f, d / 2) > g1
    g4 = T.natarajan_deviation(n, 1, 3, d)
    assert 0 < g4 < math.inf
    assert T.natarajan_deviation(n, 2, 3, d) > g4
    assert T.natarajan_deviation(n, 1, 4, d) > g4
    assert T.natarajan_deviation(n + 1, 1, 3, d) < g4 or n < 3  # N^-1 ln N decreases for N >= 3 (e < 3)


@given(st.integers(1, 50), st.integers(0, 10**5), deltas)
def test_vc_monotone(d, extra, delta):
    n = d + extra
    g = T.vc_deviation(n, d, delta)
    assert 0 < g < math.inf
    assert T.vc_deviation(n + 1, d, delta) < g  # strictly decreasing on N >= d
    assert T.vc_deviation(n + 1, d + 1, delta) > T.vc_deviation(n + 1, d, delta)
    assert T.vc_deviation(n, d, delta / 2) > g


@given(ns, sizes, deltas)
def test_doubling_n_scales_by_inverse_sqrt2(n, f, d):
    assert T.finite_class_deviation(2 * n, f, d) == pytest.approx(T.finite_class_deviation(n, f, d) / math.sqrt(2),
                                                                   rel=1e-13, abs=0.0)


@given(st.floats(1e-3, 0.9), st.integers(1, 10**4), st.floats(1e-4, 0.5))
def test_inverses_are_minimal(eps, f, d):
    n = T.finite_class_sample_size(eps, f, d)
    assert T.finite_class_deviation(n, f, d) <= eps
    assert n == 1 or T.finite_class_deviation(n - 1, f, d) > eps
    n2 = T.erm_regret_sample_size(eps, f, d)
    assert T.erm_regret_bound(n2, f, d) <= eps
    assert n2 == 1 or T.erm_regret_bound(n2 - 1, f, d) > eps


@given(st.floats(0.02, 0.9), st.integers(1, 5), st.floats(1e-3, 0.5))
def test_vc_inverse_minimal(eps, d, delta):
    n = T.vc_sample_size(eps, d, delta)
    assert n >= d
    assert T.vc_deviation(n, d, delta) <= eps
    assert n == d or T.vc_deviation(n - 1, d, delta) > eps


@given(ns, sizes, deltas)
def test_growth_dominates_finite(n, f, d):
    # sqrt((a+b)/2N) <= 2 sqrt(2a/N) + sqrt(b/2N) (spec §5 cross-check)
    assert T.growth_deviation(n, math.log(f), d) >= T.finite_class_deviation(n, f, d) * (1 - 1e-15)


@given(ns, st.integers(1, 200), deltas)
def test_g6_equals_g1_with_2_to_q(n, q, d):
    assert T.product_class_deviation(n, q, d) == pytest.approx(T.finite_class_deviation(n, 2**q, d), rel=1e-14, abs=0.0)


@given(st.integers(1, 10**5), st.integers(1, 10**4), st.floats(1e-4, 0.5), st.integers(1, 5), st.integers(2, 6))
def test_symbolic_matches_numeric(n, f, d, dv, k):
    s = T.bound_symbols()
    g1 = sp.lambdify((s.N, s.F, s.delta), T.closed_form_bound("G1"), "math")
    assert g1(n, f, d) == pytest.approx(float(T.finite_class_deviation(n, f, d)), rel=1e-12, abs=0.0)
    g2 = sp.lambdify((s.N, s.F, s.delta), T.closed_form_bound("G2"), "math")
    assert g2(n, f, d) == pytest.approx(float(T.erm_regret_bound(n, f, d)), rel=1e-12, abs=0.0)
    nn = max(n, dv)
    g3 = sp.lambdify((s.N, s.d, s.delta), T.closed_form_bound("G3"), "math")
    assert g3(nn, dv, d) == pytest.approx(float(T.vc_deviation(nn, dv, d)), rel=1e-12, abs=0.0)
    g4 = sp.lambdify((s.N, s.d_N, s.k, s.delta), T.closed_form_bound("G4"), "math")
    assert g4(n, dv, k, d) == pytest.approx(float(T.natarajan_deviation(n, dv, k, d)), rel=1e-12, abs=0.0)


@given(st.integers(1, 10**5), st.integers(1, 10**4), st.floats(1e-4, 0.5))
def test_bound_objects_carry_their_closed_form(n, f, d):
    # the Bound's own expr evaluated at its subs gives its value (an independent sympy evaluation)
    b = T.finite_class_deviation(n, f, d)
    s = T.bound_symbols()
    val = float(b.sympy().subs({s.N: n, s.F: f, s.delta: d}).evalf(30))
    assert b.value == pytest.approx(val, rel=1e-12, abs=0.0)
    assert b.kind == "upper" and b.provenance == "M" and b.source and b.assumptions


def test_symbolic_inverse_by_solve():
    expr = T.closed_form_finite_class_sample_size()
    s = T.bound_symbols()
    val = float(expr.subs({s.eps: sp.Rational(1, 20), s.F: 101, s.delta: sp.Rational(1, 20)}))
    n = T.finite_class_sample_size(0.05, 101, 0.05)
    assert math.ceil(val) == n and isinstance(n.value, int)


def test_vc_dim_zero_is_g1_with_one_class():
    assert T.vc_deviation(10, 0, 0.1) == T.finite_class_deviation(10, 1, 0.1)


def test_clipped_is_explicit():
    assert T.vc_deviation(50, 1, 0.05) > 1  # never clipped silently
    assert T.clipped(T.vc_deviation(50, 1, 0.05)) == 1.0


@pytest.mark.parametrize(
    "fn, kwargs, arg",
    [
        (T.finite_class_deviation, dict(n_samples=0, class_size=10, delta=0.1), "n_samples"),
        (T.finite_class_deviation, dict(n_samples=2.5, class_size=10, delta=0.1), "n_samples"),
        (T.finite_class_deviation, dict(n_samples=10, class_size=10, delta=0.0), "delta"),
        (T.finite_class_deviation, dict(n_samples=10, class_size=10, delta=1.0), "delta"),
        (T.finite_class_deviation, dict(n_samples=10, class_size=0, delta=0.1), "class_size"),
        (T.finite_class_deviation, dict(n_samples=10, class_size=0.5, delta=0.1), "class_size"),
        (T.finite_class_sample_size, dict(eps=0.0, class_size=10, delta=0.1), "eps"),
        (T.finite_class_sample_size, dict(eps=-1.0, class_size=10, delta=0.1), "eps"),
        (T.vc_deviation, dict(n_samples=10, vc_dim=-1, delta=0.1), "vc_dim"),
        (T.vc_deviation, dict(n_samples=2, vc_dim=3, delta=0.1), "n_samples"),
        (T.natarajan_deviation, dict(n_samples=10, nat_dim=-1, n_alternatives=3, delta=0.1), "nat_dim"),
        (T.natarajan_deviation, dict(n_samples=10, nat_dim=1, n_alternatives=1, delta=0.1), "n_alternatives"),
        (T.growth_deviation, dict(n_samples=-3, log_growth=1.0, delta=0.1), "n_samples"),
        (T.vc_sample_size, dict(eps=0.0, vc_dim=1, delta=0.1), "eps"),
    ],
)
def test_bad_input(fn, kwargs, arg):
    with pytest.raises(InvalidInputError) as exc:
        fn(**kwargs)
    assert exc.value.argument == arg
    assert arg in str(exc.value)


def test_g4_and_growth_accept_every_n():
    assert T.natarajan_deviation(1, 5, 3, 0.1) > 0
    assert T.growth_deviation(1, 5.0, 0.1) > 0


def test_growth_deviation_is_finite_up_to_the_largest_log_growth():
    """ln Pi(N) up to float max: 2 sqrt(2 lg / N) is about 5e153 there, but 2 lg overflowed (found by
    the README command without CI). Expected value by the closed form, in exact rationals for lg / N."""
    import math
    from fractions import Fraction

    from aligntheory.theory.social_choice import growth_deviation

    lg = 1.7976931348623157e308
    want = 2 * math.sqrt(2) * math.sqrt(float(Fraction(lg) / 50)) + math.sqrt((math.log(2) - math.log(0.05)) / 100)
    got = growth_deviation(50, lg, 0.05).value
    assert math.isfinite(got) and abs(got - want) <= 4 * math.ulp(want)

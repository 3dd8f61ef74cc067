"""Tests of aligntheory.theory.progress (spec progress_and_safety.md Part A).

Golden numbers come from hand computation (stated next to each), scipy's Lagrange interpolation,
numpy polynomial evaluation or plain-Python re-implementations written here.
"""

import math

import numpy as np
import pytest
import scipy.interpolate
from hypothesis import given
from hypothesis import strategies as st

from aligntheory.errors import InvalidInputError, PrecisionError, SizeCapError, UnstableParametersError
from aligntheory.theory import progress as T

finite = st.floats(-100, 100, allow_nan=False, allow_infinity=False)


# ---------------------------------------------------------------------------------------------- A-T1


def test_coefficients_golden():
    # (E - 1)^4 = 0  ->  x_{n+1} = -x_{n-3} + 4 x_{n-2} - 6 x_{n-1} + 4 x_n (hand expansion)
    assert T.extrapolation_coefficients(3).tolist() == [-1, 4, -6, 4]
    assert T.extrapolation_coefficients(0).tolist() == [1]
    assert T.extrapolation_coefficients(3).dtype == np.int64


@pytest.mark.parametrize("k", range(0, 10))
def test_coefficient_identities(k):
    c = [int(x) for x in T.extrapolation_coefficients(k)]
    assert sum(c) == 1
    assert sum(x * x for x in c) == math.comb(2 * k + 2, k + 1) - 1


def test_lagrange_weights_golden_and_scipy():
    # nodes 0, 1, 2 evaluated at 4 (k = 2, m = 2): l0 = 3*2/2 = 3, l1 = 4*2/(-1) = -8, l2 = 4*3/2 = 6 (by hand)
    assert T.lagrange_extrapolation_weights(2, 2).tolist() == [3.0, -8.0, 6.0]
    assert [int(x) for x in T.lagrange_extrapolation_weights(2, 2, exact=True)] == [3, -8, 6]
    for k in range(1, 6):
        for m in range(1, 4):
            w = T.lagrange_extrapolation_weights(k, m)
            for j in range(k + 1):  # scipy's interpolating polynomial through the j-th unit vector
                e = np.zeros(k + 1)
                e[j] = 1.0
                poly = scipy.interpolate.lagrange(np.arange(k + 1.0), e)
                assert w[j] == pytest.approx(poly(k + m), rel=1e-9, abs=1e-9)


@given(st.integers(0, 6), st.integers(1, 5), st.lists(finite, min_size=7, max_size=7))
def test_extrapolate_reproduces_polynomials(k, m, coeffs):
    coeffs = coeffs[: k + 1]
    t = np.arange(k + 1, dtype=float) + 2.0
    vals = np.polyval(coeffs, t)
    got = float(T.extrapolate(vals, k, m))
    want = np.polyval(coeffs, t[-1] + m)  # numpy evaluation, independent of the weights
    scale = sum(abs(c) for c in coeffs) * (t[-1] + m) ** k + 1.0
    assert abs(got - want) <= 1e-9 * scale


@given(st.integers(0, 5), st.integers(1, 4), st.lists(finite, min_size=6, max_size=6),
       st.lists(finite, min_size=6, max_size=6), st.floats(-3, 3), st.floats(-3, 3))
def test_extrapolate_linear_and_affine(k, m, x, y, a, b):
    x, y = np.array(x[: k + 1]), np.array(y[: k + 1])
    ex, ey = float(T.extrapolate(x, k, m)), float(T.extrapolate(y, k, m))
    tol = 1e-9 * (1 + np.abs(x).sum() + np.abs(y).sum()) * 4.0**k * m**k
    assert abs(float(T.extrapolate(a * x + b * y, k, m)) - (a * ex + b * ey)) <= tol
    assert abs(float(T.extrapolate(a * x + b, k, m)) - (a * ex + b)) <= tol + 1e-9 * abs(b) * 4.0**k * m**k


def test_extrapolate_columns_and_order_reduction():
    vals = np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
    assert T.extrapolate(vals, 1, 1).tolist() == [3.0, 1.0]
    with pytest.raises(InvalidInputError, match="values"):
        T.extrapolate(vals, 3, 1)
    # ProgressGym's silent behaviour only on request: order lowered to n - 1 = 2 (line 0,1,2 -> 3)
    assert T.extrapolate(vals, 3, 1, allow_order_reduction=True).tolist() == [3.0, 1.0]


def test_recurrence_matches_weights():
    # integer recurrence vs float weights on t^3 (exact: 4^3 = 64 at t = 4 from t = 0..3)
    assert T.extrapolate_by_recurrence([0, 1, 8, 27], 3, 1) == 64
    assert float(T.extrapolate([0.0, 1.0, 8.0, 27.0], 3, 1)) == pytest.approx(64.0, abs=1e-12)


# ---------------------------------------------------------------------------------------------- A-T2


def test_extrapolated_vote_zero_is_returned():
    # spec A-T2 example: (0, +1, +1), k = 2, m = 1 -> 1*0 - 3*1 + 3*1 = 0 (hand)
    assert T.extrapolated_vote([0, 1, 1], 2, 1) == 0


def test_extrapolated_vote_parity_exhaustive_small():
    import itertools

    for k in range(0, 5):
        for m in range(1, 4):
            for w in itertools.product((-1, 1), repeat=k + 1):
                assert T.extrapolated_vote(w, k, m) % 2 == 1


def test_vote_moments_golden():
    # spec A-T4 vote example: weights (3, -8, 6): mean -0.6 - 0.8 + 3 = 1.6; var 9*.96 + 64*.99 + 36*.75 = 99
    mom = T.vote_extrapolation_moments([-0.2, 0.1, 0.5], 2, 2)
    assert mom.mean == pytest.approx(1.6, rel=1e-15, abs=0.0) and mom.variance == pytest.approx(99.0, rel=1e-15, abs=0.0)


# ---------------------------------------------------------------------------------------------- A-T3, A-T4


def test_error_bound_golden():
    # C(3, 2) * 3 * 0.1^2 = 0.09 (hand)
    assert T.extrapolation_error_bound(1, 2, 0.1, 3.0) == pytest.approx(0.09, rel=1e-15, abs=0.0)


def test_error_bound_attained_by_power():
    # f = t^2, k = 1, m = 2, h = 1, nodes 0 and 1: the line through (0, 0), (1, 1) is t, value 3 at t = 3,
    # true value 9: error 6; bound C(3, 2) * M_2 * h^2 = 3 * 2 * 1 = 6 (hand): equality, as A-T3 says
    assert abs(9.0 - float(T.extrapolate([0.0, 1.0], 1, 2))) == T.extrapolation_error_bound(1, 2, 1.0, 2.0)


@pytest.mark.parametrize("k", range(0, 8))
def test_noise_gain(k):
    assert T.noise_gain(k, 1) == math.comb(2 * k + 2, k + 1) - 1  # spec A-T4 identity
    w = T.lagrange_extrapolation_weights(k, 3)
    assert T.noise_gain(k, 3) == pytest.approx(float(np.sum(w**2)), rel=1e-12, abs=0.0)


def test_optimal_order_bound_bruteforce():
    h, sigma, M = 0.3, 0.02, [1.0] * 12
    oc = T.optimal_order(h, sigma, M, steps_ahead=2, max_order=8)
    obj = [(math.comb(2 + k, k + 1) * h ** (k + 1)) ** 2 + sigma**2 * T.noise_gain(k, 2) for k in range(9)]
    assert oc.order == int(np.argmin(obj))
    np.testing.assert_allclose(oc.bound, obj, rtol=1e-12)
    assert oc.exact_order is None


def test_optimal_order_exact_mse_spec_example():
    # spec A-T4: f = e^t, h = 0.25, sigma = 0.01 -> optimal order 2
    oc = T.optimal_order(0.25, 0.01, lambda j: math.exp(0.25), max_order=7, f=np.exp)
    assert oc.exact_order == 2
    assert oc.exact_mse[0] == pytest.approx((math.exp(0.25) - 1.0) ** 2 + 1e-4, rel=1e-12, abs=0.0)


def test_optimal_order_deriv_bounds_too_short():
    with pytest.raises(InvalidInputError, match="deriv_bounds"):
        T.optimal_order(0.1, 0.1, [1.0, 1.0], max_order=3)


# ---------------------------------------------------------------------------------------------- scores


def test_scores_golden():
    assert T.cosine([1.0, 0.0], [0.0, 2.0]) == 0.0
    assert T.follow_score([[1.0, 0.0], [0.0, 1.0]], [[2.0, 0.0], [1.0, 0.0]]) == 0.5
    a = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    # coevolve: s = (1, 0): suffix maxima of cos with a_0..a_2 = (1, 1/sqrt2, 0) -> (1, 1/sqrt2, 0): mean
    s = np.array([[1.0, 0.0]])
    assert T.coevolve_score(s, a) == pytest.approx((1 + 2**-0.5 + 0) / 3, rel=1e-15, abs=0.0)


def _naive_coevolve(S, A):
    tot = 0.0
    for s in S:
        for i in range(len(A)):
            tot += max(float(s @ a / np.linalg.norm(s) / np.linalg.norm(a)) for a in A[i:])
    return tot / (len(S) * len(A))


@given(st.integers(1, 6), st.integers(1, 6), st.integers(1, 5), st.integers(0, 2**31))
def test_score_properties(M, N, d, seed):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(N, d)) + 0.01
    S = rng.normal(size=(M, d)) + 0.01
    s = T.coevolve_score(S, A)
    assert -1 <= s <= 1
    assert s == pytest.approx(_naive_coevolve(S, A), abs=1e-12)
    scaled = T.coevolve_score(S * rng.uniform(0.1, 10, (M, 1)), A * rng.uniform(0.1, 10, (N, 1)))
    assert abs(scaled - s) <= 1e-12
    assert T.coevolve_score(np.repeat(A[-1:], M, axis=0), A) == pytest.approx(1.0, abs=1e-12)
    E = rng.normal(size=(N, d)) + 0.01
    f = T.follow_score(A, E)
    assert -1 <= f <= 1
    assert abs(T.follow_score(A * 3.0, E * rng.uniform(0.1, 10, (N, 1))) - f) <= 1e-12
    for k in range(1, N):
        assert T.predict_score(A, A[k:], k) == pytest.approx(1.0, abs=1e-12)


# ---------------------------------------------------------------------------------------------- A-T5


def _simulate(alpha, kappa, m, p, h0, hprev, T_):
    h, h1, h2 = h0, hprev, hprev
    out = []
    for t in range(T_):
        out.append(h)
        a = h1 + m * (h1 - h2)
        h, h1, h2 = (1 - alpha - kappa) * h + alpha * p[t] + kappa * a, h, h1
    return np.array(out)


@given(st.floats(-0.5, 2.5), st.floats(-1.4, 1.4), st.integers(0, 2))
def test_stability_agrees_with_simulation(alpha, kappa, m):
    rep = T.coevolution_stability(alpha, kappa, m)
    if abs(rep.spectral_radius - 1) < 0.02:
        return  # too slow to decide by a short simulation
    p = np.zeros(400)
    d = _simulate(alpha, kappa, m, p, 1.0, 0.0, 400) - _simulate(alpha, kappa, m, p, -1.0, 0.5, 400)
    if rep.stable:
        assert abs(d[-1]) < 1e-2 * max(1.0, abs(d[0]))
    else:
        assert np.max(np.abs(d[-50:])) > 1e-3


def test_copying_stability_conditions_golden():
    # spec A-T5: (0.001, 2.0) unstable, radius 2.0007; (0.01, 0.5) radius 0.993348
    r = T.copying_ai_stability(0.001, 2.0)
    assert not r.stable and r.spectral_radius == pytest.approx(2.0007, abs=1e-4)
    assert T.copying_ai_stability(0.01, 0.5).spectral_radius == pytest.approx(0.993348, abs=1e-6)
    assert T.first_order_spectral_radius(0.01, 0.5) == pytest.approx(1 - 0.01 / 1.5, rel=1e-15, abs=0.0)


@pytest.mark.parametrize("alpha,kappa,m,lag", [(0.2, 0.3, 0, 0.65), (0.2, 0.3, 1, 0.5), (0.3, 0.2, 2, 0.26667),
                                               (0.05, 0.8, 0, 3.6)])
def test_steady_lag_spec_values_and_simulation(alpha, kappa, m, lag):
    # goldens from spec A-T5(iii) (v = 0.1), and a plain-Python simulation
    assert T.steady_state_lag(alpha, kappa, 0.1, m) == pytest.approx(lag, abs=1e-5)
    p = 0.1 * np.arange(3000.0)
    h = _simulate(alpha, kappa, m, p, 0.0, 0.0, 3000)
    assert p[-1] - h[-1] == pytest.approx(T.steady_state_lag(alpha, kappa, 0.1, m), abs=1e-8)


def test_lock_in_golden():
    assert T.lock_in_limit(0.6, 3.0, 1.0) == pytest.approx(2.25, rel=1e-15, abs=0.0)  # spec: (3 + 0.6)/1.6
    h = _simulate(0.0, 0.6, 0, np.random.default_rng(0).normal(size=200), 3.0, 1.0, 200)
    assert h[-1] == pytest.approx(2.25, abs=1e-12)
    np.testing.assert_allclose(T.lock_in_limit(0.5, np.array([1.0, 2.0]), np.array([0.0, 2.0])), [2 / 3, 2.0])


# ---------------------------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize("call,arg", [
    (lambda: T.extrapolation_coefficients(-1), "order"),
    (lambda: T.extrapolation_coefficients(2.5), "order"),
    (lambda: T.extrapolate([1.0, 2.0], 1.0, 1), "order"),
    (lambda: T.extrapolate([1.0, 2.0], 1, 0), "steps_ahead"),
    (lambda: T.lagrange_extrapolation_weights(1, 0), "steps_ahead"),
    (lambda: T.extrapolate([1.0, 2.0], 2, 1), "values"),
    (lambda: T.extrapolate([1.0, np.nan], 1, 1), "values"),
    (lambda: T.extrapolate([1.0, np.inf], 1, 1), "values"),
    (lambda: T.extrapolated_vote([1, 2, 1], 2, 1), "votes"),
    (lambda: T.extrapolated_vote([1, 0.5, 1], 2, 1), "votes"),
    (lambda: T.extrapolated_vote([1, 1], 2, 1), "votes"),
    (lambda: T.extrapolated_vote([1, 1], -1, 1), "order"),
    (lambda: T.cosine([0.0, 0.0], [1.0, 0.0]), "a"),
    (lambda: T.cosine([1.0, 0.0], [1.0, 0.0, 1.0]), "b"),
    (lambda: T.follow_score([[1.0, 0.0]], [[0.0, 0.0]]), "predicted"),
    (lambda: T.follow_score([[1.0, 0.0]], [[1.0, 0.0], [1.0, 1.0]]), "actual, predicted"),
    (lambda: T.follow_score([[1.0, 0.0]], [[1.0, 0.0, 1.0]]), "actual, predicted"),
    (lambda: T.follow_score([[1.0, np.nan]], [[1.0, 0.0]]), "actual"),
    (lambda: T.predict_score([[1.0], [1.0]], [[1.0], [1.0]], 1), "horizon"),
    (lambda: T.predict_score([[1.0], [1.0]], [[1.0]], 0), "horizon"),
    (lambda: T.coevolve_score([[1.0, 0.0]], [[0.0, 0.0]]), "actual"),
    (lambda: T.coevolve_score([[1.0, np.inf]], [[1.0, 0.0]]), "simulated"),
    (lambda: T.steady_state_lag(0.0, 0.3, 0.1), "alpha"),
    (lambda: T.steady_state_lag(-0.1, 0.3, 0.1), "alpha"),
    (lambda: T.lock_in_limit(1.0, 1.0, 1.0), "kappa"),
    (lambda: T.extrapolation_error_bound(1, 1, -0.1, 1.0), "h"),
    (lambda: T.optimal_order(0.1, -1.0, [1.0] * 5, max_order=2), "sigma"),
])
def test_bad_inputs(call, arg):
    with pytest.raises(InvalidInputError) as exc:
        call()
    assert exc.value.argument == arg
    assert arg in str(exc.value)


def test_unstable_lag_error_carries_radius_and_condition():
    with pytest.raises(UnstableParametersError) as exc:
        T.steady_state_lag(0.001, 2.0, 0.1, 0)
    assert exc.value.spectral_radius == pytest.approx(2.0007, abs=1e-4)
    assert exc.value.failed_conditions == ("P(-1) = 2 - alpha - 2 kappa > 0", "1 - |kappa| > 0")
    # the spec's boundary example: root exactly -1 -> the -P(-1) > 0 condition fails
    with pytest.raises(UnstableParametersError) as exc:
        T.steady_state_lag(0.2, 0.3, 0.1, 2)
    assert "-P(-1) > 0" in exc.value.failed_conditions


def test_value_types():
    tr = T.ValueTrajectory(np.ones((9, 19)))
    assert tr.n_steps == 8 and tr.times[-1] == 8.0
    with pytest.raises(InvalidInputError, match="times"):
        T.ValueTrajectory(np.ones((3, 2)), times=[0.0, 2.0, 1.0])
    with pytest.raises(InvalidInputError, match="blocks"):
        T.ValueVector(np.ones(5), T.BlockSpec())
    assert T.ValueVector(np.arange(19.0), T.BlockSpec()).block("moral_foundations").tolist() == [10, 11, 12, 13, 14]


# ---------------------------------------------------------------------------------------------- results and bounds


def test_bounds_carry_kind_and_closed_form():
    import sympy as sp

    b = T.extrapolation_error_bound(2, 3, 0.1, 4.0)
    assert b.kind == "upper" and b.provenance == "M" and b.assumptions
    # closed form evaluated by sympy at the stored values equals the number: C(5, 3) * 4 * 0.1^3 = 0.04 (hand)
    assert float(b.sympy().subs({sp.Symbol(k, positive=True): v for k, v in b.subs.items()})) == pytest.approx(
        0.04, rel=1e-14, abs=0.0)
    assert float(b) == pytest.approx(0.04, rel=1e-14, abs=0.0)
    g = T.noise_gain(3, 1)
    assert g.kind == "exact" and isinstance(g.value, int)
    k = sp.Symbol("k", integer=True, nonnegative=True)
    assert int(g.sympy().subs(k, 3)) == math.comb(8, 4) - 1
    lag = T.steady_state_lag(0.2, 0.3, 0.1, 1)
    assert lag.kind == "exact" and float(lag) == pytest.approx(0.5, rel=1e-14, abs=0.0)  # v / alpha for m = 1 (hand)
    assert T.first_order_spectral_radius(0.01, 0.5).kind == "asymptotic"


def test_noise_gain_depends_on_the_horizon():
    # m = 2, k = 1: weights (-2, 3) -> 13; m = 3, k = 1: (-3, 4) -> 25 (hand, line through two points)
    assert int(T.noise_gain(1, 2)) == 13 and int(T.noise_gain(1, 3)) == 25
    # k = 2, m = 2: (3, -8, 6) -> 109 (hand)
    assert int(T.noise_gain(2, 2)) == 109


def test_stability_report_is_typed():
    rep = T.coevolution_stability(0.2, 0.3, 2)
    assert isinstance(rep.conditions, tuple) and all(isinstance(c, T.JuryCondition) for c in rep.conditions)
    assert rep.failed_conditions == ("-P(-1) > 0",)


# ---------------------------------------------------------------------------------------------- issue 12


def test_cosine_regression_examples():
    # issue 12: cosine([1e300, 0], [1e300, 1e300]) returned 0.0; 1e-300 vectors were called zero vectors
    assert T.cosine([1e300, 0.0], [1e300, 1e300]) == pytest.approx(2**-0.5, rel=1e-15, abs=0.0)
    assert T.cosine([1e-300, 0.0], [1e-300, 1e-300]) == pytest.approx(2**-0.5, rel=1e-15, abs=0.0)
    assert T.cosine([5e-324, 0.0], [1.0, 0.0]) == 1.0  # subnormal, still a direction
    with pytest.raises(InvalidInputError, match="zero vector"):
        T.cosine([0.0, 0.0], [1.0, 1.0])


@given(st.lists(st.floats(-10, 10), min_size=2, max_size=6), st.integers(0, 2**31),
       st.sampled_from([1e-300, 1e-200, 1e-100, 1e-8, 1.0, 1e8, 1e100, 1e200, 1e300]),
       st.sampled_from([1e-300, 1e-150, 1.0, 1e150, 1e300]))
def test_scores_scale_invariant_over_the_float_range(x, seed, sa, sb):
    a = np.array(x)
    if not np.any(np.abs(a) > 1e-3):
        a[0] = 1.0
    b = np.random.default_rng(seed).normal(size=a.shape)
    want = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))  # plain formula at unit scale
    assert T.cosine(a * sa, b * sb) == pytest.approx(want, abs=4e-15)
    A, B = np.stack([a, b]), np.stack([b, a])
    assert T.follow_score(A * sa, B * sb) == pytest.approx(T.follow_score(A, B), abs=4e-15)
    assert T.coevolve_score(A * sa, B * sb) == pytest.approx(T.coevolve_score(A, B), abs=4e-15)


def test_error_bound_at_the_float64_edge_is_a_named_error():
    # long-fuzz finding (issue 12): k = 0, m = 1, h = 2, M = 2**1023 (= max float / 2 rounded up): log of the
    # bound is within rounding of log(max float), and M h = 2**1024 rounds to inf -- a PrecisionError, never inf
    with pytest.raises(PrecisionError):
        T.extrapolation_error_bound(0, 1, 2.0, 8.98846567431158e307)
    assert float(T.extrapolation_error_bound(0, 1, 2.0, 2.0**1022)) == 2.0**1023  # M h, exact in binary


def test_extreme_magnitudes_give_exact_answers_or_named_errors():
    # extrapolation is linear: scaling the values scales the result exactly (powers of two)
    v = np.array([1.0, 4.0, 9.0])
    assert float(T.extrapolate(v * 2.0**1000, 2, 1)) == 16.0 * 2.0**1000
    assert float(T.extrapolate(v * 2.0**-1060, 2, 1)) == 16.0 * 2.0**-1060
    with pytest.raises(PrecisionError):
        T.extrapolate([1e308, -1e308], 1, 5)  # 11e308 is not representable
    with pytest.raises(PrecisionError):
        T.extrapolation_error_bound(3, 2, 1e300, 1.0)  # h^4 = 1e1200
    assert float(T.extrapolation_error_bound(3, 2, 1e-300, 1.0)) == 0.0  # underflows to 0: a true upper bound
    with pytest.raises(PrecisionError):
        T.lagrange_extrapolation_weights(60, 10**12)


def test_size_caps_before_work():
    with pytest.raises(SizeCapError) as exc:
        T.extrapolate_by_recurrence([1, 1], 1, 10**12)
    assert exc.value.argument == "steps_ahead" and exc.value.cap == T.MAX_RECURRENCE_WORK
    with pytest.raises(SizeCapError):
        T.extrapolated_vote([1, 1, 1], 2, 10**9)
    with pytest.raises(InvalidInputError, match="order"):
        T.lagrange_extrapolation_weights(10**9, 1)
    with pytest.raises(SizeCapError):
        T.coevolve_score(np.ones((10, 2)), np.ones((10, 2)), max_entries=50)


@pytest.mark.parametrize("bad", [[[1.0, 2.0], [3.0]], [1 + 2j, 1.0], ["a", "b"], [True, False]])
def test_ragged_complex_string_bool_refused(bad):
    for call in (lambda: T.extrapolate(bad, 0, 1), lambda: T.cosine(bad, bad), lambda: T.extrapolated_vote(bad, 0, 1)):
        with pytest.raises(InvalidInputError):
            call()

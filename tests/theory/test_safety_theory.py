"""Tests of aligntheory.theory.safety (spec progress_and_safety.md Part B).

Independent routes: the two-response instance has closed forms derived by hand (stated below),
finite differences of the dual, scipy minimisation of the NLLs, cvxpy on tiny instances.
"""

import math

import numpy as np
import pytest
import scipy.optimize
import scipy.special
from hypothesis import assume, given
from hypothesis import strategies as st

from aligntheory.errors import BracketError, InfeasibleBudgetError, InvalidInputError, PrecisionError
from aligntheory.theory import safety as T


@st.composite
def instances(draw, n_max=12, scale=5.0):
    n = draw(st.integers(2, n_max))
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    ref = rng.dirichlet(np.ones(n)) * 0.999 + 0.001 / n
    ref = ref / ref.sum()
    r = rng.normal(size=n) * scale
    c = rng.normal(size=n) * scale
    beta = float(10 ** rng.uniform(-1, 1))
    return ref, r, c, beta


def two(a=1.0):
    """ref = (1/2, 1/2), r = (0, a), c = (0, 1).  E_{pi_lam}[c] = sigmoid((a - lam)/beta) (hand)."""
    return np.array([0.5, 0.5]), np.array([0.0, a]), np.array([0.0, 1.0])


# ---------------------------------------------------------------------------------------------- taxonomy


def test_taxonomy_codes_and_names():
    assert len(T.HarmCategory) == 19
    assert [int(m) for m in T.HarmCategory] == list(range(19))
    assert T.HarmCategory(17).display_name == "White-Collar Crime"
    assert T.HarmCategory(0).name == "ENDANGERING_NATIONAL_SECURITY"
    assert T.HarmCategory(18).display_name == "Animal Abuse"
    assert len({m.display_name for m in T.HarmCategory}) == 19
    assert all(m.gloss for m in T.HarmCategory)
    assert [int(s) for s in T.Severity] == [0, 1, 2, 3] and T.Severity.MINOR < T.Severity.SEVERE


def test_parse_harm_label_roundtrip():
    lab = T.parse_harm_label({m.display_name: m in (T.HarmCategory.DRUGS, T.HarmCategory.VIOLENCE)
                              for m in T.HarmCategory}, 3)
    assert lab.categories == frozenset({T.HarmCategory.DRUGS, T.HarmCategory.VIOLENCE})
    assert lab.severity is T.Severity.SEVERE
    assert T.parse_harm_label({"Drugs": False}, 0).is_safe


@pytest.mark.parametrize("flags,sev,arg", [
    ({"Drug": True}, 1, "category_flags"),
    ({"DRUGS": True}, 1, "category_flags"),  # enum names are not dataset names
    ({"drugs": True}, 1, "category_flags"),
    ({"Drugs": 1}, 1, "category_flags['Drugs']"),
    ({"Drugs": True}, 4, "severity"),
    ({"Drugs": True}, -1, "severity"),
    ({"Drugs": True}, 1.0, "severity"),
    ({"Drugs": True}, 0, "severity"),  # SAFE with a category
    ({"Drugs": False}, 2, "severity"),  # harmful severity without categories
    (["Drugs"], 1, "category_flags"),
])
def test_parse_harm_label_strict(flags, sev, arg):
    with pytest.raises(InvalidInputError) as exc:
        T.parse_harm_label(flags, sev)
    assert exc.value.argument == arg


# ---------------------------------------------------------------------------------------------- B-T1, B-T2


@given(instances(scale=1e4 * 0.1), st.floats(0, 50))
def test_tilt_is_distribution_even_for_huge_rewards(inst, lam):
    ref, r, c, _ = inst
    pi = T.tilted_policy(ref, r * 10, c, lam, 0.1)  # |r|/beta up to ~1e5
    assert np.all(pi >= 0)
    assert abs(pi.sum() - 1) <= 1e-12


@given(instances(), st.floats(0, 5), st.floats(0, 5))
def test_expected_cost_non_increasing(inst, l1, l2):
    ref, r, c, beta = inst
    lo, hi = sorted((l1, l2))
    e = [float(T.tilted_policy(ref, r, c, l, beta) @ c) for l in (lo, hi)]
    assert e[1] <= e[0] + 1e-9 * (1 + np.abs(c).max())


@given(instances(), st.floats(0, 5), st.floats(0, 5))
def test_expected_reward_non_increasing_when_comonotone(inst, l1, l2):
    ref, r, _, beta = inst
    c = np.tanh(r / 3) + 0.1 * r  # strictly increasing in r: comonotone
    lo, hi = sorted((l1, l2))
    e = [float(T.tilted_policy(ref, r, c, l, beta) @ r) for l in (lo, hi)]
    assert e[1] <= e[0] + 1e-9 * (1 + np.abs(r).max())


@given(instances(), st.floats(-100, 100))
def test_limits_and_reward_shift(inst, t):
    ref, r, c, beta = inst
    # lam = 0: the reward tilt ref * exp(r/beta) / Z (softmax of log ref + r/beta, scipy)
    np.testing.assert_allclose(T.tilted_policy(ref, r, c, 0.0, beta),
                               scipy.special.softmax(np.log(ref) + r / beta), rtol=1e-10, atol=1e-14)
    # beta -> inf: pi -> ref
    np.testing.assert_allclose(T.tilted_policy(ref, r, c, 1.0, 1e13), ref, rtol=1e-9)
    # adding a constant to r leaves pi unchanged
    np.testing.assert_allclose(T.tilted_policy(ref, r + t, c, 0.7, beta), T.tilted_policy(ref, r, c, 0.7, beta),
                               rtol=1e-9, atol=1e-14)


@given(instances(n_max=8, scale=1.0), st.floats(0.1, 0.9), st.floats(-5, 5))
def test_cost_shift_leaves_multiplier(inst, frac, t):
    ref, r, c, beta = inst
    ec0 = float(T.tilted_policy(ref, r, c, 0.0, beta) @ c)
    assume(ec0 - c.min() > 1e-3)
    d = c.min() + frac * (ec0 - c.min())
    l1 = T.optimal_multiplier(ref, r, c, beta, d).lam
    l2 = T.optimal_multiplier(ref, r, c + t, beta, d + t).lam
    assert abs(l1 - l2) <= 1e-7 * max(1.0, l1)


@given(instances(n_max=8, scale=1.0))
def test_frontier_concave(inst):
    ref, r, c, beta = inst
    ec0 = float(T.tilted_policy(ref, r, c, 0.0, beta) @ c)
    ds = np.linspace(c.min() + 0.05 * (ec0 - c.min() + 0.1), ec0 + 1.0, 9)
    F = T.frontier(ref, r, c, beta, ds).value
    sec = F[2:] - 2 * F[1:-1] + F[:-2]
    assert np.all(sec <= 1e-9 * max(1.0, np.abs(F).max()))
    assert np.all(np.diff(F) >= -1e-9 * max(1.0, np.abs(F).max()))  # non-decreasing


def test_two_response_closed_forms():
    ref, r, c = two(1.0)
    beta, d = 0.5, 0.3
    # E c = sigmoid((1 - lam)/beta) = d  ->  lam = 1 - beta * logit(d) (hand)
    lam = 1 - beta * math.log(d / (1 - d))
    sol = T.optimal_multiplier(ref, r, c, beta, d)
    assert sol.lam == pytest.approx(lam, rel=1e-13, abs=0.0)
    assert sol.active and sol.feasible and not sol.boundary
    np.testing.assert_allclose(sol.policy, [1 - d, d], rtol=1e-12)
    # value E r - beta KL = d*1 - beta*(d log 2d + (1-d) log 2(1-d)) (hand)
    val = d - beta * (d * math.log(2 * d) + (1 - d) * math.log(2 * (1 - d)))
    assert sol.value == pytest.approx(val, rel=1e-12, abs=0.0)
    assert T.dual_function(sol.lam, ref, r, c, beta, d) == pytest.approx(val, rel=1e-12, abs=0.0)  # strong duality
    # log Z(lam) = log((1 + e^{(1-lam)/beta})/2)
    assert T.log_partition(ref, r, c, 0.4, beta) == pytest.approx(math.log((1 + math.exp(0.6 / beta)) / 2), rel=1e-14, abs=0.0)
    # g' = d - p, g'' = p(1-p)/beta with p = sigmoid((1-lam)/beta)
    p = 1 / (1 + math.exp(-(0.6 / beta)))
    g1, g2 = T.dual_derivatives(0.4, ref, r, c, beta, d)
    assert g1 == pytest.approx(d - p, rel=1e-13, abs=0.0) and g2 == pytest.approx(p * (1 - p) / beta, rel=1e-13, abs=0.0)
    assert T.log_update_stability_factor(sol.lam, 0.7, ref, r, c, beta) == pytest.approx(
        0.7 * sol.lam**2 * d * (1 - d) / beta, rel=1e-12, abs=0.0)
    assert T.smoothness_constant(c, beta) == 0.5  # (1 - 0)^2 / (4 * 0.5)


@given(instances(n_max=10, scale=1.0), st.floats(0.05, 4.0))
def test_dual_derivatives_by_finite_differences(inst, lam):
    ref, r, c, beta = inst
    d = float(np.mean(c))
    h = 1e-4
    g = lambda x: T.dual_function(x, ref, r, c, beta, d)  # noqa: E731
    g1, g2 = T.dual_derivatives(lam, ref, r, c, beta, d)
    assert g1 == pytest.approx((g(lam + h) - g(lam - h)) / (2 * h), abs=1e-6 * (1 + abs(g(lam))))
    assert g2 >= 0
    assume(g2 > 1e-2)
    assert g2 == pytest.approx((g(lam + h) - 2 * g(lam) + g(lam - h)) / h**2, rel=1e-3, abs=0.0)


def test_multiplier_inactive_boundary_infeasible():
    ref, r, c = two(1.0)
    s = T.optimal_multiplier(ref, r, c, 1.0, 0.9)  # E_{pi_0} c = sigmoid(1) = 0.731 <= 0.9
    assert s.lam == 0.0 and not s.active
    s = T.optimal_multiplier(ref, r, c, 1.0, 0.0)  # d == min c
    assert s.lam == math.inf and s.boundary and s.feasible
    np.testing.assert_allclose(s.policy, [1.0, 0.0])
    with pytest.raises(InfeasibleBudgetError) as exc:
        T.optimal_multiplier(ref, r, c, 1.0, -0.1)
    assert exc.value.min_cost == 0.0 and exc.value.budget == -0.1
    assert "infeasible" in str(exc.value)
    flagged = T.optimal_multiplier(ref, r, c, 1.0, -0.1, throw=False)
    assert flagged.result.value == "infeasible" and not flagged.feasible and not flagged.converged


def test_multiplier_boundary_policy_with_huge_rewards():
    # long-fuzz finding (issue 12): the boundary limit policy (d == min c) was normalised from unshifted
    # logits r / beta ~ 1e7, leaving |sum - 1| ~ 1e-9; r / beta = 1e300 / 1e-100 overflowed.
    # Expected: the reward tilt on arg min c = {0, 1}, ratio e^{0.3} * ref_0 / ref_1 (closed form).
    ref = np.array([0.25, 0.25, 0.5])
    s = T.optimal_multiplier(ref, [1e7 + 0.3, 1e7, 2e7], [0.0, 0.0, 1.0], 1.0, 0.0)
    assert s.boundary and s.policy[2] == 0.0
    assert abs(s.policy.sum() - 1.0) <= 4 * np.finfo(float).eps
    # 1e7 + 0.3 is stored to 1 ulp of 1e7 (1.9e-9), which bounds the reachable accuracy of the ratio
    ratio = math.exp((1e7 + 0.3) - 1e7)
    assert s.policy[0] / s.policy[1] == pytest.approx(ratio, rel=1e-14, abs=0.0)
    s = T.optimal_multiplier(ref, [1.0, 2.0, 1e300], [0.0, 0.0, 1.0], 1e-290, 0.0)
    assert s.boundary and s.policy.tolist() == [0.0, 1.0, 0.0]


def test_multiplier_bracket_error(monkeypatch):
    from aligntheory.theory.safety import _multiplier

    ref, r, c = two(1.0)
    real = _multiplier._moments

    def broken(P, logpi):  # simulate overflow: the residual turns NaN for every lam > 0
        er, ec, var = real(P, logpi)
        return er, (math.nan if ec < 0.73 else ec), var

    monkeypatch.setattr(_multiplier, "_moments", broken)
    with pytest.raises(BracketError) as exc:
        T.optimal_multiplier(ref, r, c, 1.0, 0.3)
    assert exc.value.bracket[0] <= exc.value.bracket[1]
    flagged = T.optimal_multiplier(ref, r, c, 1.0, 0.3, throw=False)
    assert flagged.result.value == "nonfinite" and math.isnan(flagged.residual)


def test_support_mask():
    ref = np.array([0.5, 0.0, 0.5])
    r, c = np.array([0.0, 5.0, 1.0]), np.array([0.0, 9.0, 1.0])
    with pytest.raises(InvalidInputError, match="ref_probs"):
        T.tilted_policy(ref, r, c, 0.0, 1.0)
    pi = T.tilted_policy(ref, r, c, 1.0, 1.0, support=ref > 0)
    np.testing.assert_allclose(pi, [0.5, 0.0, 0.5], rtol=1e-14)
    s = T.optimal_multiplier(ref, r, c, 1.0, 0.5, support=ref > 0)  # same as the two-response instance
    assert s.lam == pytest.approx(1.0, rel=1e-12, abs=0.0)


# ---------------------------------------------------------------------------------------------- B-T3, B-T4


def test_dual_ascent_update_rules():
    ref, r, c = two(1.0)
    beta, d = 1.0, 0.3
    p0 = 1 / (1 + math.exp(-1.0))  # E c at lam = 0.0
    tr = T.dual_ascent(ref, r, c, beta, d, 0.5, 1, 0.0, "projected").lam
    assert tr[1] == pytest.approx(0.5 * (p0 - d), rel=1e-14, abs=0.0)
    p = 1 / (1 + math.exp(-(1 - 2.0)))  # lam0 = 2
    tr = T.dual_ascent(ref, r, c, beta, d, 0.5, 1, 2.0, "log").lam
    assert tr[1] == pytest.approx(2.0 * math.exp(0.5 * 2.0 * (p - d)), rel=1e-14, abs=0.0)
    # clip at lam_max
    tr = T.dual_ascent(ref, r, c, beta, 0.01, 5.0, 3, 2.0, "log", lam_max=2.5).lam
    assert np.all(tr <= 2.5 + 1e-15)
    # vectorised over pairs equals separate runs
    many = T.dual_ascent(ref, r, c, beta, d, np.array([0.5, 1.0]), 20, np.array([0.0, 3.0])).lam
    one = T.dual_ascent(ref, r, c, beta, d, 1.0, 20, 3.0).lam
    np.testing.assert_allclose(many[:, 1], one, rtol=1e-15)


def test_projected_ascent_converges_and_bound_formula():
    ref, r, c = two(1.0)
    beta, d = 0.5, 0.3
    lam_star = 1 - beta * math.log(d / (1 - d))
    tr = T.dual_ascent(ref, r, c, beta, d, 1 / T.smoothness_constant(c, beta), 500)
    assert tr.final == pytest.approx(lam_star, abs=1e-12) and tr.converged
    # (lam0 - lam*)^2 / (2 eta k) with lam0 = 0, lam* = 2, eta = 0.25, k = 4: 4 / 2 = 2 (hand)
    b = T.projected_ascent_bound(4, 0.0, 2.0, 0.25)
    assert float(b) == 2.0 and b.kind == "upper"


# ---------------------------------------------------------------------------------------------- B-T7


def test_bt_nll_golden_and_shift():
    # one pair, r = (1, 0), first preferred: -log sigmoid(1) = log(1 + e^-1) (hand)
    assert T.bt_reward_nll([1.0, 0.0], [[0, 1]], [True]) == pytest.approx(math.log1p(math.exp(-1)), rel=1e-15, abs=0.0)
    assert T.bt_reward_nll([1.0, 0.0], [[0, 1]], [0]) == pytest.approx(math.log1p(math.exp(1)), rel=1e-15, abs=0.0)
    c = np.array([0.5, -0.25, 1.0])  # dyadic: shifts are exact
    pairs, lab = np.array([[0, 1], [1, 2], [2, 0]]), np.array([True, False, True])
    flags = np.array([[True, False], [False, True], [True, True]])
    assert T.cost_nll(c + 3.0, pairs, lab) == T.cost_nll(c, pairs, lab)
    assert T.bt_reward_nll(c + 3.0, pairs, lab) == T.bt_reward_nll(c, pairs, lab)
    assert T.cost_nll(c + 3.0, pairs, lab, flags) != T.cost_nll(c, pairs, lab, flags)
    # sign terms by hand: sum over responses of log(1 + exp(-s c))
    sign = sum(math.log1p(math.exp(-(1 if f else -1) * c[i])) for (i, j), fl in zip(pairs, flags)
               for i, f in zip((i, j), fl))
    assert T.cost_nll(c, pairs, lab, flags) == pytest.approx(T.cost_nll(c, pairs, lab) + sign, rel=1e-14, abs=0.0)


# ---------------------------------------------------------------------------------------------- cvxpy


def test_cvx_reference_two_responses():
    ref, r, c = two(1.0)
    s = T.cvx_reference_solution(ref, r, c, 0.5, 0.3)
    assert s.status in ("optimal", "optimal_inaccurate")
    assert s.dual == pytest.approx(1 - 0.5 * math.log(0.3 / 0.7), rel=1e-6, abs=0.0)
    np.testing.assert_allclose(s.policy, [0.7, 0.3], atol=1e-7)
    # Clarabel stops AlmostSolved here (tight settings); the point is still within the spec's 1e-5
    s = T.cvx_reference_solution(ref, r, c, 0.5, lam=1.5, normalise=True, throw=False)
    assert s.result.value in ("successful", "inaccurate")
    np.testing.assert_allclose(s.policy, T.tilted_policy(ref, r, c, 1.5, 2.5 * 0.5), atol=1e-5)  # spec B-T6 tol
    with pytest.raises(InfeasibleBudgetError):
        T.cvx_reference_solution(ref, r, c, 0.5, -1.0)


# ---------------------------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize("call,arg", [
    (lambda: T.tilted_policy([0.5, 0.6], [0.0, 1.0], [0.0, 1.0], 0.0, 1.0), "ref_probs"),
    (lambda: T.tilted_policy([1.5, -0.5], [0.0, 1.0], [0.0, 1.0], 0.0, 1.0), "ref_probs"),
    (lambda: T.tilted_policy([1.0, 0.0], [0.0, 1.0], [0.0, 1.0], 0.0, 1.0), "ref_probs"),
    (lambda: T.tilted_policy([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 0.0, 0.0), "beta"),
    (lambda: T.tilted_policy([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 0.0, -1.0), "beta"),
    (lambda: T.tilted_policy([0.5, 0.5], [0.0, np.nan], [0.0, 1.0], 0.0, 1.0), "reward"),
    (lambda: T.tilted_policy([0.5, 0.5], [0.0, 1.0], [0.0, np.inf], 0.0, 1.0), "cost"),
    (lambda: T.tilted_policy([0.5, 0.5], [0.0, 1.0, 2.0], [0.0, 1.0], 0.0, 1.0), "reward"),
    (lambda: T.tilted_policy([0.5, 0.5], [0.0, 1.0], [0.0], 0.0, 1.0), "cost"),
    (lambda: T.tilted_policy([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], -1.0, 1.0), "lam"),
    (lambda: T.dual_ascent([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 1.0, 0.5, -0.1, 5), "step"),
    (lambda: T.dual_ascent([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 1.0, 0.5, 0.1, 5, 0.0, "log"), "lam0"),
    (lambda: T.dual_ascent([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 1.0, 0.5, 0.1, 5, 0.0, "newton"), "mode"),
    (lambda: T.optimal_multiplier([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 1.0, np.nan), "budget"),
    (lambda: T.log_update_stability_factor(1.0, -1.0, [0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 1.0), "step"),
    (lambda: T.bt_reward_nll([0.0, 1.0], [[0, 2]], [True]), "pairs"),
    (lambda: T.bt_reward_nll([0.0, 1.0], [[0, 1]], [2]), "labels"),
    (lambda: T.cost_nll([0.0, 1.0], [[0, 1]], [True], [[True]]), "unsafe_flags"),
])
def test_bad_inputs(call, arg):
    with pytest.raises(InvalidInputError) as exc:
        call()
    assert exc.value.argument == arg
    assert arg in str(exc.value)


# ---------------------------------------------------------------------------------------------- results, issue 11/12


def test_cvx_solver_outcome_is_guarded():
    # issue 11: an instance (seed 79 of the tilt claim's generator, n = 11, beta = 0.264, lam = 2.75) whose optimal
    # probabilities reach 2e-12: Clarabel stops AlmostSolved at the tight settings and cvxpy reports value -inf.
    # The outcome must be named, never a silent number.
    from aligntheory.errors import ConvergenceError
    from aligntheory.proofs_check.safety import random_instance
    from aligntheory.results import RESULTS

    rng = np.random.default_rng([79, 1])
    for _ in range(7):
        ref, r, c = random_instance(rng)
        beta, lam = float(rng.uniform(0.2, 2.0)), float(rng.uniform(0, 3))
    sol = T.cvx_reference_solution(ref, r, c, beta, lam=lam, throw=False)
    assert sol.result in (RESULTS.inaccurate, RESULTS.nonfinite) and not sol.converged
    with pytest.raises(ConvergenceError) as exc:
        T.cvx_reference_solution(ref, r, c, beta, lam=lam)
    assert exc.value.result is sol.result
    ok = T.cvx_reference_solution(*two(1.0), 0.5, 0.3)
    assert ok.result is RESULTS.successful


def test_result_objects():
    ref, r, c = two(1.0)
    dd = T.dual_derivatives(0.4, ref, r, c, 0.5, 0.3)
    assert dd.first == dd[0] and dd.second == dd[1]
    m = T.tilted_moments(ref, r, c, 0.4, 0.5)
    p = 1 / (1 + math.exp(-(0.6 / 0.5)))  # E c = sigmoid((1 - lam)/beta) (hand)
    assert m.cost == pytest.approx(p, rel=1e-14, abs=0.0) and m.var_cost == pytest.approx(p * (1 - p), rel=1e-13, abs=0.0)
    assert m.cov_reward_cost == pytest.approx(p * (1 - p), rel=1e-13, abs=0.0)  # r = c on this instance
    L = T.smoothness_constant([0.0, 2.0], 0.5)
    assert L.kind == "upper" and float(L) == 2.0


def test_extreme_magnitudes_named_errors():
    ref = np.array([0.5, 0.5])
    # the tilt is representable (exp(-1e600) is 0 in float64) although log Z = 1e600 is not
    assert T.tilted_policy(ref, [0.0, 1e300], [0.0, 0.0], 0.0, 1e-300).tolist() == [0.0, 1.0]
    with pytest.raises(PrecisionError):
        T.log_partition(ref, [0.0, 1e300], [0.0, 0.0], 0.0, 1e-300)
    with pytest.raises(PrecisionError):
        T.dual_function(10.0, ref, [0.0, 1e300], [0.0, 0.0], 1.0, 1e308)  # lam d = 1e309
    assert T.dual_function(0.0, ref, [0.0, 1e300], [0.0, 0.0], 1e-300, 1.0) == pytest.approx(1e300, rel=1e-15, abs=0.0)
    # scale invariance: (r, c, beta) -> (s r, s c, s beta) leaves the tilt unchanged exactly for s = 2^k
    r, c = np.array([0.3, -1.2]), np.array([1.0, 0.25])
    for s in (2.0**-900, 2.0**900):
        np.testing.assert_allclose(T.tilted_policy(ref, r * s, c * s, 0.7, 0.5 * s), T.tilted_policy(ref, r, c, 0.7, 0.5),
                                   rtol=1e-15)
    with pytest.raises(PrecisionError):
        T.smoothness_constant([-1e308, 1e308], 1e-300)
    assert float(T.smoothness_constant([-2.0**500, 2.0**500], 1.0)) == 2.0**1000  # range 2^501 does not overflow


def test_dual_ascent_overflow_is_named():
    from aligntheory.errors import ConvergenceError
    from aligntheory.results import RESULTS

    ref, r, c = two(1.0)
    with pytest.raises(ConvergenceError):
        T.dual_ascent(ref, r, c, 1.0, -5.0, 1e300, 10, 1.0, "log")
    tr = T.dual_ascent(ref, r, c, 1.0, -5.0, 1e300, 10, 1.0, "log", throw=False)
    assert tr.result is RESULTS.nonfinite and not tr.converged

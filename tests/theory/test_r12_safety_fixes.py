"""Round 12 regression tests of the Safe RLHF fixes (optimal multiplier, stability verdicts, ridge fit, replays).

Every expected value comes from an independent route: a closed form written here (evaluated in mpmath where the
float64 form would cancel or underflow), a hand-computed error recurrence, or scipy's ``brentq`` on the
stationarity equation of the penalised fit.
"""

from __future__ import annotations

import math
import sys

import mpmath as mp
import numpy as np
import pytest
import scipy.optimize
from scipy.special import expit

import aligntheory.analysis._safety_pku as pku
from aligntheory.analysis.safety import analyse_safety_preferences, replay_multiplier_log
from aligntheory.errors import ConvergenceError, InvalidInputError, PrecisionError
from aligntheory.results import RESULTS
from aligntheory.theory.safety import (
    lagrangian_multiplier_trajectory,
    log_multiplier_stability,
    multiplier_closed_loop,
    optimal_multiplier,
    pid_multiplier_stability,
)

EPS = np.finfo(float).eps


# ---------------------------------------------------------------------------------------------------------------
# 1. optimal_multiplier: a root-finding tolerance relative to lambda, success decided from the residual


@pytest.mark.parametrize("beta", [1e-300, 1e-200, 1e-100, 1e-50, 1e-16, 1e-3, 1.0, 1e3, 1e16, 1e50, 1e100, 1e200,
                                  1e300])
@pytest.mark.parametrize("d", [0.1, 0.3, 1e-10])
def test_optimal_multiplier_closed_form_two_actions_across_beta(beta, d):
    # uniform reference, r = 0, c = (0, 1): pi_1 = 1 / (1 + e^{lam / beta}) = d  <=>  lam* = beta ln((1 - d) / d)
    with mp.workdps(40):
        lam_star = float(mp.mpf(beta) * mp.log((1 - mp.mpf(d)) / mp.mpf(d)))
    sol = optimal_multiplier([0.5, 0.5], [0.0, 0.0], [0.0, 1.0], beta, d)
    assert sol.result is RESULTS.successful and sol.active and not sol.boundary
    assert abs(sol.lam - lam_star) <= 8 * EPS * lam_star
    # d pi_1 / d(lam / beta) = -pi_0 pi_1: a relative error 8 eps on lam moves pi_1 by <= d * 8 eps * lam / beta
    band = d * (8 * EPS * (lam_star / beta) + 8 * EPS)
    np.testing.assert_allclose(sol.policy, [1 - d, d], rtol=0, atol=band)
    assert abs(sol.residual) <= band


def test_optimal_multiplier_reviewer_case_beta_1e16():
    # the reviewer's instance: the old absolute xtol = 1e-15 returned lam = 7.1e-16, policy (0.99918, 0.00082)
    sol = optimal_multiplier([0.5, 0.5], [0.0, 0.0], [0.0, 1.0], 1e-16, 0.1)
    assert sol.lam == pytest.approx(1e-16 * math.log(9.0), rel=8 * EPS, abs=0.0)
    np.testing.assert_allclose(sol.policy, [0.9, 0.1], rtol=8 * EPS)
    assert sol.converged


def test_optimal_multiplier_unresolvable_root_is_inaccurate_not_successful():
    # r = (0, 1e30), c = (0, 1), beta = 1, d = 0.1: lam* = 1e30 + ln 9 (closed form), but one ulp of 1e30 is
    # 1.4e14, so the tilt pi_1 = expit((1e30 - lam) / beta) is 0 or 1 at every float64 lam near lam*
    ref, r, c, beta, d = [0.5, 0.5], [0.0, 1e30], [0.0, 1.0], 1.0, 0.1
    assert np.spacing(1e30) > 1e10
    with pytest.raises(ConvergenceError) as info:
        optimal_multiplier(ref, r, c, beta, d)
    assert info.value.result is RESULTS.inaccurate
    sol = optimal_multiplier(ref, r, c, beta, d, throw=False)
    assert sol.result is RESULTS.inaccurate and not sol.converged
    # the returned iterate is the best float64 can do: its neighbours give pi_1 in {0, 1}, never 0.1
    for lam in (np.nextafter(sol.lam, 0.0), sol.lam, np.nextafter(sol.lam, np.inf)):
        assert expit((1e30 - lam) / beta) in (0.0, 1.0)
    assert abs(sol.residual) >= 0.09  # |E c - d| = 0.1 or 0.9, reported, not hidden


@pytest.mark.parametrize("ctol", [0.0, -1e-9, 2.0, math.nan])
def test_optimal_multiplier_ctol_validated(ctol):
    with pytest.raises(InvalidInputError, match="ctol"):
        optimal_multiplier([0.5, 0.5], [0.0, 0.0], [0.0, 1.0], 1.0, 0.1, ctol=ctol)


# ---------------------------------------------------------------------------------------------------------------
# 2. stability verdicts: a = 1 is not oscillating; gains that overflow are refused, gains that fit are exact


def _hand_errors(root: float, n: int = 6) -> list[float]:
    """e_{r+1} = (1 - a) e_r from e_0 = 1 (one rollout in the window), by hand."""
    e = [1.0]
    for _ in range(n):
        e.append(root * e[-1])
    return e


def _sign_changes(e: list[float]) -> int:
    return sum(1 for u, v in zip(e, e[1:]) if u * v < 0)


@pytest.mark.parametrize("a", [np.nextafter(1.0, 0.0), 1.0, np.nextafter(1.0, 2.0)])
def test_log_rule_boundary_a_equals_one(a):
    root = 1.0 - float(a)  # exact (Sterbenz)
    e = _hand_errors(root)
    s = log_multiplier_stability(1.0, 1.0, float(a), window=1, batch_size=1)  # a = U eta lam*^2 kappa = eta
    assert s.gain == a
    assert s.spectral_radius == abs(root)
    assert s.stable
    assert s.oscillatory == (_sign_changes(e) > 0)
    assert s.oscillatory == (a > 1.0)  # the docstring's "oscillating iff a > 1"
    if a == 1.0:
        assert e[1:] == [0.0] * 6 and s.dominant_root == 0


@pytest.mark.parametrize("g", [np.nextafter(1.0, 0.0), 1.0, np.nextafter(1.0, 2.0)])
def test_pid_rule_boundary_gain_equals_one(g):
    # K_P = 0, one rollout: e_{r+1} = e_r + U K_I Delta_r, Delta_r = -kappa e_r, i.e. e_{r+1} = (1 - g) e_r
    root = 1.0 - float(g)
    e = _hand_errors(root)
    s = pid_multiplier_stability(1.0, 0.0, float(g), window=1, batch_size=1)
    assert s.spectral_radius == abs(root)
    assert s.oscillatory == (_sign_changes(e) > 0) == (g > 1.0)


def test_stability_gain_overflow_raises_precision_error():
    with pytest.raises(PrecisionError, match="lam_star"):
        log_multiplier_stability(1e200, 1.0, 1.0, window=1, batch_size=1)  # a = 1e400
    with pytest.raises(PrecisionError, match="kp"):
        pid_multiplier_stability(1e300, 1e300, 1.0, window=1, batch_size=1)  # K_P kappa = 1e600


def test_stability_large_but_representable_gains_are_exact():
    # a = 1 * 1e-300 * (1e200)^2 * 1 = 1e100: lam*^2 alone overflows, the gain does not; root 1 - a (one rollout)
    s = log_multiplier_stability(1e200, 1.0, 1e-300, window=1, batch_size=1)
    assert s.gain == pytest.approx(1e100, rel=4 * EPS, abs=0.0)
    assert s.spectral_radius == pytest.approx(1e100, rel=4 * EPS, abs=0.0)
    assert not s.stable and s.oscillatory
    # PID, one rollout: char. polynomial z^2 - b z - g_P with g_P = K_P kappa, g_I = K_I kappa, b = 1 - g_P - g_I;
    # K_P + K_I overflows float64 but each product with kappa = 1e-10 does not
    kp = ki = 1e308
    kappa = 1e-10
    with mp.workdps(60):
        gp, gi = mp.mpf(kp) * mp.mpf(kappa), mp.mpf(ki) * mp.mpf(kappa)
        b = 1 - gp - gi
        roots = [(b + sg * mp.sqrt(b * b + 4 * gp)) / 2 for sg in (1, -1)]
        rho = float(max(abs(z) for z in roots))
        dominant_negative = min(roots, key=lambda z: -abs(z)) < 0
    s = pid_multiplier_stability(kappa, kp, ki, window=1, batch_size=1)
    assert s.spectral_radius == pytest.approx(rho, rel=1e-13, abs=0.0)
    assert not s.stable and s.oscillatory == dominant_negative


@pytest.mark.parametrize("a", [1e10, 1e150, 1e300])
def test_log_rule_windowed_huge_gain_matches_polynomial_roots(a):
    # window 4, batch 1: w = (1/4, 1/4, 1/4, 1/4), characteristic polynomial z^4 - (1 - a/4) z^3 + a/4 (z^2 + z + 1);
    # its roots by mpmath. LAPACK's eigvals on the unscaled companion matrix is wrong past entries ~1e138.
    with mp.workdps(50):
        q = mp.mpf(a) / 4
        roots = mp.polyroots([1, -(1 - q), q, q, q], maxsteps=400, extraprec=4000)
        rho = float(max(abs(z) for z in roots))
    s = log_multiplier_stability(1.0, 1.0, a, window=4, batch_size=1)
    assert s.spectral_radius == pytest.approx(rho, rel=1e-12, abs=0.0)
    assert not s.stable


# ---------------------------------------------------------------------------------------------------------------
# 3. analyse_safety_preferences: the ridge-penalised fit for every ridge in [1e-300, 1e300]


def _rec(prompt="p", r0="a", r1="b", better=1, safer=0, safe0=True, safe1=False):
    def cat(safe):
        return {} if safe else {"Drugs": True}

    return {"prompt": prompt, "response_0": r0, "response_1": r1, "is_response_0_safe": safe0,
            "is_response_1_safe": safe1, "response_0_harm_category": cat(safe0),
            "response_1_harm_category": cat(safe1), "response_0_severity_level": 0 if safe0 else 2,
            "response_1_severity_level": 0 if safe1 else 2, "better_response_id": better, "safer_response_id": safer}


def _root(fun, hi):
    return scipy.optimize.brentq(fun, 0.0, hi, xtol=1e-320, rtol=8.9e-16, maxiter=2000)


RIDGES = [1e-300, 1e-200, 1e-100, 1e-40, 1e-20, 1e-5, 1.0, 1e5, 1e100, 1e300]


@pytest.mark.parametrize("ridge", RIDGES)
def test_one_record_fit_matches_brentq_for_every_ridge(ridge):
    # one record, b better, a safer, a safe, b unsafe. Reward: softplus(-(x_b - x_a)) + ridge/2 |x|^2 is minimised at
    # x = (-t, t) with sigma(-2t) = ridge t. Cost (pair b over a, signs a: -1, b: +1): c = (-u, u) with
    # sigma(-2u) + sigma(-u) = ridge u. Laplace SEs from the 2 x 2 Hessians [[A, -w], [-w, A]], A = w + h + ridge:
    # (H^-1)_11 = A / ((h + ridge)(2 w + h + ridge)), w = sigma(2z) sigma(-2z), h = 0 (reward) or sigma(u) sigma(-u).
    hi = min(800.0, 1.0 / ridge)
    t = _root(lambda x: expit(-2 * x) - ridge * x, hi)
    u = _root(lambda x: expit(-2 * x) + expit(-x) - ridge * x, 2 * hi)
    with mp.workdps(40):
        r = mp.mpf(ridge)

        def se(z, h):
            w = 1 / ((1 + mp.exp(2 * z)) * (1 + mp.exp(-2 * z)))
            return float(mp.sqrt((w + h + r) / ((h + r) * (2 * w + h + r))))

        se_r = se(mp.mpf(t), 0)
        se_c = se(mp.mpf(u), 1 / ((1 + mp.exp(mp.mpf(u))) * (1 + mp.exp(-mp.mpf(u)))))
    fit = analyse_safety_preferences([_rec()], ridge=ridge)["fit"]
    np.testing.assert_allclose(fit["reward"], [-t, t], rtol=1e-14, atol=0)
    np.testing.assert_allclose(fit["cost"], [-u, u], rtol=1e-14, atol=0)
    np.testing.assert_allclose(fit["reward_se"], [se_r, se_r], rtol=1e-13, atol=0)
    np.testing.assert_allclose(fit["cost_se"], [se_c, se_c], rtol=1e-13, atol=0)


@pytest.mark.parametrize("ridge", [1e-300, 1e-30, 1e-12])
def test_three_item_chain_and_contradictory_pair_tiny_ridge(ridge):
    # prompt p: a > b, b > c (a chain): by symmetry x = (t, 0, -t) with sigma(-t) = ridge t.
    # prompt q: d > e and e > d (contradictory): x = (0, 0) exactly; the Hessian [[1/2 + r, -1/2], [-1/2, 1/2 + r]]
    # is singular in float64 for r < eps, its inverse's diagonal (1/2 + r) / (r (1 + r)) is not.
    recs = [_rec("p", "a", "b", better=0), _rec("p", "b", "c", better=0),
            _rec("q", "d", "e", better=0), _rec("q", "d", "e", better=1)]
    out = analyse_safety_preferences(recs, ridge=ridge)
    keys = [tuple(k) for k in out["fit"]["responses"]]
    x = dict(zip(keys, out["fit"]["reward"]))
    se = dict(zip(keys, out["fit"]["reward_se"]))
    t = _root(lambda v: expit(-v) - ridge * v, min(1600.0, 1.0 / ridge))
    assert x[("p", "a")] == pytest.approx(t, rel=1e-14, abs=0.0)
    assert x[("p", "c")] == pytest.approx(-t, rel=1e-14, abs=0.0)
    assert abs(x[("p", "b")]) <= 1e-14 * t
    assert x[("q", "d")] == 0.0 and x[("q", "e")] == 0.0
    with mp.workdps(40):
        r = mp.mpf(ridge)
        want = float(mp.sqrt((mp.mpf(0.5) + r) / (r * (1 + r))))
    assert se[("q", "d")] == pytest.approx(want, rel=1e-13, abs=0.0)


@pytest.mark.parametrize("ridge", [1e-301, 5e-324, 1e301])
def test_ridge_outside_the_fitted_range_is_refused(ridge):
    with pytest.raises(InvalidInputError, match="ridge") as info:
        analyse_safety_preferences([_rec()], ridge=ridge)
    assert info.value.argument == "ridge"


def test_newton_that_does_not_converge_raises(monkeypatch):
    # one iteration cannot reach t = 21.49 (ridge 1e-20) from 0; the fit must say so instead of returning
    monkeypatch.setattr(pku, "NEWTON_MAX_ITER", 1, raising=False)
    with pytest.raises(ConvergenceError) as info:
        analyse_safety_preferences([_rec()], ridge=1e-20)
    assert info.value.iterations == 1 and info.value.result is RESULTS.max_steps_reached


# ---------------------------------------------------------------------------------------------------------------
# 4. replays and the closed loop


@pytest.mark.parametrize("empty", [[], (), np.zeros((0, 3))])
def test_replay_of_no_rollout_is_refused(empty):
    with pytest.raises(InvalidInputError) as info:
        replay_multiplier_log(empty, lam_star=1.0, curvature=1.0)
    assert info.value.argument == "episode_costs"


@pytest.mark.parametrize("rng", [0, 1.5, "seed", np.random.RandomState(0)])
def test_closed_loop_refuses_rng_that_is_not_a_generator(rng):
    with pytest.raises(InvalidInputError) as info:
        multiplier_closed_loop([0.5, 0.5], [0.0, 0.0], [0.0, 1.0], 1.0, 0.25, 3, rng=rng)
    assert info.value.argument == "rng"
    # what the docstring accepts still runs: a Generator (sampled costs 0 or 1) and None (the mean field)
    t = multiplier_closed_loop([0.5, 0.5], [0.0, 0.0], [0.0, 1.0], 1.0, 0.25, 3, rng=np.random.default_rng(0))
    assert t.lambdas.shape == (3,) and np.all(np.isfinite(t.lambdas))
    t = multiplier_closed_loop([0.5, 0.5], [0.0, 0.0], [0.0, 1.0], 1.0, 0.25, 1, window=1)
    # mean field: C(1) = 1 / (1 + e) and log lam = 0 + 0.1 (C(1) - 0.25) e^0
    assert t.final == pytest.approx(math.exp(0.1 * (1 / (1 + math.e) - 0.25)), rel=1e-14, abs=0.0)


def test_lambda_init_near_the_float64_top_is_not_an_overflow():
    # d = 0 and costs 0: log lam += 0.1 * 0 * lam, so lam stays lambda_init = 1e308 (up to the exp(log) round trip,
    # |log 1e308| eps ~ 1.6e-13 relative)
    t = lagrangian_multiplier_trajectory([[0.0]], 0.0, lambda_init=1e308)
    assert t.result is RESULTS.successful
    assert t.lambdas[0] == pytest.approx(1e308, rel=2e-13, abs=0.0)
    # clipped at lambda_max = the largest float: exp(log(max)) rounds just below it, never to inf
    top = sys.float_info.max
    t = lagrangian_multiplier_trajectory([[1.0], [1.0]], 0.0, lambda_init=1e308, lambda_max=top)
    assert t.result is RESULTS.successful
    assert np.all(np.isfinite(t.lambdas)) and np.all(t.lambdas <= top)
    assert t.lambdas[-1] == pytest.approx(top, rel=2e-13, abs=0.0)
    # a real overflow is still refused: 1e308 + 0.1 * 1 * 1e308 in log space
    with pytest.raises(PrecisionError, match="overflow"):
        lagrangian_multiplier_trajectory([[1.0]], 0.0, lambda_init=1e308)

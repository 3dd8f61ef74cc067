"""fit_bradley_terry on flat objectives (round 13): ``successful`` means the optimum, not a small gradient.

Before round 13 the stop was the gradient norm alone. With a tiny prior on separable data, or near-separable
counts, the objective is so flat that a gradient below ``tol`` sat far from the optimum: a prior of 1e-12 on
"0 beat 1 three times" returned ``successful`` at twice the MAP's score gap, 1e-20 raised a raw ``LinAlgError``
from the standard errors, and counts (1, 2**-30) raised one from Newman's least squares. Predictions here are
independent of the library: the MAP of two items by mpmath root finding at 60 digits, MLE gaps in closed form,
and standard errors from the Fisher information written out here and inverted in mpmath.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest

from aligntheory.errors import ConvergenceError, InvalidInputError
from aligntheory.numerics import fit_bradley_terry
from aligntheory.results import RESULTS

METHODS = ("auto", "newton", "newman")


def _map_gap_two_items(wins: int, s: float) -> mp.mpf:
    """MAP score t of item 0 (item 1 at -t by symmetry) for ``wins`` wins of 0 over 1 and prior s: the
    stationarity equation wins * sigma(-2t) = s (sigma(t) - 1/2), solved at 60 digits."""
    with mp.workdps(60):
        S = mp.mpf(s)
        f = lambda t: wins / (1 + mp.exp(2 * t)) - S * (1 / (1 + mp.exp(-t)) - mp.mpf(1) / 2)  # noqa: E731
        return mp.findroot(f, mp.log(2 * wins / S) / 2 + mp.mpf("0.1"))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("s", [1e-6, 1e-9, 1e-12, 1e-20, 1e-40, 1e-100])
def test_tiny_prior_on_separable_data_reaches_the_map(method, s):
    fit = fit_bradley_terry([(0, 1)] * 3, n_items=2, prior_strength=s, method=method)
    t = float(_map_gap_two_items(3, s))
    assert fit.result is RESULTS.successful
    # the step test's contract: xtol = 1e-8 relative to max|theta|; a Newton step that small leaves an error
    # far below it (quadratic convergence), so 1e-8 relative cannot fail by rounding
    np.testing.assert_allclose(fit.scores, [t, -t], rtol=1e-8, atol=0)


@pytest.mark.parametrize("s", [1e-12, 1e-20, 1e-40])
def test_tiny_prior_standard_errors_match_the_closed_form(s):
    """Two items: P H^-1 P has the single eigenvalue 1/(2(2c + D)) on (1, -1)/sqrt 2, so the standard error of
    each centred score is sqrt(1 / (2 (2c + D))) with c = 3 sigma(2t) sigma(-2t), D = s sigma(t) sigma(-t) at the
    MAP t (H = L_c + D, D the prior's curvature)."""
    fit = fit_bradley_terry([(0, 1)] * 3, n_items=2, prior_strength=s)
    with mp.workdps(60):
        t = _map_gap_two_items(3, s)
        sig = lambda x: 1 / (1 + mp.exp(-x))  # noqa: E731
        c = 3 * sig(2 * t) * sig(-2 * t)
        D = mp.mpf(s) * sig(t) * sig(-t)
        se = float(mp.sqrt(1 / (2 * (2 * c + D))))
    np.testing.assert_allclose(fit.stderr, [se, se], rtol=1e-6)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("k", [20, 30, 40])
def test_near_separable_exact_counts_reach_the_mle(method, k):
    """Counts (1, 2**-k) are exact in float64 and so is their sum: the MLE gap is k ln 2 in closed form."""
    fit = fit_bradley_terry([(0, 1), (1, 0)], n_items=2, counts=[1.0, 2.0**-k], method=method)
    gap = float(fit.scores[0] - fit.scores[1])
    assert fit.result is RESULTS.successful
    assert abs(gap - k * np.log(2.0)) <= 2e-8 * k * np.log(2.0)


def _independent_stderr(n, rows, counts, prior, theta_raw):
    """sqrt(diag(P H^-1 P)) at 50 digits, H = sum of K p (1-p) Laplacian terms + prior sigma(theta)sigma(-theta)."""
    with mp.workdps(50):
        H = mp.zeros(n, n)
        for (a, b), k in zip(rows, counts):
            p = 1 / (1 + mp.exp(-(mp.mpf(theta_raw[a]) - mp.mpf(theta_raw[b]))))
            c = k * p * (1 - p)
            H[a, a] += c
            H[b, b] += c
            H[a, b] -= c
            H[b, a] -= c
        for i in range(n):
            q = 1 / (1 + mp.exp(-mp.mpf(theta_raw[i])))
            H[i, i] += prior * q * (1 - q)
        C = H**-1
        P = mp.eye(n) - mp.ones(n, n) / n
        M = P * C * P
        return np.array([float(mp.sqrt(M[i, i])) for i in range(n)])


def _map_raw(n, rows, counts, prior):
    """The uncentred MAP by scipy's BFGS on the objective written here (the prior's pull fixes the mean)."""
    from scipy.optimize import minimize
    from scipy.special import log_expit

    e = np.array(rows)
    k = np.array(counts, float)

    def negobj(th):
        d = th[e[:, 0]] - th[e[:, 1]]
        return -(k @ log_expit(d)) - 0.5 * prior * np.sum(log_expit(th) + log_expit(-th))

    def grad(th):
        d = th[e[:, 0]] - th[e[:, 1]]
        r = k * (1 - 1 / (1 + np.exp(-d)))
        g = np.zeros(n)
        np.add.at(g, e[:, 0], -r)
        np.add.at(g, e[:, 1], r)
        return g - prior * (0.5 - 1 / (1 + np.exp(-th)))

    return minimize(negobj, np.zeros(n), jac=grad, method="BFGS", options={"gtol": 1e-13, "maxiter": 10000}).x


@pytest.mark.parametrize("case", ["asymmetric", "two components"])
def test_prior_standard_errors_at_the_uncentred_map(case):
    """The prior's curvature is evaluated at the uncentred MAP (its mean is set by the prior, not 0): before round 13
    the standard errors used the centred scores. Asymmetric data make the two differ."""
    if case == "asymmetric":
        n, rows, counts = 3, [(0, 1), (1, 0), (1, 2), (2, 1), (0, 2)], [5.0, 1.0, 4.0, 2.0, 3.0]
    else:
        n, rows, counts = 5, [(0, 1), (1, 0), (1, 2), (0, 2), (3, 4), (4, 3)], [3.0, 1.0, 2.0, 1.0, 1.0, 2.0]
    prior = 1.5
    th = _map_raw(n, rows, counts, prior)
    assert abs(th.mean()) > 1e-3  # the uncentred MAP is not centred: the test can tell the two apart
    fit = fit_bradley_terry(rows, n_items=n, counts=counts, prior_strength=prior)
    np.testing.assert_allclose(fit.scores, th - th.mean(), atol=1e-6)  # BFGS's accuracy
    np.testing.assert_allclose(fit.stderr, _independent_stderr(n, rows, counts, prior, th), rtol=1e-6)


def test_xtol_is_validated():
    with pytest.raises(InvalidInputError) as ei:
        fit_bradley_terry([(0, 1), (1, 0)], xtol=0.0)
    assert ei.value.argument == "xtol"


def test_newman_maxiter_caps_both_phases():
    """method='newman': maxiter counts Newman's iterations and Newton's together, so a Newman run that uses them all
    ends unconverged rather than handing over uncapped."""
    rows = np.array([[0, 1], [1, 2], [2, 0], [1, 0], [0, 2]] * 3)
    with pytest.raises(ConvergenceError):
        fit_bradley_terry(rows, method="newman", maxiter=2, tol=1e-14)


def test_far_prior_reports_unconverged_not_a_wrong_success():
    """A prior of 1e-300 puts the MAP gap at ~692, reached by Newton at ~0.5 per step in the logistic tail: within
    the default 100 steps the fit is not there, and it says so (max_steps_reached), never successful."""
    fit = fit_bradley_terry([(0, 1)] * 3, n_items=2, prior_strength=1e-300, method="newton", throw=False,
                            stderr="none")
    t = float(_map_gap_two_items(3, 1e-300))
    assert fit.result.succeeded is bool(abs(fit.scores[0] - t) <= 1e-8 * t)


def test_xtol_inf_is_the_gradient_test_alone():
    """xtol=inf switches the step test off: no linear solve (solver 'none' after Newman), and on the flat example the
    old, documented risk comes back (a 'successful' fit far from the MAP), which is why it is not the default."""
    fit = fit_bradley_terry([(0, 1)] * 3, n_items=2, prior_strength=1e-12, xtol=float("inf"), method="newman")
    t = float(_map_gap_two_items(3, 1e-12))
    assert fit.result is RESULTS.successful and fit.solver == "none" and fit.linear_iterations == 0
    assert abs(fit.scores[0] - t) > 1.0
    with pytest.raises(InvalidInputError):
        fit_bradley_terry([(0, 1), (1, 0)], xtol=float("nan"))


def test_unresolvable_map_is_a_precision_error_not_a_raw_linalg_error():
    """Three items, 'a' beat 'b' three times, b and c split: with a prior of 1e-20 the MAP places 'a' along a
    direction of curvature ~1e-20 while the b-c terms of the gradient carry rounding noise ~1e-16, so float64
    cannot place it (the Newton step at the rounding floor is ~1e4). Before round 13: a raw LinAlgError from
    the standard errors. Now PrecisionError (throw=True) or result 'inaccurate' (throw=False), and the message
    names xtol's value."""
    from aligntheory.errors import PrecisionError

    rows = [("a", "b")] * 3 + [("b", "c"), ("c", "b")]
    with pytest.raises(PrecisionError, match=r"xtol=1e-08"):
        fit_bradley_terry(rows, prior_strength=1e-20)
    fit = fit_bradley_terry(rows, prior_strength=1e-20, throw=False)
    assert fit.result is RESULTS.inaccurate and not fit.converged
    # the same data at a resolvable prior: successful, and a beats b by the two-item-like MAP gap (> 5)
    ok = fit_bradley_terry(rows, prior_strength=1e-6)
    assert ok.converged and ok.score_of("a") - ok.score_of("b") > 5.0


@pytest.mark.parametrize("k", [9, 12, 14])
def test_fractional_counts_of_very_different_sizes(k):
    """Counts (1, 10**-k): the aggregated K - w lost the small count's relative precision (1 + 1e-12 - 1 is
    1.0000889e-12, so the fitted gap ln(1e12) was off by 9e-5, 'successful'). The losses are now summed directly.
    The MLE gap is ln(1 / c) for c the float 10**-k, evaluated in mpmath from that float's exact value."""
    c = 10.0**-k
    fit = fit_bradley_terry([(0, 1), (1, 0)], n_items=2, counts=[1.0, c])
    with mp.workdps(40):
        gap = float(-mp.log(mp.mpf(c)))
    assert fit.converged and abs((fit.scores[0] - fit.scores[1]) - gap) <= 1e-8 * gap

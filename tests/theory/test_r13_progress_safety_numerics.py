"""Round 13: numerics of the progress extrapolation / coevolution and safety multiplier functions.

Each test failed on the code before its fix. Expected values come from closed forms written here, evaluated in
exact rational arithmetic (``fractions.Fraction``) or in 50-digit mpmath, never from the code under test.
"""

import math
from fractions import Fraction as F

import numpy as np
import pytest

from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.theory.progress import extrapolate, lock_in_limit, optimal_order, vote_extrapolation_moments
from aligntheory.theory.safety import dual_ascent, log_multiplier_stability


def _weights(k, m):
    """Lagrange weights l_j(k + m) = prod_{i != j} (k + m - i) / (j - i), exact."""
    out = []
    for j in range(k + 1):
        w = F(1)
        for i in range(k + 1):
            if i != j:
                w *= F(k + m - i, j - i)
        out.append(w)
    return out


def _round(q):
    try:
        return float(q)
    except OverflowError:
        return math.inf


# ---------------------------------------------------------------------------------------------------------------
# 1. optimal_order: the objective under/overflowed in float64 and the argmin was taken on the rounded table


def test_optimal_order_compares_objectives_that_underflow_float64():
    # h = 1e-100, M_j = 1, sigma = 0: objective_k = (h^(k+1))^2, strictly decreasing; in float64 every order >= 1
    # underflowed to 0 and the tie went to order 1 instead of the true argmin 3
    h, kmax = 1e-100, 3
    exact = [(F(math.comb(1 + k, k + 1)) * F(h) ** (k + 1)) ** 2 for k in range(kmax + 1)]
    oc = optimal_order(h, 0.0, lambda j: 1.0, max_order=kmax)
    assert oc.order == min(range(kmax + 1), key=exact.__getitem__) == 3
    assert oc.bound.tolist() == [_round(q) for q in exact]


def test_optimal_order_table_is_correctly_rounded_where_h_power_underflows():
    # h = 1e-100, M_j = 1e300: (M h^4)^2 = 1e-200 at order 3, but h^4 alone underflowed, giving 0
    h, M, kmax = 1e-100, 1e300, 3
    exact = [(F(math.comb(1 + k, k + 1)) * F(M) * F(h) ** (k + 1)) ** 2 for k in range(kmax + 1)]
    oc = optimal_order(h, 0.0, [M] * (kmax + 2), 1, kmax)
    assert oc.bound.tolist() == [_round(q) for q in exact]
    assert oc.bound[3] > 0.0 and oc.order == 3


def test_optimal_order_exact_mse_argmin_survives_underflow():
    # f = 1e-170 e^t: every squared residual is below 1e-324, so the float64 exact-MSE table was all 0 and
    # exact_order 0; the residuals (exact, from the same float samples) still have a unique argmin
    h, kmax, t_last = 0.25, 5, 0.0

    def f(t):
        return 1e-170 * np.exp(t)

    exact = []
    for k in range(kmax + 1):
        t = t_last - h * np.arange(k, -1, -1, dtype=np.float64)
        fv = [F(float(x)) for x in f(t)]
        target = F(float(f(np.array([t_last + h]))[0]))
        r = target - sum(w * x for w, x in zip(_weights(k, 1), fv))
        exact.append(r * r)
    want = min(range(kmax + 1), key=exact.__getitem__)
    assert exact.count(exact[want]) == 1 and want != 0
    oc = optimal_order(h, 0.0, lambda j: 1.0, 1, kmax, f=f, t_last=t_last)
    assert oc.exact_order == want
    assert oc.exact_mse.tolist() == [_round(q) for q in exact]


# ---------------------------------------------------------------------------------------------------------------
# 2. extrapolate / vote_extrapolation_moments: the float64 weighted sum cancelled


def test_extrapolate_cancelling_sum_is_correctly_rounded():
    # order 2, one step: weights (1, -3, 3); the exact value of fl(0.3) - 3 fl(0.2) + 3 fl(0.1) is about
    # -2.78e-17, the float64 dot product gave -3.33e-17
    want = float(F(0.3) - 3 * F(0.2) + 3 * F(0.1))
    assert float(extrapolate([0.3, 0.2, 0.1], 2, 1)) == want
    got = extrapolate([[0.3, 1.0], [0.2, 4.0], [0.1, 9.0]], 2, 1)
    assert got.tolist() == [want, 16.0]


def test_extrapolate_with_weights_past_float64_is_exact_when_the_value_is():
    # order 200, 10^4 steps: the weights exceed 1.8e308 (the float weights were refused), but they sum to 1 and
    # reproduce polynomials of degree <= 200 exactly: constants and t stay representable
    vals = np.stack([np.ones(201), np.arange(201.0)], axis=1)
    assert extrapolate(vals, 200, 10**4).tolist() == [1.0, 200.0 + 10**4]


def test_vote_moments_mean_cancelling_is_correctly_rounded():
    # order 2, two steps: weights (3, -8, 6); float64 gave -0.10000000000000014
    w = _weights(2, 2)
    assert w == [3, -8, 6]
    mu = [0.3, 0.2, 0.1]
    want = float(sum(a * F(b) for a, b in zip(w, mu)))
    assert vote_extrapolation_moments(mu, 2, 2).mean == want


def test_vote_moments_variance_near_unit_means_is_correctly_rounded():
    # 1 - mu^2 at mu = 1 - 2^-30 lost its low bits (relative error 5e-10 in the variance)
    mu = [1 - 2.0**-30] * 3
    w = _weights(2, 1)
    want = float(sum(a * a * (1 - F(b) ** 2) for a, b in zip(w, mu)))
    assert vote_extrapolation_moments(mu, 2, 1).variance == want


# ---------------------------------------------------------------------------------------------------------------
# 3. lock_in_limit: refused a representable limit (intermediate overflow) and cancelled


def test_lock_in_limit_representable_limit_is_not_refused():
    # (h0 + kappa h0) / (1 + kappa) = h0: h0 / (1 + kappa) = 3.4e308 overflowed and the limit was refused
    assert lock_in_limit(-0.5, 1.7e308, 1.7e308) == 1.7e308
    out = lock_in_limit(-0.5, np.array([1.7e308, 1.0]), np.array([1.7e308, 3.0]))
    assert out.tolist() == [1.7e308, float((F(1.0) + F(-0.5) * 3) / (1 + F(-0.5)))]
    with pytest.raises(PrecisionError, match="h0, h_prev"):  # a limit that really exceeds the range is refused
        lock_in_limit(-0.5, 1.7e308, -1.7e308)


def test_lock_in_limit_cancelling_numerator_is_correctly_rounded():
    kap, h0, hp = -0.1, 0.3, 3.0
    want = float((F(h0) + F(kap) * F(hp)) / (1 + F(kap)))  # about -3.08e-17; the old two terms gave -5.55e-17
    assert lock_in_limit(kap, h0, hp) == want


# ---------------------------------------------------------------------------------------------------------------
# 4. log_multiplier_stability: 1 - a rounded to 1 (a root exactly 1: "not stable") for a tiny gain


def _rho_mp(a, window, batch):
    """Largest root modulus of z^(m-1)(z - 1) + a sum_j w_j z^(m-1-j) in 50-digit mpmath."""
    mpmath = pytest.importorskip("mpmath")
    with mpmath.workdps(50):
        m = -(-window // batch)
        w = [mpmath.mpf(min(batch, max(0, window - j * batch))) / window for j in range(m)]
        c = [mpmath.mpf(1), mpmath.mpf(-1)] + [mpmath.mpf(0)] * (m - 1)
        for j in range(m):
            c[1 + j] += mpmath.mpf(a) * w[j]
        roots = mpmath.polyroots(c, maxsteps=200, extraprec=200)
        top = max(roots, key=abs)
        return float(abs(top)), abs(top) < 1, abs(mpmath.im(top)) == 0 and mpmath.re(top) > 0


@pytest.mark.parametrize("lr,window,batch", [(1e-17, 1, 1), (1e-17, 8, 2), (3e-16, 8, 2)])
def test_log_multiplier_stability_tiny_gain_is_stable(lr, window, batch):
    rho, stable, positive_real = _rho_mp(lr, window, batch)
    assert stable and positive_real
    s = log_multiplier_stability(1.0, 1.0, lr, window=window, batch_size=batch)
    assert s.stable is True and s.oscillatory is False
    assert abs(s.spectral_radius - rho) <= 2.0**-53  # one ulp below 1
    assert s.dominant_root.imag == 0.0 and s.dominant_root.real == s.spectral_radius


def test_log_multiplier_stability_tiny_gain_radius_to_working_precision():
    # 128 rollouts in the window: the eigenvalue solver put the root near 1 at 1 - 1.1e-15 for 1 - 3e-16; the
    # expected root: Newton in 50-digit mpmath on z^127 (z - 1) + a/128 sum_j z^(127 - j) from z = 1 - a
    mpmath = pytest.importorskip("mpmath")
    with mpmath.workdps(50):
        a = mpmath.mpf(3e-16)
        root = mpmath.findroot(lambda z: z**127 * (z - 1) + a / 128 * mpmath.fsum(z ** (127 - j) for j in range(128)),
                               1 - a)
        rho = float(root)
    s = log_multiplier_stability(1.0, 1.0, 3e-16, window=256, batch_size=2)
    assert abs(s.spectral_radius - rho) <= 2.0**-53


# ---------------------------------------------------------------------------------------------------------------
# 5. dual_ascent: every argument validated, and named, before it is used (the caps were compared unvalidated)

_P = ([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 1.0, 0.5)


@pytest.mark.parametrize("kw,name", [
    (dict(step=1.0, n_steps=3, max_steps="10"), "max_steps"),  # raw TypeError ('>' between int and str)
    (dict(step=1.0, n_steps=3, max_steps=None), "max_steps"),
    (dict(step=1.0, n_steps=0, max_steps=-1), "max_steps"),  # was a SizeCapError "needs 0, cap is -1"
    (dict(step=1.0, n_steps=3, max_entries=None), "max_entries"),  # raw TypeError
    (dict(step=1.0, n_steps=3, max_entries="10"), "max_entries"),
    (dict(step=1.0, n_steps=3, throw="no"), "throw"),  # silently truthy
    (dict(step=1.0, n_steps=3, mode=np.array(["log", "x"])), "mode"),  # raw ValueError (array truth value)
])
def test_dual_ascent_names_each_bad_argument(kw, name):
    with pytest.raises(InvalidInputError) as ei:
        dual_ascent(*_P, **kw)
    assert ei.value.argument == name


@pytest.mark.parametrize("bad", [None, "10", 0, -3, 2.5])
def test_recurrence_max_work_is_validated(bad):
    """max_work was compared unvalidated: None or "10" raised a raw TypeError, 0 or -3 a SizeCapError."""
    from aligntheory.theory.progress import extrapolate_by_recurrence, extrapolated_vote

    with pytest.raises(InvalidInputError) as ei:
        extrapolate_by_recurrence([1, 4, 9], 2, 2, max_work=bad)
    assert ei.value.argument == "max_work"
    with pytest.raises(InvalidInputError) as ei:
        extrapolated_vote([0, 1, 1], order=2, steps_ahead=1, max_work=bad)
    assert ei.value.argument == "max_work"

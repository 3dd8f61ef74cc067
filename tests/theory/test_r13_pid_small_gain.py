"""pid_multiplier_stability with a tiny (or zero) integral gain: the verdict is decided before rounding.

The PID map e_{r+1} = e_r - (p + g) sum_j w_j e_{r-j} + p sum_j w_j e_{r-1-j} (p = K_P kappa, g = U K_I kappa, w the
window weights) has the characteristic polynomial, of degree m + 1,

    P(z) = z^(m+1) - z^m + (p + g) sum_{j<m} w_j z^(m-j) - p sum_{j<m} w_j z^(m-1-j).

Its companion matrix's entry 1 - (p + g) w_0 loses g to rounding for g below ~1e-16: the eigenvalue solver put the
root near 1 exactly at 1 ("not stable") or a few ulps on either side of it. The expected values here are the roots
of P itself, written out below, by mpmath's polyroots at 50 digits (p and g formed exactly from the float inputs).
"""

import pytest

from aligntheory.errors import PrecisionError
from aligntheory.theory.safety import pid_multiplier_stability, window_weights

mp = pytest.importorskip("mpmath")

ULP_BELOW_ONE = 2.0**-53


def _digits(kappa, ki, U):
    """50 digits, more where g = U K_I kappa is below 1e-30 (g = 1e-400 must survive 1 - (p + g) w_0)."""
    with mp.workdps(30):
        g = mp.mpf(U) * mp.mpf(ki) * mp.mpf(kappa)
        return 50 if g == 0 or g >= mp.mpf(10) ** -30 else 50 + int(-mp.log10(g))


def _poly_roots(kappa, kp, ki, window, batch, U=1):
    """Roots of P (50 digits, see _digits) and whether P(1) = 0 exactly."""
    w = window_weights(window, batch)
    m = w.size
    with mp.workdps(_digits(kappa, ki, U)):
        p = mp.mpf(kp) * mp.mpf(kappa)
        g = mp.mpf(U) * mp.mpf(ki) * mp.mpf(kappa)
        c = [mp.mpf(0)] * (m + 2)  # c[k] multiplies z^(m+1-k)
        c[0], c[1] = mp.mpf(1), mp.mpf(-1)
        for j in range(m):
            c[j + 1] += (p + g) * mp.mpf(w[j])  # z^(m-j)
            c[j + 2] -= p * mp.mpf(w[j])  # z^(m-1-j)
        roots = mp.polyroots(c, maxsteps=400, extraprec=200)
        root_one = mp.polyval(c, mp.mpf(1)) == 0
    return roots, root_one


# (curvature, kp, ki, window, batch_size, updates_per_rollout); p = K_P kappa, g = U K_I kappa
TINY = [
    (1.0, 0.0, 1e-17, 1, 1, 1),  # the reproducer: root 1 - 1e-17, the solver gave exactly 1, "not stable"
    (1.0, 0.0, 3e-16, 64, 2, 1),  # 32 rollouts: the solver put the root above 1
    (1.0, 1e-9, 1e-17, 4, 1, 1),  # a small K_P as well
    (1.0, 0.3, 1e-17, 4, 1, 1),  # an ordinary K_P: still within 1e-17 of 1
    (0.5, 1.4, 2e-17, 8, 2, 3),  # p = 0.7 (domain checked in code), g = 3e-17
    (1e-200, 0.0, 1e-200, 1, 1, 1),  # g = 1e-400 underflows to 0 in float64, yet K_I, kappa > 0: stable
]


@pytest.mark.parametrize("kappa, kp, ki, window, batch, U", TINY)
def test_tiny_integral_gain_matches_polynomial_roots(kappa, kp, ki, window, batch, U):
    roots, root_one = _poly_roots(kappa, kp, ki, window, batch, U)
    with mp.workdps(_digits(kappa, ki, U)):
        rho = max(abs(z) for z in roots)
        dom = max(roots, key=abs)
        others = sorted((abs(z) for z in roots), reverse=True)[1]
        assert not root_one and rho < 1  # exactly stable
        assert abs(dom.imag) < mp.mpf(10) ** -40 and dom.real > 0 and others < rho  # one positive real dominant root
        rho_f = float(rho)
    s = pid_multiplier_stability(kappa, kp, ki, window=window, batch_size=batch, updates_per_rollout=U)
    assert s.stable is True and s.oscillatory is False
    assert abs(s.spectral_radius - rho_f) <= ULP_BELOW_ONE
    assert s.dominant_root == complex(s.spectral_radius)


@pytest.mark.parametrize("kappa, kp, window, batch", [
    (1.0, 0.5, 4, 1),  # p < 1: every other root inside the unit circle
    (1.0, 1.0, 2, 1),  # p = 1: z^2 + z/2 + 1/2 beside the root 1, |z| = 0.707
    (2.0, 0.75, 2, 1),  # p = 1.5 (other roots from their own companion matrix): |z| = 0.866
])
def test_zero_integral_gain_has_the_exact_root_one(kappa, kp, window, batch):
    # K_I = 0: P(z) = (z - 1)(z^m + p W(z)); the solver put the root 1 a few ulps below 1 and said "stable"
    roots, root_one = _poly_roots(kappa, kp, 0.0, window, batch)
    with mp.workdps(50):
        assert root_one
        others = sorted((abs(z) for z in roots), reverse=True)[1]
        assert others < 1  # the root 1 alone is dominant
    s = pid_multiplier_stability(kappa, kp, 0.0, window=window, batch_size=batch)
    assert s.stable is False and s.oscillatory is False
    assert s.spectral_radius == 1.0 and s.dominant_root == 1.0
    assert s.gain == 0.0


def test_tiny_integral_gain_outside_the_proven_domain_raises():
    # p = K_P kappa = 2 >= 1: the roots of z^3 + (2/3)(z^2 + z + 1) are not bounded by the small-gain argument and the
    # root near 1 is 1 - O(1e-12); the solver alone decides nothing here
    with pytest.raises(PrecisionError, match="kp.*cannot be decided in float64"):
        pid_multiplier_stability(1.0, 2.0, 1e-12, window=3, batch_size=1)

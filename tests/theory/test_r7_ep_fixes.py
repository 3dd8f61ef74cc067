"""Issue #11 round 7 (elasticity and progress): regression tests of the library fixes."""

import math

import numpy as np
import pytest

from aligntheory.config import configure
from aligntheory.errors import PrecisionError

configure()


def test_gamma_refuses_a_subnormal_mixture_mass_instead_of_an_infinite_rate():
    """At k = 1e-310 the mass q_l = k P_p / (k + 1) on a leaf of P_p alone is subnormal (finite rate ~ 716 P_p nats),
    but XLA on CPU flushes it to zero: before the fix gamma returned gamma_p = inf with validate=True."""
    from aligntheory.kernels.elasticity import gamma

    Pp, Pa, Pt = [0.5, 0.2, 0.3], [0.5, 0.5, 0.0], [0.3, 0.3, 0.4]
    with pytest.raises(PrecisionError, match="subnormal"):
        gamma(Pp, Pa, Pt, 1e-310, 0.0)
    # a normal mass on every support is computed as before: finite, equal to the cross-entropies
    got = np.array([float(g) for g in gamma(Pp, Pa, Pt, 1e-300, 0.0)])
    q = (1e-300 * np.array(Pp) + np.array(Pa)) / (1.0 + 1e-300)
    want = [-sum(p * math.log(x) for p, x in zip(P, q) if p > 0) for P in (Pp, Pa, Pt)]
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, want, rtol=1e-13)


@pytest.mark.parametrize("name", ["elasticity_derivatives", "derivative_scales"])
def test_theory_derivatives_refuse_an_overflowing_derivative_instead_of_inf(name):
    """At k = 1e-310, l = 0, P_t / q_l = 0.4 / (k 0.3 / (1 + k)) ~ 1.3e310 exceeds float64 on a leaf of P_p alone:
    before the fix the theory layer returned d_p = d_t = -inf (with a RuntimeWarning)."""
    import warnings

    from aligntheory.theory import elasticity as T

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning either
        with pytest.raises(PrecisionError, match="float64 range"):
            getattr(T, name)([0.5, 0.2, 0.3], [0.5, 0.5, 0.0], [0.3, 0.3, 0.4], 1e-310, 0.0)
        # at k = 1e-300 every term is within range: finite
        assert np.all(np.isfinite(getattr(T, name)([0.5, 0.2, 0.3], [0.5, 0.5, 0.0], [0.3, 0.3, 0.4], 1e-300, 0.0)))


def test_batched_derivatives_refuse_a_subnormal_mixture_mass_instead_of_inf():
    """stable_derivatives_batched at k = 1e-310, l = 0 (c q_l = 3e-311 on a leaf of P_p alone in supp P_t): before
    the fix it returned d_p = d_t = -inf; k = 1e-300 (c q_l = 3e-301) and l = 0.5 stay finite."""
    from aligntheory.kernels.elasticity import stable_derivatives_batched

    P = ([0.5, 0.2, 0.3], [0.5, 0.5, 0.0], [0.3, 0.3, 0.4])
    with pytest.raises(PrecisionError, match="float64 range"):
        stable_derivatives_batched(*P, np.array([1e-310]), np.array([0.0]))
    for k, l in ((1e-300, 0.0), (1e-310, 0.5)):
        r = stable_derivatives_batched(*P, np.array([k]), np.array([l]))
        assert all(np.all(np.isfinite(np.asarray(getattr(r, f)))) for f in ("d_p", "d_a", "d_t"))

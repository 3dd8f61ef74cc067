"""Library defects found in round 10 of issue 11, each with a test that failed before its fix."""

import pytest

from aligntheory.errors import PrecisionError
from aligntheory.theory.progress import optimal_order


@pytest.mark.parametrize("sigma,scale", [(0.0, 1e200), (1e200, 1.0)])
def test_optimal_order_refuses_an_overflowing_exact_mse_with_precision_error(sigma, scale):
    # the exact MSE (f given) was formed in Python floats: (target - w @ f(t)) ** 2 and sigma ** 2 raised
    # OverflowError instead of the documented PrecisionError (found by helper gB)
    with pytest.raises(PrecisionError, match="float64 range"):
        optimal_order(1.0, sigma, [1.0, 1.0], 1, 0, f=lambda t: scale * t)


def test_optimal_order_exact_mse_unchanged_in_range():
    # f(t) = t^2 on the grid t_last = 0, h = 1: order 2 extrapolates a quadratic exactly (MSE = sigma^2 * gain)
    oc = optimal_order(1.0, 0.0, [2.0, 2.0, 2.0, 2.0, 2.0], 1, 3, f=lambda t: t * t)
    assert oc.exact_order == 2 and oc.exact_mse[2] == 0.0 and oc.exact_mse[0] == 1.0


def test_mc_delta_gamma_d_t_is_zero_when_p_t_lies_outside_the_other_supports():
    # d_t was 0 * gamma_t(0) = 0 * inf = NaN for every seed when P_t lives where P_p and P_a vanish; the docstring
    # says zeros (found by helper nE)
    pytest.importorskip("jax")
    import numpy as np

    from aligntheory.config import configure

    configure()
    import jax

    from aligntheory.kernels.elasticity import mc_delta_gamma

    Pp = np.r_[np.full(8, 1 / 8), np.zeros(8)]
    Pt = np.r_[np.zeros(8), np.full(8, 1 / 8)]
    r = mc_delta_gamma(jax.random.PRNGKey(0), Pp, Pp, Pt, 1e3, 4.0, 0.5, 4)
    assert np.asarray(r.d_t).tolist() == [0.0] * 4
    assert np.allclose(np.asarray(r.d_p), np.log1p(0.5 / 5.0), rtol=1e-12, atol=0)

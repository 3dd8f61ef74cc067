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

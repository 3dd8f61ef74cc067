"""Round-8 regression tests (ep8): library fixes found by the fifth fresh mutation sample."""

from __future__ import annotations

from fractions import Fraction

import pytest

from aligntheory.errors import PrecisionError
from aligntheory.theory.progress import extrapolation_error_bound


def test_error_bound_does_not_underflow_to_zero_when_h_power_alone_underflows():
    # order 1, 1 step: C(2, 2) M h^2 = 1e300 * 1e-400 = 1e-100. h^2 alone underflows to 0.0 in float64;
    # the old code multiplied 1e300 by exp(2 log h) = 0.0 and returned an "upper bound" of 0.0.
    expected = float(Fraction(1e300) * Fraction(1e-200) ** 2)
    assert expected > 0.0
    assert float(extrapolation_error_bound(1, 1, 1e-200, 1e300)) == expected


def test_error_bound_is_correctly_rounded_at_the_log_space_boundary():
    # log(bound) = -700 - ... (the old branch point): the value is the exact product rounded once
    for k, m, h, M in [(0, 1, 2.0**-1000, 2.0**-9), (3, 2, 1e-80, 7.0), (2, 5, 0.3, 1e-300)]:
        from math import comb
        expected = float(comb(m + k, k + 1) * Fraction(M) * Fraction(h) ** (k + 1))
        assert float(extrapolation_error_bound(k, m, h, M)) == expected


def test_error_bound_still_refuses_past_float64():
    with pytest.raises(PrecisionError):
        extrapolation_error_bound(0, 1, 2.0, 2.0**1023)
    assert float(extrapolation_error_bound(0, 1, 1.0, 2.0**1023)) == 2.0**1023

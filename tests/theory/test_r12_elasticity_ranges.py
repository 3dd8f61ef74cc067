"""chi_square, cross_term_A and r_max raise PrecisionError past float64 instead of returning inf (session 12).

Expected values: the closed forms of the two-point distributions, written here.
"""
from __future__ import annotations

import warnings

import pytest

from aligntheory.errors import PrecisionError
from aligntheory.theory.elasticity import chi_square, cross_term_A, r_max

TINY = 5e-324  # the smallest subnormal: 1.0 - TINY == 1.0, so [TINY, 1.0] is a distribution


def test_a_ratio_by_a_subnormal_p_p_is_refused_not_inf():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning either
        for call in (lambda: chi_square([0.5, 0.5], [TINY, 1.0]),
                     lambda: cross_term_A([TINY, 1.0], [0.5, 0.5], [0.5, 0.5]),
                     lambda: r_max([TINY, 1.0], [0.5, 0.5], [0.5, 0.5], 1.0)):
            with pytest.raises(PrecisionError, match="overflows float64"):
                call()


def test_tiny_but_representable_ratios_keep_their_closed_forms():
    p = 1e-300
    # chi^2([.5, .5] || [p, 1 - p]) = (.5 - p)^2/p + (.5 - (1 - p))^2/(1 - p), 1 - p == 1.0 in float64
    assert chi_square([0.5, 0.5], [p, 1.0]) == pytest.approx(0.25 / p + 0.25, rel=1e-15, abs=0.0)
    # r_max = max((P_a + l P_t)/P_p) = (0.5 + 0.5)/p at x = 0
    assert r_max([p, 1.0], [0.5, 0.5], [0.5, 0.5], 1.0) == pytest.approx(1.0 / p, rel=1e-15, abs=0.0)
    # A = sum (P_a - P_p)(P_t - P_p)/P_p = (0.5 - p)^2/p + 0.25
    assert cross_term_A([p, 1.0], [0.5, 0.5], [0.5, 0.5]) == pytest.approx(0.25 / p + 0.25, rel=1e-15, abs=0.0)

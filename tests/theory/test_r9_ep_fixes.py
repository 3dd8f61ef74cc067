"""Issue #11 round 9 (ep9): regression tests for the library fix found while pinning the elasticity derivatives.

``elasticity_ratio`` documents that it refuses the ratio where ``P_t = P_p = P_a`` (gamma_p' = 0 exactly). Before
the fix its "term scale" was the sum of |num_p| with num_p = P_a + l P_t - (1 + l) P_p already cancelled, so at
l > 0 the rounding noise of num_p was compared with itself and a meaningless ratio (4.0 here) was returned.
"""

import numpy as np
import pytest

from aligntheory.errors import InvalidInputError
from aligntheory.theory.elasticity import elasticity_ratio


@pytest.mark.parametrize("l", [0.0, 0.3, 1.7, 1e3])
def test_ratio_refused_where_gamma_p_prime_is_exactly_zero(l):
    P = np.array([0.1, 0.2, 0.3, 0.4])
    with pytest.raises(InvalidInputError) as ei:
        elasticity_ratio(P, P, P, 2.0, l)
    assert ei.value.argument == "P_t"


def test_ratio_still_returned_where_gamma_p_prime_is_small_but_resolved():
    # R(0) = k exactly (our Proposition E4), and a nearly-equal P_t still gives a finite ratio
    assert elasticity_ratio([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 10.0, 0.0) == pytest.approx(10.0, rel=1e-14, abs=0.0)
    Pp = np.array([0.25, 0.25, 0.5])
    Pt = Pp + np.array([1e-6, -1e-6, 0.0])
    assert np.isfinite(elasticity_ratio(Pp, [0.5, 0.5, 0.0], Pt, 3.0, 0.2))

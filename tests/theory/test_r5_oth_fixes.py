"""Regression tests of library fixes found in issue #11, round 5 (oth5)."""

from __future__ import annotations

import numpy as np
import pytest

from aligntheory.theory.safety import optimal_multiplier


@pytest.mark.parametrize("a", [1.0, 2.0, 4.0, 8.0, 64.0])
def test_optimal_multiplier_root_on_a_doubling_step(a):
    # r = (0, a), c = (0, 1), uniform reference, d = 1/2: the logits (r - lam c)/beta vanish at lam = a, so the
    # root is a (closed form); a power of two is hit exactly by the bracket doubling. scipy's brentq called on a
    # bracket whose end is an exact root reported an undefined iteration count (e.g. -707301640) before the fix.
    sol = optimal_multiplier([0.5, 0.5], [0.0, a], [0.0, 1.0], 1.0, 0.5)
    assert sol.lam == a
    assert sol.iterations == 0
    assert sol.residual == 0.0
    assert sol.active and sol.converged and not sol.boundary
    np.testing.assert_array_equal(sol.policy, [0.5, 0.5])
    assert sol.value == pytest.approx(a / 2, rel=1e-15, abs=0.0)  # E[r] - beta KL = a/2 - 0


def test_optimal_multiplier_root_off_the_doubling_grid_counts_iterations():
    sol = optimal_multiplier([0.5, 0.5], [0.0, 3.3], [0.0, 1.0], 1.0, 0.5)
    assert abs(sol.lam - 3.3) <= 1e-14
    assert 1 <= sol.iterations <= 500

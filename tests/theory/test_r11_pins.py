"""Session 11 of issue 11: tests for behaviour the eighth fresh mutation sample showed no test pinned.

Each expected value comes from a closed form written here, not from the library.
"""

import math

import numpy as np
import pytest

from aligntheory.theory.safety import cvx_reference_solution


def _lse(x):
    m = max(x)
    return m + math.log(sum(math.exp(v - m) for v in x))


@pytest.mark.parametrize("normalise", [False, True])
def test_cvx_reference_lagrangian_value_is_the_log_partition_plus_lambda_budget(normalise):
    # at fixed lambda the maximum over policies of E_pi[r'] - beta KL(pi || ref) is
    # beta * log sum_y ref_y exp(r'_y / beta) (Donsker-Varadhan), r' = (r - lam c) / (1 + lam if normalise else 1);
    # the Lagrangian adds lam * budget (fresh sample 8 survivor ff8e5ffed8 wrote lam / budget)
    ref, r, c, beta, lam = [0.2, 0.3, 0.5], [1.0, 0.0, 2.0], [0.5, 0.0, 1.5], 0.7, 0.4
    div = (1.0 + lam) if normalise else 1.0
    free = beta * _lse([math.log(p) + (ri - lam * ci) / div / beta for p, ri, ci in zip(ref, r, c)])
    for budget in (None, 0.25, 2.0):
        s = cvx_reference_solution(ref, r, c, beta, budget, lam=lam, normalise=normalise)
        want = free + (lam * budget if budget is not None else 0.0)
        assert math.isclose(s.value, want, rel_tol=1e-7, abs_tol=1e-8), (budget, s.value, want)
        tilt = np.array(ref) * np.exp((np.array(r) - lam * np.array(c)) / div / beta)
        np.testing.assert_allclose(s.policy, tilt / tilt.sum(), atol=1e-7)

"""Round-14: ``optimal_multiplier_batched`` below its geometric bracket.

Its docstring: a root below ``2^-n_double`` is bisected on ``[0, 2^-n_double]`` to that absolute resolution. A fresh
mutation sample (issue 11) showed that branch (bracket's lower end 0) unexercised: the default ``n_double = 1023``
reaches it only below 2^-1023. Here ``n_double`` is small, so ordinary roots fall below the bracket.

Independent route: two outcomes with reference probabilities 1/2, rewards (0, 1), costs (0, 1) and beta = 1 give
``E_lambda[c] = sigma(1 - lambda)``, so the budget ``d = sigma(1 - lambda*)`` has the root ``lambda* = 1 - logit(d)``
(computed in the test with ``scipy.special``).
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit, logit

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)

from aligntheory.kernels.safety import optimal_multiplier_batched  # noqa: E402


@pytest.mark.parametrize("n_double", [3, 10, 1023])
def test_roots_below_and_inside_the_bracket(n_double):
    """Roots 1e-2, 1e-5, 0.3 and 7, two or one of them below ``2^-n_double`` for n_double 3 and 10.

    Tolerance: the root is conditioned by the budget: ``E[c]`` is computed to a few ulp of ``d``, and
    ``d lambda / d d = -1 / (d (1 - d))``, so ``16 eps d / (d (1 - d)) = 16 eps / (1 - d)`` (~1.3e-14 here); plus the
    bisection's stopping width, 4 ulp of the bracket's upper end (``2 lambda*`` inside the bracket, ``2^-n_double``
    below it; 8 eps times the larger of the two is allowed). A bracket starting at 1 instead of 0 below
    ``2^-n_double`` returns a multiplier >= ``2^-n_double``: off by > 0.1 for n_double = 3."""
    lam_true = np.array([1e-2, 1e-5, 0.3, 7.0])
    d = expit(1.0 - lam_true)
    lam_exact = 1.0 - logit(d)  # the root of the rounded budgets
    P = len(d)
    lam = np.asarray(optimal_multiplier_batched(np.full((P, 2), 0.5), np.array([[0.0, 1.0]] * P),
                                                np.array([[0.0, 1.0]] * P), 1.0, d, n_double=n_double))
    below = lam_exact < 2.0 ** -n_double
    assert int(below.sum()) == {3: 2, 10: 1, 1023: 0}[n_double]
    eps = np.finfo(np.float64).eps
    tol = 16 * eps / (1 - d) + 8 * eps * np.maximum(lam_exact, 2.0 ** -n_double)
    assert np.all(np.abs(lam - lam_exact) <= tol), (lam, lam_exact)


def test_root_above_the_bracket_is_a_precision_error():
    """The documented other side: lambda* = 40 > 2^3 with n_double = 3 raises PrecisionError naming n_double."""
    from aligntheory.errors import PrecisionError

    with pytest.raises(PrecisionError, match="n_double"):
        optimal_multiplier_batched(np.full((1, 2), 0.5), np.array([[0.0, 1.0]]), np.array([[0.0, 1.0]]), 1.0,
                                   expit(1.0 - np.array([40.0])), n_double=3)

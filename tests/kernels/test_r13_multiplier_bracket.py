"""optimal_multiplier_batched over the float64 range (round 13).

Before round 13 the bracket started at [0, 1] and doubled at most 64 times: roots below ~1e-61 came back as
~3e-61 and roots above 2**64 as 2**64, without a flag; and an unscaled bisection width below 2**-1022 was
flushed to zero by XLA, stopping roots near 1e-300 at 1e-9 relative. Predictions: the closed-form root
beta ln 9 (two outcomes, reward 0, cost (0, 1), budget 0.1: E c = sigma(-lambda / beta)) and the theory
function's brentq root (a second algorithm) on random problems.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)

from aligntheory.errors import InvalidInputError, PrecisionError  # noqa: E402
from aligntheory.kernels.safety import optimal_multiplier_batched  # noqa: E402

P2 = np.full((1, 2), 0.5)
R0 = np.zeros((1, 2))
C01 = np.array([[0.0, 1.0]])


@pytest.mark.parametrize("beta", [1e-300, 1e-200, 1e-70, 1e-16, 1.0, 1e16, 1e70, 1e200, 1e300])
def test_closed_form_root_at_every_scale(beta):
    lam = float(optimal_multiplier_batched(P2, R0, C01, beta, np.array([0.1]))[0])
    pred = beta * math.log(9.0)
    assert abs(lam - pred) <= 1e-14 * pred  # bisection to 4 ulp of the scaled bracket; the tilt is exact here


def test_root_above_the_bracket_is_refused_or_nan():
    with pytest.raises(PrecisionError, match="n_double"):
        optimal_multiplier_batched(P2, R0, C01, 1e30, np.array([0.1]), n_double=64)
    traced = jax.jit(lambda d: optimal_multiplier_batched(P2, R0, C01, 1e30, d, n_double=64))(np.array([0.1]))
    assert np.isnan(np.asarray(traced)).all()
    with pytest.raises(InvalidInputError) as ei:
        optimal_multiplier_batched(P2, R0, C01, 1.0, np.array([0.1]), n_double=1024)
    assert ei.value.argument == "n_double"


def test_random_problems_match_the_theory_root():
    from aligntheory.theory.safety import optimal_multiplier

    rng = np.random.default_rng(13)
    P, n = 12, 6
    p = rng.dirichlet(np.ones(n), P)
    r = rng.normal(0, 1, (P, n)) * 10.0 ** rng.uniform(-3, 3, (P, 1))
    c = rng.uniform(0, 1, (P, n))
    beta = 0.3
    # budgets strictly between min c and E_pi0[c] (active constraint, finite root)
    e0 = np.array([np.exp(np.log(p[i]) + (r[i] - r[i].max()) / beta) @ c[i]
                   / np.exp(np.log(p[i]) + (r[i] - r[i].max()) / beta).sum() for i in range(P)])
    d = c.min(1) + rng.uniform(0.2, 0.8, P) * (e0 - c.min(1))
    lam = np.asarray(optimal_multiplier_batched(p, r, c, beta, d))
    for i in range(P):
        ref = optimal_multiplier(p[i], r[i], c[i], beta, float(d[i])).lam
        assert abs(lam[i] - ref) <= 1e-9 * max(ref, 1e-300)

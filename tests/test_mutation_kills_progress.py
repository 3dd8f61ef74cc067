"""Tests written to kill surviving mutants of the progress pillar (``python -m tools.mutate``,
``docs/mutation-report/progress``)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("alpha", "kappa", "drift", "m"), [(0.5, 0.3, 2.0, 0), (0.8, 0.1, -1.5, 2), (0.3, 0.1, 0.7, 3)])
def test_steady_state_lag_closed_form_evaluates_to_the_value(alpha, kappa, drift, m):
    # kills `vv * (1 + ka * (1 - mm)) / al` -> `* al` in the sympy closed form of steady_state_lag: the closed form,
    # evaluated at the bound's own substitutions, must give L = v (1 + kappa (1 - m)) / alpha, written out here

    from aligntheory.theory.progress import steady_state_lag

    b = steady_state_lag(alpha, kappa, drift, m)
    want = drift * (1 + kappa * (1 - m)) / alpha
    assert float(b) == pytest.approx(want, rel=1e-14, abs=0.0)
    expr = b.sympy()
    vals = {s: b.subs[s.name] for s in expr.free_symbols}
    assert float(expr.subs(vals)) == pytest.approx(want, rel=1e-14, abs=0.0)


def test_value_trajectory_times_have_one_entry_per_step():
    # kills `shape=(vals.shape[0],)` -> `vals.shape[1]` in ValueTrajectory: 5 steps of 2 coordinates take 5 times
    import numpy as np

    from aligntheory.errors import InvalidInputError
    from aligntheory.theory.progress import ValueTrajectory

    vals = np.arange(10.0).reshape(5, 2)
    tr = ValueTrajectory(vals, times=[0.0, 1.0, 2.5, 3.0, 7.0])
    np.testing.assert_array_equal(tr.times, [0.0, 1.0, 2.5, 3.0, 7.0])
    with pytest.raises(InvalidInputError):
        ValueTrajectory(vals, times=[0.0, 1.0])  # one time per coordinate is not one per step


@pytest.mark.parametrize(("alpha", "kappa", "m"), [(0.5, 0.3, 1), (0.8, 0.1, 2), (0.3, 0.1, 3), (1.5, 0.6, 2)])
def test_non_integer_horizon_spectral_radius_is_continuous_with_the_theory(alpha, kappa, m):
    # kills `-kappa * (1 + m)` -> `(1 - m)` in the kernels' characteristic polynomial for non-integer m: just off an
    # integer m it must agree with the theory's spectral radius at m (a second implementation)
    from aligntheory.kernels.progress import _spectral_radius
    from aligntheory.theory.progress import coevolution_stability

    rho, _failed = _spectral_radius(alpha, kappa, m + 1e-9)
    assert rho == pytest.approx(coevolution_stability(alpha, kappa, m).spectral_radius, rel=1e-6, abs=0.0)


def test_a_single_bad_vote_is_refused_by_name_with_the_offending_value():
    # kills `arr[~np.isin(...)][0]` -> `[1]` in the vote validation (one bad entry: IndexError instead of the named
    # InvalidInputError)
    from aligntheory.errors import InvalidInputError
    from aligntheory.theory.progress import extrapolated_vote

    with pytest.raises(InvalidInputError) as exc:
        extrapolated_vote([1, 2, 0, -1], 1, 1)
    assert exc.value.argument == "votes" and exc.value.received == 2


def test_optimal_order_accepts_max_order_zero():
    # kills `check_int("max_order", max_order, lo=0, ...)` -> `lo=1`: order 0 (repeat the last value) is a valid
    # candidate set of its own
    import math

    from aligntheory.theory.progress import optimal_order

    oc = optimal_order(0.25, 0.01, lambda j: math.exp(0.25), max_order=0)
    assert oc.order == 0 and len(oc.bound) == 1


def test_mc_extrapolation_mse_refuses_a_negative_noise_sd_by_name():
    # kills `check_scalar("sigma", sigma, nonnegative=True)` -> `False` in mc_extrapolation_mse
    import jax
    import numpy as np

    from aligntheory.config import configure
    from aligntheory.errors import InvalidInputError
    from aligntheory.kernels.progress import mc_extrapolation_mse

    configure()
    with pytest.raises(InvalidInputError) as exc:
        mc_extrapolation_mse(jax.random.PRNGKey(0), np.array([1.0, 1.0]), -0.5, 1, 1, 10, target=1.0)
    assert exc.value.argument == "sigma"


def test_extrapolate_batched_takes_jax_arrays_as_well_as_numpy():
    # kills `issubdtype(floating) or issubdtype(integer)` -> `and` in the jax.Array branch of extrapolate_batched
    # (every jax array would be refused). By hand: the quadratic through (0, 0), (1, 1), (2, 1) at t = 3 is
    # 3*1 - 3*1 + 1*0 = 0; a constant row stays 1
    import jax.numpy as jnp
    import numpy as np

    from aligntheory.config import configure
    from aligntheory.kernels.progress import extrapolate_batched

    configure()
    for values in (jnp.array([[0.0, 1.0, 1.0], [1.0, 1.0, 1.0]]), jnp.array([[0, 1, 1], [1, 1, 1]])):
        np.testing.assert_allclose(np.asarray(extrapolate_batched(values, 2, 1)), [0.0, 1.0], rtol=0, atol=1e-12)


def test_extrapolation_error_bound_refuses_a_negative_derivative_bound():
    # kills `check_scalar("deriv_bound", deriv_bound, nonnegative=True)` -> `False` (a sup of |f^(k+1)| is >= 0)
    from aligntheory.errors import InvalidInputError
    from aligntheory.theory.progress import extrapolation_error_bound

    with pytest.raises(InvalidInputError) as exc:
        extrapolation_error_bound(1, 1, 0.5, -2.0)
    assert exc.value.argument == "deriv_bound"
    assert float(extrapolation_error_bound(1, 1, 0.5, 2.0)) == pytest.approx(1 * 2.0 * 0.25, rel=1e-6, abs=0.0)  # C(2,2) M h^2


def test_mc_extrapolation_mse_counts_order_plus_one_entries_per_draw():
    # kills `n * (k + 1)` -> `n * (k + 0)` in the size check of mc_extrapolation_mse: 10 draws of an order-1 window
    # hold 20 entries, over a cap of 15 (10 would pass)
    import jax
    import numpy as np

    from aligntheory.config import configure
    from aligntheory.errors import SizeCapError
    from aligntheory.kernels.progress import mc_extrapolation_mse

    configure()
    with pytest.raises(SizeCapError):
        mc_extrapolation_mse(jax.random.PRNGKey(0), np.array([1.0, 1.0]), 0.1, 1, 1, 10, target=1.0, max_entries=15)
    est = mc_extrapolation_mse(jax.random.PRNGKey(0), np.array([1.0, 1.0]), 0.0, 1, 1, 10, target=1.0, max_entries=20)
    assert float(est.mse) == 0.0  # noise-free linear extrapolation of a constant is exact


def test_coevolve_score_accepts_a_single_simulated_step():
    # kills `S.shape[0] == 0` -> `== 1` in coevolve_score's emptiness check: one simulated step is a valid input;
    # repeating that step (the documented example) gives the same score
    import numpy as np

    from aligntheory.config import configure
    from aligntheory.kernels.progress import coevolve_score

    configure()
    a = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    assert float(coevolve_score(a[-1:], a)) == float(coevolve_score(np.repeat(a[-1:], 4, axis=0), a))


def test_extrapolation_error_bound_below_exp_minus_700_keeps_the_binomial():
    # kills `math.comb(m + k, k + 1)` -> `(m + k, k + 0)` in the log-space branch of extrapolation_error_bound
    # (taken when the bound is below exp(-700)): by hand C(31, 31) * 1e3 * (1e-10)**31 = 1e-307 (a normal float; the
    # mutant's C(31, 30) = 31 keeps it below exp(-700) too)
    import math

    from aligntheory.theory.progress import extrapolation_error_bound

    b = float(extrapolation_error_bound(30, 1, 1e-10, 1e3))
    assert math.log(b) < -700
    assert b == pytest.approx(math.comb(31, 31) * 1e3 * 1e-310, rel=1e-12, abs=0.0)


@pytest.mark.parametrize("sizes", [(), (True, 2), (0, 3), (2.5,), (-1,)])
def test_block_spec_refuses_every_kind_of_bad_size(sizes):
    # kills `or` -> `and` in BlockSpec's size check: empty, boolean, zero, fractional and negative sizes are each
    # refused on their own
    from aligntheory.errors import InvalidInputError
    from aligntheory.theory.progress import BlockSpec

    with pytest.raises(InvalidInputError):
        BlockSpec(sizes)


@pytest.mark.parametrize("votes", [[], [[1, 0], [0, -1]]])
def test_extrapolated_vote_refuses_empty_or_two_dimensional_votes(votes):
    # kills `arr.ndim != 1 or arr.size == 0` -> `and` in the vote validation: each condition refuses on its own
    import numpy as np

    from aligntheory.errors import InvalidInputError
    from aligntheory.theory.progress import extrapolated_vote

    with pytest.raises(InvalidInputError) as exc:
        extrapolated_vote(np.asarray(votes, dtype=np.int64), 1, 1)
    assert exc.value.argument == "votes"


def test_simulate_coevolution_batched_refuses_a_negative_horizon():
    # kills `check_scalar("steps_ahead", steps_ahead, nonnegative=True)` -> `False` in simulate_coevolution_batched
    import jax
    import numpy as np

    from aligntheory.config import configure
    from aligntheory.errors import InvalidInputError
    from aligntheory.kernels.progress import simulate_coevolution_batched

    configure()
    with pytest.raises(InvalidInputError) as exc:
        simulate_coevolution_batched(jax.random.PRNGKey(0), np.array([0.2]), np.array([0.3]), -1.0, np.ones((5, 2)),
                                     0.0, 1)
    assert exc.value.argument == "steps_ahead"


def test_noise_gain_near_the_float64_limit_is_returned_not_refused():
    """Mutation-run finding d17f41527a: the guard refused gains in [2^1023, float max].

    The exact integer gain of order 25 at horizon 7,667,666 is about 8.99e307 < sys.float_info.max
    (about 1.80e308, independent route: the exact Fraction arithmetic below); one order of magnitude
    further the gain passes 2^1024 and must raise PrecisionError.
    """
    import sys
    from fractions import Fraction

    from aligntheory.errors import PrecisionError
    from aligntheory.theory.progress import lagrange_extrapolation_weights, noise_gain

    w = lagrange_extrapolation_weights(25, 7667666, exact=True)
    exact = sum(Fraction(x) ** 2 for x in w)
    assert exact.denominator == 1 and 2**1023 <= exact.numerator < sys.float_info.max
    assert float(noise_gain(25, 7667666)) == float(exact.numerator)
    with pytest.raises(PrecisionError, match="float64 range"):
        noise_gain(25, 10**8)

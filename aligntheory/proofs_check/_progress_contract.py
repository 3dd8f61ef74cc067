"""Progress claim of issue #11, round 3: the failure contract of the pillar's public functions.

``progress.failure_contract`` (a ``contract`` claim) confronts the documented failure contract
(docs/DESIGN.md §7; the Parameters/Raises sections of the docstrings) of
:func:`~aligntheory.theory.progress.extrapolated_vote`,
:func:`~aligntheory.theory.progress.extrapolation_error_bound`,
:func:`~aligntheory.theory.progress.noise_gain`, :class:`~aligntheory.theory.progress.BlockSpec`,
:func:`~aligntheory.theory.progress.coevolve_score` and the kernels
:func:`~aligntheory.kernels.progress.mc_extrapolation_mse`,
:func:`~aligntheory.kernels.progress.coevolve_score`,
:func:`~aligntheory.kernels.progress.simulate_coevolution_batched` and
:func:`~aligntheory.kernels.progress.simulate_vote_extrapolation` with the library at the boundary of
each documented constraint. Registered by the import at the end of ``proofs_check/progress.py``.
"""

from __future__ import annotations

import numpy as np

from aligntheory.errors import InvalidInputError, PrecisionError, SizeCapError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_IIE = InvalidInputError

# noise_gain(25, m) is an integer that grows like m^50: at m = NG_LAST it is the largest gain of order
# 25 that float64 holds (1.79769e308, a 1024-bit integer at or below the float64 maximum), at
# NG_LAST + 1 the first that it does not (found by bisection on the exact gains, once, offline).
NG_ORDER, NG_LAST = 25, 7_774_702


def _names_received(call, received):
    """Run ``call``; an ``InvalidInputError`` passes through only when it reports ``received`` (the
    offending entry, as the error class documents), else the row sees a ``LookupError``."""
    try:
        return call()
    except InvalidInputError as exc:
        if exc.received != received:
            raise LookupError(f"the error reports received={exc.received!r}, not the offending {received!r}") from exc
        raise


def _equals(call, expected):
    """Run ``call``; a result other than ``expected`` (an exact integer) becomes an AssertionError."""

    def run():
        got = call()
        if got != expected:
            raise AssertionError(f"got {got}, expected {expected}")
        return got

    return run


def _rows_theory() -> list[ContractCase]:
    import aligntheory.theory.progress as T

    return [
        # extrapolated_vote: votes a non-empty 1-D sequence in {-1, 0, 1}; order in [0, MAX_ORDER]; steps_ahead >= 1
        ContractCase("extrapolated_vote: votes (1, -1, 1), order 1, 1 step accepted",
                     lambda: T.extrapolated_vote([1, -1, 1], 1, 1)),
        ContractCase("extrapolated_vote: one vote 2 refused", lambda: T.extrapolated_vote([1, 2, 1], 1, 1),
                     (_IIE, "votes")),
        ContractCase("extrapolated_vote: one vote -2 among valid ones refused",
                     lambda: T.extrapolated_vote([-2, 1, 0], 1, 1), (_IIE, "votes")),
        ContractCase("extrapolated_vote: votes (0, 1, 3) refused, the error reporting the entry 3",
                     lambda: _names_received(lambda: T.extrapolated_vote([0, 1, 3], 1, 1), 3), (_IIE, "votes")),
        ContractCase("extrapolated_vote: empty votes refused", lambda: T.extrapolated_vote([], 0, 1), (_IIE, "votes")),
        ContractCase("extrapolated_vote: 2-D votes refused",
                     lambda: T.extrapolated_vote([[1, 1], [1, 1]], 1, 1), (_IIE, "votes")),
        ContractCase("extrapolated_vote: order -1 refused", lambda: T.extrapolated_vote([1, 1], -1, 1),
                     (_IIE, "order")),
        ContractCase("extrapolated_vote: steps_ahead 0 refused", lambda: T.extrapolated_vote([1, 1], 1, 0),
                     (_IIE, "steps_ahead")),
        # round 5: order at MAX_ORDER = 200 (accepted, with the closed form of an alternating window: the (k+1)-th
        # difference vanishes, so x_{k+1} = (-1)^k (2^{k+1} - 1) for x_j = (-1)^j) and one past it; the work cap
        # (k+1) m <= max_work (default 10^6) at and one past the cap; the order reduction of a short window
        ContractCase("extrapolated_vote: order 200 = MAX_ORDER on 201 alternating votes gives 2^201 - 1",
                     _equals(lambda: T.extrapolated_vote([1, -1] * 100 + [1], 200, 1), 2**201 - 1)),
        ContractCase("extrapolated_vote: order 201 refused", lambda: T.extrapolated_vote([1, -1] * 101, 201, 1),
                     (_IIE, "order")),
        ContractCase("extrapolated_vote: (k+1) m = 4 at max_work = 4 accepted (constant window: 1)",
                     _equals(lambda: T.extrapolated_vote([1, 1], 1, 2, max_work=4), 1)),
        ContractCase("extrapolated_vote: (k+1) m = 4 over max_work = 3 refused",
                     lambda: T.extrapolated_vote([1, 1], 1, 2, max_work=3), (SizeCapError, "steps_ahead")),
        ContractCase("extrapolated_vote: (k+1) m = 101 x 9901 = 10^6 + 1, one past the default max_work, refused",
                     lambda: T.extrapolated_vote([1] * 101, 100, 9901), (SizeCapError, "steps_ahead")),
        ContractCase("extrapolated_vote: 2 votes for order 2 refused",
                     lambda: T.extrapolated_vote([1, -1], 2, 1), (_IIE, "votes")),
        ContractCase("extrapolated_vote: 2 votes for order 2 with allow_order_reduction: order 1, 2 (-1) - 1 = -3",
                     _equals(lambda: T.extrapolated_vote([1, -1], 2, 1, allow_order_reduction=True), -3)),
        # extrapolation_error_bound: h > 0, deriv_bound >= 0, PrecisionError past float64
        ContractCase("extrapolation_error_bound: deriv_bound 0 accepted",
                     lambda: float(T.extrapolation_error_bound(1, 1, 0.5, 0.0))),
        ContractCase("extrapolation_error_bound: deriv_bound -1e-300 refused",
                     lambda: T.extrapolation_error_bound(1, 1, 0.5, -1e-300), (_IIE, "deriv_bound")),
        ContractCase("extrapolation_error_bound: h 0 refused", lambda: T.extrapolation_error_bound(1, 1, 0.0, 1.0),
                     (_IIE, "h")),
        ContractCase("extrapolation_error_bound: 2 * 2^1023 (past float64) refused",
                     lambda: T.extrapolation_error_bound(0, 1, 2.0, 2.0**1023), (PrecisionError, None)),
        # noise_gain: PrecisionError exactly when the integer gain exceeds the float64 range
        ContractCase(f"noise_gain({NG_ORDER}, {NG_LAST}): the largest gain float64 holds accepted",
                     lambda: float(T.noise_gain(NG_ORDER, NG_LAST))),
        ContractCase(f"noise_gain({NG_ORDER}, {NG_LAST + 1}): the first gain past float64 refused",
                     lambda: T.noise_gain(NG_ORDER, NG_LAST + 1), (PrecisionError, None)),
        ContractCase("noise_gain: steps_ahead 0 refused", lambda: T.noise_gain(1, 0), (_IIE, "steps_ahead")),
        # BlockSpec: a non-empty tuple of positive integers
        ContractCase("BlockSpec((1,)) accepted", lambda: T.BlockSpec((1,)).dim),
        ContractCase("BlockSpec(()) refused", lambda: T.BlockSpec(()), (_IIE, "sizes")),
        ContractCase("BlockSpec((2, 0)) refused", lambda: T.BlockSpec((2, 0)), (_IIE, "sizes")),
        ContractCase("BlockSpec((True,)) refused", lambda: T.BlockSpec((True,)), (_IIE, "sizes")),
        ContractCase("BlockSpec((2.0,)) refused", lambda: T.BlockSpec((2.0,)), (_IIE, "sizes")),
        # coevolve_score (theory): (M+1)(N+1) <= max_entries, no zero rows, equal dimensions
        ContractCase("coevolve_score: 3 x 3 cosines, cap 9 accepted",
                     lambda: T.coevolve_score(np.ones((3, 1)), np.ones((3, 1)), max_entries=9)),
        ContractCase("coevolve_score: 3 x 3 cosines, cap 8 refused",
                     lambda: T.coevolve_score(np.ones((3, 1)), np.ones((3, 1)), max_entries=8), (SizeCapError, None)),
        ContractCase("coevolve_score: a zero row refused",
                     lambda: T.coevolve_score(np.array([[1.0], [0.0]]), np.ones((2, 1))), (_IIE, None)),
    ]


def _rows_kernels() -> list[ContractCase]:
    import jax

    import aligntheory.kernels.progress as K

    key = jax.random.PRNGKey(0)
    f2 = np.array([1.0, 1.0])
    p2 = np.ones((2, 1))
    return [
        # mc_extrapolation_mse: sigma >= 0, n_draws >= 2, n_draws (order + 1) <= max_entries
        ContractCase("mc_extrapolation_mse: sigma -1e-300 refused",
                     lambda: K.mc_extrapolation_mse(key, f2, -1e-300, 1, 1, 2, target=1.0), (_IIE, "sigma")),
        ContractCase("mc_extrapolation_mse: n_draws 1 refused",
                     lambda: K.mc_extrapolation_mse(key, f2, 0.0, 1, 1, 1, target=1.0), (_IIE, "n_draws")),
        ContractCase("mc_extrapolation_mse: steps_ahead 0 refused",
                     lambda: K.mc_extrapolation_mse(key, f2, 0.0, 1, 0, 2, target=1.0), (_IIE, "steps_ahead")),
        ContractCase("mc_extrapolation_mse: 2 draws x (order 1 + 1) = 4 entries, cap 3 refused",
                     lambda: K.mc_extrapolation_mse(key, f2, 0.0, 1, 1, 2, target=1.0, max_entries=3),
                     (SizeCapError, "n_draws")),
        ContractCase("mc_extrapolation_mse: f_values of length order refused",
                     lambda: K.mc_extrapolation_mse(key, f2[:1], 0.0, 1, 1, 2, target=1.0), (_IIE, "f_values")),
        # coevolve_score (kernel): cap on (M+1)(N+1) before the cosine matrix
        ContractCase("coevolve_score kernel: 3 x 3 cosines, cap 8 refused",
                     lambda: K.coevolve_score(np.ones((3, 1)), np.ones((3, 1)), max_entries=8), (SizeCapError, None)),
        ContractCase("coevolve_score kernel: no rows refused",
                     lambda: K.coevolve_score(np.ones((0, 1)), np.ones((3, 1))), (_IIE, None)),
        # simulate_coevolution_batched: steps_ahead >= 0, noise_sd >= 0, n_seeds >= 1, G n_seeds T d <= max_entries
        ContractCase("simulate_coevolution_batched: steps_ahead -1e-300 refused",
                     lambda: K.simulate_coevolution_batched(key, np.array([0.2]), np.array([0.3]), -1e-300, p2, 0.0),
                     (_IIE, "steps_ahead")),
        ContractCase("simulate_coevolution_batched: noise_sd -1e-300 refused",
                     lambda: K.simulate_coevolution_batched(key, np.array([0.2]), np.array([0.3]), 0.0, p2, -1e-300),
                     (_IIE, "noise_sd")),
        ContractCase("simulate_coevolution_batched: n_seeds 0 refused",
                     lambda: K.simulate_coevolution_batched(key, np.array([0.2]), np.array([0.3]), 0.0, p2, 0.0, 0),
                     (_IIE, "n_seeds")),
        ContractCase("simulate_coevolution_batched: 1 x 2 x 2 x 1 = 4 entries, cap 3 refused",
                     lambda: K.simulate_coevolution_batched(key, np.array([0.2]), np.array([0.3]), 0.0, p2, 0.0, 2,
                                                            max_entries=3), (SizeCapError, "n_seeds")),
        # simulate_vote_extrapolation: vote means in [-1, 1], steps_ahead >= 1
        ContractCase("simulate_vote_extrapolation: a vote mean 1 + 1e-15 refused",
                     lambda: K.simulate_vote_extrapolation(key, np.array([0.0, 1.0 + 1e-15]), 1, 1, 2), (_IIE, "mu")),
        # round 5: the default max_entries = MAX_ENTRIES = 10^8 one past its boundary (before any allocation), and
        # n_pairs * S exactly at an explicit cap accepted
        ContractCase("simulate_vote_extrapolation: 33_333_334 pairs x 3 steps = 10^8 + 2 over the default cap refused",
                     lambda: K.simulate_vote_extrapolation(key, np.zeros(3), 2, 1, 33_333_334),
                     (SizeCapError, "n_pairs")),
        ContractCase("simulate_vote_extrapolation: 2 pairs x 2 steps = 4 entries over max_entries = 3 refused",
                     lambda: K.simulate_vote_extrapolation(key, np.array([0.0, 1.0]), 1, 1, 2, max_entries=3),
                     (SizeCapError, "n_pairs")),
        ContractCase("simulate_vote_extrapolation: mu = -1 - 1e-15 refused",
                     lambda: K.simulate_vote_extrapolation(key, np.array([-1.0 - 1e-15, 0.0]), 1, 1, 2), (_IIE, "mu")),
        ContractCase("simulate_vote_extrapolation: n_pairs 0 refused",
                     lambda: K.simulate_vote_extrapolation(key, np.array([0.0, 1.0]), 1, 1, 0), (_IIE, "n_pairs")),
        ContractCase("simulate_vote_extrapolation: order + 1 = 3 > S = 2 steps refused",
                     lambda: K.simulate_vote_extrapolation(key, np.array([0.0, 1.0]), 2, 1, 2), (_IIE, "mu")),
        ContractCase("mc_extrapolation_mse: 50_000_001 draws x 2 = 10^8 + 2 over the default cap refused",
                     lambda: K.mc_extrapolation_mse(key, f2, 0.0, 1, 1, 50_000_001, target=1.0),
                     (SizeCapError, "n_draws")),
        ContractCase("coevolve_score kernel: 10^4 x (10^4 + 1) cosines over the default cap 10^8 refused",
                     lambda: K.coevolve_score(np.ones((10_000, 1)), np.ones((10_001, 1))), (SizeCapError, None)),
        ContractCase("simulate_vote_extrapolation: steps_ahead 0 refused",
                     lambda: K.simulate_vote_extrapolation(key, np.array([0.0, 1.0]), 1, 0, 2),
                     (_IIE, "steps_ahead")),
    ] + _rows_r6(K, key)


def _rows_r6(K, key) -> list[ContractCase]:
    """Round 6 (third fresh mutation sample): column counts exactly at ``order + 1`` (accepted) and one below
    (refused, before the kernel), for numpy and JAX input, and the same boundary of the other windowed kernels."""
    import jax.numpy as jnp

    v3 = np.array([[0.0, 1.0, 2.0]])
    return [
        ContractCase("extrapolate_batched: order 2 on 3 columns (= order + 1) accepted",
                     lambda: K.extrapolate_batched(v3, 2, 1)),
        ContractCase("extrapolate_batched: order 2 on 2 columns (= order) refused",
                     lambda: K.extrapolate_batched(v3[:, 1:], 2, 1), (_IIE, "values")),
        ContractCase("extrapolate_batched: order 2 on 2 columns (= order, JAX array) refused",
                     lambda: K.extrapolate_batched(jnp.asarray(v3[:, 1:]), 2, 1), (_IIE, "values")),
        ContractCase("extrapolate_batched: order 0 on 0 columns refused",
                     lambda: K.extrapolate_batched(np.zeros((1, 0)), 0, 1), (_IIE, "values")),
        ContractCase("extrapolate_batched: an extrapolation past float64 refused at the default validate = True",
                     lambda: K.extrapolate_batched(np.array([[0.0, -1e308, 1e308]]), 2, 1), (PrecisionError, None)),
        ContractCase("simulate_vote_extrapolation: order + 1 = S = 2 steps accepted",
                     lambda: K.simulate_vote_extrapolation(key, np.array([0.0, 1.0]), 1, 1, 2)),
        ContractCase("mc_extrapolation_mse: f_values of length order + 1 = 2 accepted",
                     lambda: K.mc_extrapolation_mse(key, np.array([1.0, 1.0]), 0.0, 1, 1, 2, target=1.0)),
        ContractCase("mc_extrapolation_mse: 2 draws x 2 = 4 entries exactly at max_entries = 4 accepted",
                     lambda: K.mc_extrapolation_mse(key, np.array([1.0, 1.0]), 0.0, 1, 1, 2, target=1.0,
                                                    max_entries=4)),
    ]


def _rows_r7() -> list[ContractCase]:
    """Round 7 (fourth fresh mutation sample): the shape contract of ``follow_score`` and ``predict_score`` at its
    boundaries: rows of different lengths (broadcastable ones included: one row against three), zero rows, one row
    (accepted, with its exact cosine), and the horizon exactly at and one past the end of the trajectory."""
    import aligntheory.theory.progress as T

    a3 = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 0.0]])
    return [
        ContractCase("follow_score: one row (T = 1) accepted, cos((3, 4), (4, 3)) = 24/25",
                     _equals(lambda: T.follow_score([[3.0, 4.0]], [[4.0, 3.0]]), 24 / 25)),
        ContractCase("follow_score: actual (1, 2) against predicted (3, 2) (broadcastable) refused",
                     lambda: T.follow_score(a3[:1], a3), (_IIE, "actual, predicted")),
        ContractCase("follow_score: actual (3, 2) against predicted (2, 2) refused",
                     lambda: T.follow_score(a3, a3[:2]), (_IIE, "actual, predicted")),
        ContractCase("follow_score: zero rows (0, 2) on both sides refused",
                     lambda: T.follow_score(np.zeros((0, 2)), np.zeros((0, 2))), (_IIE, "actual, predicted")),
        ContractCase("predict_score: T - 1 + horizon = N (the last step) accepted, cos((2, 0), (1, 0)) = 1",
                     _equals(lambda: T.predict_score(a3, a3[:1], 2), 1.0)),
        ContractCase("predict_score: T - 1 + horizon = N + 1 refused",
                     lambda: T.predict_score(a3, a3[1:], 2), (_IIE, "horizon")),
        ContractCase("predict_score: horizon 0 refused (k >= 1)",
                     lambda: T.predict_score(a3, a3[:1], 0), (_IIE, "horizon")),
        ContractCase("predict_score: zero predicted rows refused",
                     lambda: T.predict_score(a3, np.zeros((0, 2)), 1), (_IIE, "horizon")),
    ]


def _rows_r8() -> list[ContractCase]:
    """Round 8 (fifth fresh mutation sample): the exact recurrence, the coefficients, ``extrapolate`` and
    ``optimal_order`` at their documented boundaries: exactly ``order + 1`` values (accepted, with the exact value)
    and ``order`` (refused); ``max_work`` exactly at and one under ``(k + 1) m``; the default cap by a run well inside
    it; orders 60 / 61 of the coefficients, 61 of ``max_order``; the documented defaults by behaviour."""
    import math
    from fractions import Fraction

    import aligntheory.theory.progress as T

    def lst(call, expected):
        return _equals(lambda: np.asarray(call()).tolist(), expected)

    c60 = [math.comb(61, i) * (-1) ** (60 - i) for i in range(61)]
    sq = [[1.0, 2.0], [4.0, 3.0], [9.0, 4.0]]
    return [
        ContractCase("extrapolate_by_recurrence: order 2 on 3 = order + 1 values accepted (t^2 at t = 5: 25)",
                     _equals(lambda: T.extrapolate_by_recurrence([1, 4, 9], 2, 2), 25)),
        ContractCase("extrapolate_by_recurrence: order 2 on 2 = order values refused",
                     lambda: T.extrapolate_by_recurrence([4, 9], 2, 1), (_IIE, "values")),
        ContractCase("extrapolate_by_recurrence: order 1 on 0 values refused",
                     lambda: T.extrapolate_by_recurrence([], 1, 1), (_IIE, "values")),
        ContractCase("extrapolate_by_recurrence: the last order + 1 of 4 values used (t^2: 16)",
                     _equals(lambda: T.extrapolate_by_recurrence([100, 1, 4, 9], 2, 1), 16)),
        ContractCase("extrapolate_by_recurrence: order 0, 3 steps repeats the last value",
                     _equals(lambda: T.extrapolate_by_recurrence([5, 7], 0, 3), 7)),
        ContractCase("extrapolate_by_recurrence: fractions 1/2, 3/2, order 1, 1 step: 5/2",
                     _equals(lambda: T.extrapolate_by_recurrence([Fraction(1, 2), Fraction(3, 2)], 1, 1),
                             Fraction(5, 2))),
        ContractCase("extrapolate_by_recurrence: numpy int64 values accepted (t^3 at t = 5: 125)",
                     _equals(lambda: T.extrapolate_by_recurrence(np.array([1, 8, 27, 64]), 3, 1), 125)),
        ContractCase("extrapolate_by_recurrence: a bool value refused",
                     lambda: T.extrapolate_by_recurrence([1, True], 1, 1), (_IIE, "values")),
        ContractCase("extrapolate_by_recurrence: a float value refused",
                     lambda: T.extrapolate_by_recurrence([1, 2.0], 1, 1), (_IIE, "values")),
        ContractCase("extrapolate_by_recurrence: (k+1) m = 4 at max_work = 4 accepted (linear: 2 steps past 3 is 5)",
                     _equals(lambda: T.extrapolate_by_recurrence([2, 3], 1, 2, max_work=4), 5)),
        ContractCase("extrapolate_by_recurrence: (k+1) m = 4 over max_work = 3 refused",
                     lambda: T.extrapolate_by_recurrence([2, 3], 1, 2, max_work=3), (SizeCapError, "steps_ahead")),
        ContractCase("extrapolate_by_recurrence: 1000 steps of order 0 inside the default cap 10^6 accepted",
                     _equals(lambda: T.extrapolate_by_recurrence([3], 0, 1000), 3)),
        ContractCase("extrapolate_by_recurrence: (k+1) m = 101 x 9901 = 10^6 + 1 over the default cap refused",
                     lambda: T.extrapolate_by_recurrence([1] * 101, 100, 9901), (SizeCapError, "steps_ahead")),
        ContractCase("extrapolate_by_recurrence: steps_ahead 0 refused",
                     lambda: T.extrapolate_by_recurrence([1, 2], 1, 0), (_IIE, "steps_ahead")),
        ContractCase("extrapolation_coefficients: order 60 accepted, C(61, i) (-1)^(60 - i)",
                     lst(lambda: T.extrapolation_coefficients(60), c60)),
        ContractCase("extrapolation_coefficients: order 61 refused",
                     lambda: T.extrapolation_coefficients(61), (_IIE, "order")),
        ContractCase("extrapolation_coefficients: order 0 accepted, (1)",
                     lst(lambda: T.extrapolation_coefficients(0), [1])),
        ContractCase("extrapolation_coefficients: order 3 is (-1, 4, -6, 4)",
                     lst(lambda: T.extrapolation_coefficients(3), [-1, 4, -6, 4])),
        ContractCase("extrapolate: order 2 on 3 values accepted (t^2: 16)",
                     _equals(lambda: float(T.extrapolate([1.0, 4.0, 9.0], 2, 1)), 16.0)),
        ContractCase("extrapolate: order 2 on 2 values refused at the default allow_order_reduction = False",
                     lambda: T.extrapolate([4.0, 9.0], 2, 1), (_IIE, "values")),
        ContractCase("extrapolate: one value with allow_order_reduction: order 0, the value itself",
                     _equals(lambda: float(T.extrapolate([5.0], 2, 3, allow_order_reduction=True)), 5.0)),
        ContractCase("extrapolate: zero values with allow_order_reduction refused",
                     lambda: T.extrapolate(np.zeros(0), 0, 1, allow_order_reduction=True), (_IIE, "values")),
        ContractCase("extrapolate: the last order + 1 of 4 values used (t^2: 16)",
                     _equals(lambda: float(T.extrapolate([100.0, 1.0, 4.0, 9.0], 2, 1)), 16.0)),
        ContractCase("extrapolate: columns (t^2, t + 1) extrapolated separately: (16, 5)",
                     lst(lambda: T.extrapolate(sq, 2, 1), [16.0, 5.0])),
        ContractCase("extrapolate: an all-zero window of 2 columns gives zeros of shape (2,)",
                     lst(lambda: T.extrapolate(np.zeros((3, 2)), 1, 1), [0.0, 0.0])),
        ContractCase("extrapolate: values (1e300, 2e300), order 1, 1 step: 3e300 (scale-safe)",
                     _equals(lambda: float(T.extrapolate([1e300, 2e300], 1, 1)), 3e300)),
        ContractCase("extrapolate: a scalar (0-D) refused", lambda: T.extrapolate(1.0, 0, 1), (_IIE, "values")),
        ContractCase("extrapolate: 3-D values refused",
                     lambda: T.extrapolate(np.zeros((2, 1, 1)), 0, 1), (_IIE, "values")),
        ContractCase("optimal_order: max_order 61 refused",
                     lambda: T.optimal_order(0.5, 0.1, [1.0] * 63, 1, 61), (_IIE, "max_order")),
        ContractCase("optimal_order: max_order 0 accepted: order 0, one objective",
                     _equals(lambda: (lambda o: (o.order, o.bound.shape))(T.optimal_order(0.5, 0.1, [1.0] * 2, 1, 0)),
                             (0, (1,)))),
        ContractCase("optimal_order: the default max_order = 10 gives 11 objectives",
                     _equals(lambda: T.optimal_order(0.5, 0.1, [1.0] * 12).bound.shape, (11,))),
        ContractCase("optimal_order: deriv_bounds of length max_order + 2 (M_0..M_{max_order + 1}) accepted",
                     lambda: T.optimal_order(0.5, 0.1, [1.0] * 4, 1, 2)),
        ContractCase("optimal_order: deriv_bounds of length max_order + 1 refused",
                     lambda: T.optimal_order(0.5, 0.1, [1.0] * 3, 1, 2), (_IIE, "deriv_bounds")),
        ContractCase("optimal_order: a negative deriv_bounds entry refused",
                     lambda: T.optimal_order(0.5, 0.1, [1.0, -1.0, 1.0], 1, 1), (_IIE, "deriv_bounds[1]")),
        ContractCase("optimal_order: sigma -1e-300 refused",
                     lambda: T.optimal_order(0.5, -1e-300, [1.0] * 3, 1, 1), (_IIE, "sigma")),
        ContractCase("optimal_order: h 0 refused", lambda: T.optimal_order(0.0, 0.1, [1.0] * 3, 1, 1), (_IIE, "h")),
        ContractCase("optimal_order: sigma 0 accepted", lambda: T.optimal_order(0.5, 0.0, [1.0] * 3, 1, 1)),
        ContractCase("optimal_order: steps_ahead 0 refused",
                     lambda: T.optimal_order(0.5, 0.1, [1.0] * 3, 0, 1), (_IIE, "steps_ahead")),
        ContractCase("optimal_order: an objective past float64 at every order (h = 10, M_j = 1e300, no f) refused",
                     lambda: T.optimal_order(10.0, 0.1, [1e300] * 4, 1, 2), (PrecisionError, None)),
        ContractCase("optimal_order: finite at order 0 only (h = 1e50, M_j = 1e100, no f) accepted: order 0",
                     _equals(lambda: T.optimal_order(1e50, 0.1, [1e100] * 4, 1, 2).order, 0)),
    ]


@claim(
    id="progress.failure_contract",
    statement="The documented failure contract of the progress pillar's main public functions (extrapolated_vote, "
    "extrapolation_error_bound, noise_gain, BlockSpec, coevolve_score, and the kernels mc_extrapolation_mse, "
    "coevolve_score, simulate_coevolution_batched, simulate_vote_extrapolation) holds at the boundary of each "
    "documented constraint: the accepted side returns a finite result, one step outside is refused with the "
    "documented error class naming the argument; noise_gain accepts the largest gain float64 holds and refuses the "
    "next one.",
    source=[Source(key="qiu2024progressgym", where="failure contract, docs/DESIGN.md §7")],
    provenance="M",
    kind="contract",
    tolerance="exact: each documented boundary on its documented side",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_failure_contract(ctx: Context) -> Evidence:
    """Predicted: each row's documented side (a finite result, or the documented error naming the argument).

    Measured: the call. Tolerance: exact (a boundary is on one side or the other).
    """
    rows = _rows_theory() + _rows_kernels() + _rows_r7() + _rows_r8()
    return contract_evidence(rows)

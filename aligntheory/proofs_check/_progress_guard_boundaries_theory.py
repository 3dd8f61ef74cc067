"""Guard-condition claims (issue 11, round 10): every condition of every raising guard of the progress theory decides a row.

``progress.guard_conditions_theory`` (``contract``) calls the public functions of
``aligntheory.theory.progress`` on inputs chosen so that EACH atomic condition of each hand-written
raising guard (``A or B`` → a row where only A holds, one where only B holds, an accepted row where
neither holds; a comparison → a row at its edge and one step off) decides the outcome once. Accepted
rows check their result against a one-line closed form written here (cosines of small integer vectors,
binomial extrapolation weights, ProgressGym's lock-in limit), not only finiteness. The table is fixed
in advance and reads no seed. Registered by the import at the end of ``proofs_check/progress.py``.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.proofs_check._helpers import ContractCase, accepted, contract_evidence, refused
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_IIE = InvalidInputError
_R2 = 1.0 / math.sqrt(2.0)


_ok, _no = accepted, refused  # the shared row builders of proofs_check._helpers


def _rows() -> list[ContractCase]:
    import aligntheory.theory.progress as P

    a3 = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    z02 = np.zeros((0, 2))

    def sch():
        return P.ValueSchema((("g", ("a", "b")),))

    return [
        # _unit_rows: ndim not in (1, 2) or d == 0; a zero row
        _ok("cosine: (3, 4) vs (4, 3) = 24/25", lambda: P.cosine([3.0, 4.0], [4.0, 3.0]), 24 / 25),
        _ok("cosine: d = 1, (2) vs (-3) = -1", lambda: P.cosine([2.0], [-3.0]), -1.0),
        _ok("cosine: tiny nonzero 1e-300 vs (1, 0) = 1", lambda: P.cosine([1e-300, 0.0], [1.0, 0.0]), 1.0),
        _no("follow_score: d = 0 (T = 1)", lambda: P.follow_score([[]], [[]]), "actual"),
        _no("follow_score: a zero row (row 1)", lambda: P.follow_score([[1.0, 0.0], [0.0, 0.0]], [[1.0, 0.0]] * 2),
            "actual", match="row 1"),
        _no("cosine: zero vector b", lambda: P.cosine([1.0, 0.0], [0.0, 0.0]), "b"),
        # _pair2d: A.shape[1] != B.shape[1]
        _no("coevolve_score: d = 2 vs d = 3, same T", lambda: P.coevolve_score([[1.0, 0.0]], [[1.0, 0.0, 0.0]]),
            "simulated, actual"),
        _no("follow_score: d = 2 vs d = 3", lambda: P.follow_score([[1.0, 0.0]], [[1.0, 0.0, 0.0]]), "actual, predicted"),
        # follow_score: A.shape != E.shape or T == 0
        _ok("follow_score: docstring example = 0.5",
            lambda: P.follow_score([[1.0, 0.0], [0.0, 1.0]], [[2.0, 0.0], [1.0, 0.0]]), 0.5),
        _ok("follow_score: T = 1, (1, 0) vs (1, 1) = 1/sqrt 2", lambda: P.follow_score([[1.0, 0.0]], [[1.0, 1.0]]), _R2),
        _no("follow_score: T = 2 vs T = 1 (shapes differ only)", lambda: P.follow_score(a3[:2], a3[:1]),
            "actual, predicted"),
        _no("follow_score: T = 0 (same shape)", lambda: P.follow_score(z02, z02), "actual, predicted"),
        # predict_score: T == 0 or T - 1 + k > N
        _ok("predict_score: T - 1 + k = N (edge), mean(1/sqrt2, 0)",
            lambda: P.predict_score(a3, [[1.0, 0.0], [1.0, 0.0]], 1), _R2 / 2),
        _ok("predict_score: T = 1, k = 2 = N (edge)", lambda: P.predict_score(a3, [[1.0, 1.0]], 2), _R2),
        _no("predict_score: T - 1 + k = N + 1 (T = 3, k = 1)", lambda: P.predict_score(a3, a3, 1), "horizon"),
        _no("predict_score: T - 1 + k = N + 1 (T = 2, k = 2)", lambda: P.predict_score(a3, a3[:2], 2), "horizon"),
        _no("predict_score: T = 0", lambda: P.predict_score(a3, z02, 1), "horizon"),
        # coevolve_score: M + 1 == 0 or N + 1 == 0
        _ok("coevolve_score: one state vs (1,0),(1,1): mean(1, 1/sqrt2)",
            lambda: P.coevolve_score([[1.0, 0.0]], [[1.0, 0.0], [1.0, 1.0]]), (1 + _R2) / 2),
        _ok("coevolve_score: one vs one, cos = 1/sqrt2", lambda: P.coevolve_score([[1.0, 1.0]], [[1.0, 0.0]]), _R2),
        _ok("coevolve_score: T = 2 vs T = 3 (T differ)", lambda: P.coevolve_score(np.repeat(a3[-1:], 2, axis=0), a3), 1.0),
        _no("coevolve_score: simulated empty", lambda: P.coevolve_score(z02, a3), "simulated, actual"),
        _no("coevolve_score: actual empty", lambda: P.coevolve_score(a3, z02), "simulated, actual"),
        # _window: ndim not in (1, 2); n < k + 1 and (not allow_order_reduction or n == 0)
        _ok("extrapolate: 1-D t^2, order 2, 2 ahead = 25", lambda: P.extrapolate([1.0, 4.0, 9.0], 2, 2), 25.0),
        _ok("extrapolate: 2-D, order 1 = 2 x1 - x0", lambda: P.extrapolate([[0.0, 1.0], [1.0, 3.0]], 1, 1), [2.0, 5.0]),
        _no("extrapolate: 3-D values", lambda: P.extrapolate(np.ones((2, 1, 1)), 1, 1), "values"),
        _no("extrapolate: 0-D values", lambda: P.extrapolate(5.0, 0, 1), "values"),
        _ok("extrapolate: n = k + 1 (edge), order 1", lambda: P.extrapolate([1.0, 3.0], 1, 1), 5.0),
        _no("extrapolate: n = k (2 points, order 2), no reduction", lambda: P.extrapolate([1.0, 3.0], 2, 1), "values"),
        _ok("extrapolate: 2 points, order 2 reduced to 1", lambda: P.extrapolate([1.0, 3.0], 2, 1,
                                                                                 allow_order_reduction=True), 5.0),
        _ok("extrapolate: 1 point, order 3 reduced to 0", lambda: P.extrapolate([7.0], 3, 2,
                                                                                allow_order_reduction=True), 7.0),
        _no("extrapolate: 0 points with reduction", lambda: P.extrapolate([], 1, 1, allow_order_reduction=True),
            "values"),
        # extrapolate_by_recurrence: entry types; len(vals) < k + 1
        _ok("extrapolate_by_recurrence: np.int64 and Fraction, -1 + 2 (3/2) = 2",
            lambda: P.extrapolate_by_recurrence([np.int64(1), Fraction(3, 2)], 1, 1), 2.0),
        _ok("extrapolate_by_recurrence: 3 points order 2 (edge), t^2 at 5", lambda: P.extrapolate_by_recurrence(
            [1, 4, 9], 2, 2), 25.0),
        _no("extrapolate_by_recurrence: a bool entry", lambda: P.extrapolate_by_recurrence([1, True, 3], 1, 1),
            "values"),
        _no("extrapolate_by_recurrence: a float entry", lambda: P.extrapolate_by_recurrence([1, 2.0], 1, 1), "values"),
        _no("extrapolate_by_recurrence: 2 points, order 2", lambda: P.extrapolate_by_recurrence([1, 4], 2, 1), "values"),
        # noise_gain: the internal integer check (sum of squared binomial weights)
        _ok("noise_gain(2, 1) = C(6,3) - 1 = 19", lambda: float(P.noise_gain(2, 1)), math.comb(6, 3) - 1),
        _ok("noise_gain(1, 2) = 2^2 + 3^2 = 13", lambda: float(P.noise_gain(1, 2)), 13.0),
        # optimal_order: j >= len(deriv_bounds); every bound / exact MSE non-finite
        _ok("optimal_order: len(deriv_bounds) = 2 = max_order + 2 (edge), bound (h M)^2 = 0.25",
            lambda: P.optimal_order(0.5, 0.0, [1.0, 1.0], 1, 0).bound, [0.25]),
        _no("optimal_order: len(deriv_bounds) = 1", lambda: P.optimal_order(0.5, 0.0, [1.0], 1, 0), "deriv_bounds"),
        _no("optimal_order: sigma^2 overflows every bound", lambda: P.optimal_order(1.0, 1e200, [1.0, 1.0], 1, 0),
            None, PrecisionError),
        # (the exact-MSE-only disjunct is unreachable: a Python-float square raises OverflowError first; reported)
        _ok("optimal_order: f(t) = t, exact MSE (1 - 0)^2 = 1",
            lambda: P.optimal_order(1.0, 0.0, [1.0, 1.0], 1, 0, f=lambda t: 1.0 * t).exact_mse, [1.0]),
        # _vote_matrix: ndim != 2 or an empty axis; float non-finite; entries
        _ok("extrapolate_preference_history: docstring, weights (1,-3,3) @ votes",
            lambda: P.extrapolate_preference_history([[1, 0, -1], [1, 1, -1], [1, 1, 1]], 2, 1).votes,
            np.array([1, -3, 3]) @ np.array([[1, 0, -1], [1, 1, -1], [1, 1, 1]])),
        _ok("extrapolate_preference_history: 1-D int (-1, 1), order 4 -> p = 1, 2 ahead: weights (-2, 3) -> 5",
            lambda: P.extrapolate_preference_history([-1, 1], 4, 2).votes, [3 * 1 - 2 * (-1)]),
        _ok("extrapolate_preference_history: shape (1, 1)", lambda: P.extrapolate_preference_history([[1]], 0, 1).votes,
            [1]),
        _ok("extrapolate_preference_history: float votes (1.0, -1.0), -1 - 2 = -3",
            lambda: P.extrapolate_preference_history([[1.0], [-1.0]], 1, 1).votes, [-3]),
        _no("extrapolate_preference_history: 3-D votes", lambda: P.extrapolate_preference_history(
            np.ones((1, 1, 1), dtype=int), 0, 1), "votes"),
        _no("extrapolate_preference_history: shape (0, 2)", lambda: P.extrapolate_preference_history(
            np.zeros((0, 2), dtype=int), 0, 1), "votes"),
        _no("extrapolate_preference_history: shape (2, 0)", lambda: P.extrapolate_preference_history(
            np.zeros((2, 0), dtype=int), 0, 1), "votes"),
        _no("extrapolate_preference_history: a nan vote", lambda: P.extrapolate_preference_history(
            [[1.0], [np.nan]], 1, 1), "votes", match="non-finite"),
        _no("extrapolate_preference_history: a vote 2 at (1, 0)", lambda: P.extrapolate_preference_history(
            [[1, 1], [2, 0]], 1, 1), "votes", match="timestep 1, pair 0"),
        # ValueSchema: groups non-empty with dims; names str non-empty; unique dims and groups
        _ok("ValueSchema: two groups, distinct names -> dim 3",
            lambda: P.ValueSchema((("g", ("a",)), ("h", ("b", "c")))).dim, 3),
        _no("ValueSchema: no groups", lambda: P.ValueSchema(()), "groups"),
        _no("ValueSchema: a group without dims", lambda: P.ValueSchema((("g", ("a",)), ("h", ()))), "groups"),
        _no("ValueSchema: a non-str name", lambda: P.ValueSchema((("g", ("a", 1)),)), "groups"),
        _no("ValueSchema: an empty name", lambda: P.ValueSchema((("g", ("",)),)), "groups"),
        _no("ValueSchema: a duplicated dim", lambda: P.ValueSchema((("g", ("a", "a")),)), "groups"),
        _no("ValueSchema: a duplicated group", lambda: P.ValueSchema((("g", ("a",)), ("g", ("b",)))), "groups"),
        # ValueSchema.as_array: ndim != 2 or columns != dim; unknown or missing keys
        _ok("as_array: (2, 2)", lambda: sch().as_array(np.ones((2, 2))), np.ones((2, 2))),
        _ok("as_array: 1-D (1, 2) -> one row", lambda: sch().as_array([1.0, 2.0]), [[1.0, 2.0]]),
        _ok("as_array: record {a, b}", lambda: sch().as_array({"b": 2.0, "a": 1.0}), [[1.0, 2.0]]),
        _no("as_array: 3-D", lambda: sch().as_array(np.ones((1, 1, 2))), "values"),
        _no("as_array: 3 columns", lambda: sch().as_array(np.ones((2, 3))), "values"),
        _no("as_array: 1 column", lambda: sch().as_array(np.ones((2, 1))), "values"),
        _no("as_array: an unknown key", lambda: sch().as_array({"a": 1.0, "b": 2.0, "c": 3.0}), "values[0]",
            match="unknown ['c']"),
        _no("as_array: a missing key", lambda: sch().as_array([{"a": 1.0, "b": 2.0}, {"a": 1.0}]), "values[1]",
            match="missing ['b']"),
        # BlockSpec sizes: non-empty, ints (not bool) >= 1
        _ok("BlockSpec: sizes (1, int64 2) -> dim 3", lambda: P.BlockSpec((1, np.int64(2)), ("x", "y")).dim, 3),
        _no("BlockSpec: no sizes", lambda: P.BlockSpec((), ()), "sizes"),
        _no("BlockSpec: a bool size", lambda: P.BlockSpec((2, True), ("x", "y")), "sizes"),
        _no("BlockSpec: a float size", lambda: P.BlockSpec((2.0,), ("x",)), "sizes"),
        _no("BlockSpec: a size 0", lambda: P.BlockSpec((2, 0), ("x", "y")), "sizes"),
        # ValueVector / ValueTrajectory: blocks cover d; times strictly increasing
        _ok("ValueVector: blocks (1, 2) cover d = 3", lambda: P.ValueVector([1.0, 2.0, 3.0], P.BlockSpec((1, 2))).block(
            "block1"), [2.0, 3.0]),
        _no("ValueVector: blocks cover 2 of d = 3", lambda: P.ValueVector([1.0, 2.0, 3.0], P.BlockSpec((1, 1))),
            "blocks"),
        _ok("ValueTrajectory: times (0, 1)", lambda: P.ValueTrajectory([[1.0], [2.0]], times=[0.0, 1.0]).n_steps, 1),
        _no("ValueTrajectory: times (0, 0)", lambda: P.ValueTrajectory([[1.0], [2.0]], times=[0.0, 0.0]), "times"),
        _no("ValueTrajectory: times (1, 0)", lambda: P.ValueTrajectory([[1.0], [2.0]], times=[1.0, 0.0]), "times"),
        _ok("ValueTrajectory: T = 3, blocks cover d = 2", lambda: P.ValueTrajectory(
            np.zeros((3, 2)), blocks=P.BlockSpec((2,), ("x",))).n_steps, 2),
        _no("ValueTrajectory: T = 3, blocks cover 3 != d = 2", lambda: P.ValueTrajectory(
            np.zeros((3, 2)), blocks=P.BlockSpec((3,), ("x",))), "blocks"),
        # _votes: 1-D non-empty; float finite; entries in {-1, 0, 1}
        _ok("extrapolated_vote: (1), order 0", lambda: P.extrapolated_vote([1], 0, 1), 1),
        _ok("extrapolated_vote: float (1.0, -1.0), order 1 -> -3", lambda: P.extrapolated_vote([1.0, -1.0], 1, 1), -3),
        _ok("extrapolated_vote: (-1, 0, 1), order 2 -> -1 + 3 = 2", lambda: P.extrapolated_vote([-1, 0, 1], 2, 1), 2),
        _no("extrapolated_vote: 2-D votes", lambda: P.extrapolated_vote([[1]], 0, 1), "votes"),
        _no("extrapolated_vote: no votes", lambda: P.extrapolated_vote([], 0, 1), "votes"),
        _no("extrapolated_vote: a nan vote", lambda: P.extrapolated_vote([1.0, np.nan], 1, 1), "votes",
            match="non-finite"),
        _no("extrapolated_vote: a vote 2", lambda: P.extrapolated_vote([1, 2], 1, 1), "votes"),
        # vote_extrapolation_moments: |mu| <= 1
        _ok("vote_extrapolation_moments: mu = (1, -1) -> mean -3", lambda: P.vote_extrapolation_moments(
            [1.0, -1.0], 1, 1).mean, -3.0),
        _no("vote_extrapolation_moments: mu = 1 + 2^-52", lambda: P.vote_extrapolation_moments(
            [1.0, 1.0 + 2.0**-52], 1, 1), "mu"),
        # coevolution: finite roots; kappa > -1; alpha > 0; |kappa| < 1
        _ok("coevolution_stability(0.2, 0.3, 0): stable", lambda: P.coevolution_stability(0.2, 0.3, 0).stable, 1.0),
        _ok("coevolution_stability(0.2, 0.3, 1): rho < 1", lambda: float(
            P.coevolution_stability(0.2, 0.3, 1).spectral_radius < 1), 1.0),
        _no("coevolution_stability(0.5, 1e200, 1): roots finite, a0^2 overflows", lambda: P.coevolution_stability(
            0.5, 1e200, 1), None, PrecisionError),
        _ok("first_order_spectral_radius(0.01, -0.5) = 1 - 0.01/0.5", lambda: float(
            P.first_order_spectral_radius(0.01, -0.5)), 0.98),
        _no("first_order_spectral_radius: kappa = -1", lambda: P.first_order_spectral_radius(0.01, -1.0), "kappa"),
        _ok("steady_state_lag(0.2, 0.3, 0.1) = 0.1 * 1.3 / 0.2", lambda: float(P.steady_state_lag(0.2, 0.3, 0.1)), 0.65),
        _no("steady_state_lag: alpha = 0", lambda: P.steady_state_lag(0.0, 0.3, 0.1), "alpha"),
        _no("steady_state_lag: alpha = -0.1", lambda: P.steady_state_lag(-0.1, 0.3, 0.1), "alpha"),
        _ok("lock_in_limit(0.6, 3, 1) = 4.2/1.6", lambda: P.lock_in_limit(0.6, 3.0, 1.0), 2.25),
        _ok("lock_in_limit(-0.5, 1, 1) = 0.5/0.5", lambda: P.lock_in_limit(-0.5, 1.0, 1.0), 1.0),
        _no("lock_in_limit: kappa = 1", lambda: P.lock_in_limit(1.0, 3.0, 1.0), "kappa"),
        _no("lock_in_limit: kappa = -1", lambda: P.lock_in_limit(-1.0, 3.0, 1.0), "kappa"),
    ]


@claim(
    id="progress.guard_conditions_theory",
    statement="Each atomic condition of each raising guard of the progress theory (aligntheory.theory.progress: "
              "cosine scores, extrapolation, vote histories, value schemas and blocks, co-evolution) decides one "
              "row: a row where it alone holds is refused with the named error and argument, a row where none "
              "holds is accepted with its closed-form result, comparisons are tested at their edge and one step off.",
    source=[Source(key="qiu2024progressgym", where="Raises sections of the progress docstrings; spec A.1")],
    provenance="M",
    kind="contract",
    tolerance="exact sides; accepted values within 1e-12 relative of their closed forms",
    rice={"C"},
    stage="backward:assurance",
)
def check_guard_conditions_theory(ctx: Context) -> Evidence:
    """Predicted: each row's documented side and closed-form value; measured: the library's call."""
    return contract_evidence(_rows())

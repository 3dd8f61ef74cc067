"""Argument-boundary claims (issue 11): each validated argument of the progress pillar refused one step past its documented boundary and accepted at it.

``progress.argument_boundaries`` (a ``contract`` claim) calls the pillar's public functions
(``aligntheory.theory.progress`` and, refused rows only, the kernels ``aligntheory.kernels.progress``)
with each validated argument exactly AT each closed boundary (a result is expected) and ONE STEP PAST
it (the named error of ``aligntheory.errors``, naming the argument). The boundaries come from the
Parameters sections of the functions' docstrings (``0 <= order <= MAX_ORDER = 200``, ``steps_ahead >=
1``, ``h > 0``, ``-1 <= kappa <= 1``, ...) and their documented keyword caps (``max_work``,
``max_entries``); a cap row lowers the cap keyword so the smallest input costs ``cap + 1``.
Validation runs before any work, so the kernel rows (refused) compile nothing. The table is written
here, fixed in advance. Registered by the import at the end of ``proofs_check/progress.py``.
"""

from __future__ import annotations

import numpy as np

from aligntheory.errors import InvalidInputError, SizeCapError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_IIE, _SC = InvalidInputError, SizeCapError
_NEG = -5e-324  # one step below 0.0


def _same(got, want):
    """``got`` when it equals ``want`` exactly, else an AssertionError (the accepted row then fails)."""
    if not np.array_equal(np.asarray(got), np.asarray(want)):
        raise AssertionError(f"got {np.asarray(got).tolist()}, expected {np.asarray(want).tolist()}")
    return np.asarray(got)


def _ok(label, call):
    return ContractCase(label + " accepted", call)


def _no(label, call, err, arg):
    return ContractCase(label + " refused", call, (err, arg))


def _rows_theory() -> list[ContractCase]:
    import aligntheory.theory.progress as P

    up1 = np.nextafter(1.0, 2.0)
    rows = [
        # coevolution_stability: 0 <= steps_ahead <= 10^6, alpha and kappa finite
        _ok("coevolution_stability: steps_ahead = 0", lambda: P.coevolution_stability(0.2, 0.3, 0).spectral_radius),
        _ok("coevolution_stability: steps_ahead = 10^6",
            lambda: P.coevolution_stability(0.2, 0.3, 10**6).spectral_radius),
        _no("coevolution_stability: steps_ahead = -1", lambda: P.coevolution_stability(0.2, 0.3, -1), _IIE,
            "steps_ahead"),
        _no("coevolution_stability: steps_ahead = 10^6 + 1", lambda: P.coevolution_stability(0.2, 0.3, 10**6 + 1),
            _IIE, "steps_ahead"),
        _no("coevolution_stability: alpha = inf", lambda: P.coevolution_stability(np.inf, 0.3), _IIE, "alpha"),
        _no("coevolution_stability: kappa = nan", lambda: P.coevolution_stability(0.2, np.nan), _IIE, "kappa"),
        # first_order_spectral_radius: -1 <= kappa <= 1
        _ok("first_order_spectral_radius: kappa = nextafter(-1, 0) (open bound)",
            lambda: float(P.first_order_spectral_radius(1e-20, np.nextafter(-1.0, 0.0)))),
        _no("first_order_spectral_radius: kappa = -1 (open bound)",
            lambda: P.first_order_spectral_radius(0.01, -1.0), _IIE, "kappa"),
        _ok("first_order_spectral_radius: kappa = 1", lambda: float(P.first_order_spectral_radius(0.01, 1.0))),
        _no("first_order_spectral_radius: kappa = nextafter(-1, -2)",
            lambda: P.first_order_spectral_radius(0.01, -up1), _IIE, "kappa"),
        _no("first_order_spectral_radius: kappa = nextafter(1, 2)",
            lambda: P.first_order_spectral_radius(0.01, up1), _IIE, "kappa"),
        _no("first_order_spectral_radius: alpha = inf", lambda: P.first_order_spectral_radius(np.inf, 0.5), _IIE,
            "alpha"),
        # steady_state_lag: alpha > 0, drift finite
        _no("steady_state_lag: alpha = 0", lambda: P.steady_state_lag(0.0, 0.3, 0.1), _IIE, "alpha"),
        _no("steady_state_lag: drift = inf", lambda: P.steady_state_lag(0.2, 0.3, np.inf), _IIE, "drift"),
        _no("lock_in_limit: kappa = nan", lambda: P.lock_in_limit(np.nan, 3.0, 1.0), _IIE, "kappa"),
        # extrapolation_coefficients: 0 <= order <= 60
        _ok("extrapolation_coefficients: order = 0", lambda: P.extrapolation_coefficients(0)),
        _ok("extrapolation_coefficients: order = 60", lambda: P.extrapolation_coefficients(60)),
        _no("extrapolation_coefficients: order = -1", lambda: P.extrapolation_coefficients(-1), _IIE, "order"),
        _no("extrapolation_coefficients: order = 61", lambda: P.extrapolation_coefficients(61), _IIE, "order"),
        # lagrange_extrapolation_weights / noise_gain / extrapolation_error_bound: 0 <= order <= 200, steps_ahead >= 1
        _ok("lagrange_extrapolation_weights: order = 0, steps_ahead = 1",
            lambda: P.lagrange_extrapolation_weights(0, 1)),
        _ok("lagrange_extrapolation_weights: order = MAX_ORDER = 200 (exact)",
            lambda: len(P.lagrange_extrapolation_weights(200, 1, exact=True))),
        _no("lagrange_extrapolation_weights: order = -1", lambda: P.lagrange_extrapolation_weights(-1, 1), _IIE,
            "order"),
        _no("lagrange_extrapolation_weights: order = 201", lambda: P.lagrange_extrapolation_weights(201, 1), _IIE,
            "order"),
        _no("lagrange_extrapolation_weights: steps_ahead = 0", lambda: P.lagrange_extrapolation_weights(1, 0), _IIE,
            "steps_ahead"),
        _ok("noise_gain: order = 0, steps_ahead = 1", lambda: int(P.noise_gain(0, 1))),
        _no("noise_gain: order = 201", lambda: P.noise_gain(201, 1), _IIE, "order"),
        _no("noise_gain: steps_ahead = 0", lambda: P.noise_gain(2, 0), _IIE, "steps_ahead"),
        _ok("extrapolation_error_bound: deriv_bound = 0", lambda: float(P.extrapolation_error_bound(1, 1, 0.5, 0.0))),
        _no("extrapolation_error_bound: h = 0", lambda: P.extrapolation_error_bound(1, 1, 0.0, 2.0), _IIE, "h"),
        _no("extrapolation_error_bound: deriv_bound = -5e-324",
            lambda: P.extrapolation_error_bound(1, 1, 0.5, _NEG), _IIE, "deriv_bound"),
        _no("extrapolation_error_bound: order = -1", lambda: P.extrapolation_error_bound(-1, 1, 0.5, 2.0), _IIE,
            "order"),
        # extrapolate: order, steps_ahead
        _ok("extrapolate: order = 0, steps_ahead = 1", lambda: P.extrapolate([1.0, 4.0, 9.0], 0, 1)),
        _no("extrapolate: order = -1", lambda: P.extrapolate([1.0, 4.0, 9.0], -1, 1), _IIE, "order"),
        _no("extrapolate: steps_ahead = 0", lambda: P.extrapolate([1.0, 4.0, 9.0], 2, 0), _IIE, "steps_ahead"),
        # extrapolate_by_recurrence: (order + 1) * steps_ahead <= max_work
        _ok("extrapolate_by_recurrence: (2 + 1) * 2 = max_work = 6",
            lambda: P.extrapolate_by_recurrence([1, 4, 9], 2, 2, max_work=6)),
        _no("extrapolate_by_recurrence: (2 + 1) * 2 = 6 > max_work = 5",
            lambda: P.extrapolate_by_recurrence([1, 4, 9], 2, 2, max_work=5), _SC, "steps_ahead"),
        _no("extrapolate_by_recurrence: steps_ahead = 0", lambda: P.extrapolate_by_recurrence([1, 4, 9], 2, 0), _IIE,
            "steps_ahead"),
        # extrapolated_vote / vote_extrapolation_moments
        _ok("extrapolated_vote: order = 0, steps_ahead = 1", lambda: P.extrapolated_vote([0, 1, 1], 0, 1)),
        _no("extrapolated_vote: order = 201", lambda: P.extrapolated_vote([0, 1, 1], 201, 1), _IIE, "order"),
        _no("extrapolated_vote: steps_ahead = 0", lambda: P.extrapolated_vote([0, 1, 1], 2, 0), _IIE, "steps_ahead"),
        _ok("vote_extrapolation_moments: order = 0, steps_ahead = 1",
            lambda: P.vote_extrapolation_moments([0.5], 0, 1).mean),
        _no("vote_extrapolation_moments: order = -1",
            lambda: P.vote_extrapolation_moments([-0.2, 0.1, 0.5], -1, 1), _IIE, "order"),
        _no("vote_extrapolation_moments: steps_ahead = 0",
            lambda: P.vote_extrapolation_moments([-0.2, 0.1, 0.5], 2, 0), _IIE, "steps_ahead"),
        # optimal_order: h > 0, sigma >= 0, 0 <= max_order <= 60, deriv_bounds[j] >= 0, steps_ahead >= 1
        _ok("optimal_order: sigma = 0, max_order = 0",
            lambda: P.optimal_order(0.25, 0.0, [1.0, 1.0], max_order=0).order),
        _no("optimal_order: h = 0", lambda: P.optimal_order(0.0, 0.01, [1.0] * 8, max_order=7), _IIE, "h"),
        _no("optimal_order: sigma = -5e-324", lambda: P.optimal_order(0.25, _NEG, [1.0] * 8, max_order=7), _IIE,
            "sigma"),
        _no("optimal_order: max_order = -1", lambda: P.optimal_order(0.25, 0.01, [1.0] * 8, max_order=-1), _IIE,
            "max_order"),
        _no("optimal_order: max_order = 61", lambda: P.optimal_order(0.25, 0.01, [1.0] * 62, max_order=61), _IIE,
            "max_order"),
        _no("optimal_order: steps_ahead = 0", lambda: P.optimal_order(0.25, 0.01, [1.0] * 8, 0, 7), _IIE,
            "steps_ahead"),
        _no("optimal_order: deriv_bounds[1] = -5e-324",
            lambda: P.optimal_order(0.25, 0.01, [1.0, _NEG], max_order=0), _IIE, "deriv_bounds[1]"),
        # extrapolate_preference_history: order >= 0, timesteps_ahead >= 1, (p + 1) * timesteps_ahead <= 10^7
        _ok("extrapolate_preference_history: order = 0, timesteps_ahead = 1",
            lambda: P.extrapolate_preference_history([[1, -1], [1, 1]], 0, 1).votes),
        _ok("extrapolate_preference_history: (0 + 1) * 10^7 = cap",
            lambda: P.extrapolate_preference_history([[1, -1], [1, 1]], 0, 10**7).votes),
        _no("extrapolate_preference_history: order = -1",
            lambda: P.extrapolate_preference_history([[1, -1], [1, 1]], -1, 1), _IIE, "order"),
        _no("extrapolate_preference_history: timesteps_ahead = 0",
            lambda: P.extrapolate_preference_history([[1, -1], [1, 1]], 1, 0), _IIE, "timesteps_ahead"),
        _no("extrapolate_preference_history: (0 + 1) * (10^7 + 1) > cap",
            lambda: P.extrapolate_preference_history([[1, -1], [1, 1]], 0, 10**7 + 1), _SC, "timesteps_ahead"),
        # predict_score: horizon >= 1; coevolve_score: n_simulated * n_actual <= max_entries
        _ok("predict_score: horizon = 1",
            lambda: P.predict_score([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]], [[1.0, 1.0], [0.0, 1.0]], 1)),
        _no("predict_score: horizon = 0",
            lambda: P.predict_score([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]], [[1.0, 1.0], [0.0, 1.0]], 0), _IIE,
            "horizon"),
        _ok("coevolve_score: 2 * 3 = max_entries = 6",
            lambda: P.coevolve_score([[0.0, 1.0]] * 2, [[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]], max_entries=6)),
        _no("coevolve_score: 2 * 3 = 6 > max_entries = 5",
            lambda: P.coevolve_score([[0.0, 1.0]] * 2, [[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]], max_entries=5), _SC,
            "simulated, actual"),
        # ValueTrajectory: h > 0
        _ok("ValueTrajectory: h = 5e-324", lambda: P.ValueTrajectory(np.zeros((3, 19)), h=5e-324).n_steps),
        _no("ValueTrajectory: h = 0", lambda: P.ValueTrajectory(np.zeros((3, 19)), h=0.0), _IIE, "h"),
    ]
    return rows


def _rows_kernels() -> list[ContractCase]:
    import jax

    from aligntheory.kernels import progress as K

    key = jax.random.PRNGKey(0)
    p = np.ones((4, 1))
    mu = np.array([1.0, 1.0, 1.0])
    a3 = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    return [
        # simulate_coevolution: T >= 1, alpha and kappa finite, steps_ahead >= 0, noise_sd >= 0
        _no("simulate_coevolution: T = 0", lambda: K.simulate_coevolution(key, 0.2, 0.3, 0, p, 0.0, 0), _IIE, "T"),
        _no("simulate_coevolution: T = 0 with an empty progress (0 rows)",
            lambda: K.simulate_coevolution(key, 0.2, 0.3, 0, np.zeros((0, 1)), 0.0, 0), _IIE, "T"),
        _no("simulate_coevolution: alpha = nan", lambda: K.simulate_coevolution(key, np.nan, 0.3, 0, p, 0.0), _IIE,
            "alpha"),
        _no("simulate_coevolution: kappa = inf", lambda: K.simulate_coevolution(key, 0.2, np.inf, 0, p, 0.0), _IIE,
            "kappa"),
        _no("simulate_coevolution: steps_ahead = -5e-324",
            lambda: K.simulate_coevolution(key, 0.2, 0.3, _NEG, p, 0.0), _IIE, "steps_ahead"),
        _no("simulate_coevolution: noise_sd = -5e-324",
            lambda: K.simulate_coevolution(key, 0.2, 0.3, 0, p, _NEG), _IIE, "noise_sd"),
        # simulate_coevolution_batched: n_seeds >= 1, n_params * n_seeds * T * d <= max_entries
        _no("simulate_coevolution_batched: n_seeds = 0",
            lambda: K.simulate_coevolution_batched(key, [0.2], [0.3], 0, p, 0.0, 0), _IIE, "n_seeds"),
        _no("simulate_coevolution_batched: 1 * 2 * 4 * 1 = 8 > max_entries = 7",
            lambda: K.simulate_coevolution_batched(key, [0.2], [0.3], 0, p, 0.0, 2, max_entries=7), _SC, "n_seeds"),
        _no("simulate_coevolution_batched: steps_ahead = -5e-324",
            lambda: K.simulate_coevolution_batched(key, [0.2], [0.3], _NEG, p, 0.0), _IIE, "steps_ahead"),
        _no("simulate_coevolution_batched: noise_sd = -5e-324",
            lambda: K.simulate_coevolution_batched(key, [0.2], [0.3], 0, p, _NEG), _IIE, "noise_sd"),
        # extrapolate_batched: 0 <= order <= 200, steps_ahead >= 1; booleans read as 0/1
        _ok("extrapolate_batched: boolean values read as 0/1",
            lambda: _same(K.extrapolate_batched(np.array([[True, False, True, True]]), 2, 1),
                          K.extrapolate_batched(np.array([[1.0, 0.0, 1.0, 1.0]]), 2, 1))),
        _no("extrapolate_batched: order = -1", lambda: K.extrapolate_batched(np.array([[0, 1, 1]]), -1, 1), _IIE,
            "order"),
        _no("extrapolate_batched: order = 201", lambda: K.extrapolate_batched(np.array([[0, 1, 1]]), 201, 1), _IIE,
            "order"),
        _no("extrapolate_batched: steps_ahead = 0", lambda: K.extrapolate_batched(np.array([[0, 1, 1]]), 2, 0), _IIE,
            "steps_ahead"),
        # simulate_vote_extrapolation: order, steps_ahead, n_pairs >= 1, n_pairs * len(mu) <= max_entries
        _no("simulate_vote_extrapolation: order = 201",
            lambda: K.simulate_vote_extrapolation(key, mu, 201, 1, 4), _IIE, "order"),
        _no("simulate_vote_extrapolation: order = -1",
            lambda: K.simulate_vote_extrapolation(key, mu, -1, 1, 4), _IIE, "order"),
        _no("simulate_vote_extrapolation: steps_ahead = 0",
            lambda: K.simulate_vote_extrapolation(key, mu, 2, 0, 4), _IIE, "steps_ahead"),
        _no("simulate_vote_extrapolation: n_pairs = 0",
            lambda: K.simulate_vote_extrapolation(key, mu, 2, 1, 0), _IIE, "n_pairs"),
        _no("simulate_vote_extrapolation: 4 * 3 = 12 > max_entries = 11",
            lambda: K.simulate_vote_extrapolation(key, mu, 2, 1, 4, max_entries=11), _SC, "n_pairs"),
        # mc_extrapolation_mse: n_draws >= 2, n_draws * (order + 1) <= max_entries, sigma >= 0, target finite
        _no("mc_extrapolation_mse: n_draws = 1",
            lambda: K.mc_extrapolation_mse(key, np.ones(2), 0.0, 1, 1, 1, target=1.0), _IIE, "n_draws"),
        _no("mc_extrapolation_mse: order = 201",
            lambda: K.mc_extrapolation_mse(key, np.ones(2), 0.0, 201, 1, 10, target=1.0), _IIE, "order"),
        _no("mc_extrapolation_mse: steps_ahead = 0",
            lambda: K.mc_extrapolation_mse(key, np.ones(2), 0.0, 1, 0, 10, target=1.0), _IIE, "steps_ahead"),
        _no("mc_extrapolation_mse: 10 * (1 + 1) = 20 > max_entries = 19",
            lambda: K.mc_extrapolation_mse(key, np.ones(2), 0.0, 1, 1, 10, target=1.0, max_entries=19), _SC,
            "n_draws"),
        _no("mc_extrapolation_mse: sigma = -5e-324",
            lambda: K.mc_extrapolation_mse(key, np.ones(2), _NEG, 1, 1, 10, target=1.0), _IIE, "sigma"),
        _no("mc_extrapolation_mse: target = nan",
            lambda: K.mc_extrapolation_mse(key, np.ones(2), 0.0, 1, 1, 10, target=np.nan), _IIE, "target"),
        # coevolve_score (kernel): n_simulated * n_actual <= max_entries
        _no("kernels coevolve_score: 2 * 3 = 6 > max_entries = 5",
            lambda: K.coevolve_score(np.repeat(a3[-1:], 2, axis=0), a3, max_entries=5), _SC, "simulated, actual"),
    ]


@claim(
    id="progress.argument_boundaries",
    statement="Each validated argument of the progress pillar's public functions (aligntheory.theory.progress, "
    "aligntheory.kernels.progress) is accepted exactly at each closed boundary its docstring's Parameters section "
    "states (a finite result; theory functions) and refused one step past it with the documented error class naming "
    "the argument (size caps: cost = cap accepted, cap + 1 refused, before any work).",
    source=[Source(key="qiu2024progressgym", where="Parameters sections of the docstrings; docs/DESIGN.md §7")],
    provenance="M",
    kind="contract",
    tolerance="exact: each boundary on its documented side",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_argument_boundaries(ctx: Context) -> Evidence:
    """Predicted: each row's documented side (the Parameters sections); measured: the library's call.

    Exact: one step past a float bound is ``nextafter`` (or -5e-324 below 0, 0.0 below a strict bound),
    past an integer bound ``lo - 1`` / ``hi + 1``; no rounding can move a row.
    """
    return contract_evidence(_rows_theory() + _rows_kernels())

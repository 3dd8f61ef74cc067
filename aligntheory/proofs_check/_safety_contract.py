"""Safety claim of issue #11, round 3: the failure contract of the pillar's public functions.

``safety.failure_contract`` (a ``contract`` claim) confronts the documented failure contract
(docs/DESIGN.md §7; the Parameters/Raises sections of the docstrings) of
:func:`~aligntheory.theory.safety.window_weights`, :func:`~aligntheory.theory.safety.dual_ascent`,
:func:`~aligntheory.theory.safety.optimal_multiplier`,
:func:`~aligntheory.theory.safety.lagrangian_multiplier_trajectory`,
:func:`~aligntheory.theory.safety.pid_multiplier_trajectory`,
:func:`~aligntheory.theory.safety.pid_multiplier_stability`, the kernels
:func:`~aligntheory.kernels.safety_multiplier.lagrangian_multiplier_sweep`,
:func:`~aligntheory.kernels.safety_multiplier.pid_multiplier_sweep`,
:func:`~aligntheory.kernels.safety.fit_cost_model` and the reader
:func:`~aligntheory.analysis.safety.read_cost_log` with the library at the boundary of each documented
constraint. Registered by the import at the end of ``proofs_check/safety.py``.

Size caps of the sweeps (``MAX_SWEEP_ENTRIES`` = 10^8 entries) are met with inputs whose products
exceed the cap by a few entries while every factor is >= 2, and that cost nothing: the caps are
checked before any allocation. A row over the window-gather cap is also over the output cap, so
the first documented refusal (``episode_costs``) is told from the second.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np

from aligntheory.errors import InfeasibleBudgetError, InvalidInputError, PrecisionError, SizeCapError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_IIE = InvalidInputError
_P2, _R2, _C2 = [0.5, 0.5], [0.0, 1.0], [0.0, 1.0]  # the documented examples' two-response problem


def _rows_theory() -> list[ContractCase]:
    import aligntheory.theory.safety as S

    return [
        # window_weights: positive integers
        ContractCase("window_weights(5, 1) accepted", lambda: S.window_weights(5, 1)),
        ContractCase("window_weights: batch_size 0 refused", lambda: S.window_weights(5, 0), (_IIE, "batch_size")),
        ContractCase("window_weights: window 0 refused", lambda: S.window_weights(0, 1), (_IIE, "window")),
        # dual_ascent: n_steps in [0, max_steps] (default MAX_STEPS = 100_000), step > 0, lam0 >= 0
        ContractCase("dual_ascent: n_steps 0 accepted", lambda: S.dual_ascent(_P2, _R2, _C2, 1.0, 0.5, 1.0, 0).final),
        ContractCase("dual_ascent: n_steps -1 refused", lambda: S.dual_ascent(_P2, _R2, _C2, 1.0, 0.5, 1.0, -1),
                     (_IIE, "n_steps")),
        ContractCase("dual_ascent: n_steps = MAX_STEPS + 1 = 100001 refused (default max_steps)",
                     lambda: S.dual_ascent(_P2, _R2, _C2, 1.0, 0.5, 1.0, 100_001), (SizeCapError, "n_steps")),
        ContractCase("dual_ascent: n_steps 3 > max_steps 2 refused",
                     lambda: S.dual_ascent(_P2, _R2, _C2, 1.0, 0.5, 1.0, 3, max_steps=2), (SizeCapError, "n_steps")),
        ContractCase("dual_ascent: step 0 refused", lambda: S.dual_ascent(_P2, _R2, _C2, 1.0, 0.5, 0.0, 1),
                     (_IIE, "step")),
        ContractCase("dual_ascent: lam0 -1e-300 refused",
                     lambda: S.dual_ascent(_P2, _R2, _C2, 1.0, 0.5, 1.0, 1, -1e-300), (_IIE, "lam0")),
        # optimal_multiplier: d >= min c (InfeasibleBudgetError), xtol > 0
        ContractCase("optimal_multiplier: budget = min c accepted (lambda* = inf, exact)",
                     lambda: S.optimal_multiplier(_P2, _R2, _C2, 1.0, 0.0).active),
        ContractCase("optimal_multiplier: budget below min c refused",
                     lambda: S.optimal_multiplier(_P2, _R2, _C2, 1.0, -1e-300), (InfeasibleBudgetError, None)),
        ContractCase("optimal_multiplier: xtol 0 refused",
                     lambda: S.optimal_multiplier(_P2, _R2, _C2, 1.0, 0.5, xtol=0.0), (_IIE, "xtol")),
        # lagrangian_multiplier_trajectory: non-empty 1-D rollouts, lambda_init > 0, lambda_lr >= 0, overflow raises
        ContractCase("lagrangian_multiplier_trajectory: documented example accepted",
                     lambda: S.lagrangian_multiplier_trajectory([[1.0, 0.0], [0.0, 0.0]], 0.0, window=2).lambdas),
        ContractCase("lagrangian_multiplier_trajectory: an empty rollout refused",
                     lambda: S.lagrangian_multiplier_trajectory([[1.0], []], 0.0), (_IIE, "episode_costs[1]")),
        ContractCase("lagrangian_multiplier_trajectory: a 2-D rollout refused",
                     lambda: S.lagrangian_multiplier_trajectory([[1.0], [[0.0, 1.0]]], 0.0),
                     (_IIE, "episode_costs[1]")),
        ContractCase("lagrangian_multiplier_trajectory: lambda_init 0 refused",
                     lambda: S.lagrangian_multiplier_trajectory([[1.0]], 0.0, lambda_init=0.0), (_IIE, "lambda_init")),
        ContractCase("lagrangian_multiplier_trajectory: lambda_lr -1e-300 refused",
                     lambda: S.lagrangian_multiplier_trajectory([[1.0]], 0.0, lambda_lr=-1e-300),
                     (_IIE, "lambda_lr")),
        ContractCase("lagrangian_multiplier_trajectory: updates_per_rollout 0 refused",
                     lambda: S.lagrangian_multiplier_trajectory([[1.0]], 0.0, updates_per_rollout=0),
                     (_IIE, "updates_per_rollout")),
        ContractCase("lagrangian_multiplier_trajectory: overflow of lambda raises (throw=True)",
                     lambda: S.lagrangian_multiplier_trajectory([[1e3]], 0.0, lambda_lr=1.0), (PrecisionError, None)),
        # pid_multiplier_trajectory: non-negative gains; overflow raises as the log rule
        ContractCase("pid_multiplier_trajectory: documented example accepted",
                     lambda: S.pid_multiplier_trajectory([[2.0], [0.0], [0.0]], 1.0, kp=0.5, ki=1.0, window=1).lambdas),
        ContractCase("pid_multiplier_trajectory: kp -1e-300 refused",
                     lambda: S.pid_multiplier_trajectory([[1.0]], 0.0, kp=-1e-300), (_IIE, "kp")),
        ContractCase("pid_multiplier_trajectory: integral_init -1e-300 refused",
                     lambda: S.pid_multiplier_trajectory([[1.0]], 0.0, integral_init=-1e-300), (_IIE, "integral_init")),
        ContractCase("pid_multiplier_trajectory: overflow of lambda (kp 1e300, cost 1e10) raises",
                     lambda: S.pid_multiplier_trajectory([[1e10]], 0.0, kp=1e300), (PrecisionError, None)),
        # pid_multiplier_stability: curvature >= 0, at most 2000 rollouts in the window
        ContractCase("pid_multiplier_stability: 3 rollouts in the window accepted",
                     lambda: S.pid_multiplier_stability(1.0, 0.0, 0.1, window=3, batch_size=1).spectral_radius),
        ContractCase("pid_multiplier_stability: 2001 rollouts in the window refused",
                     lambda: S.pid_multiplier_stability(1.0, 0.0, 0.1, window=2001, batch_size=1), (SizeCapError, None)),
        ContractCase("pid_multiplier_stability: curvature -1e-300 refused",
                     lambda: S.pid_multiplier_stability(-1e-300, 0.0, 0.1), (_IIE, "curvature")),
    ]


def _rows_kernels() -> list[ContractCase]:
    from aligntheory.kernels import safety as KS
    from aligntheory.kernels import safety_multiplier as KM

    c222 = np.zeros((2, 2, 1))  # S = 2 seeds, R = 2 rollouts, B = 1
    d2, x2 = np.array([0.0, 0.5]), np.array([0.1, 0.2])
    w_big = np.array([1, 12_500_001])  # S nW R wmax = 2 * 2 * 2 * 12_500_001 = 100_000_008 > 10^8
    u_big = 12_500_001  # output S nW nD nL R U = 2 * 2 * 1 * 1 * 2 * 12_500_001 > 10^8 as well
    n_l = 3_125_001  # output 2 * 2 * 2 * 3_125_001 * 2 * 2 = 100_000_032 > 10^8, gathers 2 * 2 * 2 * 1
    n_i = 1_562_501  # pid output 2 * 2 * 2 * 2 * 1_562_501 * 2 * 2 = 100_000_064 > 10^8
    import jax

    key0 = jax.random.PRNGKey(0)
    return [
        ContractCase("lagrangian_multiplier_sweep: window gathers 100_000_008 > 10^8 refused first",
                     lambda: KM.lagrangian_multiplier_sweep(c222, [0.0], [0.1], w_big, updates_per_rollout=u_big),
                     (SizeCapError, "episode_costs")),
        ContractCase("lagrangian_multiplier_sweep: output 100_000_032 > 10^8 refused",
                     lambda: KM.lagrangian_multiplier_sweep(c222, d2, np.full(n_l, 0.1), [1, 1],
                                                            updates_per_rollout=2), (SizeCapError, "lambda_lrs")),
        ContractCase("lagrangian_multiplier_sweep: updates_per_rollout 0 refused",
                     lambda: KM.lagrangian_multiplier_sweep(c222, [0.0], [0.1], [1], updates_per_rollout=0),
                     (_IIE, "updates_per_rollout")),
        ContractCase("lagrangian_multiplier_sweep: delay_steps -1 refused",
                     lambda: KM.lagrangian_multiplier_sweep(c222, [0.0], [0.1], [1], delay_steps=-1),
                     (_IIE, "delay_steps")),
        ContractCase("lagrangian_multiplier_sweep: window 0 refused",
                     lambda: KM.lagrangian_multiplier_sweep(c222, [0.0], [0.1], [0]), (_IIE, "windows")),
        # windows (all three kernels): a non-empty 1-D array of integers >= 1 (round 5: each condition alone)
        *[ContractCase(f"{name}: windows {label} refused", (lambda f=f, w=w: f(w)), (_IIE, "windows"))
          for name, f in (("window_means_batched", lambda w: KM.window_means_batched(c222, w)),
                          ("lagrangian_multiplier_sweep", lambda w: KM.lagrangian_multiplier_sweep(c222, [0.0], [0.1], w)),
                          ("pid_multiplier_sweep", lambda w: KM.pid_multiplier_sweep(c222, [0.0], [0.1], [0.1], w)))
          for label, w in (("[2.0] (integral float)", [2.0]), ("[1.5]", [1.5]),
                           ("empty int64", np.array([], dtype=np.int64)), ("[] (empty float)", []),
                           ("[[1]] (2-D)", [[1]]), ("[0]", [0]))],
        # thresholds / learning rates / gains: a scalar or a non-empty 1-D array (rates and gains >= 0)
        ContractCase("lagrangian_multiplier_sweep: empty thresholds refused",
                     lambda: KM.lagrangian_multiplier_sweep(c222, [], [0.1], [1]), (_IIE, "thresholds")),
        ContractCase("lagrangian_multiplier_sweep: 2-D lambda_lrs refused",
                     lambda: KM.lagrangian_multiplier_sweep(c222, [0.0], [[0.1]], [1]), (_IIE, "lambda_lrs")),
        ContractCase("lagrangian_multiplier_sweep: a lambda_lr -1e-300 refused",
                     lambda: KM.lagrangian_multiplier_sweep(c222, [0.0], [-1e-300], [1]), (_IIE, "lambda_lrs")),
        ContractCase("pid_multiplier_sweep: empty kis refused",
                     lambda: KM.pid_multiplier_sweep(c222, [0.0], [0.1], [], [1]), (_IIE, "kis")),
        ContractCase("pid_multiplier_sweep: 2-D thresholds refused",
                     lambda: KM.pid_multiplier_sweep(c222, [[0.0]], [0.1], [0.1], [1]), (_IIE, "thresholds")),
        ContractCase("pid_multiplier_sweep: window gathers 100_000_008 > 10^8 refused first",
                     lambda: KM.pid_multiplier_sweep(c222, [0.0], [0.1], [0.1], w_big, updates_per_rollout=u_big),
                     (SizeCapError, "episode_costs")),
        ContractCase("pid_multiplier_sweep: output 100_000_064 > 10^8 refused",
                     lambda: KM.pid_multiplier_sweep(c222, d2, x2, np.full(n_i, 0.1), [1, 1], updates_per_rollout=2),
                     (SizeCapError, "kis")),
        ContractCase("pid_multiplier_sweep: updates_per_rollout 0 refused",
                     lambda: KM.pid_multiplier_sweep(c222, [0.0], [0.1], [0.1], [1], updates_per_rollout=0),
                     (_IIE, "updates_per_rollout")),
        ContractCase("pid_multiplier_sweep: a gain kp -1e-300 refused",
                     lambda: KM.pid_multiplier_sweep(c222, [0.0], [-1e-300], [0.1], [1]), (_IIE, "kps")),
        # fit_cost_model: 2 <= n_items <= max_items, 1 <= newton_steps <= 10^4 (validated before any work)
        ContractCase("fit_cost_model: newton_steps 10^4 + 1 refused",
                     lambda: KS.fit_cost_model([[0, 1]], [True], [[True, False]], 2, newton_steps=10**4 + 1),
                     (_IIE, "newton_steps")),
        ContractCase("fit_cost_model: newton_steps 0 refused",
                     lambda: KS.fit_cost_model([[0, 1]], [True], [[True, False]], 2, newton_steps=0),
                     (_IIE, "newton_steps")),
        ContractCase("fit_cost_model: n_items 1 refused",
                     lambda: KS.fit_cost_model([[0, 0]], [True], [[True, False]], 1), (_IIE, "n_items")),
        ContractCase("fit_cost_model: n_items 3 > max_items 2 refused",
                     lambda: KS.fit_cost_model([[0, 1]], [True], [[True, False]], 3, max_items=2),
                     (SizeCapError, "n_items")),
        ContractCase("fit_cost_model: a response id = n_items refused",
                     lambda: KS.fit_cost_model([[0, 2]], [True], [[True, False]], 2), (_IIE, "pairs")),
        # round 6: simulate_primal_dual lam0 > 0 in log mode (any positive lam0, also below 1), >= 0 otherwise
        ContractCase("simulate_primal_dual: log mode, lam0 = 0.5 accepted",
                     lambda: np.asarray(KS.simulate_primal_dual(key0, _P2, _R2, _C2, 1.0, 0.5, 0.5, 2, n_samples=2,
                                                                lam0=0.5, mode="log").lam)),
        ContractCase("simulate_primal_dual: log mode, lam0 = 0 refused",
                     lambda: KS.simulate_primal_dual(key0, _P2, _R2, _C2, 1.0, 0.5, 0.5, 2, n_samples=2, lam0=0.0,
                                                     mode="log"), (_IIE, "lam0")),
        # round 6: |reward|/beta + |cost|/beta <= 1e300 accepted, above refused (PrecisionError, documented)
        ContractCase("tilted_policy_batched: |r|/beta + |c|/beta = 1e300 exactly accepted",
                     lambda: np.asarray(KS.tilted_policy_batched(np.full((1, 2), 0.5), np.array([[0.0, 1e300]]),
                                                                 np.zeros((1, 2)), np.array([0.0, 1.0]), 1.0))),
        ContractCase("tilted_policy_batched: |r|/beta + |c|/beta = 1e300 + 1e290 refused",
                     lambda: KS.tilted_policy_batched(np.full((1, 2), 0.5), np.array([[0.0, 1e300]]),
                                                      np.array([[0.0, 1e290]]), np.array([0.0, 1.0]), 1.0),
                     (PrecisionError, None)),
    ]


def _rows_r7() -> list[ContractCase]:
    """Round 7 (fourth fresh mutation sample): caps at their exact boundary, defaults, shapes of accepted input."""
    import jax

    import aligntheory.theory.safety as S
    from aligntheory.kernels import safety as KS

    key0 = jax.random.PRNGKey(0)
    pairs3, harm3 = [[0, 1], [0, 1], [1, 0]], [True, False, True]  # not separable: a finite MLE
    unsafe3 = [[True, False], [False, True], [False, False]]

    def pd(**kw):  # the log-mode call of the round-6 rows (same compiled shape): n_steps 2, n_samples 2, window 1
        return lambda: np.asarray(KS.simulate_primal_dual(key0, _P2, _R2, _C2, 1.0, 0.5, 0.5, 2, n_samples=2,
                                                          lam0=0.5, mode="log", **kw).lam)

    return [
        # dual_ascent: (n_steps + 1) B <= max_entries
        ContractCase("dual_ascent: (2 + 1) x 2 = 6 stored multipliers at max_entries = 6 accepted",
                     lambda: S.dual_ascent(_P2, _R2, _C2, 1.0, 0.5, [1.0, 0.5], 2, max_entries=6).lam),
        ContractCase("dual_ascent: 6 stored multipliers over max_entries = 5 refused",
                     lambda: S.dual_ascent(_P2, _R2, _C2, 1.0, 0.5, [1.0, 0.5], 2, max_entries=5),
                     (SizeCapError, "n_steps")),
        ContractCase("dual_ascent: lam_max 0 refused", lambda: S.dual_ascent(_P2, _R2, _C2, 1.0, 0.5, 1.0, 2, 1.0, "log",
                                                                             lam_max=0.0), (_IIE, "lam_max")),
        # fit_cost_model: n_items <= max_items (default 4096), 1 <= newton_steps <= 10^4, ridge >= 0, gtol > 0
        ContractCase("fit_cost_model: n_items 4097 = default max_items + 1 refused",
                     lambda: KS.fit_cost_model([[0, 1]], [True], [[True, False]], 4097, newton_steps=1),
                     (SizeCapError, "n_items")),
        ContractCase("fit_cost_model: 3 pairs on n_items = 2 (shapes (3, 2), (3,), (3, 2)) accepted",
                     lambda: np.asarray(KS.fit_cost_model(pairs3, harm3, unsafe3, 2).scores)),
        ContractCase("fit_cost_model: newton_steps = 10^4 accepted",
                     lambda: np.asarray(KS.fit_cost_model(pairs3, harm3, unsafe3, 2, newton_steps=10**4).scores)),
        ContractCase("fit_cost_model: ridge -1e-300 refused",
                     lambda: KS.fit_cost_model(pairs3, harm3, unsafe3, 2, ridge=-1e-300), (_IIE, "ridge")),
        ContractCase("fit_cost_model: gtol 0 refused",
                     lambda: KS.fit_cost_model(pairs3, harm3, unsafe3, 2, gtol=0.0), (_IIE, "gtol")),
        # simulate_primal_dual: n_steps (n_samples + 3) + window <= max_entries; positive sizes; step > 0
        ContractCase("simulate_primal_dual: 2 (2 + 3) + 1 = 11 entries at max_entries = 11 accepted",
                     pd(max_entries=11)),
        ContractCase("simulate_primal_dual: 11 entries over max_entries = 10 refused", pd(max_entries=10),
                     (SizeCapError, "n_steps")),
        ContractCase("simulate_primal_dual: window 0 refused", pd(window=0), (_IIE, "window")),
        ContractCase("simulate_primal_dual: n_samples 0 refused",
                     lambda: KS.simulate_primal_dual(key0, _P2, _R2, _C2, 1.0, 0.5, 0.5, 2, n_samples=0),
                     (_IIE, "n_samples")),
        ContractCase("simulate_primal_dual: n_steps 0 refused",
                     lambda: KS.simulate_primal_dual(key0, _P2, _R2, _C2, 1.0, 0.5, 0.5, 0), (_IIE, "n_steps")),
        ContractCase("simulate_primal_dual: step 0 refused",
                     lambda: KS.simulate_primal_dual(key0, _P2, _R2, _C2, 1.0, 0.5, 0.0, 2), (_IIE, "step")),
        ContractCase("simulate_primal_dual: projected, lam0 -1e-300 refused",
                     lambda: KS.simulate_primal_dual(key0, _P2, _R2, _C2, 1.0, 0.5, 0.5, 2, lam0=-1e-300),
                     (_IIE, "lam0")),
        ContractCase("simulate_primal_dual: 2-D ref_probs refused",
                     lambda: KS.simulate_primal_dual(key0, [_P2], [_R2], [_C2], 1.0, 0.5, 0.5, 2),
                     (_IIE, "ref_probs")),
    ]


def _rows_r8() -> list[ContractCase]:
    """Round 8 (fifth fresh mutation sample): iteration counts >= 1, one-condition refusals, support masks."""
    import aligntheory.theory.safety as S
    from aligntheory.kernels import safety as KS

    p22, rc22 = np.full((2, 2), 0.5), np.array([[0.0, 1.0]] * 2)

    def omb(budgets=(0.5, 0.9), **kw):  # the documented example (P = 2 prompts, n = 2 responses)
        return lambda: KS.optimal_multiplier_batched(p22, rc22, rc22, 1.0, np.asarray(budgets), **kw)

    p3, r3, c3 = [0.5, 0.5, 0.0], [0.0, 1.0, 2.0], [1.0, 0.0, 3.0]
    pairs3, harm3 = [[0, 1], [0, 1], [1, 0]], [True, False, True]  # the round-7 rows' data (a finite MLE)
    unsafe3 = [[True, False], [False, True], [False, False]]

    def fit_at_gtol():
        res = float(KS.fit_cost_model(pairs3, harm3, unsafe3, 2, newton_steps=1, throw=False).residual)
        fit = KS.fit_cost_model(pairs3, harm3, unsafe3, 2, newton_steps=1, gtol=res)  # throws unless successful
        if fit.result.value != "successful" or not res > 0:
            raise AssertionError(f"gtol = residual {res!r}: result {fit.result!r}, expected successful")
        return res

    return [
        # optimal_multiplier_batched: n_double in [1, 1023], n_bisect >= 1, budgets of shape (P,)
        ContractCase("optimal_multiplier_batched: n_bisect 0 refused", omb(n_bisect=0), (_IIE, "n_bisect")),
        ContractCase("optimal_multiplier_batched: n_double 0 refused", omb(n_double=0), (_IIE, "n_double")),
        ContractCase("optimal_multiplier_batched: n_double 1024 refused", omb(n_double=1024), (_IIE, "n_double")),
        ContractCase("optimal_multiplier_batched: budgets of shape (3,) for P = 2 refused", omb((0.5, 0.9, 0.9)),
                     (_IIE, "budgets")),
        # log/pid_multiplier_stability: updates_per_rollout >= 1, curvature >= 0, <= 2000 rollouts in the window
        ContractCase("log_multiplier_stability: updates_per_rollout 1 accepted",
                     lambda: S.log_multiplier_stability(1.0, 1.0, 0.1, window=3, batch_size=1,
                                                        updates_per_rollout=1).spectral_radius),
        ContractCase("log_multiplier_stability: updates_per_rollout 0 refused",
                     lambda: S.log_multiplier_stability(1.0, 1.0, 0.1, window=3, batch_size=1, updates_per_rollout=0),
                     (_IIE, "updates_per_rollout")),
        ContractCase("pid_multiplier_stability: updates_per_rollout 0 refused",
                     lambda: S.pid_multiplier_stability(1.0, 0.0, 0.1, window=3, batch_size=1, updates_per_rollout=0),
                     (_IIE, "updates_per_rollout")),
        ContractCase("log_multiplier_stability: curvature -1e-300 refused",
                     lambda: S.log_multiplier_stability(1.0, -1e-300, 0.1, window=3, batch_size=1),
                     (_IIE, "curvature")),
        ContractCase("log_multiplier_stability: 2001 rollouts in the window refused",
                     lambda: S.log_multiplier_stability(1.0, 1.0, 0.1, window=2001, batch_size=1),
                     (SizeCapError, "window")),
        # the tilt's support: "a boolean mask of shape (n,)", exactly where ref_probs > 0 (each condition alone)
        ContractCase("tilted_policy: boolean support of shape (3,) where ref_probs > 0 accepted",
                     lambda: S.tilted_policy(p3, r3, c3, 0.5, 1.0, support=[True, True, False])),
        ContractCase("tilted_policy: integer support [1, 1, 0] (right shape, not boolean) refused",
                     lambda: S.tilted_policy(p3, r3, c3, 0.5, 1.0, support=np.array([1, 1, 0])), (_IIE, "support")),
        ContractCase("tilted_policy: boolean support of shape (1, 3) refused",
                     lambda: S.tilted_policy(p3, r3, c3, 0.5, 1.0, support=np.array([[True, True, False]])),
                     (_IIE, "support")),
        ContractCase("tilted_policy: boolean support [True, False, True] (not where ref_probs > 0) refused",
                     lambda: S.tilted_policy(p3, r3, c3, 0.5, 1.0, support=[True, False, True]), (_IIE, "support")),
        ContractCase("tilted_policy: all-False support refused",
                     lambda: S.tilted_policy(p3, r3, c3, 0.5, 1.0, support=[False, False, False]), (_IIE, "support")),
        ContractCase("tilted_policy: ref_probs [1.0] (one response, full support) accepted",
                     lambda: S.tilted_policy([1.0], [0.0], [0.0], 0.5, 1.0)),
        ContractCase("tilted_policy: a zero in ref_probs without a support mask refused",
                     lambda: S.tilted_policy(p3, r3, c3, 0.5, 1.0), (_IIE, "ref_probs")),
        # fit_cost_model: "succeeds when the final gradient norm is at most gtol" (the newton_steps bounds: above)
        ContractCase("fit_cost_model: gtol equal to the final gradient norm accepted (successful)", fit_at_gtol),
        # smoothness_constant: a non-empty 1-D cost, beta > 0
        ContractCase("smoothness_constant: empty cost refused", lambda: S.smoothness_constant([], 1.0), (_IIE, "cost")),
        ContractCase("smoothness_constant: 2-D cost refused", lambda: S.smoothness_constant([[0.0, 1.0]], 1.0),
                     (_IIE, "cost")),
        ContractCase("smoothness_constant: beta 0 refused", lambda: S.smoothness_constant([0.0, 1.0], 0.0),
                     (_IIE, "beta")),
        ContractCase("tilted_policy: 2-D ref_probs refused",
                     lambda: S.tilted_policy([[0.5, 0.5]], [[0.0, 1.0]], [[0.0, 1.0]], 0.5, 1.0), (_IIE, "ref_probs")),
    ]


def _rows_r9() -> list[ContractCase]:
    """Round 9 (sixth fresh mutation sample): sign of PID gains, the episode-cost shapes, moment overflow."""
    import aligntheory.theory.safety as S
    from aligntheory.analysis._safety_pku import analyse_safety_preferences
    from aligntheory.kernels import safety_multiplier as KM

    rec = {"prompt": "p", "response_0": "a", "response_1": "b", "is_response_0_safe": True,
           "is_response_1_safe": False, "response_0_harm_category": {}, "response_1_harm_category": {"Drugs": True},
           "response_0_severity_level": 0, "response_1_severity_level": 2, "better_response_id": 1,
           "safer_response_id": 0}  # the documented example record

    def mcl(**kw):  # the two-response problem, one rollout, PID rule
        return lambda: S.multiplier_closed_loop(_P2, _R2, _C2, 1.0, 0.5, 1, rule="pid", **kw).lambdas

    pid3 = [[2.0], [0.0], [0.0]]  # the documented example of pid_multiplier_sweep (R = 3, B = 1)
    return [
        # multiplier_closed_loop (rule "pid"): ki >= 0
        ContractCase("multiplier_closed_loop (pid): ki 0 accepted", mcl(ki=0.0)),
        ContractCase("multiplier_closed_loop (pid): ki -1e-300 refused", mcl(ki=-1e-300), (_IIE, "ki")),
        # pid_multiplier_sweep: integral_init >= 0 (checked before any compilation)
        ContractCase("pid_multiplier_sweep: integral_init -1e-300 refused",
                     lambda: KM.pid_multiplier_sweep(pid3, [1.0], [0.5], [1.0], [1], integral_init=-1e-300),
                     (_IIE, "integral_init")),
        # episode_costs: shape (S, R, B) or (R, B); a 1-D or 4-D array is refused naming it, non-empty or not
        ContractCase("lagrangian_multiplier_sweep: 1-D episode_costs [1, 0] refused",
                     lambda: KM.lagrangian_multiplier_sweep([1.0, 0.0], [0.0], [0.5], [2]), (_IIE, "episode_costs")),
        ContractCase("pid_multiplier_sweep: 4-D episode_costs of shape (1, 3, 1, 1) refused",
                     lambda: KM.pid_multiplier_sweep(np.reshape(pid3, (1, 3, 1, 1)), [1.0], [0.5], [1.0], [1]),
                     (_IIE, "episode_costs")),
        ContractCase("window_means_batched: 1-D episode_costs refused",
                     lambda: KM.window_means_batched([1.0, 3.0], [1]), (_IIE, "episode_costs")),
        ContractCase("window_means_batched: episode_costs of shape (2, 0) refused",
                     lambda: KM.window_means_batched(np.zeros((2, 0)), [1]), (_IIE, "episode_costs")),
        # tilted_moments: "PrecisionError: the moments overflow float64" -- here E[c] = 0 is finite but
        # Var(c) = 1e400 is not (each moment is checked, not only the first)
        ContractCase("tilted_moments: cost (-1e200, 1e200) (finite mean, variance 1e400) raises PrecisionError",
                     lambda: S.tilted_moments(_P2, [0.0, 0.0], [-1e200, 1e200], 0.0, 1.0), (PrecisionError, None)),
        # analyse_safety_preferences: n_budgets in [2, 10_000]
        ContractCase("analyse_safety_preferences: n_budgets 2 accepted",
                     lambda: analyse_safety_preferences([rec], n_budgets=2)["preference_disagreement_rate"]),
        ContractCase("analyse_safety_preferences: n_budgets 1 refused",
                     lambda: analyse_safety_preferences([rec], n_budgets=1), (_IIE, "n_budgets")),
    ]


def _rows_analysis(tmp: str) -> list[ContractCase]:
    from aligntheory.analysis.safety import read_cost_log

    small = os.path.join(tmp, "log.csv")
    with open(small, "w") as fh:
        fh.write("rollout,cost\n0,1.5\n0,0.5\n1,2.0\n")
    big = os.path.join(tmp, "big.csv")
    with open(big, "wb") as fh:  # sparse: one byte past the documented 2 GB, no disk used
        fh.truncate(2 * 10**9 + 1)
    return [
        ContractCase("read_cost_log: a small CSV accepted", lambda: read_cost_log(small)),
        ContractCase("read_cost_log: a file of 2 GB + 1 byte refused before reading",
                     lambda: read_cost_log(big), (SizeCapError, "path")),
        ContractCase("read_cost_log: a missing file refused",
                     lambda: read_cost_log(os.path.join(tmp, "missing.csv")), (_IIE, "path")),
    ]


@claim(
    id="safety.failure_contract",
    statement="The documented failure contract of the safety pillar's main public functions (window_weights, "
    "dual_ascent, optimal_multiplier, lagrangian_multiplier_trajectory, pid_multiplier_trajectory, "
    "pid_multiplier_stability, the kernels lagrangian_multiplier_sweep, pid_multiplier_sweep, fit_cost_model, and "
    "read_cost_log) holds at the boundary of each documented constraint: the "
    "accepted side returns a finite result, one step outside (or one entry past a size cap) is refused with the "
    "documented error class naming the argument, before any work; an overflowing multiplier raises (throw=True).",
    source=[Source(key="dai2023safe", where="failure contract, docs/DESIGN.md §7")],
    provenance="M",
    kind="contract",
    tolerance="exact: each documented boundary on its documented side",
    rice={"C"},
    stage="backward:assurance",
)
def check_failure_contract(ctx: Context) -> Evidence:
    """Predicted: each row's documented side (a finite result, or the documented error naming the argument).

    Measured: the call. Tolerance: exact (a boundary is on one side or the other).
    """
    with tempfile.TemporaryDirectory(prefix="aligntheory-contract-") as tmp:
        rows = _rows_theory() + _rows_kernels() + _rows_r7() + _rows_r8() + _rows_r9() + _rows_analysis(tmp)
        return contract_evidence(rows)

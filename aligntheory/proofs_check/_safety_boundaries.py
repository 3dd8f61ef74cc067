"""Argument-boundary claims (issue 11): each validated argument of the safety pillar refused one step past its documented boundary and accepted at it.

``safety.argument_boundaries_theory`` and ``safety.argument_boundaries_kernels`` (``contract``
claims) call the pillar's public functions (``aligntheory.theory.safety``; the kernels
``aligntheory.kernels.safety`` and ``aligntheory.kernels.safety_multiplier``; the analysis
``aligntheory.analysis.safety``) with each validated argument exactly AT each closed boundary (a
result is expected) and ONE STEP PAST it (the named error of ``aligntheory.errors``, naming the
argument). The boundaries come from the Parameters sections of the functions' docstrings
(``beta > 0``, ``lam >= 0``, ``window >= 1``, ``0 <= severity <= 3``, ...) and their documented keyword
caps (``max_steps``, ``max_entries``, ``max_budgets``); a cap row lowers the cap keyword so the
smallest input costs ``cap + 1``, and validation runs before any work, so refused rows cost nothing.
Kernel rows are refused rows only (no JAX compilation). The table is written here, fixed in advance.
Registered by the import at the end of ``proofs_check/safety.py``.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np

from aligntheory.errors import InvalidInputError, SizeCapError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_IIE, _SC = InvalidInputError, SizeCapError
_NEG = -5e-324  # one step below 0.0
_P2, _R2, _C2 = [0.5, 0.5], [0.0, 1.0], [0.0, 1.0]  # the documented examples' two-response problem


def _ok(label, call):
    return ContractCase(label + " accepted", call)


def _no(label, call, err, arg):
    return ContractCase(label + " refused", call, (err, arg))


def _rows_theory() -> list[ContractCase]:
    import aligntheory.theory.safety as S

    def da(**kw):
        a = dict(step=1.0, n_steps=1)
        a.update(kw)
        return S.dual_ascent(_P2, _R2, _C2, 1.0, 0.5, **a)

    def lt(**kw):
        return S.lagrangian_multiplier_trajectory([[1.0, 0.0], [0.0, 0.0]], 0.0, **kw).lambdas

    def pt(**kw):
        return S.pid_multiplier_trajectory([[2.0], [0.0], [0.0]], 1.0, **kw).lambdas

    def cl(n_rollouts=2, **kw):
        return S.multiplier_closed_loop(_P2, [0.0, 0.0], _C2, 1.0, 0.25, n_rollouts, window=1,
                                        rng=np.random.default_rng(0), **kw).lambdas

    return [
        # smoothness_constant: beta > 0
        _ok("smoothness_constant: beta = 1e-300", lambda: float(S.smoothness_constant([0.0, 2.0], 1e-300))),
        _no("smoothness_constant: beta = 0", lambda: S.smoothness_constant([0.0, 2.0], 0.0), _IIE, "beta"),
        # projected_ascent_bound: k >= 1, lam0 >= 0, lam_star >= 0, step > 0
        _ok("projected_ascent_bound: k = 1, lam0 = 0, lam_star = 0",
            lambda: float(S.projected_ascent_bound(1, 0.0, 0.0, 0.5))),
        _no("projected_ascent_bound: k = 0", lambda: S.projected_ascent_bound(0, 0.0, 1.0, 0.5), _IIE, "k"),
        _no("projected_ascent_bound: lam0 = -5e-324", lambda: S.projected_ascent_bound(1, _NEG, 1.0, 0.5), _IIE, "lam0"),
        _no("projected_ascent_bound: lam_star = -5e-324",
            lambda: S.projected_ascent_bound(1, 0.0, _NEG, 0.5), _IIE, "lam_star"),
        _no("projected_ascent_bound: step = 0", lambda: S.projected_ascent_bound(1, 0.0, 1.0, 0.0), _IIE, "step"),
        # dual_ascent: 0 <= n_steps <= max_steps, (n_steps + 1) * n_step_sizes <= max_entries, lam_max > 0, mode
        _ok("dual_ascent: n_steps = max_steps = 3", lambda: da(n_steps=3, max_steps=3).final),
        _ok("dual_ascent: (1 + 1) * 1 = max_entries = 2 stored", lambda: da(n_steps=1, max_entries=2).final),
        _ok("dual_ascent: lam0 = 0", lambda: da(lam0=0.0).final),
        _no("dual_ascent: n_steps = 4 > max_steps = 3", lambda: da(n_steps=4, max_steps=3), _SC, "n_steps"),
        _no("dual_ascent: n_steps = -1", lambda: da(n_steps=-1), _IIE, "n_steps"),
        _no("dual_ascent: 2 stored > max_entries = 1", lambda: da(n_steps=1, max_entries=1), _SC, "n_steps"),
        _no("dual_ascent: lam_max = 0", lambda: da(lam_max=0.0), _IIE, "lam_max"),
        _no("dual_ascent: mode 'newton'", lambda: da(mode="newton"), _IIE, "mode"),
        _no("dual_ascent: budget = inf", lambda: S.dual_ascent(_P2, _R2, _C2, 1.0, np.inf, 1.0, 1), _IIE, "budget"),
        # log_update_stability_factor: lam_star > 0, step > 0
        _no("log_update_stability_factor: lam_star = 0",
            lambda: S.log_update_stability_factor(0.0, 0.5, _P2, _R2, _C2, 1.0), _IIE, "lam_star"),
        _no("log_update_stability_factor: step = 0",
            lambda: S.log_update_stability_factor(1.0, 0.0, _P2, _R2, _C2, 1.0), _IIE, "step"),
        # lagrangian_multiplier_trajectory: window >= 1, updates >= 1, delay >= 0, lambda_init > 0, lr >= 0, max > 0
        _ok("lagrangian_multiplier_trajectory: window = 1, updates = 1, delay = 0, lambda_lr = 0",
            lambda: lt(window=1, updates_per_rollout=1, delay_steps=0, lambda_lr=0.0)),
        _no("lagrangian_multiplier_trajectory: window = 0", lambda: lt(window=0), _IIE, "window"),
        _no("lagrangian_multiplier_trajectory: lambda_init = 0", lambda: lt(lambda_init=0.0), _IIE, "lambda_init"),
        _no("lagrangian_multiplier_trajectory: lambda_lr = -5e-324", lambda: lt(lambda_lr=_NEG), _IIE, "lambda_lr"),
        _no("lagrangian_multiplier_trajectory: delay_steps = -1", lambda: lt(delay_steps=-1), _IIE, "delay_steps"),
        _no("lagrangian_multiplier_trajectory: lambda_max = 0", lambda: lt(lambda_max=0.0), _IIE, "lambda_max"),
        _no("lagrangian_multiplier_trajectory: threshold = nan",
            lambda: S.lagrangian_multiplier_trajectory([[1.0]], np.nan), _IIE, "threshold"),
        # pid_multiplier_trajectory: kp, ki, kd, integral_init >= 0
        _ok("pid_multiplier_trajectory: kp = ki = kd = integral_init = 0",
            lambda: pt(kp=0.0, ki=0.0, kd=0.0, integral_init=0.0, window=1)),
        _no("pid_multiplier_trajectory: kp = -5e-324", lambda: pt(kp=_NEG), _IIE, "kp"),
        _no("pid_multiplier_trajectory: ki = -5e-324", lambda: pt(ki=_NEG), _IIE, "ki"),
        _no("pid_multiplier_trajectory: integral_init = -5e-324", lambda: pt(integral_init=_NEG), _IIE,
            "integral_init"),
        _no("pid_multiplier_trajectory: kd = -5e-324", lambda: pt(kd=_NEG), _IIE, "kd"),
        _no("pid_multiplier_trajectory: window = 0", lambda: pt(window=0), _IIE, "window"),
        _no("pid_multiplier_trajectory: updates_per_rollout = 0", lambda: pt(updates_per_rollout=0), _IIE,
            "updates_per_rollout"),
        # multiplier_closed_loop: n_rollouts >= 0, batch_size >= 1, rule, the log / PID rule's gains
        _ok("multiplier_closed_loop: n_rollouts = 0", lambda: cl(0)),
        _ok("multiplier_closed_loop: batch_size = 1, lambda_lr = 0", lambda: cl(batch_size=1, lambda_lr=0.0)),
        _ok("multiplier_closed_loop: pid, gains = 0", lambda: cl(rule="pid", kp=0.0, ki=0.0, kd=0.0, integral_init=0.0)),
        _no("multiplier_closed_loop: n_rollouts = -1", lambda: cl(-1), _IIE, "n_rollouts"),
        _no("multiplier_closed_loop: batch_size = 0", lambda: cl(batch_size=0), _IIE, "batch_size"),
        _no("multiplier_closed_loop: rule 'p'", lambda: cl(rule="p"), _IIE, "rule"),
        _no("multiplier_closed_loop: lambda_init = 0", lambda: cl(lambda_init=0.0), _IIE, "lambda_init"),
        _no("multiplier_closed_loop: lambda_lr = -5e-324", lambda: cl(lambda_lr=_NEG), _IIE, "lambda_lr"),
        _no("multiplier_closed_loop: lambda_max = 0", lambda: cl(lambda_max=0.0), _IIE, "lambda_max"),
        _no("multiplier_closed_loop: pid, kp = -5e-324", lambda: cl(rule="pid", kp=_NEG), _IIE, "kp"),
        _no("multiplier_closed_loop: pid, ki = -5e-324", lambda: cl(rule="pid", ki=_NEG), _IIE, "ki"),
        _no("multiplier_closed_loop: pid, kd = -5e-324", lambda: cl(rule="pid", kd=_NEG), _IIE, "kd"),
        _no("multiplier_closed_loop: pid, integral_init = -5e-324",
            lambda: cl(rule="pid", integral_init=_NEG), _IIE, "integral_init"),
        # window_weights: window >= 1, batch_size >= 1, ceil(window / batch_size) <= 10^6
        _ok("window_weights: ceil(10^6 / 1) = 10^6 rollouts", lambda: S.window_weights(10**6, 1).size),
        _no("window_weights: ceil((10^6 + 1) / 1) rollouts", lambda: S.window_weights(10**6 + 1, 1), _SC, "window"),
        _no("window_weights: batch_size = 0", lambda: S.window_weights(5, 0), _IIE, "batch_size"),
        # log_multiplier_stability / pid_multiplier_stability
        _ok("log_multiplier_stability: lambda_lr = 0, curvature = 0",
            lambda: S.log_multiplier_stability(1.0, 0.0, 0.0, window=1, batch_size=1).spectral_radius),
        _no("log_multiplier_stability: lam_star = 0",
            lambda: S.log_multiplier_stability(0.0, 1.0, 1.5, window=1, batch_size=1), _IIE, "lam_star"),
        _no("log_multiplier_stability: lambda_lr = -5e-324",
            lambda: S.log_multiplier_stability(1.0, 1.0, _NEG, window=1, batch_size=1), _IIE, "lambda_lr"),
        _no("log_multiplier_stability: curvature = -5e-324",
            lambda: S.log_multiplier_stability(1.0, _NEG, 1.5, window=1, batch_size=1), _IIE, "curvature"),
        _no("log_multiplier_stability: updates_per_rollout = 0",
            lambda: S.log_multiplier_stability(1.0, 1.0, 1.5, window=1, batch_size=1, updates_per_rollout=0),
            _IIE, "updates_per_rollout"),
        _ok("pid_multiplier_stability: kp = ki = 0",
            lambda: S.pid_multiplier_stability(1.0, 0.0, 0.0, window=1, batch_size=1).spectral_radius),
        _no("pid_multiplier_stability: kp = -5e-324",
            lambda: S.pid_multiplier_stability(1.0, _NEG, 1.5, window=1, batch_size=1), _IIE, "kp"),
        _no("pid_multiplier_stability: ki = -5e-324",
            lambda: S.pid_multiplier_stability(1.0, 0.0, _NEG, window=1, batch_size=1), _IIE, "ki"),
        # optimal_multiplier / frontier
        _no("optimal_multiplier: xtol = 0", lambda: S.optimal_multiplier(_P2, _R2, _C2, 1.0, 0.5, xtol=0.0), _IIE,
            "xtol"),
        _no("optimal_multiplier: budget = nan", lambda: S.optimal_multiplier(_P2, _R2, _C2, 1.0, np.nan), _IIE, "budget"),
        _ok("frontier: 2 budgets, max_budgets = 2", lambda: S.frontier(_P2, _R2, _C2, 1.0, [0.5, 1.0], max_budgets=2).value),
        _no("frontier: 2 budgets, max_budgets = 1",
            lambda: S.frontier(_P2, _R2, _C2, 1.0, [0.5, 1.0], max_budgets=1), _SC, "budgets"),
        # parse_harm_label: 0 <= severity <= 3
        _ok("parse_harm_label: severity = 0", lambda: S.parse_harm_label({"Drugs": False}, 0).is_safe),
        _ok("parse_harm_label: severity = 3", lambda: S.parse_harm_label({"Drugs": True}, 3).is_safe),
        _no("parse_harm_label: severity = -1", lambda: S.parse_harm_label({"Drugs": True}, -1), _IIE, "severity"),
        _no("parse_harm_label: severity = 4", lambda: S.parse_harm_label({"Drugs": True}, 4), _IIE, "severity"),
        # tilted family: beta > 0, lam >= 0, budget finite
        _ok("tilted_policy: lam = 0", lambda: S.tilted_policy(_P2, _R2, _C2, lam=0.0, beta=1.0)),
        _no("tilted_policy: beta = 0", lambda: S.tilted_policy(_P2, _R2, _C2, lam=1.0, beta=0.0), _IIE, "beta"),
        _no("tilted_policy: lam = -5e-324", lambda: S.tilted_policy(_P2, _R2, _C2, lam=_NEG, beta=1.0), _IIE, "lam"),
        _no("log_partition: lam = -5e-324", lambda: S.log_partition(_P2, _R2, _C2, _NEG, 1.0), _IIE, "lam"),
        _no("dual_function: budget = inf", lambda: S.dual_function(1.0, _P2, _R2, _C2, 1.0, np.inf), _IIE, "budget"),
        _no("dual_derivatives: budget = nan",
            lambda: S.dual_derivatives(1.0, _P2, _R2, _C2, 1.0, np.nan), _IIE, "budget"),
        _no("tilted_moments: beta = 0", lambda: S.tilted_moments(_P2, _R2, _C2, 0.0, 0.0), _IIE, "beta"),
        _ok("primal_value: beta = 5e-324", lambda: S.primal_value(_P2, _P2, [1.0, 3.0], 5e-324)),
        _no("primal_value: beta = 0", lambda: S.primal_value(_P2, _P2, [1.0, 3.0], 0.0), _IIE, "beta"),
    ]


_STATEMENT = ("Each validated argument of the safety pillar's {what} is accepted exactly at each closed boundary its "
              "docstring's Parameters section states (a finite result) and refused one step past it with the "
              "documented error class naming the argument (size caps: cost = cap accepted, cap + 1 refused, before "
              "any work).")


@claim(
    id="safety.argument_boundaries_theory",
    statement=_STATEMENT.format(what="theory functions (aligntheory.theory.safety)"),
    source=[Source(key="dai2023safe", where="Parameters sections of the theory docstrings; docs/DESIGN.md §7")],
    provenance="M",
    kind="contract",
    tolerance="exact: each boundary on its documented side",
    rice={"C"},
    stage="backward:assurance",
)
def check_argument_boundaries_theory(ctx: Context) -> Evidence:
    """Predicted: each row's documented side (the Parameters sections); measured: the library's call.

    Exact: one step past a float bound is -5e-324 below 0 (0.0 below a strict bound), past an integer
    bound ``lo - 1`` / ``hi + 1``; no rounding can move a row.
    """
    return contract_evidence(_rows_theory())


def _rows_kernels() -> list[ContractCase]:
    """Refused rows of the kernels (validation on the host, before any compilation) and the analysis rows."""
    import jax

    from aligntheory.analysis import safety as AS
    from aligntheory.kernels import safety as KS
    from aligntheory.kernels import safety_multiplier as KM

    key = jax.random.PRNGKey(0)
    p22, r22 = np.full((2, 2), 0.5), np.array([[0.0, 1.0]] * 2)
    p2, r2 = np.full(2, 0.5), np.array([0.0, 1.0])
    c222 = np.zeros((2, 2, 1))
    c3 = np.array([-1.0, 0.0, 1.0])
    rec = {"prompt": "p", "response_0": "a", "response_1": "b", "is_response_0_safe": True,
           "is_response_1_safe": False, "response_0_harm_category": {}, "response_1_harm_category": {"Drugs": True},
           "response_0_severity_level": 0, "response_1_severity_level": 2, "better_response_id": 1,
           "safer_response_id": 0}

    def rcl(batch_size):  # a three-line cost-only log, written and removed around the call
        with tempfile.TemporaryDirectory(prefix="aligntheory-boundaries-") as tmp:
            path = os.path.join(tmp, "costs.csv")
            with open(path, "w") as fh:
                fh.write("cost\n1.5\n0.5\n2.0\n")
            return [a.tolist() for a in AS.read_cost_log(path, batch_size=batch_size)]

    def omb(**kw):
        return KS.optimal_multiplier_batched(p22, r22, r22, 1.0, np.array([0.5, 0.5]), **kw)

    def dab(**kw):
        a = dict(n_steps=2)
        a.update(kw)
        return KS.dual_ascent_batched(p2, r2, r2, 1.0, 0.5, np.array([4.0]), np.array([0.0]), **a)

    def spd(**kw):
        a = dict(step=0.5, n_steps=2, n_samples=2)
        a.update(kw)
        return KS.simulate_primal_dual(key, p2, r2, r2, 1.0, 0.5, **a)

    def lms(**kw):
        return KM.lagrangian_multiplier_sweep(c222, [0.0], [0.1], [1], **kw)

    def pms(**kw):
        return KM.pid_multiplier_sweep(c222, [0.0], [0.1], [0.1], [1], **kw)

    return [
        # tilted kernels: beta > 0 and a normal float64 (XLA flushes subnormals)
        _no("tilted_policy_batched: beta = 0", lambda: KS.tilted_policy_batched(p22, r22, r22, [0.0], 0.0), _IIE,
            "beta"),
        _no("tilted_moments_batched: beta = 5e-324 (subnormal)",
            lambda: KS.tilted_moments_batched(p22, r22, r22, [0.0], 5e-324), _IIE, "beta"),
        # optimal_multiplier_batched: 1 <= n_double <= 1023, n_bisect >= 1
        _no("optimal_multiplier_batched: n_double = 0", lambda: omb(n_double=0), _IIE, "n_double"),
        _no("optimal_multiplier_batched: n_double = 1024", lambda: omb(n_double=1024), _IIE, "n_double"),
        _no("optimal_multiplier_batched: n_bisect = 0", lambda: omb(n_bisect=0), _IIE, "n_bisect"),
        # dual_ascent_batched: n_steps >= 1, (n_steps + 1) * B <= max_entries, budget finite, mode
        _no("dual_ascent_batched: n_steps = 0", lambda: dab(n_steps=0), _IIE, "n_steps"),
        _no("dual_ascent_batched: (2 + 1) * 1 = 3 > max_entries = 2", lambda: dab(max_entries=2), _SC, "n_steps"),
        _no("dual_ascent_batched: mode 'newton'", lambda: dab(mode="newton"), _IIE, "mode"),
        _no("dual_ascent_batched: budget = inf",
            lambda: KS.dual_ascent_batched(p2, r2, r2, 1.0, np.inf, np.array([4.0]), np.array([0.0]), 2), _IIE,
            "budget"),
        # simulate_primal_dual: step > 0, n_steps, window, n_samples >= 1, n (ns + 3) + w <= max_entries, lam0 >= 0
        _no("simulate_primal_dual: step = 0", lambda: spd(step=0.0), _IIE, "step"),
        _no("simulate_primal_dual: n_steps = 0", lambda: spd(n_steps=0), _IIE, "n_steps"),
        _no("simulate_primal_dual: window = 0", lambda: spd(window=0), _IIE, "window"),
        _no("simulate_primal_dual: n_samples = 0", lambda: spd(n_samples=0), _IIE, "n_samples"),
        _no("simulate_primal_dual: 2 (2 + 3) + 1 = 11 > max_entries = 10", lambda: spd(max_entries=10), _SC,
            "n_steps"),
        _no("simulate_primal_dual: lam0 = -5e-324", lambda: spd(lam0=_NEG), _IIE, "lam0"),
        _no("simulate_primal_dual: mode 'newton'", lambda: spd(mode="newton"), _IIE, "mode"),
        _no("simulate_primal_dual: budget = nan",
            lambda: KS.simulate_primal_dual(key, p2, r2, r2, 1.0, np.nan, 0.5, 2), _IIE, "budget"),
        # simulate_dual_preferences: 1 <= n_pairs <= max_entries
        _no("simulate_dual_preferences: n_pairs = 0", lambda: KS.simulate_dual_preferences(key, np.zeros(3), 0), _IIE,
            "n_pairs"),
        _no("simulate_dual_preferences: n_pairs = 5 > max_entries = 4",
            lambda: KS.simulate_dual_preferences(key, np.zeros(3), 5, max_entries=4), _SC, "n_pairs"),
        # fit_cost_model: ridge >= 0, gtol > 0, 2 <= n_items <= max_items
        _no("fit_cost_model: ridge = -5e-324",
            lambda: KS.fit_cost_model([[0, 1]], [True], [[True, False]], 2, ridge=_NEG), _IIE, "ridge"),
        _no("fit_cost_model: gtol = 0",
            lambda: KS.fit_cost_model([[0, 1]], [True], [[True, False]], 2, gtol=0.0), _IIE, "gtol"),
        # fit_dual_bt: 1 <= newton_steps <= 10^4, 1 <= n_pairs <= max_entries, 1 <= pad_to <= max_entries
        _no("fit_dual_bt: newton_steps = 0", lambda: KS.fit_dual_bt(key, c3, 20, newton_steps=0), _IIE,
            "newton_steps"),
        _no("fit_dual_bt: newton_steps = 10^4 + 1", lambda: KS.fit_dual_bt(key, c3, 20, newton_steps=10**4 + 1),
            _IIE, "newton_steps"),
        _no("fit_dual_bt: n_pairs = 0", lambda: KS.fit_dual_bt(key, c3, 0), _IIE, "n_pairs"),
        _no("fit_dual_bt: n_pairs = 21 > max_entries = 20", lambda: KS.fit_dual_bt(key, c3, 21, max_entries=20), _SC,
            "n_pairs"),
        _no("fit_dual_bt: pad_to = 0", lambda: KS.fit_dual_bt(key, c3, 20, pad_to=0), _IIE, "pad_to"),
        _no("fit_dual_bt: pad_to = 21 > max_entries = 20",
            lambda: KS.fit_dual_bt(key, c3, 20, pad_to=21, max_entries=20), _SC, "pad_to"),
        # multiplier sweeps: lambda_init > 0, lambda_max > 0, kd >= 0, integral_init >= 0, delay_steps >= 0
        _no("lagrangian_multiplier_sweep: lambda_init = 0", lambda: lms(lambda_init=0.0), _IIE, "lambda_init"),
        _no("lagrangian_multiplier_sweep: lambda_max = 0", lambda: lms(lambda_max=0.0), _IIE, "lambda_max"),
        _no("pid_multiplier_sweep: kd = -5e-324", lambda: pms(kd=_NEG), _IIE, "kd"),
        _no("pid_multiplier_sweep: integral_init = -5e-324", lambda: pms(integral_init=_NEG), _IIE, "integral_init"),
        _no("pid_multiplier_sweep: delay_steps = -1", lambda: pms(delay_steps=-1), _IIE, "delay_steps"),
        _no("pid_multiplier_sweep: updates_per_rollout = 0", lambda: pms(updates_per_rollout=0), _IIE,
            "updates_per_rollout"),
        # analysis: read_cost_log batch_size >= 1; analyse_safety_preferences ridge, beta > 0, 2 <= n_budgets <= 10^4
        _ok("read_cost_log: batch_size = 1", lambda: rcl(1)),
        _no("read_cost_log: batch_size = 0", lambda: rcl(0), _IIE, "batch_size"),
        _ok("analyse_safety_preferences: n_budgets = 2", lambda: AS.analyse_safety_preferences([rec], n_budgets=2)),
        _no("analyse_safety_preferences: n_budgets = 1", lambda: AS.analyse_safety_preferences([rec], n_budgets=1),
            _IIE, "n_budgets"),
        _no("analyse_safety_preferences: n_budgets = 10_001",
            lambda: AS.analyse_safety_preferences([rec], n_budgets=10_001), _IIE, "n_budgets"),
        _no("analyse_safety_preferences: ridge = 0", lambda: AS.analyse_safety_preferences([rec], ridge=0.0), _IIE,
            "ridge"),
        _no("analyse_safety_preferences: beta = 0", lambda: AS.analyse_safety_preferences([rec], beta=0.0), _IIE,
            "beta"),
    ]


@claim(
    id="safety.argument_boundaries_kernels",
    statement=_STATEMENT.format(what="JAX kernels (aligntheory.kernels.safety, aligntheory.kernels.safety_multiplier) "
                                "and analysis functions (aligntheory.analysis.safety)"),
    source=[Source(key="dai2023safe", where="Parameters sections of the kernel docstrings; docs/DESIGN.md §7")],
    provenance="M",
    kind="contract",
    tolerance="exact: each boundary on its documented side",
    rice={"C"},
    stage="backward:assurance",
)
def check_argument_boundaries_kernels(ctx: Context) -> Evidence:
    """Predicted: each row's documented side (the Parameters sections); measured: the library's call.

    Kernel rows are refused rows (validation on the host before any compilation); the analysis rows
    read a three-line cost log and the documented one-record PKU-SafeRLHF example.
    """
    return contract_evidence(_rows_kernels())

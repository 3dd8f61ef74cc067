"""Safety claims that reach functions no other claim called (issue #11, item 2: claims call the library).

Each measurement calls the public function; each prediction is an independent route written here:

* ``safety.multiplier_sweeps_match_update`` -- :func:`~aligntheory.kernels.safety_multiplier.lagrangian_multiplier_sweep`,
  :func:`~aligntheory.kernels.safety_multiplier.pid_multiplier_sweep` and
  :func:`~aligntheory.analysis.safety.replay_multiplier_log` against the documented updates written
  here as plain Python loops (and, for the replay's verdict, the one-rollout root 1 - a);
* ``safety.batched_dual_kernels_match`` -- :func:`~aligntheory.kernels.safety.optimal_multiplier_batched`
  (the KKT condition E_{pi_lambda}[c] = d with the tilt written here),
  :func:`~aligntheory.kernels.safety.dual_ascent_batched` (the ascent loop written here) and
  :func:`~aligntheory.kernels.safety.simulate_primal_dual` (the trace's window means and updates
  recomputed here, and its batch costs against the tilt's mean and variance);
* ``safety.losses_and_smoothness_closed_forms`` -- :func:`~aligntheory.theory.safety.bt_reward_nll`,
  :func:`~aligntheory.theory.safety.cost_nll` against the log-sigmoid sums written here, and
  :func:`~aligntheory.theory.safety.smoothness_constant` against (max c - min c)^2 / (4 beta) and
  its attainment by a two-point cost (Popoviciu is tight).

Registered by the import at the end of ``proofs_check/safety.py``.
"""

from __future__ import annotations

import math

import numpy as np

from aligntheory.errors import ConvergenceError
from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

_DAI = Source(key="dai2023safe")


def _lagrangian_loop(costs, d, lr, W, lam0, U, delay, lam_max=None):
    """Safe RLHF's log-space update, written from its documentation: per rollout append the samples to
    a window of the last W samples, then U steps u <- min(u + lr (Jbar - d) e^u, log lam_max)."""
    buf: list[float] = []
    u, step, out = math.log(lam0), 0, []
    for batch in costs:
        buf = (buf + [float(x) for x in batch])[-W:]
        jbar = sum(buf) / len(buf)
        for _ in range(U):
            if step >= delay:
                u = u + lr * (jbar - d) * math.exp(u)
                if lam_max is not None:
                    u = min(u, math.log(lam_max))
            out.append(math.exp(u))
            step += 1
    return out


def _pid_loop(costs, d, kp, ki, W, U, i0=0.0):
    """Stooke et al.'s PID Lagrangian (Algorithm 2) with K_D = 0, fed with the same window mean."""
    buf: list[float] = []
    integ, out = i0, []
    for batch in costs:
        buf = (buf + [float(x) for x in batch])[-W:]
        jbar = sum(buf) / len(buf)
        for _ in range(U):
            delta = jbar - d
            integ = max(0.0, integ + delta)
            out.append(max(0.0, kp * delta + ki * integ))
    return out


@claim(
    id="safety.multiplier_sweeps_match_update",
    statement="lagrangian_multiplier_sweep and pid_multiplier_sweep return, for every seed, window, threshold and "
    "gain of the grid, the multiplier after every step of Safe RLHF's log-space update and of the PID Lagrangian "
    "(the updates as documented, with window means over the last W samples, U updates per rollout, with and without "
    "a delay); "
    "replay_multiplier_log replays the same update (defaults: the trainer's lambda_init 1, lambda_lr 0.1), takes "
    "lambda* as the median of the last quarter, and (one rollout "
    "in the window) predicts the spectral radius |1 - a|, a = U eta lambda*^2 kappa.",
    source=[_DAI, Source(key="stooke2020responsive", where="Algorithm 2")],
    provenance="S",
    kind="theorem",
    tolerance="relative 1e-10 per multiplier (a few hundred float64 operations of size O(1) along a trajectory whose "
    "sensitivity to its start is below 1e2); spectral radius relative 1e-10",
    rice={"C"},
    stage="backward:assurance",
)
def check_multiplier_sweeps_match_update(ctx: Context) -> Evidence:
    from aligntheory.analysis.safety import replay_multiplier_log
    from aligntheory.kernels.safety_multiplier import lagrangian_multiplier_sweep, pid_multiplier_sweep

    rng = ctx.rng(51)
    S, R, B, U, delay = 2, 12, 3, 2, 3
    costs = rng.uniform(0.0, 1.0, size=(S, R, B))
    windows = np.array([1, 3, 7])
    ds = np.array([0.5, 0.6])  # at or above the mean cost 0.5: no upward drift, the log-space update stays bounded
    lrs = np.array([0.05, 0.3])
    kps, kis = np.array([0.0, 0.7]), np.array([0.2, 1.1])
    lam = np.asarray(lagrangian_multiplier_sweep(costs, ds, lrs, windows, lambda_init=0.8, updates_per_rollout=U))
    lam_d = np.asarray(lagrangian_multiplier_sweep(costs, ds[:1], lrs[1:], windows[1:2], lambda_init=0.8,
                                                   delay_steps=delay, updates_per_rollout=U))
    pid = np.asarray(pid_multiplier_sweep(costs, ds, kps, kis, windows, updates_per_rollout=U))
    worst_l = worst_p = 0.0
    for s in range(S):
        for a, W in enumerate(windows):
            for b, d in enumerate(ds):
                for c, lr in enumerate(lrs):
                    pred = _lagrangian_loop(costs[s], d, lr, int(W), 0.8, U, 0)
                    worst_l = max(worst_l, rel_err(lam[s, a, b, c], pred))
                for c, kp in enumerate(kps):
                    for e, ki in enumerate(kis):
                        pred = _pid_loop(costs[s], d, kp, ki, int(W), U)
                        worst_p = max(worst_p, rel_err(pid[s, a, b, c, e], pred, floor=1e-12))
        pred = _lagrangian_loop(costs[s], ds[0], lrs[1], int(windows[1]), 0.8, U, delay)
        worst_l = max(worst_l, rel_err(lam_d[s, 0, 0, 0], pred))
    # replay: trajectory, lambda* (median of the last quarter) and the one-rollout root |1 - a|
    lr, kappa = 0.3, 0.7
    rep = replay_multiplier_log(list(costs[0]), threshold=0.4, lambda_lr=lr, window=B, curvature=kappa)
    traj = _lagrangian_loop(costs[0], 0.4, lr, B, 1.0, 1, 0)
    lam_star = float(np.median(traj[-max(1, len(traj) // 4):]))
    rho = abs(1.0 - lr * lam_star**2 * kappa)
    worst_r = max(rel_err(rep.trajectory.lambdas, traj), rel_err(rep.lam_star, lam_star),
                  rel_err(rep.stability.spectral_radius, rho))
    rep0 = replay_multiplier_log(list(costs[0]), threshold=0.4, window=B, curvature=kappa)  # the trainer's defaults
    worst_r = max(worst_r, rel_err(rep0.trajectory.lambdas, _lagrangian_loop(costs[0], 0.4, 0.1, B, 1.0, 1, 0)))
    ok = worst_l <= 1e-10 and worst_p <= 1e-10 and worst_r <= 1e-10
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"replay lambda*": lam_star, "replay spectral radius": rho},
        measured={"replay lambda*": float(rep.lam_star), "replay spectral radius": float(rep.stability.spectral_radius)},
        tolerance={"relative": 1e-10},
        why="both routes run the same float64 recurrence in a different order of operations (~1e-15 per step, "
        "amplified by at most e^{lr * R} along 24 steps); a wrong sign, window, delay, learning rate or gather moves "
        "multipliers by >= 1e-3",
        sizes={"seeds": S, "rollouts": R, "batch": B, "windows": windows.tolist(), "updates_per_rollout": U},
        details=f"max relative error: lagrangian sweep {worst_l:.2e}, pid sweep {worst_p:.2e}, replay {worst_r:.2e}",
    )


def _tilt(p, r, c, lam, beta):
    z = np.log(p) + (r - lam * c) / beta
    z = z - z.max()
    q = np.exp(z)
    return q / q.sum()


@claim(
    id="safety.batched_dual_kernels_match",
    statement="optimal_multiplier_batched returns lambda* with E_{pi_lambda*}[c] = d (and 0 where the budget is slack), "
    "and with n_bisect = k the midpoint of the k-th halving of its geometric bracket [2^f, 2^(f+1)], f = "
    "floor(log2 lambda*) (round 13; before: [0, 2^ceil(log2 lambda*)]), "
    "as does the exact solver optimal_multiplier with its flags (active iff binding, feasible, residual E c - d), "
    "for the Gibbs tilt pi_lambda ~ pi_ref exp((r - lambda c)/beta); dual_ascent_batched runs lambda <- "
    "(lambda + eta (E_{pi_lambda}[c] - d))_+ step by step; simulate_primal_dual's cost estimate is the mean of the "
    "last `window` batch costs, its multiplier follows the projected update with that estimate, and each batch cost "
    "is a mean of n_samples draws from pi_lambda (mean E c, variance Var c / n_samples).",
    source=[_DAI, Source(key="boyd2004convex", where="§5.5 (KKT)")],
    provenance="M",
    kind="theorem",
    tolerance="KKT residual |E c - d| <= 1e-9 (bisection to 4 ulp in lambda; |dE c/d lambda| = Var c / beta <= 10); "
    "n_bisect midpoints relative 1e-12 (dyadic, exact up to the final halving's rounding); "
    "ascent and trace recurrences relative 1e-10; batch costs: the standardised mean over 60 steps within 5 sd "
    "(|z| > 5 has probability 6e-7) and the mean squared z in [0.4, 1.9] (the 1e-6 quantiles of chi^2_60 / 60)",
    rice={"C"},
    stage="backward:assurance",
)
def check_batched_dual_kernels_match(ctx: Context) -> Evidence:
    from aligntheory.kernels.safety import dual_ascent_batched, optimal_multiplier_batched, simulate_primal_dual

    rng = ctx.rng(52)
    P, n, beta = 4, 5, 0.7
    p = rng.dirichlet(np.ones(n), size=P)
    r = rng.normal(size=(P, n))
    c = rng.uniform(0.0, 2.0, size=(P, n))
    e0 = np.array([float(_tilt(p[i], r[i], c[i], 0.0, beta) @ c[i]) for i in range(P)])
    budgets = np.concatenate([c.min(axis=1)[:3] + 0.5 * (e0[:3] - c.min(axis=1)[:3]), e0[3:] + 0.1])
    lam = np.asarray(optimal_multiplier_batched(p, r, c, beta, budgets))
    kkt = max(abs(float(_tilt(p[i], r[i], c[i], lam[i], beta) @ c[i]) - budgets[i]) for i in range(3))
    ok_kkt = kkt <= 1e-9 and bool(np.all(lam[:3] > 0)) and float(lam[3]) == 0.0
    # the exact theory solver on the same prompts: same multiplier, flags and residuals (slack and active cases)
    from aligntheory.theory.safety import optimal_multiplier

    flag_bad = []
    for i in range(P):
        sol = optimal_multiplier(p[i], r[i], c[i], beta, float(budgets[i]))
        active = i < 3
        q_i = _tilt(p[i], r[i], c[i], float(lam[i]), beta)
        want_res = float(q_i @ c[i]) - budgets[i]
        if (sol.active, sol.feasible, sol.boundary) != (active, True, False) or \
                rel_err(sol.lam, lam[i], floor=1e-12) > 1e-8 or abs(sol.residual - want_res) > 1e-9:
            flag_bad.append((i, sol.lam, sol.active, sol.feasible, sol.boundary, sol.residual, want_res))
    ok_kkt = ok_kkt and not flag_bad
    # n_bisect caps the halvings: the bracket is [h0, 2 h0], h0 = 2^floor(log2 lambda*), and after k halvings the
    # answer is the midpoint h0 + (j + 1/2) h of the cell j = floor((lambda* - h0) / h), h = h0 / 2^k, that holds
    # the root (lambda* from the Brent solver above); cells whose edge is within 1e-6 h of the root are not judged
    nb = 3
    lam_k = np.asarray(optimal_multiplier_batched(p, r, c, beta, budgets, n_bisect=nb))
    cells_bad, cells = [], 0
    for i in range(3):
        ls = optimal_multiplier(p[i], r[i], c[i], beta, float(budgets[i])).lam
        h0 = 2.0 ** math.floor(math.log2(ls))
        h = h0 / 2**nb
        u = (ls - h0) / h
        j = math.floor(u)
        if min(u - j, j + 1 - u) < 1e-6 or abs(math.log2(ls) - round(math.log2(ls))) < 1e-9:
            continue
        cells += 1
        if abs(float(lam_k[i]) - (h0 + (j + 0.5) * h)) > 1e-12 * 2 * h0:
            cells_bad.append((i, float(lam_k[i]), h0 + (j + 0.5) * h))
    ok_kkt = ok_kkt and not cells_bad and cells >= 1
    # dual ascent: the projected loop written here
    steps, lam0, n_steps = np.array([0.1, 0.8, 2.0]), np.array([0.0, 1.0, 3.0]), 25
    tr = np.asarray(dual_ascent_batched(p[0], r[0], c[0], beta, float(budgets[0]), steps, lam0, n_steps))
    pred = np.empty((n_steps + 1, 3))
    for j in range(3):
        x = lam0[j]
        pred[0, j] = x
        for t in range(n_steps):
            x = max(0.0, x + steps[j] * (float(_tilt(p[0], r[0], c[0], x, beta) @ c[0]) - budgets[0]))
            pred[t + 1, j] = x
    worst_asc = rel_err(tr, pred, floor=1e-12)
    # primal-dual trace: window means, updates and batch-cost statistics
    W, m, eta, T_ = 4, 32, 0.5, 60
    pd = simulate_primal_dual(ctx.key(52), p[0], r[0], c[0], beta, float(budgets[0]), eta, T_, window=W,
                              n_samples=m, lam0=0.5)
    lam_t, cest, bc = (np.asarray(x) for x in (pd.lam, pd.cost_estimate, pd.batch_cost))
    cpred = np.array([bc[max(0, k - W + 1): k + 1].mean() for k in range(T_)])
    lpred = np.concatenate([[0.5], np.maximum(0.0, lam_t[:-1] + eta * (cest - budgets[0]))])
    worst_tr = max(rel_err(cest, cpred, floor=1e-12), rel_err(lam_t, lpred, floor=1e-12))
    z = []
    for k in range(T_):
        q = _tilt(p[0], r[0], c[0], lam_t[k], beta)
        mu = float(q @ c[0])
        var = float(q @ (c[0] - mu) ** 2)
        z.append((bc[k] - mu) / math.sqrt(var / m))
    z = np.array(z)
    zbar, z2 = float(z.mean() * math.sqrt(T_)), float(np.mean(z**2))
    ok_stat = abs(zbar) <= 5.0 and 0.4 <= z2 <= 1.9
    ok = ok_kkt and worst_asc <= 1e-10 and worst_tr <= 1e-10 and ok_stat
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"E c at lambda*": budgets[:3].tolist(), "slack lambda": 0.0, "z-mean": 0.0, "mean z^2": 1.0},
        measured={"lambda*": lam.tolist(), "z-mean": zbar, "mean z^2": z2},
        tolerance={"KKT": 1e-9, "recurrences relative": 1e-10, "|z-mean|": 5.0, "mean z^2": [0.4, 1.9]},
        why="bisection to 4 ulp leaves a KKT residual ~1e-15 times Var c / beta; the loops repeat the kernels' float64 "
        "arithmetic; the batch-cost z-scores are exact standardisations of means of i.i.d. draws (a wrong divisor, "
        "a sign or a wrong tilt moves the z-mean by >> 5)",
        sizes={"prompts": P, "responses": n, "ascent steps": n_steps, "primal-dual steps": T_, "samples": m},
        details=f"KKT residual {kkt:.2e}; ascent {worst_asc:.2e}; trace {worst_tr:.2e}; z-mean {zbar:.2f}, "
        f"mean z^2 {z2:.2f}; theory solver mismatches {flag_bad}; n_bisect = {nb}: {cells} cells judged, "
        f"wrong midpoints {cells_bad}",
    )


@claim(
    id="safety.losses_and_smoothness_closed_forms",
    statement="bt_reward_nll = -sum log sigma(s (r_i - r_j)) and cost_nll (Safe RLHF's cost-model loss with sign "
    "terms) equal their log-sigmoid sums; our B-T2 constant smoothness_constant(c, beta) = (max c - min c)^2 / "
    "(4 beta) equals sup_lambda g''(lambda) for a two-point cost (Popoviciu's bound is attained), and bounds g'' "
    "for any cost.",
    source=[_DAI, Source(key="boyd2004convex")],
    provenance="M",
    kind="theorem",
    tolerance="losses relative 1e-12 (sums of P log-sigmoids against scipy's log_expit); smoothness constant relative "
    "1e-12 to its formula, and g'' at the balancing multiplier relative 1e-9 to it (g'' is flat to second order "
    "there)",
    rice={"C"},
    stage="backward:assurance",
)
def check_losses_and_smoothness_closed_forms(ctx: Context) -> Evidence:
    from scipy.special import log_expit

    from aligntheory.theory.safety import bt_reward_nll, cost_nll, dual_derivatives, smoothness_constant

    rng = ctx.rng(53)
    n, P = 6, 15
    rew = rng.normal(size=n) * 2.0
    cst = rng.normal(size=n) * 2.0
    pairs = np.array([rng.choice(n, 2, replace=False) for _ in range(P)])
    labels = rng.random(P) < 0.5
    unsafe = rng.random((P, 2)) < 0.5
    s = np.where(labels, 1.0, -1.0)
    nll_pred = -float(np.sum(log_expit(s * (rew[pairs[:, 0]] - rew[pairs[:, 1]]))))
    # Safe RLHF's cost loss: -log sigma(c_worse - c_better) - sum_k log sigma(s_k c_k), s_k = +1 unsafe, -1 safe
    hl = labels  # True: pairs[:, 0] is the more harmful response
    worse = np.where(hl, pairs[:, 0], pairs[:, 1])
    better = np.where(hl, pairs[:, 1], pairs[:, 0])
    sg = np.where(unsafe, 1.0, -1.0)
    cnll_pred = -float(np.sum(log_expit(cst[worse] - cst[better]))
                       + np.sum(log_expit(sg[:, 0] * cst[pairs[:, 0]])) + np.sum(log_expit(sg[:, 1] * cst[pairs[:, 1]])))
    e_nll = rel_err(bt_reward_nll(rew, pairs, labels), nll_pred)
    e_cnll = rel_err(cost_nll(cst, pairs, hl, unsafe), cnll_pred)
    beta = float(rng.uniform(0.2, 3.0))
    c2 = np.array([float(rng.uniform(-2.0, 0.0)), float(rng.uniform(0.5, 3.0))])
    L = smoothness_constant(c2, beta)
    L_pred = (c2[1] - c2[0]) ** 2 / (4.0 * beta)
    # with r = 0 and pi_ref = (q, 1 - q), pi_lambda(0) / pi_lambda(1) = q / (1 - q) e^{lambda (c1 - c0) / beta}:
    # balanced at lambda = beta ln((1 - q) / q) / (c1 - c0) >= 0
    q = 0.2
    lam_bal = beta * math.log((1.0 - q) / q) / (c2[1] - c2[0])
    g2 = dual_derivatives(lam_bal, [q, 1.0 - q], [0.0, 0.0], c2, beta, 0.0).second
    cn = rng.normal(size=n)
    Ln = smoothness_constant(cn, beta)
    g2n = max(dual_derivatives(lam, np.full(n, 1.0 / n), np.zeros(n), cn, beta, 0.0).second
              for lam in np.linspace(0.0, 5.0, 11))
    e_L = max(rel_err(float(L), L_pred), rel_err(float(Ln), np.ptp(cn) ** 2 / (4.0 * beta)))
    e_att = rel_err(g2, L_pred)
    ok = e_nll <= 1e-12 and e_cnll <= 1e-12 and e_L <= 1e-12 and e_att <= 1e-9 and g2n <= float(Ln) * (1 + 1e-12)
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"bt_reward_nll": nll_pred, "cost_nll": cnll_pred, "L": L_pred},
        measured={"bt_reward_nll": float(bt_reward_nll(rew, pairs, labels)), "cost_nll": float(cost_nll(cst, pairs, hl,
                                                                                                      unsafe)),
                  "L": float(L), "g'' at balance": float(g2)},
        tolerance={"losses relative": 1e-12, "L relative": 1e-12, "attainment relative": 1e-9},
        why="closed forms summed in float64 (rounding ~P ulps); the balanced two-point tilt has variance exactly "
        "(c1 - c0)^2 / 4; a halved or doubled constant, or a wrong sign in a loss, moves values by O(1)",
        sizes={"items": n, "pairs": P},
        details=f"relative errors: bt nll {e_nll:.1e}, cost nll {e_cnll:.1e}, L {e_L:.1e}, attainment {e_att:.1e}; "
        f"max g'' over a grid {g2n:.4g} <= L {float(Ln):.4g}",
    )


@claim(
    id="safety.batched_tilts_and_fits_match",
    statement="tilted_policy_batched and tilted_moments_batched return the Gibbs tilt pi_lambda ~ pi_ref "
    "exp((r - lambda c)/beta) and its reward and cost means for every prompt and multiplier; window_means_batched "
    "returns the mean of the last min(W, (r+1)B) samples after each rollout; primal_value is E_pi[r] - beta "
    "KL(pi || pi_ref); lagrangian_multiplier_trajectory and pid_multiplier_trajectory replay the documented "
    "updates (ragged batches, delay); fit_cost_model's scores minimise cost_nll, also with a ridge prior (a second "
    "optimiser agrees), and with the default throw=True it raises ConvergenceError when the gradient norm stays "
    "above gtol.",
    source=[_DAI, Source(key="stooke2020responsive", where="Algorithm 2")],
    provenance="M",
    kind="theorem",
    tolerance="tilts, moments, window means, primal value and trajectories relative 1e-11 (float64 closed forms and "
    "recurrences computed two ways, floor 1e-12 for entries near 0); cost-model scores relative 1e-6 with floor 1e-3 "
    "(Newton to gradient norm 1e-10 here against scipy BFGS with an analytic gradient to 1e-11; Hessian eigenvalues "
    ">= 1e-2, so both are within 1e-8 of the minimiser)",
    rice={"C"},
    stage="backward:assurance",
)
def check_batched_tilts_and_fits_match(ctx: Context) -> Evidence:
    from scipy.optimize import minimize

    from aligntheory.kernels.safety import fit_cost_model, tilted_moments_batched, tilted_policy_batched
    from aligntheory.kernels.safety_multiplier import window_means_batched
    from aligntheory.theory.safety import (
        cost_nll,
        lagrangian_multiplier_trajectory,
        pid_multiplier_trajectory,
        primal_value,
    )

    rng = ctx.rng(54)
    P, n, beta = 3, 6, 0.8
    p = rng.dirichlet(np.ones(n), size=P)
    r, c = rng.normal(size=(P, n)), rng.uniform(0.0, 2.0, size=(P, n))
    lams = np.array([0.0, 0.5, 3.0])
    pol = np.asarray(tilted_policy_batched(p, r, c, lams, beta))
    mom = tilted_moments_batched(p, r, c, lams, beta)
    pol_pred = np.array([[_tilt(p[i], r[i], c[i], lam, beta) for lam in lams] for i in range(P)])
    e = {"tilt": rel_err(pol, pol_pred, floor=1e-12),
         "E r": rel_err(mom.reward, np.einsum("pln,pn->pl", pol_pred, r), floor=1e-12),
         "E c": rel_err(mom.cost, np.einsum("pln,pn->pl", pol_pred, c), floor=1e-12)}
    q = pol_pred[0, 1]
    pv_pred = float(q @ r[0] - beta * np.sum(q * np.log(q / p[0])))
    e["primal value"] = rel_err(primal_value(q, p[0], r[0], beta), pv_pred, floor=1e-12)
    S, R, B = 2, 7, 3
    costs = rng.uniform(0.0, 1.0, size=(S, R, B))
    windows = np.array([2, 4, 9])
    wm = np.asarray(window_means_batched(costs, windows))
    wm_pred = np.array([[[costs[s, : k + 1].ravel()[-W:].mean() for k in range(R)] for W in windows]
                        for s in range(S)])
    e["window means"] = rel_err(wm, wm_pred)
    ragged = [rng.uniform(0.0, 1.0, int(rng.integers(1, 5))) for _ in range(9)]
    lt = lagrangian_multiplier_trajectory(ragged, 0.5, lambda_init=0.7, lambda_lr=0.3, window=5, delay_steps=2,
                                          updates_per_rollout=2)
    e["lagrangian trajectory"] = rel_err(lt.lambdas, _lagrangian_loop(ragged, 0.5, 0.3, 5, 0.7, 2, 2))
    pt = pid_multiplier_trajectory(ragged, 0.5, kp=0.6, ki=0.9, window=5, updates_per_rollout=2)
    e["pid trajectory"] = rel_err(pt.lambdas, _pid_loop(ragged, 0.5, 0.6, 0.9, 5, 2), floor=1e-12)
    # cost model: Newton (library) against BFGS on cost_nll (library loss, independent optimiser)
    m, npairs = 6, 40
    pairs = np.array([rng.choice(m, 2, replace=False) for _ in range(npairs)])
    harm = rng.random(npairs) < 0.5
    unsafe = rng.random((npairs, 2)) < 0.5
    fit = fit_cost_model(pairs, harm, unsafe, m, gtol=1e-10, newton_steps=50)
    from scipy.special import expit

    worse, better = np.where(harm, pairs[:, 0], pairs[:, 1]), np.where(harm, pairs[:, 1], pairs[:, 0])
    sg = np.where(unsafe, 1.0, -1.0)

    def grad(x):  # d/dx of -log sigma(t) is -sigma(-t); written here, independent of the library
        g = np.zeros(m)
        t = expit(-(x[worse] - x[better]))
        np.add.at(g, worse, -t)
        np.add.at(g, better, t)
        for col in (0, 1):
            np.add.at(g, pairs[:, col], -sg[:, col] * expit(-sg[:, col] * x[pairs[:, col]]))
        return g

    res = minimize(lambda x: cost_nll(x, pairs, harm, unsafe), np.zeros(m), jac=grad, method="BFGS",
                   options={"gtol": 1e-11, "maxiter": 5000})
    e["cost model"] = rel_err(np.asarray(fit.scores), res.x, floor=1e-3)
    ridge = 2.0  # with a ridge prior ridge/2 |c|^2 (gradient + ridge c): Newton must still reach the minimiser
    fit_r = fit_cost_model(pairs, harm, unsafe, m, ridge=ridge, gtol=1e-10, newton_steps=50)
    res_r = minimize(lambda x: cost_nll(x, pairs, harm, unsafe) + 0.5 * ridge * x @ x, np.zeros(m),
                     jac=lambda x: grad(x) + ridge * x, method="BFGS", options={"gtol": 1e-11, "maxiter": 5000})
    e["cost model"] = max(e["cost model"], rel_err(np.asarray(fit_r.scores), res_r.x, floor=1e-3))
    # the documented default throw=True: a final gradient norm above gtol (here 1e-300, below any float64 norm of
    # a non-zero gradient after 50 steps) raises ConvergenceError instead of returning a flagged result
    try:
        fit_cost_model(pairs, harm, unsafe, m, gtol=1e-300, newton_steps=50)
        raised = False
    except ConvergenceError:
        raised = True
    ok = all(v <= 1e-11 for k, v in e.items() if k != "cost model") and e["cost model"] <= 1e-6 and raised
    return Evidence(
        verdict=Verdict.of(ok),
        predicted="closed forms and loops written in the claim; scipy BFGS for the cost model",
        measured={k: float(v) for k, v in e.items()},
        tolerance={"closed forms and recurrences": 1e-11, "cost model": 1e-6},
        why="float64 closed forms and short recurrences agree to ~1e-15; two optimisers stopped at gradient norms "
        "<= 1e-10 on a strongly convex loss agree to ~1e-8; a wrong sign in the tilt, a shifted window or a "
        "wrong Newton step is O(1)",
        sizes={"prompts": P, "responses": n, "multipliers": len(lams), "rollouts": R, "cost items": m,
               "cost pairs": npairs},
        details=", ".join(f"{k}: {v:.1e}" for k, v in e.items()) + f"; gtol 1e-300 with the default throw raised: "
        f"{raised}",
    )


@claim(
    id="safety.harm_taxonomy_codes",
    statement="The PKU-SafeRLHF (2024) harm taxonomy as the library encodes it: 19 categories with the distinct "
    "integer codes 0..18, each display name reading back to its category; parse_harm_label returns exactly the "
    "flagged categories with the given severity, and a label is safe exactly when no category is flagged.",
    source=[Source(key="ji2024pku")],
    provenance="S",
    kind="reconstruction",
    tolerance="exact (codes, names and sets)",
    rice={"E"},
    stage="backward:assurance",
)
def check_harm_taxonomy_codes(ctx: Context) -> Evidence:
    from aligntheory.theory.safety import HarmCategory, Severity, parse_harm_label

    rng = ctx.rng(55)
    cats = list(HarmCategory)
    bad = []
    if sorted(int(c) for c in cats) != list(range(19)):
        bad.append(f"codes {sorted(int(c) for c in cats)}")
    for c in cats:
        if HarmCategory.from_display_name(c.display_name) is not c:
            bad.append(f"display name of {c.name}")
    for _ in range(10):
        flags = {c.display_name: bool(rng.random() < 0.2) for c in cats}
        chosen = {c for c in cats if flags[c.display_name]}
        sev = int(rng.integers(1, 4)) if chosen else 0
        lab = parse_harm_label(flags, sev)
        if set(lab.categories) != chosen or lab.severity != Severity(sev) or lab.is_safe != (not chosen):
            bad.append(("label", sorted(c.name for c in chosen), sev))
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"categories": 19, "codes": "0..18"},
        measured={"categories": len(cats), "mismatches": bad},
        tolerance="exact",
        why="codes and names are discrete; a duplicated or shifted code merges two categories of the dataset",
        sizes={"categories": len(cats), "labels": 10},
        details=f"mismatches {bad}",
    )


def _penalised_fit(n, pos, neg, sign_idx, sign_s, ridge):
    """argmin -sum log sigma(x_pos - x_neg) - sum log sigma(s x) + ridge/2 |x|^2 (BFGS, analytic gradient),
    and the Laplace standard errors sqrt(diag H^-1) at the minimiser (the Hessian written out here)."""
    from scipy.optimize import minimize
    from scipy.special import expit, log_expit

    def f(x):
        t = x[pos] - x[neg]
        u = sign_s * x[sign_idx]
        g = ridge * x
        np.add.at(g, pos, -expit(-t))
        np.add.at(g, neg, expit(-t))
        np.add.at(g, sign_idx, -sign_s * expit(-u))
        return float(-np.sum(log_expit(t)) - np.sum(log_expit(u)) + 0.5 * ridge * x @ x), g

    x = minimize(f, np.zeros(n), jac=True, method="BFGS", options={"gtol": 1e-11, "maxiter": 10000}).x
    H = ridge * np.eye(n)
    w = expit(x[pos] - x[neg]) * expit(-(x[pos] - x[neg]))
    for a, b, wi in zip(pos, neg, w):
        H[a, a] += wi
        H[b, b] += wi
        H[a, b] -= wi
        H[b, a] -= wi
    ws = expit(x[sign_idx]) * expit(-x[sign_idx])
    np.add.at(H, (sign_idx, sign_idx), ws)
    return x, np.sqrt(np.diag(np.linalg.inv(H)))


@claim(
    id="safety.analyse_safety_preferences_routes",
    statement="analyse_safety_preferences on PKU-SafeRLHF-format records returns the severity counts and the "
    "helpful/harmless disagreement rate of the records, and the dual Bradley--Terry fit of our B-T7 with ridge "
    "prior: reward scores minimising -sum log sigma(r_better - r_worse) + ridge/2 |r|^2, cost scores minimising "
    "-sum log sigma(c_less_safe - c_safer) - sum_y log sigma(s(y) c(y)) + ridge/2 |c|^2 (s = +1 unsafe), each with "
    "Laplace standard errors sqrt(diag H^-1).",
    source=[_DAI, Source(key="ji2024pku")],
    provenance="M",
    kind="theorem",
    tolerance="counts and rate exactly; scores and standard errors relative 1e-6 with floor 1e-6 (the library's "
    "Newton against scipy BFGS with an analytic gradient to 1e-11 on a ridge-regularised, strongly convex loss "
    "with Hessian eigenvalues >= ridge = 1)",
    rice={"C", "E"},
    stage="backward:assurance",
)
def check_analyse_safety_preferences_routes(ctx: Context) -> Evidence:
    from aligntheory.analysis.safety import analyse_safety_preferences
    from aligntheory.theory.safety import HarmCategory

    rng = ctx.rng(56)
    names = [c.display_name for c in HarmCategory]
    recs, sev_all = [], []
    for i in range(12):
        rec = {"prompt": f"prompt {i}"}
        for j in (0, 1):
            safe = bool(rng.random() < 0.5)
            cats = {} if safe else {str(rng.choice(names)): True}
            sev = 0 if safe else int(rng.integers(1, 4))
            sev_all.append(sev)
            rec.update({f"response_{j}": f"answer {i}.{j}", f"is_response_{j}_safe": safe,
                        f"response_{j}_harm_category": cats, f"response_{j}_severity_level": sev})
        rec["better_response_id"], rec["safer_response_id"] = int(rng.integers(0, 2)), int(rng.integers(0, 2))
        recs.append(rec)
    out = analyse_safety_preferences(recs, ridge=1.0)
    bad = []
    sev_pred = {name: sev_all.count(v) for v, name in enumerate(("SAFE", "MINOR", "MODERATE", "SEVERE"))}
    if dict(out["severity_counts"]) != sev_pred:
        bad.append(("severity counts", dict(out["severity_counts"]), sev_pred))
    dis = float(np.mean([r["better_response_id"] != r["safer_response_id"] for r in recs]))
    if out["preference_disagreement_rate"] != dis:
        bad.append(("disagreement", out["preference_disagreement_rate"], dis))
    n = 2 * len(recs)
    idx = np.arange(len(recs))
    better = np.array([r["better_response_id"] for r in recs])
    safer = np.array([r["safer_response_id"] for r in recs])
    rw, rw_se = _penalised_fit(n, 2 * idx + better, 2 * idx + 1 - better, np.zeros(0, int), np.zeros(0), 1.0)
    unsafe = np.array([not r[f"is_response_{j}_safe"] for r in recs for j in (0, 1)])
    cs, cs_se = _penalised_fit(n, 2 * idx + 1 - safer, 2 * idx + safer, np.arange(n), np.where(unsafe, 1.0, -1.0), 1.0)
    fit = out["fit"]
    e = {"reward": rel_err(fit["reward"], rw, floor=1e-6), "reward se": rel_err(fit["reward_se"], rw_se),
         "cost": rel_err(fit["cost"], cs, floor=1e-6), "cost se": rel_err(fit["cost_se"], cs_se)}
    ok = not bad and all(v <= 1e-6 for v in e.values())
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"severity counts": sev_pred, "disagreement": dis},
        measured={"severity counts": dict(out["severity_counts"]), "disagreement": out["preference_disagreement_rate"],
                  "relative errors": e},
        tolerance={"tables": "exact", "fit relative": 1e-6},
        why="two optimisers of a strongly convex (ridge 1) loss agree to ~1e-9; a swapped preference, a dropped sign "
        "term or a missing ridge in the Hessian moves scores or standard errors by >= 1e-2",
        sizes={"records": len(recs), "responses": n},
        details=", ".join(f"{k}: {v:.1e}" for k, v in e.items()) + f"; table mismatches {bad}",
    )

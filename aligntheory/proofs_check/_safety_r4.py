"""Safety claims of issue #11, round 4 (survivors of the fresh mutation sample).

Registered by the import at the end of ``proofs_check/safety.py``. Each measurement calls the public
function; each prediction is a closed form or a loop written here:

* ``safety.batched_multiplier_bracket_cap`` -- :func:`~aligntheory.kernels.safety.optimal_multiplier_batched`
  finds roots :math:`\\lambda^*` known in closed form from :math:`\\sim 10^{-300}` to :math:`2^{1022.8}` and
  refuses a root above :math:`2^{n\\_double}`;
* ``safety.replay_estimates_linear_curvature`` -- :func:`~aligntheory.analysis.safety.replay_multiplier_log`
  recovers :math:`\\kappa` from a log whose rollout mean costs are exactly :math:`a-\\kappa\\lambda` of the
  multiplier in force before each rollout (the update replayed by a loop written here).
"""

from __future__ import annotations

import math

import numpy as np

from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

_DAI = Source(key="dai2023safe")


@claim(
    id="safety.batched_multiplier_bracket_cap",
    statement="optimal_multiplier_batched brackets the root geometrically over the float64 range: with its default "
    "n_double = 1023 it returns the root lambda* = R of E_{pi_lambda}[c] = 0.6 for pi_ref uniform on 5 outcomes, "
    "r = (0, 0, R k, R k, R k), c = (0, 0, k, k, k), d = 0.6 k, beta = 1 (E c / k = 3 e^{k (R - lambda)} / (2 + "
    "3 e^{k (R - lambda)})) for R from 2^3 to 2^1022.8 (k = 1, and k = 2^-40 above 2^1000), and for R = beta ln(9) with r = 0, c = (0, 1), d = 0.1 at beta from 1e-300 to 1; with "
    "n_double = 64 a root above 2^64 raises PrecisionError naming n_double (before round 13 it came back as 2^64, "
    "and roots below ~1e-61 as ~3e-61, without a flag).",
    source=[_DAI, Source(key="boyd2004convex", where="§5.5 (KKT)")],
    provenance="M",
    kind="theorem",
    tolerance="relative 1e-12 (the bisection stops at 4 ulp of its scaled upper end, 1e-15 relative; R - lambda is "
    "exact near the root by Sterbenz's lemma)",
    rice={"C"},
    stage="backward:assurance",
)
def check_batched_multiplier_bracket_cap(ctx: Context) -> Evidence:
    """Predicted: the closed-form roots lambda* = R (d = 0.6 makes 3 e^{R - lambda} = 2 (1 - ...)) and
    lambda* = beta ln 9 (two outcomes, E c = sigma(-lambda / beta) = 0.1); the refusal at n_double = 64.

    Measured: ``optimal_multiplier_batched`` on 6 prompts with R in 2^[3, 60], 2^[64.2, 64.8] and 2^[1022.2,
    1022.8] (defaults; a default n_double of 1022 would refuse the last two), on beta = 10^-u, u in [1, 300], and with
    n_double = 64 on the prompts above 2^64 (PrecisionError whose message names n_double). Tolerance relative
    1e-12: the bisection's resolution is 4 ulp.
    """
    from aligntheory.errors import PrecisionError
    from aligntheory.kernels.safety import optimal_multiplier_batched

    rng = ctx.rng(402)
    P, n = 6, 5
    expo = np.array([rng.uniform(3.0, 60.0), rng.uniform(64.2, 64.8), rng.uniform(1022.2, 1022.8),
                     rng.uniform(3.0, 60.0), rng.uniform(64.2, 64.8), rng.uniform(1022.2, 1022.8)])
    R = 2.0**expo
    # the roots above 2^1022 have cost 2^-40 on the rewarded outcomes: the root is R' / 2^-40 for reward R' = R 2^-40
    # (the tilt refuses |reward| / beta above 1e300); scaling by a power of two keeps R' - lambda k exact
    k = np.where(expo > 1000.0, 2.0**-40, 1.0)
    p = np.full((P, n), 1.0 / n)
    r = np.zeros((P, n))
    r[:, 2:] = (R * k)[:, None]
    c = np.array([0.0, 0.0, 1.0, 1.0, 1.0])[None, :] * k[:, None]
    lam = np.asarray(optimal_multiplier_batched(p, r, c, 1.0, 0.6 * k))
    err = rel_err(lam, R)
    betas = 10.0 ** -np.array([rng.uniform(1.0, 60.0), rng.uniform(60.0, 200.0), rng.uniform(200.0, 300.0)])
    lam_b = np.array([float(optimal_multiplier_batched(np.full((1, 2), 0.5), np.zeros((1, 2)),
                                                       np.array([[0.0, 1.0]]), float(b), np.array([0.1]))[0])
                      for b in betas])
    err_b = rel_err(lam_b, betas * math.log(9.0))
    big = expo > 64.0
    try:
        optimal_multiplier_batched(p[big], r[big], c[big], 1.0, 0.6 * k[big], n_double=64)
        refused = "returned a value"
    except PrecisionError as exc:
        refused = "n_double" if "n_double" in str(exc) else f"PrecisionError without n_double: {exc}"
    ok = bool(np.all(np.isfinite(lam))) and err <= 1e-12 and err_b <= 1e-12 and refused == "n_double"
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"lambda": R.tolist(), "beta ln 9": (betas * math.log(9.0)).tolist(), "n_double=64": "n_double"},
        measured={"lambda": lam.tolist(), "beta ln 9": lam_b.tolist(), "n_double=64": refused},
        tolerance={"relative": 1e-12},
        why="geometric bracket then bisection to 4 ulp of the scaled upper end; the closed-form roots are exact",
        sizes={"prompts": P, "outcomes": n},
        details=f"log2 R = {np.round(expo, 3).tolist()}; max relative error {err:.2e} (R), {err_b:.2e} (beta ln 9); "
        f"n_double = 64 on R > 2^64: {refused}",
    )


def _linear_log(rng, lr: float, lam0: float, a: float, kappa: float, d: float, R: int, B: int, U: int):
    """Costs whose rollout means are a - kappa * (multiplier before the rollout), with the update as a loop.

    Window = B samples, so the window mean is the rollout mean; U log-space steps
    u <- u + lr (Jbar - d) e^u per rollout.
    """
    costs, lam_before, u = [], [], math.log(lam0)
    for _ in range(R):
        lam_before.append(math.exp(u))
        m = a - kappa * math.exp(u)
        s = rng.uniform(0.05, 0.2, size=B // 2)
        batch = np.concatenate([m - s, m + s])  # mean m up to rounding
        costs.append(batch)
        jbar = float(np.mean(batch))
        for _ in range(U):
            u = u + lr * (jbar - d) * math.exp(u)
    return costs, np.array(lam_before)


@claim(
    id="safety.replay_estimates_linear_curvature",
    statement="replay_multiplier_log without a given curvature estimates kappa = -dC/dlambda as minus the "
    "least-squares slope of each rollout's mean cost on the multiplier in force before it: on a log whose rollout "
    "means are exactly a - kappa lambda_before (U = 2 updates per rollout), it returns kappa.",
    source=[_DAI],
    provenance="M",
    kind="theorem",
    tolerance="relative 1e-8 (a least-squares fit of exactly linear data: rounding of the means, 1e-16, amplified "
    "by the fit's condition number, below 1e4 for multipliers spread over >= 5 % of their mean)",
    rice={"C"},
    stage="backward:assurance",
)
def check_replay_estimates_linear_curvature(ctx: Context) -> Evidence:
    """Predicted: kappa, by construction of the log (the update replayed by a loop written here).

    Measured: ``replay_multiplier_log(...).curvature`` with ``curvature`` omitted. Tolerance relative
    1e-8; pairing each mean with the wrong multiplier (a shifted or truncated gather) breaks the exact
    linearity and moves the slope by far more.
    """
    from aligntheory.analysis.safety import replay_multiplier_log

    rng = ctx.rng(403)
    R, B, U = 12, 4, 2
    lr, lam0 = 0.3, float(rng.uniform(0.1, 0.4))
    a, kappa = float(rng.uniform(0.8, 1.2)), float(rng.uniform(0.3, 0.9))
    d = a - kappa * float(rng.uniform(0.8, 1.2))  # the fixed point lambda* = (a - d) / kappa is near 1
    costs, lam_before = _linear_log(rng, lr, lam0, a, kappa, d, R, B, U)
    rep = replay_multiplier_log([list(x) for x in costs], threshold=d, lambda_init=lam0, lambda_lr=lr, window=B,
                                updates_per_rollout=U)
    spread = float(np.ptp(lam_before) / np.mean(lam_before))
    err = rel_err(rep.curvature, kappa)
    ok = rep.curvature_estimated and spread >= 0.05 and err <= 1e-8
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"curvature": kappa},
        measured={"curvature": float(rep.curvature)},
        tolerance={"relative": 1e-8},
        why="exactly linear data: the least-squares slope is exact up to rounding times the fit's condition number",
        sizes={"rollouts": R, "batch": B, "updates_per_rollout": U},
        details=f"relative error {err:.2e}; multiplier spread {spread:.3f} of its mean",
    )

"""Round-10 claims of issue 11 on ``aligntheory.analysis.safety`` (helper nA).

* ``safety.replay_table_matches_update`` -- every field of :func:`~aligntheory.analysis.safety.replay_multiplier_log`
  (trajectory, lambda*, curvature and its flag, the stability verdict, ``to_json``) on a table of short and long
  logs that takes each branch: lambda* given or the median of the last quarter (a log shorter than four updates
  included: the last multiplier), curvature given, estimated positive, or estimated and clipped at 0, a delay,
  a cap, unequal rollout lengths (the median batch, even count). Predictions: Safe RLHF's update written as a
  loop (``_safety_reach._lagrangian_loop``), the least-squares slope in closed form, and the stability verdict of
  :func:`~aligntheory.theory.safety.log_multiplier_stability` at the arguments computed here.

Registered by the import at the end of ``proofs_check/safety.py``.
"""

from __future__ import annotations

import math
import statistics

from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim
from aligntheory.proofs_check._safety_reach import _lagrangian_loop

_DAI = Source(key="dai2023safe")


def _ramp(lo: float, hi: float, lengths) -> list[list[float]]:
    """Rollouts whose means run linearly from lo to hi (each rollout: mean +- a spread, exact mean up to rounding)."""
    R = len(lengths)
    out = []
    for r, B in enumerate(lengths):
        m = lo + (hi - lo) * r / max(1, R - 1)
        out.append([m + 0.05 * ((k % 2) * 2 - 1) * (k < B - B % 2) for k in range(B)])
    return out


# (label, rollout lengths, mean ramp (lo, hi), threshold, lambda_init, lr, lambda_max, delay, window, U,
#  lam_star given, curvature given)
_ROWS = (
    ("2 rollouts, lambda* = last multiplier", (1, 1), (0.7, 0.6), 0.3, 0.8, 0.4, None, 0, 1, 1, None, 0.5),
    ("3 rollouts, U = 1, curvature estimated", (2, 1, 3), (0.9, 0.5), 0.3, 0.5, 0.3, None, 0, 2, 1, None, None),
    ("3 rollouts, U = 2 (6 updates, last one)", (3, 3, 3), (0.9, 0.5), 0.3, 0.5, 0.2, None, 0, 3, 2, None, None),
    ("5 rollouts, U = 2 (10 updates, last 2)", (1, 3, 4, 1, 5), (0.9, 0.5), 0.3, 0.6, 0.25, None, 0, 4, 2, None, None),
    ("8 rollouts, delay 2, even median batch", (5, 2, 1, 6, 2, 2, 3, 4), (0.8, 0.45), 0.3, 0.7, 0.3, None, 2, 3, 1,
     None, None),
    ("9 rollouts, means rising: curvature clipped to 0", (4,) * 9, (0.4, 0.8), 0.2, 0.5, 0.2, None, 0, 4, 1, None, None),
    ("6 rollouts, cap binds, lambda* given", (2,) * 6, (0.9, 0.8), 0.1, 1.0, 0.5, 1.5, 0, 2, 1, 1.2, None),
    ("12 rollouts, U = 3, both given", (2,) * 12, (0.6, 0.5), 0.55, 0.9, 0.1, None, 1, 5, 3, 0.95, 0.8),
)


@claim(
    id="safety.replay_table_matches_update",
    statement="replay_multiplier_log returns, on logs of 2 to 12 rollouts (1 to 3 updates each, with a delay, a "
    "cap, unequal rollout lengths): the multiplier after every update of Safe RLHF's log-space rule; lambda* = the "
    "given value or the median of the last max(1, floor(L/4)) of the L multipliers; kappa = the given value or "
    "max(0, -slope) of the least-squares line of each rollout's mean cost on the multiplier in force before it "
    "(flag set iff estimated); the stability of log_multiplier_stability at (lambda*, kappa, lambda_lr, window, "
    "int(median rollout length), U); and to_json holding exactly these values.",
    source=[_DAI],
    provenance="M",
    kind="theorem",
    tolerance="multipliers and lambda* relative 1e-12 (<= 36 float64 updates of size O(1) in a different order); "
    "kappa relative 1e-9 (closed-form slope vs numpy's lstsq: rounding times the condition number of a fit "
    "with multipliers spread >= 5 % of their mean); spectral radius and gain relative 1e-9; flags exact",
    rice={"C"},
    stage="backward:assurance",
)
def check_replay_table_matches_update(ctx: Context) -> Evidence:
    """Predicted: the loop, the median, the closed-form slope and the theory verdict at these arguments.

    Measured: every field of ``replay_multiplier_log(...)`` and its ``to_json()``.
    """
    from aligntheory.analysis.safety import replay_multiplier_log
    from aligntheory.theory.safety import log_multiplier_stability

    bad, worst = [], {"lambdas": 0.0, "lam_star": 0.0, "curvature": 0.0, "stability": 0.0}
    for (label, lengths, ramp, d, lam0, lr, lam_max, delay, W, U, ls_given, k_given) in _ROWS:
        costs = _ramp(ramp[0], ramp[1], lengths)
        rep = replay_multiplier_log(costs, threshold=d, lambda_init=lam0, lambda_lr=lr, lambda_max=lam_max,
                                    delay_steps=delay, window=W, updates_per_rollout=U, lam_star=ls_given,
                                    curvature=k_given)
        lams = _lagrangian_loop(costs, d, lr, W, lam0, U, delay, lam_max)
        L = len(lams)
        tail = sorted(lams[L - max(1, L // 4):])
        lam_star = ls_given if ls_given is not None else statistics.median(tail)
        if k_given is None:
            before = [lam0] + [lams[r * U + U - 1] for r in range(len(lengths) - 1)]
            means = [math.fsum(c) / len(c) for c in costs]
            xb, yb = math.fsum(before) / len(before), math.fsum(means) / len(means)
            slope = (math.fsum((x - xb) * (y - yb) for x, y in zip(before, means))
                     / math.fsum((x - xb) ** 2 for x in before))
            kappa = max(0.0, -slope)
        else:
            kappa = k_given
        batch = max(1, int(statistics.median(lengths)))
        st = log_multiplier_stability(lam_star, kappa, lr, window=W, batch_size=batch, updates_per_rollout=U)
        e_l = rel_err(rep.trajectory.lambdas, lams)
        e_s = rel_err(rep.lam_star, lam_star)
        e_k = rel_err(rep.curvature, kappa, floor=1e-12)
        e_st = max(rel_err(rep.stability.spectral_radius, st.spectral_radius),
                   rel_err(rep.stability.gain, st.gain, floor=1e-12))
        for key, e in zip(worst, (e_l, e_s, e_k, e_st)):
            worst[key] = max(worst[key], e)
        js = rep.to_json()
        js_ok = (js["lambdas"] == rep.trajectory.lambdas.tolist() and js["lam_star"] == rep.lam_star
                 and js["curvature"] == rep.curvature and js["curvature_estimated"] is (k_given is None)
                 and js["window_means"] == rep.trajectory.window_means.tolist()
                 and js["stability"] == {"spectral_radius": rep.stability.spectral_radius,
                                         "stable": rep.stability.stable, "oscillatory": rep.stability.oscillatory,
                                         "gain": rep.stability.gain})
        flags_ok = (rep.curvature_estimated is (k_given is None) and rep.stability.stable == st.stable
                    and rep.stability.oscillatory == st.oscillatory)
        if not (e_l <= 1e-12 and e_s <= 1e-12 and e_k <= 1e-9 and e_st <= 1e-9 and flags_ok and js_ok):
            bad.append(f"{label}: lambdas {e_l:.1e}, lambda* {rep.lam_star} vs {lam_star}, kappa {rep.curvature} vs "
                       f"{kappa}, radius {rep.stability.spectral_radius} vs {st.spectral_radius}, flags {flags_ok}, "
                       f"to_json {js_ok}")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted="the update loop, median of the last quarter, closed-form slope, theory verdict",
        measured={f"max relative error {k}": v for k, v in worst.items()},
        tolerance={"lambdas, lambda*": 1e-12, "kappa, radius, gain": 1e-9},
        why="the same float64 recurrence in another order (a few ulp per step over <= 36 steps); the slope's "
        "rounding times a condition number < 1e3; the verdict is continuous in its arguments",
        sizes={"rows": len(_ROWS)},
        details="; ".join(bad) if bad else f"{len(_ROWS)} rows agree",
        counterexample=None if ok else {"failures": bad},
    )

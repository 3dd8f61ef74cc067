"""Round-5 claims (issue 11): pins found by the second fresh mutation sample (docs/mutation-report/fresh-r4)."""

from __future__ import annotations

import math

import numpy as np

from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

__all__: list[str] = []

_EPS = float(np.finfo(float).eps)


@claim(
    id="safety.multiplier_root_two_outcomes",
    statement="optimal_multiplier on two outcomes (pi_ref uniform, r = (0, a), c = (0, 1), budget d = 1/2, any beta) "
    "returns lambda* = a with the uniform policy, active and successful: the tilt's logits (r - lambda c)/beta vanish "
    "exactly at lambda = a, so E[c] = 1/2 = d there and E[c] is strictly decreasing in lambda. This holds also when a "
    "is a power of two (the bracket doubling lands exactly on the root: lambda = a with 0 Brent iterations) and for "
    "a = 0 (E_{pi_0}[c] = d: lambda = 0, inactive); the default xtol = 1e-15 gives bit-for-bit the result of an "
    "explicit xtol = 1e-15; at the boundary d = min c it returns lambda = inf and the reward tilt restricted to "
    "arg min c.",
    source=[Source(key="dai2023safe", where="§3 (dual update; our B-T2)")],
    provenance="M",
    kind="theorem",
    tolerance="|lambda - a| <= 2 (1e-15 + 4 eps a) + 8 beta eps: Brent's own stop (xtol + rtol |x|, doubled) plus the "
    "flat band of the rounded residual near the root (E[c] ~ 1/2 + (a - lambda)/(4 beta), rounded to eps/2); exact "
    "(==) for powers of two and a = 0; policies within 1e-15 (absolute, probabilities of a 2-term normalisation)",
    rice={"C"},
    stage="backward:assurance",
)
def check_multiplier_root_two_outcomes(ctx: Context) -> Evidence:
    """Predicted: lambda* = a (closed form: the logits vanish at lambda = a), the uniform policy.

    Measured: ``optimal_multiplier`` with its default ``xtol`` on a = 1, 2, 4, 8 (exact hits of the doubling),
    a = 0 (the inactive branch at equality) and four a drawn log-uniformly in [0.05, 50], beta drawn in
    [0.5, 3]. The tolerance is Brent's documented stop plus the rounding band of the residual (see ``tolerance``);
    a default xtol moved to ~1 would leave the bracket's width, and the bit-for-bit comparison with an explicit
    xtol = 1e-15 catches any change of the default.
    """
    from aligntheory.theory.safety import optimal_multiplier

    rng = ctx.rng(501)
    exact = [1.0, 2.0, 4.0, 8.0]
    drawn = [float(x) for x in np.exp(rng.uniform(np.log(0.05), np.log(50.0), 4))]
    betas = rng.uniform(0.5, 3.0, len(exact) + len(drawn) + 1)
    bad: list[str] = []
    worst = 0.0
    for a, beta in zip(exact + drawn + [0.0], betas):
        beta = float(beta)
        try:
            sol = optimal_multiplier([0.5, 0.5], [0.0, a], [0.0, 1.0], beta, 0.5)
        except Exception as exc:  # noqa: BLE001 -- any refusal of a well-posed problem is a failure of the claim
            bad.append(f"a = {a}, beta = {beta}: raised {type(exc).__name__}: {exc}")
            continue
        tol = 0.0 if a in exact or a == 0.0 else 2.0 * (1e-15 + 4.0 * _EPS * a) + 8.0 * beta * _EPS
        err = abs(sol.lam - a)
        worst = max(worst, err / max(a, 1.0))
        if not err <= tol:
            bad.append(f"a = {a}, beta = {beta}: lambda = {sol.lam!r}, |error| {err:.3g} > {tol:.3g}")
        if float(np.max(np.abs(sol.policy - 0.5))) > 1e-15:
            bad.append(f"a = {a}: policy {sol.policy.tolist()} not uniform")
        if sol.active != (a > 0.0) or not sol.converged or sol.boundary:
            bad.append(f"a = {a}: active {sol.active}, result {sol.result}, boundary {sol.boundary}")
        if a in exact and sol.iterations != 0:
            bad.append(f"a = {a}: {sol.iterations} Brent iterations reported for a root hit by the doubling")
        if not 0 <= sol.iterations <= 500:
            bad.append(f"a = {a}: iterations {sol.iterations} outside [0, maxiter = 500]")
    # the boundary d = min c: lambda = inf and the limit policy, the reward tilt restricted to arg min c
    p = rng.dirichlet(np.ones(3))
    r3 = rng.uniform(-2.0, 2.0, 3)
    b3 = float(rng.uniform(0.5, 3.0))
    z = [math.log(p[i]) + r3[i] / b3 for i in (0, 1)]
    top = max(z)
    ez = [math.exp(v - top) for v in z]
    limit = np.array([ez[0] / (ez[0] + ez[1]), ez[1] / (ez[0] + ez[1]), 0.0])
    bsol = optimal_multiplier(p, r3, [0.0, 0.0, 1.0], b3, 0.0)
    b_err = float(np.max(np.abs(bsol.policy - limit)))
    if not (bsol.lam == math.inf and bsol.boundary and bsol.active and b_err <= 1e-15):
        bad.append(f"d = min c: lambda {bsol.lam}, boundary {bsol.boundary}, policy {bsol.policy.tolist()} vs "
                   f"{limit.tolist()} (max error {b_err:.3g})")
    a, beta = drawn[0], float(betas[0])
    d_sol = optimal_multiplier([0.5, 0.5], [0.0, a], [0.0, 1.0], beta, 0.5)
    e_sol = optimal_multiplier([0.5, 0.5], [0.0, a], [0.0, 1.0], beta, 0.5, xtol=1e-15)
    if (d_sol.lam, d_sol.iterations) != (e_sol.lam, e_sol.iterations):
        bad.append(f"default xtol gives ({d_sol.lam!r}, {d_sol.iterations}), explicit 1e-15 gives "
                   f"({e_sol.lam!r}, {e_sol.iterations})")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"lambda*": "a", "policy": [0.5, 0.5]},
        measured={"max |lambda - a| / max(a, 1)": worst, "boundary policy max error": b_err, "failures": len(bad)},
        tolerance="exact for a in {0, 1, 2, 4, 8}; else 2 (1e-15 + 4 eps a) + 8 beta eps",
        why="Brent stops within xtol + rtol |x|; the residual's rounding leaves a band of width ~4 beta eps",
        sizes={"problems": len(exact) + len(drawn) + 1, "a drawn": drawn},
        counterexample=None if ok else {"failures": bad[:6]},
    )

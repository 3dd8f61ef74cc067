"""Elasticity claims of issue #11, round 8 (survivors of the fifth fresh mutation sample, docs/mutation-report/fresh-r7).

``elasticity.mc_delta_traced_estimate`` -- :func:`~aligntheory.kernels.elasticity.mc_delta_gamma` called under
``jax.jit`` with the key traced (the documented "same estimate, in the graph" path) against the host call with the
same key: the per-seed finite differences must agree to rounding, and the ratio estimate
``R = -mean(d_a) / mean(d_p)`` and its delta-method standard error
``std(d_a + R d_p, ddof=1) / sqrt(S) / |mean(d_p)|`` of BOTH paths must match those formulas written here in numpy on
the returned differences. Earlier claims only reached the host path, so a changed operator in the traced standard
error was invisible.
"""

from __future__ import annotations

import math

import numpy as np

from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

__all__: list[str] = []

_JIT: list = []


def _mc_traced(Pp, Pa, Pt, Na, k, l1, S):
    """``jax.jit`` over the key of ``mc_delta_gamma`` (built once per argument set)."""
    import jax

    from aligntheory.kernels.elasticity import mc_delta_gamma

    args = (Na, k, l1, S)
    for a, f in _JIT:
        if a == args:
            return f
    f = jax.jit(lambda key, p, a, t: tuple(mc_delta_gamma(key, p, a, t, Na, k, l1, S, validate=False))[:5])
    _JIT.append((args, f))
    return f


@claim(
    id="elasticity.mc_delta_traced_estimate",
    statement="mc_delta_gamma under jax.jit (key traced) returns the per-seed finite differences of the host call "
    "with the same key (to rounding), and on both paths the ratio estimate is -mean(d_a)/mean(d_p) and its "
    "standard error std(d_a + R d_p, ddof = 1) / sqrt(S) / |mean(d_p)|, the delta-method formulas it documents.",
    source=[Source(key="ji2024language", where="our Propositions E1-E4, sample version; spec elasticity.md §4.3")],
    provenance="M",
    kind="theorem",
    tolerance="relative 1e-12: the differences against the host's (floor: their largest magnitude; XLA may fuse the "
    "traced graph differently, a few ulp), ratio and standard error against the numpy formulas (float64 sums over "
    "S = 200 seeds: error about S eps relative to the terms, floor the terms' scale)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_mc_delta_traced_estimate(ctx: Context) -> Evidence:
    """Predicted: R and its standard error from the returned ``d_p``, ``d_a`` by the numpy formulas written here, and
    the host path's differences. Measured: ``mc_delta_gamma`` on the host and under ``jax.jit`` over the key.
    Tolerance: 1e-12 relative, floor = the scale of the summed terms (|d_a| + |R d_p| over |mean d_p|)."""
    import jax.numpy as jnp

    from aligntheory.kernels.elasticity import mc_delta_gamma
    from aligntheory.proofs_check.elasticity._theory_claims import random_dist

    rng = ctx.rng(80)
    M, k, l1, Na, S = 16, 4.0, 0.5, 1e5, 200
    Pp, Pa, Pt = (random_dist(rng, M, conc=2.0) for _ in range(3))
    key = ctx.key(80)
    host = mc_delta_gamma(key, Pp, Pa, Pt, Na, k, l1, S)
    tr = _mc_traced(Pp, Pa, Pt, Na, k, l1, S)(key, jnp.asarray(Pp), jnp.asarray(Pa), jnp.asarray(Pt))
    rows, bad = {}, []
    d_host = np.stack([np.asarray(getattr(host, n)) for n in ("d_p", "d_a", "d_t")])
    d_tr = np.stack([np.asarray(t) for t in tr[:3]])
    e_d = rel_err(d_tr, d_host, floor=float(np.max(np.abs(d_host))))
    same = e_d <= 1e-12
    if not same:
        bad.append("traced d_p, d_a, d_t differ from the host call's")
    for name, dp, da, R, se in (("host", host.d_p, host.d_a, host.ratio, host.ratio_se),
                                ("traced", tr[0], tr[1], tr[3], tr[4])):
        p, a = np.asarray(dp, dtype=np.float64), np.asarray(da, dtype=np.float64)
        R_pred = -a.mean() / p.mean()
        resid = a + R_pred * p
        se_pred = float(np.std(resid, ddof=1) / math.sqrt(S) / abs(p.mean()))
        scale = float(np.max(np.abs(a) + np.abs(R_pred * p)) / math.sqrt(S) / abs(p.mean()))
        e = max(rel_err(float(R), R_pred, floor=0.0), rel_err(float(se), se_pred, floor=scale))
        rows[name] = {"R": float(R), "R predicted": float(R_pred), "se": float(se), "se predicted": se_pred,
                      "relative error": e}
        if not e <= 1e-12:
            bad.append(name)
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={n: {"R": r["R predicted"], "se": r["se predicted"]} for n, r in rows.items()},
        measured={n: {"R": r["R"], "se": r["se"], "relative error": r["relative error"]} for n, r in rows.items()}
        | {"differences: relative error against the host": e_d},
        tolerance="relative 1e-12",
        why="the same finite differences by two paths, and float64 sums over S seeds",
        sizes={"leaves": M, "seeds": S},
        counterexample=None if ok else {"failed": bad},
    )

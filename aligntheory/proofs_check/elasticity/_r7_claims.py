"""Elasticity claims of issue #11, round 7 (survivors of the fourth fresh mutation sample, docs/mutation-report/fresh-r6).

``elasticity.gamma_paths_are_cross_entropies`` -- :func:`~aligntheory.kernels.elasticity.gamma` by each of its three
paths (host weights with ``validate=True``, host weights with ``validate=False``, and the traced path taken when
``k`` or ``l`` is a tracer: ``jax.vmap`` over ``l`` alone with ``k`` concrete, ``jax.jit`` over both) against the
cross-entropies ``-sum_x P_i log q_l``, ``q_l = (k P_p + P_a + l P_t) / (k + 1 + l)``, written here in numpy, on a
table of (k, l) where the largest of (k, 1, l) is k, l or 1, and at a subnormal k with l = 0 (the scaling by that
largest entry must never divide by a subnormal). Earlier claims only reached the host path at k, l <= 1 (where the
scale is 1, so a weight multiplied by the scale instead of divided was invisible).

``elasticity.first_crossing_ties`` -- :func:`~aligntheory.kernels.elasticity.first_crossing` and
:func:`~aligntheory.kernels.elasticity.first_crossing_batched` against a plain Python loop (the first ``s`` with
``y[s] >= level``) on curves whose level is EXACTLY one of their values (the documented ``>=``: a tie crosses), below
every value (index 0), above every value (None / -1), on a single point, and on non-monotone curves.
"""

from __future__ import annotations

import math

import numpy as np

from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

__all__: list[str] = []


def _cross_entropies(Pp: np.ndarray, Pa: np.ndarray, Pt: np.ndarray, k: float, l: float) -> np.ndarray:
    """-sum_x P_i log q_l over supp P_i, q_l = (k P_p + P_a + l P_t) / (k + 1 + l), in plain numpy (the prediction)."""
    q = (k * Pp + Pa + l * Pt) / (k + 1.0 + l)
    out = []
    for P in (Pp, Pa, Pt):
        s = P > 0
        out.append(-float(np.sum(P[s] * np.log(q[s]))))
    return np.array(out)


def _gamma_stacked(Pp, Pa, Pt, k, l):
    from aligntheory.kernels.elasticity import gamma

    return _jnp_stack(gamma(Pp, Pa, Pt, k, l, validate=False))


def _jnp_stack(rates):
    import jax.numpy as jnp

    return jnp.stack(list(rates))


_JIT: list = []


def _gamma_jit():
    """``jax.jit(jax.vmap(gamma over (k, l)))``, built once (one compilation for every seed)."""
    if not _JIT:
        import jax

        _JIT.append(jax.jit(jax.vmap(_gamma_stacked, in_axes=(None, None, None, 0, 0))))
    return _JIT[0]


@claim(
    id="elasticity.gamma_paths_are_cross_entropies",
    statement="gamma(P_p, P_a, P_t, k, l) returns the cross-entropies -sum_x P_i log q_l with q_l = (k P_p + P_a + "
    "l P_t) / (k + 1 + l) by each of its paths: host weights with and without validate, and the traced path (k or l "
    "a tracer under jax.vmap / jax.jit, validate=False), whether the largest of (k, 1, l) is k, l or 1, and at a "
    "subnormal k with l = 0.",
    source=[Source(key="ji2024language", where="our Proposition E1 (mixture); spec elasticity.md §2.2 item 6, §4.2")],
    provenance="M",
    kind="theorem",
    tolerance="relative 1e-12 with an absolute floor 1e-12 (each rate is a sum of M = 6 terms P log q, every q a "
    "few roundings from the one written here: a few ulp of log q per term; rates are O(1) nats)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_gamma_paths(ctx: Context) -> Evidence:
    """Predicted: the cross-entropies of the exact mixture, in numpy here. Measured: ``gamma`` on the host path
    (validate True and False), under ``jax.vmap`` over ``l`` (k concrete: the traced path because l is a tracer) and
    under ``jax.jit`` over (k, l) (both traced).

    The (k, l) table has top = max(k, 1, l) equal to k (k = 30, l = 0.2), to l (k = 0.4, l = 25), to 1 (k = 0.3,
    l = 0.6) and to k and l at once (k = l = 7); a weight scaled by ``top`` instead of divided by it moves q by
    O(1) as soon as top != 1. The subnormal k = 1e-310 with l = 0 keeps top = 1: a scale taken without the 1 would be
    the subnormal k (or 0 once flushed) and 1 / top infinite.
    """
    import jax
    import jax.numpy as jnp

    from aligntheory.kernels.elasticity import gamma

    rng = ctx.rng(701)
    M = 6
    Pp, Pa, Pt = (rng.dirichlet(np.ones(M)) for _ in range(3))
    Pp[4], Pt[1] = 0.0, 0.0  # zero leaves of P_p and P_t; P_a covers every leaf, so q_l >= P_a / c is a normal
    Pp, Pt = Pp / Pp.sum(), Pt / Pt.sum()  # double at every (k, l) of the table (XLA on CPU flushes subnormals)
    table = [(30.0, 0.2), (0.4, 25.0), (0.3, 0.6), (7.0, 7.0), (1e-310, 0.0)]
    ks = np.array([k for k, _ in table])
    ls = np.array([l for _, l in table])
    pred = np.stack([_cross_entropies(Pp, Pa, Pt, k, l) for k, l in table])
    Ppj, Paj, Ptj = (jnp.asarray(P) for P in (Pp, Pa, Pt))

    def traced(k, l):
        return _gamma_stacked(Ppj, Paj, Ptj, k, l)

    got = {
        "host, validate=True": np.stack([np.asarray([float(g) for g in gamma(Pp, Pa, Pt, k, l)]) for k, l in table]),
        "host, validate=False": np.stack([np.asarray([float(g) for g in gamma(Pp, Pa, Pt, k, l, validate=False)])
                                          for k, l in table]),
        # l traced, k a concrete Python float (the traced path must be taken when EITHER is a tracer)
        "vmap over l": np.stack([np.asarray(jax.vmap(lambda l, k=k: traced(k, l))(jnp.asarray([l])))[0]
                                 for k, l in table]),
        "jit over (k, l)": np.asarray(_gamma_jit()(Ppj, Paj, Ptj, jnp.asarray(ks), jnp.asarray(ls))),
    }
    errs = {name: rel_err(v, pred, floor=1e-12) for name, v in got.items()}
    ok = all(e <= 1e-12 for e in errs.values())
    bad = {name: got[name].tolist() for name, e in errs.items() if not e <= 1e-12}
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"(k, l)": table, "cross-entropies": pred.tolist()},
        measured={"relative error per path": errs},
        tolerance="relative 1e-12 (floor 1e-12)",
        why="the same mixture in another rounding order: a few ulp per log term",
        sizes={"M": M, "(k, l) pairs": len(table), "paths": len(got)},
        counterexample=None if ok else {"paths": bad, "P_p": Pp.tolist(), "P_a": Pa.tolist(), "P_t": Pt.tolist()},
    )


def _first_at_or_above(y: list[float], level: float) -> int | None:
    for s, v in enumerate(y):
        if v >= level:
            return s
    return None


@claim(
    id="elasticity.first_crossing_ties",
    statement="first_crossing(y, level) is the first index s with y[s] >= level (None when there is none) and "
    "first_crossing_batched(Y, levels) the same per row (-1 when none), on curves whose level equals one of their "
    "values exactly (a tie crosses), lies below every value (s = 0), above every value, on one-point curves, and on "
    "non-monotone curves that cross more than once.",
    source=[Source(key="ji2024language", where="Table 3 (as reported in secondary summaries); our metric, spec "
                   "elasticity.md §4.2 metric 5")],
    provenance="M",
    kind="theorem",
    tolerance="exact (integer indices of exact comparisons of the same doubles)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_first_crossing_ties(ctx: Context) -> Evidence:
    """Predicted: a plain loop over the values (the definition). Measured: ``first_crossing`` per curve and
    ``first_crossing_batched`` on the stacked curves of one length. Levels are drawn FROM the curves (ties), and
    between and outside their values; the curves are rounded to a 1/4 grid so that ties also repeat.
    """
    from aligntheory.kernels.elasticity import first_crossing, first_crossing_batched

    rng = ctx.rng(702)
    T1 = 9
    curves = [np.round(4.0 * rng.normal(size=T1), 0) / 4.0 for _ in range(6)]
    rows: list[tuple[list[float], float]] = []
    for y in curves:
        ys = sorted(set(y.tolist()))
        mid = ys[len(ys) // 2]
        rows += [(y.tolist(), mid), (y.tolist(), ys[0]), (y.tolist(), ys[-1]),
                 (y.tolist(), ys[0] - 1.0), (y.tolist(), ys[-1] + 0.125),
                 (y.tolist(), float(y[T1 - 1]))]
    rows += [([2.0], 2.0), ([2.0], math.nextafter(2.0, 3.0)), ([0.0, 1.0, 1.0, 0.0, 1.0], 1.0)]
    bad = []
    for y, lev in rows:
        want = _first_at_or_above(y, lev)
        got = first_crossing(y, lev)
        if got != want:
            bad.append({"y": y, "level": lev, "first_crossing": got, "loop": want})
    same_len = [(y, lev) for y, lev in rows if len(y) == T1]
    got_b = first_crossing_batched(np.array([y for y, _ in same_len]), np.array([lev for _, lev in same_len]))
    want_b = [(-1 if (w := _first_at_or_above(y, lev)) is None else w) for y, lev in same_len]
    if got_b.tolist() != want_b:
        bad.append({"first_crossing_batched": got_b.tolist(), "loop": want_b})
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted="the first s with y[s] >= level (plain loop)",
        measured={"rows": len(rows), "batched rows": len(same_len), "mismatches": len(bad)},
        tolerance="exact",
        why="integer indices of exact comparisons",
        sizes={"curves": len(curves), "points per curve": T1},
        counterexample=None if ok else {"mismatches": bad[:5]},
    )


def _mp_derivatives(Pp: np.ndarray, Pa: np.ndarray, Pt: np.ndarray, k: float, l: float):
    """Our E2 forms (1/c^2) sum_x P_t num_i / q_l, num_p = P_a + l P_t - (1 + l) P_p, num_a = k P_p + l P_t - (k + l)
    P_a, num_t = k P_p + P_a - (k + 1) P_t, with c q_l = k P_p + P_a + l P_t, and their term scales (|num_i|), in
    mpmath at 40 digits (an exponent range without overflow or underflow: no scaling needed)."""
    import mpmath

    with mpmath.workdps(40):
        K, L = mpmath.mpf(k), mpmath.mpf(l)
        c = K + 1 + L
        d, sc = [mpmath.mpf(0)] * 3, [mpmath.mpf(0)] * 3
        for p, a, t in zip(Pp.tolist(), Pa.tolist(), Pt.tolist()):
            if t <= 0:
                continue
            p, a, t = mpmath.mpf(p), mpmath.mpf(a), mpmath.mpf(t)
            u = K * p + a + L * t  # c q_l
            nums = (a + L * t - (1 + L) * p, K * p + L * t - (K + L) * a, K * p + a - (K + 1) * t)
            for i, nu in enumerate(nums):
                d[i] += t * nu / u
                sc[i] += t * abs(nu) / u
        return [x / c for x in d], [x / c for x in sc]  # (1/c) sum P_t num / (c q_l) = (1/c^2) sum P_t num / q_l


@claim(
    id="elasticity.derivatives_beyond_the_scaling_threshold",
    statement="elasticity_derivatives, derivative_scales and elasticity_ratio keep our E2 forms (and R = -gamma_a' / "
    "gamma_p') when max(k, l) exceeds the internal scaling threshold 1e150 (the sizes are divided by max(k, l) so "
    "that c = k + 1 + l cannot overflow), as below it: at k or l in {1e120, 1e200, 1e300} against the forms "
    "evaluated in 40-digit mpmath (the ratio where l <= k).",
    source=[Source(key="ji2024language", where="our Proposition E2 (stable forms), spec elasticity.md §3 and §7")],
    provenance="M",
    kind="theorem",
    tolerance="relative 1e-11, or absolute 1e-13 x term scale (floor 1e-2 x scale: 30 x the documented accuracy "
    "(M + 10) eps x term scale, M = 5) or 1e-290 (values leaving the normal float64 range); scales relative 1e-11; "
    "the ratio relative 1e-9 (two such derivatives divided)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_derivatives_beyond_scaling(ctx: Context) -> Evidence:
    """Predicted: the E2 sums in mpmath (no scaling: its exponent range holds c = 1e300). Measured: the three theory
    functions, whose float64 route divides (k, 1, l) by max(k, l) above 1e150 and by 1 below; (k, l) on both sides
    of the threshold, with l = 0 (the ratio R(0) = k) and l > 0. A scale applied the wrong way (1 x s instead of
    1 / s) or to only some of the sizes moves a derivative by orders of magnitude."""
    from aligntheory.theory.elasticity import derivative_scales, elasticity_derivatives, elasticity_ratio

    rng = ctx.rng(703)
    M = 5
    Pp, Pa, Pt = (rng.dirichlet(np.full(M, 2.0)) for _ in range(3))
    table = [(1e120, 0.5), (1e200, 0.5), (1e200, 0.0), (3.0, 1e200), (1e300, 1e250), (1e250, 1e300)]
    worst_d, worst_r = 0.0, 0.0
    rows = {}
    for k, l in table:
        pred, scale = _mp_derivatives(Pp, Pa, Pt, k, l)
        pf, sf = np.array([float(x) for x in pred]), np.array([float(x) for x in scale])
        floor = np.maximum(1e-2 * sf, 1e-279)  # relative 1e-11 of it: 1e-13 x term scale, or 1e-290
        got, gsc = np.array(elasticity_derivatives(Pp, Pa, Pt, k, l)), np.array(derivative_scales(Pp, Pa, Pt, k, l))
        e = max(float(np.max(np.abs(got - pf) / np.maximum(np.abs(pf), floor))),
                float(np.max(np.abs(gsc - sf) / np.maximum(sf, 1e-290))))
        # the ratio where it is defined in float64: l <= k (for l >> k, gamma_p' = O(1/l^2) against terms O(1/l): the
        # documented "ratio undefined" refusal)
        e_r = rel_err(elasticity_ratio(Pp, Pa, Pt, k, l), float(-pred[1] / pred[0])) if l <= k else 0.0
        worst_d, worst_r = max(worst_d, e), max(worst_r, e_r)
        rows[f"k={k:g}, l={l:g}"] = {"derivatives": got.tolist(), "mpmath": pf.tolist(), "rel": e, "ratio rel": e_r}
    ok = worst_d <= 1e-11 and worst_r <= 1e-9
    return Evidence(
        verdict=Verdict.of(ok),
        predicted="our E2 forms in 40-digit mpmath",
        measured=rows,
        tolerance={"derivatives and scales relative": 1e-11, "ratio relative": 1e-9},
        why="the documented accuracy (M + 10) eps times the term scale; the ratio divides two such numbers",
        sizes={"M": M, "(k, l) pairs": len(table)},
        details=f"worst: derivatives {worst_d:.2e}, ratio {worst_r:.2e}",
    )


@claim(
    id="elasticity.batched_derivatives_default_chunk",
    statement="stable_derivatives_batched's default batch_size is the documented chunk of about 2^22 leaf values, "
    "2^22 // |supp P_t| grid points: on a support of 2^12 leaves and a grid of 2 x 2048 points its output is "
    "bit-identical to the explicit batch_size = 1024 (a chunk of twice that size rounds some entries differently).",
    source=[Source(key="ji2024language", where="our Propositions E2-E4; spec elasticity.md §4.2 (batched kernel)")],
    provenance="M",
    kind="theorem",
    tolerance="exact (bit-identical arrays: the same compiled computation)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_batched_default_chunk(ctx: Context) -> Evidence:
    """Predicted: the output of the explicit call with the documented chunk 2^22 // 2^12 = 1024. Measured: the call
    with the default. Both run the same compiled program, so any difference is a different default."""
    from aligntheory.kernels.elasticity import stable_derivatives_batched

    rng = ctx.rng(704)
    M = 2**12
    Pp, Pa, Pt = (rng.dirichlet(np.ones(M)) for _ in range(3))
    ks, ls = np.array([0.5, 30.0]), rng.uniform(0.0, 3.0, 2048)
    fields = ("d_p", "d_a", "d_t", "ratio", "residual")

    def stacked(r):
        return np.stack([np.asarray(getattr(r, n)) for n in fields])

    default = stacked(stable_derivatives_batched(Pp, Pa, Pt, ks, ls))
    explicit = stacked(stable_derivatives_batched(Pp, Pa, Pt, ks, ls, batch_size=(1 << 22) // M))
    differ = int(np.sum(default != explicit))
    ok = differ == 0
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"batch_size": (1 << 22) // M},
        measured={"entries differing from the explicit documented chunk": differ},
        tolerance="exact",
        why="the same compiled program on the same inputs",
        sizes={"leaves": M, "grid": [2, 2048]},
    )

"""Elasticity claims of issue #11, round 9 (survivors of the sixth fresh mutation sample, docs/mutation-report/fresh-r8).

``elasticity.mle_pooled_table`` -- :func:`~aligntheory.kernels.elasticity.mle_from_counts` on 2-D and batched 3-D
counts, with the default and explicit ``beta``, against the closed form ``(sum_i n_i + beta) / (sum_i N_i + M beta)``
written here in numpy, and its refusal of a zero pooled total (one batch is enough). Before round 9 no claim called it
on batched counts, so the normalisation could lose its ``keepdims`` unnoticed.

``elasticity.rates_closed_form_tables`` -- the whole output of the rate kernels (:func:`gamma`, :func:`gamma_grad`,
:func:`stable_derivatives`, :func:`stable_derivatives_batched` with its ratio and E3 residual, :func:`mixture_logq`)
against the closed forms of spec elasticity.md §3 evaluated here in 40-digit mpmath, on random triples with zero
leaves; and the ``_Q_MIN`` guard of :func:`gamma` exactly at and just below ``4 * 2^-1022``.
"""

from __future__ import annotations

import math

import numpy as np

from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

__all__: list[str] = []

_EPS = float(np.finfo(np.float64).eps)
_TINY = float(np.finfo(np.float64).tiny)


def _mle_pred(C: np.ndarray, beta: float) -> np.ndarray:
    """The pooled MLE by the closed form, batch by batch in Python loops (no shared code with the kernel)."""
    C = np.asarray(C, dtype=np.float64)
    if C.ndim == 2:
        pooled = [sum(float(C[i, j]) for i in range(C.shape[0])) + beta for j in range(C.shape[1])]
        tot = math.fsum(pooled)
        return np.array([p / tot for p in pooled])
    return np.stack([_mle_pred(C[b], beta) for b in range(C.shape[0])])


@claim(
    id="elasticity.mle_pooled_table",
    statement="mle_from_counts(counts, beta) is (sum_i n_i + beta) / (sum_i N_i + M beta) per batch, on 2-D counts "
    "(m, M) and batched 3-D counts (b, m, M) with b != M, with the documented default beta = 0 (bit-identical to "
    "beta = 0.0) and beta > 0, for fractional counts with a pooled total below 1; a zero pooled total is refused "
    "with beta = 0 (also in one batch of three) and accepted with beta > 0; the result records beta.",
    source=[Source(key="ji2024language", where="our Proposition E1, sample version; spec elasticity.md §4.3")],
    provenance="M",
    kind="theorem",
    tolerance="relative 4 eps per entry: the pooled sums of integer-valued or dyadic counts are exact, so the only "
    "rounding is the one division (and the fsum of the totals)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_mle_pooled_table(ctx: Context) -> Evidence:
    """Predicted: the closed form in Python floats (``_mle_pred``) and the documented refusals. Measured:
    ``mle_from_counts``. Tolerance: 4 eps relative (one rounding of a quotient of exact sums)."""
    from aligntheory.errors import InvalidInputError
    from aligntheory.kernels.elasticity import mle_from_counts

    rng = ctx.rng(90)
    C2 = rng.integers(0, 6, size=(3, 5)).astype(np.float64)
    C2[:, 1] = 0.0  # a leaf never seen: q = 0 with beta = 0, beta / total with beta > 0
    C2[0, 0] += 1.0
    C3 = rng.integers(0, 6, size=(3, 2, 5)).astype(np.float64)
    C3[:, :, 0] += 1.0
    frac = np.array([[0.125, 0.25], [0.0, 0.0625]])  # pooled total 0.4375 < 1: accepted
    cases = [("2-D, default beta", lambda: mle_from_counts(C2), C2, 0.0),
             ("2-D, beta 0.5", lambda: mle_from_counts(C2, 0.5), C2, 0.5),
             ("3-D (3, 2, 5), default beta", lambda: mle_from_counts(C3), C3, 0.0),
             ("3-D (3, 2, 5), beta 0.25", lambda: mle_from_counts(C3, beta=0.25), C3, 0.25),
             ("fractional counts, total 0.4375", lambda: mle_from_counts(frac), frac, 0.0),
             ("all-zero counts, beta 0.5", lambda: mle_from_counts(np.zeros((2, 3)), 0.5), np.zeros((2, 3)), 0.5)]
    rows, bad = {}, []
    for label, call, C, beta in cases:
        try:
            r = call()
            q = np.asarray(r.q, dtype=np.float64)
            pred = _mle_pred(C, beta)
            e = rel_err(q, pred, floor=_TINY) if q.shape == pred.shape else math.inf
            rows[label] = e
            if not (e <= 4 * _EPS and float(r.beta) == beta):
                bad.append(f"{label}: relative error {e:.3g}, beta {r.beta}")
        except Exception as exc:  # noqa: BLE001 -- a raise on an accepted row is the failure being looked for
            rows[label] = repr(exc)
            bad.append(f"{label}: raised {exc!r}")
    same = np.array_equal(np.asarray(mle_from_counts(C3).q), np.asarray(mle_from_counts(C3, 0.0).q))
    if not same:
        bad.append("default beta is not bit-identical to beta = 0.0")
    Cz = C3.copy()
    Cz[1] = 0.0
    for label, call in (("2-D zero total, default beta", lambda: mle_from_counts(np.zeros((2, 3)))),
                        ("3-D, batch 1 of 3 zero, beta 0", lambda: mle_from_counts(Cz, 0.0))):
        try:
            call()
            rows[label] = "accepted"
            bad.append(f"{label}: accepted")
        except InvalidInputError as exc:
            rows[label] = f"refused ({exc.argument})"
            if exc.argument != "counts_list":
                bad.append(f"{label}: refused naming {exc.argument!r}")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted="the closed form per batch; zero totals refused with beta = 0",
        measured=rows | {"default beta bit-identical to 0.0": bool(same)},
        tolerance="relative 4 eps",
        why="one rounding of a quotient of exact sums",
        sizes={"leaves": 5, "batches": 3},
        counterexample=None if ok else {"failed": bad},
    )


def _mp_rates(Pp, Pa, Pt, k, l, dps=40):
    """Rates, derivatives in l and the E3 residual by the closed forms, in 40-digit mpmath.

    gamma_i = -sum_j P_ij log q_j with q = (k P_p + P_a + l P_t) / c, c = k + 1 + l; d gamma_i / dl =
    -sum_j P_ij (P_tj - q_j) / (c q_j) over supp P_i (our Proposition E2, differentiated here directly).
    ``dps`` must exceed log10(max(k, l)) + 20: P_t - q cancels to about 1/c of its parts.
    """
    import mpmath as mp

    with mp.workdps(dps):
        k, l = mp.mpf(k), mp.mpf(l)
        c = k + 1 + l
        q = [(k * mp.mpf(a) + mp.mpf(b) + l * mp.mpf(t)) / c for a, b, t in zip(Pp, Pa, Pt)]
        g, d, scale = [], [], []
        for P in (Pp, Pa, Pt):
            g.append(-mp.fsum(mp.mpf(p) * mp.log(qj) for p, qj in zip(P, q) if p > 0))
            terms = [mp.mpf(p) * (mp.mpf(t) - qj) / (c * qj) for p, t, qj in zip(P, Pt, q) if p > 0]
            d.append(-mp.fsum(terms))
            scale.append(mp.fsum(abs(x) for x in terms))
        resid = k * d[0] + d[1] + l * d[2]
        return ([float(x) for x in g], [float(x) for x in d], [float(x) for x in scale], float(resid),
                float(k * scale[0] + scale[1] + l * scale[2]))


@claim(
    id="elasticity.rates_closed_form_tables",
    statement="The rate kernels equal the closed forms of spec elasticity.md §3 on random triples with zero leaves: "
    "gamma gives -sum P_i log q_l (host path and traced l), gamma_grad and stable_derivatives give "
    "-sum P_i (P_t - q_l) / (c q_l), stable_derivatives_batched gives the same on a (k, l) grid with ratio "
    "-gamma_a'/gamma_p' and E3 residual k gamma_p' + gamma_a' + l gamma_t' (= 0), mixture_logq gives "
    "log sum_i P_i N_i / N (zero masses, sizes near 1e304) and refuses a row of mass 0.9 by default; gamma accepts q_l = 4 * 2^-1022 exactly and refuses "
    "q_l = 3.5 * 2^-1022 with PrecisionError.",
    source=[Source(key="ji2024language", where="our Propositions E1-E3; spec elasticity.md §2.2 item 6, §3")],
    provenance="M",
    kind="theorem",
    tolerance="relative 1e-12 with floor the sum of the absolute terms of each quantity (float64 sums of M = 16 "
    "terms: error about M eps of that sum, 4e-15; autodiff and the closed form round differently), exact for the "
    "guard rows",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_rates_closed_form_tables(ctx: Context) -> Evidence:  # noqa: PLR0915 -- one table
    """Predicted: the closed forms in 40-digit mpmath (``_mp_rates``), written here. Measured: ``gamma``,
    ``gamma_grad``, ``stable_derivatives``, ``stable_derivatives_batched``, ``mixture_logq``. Tolerance: 1e-12
    relative to the sum of absolute terms."""
    import jax
    import jax.numpy as jnp
    import mpmath as mp

    from aligntheory.errors import InvalidInputError, PrecisionError
    from aligntheory.kernels import elasticity as K
    from aligntheory.proofs_check.elasticity._theory_claims import random_dist

    rng = ctx.rng(91)
    M = 16
    Pp, Pa, Pt = (random_dist(rng, M, conc=1.0) for _ in range(3))
    Pp[3], Pa[5], Pt[7] = 0.0, 0.0, 0.0  # zero leaves (the masks), one per distribution
    Pp, Pa, Pt = (P / P.sum() for P in (Pp, Pa, Pt))
    kl = [(2.5, 0.0), (0.3, 1.7), (40.0, 0.05)]
    bad, rows = [], {}
    tol = 1e-12

    def cmp(label, got, pred, floor):
        e = rel_err(np.asarray(got, dtype=np.float64), np.asarray(pred, dtype=np.float64), floor=floor)
        rows[label] = e
        if not e <= tol:
            bad.append(f"{label}: relative error {e:.3g}")

    grid_k, grid_l = np.array([kl[0][0], kl[1][0]]), np.array([0.0, 1.7, 0.05])
    table = {(k, l): _mp_rates(Pp, Pa, Pt, k, l) for k in grid_k for l in grid_l}
    for k, l in kl:
        g, d, sc, _, _ = table.get((k, l)) or _mp_rates(Pp, Pa, Pt, k, l)
        gs = np.array([abs(x) for x in g])
        cmp(f"gamma k={k} l={l}", [float(x) for x in K.gamma(Pp, Pa, Pt, k, l)], g, float(gs.max()))
        cmp(f"gamma_grad k={k} l={l}", [float(x) for x in K.gamma_grad(Pp, Pa, Pt, k, l)[:3]], d, max(sc))
        cmp(f"stable_derivatives k={k} l={l}", [float(x) for x in K.stable_derivatives(Pp, Pa, Pt, k, l)[:3]], d,
            max(sc))
    # the traced path of gamma (l under vmap, unchecked): the same rates
    ls_t = np.array([0.0, 1.7])
    tr = jax.vmap(lambda t: jnp.stack(list(K.gamma(Pp, Pa, Pt, 0.3, t, validate=False))))(jnp.asarray(ls_t))
    for i, l in enumerate(ls_t):
        g = _mp_rates(Pp, Pa, Pt, 0.3, l)[0]
        cmp(f"gamma traced k=0.3 l={l}", np.asarray(tr[i]), g, max(abs(x) for x in g))
    # the batched grid: derivatives, ratio and residual at every (k, l)
    B = K.stable_derivatives_batched(Pp, Pa, Pt, grid_k, grid_l)
    for a, k in enumerate(grid_k):
        for b, l in enumerate(grid_l):
            g, d, sc, res, res_sc = table[(k, l)]
            cmp(f"batched d k={k} l={l}", [float(B.d_p[a, b]), float(B.d_a[a, b]), float(B.d_t[a, b])], d, max(sc))
            ratio_pred = -d[1] / d[0]
            cmp(f"batched ratio k={k} l={l}", float(B.ratio[a, b]), ratio_pred,
                (sc[1] + abs(ratio_pred) * sc[0]) / abs(d[0]))
            cmp(f"batched residual k={k} l={l}", float(B.residual[a, b]), res, res_sc)
    # mixture_logq: log sum_i P_i N_i / N in mpmath, with zero masses and sizes near 1e304
    with np.errstate(divide="ignore"):
        LD = np.log(np.stack([Pp, Pa, Pt]))
    LS = np.array([math.log(3.0), 1.0, -2.0]) + 700.0  # sizes near 1e304: exp(log N_i) alone would overflow
    with mp.workdps(40):
        w = [mp.exp(mp.mpf(s)) for s in LS]
        W = mp.fsum(w)
        pred = [float(mp.log(mp.fsum(wi * mp.mpf(P[j]) for wi, P in zip(w, (Pp, Pa, Pt))) / W)) for j in range(M)]
    got = np.asarray(K.mixture_logq(LD, LS), dtype=np.float64)
    cmp("mixture_logq", got, pred, 1.0)
    # mixture_logq checks its rows by default: a row of mass 0.9 is refused
    with np.errstate(divide="ignore"):
        LD9 = np.log(np.stack([Pp, 0.9 * Pa]))
    try:
        K.mixture_logq(LD9, LS[:2])
        rows["mixture_logq: a row of mass 0.9 (default validate)"] = "accepted"
        bad.append("mixture_logq: a row of mass 0.9 accepted by default")
    except InvalidInputError as exc:
        rows["mixture_logq: a row of mass 0.9 (default validate)"] = f"refused ({exc.argument})"
    # the _Q_MIN guard: weights (1, 1, 2)/4 exact at k = 1, l = 2, so q_l = P_t / 2 at a leaf outside P_p, P_a
    for label, e, want in (("q_l = 4 * tiny accepted", 8 * _TINY, "finite"),
                           ("q_l = 3.5 * tiny refused", 7 * _TINY, "PrecisionError")):
        P1, Pz = np.array([1.0, 0.0]), np.array([1.0 - e, e])
        try:
            r = K.gamma(P1, P1, Pz, 1.0, 2.0)
            # 1 - e rounds to 1, so q_0 = 1 exactly and gamma_t = -e log(e / 2) (the same float64 operations)
            pred_t = -e * math.log(e / 2.0)
            got_s = "finite" if (np.isfinite(float(r.gamma_t)) and rel_err(float(r.gamma_t), pred_t, floor=1e-300) <= tol) else f"{float(r.gamma_t)}"
        except PrecisionError:
            got_s = "PrecisionError"
        rows[label] = got_s
        if got_s != want:
            bad.append(f"{label}: {got_s}")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted="the closed forms in 40-digit mpmath; the guard at 4 * 2^-1022",
        measured=rows,
        tolerance=f"relative {tol} (floor: the sum of absolute terms)",
        why="float64 sums of M terms against exact closed forms",
        sizes={"leaves": M, "grid": (len(grid_k), len(grid_l))},
        counterexample=None if ok else {"failed": bad},
    )


def _lstsq_fit(y: np.ndarray, b_lo: int, b_hi: int):
    """The continuous two-segment fit by brute force: one ``numpy.linalg.lstsq`` on the design [1, s, (s - b)_+]
    per breakpoint (QR/SVD, no normal equations), the least residual kept."""
    s = np.arange(y.size, dtype=np.float64)
    best = None
    for b in range(b_lo, b_hi + 1):
        X = np.stack([np.ones_like(s), s, np.maximum(s - b, 0.0)], axis=1)
        beta = np.linalg.lstsq(X, y, rcond=None)[0]
        sse = float(np.sum((X @ beta - y) ** 2))
        if best is None or sse < best[4]:
            best = (b, float(beta[1]), float(beta[1] + beta[2]), 0.0, sse)
    b, s1, s2, _, sse = best
    return b, s1, s2, s1 / s2, sse


@claim(
    id="elasticity.two_segment_tables",
    statement="two_segment_fit and two_segment_fit_batched return the least-squares continuous two-segment fit "
    "(breakpoint, both slopes, their ratio, the residual) found by brute force with one lstsq per breakpoint, with "
    "the documented default range [5, T - 5] (a curve whose best breakpoint is 3 gets the best inside the range), an "
    "explicit b_min and b_max, and the shortest accepted curve (2 b_min + 2 points); first_crossing and "
    "first_crossing_batched return the first index with y >= level (a level equal to an entry counts; -1 / None when "
    "never reached).",
    source=[Source(key="ji2024language", where="§5 rebound, Table 3 (secondary summaries); spec elasticity.md §4.2 "
                   "metrics 1 and 5")],
    provenance="R",
    kind="theorem",
    tolerance="breakpoints and crossings exact; slopes relative 1e-8 (floor the largest |slope|), residuals relative "
    "1e-8 (floor 1e-12 sum y^2): the normal equations of a design with condition number about T^2 lose about "
    "cond^2 eps = 1e-10 at T = 40 against the QR route",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_two_segment_tables(ctx: Context) -> Evidence:  # noqa: PLR0915 -- one table
    """Predicted: brute-force lstsq per breakpoint (``_lstsq_fit``) and a Python loop for the crossings. Measured:
    ``two_segment_fit``, ``two_segment_fit_batched``, ``first_crossing``, ``first_crossing_batched``. Tolerance: see
    the claim."""
    from aligntheory.kernels.elasticity import (
        first_crossing,
        first_crossing_batched,
        two_segment_fit,
        two_segment_fit_batched,
    )

    rng = ctx.rng(93)
    T = 40
    s = np.arange(T + 1, dtype=np.float64)
    curves = []
    for b0, a1, a2 in ((int(rng.integers(8, 32)), 2.0, -0.5), (3, -1.0, 1.5), (int(rng.integers(6, 34)), 0.3, 0.31),
                       (20, 1.0, 1.0)):
        curves.append(np.where(s < b0, a1 * s, a1 * b0 + a2 * (s - b0)) + rng.normal(0, 0.1, s.size))
    Y = np.stack(curves)
    rows, bad = {}, []

    def cmp_fit(label, got, pred, y):
        scale = max(abs(pred[1]), abs(pred[2]), 1e-300)
        e = max(rel_err(float(got[1]), pred[1], floor=scale), rel_err(float(got[2]), pred[2], floor=scale),
                rel_err(float(got[4]), pred[4], floor=1e-12 * float(np.sum(y * y))),
                rel_err(float(got[3]), pred[3], floor=0.0))
        rows[label] = {"b": int(got[0]), "b predicted": pred[0], "relative error": e}
        if int(got[0]) != pred[0] or not e <= 1e-8:
            bad.append(f"{label}: b {int(got[0])} vs {pred[0]}, relative error {e:.3g}")

    for i, y in enumerate(Y):
        pred = _lstsq_fit(y, 5, T - 5)
        cmp_fit(f"curve {i}, default range", two_segment_fit(y), pred, y)
        fb = two_segment_fit_batched(Y)
        cmp_fit(f"curve {i}, default range, batched", [f[i] for f in fb], pred, y)
        pred = _lstsq_fit(y, 3, 30)
        cmp_fit(f"curve {i}, b in [3, 30]", two_segment_fit(y, 3, 30), pred, y)
        cmp_fit(f"curve {i}, b in [3, 30], batched", [f[i] for f in two_segment_fit_batched(Y, 3, 30)], pred, y)
    short = Y[:2, :12]  # 2 b_min + 2 = 12 points: exactly one breakpoint, b = 5
    for i, y in enumerate(short):
        pred = _lstsq_fit(y, 5, 6)
        cmp_fit(f"12 points, curve {i}", two_segment_fit(y), pred, y)
        cmp_fit(f"12 points, curve {i}, batched", [f[i] for f in two_segment_fit_batched(short)], pred, y)
    # crossings: a level equal to the largest entry (reached only with >=), one above every entry, one at the first
    Yc = np.round(Y, 1)
    levels = np.array([Yc[0].max(), Yc[1].max() + 1.0, Yc[2, 0], Yc[3, 33]])
    want = []
    for y, lv in zip(Yc, levels):
        hit = [t for t in range(y.size) if y[t] >= lv]
        want.append(hit[0] if hit else -1)
    got_b = first_crossing_batched(Yc, levels).tolist()
    got_1 = [first_crossing(y, lv) for y, lv in zip(Yc, levels)]
    got_1 = [-1 if g is None else g for g in got_1]
    rows["crossings"] = {"batched": got_b, "single": got_1, "predicted": want}
    if got_b != want or got_1 != want:
        bad.append(f"crossings: batched {got_b}, single {got_1}, predicted {want}")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted="brute-force lstsq per breakpoint; the first index at or above the level",
        measured=rows,
        tolerance="breakpoints exact; slopes and residuals relative 1e-8",
        why="normal equations against QR on a design of condition about T^2",
        sizes={"curves": len(Y), "points": T + 1},
        counterexample=None if ok else {"failed": bad},
    )


@claim(
    id="elasticity.sample_counts_laws",
    statement="sample_counts draws Mult(N, P) by both documented methods (tree, sequential) for a batch of keys (the "
    "vmapped route; single keys: elasticity.sample_counts_multinomial): every count vector is integer-valued, sums "
    "to N exactly and is 0 where P = 0; a one-hot P gives N at its leaf; N = 0 gives zeros; over 400 keys the mean "
    "count of every leaf is N P within 6 standard errors (M = 7 leaves: the tree is padded to 8).",
    source=[Source(key="ji2024language", where="sample version of our Proposition E1; multinomial sampling by "
                   "conditional binomials (standard)")],
    provenance="M",
    kind="theorem",
    tolerance="exact for the sums, supports and one-hot rows; the means within 6 standard errors "
    "sqrt(N P (1 - P) / 400) per leaf (a false alarm at one of 14 leaves has probability below 3e-8)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_sample_counts_laws(ctx: Context) -> Evidence:
    """Predicted: the multinomial's support, total and mean N P. Measured: ``sample_counts`` (tree and sequential,
    a batch of keys). Tolerance: exact, and 6 standard errors for the means."""
    import jax

    from aligntheory.kernels.elasticity import sample_counts

    rng = ctx.rng(94)
    P = rng.dirichlet(np.ones(7))
    P[2] = 0.0
    P = P / P.sum()
    N, B = 10_000.0, 400
    keys = jax.random.split(ctx.key(94), B)
    rows, bad = {}, []
    for method in ("tree", "sequential"):
        C = np.asarray(sample_counts(keys, P, N, method=method))
        exact = (C.shape == (B, 7) and bool(np.all(C == np.round(C))) and bool(np.all(C.sum(axis=1) == N))
                 and bool(np.all(C[:, 2] == 0)) and bool(np.all(C >= 0)))
        z = float(np.max(np.abs(C.mean(axis=0) - N * P) / np.sqrt(np.where(P > 0, N * P * (1 - P) / B, 1.0)))) \
            if C.shape == (B, 7) else math.inf
        hot = np.asarray(sample_counts(keys, np.eye(7)[5], N, method=method))
        zero = np.asarray(sample_counts(keys, P, 0.0, method=method))
        hot_ok = hot.shape == (B, 7) and bool(np.all(hot[:, 5] == N)) and float(np.abs(hot).sum()) == B * N
        rows[method] = {"integer, total N, support": exact,
                        "largest |z| of the means": z, "one-hot gives N": hot_ok, "N = 0 gives zeros":
                        bool(np.all(zero == 0))}
        if not (exact and z <= 6.0 and hot_ok and np.all(zero == 0) and zero.shape == (B, 7)):
            bad.append(f"{method}: {rows[method]}")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted="Mult(N, P): total N, support of P, mean N P",
        measured=rows,
        tolerance="exact; means within 6 standard errors",
        why="the multinomial's defining properties",
        sizes={"leaves": 7, "keys": B, "N": N},
        counterexample=None if ok else {"failed": bad},
    )


def _sym_value(bound) -> float:
    """``bound.sympy()`` evaluated at ``bound.subs`` (40 digits), and whether its symbols carry the documented
    assumptions (k, l, chi2 positive, A real)."""
    e = bound.sympy()
    ok = all(bool(s.is_positive) if s.name in ("k", "l", "chi2") else bool(s.is_real) for s in e.free_symbols)
    val = float(e.subs({s: bound.subs[s.name] for s in e.free_symbols}).evalf(40))
    return val if ok else math.nan


@claim(
    id="elasticity.bounds_closed_form_tables",
    statement="The closed forms of theory/elasticity/_bounds.py equal their formulas evaluated in 40-digit mpmath: "
    "cross_term_A = sum (P_a - P_p)(P_t - P_p)/P_p, chi_square = sum (P_t - P_p)^2/P_p, r_max = max (P_a + l P_t)/P_p "
    "over supp(P_a + P_t); our bound E6: lower = k exactly, upper = (k + l (1 + chi2))/(1 - l chi2), refused at "
    "l chi2 = 1; our Proposition E7: asymptotic_ratio = (k + 1 + l) A/(A + l chi2), refused at A + l chi2 = 0, "
    "warning exactly when k < 1e4 max(1, r_max); our Proposition E8: H_i - log(N_i / N) for sizes 1e-300..1e300; our "
    "Proposition E10: (k pi + 1)/(k + 1 + l); every .sympy() evaluates at its substitutions to the value.",
    source=[Source(key="ji2024language", where="our bound E6, Propositions E7, E8, E10; spec elasticity.md §2.2, §3")],
    provenance="M",
    kind="theorem",
    tolerance="relative 1e-12 (floor: the sum of the absolute terms; the rows keep 1 - l chi2 >= 0.05, so the "
    "cancellation amplifies the few roundings by at most 20); the lower bound and the refusals exact",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_bounds_closed_form_tables(ctx: Context) -> Evidence:  # noqa: PLR0915 -- one table
    """Predicted: each formula in mpmath, written here. Measured: ``cross_term_A``, ``chi_square``, ``r_max``,
    ``opposite_model_bounds``, ``asymptotic_ratio``, ``disjoint_support_rates``, ``alignment_mass_curve`` and their
    ``.sympy()``. Tolerance: 1e-12 relative (see the claim)."""
    import warnings

    import mpmath as mp

    import aligntheory.theory.elasticity as E
    from aligntheory.errors import AsymptoticRangeWarning, InvalidInputError
    from aligntheory.proofs_check.elasticity._theory_claims import random_dist

    rng = ctx.rng(95)
    M = 9
    Pp, Pa, Pt = (random_dist(rng, M, conc=1.0) for _ in range(3))
    Pp[0] = Pa[0] = Pt[0] = 0.0  # a leaf outside every support (skipped by the masks)
    Pa[1] = 0.0
    Pp, Pa, Pt = (P / P.sum() for P in (Pp, Pa, Pt))
    rows, bad = {}, []
    tol = 1e-12

    def cmp(label, got, pred, floor):
        e = rel_err(float(got), float(pred), floor=float(floor))
        rows[label] = e
        if not e <= tol:
            bad.append(f"{label}: {got!r} vs {pred!r} (relative error {e:.3g})")

    with mp.workdps(40):
        f = [(mp.mpf(a), mp.mpf(b), mp.mpf(c)) for a, b, c in zip(Pp, Pa, Pt)]
        tA = [(b - a) * (c - a) / a for a, b, c in f if a > 0]
        tC = [(c - a) ** 2 / a for a, b, c in f if a > 0]
        cmp("cross_term_A", E.cross_term_A(Pp, Pa, Pt), mp.fsum(tA), mp.fsum(abs(t) for t in tA))
        cmp("chi_square", E.chi_square(Pt, Pp), mp.fsum(tC), mp.fsum(tC))
        for l in (0.0, 0.7):
            cmp(f"r_max l={l}", E.r_max(Pp, Pa, Pt, l), max((b + mp.mpf(l) * c) / a for a, b, c in f if b + c > 0), 0)
        for k, l, c2 in ((3.0, 0.2, 1.5), (0.5, 0.0, 4.0), (1e6, 0.01, 95.0), (2.0, 0.5, 0.0)):
            lo, up = E.opposite_model_bounds(k, l, c2)
            K_, L_, C_ = mp.mpf(k), mp.mpf(l), mp.mpf(c2)
            pred = (K_ + L_ * (1 + C_)) / (1 - L_ * C_)
            cmp(f"E6 upper {k, l, c2}", up, pred, 0)
            cmp(f"E6 upper .sympy() {k, l, c2}", _sym_value(up), pred, 0)
            cmp(f"E6 lower .sympy() {k, l, c2}", _sym_value(lo), K_, 0)
            if float(lo) != k:
                bad.append(f"E6 lower {k, l, c2}: {float(lo)} != k")
        for k, l, A, c2 in ((1e5, 0.01, -1.0, 7.9379), (50.0, 0.0, 0.3, 2.0), (7.0, 2.5, 1.2, 0.4)):
            K_, L_, A_, C_ = mp.mpf(k), mp.mpf(l), mp.mpf(A), mp.mpf(c2)
            pred = (K_ + 1 + L_) * A_ / (A_ + L_ * C_)
            b = E.asymptotic_ratio(k, l, A, c2)
            cmp(f"E7 {k, l, A, c2}", b, pred, 0)
            cmp(f"E7 .sympy() {k, l, A, c2}", _sym_value(b), pred, 0)
        Hs, Ns = np.array([0.0, 1.3, 2.0, 0.5]), np.array([1e-300, 3.0, 1e300, 7e299])
        got = E.disjoint_support_rates(Hs, Ns)
        N = mp.fsum(mp.mpf(x) for x in Ns)
        for i in range(4):
            cmp(f"E8 rate {i}", got[i], mp.mpf(Hs[i]) - mp.log(mp.mpf(Ns[i]) / N), 1.0)
        pi, k = 0.25, 10.0
        ls = np.array([0.0, 3.0, 0.5, 1e3])
        got = E.alignment_mass_curve(pi, k, ls)
        for i, l in enumerate(ls):
            cmp(f"E10 l={l}", got[i], (mp.mpf(k) * mp.mpf(pi) + 1) / (mp.mpf(k) + 1 + mp.mpf(l)), 0)
    # refusals exactly on the boundary, and the warning threshold k < 1e4 max(1, r_max)
    for label, call, arg in (("E6 at l chi2 = 1", lambda: E.opposite_model_bounds(3.0, 0.5, 2.0), "l"),
                             ("E7 at A + l chi2 = 0", lambda: E.asymptotic_ratio(5.0, 0.25, -0.5, 2.0), "A")):
        try:
            call()
            res = "accepted"
        except InvalidInputError as exc:
            res = exc.argument
        rows[label] = res
        if res != arg:
            bad.append(f"{label}: {res}")
    for k, rm, want in ((1e4, 0.5, False), (9999.0, 0.5, True), (2e4, 2.0, False), (19999.0, 2.0, True)):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            E.asymptotic_ratio(k, 0.1, 0.5, 1.0, r_max=rm)
        warned = any(issubclass(x.category, AsymptoticRangeWarning) for x in w)
        rows[f"E7 warning k={k} r_max={rm}"] = warned
        if warned != want:
            bad.append(f"E7 warning at k = {k}, r_max = {rm}: {warned}")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted="the formulas in 40-digit mpmath; the refusals and warnings at their thresholds",
        measured=rows,
        tolerance=f"relative {tol}",
        why="a few float64 roundings against exact formulas",
        sizes={"leaves": M},
        counterexample=None if ok else {"failed": bad},
    )


@claim(
    id="elasticity.derivatives_theory_tables",
    statement="The theory derivatives equal -sum_j P_ij (P_tj - q_j)/(c q_j) (differentiated directly, "
    "mpmath at 240 digits) on random triples with zero leaves, also at k = 1e200 (the rescaled branch above 1e150) and l = 1e140: "
    "elasticity_derivatives gives the three derivatives, derivative_scales gives sum_{supp P_t} P_t |num_i| / (c u) "
    "(spec E5), elasticity_ratio gives -gamma_a'/gamma_p', hooke_residual gives k gamma_p' + gamma_a' + l gamma_t' "
    "(= 0, our Proposition E3) to its term scale; the ratio is refused where gamma_p' = 0 (P_a = P_t = P_p).",
    source=[Source(key="ji2024language", where="our Propositions E2, E3; spec elasticity.md §3 (E5 scales)")],
    provenance="M",
    kind="theorem",
    tolerance="relative 1e-12 with floor the sum of the absolute terms (float64 sums of M = 12 terms; the stable "
    "form and the direct derivative round differently)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_derivatives_theory_tables(ctx: Context) -> Evidence:
    """Predicted: the direct derivative and the E5 scale formula in 240-digit mpmath (P_t - q cancels to 1/c of
    its parts: l = 1e140 needs more than 160 digits). Measured:
    ``elasticity_derivatives``, ``derivative_scales``, ``elasticity_ratio``, ``hooke_residual``. Tolerance: 1e-12
    relative to the term scale."""
    import mpmath as mp

    import aligntheory.theory.elasticity as E
    from aligntheory.errors import InvalidInputError
    from aligntheory.proofs_check.elasticity._theory_claims import random_dist

    rng = ctx.rng(96)
    M = 12
    Pp, Pa, Pt = (random_dist(rng, M, conc=1.0) for _ in range(3))
    Pa[2], Pt[4], Pp[6] = 0.0, 0.0, 0.0
    Pp, Pa, Pt = (P / P.sum() for P in (Pp, Pa, Pt))
    rows, bad = {}, []
    for k, l in ((2.0, 0.3), (0.05, 0.0), (1e200, 3.0), (7.0, 1e140), (float(rng.uniform(0.1, 50)), 0.9)):
        _, d, sc, res, res_sc = _mp_rates(Pp, Pa, Pt, k, l, dps=240)
        with mp.workdps(240):
            K_, L_ = mp.mpf(k), mp.mpf(l)
            c = K_ + 1 + L_
            sp_ = [[mp.mpf(x) for x in P] for P in (Pp, Pa, Pt)]
            num = [(b + L_ * t - (1 + L_) * a, K_ * a + L_ * t - (K_ + L_) * b, K_ * a + b - (K_ + 1) * t,
                    t / (c * (K_ * a + b + L_ * t))) for a, b, t in zip(*sp_) if t > 0]
            scl = [float(mp.fsum(x[3] * abs(x[i]) for x in num)) for i in range(3)]
        dd = E.elasticity_derivatives(Pp, Pa, Pt, k, l)
        ds = E.derivative_scales(Pp, Pa, Pt, k, l)
        r = E.elasticity_ratio(Pp, Pa, Pt, k, l)
        h = E.hooke_residual(Pp, Pa, Pt, k, l)
        ratio_pred = -d[1] / d[0]
        e = max(rel_err(np.array(list(dd), dtype=float), np.array(d), floor=max(sc)),
                rel_err(np.array(list(ds), dtype=float), np.array(scl), floor=0.0),
                rel_err(r, ratio_pred, floor=(sc[1] + abs(ratio_pred) * sc[0]) / abs(d[0])),
                rel_err(h, res, floor=res_sc))
        rows[f"k={k:g} l={l:g}"] = e
        if not e <= 1e-12:
            bad.append(f"k={k:g} l={l:g}: relative error {e:.3g}")
    try:
        E.elasticity_ratio(Pp, Pp, Pp, 2.0, 0.3)
        rows["ratio with P_a = P_t = P_p"] = "accepted"
        bad.append("ratio with P_a = P_t = P_p (gamma_p' = 0) accepted")
    except InvalidInputError as exc:
        rows["ratio with P_a = P_t = P_p"] = f"refused ({exc.argument})"
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted="the direct derivatives and E5 scales in 240-digit mpmath",
        measured=rows,
        tolerance="relative 1e-12 (floor: the term scale)",
        why="float64 sums of M terms in two algebraic forms",
        sizes={"leaves": M},
        counterexample=None if ok else {"failed": bad},
    )

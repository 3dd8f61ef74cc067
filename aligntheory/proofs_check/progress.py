"""Registered claims of the progress-alignment pillar (spec ``progress_and_safety.md`` §A.4).

Methods and tolerances are those of the spec table (after its "Changes in review"); they are
written in the decorators before any run. RICE / alignment-cycle tags follow Part C.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np

from aligntheory.proofs_check._helpers import slope_fit
from aligntheory.proofs_check._registry import Context, Evidence, Figure, Series, Source, Verdict, claim
from aligntheory.theory import progress as T

_PG = Source(key="qiu2024progressgym", where="extrapolative DPO/RLHF; follow/predict/coevolve challenges")
_EPS = float(np.finfo(float).eps)


def _spec(where: str) -> Source:
    return Source(key="qiu2024progressgym", where=f"spec progress_and_safety.md {where}")


# ----------------------------------------------------------------------------------------------
# A-T1, A-T2


@claim(
    id="progress.recurrence_is_lagrange",
    statement="Iterating the vanishing-difference recurrence c_i = C(k+1,i)(-1)^(k-i) m times equals Lagrange "
    "extrapolation to n+m; sum c = 1 and sum c^2 = C(2k+2,k+1) - 1; degree-<=k polynomials are reproduced; the noise "
    "gain ||w||^2 at horizon m is the sum of the squared m-step recurrence weights (our A-T1).",
    source=[_spec("A-T1"), _PG],
    provenance="M",
    kind="theorem",
    tolerance="exact (Python integers and fractions.Fraction, k <= 12, m <= 8)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_recurrence_is_lagrange(ctx: Context) -> Evidence:
    kmax, mmax = 12, 8
    bad = []
    n_cmp = 0
    for k in range(kmax + 1):
        c = [int(x) for x in T.extrapolation_coefficients(k)]
        if sum(c) != 1 or sum(x * x for x in c) != math.comb(2 * k + 2, k + 1) - 1:
            bad.append({"k": k, "what": "coefficient identities"})
        for m in range(1, mmax + 1):
            lag = T.lagrange_extrapolation_weights(k, m, exact=True)
            # recurrence on the unit windows e_j gives the weight of x_j
            rec = [T.extrapolate_by_recurrence([1 if i == j else 0 for i in range(k + 1)], k, m) for j in range(k + 1)]
            n_cmp += 1
            if [Fraction(int(x.p), int(x.q)) for x in lag] != [Fraction(x) for x in rec]:
                bad.append({"k": k, "m": m, "what": "recurrence != Lagrange"})
            # noise gain ||w||^2 at this horizon: the library's value vs the recurrence weights squared
            if int(T.noise_gain(k, m)) != sum(Fraction(x) ** 2 for x in rec):
                bad.append({"k": k, "m": m, "what": "noise_gain != sum of squared recurrence weights"})
            for deg in range(k + 1):  # t^deg at t = 0..k reproduced at k+m
                val = T.extrapolate_by_recurrence([t**deg for t in range(k + 1)], k, m)
                if val != (k + m) ** deg:
                    bad.append({"k": k, "m": m, "deg": deg, "what": "polynomial not reproduced"})
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted="recurrence weights == Lagrange weights; identities hold",
        measured={"comparisons": n_cmp, "mismatches": len(bad)},
        tolerance="exact",
        why="integer/rational arithmetic: no rounding",
        sizes={"k_max": kmax, "m_max": mmax},
        details="recurrence applied to unit windows gives the weights of each point",
        counterexample=bad[0] if bad else None,
    )


@claim(
    id="progress.parity_nonzero",
    statement="With all votes +-1 in an order-k window (k+1 votes) every extrapolated vote is odd, hence non-zero; "
    "a missing label (0) can give 0, e.g. (0, +1, +1) with k = 2, m = 1.",
    source=[_spec("A-T2"), _PG],
    provenance="M",
    kind="theorem",
    tolerance="exact (exhaustive enumeration in integers)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_parity_nonzero(ctx: Context) -> Evidence:
    bad = []
    n_pm = 0
    for k in range(0, 9):
        for m in range(1, 7):
            for w in itertools.product((-1, 1), repeat=k + 1):
                n_pm += 1
                v = T.extrapolated_vote(w, k, m)
                if v % 2 == 0:
                    bad.append({"window": w, "k": k, "m": m, "vote": v})
    n_tri, zeros, zeros_without_missing = 0, 0, 0
    for k in range(0, 5):
        for m in range(1, 7):
            for w in itertools.product((-1, 0, 1), repeat=k + 1):
                n_tri += 1
                if T.extrapolated_vote(w, k, m) == 0:
                    zeros += 1
                    if 0 not in w:
                        zeros_without_missing += 1
                        bad.append({"window": w, "k": k, "m": m, "vote": 0})
    example = T.extrapolated_vote((0, 1, 1), 2, 1)
    ok = not bad and example == 0 and zeros > 0
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"even results with +-1 windows": 0, "zeros without a missing label": 0, "example (0,1,1)": 0},
        measured={"+-1 windows": n_pm, "even results": sum(1 for b in bad if b.get("vote", 1) % 2 == 0 and 0 not in b["window"]),
                  "{-1,0,1} windows": n_tri, "zero outcomes": zeros, "zeros without missing label": zeros_without_missing,
                  "example (0,1,1)": example},
        tolerance="exact",
        why="integer arithmetic",
        sizes={"k (+-1)": "0..8", "k (with 0)": "0..4", "m": "1..6"},
        counterexample=bad[0] if bad else None,
    )


# ----------------------------------------------------------------------------------------------
# A-T3


def _sup_abs_sin_deriv(j: int, a: float, b: float) -> float:
    """sup over [a, b] of |d^j/dt^j sin t| (|sin| for even j, |cos| for odd j), exact up to grid."""
    g = (lambda t: np.abs(np.sin(t))) if j % 2 == 0 else (lambda t: np.abs(np.cos(t)))
    shift = 0.0 if j % 2 else np.pi / 2  # |cos| peaks at multiples of pi; |sin| at pi/2 + multiples
    n0 = math.ceil((a - shift) / np.pi)
    if shift + n0 * np.pi <= b:
        return 1.0
    return float(max(g(a), g(b)))  # monotone between peaks


@claim(
    id="progress.error_bound",
    statement="|f(t_n+mh) - p(t_n+mh)| <= C(m+k,k+1) M_{k+1} h^{k+1} for the order-k, m-step extrapolant; "
    "equality for f = t^{k+1} for every m.",
    source=[_spec("A-T3")],
    provenance="M",
    kind="theorem",
    tolerance="float (exp, sin): error/bound <= 1 + 1e-9 + 4 eps ||w||_1 max|f| / bound (rounding of w.f); "
    "polynomial t^{k+1}: the error, exact in rationals, equals the library's float bound within 8 eps "
    "(k <= 7, m <= 5, h in {2/5, 1/20})",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_error_bound(ctx: Context) -> Evidence:
    tn = 0.3
    worst, worst_case = 0.0, None
    rows = []
    ratios_exp = {}
    for fname in ("exp1.3", "sin"):
        for k in range(0, 6):
            for m in range(1, 4):
                for h in (0.4, 0.2, 0.1, 0.05):
                    nodes = tn - h * np.arange(k, -1, -1, dtype=float)
                    a, b = tn - k * h, tn + m * h
                    if fname == "exp1.3":
                        fv, target = np.exp(1.3 * nodes), math.exp(1.3 * (tn + m * h))
                        M = 1.3 ** (k + 1) * math.exp(1.3 * b)
                    else:
                        fv, target = np.sin(nodes), math.sin(tn + m * h)
                        M = _sup_abs_sin_deriv(k + 1, a, b)
                    w = T.lagrange_extrapolation_weights(k, m)
                    err = abs(target - float(T.extrapolate(fv, k, m)))
                    bound = float(T.extrapolation_error_bound(k, m, h, M))
                    allow = 1 + 1e-9 + 4 * _EPS * float(np.abs(w).sum()) * float(np.max(np.abs(fv))) / bound
                    ratio = err / bound
                    rows.append((fname, k, m, h, ratio, allow))
                    if fname == "exp1.3" and m == 1:
                        ratios_exp.setdefault(k, []).append((h, ratio))
                    if ratio / allow > worst:
                        worst, worst_case = ratio / allow, {"f": fname, "k": k, "m": m, "h": h, "ratio": ratio}
    # t^{k+1}: the attained error, in exact rationals from the exact weights, equals the library's bound
    # (computed in float64 from M_{k+1} = (k+1)!): relative difference <= 8 eps (a few roundings)
    poly_bad, poly_worst = [], 0.0
    t0 = Fraction(3, 7)
    for k in range(0, 8):
        for m in range(1, 6):
            for h in (Fraction(2, 5), Fraction(1, 20)):
                lag = [Fraction(int(x.p), int(x.q)) for x in T.lagrange_extrapolation_weights(k, m, exact=True)]
                nodes = [t0 - (k - j) * h for j in range(k + 1)]
                est = sum(wj * t ** (k + 1) for wj, t in zip(lag, nodes))
                err = abs((t0 + m * h) ** (k + 1) - est)
                bound = float(T.extrapolation_error_bound(k, m, float(h), float(math.factorial(k + 1))))
                rel = abs(bound - float(err)) / float(err)
                poly_worst = max(poly_worst, rel)
                if rel > 8 * _EPS:
                    poly_bad.append({"k": k, "m": m, "h": str(h), "err": str(err), "bound": bound})
    ok = worst <= 1.0 and not poly_bad
    fig = Figure(
        title="A-T3: error / bound, f = exp(1.3 t), m = 1",
        xlabel="h", ylabel="error / bound",
        series=tuple(Series(f"k = {k}", [h for h, _ in v], [r for _, r in v], "line") for k, v in ratios_exp.items())
        + (Series("bound (ratio 1)", [0.05, 0.4], [1.0, 1.0], "line"),),
        logx=True,
    )
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"error/bound": "<= 1", "polynomial": "equality"},
        measured={"max (error/bound)/allowance": worst, "max error/bound": max(r[4] for r in rows),
                  "polynomial mismatches": len(poly_bad), "polynomial max |bound/err - 1|": poly_worst},
        tolerance="ratio <= 1 + 1e-9 + 4 eps ||w||_1 max|f| / bound; polynomial: exact error (rationals) vs the "
        "float bound within 8 eps",
        why="the float error w.f carries rounding about eps ||w||_1 max|f|; the rational check has none",
        sizes={"float cases": len(rows), "k": "0..5", "m": "1..3", "h": [0.4, 0.2, 0.1, 0.05],
               "poly cases": 8 * 5 * 2},
        details=f"worst float case {worst_case}",
        counterexample=(poly_bad[0] if poly_bad else worst_case) if not ok else None,
        figures=(fig,),
    )


@claim(
    id="progress.error_order",
    statement="The extrapolation error of a smooth f is O(h^{k+1}): the log-log slope of error against h is k+1.",
    source=[_spec("A-T3")],
    provenance="M",
    kind="theorem",
    tolerance="fitted slope within k+1 +- 0.1, f = sin, t_n = 1, k in {1,2,3}, m in {1,3}, "
    "h in {0.02, 0.01, 0.005, 0.0025} (spec: the rounding floor spoils k >= 4 on this grid)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_error_order(ctx: Context) -> Evidence:
    hs = np.array([0.02, 0.01, 0.005, 0.0025])
    tn = 1.0
    slopes, series, worst = {}, [], 0.0
    for k in (1, 2, 3):
        for m in (1, 3):
            errs = []
            for h in hs:
                nodes = tn - h * np.arange(k, -1, -1, dtype=float)
                errs.append(abs(math.sin(tn + m * h) - float(T.extrapolate(np.sin(nodes), k, m))))
            s = slope_fit(hs, errs, rng=ctx.rng(10 * k + m), n_boot=200).slope
            slopes[f"k={k}, m={m}"] = s
            worst = max(worst, abs(s - (k + 1)))
            series.append(Series(f"k={k}, m={m} (slope {s:.3f})", hs.tolist(), errs, "line"))
    ok = worst <= 0.1
    fig = Figure("A-T3: extrapolation error vs step, f = sin", "h", "|error|", tuple(series), logx=True, logy=True)
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={f"k={k}": k + 1 for k in (1, 2, 3)},
        measured=slopes,
        tolerance=0.1,
        why="the slope of an O(h^{k+1}) error approaches k+1 while truncation dominates rounding",
        sizes={"h": hs.tolist()},
        figures=(fig,),
    )


# ----------------------------------------------------------------------------------------------
# A-T4


@claim(
    id="progress.mse_decomposition",
    statement="With independent noise of variance sigma^2, MSE(k) = (f(t_n+mh) - w.f)^2 + sigma^2 ||w||^2; "
    "for +-1 votes with means mu the extrapolated vote has mean w.mu and variance sum w_j^2 (1 - mu_j^2).",
    source=[_spec("A-T4"), _PG],
    provenance="M",
    kind="theorem",
    tolerance="|MC - exact| <= 4 standard errors of the MC mean (f = e^t, h = 0.25, sigma = 0.01, k = 0..7, "
    "horizons m = 1, 2, 3; vote model k = 2, m = 2, mu = (-0.2, 0.1, 0.5))",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_mse_decomposition(ctx: Context) -> Evidence:
    from aligntheory.kernels import progress as K

    n_draws = ctx.pick(quick=100_000, full=400_000)
    h, sigma, tn = 0.25, 0.01, 0.0
    ks, exact, mc, se, z, cases = [], [], [], [], [], []
    stream = 0
    for m in (1, 2, 3):  # several horizons: a noise gain that ignored m would be caught at m >= 2
        for k in range(8):
            nodes = tn - h * np.arange(k, -1, -1, dtype=float)
            target = math.exp(tn + m * h)
            # measurement: the library's decomposition (bias of `extrapolate`, variance sigma^2 noise_gain)
            ex = (target - float(T.extrapolate(np.exp(nodes), k, m))) ** 2 + sigma**2 * int(T.noise_gain(k, m))
            # independent route: Monte Carlo over noisy observations
            est = K.mc_extrapolation_mse(ctx.key(stream), np.exp(nodes), sigma, k, m, n_draws, target=target)
            stream += 1
            mse, s = float(est[0]), float(est[1])
            cases.append(f"k={k}, m={m}")
            if m == 1:
                ks.append(k)
                exact.append(ex)
                mc.append(mse)
                se.append(s)
            z.append(abs(mse - ex) / s)
    mu = np.array([-0.2, 0.1, 0.5])
    n_votes = ctx.pick(quick=400_000, full=1_000_000)
    est = np.asarray(K.simulate_vote_extrapolation(ctx.key(100), mu, 2, 2, n_votes)[1])
    mean_p, var_p = T.vote_extrapolation_moments(mu, 2, 2)
    mean_m, var_m = float(est.mean()), float(est.var(ddof=1))
    se_mean = math.sqrt(var_m / n_votes)
    mu4 = float(np.mean((est - mean_m) ** 4))
    se_var = math.sqrt(max(mu4 - var_m**2, 0.0) / n_votes)
    z_mean, z_var = abs(mean_m - mean_p) / se_mean, abs(var_m - var_p) / se_var
    ok = max(z) <= 4 and z_mean <= 4 and z_var <= 4
    fig = Figure("A-T4: exact MSE vs Monte Carlo (f = e^t, h = 0.25, sigma = 0.01)", "order k", "MSE",
                 (Series("exact", ks, exact, "line"), Series("Monte Carlo", ks, mc, "scatter"),
                  Series("MC +- 4 s.e.", ks, [m - 4 * s for m, s in zip(mc, se)], "band",
                         y_hi=[m + 4 * s for m, s in zip(mc, se)])), logy=True)
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"mse (m = 1)": exact, "vote mean": mean_p, "vote variance": var_p},
        measured={"mse (m = 1)": mc, "max z (mse, m = 1..3)": max(z), "worst case": cases[int(np.argmax(z))],
                  "vote mean": mean_m, "vote variance": var_m, "z (mean)": z_mean,
                  "z (variance)": z_var},
        tolerance="4 standard errors",
        why="MC means are asymptotically normal; 4 s.e. over 26 comparisons keeps a false alarm near 2e-3",
        sizes={"draws per (k, m)": n_draws, "vote draws": n_votes, "horizons": [1, 2, 3]},
        figures=(fig,),
    )


@claim(
    id="progress.optimal_order",
    statement="The exact-MSE optimal extrapolation order (enumeration over k) is the order that minimises the "
    "Monte-Carlo MSE.",
    source=[_spec("A-T4")],
    provenance="M",
    kind="theorem",
    tolerance="same k, or MC MSE values of the two orders within 4 standard errors (a tie); grid "
    "sigma in {0.01, 0.001}, h in {0.25, 0.5}, f = e^t, horizons m in {1, 2}, k = 0..7",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_optimal_order(ctx: Context) -> Evidence:
    from aligntheory.kernels import progress as K

    n_draws = ctx.pick(quick=100_000, full=400_000)
    kmax = 7
    rows, ok = [], True
    stream = 0
    for sigma, h, m in itertools.product((0.01, 0.001), (0.25, 0.5), (1, 2)):
        oc = T.optimal_order(h, sigma, lambda j, h=h, m=m: math.exp(m * h), steps_ahead=m, max_order=kmax,
                             f=np.exp)
        mcs, ses = [], []
        for k in range(kmax + 1):
            nodes = -h * np.arange(k, -1, -1, dtype=float)
            stream += 1
            est = K.mc_extrapolation_mse(ctx.key(stream), np.exp(nodes), sigma, k, m, n_draws,
                                         target=math.exp(m * h))
            mcs.append(float(est[0]))
            ses.append(float(est[1]))
        k_mc = int(np.argmin(mcs))
        k_ex = int(oc.exact_order)
        tie = abs(mcs[k_mc] - mcs[k_ex]) <= 4 * math.hypot(ses[k_mc], ses[k_ex])
        good = k_mc == k_ex or tie
        ok &= good
        rows.append({"sigma": sigma, "h": h, "m": m, "exact argmin": k_ex, "MC argmin": k_mc,
                     "bound argmin": oc.order, "ok": good})
    return Evidence(
        verdict=Verdict.of(ok),
        predicted=[r["exact argmin"] for r in rows],
        measured=rows,
        tolerance="same k or tie within 4 s.e.",
        why="MC noise can only swap orders whose MSEs are statistically tied",
        sizes={"draws": n_draws, "k_max": kmax},
        counterexample=None if ok else {"seed": ctx.seed, "rows": rows},
    )


from aligntheory.proofs_check import (  # noqa: E402,F401
    _progress_boundaries,
    _progress_contract,
    _progress_dynamics_claims,
    _progress_guard_boundaries_kernels,
    _progress_guard_boundaries_theory,
    _progress_history_claims,
    _progress_r5,
    _progress_r6,
    _progress_r7,
    _progress_r8,
    _progress_r9,
    _progress_r10,
    _progress_reach,
)
from aligntheory.proofs_check._progress_dynamics_claims import _companion_radius  # noqa: E402,F401

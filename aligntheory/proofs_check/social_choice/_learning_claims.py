"""Claims G1--G5, the bound reference values and the 1/sqrt(N) rate (spec ``social_choice.md`` §4.3).

Tolerances are the spec's, fixed in the decorators before any run. G1, G2, G3 and the rate share one
simulation per (seed, tier): the threshold benchmark of §4.2 (issues and ideal points uniform on
[0, 1]) with the grid class of 101 thresholds and the continuum class (VC = 1).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from aligntheory.proofs_check._helpers import predicted_vs_measured, slope_fit
from aligntheory.proofs_check._registry import Context, Evidence, Figure, Series, Source, Verdict, claim
from aligntheory.theory import social_choice as T

_SSBD = Source(key="shalevshwartz2014understanding", where="Ch. 4, 6, 26, 29")
_QIU = Source(key="qiu2024representative", where="abstract [V]; generalization bounds reported [S]")
_MOHRI = Source(key="mohri2018foundations", where="Ch. 3")
DELTA = 0.05
SIZES = (50, 200, 1000, 5000)
GRID = np.linspace(0.0, 1.0, 101)


def _three_sigma(b: int, delta: float = DELTA) -> float:
    return delta + 3.0 * math.sqrt(delta * (1.0 - delta) / b)


@functools.lru_cache(maxsize=4)
def _simulate(seed: int, tier: str):
    """Per N: uniform deviation on the grid, ERM regret on the grid, exact continuum deviation."""
    import jax

    from aligntheory.kernels import social_choice as K

    ctx = Context(seed=seed, tier=tier)
    b = ctx.pick(quick=2000, full=10000)
    w = T.threshold_welfare(GRID)
    out = {}
    for i, n in enumerate(SIZES):
        key = jax.random.fold_in(ctx.key(11), i)
        # chunk the batch so that the (B, N) arrays stay small on the full tier
        chunks = []
        for j in range(0, b, 2000):
            q, y = K.sample_threshold_pairs(jax.random.fold_in(key, j), n, min(2000, b - j))
            wh = K.threshold_grid_welfare(q, y, GRID)
            chunks.append((np.asarray(K.uniform_deviation(wh, w)), np.asarray(K.regret(wh, w)),
                           np.asarray(K.threshold_continuum_deviation(q, y))))
        out[n] = tuple(np.concatenate([c[k] for c in chunks]) for k in range(3))
    return b, out


def _exceedance_evidence(ctx: Context, which: int, bound_fn, label: str, vacuous_note: bool = False) -> Evidence:
    b, sims = _simulate(ctx.seed, ctx.tier)
    thr = _three_sigma(b)
    rows, ok = [], True
    for n in SIZES:
        vals = sims[n][which]
        bound = float(bound_fn(n))
        frac = float(np.mean(vals > bound))
        q95 = float(np.quantile(vals, 0.95))
        rows.append({"N": n, "bound": bound, "exceed_frac": frac, "q95": q95, "q95_over_bound": q95 / bound,
                     "vacuous": bound >= 1.0})
        ok &= frac <= thr
    fig = Figure(title=f"{label}: q95 of the simulated quantity vs the bound (delta = {DELTA})", xlabel="N",
                 ylabel="value", logx=True, logy=True,
                 series=(Series("bound (predicted)", list(SIZES), [r["bound"] for r in rows]),
                         Series("q95 measured", list(SIZES), [r["q95"] for r in rows], style="scatter")))
    note = " At N = 50 the G3 bound exceeds 1 and is vacuous (reported, still tested)." if vacuous_note else ""
    return Evidence(
        verdict=Verdict.of(ok), predicted={"exceedance_at_most": DELTA, "threshold": thr},
        measured=rows, tolerance=f"exceedance <= delta + 3 sqrt(delta(1-delta)/B) = {thr:.5f}",
        why="binomial 3-sigma: false-failure probability 1.8e-3 per size if the true exceedance were delta",
        sizes={"B": b, "N": list(SIZES), "grid": len(GRID)}, figures=(fig,),
        details=f"{label}; threshold benchmark q, theta ~ U[0,1], y = 1[q >= theta].{note}")


@claim(
    id="social_choice.bound_reference_values",
    aliases=("social_choice.bound_values",),
    statement="G1-G4 and the inverses of G1, G2, G3 take the reference values of spec §4.3 (delta = 0.05).",
    source=[_SSBD, _QIU],
    provenance="M",
    kind="theorem",
    tolerance="relative error <= 1e-12 against 30-digit reference values; sample sizes are exact integers",
    rice={"R", "E"},
    stage="forward:feedback",
)
def check_bound_values(ctx: Context) -> Evidence:
    import sympy as sp

    ref = {  # spec §4.3 "Reference values" (30-digit arithmetic)
        "eps_fin(50,101)": (float(T.finite_class_deviation(50, 101, DELTA)), 0.288166617965288),
        "eps_fin(5000,101)": (float(T.finite_class_deviation(5000, 101, DELTA)), 0.0288166617965288),
        "eps_VC(50,1)": (float(T.vc_deviation(50, 1, DELTA)), 1.07858792562014),
        "eps_VC(1000,1)": (float(T.vc_deviation(1000, 1, DELTA)), 0.294466407739041),
        "G4(50,d_N=1,k=3)": (float(T.natarajan_deviation(50, 1, 3, DELTA)), 1.18074024484796),
    }
    ints = {
        "N_fin(0.05,101)": (int(T.finite_class_sample_size(0.05, 101, DELTA)), 1661),
        "G2 inverse(0.05,101)": (int(T.erm_regret_sample_size(0.05, 101, DELTA)), 6644),
        "N_VC(0.1,1)": (int(T.vc_sample_size(0.1, 1, DELTA)), 10886),
        "N_VC(0.05,1)": (int(T.vc_sample_size(0.05, 1, DELTA)), 49057),
    }
    # the reference values carry ~15 significant digits; recompute them in 30-digit sympy arithmetic
    s = T.bound_symbols()
    d = sp.Rational(1, 20)
    g1, g3, g4 = T.closed_form_bound("G1"), T.closed_form_bound("G3"), T.closed_form_bound("G4")
    sym = {
        "eps_fin(50,101)": g1.subs({s.N: 50, s.F: 101, s.delta: d}),
        "eps_fin(5000,101)": g1.subs({s.N: 5000, s.F: 101, s.delta: d}),
        "eps_VC(50,1)": g3.subs({s.N: 50, s.d: 1, s.delta: d}),
        "eps_VC(1000,1)": g3.subs({s.N: 1000, s.d: 1, s.delta: d}),
        "G4(50,d_N=1,k=3)": g4.subs({s.N: 50, s.d_N: 1, s.k: 3, s.delta: d}),
    }
    exact = {k: float(sp.N(v, 30)) for k, v in sym.items()}
    rel = {k: abs(ref[k][0] - exact[k]) / exact[k] for k in ref}
    ok_real = all(r <= 1e-12 for r in rel.values())
    ok_quoted = all(abs(ref[k][0] - ref[k][1]) / ref[k][1] <= 1e-12 for k in ref)
    ok_int = all(got == want for got, want in ints.values())
    minimal = all(T.vc_deviation(n, 1, DELTA) <= e < T.vc_deviation(n - 1, 1, DELTA)
                  for n, e in ((10886, 0.1), (49057, 0.05)))
    return Evidence(
        verdict=Verdict.of(ok_real and ok_quoted and ok_int and minimal),
        predicted={k: v[1] for k, v in ref.items()} | {k: v[1] for k, v in ints.items()},
        measured={k: v[0] for k, v in ref.items()} | {k: v[0] for k, v in ints.items()},
        tolerance="relative 1e-12; integers exact",
        why="the formulas are closed forms evaluated with logs in float64 (rounding ~1e-16 relative)",
        details=f"relative errors vs 30-digit sympy: {rel}; inverses minimal (bound holds at N*, fails at N*-1): "
                f"{minimal}")


@claim(
    id="social_choice.finite_class_deviation_bound_holds",
    aliases=("social_choice.g1_holds",),
    statement="G1: the uniform deviation of the 101-threshold grid class exceeds eps_fin(N, 101, delta) "
              "with frequency at most delta.",
    source=[_SSBD, _QIU],
    provenance="M",
    kind="theorem",
    tolerance="exceedance frequency <= delta + 3 sqrt(delta(1-delta)/B), B >= 2000, N in {50, 200, 1000, 5000}",
    rice={"R", "E"},
    stage="forward:feedback",
)
def check_g1(ctx: Context) -> Evidence:
    return _exceedance_evidence(ctx, 0, lambda n: T.finite_class_deviation(n, 101, DELTA), "G1 uniform deviation")


@claim(
    id="social_choice.erm_regret_bound_holds",
    aliases=("social_choice.g2_holds",),
    statement="G2: the welfare regret of majority-vote ERM on the grid class exceeds 2 eps_fin with "
              "frequency at most delta.",
    source=[_SSBD, _QIU],
    provenance="M",
    kind="theorem",
    tolerance="exceedance frequency <= delta + 3 sqrt(delta(1-delta)/B), same runs as G1",
    rice={"R", "E"},
    stage="forward:feedback",
)
def check_g2(ctx: Context) -> Evidence:
    return _exceedance_evidence(ctx, 1, lambda n: T.erm_regret_bound(n, 101, DELTA), "G2 ERM regret")


@claim(
    id="social_choice.vc_deviation_bound_holds",
    aliases=("social_choice.g3_holds",),
    statement="G3: the exact sup deviation of the continuum threshold class (VC = 1) exceeds eps_VC(N, 1, delta) "
              "with frequency at most delta.",
    source=[_SSBD, _MOHRI, _QIU],
    provenance="M",
    kind="theorem",
    tolerance="exceedance frequency <= delta + 3 sqrt(delta(1-delta)/B); N = 50 reported as vacuous (bound > 1)",
    rice={"R", "E"},
    stage="forward:feedback",
)
def check_g3(ctx: Context) -> Evidence:
    return _exceedance_evidence(ctx, 2, lambda n: T.vc_deviation(n, 1, DELTA), "G3 continuum deviation",
                                vacuous_note=True)


@claim(
    id="social_choice.deviation_decays_as_inverse_sqrt_n",
    aliases=("social_choice.rate",),
    statement="The 95% quantile of the uniform deviation of the grid class decays like N^(-1/2).",
    source=[_SSBD, _QIU],
    provenance="M",
    kind="empirical",
    tolerance="least-squares slope of log q95 against log N over N in {50, 200, 1000, 5000} in [-0.55, -0.45]",
    rice={"R", "E"},
    stage="forward:feedback",
)
def check_rate(ctx: Context) -> Evidence:
    b, sims = _simulate(ctx.seed, ctx.tier)
    q95 = np.array([np.quantile(sims[n][0], 0.95) for n in SIZES])
    rng = ctx.rng(12)
    slope = slope_fit(SIZES, q95, rng=rng, n_boot=10).slope  # the shared OLS log-log fit (point estimate)
    # interval: resample the replicate experiments within each N (a quantile is not a mean, so the
    # helper's replicate bootstrap, which refits per-size means, does not apply)
    ln = np.log(np.array(SIZES, dtype=np.float64))
    boots = []
    for _ in range(ctx.pick(quick=200, full=1000)):
        qb = [np.quantile(sims[n][0][rng.integers(0, b, b)], 0.95) for n in SIZES]
        boots.append(np.polyfit(ln, np.log(qb), 1)[0])
    ci = [float(np.quantile(boots, 0.025)), float(np.quantile(boots, 0.975))]
    lo_w, hi_w = -0.55, -0.45
    if lo_w <= slope <= hi_w:
        verdict = Verdict.PASS
    elif ci[1] < lo_w or ci[0] > hi_w:
        verdict = Verdict.CONTRADICTED  # the whole interval is outside the pre-registered window
    else:
        verdict = Verdict.INCONCLUSIVE
    c = q95[0] * math.sqrt(SIZES[0])
    fig = predicted_vs_measured("q95 of the uniform deviation vs N (grid class)", list(SIZES),
                                [c / math.sqrt(n) for n in SIZES], q95.tolist(), xlabel="N", ylabel="q95 Delta",
                                logx=True, logy=True)
    return Evidence(verdict=verdict, predicted=-0.5, measured={"slope": slope, "bootstrap_95ci": ci},
                    tolerance="[-0.55, -0.45]",
                    why="240 replicate experiments gave slope mean -0.498, sd 0.0035 (spec §4.3); a welfare bias "
                        "of ~0.005 or an N^2 average leaves the window. CONTRADICTED when the whole bootstrap "
                        "interval lies outside the window; INCONCLUSIVE when the estimate is outside but the "
                        "interval reaches it (more replicates B decide)",
                    sizes={"B": b, "N": list(SIZES)}, figures=(fig,))


@claim(
    id="social_choice.no_generalization_without_restriction",
    aliases=("social_choice.g5_no_restriction",),
    statement="G5: on a uniform finite issue set with Q >> N the adversarial policy (sample majority on sampled "
              "issues, opposite of the population majority elsewhere) has hat W - W >= c_hat - (1 + |U|/Q)/2.",
    source=[_SSBD, _QIU],
    provenance="M",
    kind="theorem",
    tolerance="hat W_S(f) - W(f) >= c_hat - (1 + |U|/Q)/2 - 1e-12 on every sample (exact inequality, float slack)",
    rice={"R", "E"},
    stage="forward:feedback",
)
def check_g5(ctx: Context) -> Evidence:
    rng = ctx.rng(13)
    q_issues, n = 5000, 50
    b = ctx.pick(quick=2000, full=10000)
    rate = rng.uniform(0.4, 0.6, q_issues)  # per-issue preference rates near 1/2
    mstar = (rate > 0.5).astype(np.int64)
    iss = rng.integers(0, q_issues, (b, n))
    y = (rng.random((b, n)) < rate[iss]).astype(np.int64)
    # the population as a finite pair table: pair x = 2q + pref, D(x) = P(q) P(pref | q)
    weights = np.stack([(1.0 - rate) / q_issues, rate / q_issues], axis=1).ravel()
    weights[-1] = 1.0 - math.fsum(weights[:-1].tolist())
    util = np.tile(np.eye(2), (q_issues, 1))  # u_x(o) = 1[o = pref_x]
    issue_of_pair = np.repeat(np.arange(q_issues), 2)
    # measurement: the library's G5 construction and its exact welfare functions
    f = np.stack([T.adversarial_policy(iss[i], y[i], mstar) for i in range(b)])
    w_f = np.concatenate([T.population_welfare(weights, util, issue_of_pair, f[j:j + 200])
                          for j in range(0, b, 200)])
    what = np.array([T.empirical_welfare(2 * iss[i] + y[i], util, issue_of_pair, f[i])[0] for i in range(b)])
    sampled = np.zeros((b, q_issues), dtype=bool)
    sampled[np.arange(b)[:, None], iss] = True
    # prediction (independent): c_hat is the fraction of sampled pairs agreeing with their issue's sample
    # majority (ties -> 0), counted directly
    c_hat = np.empty(b)
    for i in range(b):
        ones = np.bincount(iss[i], weights=y[i], minlength=q_issues)
        tot = np.bincount(iss[i], minlength=q_issues)
        maj = (2 * ones > tot).astype(np.int64)
        c_hat[i] = float(np.mean(maj[iss[i]] == y[i]))
    u = sampled.sum(axis=1)
    lower = c_hat - (1.0 + u / q_issues) / 2.0
    margin = (what - w_f) - lower
    ok = bool(np.all(margin >= -1e-12))
    full = c_hat == 1.0
    ok_full = bool(np.all((what - w_f)[full] >= (1 - n / q_issues) / 2 - 1e-12))
    construction_err = float(np.max(np.abs(what - c_hat)))  # hat W(f) is the sample-majority agreement
    ok &= construction_err <= 1e-12
    w_mstar = float(np.where(mstar == 1, rate, 1 - rate).mean())
    worst = int(np.argmin(margin))
    return Evidence(
        verdict=Verdict.of(ok and ok_full),
        predicted={"lower_bound": "c_hat - (1 + |U|/Q)/2", "on c_hat = 1": (1 - n / q_issues) / 2},
        measured={"min_margin": float(margin.min()), "fraction_c_hat_1": float(full.mean()),
                  "max |hat W(f) - c_hat|": construction_err,
                  "mean_hat_W_minus_W": float((what - w_f).mean()), "W(m*)": w_mstar},
        tolerance="1e-12", why="the inequality is exact; 1e-12 absorbs float rounding of means of 5000 terms",
        sizes={"B": b, "N": n, "Q": q_issues},
        counterexample=None if ok else {"sample": int(worst), "issues": iss[worst].tolist()},
        details="W(f) <= (|U| + (Q - |U|)/2)/Q since min(r, 1 - r) <= 1/2 off the sample; c_hat < 1 only when two "
                "sampled pairs share an issue and disagree")

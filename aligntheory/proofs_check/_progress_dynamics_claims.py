"""Claims on the value-trajectory dynamics (spec ``progress_and_safety.md`` A-T5 to A-T8); imported by
:mod:`aligntheory.proofs_check.progress`.

Split out of ``progress.py`` (which was over the 600-line module limit) without change to any claim.
"""

from __future__ import annotations

import math

import numpy as np

from aligntheory.proofs_check._helpers import slope_fit
from aligntheory.proofs_check._registry import Context, Evidence, Figure, Series, Source, Verdict, claim
from aligntheory.theory import progress as T

_PG = Source(key="qiu2024progressgym", where="extrapolative DPO/RLHF; follow/predict/coevolve challenges")


def _spec(where: str) -> Source:
    return Source(key="qiu2024progressgym", where=f"spec progress_and_safety.md {where}")


# ----------------------------------------------------------------------------------------------
# A-T5


def _companion_radius(alpha: np.ndarray, kappa: np.ndarray, m: int) -> np.ndarray:
    n = alpha.shape[0]
    if m == 0:
        A = np.zeros((n, 2, 2))
        A[:, 0, 0], A[:, 0, 1], A[:, 1, 0] = 1 - alpha - kappa, kappa, 1.0
    else:  # state (h_t, h_{t-1}, h_{t-2})
        A = np.zeros((n, 3, 3))
        A[:, 0, 0], A[:, 0, 1], A[:, 0, 2] = 1 - alpha - kappa, kappa * (1 + m), -kappa * m
        A[:, 1, 0], A[:, 2, 1] = 1.0, 1.0
    return np.max(np.abs(np.linalg.eigvals(A)), axis=1)


@claim(
    id="progress.copying_stability",
    statement="The coevolution recurrence is asymptotically stable iff the Jury conditions hold (copying AI: "
    "alpha > 0, |kappa| < 1, alpha + 2 kappa < 2; also the m-step extrapolating AI, m = 1, 2).",
    source=[_spec("A-T5(i)")],
    provenance="M",
    kind="theorem",
    tolerance="exact agreement with the companion-matrix spectral radius on random (alpha, kappa), excluding "
    "|rho - 1| < 1e-9",
    rice={"C", "E"},
    stage="backward:governance",
)
def check_copying_stability(ctx: Context) -> Evidence:
    rng = ctx.rng(1)
    n = ctx.pick(quick=4000, full=20000)
    counts, bad = {}, []
    for m in (0, 1, 2):
        al = rng.uniform(-0.5, 3.0, n)
        ka = rng.uniform(-1.5, 1.5, n)
        rho = _companion_radius(al, ka, m)
        keep = np.abs(rho - 1) >= 1e-9
        dis = 0
        for a, k, r, kp in zip(al, ka, rho, keep):
            if not kp:
                continue
            jury = T.coevolution_stability(float(a), float(k), m).stable
            if jury != bool(r < 1):
                dis += 1
                bad.append({"alpha": float(a), "kappa": float(k), "m": m, "rho": float(r), "jury": jury})
        counts[f"m={m}"] = {"checked": int(keep.sum()), "disagreements": dis, "stable": int(np.sum(rho[keep] < 1))}
    neg = T.copying_ai_stability(0.001, 2.0)
    ok = not bad and not neg.stable
    return Evidence(
        verdict=Verdict.of(ok),
        predicted="Jury == (spectral radius < 1)",
        measured={**counts, "(0.001, 2.0) radius": neg.spectral_radius},
        tolerance="exact away from |rho - 1| < 1e-9",
        why="eigenvalues are accurate to ~1e-15; the margin excludes boundary cases",
        sizes={"pairs per m": n},
        counterexample=bad[0] if bad else None,
    )


@claim(
    id="progress.time_constant",
    statement="As alpha -> 0 at fixed kappa in (-1, 1), the spectral radius of the copying-AI recurrence is "
    "1 - alpha/(1+kappa) + O(alpha^2): the AI multiplies the human time constant by 1 + kappa.",
    source=[_spec("A-T5(i)")],
    provenance="M",
    kind="theorem",
    tolerance="fitted slope of log|rho - (1 - alpha/(1+kappa))| vs log alpha within 2 +- 0.1, "
    "kappa in {-0.5, 0.2, 0.5}, alpha = 0.001 * 2^j, j = 0..4",
    rice={"C", "E"},
    stage="backward:governance",
)
def check_time_constant(ctx: Context) -> Evidence:
    alphas = 0.001 * 2.0 ** np.arange(5)
    slopes, series, out_of_range = {}, [], []
    for kap in (-0.5, 0.2, 0.5):
        if not np.all(alphas < (1 + kap) * (1 - abs(kap))):  # the expansion's validity range (spec A-T5(i))
            out_of_range.append(kap)
        errs = [abs(T.copying_ai_stability(float(a), kap).spectral_radius
                    - float(T.first_order_spectral_radius(float(a), kap))) for a in alphas]
        slopes[f"kappa={kap}"] = slope_fit(alphas, errs, rng=ctx.rng(7), n_boot=200).slope
        series.append(Series(f"kappa = {kap}", alphas.tolist(), errs, "line"))
    ok = all(abs(s - 2) <= 0.1 for s in slopes.values()) and not out_of_range
    fig = Figure("A-T5(i): |rho - (1 - alpha/(1+kappa))| vs alpha (slope 2 expected)", "alpha", "error",
                 tuple(series), logx=True, logy=True)
    return Evidence(
        verdict=Verdict.of(ok),
        predicted=2.0,
        measured={**slopes, "kappa with alphas outside alpha < (1+kappa)(1-|kappa|)": out_of_range},
        tolerance=0.1,
        why="an O(alpha^2) remainder gives slope 2; a wrong sign or factor leaves O(alpha), slope 1",
        sizes={"alpha": alphas.tolist()},
        figures=(fig,),
    )


@claim(
    id="progress.lock_in",
    statement="At alpha = 0 (no independent progress) h_t + kappa h_{t-1} is invariant and h_t -> "
    "(h_0 + kappa h_{-1})/(1 + kappa), whatever the progress signal.",
    source=[_spec("A-T5(ii)")],
    provenance="M",
    kind="theorem",
    tolerance="|simulated limit - invariant| <= 1e-10 (T chosen so that |kappa|^T < 1e-13)",
    rice={"C", "E"},
    stage="backward:governance",
)
def check_lock_in(ctx: Context) -> Evidence:
    from aligntheory.kernels import progress as K

    rng = ctx.rng(2)
    worst, rows, series = 0.0, [], []
    for kap, h0, hp in ((0.6, 3.0, 1.0), (-0.5, 1.0, 2.0), (0.9, -1.0, 4.0), (0.2, 0.5, 0.5)):
        Tn = int(math.ceil(math.log(1e-13) / math.log(abs(kap)))) + 10
        prog = rng.normal(size=(Tn, 1)) * 5.0
        h, _ = K.simulate_coevolution(ctx.key(0), 0.0, kap, 0, prog, 0.0, h_init=np.array([h0]),
                                      h_prev=np.array([hp]))
        lim = T.lock_in_limit(kap, h0, hp)
        err = abs(float(h[-1, 0]) - lim)
        worst = max(worst, err)
        rows.append({"kappa": kap, "h0": h0, "h_prev": hp, "limit": lim, "simulated": float(h[-1, 0]), "T": Tn})
        if kap == 0.6:
            series.append(Series("h_t (alpha = 0, kappa = 0.6)", list(range(Tn)), np.asarray(h[:, 0]).tolist()))
            series.append(Series("invariant limit 2.25", [0, Tn - 1], [lim, lim]))
    ok = worst <= 1e-10
    return Evidence(
        verdict=Verdict.of(ok),
        predicted=[r["limit"] for r in rows],
        measured=rows,
        tolerance=1e-10,
        why="the transient decays like |kappa|^T < 1e-13; rounding of the recurrence is ~1e-15",
        sizes={"cases": len(rows)},
        details=f"max |error| {worst:.3g}; progress signal is random and has no effect at alpha = 0",
        figures=(Figure("A-T5(ii): lock-in at alpha = 0", "t", "h_t", tuple(series)),),
    )


@claim(
    id="progress.steady_lag",
    statement="Under drift p_t = p_0 + v t with a stable recurrence, the steady lag is p_t - h_t = "
    "v (1 + kappa (1 - m)) / alpha; (alpha, kappa, m) = (0.2, 0.3, 2) lies on the stability boundary and does not "
    "converge.",
    source=[_spec("A-T5(iii)")],
    provenance="M",
    kind="theorem",
    tolerance="|simulated lag - formula| <= 1e-6 after T steps with rho^T < 1e-10 (JAX simulation, noise 0); "
    "negative example: steady_state_lag raises and the simulated lag still oscillates by > 1e-6",
    rice={"C", "E"},
    stage="backward:governance",
)
def check_steady_lag(ctx: Context) -> Evidence:
    from aligntheory.errors import UnstableParametersError
    from aligntheory.kernels import progress as K

    v = 0.1
    rows, worst, series = [], 0.0, []
    for a, k, m in ((0.2, 0.3, 0), (0.2, 0.3, 1), (0.3, 0.2, 2), (0.05, 0.8, 0), (0.3, 0.2, 1)):
        rep = T.coevolution_stability(a, k, m)
        Tn = int(math.ceil(math.log(1e-10) / math.log(rep.spectral_radius))) + 50
        prog = (v * np.arange(Tn, dtype=float))[:, None]
        h, _ = K.simulate_coevolution(ctx.key(0), a, k, m, prog, 0.0, h_init=np.zeros(1))
        lag = prog[:, 0] - np.asarray(h[:, 0])
        pred = float(T.steady_state_lag(a, k, v, m))
        err = abs(lag[-1] - pred)
        worst = max(worst, err)
        rows.append({"alpha": a, "kappa": k, "m": m, "formula": pred, "simulated": float(lag[-1]), "T": Tn})
        series.append(Series(f"({a}, {k}, m={m})", list(range(0, Tn, max(1, Tn // 200))), lag[::max(1, Tn // 200)].tolist()))
    raised = False
    try:
        T.steady_state_lag(0.2, 0.3, v, 2)
    except UnstableParametersError:
        raised = True
    Tn = 4000
    prog = (v * np.arange(Tn, dtype=float))[:, None]
    h, _ = K.simulate_coevolution(ctx.key(0), 0.2, 0.3, 2, prog, 0.0, h_init=np.zeros(1))
    lag = prog[:, 0] - np.asarray(h[:, 0])
    osc = float(abs(lag[-1] - lag[-2]))
    ok = worst <= 1e-6 and raised and osc > 1e-6
    return Evidence(
        verdict=Verdict.of(ok),
        predicted=[r["formula"] for r in rows],
        measured={"cases": rows, "boundary case raises": raised, "boundary oscillation |L_T - L_{T-1}|": osc,
                  "boundary final lag": float(lag[-1])},
        tolerance=1e-6,
        why="transient below 1e-10 after T steps; the linear recurrence adds only rounding",
        sizes={"cases": len(rows)},
        details=f"max |error| {worst:.3g}",
        figures=(Figure("A-T5(iii): lag p_t - h_t under drift v = 0.1", "t", "lag", tuple(series)),),
    )


# ----------------------------------------------------------------------------------------------
# A-T6


@claim(
    id="progress.coevolve_score_props",
    statement="The coevolve score is <= 1, equals 1 when every simulated state is a positive multiple of a_N, "
    "and is invariant under positive rescaling of any vector; frozen-at-a_0 scores below tracking (observation).",
    source=[_spec("A-T6"), _PG],
    provenance="M",
    kind="theorem",
    tolerance="exact up to rounding: 1e-12 (numpy and JAX implementations compared too)",
    rice={"E"},
    stage="backward:assurance",
)
def check_coevolve_score_props(ctx: Context) -> Evidence:
    from aligntheory.kernels import progress as K

    rng = ctx.rng(3)
    n_inst = ctx.pick(quick=100, full=1000)
    worst_above, worst_scale, worst_jump, worst_jax = -np.inf, 0.0, 0.0, 0.0
    for _ in range(n_inst):
        N, M, d = int(rng.integers(1, 10)), int(rng.integers(0, 10)), int(rng.integers(1, 20))
        A = rng.normal(size=(N + 1, d))
        S = rng.normal(size=(M + 1, d))
        s = T.coevolve_score(S, A)
        worst_above = max(worst_above, s - 1)
        scaled = T.coevolve_score(S * rng.uniform(0.01, 100, (M + 1, 1)), A * rng.uniform(0.01, 100, (N + 1, 1)))
        worst_scale = max(worst_scale, abs(scaled - s))
        jump = T.coevolve_score(A[-1:] * rng.uniform(0.1, 10, (M + 1, 1)), A)
        worst_jump = max(worst_jump, abs(jump - 1))
    for _ in range(5):  # JAX cross-check on one fixed shape (JAX recompiles per shape)
        A = rng.normal(size=(9, 19))
        S = rng.normal(size=(12, 19))
        worst_jax = max(worst_jax, abs(float(K.coevolve_score(S, A)) - T.coevolve_score(S, A)))
    # observation (c): random-walk truth in R^19, N = 8
    A = np.cumsum(rng.normal(size=(9, 19)), axis=0) + 3.0
    frozen = T.coevolve_score(np.repeat(A[:1], 9, axis=0), A)
    tracking = T.coevolve_score(A, A)
    jumping = T.coevolve_score(np.repeat(A[-1:], 9, axis=0), A)
    ok = worst_above <= 1e-12 and worst_scale <= 1e-12 and worst_jump <= 1e-12 and worst_jax <= 1e-12
    fig = Figure("A-T6: coevolve score of three strategies (random-walk truth, N = 8, d = 19)", "strategy",
                 "score", (Series("frozen at a_0 / tracking / jump to a_N", [0, 1, 2], [frozen, tracking, jumping],
                                  "scatter"),))
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"max(score - 1)": "<= 0", "rescaling change": 0.0, "jump-to-a_N score": 1.0},
        measured={"max(score - 1)": worst_above, "max rescaling change": worst_scale,
                  "max |jump - 1|": worst_jump, "max |numpy - JAX|": worst_jax,
                  "frozen": frozen, "tracking": tracking, "jumping": jumping},
        tolerance=1e-12,
        why="cosines are computed from normalised rows; rounding is ~1e-16 per entry",
        sizes={"instances": n_inst},
        figures=(fig,),
    )

# Claims of issue 15 (_progress_history_claims), registered with this pillar.

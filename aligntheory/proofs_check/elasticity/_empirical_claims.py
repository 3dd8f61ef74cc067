"""Empirical claims of the elasticity pillar: the resistance/rebound protocol (spec §4.2, §4.3 ``rebound.*``).

Nothing here is a theorem (our Proposition E10: the exact mixture gives neither the two-phase shape
nor the Table 3 direction). Each claim runs the protocol of :mod:`aligntheory.kernels.elasticity`
on the spec's low-rank softmax model and, beyond the spec, on a small MLP language model, with the
per-seed criteria of spec §4.2 fixed in advance. The seeds of one configuration run as **one
vmapped batch** (:func:`~aligntheory.kernels.elasticity.sequential_finetune_batched`), so both tiers
use at least five seeds and the claims decide at the quick tier.

Decision rule (stated power). Per model family, ``n_met`` of ``n`` seeds meet the criterion:

* PASS when ``n_met >= 0.8 n`` with ``n >= 5`` (the spec's reproduction criterion);
* CONTRADICTED when the 95 % Clopper--Pearson interval of the per-seed reproduction rate lies
  entirely below 0.8 (the data exclude the required rate; with 5 seeds: at most 1 seed met it);
* INCONCLUSIVE otherwise; the evidence gives the interval and how many seeds at the observed rate
  would decide.

With 5 seeds, a true reproduction rate of 0.2 is CONTRADICTED with probability 0.74 and a true rate
of 0.95 PASSes with probability 0.98 (binomial); the evidence prints these power figures for the
``n`` used. Across families the verdict is PASS (CONTRADICTED) only if every family run gives PASS
(CONTRADICTED); a family-dependent outcome is INCONCLUSIVE and says so.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy import stats

from aligntheory.proofs_check._helpers import exceedance_band
from aligntheory.proofs_check._registry import Context, Evidence, Figure, Series, Source, Verdict, claim

_SRC = Source(key="ji2024language", where="§5 (rebound, resistance, Tables 1 and 3), as reported in secondary "
              "summaries; protocol: spec elasticity.md §4.2")
FAMILIES = ("lowrank", "mlp")
MIN_SEEDS, FRACTION = 5, 0.8
T_T = 1500  # perturbation steps of metrics 1-4 (spec §4.2)
T_T_DOSE = 3000  # perturbation steps of metric 5 (long enough that s_x is reached)


def _n_seeds(ctx: Context) -> int:
    return ctx.pick(quick=5, full=10)


@functools.lru_cache(maxsize=64)
def run_batch(family: str, cap: int, base_seed: int, n_seeds: int, pretrained: bool = True,
              N_p: float | None = None, T_a: int = 300, optimizer: str = "adam", foreign: bool = False) -> dict:
    """One protocol configuration over ``n_seeds`` seeds as one vmapped batch (cached per process).

    Every run perturbs for ``T_T_DOSE`` steps; metrics 1-4 use the first ``T_T`` + 1 points (Adam has
    no dependence on the horizon, so the prefix is exactly the ``T_t = 1500`` run). Seed ``i`` uses
    data seed and PRNG key ``1000 * base_seed + i``.
    """
    import jax
    import jax.numpy as jnp

    from aligntheory.kernels import elasticity as K

    seeds = [1000 * base_seed + i for i in range(n_seeds)]
    keys = jnp.stack([jax.random.PRNGKey(s) for s in seeds])
    datas = [K.make_protocol_data(s) for s in seeds]
    if N_p is not None:
        datas = [K.empirical_pretraining_data(jax.random.fold_in(keys[i], 99), d, N_p) for i, d in enumerate(datas)]
    data = K.stack_protocol_data(datas)
    sched = K.Schedule() if optimizer == "adam" else K.GD_SCHEDULE
    sched = sched._replace(T_p=1000 if pretrained else 0, T_a=T_a, T_t=T_T_DOSE)
    res = K.sequential_finetune_batched(keys, K.ModelSpec(family=family, capacity=cap), data, sched,
                                        foreign_base=foreign)
    fits = [K.two_segment_fit(res.ce_a[b, :T_T + 1]) for b in range(n_seeds)]
    s_x = [K.first_crossing(res.ce_a[b, :T_T + 1], res.y0[b]) for b in range(n_seeds)]
    s_x_long = [K.first_crossing(res.ce_a[b], res.y0[b]) for b in range(n_seeds)]
    return {"fit": fits, "s_x": s_x, "s_x_long": s_x_long, "y0": res.y0, "ce_a": res.ce_a,
            "kl_base": res.kl_base, "kl_foreign": res.kl_foreign, "base": res.params_base,
            "aligned": res.params_aligned, "w_a": data.w_a}


# ----------------------------------------------------------------------------------------------
# decision rule


def _binom_cdf(k: int, n: int, p: float) -> float:
    return float(stats.binom.cdf(k, n, p))


def power_figures(n: int) -> dict:
    """Probability of each decisive verdict under assumed true reproduction rates (binomial)."""
    need = math.ceil(FRACTION * n)
    k_contra = max((k for k in range(n + 1) if exceedance_band(k, n)[1] < FRACTION), default=-1)
    return {"seeds": n, "PASS needs >= seeds": need,
            "CONTRADICTED when <= seeds": k_contra,
            "P(CONTRADICTED | true rate 0.2)": round(_binom_cdf(k_contra, n, 0.2), 3) if k_contra >= 0 else 0.0,
            "P(PASS | true rate 0.95)": round(1 - _binom_cdf(need - 1, n, 0.95), 3)}


def decide_rate(n_met: int, n: int) -> tuple[Verdict, str]:
    """Verdict of a per-seed criterion met in ``n_met`` of ``n`` seeds (module docstring rule).

    Examples
    --------
    >>> decide_rate(5, 5)[0].value, decide_rate(1, 5)[0].value, decide_rate(3, 5)[0].value
    ('PASS', 'CONTRADICTED', 'INCONCLUSIVE')
    """
    lo, hi = exceedance_band(n_met, n)
    band = f"{n_met}/{n} seeds meet the criterion (95% Clopper-Pearson interval [{lo:.3f}, {hi:.3f}])"
    if n >= MIN_SEEDS and n_met >= FRACTION * n:
        return Verdict.PASS, band + f"; reproduced (>= {FRACTION:.0%} of >= {MIN_SEEDS} seeds)"
    if hi < FRACTION:
        return Verdict.CONTRADICTED, band + f": the interval excludes the required rate {FRACTION}"
    rate = n_met / n
    more = None
    if rate < FRACTION:
        for m in range(n + 1, 200):
            if exceedance_band(round(rate * m), m)[1] < FRACTION:
                more = m
                break
    tail = (f"; at the observed rate about {more} seeds would contradict it" if more else
            f"; {MIN_SEEDS} or more seeds would decide")
    return Verdict.INCONCLUSIVE, band + ": contains the required rate 0.8 but does not reach it" + tail


def combine(verdicts: dict[str, Verdict]) -> Verdict:
    """PASS or CONTRADICTED only if every family agrees; otherwise INCONCLUSIVE (family-dependent).

    Examples
    --------
    >>> combine({"a": Verdict.PASS, "b": Verdict.CONTRADICTED}).value
    'INCONCLUSIVE'
    """
    vals = set(verdicts.values())
    if vals == {Verdict.PASS}:
        return Verdict.PASS
    if vals == {Verdict.CONTRADICTED}:
        return Verdict.CONTRADICTED
    return Verdict.INCONCLUSIVE


def _mse(values) -> dict:
    """Mean and standard error over seeds."""
    v = np.asarray([x for x in values if x is not None], float)
    if v.size == 0:
        return {"mean": None, "se": None, "n": 0}
    se = float(np.std(v, ddof=1) / np.sqrt(v.size)) if v.size > 1 else None
    return {"mean": round(float(v.mean()), 4), "se": None if se is None else round(se, 4), "n": int(v.size)}


def _r(x, nd=4):
    return None if x is None else round(float(x), nd)


def _details(decisions: dict[str, tuple[Verdict, str]]) -> str:
    return "; ".join(f"{fam}: {v.value} -- {text}" for fam, (v, text) in decisions.items())


# ----------------------------------------------------------------------------------------------
# rebound: two phases


@claim(
    id="elasticity.rebound_two_phase",
    statement="After alignment, fine-tuning on opposite data first degrades alignment fast and then slowly, with the "
    "break at the return to the pre-training level, attributable to pre-training (empirical hypothesis about "
    "Ji et al. §5; protocol spec §4.2 metric 1).",
    source=[_SRC],
    provenance="R",
    kind="empirical",
    tolerance="per seed: rho = s1/s2 >= 2, |b - s_x| <= 0.25 s_x, rho_pretrained - rho_control >= 1 at the largest "
    "capacity (32); >= 5 seeds as one vmapped batch; PASS if >= 80% of seeds meet it, CONTRADICTED if the 95% "
    "Clopper-Pearson interval of the rate lies below 0.8; per family, combined across the two model families",
    rice={"R", "I"},
    stage="forward:distribution_shift",
)
def check_rebound_two_phase(ctx: Context) -> Evidence:
    n = _n_seeds(ctx)
    caps = ctx.pick(quick=(32,), full=(4, 8, 16, 32))
    measured, decisions, figs = {}, {}, []
    for fam in FAMILIES:
        fam_rows = {}
        for cap in caps:
            pre, ctl = run_batch(fam, cap, ctx.seed, n, True), run_batch(fam, cap, ctx.seed, n, False)
            flags, per = [], []
            for b in range(n):
                f, fc, sx = pre["fit"][b], ctl["fit"][b], pre["s_x"][b]
                c1 = f.rho >= 2
                c2 = sx is not None and abs(f.b - sx) <= 0.25 * sx
                c3 = f.rho - fc.rho >= 1
                flags.append(bool(c1 and c2 and c3))
                per.append({"seed": b, "rho": _r(f.rho), "b": f.b, "s_x": sx, "rho_control": _r(fc.rho),
                            "s1": _r(f.s1, 6), "s2": _r(f.s2, 6),
                            "criteria (rho>=2, break at s_x, excess>=1)": [bool(c1), bool(c2), bool(c3)]})
            fam_rows[f"cap={cap}"] = {"runs": per, "seeds meeting all criteria": f"{sum(flags)}/{n}",
                                      "rho (mean, se)": _mse([p["rho"] for p in per]),
                                      "rho_control (mean, se)": _mse([p["rho_control"] for p in per])}
            if cap == caps[-1]:
                decisions[fam] = decide_rate(sum(flags), n)
        measured[fam] = fam_rows
        pre, ctl = run_batch(fam, caps[-1], ctx.seed, n, True), run_batch(fam, caps[-1], ctx.seed, n, False)
        y, yc = pre["ce_a"][0, :T_T + 1], ctl["ce_a"][0, :T_T + 1]
        s = np.arange(y.size)
        f = pre["fit"][0]
        y_b = np.interp(f.b, s, y)
        figs.append(Figure(
            f"{fam}: alignment loss y(s) during perturbation (capacity {caps[-1]}, seed 0)", "perturbation step s",
            "CE_a (nats)",
            (Series("pre-trained", s[::5].tolist(), y[::5].tolist()),
             Series("control (no pre-training)", s[::5].tolist(), yc[::5].tolist()),
             Series("pre-training level y0", [0, int(s[-1])], [float(pre["y0"][0])] * 2),
             Series("two-segment fit (pre-trained)", [0.0, float(f.b), float(s[-1])],
                    [y_b - f.s1 * f.b, y_b, y_b + f.s2 * (s[-1] - f.b)]))))
    extras = {}
    from aligntheory.kernels import elasticity as K
    from aligntheory.theory import elasticity as T

    d0 = K.make_protocol_data(1000 * ctx.seed)
    pi = float(np.sum(np.asarray(d0.w_a)[:, None] * np.asarray(d0.P_p) * np.asarray(d0.S_a)[None, :]))
    lstar = (1 - pi) / pi
    extras["E10 mixture control (b): pi = P_p(S_a) on C_a"] = _r(pi, 6)
    extras["E10 mixture slope ratio m_a'(0)/m_a'(l*) at k = 1e2, 1e3, 1e4 (alignment_mass_curve)"] = {
        f"k={k:g}": _r(_mass_slope_ratio(T, pi, k, lstar)) for k in (1e2, 1e3, 1e4)}
    if ctx.tier == "full":
        gd = {}
        for cap in (8, 16):
            g, gc = run_batch("lowrank", cap, ctx.seed, 2, True, optimizer="gd"), \
                run_batch("lowrank", cap, ctx.seed, 2, False, optimizer="gd")
            for b in range(2):
                gd[f"r={cap}, seed {b}"] = {"rho": _r(g["fit"][b].rho), "b": g["fit"][b].b,
                                            "s_x": g["s_x"][b], "rho_control": _r(gc["fit"][b].rho)}
        extras["plain GD control (c)"] = gd
        mem = {}
        for fam in FAMILIES:
            for cap in (4, 16):
                f = run_batch(fam, cap, ctx.seed, 3, True, foreign=True)
                for b in range(3):
                    kb, kf = f["kl_base"][b, :T_T + 1], f["kl_foreign"][b, :T_T + 1]
                    own, fo = 1 - kb.min() / kb[0], 1 - kf.min() / kf[0]
                    mem[f"{fam} cap={cap} seed {b}"] = {"own": _r(own), "foreign": _r(fo),
                                                        "own > foreign": bool(own > fo)}
        extras["metric 4 (memory of the base): relative KL reduction"] = mem
    measured["extras"] = extras
    measured["decision per family (largest capacity)"] = {f: v.value for f, (v, _) in decisions.items()}
    measured["power"] = power_figures(n)
    return Evidence(
        verdict=combine({f: v for f, (v, _) in decisions.items()}),
        predicted="paper [S]: fast-then-slow rebound towards pre-training, attributable to pre-training",
        measured=measured, tolerance="rho >= 2; |b - s_x| <= 0.25 s_x; rho - rho_control >= 1; >= 80% of >= 5 seeds",
        why="criteria fixed in spec §4.2 before any run; never tuned; exact binomial decision with stated power",
        sizes={"seeds": n, "capacities": list(caps), "C": 32, "V": 256, "T_p": 1000, "T_a": 300, "T_t": T_T},
        details=_details(decisions), figures=tuple(figs))


def _mass_slope_ratio(T, pi: float, k: float, lstar: float) -> float:
    """m_a'(0)/m_a'(l*) from the library's alignment_mass_curve by central differences (E10 predicts
    ((k+1+l*)/(k+1))^2)."""
    h = 1e-6
    m = np.asarray(T.alignment_mass_curve(pi, k, [h, 2 * h, lstar - h, lstar + h]), dtype=float)
    s0 = (m[1] - m[0]) / h
    s1 = (m[3] - m[2]) / (2 * h)
    return s0 / s1


# ----------------------------------------------------------------------------------------------
# size and volume


def _spearman(x, y) -> float:
    if np.ptp(np.asarray(x, float)) == 0 or np.ptp(np.asarray(y, float)) == 0:
        return 0.0  # constant input: no evidence of growth
    r = stats.spearmanr(x, y).statistic
    # rounded to 12 digits: on 4 points Spearman takes exact values such as 0.8 = 1 - 6*2/60, which scipy returns as
    # 0.7999999999999999; the criterion ">= 0.8" is about the exact statistic
    return round(float(r), 12) if np.isfinite(r) else 0.0


@claim(
    id="elasticity.rebound_size_and_volume",
    statement="The rebound contrast grows with model size (rho_pretrained - rho_control increasing in capacity) and "
    "with pre-training volume (rho increasing in the number N_p of pre-training samples) (empirical hypothesis "
    "about Ji et al. §5).",
    source=[_SRC],
    provenance="R",
    kind="empirical",
    tolerance="per seed Spearman >= 0.8 over capacities {4, 8, 16, 32} and over N_p in {1e3, 1e4, 1e5, 1e6} "
    "(capacity 16); >= 5 seeds as one vmapped batch per configuration; each part decided by the binomial rule "
    "(PASS >= 80% of seeds, CONTRADICTED if the 95% interval lies below 0.8); the statement needs both parts",
    rice={"R", "I"},
    stage="forward:distribution_shift",
)
def check_rebound_size_and_volume(ctx: Context) -> Evidence:
    n = _n_seeds(ctx)
    caps = (4, 8, 16, 32)
    vols = (1e3, 1e4, 1e5, 1e6)
    fams = ctx.pick(quick=("lowrank",), full=FAMILIES)
    measured, decisions, fam_verdicts, figs = {}, {}, {}, []
    for fam in fams:
        excess = np.array([[run_batch(fam, c, ctx.seed, n, True)["fit"][b].rho
                            - run_batch(fam, c, ctx.seed, n, False)["fit"][b].rho for c in caps]
                           for b in range(n)])
        rv = np.array([[run_batch(fam, 16, ctx.seed, n, True, N_p=v)["fit"][b].rho for v in vols]
                       for b in range(n)])
        size_rho = [_spearman(caps, excess[b]) for b in range(n)]
        vol_rho = [_spearman(vols, rv[b]) for b in range(n)]
        d_size = decide_rate(sum(r >= 0.8 for r in size_rho), n)
        d_vol = decide_rate(sum(r >= 0.8 for r in vol_rho), n)
        parts = {d_size[0], d_vol[0]}
        fam_verdicts[fam] = (Verdict.CONTRADICTED if Verdict.CONTRADICTED in parts else
                             Verdict.PASS if parts == {Verdict.PASS} else Verdict.INCONCLUSIVE)
        decisions[f"{fam} size"], decisions[f"{fam} volume"] = d_size, d_vol
        measured[fam] = {"rho - rho_control per seed (caps 4, 8, 16, 32)": np.round(excess, 4).tolist(),
                         "Spearman (size) per seed": size_rho, "size": d_size[0].value,
                         "rho per seed (N_p = 1e3..1e6)": np.round(rv, 4).tolist(),
                         "Spearman (volume) per seed": vol_rho, "volume": d_vol[0].value}
        figs.append(Figure(f"{fam}: excess slope ratio vs capacity", "capacity", "rho_pretrained - rho_control",
                           tuple(Series(f"seed {b}", list(caps), excess[b].tolist()) for b in range(n)), logx=True))
        figs.append(Figure(f"{fam}: slope ratio vs pre-training samples (capacity 16)", "N_p", "rho",
                           tuple(Series(f"seed {b}", list(vols), rv[b].tolist()) for b in range(n)), logx=True))
    if len(fams) < len(FAMILIES):
        measured["mlp"] = "full tier only (quick-tier budget: four more compilations)"
    measured["power"] = power_figures(n)
    return Evidence(verdict=combine(fam_verdicts),
                    predicted="paper [S]: elasticity grows with model size and pre-training volume",
                    measured=measured, tolerance="Spearman >= 0.8 in >= 80% of >= 5 seeds, both parts",
                    why="criteria fixed in spec §4.2; exact binomial decision with stated power",
                    sizes={"seeds": n, "capacities": caps, "N_p": vols, "families": list(fams)},
                    details=_details(decisions), figures=tuple(figs))


# ----------------------------------------------------------------------------------------------
# resistance


@claim(
    id="elasticity.rebound_resistance",
    statement="Inverse alignment is easier than forward alignment: distilling the aligned model back to its base takes "
    "fewer steps than distilling the base to the aligned model, beyond the entropy geometry seen without "
    "pre-training (empirical hypothesis about Ji et al. §5, Table 1; protocol spec §4.2 metric 3).",
    source=[_SRC],
    provenance="R",
    kind="empirical",
    tolerance="per seed: forward/inverse step ratio > 1 and > the no-pre-training control's ratio at the largest "
    "capacity (32); >= 5 seeds as one vmapped batch; binomial rule (PASS >= 80% of seeds, CONTRADICTED if the 95% "
    "interval lies below 0.8), per family, combined across families",
    rice={"R", "I"},
    stage="backward:assurance",
)
def check_rebound_resistance(ctx: Context) -> Evidence:
    from aligntheory.kernels import elasticity as K

    n = _n_seeds(ctx)
    caps = ctx.pick(quick=(32,), full=(4, 8, 16, 32))
    measured, decisions, figs = {}, {}, []
    for fam in FAMILIES:
        rows, means_p, means_c = {}, [], []
        for cap in caps:
            ratios = {}
            for label, pre in (("pretrained", True), ("control", False)):
                r = run_batch(fam, cap, ctx.seed, n, pre)
                fwd = K.distill_steps_batched(r["base"], r["aligned"], r["w_a"]).steps
                inv = K.distill_steps_batched(r["aligned"], r["base"], r["w_a"]).steps
                ratios[label] = (fwd, inv, fwd / np.maximum(inv, 1))
            rp, rc = ratios["pretrained"][2], ratios["control"][2]
            flags = (rp > 1) & (rp > rc)
            rows[f"cap={cap}"] = {"forward steps": ratios["pretrained"][0].tolist(),
                                  "inverse steps": ratios["pretrained"][1].tolist(),
                                  "ratio per seed": np.round(rp, 4).tolist(),
                                  "control ratio per seed": np.round(rc, 4).tolist(),
                                  "seeds meeting criteria": f"{int(flags.sum())}/{n}",
                                  "ratio (mean, se)": _mse(rp), "control ratio (mean, se)": _mse(rc)}
            means_p.append(float(np.mean(rp)))
            means_c.append(float(np.mean(rc)))
            if cap == caps[-1]:
                decisions[fam] = decide_rate(int(flags.sum()), n)
        measured[fam] = rows
        style = "line" if len(caps) > 1 else "scatter"
        figs.append(Figure(f"{fam}: forward/inverse distillation step ratio vs capacity", "capacity", "ratio",
                           (Series("pre-trained", list(caps), means_p, style),
                            Series("control (no pre-training)", list(caps), means_c, style),
                            Series("no resistance (ratio 1)", [min(caps), max(caps)], [1.0, 1.0])),
                           logx=len(caps) > 1))
    measured["decision per family (largest capacity)"] = {f: v.value for f, (v, _) in decisions.items()}
    measured["power"] = power_figures(n)
    return Evidence(verdict=combine({f: v for f, (v, _) in decisions.items()}),
                    predicted="paper [S] Table 1: inverse fine-tuning reaches lower loss than forward",
                    measured=measured, tolerance="ratio > 1 and > control in >= 80% of >= 5 seeds",
                    why="criteria fixed in spec §4.2; exact binomial decision with stated power",
                    sizes={"seeds": n, "capacities": list(caps), "distillation": "Adam lr 3e-3 to 10% of initial KL"},
                    details=_details(decisions), figures=tuple(figs))


# ----------------------------------------------------------------------------------------------
# dose response


@claim(
    id="elasticity.rebound_dose_response",
    statement="Table 3 analogue: the perturbation steps needed to return the alignment loss to the pre-training level "
    "decrease with the amount of alignment training T_a (empirical hypothesis about Ji et al. Table 3; protocol spec "
    "§4.2 metric 5). Our Proposition E10 predicts the opposite for the exact mixture (N_t* = N_a (1 - pi)/pi grows "
    "with N_a).",
    source=[_SRC],
    provenance="R",
    kind="empirical",
    tolerance="per seed: s_x strictly decreasing over T_a in {100, 300, 1000} (T_t = 3000 so that s_x is reached) "
    "at capacity 16; >= 5 seeds as one vmapped batch; binomial rule (PASS >= 80% of seeds, CONTRADICTED if the 95% "
    "interval lies below 0.8), per family, combined across families; the mean log-log slope of s_x in T_a and "
    "its standard error are reported alongside",
    rice={"R", "I"},
    stage="forward:distribution_shift",
)
def check_rebound_dose_response(ctx: Context) -> Evidence:
    n = _n_seeds(ctx)
    caps = ctx.pick(quick=(16,), full=(4, 16))
    doses = (100, 300, 1000)
    measured, decisions, figs = {}, {}, []
    for fam in FAMILIES:
        rows, series = {}, []
        for cap in caps:
            sx = [run_batch(fam, cap, ctx.seed, n, True, T_a=ta)["s_x_long"] for ta in doses]
            per_seed = [[sx[j][b] for j in range(len(doses))] for b in range(n)]
            vals = [[math.inf if v is None else v for v in row] for row in per_seed]
            flags = [all(a > b for a, b in zip(v, v[1:])) for v in vals]
            slopes = [float(np.polyfit(np.log(doses), np.log(v), 1)[0]) for v in vals if all(map(math.isfinite, v))]
            mean_slope = _mse(slopes)
            z = (mean_slope["mean"] / mean_slope["se"] if mean_slope["se"] else None)
            rows[f"cap={cap}"] = {"steps to y0 per seed (T_a = 100, 300, 1000)": per_seed,
                                  "seeds strictly decreasing": f"{sum(flags)}/{n}",
                                  "log-log slope of steps in T_a (mean, se)": mean_slope,
                                  "slope / se (negative = the paper's direction)": _r(z, 2)}
            for b in range(n):
                series.append(Series(f"cap {cap}, seed {b}", list(doses),
                                     [float("nan") if v is None else float(v) for v in per_seed[b]]))
            if cap == caps[-1]:
                decisions[fam] = decide_rate(sum(flags), n)
        measured[fam] = rows
        figs.append(Figure(f"{fam}: perturbation steps to return to y0 vs alignment steps", "T_a",
                           "steps to y0", tuple(series), logx=True, logy=True))
    measured["decision per family"] = {f: v.value for f, (v, _) in decisions.items()}
    measured["power"] = power_figures(n)
    return Evidence(verdict=combine({f: v for f, (v, _) in decisions.items()}),
                    predicted="paper [S] Table 3: decreasing in the amount of alignment",
                    measured=measured, tolerance="strictly decreasing in >= 80% of >= 5 seeds",
                    why="criterion fixed in spec §4.2; exact binomial decision with stated power",
                    sizes={"seeds": n, "capacities": list(caps), "T_a": doses, "T_t": T_T_DOSE},
                    details=_details(decisions), figures=tuple(figs))

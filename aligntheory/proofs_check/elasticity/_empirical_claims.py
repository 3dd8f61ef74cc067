"""Empirical claims of the elasticity pillar: the resistance/rebound protocol (spec §4.2, §4.3 ``rebound.*``).

Nothing here is a theorem (our Proposition E10: the exact mixture gives neither the two-phase shape
nor the Table 3 direction). Each claim runs the protocol of :mod:`aligntheory.kernels.elasticity`
on the spec's low-rank softmax model and, beyond the spec, on a small MLP language model. The seeds
and configurations of a claim run as **one vmapped batch** per family and pre-training setting
(:mod:`._protocol`), so the claims decide at the quick tier.

Decision rules (:mod:`._decide`, fixed before the runs of this round and written into each decorator):

* ``rebound_two_phase`` and ``rebound_size_and_volume`` (this module and :mod:`._empirical_claims_rs`):
  the spec's per-seed criterion, decided by the exact binomial rule :func:`~._decide.decide_rate`
  (PASS when >= 80 % of >= 5 seeds meet it, CONTRADICTED when the 95 % Clopper--Pearson interval of
  the rate lies below 0.8), with stated power.
* ``rebound_dose_response`` and ``rebound_resistance``: a directional per-seed effect (a log-log
  slope, a paired difference of step ratios) decided from its mean and standard error by
  :func:`~._decide.decide_effect` (through ``decide_hypothesis``: shown at 4 se, or excluded by the
  one-sided 2 se bound). The spec's per-seed counts are reported alongside.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from aligntheory.proofs_check._registry import Context, Evidence, Figure, Series, Source, Verdict, claim
from aligntheory.proofs_check.elasticity._decide import (
    combine,
    combine_every,
    decide_effect,
    decide_rate,
    power_figures,
)
from aligntheory.proofs_check.elasticity._protocol import (
    FAMILIES,
    T_T,
    mean_se,
    protocol_runs,
    protocol_seeds,
    r4,
)

__all__ = ["DOSE_SEEDS", "DOSES", "SPEARMAN_MIN", "T_T_DOSE", "combine", "combine_every", "decide_effect", "decide_rate", "power_figures"]

_SRC = Source(key="ji2024language", where="§5 (rebound, resistance, Tables 1 and 3), as reported in secondary "
              "summaries; protocol: spec elasticity.md §4.2")
T_T_DOSE = 2000
"""Perturbation steps of metric 5: the largest return time seen in the probes is ~1750 steps (r = 4,
T_a = 1000); a seed that does not return within it is reported and left out of the slope."""
SPEARMAN_MIN = 0.7
"""On four grid points Spearman takes the values 0, +-0.2, ..., +-1, so "> 0.7" is the spec's
per-seed criterion ">= 0.8" (kept for the tests of the lattice)."""


def _spearman(x, y) -> float:
    if np.ptp(np.asarray(x, float)) == 0 or np.ptp(np.asarray(y, float)) == 0:
        return 0.0  # constant input: no evidence of growth
    r = stats.spearmanr(x, y).statistic
    # rounded to 12 digits: on 4 points Spearman takes exact values such as 0.8 = 1 - 6*2/60, which scipy returns as
    # 0.7999999999999999; the criterion ">= 0.8" is about the exact statistic
    return round(float(r), 12) if np.isfinite(r) else 0.0


def _details(decisions: dict) -> str:
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
    "capacity (32); 5 seeds (quick) / 10 (full) per family, pre-trained and control each one vmapped batch; PASS if "
    ">= 80% of the seeds meet it, CONTRADICTED if the 95% Clopper-Pearson interval of the rate lies below 0.8; per "
    "family, combined across the two model families (PASS or CONTRADICTED only when both agree)",
    rice={"R", "I"},
    stage="forward:distribution_shift",
)
def check_rebound_two_phase(ctx: Context) -> Evidence:
    n = ctx.pick(quick=5, full=10)
    seeds = protocol_seeds(ctx, n)
    caps = ctx.pick(quick=(32,), full=(4, 8, 16, 32))
    members = tuple((s, c, 300, None) for c in caps for s in seeds)
    measured, decisions, figs, cpu, guards = {}, {}, [], 0.0, {}
    for fam in FAMILIES:
        pre = protocol_runs(fam, members, max_cap=32)
        ctl = protocol_runs(fam, members, max_cap=32, pretrained=False)
        cpu += pre.cpu_s + ctl.cpu_s
        rows = {}
        for j, cap in enumerate(caps):
            flags, per = [], []
            for i in range(n):
                b = j * n + i
                rho, rho_c, brk, sx = pre.fit.rho[b], ctl.fit.rho[b], int(pre.fit.b[b]), int(pre.s_x[b])
                c1 = rho >= 2
                c2 = sx >= 0 and abs(brk - sx) <= 0.25 * sx
                c3 = rho - rho_c >= 1
                flags.append(bool(c1 and c2 and c3))
                per.append({"seed": seeds[i], "rho": r4(rho), "b": brk, "s_x": None if sx < 0 else sx,
                            "rho_control": r4(rho_c), "s1": r4(pre.fit.s1[b], 6), "s2": r4(pre.fit.s2[b], 6),
                            "criteria (rho>=2, break at s_x, excess>=1)": [bool(c1), bool(c2), bool(c3)]})
            rows[f"cap={cap}"] = {"runs": per, "seeds meeting all criteria": f"{sum(flags)}/{n}",
                                  "rho (mean, se)": mean_se([p["rho"] for p in per]),
                                  "rho_control (mean, se)": mean_se([p["rho_control"] for p in per])}
            if cap == caps[-1]:
                decisions[fam] = decide_rate(sum(flags), n)
        measured[fam] = rows
        b0 = (len(caps) - 1) * n
        guards[fam] = _batched_metrics_guard(pre, b0)
        y, yc = pre.ce_a[b0, :T_T + 1], ctl.ce_a[b0, :T_T + 1]
        s = np.arange(y.size)
        brk, s1, s2 = float(pre.fit.b[b0]), float(pre.fit.s1[b0]), float(pre.fit.s2[b0])
        y_b = np.interp(brk, s, y)
        figs.append(Figure(
            f"{fam}: alignment loss y(s) during perturbation (capacity {caps[-1]}, first seed)", "perturbation step s",
            "CE_a (nats)",
            (Series("pre-trained", s[::5].tolist(), y[::5].tolist()),
             Series("control (no pre-training)", s[::5].tolist(), yc[::5].tolist()),
             Series("pre-training level y0", [0, int(s[-1])], [float(pre.y0[b0])] * 2),
             Series("two-segment fit (pre-trained)", [0.0, brk, float(s[-1])],
                    [y_b - s1 * brk, y_b, y_b + s2 * (s[-1] - brk)]))))
    measured["extras"] = _two_phase_extras(ctx, seeds)
    measured["guard: batched metrics equal the per-curve two_segment_fit / first_crossing (first seed)"] = guards
    measured["decision per family (largest capacity)"] = {f: v.value for f, (v, _) in decisions.items()}
    measured["power"] = power_figures(n)
    measured["cpu seconds of the batches (compilation included)"] = round(cpu, 1)
    verdict = combine({f: v for f, (v, _) in decisions.items()})
    if not all(g["equal"] for g in guards.values()):
        verdict = Verdict.FAIL  # the measurement pipeline disagrees with itself: a bug, not evidence
    return Evidence(
        verdict=verdict,
        predicted="paper [S]: fast-then-slow rebound towards pre-training, attributable to pre-training",
        measured=measured, tolerance="rho >= 2; |b - s_x| <= 0.25 s_x; rho - rho_control >= 1; >= 80% of >= 5 seeds",
        why="criteria fixed in spec §4.2 before any run; never tuned; exact binomial decision with stated power",
        sizes={"seeds": n, "capacities": list(caps), "C": 32, "V": 256, "T_p": 1000, "T_a": 300, "T_t": T_T},
        details=_details(decisions), figures=tuple(figs))


def _batched_metrics_guard(runs, b: int) -> dict:
    """The batched metrics of member ``b`` against the per-curve kernels (a FAIL if they differ)."""
    from aligntheory.kernels import elasticity as K

    y = runs.ce_a[b, :T_T + 1]
    f = K.two_segment_fit(y)
    sx = K.first_crossing(y, float(runs.y0[b]))
    # the same least-squares optimum: equal residuals (1e-9 relative: float64 sums of 1501 terms), and equal slopes
    # when the breakpoints agree (a tie of two breakpoints to rounding may pick either)
    same_opt = abs(f.sse - runs.fit.sse[b]) <= 1e-9 * max(f.sse, 1e-300)
    equal = (same_opt and (f.b != int(runs.fit.b[b]) or abs(f.rho - runs.fit.rho[b]) <= 1e-8 * abs(f.rho))
             and (-1 if sx is None else sx) == int(runs.s_x[b]))
    return {"b": (f.b, int(runs.fit.b[b])), "rho": (r4(f.rho, 10), r4(runs.fit.rho[b], 10)),
            "s_x": (sx, int(runs.s_x[b])), "equal": bool(equal)}


def _two_phase_extras(ctx: Context, seeds) -> dict:
    from aligntheory.kernels import elasticity as K
    from aligntheory.theory import elasticity as T

    extras = {}
    d0 = K.make_protocol_data(seeds[0])
    pi = float(np.sum(np.asarray(d0.w_a)[:, None] * np.asarray(d0.P_p) * np.asarray(d0.S_a)[None, :]))
    lstar = (1 - pi) / pi
    extras["E10 mixture control (b): pi = P_p(S_a) on C_a"] = r4(pi, 6)
    extras["E10 mixture slope ratio m_a'(0)/m_a'(l*) at k = 1e2, 1e3, 1e4 (alignment_mass_curve)"] = {
        f"k={k:g}": r4(_mass_slope_ratio(T, pi, k, lstar)) for k in (1e2, 1e3, 1e4)}
    if ctx.tier != "full":
        return extras
    gd = {}
    two = tuple((s, c, 300, None) for c in (8, 16) for s in seeds[:2])
    g = protocol_runs("lowrank", two, max_cap=16, optimizer="gd")
    gc = protocol_runs("lowrank", two, max_cap=16, pretrained=False, optimizer="gd")
    for b, (s, c, _, _) in enumerate(two):
        gd[f"r={c}, seed {s}"] = {"rho": r4(g.fit.rho[b]), "b": int(g.fit.b[b]),
                                  "s_x": None if g.s_x[b] < 0 else int(g.s_x[b]), "rho_control": r4(gc.fit.rho[b])}
    extras["plain GD control (c)"] = gd
    mem = {}
    three = tuple((s, c, 300, None) for c in (4, 16) for s in seeds[:3])
    for fam in FAMILIES:
        f = protocol_runs(fam, three, max_cap=16, foreign=True)
        for b, (s, c, _, _) in enumerate(three):
            kb, kf = f.kl_base[b, :T_T + 1], f.kl_foreign[b, :T_T + 1]
            own, fo = 1 - kb.min() / kb[0], 1 - kf.min() / kf[0]
            mem[f"{fam} cap={c} seed {s}"] = {"own": r4(own), "foreign": r4(fo), "own > foreign": bool(own > fo)}
    extras["metric 4 (memory of the base): relative KL reduction"] = mem
    return extras


def _mass_slope_ratio(T, pi: float, k: float, lstar: float) -> float:
    """m_a'(0)/m_a'(l*) from the library's alignment_mass_curve by central differences (E10 predicts
    ((k+1+l*)/(k+1))^2)."""
    h = 1e-6
    m = np.asarray(T.alignment_mass_curve(pi, k, [h, 2 * h, lstar - h, lstar + h]), dtype=float)
    s0 = (m[1] - m[0]) / h
    s1 = (m[3] - m[2]) / (2 * h)
    return s0 / s1


# ----------------------------------------------------------------------------------------------
# dose response

DOSES = (100, 300, 1000)
DOSE_SEEDS = {"lowrank": 5, "mlp": 10}
"""Quick-tier seeds per family, from a power calculation on this claim's first batched run (seed 0,
5 seeds each): per-seed log-log slopes 0.385 +- 0.076 (sd) low-rank, 0.197 +- 0.103 MLP, so 5 and
10 seeds put the means about 11 and 6 se from zero in expectation."""


@claim(
    id="elasticity.rebound_dose_response",
    statement="Table 3 analogue: the perturbation steps needed to return the alignment loss to the pre-training level "
    "decrease with the amount of alignment training T_a (empirical hypothesis about Ji et al. Table 3; protocol spec "
    "§4.2 metric 5). Our Proposition E10 predicts the opposite for the exact mixture (N_t* = N_a (1 - pi)/pi grows "
    "with N_a).",
    source=[_SRC],
    provenance="R",
    kind="empirical",
    tolerance="per seed: the least-squares slope of log s_x on log T_a over T_a in {100, 300, 1000} at capacity 16 "
    "(T_t = 2000; a seed that does not return is reported and left out); seeds per family low-rank 5, MLP 10 "
    "(quick; a power calculation, see DOSE_SEEDS) / 20 each (full), each dose one vmapped batch of every seed; per family decide_effect on the per-seed decrease -slope (PASS: mean >= "
    "4 se above 0; CONTRADICTED: mean >= 4 se below 0 or mean + 2 se < 0; no minimum effect: the statement is a "
    "direction); combined across families (PASS or CONTRADICTED only when both agree). The spec's per-seed count "
    "(s_x strictly decreasing) is reported alongside",
    rice={"R", "I"},
    stage="forward:distribution_shift",
)
def check_rebound_dose_response(ctx: Context) -> Evidence:
    caps = ctx.pick(quick=(16,), full=(4, 16))
    measured, decisions, fam_verdicts, figs, cpu = {}, {}, {}, [], 0.0
    for fam in FAMILIES:
        n = ctx.pick(quick=DOSE_SEEDS[fam], full=20)
        seeds = protocol_seeds(ctx, n)
        # one batch per dose (equal T_a inside a batch, so no member idles; one compilation for the three)
        per_dose = [protocol_runs(fam, tuple((s, c, ta, None) for c in caps for s in seeds), max_cap=max(caps),
                                  T_t=T_T_DOSE) for ta in DOSES]
        cpu += sum(r.cpu_s for r in per_dose)
        s_x_all = np.stack([r.s_x_long for r in per_dose])  # (doses, caps * n)
        rows, series = {}, []
        for j, cap in enumerate(caps):
            sx = s_x_all[:, j * n:(j + 1) * n].T  # (n, doses)
            per_seed = [[None if v < 0 else int(v) for v in row] for row in sx]
            flags = [all(v is not None for v in row) and all(a > b for a, b in zip(row, row[1:])) for row in per_seed]
            slopes = [float(np.polyfit(np.log(DOSES), np.log(row), 1)[0]) if all(v is not None for v in row)
                      else None for row in per_seed]
            v, nums, text = decide_effect([-x for x in slopes if x is not None], min_effect=0.0,
                                          what=f"decrease -d log s_x / d log T_a (cap {cap})")
            rows[f"cap={cap}"] = {"steps to y0 per seed (T_a = 100, 300, 1000)": per_seed,
                                  "log-log slope per seed (negative = the paper's direction)":
                                      [r4(x) for x in slopes],
                                  "seeds not returning within T_t (left out)": sum(x is None for x in slopes),
                                  "spec count: seeds strictly decreasing": f"{sum(flags)}/{n}",
                                  "decrease (-slope)": nums | {"verdict": v.value}}
            for i in range(n):
                series.append(Series(f"cap {cap}, seed {seeds[i]}", list(DOSES),
                                     [float("nan") if x is None else float(x) for x in per_seed[i]]))
            if cap == caps[-1]:
                fam_verdicts[fam] = v
                decisions[fam] = (v, text)
        measured[fam] = rows
        figs.append(Figure(f"{fam}: perturbation steps to return to y0 vs alignment steps", "T_a",
                           "steps to y0", tuple(series), logx=True, logy=True))
    measured["decision per family"] = {f: v.value for f, v in fam_verdicts.items()}
    measured["cpu seconds of the batches (compilation included)"] = round(cpu, 1)
    return Evidence(verdict=combine(fam_verdicts),
                    predicted="paper [S] Table 3: decreasing in the amount of alignment (negative log-log slope)",
                    measured=measured, tolerance="mean per-seed -slope shown > 0 at 4 se (PASS), shown < 0 at 4 se "
                    "or mean + 2 se < 0 (CONTRADICTED), per family; both families agree",
                    why="direction fixed in spec §4.2 metric 5 before any run; decision rule decide_effect "
                    "(decide_hypothesis with z thresholds 2 and 4) fixed before the runs of this round",
                    sizes={"seeds": {f: ctx.pick(quick=DOSE_SEEDS[f], full=20) for f in FAMILIES},
                           "capacities": list(caps), "T_a": DOSES, "T_t": T_T_DOSE},
                    details=_details(decisions), figures=tuple(figs))

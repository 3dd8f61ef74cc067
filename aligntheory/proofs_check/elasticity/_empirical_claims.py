"""Empirical claims of the elasticity pillar: the resistance/rebound protocol (spec §4.2, §4.3 ``rebound.*``).

Nothing here is a theorem (spec §3 E10: the exact mixture does not give the two-phase shape nor
the Table 3 direction). Each claim runs the protocol of :mod:`aligntheory.kernels.elasticity`
(``sequential_finetune``) on the spec's low-rank softmax model and, beyond the spec, on a small MLP
language model of variable width, with the criteria of spec §4.2 fixed in advance. A phenomenon
counts as reproduced in a family when its criterion holds in at least 80% of at least 5 seeds at
the family's largest capacity; the verdict is PASS when it is reproduced in both families and
INCONCLUSIVE otherwise (never FAIL, never a loosened criterion). The quick tier runs one seed and
is therefore always INCONCLUSIVE, with the measured figures.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy import stats

from aligntheory.proofs_check._registry import Context, Evidence, Figure, Series, Source, Verdict, claim

_SRC = Source(key="ji2024language", where="§5 (rebound, resistance, Tables 1 and 3), as reported in secondary "
              "summaries; protocol: spec elasticity.md §4.2")
FAMILIES = ("lowrank", "mlp")
MIN_SEEDS, FRACTION = 5, 0.8


def _seeds(ctx: Context) -> tuple[int, ...]:
    return tuple(range(ctx.pick(quick=1, full=5)))


def _caps(ctx: Context, quick=(8,)) -> tuple[int, ...]:
    return ctx.pick(quick=quick, full=(4, 8, 16, 32))


@functools.lru_cache(maxsize=1024)
def run_protocol(family: str, cap: int, base_seed: int, seed: int, pretrained: bool = True, N_p: float | None = None,
                 T_a: int = 300, T_t: int = 1500, optimizer: str = "adam", foreign: bool = False) -> dict:
    """One protocol run (cached per process so that claims share runs); returns numpy metrics and checkpoints."""
    import jax

    from aligntheory.kernels import elasticity as K

    s = 1000 * base_seed + seed
    data = K.make_protocol_data(s)
    key = jax.random.PRNGKey(s)
    if N_p is not None:
        data = K.empirical_pretraining_data(jax.random.fold_in(key, 99), data, N_p)
    sched = K.Schedule() if optimizer == "adam" else K.GD_SCHEDULE
    sched = sched._replace(T_p=1000 if pretrained else 0, T_a=T_a, T_t=T_t)
    model = K.ModelSpec(family=family, capacity=cap)
    res = K.sequential_finetune(key, model, data, sched, foreign_base=foreign)
    fit = K.two_segment_fit(res.ce_a)
    sx = K.first_crossing(res.ce_a, res.y0)
    return {"fit": fit, "s_x": sx, "y0": res.y0, "ce_a": res.ce_a, "kl_base": res.kl_base,
            "kl_foreign": res.kl_foreign, "base": res.params_base, "aligned": res.params_aligned, "w_a": data.w_a,
            "m_a": res.m_a}


def _reproduced(flags: list[bool]) -> bool:
    return len(flags) >= MIN_SEEDS and sum(flags) >= FRACTION * len(flags)


def _verdict(rep_by_family: dict[str, bool]) -> Verdict:
    return Verdict.PASS if all(rep_by_family.values()) else Verdict.INCONCLUSIVE


def _mse(values) -> dict:
    """Mean and standard error over seeds (SE is None for a single seed)."""
    v = np.asarray([x for x in values if x is not None], float)
    if v.size == 0:
        return {"mean": None, "se": None, "n": 0}
    se = float(np.std(v, ddof=1) / np.sqrt(v.size)) if v.size > 1 else None
    return {"mean": round(float(v.mean()), 4), "se": None if se is None else round(se, 4), "n": int(v.size)}


def _r(x, nd=4):
    return None if x is None else round(float(x), nd)


# ----------------------------------------------------------------------------------------------
# rebound: two phases


@claim(
    id="elasticity.rebound_two_phase",
    statement="After alignment, fine-tuning on opposite data first degrades alignment fast and then slowly, with the "
    "break at the return to the pre-training level, attributable to pre-training (empirical; spec §4.2 metric 1).",
    source=[_SRC],
    provenance="R",
    kind="empirical",
    tolerance="per seed: rho = s1/s2 >= 2, |b - s_x| <= 0.25 s_x, rho_pretrained - rho_control >= 1 at the same "
    "capacity; reproduced if in >= 80% of >= 5 seeds (full tier) at the largest capacity; PASS only if reproduced "
    "in both model families (low-rank softmax, MLP), else INCONCLUSIVE",
    rice={"R", "I"},
    stage="forward:distribution_shift",
)
def check_rebound_two_phase(ctx: Context) -> Evidence:
    seeds, caps = _seeds(ctx), _caps(ctx)
    rows, measured, rep = [], {}, {}
    figs = []
    for fam in FAMILIES:
        fam_rows = {}
        for cap in caps:
            flags, per = [], []
            for s in seeds:
                pre = run_protocol(fam, cap, ctx.seed, s, True)
                ctl = run_protocol(fam, cap, ctx.seed, s, False)
                rho, b, sx = pre["fit"]["rho"], pre["fit"]["b"], pre["s_x"]
                rho_c = ctl["fit"]["rho"]
                c1 = rho >= 2
                c2 = sx is not None and abs(b - sx) <= 0.25 * sx
                c3 = rho - rho_c >= 1
                flags.append(bool(c1 and c2 and c3))
                per.append({"seed": s, "rho": _r(rho), "b": b, "s_x": sx, "rho_control": _r(rho_c),
                            "b_control": ctl["fit"]["b"], "s_x_control": ctl["s_x"], "s1": _r(pre["fit"]["s1"], 6),
                            "s2": _r(pre["fit"]["s2"], 6), "criteria (rho>=2, break at s_x, excess>=1)": [c1, c2, c3]})
            fam_rows[f"cap={cap}"] = {"runs": per, "seeds meeting all criteria": f"{sum(flags)}/{len(flags)}",
                                      "reproduced": _reproduced(flags),
                                      "rho (mean, se)": _mse([p["rho"] for p in per]),
                                      "rho_control (mean, se)": _mse([p["rho_control"] for p in per]),
                                      "s1 (mean, se)": _mse([p["s1"] for p in per]),
                                      "s2 (mean, se)": _mse([p["s2"] for p in per])}
        measured[fam] = fam_rows
        rep[fam] = fam_rows[f"cap={caps[-1]}"]["reproduced"]
        pre = run_protocol(fam, caps[0] if len(caps) == 1 else 8, ctx.seed, 0, True)
        ctl = run_protocol(fam, caps[0] if len(caps) == 1 else 8, ctx.seed, 0, False)
        s = np.arange(pre["ce_a"].size)
        f = pre["fit"]
        y_b = np.interp(f["b"], s, pre["ce_a"])
        figs.append(Figure(
            f"{fam}: alignment loss y(s) during perturbation (capacity 8, seed 0)", "perturbation step s",
            "CE_a (nats)",
            (Series("pre-trained", s[::5].tolist(), pre["ce_a"][::5].tolist()),
             Series("control (no pre-training)", s[::5].tolist(), ctl["ce_a"][::5].tolist()),
             Series("pre-training level y0", [0, int(s[-1])], [pre["y0"], pre["y0"]]),
             Series("control base level", [0, int(s[-1])], [ctl["y0"], ctl["y0"]]),
             Series("two-segment fit (pre-trained)", [0.0, float(f["b"]), float(s[-1])],
                    [y_b - f["s1"] * f["b"], y_b, y_b + f["s2"] * (s[-1] - f["b"])]))))
        if len(caps) > 1:
            mean_pre = [np.mean([r["rho"] for r in measured[fam][f"cap={c}"]["runs"]]) for c in caps]
            mean_ctl = [np.mean([r["rho_control"] for r in measured[fam][f"cap={c}"]["runs"]]) for c in caps]
            figs.append(Figure(f"{fam}: slope ratio rho vs capacity (seed means)", "capacity", "rho = s1/s2",
                               (Series("pre-trained", list(caps), mean_pre), Series("control", list(caps), mean_ctl)),
                               logx=True))
    extras = {}
    # control (b): the exact mixture (E10) has slope ratio ((k+1+l*)/(k+1))^2 ~ 1
    from aligntheory.kernels import elasticity as K

    d0 = K.make_protocol_data(1000 * ctx.seed)
    pi = float(np.sum(np.asarray(d0.w_a)[:, None] * np.asarray(d0.P_p) * np.asarray(d0.S_a)[None, :]))
    extras["E10 mixture control (b): pi = P_p(S_a) on C_a"] = _r(pi, 6)
    extras["E10 mixture slope ratio ((k+1+l*)/(k+1))^2, l* = (1-pi)/pi"] = {
        f"k={k:g}": _r(((k + 1 + (1 - pi) / pi) / (k + 1)) ** 2) for k in (1e2, 1e3, 1e4)}
    if ctx.tier == "full":
        gd = {}
        for cap in (8, 16):
            for s in (0, 1):
                g = run_protocol("lowrank", cap, ctx.seed, s, True, optimizer="gd")
                gc = run_protocol("lowrank", cap, ctx.seed, s, False, optimizer="gd")
                gd[f"r={cap}, seed {s}"] = {"rho": _r(g["fit"]["rho"]), "b": g["fit"]["b"], "s_x": g["s_x"],
                                            "rho_control": _r(gc["fit"]["rho"])}
        extras["plain GD control (c)"] = gd
        mem = {}
        for fam in FAMILIES:
            for cap in (4, 16):
                for s in (0, 1, 2):
                    f = run_protocol(fam, cap, ctx.seed, s, True, foreign=True)
                    own = 1 - f["kl_base"].min() / f["kl_base"][0]
                    fo = 1 - f["kl_foreign"].min() / f["kl_foreign"][0]
                    mem[f"{fam} cap={cap} seed {s}"] = {"own": _r(own), "foreign": _r(fo), "own > foreign": own > fo}
        extras["metric 4 (memory of the base): relative KL reduction"] = mem
    measured["extras"] = extras
    measured["reproduced at largest capacity"] = rep
    return Evidence(
        verdict=_verdict(rep), predicted="none (empirical); paper [S]: fast-then-slow rebound towards pre-training",
        measured=measured, tolerance="rho >= 2; |b - s_x| <= 0.25 s_x; rho - rho_control >= 1; >= 80% of >= 5 seeds",
        why="criteria fixed in spec §4.2 before any run; never tuned",
        sizes={"seeds": len(seeds), "capacities": list(caps), "C": 32, "V": 256, "T_p": 1000, "T_a": 300, "T_t": 1500},
        details="INCONCLUSIVE means not reproduced under the fixed criteria (or too few seeds in the quick tier); "
        "see the per-seed figures.", figures=tuple(figs))


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
    "with pre-training volume (rho increasing in the number N_p of pre-training samples) (empirical).",
    source=[_SRC],
    provenance="R",
    kind="empirical",
    tolerance="per seed Spearman >= 0.8 over capacities {4, 8, 16, 32} and over N_p in {1e3, 1e4, 1e5, 1e6} "
    "(capacity 16); reproduced if in >= 80% of >= 5 seeds; PASS only if both are reproduced in both families",
    rice={"R", "I"},
    stage="forward:distribution_shift",
)
def check_rebound_size_and_volume(ctx: Context) -> Evidence:
    seeds = _seeds(ctx)
    caps = (4, 8, 16, 32)
    vols = (1e3, 1e4, 1e5, 1e6)
    fams = ctx.pick(quick=("lowrank",), full=FAMILIES)
    measured, rep, figs = {}, {}, []
    for fam in fams:
        size_rho, vol_rho, ex, vx = [], [], [], []
        for s in seeds:
            excess = [run_protocol(fam, c, ctx.seed, s, True)["fit"]["rho"]
                      - run_protocol(fam, c, ctx.seed, s, False)["fit"]["rho"] for c in caps]
            rv = [run_protocol(fam, 16, ctx.seed, s, True, N_p=v)["fit"]["rho"] for v in vols]
            size_rho.append(_spearman(caps, excess))
            vol_rho.append(_spearman(vols, rv))
            ex.append([_r(e) for e in excess])
            vx.append([_r(e) for e in rv])
        rs, rv_ = _reproduced([r >= 0.8 for r in size_rho]), _reproduced([r >= 0.8 for r in vol_rho])
        measured[fam] = {"rho - rho_control per seed (caps 4, 8, 16, 32)": ex,
                         "rho - rho_control (mean, se) per cap": {str(c): _mse([e[i] for e in ex])
                                                                  for i, c in enumerate(caps)},
                         "rho (mean, se) per N_p": {f"{v:g}": _mse([e[i] for e in vx])
                                                    for i, v in enumerate(vols)},
                         "Spearman (size) per seed": size_rho,
                         "size reproduced": rs, "rho per seed (N_p = 1e3..1e6)": vx,
                         "Spearman (volume) per seed": vol_rho, "volume reproduced": rv_}
        rep[fam] = rs and rv_
        figs.append(Figure(f"{fam}: excess slope ratio vs capacity", "capacity", "rho_pretrained - rho_control",
                           tuple(Series(f"seed {s}", list(caps), [float(v) for v in ex[i]])
                                 for i, s in enumerate(seeds)),
                           logx=True))
        figs.append(Figure(f"{fam}: slope ratio vs pre-training samples (capacity 16)", "N_p", "rho",
                           tuple(Series(f"seed {s}", list(vols), [float(v) for v in vx[i]])
                                 for i, s in enumerate(seeds)),
                           logx=True))
    if len(fams) < len(FAMILIES):
        rep["mlp"] = False
        measured["mlp"] = "full tier only (quick-tier budget)"
    return Evidence(verdict=_verdict(rep), predicted="none (empirical); paper [S]: elasticity grows with size and data",
                    measured=measured, tolerance="Spearman >= 0.8 in >= 80% of >= 5 seeds",
                    why="criteria fixed in spec §4.2", sizes={"seeds": len(seeds), "capacities": caps, "N_p": vols},
                    figures=tuple(figs))


# ----------------------------------------------------------------------------------------------
# resistance


@claim(
    id="elasticity.rebound_resistance",
    statement="Inverse alignment is easier than forward alignment: distilling the aligned model back to its base takes "
    "fewer steps than distilling the base to the aligned model, beyond the entropy geometry seen without "
    "pre-training (empirical; spec §4.2 metric 3).",
    source=[_SRC],
    provenance="R",
    kind="empirical",
    tolerance="per seed: forward/inverse step ratio > 1 and > the no-pre-training control's ratio; reproduced if in "
    ">= 80% of >= 5 seeds at the largest capacity; PASS only if reproduced in both families",
    rice={"R", "I"},
    stage="backward:assurance",
)
def check_rebound_resistance(ctx: Context) -> Evidence:
    from aligntheory.kernels import elasticity as K

    seeds, caps = _seeds(ctx), _caps(ctx)
    measured, rep, figs = {}, {}, []
    for fam in FAMILIES:
        rows = {}
        means_p, means_c = [], []
        for cap in caps:
            flags, per = [], []
            for s in seeds:
                ratios = {}
                for label, pre in (("pretrained", True), ("control", False)):
                    r = run_protocol(fam, cap, ctx.seed, s, pre)
                    fwd = K.distill_steps(r["base"], r["aligned"], r["w_a"])[0]
                    inv = K.distill_steps(r["aligned"], r["base"], r["w_a"])[0]
                    ratios[label] = (fwd, inv, fwd / max(inv, 1))
                rp, rc = ratios["pretrained"][2], ratios["control"][2]
                flags.append(bool(rp > 1 and rp > rc))
                per.append({"seed": s, "forward/inverse steps (pretrained)": ratios["pretrained"][:2],
                            "ratio": _r(rp), "control steps": ratios["control"][:2], "control ratio": _r(rc)})
            rows[f"cap={cap}"] = {"runs": per, "seeds meeting criteria": f"{sum(flags)}/{len(flags)}",
                                  "reproduced": _reproduced(flags), "ratio (mean, se)": _mse([p["ratio"] for p in per]),
                                  "control ratio (mean, se)": _mse([p["control ratio"] for p in per])}
            means_p.append(float(np.mean([p["ratio"] for p in per])))
            means_c.append(float(np.mean([p["control ratio"] for p in per])))
        measured[fam] = rows
        rep[fam] = rows[f"cap={caps[-1]}"]["reproduced"]
        figs.append(Figure(f"{fam}: forward/inverse distillation step ratio vs capacity", "capacity", "ratio",
                           (Series("pre-trained", list(caps), means_p, "line" if len(caps) > 1 else "scatter"),
                            Series("control (no pre-training)", list(caps), means_c,
                                   "line" if len(caps) > 1 else "scatter"),
                            Series("no resistance (ratio 1)", [min(caps), max(caps)], [1.0, 1.0])), logx=len(caps) > 1))
    measured["reproduced at largest capacity"] = rep
    return Evidence(verdict=_verdict(rep), predicted="none (empirical); paper [S] Table 1: inverse < forward loss",
                    measured=measured, tolerance="ratio > 1 and > control in >= 80% of >= 5 seeds",
                    why="criteria fixed in spec §4.2", sizes={"seeds": len(seeds), "capacities": list(caps),
                                                              "distillation": "Adam lr 3e-3 to 10% of initial KL"},
                    figures=tuple(figs))


# ----------------------------------------------------------------------------------------------
# dose response


@claim(
    id="elasticity.rebound_dose_response",
    statement="Table 3 analogue: the perturbation steps needed to return the alignment loss to the pre-training level "
    "decrease with the amount of alignment training T_a (empirical; spec §4.2 metric 5). The exact mixture predicts "
    "the opposite (E10: N_t* = N_a (1 - pi)/pi grows with N_a).",
    source=[_SRC],
    provenance="R",
    kind="empirical",
    tolerance="per seed: s_x strictly decreasing over T_a in {100, 300, 1000} (T_t = 3000 so that s_x is reached); "
    "reproduced if in >= 80% of >= 5 seeds at the largest capacity; PASS only if reproduced in both families",
    rice={"R", "I"},
    stage="forward:distribution_shift",
)
def check_rebound_dose_response(ctx: Context) -> Evidence:
    seeds = _seeds(ctx)
    caps = ctx.pick(quick=(8,), full=(4, 16))
    doses = (100, 300, 1000)
    measured, rep, figs = {}, {}, []
    for fam in FAMILIES:
        rows = {}
        series = []
        for cap in caps:
            flags, per = [], []
            for s in seeds:
                sx = [run_protocol(fam, cap, ctx.seed, s, True, T_a=ta, T_t=3000)["s_x"] for ta in doses]
                val = [math.inf if v is None else v for v in sx]
                flags.append(bool(all(a > b for a, b in zip(val, val[1:]))))
                per.append({"seed": s, "steps to y0 (T_a = 100, 300, 1000)": sx})
                series.append(Series(f"cap {cap}, seed {s}", list(doses),
                                     [float("nan") if v is None else float(v) for v in sx]))
            rows[f"cap={cap}"] = {"runs": per, "seeds decreasing": f"{sum(flags)}/{len(flags)}",
                                  "reproduced": _reproduced(flags),
                                  "steps to y0 (mean, se) per T_a": {
                                      str(ta): _mse([p["steps to y0 (T_a = 100, 300, 1000)"][i] for p in per])
                                      for i, ta in enumerate(doses)}}
        measured[fam] = rows
        rep[fam] = rows[f"cap={caps[-1]}"]["reproduced"]
        figs.append(Figure(f"{fam}: perturbation steps to return to y0 vs alignment steps", "T_a",
                           "steps to y0", tuple(series), logx=True))
    measured["reproduced at largest capacity"] = rep
    return Evidence(verdict=_verdict(rep), predicted="none (empirical); paper [S] Table 3: decreasing",
                    measured=measured, tolerance="strictly decreasing in >= 80% of >= 5 seeds",
                    why="criterion fixed in spec §4.2", sizes={"seeds": len(seeds), "capacities": list(caps),
                                                               "T_a": doses, "T_t": 3000}, figures=tuple(figs))


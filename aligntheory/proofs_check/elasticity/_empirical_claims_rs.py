"""Empirical claims of the elasticity pillar, second part: resistance (spec §4.2 metric 3) and growth of
the rebound with model size and pre-training volume (metric 1 over capacities and ``N_p``).

Decision rules as in :mod:`._empirical_claims` (module docstring): ``rebound_resistance`` by
:func:`~._decide.decide_effect`, ``rebound_size_and_volume`` by the spec's per-seed criterion and
:func:`~._decide.decide_rate`.
"""

from __future__ import annotations

import numpy as np

from aligntheory.proofs_check._registry import Context, Evidence, Figure, Series, Verdict, claim
from aligntheory.proofs_check.elasticity._decide import combine_every, decide_effect, decide_rate, power_figures
from aligntheory.proofs_check.elasticity._empirical_claims import _SRC, _details, _spearman
from aligntheory.proofs_check.elasticity._protocol import FAMILIES, mean_se, protocol_runs, protocol_seeds

__all__ = ["RESISTANCE_MIN", "RESISTANCE_SEEDS", "SIZE_CAPS", "VOLUMES"]

# ----------------------------------------------------------------------------------------------
# resistance

RESISTANCE_MIN = 0.0
"""Smallest ratio difference that counts: none. The spec's criterion is strict ("forward/inverse
> 1, and larger than in the control"), so any positive mean shown at 4 se counts, and only a mean
shown below zero, or bounded below zero at 2 se, contradicts."""

RESISTANCE_SEEDS = {"lowrank": (10, 64), "mlp": (10, 200)}
"""Seeds per family (quick, full). At the quick tier the low-rank parts are decided (ratio - 1 at >= 37
se, beyond the control at >= 19 se from zero, seeds 0-19) and so is the MLP "ratio > 1" part
(>= 15 se); the MLP excess over the no-pre-training control is small against its spread: pooled
over the 200 quick-tier seeds of seeds 0-19 it is 0.041 (per-seed sd 0.090, 6.4 se from zero), so
about (6 x 0.090 / 0.041)^2 = 170 seeds put it 6 se from zero: the full tier runs 200, and the quick
tier reports it as INCONCLUSIVE with the number of seeds that would decide (48 seeds cost ~40 CPU s
and still did not decide)."""


@claim(
    id="elasticity.rebound_resistance",
    statement="Inverse alignment is easier than forward alignment: distilling the aligned model back to its base takes "
    "fewer steps than distilling the base to the aligned model, beyond the entropy geometry seen without "
    "pre-training, in both model families of the protocol (empirical hypothesis about Ji et al. §5, Table 1; "
    "protocol spec §4.2 metric 3).",
    source=[_SRC],
    provenance="R",
    kind="empirical",
    tolerance="per seed: forward/inverse step ratio r and the no-pre-training control's ratio r_c at the largest "
    "capacity (32); seeds per family 10 (quick) and low-rank 64, MLP 200 (full; a power calculation, see "
    "RESISTANCE_SEEDS), pre-trained and control each one vmapped batch, distillations batched; per family two parts "
    "decided by decide_effect on the per-seed r - 1 and r - r_c (PASS: mean >= 4 se above 0; CONTRADICTED: mean + 2 "
    "se < 0 or >= 4 se below 0; the spec's criterion is strict, so no minimum effect); PASS needs both parts in both "
    "families, CONTRADICTED either part in either family",
    rice={"R", "I"},
    stage="backward:assurance",
)
def check_rebound_resistance(ctx: Context) -> Evidence:
    from aligntheory.kernels import elasticity as K

    caps = ctx.pick(quick=(32,), full=(4, 8, 16, 32))
    measured, decisions, fam_verdicts, figs, cpu = {}, {}, {}, [], 0.0
    for fam in FAMILIES:
        n = ctx.pick(quick=RESISTANCE_SEEDS[fam][0], full=RESISTANCE_SEEDS[fam][1])
        seeds = protocol_seeds(ctx, n)
        members = tuple((s, c, 300, None) for c in caps for s in seeds)
        ratios = {}
        for label, pre in (("pretrained", True), ("control", False)):
            r = protocol_runs(fam, members, max_cap=max(caps), pretrained=pre, T_t=1)
            fwd = K.distill_steps_batched(r.base, r.aligned, r.w_a)
            inv = K.distill_steps_batched(r.aligned, r.base, r.w_a)
            cpu += r.cpu_s
            ratios[label] = (fwd.steps, inv.steps, fwd.steps / np.maximum(inv.steps, 1))
        rows, means_p, means_c = {}, [], []
        for j, cap in enumerate(caps):
            sl = slice(j * n, (j + 1) * n)
            rp, rc = ratios["pretrained"][2][sl], ratios["control"][2][sl]
            flags = (rp > 1) & (rp > rc)
            rows[f"cap={cap}"] = {"forward steps": ratios["pretrained"][0][sl].tolist(),
                                  "inverse steps": ratios["pretrained"][1][sl].tolist(),
                                  "ratio per seed": np.round(rp, 4).tolist(),
                                  "control ratio per seed": np.round(rc, 4).tolist(),
                                  "spec count: seeds with ratio > 1 and > control": f"{int(flags.sum())}/{n}",
                                  "ratio (mean, se)": mean_se(rp), "control ratio (mean, se)": mean_se(rc)}
            means_p.append(float(np.mean(rp)))
            means_c.append(float(np.mean(rc)))
            if cap == caps[-1]:
                above = decide_effect(rp - 1.0, min_effect=RESISTANCE_MIN, what="ratio - 1")
                beyond = decide_effect(rp - rc, min_effect=RESISTANCE_MIN, what="ratio - control ratio")
                rows[f"cap={cap}"]["ratio - 1"] = above[1] | {"verdict": above[0].value}
                rows[f"cap={cap}"]["ratio - control ratio"] = beyond[1] | {"verdict": beyond[0].value}
                fam_verdicts[fam] = combine_every({"above 1": above[0], "beyond control": beyond[0]})
                decisions[f"{fam} ratio > 1"] = (above[0], above[2])
                decisions[f"{fam} beyond control"] = (beyond[0], beyond[2])
        measured[fam] = rows
        if fam == "lowrank":
            guard = _per_seed_guard(fam, seeds[0], caps[0], ratios["pretrained"][0][0], ratios["pretrained"][1][0])
        style = "line" if len(caps) > 1 else "scatter"
        figs.append(Figure(f"{fam}: forward/inverse distillation step ratio vs capacity", "capacity", "ratio",
                           (Series("pre-trained", list(caps), means_p, style),
                            Series("control (no pre-training)", list(caps), means_c, style),
                            Series("no resistance (ratio 1)", [min(caps), max(caps)], [1.0, 1.0])),
                           logx=len(caps) > 1))
    measured["decision per family (largest capacity)"] = {f: v.value for f, v in fam_verdicts.items()}
    measured["cpu seconds of the protocol batches (compilation included; distillation not counted)"] = round(cpu, 1)
    measured["guard: first low-rank seed by the unbatched sequential_finetune and distill_steps"] = guard
    verdict = combine_every(fam_verdicts) if guard["equal"] else Verdict.FAIL  # a pipeline bug, not evidence
    return Evidence(verdict=verdict,
                    predicted="paper [S] Table 1: inverse fine-tuning reaches lower loss than forward",
                    measured=measured, tolerance="ratio - 1 and ratio - control shown > 0 at 4 se in both families",
                    why="criteria fixed in spec §4.2 (strict inequalities: no minimum effect); decision rule "
                    "decide_effect; seeds from a power calculation (RESISTANCE_SEEDS)",
                    sizes={"seeds": {f: ctx.pick(quick=RESISTANCE_SEEDS[f][0], full=RESISTANCE_SEEDS[f][1]) for f in FAMILIES},
                           "capacities": list(caps), "distillation": "Adam lr 3e-3 to 10% of initial KL"},
                    details=_details(decisions), figures=tuple(figs))


def _per_seed_guard(family: str, seed: int, cap: int, fwd_batched: int, inv_batched: int) -> dict:
    """Member (seed, cap) recomputed by the unbatched kernels: the distillation step counts must agree."""
    import jax

    from aligntheory.kernels import elasticity as K

    r = K.sequential_finetune(jax.random.PRNGKey(seed), K.ModelSpec(family=family, capacity=cap),
                              K.make_protocol_data(seed), K.Schedule(T_t=1))
    w_a = K.make_protocol_data(seed).w_a
    fwd = K.distill_steps(r.params_base, r.params_aligned, w_a).steps
    inv = K.distill_steps(r.params_aligned, r.params_base, w_a).steps
    return {"forward (unbatched, batched)": (fwd, int(fwd_batched)), "inverse (unbatched, batched)": (inv, int(inv_batched)),
            # one step of slack: a float64 reordering under vmap can move a threshold crossing by one step
            "equal": bool(abs(fwd - int(fwd_batched)) <= 1 and abs(inv - int(inv_batched)) <= 1)}


# ----------------------------------------------------------------------------------------------
# size and volume

SIZE_CAPS = (4, 8, 16, 32)
VOLUMES = (1e3, 1e4, 1e5, 1e6)


def _rate_part(values, n: int, what: str) -> tuple[Verdict, dict, str]:
    met = sum(v >= 0.8 for v in values)
    v, text = decide_rate(met, n)
    return v, {"Spearman per seed": values, "seeds with Spearman >= 0.8": f"{met}/{n}", "verdict": v.value,
               "power": power_figures(n)}, f"{what}: {text}"


@claim(
    id="elasticity.rebound_size_and_volume",
    statement="The rebound contrast grows with model size (rho_pretrained - rho_control increasing in capacity) and "
    "with pre-training volume (rho increasing in the number N_p of pre-training samples) (empirical hypothesis "
    "about Ji et al. §5).",
    source=[_SRC],
    provenance="R",
    kind="empirical",
    tolerance="the spec's per-seed criterion: Spearman coefficient >= 0.8 over capacities {4, 8, 16, 32} (of rho - "
    "rho_control) and over N_p in {1e3, 1e4, 1e5, 1e6} (of rho, capacity 16); quick: low-rank family, 5 seeds for "
    "size, 20 for volume; full: both families, 40 and 40 (pooled over seeds 0-19 the quick-tier size rate is 63/100, "
    "too close to 0.8 for 5 seeds to decide); every capacity (zero-padded) or volume and seed in one "
    "vmapped batch; each part decided by the exact binomial rule (PASS: >= 80% of >= 5 seeds; CONTRADICTED: the 95% "
    "Clopper-Pearson interval of the rate lies below 0.8); PASS needs both parts, CONTRADICTED either",
    rice={"R", "I"},
    stage="forward:distribution_shift",
)
def check_rebound_size_and_volume(ctx: Context) -> Evidence:
    n_size = ctx.pick(quick=5, full=40)
    n_vol = ctx.pick(quick=20, full=40)
    fams = ctx.pick(quick=("lowrank",), full=FAMILIES)
    s_size, s_vol = protocol_seeds(ctx, n_size), protocol_seeds(ctx, n_vol)
    size_members = tuple((s, c, 300, None) for c in SIZE_CAPS for s in s_size)
    vol_members = tuple((s, 16, 300, v) for v in VOLUMES for s in s_vol)
    measured, decisions, fam_verdicts, figs, cpu = {}, {}, {}, [], 0.0
    for fam in fams:
        pre = protocol_runs(fam, size_members, max_cap=max(SIZE_CAPS))
        ctl = protocol_runs(fam, size_members, max_cap=max(SIZE_CAPS), pretrained=False)
        vol = protocol_runs(fam, vol_members, max_cap=16)
        cpu += pre.cpu_s + ctl.cpu_s + vol.cpu_s
        excess = (pre.fit.rho - ctl.fit.rho).reshape(len(SIZE_CAPS), n_size).T  # (seeds, caps)
        rv = np.asarray(vol.fit.rho).reshape(len(VOLUMES), n_vol).T  # (seeds, volumes)
        size_rho = [_spearman(SIZE_CAPS, excess[b]) for b in range(n_size)]
        vol_rho = [_spearman(VOLUMES, rv[b]) for b in range(n_vol)]
        d_size = _rate_part(size_rho, n_size, "size")
        d_vol = _rate_part(vol_rho, n_vol, "volume")
        fam_verdicts[fam] = combine_every({"size": d_size[0], "volume": d_vol[0]})
        decisions[f"{fam} size"], decisions[f"{fam} volume"] = (d_size[0], d_size[2]), (d_vol[0], d_vol[2])
        measured[fam] = {"rho - rho_control per seed (caps 4, 8, 16, 32)": np.round(excess, 4).tolist(),
                         "size": d_size[1], "mean Spearman (size)": mean_se(size_rho),
                         "rho per seed (N_p = 1e3..1e6)": np.round(rv, 4).tolist(),
                         "volume": d_vol[1], "mean Spearman (volume)": mean_se(vol_rho)}
        figs.append(Figure(f"{fam}: excess slope ratio vs capacity", "capacity", "rho_pretrained - rho_control",
                           tuple(Series(f"seed {s_size[b]}", list(SIZE_CAPS), excess[b].tolist())
                                 for b in range(n_size)), logx=True))
        figs.append(Figure(f"{fam}: slope ratio vs pre-training samples (capacity 16)", "N_p", "rho",
                           (Series("mean over seeds", list(VOLUMES), rv.mean(axis=0).tolist()),
                            *(Series(f"seed {s_vol[b]}", list(VOLUMES), rv[b].tolist(), "scatter")
                              for b in range(n_vol))), logx=True))
    if len(fams) < len(FAMILIES):
        measured["mlp"] = "full tier only (quick-tier budget)"
    measured["cpu seconds of the batches (compilation included)"] = round(cpu, 1)
    return Evidence(verdict=combine_every(fam_verdicts),
                    predicted="paper [S]: elasticity grows with model size and pre-training volume",
                    measured=measured, tolerance="per-seed Spearman >= 0.8 in >= 80% of >= 5 seeds (PASS) or the "
                    "rate's 95% interval below 0.8 (CONTRADICTED), both parts",
                    why="criterion fixed in spec §4.2 before any run; exact binomial decision with stated power",
                    sizes={"seeds (size, volume)": (n_size, n_vol), "capacities": SIZE_CAPS, "N_p": VOLUMES,
                           "families": list(fams), "T_t": 1500},
                    details=_details(decisions), figures=tuple(figs))

"""Arena leaderboard benchmarks (issue 13): ``leaderboard`` against today's public recipe, same input, same run.

The recipe, implemented here from its public description (no code copied): aggregate the battles
into distinct ``(model_a, model_b, outcome)`` triples; ties count as half a win each way; minimise
the weighted logistic loss with ``scipy.optimize.minimize(method="L-BFGS-B", maxiter=100,
gtol=1e-6)``; ratings ``400/ln 10 * s + 1000``; 95 % intervals from a multinomial bootstrap of the
triples, one L-BFGS-B fit per round, rounds spread over a process pool of all cores.

Ours: :func:`aligntheory.analysis.arena.leaderboard` (exact MLE to relative gradient 1e-9, all
bootstrap rounds fitted as one batched Newton).

Agreement is checked first in the same run: our point ratings against an independent exact MLE
(``fit_bradley_terry`` with ties as half-weight rows, gradient 1e-10) within 1e-4 Elo; the recipe's
point ratings against ours within its own accuracy (reported); interval half-widths compared by the
mean log-ratio over models with a z-score (statistically indistinguishable: |z| <= 3).

Sizes: ``--quick`` 20,000 battles / 20 models / 20 rounds; full: 1,000,000 / 150 / 100 (target
>= 100x) and the scale case 10,000,000 / 500 / 1,000 for ours alone (target < 60 s on 2 cores).
The recipe case runs both sides interleaved ``repeat`` times (default 3) after a small warm-up
of ours (lazy imports) and reports medians, spreads and a stage breakdown; the scale case is timed
once.
"""

from __future__ import annotations

import math
import os
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from benchmarks._harness import Harness, Record

ELO = 400.0 / math.log(10.0)


def make_battles(rng: np.random.Generator, n_models: int, n_battles: int, tie_rate: float = 0.15):
    """Synthetic battles (a pandas DataFrame with categorical names): BT strengths sd 0.7, ties."""
    import pandas as pd

    s = rng.normal(scale=0.7, size=n_models)
    a = rng.integers(0, n_models, n_battles)
    b = (a + rng.integers(1, n_models, n_battles)) % n_models
    p = 1.0 / (1.0 + np.exp(-(s[a] - s[b])))
    u = rng.random(n_battles)
    w = np.where(u < tie_rate, 2, np.where(rng.random(n_battles) < p, 0, 1)).astype(np.int8)
    names = np.array([f"model-{i:03d}" for i in range(n_models)], dtype=object)
    labels = np.array(["model_a", "model_b", "tie"], dtype=object)
    df = pd.DataFrame({"model_a": pd.Categorical.from_codes(a, names), "model_b": pd.Categorical.from_codes(b, names),
                       "winner": pd.Categorical.from_codes(w, labels)})
    return df, (a, b, w)


# ----------------------------------------------------------------------------------------------
# the public recipe, from its description


def _recipe_triples(a, b, w, n):
    key = (a.astype(np.int64) * n + b) * 3 + w
    uk, cnt = np.unique(key, return_counts=True)
    return (uk // 3) // n, (uk // 3) % n, uk % 3, cnt.astype(np.float64)


def _recipe_fit(args):
    """One L-BFGS-B fit of the half-tie logistic loss on weighted triples (maxiter 100, gtol 1e-6)."""
    from scipy.optimize import minimize
    from scipy.special import expit, log_expit

    ta, tb, to, wts, n = args
    # ties: half a win each way -> targets 1, 0, 0.5 with the triple's weight
    y = np.where(to == 0, 1.0, np.where(to == 1, 0.0, 0.5))
    total = wts.sum()

    def f(theta):
        d = theta[ta] - theta[tb]
        loss = -np.sum(wts * (y * log_expit(d) + (1 - y) * log_expit(-d))) / total
        g = wts * (expit(d) - y) / total
        grad = np.bincount(ta, g, n) - np.bincount(tb, g, n)
        return loss, grad

    r = minimize(f, np.zeros(n), jac=True, method="L-BFGS-B", options={"maxiter": 100, "gtol": 1e-6})
    th = r.x - r.x.mean()
    return ELO * th + 1000.0


def recipe(a, b, w, n, n_bootstrap, seed=0, workers=None):
    ta, tb, to, cnt = _recipe_triples(a, b, w, n)
    point = _recipe_fit((ta, tb, to, cnt, n))
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(int(cnt.sum()), cnt / cnt.sum(), size=n_bootstrap).astype(np.float64)
    tasks = [(ta, tb, to, d, n) for d in draws]
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as ex:
        boot = np.array(list(ex.map(_recipe_fit, tasks)))
    lo, hi = np.quantile(boot, 0.025, axis=0), np.quantile(boot, 0.975, axis=0)
    return point, boot, lo, hi


# ----------------------------------------------------------------------------------------------


def _exact_mle(a, b, w, n):
    """Independent exact MLE: the library's Bradley-Terry fitter on half-weight rows."""
    from aligntheory.kernels.ibn import fit_bradley_terry

    dec = w != 2
    win = np.where(w == 0, a, b)
    lose = np.where(w == 0, b, a)
    rows = np.concatenate([np.stack([win[dec], lose[dec]], 1), np.stack([a[~dec], b[~dec]], 1),
                           np.stack([b[~dec], a[~dec]], 1)])
    wts = np.concatenate([np.ones(dec.sum()), np.full(2 * (~dec).sum(), 0.5)])
    fit = fit_bradley_terry(n, rows, counts=wts, method="newton", tol=1e-10, stderr="none")
    return ELO * np.asarray(fit.scores) + 1000.0


def _stages(fn) -> dict:
    """Run ``fn`` once with the bootstrap's stages timed (sampling, chord fits, Newton fits); the rest
    (ingest, aggregation, existence checks, point fit, intervals) is reported as ``other``."""
    from aligntheory.analysis import _arena_fit as F

    acc = {"sample": 0.0, "chord": 0.0, "newton": 0.0}
    saved = {k: getattr(F, k) for k in ("multinomial_rounds", "bt_rounds_chord", "newton_batched")}

    def wrap(name, f):
        def g(*a, **k):
            t = time.perf_counter()
            out = f(*a, **k)
            acc[name] += time.perf_counter() - t
            return out
        return g

    F.multinomial_rounds = wrap("sample", saved["multinomial_rounds"])
    F.bt_rounds_chord = wrap("chord", saved["bt_rounds_chord"])
    F.newton_batched = wrap("newton", saved["newton_batched"])
    try:
        t0 = time.perf_counter()
        fn()
        total = time.perf_counter() - t0
    finally:
        for k, f in saved.items():
            setattr(F, k, f)
    acc = {k: round(v, 4) for k, v in acc.items()}
    acc["other"] = round(total - sum(acc.values()), 4)
    acc["total"] = round(total, 4)
    return acc


def bench_recipe(h: Harness, n_models: int, n_battles: int, n_bootstrap: int, target_ratio: float | None,
                 repeat: int = 3) -> None:
    from aligntheory.analysis.arena import leaderboard

    rng = np.random.default_rng(13)
    df, (a, b, w) = make_battles(rng, n_models, n_battles)
    names = [f"model-{i:03d}" for i in range(n_models)]
    small, _ = make_battles(np.random.default_rng(0), 5, 2000)
    leaderboard(small, n_bootstrap=2)  # warm-up: lazy imports, not the timed work
    t_ours, t_recipe = [], []
    for _ in range(max(1, repeat)):  # interleaved: both sides see the same machine load
        t0 = time.perf_counter()
        lb = leaderboard(df, n_bootstrap=n_bootstrap, seed=1)
        t_ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        r_point, r_boot, r_lo, r_hi = recipe(a, b, w, n_models, n_bootstrap, seed=2)
        t_recipe.append(time.perf_counter() - t0)
    stages = _stages(lambda: leaderboard(df, n_bootstrap=n_bootstrap, seed=1))
    ours = np.array([lb.rating[lb.index(m)] for m in names])
    o_hw = np.array([(lb.ci_high - lb.ci_low)[lb.index(m)] / 2 for m in names])
    exact = _exact_mle(a, b, w, n_models)
    err_exact = float(np.max(np.abs(ours - exact)))
    err_recipe = float(np.max(np.abs(r_point - exact)))
    lr = np.log(o_hw / ((r_hi - r_lo) / 2))
    z = float(lr.mean() / (lr.std(ddof=1) / math.sqrt(n_models)))
    agreement = {"ours_vs_exact_elo": err_exact, "ours_within_1e-4_elo": err_exact <= 1e-4,
                 "recipe_vs_exact_elo": err_recipe, "halfwidth_ratio_mean": float(np.exp(lr.mean())),
                 "halfwidth_z": z, "halfwidths_indistinguishable": abs(z) <= 3.0,
                 "ours_relative_gradient": lb.relative_gradient}
    if not agreement["ours_within_1e-4_elo"]:
        raise AssertionError(f"arena benchmark: our ratings differ from the exact MLE by {err_exact} Elo")
    med_o, med_r = float(np.median(t_ours)), float(np.median(t_recipe))
    pair = [r / o for r, o in zip(t_recipe, t_ours)]
    ratio = med_r / med_o
    met = None if target_ratio is None else bool(ratio >= target_ratio)
    if target_ratio:
        # what the target leaves: the whole of ours must fit in recipe / target; the exact multinomial
        # bootstrap draws alone (K categories per round, K = distinct triples) are measured against it
        budget = med_r / target_ratio
        agreement["budget_at_target_s"] = budget
        agreement["sampling_over_budget"] = stages["sample"] / budget
    notes = (f"{len(t_ours)} interleaved repeats: ours median {med_o:.4g}s [{min(t_ours):.4g}, {max(t_ours):.4g}], "
             f"recipe median {med_r:.4g}s [{min(t_recipe):.4g}, {max(t_recipe):.4g}], per-repeat ratios "
             f"[{min(pair):.1f}x, {max(pair):.1f}x]; stages of one run of ours (s): {stages}")
    rec = Record(h.pillar, "leaderboard with bootstrap vs public recipe", {"battles": n_battles, "models": n_models,
                 "rounds": n_bootstrap, "workers": os.cpu_count()},
                 "analysis.arena.leaderboard (chord/batched Newton)", "recipe: L-BFGS-B per round, process pool",
                 med_o, med_r, ratio, agreement, f">= {target_ratio}x" if target_ratio else "", met, notes,
                 extra={"ours_seconds_all": t_ours, "recipe_seconds_all": t_recipe, "stages": stages})
    h.add(rec)
    print(f"[{h.pillar}] recipe {n_battles}/{n_models}/{n_bootstrap}: ours {med_o:.3f}s recipe {med_r:.3f}s "
          f"ratio {ratio:.1f}x ({notes}) {agreement}", flush=True)


def bench_scale(h: Harness, n_models: int, n_battles: int, n_bootstrap: int) -> None:
    from aligntheory.analysis.arena import leaderboard

    rng = np.random.default_rng(17)
    df, _ = make_battles(rng, n_models, n_battles)
    box = {}
    stages = _stages(lambda: box.setdefault("lb", leaderboard(df, n_bootstrap=n_bootstrap, seed=3)))
    lb, t = box["lb"], stages["total"]
    agreement = {"relative_gradient": lb.relative_gradient, "rounds": int(lb.bootstrap.shape[0]),
                 "failed_rounds": lb.n_bootstrap_failed}
    rec = Record(h.pillar, "leaderboard at scale (ours alone)", {"battles": n_battles, "models": n_models,
                 "rounds": n_bootstrap}, "analysis.arena.leaderboard", "", t, None, None, agreement,
                 "< 60 s on 2 CPU cores", bool(t < 60.0), f"timed once; stages (s): {stages}", extra={"stages": stages})
    h.add(rec)
    print(f"[{h.pillar}] scale {n_battles}/{n_models}/{n_bootstrap}: ours {t:.2f}s {agreement} stages {stages}",
          flush=True)


def run(h: Harness) -> None:
    if h.quick:
        bench_recipe(h, 20, 20_000, 20, None)
        bench_scale(h, 50, 200_000, 50)
    else:
        bench_recipe(h, 150, 1_000_000, 100, 100.0)
        bench_scale(h, 500, 10_000_000, 1000)

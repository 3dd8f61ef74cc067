"""Decidable claims about chain vs tree datasets in our reference universe (issue 16).

* ``ibn.tree_beats_chain_beyond_crossover`` -- the paper's direction [V headline] as a hypothesis
  about our universe: there is a budget :math:`n^*` in the range reached from which the tree's
  mean exact inference distance is smaller than the chain's.
* ``ibn.chain_tree_ratio_growth`` -- beyond :math:`n^*`, the ratio chain/tree grows like
  :math:`\\ln n/\\ln\\ln n` (bounded quotient with fixed constants, no drift).

Both measure with :func:`aligntheory.analysis.chain_tree.chain_tree_sweep` (the public function
the claims are about) and share one sweep per (seed, tier). Reconstruction; the full text of Qiu
et al. (arXiv 2402.10184) was not available to us: the universe, the dataset procedures and the
evaluation law are ours.
"""

from __future__ import annotations

import logging
import math
import time

import numpy as np

from aligntheory.proofs_check._helpers import bounded_quotient, decide_hypothesis, decide_within, predicted_vs_measured
from aligntheory.proofs_check._registry import Context, Evidence, Figure, Series, Source, Verdict, claim

_SRC = Source(key="qiu2024reward", where="abstract [V] (tree up to Theta(log n/log log n) better); universe ours [R]")

CT_SIZES = {"quick": [2**8, 2**10, 2**12], "full": [2**k for k in range(8, 19, 2)]}
CT_SEEDS = {"quick": 3, "full": 4}  # 8 tried at verify seed 2: z at 2^18 only -3.19 -> -3.62 (pairs dominate the SE)
CT_EVAL_PAIRS = 16
CT_Z_PASS, CT_Z_CONTRADICT = 2.0, 4.0
CT_MIN_EFFECT = math.log(1.1)  # a 10% advantage of the chain at the largest size counts as a contradiction
CT_Q_BOUNDS = (0.05, 20.0)
CT_MAX_DRIFT = 0.1

_CACHE: dict = {}
_LOG = logging.getLogger(__name__)


def _sweep(ctx: Context):
    from aligntheory.analysis.chain_tree import REFERENCE_CONFIG, chain_tree_sweep

    key = (ctx.tier, int(ctx.seed))
    if key not in _CACHE:
        _CACHE.clear()
        t0 = time.perf_counter()
        # one line per size on the module's logger (INFO): wall time per size of a full-tier run
        _CACHE[key] = chain_tree_sweep(ctx.pick(quick=CT_SIZES["quick"], full=CT_SIZES["full"]), [REFERENCE_CONFIG],
                                       seeds=ctx.pick(quick=CT_SEEDS["quick"], full=CT_SEEDS["full"]),
                                       eval_pairs=CT_EVAL_PAIRS, seed=int(ctx.seed), n_boot=1000,
                                       progress=lambda msg: _LOG.info("%8.1f s  %s", time.perf_counter() - t0, msg))
    return _CACHE[key]


def _ratio_figure(m) -> Figure:
    ns = [float(x) for x in m.n_comparisons]
    r = np.exp(m.log_ratio_exact[0])
    lo, hi = np.exp(m.ci_exact[0, :, 0]), np.exp(m.ci_exact[0, :, 1])
    return Figure(title="reference universe: chain/tree ratio of mean exact inference distance (>1: tree wins)",
                  xlabel="n (comparisons)", ylabel="chain / tree",
                  series=(Series("ratio (exact)", ns, r.tolist(), "scatter"),
                          Series("95% interval, lower", ns, lo.tolist(), "line"),
                          Series("95% interval, upper", ns, hi.tolist(), "line"),
                          Series("ratio (path surrogate)", ns, np.exp(m.log_ratio_path[0]).tolist(), "line"),
                          Series("1 (no difference)", ns, [1.0] * len(ns), "line")),
                  logx=True, logy=True)


@claim(
    id="ibn.tree_beats_chain_beyond_crossover",
    statement="Hypothesis (the paper's direction [V] in OUR reference universe: B=8, D=6, tree b=2, d=5, polynomial F "
    "alpha=1, sigma_HP^2=1e-4, prefix-shared IB edges, equal number of comparisons): there is a crossover n* within "
    "the sizes reached (2^8..2^12 quick, 2^8..2^18 full) from which the tree dataset's mean EXACT inference distance "
    "is smaller than the chain's. CONTRADICTED means the chain still wins decisively at the largest size: in our "
    "reconstruction the tree does not beat the chain in this range.",
    source=[_SRC],
    provenance="R",
    kind="reconstruction",
    tolerance="decide_hypothesis on ln(chain/tree) at the largest size against 0 with the nested-bootstrap SE (seeds, "
    "then 16 evaluation pairs; 1000 resamples): estimate >= 2 SE above 0 and the map's crossover n* defined -> PASS; "
    "|z| >= 4 below 0 with |ln ratio| > ln 1.1 -> CONTRADICTED; otherwise INCONCLUSIVE",
    rice={"R", "I"},
    stage="forward:feedback",
)
def check_tree_beats_chain_beyond_crossover(ctx: Context) -> Evidence:
    m = _sweep(ctx)
    ns = m.n_comparisons.astype(int).tolist()
    est, se = float(m.log_ratio_exact[0, -1]), float(m.stderr_exact[0, -1])
    nstar = m.crossover[0]
    z = est / se if se > 0 else math.copysign(math.inf, est)
    # decide_hypothesis against "no difference": a decisive departure BELOW 0 contradicts the direction
    against, text = decide_hypothesis(est, 0.0, se, kind="reconstruction", z_pass=CT_Z_PASS,
                                      z_contradict=CT_Z_CONTRADICT, min_effect=CT_MIN_EFFECT)
    if z >= CT_Z_PASS and nstar is not None:
        verdict = Verdict.PASS
    elif against is Verdict.CONTRADICTED and est < 0:
        verdict = Verdict.CONTRADICTED
    else:
        verdict = Verdict.INCONCLUSIVE
    return Evidence(
        verdict=verdict,
        predicted={"ln(chain/tree) at the largest size": "> 0 (tree wins), with a crossover n* in range"},
        measured={"ratio chain/tree (exact)": dict(zip(ns, np.exp(m.log_ratio_exact[0]).round(4).tolist())),
                  "95% interval": dict(zip(ns, np.exp(m.ci_exact[0]).round(4).tolist())),
                  "ratio chain/tree (path)": dict(zip(ns, np.exp(m.log_ratio_path[0]).round(4).tolist())),
                  "crossover n*": nstar, "z at the largest size": z},
        tolerance={"z_pass": CT_Z_PASS, "z_contradict": CT_Z_CONTRADICT, "min_effect (ln)": CT_MIN_EFFECT},
        why="the paper's headline is a direction and a rate; the direction is decided at the largest size reached, "
        "where a crossover would have to show; min_effect keeps a statistically clear but tiny chain advantage from "
        "counting as a contradiction",
        sizes={"n": ns, "seeds": m.seeds, "eval_pairs": m.eval_pairs, "solver": list(m.methods)},
        details=text + f"; crossover n* = {nstar}. A ratio below 1 means the chain dataset has the SMALLER mean "
        "inference distance. Reconstruction; the full text was not available to us; docs/ibn_chain_vs_tree.md maps "
        "the construction switches (prefix sharing, budget, regime).",
        figures=(_ratio_figure(m),),
    )


@claim(
    id="ibn.chain_tree_ratio_growth",
    statement="Hypothesis (the paper's rate [V] in OUR reference universe, as ibn.tree_beats_chain_beyond_crossover): "
    "beyond the crossover n*, the ratio chain/tree of mean exact inference distances is Theta(ln n / ln ln n): its "
    "quotient by ln n/ln ln n stays within [0.05, 20] with |drift| <= 0.1 over the sizes reached beyond n*. "
    "CONTRADICTED when there is no crossover in range (no regime in which the tree wins, so no growth to measure) "
    "or when the quotient leaves the band.",
    source=[_SRC],
    provenance="R",
    kind="reconstruction",
    tolerance="bounded_quotient with constants fixed here: q in [0.05, 20], |OLS slope of ln q on ln n| <= 0.1, over "
    "the sizes >= n* (at least 2 needed: fewer gives INCONCLUSIVE); no crossover and a decisive chain win at the "
    "largest size (as ibn.tree_beats_chain_beyond_crossover) gives CONTRADICTED",
    rice={"R", "I"},
    stage="forward:feedback",
)
def check_chain_tree_ratio_growth(ctx: Context) -> Evidence:
    m = _sweep(ctx)
    ns = m.n_comparisons.astype(float)
    nstar = m.crossover[0]
    est, se = float(m.log_ratio_exact[0, -1]), float(m.stderr_exact[0, -1])
    measured = {"ratio chain/tree (exact)": dict(zip(ns.astype(int).tolist(),
                                                     np.exp(m.log_ratio_exact[0]).round(4).tolist())),
                "crossover n*": nstar}
    if nstar is None:
        decisive = se > 0 and est / se <= -CT_Z_CONTRADICT and abs(est) > CT_MIN_EFFECT
        verdict = Verdict.CONTRADICTED if decisive else Verdict.INCONCLUSIVE
        text = (f"no crossover in range: ln(chain/tree) at n = {int(ns[-1])} is {est:.3f} (se {se:.3f}); there is no "
                "range beyond n* in which to measure growth")
        q = None
    else:
        sel = ns >= nstar
        q = bounded_quotient(ns[sel], np.exp(m.log_ratio_exact[0][sel]), np.log(ns[sel]) / np.log(np.log(ns[sel])),
                             lower=CT_Q_BOUNDS[0], upper=CT_Q_BOUNDS[1], max_drift=CT_MAX_DRIFT)
        if sel.sum() < 2:
            verdict, text = Verdict.INCONCLUSIVE, f"only {int(sel.sum())} size beyond n* = {nstar:.0f}: larger sizes decide"
        else:
            verdict = Verdict.PASS if q.passed else Verdict.CONTRADICTED
            text = f"quotients {np.round(q.quotients, 4).tolist()}, drift {q.drift:+.4f}"
        measured["quotients"] = list(q.quotients)
        measured["drift"] = q.drift
    return Evidence(
        verdict=verdict,
        predicted={"q(n) = ratio / (ln n / ln ln n) beyond n*": list(CT_Q_BOUNDS), "max |drift|": CT_MAX_DRIFT},
        measured=measured,
        tolerance={"q band": list(CT_Q_BOUNDS), "max drift": CT_MAX_DRIFT, "z_contradict": CT_Z_CONTRADICT},
        why="a Theta statement is a bounded quotient with no drift (not a slope test); the band is wide because the "
        "constant is unknown, the drift bound catches a different rate",
        sizes={"n": ns.astype(int).tolist(), "seeds": m.seeds, "eval_pairs": m.eval_pairs},
        details=text + ". Reconstruction; the full text was not available to us.",
        figures=(_ratio_figure(m),),
    )


CM_MARGIN = math.log(2.0)  # a first-order model: the statement is "within a factor 2"


@claim(
    id="ibn.coverage_model_vs_simulation",
    statement="Hypothesis from OUR corrected coverage model (theory.ibn.coverage_distance, proposed in issue 16 after "
    "ibn.mechanism_ratio_vs_simulation was contradicted): in the reference universe, before saturation (n <= B^D/16), "
    "the ratio chain/tree of mean exact inference distances equals the ratio of the coverage model's distances "
    "within a factor 2 (chain < tree: the chain covers more distinct prefixes). The model neglects the resistance "
    "between covered prefixes, so it is first order: the statement is the factor 2, not exact equality.",
    source=[_SRC],
    provenance="R",
    # empirical, not reconstruction: the coverage model is our own first-order model (proposed after the
    # mechanism model was contradicted), not a statement reconstructed from the paper, and comparing it with
    # the simulation measures how good an approximation it is; at the quick tier the evidence may not decide.
    kind="empirical",
    tolerance="decide_within (an equivalence test) on the mean over sizes 2^8 <= n <= B^D/16 of ln(simulated ratio) "
    "vs the mean of ln(model ratio), SE from the nested bootstrap combined over sizes, margin ln 2: |difference| + 2 SE "
    "<= ln 2 PASS; |difference| - 4 SE > ln 2 CONTRADICTED; otherwise INCONCLUSIVE (underpowered: the report says "
    "how many replicates would decide). Until the seed sweep of issue 11 this was decide_hypothesis against exact "
    "equality with min_effect ln 2, whose band 'significant but within a factor 2' stayed INCONCLUSIVE at any "
    "sample size",
    rice={"R", "I"},
    stage="forward:feedback",
)
def check_coverage_model_vs_simulation(ctx: Context) -> Evidence:
    from aligntheory.theory import ibn as T

    m = _sweep(ctx)
    c = m.configs[0]
    sel = m.n_comparisons <= c.B**c.D // 16
    ns = m.n_comparisons[sel].astype(int)
    F = T.StructuralFunction(c.regime, c.I, c.alpha)
    model = np.array([T.coverage_distance(int(n), F, c.B, c.D, "chain")
                      / T.coverage_distance(int(n), F, c.B, c.D, "tree", b=c.b, d=c.d) for n in ns])
    e, s = m.log_ratio_exact[0][sel], m.stderr_exact[0][sel]
    est, pred = float(e.mean()), float(np.log(model).mean())
    se = float(np.sqrt(np.sum(s**2)) / len(ns))
    verdict, text = decide_within(est, pred, se, margin=CM_MARGIN, kind="empirical", z_pass=CT_Z_PASS,
                                  z_contradict=CT_Z_CONTRADICT)
    return Evidence(
        verdict=verdict,
        predicted={"coverage-model ratio chain/tree": dict(zip(ns.tolist(), model.round(4).tolist())),
                   "mean ln ratio": pred},
        measured={"ratio chain/tree (exact)": dict(zip(ns.tolist(), np.exp(e).round(4).tolist())),
                  "mean ln ratio": est, "SE": se,
                  "measured / model": dict(zip(ns.tolist(), (np.exp(e) / model).round(3).tolist()))},
        tolerance={"z_pass": CT_Z_PASS, "z_contradict": CT_Z_CONTRADICT, "margin (ln)": CM_MARGIN,
                   "sizes": f"n <= B^D/16 = {c.B**c.D // 16}"},
        why="a first-order model of our own: the SE carries the sampling of datasets and evaluation pairs; the factor-2 "
        "margin is the stated accuracy of a model that drops the core term",
        sizes={"n": ns.tolist(), "seeds": m.seeds, "eval_pairs": m.eval_pairs},
        details=text + ". The coverage model gets the direction (chain wins) and the trend (ratio rising towards 1) "
        "that the mechanism model gets wrong; it underestimates the ratio because it ignores the resistance between "
        "covered prefixes. Our own model (kind empirical), tested against the exact simulation.",
        figures=(predicted_vs_measured("chain/tree ratio: coverage model vs exact simulation", ns.astype(float), model,
                                       np.exp(e), xlabel="n (comparisons)", ylabel="chain / tree", logx=True,
                                       logy=True, band=(np.exp(e - 2 * s), np.exp(e + 2 * s))),),
    )

"""Registered claims C2, C4, C7--C10 and C12 of the IBN pillar (spec ``ibn.md`` §4.3).

Methods and tolerances follow the spec table; tolerances are written in the decorators before any
run and never tuned after a failure. The mechanism-model claims (C11, C13) live in
``_mechanism_claims``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from aligntheory.proofs_check._registry import Context, Evidence, Figure, Series, Source, Verdict, claim
from aligntheory.proofs_check.ibn._resistance_claims import random_connected_graphs
from aligntheory.theory import ibn as T

_SRC = Source(key="qiu2024reward", where="§2.6, §3 (inference distance)")
_SRC_ASYM = Source(key="qiu2024reward", where="abstract [V]; §4 (Thm 4.5, Table 2) reconstructed [R]")


# ----------------------------------------------------------------------------------------------
# C2: backends agree


@claim(
    id="ibn.resistance_backends_agree",
    statement="Cholesky of L + J/N, numpy pinv, the grounded solve (ground = node of largest weighted degree) and "
    "networkx.resistance_distance give the same effective resistances.",
    source=[Source(key="klein1993resistance"), _SRC],
    provenance="M",
    kind="theorem",
    tolerance="per-pair relative difference <= 1e-9 between every backend and the Cholesky route (float64 "
    "rounding with variances spanning six decades; worst measured 9e-11, spec §3.3)",
    rice={"R"},
    stage="backward:assurance",
)
def check_resistance_backends_agree(ctx: Context) -> Evidence:
    import networkx as nx

    graphs = random_connected_graphs(ctx.rng(1), 200)
    worst = {"pinv": 0.0, "grounded": 0.0, "networkx": 0.0}
    where = {}
    for gi, (n, e, v) in enumerate(graphs):
        R = T.effective_resistance(n, e, variances=v, method="cholesky")
        iu = np.triu_indices(n, 1)
        ref = R[iu]
        G = nx.Graph()
        G.add_nodes_from(range(n))
        for (a, b), w in zip(e.tolist(), v.tolist()):
            G.add_edge(a, b, var=w)
        Rnx = nx.resistance_distance(G, weight="var", invert_weight=True)
        others = {
            "pinv": T.effective_resistance(n, e, variances=v, method="pinv")[iu],
            "grounded": T.effective_resistance(n, e, variances=v, method="grounded")[iu],
            "networkx": np.array([Rnx[a][b] for a, b in zip(*iu)]),
        }
        for name, x in others.items():
            rel = float(np.max(np.abs(x - ref) / ref))
            if rel > worst[name]:
                worst[name], where[name] = rel, gi
    ok = max(worst.values()) <= 1e-9
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={k: 0.0 for k in worst},
        measured={f"max per-pair relative difference, {k} vs cholesky": w for k, w in worst.items()},
        tolerance=1e-9,
        why="float64 rounding of dense solves; spec §3.3 measured all routes within 9e-11 of a 40-digit reference",
        sizes={"graphs": len(graphs), "n_max": 30, "p": 0.3},
        details=f"worst graph per backend: {where}",
        counterexample=None if ok else {"seed": ctx.seed, "graph_index": where},
    )


# ----------------------------------------------------------------------------------------------
# C4: Gaussian posterior with a proper prior tends to R_eff


@claim(
    id="ibn.gaussian_posterior_to_resistance",
    statement="With a proper prior r ~ N(0, tau^2 I) the posterior variance of r(u) - r(v) is the spectral sum "
    "sum_{i>=2} a_i^2/(lambda_i + tau^-2), and 0 <= (R_eff - R_tau)/R_eff <= tau^-2/lambda_2.",
    source=[_SRC, Source(key="hendrickx2019graph")],
    provenance="M",
    kind="theorem",
    tolerance="(a) relative 1e-8 between the library's (L + tau^-2 I) solve and the eigendecomposition sum; (b) the "
    "relative gap lies in [-1e-9, tau^-2/lambda_2 + 1e-9] (float64 rounding; spec §4.3 C4)",
    rice={"R", "I"},
    stage="backward:assurance",
)
def check_gaussian_posterior(ctx: Context) -> Evidence:
    graphs = random_connected_graphs(ctx.rng(1), 200)
    worst_a, worst_lo, worst_hi, worst_excess = 0.0, 0.0, -np.inf, -np.inf
    xs, ys, bounds = [], [], []
    for gi, (n, e, v) in enumerate(graphs):
        L = T.laplacian(n, e, variances=v)
        lam, phi = np.linalg.eigh(L)
        lam2 = lam[1]
        iu = np.triu_indices(n, 1)
        pairs = np.stack(iu, axis=1)
        R = T.effective_resistance(n, e, variances=v, pairs=pairs)
        A = phi[pairs[:, 0], 1:] - phi[pairs[:, 1], 1:]  # a_i for i >= 2
        for f in (1e-2, 1e-4):
            t = f * lam2
            Rt = T.inference_distances(T.IBN(n, e, v), pairs, prior_var=1.0 / t)
            spec = np.sum(A**2 / (lam[1:] + t), axis=1)
            worst_a = max(worst_a, float(np.max(np.abs(Rt - spec) / spec)))
            gap = (R - Rt) / R
            worst_lo = min(worst_lo, float(np.min(gap)))
            worst_hi = max(worst_hi, float(np.max(gap / f)))  # bound is f = tau^-2/lambda_2
            worst_excess = max(worst_excess, float(np.max(gap - f)))
            if gi < 10:
                xs.extend([f] * len(gap))
                ys.extend(gap.tolist())
    ok = worst_a <= 1e-8 and worst_lo >= -1e-9 and worst_excess <= 1e-9
    fig = Figure(
        title="relative gap (R_eff - R_tau)/R_eff versus its bound tau^-2/lambda_2 (first 10 graphs)",
        xlabel="tau^-2 / lambda_2",
        ylabel="(R_eff - R_tau)/R_eff",
        series=(Series("pairs", xs, ys, "scatter"), Series("bound", [1e-4, 1e-2], [1e-4, 1e-2], "line")),
        logx=True,
        logy=True,
    )
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"(a) relative difference": 0.0, "(b) gap / bound": "in [0, 1]"},
        measured={"(a) max relative difference": worst_a, "(b) min gap": worst_lo, "(b) max gap / bound": worst_hi,
                  "(b) max (gap - bound)": worst_excess},
        tolerance={"(a)": 1e-8, "(b) slack": 1e-9},
        why="float64 rounding of a Cholesky solve and an eigendecomposition (spec §4.3 C4: the bound is reached to "
        "within 1e-4 of its value and never exceeded)",
        sizes={"graphs": len(graphs), "f": [1e-2, 1e-4]},
        figures=(fig,),
    )


# ----------------------------------------------------------------------------------------------
# C7: decoder lemma


@claim(
    id="ibn.decoder_lemma",
    statement="If the reward error e = r_hat - r_H has spread eps, the optimal policies p ~ pi_ref exp(beta r) satisfy "
    "sup |log p_LM - log p_H| <= beta eps, KL <= beta eps, TV <= (exp(beta eps) - 1)/2, and every quantity is "
    "invariant under r -> r + k.",
    source=[Source(key="qiu2024reward", where="§2.1 (RLHF as autoencoding; our elementary lemma)")],
    provenance="M",
    kind="theorem",
    tolerance="each bound holds with absolute slack 1e-12; shift invariance to 1e-12 (float64 rounding of a "
    "log-sum-exp with |beta r| <= ~50); the sup bound is attained: on the extremal two-point instance "
    "measured/bound >= 1 - 1e-6 (analytic gap <= 3e-8)",
    rice={"R"},
    stage="forward:feedback",
)
def check_decoder_lemma(ctx: Context) -> Evidence:
    from scipy.special import logsumexp

    rng = ctx.rng(7)
    draws = ctx.pick(quick=2000, full=20000)
    worst = {"sup_log_ratio": -np.inf, "kl": -np.inf, "tv": -np.inf, "shift": 0.0}
    bx, kl_pts = [], []
    for i in range(draws):
        N = int(rng.integers(2, 21))
        beta = float(10 ** rng.uniform(-1, 1))
        r = rng.normal(0, 1.5, N)
        e = rng.normal(0, 10 ** rng.uniform(-3, 0), N)
        logref = np.log(rng.dirichlet(np.ones(N)))

        def logp(x):
            z = logref + beta * x
            return z - logsumexp(z)

        lh, ll = logp(r), logp(r + e)
        eps = float(e.max() - e.min())
        b = T.decoder_bounds(eps, beta)
        sup = float(np.max(np.abs(ll - lh)))
        kl = float(np.sum(np.exp(ll) * (ll - lh)))
        tv = float(0.5 * np.sum(np.abs(np.exp(ll) - np.exp(lh))))
        worst["sup_log_ratio"] = max(worst["sup_log_ratio"], sup - float(b.sup_log_ratio))
        worst["kl"] = max(worst["kl"], kl - float(b.kl))
        worst["tv"] = max(worst["tv"], tv - float(b.tv))
        k = float(rng.normal(0, 5))
        worst["shift"] = max(worst["shift"], float(np.max(np.abs(logp(r + k) - lh))),
                             float(np.max(np.abs(logp(r + e + k) - ll))))
        if i < 300:
            bx.append(float(b.kl))
            kl_pts.append(kl)
    # tightness (a one-sided check alone is blind to a bound made looser): with p_H putting mass delta on the one
    # response whose error is eps, sup |log p_LM - log p_H| = beta eps - log(1 - delta + delta e^{beta eps}), so the
    # measured/bound ratio is 1 - O(delta e^{beta eps} / (beta eps)); at beta eps <= 10 and delta = 1e-12 that is
    # within 3e-8 of 1; a bound larger by any factor >= 1 + 1e-6 fails
    tight = []
    for x in (0.1, 1.0, 10.0):
        delta = 1e-12
        logref = np.log(np.array([1.0 - delta, delta]))
        e = np.array([0.0, x / 2.0])
        lh = logref - logsumexp(logref)
        z = logref + 2.0 * e
        ll = z - logsumexp(z)
        sup = float(np.max(np.abs(ll - lh)))
        tight.append(sup / float(T.decoder_bounds(x / 2.0, 2.0).sup_log_ratio))
    worst["tightness 1 - measured/bound (sup)"] = float(max(1.0 - t for t in tight))
    ok = (max(worst["sup_log_ratio"], worst["kl"], worst["tv"]) <= 1e-12 and worst["shift"] <= 1e-12
          and worst["tightness 1 - measured/bound (sup)"] <= 1e-6)
    lim = [min(bx), max(bx)]
    fig = Figure(
        title="decoder lemma: KL(p_LM || p_H) against its bound beta * eps",
        xlabel="beta * eps",
        ylabel="KL",
        series=(Series("draws", bx, kl_pts, "scatter"), Series("bound KL = beta eps", lim, lim, "line")),
        logx=True,
        logy=True,
    )
    return Evidence(
        verdict=Verdict.of(ok),
        predicted="measured - bound <= 0 for sup log-ratio, KL and TV; shift changes nothing",
        measured={(k if k.startswith("tightness") else f"max (measured - bound), {k}" if k != "shift"
                   else "max change under shift"): v for k, v in worst.items()},
        tolerance=1e-12,
        why="the lemma is exact; slack covers float64 rounding of log-sum-exp",
        sizes={"draws": draws, "N": [2, 20], "beta": [0.1, 10]},
        figures=(fig,),
    )


# ----------------------------------------------------------------------------------------------
# C8: Erdős–Rényi hop count against Fronczak


def _giant(n_nodes: int, edges: np.ndarray, mask: np.ndarray):
    import scipy.sparse
    import scipy.sparse.csgraph

    e = edges[mask]
    adj = scipy.sparse.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n_nodes, n_nodes))
    _, lab = scipy.sparse.csgraph.connected_components(adj, directed=False)
    big = np.argmax(np.bincount(lab))
    return np.flatnonzero(lab == big)


def _mean_hops(key, M, edges, mask, n_sources, rng, pad_to=None):
    from aligntheory.kernels import ibn as KI

    edges, mask = np.asarray(edges), np.asarray(mask)
    giant = _giant(M, edges, mask)
    if pad_to is not None and pad_to > len(edges):  # one BFS compilation per M (masked padding edges)
        extra = pad_to - len(edges)
        edges = np.concatenate([edges, np.zeros((extra, 2), edges.dtype)])
        mask = np.concatenate([mask, np.zeros(extra, bool)])
    src = rng.choice(giant, size=n_sources, replace=False)
    dist = np.asarray(KI.hops_bfs(M, edges, mask, src))
    in_g = np.zeros(M, bool)
    in_g[giant] = True
    vals = dist[:, in_g]
    return float(vals.sum() / (n_sources * (len(giant) - 1))), len(giant) / M


@claim(
    id="ibn.er_hop_count_fronczak",
    statement="Mean hop distance in the giant component of random (multi)graphs G(M, m = cM/2) and of chain cluster "
    "graphs at the connectivity boundary matches Fronczak's (ln M - gamma)/ln c + 1/2.",
    source=[Source(key="fronczak2004average"), Source(key="qiu2024reward", where="§3.4 (ii) of spec ibn.md")],
    provenance="M",
    kind="empirical",
    tolerance="|mean hops / l_Fr - 1| <= 0.04 per configuration (measured -0.4% to +1.6%; at c = 4 mean +0.7%, sd 0.8% "
    "over 25 repeats, spec §4.3 C8)",
    rice={"R"},
    stage="forward:feedback",
)
def check_er_hops(ctx: Context) -> Evidence:
    import jax

    from aligntheory.kernels import ibn as KI

    rng = ctx.rng(8)
    key = ctx.key(8)
    rows = []
    Ms = (1000, 4000, 16000)
    for M in Ms:
        for cname, c in (("4", 4.0), ("ln M", math.log(M)), ("2 ln M", 2 * math.log(M))):
            vals, fr = [], []
            for g in range(3):
                key, sub = jax.random.split(key)
                edges, mask = KI.er_graph(sub, M, c)
                h, frac = _mean_hops(sub, M, edges, mask, 40, rng, pad_to=int(math.floor(math.log(M) * M)))
                vals.append(h)
                fr.append(frac)
            pred = T.er_hops_fronczak(M, c)
            rows.append({"family": f"ER c={cname}", "M": M, "c": c, "measured": float(np.mean(vals)),
                         "fronczak": pred, "asymptotic": T.er_hops_asymptotic(M, c), "giant": float(min(fr))})
    for n in (2000, 8000, 32000):
        M = int(round(T.connectivity_granularity(n)))
        c = 2 * n / M
        vals, fr = [], []
        for g in range(3):
            key, sub = jax.random.split(key)
            edges = np.asarray(KI.chain_cluster_graph(sub, n, M))
            mask = edges[:, 0] != edges[:, 1]
            h, frac = _mean_hops(sub, M, edges, mask, 40, rng)
            vals.append(h)
            fr.append(frac)
        rows.append({"family": f"chain n={n}", "M": M, "c": c, "measured": float(np.mean(vals)),
                     "fronczak": T.er_hops_fronczak(M, c), "asymptotic": T.er_hops_asymptotic(M, c),
                     "giant": float(min(fr))})
    devs = [r["measured"] / r["fronczak"] - 1 for r in rows]
    ok = all(abs(d) <= 0.04 for d in devs)
    x = list(range(len(rows)))
    fig = Figure(
        title="mean hop distance: measured vs Fronczak (ER: M x c; then chain cluster graphs)",
        xlabel="configuration index (M = 1000, 4000, 16000 x c = 4, ln M, 2 ln M; chain n = 2000, 8000, 32000)",
        ylabel="mean hops in the giant component",
        series=(
            Series("Fronczak (ln M - gamma)/ln c + 1/2", x, [r["fronczak"] for r in rows], "line"),
            Series("ln M / ln c", x, [r["asymptotic"] for r in rows], "line"),
            Series("measured", x, [r["measured"] for r in rows], "scatter"),
        ),
    )
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={f"{r['family']} M={r['M']}": r["fronczak"] for r in rows},
        measured={f"{r['family']} M={r['M']}": r["measured"] for r in rows},
        tolerance=0.04,
        why="empirical law with citation; the band covers sampling noise (sd 0.8% at c = 4) and the formula's "
        "finite-size error measured in spec §3.4",
        sizes={"graphs per configuration": 3, "sources per graph": 40, "M": list(Ms)},
        details="relative deviations: " + ", ".join(f"{r['family']} M={r['M']}: {d:+.4f}" for r, d in zip(rows, devs))
        + f"; smallest giant-component fraction {min(r['giant'] for r in rows):.4f}",
        figures=(fig,),
    )


# ----------------------------------------------------------------------------------------------
# C9: the exact posterior variance does not show the path factor


@claim(
    id="ibn.exact_variance_no_path_factor",
    statement="On chain cluster graphs at the connectivity boundary (unit variances), the mean effective resistance "
    "does not grow with n while the mean hop count does: the log n / log log n factor belongs to the path "
    "surrogate, not to the exact posterior variance.",
    source=[Source(key="vonluxburg2014hitting"), Source(key="qiu2024reward", where="§3.5 of spec ibn.md")],
    provenance="M",
    kind="empirical",
    tolerance="OLS slope of mean R_eff against ln n: bootstrap (2000 resamples of pairs) one-sided 95% upper limit <= 0 "
    "and Spearman rho(mean hops, n) > 0.8 (spec §4.3 C9) give PASS; a slope >= 4 bootstrap SE above 0 gives "
    "CONTRADICTED; anything else INCONCLUSIVE",
    rice={"R", "I"},
    stage="backward:assurance",
)
def check_exact_variance_no_path_factor(ctx: Context) -> Evidence:
    import jax

    from aligntheory.kernels import ibn as KI

    exps = ctx.pick(quick=list(range(11, 16)), full=list(range(11, 18)))
    rng = ctx.rng(9)
    key = ctx.key(9)
    reff_vals, hop_vals, deg_vals = [], [], []
    for ex in exps:
        n = 2**ex
        M = int(round(T.connectivity_granularity(n)))
        rv, hv, dv = [], [], []
        for g in range(3):
            key, sub = jax.random.split(key)
            edges = np.asarray(KI.chain_cluster_graph(sub, n, M)).astype(np.int64)
            mask = edges[:, 0] != edges[:, 1]
            giant = _giant(M, edges, mask)
            in_g = np.zeros(M, bool)
            in_g[giant] = True
            keep = mask & in_g[edges[:, 0]]
            remap = -np.ones(M, dtype=np.int64)
            remap[giant] = np.arange(len(giant))
            eg = remap[edges[keep]]
            pairs = np.array([rng.choice(len(giant), 2, replace=False) for _ in range(30)])
            R = T.effective_resistance(len(giant), eg, variances=np.ones(len(eg)), pairs=pairs, method="sparse",
                                       tol=1e-10)
            dist = np.asarray(KI.hops_bfs(M, edges, mask, giant[pairs[:, 0]]))
            hops = dist[np.arange(30), giant[pairs[:, 1]]]
            deg = np.bincount(eg.ravel(), minlength=len(giant))
            rv.extend(R.tolist())
            hv.extend(hops.tolist())
            dv.extend((1.0 / deg[pairs[:, 0]] + 1.0 / deg[pairs[:, 1]]).tolist())
        reff_vals.append(np.array(rv))
        hop_vals.append(np.array(hv, dtype=float))
        deg_vals.append(np.array(dv))
    x = np.log(2.0 ** np.array(exps))
    means = np.array([v.mean() for v in reff_vals])
    slope = float(np.polyfit(x, means, 1)[0])
    boot = np.empty(2000)
    for i in range(2000):
        bm = [v[rng.integers(0, len(v), len(v))].mean() for v in reff_vals]
        boot[i] = np.polyfit(x, bm, 1)[0]
    upper = float(np.quantile(boot, 0.95))
    hop_means = np.array([h.mean() for h in hop_vals])
    rho = float(stats.spearmanr(exps, hop_means)[0])
    se = float(np.std(boot, ddof=1))
    z = slope / se if se > 0 else (np.inf if slope > 0 else 0.0)
    # an empirical claim decides three ways (issue 11): supported, decisively contradicted (R_eff grows: slope
    # >= 4 bootstrap SE above 0), or not decided at this size range
    if upper <= 0 and rho > 0.8:
        verdict, decided = Verdict.PASS, "supported: the 95% upper limit of the slope is <= 0 and hops grow"
    elif z >= 4:
        verdict, decided = Verdict.CONTRADICTED, f"contradicted: mean R_eff grows with n ({z:.1f} SE above 0)"
    else:
        verdict, decided = Verdict.INCONCLUSIVE, (f"undecided: slope {slope:+.4f} ({z:+.1f} SE), rho {rho:.2f}; "
                                                  "more sizes or pairs (full tier) would decide")
    ns = [2**e for e in exps]
    fig = Figure(
        title="chain cluster graphs at M_conn(n): exact variance falls while hops grow",
        xlabel="n (comparisons)",
        ylabel="mean over 90 pairs",
        series=(
            Series("mean R_eff (exact posterior variance)", ns, means.tolist(), "line"),
            Series("mean (1/d_u + 1/d_v)", ns, [d.mean() for d in deg_vals], "line"),
            Series("mean hops (path surrogate, unit variances)", ns, hop_means.tolist(), "line"),
        ),
        logx=True,
    )
    return Evidence(
        verdict=verdict,
        predicted={"slope of mean R_eff vs ln n": "<= 0", "Spearman rho(hops, n)": "> 0.8"},
        measured={"slope": slope, "bootstrap 95% upper limit": upper, "Spearman rho": rho,
                  "mean R_eff": dict(zip(ns, means.round(4).tolist())), "mean hops": dict(zip(ns, hop_means.round(3).tolist()))},
        tolerance={"slope upper limit": 0.0, "rho": 0.8},
        why="the sign of a trend over 5-7 sizes with 90 pairs each; the bootstrap carries the pair-sampling noise "
        "(SE 0.007-0.020 per mean, spec §4.3 C9)",
        sizes={"n": ns, "graphs per n": 3, "pairs per graph": 30, "solver": "scipy Jacobi-CG, tol 1e-10"},
        details=decided + "; standard errors of mean R_eff: "
        + ", ".join(f"{v.std(ddof=1) / np.sqrt(len(v)):.4f}" for v in reff_vals),
        figures=(fig,),
    )


# ----------------------------------------------------------------------------------------------
# C10: Lambert-W and mechanism arithmetic


@claim(
    id="ibn.lambert_w_arithmetic",
    statement="The arithmetic of the chain-vs-tree mechanism: d ln C/d ln M = -alpha + 1/ln M + 1/ln c (and the "
    "(1 + l) variant), ln M_conn(n) = W(2n), lim ln n/ln ln n = oo, and (ln n)^(1+alpha)/ln ln n / (ln n)^alpha = "
    "ln n / ln ln n.",
    source=[_SRC_ASYM, Source(key="fronczak2004average")],
    provenance="M",
    kind="theorem",
    tolerance="sympy identities simplify to exactly 0; ln M_conn - W(2n) <= 1e-40 at 50 mpmath digits; the library's "
    "float connectivity_granularity within relative 1e-13 of mpmath",
    rice={"R"},
    stage="backward:assurance",
)
def check_lambert_w_arithmetic(ctx: Context) -> Evidence:
    import mpmath
    import sympy as sp

    x, L2n, a = sp.symbols("x L a", positive=True)  # x = ln M, L = ln(2n), ln c = L - x
    lnc = L2n - x
    ell = x / lnc
    C = sp.exp(-a * x) * ell
    d1 = sp.simplify(sp.diff(sp.log(C), x) - (-a + 1 / x + 1 / lnc))
    C1 = sp.exp(-a * x) * (1 + ell)
    d2 = sp.simplify(sp.diff(sp.log(C1), x) - (-a + ell / (1 + ell) * (1 / x + 1 / lnc)))
    n = sp.Symbol("n", positive=True)
    lim = sp.limit(sp.log(n) / sp.log(sp.log(n)), n, sp.oo)
    q = sp.simplify(sp.log(n) ** (1 + a) / sp.log(sp.log(n)) / sp.log(n) ** a - sp.log(n) / sp.log(sp.log(n)))
    mpmath.mp.dps = 50
    worst_w, worst_float = 0.0, 0.0
    for k in range(1, 13):
        nn = mpmath.mpf(10) ** k
        W = mpmath.lambertw(2 * nn).real
        mc = 2 * nn / W
        worst_w = max(worst_w, float(abs(mpmath.log(mc) - W)))
        worst_float = max(worst_float, float(abs(T.connectivity_granularity(10.0**k) / mc - 1)))
    # the library's sympy closed form agrees with mpmath at n = 1e6
    sym = float(sp.N(T.closed_form_chain_tree_ratio(10**6, 1), 30))
    W6 = mpmath.lambertw(2 * mpmath.mpf(10) ** 6).real
    ref6 = float((1 + (W6 - mpmath.euler) / mpmath.log(W6) + mpmath.mpf(1) / 2) / 2)
    mpmath.mp.dps = 15
    ok = d1 == 0 and d2 == 0 and lim == sp.oo and q == 0 and worst_w <= 1e-40 and worst_float <= 1e-13
    ok = ok and abs(sym / ref6 - 1) <= 1e-13
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"identities": 0, "limit": "oo", "ln M_conn - W(2n)": 0.0},
        measured={"d ln C / d ln M identity": str(d1), "(1+l) variant": str(d2), "limit": str(lim),
                  "exponent identity": str(q), "max |ln M_conn - W(2n)| (50 digits)": worst_w,
                  "max relative error of float M_conn": worst_float, "closed-form ratio at 1e6 (sympy vs mpmath)":
                  [sym, ref6]},
        tolerance={"sympy": "exact", "mpmath": 1e-40, "float": 1e-13},
        why="symbolic identities are exact; 50-digit arithmetic leaves ~1e-49 rounding; scipy lambertw is accurate to "
        "a few ulps",
        sizes={"n": "10^1 .. 10^12"},
    )


# ----------------------------------------------------------------------------------------------
# C12: experiment-table arithmetic


@claim(
    id="ibn.experiment_table_arithmetic",
    statement="The paper's reported averages (win rates and annotation-length savings over HH-RLHF, GSM-8K, DialogSum) "
    "follow from its per-dataset numbers as reported by readers of the paper.",
    source=[Source(key="qiu2024reward", where="§5 experiments, as reported by secondary notes [S]")],
    provenance="S",
    kind="empirical",
    tolerance="absolute 0.005 (the reported numbers are rounded to 2 decimals or whole percent)",
    rice={"R"},
    stage="backward:governance",
)
def check_experiment_table_arithmetic(ctx: Context) -> Evidence:
    X = T.experiment_tables
    wr, rep = X["win_rate"], X["win_rate_reported_mean"]
    L, Lrep = X["annotation_length"], X["annotation_length_reported_mean"]
    comp = {}
    for k in ("tree_vs_chain", "chain_vs_sft", "tree_vs_sft"):
        comp[f"mean win rate {k}"] = (float(np.mean(wr[k])), rep[k])
    comp["mean chain length"] = (float(np.mean(L["chain"])), Lrep["chain"])
    comp["mean tree length excluding prefix"] = (float(np.mean(L["tree_excluding_prefix"])), Lrep["tree_excluding_prefix"])
    comp["overall saving"] = (1 - Lrep["tree_excluding_prefix"] / Lrep["chain"], X["savings_reported_overall"])
    spec_savings = (0.261, 0.246, 0.005)  # spec §4.3 C12
    for name, c, t, s in zip(X["datasets"], L["chain"], L["tree_excluding_prefix"], spec_savings):
        comp[f"saving {name}"] = (1 - t / c, s)
    errs = {k: abs(a - b) for k, (a, b) in comp.items()}
    ok = max(errs.values()) <= 0.005
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={k: b for k, (a, b) in comp.items()},
        measured={k: a for k, (a, b) in comp.items()},
        tolerance=0.005,
        why="reported averages are rounded; an arithmetic or transcription error would exceed it",
        sizes={"datasets": 3},
        details=f"worst: {max(errs, key=errs.get)} ({max(errs.values()):.4f}); the tree length including the shared "
        f"prefix ({Lrep['tree_including_prefix']}) has no per-dataset values in our sources",
    )



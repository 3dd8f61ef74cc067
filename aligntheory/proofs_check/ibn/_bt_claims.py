"""Claim C6 of the IBN pillar (spec ``ibn.md`` §3.2, §4.3): continuous least squares has variance R_eff exactly.

The tolerance is fixed in the decorator before any run; the band is computed from scipy, not
typed in.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from aligntheory.proofs_check._registry import Context, Evidence, Figure, Series, Source, Verdict, claim
from aligntheory.proofs_check.ibn._kernel_claims import _graphs
from aligntheory.theory import ibn as T

C6_BETA = 2.0
C6_K = 1
C6_R = 8000
C6_ALPHA = 1e-4 / 12  # family-wise 1e-4 per run: the claim holds at 20 seeds with probability >= 0.998
C6_R_SD = 0.5


def c6_band(R: int = C6_R, K: int = C6_K, alpha: float = C6_ALPHA) -> tuple[float, float, float]:
    """Kurtosis-corrected chi-square band for a variance ratio of means of ``K`` logistic draws.

    A sample variance of ``R`` iid draws with excess kurtosis :math:`\\kappa` is approximately
    :math:`\\sigma^2\\chi^2_\\nu/\\nu` with :math:`\\nu = 2(R-1)/(2+\\kappa)`. A linear combination of
    means of :math:`K` standard logistic draws has excess kurtosis at most :math:`\\kappa_{\\max}=1.2/K`
    (the logistic's 1.2, diluted by averaging; linear combinations only dilute it further).
    Bonferroni over 12 pairs at family-wise level :math:`10^{-4}`: :math:`\\alpha = 10^{-4}/12`. Returns
    ``(lo, hi, nu)``.

    Examples
    --------
    >>> lo, hi, nu = c6_band()
    >>> round(lo, 3), round(hi, 3)
    (0.913, 1.092)
    """
    kappa = 1.2 / K
    nu = 2.0 * (R - 1) / (2.0 + kappa)
    return float(stats.chi2.ppf(alpha / 2, nu) / nu), float(stats.chi2.ppf(1 - alpha / 2, nu) / nu), float(nu)


@claim(
    id="ibn.ls_variance_is_resistance",
    statement="Under continuous logistic feedback the least-squares reward difference has variance exactly equal "
    "to the effective resistance of the comparison graph with conductances 3 beta^2 K_e / pi^2 (Gauss-Markov; "
    "no Gaussianity needed).",
    source=[Source(key="hendrickx2019graph"), Source(key="qiu2024reward", where="§2.6 (inference distance)")],
    provenance="M",
    kind="theorem",
    tolerance="ratio s^2/R_eff in the Bonferroni (alpha=1e-4/12) chi^2_nu/nu band with nu=2(R-1)/(2+1.2/K), "
    "R=8000, K=1: [0.913, 1.092] (computed from scipy); sample means within 4.5 standard errors of r_u - r_v",
    rice={"R", "I"},
    stage="forward:feedback",
)
def check_ls_variance_is_resistance(ctx: Context) -> Evidence:
    import jax

    from aligntheory.kernels import ibn as KI

    lo, hi, nu = c6_band()
    pi2 = math.pi**2
    ratios, labels, bias_z = [], [], []
    predicted, measured = {}, {}
    rng = ctx.rng(6)
    r_all = rng.normal(0.0, C6_R_SD, size=(4, 8))
    for gi, (name, edges) in enumerate(_graphs().items()):
        prng = rng
        r = r_all[gi]
        all_pairs = np.array([(u, v) for u in range(8) for v in range(u + 1, 8)], dtype=np.int64)
        pairs = all_pairs[prng.choice(len(all_pairs), 3, replace=False)]
        K = np.full(len(edges), float(C6_K))
        var = pi2 / (3.0 * C6_BETA**2 * K)  # per-edge variance of the mean of K logistic labels / beta
        reff = T.effective_resistance(8, edges, variances=var, pairs=pairs)
        out = KI.mc_difference_variance_continuous(jax.random.fold_in(ctx.key(6), gi), r, edges, K, C6_BETA,
                                                   pairs, C6_R)
        s2, mean = np.asarray(out.var), np.asarray(out.mean)
        for j in range(3):
            u, v = int(pairs[j, 0]), int(pairs[j, 1])
            labels.append(f"{name} ({u},{v})")
            ratios.append(float(s2[j] / reff[j]))
            bias_z.append(float((mean[j] - (r[u] - r[v])) / math.sqrt(reff[j] / C6_R)))
            predicted[labels[-1]] = float(reff[j])
            measured[labels[-1]] = float(s2[j])
    ok = all(lo <= q <= hi for q in ratios) and all(abs(z) <= 4.5 for z in bias_z)
    x = list(range(len(ratios)))
    fig = Figure(
        title="Continuous LS variance / R_eff (12 pairs, beta=2, K=1, R=8000)",
        xlabel="pair index (path, cycle, star, G(8,14); 3 pairs each)",
        ylabel="s^2 / R_eff",
        series=(
            Series("acceptance band", x, [lo] * len(x), "band", y_hi=[hi] * len(x)),
            Series("predicted ratio 1", x, [1.0] * len(x), "line"),
            Series("measured ratio", x, ratios, "scatter"),
        ),
    )
    fig2 = Figure(
        title="Predicted R_eff versus measured variance (continuous LS)",
        xlabel="R_eff (conductances 3 beta^2 K / pi^2)",
        ylabel="Monte Carlo variance of r_u - r_v",
        series=(Series("pairs", list(predicted.values()), list(measured.values()), "scatter"),
                Series("variance = R_eff", [min(predicted.values()), max(predicted.values())],
                       [min(predicted.values()), max(predicted.values())], "line")),
        logx=True,
        logy=True,
    )
    return Evidence(
        verdict=Verdict.of(ok),
        predicted=predicted,
        measured=measured,
        tolerance={"ratio band": [lo, hi], "nu": nu, "|mean bias| / SE": 4.5},
        why="sampling distribution of a variance from R=8000 replicates with the largest possible excess kurtosis "
        "(1.2/K) of a linear combination of logistic means, Bonferroni over 12 pairs at family-wise level 1e-4 "
        "(so that the theorem claim holds at 20 seeds with probability >= 0.998); the LS estimator is unbiased, so its mean is "
        "checked against r_u - r_v at 4.5 SE (Bonferroni-safe)",
        sizes={"graphs": 4, "n_nodes": 8, "K": C6_K, "beta": C6_BETA, "replicates": C6_R, "pairs": 12,
               "r_sd": C6_R_SD},
        details="ratios: " + ", ".join(f"{lab}: {q:.4f}" for lab, q in zip(labels, ratios))
        + "; max |bias z| " + f"{max(abs(z) for z in bias_z):.2f}",
        counterexample=None if ok else {"seed": ctx.seed, "ratios": dict(zip(labels, ratios))},
        figures=(fig, fig2),
    )

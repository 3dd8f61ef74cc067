"""Round-9 claims (issue 11): pins found by the sixth fresh mutation sample (docs/mutation-report/fresh-r8).

* ``safety.dual_preferences_simulation_law`` --
  :func:`~aligntheory.kernels.safety.simulate_dual_preferences` draws each of its three outputs from the
  documented law (our B-T7): pairs uniform over the :math:`n(n-1)` ordered distinct pairs,
  :math:`P(\\text{harm}) = \\sigma(c_i - c_j)` in every cell, :math:`P(\\text{unsafe}) = \\sigma(c(y))` for every
  response in either position; three Pearson goodness-of-fit statistics against their chi-square laws.
"""

from __future__ import annotations

import numpy as np

from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

__all__: list[str] = []

_DAI = Source(key="dai2023safe", where="§3.1 (preference data); our B-T7")
_ALPHA = 1e-9  # false-alarm level of each of the three statistics (the claim must hold at every seed)


@claim(
    id="safety.dual_preferences_simulation_law",
    statement="simulate_dual_preferences(key, c, P) returns pairs uniform over the ordered distinct pairs (i != j), "
    "harm labels with P(harm) = sigmoid(c_i - c_j) in each ordered cell and unsafe flags with "
    "P(unsafe) = sigmoid(c(y)) for each response in each position: with n = 8 responses and P = 2000 pairs each "
    "Pearson statistic stays below its chi-square quantile at false-alarm 1e-9; no pair has i = j and every id is "
    "in [0, n).",
    source=[_DAI],
    provenance="M",
    kind="theorem",
    tolerance="chi-square upper quantiles at 1e-9 (Pearson statistics with >= 20 expected counts per pair cell and "
    ">= 125 draws per flag cell; costs of scale 0.6 keep every cell probability in [0.1, 0.9]); ids exact",
    rice={"I", "R"},
    stage="forward:feedback",
)
def check_dual_preferences_simulation_law(ctx: Context) -> Evidence:
    """Predicted: the documented law (uniform ordered pairs, logistic harm and unsafe probabilities).

    Measured: one draw of P = 2000 pairs on n = 8 responses (the shape ``safety.bt_identifiability``
    compiles); Pearson statistics of the pair cells, of the harm labels per ordered cell (binomial
    variance), of the unsafe flags per (response, position). A response never drawn first, a swapped
    difference or a flag drawn for the wrong response moves a statistic far past its quantile.
    """
    from scipy.stats import chi2

    from aligntheory.kernels import safety as K

    n, P = 8, 2000
    rng = ctx.rng(93)
    c = rng.normal(size=n) * 0.6
    c = np.clip(c - c.mean(), -1.05, 1.05)  # |c_i - c_j| <= 2.1, |c| <= 1.05: probabilities in [0.1, 0.9]
    data = K.simulate_dual_preferences(ctx.key(93), c, P)
    pairs, harm, unsafe = (np.asarray(x) for x in data)
    bad: list[str] = []
    if not (pairs.shape == (P, 2) and harm.shape == (P,) and unsafe.shape == (P, 2) and harm.dtype == bool
            and unsafe.dtype == bool):
        bad.append(f"shapes/dtypes {pairs.shape}, {harm.shape} {harm.dtype}, {unsafe.shape} {unsafe.dtype}")
        return Evidence(verdict=Verdict.FAIL, predicted={}, measured={"problems": bad}, tolerance="exact", why="shapes")
    i, j = pairs[:, 0], pairs[:, 1]
    if not (np.all(i != j) and pairs.min() >= 0 and pairs.max() < n):
        bad.append(f"ids: {int(np.sum(i == j))} pairs with i = j, range [{pairs.min()}, {pairs.max()}]")
    sig = lambda x: 1.0 / (1.0 + np.exp(-x))  # noqa: E731
    cells = np.zeros((n, n))
    np.add.at(cells, (i, j), 1.0)
    off = ~np.eye(n, dtype=bool)
    e_pair = P / (n * (n - 1))
    stat_pair = float(np.sum((cells[off] - e_pair) ** 2 / e_pair) + np.sum(cells[~off]) * 1e9)
    q_pair = float(chi2.isf(_ALPHA, n * (n - 1) - 1))
    hsum = np.zeros((n, n))
    np.add.at(hsum, (i, j), harm.astype(float))
    p_h = sig(c[:, None] - c[None, :])
    used = off & (cells > 0)
    stat_harm = float(np.sum((hsum[used] - cells[used] * p_h[used]) ** 2 / (cells[used] * p_h[used] * (1 - p_h[used]))))
    q_harm = float(chi2.isf(_ALPHA, int(used.sum())))
    stat_unsafe, n_flag_cells = 0.0, 0
    for pos in (0, 1):
        cnt = np.bincount(pairs[:, pos], minlength=n).astype(float)
        fl = np.bincount(pairs[:, pos], weights=unsafe[:, pos].astype(float), minlength=n)
        ok = cnt > 0
        pu = sig(c)[ok]
        stat_unsafe += float(np.sum((fl[ok] - cnt[ok] * pu) ** 2 / (cnt[ok] * pu * (1 - pu))))
        n_flag_cells += int(ok.sum())
    q_unsafe = float(chi2.isf(_ALPHA, n_flag_cells))
    for name, st, q in (("pairs", stat_pair, q_pair), ("harm", stat_harm, q_harm), ("unsafe", stat_unsafe, q_unsafe)):
        if not st <= q:
            bad.append(f"{name}: Pearson statistic {st:.4g} above its 1e-9 quantile {q:.4g}")
    return Evidence(
        verdict=Verdict.of(not bad),
        predicted={"quantiles (pairs, harm, unsafe)": [q_pair, q_harm, q_unsafe]},
        measured={"statistics (pairs, harm, unsafe)": [stat_pair, stat_harm, stat_unsafe], "problems": bad},
        tolerance="chi-square quantile at 1e-9 each",
        why="Pearson statistics of multinomial / binomial counts are asymptotically chi-square; 1e-9 keeps the "
        "three false alarms together below 3e-9 per seed",
        sizes={"n": n, "P": P},
        details="; ".join(bad) or "all three statistics below their quantiles",
    )

"""Figure of :class:`aligntheory.analysis.chain_tree.ChainTreeMap` (matplotlib, imported lazily)."""

from __future__ import annotations

from typing import Any

import numpy as np

from aligntheory import _optional


def plot_map(m: Any, path: Any = None):
    """Heat map of ln(chain/tree) (exact) per configuration and size, and ratio curves with 95% intervals."""
    mpl = _optional.require("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    ns = np.asarray(m.n_comparisons, dtype=float)
    labels = [c.label() for c in m.configs]
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(15, 0.55 * len(labels) + 3.5),
                                   gridspec_kw={"width_ratios": [1.2, 1]})
    lr = m.log_ratio_exact
    lim = float(max(np.max(np.abs(lr)), 0.1))
    im = ax0.imshow(lr, cmap="RdBu", vmin=-lim, vmax=lim, aspect="auto")
    ax0.set_xticks(range(len(ns)), [f"$2^{{{int(round(np.log2(n)))}}}$" for n in ns])
    ax0.set_yticks(range(len(labels)), labels, fontsize=8)
    for i in range(lr.shape[0]):
        for j in range(lr.shape[1]):
            lo, hi = m.ci_exact[i, j]
            mark = "" if lo <= 0 <= hi else "*"
            ax0.text(j, i, f"{np.exp(lr[i, j]):.2f}{mark}", ha="center", va="center", fontsize=7)
    ax0.set_xlabel("budget n (chain comparisons)")
    ax0.set_title("chain/tree ratio of mean exact inference distance\n(blue > 1: tree wins; * : 95% CI excludes 1)",
                  fontsize=9)
    fig.colorbar(im, ax=ax0, label="ln(chain / tree)")
    for i, lab in enumerate(labels):
        r = np.exp(m.log_ratio_exact[i])
        ci = np.exp(m.ci_exact[i])
        line = ax1.plot(ns, r, marker="o", label=lab)[0]
        ax1.fill_between(ns, ci[:, 0], ci[:, 1], color=line.get_color(), alpha=0.15)
        if m.crossover[i] is not None and m.crossover[i] > ns[0]:
            ax1.axvline(m.crossover[i], color=line.get_color(), ls=":", lw=1)
    ax1.axhline(1.0, color="k", lw=0.8)
    head = np.log(ns) / np.log(np.log(ns))
    ax1.plot(ns, head / head[0], color="grey", ls="--", label="ln n / ln ln n (scaled to 1 at n[0])")
    ax1.set_xscale("log", base=2)
    ax1.set_yscale("log")
    ax1.set_xlabel("budget n")
    ax1.set_ylabel("chain / tree (exact)")
    ax1.set_title(f"ratio with 95% nested-bootstrap interval ({m.seeds} seeds x {m.eval_pairs} pairs); dotted: n*",
                  fontsize=9)
    ax1.legend(fontsize=6, loc="best")
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=130)
    return fig

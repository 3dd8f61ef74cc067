"""Chain vs tree preference datasets in the reference universe: the map of issue 16 [R].

For each configuration of the universe (:class:`ChainTreeConfig`: branching ``B`` and depth ``D``,
tree expansion ``b``/``d``, structural-function regime and exponent, HP variance, how prefixes
induce IB edges, what "equal budget" means) and each budget :math:`n`, :func:`chain_tree_sweep`
draws one chain and one tree dataset per seed (:func:`aligntheory.kernels.ibn.chain_tree_datasets_batched`,
seeds sharded over the local devices), builds their IBNs with shared evaluation responses
(:func:`aligntheory.theory.ibn.ibn_from_universe`) and measures the mean inference distance of
the evaluation pairs twice: exactly (effective resistance, :func:`aligntheory.numerics.effective_resistance_pairs`,
AMG-PCG above 20,000 nodes) and by the path surrogate (:func:`aligntheory.theory.ibn.inference_distances`,
``method="path"``). The result (:class:`ChainTreeMap`) holds :math:`\\ln(\\bar d_{\\rm chain}/\\bar d_{\\rm tree})`
with nested-bootstrap intervals (seeds, then pairs), the crossover budget :math:`n^*` beyond which
the tree wins, and the growth of the ratio against :math:`\\ln n/\\ln\\ln n` beyond it.

The universe, the dataset procedures and the evaluation law are our reconstruction [R]; the full
text of Qiu et al. (arXiv 2402.10184) was not available to us.
"""

from __future__ import annotations

import argparse
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.results import provenance

__all__ = ["ChainTreeConfig", "ChainTreeMap", "chain_tree_sweep", "REFERENCE_CONFIG", "add_cli", "run_cli"]


@provenance("R", source="qiu2024reward", where="§4 chain vs tree datasets; universe and switches ours (issue 16)")
@dataclass(frozen=True)
class ChainTreeConfig:
    """One configuration of the reference universe and of the comparison [R].

    Attributes
    ----------
    B : int, default 8
        Universe branching (>= 2); the universe has :math:`B^D` possible responses.
    D : int, default 6
        Universe depth (>= 1).
    b : int, default 2
        Tree expansion branching :math:`2\\le b\\le B`.
    d : int, default 5
        Tree expansion depth :math:`1\\le d\\le D`.
    regime : {"poly", "log", "sublog"}
        Structural function family (:class:`~aligntheory.theory.ibn.StructuralFunction`).
    alpha : float, default 1.0
        Exponent of the structural function, > 0.
    I : float, default 1.0
        :math:`F(1)`, > 0.
    s2 : float, default 1e-4
        HP variance :math:`\\sigma^2_{\\rm HP} > 0` of every comparison.
    ib_sharing : {"prefix", "root_only"}
        How prefixes induce IB edges (:func:`~aligntheory.theory.ibn.ibn_from_universe`).
    budget : {"comparisons", "annotation"}
        Equal number of comparisons, or equal total annotation length (the tree gets as many
        comparisons as fit in the chain's expected total length; lengths as in
        :func:`~aligntheory.theory.ibn.annotation_lengths`, tree comparisons of the
        ``cross_subtree`` policy, one per internal node).

    Examples
    --------
    >>> ChainTreeConfig(ib_sharing="root_only").label()
    'B8 D6 b2 d5 poly(1) s2=0.0001 root_only comparisons'
    """

    B: int = 8
    D: int = 6
    b: int = 2
    d: int = 5
    regime: Literal["poly", "log", "sublog"] = "poly"
    alpha: float = 1.0
    I: float = 1.0
    s2: float = 1e-4
    ib_sharing: Literal["prefix", "root_only"] = "prefix"
    budget: Literal["comparisons", "annotation"] = "comparisons"

    def __post_init__(self) -> None:
        B = V.check_int("B", self.B, lo=2)
        D = V.check_int("D", self.D, lo=1)
        V.check_int("b", self.b, lo=2, hi=B)
        V.check_int("d", self.d, lo=1, hi=D)
        V.check_choice("regime", self.regime, ("poly", "log", "sublog"))
        V.check_scalar("alpha", self.alpha, positive=True)
        V.check_scalar("I", self.I, positive=True)
        V.check_scalar("s2", self.s2, positive=True)
        V.check_choice("ib_sharing", self.ib_sharing, ("prefix", "root_only"))
        V.check_choice("budget", self.budget, ("comparisons", "annotation"))

    def label(self) -> str:
        """Short human-readable label (figure rows)."""
        return (f"B{self.B} D{self.D} b{self.b} d{self.d} {self.regime}({self.alpha:g}) s2={self.s2:g} "
                f"{self.ib_sharing} {self.budget}")


REFERENCE_CONFIG = ChainTreeConfig()
"""The reference universe of claim ``ibn.mechanism_ratio_vs_simulation``: B=8, D=6, b=2, d=5, poly F (alpha=1), s2=1e-4."""


@provenance("R", source="qiu2024reward", where="§4 chain vs tree; map ours (issue 16)")
@dataclass(frozen=True)
class ChainTreeMap:
    """Result of :func:`chain_tree_sweep` (a phase diagram of :math:`\\ln(\\bar d_{\\rm chain}/\\bar d_{\\rm tree})`).

    Attributes
    ----------
    configs : tuple of ChainTreeConfig
    n_comparisons : ndarray of int64, shape (n_sizes,)
        Chain budgets :math:`n`.
    mean_exact, mean_path : ndarray, shape (n_configs, n_sizes, 2)
        Mean inference distance over seeds and evaluation pairs, ``[..., 0]`` chain, ``[..., 1]`` tree.
    log_ratio_exact, log_ratio_path : ndarray, shape (n_configs, n_sizes)
        :math:`\\ln(\\bar d_{\\rm chain}/\\bar d_{\\rm tree})`; positive: the tree dataset wins.
    ci_exact, ci_path : ndarray, shape (n_configs, n_sizes, 2)
        95% nested-bootstrap intervals (seeds, then pairs within seeds) of the log ratios.
    stderr_exact : ndarray, shape (n_configs, n_sizes)
        Bootstrap standard error of ``log_ratio_exact``.
    n_tree : ndarray of int64, shape (n_configs, n_sizes)
        Tree comparisons used (equal to ``n`` unless ``budget="annotation"``).
    crossover : tuple of (float or None)
        Per configuration, :math:`n^*` (exact metric): the budget from which the tree wins at every
        larger size of the grid (log-linear interpolation of the zero crossing); ``None`` unless the
        tree wins at the largest size with a 95% interval excluding 1; ``n[0]`` when it wins throughout.
    growth_quotient : tuple of tuple of float
        Per configuration, :math:`q(n) = \\text{ratio}/(\\ln n/\\ln\\ln n)` at the sizes beyond :math:`n^*`.
    growth_drift : tuple of (float or None)
        OLS slope of :math:`\\ln q` on :math:`\\ln n` beyond :math:`n^*` (``None`` with fewer than 2 points).
    seeds, eval_pairs : int
    methods : tuple of str
        Solver back ends used for the exact distances.

    Examples
    --------
    >>> ChainTreeMap.__dataclass_fields__["crossover"].name
    'crossover'
    """

    configs: tuple
    n_comparisons: np.ndarray
    mean_exact: np.ndarray
    mean_path: np.ndarray
    log_ratio_exact: np.ndarray
    log_ratio_path: np.ndarray
    ci_exact: np.ndarray
    ci_path: np.ndarray
    stderr_exact: np.ndarray
    n_tree: np.ndarray
    crossover: tuple
    growth_quotient: tuple
    growth_drift: tuple
    seeds: int
    eval_pairs: int
    methods: tuple

    def summary(self) -> list[dict[str, Any]]:
        """One JSON-ready row per configuration and size."""
        rows = []
        for i, c in enumerate(self.configs):
            for j, n in enumerate(self.n_comparisons):
                rows.append({**asdict(c), "n": int(n), "n_tree": int(self.n_tree[i, j]),
                             "ratio_exact": float(np.exp(self.log_ratio_exact[i, j])),
                             "ci_exact": [float(np.exp(x)) for x in self.ci_exact[i, j]],
                             "ratio_path": float(np.exp(self.log_ratio_path[i, j])),
                             "ci_path": [float(np.exp(x)) for x in self.ci_path[i, j]],
                             "mean_exact_chain": float(self.mean_exact[i, j, 0]),
                             "mean_exact_tree": float(self.mean_exact[i, j, 1]),
                             "crossover": self.crossover[i]})
        return rows

    def plot(self, path: Any = None):
        """Phase diagram (heat map of :math:`\\ln` ratio) and ratio curves; saved to ``path`` when given.

        Returns the matplotlib figure (matplotlib imported lazily, extra ``verify``): 15 inches wide and
        ``0.55 * n_configs + 3.5`` high, saved at 130 dpi. Left: the heat map, one row per configuration
        (labels 8 pt), each cell the exact ratio to two decimals (7 pt; ``*`` when the 95 % interval
        excludes 1); right: the ratio curves with their intervals (legend 6 pt); both titles 9 pt.
        """
        from aligntheory.analysis._chain_tree_plot import plot_map

        return plot_map(self, path)


def _tree_length_per_comparison(D: int, b: int, d: int) -> float:
    """Mean annotation length of cross_subtree comparisons: one per internal node, a depth-h node's pair reads 2(D-h)."""
    depths = np.concatenate([np.full(b**h, h) for h in range(d)])
    return float(np.mean(2 * (D - depths)))


def _chain_length_per_comparison(B: int, D: int) -> float:
    """Expected annotation length of a chain comparison: 2(D - E[shared]), P(shared >= k) = B^-k."""
    return float(2 * (D - np.sum(float(B) ** -np.arange(1, D + 1))))


def _log_ratio_boot(chain: np.ndarray, tree: np.ndarray, rng: np.random.Generator, n_boot: int):
    """ln(mean chain/mean tree), its bootstrap SE and 95% interval; arrays (seeds, pairs); nested bootstrap."""
    est = float(np.log(chain.mean() / tree.mean()))
    S, K = chain.shape
    si = rng.integers(0, S, (n_boot, S))
    pi = rng.integers(0, K, (n_boot, S, K))
    c = np.take_along_axis(chain[si], pi, axis=2).mean(axis=(1, 2))
    t = np.take_along_axis(tree[si], pi, axis=2).mean(axis=(1, 2))
    boot = np.log(c / t)
    return est, float(np.std(boot, ddof=1)), np.quantile(boot, [0.025, 0.975])


def _crossover(ns: np.ndarray, lr: np.ndarray) -> float | None:
    if lr[-1] <= 0:
        return None
    neg = np.flatnonzero(lr <= 0)
    if len(neg) == 0:
        return float(ns[0])
    j = neg[-1]  # last size where the chain still wins; the tree wins at every size after it
    x0, x1 = np.log(ns[j]), np.log(ns[j + 1])
    t = lr[j] / (lr[j] - lr[j + 1])
    return float(np.exp(x0 + t * (x1 - x0)))


@provenance("R", source="qiu2024reward", where="§4 chain vs tree at equal budget; universe and map ours (issue 16)")
def chain_tree_sweep(n_comparisons: Any = (2**8, 2**10, 2**12), configs: Any = (REFERENCE_CONFIG,), *,
                     seeds: int = 4, eval_pairs: int = 16, seed: int = 0, n_boot: int = 1000,
                     devices: Any = None, max_comparisons: int = 2**20, progress: Any = None) -> ChainTreeMap:
    """Map :math:`\\ln(\\bar d_{\\rm chain}/\\bar d_{\\rm tree})` over budgets and universe configurations [R].

    .. math:: \\rho(n) = \\frac{\\mathbb E_{y,y'}\\,d_{\\rm chain}(y,y')}{\\mathbb E_{y,y'}\\,d_{\\rm tree}(y,y')},
              \\qquad q(n) = \\rho(n)\\Big/\\frac{\\ln n}{\\ln\\ln n}

    with :math:`d` the exact inference distance (effective resistance, [M]) or its path surrogate
    ([R]), :math:`y, y'` uniform responses of the universe (the same ``eval_pairs`` pairs for both
    datasets of a seed), chain and tree datasets of spec ``ibn.md`` §2.5 at equal budget. The
    paper's headline [V] is that :math:`\\rho` grows like :math:`\\Theta(\\ln n/\\ln\\ln n)`; this
    function measures :math:`\\rho` in our universe (reconstruction; the full text was not
    available to us).

    Parameters
    ----------
    n_comparisons : sequence of int
        Chain budgets, increasing, each in ``[16, max_comparisons]``.
    configs : sequence of ChainTreeConfig
    seeds : int, default 4
        Datasets per topology and size (>= 2, for the bootstrap).
    eval_pairs : int, default 16
        Evaluation pairs per seed (>= 2).
    seed : int, default 0
        Master seed, >= 0 (datasets through JAX keys, evaluation pairs and bootstrap through numpy).
    n_boot : int, default 1000
        Bootstrap resamples (>= 100).
    devices : sequence of jax.Device, optional
        Devices for the sharded dataset generation (default all).
    max_comparisons : int, default 2**20
        Size cap on the chain budgets, checked before any work (``SizeCapError`` past it); the tree
        comparisons of a configuration are capped at four times it.
    progress : callable, optional
        Called with a one-line message after each (configuration, size).

    Returns
    -------
    ChainTreeMap

    Raises
    ------
    InvalidInputError
        Sizes not increasing or below 16, bad configurations, ``seeds`` or ``eval_pairs`` below 2.
    SizeCapError
        A budget above ``max_comparisons``.

    Notes
    -----
    Per configuration, size and seed: two IBNs of :math:`O(nD)` nodes; exact distances by one
    AMG hierarchy and one block of ``eval_pairs`` simultaneous CG solves (near-linear; sparse LU
    below 20,000 nodes), path distances by ``eval_pairs`` Dijkstra runs. At :math:`2^{18}`
    comparisons (264,072-node chain IBN) a seed costs about 40 s of CPU: IBN construction ~14 s,
    AMG setup ~2 s and block CG ~10 s, path surrogate ~4 s, for the chain; less for the tree.

    Examples
    --------
    >>> m = chain_tree_sweep([64], seeds=2, eval_pairs=4, n_boot=200)
    >>> m.log_ratio_exact.shape, m.ci_exact.shape, m.methods
    ((1, 1), (1, 1, 2), ('splu',))
    """
    import jax

    from aligntheory.kernels import ibn as KI
    from aligntheory.numerics import effective_resistance_pairs
    from aligntheory.theory import ibn as T

    ns = np.array([V.check_int("n_comparisons", x, lo=16) for x in np.atleast_1d(np.asarray(n_comparisons))],
                  dtype=np.int64)
    if len(ns) == 0 or np.any(np.diff(ns) <= 0):
        raise InvalidInputError("n_comparisons", "must be a non-empty increasing sequence", received=ns.tolist())
    V.check_size("n_comparisons", int(ns.max()), cap=max_comparisons, unit="comparisons")
    cfgs = tuple(configs)
    if not cfgs or not all(isinstance(c, ChainTreeConfig) for c in cfgs):
        raise InvalidInputError("configs", "must be a non-empty sequence of ChainTreeConfig", received=repr(cfgs)[:80])
    S = V.check_int("seeds", seeds, lo=2)
    K = V.check_int("eval_pairs", eval_pairs, lo=2)
    n_boot = V.check_int("n_boot", n_boot, lo=100)
    seed = V.check_int("seed", seed, lo=0)
    shape = (len(cfgs), len(ns))
    mean_e, mean_p = np.zeros(shape + (2,)), np.zeros(shape + (2,))
    lr_e, lr_p, se_e = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    ci_e, ci_p = np.zeros(shape + (2,)), np.zeros(shape + (2,))
    n_tree = np.zeros(shape, dtype=np.int64)
    methods: set[str] = set()
    boot_rng = np.random.default_rng([seed, 16, 1])
    for i, c in enumerate(cfgs):
        F = T.StructuralFunction(c.regime, c.I, c.alpha)
        tau = T.tau_schedule(F, c.B, c.D)
        for j, n in enumerate(ns):
            if c.budget == "annotation":
                nt = max(1, int(np.floor(n * _chain_length_per_comparison(c.B, c.D)
                                         / _tree_length_per_comparison(c.D, c.b, c.d))))
            else:
                nt = int(n)
            V.check_size("n_tree", nt, cap=4 * max_comparisons, unit="comparisons")
            n_tree[i, j] = nt
            keys = jax.random.split(jax.random.PRNGKey(seed * 7919 + j), S)
            data = KI.chain_tree_datasets_batched(keys, int(n), nt, c.B, c.D, c.b, c.d, devices=devices,
                                                  max_comparisons=4 * max_comparisons)
            ev_rng = np.random.default_rng([seed, i, j])
            d_e = np.zeros((2, S, K))
            d_p = np.zeros((2, S, K))
            for s in range(S):
                ev = ev_rng.integers(0, c.B, (2 * K, c.D))
                for t, (resp, pairs) in enumerate(((data.chain_responses[s], data.chain_pairs[s]),
                                                   (data.tree_responses[s], data.tree_pairs[s]))):
                    resp = np.asarray(resp).astype(np.int64)
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", UserWarning)  # identical responses compared: self-loops
                        g = T.ibn_from_universe(np.concatenate([resp, ev]), c.B, tau, np.asarray(pairs), c.s2,
                                                ib_sharing=c.ib_sharing)
                    ep = g.response_node[len(resp) + np.arange(2 * K).reshape(K, 2)]
                    r = effective_resistance_pairs(g.n_nodes, g.edges, ep, variances=g.variances)
                    methods.add(r.method)
                    d_e[t, s] = r.values
                    d_p[t, s] = T.inference_distances(g, ep, method="path")
            mean_e[i, j] = d_e.mean(axis=(1, 2))
            mean_p[i, j] = d_p.mean(axis=(1, 2))
            lr_e[i, j], se_e[i, j], ci_e[i, j] = _log_ratio_boot(d_e[0], d_e[1], boot_rng, n_boot)
            lr_p[i, j], _, ci_p[i, j] = _log_ratio_boot(d_p[0], d_p[1], boot_rng, n_boot)
            if progress is not None:
                progress(f"{c.label()}  n={int(n)}: chain/tree exact {np.exp(lr_e[i, j]):.3f} "
                         f"[{np.exp(ci_e[i, j, 0]):.3f}, {np.exp(ci_e[i, j, 1]):.3f}], path {np.exp(lr_p[i, j]):.3f}")
    cross, quots, drifts = [], [], []
    for i in range(len(cfgs)):
        ns_f = ns.astype(float)
        # a crossover needs a tree win whose 95% interval excludes 1 at the largest size (not noise around 1)
        nstar = _crossover(ns_f, lr_e[i]) if ci_e[i, -1, 0] > 0 else None
        cross.append(nstar)
        sel = ns_f >= nstar if nstar is not None else np.zeros(len(ns), bool)
        sel &= lr_e[i] > 0
        head = np.log(ns_f[sel]) / np.log(np.log(ns_f[sel]))
        q = np.exp(lr_e[i][sel]) / head
        quots.append(tuple(float(x) for x in q))
        drifts.append(float(np.polyfit(np.log(ns_f[sel]), np.log(q), 1)[0]) if len(q) >= 2 else None)
    return ChainTreeMap(cfgs, ns, mean_e, mean_p, lr_e, lr_p, ci_e, ci_p, se_e, n_tree, tuple(cross), tuple(quots),
                        tuple(drifts), S, K, tuple(sorted(methods)))


# ----------------------------------------------------------------------------------------------
# CLI: aligntheory ibn chain-tree


def _grid(quick: bool) -> tuple[list[int], list[ChainTreeConfig], int]:
    if quick:  # the grid of docs/figures/chain_vs_tree.png
        return [2**8, 2**10, 2**12], [REFERENCE_CONFIG, ChainTreeConfig(ib_sharing="root_only"),
                                      ChainTreeConfig(budget="annotation"), ChainTreeConfig(regime="log"),
                                      ChainTreeConfig(D=8)], 3
    ns = [2**k for k in range(8, 19, 2)]
    cfgs = [REFERENCE_CONFIG, ChainTreeConfig(ib_sharing="root_only"), ChainTreeConfig(budget="annotation"),
            ChainTreeConfig(regime="log"), ChainTreeConfig(alpha=0.5), ChainTreeConfig(s2=1e-2),
            ChainTreeConfig(D=8, d=5), ChainTreeConfig(b=4, d=3)]
    return ns, cfgs, 4


@provenance("M", where="command-line entry point (argparse)")
def add_cli(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``chain-tree`` (``aligntheory ibn chain-tree [--quick] [--out DIR]``) to the ``ibn`` sub-parsers.

    Examples
    --------
    >>> import argparse
    >>> sub = argparse.ArgumentParser().add_subparsers()
    >>> args = add_cli(sub).parse_args(["--quick"])
    >>> args.quick, args.func is run_cli
    (True, True)
    """
    p = subparsers.add_parser("chain-tree", help="map chain vs tree preference datasets (issue 16 phase diagram)")
    p.add_argument("--quick", action="store_true", help="3 sizes up to 2^12, 5 configurations (the shipped figure; minutes)")
    p.add_argument("--out", default="chain-tree", help="directory for chain_vs_tree.png and chain_vs_tree.json")
    p.add_argument("--seeds", type=int, default=None, help="datasets per topology and size")
    p.add_argument("--eval-pairs", type=int, default=16, help="evaluation pairs per seed (default 16)")
    p.add_argument("--max-exp", type=int, default=None, help="largest budget 2^k of the grid, at least 8 (default: the grid's own, 2^18; 2^12 with --quick)")
    p.set_defaults(func=run_cli)
    return p


@provenance("M", where="command-line entry point (argparse)")
def run_cli(args: Any) -> int:
    """Run ``aligntheory ibn chain-tree``: sweep, write ``chain_vs_tree.json`` and ``chain_vs_tree.png``.

    Returns the exit status (2 on a library error, printed on stderr).

    Examples
    --------
    >>> run_cli.__name__
    'run_cli'
    """
    import json
    import sys

    from aligntheory.errors import AlignTheoryError

    ns, cfgs, seeds = _grid(bool(getattr(args, "quick", False)))
    max_exp = getattr(args, "max_exp", None)
    if max_exp is not None:
        lo = ns[0].bit_length() - 1
        if int(max_exp) < lo:  # an empty grid would sweep nothing
            print(f"aligntheory ibn chain-tree: --max-exp must be at least {lo} (the grid's smallest budget is "
                  f"2^{lo}); got {max_exp}", file=sys.stderr)
            return 2
        ns = [n for n in ns if n <= 2 ** int(max_exp)]
    try:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        m = chain_tree_sweep(ns, cfgs, seeds=args.seeds or seeds, eval_pairs=args.eval_pairs,
                             progress=lambda s: print(s, flush=True))
    except (AlignTheoryError, OSError) as exc:
        print(f"aligntheory ibn chain-tree: {exc}", file=sys.stderr)
        return 2
    (out / "chain_vs_tree.json").write_text(json.dumps({"rows": m.summary(), "crossover": list(m.crossover),
                                                        "growth_drift": list(m.growth_drift),
                                                        "methods": list(m.methods)}, indent=1))
    m.plot(out / "chain_vs_tree.png")
    print(f"wrote {out / 'chain_vs_tree.png'} and {out / 'chain_vs_tree.json'}")
    return 0

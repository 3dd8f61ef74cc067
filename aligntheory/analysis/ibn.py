"""Comparison-graph analysis of a real preference dataset (spec ``ibn.md`` §2.3--§2.6, §3.2).

:func:`analyse_preferences` reads RLHF preference records (TRL convention: ``prompt``,
``chosen``, ``rejected``; or ``chosen``/``rejected`` alone with an implicit prompt) or
Chatbot-Arena battles (``model_a``, ``model_b``, ``winner``), builds the induced Bayesian network
(IBN) of the dataset, and reports its structure (components, degrees, chain-like versus
tree-like), the exact inference distances (effective resistances) between responses, the number of
comparisons needed for a target variance, and Bradley--Terry scores with standard errors, ranked
within their comparison components.

Modelling choices (each tagged with its provenance):

* **Nodes.** Pairwise records: one node per distinct ``(prompt, response)``; identical responses
  to the same prompt are one node [M: the reward is a function of the response]. A record without
  ``prompt`` has an implicit prompt: the shared prefix of ``chosen`` and ``rejected`` (TRL's
  convention; a space before the split goes with the responses; for chat messages, the shared
  leading messages). Arena battles: one node per model (the arena is one context).
* **HP edges** [M values, R plug-in]. One edge per compared pair with the binary Fisher variance
  :math:`1/(\\beta^2p(1-p))` of spec §2.3 per comparison (the library's
  ``aligntheory.theory.ibn.hp_edge_var(feedback="binary")``), evaluated at a **plug-in**
  :math:`p=\\sigma(\\beta(\\hat r_a-\\hat r_b))` from the fitted Bradley--Terry scores, or a fixed variance
  given by ``hp_var``.
* **IB edges** [R: reconstruction; the full text was not available to us]. Responses to the same
  prompt are linked through a **latent prompt node** by inductive-bias edges of variance
  ``ib_var`` each (default 4.0, the variance of one maximally informative binary comparison at
  :math:`\\beta=1`; spec §2.4--§2.5). Set ``ib_var=None`` for the comparison graph alone.
* **Ties** (arena). ``"tie"`` and ``"tie (bothbad)"`` count as one comparison with half a win
  to each model.
* **Distances at scale.** Resistances are computed for a uniform sample of ``max_pairs``
  same-component node pairs and a uniform sample of ``max_pairs`` compared pairs (all of them when
  fewer), never for every edge. Components never exchange current, so the sampled components are
  solved together in groups of at most ``group_nodes`` nodes, joined by bridge edges (which carry
  no current and change no resistance inside a component), each group with one call of the
  library's ``aligntheory.theory.ibn.effective_resistance``.
* **Sample size** [M given the plug-in variances]. Repeating every comparison :math:`t` times
  multiplies every HP conductance by :math:`t`; the report gives the smallest :math:`t` (by
  bisection on exact resistances of the sampled pairs) at which their 90th percentile falls to
  the target variance, and :math:`t\\times` the current number of comparisons.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph

from aligntheory import _validate as V
from aligntheory._optional import require
from aligntheory.analysis._arena_io import safe_csv_cell
from aligntheory.analysis._ibn_graph import (
    _bt_fit,
    _Components,
    _hp_cond,
    _multiplier,
    _quantiles,
    _resistances,
    _sample_pairs,
)
from aligntheory.analysis._ibn_read import iter_records, parse_records
from aligntheory.errors import AlignTheoryError, InvalidInputError
from aligntheory.results import provenance

__all__ = ["analyse_preferences", "PreferenceAnalysis", "load_records", "add_cli", "run_cli", "EXAMPLE_PATH"]

EXAMPLE_PATH = Path(__file__).resolve().parent.parent / "data" / "example_preferences.jsonl"


# ----------------------------------------------------------------------------------------------
# input


@provenance("M", where="input parsing")
def load_records(source: Any) -> list[dict]:
    """Records from a list of dicts, a path (JSON Lines, JSON array, CSV, Parquet) or a pandas DataFrame.

    Blank lines of a JSON Lines file are skipped; a line that is not JSON raises
    :class:`~aligntheory.errors.InvalidInputError` naming the file and its 1-based line number; a
    file that is not UTF-8 text raises :class:`~aligntheory.errors.InvalidInputError` too.
    :func:`analyse_preferences` streams files instead of loading them.

    Examples
    --------
    >>> load_records([{"prompt": "p", "chosen": "a", "rejected": "b"}])[0]["chosen"]
    'a'
    """
    return [rec for rec, _ in iter_records(source)]


# ----------------------------------------------------------------------------------------------
# result


@provenance("M", source="hendrickx2019graph", where="effective resistance of the Fisher-weighted comparison graph")
@dataclass(frozen=True)
class PreferenceAnalysis:
    """What :func:`analyse_preferences` found. ``to_dict()`` gives a JSON-ready summary.

    Per-node arrays (``scores``, ``stderr``, ``component``, ``rank_in_component``,
    ``prior_only``, ``degrees``) are aligned with ``labels``: a node's response text, at most 120
    characters (a longer one keeps its first 119 and ends with "…"), prefixed by ``[k] `` (its
    prompt's number, from 0 in order of appearance) for pairwise records. ``component`` numbers the connected
    components of the comparison graph (HP edges only: Bradley--Terry scores are comparable only
    inside one); ``rank_in_component`` is 1 for the best score of its component; ``prior_only`` marks
    items outside every strongly connected part of the beats graph (their maximum-likelihood score is
    unbounded: the number shown comes from the prior).

    Attributes
    ----------
    seed : int, default 0
        Seed of the edge and pair samples (the ``seed`` given to :func:`analyse_preferences`).

    Examples
    --------
    >>> a = analyse_preferences([{"prompt": "p", "chosen": "a", "rejected": "b"},
    ...                          {"prompt": "p", "chosen": "a", "rejected": "b"},
    ...                          {"prompt": "p", "chosen": "b", "rejected": "a"}], hp_var=4.0, ib_var=None)
    >>> a.n_nodes, a.rank_in_component.tolist(), a.prior_only.tolist()
    (2, [1, 2], [False, False])
    """

    kind: str
    n_records: int
    n_comparisons: float
    n_nodes: int
    n_prompts: int
    n_latent: int
    n_dropped_self: int
    n_implicit_prompts: int
    labels: list[str]
    components: list[list[int]]
    degree: dict[str, float]
    structure: str
    structure_fractions: dict[str, float]
    cyclomatic_number: int
    reff_edges: dict[str, float]
    n_edges_sampled: int
    reff_pairs: dict[str, float]
    n_pairs_sampled: int
    beta: float
    hp_var_rule: str
    ib_var: float | None
    scores: np.ndarray
    stderr: np.ndarray | None
    component: np.ndarray
    rank_in_component: np.ndarray
    prior_only: np.ndarray
    bt_prior_strength: float
    bt_method: str
    bt_solver: str
    bt_grad_norm: float
    seed: int = 0
    target_variance: float | None = None
    recommended_multiplier: float | None = None
    recommended_comparisons: float | None = None
    recommendation_note: str = ""
    reff_values: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    degrees: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)

    def to_dict(self) -> dict:
        """JSON-ready summary (per-node arrays other than scores and stderr are left out)."""
        skip = {"scores", "stderr", "reff_values", "degrees", "component", "rank_in_component", "prior_only",
                "components", "labels"}
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in skip}  # no deep copies
        d = {k: (dict(v) if isinstance(v, dict) else v) for k, v in d.items()}
        d["scores"] = [float(x) for x in self.scores]
        d["stderr"] = None if self.stderr is None else [float(x) for x in self.stderr]
        d["n_prior_only"] = int(np.sum(self.prior_only))
        d["component_sizes"] = sorted((len(c) for c in self.components), reverse=True)[:1000]
        d["n_components"] = len(self.components)
        return d

    def table(self):
        """A ``rich`` table of the summary."""
        Table = require("rich.table").Table

        t = Table(title=f"IBN analysis ({self.kind})", show_header=True)
        t.add_column("quantity")
        t.add_column("value", overflow="fold")

        def q(d):
            return ", ".join(f"{k} {v:.4g}" for k, v in d.items())

        sizes = sorted((len(c) for c in self.components), reverse=True)
        rows = [
            ("records / comparisons", f"{self.n_records} / {self.n_comparisons:g} ({self.n_dropped_self} "
                                      "self-comparisons dropped)"),
            ("response nodes / prompts / latent nodes", f"{self.n_nodes} / {self.n_prompts} / {self.n_latent}"),
            ("connected components (with IB edges)", f"{len(self.components)}; largest sizes {sizes[:5]}"),
            ("HP degree (comparisons per node)", q(self.degree)),
            ("structure", f"{self.structure} ({q(self.structure_fractions)}); cyclomatic number "
                          f"{self.cyclomatic_number}"),
            ("R_eff on compared pairs", q(self.reff_edges)),
            (f"inference distance, {self.n_pairs_sampled} sampled same-component pairs", q(self.reff_pairs)),
            ("HP edge variance", self.hp_var_rule),
            ("IB edge variance [R]", "none" if self.ib_var is None else f"{self.ib_var:g}"),
            ("Bradley-Terry fit", f"{self.bt_method}/{self.bt_solver}, prior_strength {self.bt_prior_strength:g}, "
                                  f"gradient norm {self.bt_grad_norm:.2e}"),
        ]
        if self.target_variance is not None:
            rec = ("unreachable" if self.recommended_comparisons is None
                   else f"{self.recommended_comparisons:,.0f} comparisons (x{self.recommended_multiplier:.3g})")
            rows.append((f"comparisons for 90% of distances <= {self.target_variance:g}",
                         rec + (f"; {self.recommendation_note}" if self.recommendation_note else "")))
        for a, b in rows:
            t.add_row(a, b)
        return t

    def scores_table(self, top: int = 15):
        """A ``rich`` table of the highest Bradley--Terry scores, ranked within their comparison component.

        Scores of different components are not comparable (they are tied together only by the
        prior): each row shows its component and its rank there; ``prior-only`` marks items whose
        score would be unbounded without the prior. A node's label is shown to its first 60 characters.
        """
        Table = require("rich.table").Table

        t = Table(title="Bradley-Terry scores (centred, natural-log odds at beta=1; ranks within components)")
        for c in ("component", "rank", "node", "score", "stderr", "note"):
            t.add_column(c, overflow="fold")
        order = np.lexsort((-self.scores, self.component))
        sizes = np.bincount(self.component)
        order = order[np.argsort(-sizes[self.component[order]], kind="stable")]
        for i in order[:top]:
            se = "" if self.stderr is None else f"{self.stderr[i]:.3f}"
            t.add_row(str(int(self.component[i])), str(int(self.rank_in_component[i])), self.labels[i][:60],
                      f"{self.scores[i]:+.3f}", se, "prior-only" if self.prior_only[i] else "")
        return t

    def plot(self, path: str | Path) -> Path:
        """Save a 2x2 matplotlib figure (degrees, inference distances, component sizes, scores).

        Panels: [0, 0] histogram of the HP degrees; [0, 1] histogram of log10 of the sampled pairs'
        positive finite inference distances (``reff_values``); [1, 0] component sizes by rank; [1, 1]
        the top 30 scores with 95 % intervals. Saved at 110 dpi (11 x 8 inches: 1210 x 880 pixels).
        """
        matplotlib = require("matplotlib")
        matplotlib.use("Agg", force=False)
        plt = require("matplotlib.pyplot")

        fig, ax = plt.subplots(2, 2, figsize=(11, 8))
        _hist(ax[0, 0], self.degrees, min(30, max(5, int(self.degrees.max(initial=1)))), "C0")
        ax[0, 0].set(title="comparisons per node (HP degree)", xlabel="degree", ylabel="nodes")
        if self.reff_values.size:
            vals = self.reff_values[np.isfinite(self.reff_values) & (self.reff_values > 0)]
            if vals.size:
                _hist(ax[0, 1], np.log10(vals), 30, "C1")
        ax[0, 1].set(title="inference distance (R_eff) of sampled pairs", xlabel="log10 R_eff", ylabel="pairs")
        if self.target_variance is not None:
            ax[0, 1].axvline(math.log10(self.target_variance), color="k", ls="--", label="target")
            ax[0, 1].legend()
        sizes = np.array(sorted((len(c) for c in self.components), reverse=True))
        ax[1, 0].plot(np.arange(1, len(sizes) + 1), sizes, "o-", ms=3)
        ax[1, 0].set(title="component sizes", xlabel="rank", ylabel="nodes", xscale="log", yscale="log")
        order = np.argsort(-self.scores)[:30]
        err = None if self.stderr is None else 1.96 * self.stderr[order]
        ax[1, 1].errorbar(np.arange(len(order)), self.scores[order], yerr=err, fmt="o", ms=3)
        ax[1, 1].set(title="top Bradley-Terry scores (95% intervals)", xlabel="rank", ylabel="score")
        fig.tight_layout()
        path = Path(path)
        fig.savefig(path, dpi=110)
        plt.close(fig)
        return path


def _hist(ax, x: np.ndarray, bins: int, color: str) -> None:
    """Histogram that survives data whose range is below float resolution (one bin then)."""
    x = np.asarray(x, float)
    lo, hi = float(x.min()), float(x.max())
    if hi - lo <= 1e-9 * max(1.0, abs(hi)):
        ax.hist(x, bins=1, range=(lo - 0.5, hi + 0.5), color=color)
    else:
        ax.hist(x, bins=bins, color=color)


# ----------------------------------------------------------------------------------------------
# analysis


@provenance("M", source="qiu2024reward", where="§2.5-§2.6 (IBN, inference distance); IB edges [R]")
@V.overflow_guard
def analyse_preferences(records: Any, *, beta: float = 1.0, hp_var: Any = "plugin", ib_var: float | None = 4.0,
                        target_variance: float | None = None, max_pairs: int = 2000, prior_strength: float = 1.0,
                        seed: int = 0, group_nodes: int = 96, progress: Any = None) -> PreferenceAnalysis:
    """Analyse the comparison graph of a preference dataset (IBN of spec ``ibn.md`` §2.5) [M core; R IB edges].

    .. math:: d(u,v) = R_{\\rm eff}(u,v) = (e_u-e_v)^\\top L^{+}(e_u-e_v), \\qquad
              L = \\sum_{\\rm HP} \\frac{(e_a-e_b)(e_a-e_b)^\\top}{\\sigma^2_{\\rm HP}}
                + \\sum_{\\rm IB} \\frac{(e_y-e_{\\rm prompt})(e_y-e_{\\rm prompt})^\\top}{\\sigma^2_{\\rm IB}}

    The exact inference distance (posterior variance of a reward difference, §2.6 [M]) on the
    dataset's IBN; the modelling choices (nodes, implicit prompts, plug-in HP variances, latent
    prompt nodes [R], ties, sampling) are listed in the module docstring. Bradley--Terry scores come
    from the library's ``fit_bradley_terry``: the maximum-likelihood estimate when the beats graph is
    strongly connected, otherwise the MAP estimate with ``prior_strength`` pseudo-counts per item
    (reported in ``bt_prior_strength``; typical RLHF data, with one comparison per prompt, never has
    an MLE). Scores are ranked only within connected components of the comparison graph, and items
    whose score comes from the prior alone are marked (``prior_only``).

    Parameters
    ----------
    records : list of dict, path, or pandas DataFrame
        Pairwise records need ``chosen`` and ``rejected`` (strings, or lists of chat messages) and
        optionally ``prompt`` (otherwise implicit); arena battles need ``model_a``, ``model_b``,
        ``winner``. Each record is classified on its own; the first decides the data's kind and a
        record of the other kind raises an error naming it. Files: JSON Lines, JSON array, CSV,
        Parquet (with pyarrow), streamed record by record.
    beta : float, default 1.0
        Inverse temperature of the Bradley--Terry model.
    hp_var : "plugin" or float
        ``"plugin"``: binary Fisher variance at the fitted :math:`p` per pair; a number: that
        variance for every comparison.
    ib_var : float or None, default 4.0
        Variance of each response--prompt IB edge [R]; ``None`` disables IB edges.
    target_variance : float, optional
        Target for the sample-size recommendation.
    max_pairs : int, default 2000
        Same-component node pairs, and compared pairs, sampled for the distance distributions.
    prior_strength : float, default 1.0
        Pseudo-counts of the MAP fit used when no MLE exists (must then be > 0).
    seed : int, default 0
        Seed of the samples.
    group_nodes : int, default 96
        Largest group of components solved in one library call.
    progress : callable, optional
        Called with the number of records read, every 50,000 records.

    Returns
    -------
    PreferenceAnalysis

    Raises
    ------
    InvalidInputError
        Malformed records (naming the record: ``records[i]`` or ``FILE, line L``), non-UTF-8 or
        binary files, bad options.

    Notes
    -----
    Reading :math:`O(\\text{text})` time and :math:`O(\\text{nodes} + \\text{records})` memory; the
    fit as in ``fit_bradley_terry``; distances: dense solves of the sampled components only,
    :math:`O(\\text{max\\_pairs}\\cdot s^2)` for components of size :math:`s` (per bisection step
    for ``target_variance``), never one solve per edge.

    Examples
    --------
    >>> recs = [{"prompt": "p", "chosen": "a", "rejected": "b"}, {"prompt": "p", "chosen": "b", "rejected": "c"},
    ...         {"prompt": "p", "chosen": "c", "rejected": "a"}]
    >>> out = analyse_preferences(recs, hp_var=4.0, ib_var=None)
    >>> out.n_nodes, out.structure, round(out.reff_edges["median"], 12)
    (3, 'tree-like', 2.666666666667)

    A TRL record without a prompt: the prompt is the shared prefix.

    >>> out = analyse_preferences([{"chosen": "Q: hi? A: hello", "rejected": "Q: hi? A: go away"}])
    >>> out.n_implicit_prompts, out.labels
    (1, ['[0]  hello', '[0]  go away'])
    """
    beta = V.check_scalar("beta", beta, positive=True)
    if ib_var is not None:
        ib_var = V.check_scalar("ib_var", ib_var, positive=True)
    if target_variance is not None:
        target_variance = V.check_scalar("target_variance", target_variance, positive=True)
    max_pairs = V.check_int("max_pairs", max_pairs, lo=1)
    prior_strength = V.check_scalar("prior_strength", prior_strength, nonnegative=True)
    seed = V.check_int("seed", seed, lo=0)
    group_nodes = V.check_int("group_nodes", group_nodes, lo=2)
    fixed_hv = None
    if isinstance(hp_var, str):
        V.check_choice("hp_var", hp_var, ("plugin",))
    else:
        fixed_hv = V.check_scalar("hp_var", hp_var, positive=True)
    P = parse_records(records, progress=progress)
    kind, labels, wl, wt = P.kind, P.labels, P.wl, P.wt
    n = len(labels)
    if n < 2 or len(wl) == 0:
        raise InvalidInputError("records", "need at least one comparison between two different responses",
                                received=f"{n} nodes, {len(wl)} comparisons")
    fit, prior_only = _bt_fit(n, wl, wt, beta, prior_strength)
    scores = np.asarray(fit.scores)
    # HP edges (aggregated pairs)
    lo, hi = np.minimum(wl[:, 0], wl[:, 1]), np.maximum(wl[:, 0], wl[:, 1])
    keys, inv = np.unique(lo * n + hi, return_inverse=True)
    K = np.bincount(inv, wt, len(keys))
    hp_edges = np.stack([keys // n, keys % n], 1)
    # comparison components (HP only): where scores are comparable
    A = sp.coo_matrix((np.ones(len(hp_edges)), (hp_edges[:, 0], hp_edges[:, 1])), shape=(n, n)).tocsr()
    nc_hp, lab_hp = csgraph.connected_components(A, directed=False)
    csize = np.bincount(lab_hp, minlength=nc_hp)
    # renumber components by size (largest first), then rank by score within each
    comp_order = np.lexsort((np.arange(nc_hp), -csize))
    comp_new = np.empty(nc_hp, np.int64)
    comp_new[comp_order] = np.arange(nc_hp)
    component = comp_new[lab_hp]
    order = np.lexsort((np.arange(n), -scores, component))
    first = np.concatenate([[0], np.cumsum(np.bincount(component, minlength=nc_hp))])
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n) - first[component[order]] + 1
    cyclo = int(len(hp_edges) - n + nc_hp)
    deg = np.bincount(wl[:, 0], wt, n) + np.bincount(wl[:, 1], wt, n)
    if kind == "arena":
        structure, fractions = "arena (one context; models are nodes)", {}
    else:
        prompts = P.node_prompt
        n_resp = np.bincount(prompts, minlength=P.n_prompts)
        n_cmp = np.bincount(prompts[hp_edges[:, 0]], minlength=P.n_prompts)
        # a prompt is tree-like when >= 3 responses are joined by its comparisons (one HP component)
        comps_per_prompt = np.zeros(P.n_prompts, np.int64)
        np.add.at(comps_per_prompt, prompts[np.unique(lab_hp, return_index=True)[1]], 1)
        chain = (n_resp == 2) & (n_cmp == 1)
        tree = (n_resp >= 3) & (comps_per_prompt == 1)
        fr = {"chain-like prompts": float(chain.mean()), "tree-like prompts": float(tree.mean())}
        fr["other prompts"] = 1.0 - fr["chain-like prompts"] - fr["tree-like prompts"]
        structure = ("chain-like" if fr["chain-like prompts"] > 0.5 else
                     "tree-like" if fr["tree-like prompts"] > 0.5 else "mixed")
        fractions = fr
    # the IBN: HP edges then IB edges to latent prompt nodes
    n_latent = 0
    edges = hp_edges
    if kind != "arena" and ib_var is not None:
        n_latent = P.n_prompts
        edges = np.concatenate([hp_edges, np.stack([np.arange(n), n + P.node_prompt], 1)])
    N = n + n_latent
    n_hp = len(hp_edges)
    cache: dict[int, float] = {}

    def hp_cond_of(ids: np.ndarray) -> np.ndarray:
        if fixed_hv is not None:
            return K[ids] / fixed_hv
        missing = [i for i in ids.tolist() if i not in cache]
        if missing:
            mi = np.asarray(missing, np.int64)
            vals = _hp_cond(beta, K[mi], scores[hp_edges[mi, 0]] - scores[hp_edges[mi, 1]])
            cache.update(zip(missing, vals.tolist()))
        return np.array([cache[i] for i in ids.tolist()])

    def cond_of(ids: np.ndarray, t: float = 1.0) -> np.ndarray:
        out = np.empty(len(ids))
        hp = ids < n_hp
        out[hp] = t * hp_cond_of(ids[hp])
        out[~hp] = 1.0 / ib_var if ib_var is not None else 0.0
        return out

    C = _Components(N, edges)
    comp_lists = [C.nodes(c) for c in range(C.n_comp)]
    components = sorted(([int(v) for v in ns if v < n] for ns in comp_lists), key=len, reverse=True)
    components = [c for c in components if c]
    rng = np.random.default_rng(seed)
    e_sample = np.arange(n_hp) if n_hp <= max_pairs else np.sort(rng.choice(n_hp, max_pairs, replace=False))
    reff_edges = _resistances(C, N, edges, cond_of, hp_edges[e_sample], group_nodes=group_nodes)
    pairs = _sample_pairs(rng, C, n, max_pairs)
    reff_pairs = _resistances(C, N, edges, cond_of, pairs, group_nodes=group_nodes) if len(pairs) else np.zeros(0)
    if fixed_hv is not None:
        hp_rule = f"fixed {fixed_hv:g} per comparison"
    else:
        v = K[e_sample] / hp_cond_of(e_sample)
        hp_rule = (f"binary Fisher 1/(beta^2 p(1-p)) per comparison at the plug-in p of the fitted scores "
                   f"(beta={beta:g}; median per-comparison variance {float(np.median(v)):.3g} over "
                   f"{len(e_sample)} sampled pairs)")
    t_rec = note = None
    if target_variance is not None and len(pairs):
        t_rec, note = _multiplier(
            lambda t: float(np.quantile(_resistances(C, N, edges, lambda ids: cond_of(ids, t), pairs,
                                                     group_nodes=group_nodes), 0.9)), target_variance)
    return PreferenceAnalysis(
        kind=kind, n_records=P.n_records, n_comparisons=float(wt.sum()), n_nodes=n, n_prompts=P.n_prompts,
        n_latent=n_latent, n_dropped_self=P.dropped, n_implicit_prompts=P.n_implicit, labels=labels,
        components=components, degree=_quantiles(deg), structure=structure, structure_fractions=fractions,
        cyclomatic_number=cyclo, reff_edges=_quantiles(reff_edges), n_edges_sampled=len(e_sample),
        reff_pairs=_quantiles(reff_pairs), n_pairs_sampled=len(pairs), beta=beta, hp_var_rule=hp_rule,
        ib_var=None if kind == "arena" else ib_var, scores=scores,
        stderr=None if fit.stderr is None else np.asarray(fit.stderr), component=component,
        rank_in_component=rank, prior_only=prior_only, bt_prior_strength=float(fit.prior_strength),
        bt_method=str(fit.method), bt_solver=str(fit.solver), bt_grad_norm=float(fit.grad_norm), seed=seed,
        target_variance=target_variance if t_rec is not None or note else None, recommended_multiplier=t_rec,
        recommended_comparisons=None if t_rec is None else float(t_rec * wt.sum()),
        recommendation_note=note or "", reff_values=reff_pairs, degrees=deg)


# ----------------------------------------------------------------------------------------------
# command line


@provenance("M", where="command line")
def add_cli(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``analyse`` command (``aligntheory ibn analyse``) to an argparse sub-parsers object.

    Pass the sub-parsers of the ``ibn`` command; the command's options mirror the Python options of
    :func:`analyse_preferences`, and ``set_defaults(func=run_cli)`` is set.

    Examples
    --------
    >>> import argparse
    >>> sub = argparse.ArgumentParser().add_subparsers(dest="ibn_command")
    >>> p = add_cli(sub)
    >>> args = p.parse_args(["data.jsonl", "--seed", "3", "--prior-strength", "2"])
    >>> args.seed, args.prior_strength, args.func is run_cli
    (3, 2.0, True)
    """
    an = subparsers.add_parser("analyse", help="analyse the comparison graph of a preference dataset "
                               "(JSON Lines, JSON array, CSV or Parquet)")
    an.add_argument("file", help="prompt/chosen/rejected records (prompt optional) or model_a/model_b/winner battles")
    an.add_argument("--out", default=None, help="directory for analysis.json, scores.csv and ibn_analysis.png")
    an.add_argument("--target-variance", type=float, default=None, help="target inference distance (variance)")
    an.add_argument("--beta", type=float, default=1.0, help="inverse temperature (default 1)")
    an.add_argument("--ib-var", type=float, default=4.0, help="variance of response-prompt IB edges [R] (default 4)")
    an.add_argument("--no-ib", action="store_true", help="no IB edges (the comparison graph alone)")
    an.add_argument("--hp-var", default="plugin", help="'plugin' (Fisher variance at the fitted p) or a number")
    an.add_argument("--max-pairs", type=int, default=2000, help="sampled pairs for the distance distributions")
    an.add_argument("--prior-strength", type=float, default=1.0, help="pseudo-counts of the MAP fit (default 1)")
    an.add_argument("--seed", type=int, default=0, help="seed of the samples (default 0)")
    an.add_argument("--top", type=int, default=15, help="rows of the score table (default 15)")
    an.add_argument("--quiet", action="store_true", help="no progress messages")
    an.set_defaults(func=run_cli)
    from aligntheory.analysis import chain_tree  # issue 16 hook: aligntheory ibn chain-tree
    chain_tree.add_cli(subparsers)
    return an


def _check_out(out: Path) -> None:
    """Fail before any work when ``out`` cannot be a writable directory."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".aligntheory-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise InvalidInputError("--out", "must be a writable directory", received=f"{out} ({exc.strerror})") from None


@provenance("M", where="command line")
def run_cli(args: Any) -> int:
    """Run ``aligntheory ibn analyse``: print tables and write outputs; return the exit status.

    Writes ``analysis.json`` (summary), ``scores.csv`` (node, component, rank, score, stderr,
    prior_only; text cells neutralised against spreadsheet formula injection) and
    ``ibn_analysis.png`` into ``--out`` when given (checked writable before any work). A library
    error (bad file, bad option) is printed on stderr with exit status 2.

    Examples
    --------
    >>> import argparse, contextlib, io
    >>> sub = argparse.ArgumentParser().add_subparsers()
    >>> args = add_cli(sub).parse_args([str(EXAMPLE_PATH), "--quiet"])
    >>> with contextlib.redirect_stdout(io.StringIO()):
    ...     rc = run_cli(args)
    >>> rc
    0
    """
    if getattr(args, "ibn_command", None) == "chain-tree":  # issue 16 hook: aligntheory ibn chain-tree
        from aligntheory.analysis import chain_tree
        return chain_tree.run_cli(args)
    Console = require("rich.console").Console

    con = Console()
    try:
        out = Path(args.out) if getattr(args, "out", None) else None
        if out is not None:
            _check_out(out)
        hp = getattr(args, "hp_var", "plugin")
        if hp != "plugin":
            try:
                hp = float(hp)
            except ValueError:
                raise InvalidInputError("--hp-var", "must be 'plugin' or a number", received=hp) from None
        quiet = getattr(args, "quiet", False)

        def progress(k: int) -> None:
            if not quiet:
                print(f"read {k:,} records ...", file=sys.stderr, flush=True)

        res = analyse_preferences(args.file, beta=args.beta,
                                  ib_var=None if getattr(args, "no_ib", False) else args.ib_var,
                                  target_variance=args.target_variance, hp_var=hp,
                                  max_pairs=getattr(args, "max_pairs", 2000),
                                  prior_strength=getattr(args, "prior_strength", 1.0), seed=getattr(args, "seed", 0),
                                  progress=progress)
    except AlignTheoryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    con.print(res.table())
    con.print(res.scores_table(top=getattr(args, "top", 15)))
    if out is not None:
        (out / "analysis.json").write_text(json.dumps(res.to_dict(), indent=2, default=float), encoding="utf-8")
        with (out / "scores.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["node", "component", "rank_in_component", "score", "stderr", "prior_only"])
            for i, lab in enumerate(res.labels):
                w.writerow([safe_csv_cell(lab), int(res.component[i]), int(res.rank_in_component[i]),
                            f"{res.scores[i]:.10g}", "" if res.stderr is None else f"{res.stderr[i]:.10g}",
                            int(res.prior_only[i])])
        res.plot(out / "ibn_analysis.png")
        con.print(f"wrote {out}/analysis.json, scores.csv, ibn_analysis.png")
    return 0

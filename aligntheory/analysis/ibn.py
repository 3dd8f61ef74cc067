"""Comparison-graph analysis of a real preference dataset (spec ``ibn.md`` §2.3--§2.6, §3.2).

:func:`analyse_preferences` reads RLHF preference records (TRL convention: ``prompt``,
``chosen``, ``rejected``) or Chatbot-Arena battles (``model_a``, ``model_b``, ``winner``), builds
the induced Bayesian network (IBN) of the dataset, and reports its structure (components, degrees,
chain-like versus tree-like), the exact inference distances (effective resistances) between
responses, the number of comparisons needed for a target variance, and Bradley--Terry scores with
standard errors.

Modelling choices (each tagged with its provenance):

* **Nodes.** Pairwise records: one node per distinct ``(prompt, response)``; identical responses
  to the same prompt are one node [M: the reward is a function of the response]. Arena battles:
  one node per model (the arena is treated as a single context).
* **HP edges** [M values, R plug-in]. One edge per comparison with the binary Fisher variance
  :math:`1/(\\beta^2p(1-p))` of spec §2.3 (``aligntheory.theory.ibn.hp_edge_var`` with
  ``feedback="binary"``), evaluated at a **plug-in** :math:`p=\\sigma(\\beta(\\hat r_a-\\hat r_b))` from the
  fitted Bradley--Terry scores (the library's rule for data, §2.3), or a fixed variance given by
  ``hp_var``.
* **IB edges** [R: reconstruction; the full text was not available to us]. Responses to the same
  prompt are linked through a **latent prompt node** by inductive-bias edges of variance
  ``ib_var`` each (default 4.0, the variance of one maximally informative binary comparison at
  :math:`\\beta=1`; spec §2.4--§2.5: the prompt is the root of the response tree, internal tree nodes
  are latent). Set ``ib_var=None`` for the comparison graph alone. Latent nodes change no
  resistance among responses beyond adding the IB paths (Kron reduction, §2.4).
* **Ties** (arena). ``"tie"`` and ``"tie (bothbad)"`` count as one comparison with half a win
  to each model (the usual Bradley--Terry treatment of a draw as half a win each way).
* **Sample size** [M given the plug-in variances]. Repeating every comparison :math:`t` times
  multiplies every HP conductance by :math:`t`; the report gives the smallest :math:`t` (by
  bisection on exact resistances) at which the 90th percentile of the sampled within-component
  inference distances falls to the target variance, and :math:`t\\times` the current number of
  comparisons. ``aligntheory.theory.ibn.sample_size_for_distance`` answers a different question
  (budget in the reconstructed chain/tree model for a structural function :math:`F`), so it is
  not used here: the calculation is done from effective resistances directly.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph

from aligntheory import _validate as V
from aligntheory.errors import DisconnectedGraphError, InvalidInputError

__all__ = ["analyse_preferences", "PreferenceAnalysis", "load_records", "run_cli", "EXAMPLE_PATH"]

EXAMPLE_PATH = Path(__file__).resolve().parent.parent / "data" / "example_preferences.jsonl"

_TIES = ("tie", "tie (bothbad)", "both_bad", "tie_bothbad")


# ----------------------------------------------------------------------------------------------
# input


def load_records(source: Any) -> list[dict]:
    """Records from a list of dicts, a JSON Lines file path, or a pandas DataFrame.

    Blank lines of a JSON Lines file are skipped; a line that is not a JSON object raises
    :class:`~aligntheory.errors.InvalidInputError` naming its record index (0-based, counting
    non-blank lines) and the field ``"json"``.

    Examples
    --------
    >>> load_records([{"prompt": "p", "chosen": "a", "rejected": "b"}])[0]["chosen"]
    'a'
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise InvalidInputError("records", "must be an existing JSON Lines file", received=str(path))
        out = []
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InvalidInputError(f"records[{len(out)}].json", f"invalid JSON ({exc.msg})",
                                            received=line.strip()[:80]) from exc
                out.append(rec)
        return out
    if hasattr(source, "to_dict") and hasattr(source, "columns"):  # pandas DataFrame
        return list(source.to_dict("records"))
    if isinstance(source, Mapping) or not isinstance(source, Iterable):
        raise InvalidInputError("records", "must be a list of dicts, a JSON Lines path or a pandas DataFrame",
                                received=type(source).__name__)
    return list(source)


def _text(i: int, rec: Mapping, name: str) -> str:
    if name not in rec or rec[name] is None:
        raise InvalidInputError(f"records[{i}].{name}", "missing field", received=sorted(rec)[:6])
    val = rec[name]
    if isinstance(val, str):
        return val
    if isinstance(val, list) and all(isinstance(m, Mapping) for m in val):  # conversational format
        return json.dumps(val, sort_keys=True, ensure_ascii=False)
    raise InvalidInputError(f"records[{i}].{name}", "must be a string or a list of chat messages",
                            received=type(val).__name__)


def _parse(records: list) -> dict:
    if not records:
        raise InvalidInputError("records", "must contain at least one record", received=0)
    first = records[0]
    if not isinstance(first, Mapping):
        raise InvalidInputError("records[0]", "must be a dict", received=type(first).__name__)
    kind = "arena" if ("model_a" in first or "winner" in first) else "pairwise"
    node_id: dict[tuple[str, str], int] = {}
    prompt_id: dict[str, int] = {}
    node_prompt: list[int] = []
    wl: list[tuple[int, int]] = []
    wt: list[float] = []
    dropped = 0

    def node(p: str, y: str) -> int:
        key = (p, y)
        if key not in node_id:
            node_id[key] = len(node_id)
            node_prompt.append(prompt_id.setdefault(p, len(prompt_id)))
        return node_id[key]

    for i, rec in enumerate(records):
        if not isinstance(rec, Mapping):
            raise InvalidInputError(f"records[{i}]", "must be a dict", received=type(rec).__name__)
        if kind == "pairwise":
            p = _text(i, rec, "prompt")
            c = _text(i, rec, "chosen")
            r = _text(i, rec, "rejected")
            if c == r:
                dropped += 1  # identical responses: one node, a self-comparison carries no information
                node(p, c)
                continue
            wl.append((node(p, c), node(p, r)))
            wt.append(1.0)
        else:
            a = _text(i, rec, "model_a")
            b = _text(i, rec, "model_b")
            if "winner" not in rec:
                raise InvalidInputError(f"records[{i}].winner", "missing field", received=sorted(rec)[:6])
            win = rec["winner"]
            if not isinstance(win, str) or win not in ("model_a", "model_b", *_TIES):
                raise InvalidInputError(f"records[{i}].winner", f"must be one of {('model_a', 'model_b', *_TIES)}",
                                        received=win)
            if a == b:
                dropped += 1
                node("", a)
                continue
            ia, ib = node("", a), node("", b)
            if win == "model_a":
                wl.append((ia, ib))
                wt.append(1.0)
            elif win == "model_b":
                wl.append((ib, ia))
                wt.append(1.0)
            else:
                wl.extend([(ia, ib), (ib, ia)])
                wt.extend([0.5, 0.5])
    labels = [None] * len(node_id)
    for (p, y), k in node_id.items():
        labels[k] = y if kind == "arena" else f"[{prompt_id[p]}] {y}"
    return {"kind": kind, "labels": labels, "node_prompt": np.asarray(node_prompt, np.int64),
            "n_prompts": len(prompt_id), "wl": np.asarray(wl, np.int64).reshape(-1, 2),
            "wt": np.asarray(wt, np.float64), "dropped": dropped}


# ----------------------------------------------------------------------------------------------
# result


@dataclass
class PreferenceAnalysis:
    """What :func:`analyse_preferences` found. ``to_dict()`` gives a JSON-ready summary."""

    kind: str
    n_records: int
    n_comparisons: float
    n_nodes: int
    n_prompts: int
    n_latent: int
    n_dropped_self: int
    labels: list[str]
    components: list[list[int]]
    degree: dict[str, float]
    structure: str
    structure_fractions: dict[str, float]
    cyclomatic_number: int
    reff_edges: dict[str, float]
    reff_pairs: dict[str, float]
    n_pairs_sampled: int
    beta: float
    hp_var_rule: str
    ib_var: float | None
    scores: np.ndarray
    stderr: np.ndarray | None
    bt_prior_strength: float
    bt_method: str
    bt_solver: str
    bt_grad_norm: float
    target_variance: float | None = None
    recommended_multiplier: float | None = None
    recommended_comparisons: float | None = None
    recommendation_note: str = ""
    reff_values: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    degrees: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("scores", "stderr", "reff_values", "degrees"):
            v = d.pop(k)
            if k in ("scores", "stderr"):
                d[k] = None if v is None else [float(x) for x in v]
        d["component_sizes"] = sorted((len(c) for c in self.components), reverse=True)
        d.pop("components")
        return d

    def table(self):
        """A ``rich`` table of the summary."""
        from rich.table import Table

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
        """A ``rich`` table of the highest Bradley--Terry scores with standard errors."""
        from rich.table import Table

        t = Table(title="Bradley-Terry scores (centred, natural-log odds at beta=1)")
        for c in ("rank", "node", "score", "stderr"):
            t.add_column(c, overflow="fold")
        order = np.argsort(-self.scores)
        for k, i in enumerate(order[:top]):
            se = "" if self.stderr is None else f"{self.stderr[i]:.3f}"
            t.add_row(str(k + 1), self.labels[i][:60], f"{self.scores[i]:+.3f}", se)
        return t

    def plot(self, path: str | Path) -> Path:
        """Save a 2x2 matplotlib figure (degrees, inference distances, component sizes, scores)."""
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(2, 2, figsize=(11, 8))
        ax[0, 0].hist(self.degrees, bins=min(30, max(5, int(self.degrees.max(initial=1)))), color="C0")
        ax[0, 0].set(title="comparisons per node (HP degree)", xlabel="degree", ylabel="nodes")
        if self.reff_values.size:
            vals = self.reff_values[np.isfinite(self.reff_values) & (self.reff_values > 0)]
            if vals.size:
                ax[0, 1].hist(np.log10(vals), bins=30, color="C1")
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


# ----------------------------------------------------------------------------------------------
# analysis


def _quantiles(x: np.ndarray) -> dict[str, float]:
    x = np.asarray(x, float)
    if x.size == 0:
        return {}
    qs = np.quantile(x, [0.0, 0.1, 0.5, 0.9, 1.0])
    return {"min": float(qs[0]), "q10": float(qs[1]), "median": float(qs[2]), "q90": float(qs[3]),
            "max": float(qs[4]), "mean": float(x.mean())}


class _Resist:
    """Exact resistances of many pairs on a multi-component graph: one sparse factorisation."""

    def __init__(self, n: int, edges: np.ndarray, cond: np.ndarray):
        import scipy.sparse.linalg as spla

        A = sp.coo_matrix((cond, (edges[:, 0], edges[:, 1])), shape=(n, n)).tocsr()
        A = A + A.T
        deg = np.asarray(A.sum(axis=1)).ravel()
        ncomp, lab = csgraph.connected_components(A, directed=False)
        g = np.full(ncomp, -1)
        order = np.argsort(deg, kind="stable")
        g[lab[order]] = order  # ground each component at its largest weighted degree
        d = deg.copy()
        d[g] += np.where(deg[g] > 0, deg[g], 1.0)
        L = (sp.diags(d) - A).tocsc()
        self.lu = spla.splu(L, permc_spec="MMD_AT_PLUS_A")
        self.labels, self.n = lab, n

    def pairs(self, pairs: np.ndarray, block: int = 256) -> np.ndarray:
        out = np.full(len(pairs), np.inf)
        same = self.labels[pairs[:, 0]] == self.labels[pairs[:, 1]]
        idx = np.nonzero(same)[0]
        for s in range(0, len(idx), block):
            sl = idx[s:s + block]
            B = np.zeros((self.n, len(sl)))
            B[pairs[sl, 0], np.arange(len(sl))] += 1.0
            B[pairs[sl, 1], np.arange(len(sl))] -= 1.0
            X = self.lu.solve(B)
            out[sl] = X[pairs[sl, 0], np.arange(len(sl))] - X[pairs[sl, 1], np.arange(len(sl))]
        return out


def _ibn_edges(n, hp_edges, hp_cond, node_prompt, ib_var, kind):
    """HP edges plus IB edges to latent prompt nodes (pairwise data only)."""
    if kind == "arena" or ib_var is None:
        return n, hp_edges, hp_cond, 0
    n_prompts = int(node_prompt.max()) + 1 if len(node_prompt) else 0
    latent = n + node_prompt
    ib = np.stack([np.arange(n), latent], 1)
    return (n + n_prompts, np.concatenate([hp_edges, ib]),
            np.concatenate([hp_cond, np.full(n, 1.0 / ib_var)]), n_prompts)


def analyse_preferences(records: Any, *, beta: float = 1.0, hp_var: Any = "plugin", ib_var: float | None = 4.0,
                        target_variance: float | None = None, max_pairs: int = 2000, prior_strength: float = 1.0,
                        seed: int = 0) -> PreferenceAnalysis:
    """Analyse the comparison graph of a preference dataset (IBN of spec ``ibn.md`` §2.5) [M core; R IB edges].

    .. math:: d(u,v) = R_{\\rm eff}(u,v) = (e_u-e_v)^\\top L^{+}(e_u-e_v), \\qquad
              L = \\sum_{\\rm HP} \\frac{(e_a-e_b)(e_a-e_b)^\\top}{\\sigma^2_{\\rm HP}}
                + \\sum_{\\rm IB} \\frac{(e_y-e_{\\rm prompt})(e_y-e_{\\rm prompt})^\\top}{\\sigma^2_{\\rm IB}}

    The exact inference distance (posterior variance of a reward difference, §2.6 [M]) on the
    dataset's IBN; the modelling choices (nodes, plug-in HP variances, latent prompt nodes [R],
    ties) are listed in the module docstring. Bradley--Terry scores come from
    :func:`aligntheory.kernels.ibn.fit_bradley_terry`: the maximum-likelihood estimate when the beats
    graph is strongly connected, otherwise the MAP estimate with ``prior_strength`` pseudo-counts
    per item (reported in ``bt_prior_strength``; typical RLHF data, with one comparison per
    prompt, never has an MLE). Standard errors are exact (dense inverse of the Fisher matrix) up to
    2000 nodes and ``None`` above (see ``fit_bradley_terry(stderr=...)``).

    Parameters
    ----------
    records : list of dict, path to a JSON Lines file, or pandas DataFrame
        Pairwise records need ``prompt``, ``chosen``, ``rejected`` (strings, or lists of chat
        messages); arena battles need ``model_a``, ``model_b``, ``winner`` in
        ``{"model_a", "model_b", "tie", "tie (bothbad)"}``. The format is read from the first record.
    beta : float
        Inverse temperature of the Bradley--Terry model.
    hp_var : "plugin" or float
        ``"plugin"``: binary Fisher variance at the fitted :math:`p` per pair; a number: that
        variance for every comparison.
    ib_var : float or None
        Variance of each response--prompt IB edge [R]; ``None`` disables IB edges.
    target_variance : float, optional
        Target for the sample-size recommendation.
    max_pairs : int
        Same-component response pairs sampled for the distance distribution.
    prior_strength : float
        Pseudo-counts of the MAP fallback fit.
    seed : int
        Seed of the pair sample.

    Returns
    -------
    PreferenceAnalysis

    Complexity
    ----------
    One sparse factorisation of the IBN Laplacian (per bisection step for ``target_variance``)
    plus solves for the sampled pairs.

    Examples
    --------
    >>> recs = [{"prompt": "p", "chosen": "a", "rejected": "b"}, {"prompt": "p", "chosen": "b", "rejected": "c"},
    ...         {"prompt": "p", "chosen": "c", "rejected": "a"}]
    >>> out = analyse_preferences(recs, hp_var=4.0, ib_var=None)
    >>> out.n_nodes, out.structure, round(out.reff_edges["median"], 12)
    (3, 'tree-like', 2.666666666667)
    """
    from aligntheory.kernels.ibn import fit_bradley_terry

    beta = V.check_scalar("beta", beta, positive=True)
    if ib_var is not None:
        ib_var = V.check_scalar("ib_var", ib_var, positive=True)
    if target_variance is not None:
        target_variance = V.check_scalar("target_variance", target_variance, positive=True)
    max_pairs = V.check_int("max_pairs", max_pairs, lo=1)
    recs = load_records(records)
    P = _parse(recs)
    kind, labels, wl, wt = P["kind"], P["labels"], P["wl"], P["wt"]
    n = len(labels)
    if n < 2 or len(wl) == 0:
        raise InvalidInputError("records", "need at least one comparison between two different responses",
                                received=f"{n} nodes, {len(wl)} comparisons")
    # Bradley--Terry fit: MLE if it exists, else MAP with pseudo-counts
    try:
        fit = fit_bradley_terry(n, wl, counts=wt, beta=beta, stderr="auto")
    except DisconnectedGraphError:
        fit = fit_bradley_terry(n, wl, counts=wt, beta=beta, prior_strength=prior_strength, stderr="auto")
    # HP edges (aggregated pairs)
    lo, hi = np.minimum(wl[:, 0], wl[:, 1]), np.maximum(wl[:, 0], wl[:, 1])
    keys, inv = np.unique(lo * n + hi, return_inverse=True)
    K = np.bincount(inv, wt, len(keys))
    hp_edges = np.stack([keys // n, keys % n], 1)
    if isinstance(hp_var, str):
        V.check_choice("hp_var", hp_var, ("plugin",))
        x = beta * (fit.scores[hp_edges[:, 0]] - fit.scores[hp_edges[:, 1]])
        pq = np.exp(-np.logaddexp(0.0, -x) - np.logaddexp(0.0, x))  # sigma(x) sigma(-x), stable
        hp_cond = K * beta**2 * pq
        hp_rule = (f"binary Fisher 1/(beta^2 p(1-p)) per comparison at the plug-in p of the fitted scores "
                   f"(beta={beta:g}; median per-comparison variance {float(np.median(1 / (beta**2 * pq))):.3g})")
    else:
        hv = V.check_scalar("hp_var", hp_var, positive=True)
        hp_cond = K / hv
        hp_rule = f"fixed {hv:g} per comparison"
    # structure of the HP graph
    A = sp.coo_matrix((np.ones(len(hp_edges)), (hp_edges[:, 0], hp_edges[:, 1])), shape=(n, n)).tocsr()
    nc_hp, lab_hp = csgraph.connected_components(A, directed=False)
    cyclo = int(len(hp_edges) - n + nc_hp)
    deg = np.bincount(wl[:, 0], wt, n) + np.bincount(wl[:, 1], wt, n)
    if kind == "arena":
        structure, fractions = "arena (one context; models are nodes)", {}
    else:
        prompts = P["node_prompt"]
        n_resp = np.bincount(prompts, minlength=P["n_prompts"])
        n_cmp = np.bincount(prompts[hp_edges[:, 0]], minlength=P["n_prompts"])
        # a prompt is tree-like when >= 3 responses are joined by its comparisons (one HP component)
        comps_per_prompt = np.zeros(P["n_prompts"], np.int64)
        np.add.at(comps_per_prompt, prompts[np.unique(lab_hp, return_index=True)[1]], 1)
        chain = (n_resp == 2) & (n_cmp == 1)
        tree = (n_resp >= 3) & (comps_per_prompt == 1)
        fr = {"chain-like prompts": float(chain.mean()), "tree-like prompts": float(tree.mean())}
        fr["other prompts"] = 1.0 - fr["chain-like prompts"] - fr["tree-like prompts"]
        structure = ("chain-like" if fr["chain-like prompts"] > 0.5 else
                     "tree-like" if fr["tree-like prompts"] > 0.5 else "mixed")
        fractions = fr
    # the IBN and its resistances
    N, edges, cond, n_latent = _ibn_edges(n, hp_edges, hp_cond, P["node_prompt"], ib_var, kind)
    R = _Resist(N, edges, cond)
    comps: dict[int, list[int]] = {}
    for i in range(n):
        comps.setdefault(int(R.labels[i]), []).append(i)
    components = sorted(comps.values(), key=len, reverse=True)
    reff_edges = R.pairs(hp_edges)
    rng = np.random.default_rng(seed)
    pairs = _sample_pairs(rng, components, max_pairs)
    reff_pairs = R.pairs(pairs) if len(pairs) else np.zeros(0)
    out = PreferenceAnalysis(
        kind=kind, n_records=len(recs), n_comparisons=float(wt.sum()), n_nodes=n, n_prompts=P["n_prompts"],
        n_latent=n_latent, n_dropped_self=P["dropped"], labels=labels, components=components,
        degree=_quantiles(deg), structure=structure, structure_fractions=fractions, cyclomatic_number=cyclo,
        reff_edges=_quantiles(reff_edges), reff_pairs=_quantiles(reff_pairs), n_pairs_sampled=len(pairs),
        beta=beta, hp_var_rule=hp_rule, ib_var=None if kind == "arena" else ib_var, scores=fit.scores,
        stderr=fit.stderr, bt_prior_strength=fit.prior_strength, bt_method=fit.method, bt_solver=fit.solver,
        bt_grad_norm=fit.grad_norm, reff_values=reff_pairs, degrees=deg)
    if target_variance is not None and len(pairs):
        t, note = _multiplier(N, edges, cond, len(hp_edges), pairs, target_variance)
        out.target_variance = target_variance
        out.recommended_multiplier = t
        out.recommended_comparisons = None if t is None else float(t * wt.sum())
        out.recommendation_note = note
    return out


def _sample_pairs(rng: np.random.Generator, components: list[list[int]], max_pairs: int) -> np.ndarray:
    """Uniform sample of response pairs that share a component (all of them when few)."""
    sizes = np.array([len(c) for c in components])
    counts = sizes * (sizes - 1) // 2
    total = int(counts.sum())
    if total == 0:
        return np.zeros((0, 2), np.int64)
    if total <= max_pairs:
        out = [(c[i], c[j]) for c in components if len(c) > 1 for i in range(len(c)) for j in range(i + 1, len(c))]
        return np.asarray(out, np.int64)
    comp = rng.choice(len(components), size=max_pairs, p=counts / total)
    out = np.empty((max_pairs, 2), np.int64)
    for k, ci in enumerate(comp):
        a, b = rng.choice(sizes[ci], 2, replace=False)
        out[k] = components[ci][a], components[ci][b]
    return out


def _multiplier(N, edges, cond, n_hp, pairs, target) -> tuple[float | None, str]:
    """Smallest t (HP conductances x t) with q90 of the pair resistances <= target; bisection on log t."""

    def q90(t):
        c = cond.copy()
        c[:n_hp] *= t
        return float(np.quantile(_Resist(N, edges, c).pairs(pairs), 0.9))

    if q90(1.0) <= target:
        lo_t, hi_t = 1e-6, 1.0
        if q90(lo_t) <= target:
            return lo_t, "already met with a millionth of the data"
    else:
        lo_t, hi_t = 1.0, 1e9
        if q90(hi_t) > target:
            return None, ("not reachable by repeating the same comparisons: the IB edges alone (or missing "
                          "comparisons between components) keep the distance above the target")
    for _ in range(60):
        mid = math.sqrt(lo_t * hi_t)
        if q90(mid) <= target:
            hi_t = mid
        else:
            lo_t = mid
        if hi_t / lo_t < 1.001:
            break
    return hi_t, "every comparison repeated t times (exact resistances, bisection)"



def run_cli(args: Any) -> int:
    """``aligntheory ibn analyse FILE [--out DIR] [--target-variance V]``: print tables, write outputs.

    Writes ``analysis.json`` (summary), ``scores.csv`` (node, score, stderr) and
    ``ibn_analysis.png`` into ``--out`` when given. Returns the exit status (0).
    """
    from rich.console import Console

    res = analyse_preferences(args.file, beta=args.beta, ib_var=args.ib_var, target_variance=args.target_variance)
    con = Console()
    con.print(res.table())
    con.print(res.scores_table())
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "analysis.json").write_text(json.dumps(res.to_dict(), indent=2, default=float), encoding="utf-8")
        import csv

        with (out / "scores.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["node", "score", "stderr"])
            for i, lab in enumerate(res.labels):
                w.writerow([lab, f"{res.scores[i]:.10g}", "" if res.stderr is None else f"{res.stderr[i]:.10g}"])
        res.plot(out / "ibn_analysis.png")
        con.print(f"wrote {out}/analysis.json, scores.csv, ibn_analysis.png")
    return 0

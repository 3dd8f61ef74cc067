"""The IBN model of spec ``ibn.md`` §2 and the reconstructed chain-vs-tree asymptotics of §3.4.

Two kinds of content live here, and every docstring says which:

* exact statements [M] (Bradley--Terry probabilities, human-preference edge variances, the
  decoder lemma, inference distances on an induced Bayesian network, Lambert-W arithmetic);
* our reconstruction [R] of the paper's structural-function / variance-regime model and of its
  chain-vs-tree mechanism (Qiu et al., arXiv 2402.10184, §3--4). *Reconstruction; the full text was
  not available to us.* Functions implementing [R] statements carry
  ``__aligntheory_provenance__ = "R"`` and ``paper_unverified = True``.

Theory functions take edge **variances** in the order ``(n_nodes, edges, var, ...)``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import numpy as np
import scipy.linalg
import scipy.optimize
import scipy.sparse
import scipy.sparse.csgraph
import scipy.sparse.linalg
import scipy.special
import sympy as sp

from aligntheory import _validate as V
from aligntheory.errors import (
    AsymptoticRangeWarning,
    DisconnectedGraphError,
    InvalidInputError,
    PaperUnverifiedError,
)
from aligntheory.theory.ibn._resistance import (
    _graph_input,
    _laplacian_np,
    _laplacian_sparse,
    effective_resistance,
    shortest_path_variance,
)

__all__ = [
    "bt_prob",
    "hp_edge_var",
    "decoder_bounds",
    "IBN",
    "inference_distance_exact",
    "inference_distance_path",
    "mean_inference_distance",
    "StructuralFunction",
    "tau_schedule",
    "ibn_from_universe",
    "er_hops_fronczak",
    "er_hops_asymptotic",
    "connectivity_granularity",
    "n_for_granularity",
    "chain_cost",
    "tree_cost",
    "optimal_M",
    "OptimalM",
    "chain_tree_ratio",
    "headline_factor",
    "regime_of",
    "n_regime_A_limit",
    "sample_size_for_distance",
    "paper_table2",
    "PaperTable2",
    "experiment_tables",
]

EULER_GAMMA = float(np.euler_gamma)
_DENSE_LIMIT = 3000  # above this many nodes, distance sweeps use a sparse LU of the grounded Laplacian


def _mark_R(obj: Any) -> Any:
    """Tag an [R] object: ``__aligntheory_provenance__ = "R"`` and ``paper_unverified = True``."""
    obj.__aligntheory_provenance__ = "R"
    obj.paper_unverified = True
    return obj


# ----------------------------------------------------------------------------------------------
# feedback model (§2.1--2.3)


def bt_prob(r_a: Any, r_b: Any, beta: Any) -> float:
    """Bradley--Terry preference probability [M].

    .. math:: \\Pr[a \\succ b] = \\sigma\\big(\\beta (r_a - r_b)\\big), \\qquad \\sigma(x) = 1/(1+e^{-x})

    Spec ``ibn.md`` §2.2 (the BT invariant every sampler enforces). Computed with
    :func:`scipy.special.expit`, which does not overflow.

    Parameters
    ----------
    r_a, r_b : float
        Latent rewards of the two responses.
    beta : float
        Inverse temperature, finite and > 0.

    Returns
    -------
    float

    Complexity
    ----------
    :math:`O(1)`.

    Examples
    --------
    >>> bt_prob(1.0, 0.0, 2.0)  # sigma(2)
    0.8807970779778...
    >>> bt_prob(0.0, 0.0, 5.0)
    0.5
    """
    a = V.check_scalar("r_a", r_a)
    b = V.check_scalar("r_b", r_b)
    be = V.check_scalar("beta", beta, positive=True)
    return float(scipy.special.expit(be * (a - b)))


def hp_edge_var(beta: Any, *, feedback: Literal["continuous", "binary"], estimator: str | None = None,
                p: Any = None, delta_r: Any = None) -> float:
    """Variance of one human-preference (HP) comparison about :math:`\\Delta r` [M values; R choice].

    ============ ========================= =====================================
    feedback     estimator                 :math:`\\sigma^2_{\\rm HP}`
    ============ ========================= =====================================
    continuous   ``"ls"`` (default)        :math:`\\pi^2/(3\\beta^2)` (logistic noise variance)
    continuous   ``"mle"``                 :math:`3/\\beta^2` (inverse Fisher information)
    binary       ``"fisher"`` (default)    :math:`1/(\\beta^2 p(1-p))`, :math:`\\ge 4/\\beta^2`
    ============ ========================= =====================================

    Spec ``ibn.md`` §2.3. For binary feedback give either ``p`` in :math:`(0,1)` or ``delta_r``
    (then :math:`p(1-p)=\\sigma(x)\\sigma(-x)`, :math:`x=\\beta\\Delta r`, computed stably; if it
    underflows to 0 the comparison is uninformative and :class:`InvalidInputError` is raised).
    :math:`K` repeated comparisons divide the variance by :math:`K` (conductances add).

    Parameters
    ----------
    beta : float
        Inverse temperature > 0.
    feedback : {"continuous", "binary"}
    estimator : {"ls", "mle", "fisher"} or None
        ``None`` means ``"ls"`` for continuous and ``"fisher"`` for binary feedback.
    p : float, optional
        Preference probability (binary feedback).
    delta_r : float, optional
        Reward difference :math:`r_a - r_b` (binary feedback), instead of ``p``.

    Returns
    -------
    float

    Examples
    --------
    >>> hp_edge_var(1.0, feedback="continuous")  # pi^2 / 3
    3.289868133696...
    >>> hp_edge_var(2.0, feedback="continuous", estimator="mle")
    0.75
    >>> hp_edge_var(1.0, feedback="binary", p=0.5)
    4.0
    """
    be = V.check_scalar("beta", beta, positive=True)
    V.check_choice("feedback", feedback, ("continuous", "binary"))
    if estimator is None:
        estimator = "ls" if feedback == "continuous" else "fisher"
    allowed = ("ls", "mle") if feedback == "continuous" else ("fisher",)
    if estimator not in allowed:
        raise InvalidInputError("estimator", f"must be one of {allowed} with feedback={feedback!r}", received=estimator)
    if feedback == "continuous":
        if p is not None or delta_r is not None:
            raise InvalidInputError("p, delta_r", "are only used with feedback='binary'")
        return float(np.pi**2 / (3.0 * be**2)) if estimator == "ls" else 3.0 / be**2
    if (p is None) == (delta_r is None):
        raise InvalidInputError("p, delta_r", "binary feedback requires exactly one of p or delta_r")
    if p is not None:
        pv = V.check_scalar("p", p)
        if not 0.0 < pv < 1.0:
            raise InvalidInputError("p", "must lie in the open interval (0, 1)", received=pv)
        info = pv * (1.0 - pv)
    else:
        x = be * V.check_scalar("delta_r", delta_r)
        info = float(scipy.special.expit(x) * scipy.special.expit(-x))
    if not info > 0.0:
        raise InvalidInputError("delta_r", "uninformative comparison: p(1-p) underflows to 0", received=delta_r)
    return 1.0 / (be**2 * info)


def decoder_bounds(eps: Any, beta: Any) -> dict[str, float]:
    """Decoder lemma: how a reward error of spread :math:`\\varepsilon` moves the optimal policy [M].

    With :math:`e=\\hat r-r_H`, :math:`\\varepsilon=\\max e-\\min e` and
    :math:`p\\propto\\pi_{\\rm ref}e^{\\beta r}`:

    .. math:: \\sup_y |\\log p_{LM}(y)-\\log p_H(y)| \\le \\beta\\varepsilon,\\quad
              \\mathrm{KL}(p_{LM}\\|p_H) \\le \\beta\\varepsilon,\\quad
              \\mathrm{TV}(p_{LM},p_H) \\le (e^{\\beta\\varepsilon}-1)/2

    Spec ``ibn.md`` §2.1 (elementary; our statement, not the paper's Theorem 3.1).

    Parameters
    ----------
    eps : float
        Spread :math:`\\varepsilon \\ge 0` of the reward error.
    beta : float
        Inverse temperature > 0.

    Returns
    -------
    dict with keys ``"sup_log_ratio"``, ``"kl"``, ``"tv"``

    Examples
    --------
    >>> b = decoder_bounds(0.5, 2.0)
    >>> b["sup_log_ratio"], b["kl"], round(b["tv"], 12)
    (1.0, 1.0, 0.85914091423)
    """
    e = V.check_scalar("eps", eps, nonnegative=True)
    be = V.check_scalar("beta", beta, positive=True)
    x = be * e
    return {"sup_log_ratio": x, "kl": x, "tv": float(0.5 * np.expm1(x))}


# ----------------------------------------------------------------------------------------------
# the induced Bayesian network (§2.4--2.6)


@dataclass(frozen=True, eq=False)
class IBN:
    """Induced Bayesian network: a weighted multigraph of HP and IB edges [S structure; R weights].

    Spec ``ibn.md`` §2.5. Nodes are responses and latent nodes (for example internal prefix-tree
    nodes); an edge is a Gaussian relation :math:`r(u)-r(v)` observed with variance ``var``.

    Parameters
    ----------
    n_nodes : int
    edges : int array, shape (E, 2)
    var : float array, shape (E,)
        Edge variances (``>= 0``; ``inf`` allowed and dropped with a warning by the distance
        functions; ``0`` allowed only with ``contract_zero_variance=True`` there).
    kind : array of str, shape (E,), optional
        ``"HP"`` (human-preference comparison) or ``"IB"`` (inductive bias); default all ``"HP"``.
    is_response : bool array, shape (N,), optional
        ``False`` marks latent nodes; default all ``True``.
    prefix_id : int array, shape (N,), optional
        Parent of each node in the prefix tree (``-1`` for the root), or ``None``.
    response_node : int array, shape (n_resp,), optional
        Node of each input response (set by :func:`ibn_from_universe`).

    Examples
    --------
    >>> g = IBN(3, [[0, 1], [1, 2]], [1.0, 2.0])
    >>> g.n_nodes, g.edges.shape, g.kind.tolist()
    (3, (2, 2), ['HP', 'HP'])
    """

    n_nodes: int
    edges: Any
    var: Any
    kind: Any = None
    is_response: Any = None
    prefix_id: Any = None
    response_node: Any = field(default=None)

    def __post_init__(self) -> None:
        n = V.check_int("n_nodes", self.n_nodes, lo=1)
        e = V.as_index_array("edges", self.edges, n=n, shape=(None, 2))
        v = V.as_float_array("var", self.var, shape=(None,), finite=False)
        V.check_same_length(("edges", "var"), e, v)
        if np.any(np.isnan(v)) or np.any(v < 0):
            raise InvalidInputError("var", "variances must be >= 0 and not NaN")
        kind = np.full(len(e), "HP") if self.kind is None else np.asarray(self.kind, dtype=str)
        if kind.shape != (len(e),) or not np.all(np.isin(kind, ["HP", "IB"])):
            raise InvalidInputError("kind", "must have shape (E,) with entries 'HP' or 'IB'", received=f"{kind[:5]}")
        resp = np.ones(n, dtype=bool) if self.is_response is None else np.asarray(self.is_response)
        if resp.shape != (n,) or resp.dtype != bool:
            raise InvalidInputError("is_response", f"must be a bool array of shape ({n},)",
                                    received=f"shape {resp.shape}, dtype {resp.dtype}")
        pre = None
        if self.prefix_id is not None:
            pre = np.asarray(self.prefix_id)
            if pre.shape != (n,) or pre.dtype.kind not in "iu" or (pre.size and (pre.min() < -1 or pre.max() >= n)):
                raise InvalidInputError("prefix_id", f"must be an int array of shape ({n},) with entries in [-1, {n - 1}]")
            pre = pre.astype(np.int64)
        rn = None
        if self.response_node is not None:
            rn = V.as_index_array("response_node", self.response_node, n=n, shape=(None,))
        for name, arr in (("edges", e), ("var", v), ("kind", kind), ("is_response", resp), ("prefix_id", pre),
                          ("response_node", rn)):
            if arr is not None:
                arr = np.array(arr, copy=True)
                arr.flags.writeable = False
            object.__setattr__(self, name, arr)
        object.__setattr__(self, "n_nodes", n)

    @property
    def n_edges(self) -> int:
        return int(len(self.edges))


def _node(name: str, x: Any, n: int) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
        raise InvalidInputError(name, f"must be an integer node id in [0, {n - 1}]", received=x)
    if not 0 <= int(x) < n:
        raise InvalidInputError(name, f"must be a node id in [0, {n - 1}]", received=int(x))
    return int(x)


def _as_ibn(ibn: Any) -> IBN:
    if not isinstance(ibn, IBN):
        raise InvalidInputError("ibn", "must be an aligntheory.theory.ibn.IBN", received=type(ibn).__name__)
    return ibn


def _contract(ibn: IBN, contract_zero_variance: bool):
    """``(n, edges, var, nodemap)`` with zero-variance edges contracted when asked."""
    e, v, n = ibn.edges, ibn.var, ibn.n_nodes
    zero = v == 0
    if not contract_zero_variance or not zero.any():
        return n, e, v, np.arange(n)
    adj = scipy.sparse.coo_matrix((np.ones(int(zero.sum())), (e[zero, 0], e[zero, 1])), shape=(n, n))
    k, labels = scipy.sparse.csgraph.connected_components(adj, directed=False)
    keep = ~zero
    return k, labels[e[keep]], v[keep], labels


def _prepare(ibn: IBN, contract_zero_variance: bool):
    n, e, v, nodemap = _contract(ibn, contract_zero_variance)
    n, e, v = _graph_input(n, e, v)
    return n, e, v, nodemap


def _component_labels(n: int, e: np.ndarray):
    adj = scipy.sparse.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
    return scipy.sparse.csgraph.connected_components(adj, directed=False)


def _difference_variance(n: int, e: np.ndarray, v: np.ndarray, pairs: np.ndarray,
                         prior_var: float | None) -> np.ndarray:
    """:math:`(e_u-e_v)^\\top A^{-1}(e_u-e_v)` with :math:`A = L + \\tau^{-2}I` (or :math:`L^+` if no prior).

    Dense Cholesky for small graphs, sparse LU of the (grounded, without prior) matrix otherwise.
    """
    c = 1.0 / v
    k = len(pairs)
    if prior_var is None:
        if n <= _DENSE_LIMIT:
            return effective_resistance(n, e, v, pairs=pairs)
        L = _laplacian_sparse(n, e, c).tocsc()
        g = int(np.argmax(np.asarray(L.diagonal())))
        keep = np.flatnonzero(np.arange(n) != g)
        A = L[keep][:, keep].tocsc()
        pos = -np.ones(n, dtype=np.int64)
        pos[keep] = np.arange(n - 1)
        B = np.zeros((n - 1, k))
        for col, (a, b) in enumerate(pairs):
            if a != b:
                if pos[a] >= 0:
                    B[pos[a], col] += 1.0
                if pos[b] >= 0:
                    B[pos[b], col] -= 1.0
    else:
        if n <= _DENSE_LIMIT:
            A = _laplacian_np(n, e, c) + np.eye(n) / prior_var
            B = np.zeros((n, k))
            idx = np.arange(k)
            np.add.at(B, (pairs[:, 0], idx), 1.0)
            np.add.at(B, (pairs[:, 1], idx), -1.0)
            X = scipy.linalg.cho_solve(scipy.linalg.cho_factor(A, lower=True), B)
            return np.einsum("ik,ik->k", B, X)
        A = (_laplacian_sparse(n, e, c) + scipy.sparse.identity(n) / prior_var).tocsc()
        B = np.zeros((n, k))
        idx = np.arange(k)
        np.add.at(B, (pairs[:, 0], idx), 1.0)
        np.add.at(B, (pairs[:, 1], idx), -1.0)
    # symmetric positive definite: minimum-degree ordering on A + A^T, no pivoting (far less fill-in than COLAMD)
    lu = scipy.sparse.linalg.splu(A, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0,
                                  options={"SymmetricMode": True})
    X = lu.solve(B)
    return np.einsum("ik,ik->k", B, X)


def _check_components(n, e, pairs, allow_disconnected: bool):
    """Apply the §7 rules for disconnected graphs; return ``None`` (connected) or the component labels."""
    k, labels = _component_labels(n, e)
    if k == 1:
        return None
    comps = [np.flatnonzero(labels == i) for i in range(k)]

    def show(c):
        return f"{c[:10].tolist()}{'...' if len(c) > 10 else ''}"

    cross = labels[pairs[:, 0]] != labels[pairs[:, 1]]
    if cross.any():
        u, w = (int(x) for x in pairs[np.argmax(cross)])
        raise DisconnectedGraphError(
            f"nodes {u} and {w} lie in different connected components (component of {u}: {show(comps[labels[u]])}; "
            f"component of {w}: {show(comps[labels[w]])}); the inference distance is infinite under a flat prior "
            "(pass prior_var for a proper prior)",
            components=[c.tolist() for c in comps], nodes=(u, w))
    if not allow_disconnected:
        u = int(pairs[0, 0])
        raise DisconnectedGraphError(
            f"the graph has {k} connected components; the queried nodes share one (component of {u}: "
            f"{show(comps[labels[u]])}), so pass allow_disconnected=True to compute within it",
            components=[c.tolist() for c in comps], nodes=tuple(int(x) for x in pairs[0]))
    return labels


def _pairs_variance(ibn: IBN, pairs: np.ndarray, prior_var, allow_disconnected, contract_zero_variance):
    n, e, v, nodemap = _prepare(ibn, contract_zero_variance)
    p = nodemap[pairs]
    out = np.zeros(len(p))
    live = p[:, 0] != p[:, 1]
    if not live.any():
        return out
    p = p[live]
    if prior_var is not None:
        tau2 = V.check_scalar("prior_var", prior_var, positive=True)
        out[live] = _difference_variance(n, e, v, p, tau2)
        return out
    labels = _check_components(n, e, p, allow_disconnected)
    if labels is None:
        out[live] = _difference_variance(n, e, v, p, None)
        return out
    vals = np.empty(len(p))
    for lab in np.unique(labels[p[:, 0]]):
        sel = labels[p[:, 0]] == lab
        nodes = np.flatnonzero(labels == lab)
        remap = -np.ones(n, dtype=np.int64)
        remap[nodes] = np.arange(len(nodes))
        ke = labels[e[:, 0]] == lab
        vals[sel] = _difference_variance(len(nodes), remap[e[ke]], v[ke], remap[p[sel]], None)
    out[live] = vals
    return out


def inference_distance_exact(ibn: IBN, u: Any, v: Any, *, prior_var: Any = None, allow_disconnected: bool = False,
                             contract_zero_variance: bool = False) -> float:
    """Exact inference distance: the posterior variance of :math:`r(u)-r(v)` [M].

    .. math:: d^{\\rm exact}(u,v) = (e_u-e_v)^\\top L^{+}(e_u-e_v) = R_{\\rm eff}(u,v)
              \\quad\\text{or}\\quad (e_u-e_v)^\\top(L+\\tau^{-2}I)^{-1}(e_u-e_v)

    under independent Gaussian edge observations and a flat prior on the offset (or a proper
    prior :math:`r\\sim N(0,\\tau^2 I)` when ``prior_var`` :math:`=\\tau^2` is given). Spec
    ``ibn.md`` §2.6 and §7.

    Parameters
    ----------
    ibn : IBN
    u, v : int
        Node ids in ``[0, n_nodes)``; ``u == v`` gives ``0.0``.
    prior_var : float, optional
        :math:`\\tau^2 > 0`. With it the result is finite even across components:
        :math:`\\tau^2(1/|A|+1/|B|)+(L_A^+)_{uu}+(L_B^+)_{vv}+O(\\tau^{-2})`.
    allow_disconnected : bool
        With a flat prior, a disconnected graph raises :class:`DisconnectedGraphError` naming the
        components of ``u`` and ``v``; when both lie in one component, ``True`` computes within it.
    contract_zero_variance : bool
        Merge the endpoints of zero-variance edges (an exact relation) instead of raising.

    Returns
    -------
    float

    Complexity
    ----------
    :math:`O(N^3)` dense; sparse LU above 3000 nodes.

    Examples
    --------
    >>> g = IBN(3, [[0, 1], [1, 2], [0, 2]], [1.0, 1.0, 1.0])
    >>> round(inference_distance_exact(g, 0, 1), 12)
    0.666666666667
    >>> inference_distance_exact(IBN(2, [[0, 1]], [1.0]), 0, 1, prior_var=1e6) < 1.0
    True
    """
    g = _as_ibn(ibn)
    a, b = _node("u", u, g.n_nodes), _node("v", v, g.n_nodes)
    if a == b:
        return 0.0
    return float(_pairs_variance(g, np.array([[a, b]]), prior_var, allow_disconnected, contract_zero_variance)[0])


def inference_distance_path(ibn: IBN, u: Any, v: Any, *, contract_zero_variance: bool = False) -> float:
    """Path surrogate of the inference distance: least total variance along one path [R].

    .. math:: d^{\\rm path}(u,v) = \\min_{P:u\\to v}\\sum_{e\\in P}\\sigma_e^2

    Spec ``ibn.md`` §2.6 (vocabulary [S], formalisation [R]; reconstruction; the full text was not
    available to us). Dijkstra on variances; parallel edges merge by the minimum variance. Returns
    ``inf`` between components (a distance, not a variance).

    Parameters
    ----------
    ibn : IBN
    u, v : int
    contract_zero_variance : bool
        As in :func:`inference_distance_exact`.

    Returns
    -------
    float

    Examples
    --------
    >>> inference_distance_path(IBN(3, [[0, 1], [1, 2], [0, 2]], [1.0, 1.0, 5.0]), 0, 2)
    2.0
    """
    g = _as_ibn(ibn)
    a, b = _node("u", u, g.n_nodes), _node("v", v, g.n_nodes)
    if a == b:
        return 0.0
    n, e, var, nodemap = _prepare(g, contract_zero_variance)
    return float(shortest_path_variance(n, e, var, pairs=[[nodemap[a], nodemap[b]]])[0])


_mark_R(inference_distance_path)


def mean_inference_distance(ibn: IBN, pairs: Any, *, method: Literal["exact", "path"] = "exact",
                            prior_var: Any = None, allow_disconnected: bool = False,
                            contract_zero_variance: bool = False) -> tuple[float, float]:
    """Mean inference distance over evaluation pairs, with its standard error [S/R].

    The exact metric is [M]; the path metric and the evaluation law are [R] (reconstruction; the
    full text was not available to us).

    .. math:: \\bar d = \\frac1k\\sum_{i=1}^k d(y_i, y_i'), \\qquad
              \\mathrm{SE} = s/\\sqrt{k}

    Spec ``ibn.md`` §2.6: a Monte Carlo estimate of :math:`\\mathbb E_{y,y'}[d(y,y')]` when the
    pairs are drawn independently from :math:`p_{\\rm eval}`. All pairs share one factorisation.

    Parameters
    ----------
    ibn : IBN
    pairs : int array, shape (k, 2)
    method : {"exact", "path"}
        :func:`inference_distance_exact` [M] or :func:`inference_distance_path` [R].
    prior_var, allow_disconnected, contract_zero_variance
        As in :func:`inference_distance_exact` (``prior_var`` only with ``"exact"``).

    Returns
    -------
    (mean, stderr) : tuple of float
        ``stderr`` is NaN for a single pair.

    Complexity
    ----------
    One factorisation plus :math:`k` solves (exact); :math:`k` Dijkstra runs at most (path).

    Examples
    --------
    >>> g = IBN(3, [[0, 1], [1, 2]], [1.0, 1.0])
    >>> mean_inference_distance(g, [[0, 1], [0, 2]])
    (1.5, 0.5)
    """
    g = _as_ibn(ibn)
    V.check_choice("method", method, ("exact", "path"))
    p = V.as_index_array("pairs", pairs, n=g.n_nodes, shape=(None, 2))
    if len(p) == 0:
        raise InvalidInputError("pairs", "must contain at least one pair", received="shape (0, 2)")
    if method == "exact":
        d = _pairs_variance(g, p, prior_var, allow_disconnected, contract_zero_variance)
    else:
        if prior_var is not None:
            raise InvalidInputError("prior_var", "is only used with method='exact'")
        n, e, var, nodemap = _prepare(g, contract_zero_variance)
        d = shortest_path_variance(n, e, var, pairs=nodemap[p])
    se = float(np.std(d, ddof=1) / np.sqrt(len(d))) if len(d) > 1 else float("nan")
    return float(np.mean(d)), se


_mark_R(mean_inference_distance)


# ----------------------------------------------------------------------------------------------
# structural function and the reference universe (§2.5, §2.7) [R]

_Msym = sp.Symbol("M", positive=True)


@dataclass(frozen=True)
class StructuralFunction:
    """Structural function :math:`F(M)`: IB uncertainty left inside :math:`M` clusters [S concept; R].

    ========== =========================================
    regime     :math:`F(M)`
    ========== =========================================
    ``poly``   :math:`I\\,M^{-\\alpha}`
    ``log``    :math:`I\\,(1+\\ln M)^{-\\alpha}`
    ``sublog`` :math:`I\\,(1+\\ln(1+\\ln M))^{-\\alpha}`
    ========== =========================================

    Spec ``ibn.md`` §2.7; the families and the :math:`1+\\ln M` shifts are ours, so that
    :math:`F(1)=I`. Reconstruction; the full text was not available to us.

    Parameters
    ----------
    regime : {"poly", "log", "sublog"}
    I : float
        :math:`F(1) > 0`.
    alpha : float
        Exponent :math:`\\alpha > 0`.

    Examples
    --------
    >>> F = StructuralFunction("poly", 2.0, 0.5)
    >>> F(4.0)
    1.0
    >>> F.sympy()
    2/sqrt(M)
    """

    regime: Literal["poly", "log", "sublog"]
    I: float
    alpha: float = 1.0

    def __post_init__(self) -> None:
        V.check_choice("regime", self.regime, ("poly", "log", "sublog"))
        object.__setattr__(self, "I", V.check_scalar("I", self.I, positive=True))
        object.__setattr__(self, "alpha", V.check_scalar("alpha", self.alpha, positive=True))

    def __call__(self, M: Any) -> Any:
        """:math:`F(M)` for :math:`M \\ge 1` (scalar or array)."""
        m = V.as_float_array("M", M)
        if np.any(m < 1):
            raise InvalidInputError("M", "must be >= 1 (a number of clusters)", received=float(np.min(m)))
        lm = np.log(m)
        if self.regime == "poly":
            out = self.I * m ** (-self.alpha)
        elif self.regime == "log":
            out = self.I * (1.0 + lm) ** (-self.alpha)
        else:
            out = self.I * (1.0 + np.log1p(lm)) ** (-self.alpha)
        return float(out) if np.ndim(out) == 0 else out

    def log_slope(self, M: Any) -> Any:
        """:math:`d\\ln F/d\\ln M` (used by :func:`optimal_M` to locate the chain optimum).

        Examples
        --------
        >>> StructuralFunction("log", 1.0, 2.0).log_slope(1.0)
        -2.0
        """
        m = V.as_float_array("M", M)
        lm = np.log(m)
        if self.regime == "poly":
            out = -self.alpha * np.ones_like(lm)
        elif self.regime == "log":
            out = -self.alpha / (1.0 + lm)
        else:
            out = -self.alpha / ((1.0 + np.log1p(lm)) * (1.0 + lm))
        return float(out) if np.ndim(out) == 0 else out

    def inverse(self, y: Any) -> float:
        """The :math:`M \\ge 1` with :math:`F(M)=y` for :math:`0<y\\le I` (closed forms).

        Examples
        --------
        >>> StructuralFunction("poly", 1.0, 1.0).inverse(0.01)
        100.0
        """
        t = V.check_scalar("y", y, positive=True)
        if t > self.I:
            raise InvalidInputError("y", f"must be <= F(1) = I = {self.I}", received=t)
        s = (self.I / t) ** (1.0 / self.alpha)
        if self.regime == "poly":
            return float(s)
        if self.regime == "log":
            return float(np.exp(s - 1.0))
        return float(np.exp(np.expm1(s - 1.0)))

    def sympy(self, M: Any = None) -> sp.Expr:
        """The family as a sympy expression in the positive symbol ``M`` (or at ``M``)."""
        I = sp.Float(self.I) if self.I != int(self.I) else sp.Integer(int(self.I))
        a = sp.nsimplify(self.alpha) if float(self.alpha).is_integer() or self.alpha in (0.5, 0.25) else sp.Float(self.alpha)
        x = _Msym
        expr = {
            "poly": I * x ** (-a),
            "log": I * (1 + sp.log(x)) ** (-a),
            "sublog": I * (1 + sp.log(1 + sp.log(x))) ** (-a),
        }[self.regime]
        if M is not None:
            expr = expr.subs(x, V.as_sympy_value("M", M))
        return expr


_mark_R(StructuralFunction)


def _as_F(F: Any) -> StructuralFunction:
    if not isinstance(F, StructuralFunction):
        raise InvalidInputError("F", "must be a StructuralFunction", received=type(F).__name__)
    return F


def tau_schedule(F: StructuralFunction, B: Any, D: Any) -> np.ndarray:
    """IB edge variances per level that realise :math:`F` in the reference universe [M given the model].

    .. math:: \\tau_k^2 = \\tfrac12\\big(F(B^{k-1}) - F(B^k)\\big)\\ (k<D), \\qquad
              \\tau_D^2 = \\tfrac12 F(B^{D-1})

    so that :math:`2\\sum_k\\tau_k^2 = F(1) = I` and the prefix-cluster values
    :math:`F(B^m)=2\\sum_{k>m}\\tau_k^2` match the family for :math:`m<D` (spec ``ibn.md`` §2.7).
    The universe is our construction [R]; reconstruction; the full text was not available to us.

    Parameters
    ----------
    F : StructuralFunction
    B : int
        Branching of the universe, >= 2.
    D : int
        Depth, >= 1.

    Returns
    -------
    ndarray of float64, shape (D,)

    Examples
    --------
    >>> tau_schedule(StructuralFunction("poly", 1.0, 1.0), 2, 3)
    array([0.25 , 0.125, 0.125])
    """
    F = _as_F(F)
    B = V.check_int("B", B, lo=2)
    D = V.check_int("D", D, lo=1)
    vals = np.array([F(float(B) ** k) for k in range(D)])
    tau = np.empty(D)
    tau[:-1] = 0.5 * (vals[:-1] - vals[1:])
    tau[-1] = 0.5 * vals[-1]
    return tau


_mark_R(tau_schedule)


def ibn_from_universe(responses: Any, B: Any, tau2: Any, hp_pairs: Any, hp_var: Any) -> IBN:
    """Build the IBN of a dataset in the reference universe [R].

    Nodes are the root (the prompt), every distinct prefix of the given responses (latent), and
    the distinct complete responses. A prefix of length :math:`k` hangs from its length
    :math:`k-1` prefix by an IB edge of variance :math:`\\tau_k^2`; every comparison adds an HP
    edge of variance ``hp_var`` between its two responses. Between leaves with LCA depth
    :math:`h` the IB path variance is :math:`d_{\\rm IB}=2\\sum_{k>h}\\tau_k^2`. Spec ``ibn.md``
    §2.5; reconstruction; the full text was not available to us.

    Node order: root ``0``, then prefixes by depth (within a depth, lexicographic). ``prefix_id``
    holds each node's parent; ``response_node[i]`` is the node of ``responses[i]`` (duplicate
    responses share a node). Evaluation responses that are not compared may be included: they
    join the graph through their latent ancestors (§2.6).

    Parameters
    ----------
    responses : int array, shape (n_resp, D)
        Segments in ``[0, B)``.
    B : int
        Universe branching, >= 2.
    tau2 : float array, shape (D,)
        IB variances per level (see :func:`tau_schedule`), > 0.
    hp_pairs : int array, shape (k, 2)
        Row indices into ``responses`` of the compared pairs.
    hp_var : float or float array, shape (k,)
        HP variances (> 0).

    Returns
    -------
    IBN

    Complexity
    ----------
    :math:`O(D\\,n_{\\rm resp}\\log n_{\\rm resp})`.

    Examples
    --------
    >>> g = ibn_from_universe([[0, 0], [0, 1], [1, 0]], 2, [1.0, 0.5], [[0, 2]], 0.1)
    >>> g.n_nodes, int(g.is_response.sum()), g.response_node.tolist()
    (6, 3, [3, 4, 5])
    >>> inference_distance_path(g, 3, 4)   # siblings: 2 * tau_2^2
    1.0
    """
    B = V.check_int("B", B, lo=2)
    resp = np.asarray(responses)
    if resp.ndim != 2 or resp.shape[1] < 1 or resp.shape[0] < 1:
        raise InvalidInputError("responses", "must have shape (n_resp, D) with n_resp, D >= 1",
                                received=f"shape {resp.shape}")
    if resp.dtype.kind not in "iu":
        raise InvalidInputError("responses", "must be an integer array", received=f"dtype {resp.dtype}")
    if resp.min() < 0 or resp.max() >= B:
        raise InvalidInputError("responses", f"segments must lie in [0, {B - 1}]",
                                received=int(resp.min() if resp.min() < 0 else resp.max()))
    n_resp, D = resp.shape
    tau = V.as_float_array("tau2", tau2, shape=(D,), positive=True)
    hp = V.as_index_array("hp_pairs", hp_pairs, n=n_resp, shape=(None, 2))
    hv = V.as_float_array("hp_var", np.broadcast_to(np.asarray(hp_var, dtype=float), (len(hp),))
                          if np.ndim(hp_var) == 0 else hp_var, shape=(len(hp),), positive=True)
    parent_of_row = np.zeros(n_resp, dtype=np.int64)  # node of each row's current prefix (root = 0)
    next_id = 1
    e_list, v_list, parents, is_resp = [], [], [-1], [False]
    for k in range(1, D + 1):
        uniq, inv = np.unique(resp[:, :k], axis=0, return_inverse=True)
        inv = np.asarray(inv).reshape(-1)
        ids = next_id + np.arange(len(uniq))
        first = np.unique(inv, return_index=True)[1]
        par = parent_of_row[first]
        e_list.append(np.stack([par, ids], axis=1))
        v_list.append(np.full(len(uniq), tau[k - 1]))
        parents.extend(par.tolist())
        is_resp.extend([k == D] * len(uniq))
        parent_of_row = ids[inv]
        next_id += len(uniq)
    rn = parent_of_row
    ib_e = np.concatenate(e_list)
    edges = np.concatenate([ib_e, rn[hp]]) if len(hp) else ib_e
    var = np.concatenate([np.concatenate(v_list), hv])
    kind = np.array(["IB"] * len(ib_e) + ["HP"] * len(hp))
    return IBN(next_id, edges, var, kind, np.array(is_resp), np.array(parents, dtype=np.int64), rn)


_mark_R(ibn_from_universe)


# ----------------------------------------------------------------------------------------------
# random-graph hop counts and the Lambert-W boundary (§3.4) [M]


def _check_asymptotic_n(n: Any, name: str = "n") -> float:
    nv = V.check_scalar(name, n, positive=True)
    if nv < 100:
        raise InvalidInputError(name, "must be >= 100 for the asymptotic model (range [100, inf); "
                                "below 1000 an AsymptoticRangeWarning is issued)", received=nv)
    if _mconn(nv) < 20:  # pragma: no cover - implied by n >= 100
        raise InvalidInputError(name, "gives M_conn(n) < 20: outside the asymptotic range", received=nv)
    if nv < 1000:
        warnings.warn(f"{name}={nv:g} < 1000: the asymptotic hop-count model is a poor approximation here",
                      AsymptoticRangeWarning, stacklevel=3)
    return nv


def _check_M_c(M: Any, c: Any) -> tuple[float, float]:
    m = V.check_scalar("M", M, positive=True)
    cv = V.check_scalar("c", c, positive=True)
    if m < 20:
        raise InvalidInputError("M", "must be >= 20 nodes for the random-graph hop formula (range [20, inf))",
                                received=m)
    if cv <= 1:
        raise InvalidInputError("c", "mean degree must be > 1 (range (1, inf)): no giant component otherwise",
                                received=cv)
    if m < 100:
        warnings.warn(f"M={m:g} < 100: the hop-count formula is a poor approximation here", AsymptoticRangeWarning,
                      stacklevel=3)
    return m, cv


def _fronczak(m, c):
    return (np.log(m) - EULER_GAMMA) / np.log(c) + 0.5


def er_hops_fronczak(M: Any, c: Any) -> float:
    """Finite-size mean hop distance in an Erdős–Rényi graph (Fronczak et al. 2004) [M].

    .. math:: \\bar\\ell_{\\rm Fr}(M,c) = \\frac{\\ln M - \\gamma}{\\ln c} + \\frac12

    with :math:`\\gamma` Euler's constant. Spec ``ibn.md`` §3.4 (ii); checked by claim C8.

    Parameters
    ----------
    M : float
        Number of nodes, >= 20 (warning below 100).
    c : float
        Mean degree, > 1.

    Returns
    -------
    float

    Examples
    --------
    >>> round(er_hops_fronczak(1000.0, 4.0), 10)
    5.0665190537
    """
    m, cv = _check_M_c(M, c)
    return float(_fronczak(m, cv))


def er_hops_asymptotic(M: Any, c: Any) -> float:
    """Leading-order typical distance :math:`\\ln M/\\ln c` in a sparse random graph (Chung & Lu 2001) [M].

    Spec ``ibn.md`` §3.4 (ii). Off by 2--10% at practical sizes (use :func:`er_hops_fronczak`).

    Parameters
    ----------
    M : float
        Number of nodes, >= 20.
    c : float
        Mean degree, > 1.

    Returns
    -------
    float

    Examples
    --------
    >>> er_hops_asymptotic(1024.0, 4.0)
    5.0
    """
    m, cv = _check_M_c(M, c)
    return float(np.log(m) / np.log(cv))


def _lambertw(x: float) -> float:
    return float(np.real(scipy.special.lambertw(x)))


def _mconn(n: float) -> float:
    return 2.0 * n / _lambertw(2.0 * n)


def connectivity_granularity(n: Any) -> float:
    """Number of clusters at the connectivity boundary of a chain dataset [M].

    .. math:: M_{\\rm conn}(n) = \\frac{2n}{W(2n)} = e^{W(2n)}, \\qquad
              \\ln M_{\\rm conn} = c_{\\rm conn} = W(2n)

    solves :math:`M\\ln M = 2n` (mean degree :math:`c=2n/M` equal to :math:`\\ln M`); :math:`W` is
    the principal Lambert function (:func:`scipy.special.lambertw`). Spec ``ibn.md`` §3.4 (iii).
    ``connectivity_granularity.sympy(n)`` returns ``2*n/LambertW(2*n)``.

    Parameters
    ----------
    n : float
        Number of comparisons, > 0.

    Returns
    -------
    float

    Examples
    --------
    >>> round(connectivity_granularity(1e3), 2)
    342.66
    >>> connectivity_granularity.sympy()
    2*n/LambertW(2*n)
    """
    return _mconn(V.check_scalar("n", n, positive=True))


_nsym = sp.Symbol("n", positive=True)


def _mconn_sympy(n: Any = None) -> sp.Expr:
    x = _nsym if n is None else V.as_sympy_value("n", n)
    return 2 * x / sp.LambertW(2 * x)


connectivity_granularity.sympy = _mconn_sympy  # type: ignore[attr-defined]


def n_for_granularity(M: Any) -> float:
    """Budget whose connectivity granularity is :math:`M` [M]: :math:`n = \\tfrac12 M\\ln M`.

    Inverse of :func:`connectivity_granularity` (spec ``ibn.md`` §3.4).

    Parameters
    ----------
    M : float
        > 1.

    Returns
    -------
    float

    Examples
    --------
    >>> n_for_granularity(np.e ** 2)
    7.38905609893...
    """
    m = V.check_scalar("M", M, positive=True)
    if m <= 1:
        raise InvalidInputError("M", "must be > 1", received=m)
    return float(0.5 * m * np.log(m))


# ----------------------------------------------------------------------------------------------
# the reconstructed mechanism model (§3.4) [R]


def _hops(kind: str, m, c):
    return _fronczak(m, c) if kind == "fronczak" else np.log(m) / np.log(c)


def _chain_cost(M, n, F, s2, hops):
    ell = _hops(hops, M, 2.0 * n / M)
    return F(M) * (1.0 + ell) + s2 * ell


def chain_cost(M: Any, n: Any, F: StructuralFunction, s2: Any, *,
               hops: Literal["fronczak", "asymptotic"] = "fronczak") -> float:
    """Cost of a chain-based inference path at granularity :math:`M` [R].

    .. math:: C_{\\rm chain}(M;n) = F(M)\\,(1+\\ell) + s_2\\,\\ell, \\qquad
              \\ell = \\bar\\ell(M, 2n/M)

    one IB step inside each of :math:`\\ell+1` clusters plus :math:`\\ell` HP edges, subject to the
    connectivity constraint :math:`2n/M \\ge \\ln M` (:math:`M \\le M_{\\rm conn}(n)`). Spec
    ``ibn.md`` §3.4 (mechanism model); reconstruction; the full text was not available to us.

    Parameters
    ----------
    M : float
        Granularity in :math:`[2, M_{\\rm conn}(n)]`.
    n : float
        Budget, >= 100 (warning below 1000).
    F : StructuralFunction
    s2 : float
        HP edge variance :math:`\\sigma^2_{\\rm HP} \\ge 0`.
    hops : {"fronczak", "asymptotic"}

    Returns
    -------
    float

    Examples
    --------
    >>> F = StructuralFunction("poly", 1.0, 1.0)
    >>> M = connectivity_granularity(1e4)
    >>> round(chain_cost(M, 1e4, F, 0.0) * M, 4)   # 1 + ell* at the boundary
    5.0279
    """
    nv = _check_asymptotic_n(n)
    F = _as_F(F)
    s = V.check_scalar("s2", s2, nonnegative=True)
    V.check_choice("hops", hops, ("fronczak", "asymptotic"))
    m = V.check_scalar("M", M, positive=True)
    mc = _mconn(nv)
    if m < 2 or m > mc * (1 + 1e-12):
        raise InvalidInputError("M", f"must lie in [2, M_conn(n)] = [2, {mc:.6g}] (connectivity 2n/M >= ln M)",
                                received=m)
    return float(_chain_cost(m, nv, F, s, hops))


_mark_R(chain_cost)


def tree_cost(n: Any, F: StructuralFunction, s2: Any, *, h_T: Any = 1) -> float:
    """Cost of a tree-based inference path under Assumption T [R].

    .. math:: C_{\\rm tree}(n) = F(M_{\\rm conn}(n))\\,(1+h_T) + s_2\\,h_T

    Assumption T (ours, standing in for the paper's tree-dataset assumption): a tree-based
    dataset reaches granularity :math:`M_{\\rm conn}(n)` with a bounded hop count :math:`h_T`. Spec
    ``ibn.md`` §3.4; reconstruction; the full text was not available to us.

    Parameters
    ----------
    n : float
        Budget > 0.
    F : StructuralFunction
    s2 : float
        :math:`\\sigma^2_{\\rm HP} \\ge 0`.
    h_T : float
        Hop count of Assumption T, >= 0.

    Returns
    -------
    float

    Examples
    --------
    >>> F = StructuralFunction("poly", 1.0, 1.0)
    >>> round(tree_cost(1e3, F, 0.0) * connectivity_granularity(1e3), 12)
    2.0
    """
    nv = V.check_scalar("n", n, positive=True)
    F = _as_F(F)
    s = V.check_scalar("s2", s2, nonnegative=True)
    h = V.check_scalar("h_T", h_T, nonnegative=True)
    return float(F(_mconn(nv)) * (1.0 + h) + s * h)


_mark_R(tree_cost)


class OptimalM(NamedTuple):
    """Result of :func:`optimal_M`: the chain optimum ``M_star``, its ``cost``, and ``at_boundary``."""

    M_star: float
    cost: float
    at_boundary: bool


def _dcost_dlnM(x, n, F, s2, hops):
    """Exact derivative of the chain cost with respect to :math:`x=\\ln M`."""
    m = np.exp(x)
    lnc = np.log(2.0 * n) - x
    if hops == "fronczak":
        ell = (x - EULER_GAMMA) / lnc + 0.5
        dell = (np.log(2.0 * n) - EULER_GAMMA) / lnc**2
    else:
        ell = x / lnc
        dell = np.log(2.0 * n) / lnc**2
    Fm = F(m)
    return Fm * F.log_slope(m) * (1.0 + ell) + (Fm + s2) * dell


def optimal_M(n: Any, F: StructuralFunction, s2: Any, *,
              hops: Literal["fronczak", "asymptotic"] = "fronczak") -> OptimalM:
    """Granularity that minimises the chain cost, :math:`\\arg\\min_{2\\le M\\le M_{\\rm conn}} C_{\\rm chain}` [R].

    Bounded scalar minimisation on :math:`\\ln M\\in[\\ln 2,\\ln M_{\\rm conn}(n)]` (after a coarse
    grid). ``at_boundary`` is decided by the sign of the exact derivative
    :math:`dC/d\\ln M` at :math:`\\ln M_{\\rm conn}` (negative means the boundary), not by
    comparing a minimiser's output with :math:`M_{\\rm conn}`. For :math:`F=IM^{-\\alpha}`,
    :math:`s_2=0` the optimum is on the boundary roughly when :math:`\\alpha>1/\\ln M+1/\\ln\\ln M`.
    Spec ``ibn.md`` §3.4; reconstruction; the full text was not available to us.

    Parameters
    ----------
    n : float
        Budget, >= 100.
    F : StructuralFunction
    s2 : float
        :math:`\\sigma^2_{\\rm HP} \\ge 0`.
    hops : {"fronczak", "asymptotic"}

    Returns
    -------
    OptimalM

    Examples
    --------
    >>> F = StructuralFunction("poly", 1.0, 0.25)
    >>> round(optimal_M(1e4, F, 0.0).M_star, 1)
    677.2
    >>> optimal_M(1e4, StructuralFunction("poly", 1.0, 1.0), 0.0).at_boundary
    True
    """
    nv = _check_asymptotic_n(n)
    F = _as_F(F)
    s = V.check_scalar("s2", s2, nonnegative=True)
    V.check_choice("hops", hops, ("fronczak", "asymptotic"))
    mc = _mconn(nv)
    xc = float(np.log(mc))
    if _dcost_dlnM(xc, nv, F, s, hops) < 0:
        return OptimalM(mc, float(_chain_cost(mc, nv, F, s, hops)), True)
    f = lambda x: float(_chain_cost(np.exp(x), nv, F, s, hops))  # noqa: E731
    grid = np.linspace(np.log(2.0), xc, 257)
    vals = np.array([f(x) for x in grid])
    i = int(np.argmin(vals))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
    res = scipy.optimize.minimize_scalar(f, bounds=(lo, hi), method="bounded", options={"xatol": 1e-12})
    x, cost = (float(res.x), float(res.fun)) if res.fun <= vals[i] else (float(grid[i]), float(vals[i]))
    return OptimalM(float(np.exp(x)), cost, False)


_mark_R(optimal_M)


def chain_tree_ratio(n: Any, F: StructuralFunction, s2: Any, h_T: Any = 1, *,
                     hops: Literal["fronczak", "asymptotic"] = "fronczak") -> float:
    """Chain-to-tree cost ratio of the mechanism model [R].

    .. math:: \\mathrm{ratio}(n) = \\frac{C_{\\rm chain}(M^\\*;n)}{C_{\\rm tree}(n)}
              \\;=\\;\\frac{1+\\ell^\\*(n)}{1+h_T}\\ \\text{(boundary optimum, } s_2=0),\\qquad
              \\ell^\\*(n) = \\frac{W(2n)-\\gamma}{\\ln W(2n)}+\\frac12

    which is :math:`\\Theta(\\ln n/\\ln\\ln n)`, the paper's headline [V] under Assumption T. The
    numeric value uses :func:`optimal_M`; ``chain_tree_ratio.sympy(n=None, h_T=1)`` returns the
    closed form, valid only when ``s2 == 0`` and the optimum is at the boundary. This is a
    property of the path surrogate, not of the exact posterior variance (spec ``ibn.md`` §3.5).
    Reconstruction; the full text was not available to us.

    Parameters
    ----------
    n : float
        Budget, >= 100 (warning below 1000).
    F : StructuralFunction
    s2 : float
        :math:`\\sigma^2_{\\rm HP} \\ge 0`.
    h_T : float
        Hop count of Assumption T.
    hops : {"fronczak", "asymptotic"}

    Returns
    -------
    float

    Examples
    --------
    >>> round(chain_tree_ratio(1e3, StructuralFunction("poly", 1.0, 1.0), 0.0), 10)
    2.2406479971
    >>> chain_tree_ratio.sympy()
    ((LambertW(2*n) - EulerGamma)/log(LambertW(2*n)) + 3/2)/(h_T + 1)
    """
    nv = _check_asymptotic_n(n)
    F = _as_F(F)
    s = V.check_scalar("s2", s2, nonnegative=True)
    h = V.check_scalar("h_T", h_T, nonnegative=True)
    V.check_choice("hops", hops, ("fronczak", "asymptotic"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AsymptoticRangeWarning)  # already issued once above
        opt = optimal_M(nv, F, s, hops=hops)
    chain = _chain_cost(min(opt.M_star, _mconn(nv)), nv, F, s, hops)
    return float(chain / (F(_mconn(nv)) * (1.0 + h) + s * h))


_hT = sp.Symbol("h_T", nonnegative=True)


def _ratio_sympy(n: Any = None, h_T: Any = None) -> sp.Expr:
    x = _nsym if n is None else V.as_sympy_value("n", n)
    h = _hT if h_T is None else V.as_sympy_value("h_T", h_T)
    W = sp.LambertW(2 * x)
    ell = (W - sp.EulerGamma) / sp.log(W) + sp.Rational(1, 2)
    return (1 + ell) / (1 + h)


chain_tree_ratio.sympy = _ratio_sympy  # type: ignore[attr-defined]
_mark_R(chain_tree_ratio)


def headline_factor() -> sp.Expr:
    """The paper's headline factor :math:`\\log n/\\log\\log n` [V].

    The tree-based reward model has up to :math:`\\Theta(\\log n/\\log\\log n)` times less
    variance than the chain-based one (Qiu et al., abstract, arXiv 2402.10184).

    Returns
    -------
    sympy.Expr
        In the positive symbol ``n``.

    Examples
    --------
    >>> headline_factor()
    log(n)/log(log(n))
    """
    return sp.log(_nsym) / sp.log(sp.log(_nsym))


def regime_of(n: Any, F: StructuralFunction, s2: Any) -> Literal["A", "B"]:
    """Variance regime of a budget [S names; R definition].

    .. math:: \\rho(n) = \\sigma^2_{\\rm HP}/F(M_{\\rm conn}(n)); \\quad
              \\mathfrak A: \\rho\\le1 \\text{ (IB uncertainty dominates)}, \\quad \\mathfrak B: \\rho>1

    Spec ``ibn.md`` §2.8; reconstruction; the full text was not available to us.

    Parameters
    ----------
    n : float
        Budget > 0.
    F : StructuralFunction
    s2 : float
        :math:`\\sigma^2_{\\rm HP} \\ge 0`.

    Returns
    -------
    {"A", "B"}

    Examples
    --------
    >>> F = StructuralFunction("poly", 1.0, 1.0)
    >>> regime_of(1e3, F, 1e-4), regime_of(1e6, F, 1e-4)
    ('A', 'B')
    """
    nv = V.check_scalar("n", n, positive=True)
    F = _as_F(F)
    s = V.check_scalar("s2", s2, nonnegative=True)
    return "A" if s <= F(_mconn(nv)) else "B"


_mark_R(regime_of)


def n_regime_A_limit(F: StructuralFunction, s2: Any) -> float:
    """Budget at which regime :math:`\\mathfrak A` ends: :math:`F(M_{\\rm conn}(n_{\\mathfrak A}))=\\sigma^2_{\\rm HP}` [R].

    .. math:: n_{\\mathfrak A} = \\tfrac12 m_0\\ln m_0, \\qquad m_0 = F^{-1}(\\sigma^2_{\\rm HP})
              \\ \\big(= (I/\\sigma^2_{\\rm HP})^{1/\\alpha}\\ \\text{for polynomial } F\\big)

    Returns ``inf`` when ``s2 == 0`` (never leaves :math:`\\mathfrak A`) and ``0.0`` when
    :math:`m_0\\le1` (:math:`\\mathfrak A` is never entered). Spec ``ibn.md`` §2.8; reconstruction;
    the full text was not available to us.

    Parameters
    ----------
    F : StructuralFunction
    s2 : float
        :math:`\\sigma^2_{\\rm HP} \\ge 0`.

    Returns
    -------
    float

    Examples
    --------
    >>> F = StructuralFunction("poly", 1.0, 1.0)
    >>> round(n_regime_A_limit(F, 0.01), 6)   # m0 = 100: 50 ln 100
    230.258509
    >>> n_regime_A_limit(F, 0.0), n_regime_A_limit(F, 2.0)
    (inf, 0.0)
    """
    F = _as_F(F)
    s = V.check_scalar("s2", s2, nonnegative=True)
    if s == 0:
        return float("inf")
    if s >= F.I:
        return 0.0
    m0 = F.inverse(s)
    if m0 <= 1:
        return 0.0
    return float(0.5 * m0 * np.log(m0))


_mark_R(n_regime_A_limit)


def sample_size_for_distance(eps: Any, F: StructuralFunction, s2: Any, topology: Literal["chain", "tree"],
                             h_T: Any = 1) -> float:
    """Budget :math:`n` at which the model's inference cost falls to :math:`\\varepsilon` [R].

    Tree: :math:`F(M_{\\rm conn}(n))(1+h_T)+s_2h_T=\\varepsilon`, so
    :math:`M=F^{-1}\\big((\\varepsilon-s_2h_T)/(1+h_T)\\big)` (polynomial :math:`F`:
    :math:`M=(I(1+h_T)/(\\varepsilon-s_2h_T))^{1/\\alpha}`) and :math:`n=\\tfrac12M\\ln M`; defined only for
    :math:`\\varepsilon>s_2h_T`. Chain: ``brentq`` on :math:`\\ln n\\in[\\ln 100,\\ln 10^{15}]` of
    ``optimal_M(n).cost == eps``. Spec ``ibn.md`` §4.1; reconstruction; the full text was not
    available to us.

    Parameters
    ----------
    eps : float
        Target cost > 0.
    F : StructuralFunction
    s2 : float
        :math:`\\sigma^2_{\\rm HP} \\ge 0`.
    topology : {"chain", "tree"}
    h_T : float
        Hop count of Assumption T (tree only).

    Returns
    -------
    float

    Examples
    --------
    >>> F = StructuralFunction("poly", 1.0, 1.0)
    >>> n = sample_size_for_distance(0.002, F, 0.0, "tree")
    >>> round(tree_cost(n, F, 0.0), 12)
    0.002
    """
    e = V.check_scalar("eps", eps, positive=True)
    F = _as_F(F)
    s = V.check_scalar("s2", s2, nonnegative=True)
    V.check_choice("topology", topology, ("chain", "tree"))
    h = V.check_scalar("h_T", h_T, nonnegative=True)
    if topology == "tree":
        if e <= s * h:
            raise InvalidInputError("eps", f"must be > s2 * h_T = {s * h:g}: the tree cost never falls below it",
                                    received=e)
        target = (e - s * h) / (1.0 + h)
        if target >= F.I:
            raise InvalidInputError("eps", "is reached already with one cluster (F(1)(1+h_T) + s2 h_T <= eps)",
                                    received=e)
        M = F.inverse(target)
        return float(0.5 * M * np.log(M))
    lo, hi = np.log(100.0), np.log(1e15)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AsymptoticRangeWarning)
        g = lambda t: optimal_M(float(np.exp(t)), F, s).cost - e  # noqa: E731
        glo, ghi = g(lo), g(hi)
    if glo <= 0:
        raise InvalidInputError("eps", "is reached already at n = 100, below the model's asymptotic range", received=e)
    if ghi > 0:
        raise InvalidInputError("eps", "is not reached by the chain cost for n <= 1e15", received=e)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AsymptoticRangeWarning)
        t = scipy.optimize.brentq(g, lo, hi, xtol=1e-13, rtol=1e-14)
    return float(np.exp(t))


_mark_R(sample_size_for_distance)


# ----------------------------------------------------------------------------------------------
# paper tables


class PaperTable2(Mapping):
    """The paper's per-regime Table 2, keyed by ``(F_regime, var_regime, topology)`` [R placeholder].

    Every entry is ``None`` until filled from the paper's text (spec ``ibn.md`` §8, open question
    1); reading a ``None`` entry raises :class:`~aligntheory.errors.PaperUnverifiedError`.
    Reconstruction; the full text was not available to us.

    Examples
    --------
    >>> len(paper_table2), paper_table2.is_filled(("poly", "A", "tree"))
    (12, False)
    >>> paper_table2["poly", "A", "tree"]
    Traceback (most recent call last):
    ...
    aligntheory.errors.PaperUnverifiedError: paper_table2[('poly', 'A', 'tree')] is not known: ...
    """

    KEYS = tuple((f, v, t) for f in ("poly", "log", "sublog") for v in ("A", "B") for t in ("chain", "tree"))

    def __init__(self) -> None:
        self._data: dict[tuple[str, str, str], sp.Expr | None] = {k: None for k in self.KEYS}

    def _key(self, key: Any) -> tuple[str, str, str]:
        k = tuple(key) if isinstance(key, (tuple, list)) else (key,)
        if k not in self._data:
            raise InvalidInputError("key", f"must be one of (F_regime, var_regime, topology) in {self.KEYS[:2]}...",
                                    received=key)
        return k  # type: ignore[return-value]

    def __getitem__(self, key: Any) -> sp.Expr:
        k = self._key(key)
        val = self._data[k]
        if val is None:
            raise PaperUnverifiedError(
                f"paper_table2[{k!r}] is not known: the full text of Qiu et al. (arXiv 2402.10184) was not "
                "available to us (spec ibn.md §8)")
        return val

    def is_filled(self, key: Any) -> bool:
        """Whether the entry has been filled from the text (never raises)."""
        return self._data[self._key(key)] is not None

    def __iter__(self):
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


paper_table2 = _mark_R(PaperTable2())


experiment_tables: dict[str, Any] = {
    "datasets": ("HH-RLHF", "GSM-8K", "DialogSum"),
    "win_rate": {
        # [S] GPT-4 win rates as reported by readers of the paper (spec ibn.md §4.3, C12)
        "tree_vs_chain": (0.74, 0.63, 0.58),
        "chain_vs_sft": (0.72, 0.57, 0.58),
        "tree_vs_sft": (0.78, 0.65, 0.66),
    },
    "win_rate_reported_mean": {"tree_vs_chain": 0.65, "chain_vs_sft": 0.62, "tree_vs_sft": 0.70},
    "annotation_length": {
        "chain": (427.0, 324.9, 152.0),
        "tree_excluding_prefix": (315.5, 244.9, 151.2),
    },
    "annotation_length_reported_mean": {"chain": 301.3, "tree_including_prefix": 274.4,
                                        "tree_excluding_prefix": 237.2},
    "savings_reported_overall": 0.21,
}
"""Experiment constants of the paper as reported by secondary sources [S] (spec ``ibn.md`` §4.3 C12).

Order of every tuple: ``experiment_tables["datasets"]``. Only the mean is known for the tree
annotation length including the shared prefix.
"""

"""The induced Bayesian network (IBN) of spec ``ibn.md`` §2.4--2.6 and its inference distances.

The exact inference distance is standard mathematics [M]; the path surrogate and the evaluation
law are our reconstruction [R] (the full text of Qiu et al., arXiv 2402.10184, was not available
to us). Every solve is scale-safe: variances (and a prior variance) are divided by a power of two
before the solve and the answer is multiplied back (see :mod:`aligntheory.theory.ibn._graph`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import numpy as np
import scipy.linalg
import scipy.sparse
import scipy.sparse.csgraph
import scipy.sparse.linalg

from aligntheory import _validate as V
from aligntheory.errors import DisconnectedGraphError, InvalidInputError
from aligntheory.results import provenance
from aligntheory.theory.ibn import _graph as G
from aligntheory.theory.ibn._resistance import effective_resistance, shortest_path_variance

__all__ = [
    "IBN",
    "inference_distance_exact",
    "inference_distance_path",
    "inference_distances",
    "MeanInferenceDistance",
    "mean_inference_distance",
]

_DENSE_LIMIT = 3000  # above this many nodes, distance sweeps use a sparse LU of the grounded Laplacian


@provenance("R", source="qiu2024reward", where="§2.5 (IBN structure [S]; Gaussian edge weights ours)")
@dataclass(frozen=True, eq=False)
class IBN:
    """Induced Bayesian network: a weighted multigraph of HP and IB edges [S structure; R weights].

    Spec ``ibn.md`` §2.5. Nodes are responses and latent nodes (for example internal prefix-tree
    nodes); an edge is a Gaussian relation :math:`r(u)-r(v)` observed with variance ``variances[e]``.

    Parameters
    ----------
    n_nodes : int
    edges : int array, shape (E, 2)
    variances : float array, shape (E,)
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

    Raises
    ------
    InvalidInputError
        Node ids out of range, mismatched lengths, negative or NaN variances, bad ``kind``,
        ``is_response`` or ``prefix_id``.

    Notes
    -----
    Arrays are copied and frozen (read-only); the graph is immutable.

    Examples
    --------
    >>> g = IBN(3, [[0, 1], [1, 2]], [1.0, 2.0])
    >>> g.n_nodes, g.edges.shape, g.kind.tolist()
    (3, (2, 2), ['HP', 'HP'])
    """

    n_nodes: int
    edges: Any
    variances: Any
    kind: Any = None
    is_response: Any = None
    prefix_id: Any = None
    response_node: Any = field(default=None)

    def __post_init__(self) -> None:
        n = V.check_int("n_nodes", self.n_nodes, lo=1)
        e = G.index_array("edges", self.edges, n=n, shape=(None, 2))
        v = V.as_float_array("variances", self.variances, shape=(None,), finite=False)
        V.check_same_length(("edges", "variances"), e, v)
        if np.any(np.isnan(v)) or np.any(v < 0):
            raise InvalidInputError("variances", "variances must be >= 0 and not NaN")
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
            rn = G.index_array("response_node", self.response_node, n=n, shape=(None,))
        for name, arr in (("edges", e), ("variances", v), ("kind", kind), ("is_response", resp), ("prefix_id", pre),
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
    e, v, n = ibn.edges, ibn.variances, ibn.n_nodes
    zero = v == 0
    if not contract_zero_variance or not zero.any():
        return n, e, v, np.arange(n)
    adj = scipy.sparse.coo_matrix((np.ones(int(zero.sum())), (e[zero, 0], e[zero, 1])), shape=(n, n))
    k, labels = scipy.sparse.csgraph.connected_components(adj, directed=False)
    keep = ~zero
    return k, labels[e[keep]], v[keep], labels


def _prepare(ibn: IBN, contract_zero_variance: bool):
    n, e, v, nodemap = _contract(ibn, contract_zero_variance)
    n, e, v = G.graph_input("IBN", n, e, (), v, None)[:3]
    return n, e, v, nodemap


def _component_labels(n: int, e: np.ndarray):
    return G.components(n, e)


def _difference_variance(n: int, e: np.ndarray, v: np.ndarray, pairs: np.ndarray,
                         prior_var: float | None) -> np.ndarray:
    """:math:`(e_u-e_v)^\\top A^{-1}(e_u-e_v)` with :math:`A = L + \\tau^{-2}I` (or :math:`L^+` if no prior).

    Scale-safe: variances and the prior variance are divided by one power of two (exact) and the
    answer multiplied back. Dense (guarded) solves up to 3000 nodes, a sparse LU of the (grounded,
    without prior) matrix above.
    """
    if prior_var is None and n <= _DENSE_LIMIT:
        return effective_resistance(n, e, variances=v, pairs=pairs)
    G.check_range(np.append(v, prior_var) if prior_var is not None else v)
    s = G.scale_of(np.append(v, prior_var) if prior_var is not None else v)
    c = s / v
    k = len(pairs)
    if prior_var is None:
        L = G.laplacian_sparse(n, e, c).tocsc()
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
        t = s / prior_var
        B = G.incidence_columns(n, pairs)
        if n <= _DENSE_LIMIT:
            return G.unscale(_prior_dense(n, e, c, pairs, t), s, "inference distance")
        A = (G.laplacian_sparse(n, e, c) + t * scipy.sparse.identity(n)).tocsc()
    # symmetric positive definite: minimum-degree ordering on A + A^T, no pivoting (far less fill-in than COLAMD)
    lu = scipy.sparse.linalg.splu(A, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0,
                                  options={"SymmetricMode": True})
    X = lu.solve(B)
    return G.unscale(np.einsum("ik,ik->k", B, X), s, "inference distance")


def _prior_dense(n: int, e: np.ndarray, c: np.ndarray, pairs: np.ndarray, t: float) -> np.ndarray:
    """:math:`b^\\top(L+tI)^{-1}b` for :math:`b=e_u-e_v`, stable for any :math:`t>0` (even far below the
    spectrum of :math:`L`).

    With :math:`P` the orthogonal projector on the component indicators, :math:`L` and :math:`I`
    commute with :math:`P`, so :math:`b^\\top(L+tI)^{-1}b = b_\\perp^\\top(L+tI+\\kappa P)^{-1}b_\\perp
    + \\|Pb\\|^2/t` for any :math:`\\kappa>0`; :math:`\\kappa` = the mean weighted degree keeps the
    matrix well conditioned, and :math:`\\|Pb\\|^2 = 1/|C_u|+1/|C_v|` across components (0 within one).
    """
    k, labels = G.components(n, e)
    sizes = np.bincount(labels, minlength=k).astype(float)
    L = G.laplacian_np(n, e, c)
    kappa = float(np.mean(np.diag(L))) if len(e) else 1.0
    kappa = kappa if kappa > 0 else 1.0
    Pm = (labels[:, None] == labels[None, :]) / sizes[labels][None, :]
    A = L + t * np.eye(n) + kappa * Pm
    B = G.incidence_columns(n, pairs)
    cross = labels[pairs[:, 0]] != labels[pairs[:, 1]]
    par = np.where(cross, 1.0 / sizes[labels[pairs[:, 0]]] + 1.0 / sizes[labels[pairs[:, 1]]], 0.0)
    Bp = B - Pm @ B  # remove the component-indicator part of each e_u - e_v
    factor, cond = G.cholesky_cond(A)
    if factor is None:
        from aligntheory.errors import PrecisionError

        raise PrecisionError(f"L + I/prior_var is not numerically positive definite (condition ~{cond:.3g})")
    X = scipy.linalg.cho_solve(factor, Bp)
    for _ in range(2):  # iterative refinement: a few ulps instead of cond * eps
        X = X + scipy.linalg.cho_solve(factor, Bp - A @ X)
    with np.errstate(over="ignore"):
        return np.einsum("ik,ik->k", Bp, X) + par / t


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


@provenance("M", source="hendrickx2019graph", where="§3; spec ibn.md §2.6 (exact inference distance)")
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
    allow_disconnected : bool, default False
        With a flat prior, a disconnected graph raises :class:`DisconnectedGraphError` naming the
        components of ``u`` and ``v``; when both lie in one component, ``True`` computes within it.
    contract_zero_variance : bool, default False
        Merge the endpoints of zero-variance edges (an exact relation) instead of raising.

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        Not an :class:`IBN`, bad node ids, zero variances without ``contract_zero_variance``.
    DisconnectedGraphError
        ``u`` and ``v`` in different components with a flat prior.
    PrecisionError
        See :func:`~aligntheory.theory.ibn.effective_resistance`.

    Notes
    -----
    :math:`O(N^3)` dense (scale-safe, guarded route of :func:`effective_resistance`); sparse LU
    above 3000 nodes.

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


@provenance("R", source="qiu2024reward", where="§2 'inference path' [S]; formalisation ours, spec ibn.md §2.6")
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
    contract_zero_variance : bool, default False
        As in :func:`inference_distance_exact`.

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        Not an :class:`IBN`, bad node ids.

    Notes
    -----
    One Dijkstra run, :math:`O(E + N\\log N)`.

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
    return float(shortest_path_variance(n, e, variances=var, pairs=[[nodemap[a], nodemap[b]]])[0])


@provenance("R", source="qiu2024reward", where="§2.6 exact distance [M]; path surrogate [R], spec ibn.md §2.6")
def inference_distances(ibn: IBN, pairs: Any, *, method: Literal["exact", "path"] = "exact",
                        prior_var: Any = None, allow_disconnected: bool = False,
                        contract_zero_variance: bool = False) -> np.ndarray:
    """Inference distances of many node pairs, sharing one factorisation [M exact; R path].

    .. math:: d_i = d(y_i, y_i'), \\quad i = 1..k

    with :math:`d` the exact distance of :func:`inference_distance_exact` (posterior variance of
    :math:`r(y)-r(y')`, [M]) or the path surrogate of :func:`inference_distance_path` ([R];
    reconstruction, the full text was not available to us). Spec ``ibn.md`` §2.6.

    Parameters
    ----------
    ibn : IBN
    pairs : int array, shape (k, 2)
    method : {"exact", "path"}
    prior_var : float, optional
        As in :func:`inference_distance_exact` (only with ``"exact"``).
    allow_disconnected : bool, default False
        As in :func:`inference_distance_exact`.
    contract_zero_variance : bool, default False
        As in :func:`inference_distance_exact`.

    Returns
    -------
    ndarray of float64, shape (k,)

    Raises
    ------
    InvalidInputError, DisconnectedGraphError, PrecisionError
        As in :func:`inference_distance_exact`.

    Notes
    -----
    One factorisation plus :math:`k` solves (exact); one Dijkstra run per distinct first node (path).

    Examples
    --------
    >>> g = IBN(3, [[0, 1], [1, 2]], [1.0, 3.0])
    >>> inference_distances(g, [[0, 1], [0, 2], [2, 2]])
    array([1., 4., 0.])
    """
    g = _as_ibn(ibn)
    V.check_choice("method", method, ("exact", "path"))
    p = G.index_array("pairs", pairs, n=g.n_nodes, shape=(None, 2))
    if len(p) == 0:
        raise InvalidInputError("pairs", "must contain at least one pair", received="shape (0, 2)")
    if method == "exact":
        return _pairs_variance(g, p, prior_var, allow_disconnected, contract_zero_variance)
    if prior_var is not None:
        raise InvalidInputError("prior_var", "is only used with method='exact'")
    n, e, var, nodemap = _prepare(g, contract_zero_variance)
    return shortest_path_variance(n, e, variances=var, pairs=nodemap[p])


@provenance("R", source="qiu2024reward", where="§2.6 mean inference distance [S]; evaluation law ours")
class MeanInferenceDistance(NamedTuple):
    """Result of :func:`mean_inference_distance`: the ``mean`` over pairs and its ``stderr``.

    ``stderr`` is ``None`` for a single pair (undefined). Unpacks as ``mean, stderr``.

    Examples
    --------
    >>> MeanInferenceDistance(1.5, 0.5).mean
    1.5
    """

    mean: float
    stderr: float | None


@provenance("R", source="qiu2024reward", where="§2.6 mean inference distance [S]; evaluation law ours")
def mean_inference_distance(ibn: IBN, pairs: Any, *, method: Literal["exact", "path"] = "exact",
                            prior_var: Any = None, allow_disconnected: bool = False,
                            contract_zero_variance: bool = False) -> MeanInferenceDistance:
    """Mean inference distance over evaluation pairs, with its standard error [S/R].

    The exact metric is [M]; the path metric and the evaluation law are [R] (reconstruction; the
    full text was not available to us).

    .. math:: \\bar d = \\frac1k\\sum_{i=1}^k d(y_i, y_i'), \\qquad
              \\mathrm{SE} = s/\\sqrt{k}

    Spec ``ibn.md`` §2.6: a Monte Carlo estimate of :math:`\\mathbb E_{y,y'}[d(y,y')]` when the
    pairs are drawn independently from :math:`p_{\\rm eval}`. All pairs share one factorisation
    (:func:`inference_distances`).

    Parameters
    ----------
    ibn : IBN
    pairs : int array, shape (k, 2)
    method : {"exact", "path"}
        :func:`inference_distance_exact` [M] or :func:`inference_distance_path` [R].
    prior_var : float, optional
        As in :func:`inference_distance_exact` (only with ``"exact"``).
    allow_disconnected : bool, default False
        As in :func:`inference_distance_exact`.
    contract_zero_variance : bool, default False
        As in :func:`inference_distance_exact`.

    Returns
    -------
    MeanInferenceDistance
        ``(mean, stderr)``; ``stderr`` is ``None`` for a single pair.

    Raises
    ------
    InvalidInputError, DisconnectedGraphError, PrecisionError
        As in :func:`inference_distances`.

    Notes
    -----
    One factorisation plus :math:`k` solves (exact); :math:`k` Dijkstra runs at most (path).

    Examples
    --------
    >>> g = IBN(3, [[0, 1], [1, 2]], [1.0, 1.0])
    >>> mean_inference_distance(g, [[0, 1], [0, 2]])
    MeanInferenceDistance(mean=1.5, stderr=0.5)
    """
    d = inference_distances(ibn, pairs, method=method, prior_var=prior_var, allow_disconnected=allow_disconnected,
                            contract_zero_variance=contract_zero_variance)
    se = float(np.std(d, ddof=1) / np.sqrt(len(d))) if len(d) > 1 else None
    return MeanInferenceDistance(float(np.mean(d)), se)

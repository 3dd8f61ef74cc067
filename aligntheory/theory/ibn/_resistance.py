"""Effective resistance, the exact core of the IBN pillar (spec ``ibn.md`` §2.6, §3.1--3.3).

The library treats the comparison data of one prompt as a weighted graph: nodes are responses,
an edge is a comparison (or an inductive-bias relation) with a *variance* :math:`\\sigma_e^2`, and
its *conductance* is :math:`c_e = 1/\\sigma_e^2`. The exact inference distance between two
responses is the posterior variance of their reward difference, which is the effective
resistance [M] (Klein & Randić 1993; Hendrickx, Olshevsky & Saligrama 2019):

.. math:: R_{\\rm eff}(u,v) = (e_u - e_v)^\\top L^{+} (e_u - e_v).

Theory functions take edge **variances** ``var`` in the order ``(n_nodes, edges, var, ...)``;
kernels (:mod:`aligntheory.kernels.ibn`) take conductances in the same order.
"""

from __future__ import annotations

import warnings
from typing import Any, Literal

import numpy as np
import scipy.linalg
import scipy.sparse
import scipy.sparse.csgraph
import scipy.sparse.linalg
import sympy as sp

from aligntheory import _validate as V
from aligntheory.errors import DisconnectedGraphError, InvalidInputError

__all__ = [
    "from_networkx",
    "laplacian",
    "effective_resistance",
    "shortest_path_variance",
    "kirchhoff_index",
    "foster_sum",
    "closed_form_reff",
]

Method = Literal["cholesky", "pinv", "grounded", "sparse"]
DENSE_CPU_LIMIT = 20000


# ----------------------------------------------------------------------------------------------
# input handling


def from_networkx(graph: Any, weight: str = "var", *, weight_kind: Literal["variance", "conductance"] = "variance"):
    """Convert a ``networkx`` graph to ``(n_nodes, edges, var, nodelist)``.

    Parameters
    ----------
    graph : networkx.Graph or networkx.MultiGraph
        Undirected graph; parallel edges of a multigraph are kept as separate edges.
    weight : str
        Edge attribute holding the weight. An edge without it has weight 1.
    weight_kind : {"variance", "conductance"}
        Whether ``weight`` is a variance :math:`\\sigma_e^2` (networkx's "resistance") or a
        conductance :math:`1/\\sigma_e^2`.

    Returns
    -------
    n_nodes : int
    edges : ndarray of int64, shape (E, 2)
        Indices into ``nodelist``.
    var : ndarray of float64, shape (E,)
    nodelist : list
        ``list(graph.nodes)``: node ``i`` of the result is ``nodelist[i]``.

    Complexity
    ----------
    :math:`O(N + E)`.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(3)
    >>> nx.set_edge_attributes(G, 2.0, "var")
    >>> n, edges, var, nodes = from_networkx(G)
    >>> n, edges.tolist(), var.tolist()
    (3, [[0, 1], [1, 2]], [2.0, 2.0])
    """
    import networkx as nx

    if not isinstance(graph, nx.Graph):
        raise InvalidInputError("graph", "must be a networkx.Graph or MultiGraph", received=type(graph).__name__)
    if graph.is_directed():
        raise InvalidInputError("graph", "must be undirected")
    V.check_choice("weight_kind", weight_kind, ("variance", "conductance"))
    nodelist = list(graph.nodes)
    index = {v: i for i, v in enumerate(nodelist)}
    rows = [(index[u], index[v], d.get(weight, 1.0)) for u, v, d in graph.edges(data=True)]
    edges = np.array([(a, b) for a, b, _ in rows], dtype=np.int64).reshape(-1, 2)
    w = V.as_float_array(f"edge attribute {weight!r}", [r[2] for r in rows], positive=True)
    var = w if weight_kind == "variance" else 1.0 / w
    return len(nodelist), edges, var, nodelist


def _graph_input(n_nodes: Any, edges: Any, var: Any, *, weight: str = "var"):
    """Validate ``(n_nodes, edges, var)`` or a networkx graph; drop what carries no information."""
    import networkx as nx  # networkx is a core dependency; local import keeps import time low

    if isinstance(n_nodes, nx.Graph):
        if edges is not None or var is not None:
            raise InvalidInputError("edges, var", "must be omitted when a networkx graph is passed")
        n, e, v, _ = from_networkx(n_nodes, weight)
        return n, e, v
    n = V.check_int("n_nodes", n_nodes, lo=1)
    if edges is None or var is None:
        raise InvalidInputError("edges, var", "are required with an integer n_nodes")
    e = V.as_index_array("edges", edges, n=n, shape=(None, 2))
    v = V.as_float_array("var", var, shape=(None,), finite=False)
    V.check_same_length(("edges", "var"), e, v)
    if np.any(np.isnan(v)) or np.any(v == -np.inf):
        raise InvalidInputError("var", "non-finite input: variances must not be NaN or -inf")
    if np.any(v < 0):
        raise InvalidInputError("var", "variance must be > 0", received=f"min {float(v.min())}")
    if np.any(v == 0):
        raise InvalidInputError(
            "var", "variance must be > 0 (an exact relation means the nodes are one: contract the edge explicitly)"
        )
    keep = np.ones(len(e), dtype=bool)
    loops = e[:, 0] == e[:, 1]
    if loops.any():
        warnings.warn(f"dropping {int(loops.sum())} self-loop edge(s): a self-comparison observes no difference",
                      UserWarning, stacklevel=3)
        keep &= ~loops
    inf = np.isinf(v)
    if inf.any():
        warnings.warn(f"dropping {int(inf.sum())} edge(s) of infinite variance: they carry no information",
                      UserWarning, stacklevel=3)
        keep &= ~inf
    return n, e[keep], v[keep]


def _components(n: int, edges: np.ndarray) -> tuple[int, np.ndarray]:
    adj = scipy.sparse.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    return scipy.sparse.csgraph.connected_components(adj, directed=False)


def _require_connected(n: int, edges: np.ndarray, pairs: np.ndarray | None = None) -> None:
    k, labels = _components(n, edges)
    if k == 1:
        return
    comps = [np.flatnonzero(labels == i).tolist() for i in range(k)]
    where = ""
    if pairs is not None and len(pairs):
        bad = pairs[labels[pairs[:, 0]] != labels[pairs[:, 1]]]
        if len(bad):
            u, v = int(bad[0, 0]), int(bad[0, 1])
            where = (f"; nodes {u} and {v} lie in different components "
                     f"({comps[labels[u]][:10]} and {comps[labels[v]][:10]})")
    raise DisconnectedGraphError(
        f"the comparison graph has {k} connected components (sizes {sorted(map(len, comps), reverse=True)[:10]})"
        f"{where}; the effective resistance between components is infinite",
        components=comps,
    )


def _pairs_input(pairs: Any, n: int) -> np.ndarray | None:
    if pairs is None:
        return None
    return V.as_index_array("pairs", pairs, n=n, shape=(None, 2))


# ----------------------------------------------------------------------------------------------
# Laplacian and effective resistance


def laplacian(n_nodes: Any, edges: Any = None, var: Any = None) -> np.ndarray:
    """Weighted graph Laplacian with conductances :math:`c_e = 1/\\sigma_e^2`.

    .. math:: L = \\sum_e c_e (e_{u_e} - e_{v_e})(e_{u_e} - e_{v_e})^\\top

    Parallel edges add their conductances [M]. Spec ``ibn.md`` §2.6.

    Parameters
    ----------
    n_nodes : int or networkx.Graph
        Number of nodes :math:`N`, or a graph whose ``"var"`` attribute holds variances.
    edges : array_like of int, shape (E, 2)
    var : array_like of float64, shape (E,)
        Edge variances, > 0. Infinite variances and self-loops are dropped with a warning.

    Returns
    -------
    ndarray of float64, shape (N, N)

    Complexity
    ----------
    :math:`O(N^2 + E)` memory and time.

    Examples
    --------
    >>> laplacian(3, [[0, 1], [1, 2]], [1.0, 0.5])
    array([[ 1., -1.,  0.],
           [-1.,  3., -2.],
           [ 0., -2.,  2.]])
    """
    n, e, v = _graph_input(n_nodes, edges, var)
    return _laplacian_np(n, e, 1.0 / v)


def _laplacian_np(n: int, e: np.ndarray, c: np.ndarray) -> np.ndarray:
    L = np.zeros((n, n))
    np.add.at(L, (e[:, 0], e[:, 1]), -c)
    np.add.at(L, (e[:, 1], e[:, 0]), -c)
    np.add.at(L, (e[:, 0], e[:, 0]), c)
    np.add.at(L, (e[:, 1], e[:, 1]), c)
    return L


def _laplacian_sparse(n: int, e: np.ndarray, c: np.ndarray) -> scipy.sparse.csr_matrix:
    rows = np.concatenate([e[:, 0], e[:, 1], e[:, 0], e[:, 1]])
    cols = np.concatenate([e[:, 1], e[:, 0], e[:, 0], e[:, 1]])
    vals = np.concatenate([-c, -c, c, c])
    return scipy.sparse.csr_matrix((vals, (rows, cols)), shape=(n, n))


def _resistance_from_pinv(P: np.ndarray, pairs: np.ndarray | None) -> np.ndarray:
    d = np.diag(P)
    if pairs is None:
        R = d[:, None] + d[None, :] - 2.0 * P
        np.fill_diagonal(R, 0.0)
        return np.maximum(R, 0.0) if np.all(R > -1e-12 * max(1.0, np.abs(R).max())) else R
    u, v = pairs[:, 0], pairs[:, 1]
    return np.where(u == v, 0.0, d[u] + d[v] - 2.0 * P[u, v])


def effective_resistance(
    n_nodes: Any,
    edges: Any = None,
    var: Any = None,
    pairs: Any = None,
    *,
    method: Method = "cholesky",
    weight: str = "var",
    tol: float = 1e-12,
) -> np.ndarray:
    """Effective resistance: the exact inference distance of spec ``ibn.md`` §2.6 [M].

    .. math:: R_{\\rm eff}(u,v) = (e_u-e_v)^\\top L^{+}(e_u-e_v), \\qquad
              L^{+} = (L + J/N)^{-1} - J/N

    It is the posterior variance of :math:`r(u)-r(v)` given independent Gaussian edge
    observations with variances ``var`` and a flat prior on the offset, and the asymptotic
    variance of the Bradley--Terry MLE on the Fisher-weighted graph (Hendrickx et al. 2019;
    spec §3.2). Parallel edges add conductances.

    Parameters
    ----------
    n_nodes : int or networkx.Graph
        :math:`N`, or an undirected (multi)graph whose edge attribute ``weight`` holds variances.
    edges : array_like of int, shape (E, 2)
    var : array_like of float64, shape (E,)
        Edge variances :math:`\\sigma_e^2 > 0` (resistances, in circuit language).
    pairs : array_like of int, shape (k, 2), optional
        Node pairs; when omitted the full ``(N, N)`` matrix is returned.
    method : {"cholesky", "pinv", "grounded", "sparse"}
        ``"cholesky"``: one Cholesky factorisation of :math:`L + J/N` (default).
        ``"pinv"``: :func:`numpy.linalg.pinv` (eigendecomposition; reference only).
        ``"grounded"``: Cholesky of the Laplacian with the node of largest weighted degree
        removed (spec §3.3). ``"sparse"``: scipy conjugate gradients with a Jacobi
        preconditioner on the grounded Laplacian, for graphs too large for dense methods
        (requires ``pairs``; relative residual ``tol``).
    weight : str
        Edge attribute read when a networkx graph is passed.
    tol : float
        Relative residual of the ``"sparse"`` method.

    Returns
    -------
    ndarray of float64, shape (k,) or (N, N)

    Raises
    ------
    DisconnectedGraphError
        If the graph is not connected (the resistance across components is infinite; it is never
        returned silently).
    InvalidInputError
        Zero, negative or NaN variances, malformed shapes, node ids out of range.

    Complexity
    ----------
    Dense methods: :math:`O(N^3)` time, :math:`O(N^2)` memory. ``"sparse"``: :math:`O(k\\,E\\sqrt{\\kappa})`.

    Examples
    --------
    A path of two unit edges: the resistance end to end is 2 (series law).

    >>> effective_resistance(3, [[0, 1], [1, 2]], [1.0, 1.0], pairs=[[0, 2]])
    array([2.])

    A triangle with unit variances: :math:`2/3` between any two nodes (complete graph
    :math:`2/(Nc)`).

    >>> R = effective_resistance(3, [[0, 1], [1, 2], [0, 2]], [1.0, 1.0, 1.0])
    >>> float(R[0, 1])
    0.6666666666666...
    """
    V.check_choice("method", method, ("cholesky", "pinv", "grounded", "sparse"))
    n, e, v = _graph_input(n_nodes, edges, var, weight=weight)
    p = _pairs_input(pairs, n)
    if n == 1:
        return np.zeros(len(p)) if p is not None else np.zeros((1, 1))
    _require_connected(n, e, p)
    c = 1.0 / v
    if method in ("cholesky", "grounded") and n > DENSE_CPU_LIMIT:
        warnings.warn(f"n_nodes={n} exceeds {DENSE_CPU_LIMIT}: dense {method!r} is slow; consider method='sparse' "
                      "or aligntheory.kernels.ibn.reff_pairs_pcg", UserWarning, stacklevel=2)
    if method == "sparse":
        if p is None:
            raise InvalidInputError("pairs", "is required with method='sparse' (the full matrix is dense)")
        return _reff_sparse_cg(n, e, c, p, tol=V.check_scalar("tol", tol, positive=True))
    if method == "pinv":
        return _resistance_from_pinv(np.linalg.pinv(_laplacian_np(n, e, c), hermitian=True), p)
    if method == "cholesky":
        L = _laplacian_np(n, e, c)
        factor = scipy.linalg.cho_factor(L + 1.0 / n, lower=True)
        if p is None:
            P = scipy.linalg.cho_solve(factor, np.eye(n)) - 1.0 / n
            return _resistance_from_pinv(0.5 * (P + P.T), None)
        B = np.zeros((n, len(p)))
        idx = np.arange(len(p))
        np.add.at(B, (p[:, 0], idx), 1.0)
        np.add.at(B, (p[:, 1], idx), -1.0)
        X = scipy.linalg.cho_solve(factor, B)
        return np.einsum("ik,ik->k", B, X)
    # grounded
    L = _laplacian_np(n, e, c)
    g = int(np.argmax(np.diag(L)))
    keep = np.arange(n) != g
    factor = scipy.linalg.cho_factor(L[np.ix_(keep, keep)], lower=True)
    if p is None:
        Pg = np.zeros((n, n))
        Pg[np.ix_(keep, keep)] = scipy.linalg.cho_solve(factor, np.eye(n - 1))
        return _resistance_from_pinv(0.5 * (Pg + Pg.T), None)
    B = np.zeros((n, len(p)))
    idx = np.arange(len(p))
    np.add.at(B, (p[:, 0], idx), 1.0)
    np.add.at(B, (p[:, 1], idx), -1.0)
    Bg = B[keep]
    return np.einsum("ik,ik->k", Bg, scipy.linalg.cho_solve(factor, Bg))


def _reff_sparse_cg(n: int, e: np.ndarray, c: np.ndarray, p: np.ndarray, *, tol: float) -> np.ndarray:
    from aligntheory.errors import ConvergenceError

    L = _laplacian_sparse(n, e, c)
    deg = np.asarray(L.diagonal())
    g = int(np.argmax(deg))
    keep = np.flatnonzero(np.arange(n) != g)
    Lg = L[keep][:, keep].tocsr()
    Minv = scipy.sparse.diags(1.0 / deg[keep])
    pos = -np.ones(n, dtype=np.int64)
    pos[keep] = np.arange(n - 1)
    out = np.empty(len(p))
    for i, (a, b) in enumerate(p):
        if a == b:
            out[i] = 0.0
            continue
        rhs = np.zeros(n - 1)
        if pos[a] >= 0:
            rhs[pos[a]] += 1.0
        if pos[b] >= 0:
            rhs[pos[b]] -= 1.0
        x, info = scipy.sparse.linalg.cg(Lg, rhs, rtol=tol, atol=0.0, M=Minv, maxiter=10 * n)
        if info != 0:
            res = float(np.linalg.norm(Lg @ x - rhs) / np.linalg.norm(rhs))
            raise ConvergenceError(f"CG did not reach relative residual {tol} for pair ({a}, {b})",
                                   iterations=int(info), residual=res)
        out[i] = float(rhs @ x)
    return out


def shortest_path_variance(n_nodes: Any, edges: Any = None, var: Any = None, pairs: Any = None,
                           *, weight: str = "var") -> np.ndarray:
    """Path surrogate of the inference distance: the least total variance of a path [R].

    .. math:: d^{\\rm path}(u,v) = \\min_{P: u \\to v} \\sum_{e\\in P} \\sigma_e^2

    Spec ``ibn.md`` §2.6 (vocabulary "inference path" [S]; this formalisation is our
    reconstruction [R]). Parallel edges merge by the *minimum* variance, unlike the exact
    distance, where conductances add. Computed with scipy's Dijkstra.

    Parameters
    ----------
    n_nodes, edges, var, weight
        As in :func:`effective_resistance`.
    pairs : array_like of int, shape (k, 2), optional
        Node pairs; when omitted the ``(N, N)`` matrix is returned.

    Returns
    -------
    ndarray of float64, shape (k,) or (N, N)
        ``inf`` between components (this surrogate is a distance, not a variance; it raises nothing).

    Complexity
    ----------
    :math:`O(S (E + N \\log N))` for :math:`S` distinct sources.

    Examples
    --------
    >>> shortest_path_variance(3, [[0, 1], [1, 2], [0, 2]], [1.0, 1.0, 5.0], pairs=[[0, 2]])
    array([2.])
    """
    n, e, v = _graph_input(n_nodes, edges, var, weight=weight)
    p = _pairs_input(pairs, n)
    # Merge parallel edges by the minimum variance (scipy's csgraph would sum duplicates).
    if len(e):
        key = np.sort(e, axis=1)
        order = np.lexsort((v, key[:, 1], key[:, 0]))
        key, vv = key[order], v[order]
        first = np.ones(len(key), dtype=bool)
        first[1:] = np.any(key[1:] != key[:-1], axis=1)
        key, vv = key[first], vv[first]
    else:
        key, vv = e, v
    W = scipy.sparse.csr_matrix((vv, (key[:, 0], key[:, 1])), shape=(n, n))
    if p is None:
        return scipy.sparse.csgraph.dijkstra(W, directed=False)
    sources, inv = np.unique(p[:, 0], return_inverse=True)
    D = scipy.sparse.csgraph.dijkstra(W, directed=False, indices=sources)
    return D[inv, p[:, 1]]


def kirchhoff_index(n_nodes: Any, edges: Any = None, var: Any = None, *, weight: str = "var") -> float:
    """Kirchhoff index (total effective resistance) [M].

    .. math:: \\mathrm{Kf} = \\sum_{u<v} R_{\\rm eff}(u,v) = N\\,\\mathrm{tr}\\,L^{+}

    Spec ``ibn.md`` §3.3; equals ``networkx.effective_graph_resistance`` with the variances as
    resistances. Computed from one Cholesky factorisation of :math:`L + J/N`:
    :math:`\\mathrm{tr}\\,L^{+} = \\mathrm{tr}(L+J/N)^{-1} - 1`.

    Parameters
    ----------
    n_nodes, edges, var, weight
        As in :func:`effective_resistance`.

    Returns
    -------
    float

    Complexity
    ----------
    :math:`O(N^3)`.

    Examples
    --------
    Path on 3 nodes with unit variances: :math:`1 + 1 + 2 = 4`.

    >>> kirchhoff_index(3, [[0, 1], [1, 2]], [1.0, 1.0])
    4.0
    """
    n, e, v = _graph_input(n_nodes, edges, var, weight=weight)
    if n == 1:
        return 0.0
    _require_connected(n, e)
    L = _laplacian_np(n, e, 1.0 / v)
    factor = scipy.linalg.cho_factor(L + 1.0 / n, lower=True)
    # tr (L+J/N)^{-1} = ||C^{-1}||_F^2 with L + J/N = C C^T.
    Cinv = scipy.linalg.solve_triangular(np.tril(factor[0]), np.eye(n), lower=True)
    return float(n * (np.sum(Cinv * Cinv) - 1.0))


def foster_sum(n_nodes: Any, edges: Any = None, var: Any = None, *, weight: str = "var") -> float:
    """Foster's sum :math:`\\sum_e c_e R_{\\rm eff}(e)`, which equals :math:`N-1` on a connected graph [M].

    Parallel edges are counted separately (Foster 1949; spec ``ibn.md`` §3.3).

    Parameters
    ----------
    n_nodes, edges, var, weight
        As in :func:`effective_resistance`.

    Returns
    -------
    float

    Complexity
    ----------
    :math:`O(N^3 + E)`.

    Examples
    --------
    >>> round(foster_sum(4, [[0, 1], [1, 2], [2, 3], [3, 0], [0, 2]], [1.0, 2.0, 3.0, 4.0, 0.5]), 12)
    3.0
    """
    n, e, v = _graph_input(n_nodes, edges, var, weight=weight)
    R = effective_resistance(n, e, v, pairs=e) if n > 1 else np.zeros(0)
    return float(np.sum(R / v))


_N, _C, _K = sp.symbols("N c k", positive=True)


def closed_form_reff(kind: Literal["complete", "cycle", "path", "star"], N: Any = None, c: Any = None,
                     k: Any = None) -> sp.Expr:
    """Closed-form effective resistances on regular families (spec ``ibn.md`` §3.3) [M].

    Every edge has conductance :math:`c`.

    ========== ====================== ===================================
    kind       pair                   :math:`R_{\\rm eff}`
    ========== ====================== ===================================
    complete   any two nodes          :math:`2/(Nc)`
    cycle      hop distance :math:`k` :math:`k(N-k)/(Nc)`
    path       hop distance :math:`k` :math:`k/c`
    star       leaf to leaf           :math:`2/c`
    ========== ====================== ===================================

    Parameters
    ----------
    kind : {"complete", "cycle", "path", "star"}
    N, c, k : number or sympy expression, optional
        Substituted for the symbols ``N``, ``c``, ``k`` when given.

    Returns
    -------
    sympy.Expr

    Examples
    --------
    >>> closed_form_reff("cycle")
    k*(N - k)/(N*c)
    >>> closed_form_reff("complete", N=4, c=2)
    1/4
    """
    V.check_choice("kind", kind, ("complete", "cycle", "path", "star"))
    expr = {
        "complete": 2 / (_N * _C),
        "cycle": _K * (_N - _K) / (_N * _C),
        "path": _K / _C,
        "star": 2 / _C,
    }[kind]
    subs = {s: V.as_sympy_value(name, val) for name, s, val in (("N", _N, N), ("c", _C, c), ("k", _K, k))
            if val is not None}
    return expr.subs(subs)

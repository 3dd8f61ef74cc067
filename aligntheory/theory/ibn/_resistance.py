"""Effective resistance, the exact core of the IBN pillar (spec ``ibn.md`` §2.6, §3.1--3.3).

The library treats the comparison data of one prompt as a weighted graph: nodes are responses,
an edge is a comparison (or an inductive-bias relation) with a *variance* :math:`\\sigma_e^2`, and
its *conductance* is :math:`c_e = 1/\\sigma_e^2`. The exact inference distance between two
responses is the posterior variance of their reward difference, which is the effective
resistance [M] (Klein & Randić 1993; Hendrickx, Olshevsky & Saligrama 2019):

.. math:: R_{\\rm eff}(u,v) = (e_u - e_v)^\\top L^{+} (e_u - e_v).

Graph functions take ``(n_nodes, edges, *, variances=...)`` or ``conductances=...`` (keyword
only, so that one cannot be passed for the other; docs/DESIGN.md §7.3). A positional third
argument is still read as variances, with a :class:`DeprecationWarning`. They also take a
networkx graph (networkx's ``weight=``/``invert_weight=`` conventions, node labels in ``pairs``)
or a scipy.sparse/numpy adjacency or Laplacian matrix with ``matrix=`` (see
:mod:`aligntheory.theory.ibn._inputs`). Every solve is
scale-safe (see :mod:`aligntheory.theory.ibn._graph`): scaling all variances by :math:`c` scales
every resistance by exactly :math:`c` over :math:`[10^{-300}, 10^{300}]`.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import scipy.linalg
import scipy.sparse
import scipy.sparse.csgraph
import scipy.sparse.linalg
import sympy as sp

from aligntheory import _validate as V
from aligntheory.errors import ConvergenceError, InvalidInputError
from aligntheory.results import provenance
from aligntheory.theory.ibn import _graph as G
from aligntheory.theory.ibn._inputs import IgnoredWeightWarning, NetworkxGraph, from_matrix, from_networkx

__all__ = [
    "IgnoredWeightWarning",
    "NetworkxGraph",
    "from_networkx",
    "from_matrix",
    "laplacian",
    "effective_resistance",
    "shortest_path_variance",
    "kirchhoff_index",
    "foster_sum",
    "closed_form_reff",
    "DENSE_CPU_LIMIT",
]

Method = Literal["grounded", "cholesky", "pinv", "sparse"]
DENSE_CPU_LIMIT = 10000
"""Default ``max_nodes`` of the dense routes (an ``(N, N)`` float64 matrix is 800 MB at 10,000 nodes)."""


@provenance("M", source="klein1993resistance", where="§2; spec ibn.md §2.6")
def laplacian(n_nodes: Any, edges: Any = None, *positional: Any, variances: Any = None, conductances: Any = None,
              weight: str | None = "var", invert_weight: bool = True, matrix: Any = None,
              max_nodes: int = DENSE_CPU_LIMIT) -> np.ndarray:
    """Weighted graph Laplacian with conductances :math:`c_e = 1/\\sigma_e^2`.

    .. math:: L = \\sum_e c_e (e_{u_e} - e_{v_e})(e_{u_e} - e_{v_e})^\\top

    Parallel edges add their conductances [M]. Spec ``ibn.md`` §2.6.

    Parameters
    ----------
    n_nodes : int, networkx.Graph, or (N, N) matrix
        Number of nodes :math:`N`; or a networkx graph (rows and columns in ``list(G.nodes)``
        order); or a scipy.sparse/numpy matrix with ``matrix=``.
    edges : array_like of int, shape (E, 2)
    variances, conductances : array_like of float64, shape (E,), keyword only
        Exactly one: edge variances (> 0; ``inf`` and self-loops are dropped with a warning) or
        conductances (>= 0; 0 means no edge).
    weight, matrix
        Graph and matrix inputs, as in :func:`effective_resistance`.
    invert_weight : bool, default True
        As in :func:`effective_resistance`: ``True`` reads a networkx weight as a variance, ``False`` as a
        conductance.
    max_nodes : int, default 10_000
        Size cap (the result is a dense ``(N, N)`` matrix); :data:`DENSE_CPU_LIMIT`.

    Returns
    -------
    ndarray of float64, shape (N, N)

    Raises
    ------
    InvalidInputError
        Malformed input; :class:`~aligntheory.errors.SizeCapError` above ``max_nodes``.
    PrecisionError
        A variance so small that its conductance overflows float64.

    Notes
    -----
    :math:`O(N^2 + E)` memory and time.

    Examples
    --------
    >>> laplacian(3, [[0, 1], [1, 2]], variances=[1.0, 0.5])
    array([[ 1., -1.,  0.],
           [-1.,  3., -2.],
           [ 0., -2.,  2.]])
    """
    n, e, v, _, _, _ = G.graph_input("laplacian", n_nodes, edges, positional, variances, conductances, weight=weight,
                                     invert_weight=invert_weight, matrix=matrix)
    V.check_size("n_nodes", n, cap=max_nodes, unit="nodes")
    with np.errstate(over="ignore", divide="ignore"):
        c = 1.0 / v
    if not np.all(np.isfinite(c)):
        from aligntheory.errors import PrecisionError

        raise PrecisionError("variances: a variance so small that its conductance 1/variance overflows float64 "
                             "(use effective_resistance, which rescales internally)")
    return G.laplacian_np(n, e, c)


@provenance("M", source="hendrickx2019graph", where="§3 (resistance and BT/Thurstone error); spec ibn.md §2.6")
def effective_resistance(
    n_nodes: Any,
    edges: Any = None,
    *positional: Any,
    variances: Any = None,
    conductances: Any = None,
    pairs: Any = None,
    method: Method = "grounded",
    weight: str | None = "var",
    invert_weight: bool = True,
    matrix: Literal["adjacency", "laplacian"] | None = None,
    tol: float = 1e-12,
    max_nodes: int = DENSE_CPU_LIMIT,
) -> np.ndarray:
    """Effective resistance: the exact inference distance of spec ``ibn.md`` §2.6 [M].

    .. math:: R_{\\rm eff}(u,v) = (e_u-e_v)^\\top L^{+}(e_u-e_v) = (L_g^{-1})_{uu}+(L_g^{-1})_{vv}-2(L_g^{-1})_{uv}

    with :math:`L_g` the Laplacian grounded at one node. It is the posterior variance of
    :math:`r(u)-r(v)` given independent Gaussian edge observations with the given variances and a
    flat prior on the offset, and the asymptotic variance of the Bradley--Terry MLE on the
    Fisher-weighted graph (Hendrickx et al. 2019; spec §3.2). Parallel edges add conductances.

    Parameters
    ----------
    n_nodes : int, networkx.Graph, or (N, N) matrix
        :math:`N`; or an undirected networkx (multi)graph, read with networkx's conventions
        (``weight``, ``invert_weight``; ``pairs`` are node labels; the full matrix has its rows and
        columns in ``list(G.nodes)`` order); or a scipy.sparse or numpy matrix, whose kind
        ``matrix=`` states.
    edges : array_like of int, shape (E, 2)
    variances, conductances : array_like of float64, shape (E,), keyword only
        Exactly one: edge variances :math:`\\sigma_e^2 > 0` (resistances, in circuit language), or
        conductances :math:`c_e \\ge 0`.
    pairs : array_like of int, shape (k, 2), or sequence of label pairs, optional
        Node pairs (node labels for a networkx graph, as :func:`networkx.resistance_distance`);
        when omitted the full ``(N, N)`` matrix is returned. The result follows the order of
        ``pairs``.
    method : {"grounded", "cholesky", "pinv", "sparse"}
        ``"grounded"`` (default): Cholesky of the Laplacian with the node of largest weighted
        degree removed, iterative refinement checked a posteriori, and an elimination in positive
        arithmetic, accurate whatever the dynamic range, above condition number :math:`10^{12}`
        (spec §3.3). ``"cholesky"``: one Cholesky factorisation of :math:`L + J/N`. ``"pinv"``:
        eigendecomposition (reference only). Both refuse problems whose condition number exceeds
        :math:`10^8` (``"cholesky"``: LAPACK's 1-norm estimate for :math:`L + J/N`; ``"pinv"``:
        :math:`\\lambda_N/\\lambda_2` of :math:`L`) with :class:`PrecisionError`. ``"sparse"``: scipy conjugate gradients with a Jacobi
        preconditioner on the grounded Laplacian (requires ``pairs``; relative residual ``tol``).
    weight : str or None
        Edge attribute read from a networkx graph (default ``"var"``; ``None``: unweighted). A
        graph whose edges carry a ``weight`` attribute that is not read triggers
        :class:`IgnoredWeightWarning`.
    invert_weight : bool, default True
        As in :func:`networkx.resistance_distance`: ``True`` reads the attribute as a
        resistance (our variance), ``False`` as a conductance.
    matrix : {"adjacency", "laplacian"}, optional
        Required when ``n_nodes`` is a matrix: an adjacency matrix of conductances
        (:math:`L = D - A`) or a Laplacian (zero row sums, non-positive off-diagonal entries);
        see :func:`from_matrix`. The kind is never guessed.
    tol : float, default 1e-12
        Relative residual of the ``"sparse"`` method, in ``(0, 0.5]`` (a residual above one half is no
        answer); validated for every method.
    max_nodes : int, default 10_000
        Size cap of the dense methods (:data:`DENSE_CPU_LIMIT`), checked before any work.

    Returns
    -------
    ndarray of float64, shape (k,) or (N, N)

    Raises
    ------
    DisconnectedGraphError
        If the graph is not connected (the resistance across components is infinite; it is never
        returned silently).
    InvalidInputError
        Zero, negative or NaN variances, malformed shapes, node ids out of range, bad ``tol``.
    SizeCapError
        ``n_nodes > max_nodes`` with a dense method.
    PrecisionError
        The answer is not representable in float64, or the problem is too ill-conditioned for the
        chosen method (the message gives the condition number and the dynamic range).
    ConvergenceError
        ``"sparse"`` did not reach ``tol``.

    Notes
    -----
    Variances are divided by a power of two at the centre of their range and the answer is
    multiplied back (both exact), so :math:`R(c\\sigma^2)=c\\,R(\\sigma^2)` holds to rounding over
    :math:`[10^{-300},10^{300}]`. Dense methods: :math:`O(N^3)` time, :math:`O(N^2)` memory
    (the positive-arithmetic fallback costs :math:`O(N^3)` per distinct second node of
    ``pairs``). ``"sparse"``: :math:`O(k\\,E\\sqrt{\\kappa})`.

    Examples
    --------
    A path of two unit edges: the resistance end to end is 2 (series law).

    >>> effective_resistance(3, [[0, 1], [1, 2]], variances=[1.0, 1.0], pairs=[[0, 2]])
    array([2.])

    A triangle with unit variances: :math:`2/3` between any two nodes (complete graph
    :math:`2/(Nc)`).

    >>> R = effective_resistance(3, [[0, 1], [1, 2], [0, 2]], variances=[1.0, 1.0, 1.0])
    >>> float(R[0, 1])
    0.6666666666666...

    Variances spanning sixteen decades in series still add exactly:

    >>> effective_resistance(3, [[0, 1], [1, 2]], variances=[1e-8, 1e8], pairs=[[0, 2]])
    array([1.e+08])

    networkx graphs with networkx's conventions (labels in ``pairs``), and sparse matrices:

    >>> import networkx as nx, scipy.sparse as sps
    >>> H = nx.Graph([("a", "b", {"weight": 1.0}), ("b", "c", {"weight": 1.0})])
    >>> effective_resistance(H, weight="weight", pairs=[("a", "c")])
    array([2.])
    >>> effective_resistance(sps.csr_array([[0.0, 1.0], [1.0, 0.0]]), matrix="adjacency", pairs=[[0, 1]])
    array([1.])
    """
    V.check_choice("method", method, ("grounded", "cholesky", "pinv", "sparse"))
    tol = V.check_scalar("tol", tol, positive=True, hi=0.5)
    max_nodes = V.check_int("max_nodes", max_nodes, lo=1)
    gi = G.graph_input("effective_resistance", n_nodes, edges, positional, variances, conductances,
                       weight=weight, invert_weight=invert_weight, matrix=matrix, max_positional=2)
    n, e, v, rest = gi.n, gi.edges, gi.variances, gi.rest
    if rest:
        if pairs is not None:
            raise InvalidInputError("pairs", "given both positionally and by keyword")
        pairs = rest[0]
    p = None if pairs is None else G.pairs_input(pairs, gi)
    if method != "sparse":
        V.check_size("n_nodes", n, cap=max_nodes, unit="nodes")
    if n == 1:
        return np.zeros(len(p)) if p is not None else np.zeros((1, 1))
    G.require_connected(n, e, p)
    G.check_range(v)
    s = G.scale_of(v)
    c = s / v  # conductances of the centred variances v/s (exact division by a power of two)
    if method == "sparse":
        if p is None:
            raise InvalidInputError("pairs", "is required with method='sparse' (the full matrix is dense)")
        return G.unscale(_reff_sparse_cg(n, e, c, p, tol=tol), s)
    if method == "grounded":
        return G.unscale(G.reff_grounded(n, e, c, p), s)
    return G.unscale(_reff_reference(n, e, c, p, method), s)


def _reff_reference(n: int, e: np.ndarray, c: np.ndarray, p: np.ndarray | None, method: str) -> np.ndarray:
    """The reference routes ``"cholesky"`` (L + J/N) and ``"pinv"``, refusing ill-conditioned problems."""
    from aligntheory.errors import PrecisionError

    L = G.laplacian_np(n, e, c)
    if method == "pinv":
        lam, phi = np.linalg.eigh(L)
        cond = float(lam[-1] / lam[1]) if lam[1] > 0 else float("inf")
        if cond > G.REFERENCE_COND_LIMIT:
            raise PrecisionError(f"method='pinv': the Laplacian has condition number lambda_N/lambda_2 ~{cond:.3g} "
                                 f"(conductance dynamic range {G.dynamic_range(c):.3g}); use method='grounded'")
        inv = np.zeros_like(lam)
        inv[1:] = 1.0 / lam[1:]
        P = (phi * inv) @ phi.T
    else:
        factor, cond = G.cholesky_cond(L + 1.0 / n)
        if factor is None or cond > G.REFERENCE_COND_LIMIT:
            raise PrecisionError(f"method='cholesky': L + J/N has condition number ~{cond:.3g} (conductance dynamic "
                                 f"range {G.dynamic_range(c):.3g}); use method='grounded'")
        if p is not None:
            B = G.incidence_columns(n, p)
            return np.einsum("ik,ik->k", B, scipy.linalg.cho_solve(factor, B))
        P = scipy.linalg.cho_solve(factor, np.eye(n)) - 1.0 / n
        P = 0.5 * (P + P.T)
    d = np.diag(P)
    if p is None:
        R = d[:, None] + d[None, :] - 2.0 * P
        np.fill_diagonal(R, 0.0)
        return np.maximum(R, 0.0)
    u, w = p[:, 0], p[:, 1]
    return np.where(u == w, 0.0, d[u] + d[w] - 2.0 * P[u, w])


def _reff_sparse_cg(n: int, e: np.ndarray, c: np.ndarray, p: np.ndarray, *, tol: float) -> np.ndarray:
    L = G.laplacian_sparse(n, e, c)
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


@provenance("R", source="qiu2024reward", where="§2 'inference path' [S]; formalisation ours, spec ibn.md §2.6")
def shortest_path_variance(n_nodes: Any, edges: Any = None, *positional: Any, variances: Any = None,
                           conductances: Any = None, pairs: Any = None, weight: str | None = "var",
                           invert_weight: bool = True, matrix: Any = None,
                           max_nodes: int = DENSE_CPU_LIMIT) -> np.ndarray:
    """Path surrogate of the inference distance: the least total variance of a path [R].

    .. math:: d^{\\rm path}(u,v) = \\min_{P: u \\to v} \\sum_{e\\in P} \\sigma_e^2

    Spec ``ibn.md`` §2.6 (vocabulary "inference path" [S]; this formalisation is our
    reconstruction [R]; the full text was not available to us). Parallel edges merge by the
    *minimum* variance, unlike the exact distance, where conductances add. Computed with scipy's
    Dijkstra on variances rescaled by a power of two (exact).

    Parameters
    ----------
    n_nodes, edges, variances, conductances, weight, matrix
        As in :func:`effective_resistance`.
    invert_weight : bool, default True
        As in :func:`effective_resistance`: ``True`` reads a networkx weight as a variance, ``False`` as a
        conductance.
    pairs : array_like of int, shape (k, 2), or sequence of label pairs, optional
        Node pairs (labels for a networkx graph); when omitted the ``(N, N)`` matrix is returned.
    max_nodes : int, default 10_000
        Size cap when the full matrix is asked for (:data:`DENSE_CPU_LIMIT`).

    Returns
    -------
    ndarray of float64, shape (k,) or (N, N)
        ``inf`` between components (this surrogate is a distance, not a variance; it raises nothing).

    Raises
    ------
    InvalidInputError
        Malformed input; :class:`~aligntheory.errors.SizeCapError` for a full matrix above ``max_nodes``.
    PrecisionError
        A path variance exceeds the float64 range.

    Notes
    -----
    :math:`O(S (E + N \\log N))` for :math:`S` distinct sources.

    Examples
    --------
    >>> shortest_path_variance(3, [[0, 1], [1, 2], [0, 2]], variances=[1.0, 1.0, 5.0], pairs=[[0, 2]])
    array([2.])
    """
    gi = G.graph_input("shortest_path_variance", n_nodes, edges, positional, variances, conductances,
                       weight=weight, invert_weight=invert_weight, matrix=matrix, max_positional=2)
    n, e, v, rest = gi.n, gi.edges, gi.variances, gi.rest
    if rest:
        if pairs is not None:
            raise InvalidInputError("pairs", "given both positionally and by keyword")
        pairs = rest[0]
    p = None if pairs is None else G.pairs_input(pairs, gi)
    if p is None:
        V.check_size("n_nodes", n, cap=max_nodes, unit="nodes")
    G.check_range(v)
    s = G.scale_of(v)
    v = v / s
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
        D = scipy.sparse.csgraph.dijkstra(W, directed=False)
    else:
        sources, inv = np.unique(p[:, 0], return_inverse=True)
        D = scipy.sparse.csgraph.dijkstra(W, directed=False, indices=sources)[inv, p[:, 1]]
    return G.unscale(D, s, "path variance")


@provenance("M", source="klein1993resistance", where="§4 (Kirchhoff index); spec ibn.md §3.3")
def kirchhoff_index(n_nodes: Any, edges: Any = None, *positional: Any, variances: Any = None,
                    conductances: Any = None, weight: str | None = "var", invert_weight: bool = True,
                    matrix: Any = None, max_nodes: int = DENSE_CPU_LIMIT) -> float:
    """Kirchhoff index (total effective resistance) [M].

    .. math:: \\mathrm{Kf} = \\sum_{u<v} R_{\\rm eff}(u,v) = N\\,\\mathrm{tr}\\,L^{+}

    Spec ``ibn.md`` §3.3; equals ``networkx.effective_graph_resistance`` with the variances as
    resistances. Summed from the scale-safe full resistance matrix of
    :func:`effective_resistance` (grounded route).

    Parameters
    ----------
    n_nodes, edges, variances, conductances, weight, matrix
        As in :func:`effective_resistance`.
    invert_weight : bool, default True
        As in :func:`effective_resistance`: ``True`` reads a networkx weight as a variance, ``False`` as a
        conductance.
    max_nodes : int, default 10_000
        Size cap (:data:`DENSE_CPU_LIMIT`), checked before any work.

    Returns
    -------
    float

    Raises
    ------
    DisconnectedGraphError, InvalidInputError, SizeCapError, PrecisionError
        As in :func:`effective_resistance`.

    Notes
    -----
    :math:`O(N^3)` time, :math:`O(N^2)` memory.

    Examples
    --------
    Path on 3 nodes with unit variances: :math:`1 + 1 + 2 = 4`.

    >>> kirchhoff_index(3, [[0, 1], [1, 2]], variances=[1.0, 1.0])
    4.0
    """
    n, e, v, _, _, _ = G.graph_input("kirchhoff_index", n_nodes, edges, positional, variances, conductances,
                                     weight=weight, invert_weight=invert_weight, matrix=matrix)
    V.check_size("n_nodes", n, cap=max_nodes, unit="nodes")
    if n == 1:
        return 0.0
    R = effective_resistance(n, e, variances=v, max_nodes=max_nodes)
    total = float(np.sum(np.triu(R, 1)))
    if not np.isfinite(total):
        from aligntheory.errors import PrecisionError

        raise PrecisionError("the Kirchhoff index exceeds the float64 range")
    return total


@provenance("M", source="foster1949average", where="Thm (Foster's first formula); spec ibn.md §3.3")
def foster_sum(n_nodes: Any, edges: Any = None, *positional: Any, variances: Any = None, conductances: Any = None,
               weight: str | None = "var", invert_weight: bool = True, matrix: Any = None,
               max_nodes: int = DENSE_CPU_LIMIT) -> float:
    """Foster's sum :math:`\\sum_e c_e R_{\\rm eff}(e)`, which equals :math:`N-1` on a connected graph [M].

    Parallel edges are counted separately (Foster 1949; spec ``ibn.md`` §3.3). The sum is
    dimensionless: it is computed on variances rescaled by a power of two, so it is the same for
    variances of any common magnitude.

    Parameters
    ----------
    n_nodes, edges, variances, conductances, weight, matrix
        As in :func:`effective_resistance`.
    invert_weight : bool, default True
        As in :func:`effective_resistance`: ``True`` reads a networkx weight as a variance, ``False`` as a
        conductance.
    max_nodes : int, default 10_000
        Size cap, as in :func:`effective_resistance` (:data:`DENSE_CPU_LIMIT`).

    Returns
    -------
    float

    Raises
    ------
    DisconnectedGraphError, InvalidInputError, SizeCapError, PrecisionError
        As in :func:`effective_resistance`.

    Notes
    -----
    :math:`O(N^3 + E)`.

    Examples
    --------
    >>> round(foster_sum(4, [[0, 1], [1, 2], [2, 3], [3, 0], [0, 2]], variances=[1.0, 2.0, 3.0, 4.0, 0.5]), 12)
    3.0
    """
    n, e, v, _, _, _ = G.graph_input("foster_sum", n_nodes, edges, positional, variances, conductances,
                                     weight=weight, invert_weight=invert_weight, matrix=matrix)
    V.check_size("n_nodes", n, cap=max_nodes, unit="nodes")
    if n == 1:
        return 0.0
    G.check_range(v)
    vs = v / G.scale_of(v)
    R = effective_resistance(n, e, variances=vs, pairs=e, max_nodes=max_nodes)
    return float(np.sum(R / vs))


_N, _C, _K = sp.symbols("N c k", positive=True)


def _sym_check(name: str, x: Any, *, integer: bool, lo: int | None = None) -> sp.Expr:
    """A sympy value; when numeric it must be real, finite, (integer) and >= lo / > 0."""
    val = G.sympy_value(name, x)
    if getattr(val, "is_number", False):
        if val.has(sp.zoo, sp.oo, -sp.oo, sp.nan) or val.is_real is not True:
            raise InvalidInputError(name, "must be a finite real number", received=str(val))
        if integer and val.is_integer is not True:
            raise InvalidInputError(name, "must be an integer", received=str(val))
        if lo is None and not val > 0:
            raise InvalidInputError(name, "must be > 0", received=str(val))
        if lo is not None and val < lo:
            raise InvalidInputError(name, f"must be >= {lo}", received=str(val))
    return val


@provenance("M", source="klein1993resistance", where="§3 (resistances of regular families); spec ibn.md §3.3")
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
        Substituted for the symbols ``N`` (number of nodes: an integer >= 2, >= 3 for a cycle or
        a star), ``c`` (conductance > 0) and ``k`` (hop distance: an integer in ``[0, N]`` on a
        cycle, ``[0, N-1]`` on a path) when given. Symbolic values are accepted unchecked.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    InvalidInputError
        Numeric values outside those ranges (``N=-1``, ``c=0``, ``k > N``), strings, complex values.

    Examples
    --------
    >>> closed_form_reff("cycle")
    k*(N - k)/(N*c)
    >>> closed_form_reff("complete", N=4, c=2)
    1/4
    """
    V.check_choice("kind", kind, ("complete", "cycle", "path", "star"))
    n_lo = 3 if kind in ("cycle", "star") else 2
    vals = {}
    if N is not None:
        vals["N"] = _sym_check("N", N, integer=True, lo=n_lo)
    if c is not None:
        vals["c"] = _sym_check("c", c, integer=False)
    if k is not None:
        vals["k"] = _sym_check("k", k, integer=True, lo=0)
        if "N" in vals and vals["k"].is_number and vals["N"].is_number:
            top = vals["N"] if kind == "cycle" else vals["N"] - 1
            if vals["k"] > top:
                raise InvalidInputError("k", f"hop distance must be <= {top} on a {kind} of N = {vals['N']} nodes",
                                        received=str(vals["k"]))
    expr = {
        "complete": 2 / (_N * _C),
        "cycle": _K * (_N - _K) / (_N * _C),
        "path": _K / _C,
        "star": 2 / _C,
    }[kind]
    syms = {"N": _N, "c": _C, "k": _K}
    return expr.subs({syms[name]: val for name, val in vals.items()})

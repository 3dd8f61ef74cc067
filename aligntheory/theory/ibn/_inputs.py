"""Graph inputs of the IBN theory layer, the networkx way (issue #14 item 3).

The graph functions of :mod:`aligntheory.theory.ibn` take a graph in one of three forms:

* arrays ``(n_nodes, edges, variances=...)`` or ``conductances=...`` (the library's own form);
* a ``networkx`` graph, read with networkx's conventions: ``weight=`` names the edge attribute
  (``None``: every edge has weight 1), ``invert_weight=True`` reads it as a resistance (our
  *variance*) and ``invert_weight=False`` as a conductance, exactly as
  :func:`networkx.resistance_distance`; ``pairs`` hold node *labels*; a full matrix result has its
  rows and columns in the order of ``list(G.nodes)``;
* a square matrix (``scipy.sparse`` or dense numpy) with ``matrix="adjacency"`` (entries are
  conductances, :math:`L = D - A` as :func:`scipy.sparse.csgraph.laplacian` reads it) or
  ``matrix="laplacian"`` (zero row sums, non-positive off-diagonal entries). The kind is never
  guessed: a matrix without ``matrix=`` is refused.

Our default attribute is ``"var"`` (a variance); a graph whose edges carry networkx's usual
``weight`` attribute while another attribute is read triggers :class:`IgnoredWeightWarning`.
"""

from __future__ import annotations

import warnings
from typing import Any, Literal, NamedTuple

import numpy as np
import scipy.sparse

from aligntheory import _validate as V
from aligntheory.errors import (  # IgnoredWeightWarning re-exported
    IgnoredWeightWarning,
    InvalidInputError,
    PrecisionError,
)
from aligntheory.results import provenance

__all__ = ["IgnoredWeightWarning", "NetworkxGraph", "from_networkx", "from_matrix"]

_EPS = float(np.finfo(np.float64).eps)


@provenance("M", source="klein1993resistance", where="§2 (graphs as resistor networks)")
class NetworkxGraph(NamedTuple):
    """Result of :func:`from_networkx`: the graph as arrays, and the node labels.

    ``edges`` index into ``nodelist`` (``list(graph.nodes)``).

    Examples
    --------
    >>> NetworkxGraph(1, np.zeros((0, 2), dtype=np.int64), np.zeros(0), ["a"]).nodelist
    ['a']
    """

    n_nodes: int
    edges: np.ndarray
    variances: np.ndarray
    nodelist: list


def is_networkx_graph(x: Any) -> bool:
    import networkx as nx  # a core dependency; imported lazily to keep import time low

    return isinstance(x, nx.Graph)


def is_matrix(x: Any) -> bool:
    """A scipy.sparse matrix/array or a two-dimensional numpy array (a graph given as a matrix)."""
    return scipy.sparse.issparse(x) or (isinstance(x, np.ndarray) and x.ndim == 2)


@provenance("M", source="klein1993resistance", where="§2 (graphs as resistor networks)")
def from_networkx(graph: Any, weight: str | None = "var", *, invert_weight: bool = True) -> NetworkxGraph:
    """Convert a ``networkx`` graph to arrays: ``(n_nodes, edges, variances, nodelist)``.

    Conventions of :func:`networkx.resistance_distance`: the edge attribute ``weight`` (an edge
    without it, or every edge when ``weight=None``, has weight 1) is a resistance -- our variance
    :math:`\\sigma_e^2` -- when ``invert_weight=True`` (the Laplacian is built from its
    reciprocal), and a conductance :math:`c_e = 1/\\sigma_e^2` when ``invert_weight=False``.

    Parameters
    ----------
    graph : networkx.Graph or networkx.MultiGraph
        Undirected graph; parallel edges of a multigraph are kept as separate edges (their
        conductances add, as networkx contracts them by the harmonic sum of resistances).
    weight : str or None
        Edge attribute holding the weight; default ``"var"`` (our documented attribute, a
        variance). ``None``: unweighted.
    invert_weight : bool, default True
        ``True``: the attribute is a variance (resistance); ``False``: a conductance.

    Returns
    -------
    NetworkxGraph
        ``n_nodes``; ``edges`` (int64, shape (E, 2), indices into ``nodelist``); ``variances``
        (float64, shape (E,)); ``nodelist`` (``list(graph.nodes)``: the node order of every
        array result).

    Raises
    ------
    InvalidInputError
        Not an undirected networkx graph; an empty graph; non-positive or non-finite weights.

    Warns
    -----
    IgnoredWeightWarning
        When edges carry a ``weight`` attribute that ``weight=`` does not read.

    Notes
    -----
    :math:`O(N + E)`.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(3)
    >>> nx.set_edge_attributes(G, 2.0, "var")
    >>> n, edges, var, nodes = from_networkx(G)
    >>> n, edges.tolist(), var.tolist()
    (3, [[0, 1], [1, 2]], [2.0, 2.0])
    >>> H = nx.Graph([("a", "b", {"weight": 4.0})])
    >>> from_networkx(H, "weight", invert_weight=False).variances.tolist()  # a conductance of 4
    [0.25]
    """
    import networkx as nx

    if not isinstance(graph, nx.Graph):
        raise InvalidInputError("graph", "must be a networkx.Graph or MultiGraph", received=type(graph).__name__)
    if graph.is_directed():
        raise InvalidInputError("graph", "must be undirected (effective resistance is defined on undirected graphs)")
    if weight is not None and not isinstance(weight, str):
        raise InvalidInputError("weight", "must be an edge attribute name (str) or None", received=weight)
    if not isinstance(invert_weight, (bool, np.bool_)):
        raise InvalidInputError("invert_weight", "must be True (weight is a variance) or False (a conductance)",
                                received=invert_weight)
    if graph.number_of_nodes() == 0:
        raise InvalidInputError("graph", "must have at least one node", received="an empty graph")
    nodelist = list(graph.nodes)
    index = {v: i for i, v in enumerate(nodelist)}
    data = list(graph.edges(data=True))
    if weight != "weight" and any("weight" in d for _, _, d in data):
        read = "every edge has weight 1" if weight is None else f"the attribute {weight!r} is read"
        warnings.warn(f"the graph's edges carry a 'weight' attribute that is ignored ({read}); pass weight='weight' "
                      "to use it, with invert_weight=True if it is a resistance (variance) or invert_weight=False if "
                      "it is a conductance, as networkx.resistance_distance reads it", IgnoredWeightWarning,
                      stacklevel=3)
    edges = np.array([(index[u], index[v]) for u, v, _ in data], dtype=np.int64).reshape(-1, 2)
    raw = [1.0 if weight is None else d.get(weight, 1.0) for _, _, d in data]
    w = V.as_float_array(f"edge attribute {weight!r}", raw if raw else np.zeros(0), shape=(None,), positive=True)
    if invert_weight:
        var = w
    else:
        with np.errstate(divide="ignore", over="ignore"):
            var = 1.0 / w
        if np.any(var == 0) or np.any(np.isinf(var)):
            raise PrecisionError(f"edge attribute {weight!r}: a conductance whose variance 1/c leaves float64")
    return NetworkxGraph(len(nodelist), edges, var, nodelist)


@provenance("M", source="klein1993resistance", where="§2 (the Laplacian of a resistor network)")
def from_matrix(matrix: Any, kind: Literal["adjacency", "laplacian"]) -> tuple[int, np.ndarray, np.ndarray]:
    """Convert a square adjacency or Laplacian matrix to ``(n_nodes, edges, variances)``.

    ``kind="adjacency"``: :math:`A_{uv} = A_{vu} \\ge 0` is the conductance of edge
    :math:`\\{u,v\\}` (0: no edge; the diagonal is ignored, self-loops do not change
    :math:`L = D - A`, as in :func:`scipy.sparse.csgraph.laplacian`). ``kind="laplacian"``: a
    symmetric matrix with non-positive off-diagonal entries and zero row sums
    (:math:`|\\sum_v L_{uv}| \\le 64\\,\\varepsilon \\sum_v |L_{uv}|`); the conductances are
    :math:`-L_{uv}`. The kind is stated by the caller, never guessed.

    Parameters
    ----------
    matrix : scipy.sparse matrix or array, or numpy.ndarray, shape (N, N)
    kind : {"adjacency", "laplacian"}

    Returns
    -------
    tuple
        ``(n_nodes, edges, variances)``: ``edges`` int64 (E, 2) with ``u < v``, ``variances``
        :math:`1/c_e` (float64, (E,)).

    Raises
    ------
    InvalidInputError
        Not square, not symmetric (entrywise within :math:`4\\varepsilon`), NaN or infinite
        entries, negative adjacency entries, positive off-diagonal Laplacian entries, non-zero
        Laplacian row sums.
    PrecisionError
        A conductance so small that its variance overflows float64.

    Notes
    -----
    :math:`O(N + \\mathrm{nnz})` for sparse input.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> A = sp.csr_array([[0.0, 2.0, 0.0], [2.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    >>> n, e, v = from_matrix(A, "adjacency")
    >>> n, e.tolist(), v.tolist()
    (3, [[0, 1], [1, 2]], [0.5, 1.0])
    >>> from_matrix(sp.csgraph.laplacian(A), "laplacian")[2].tolist()
    [0.5, 1.0]
    """
    V.check_choice("kind", kind, ("adjacency", "laplacian"))
    if scipy.sparse.issparse(matrix):
        M = scipy.sparse.coo_array(matrix)
        V.check_float64("matrix", M.data)
        data = V.as_real_array("matrix", M.data).astype(np.float64)
        M = scipy.sparse.coo_array((data, (M.row, M.col)), shape=M.shape)
    else:
        dense = V.as_float_array("matrix", matrix, ndim=2, finite=False)
        M = scipy.sparse.coo_array(dense)
    if M.shape[0] != M.shape[1] or M.shape[0] < 1:
        raise InvalidInputError("matrix", "must be square, (N, N) with N >= 1", received=f"shape {M.shape}")
    n = int(M.shape[0])
    M = scipy.sparse.csr_array(M)  # sums duplicate entries
    M.sum_duplicates()
    if M.nnz and not np.all(np.isfinite(M.data)):
        raise InvalidInputError("matrix", "non-finite input: every entry must be finite (no NaN or inf)")
    Mt = scipy.sparse.csr_array(M.T)
    diff = abs(M - Mt)
    big = abs(M).maximum(abs(Mt))
    if diff.nnz and (diff - 4 * _EPS * big).max() > 0:
        raise InvalidInputError("matrix", "must be symmetric (an undirected graph)")
    U = scipy.sparse.triu(M, k=1, format="coo")
    keep = U.data != 0
    r, c, x = U.row[keep], U.col[keep], U.data[keep]
    if kind == "adjacency":
        if np.any(x < 0):
            raise InvalidInputError("matrix", "adjacency entries are conductances and must be >= 0",
                                    received=f"min {float(x.min())}")
        cond = x
    else:
        if np.any(x > 0):
            raise InvalidInputError("matrix", "a Laplacian has non-positive off-diagonal entries",
                                    received=f"max {float(x.max())}")
        rows = np.asarray(M.sum(axis=1)).ravel()
        scale = np.asarray(abs(M).sum(axis=1)).ravel()
        if np.any(np.abs(rows) > 64 * _EPS * scale):
            u = int(np.argmax(np.abs(rows) - 64 * _EPS * scale))
            raise InvalidInputError("matrix", "a Laplacian has zero row sums (for an adjacency matrix pass "
                                    "matrix='adjacency')", received=f"row {u} sums to {float(rows[u]):.3g}")
        cond = -x
    with np.errstate(divide="ignore", over="ignore"):
        var = 1.0 / cond
    if np.any(np.isinf(var)):
        raise PrecisionError("matrix: a conductance so small that its variance 1/c overflows float64")
    edges = np.stack([r, c], axis=1).astype(np.int64).reshape(-1, 2)
    return n, edges, var


def label_pairs(pairs: Any, index: dict) -> np.ndarray:
    """Pairs of node labels -> int64 index array (k, 2); a label not in the graph is refused by name."""
    if isinstance(pairs, (str, bytes)) or not hasattr(pairs, "__iter__"):
        raise InvalidInputError("pairs", "must be a sequence of (u, v) node-label pairs", received=type(pairs).__name__)
    out = []
    for i, p in enumerate(pairs):
        try:
            a, b = p
        except (TypeError, ValueError):
            raise InvalidInputError("pairs", "every entry must be a (u, v) pair of node labels",
                                    received=f"entry {i}: {p!r}") from None
        for x in (a, b):
            try:
                ok = x in index
            except TypeError:
                ok = False
            if not ok:
                raise InvalidInputError("pairs", "node labels must be nodes of the graph",
                                        received=f"entry {i}: {x!r}")
        out.append((index[a], index[b]))
    return np.array(out, dtype=np.int64).reshape(-1, 2)

"""Host-side weighted-Laplacian solvers (numpy/scipy; no JAX): solver choice by graph structure.

On CPU the fastest correct method for :math:`L_c x = b` depends on the graph's structure: dense
Cholesky for small graphs, exact elimination in leaf-first order for forests, sparse LU for sparse
low-degree graphs, Jacobi-preconditioned conjugate gradients for well-connected graphs (where direct
factorisations fill in). :class:`LaplacianSolver` chooses once per edge set and solves for changing
conductances (the Newton steps of :func:`aligntheory.numerics.fit_bradley_terry`);
:func:`solve_laplacian` is the one-shot entry point. Statistics (the solver used, iterations,
residual, outcome) are returned in a :class:`LaplacianSolution`, never stored on the solver.

All solvers work on the *grounded* system: adding :math:`d_g e_g e_g^\\top` to :math:`L` at one node
:math:`g` per connected component makes it positive definite, and for a right-hand side that sums to
zero on each component the solution satisfies :math:`Lx=b` exactly (sum the rows of the component).
Grounding is at the node of largest weighted degree (spec ``ibn.md`` §3.3).

Scale: the system is invariant under scaling all conductances by :math:`s` (:math:`x \\mapsto x/s`),
so :func:`solve_laplacian` divides the conductances by their largest value before factorising and
the solution by the same factor after: results are exact to working precision for conductances
anywhere in :math:`10^{-300}\\ldots10^{300}`; a solution whose relative residual exceeds ``1e-8``
(weights spanning too many orders of magnitude) is reported as ``RESULTS.inaccurate``
(:class:`~aligntheory.errors.PrecisionError` with ``throw=True``), never returned silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
import scipy.sparse.linalg as spla

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.results import RESULTS, provenance, raise_or_flag

__all__ = [
    "TreeOrder",
    "tree_elimination_order",
    "LaplacianSolver",
    "LaplacianSolution",
    "solve_laplacian",
    "DEFAULT_MAX_NODES",
]

DEFAULT_MAX_NODES = 10_000_000
"""Default node cap of the host solvers (``max_nodes=``): arrays of length ``N`` are allocated."""

_DENSE_CAP = 20_000  # dense Cholesky: N^2 doubles (3.2 GB at the cap)
_ACCURACY = 1e-8  # relative residual above which a direct solve is reported inaccurate


@provenance("M", where="breadth-first order of a forest (leaf-first elimination without fill-in)")
class TreeOrder(NamedTuple):
    """Elimination order of a forest (:func:`tree_elimination_order`).

    Attributes
    ----------
    order : int array, shape (N,)
        Nodes in breadth-first order: one contiguous segment per component, each starting at that
        component's root; eliminating in *reverse* order removes a leaf at every step.
    parent : int array, shape (N,)
        Parent of each node; a root is its own parent.
    parent_edge : int array, shape (N,)
        Index into ``edges`` of the edge to the parent; ``-1`` for roots.
    is_root : bool array, shape (N,)

    Examples
    --------
    >>> tree_elimination_order(2, [[0, 1]]).parent.tolist()
    [0, 0]
    """

    order: np.ndarray
    parent: np.ndarray
    parent_edge: np.ndarray
    is_root: np.ndarray


@provenance("M", where="breadth-first order of a forest")
def tree_elimination_order(n_nodes: int, edges: Any, *, conductances: Any = None,
                           max_nodes: int = DEFAULT_MAX_NODES) -> TreeOrder:
    """Breadth-first elimination order of a forest, rooted at the node of largest weighted degree [M].

    Host-side preprocessing (scipy ``breadth_first_order``) for
    :func:`aligntheory.kernels.ibn.solve_laplacian_tree`. Self-loops are ignored.

    Parameters
    ----------
    n_nodes : int
    edges : int array, shape (E, 2)
    conductances : float array, shape (E,), optional
        Used only to pick roots (largest weighted degree per component); finite and >= 0.
    max_nodes : int, default 10_000_000
        Size cap on ``n_nodes`` (``DEFAULT_MAX_NODES``; checked before any allocation).

    Returns
    -------
    TreeOrder

    Raises
    ------
    InvalidInputError
        If the edge list is not a forest (a repeated pair or a cycle), or on bad ids/conductances.
    SizeCapError
        If ``n_nodes > max_nodes``.

    Notes
    -----
    :math:`O(N + E)`.

    Examples
    --------
    >>> t = tree_elimination_order(3, [[0, 1], [1, 2]])
    >>> t.order.tolist(), t.parent.tolist()
    ([1, 0, 2], [1, 1, 1])
    """
    n = V.check_int("n_nodes", n_nodes, lo=1)
    V.check_size("n_nodes", n, cap=max_nodes, unit="nodes")
    e = V.as_index_array("edges", V.as_real_array("edges", edges), n=n, shape=(None, 2))
    c = (np.ones(len(e)) if conductances is None
         else V.as_float_array("conductances", conductances, shape=(len(e),), nonnegative=True))
    keep = e[:, 0] != e[:, 1]
    idx = np.nonzero(keep)[0]
    e, c = e[keep], c[keep]
    key = np.minimum(e[:, 0], e[:, 1]) * n + np.maximum(e[:, 0], e[:, 1])
    if len(np.unique(key)) != len(key):
        raise InvalidInputError("edges", "must be a forest: repeated pair found (merge parallel edges first)")
    A = sp.coo_matrix((np.arange(1, len(e) + 1, dtype=np.float64), (e[:, 0], e[:, 1])), shape=(n, n)).tocsr()
    A = A + A.T
    ncomp, lab = csgraph.connected_components(A, directed=False)
    if len(e) != n - ncomp:
        raise InvalidInputError("edges", "must be a forest (E = N - components)",
                                received=f"E={len(e)}, N={n}, components={ncomp}")
    deg = np.bincount(e[:, 0], c, n) + np.bincount(e[:, 1], c, n)
    roots = np.full(ncomp, -1)
    orderd = np.lexsort((np.arange(n), -deg))  # root = argmax degree per component (ties: smallest id)
    for v in orderd[::-1]:
        roots[lab[v]] = v
    parent = np.arange(n)
    orders = []
    for r in roots:
        o, pred = csgraph.breadth_first_order(A, int(r), directed=False, return_predecessors=True)
        orders.append(o)
        ch = o[1:]
        parent[ch] = pred[ch]
    pedge = np.full(n, -1)
    down = parent[e[:, 1]] == e[:, 0]  # edge (a, b) with b the child
    pedge[e[down, 1]] = idx[down]
    up = parent[e[:, 0]] == e[:, 1]
    pedge[e[up, 0]] = idx[up]
    is_root = np.zeros(n, bool)
    is_root[roots] = True
    return TreeOrder(np.concatenate(orders), parent, pedge, is_root)


@provenance("M", where="linear-solver outcome")
@dataclass(frozen=True)
class LaplacianSolution:
    """Result of :meth:`LaplacianSolver.solve` and :func:`solve_laplacian`.

    Attributes
    ----------
    x : ndarray, shape (N,)
        The solution (centred on every component for a grounded system).
    method : str
        Solver actually used: ``"dense"``, ``"tree"``, ``"splu"``, ``"pcg"`` or ``"pcg->splu"``
        (PCG did not reach the tolerance and sparse LU finished).
    iterations : int
        PCG iterations (0 for direct solvers).
    residual : float
        Relative residual :math:`\\|b - Ax\\|/\\|b\\|` of the (scaled) system.
    result : RESULTS
        ``successful`` or ``inaccurate``.

    Examples
    --------
    >>> s = solve_laplacian(2, [[0, 1]], [1.0, -1.0], conductances=[2.0])
    >>> s.converged, s.method
    (True, 'dense')
    """

    x: np.ndarray
    method: str
    iterations: int
    residual: float
    result: RESULTS

    @property
    def converged(self) -> bool:
        """``result.succeeded``."""
        return self.result.succeeded


def _pcg_numpy(A: sp.csr_matrix, dinv: np.ndarray, b: np.ndarray, x0: np.ndarray | None, rtol: float,
               maxiter: int) -> tuple[np.ndarray, int, float]:
    """Jacobi-preconditioned CG by :func:`scipy.sparse.linalg.cg`; returns (x, iterations, relative residual)."""
    bnorm = float(np.linalg.norm(b))
    if bnorm == 0.0:
        return np.zeros_like(b), 0, 0.0
    count = [0]

    def _tick(_xk):
        count[0] += 1

    x, _ = spla.cg(A, b, x0=x0, rtol=rtol, atol=0.0, maxiter=maxiter, M=sp.diags(dinv), callback=_tick)
    return x, count[0], float(np.linalg.norm(b - A @ x)) / bnorm


@provenance("M", source="hendrickx2019graph", where="Laplacian systems; solver chosen by structure")
class LaplacianSolver:
    """Repeated solves with the Laplacian of a *fixed* edge set and changing conductances (host-side).

    Builds the sparsity pattern once; :meth:`solve` takes new conductances (and an optional extra
    diagonal, e.g. a prior) and a right-hand side, and dispatches by structure (``method="auto"``):

    * ``"dense"`` -- ``N <= dense_max``: Cholesky of the grounded dense matrix (LAPACK);
    * ``"tree"`` -- the edge set is a forest: exact elimination in the leaf-first order of
      :func:`tree_elimination_order`, executed by SuperLU with that fixed (``NATURAL``) ordering,
      which produces no fill-in;
    * ``"splu"`` -- sparse LU (SuperLU, minimum-degree ordering) for sparse low-degree graphs
      (mean degree ``<= sparse_max_degree``), where Jacobi-PCG needs many iterations;
    * ``"pcg"`` -- Jacobi-preconditioned CG (scipy) for well-connected graphs, where direct
      factorisations fill in; falls back to ``"splu"`` (reported as ``"pcg->splu"``) if it does not
      reach the tolerance within ``pcg_maxiter``.

    The structural choice is the read-only attribute :attr:`method`; what each solve did is
    returned in its :class:`LaplacianSolution` (nothing is stored on the solver).

    Parameters
    ----------
    n_nodes : int
    edges : int array, shape (E, 2)
        Distinct undirected pairs without self-loops.
    method : {"auto", "dense", "tree", "splu", "pcg"}
    dense_max : int, default 200
        Largest ``N`` for which ``"auto"`` picks the dense Cholesky.
    sparse_max_degree : float, default 6.0
        Largest mean degree for which ``"auto"`` picks sparse LU.
    pcg_maxiter : int, default 500
        PCG iterations before falling back to sparse LU, >= 1.
    max_nodes : int, default 10_000_000
        Size cap on ``n_nodes`` (``DEFAULT_MAX_NODES``; checked before any allocation).

    Raises
    ------
    InvalidInputError
        ``method="tree"`` on a graph that is not a forest; bad ids; a repeated pair (either
        orientation) or a self-loop in ``edges``.
    SizeCapError
        ``n_nodes > max_nodes``, or ``method="dense"`` with more than 20000 nodes.

    Notes
    -----
    Pattern set-up :math:`O(N + E)`; per solve as in :func:`solve_laplacian`.

    Examples
    --------
    >>> import numpy as np
    >>> S = LaplacianSolver(3, np.array([[0, 1], [1, 2]]))
    >>> sol = S.solve(np.array([1.0, 1.0]), np.array([1.0, 0.0, -1.0]))
    >>> round(float(sol.x[0] - sol.x[2]), 12), sol.method
    (2.0, 'dense')
    """

    def __init__(self, n_nodes: int, edges: Any, *, method: str = "auto", dense_max: int = 200,
                 sparse_max_degree: float = 6.0, pcg_maxiter: int = 500, max_nodes: int = DEFAULT_MAX_NODES):
        self.n = n = V.check_int("n_nodes", n_nodes, lo=1)
        V.check_size("n_nodes", n, cap=max_nodes, unit="nodes")
        self.edges = e = V.as_index_array("edges", V.as_real_array("edges", edges), n=n, shape=(None, 2))
        self.u, self.v = e[:, 0], e[:, 1]
        V.check_choice("method", method, ("auto", "dense", "tree", "splu", "pcg"))
        ncomp, lab = csgraph.connected_components(
            sp.coo_matrix((np.ones(len(e)), (self.u, self.v)), shape=(n, n)), directed=False)
        self.ncomp, self.labels = ncomp, lab
        is_forest = len(e) == n - ncomp
        if method == "auto":
            if n <= dense_max:
                method = "dense"
            elif is_forest:
                method = "tree"
            elif 2.0 * len(e) / n <= sparse_max_degree:
                method = "splu"
            else:
                method = "pcg"
        if method == "tree" and not is_forest:
            raise InvalidInputError("method", "'tree' requires a forest", received=f"E={len(e)}, N={n}")
        if method == "dense":
            V.check_size("n_nodes", n, cap=_DENSE_CAP, unit="nodes (dense Cholesky)")
        self._method = method
        self.pcg_maxiter = V.check_int("pcg_maxiter", pcg_maxiter, lo=1)
        E = len(e)
        if method == "tree":
            t = tree_elimination_order(n, e)
            perm = t.order[::-1]  # leaves first
            self.perm = perm
            self.inv = np.empty(n, np.int64)
            self.inv[perm] = np.arange(n)
            pu, pv = self.inv[self.u], self.inv[self.v]
        else:
            self.perm = None
            pu, pv = self.u, self.v
        rows = np.concatenate([pu, pv, np.arange(n)])
        cols = np.concatenate([pv, pu, np.arange(n)])
        coo = sp.coo_matrix((np.arange(1, 2 * E + n + 1, dtype=np.float64), (rows, cols)), shape=(n, n))
        csr = coo.tocsr()
        if csr.nnz != 2 * E + n:  # a repeated pair or a self-loop merges entries (the value map would be wrong)
            raise InvalidInputError("edges", "distinct undirected pairs without self-loops",
                                    received=f"{2 * E + n - csr.nnz} repeated or self-loop entries")
        csr.sort_indices()
        self._pos = csr.data.astype(np.int64) - 1
        self._csr = csr

    @property
    def method(self) -> str:
        """The solver chosen for this edge set (fixed at construction)."""
        return self._method

    def _ground(self, deg: np.ndarray) -> np.ndarray:
        """Node of largest weighted degree per component."""
        g = np.full(self.ncomp, -1)
        order = np.argsort(deg, kind="stable")
        g[self.labels[order]] = order  # last write wins = largest degree
        return g

    def matrix(self, conductances: np.ndarray, extra_diag: np.ndarray | None = None
               ) -> tuple[sp.csr_matrix, np.ndarray, bool]:
        """CSR of ``L + diag(extra)`` (a fresh matrix), grounded (one node per component) when ``extra`` is absent or not positive.

        Rows and columns are in the solver's elimination order: for ``"tree"`` the leaf-first order (``perm``, the
        reverse of :func:`tree_elimination_order`'s), so every row has at most one entry right of the diagonal
        and the factorisation has no fill-in; the identity order for the other methods.

        Grounding: in each connected component, the node of largest weighted degree (ties: the largest id) gets its
        weighted degree added to its diagonal (its diagonal doubled; 1 for an isolated node). Returns the matrix,
        its diagonal in node order, and whether it was grounded.
        """
        cond = conductances
        deg = np.bincount(self.u, cond, self.n) + np.bincount(self.v, cond, self.n)
        diag = deg.astype(np.float64)  # a copy; float also without edges (bincount of no weights is int64)
        grounded = extra_diag is None or not np.all(extra_diag > 0)
        if extra_diag is not None:
            diag += extra_diag
        if grounded:
            g = self._ground(deg)
            diag[g] += np.where(deg[g] > 0, deg[g], 1.0)
        E = len(cond)
        vals = np.empty(2 * E + self.n)
        np.negative(cond, out=vals[:E])
        vals[E:2 * E] = vals[:E]
        vals[2 * E:] = diag if self.perm is None else diag[self.perm]
        A = self._csr.copy()
        np.take(vals, self._pos, out=A.data)
        return A, diag, grounded

    def solve(self, conductances: np.ndarray, b: np.ndarray, *, extra_diag: np.ndarray | None = None,
              rtol: float = 1e-12, x0: np.ndarray | None = None) -> LaplacianSolution:
        """Solve :math:`(L_c + \\mathrm{diag}(\\text{extra}))x = b` (unchecked fast path; see :func:`solve_laplacian`).

        Without a positive ``extra_diag`` the system is grounded: ``b`` must sum to zero on every
        component, and the solution is returned centred on every component. The outcome is
        ``RESULTS.inaccurate`` when the relative residual exceeds ``max(1e-8, rtol)``, and
        ``RESULTS.nonfinite`` (NaN solution, no exception) for a non-finite ``b``.
        """
        A, diag, grounded = self.matrix(conductances, extra_diag)
        m = self._method
        iters = 0
        bb = b if self.perm is None else b[self.perm]
        if m == "dense":
            from scipy.linalg import LinAlgError, cho_factor, cho_solve

            try:
                y = cho_solve(cho_factor(A.toarray(), lower=True, check_finite=False), bb, check_finite=False)
            except LinAlgError:
                y = np.full(self.n, np.nan)
        elif m in ("tree", "splu"):
            try:
                lu = spla.splu(A.tocsc(), permc_spec="NATURAL" if m == "tree" else "MMD_AT_PLUS_A",
                               diag_pivot_thresh=0.0, options={"SymmetricMode": True})
                y = lu.solve(bb)
            except RuntimeError:  # exactly singular factor
                y = np.full(self.n, np.nan)
        else:
            y, iters, res = _pcg_numpy(A, 1.0 / A.diagonal(), bb, x0, rtol, self.pcg_maxiter)
            if not res <= rtol:
                try:
                    y = spla.splu(A.tocsc(), permc_spec="MMD_AT_PLUS_A").solve(bb)
                except RuntimeError:  # exactly singular factor (e.g. an infinite conductance): flagged below
                    y = np.full(self.n, np.nan)
                m = "pcg->splu"
        bn = float(np.linalg.norm(bb))
        res = float(np.linalg.norm(bb - A @ y)) / bn if bn > 0 else float(np.linalg.norm(A @ y))
        x = y if self.perm is None else y[self.inv]
        ok = bool(np.isfinite(res) and res <= max(_ACCURACY, rtol) and np.all(np.isfinite(x)))
        result = RESULTS.successful if ok else (RESULTS.nonfinite if not np.all(np.isfinite(x))
                                                else RESULTS.inaccurate)
        return LaplacianSolution(self._centre(x, grounded), m, int(iters), res, result)

    def _centre(self, x: np.ndarray, grounded: bool) -> np.ndarray:
        if not grounded:
            return x
        if self.ncomp == 1:
            return x - x.mean()
        means = np.bincount(self.labels, x, self.ncomp) / np.bincount(self.labels, minlength=self.ncomp)
        return x - means[self.labels]


@provenance("M", source="hendrickx2019graph", where="weighted Laplacian systems (spec ibn.md §3.3)")
def solve_laplacian(n_nodes: int, edges: Any, b: Any, *, conductances: Any, method: str = "auto",
                    extra_diag: Any = None, rtol: float = 1e-12, throw: bool = True,
                    max_nodes: int = DEFAULT_MAX_NODES) -> LaplacianSolution:
    """Solve a weighted-Laplacian system on the host, choosing the solver by structure [M].

    .. math:: L_c x = b \\;(\\mathbf 1^\\top b = 0 \\text{ per component}), \\qquad
              \\text{or } (L_c + D)x = b \\text{ with } D \\succ 0 \\text{ diagonal}

    Host-side numpy/scipy (see :class:`LaplacianSolver` for the dispatch rule). Parallel edges
    are merged (conductances add), self-loops and zero conductances dropped. Without
    ``extra_diag`` the solution is the centred one, :math:`x = L^{+}b` on a connected graph.
    Conductances (and ``extra_diag``) are divided by their largest value before the solve and
    the solution multiplied back, so the result is exact over :math:`10^{-300}\\ldots10^{300}`.
    Spec ``ibn.md`` §3.3.

    Parameters
    ----------
    n_nodes : int
    edges : int array, shape (E, 2)
    b : float array, shape (N,)
    conductances : float array, shape (E,)
        Finite, >= 0 (keyword only: conductances, not variances).
    method : {"auto", "dense", "tree", "splu", "pcg"}
    extra_diag : float array, shape (N,), optional
        Positive diagonal added to :math:`L` (a Gaussian prior).
    rtol : float, default 1e-12
        Relative residual tolerance of ``"pcg"``.
    throw : bool, default True
        Raise :class:`~aligntheory.errors.PrecisionError` when the solution is inaccurate
        (relative residual above ``1e-8``); with ``False`` return it with ``result`` set.
    max_nodes : int, default 10_000_000
        Size cap on ``n_nodes`` (``DEFAULT_MAX_NODES``; checked before any allocation).

    Returns
    -------
    LaplacianSolution

    Raises
    ------
    InvalidInputError
        Bad ids, NaN/inf/negative conductances, ``b`` not summing to zero on a component.
    SizeCapError
        ``n_nodes > max_nodes``.
    PrecisionError
        ``throw=True`` and the residual check fails.

    Notes
    -----
    ``dense`` :math:`O(N^3)`; ``tree`` :math:`O(N)`; ``splu`` depends on fill-in; ``pcg``
    :math:`O(\\text{iterations}\\cdot(N+E))`.

    Examples
    --------
    >>> import numpy as np
    >>> e = np.array([[0, 1], [1, 2], [2, 3]])
    >>> sol = solve_laplacian(4, e, np.array([1.0, 0.0, 0.0, -1.0]), conductances=np.ones(3), method="tree")
    >>> round(float(sol.x[0] - sol.x[3]), 12), sol.method
    (3.0, 'tree')
    """
    n = V.check_int("n_nodes", n_nodes, lo=1)
    V.check_size("n_nodes", n, cap=max_nodes, unit="nodes")
    e = V.as_index_array("edges", V.as_real_array("edges", edges), n=n, shape=(None, 2))
    c = V.as_float_array("conductances", conductances, shape=(len(e),), nonnegative=True)
    bb = V.as_float_array("b", b, shape=(n,))
    rtol = V.check_scalar("rtol", rtol, positive=True)
    d = None if extra_diag is None else V.as_float_array("extra_diag", extra_diag, shape=(n,), positive=True)
    keep = (e[:, 0] != e[:, 1]) & (c > 0)
    e, c = e[keep], c[keep]
    lo, hi = np.minimum(e[:, 0], e[:, 1]), np.maximum(e[:, 0], e[:, 1])
    keys, inv = np.unique(lo * n + hi, return_inverse=True)
    cm = np.bincount(inv, c, len(keys))
    em = np.stack([keys // n, keys % n], 1)
    S = LaplacianSolver(n, em, method=method, max_nodes=max_nodes)
    if d is None:
        sums = np.bincount(S.labels, bb, S.ncomp)
        tot = np.bincount(S.labels, np.abs(bb), S.ncomp)
        if np.any(np.abs(sums) > 1e-9 * np.maximum(tot, np.finfo(float).tiny)):
            raise InvalidInputError("b", "must sum to zero on every connected component (L is singular)",
                                    received=f"component sums up to {float(np.abs(sums).max()):.3g}")
    # scale invariance: L_{sc} x = b  <=>  L_c (s x) = b
    s = float(cm.max()) if len(cm) else 1.0
    if d is not None:
        s = max(s, float(d.max()))
    bs = float(np.abs(bb).max()) if n else 0.0
    bs = bs if bs > 0 else 1.0
    sol = S.solve(cm / s, bb / bs, extra_diag=None if d is None else d / s, rtol=rtol)
    with np.errstate(over="ignore"):
        x = sol.x * (bs / s)
    result = sol.result
    if result.succeeded and not np.all(np.isfinite(x)):
        result = RESULTS.nonfinite  # the true solution overflows float64
    raise_or_flag(result, throw=throw, error=lambda: PrecisionError(
        f"solve_laplacian ({sol.method}): the solution is not accurate to working precision (relative residual "
        f"{sol.residual:.3g} after rescaling; conductances span {_span(cm):.3g} orders of magnitude) or overflows"))
    return LaplacianSolution(x, sol.method, sol.iterations, sol.residual, result)


def _span(c: np.ndarray) -> float:
    pos = c[c > 0]
    return float(np.log10(pos.max() / pos.min())) if len(pos) else 0.0

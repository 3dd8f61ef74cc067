"""Laplacian solvers of the IBN pillar (spec ``ibn.md`` §3.3, §4.2, §6).

Two groups live here.

* **JAX kernels** (pure, ``jit``, float64): :func:`reff_pairs_pcg` (Jacobi-preconditioned conjugate
  gradients on the grounded Laplacian, all right-hand sides as one block), :func:`reff_sketch`
  (Spielman--Srivastava random projection) and :func:`solve_laplacian_tree` (exact elimination on
  a forest in a precomputed leaf-first order, :func:`tree_elimination_order`).
* **A host-side dispatcher** :func:`solve_laplacian` (numpy/scipy), used by the Bradley--Terry
  entry point :func:`aligntheory.kernels.ibn.fit_bradley_terry`. On CPU the fastest correct
  method depends on the graph's structure (dense Cholesky for small graphs, exact elimination in
  leaf-first order for forests, sparse LU for sparse low-degree graphs, Jacobi-PCG for
  well-connected graphs, where direct factorisations fill in), so it chooses by structure
  (``method="auto"``) and returns the name of the solver it used. It is not a JAX kernel and is
  not traceable; it exists because the entry point must be fast on CPU.

All solvers work on the *grounded* system: adding :math:`d_g e_g e_g^\\top` to :math:`L` at one node
:math:`g` per connected component makes it positive definite, and for a right-hand side that sums
to zero on each component the solution satisfies :math:`x_g=0` and :math:`Lx=b` exactly (sum the
rows of the component). Grounding is at the node of largest weighted degree (spec §3.3).
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
import scipy.sparse.linalg as spla
from jax import lax

from aligntheory import _validate as V
from aligntheory.errors import ConvergenceError, InvalidInputError
from aligntheory.kernels._common import check_precision_all, f64, ints

__all__ = [
    "reff_pairs_pcg",
    "PCGResult",
    "reff_sketch",
    "SketchResult",
    "tree_elimination_order",
    "TreeOrder",
    "solve_laplacian_tree",
    "solve_laplacian",
    "LaplacianSolver",
]


# ----------------------------------------------------------------------------------------------
# JAX: grounded Jacobi-PCG


def _matvec(n_nodes, u, v, c, X):
    """``L X`` for a block ``X`` of shape (N, k): one row gather and two segment sums per edge list."""
    F = c[:, None] * (X[u] - X[v])
    return jax.ops.segment_sum(F, u, n_nodes) - jax.ops.segment_sum(F, v, n_nodes)


def _pcg_grounded(n_nodes, u, v, c, g, B, tol, maxiter):
    """Jacobi-PCG on ``L`` with row/column ``g`` replaced by the identity, for a block of right-hand sides.

    ``B`` has shape (N, k) with ``B[g] = 0``. The k systems are independent (per-column step sizes and
    stopping, so each column follows exactly the single right-hand-side iteration); working on the block
    turns the per-edge gathers and scatters into row operations, which is what makes the kernel fast on
    CPU as well as on accelerators. Returns ``(X, iterations (k,), relative residuals (k,))``.
    """
    deg = jax.ops.segment_sum(c, u, n_nodes) + jax.ops.segment_sum(c, v, n_nodes)
    is_g = (jnp.arange(n_nodes) == g)[:, None]
    dinv = jnp.where(is_g, 1.0, 1.0 / jnp.where(deg > 0, deg, 1.0)[:, None])

    def A(X):
        return jnp.where(is_g, 0.0, _matvec(n_nodes, u, v, c, jnp.where(is_g, 0.0, X)))

    bnorm = jnp.linalg.norm(B, axis=0)
    safe = jnp.where(bnorm > 0, bnorm, 1.0)

    def active(R):
        return jnp.linalg.norm(R, axis=0) > tol * safe

    Z0 = dinv * B
    state = (jnp.zeros_like(B), B, Z0, jnp.sum(B * Z0, axis=0), jnp.zeros(B.shape[1], jnp.int32), jnp.asarray(0))

    def cond(s):
        _, R, _, _, _, it = s
        return jnp.logical_and(jnp.any(active(R)), it < maxiter)

    def body(s):
        X, R, P, rz, k, it = s
        act = active(R)
        AP = A(P)
        pAp = jnp.sum(P * AP, axis=0)
        alpha = jnp.where(act, rz / jnp.where(pAp != 0, pAp, 1.0), 0.0)
        X = X + alpha * P
        R = R - alpha * AP
        Z = dinv * R
        rz_new = jnp.sum(R * Z, axis=0)
        beta = rz_new / jnp.where(rz != 0, rz, 1.0)
        P = jnp.where(act, Z + beta * P, P)
        return X, R, P, jnp.where(act, rz_new, rz), k + act.astype(jnp.int32), it + 1

    X, _, _, _, k, _ = lax.while_loop(cond, body, state)
    # true residual (not the recursively updated one)
    res = jnp.linalg.norm(B - A(X), axis=0) / safe
    return X, k, res


@partial(jax.jit, static_argnums=(0, 7))
def _reff_pcg_core(n_nodes, edges, cond, pairs, ground, use_ground, tol, maxiter):
    u, v = edges[:, 0], edges[:, 1]
    deg = jax.ops.segment_sum(cond, u, n_nodes) + jax.ops.segment_sum(cond, v, n_nodes)
    g = jnp.where(use_ground, ground, jnp.argmax(deg))
    idx = jnp.arange(n_nodes)[:, None]
    B = (idx == pairs[:, 0]).astype(cond.dtype) - (idx == pairs[:, 1]).astype(cond.dtype)
    B = jnp.where(idx == g, 0.0, B)
    X, its, res = _pcg_grounded(n_nodes, u, v, cond, g, B, tol, maxiter)
    cols = jnp.arange(pairs.shape[0])
    return X[pairs[:, 0], cols] - X[pairs[:, 1], cols], its, res, g


class PCGResult(NamedTuple):
    """Result of :func:`reff_pairs_pcg`.

    Attributes
    ----------
    values : float64 array, shape (k,)
        :math:`R_{\\rm eff}` of each pair.
    iterations : int array, shape (k,)
        PCG iterations per right-hand side.
    residual : float64 array, shape (k,)
        Final true relative residual :math:`\\|b - L_g x\\|/\\|b\\|` per right-hand side.
    ground : int scalar
        The grounded node.
    """

    values: jax.Array
    iterations: jax.Array
    residual: jax.Array
    ground: jax.Array


def _edge_inputs(where, n_nodes, edges, cond, mask):
    check_precision_all(where, cond=cond)
    n = V.check_int("n_nodes", n_nodes, lo=1)
    e = ints("edges", edges, shape_tail=(2,))
    c = f64("cond", cond)
    if e.ndim != 2 or c.ndim != 1 or e.shape[0] != c.shape[0]:
        raise InvalidInputError("edges, cond", "must have shapes (E, 2) and (E,)",
                                received=f"shapes {tuple(e.shape)} and {tuple(c.shape)}")
    if mask is not None:
        m = jnp.asarray(mask)
        if m.shape != c.shape:
            raise InvalidInputError("mask", f"must have shape {tuple(c.shape)}", received=f"shape {tuple(m.shape)}")
        c = jnp.where(m.astype(bool), c, 0.0)
    return n, e, c


def reff_pairs_pcg(n_nodes: int, edges: Any, cond: Any, mask: Any = None, pairs: Any = None, *,
                   ground: int | None = None, tol: float = 1e-10, maxiter: int = 1000,
                   check: bool = False) -> PCGResult:
    """Effective resistance of selected pairs by Jacobi-preconditioned CG on the grounded Laplacian [M].

    .. math:: R_{\\rm eff}(u,v) = (e_u-e_v)^\\top L_g^{-1}(e_u-e_v), \\qquad
              L_g = L \\text{ with row and column } g \\text{ removed}

    Spec ``ibn.md`` §3.3 (grounded Laplacian, ground at the node of largest weighted degree),
    §4.2 (``reff_pairs_pcg``). The matrix--vector product is two ``segment_sum`` scatters over the
    edge list; the preconditioner is the weighted degree; all right-hand sides run as one (N, k)
    block with per-column steps and stopping, so memory is :math:`O((N + E) k)`. On well-connected
    graphs (expanders) the iteration count is small and nearly size-independent; on paths and chains it grows like :math:`\\Theta(N)`
    (spec §6 ill-conditioned case): use :func:`solve_laplacian_tree` or
    :func:`solve_laplacian` there.

    Parameters
    ----------
    n_nodes : int
        :math:`N` (static).
    edges : int array, shape (E, 2)
    cond : float64 array, shape (E,)
        Conductances :math:`c_e = 1/\\sigma_e^2`.
    mask : bool array, shape (E,), optional
        ``False`` marks a padded edge (conductance 0).
    pairs : int array, shape (k, 2)
    ground : int, optional
        Grounded node; default the node of largest weighted degree.
    tol : float
        Relative residual tolerance.
    maxiter : int
        Iterations at most (static).
    check : bool
        If true, raise :class:`~aligntheory.errors.ConvergenceError` when some right-hand side did
        not reach ``tol``; otherwise return the iterate and its residual.

    Returns
    -------
    PCGResult
        ``values``, ``iterations``, ``residual``, ``ground``.

    Complexity
    ----------
    :math:`O(k \\cdot \\text{iterations} \\cdot (N+E))`.

    Examples
    --------
    A 4-cycle with unit conductances: :math:`R(0,2) = 2\\cdot2/4 = 1`, :math:`R(0,1) = 3/4`.

    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> e = np.array([[0, 1], [1, 2], [2, 3], [3, 0]])
    >>> out = reff_pairs_pcg(4, e, np.ones(4), pairs=np.array([[0, 2], [0, 1]]))
    >>> np.round(np.asarray(out.values), 12).tolist()
    [1.0, 0.75]
    """
    n, e, c = _edge_inputs("reff_pairs_pcg", n_nodes, edges, cond, mask)
    if pairs is None:
        raise InvalidInputError("pairs", "must be an integer array of shape (k, 2)", received=None)
    p = V.as_index_array("pairs", np.asarray(pairs), n=n, shape=(None, 2))
    tol = V.check_scalar("tol", tol, positive=True)
    maxiter = V.check_int("maxiter", maxiter, lo=1)
    if ground is not None:
        ground = V.check_int("ground", ground, lo=0, hi=n - 1)
    vals, its, res, g = _reff_pcg_core(n, e, c, jnp.asarray(p), jnp.asarray(0 if ground is None else ground),
                                       ground is not None, tol, maxiter)
    if check:
        worst = float(jnp.max(res)) if res.size else 0.0
        if not worst <= tol:
            raise ConvergenceError(f"reff_pairs_pcg: relative residual {worst:.3e} > tol {tol:.1e} after "
                                   f"{int(jnp.max(its))} iterations (maxiter={maxiter})",
                                   iterations=int(jnp.max(its)), residual=worst)
    return PCGResult(vals, its, res, g)


# ----------------------------------------------------------------------------------------------
# JAX: Spielman--Srivastava sketch


class SketchResult(NamedTuple):
    """Result of :func:`reff_sketch`.

    Attributes
    ----------
    values : float64 array, shape (E,) or (k_pairs,)
        Approximate :math:`R_{\\rm eff}` of every edge (or of ``pairs``).
    k : int
        Number of random projections (linear solves).
    max_residual : float64 scalar
        Largest relative residual of the PCG solves.
    """

    values: jax.Array
    k: int
    max_residual: jax.Array


@partial(jax.jit, static_argnums=(1, 6, 8))
def _sketch_core(key, n_nodes, edges, cond, qpairs, tol, k, ground_unused, maxiter):
    u, v = edges[:, 0], edges[:, 1]
    deg = jax.ops.segment_sum(cond, u, n_nodes) + jax.ops.segment_sum(cond, v, n_nodes)
    g = jnp.argmax(deg)
    idx = jnp.arange(n_nodes)
    E = edges.shape[0]
    signs = jax.random.rademacher(key, (k, E), dtype=cond.dtype) / jnp.sqrt(jnp.asarray(k, cond.dtype))
    sw = jnp.sqrt(cond)

    def one(q):
        # y = B^T W^{1/2} q  (sums to zero), z = L^+ y up to a constant
        f = sw * q
        y = jax.ops.segment_sum(f, u, n_nodes) - jax.ops.segment_sum(f, v, n_nodes)
        y = jnp.where(idx == g, 0.0, y)
        z, _, res = _pcg_grounded(n_nodes, u, v, cond, g, y[:, None], tol, maxiter)
        return z[qpairs[:, 0], 0] - z[qpairs[:, 1], 0], res[0]

    diffs, res = lax.map(one, signs)
    return jnp.sum(diffs**2, axis=0), jnp.max(res)


def reff_sketch(key: jax.Array, n_nodes: int, edges: Any, cond: Any, mask: Any = None, k: int | None = None, *,
                eps: float = 0.5, pairs: Any = None, tol: float = 1e-10, maxiter: int = 1000) -> SketchResult:
    """Approximate effective resistances by the Spielman--Srivastava random projection [M].

    .. math:: Z = Q\\,W^{1/2} B\\,L^{+}, \\quad Q_{ij} = \\pm 1/\\sqrt k, \\qquad
              \\tilde R(u,v) = \\|Z(e_u - e_v)\\|_2^2

    Since :math:`R(u,v) = \\|W^{1/2}BL^{+}(e_u-e_v)\\|^2`, the Johnson--Lindenstrauss lemma gives
    :math:`(1-\\epsilon)R \\le \\tilde R \\le (1+\\epsilon)R` for all edges with high probability when
    :math:`k = \\lceil 24\\ln N/\\epsilon^2\\rceil` (Spielman & Srivastava, arXiv 0803.0929, Thm 2;
    spec ``ibn.md`` §4.2). Each of the ``k`` rows costs one grounded Jacobi-PCG solve (as in
    :func:`reff_pairs_pcg`); the rows are mapped sequentially (``lax.map``) to bound memory.

    Parameters
    ----------
    key : PRNG key
    n_nodes : int
        :math:`N` (static).
    edges : int array, shape (E, 2)
    cond : float64 array, shape (E,)
    mask : bool array, shape (E,), optional
    k : int, optional
        Projections; default :math:`\\lceil 24\\ln N/\\epsilon^2\\rceil`.
    eps : float
        Target relative accuracy used for the default ``k``.
    pairs : int array, shape (p, 2), optional
        Query pairs; default the edges themselves.
    tol, maxiter
        PCG settings.

    Returns
    -------
    SketchResult

    Complexity
    ----------
    :math:`O(k\\cdot\\text{iterations}\\cdot(N+E))` time, :math:`O(N + E + p)` memory per row.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> e = np.array([[0, 1], [1, 2], [2, 3], [3, 0]])
    >>> out = reff_sketch(jax.random.PRNGKey(0), 4, e, np.ones(4), eps=0.5)
    >>> bool(np.all(np.abs(np.asarray(out.values) / 0.75 - 1) < 0.5)), out.k
    (True, 134)
    """
    n, e, c = _edge_inputs("reff_sketch", n_nodes, edges, cond, mask)
    eps = V.check_scalar("eps", eps, positive=True, hi=1.0)
    if k is None:
        k = int(math.ceil(24.0 * math.log(max(n, 2)) / eps**2))
    k = V.check_int("k", k, lo=1)
    q = np.asarray(e) if pairs is None else V.as_index_array("pairs", np.asarray(pairs), n=n, shape=(None, 2))
    vals, res = _sketch_core(key, n, e, c, jnp.asarray(q), V.check_scalar("tol", tol, positive=True), k, None,
                             V.check_int("maxiter", maxiter, lo=1))
    return SketchResult(vals, k, res)


# ----------------------------------------------------------------------------------------------
# Forests: exact elimination in a leaf-first order


class TreeOrder(NamedTuple):
    """Elimination order of a forest (:func:`tree_elimination_order`).

    Attributes
    ----------
    order : int array, shape (N,)
        Nodes in breadth-first order from each component's root (roots first); eliminating in
        *reverse* order removes a leaf at every step.
    parent : int array, shape (N,)
        Parent of each node; a root is its own parent.
    parent_edge : int array, shape (N,)
        Index into ``edges`` of the edge to the parent; ``-1`` for roots.
    is_root : bool array, shape (N,)
    """

    order: np.ndarray
    parent: np.ndarray
    parent_edge: np.ndarray
    is_root: np.ndarray


def tree_elimination_order(n_nodes: int, edges: Any, cond: Any | None = None) -> TreeOrder:
    """Breadth-first elimination order of a forest, rooted at the node of largest weighted degree [M].

    Host-side preprocessing (scipy ``breadth_first_order``) for :func:`solve_laplacian_tree`.
    Raises :class:`~aligntheory.errors.InvalidInputError` if the edge list is not a forest (a
    repeated pair or a cycle); self-loops are ignored.

    Parameters
    ----------
    n_nodes : int
    edges : int array, shape (E, 2)
    cond : float array, shape (E,), optional
        Used only to pick roots (largest weighted degree per component).

    Returns
    -------
    TreeOrder

    Complexity
    ----------
    :math:`O(N + E)`.

    Examples
    --------
    >>> t = tree_elimination_order(3, [[0, 1], [1, 2]])
    >>> t.order.tolist(), t.parent.tolist()
    ([1, 0, 2], [1, 1, 1])
    """
    n = V.check_int("n_nodes", n_nodes, lo=1)
    e = V.as_index_array("edges", np.asarray(edges), n=n, shape=(None, 2))
    c = np.ones(len(e)) if cond is None else V.as_float_array("cond", cond, shape=(len(e),), nonnegative=True)
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
    # root = argmax degree per component (ties: smallest id)
    orderd = np.lexsort((np.arange(n), -deg))
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


@jax.jit
def _tree_solve_core(order, parent, pcond, is_root, b):
    """Gaussian elimination of leaves in reverse BFS order (subtree sums), then back substitution."""

    def fwd(s, v):
        p = parent[v]
        s = s.at[p].add(jnp.where(is_root[v], 0.0, s[v]))
        return s, None

    s, _ = lax.scan(fwd, b, order[::-1])

    def back(x, v):
        p = parent[v]
        xv = jnp.where(is_root[v], 0.0, x[p] + s[v] / jnp.where(is_root[v], 1.0, pcond[v]))
        return x.at[v].set(xv), None

    x, _ = lax.scan(back, jnp.zeros_like(b), order)
    return x


def solve_laplacian_tree(tree: TreeOrder, cond: Any, b: Any) -> jax.Array:
    """Solve :math:`Lx=b` exactly on a forest by elimination in a leaf-first order [M].

    On a tree the current through the edge from :math:`v` to its parent equals the sum of
    :math:`b` over the subtree of :math:`v` (Kirchhoff's current law), so

    .. math:: s_v = b_v + \\sum_{w\\,:\\,\\mathrm{parent}(w)=v} s_w, \\qquad
              x_v = x_{\\mathrm{parent}(v)} + s_v / c_{v,\\mathrm{parent}(v)}, \\quad x_{\\rm root} = 0 .

    This is Gaussian elimination of the (grounded) Laplacian in reverse breadth-first order,
    with no fill-in; no iteration, so chains of any length cost :math:`O(N)` (PCG needs
    :math:`\\Theta(N)` iterations there, spec §6). ``b`` must sum to zero on each tree; the
    solution is returned with :math:`x_{\\rm root}=0` per tree (add a constant per component for
    another normalisation). Two sequential ``lax.scan`` passes.

    Parameters
    ----------
    tree : TreeOrder
        From :func:`tree_elimination_order`.
    cond : float64 array, shape (E,)
        Conductances of the edges given to :func:`tree_elimination_order`.
    b : float64 array, shape (N,)

    Returns
    -------
    float64 array, shape (N,)

    Complexity
    ----------
    :math:`O(N)`.

    Examples
    --------
    Path 0-1-2 with conductances 1 and 2: :math:`R(0,2) = 1 + 1/2`.

    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> t = tree_elimination_order(3, [[0, 1], [1, 2]])
    >>> x = solve_laplacian_tree(t, np.array([1.0, 2.0]), np.array([1.0, 0.0, -1.0]))
    >>> float(x[0] - x[2])
    1.5
    """
    check_precision_all("solve_laplacian_tree", cond=cond, b=b)
    c = f64("cond", cond, ndim=1)
    bb = f64("b", b, ndim=1)
    n = len(tree.parent)
    if bb.shape[0] != n:
        raise InvalidInputError("b", f"must have shape ({n},)", received=f"shape {tuple(bb.shape)}")
    pe = np.asarray(tree.parent_edge)
    pcond = jnp.where(jnp.asarray(pe >= 0), c[jnp.asarray(np.maximum(pe, 0))], 1.0)
    return _tree_solve_core(jnp.asarray(tree.order), jnp.asarray(tree.parent), pcond, jnp.asarray(tree.is_root), bb)


# ----------------------------------------------------------------------------------------------
# Host-side dispatcher for the Bradley--Terry entry point


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
    * ``"pcg"`` -- Jacobi-preconditioned CG (numpy, CSR products) for well-connected graphs, where
      direct factorisations fill in; falls back to ``"splu"`` (recorded as ``"pcg->splu"``) if it
      does not reach the tolerance within ``pcg_maxiter``.

    This class is host-side numpy/scipy (not JAX): it is the fastest correct route on CPU for the
    fitting entry point. The solver used is recorded in :attr:`last_method`.

    Parameters
    ----------
    n_nodes : int
    edges : int array, shape (E, 2)
        Distinct undirected pairs without self-loops.
    method : {"auto", "dense", "tree", "splu", "pcg"}

    Examples
    --------
    >>> import numpy as np
    >>> S = LaplacianSolver(3, np.array([[0, 1], [1, 2]]))
    >>> x = S.solve(np.array([1.0, 1.0]), np.array([1.0, 0.0, -1.0]))
    >>> round(float(x[0] - x[2]), 12), S.last_method
    (2.0, 'dense')
    """

    def __init__(self, n_nodes: int, edges: np.ndarray, *, method: str = "auto", dense_max: int = 200,
                 sparse_max_degree: float = 6.0, pcg_maxiter: int = 500):
        self.n = n = int(n_nodes)
        self.edges = e = np.asarray(edges, dtype=np.int64)
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
        self.method = method
        self.last_method = method
        self.pcg_maxiter = pcg_maxiter
        self.last_iterations = 0
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
        csr.sort_indices()
        self._pos = csr.data.astype(np.int64) - 1
        self._csr = csr
        self._vals = np.empty(2 * E + n)

    def _ground(self, deg: np.ndarray) -> np.ndarray:
        """Node of largest weighted degree per component."""
        g = np.full(self.ncomp, -1)
        order = np.argsort(deg, kind="stable")
        g[self.labels[order]] = order  # last write wins = largest degree
        return g

    def matrix(self, cond: np.ndarray, extra_diag: np.ndarray | None = None) -> tuple[sp.csr_matrix, np.ndarray, bool]:
        """CSR of ``L + diag(extra)``, grounded (one node per component) when ``extra`` is absent or zero."""
        deg = np.bincount(self.u, cond, self.n) + np.bincount(self.v, cond, self.n)
        diag = deg.copy()
        grounded = extra_diag is None or not np.all(extra_diag > 0)
        if extra_diag is not None:
            diag += extra_diag
        if grounded:
            g = self._ground(deg)
            diag[g] += np.where(deg[g] > 0, deg[g], 1.0)
        E = len(cond)
        vals = self._vals
        np.negative(cond, out=vals[:E])
        vals[E:2 * E] = vals[:E]
        vals[2 * E:] = diag if self.perm is None else diag[self.perm]
        A = self._csr
        np.take(vals, self._pos, out=A.data)
        return A, diag, grounded

    def solve(self, cond: np.ndarray, b: np.ndarray, *, extra_diag: np.ndarray | None = None,
              rtol: float = 1e-12, x0: np.ndarray | None = None) -> np.ndarray:
        """Solve :math:`(L_c + \\mathrm{diag}(\\text{extra}))x = b`.

        Without a positive ``extra_diag`` the system is grounded: ``b`` must sum to zero on every
        component, and the solution is returned centred on every component.
        """
        A, diag, grounded = self.matrix(cond, extra_diag)
        m = self.method
        if m == "dense":
            from scipy.linalg import cho_factor, cho_solve

            x = cho_solve(cho_factor(A.toarray(), lower=True, check_finite=False), b, check_finite=False)
            self.last_iterations = 0
        elif m in ("tree", "splu"):
            bb = b if self.perm is None else b[self.perm]
            lu = spla.splu(A.tocsc(), permc_spec="NATURAL" if m == "tree" else "MMD_AT_PLUS_A",
                           diag_pivot_thresh=0.0, options={"SymmetricMode": True})
            y = lu.solve(bb)
            x = y if self.perm is None else y[self.inv]
            self.last_iterations = 0
        else:
            x, k, res = _pcg_numpy(A, 1.0 / A.diagonal(), b, x0, rtol,
                                   self.pcg_maxiter)
            self.last_iterations = k
            if not res <= rtol:
                lu = spla.splu(A.tocsc(), permc_spec="MMD_AT_PLUS_A")
                x = lu.solve(b)
                self.last_method = "pcg->splu"
                return self._centre(x, grounded)
        self.last_method = m
        return self._centre(x, grounded)

    def _centre(self, x: np.ndarray, grounded: bool) -> np.ndarray:
        if not grounded:
            return x
        if self.ncomp == 1:
            return x - x.mean()
        means = np.bincount(self.labels, x, self.ncomp) / np.bincount(self.labels, minlength=self.ncomp)
        return x - means[self.labels]


def solve_laplacian(n_nodes: int, edges: Any, cond: Any, b: Any, *, method: str = "auto",
                    extra_diag: Any = None, rtol: float = 1e-12) -> tuple[np.ndarray, str]:
    """Solve a weighted-Laplacian system on the host, choosing the solver by structure [M].

    .. math:: L_c x = b \\;(\\mathbf 1^\\top b = 0 \\text{ per component}), \\qquad
              \\text{or } (L_c + D)x = b \\text{ with } D \\succ 0 \\text{ diagonal}

    Host-side numpy/scipy (not a JAX kernel; see :class:`LaplacianSolver` for the dispatch rule
    and why). Parallel edges are merged (conductances add) and self-loops dropped first. Without
    ``extra_diag`` the solution is the centred one, :math:`x = L^{+}b` on a connected graph.
    Spec ``ibn.md`` §3.3.

    Parameters
    ----------
    n_nodes : int
    edges : int array, shape (E, 2)
    cond : float array, shape (E,)
    b : float array, shape (N,)
    method : {"auto", "dense", "tree", "splu", "pcg"}
    extra_diag : float array, shape (N,), optional
        Positive diagonal added to :math:`L` (a Gaussian prior).
    rtol : float
        Relative residual tolerance of ``"pcg"``.

    Returns
    -------
    (x, method_used)

    Complexity
    ----------
    ``dense`` :math:`O(N^3)`; ``tree`` :math:`O(N)`; ``splu`` depends on fill-in; ``pcg``
    :math:`O(\\text{iterations}\\cdot(N+E))`.

    Examples
    --------
    >>> import numpy as np
    >>> e = np.array([[0, 1], [1, 2], [2, 3]])
    >>> x, how = solve_laplacian(4, e, np.ones(3), np.array([1.0, 0.0, 0.0, -1.0]), method="tree")
    >>> round(float(x[0] - x[3]), 12), how
    (3.0, 'tree')
    """
    n = V.check_int("n_nodes", n_nodes, lo=1)
    e = V.as_index_array("edges", np.asarray(edges), n=n, shape=(None, 2))
    c = V.as_float_array("cond", cond, shape=(len(e),), nonnegative=True)
    bb = V.as_float_array("b", b, shape=(n,))
    keep = (e[:, 0] != e[:, 1]) & (c > 0)
    e, c = e[keep], c[keep]
    lo, hi = np.minimum(e[:, 0], e[:, 1]), np.maximum(e[:, 0], e[:, 1])
    keys, inv = np.unique(lo * n + hi, return_inverse=True)
    cm = np.bincount(inv, c, len(keys))
    em = np.stack([keys // n, keys % n], 1)
    S = LaplacianSolver(n, em, method=method)
    d = None if extra_diag is None else V.as_float_array("extra_diag", extra_diag, shape=(n,), positive=True)
    if d is None:
        sums = np.bincount(S.labels, bb, S.ncomp)
        if np.any(np.abs(sums) > 1e-9 * max(1.0, float(np.abs(bb).sum()))):
            raise InvalidInputError("b", "must sum to zero on every connected component (L is singular)",
                                    received=f"component sums up to {float(np.abs(sums).max()):.3g}")
    x = S.solve(cm, bb, extra_diag=d, rtol=V.check_scalar("rtol", rtol, positive=True))
    return x, S.last_method


"""JAX Laplacian solvers of the IBN pillar (spec ``ibn.md`` §3.3, §4.2, §6).

Pure, ``jit``-able, float64: :func:`reff_pairs_pcg` (Jacobi-preconditioned conjugate gradients on the
grounded Laplacian, all right-hand sides as one block), :func:`reff_sketch` (Spielman--Srivastava
random projection) and :func:`solve_laplacian_tree` (exact elimination on a forest in a precomputed
leaf-first order, :func:`aligntheory.numerics.tree_elimination_order`). The host-side dispatcher
:func:`aligntheory.numerics.solve_laplacian` and :class:`aligntheory.numerics.LaplacianSolver` live in
:mod:`aligntheory.numerics` (numpy/scipy) and are re-exported here.

All solvers work on the *grounded* system: adding :math:`d_g e_g e_g^\\top` to :math:`L` at one node
:math:`g` per connected component makes it positive definite, and for a right-hand side that sums
to zero on each component the solution satisfies :math:`x_g=0` and :math:`Lx=b` exactly.
Conductances are keyword-only (``conductances=``), validated (finite, non-negative; positive on tree
edges) and divided by their largest value before the solve, the result scaled back: uniform scales
anywhere in :math:`10^{-300}\\ldots10^{300}` give the same relative accuracy.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from aligntheory import _validate as V
from aligntheory.errors import ConvergenceError, InvalidInputError
from aligntheory.kernels._common import check_precision_all, ints, require_x64
from aligntheory.kernels.ibn import _checks as C
from aligntheory.numerics.laplacian import (LaplacianSolution, LaplacianSolver, TreeOrder, solve_laplacian,
                                            tree_elimination_order)
from aligntheory.results import RESULTS, provenance, raise_or_flag

__all__ = [
    "reff_pairs_pcg",
    "PCGResult",
    "reff_sketch",
    "SketchResult",
    "solve_laplacian_tree",
    # host-side numerics, re-exported from aligntheory.numerics
    "tree_elimination_order",
    "TreeOrder",
    "solve_laplacian",
    "LaplacianSolver",
    "LaplacianSolution",
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


@provenance("M", where="result of reff_pairs_pcg")
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
    result : RESULTS or None
        ``successful`` when every right-hand side reached ``tol`` (true residual), else
        ``max_steps_reached`` or ``inaccurate`` (the recursive residual met ``tol`` but the true
        one does not: rounding on ill-conditioned systems such as long paths). ``None`` under
        ``jit``/``vmap``, where the status cannot be decided on the host: read ``residual``.

    Examples
    --------
    >>> PCGResult._fields
    ('values', 'iterations', 'residual', 'ground', 'result')
    """

    values: jax.Array
    iterations: jax.Array
    residual: jax.Array
    ground: jax.Array
    result: RESULTS = RESULTS.successful


def _edge_inputs(where, n_nodes, edges, legacy, conductances, mask, max_nodes, names=("conductances", "mask")):
    got = C.resolve_conductances(where, legacy[:2], conductances, mask)
    cond, mask = got
    check_precision_all(where, conductances=cond)
    n = C.n_nodes_arg(n_nodes, max_nodes)
    e = C.edges_arg(edges, n)
    c = C.real_arg("conductances", cond, shape=(e.shape[0],), nonnegative=True)
    m = C.mask_arg(mask, c.shape)
    if m is not None:
        c = jnp.where(m, c, 0.0)
    s = jnp.max(c, initial=0.0)
    s = jnp.where(s > 0, s, 1.0)  # scale invariance: R(s c) = R(c) / s
    return n, e, c / s, s


@provenance("M", source="spielman2008sparsification", where="grounded Laplacian solves by PCG (spec ibn.md §3.3)")
def reff_pairs_pcg(n_nodes: int, edges: Any, *legacy: Any, conductances: Any = None, mask: Any = None,
                   pairs: Any = None, ground: int | None = None, tol: float = 1e-10, maxiter: int = 1000,
                   throw: bool = True, max_nodes: int = C.SPARSE_MAX_NODES,
                   max_entries: int = C.DEFAULT_MAX_ENTRIES) -> PCGResult:
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
    conductances : float64 array, shape (E,)
        Conductances :math:`c_e = 1/\\sigma_e^2` (keyword only; finite, >= 0).
    mask : bool array, shape (E,), optional
        ``False`` marks a padded edge (conductance 0).
    pairs : int array, shape (k, 2)
    ground : int, optional
        Grounded node, in ``[0, n_nodes - 1]``; default the node of largest weighted degree.
    tol : float, default 1e-10
        Relative residual tolerance.
    maxiter : int, default 1000
        Iterations at most (static).
    throw : bool, default True
        Raise :class:`~aligntheory.errors.ConvergenceError` when some right-hand side did not reach
        ``tol``; with ``False`` return the iterate, its residuals and ``result``.
    max_nodes : int, default 10_000_000
        Size cap on ``n_nodes``, checked before any allocation (``SPARSE_MAX_NODES``).
    max_entries : int, default 2**28
        Size cap on :math:`N k` (the block of right-hand sides; ``DEFAULT_MAX_ENTRIES``), checked before
        any allocation.

    Returns
    -------
    PCGResult
        ``values``, ``iterations``, ``residual``, ``ground``, ``result``.

    Raises
    ------
    InvalidInputError
        Ids out of range, NaN/inf/negative conductances, missing ``pairs``.
    ConvergenceError
        ``throw=True`` and some right-hand side did not converge.
    SizeCapError, PrecisionError
        Size caps; float32 input or x64 off.

    Notes
    -----
    :math:`O(k \\cdot \\text{iterations} \\cdot (N+E))`.

    Examples
    --------
    A 4-cycle with unit conductances: :math:`R(0,2) = 2\\cdot2/4 = 1`, :math:`R(0,1) = 3/4`.

    >>> from aligntheory.config import configure; configure()
    >>> import numpy as np
    >>> e = np.array([[0, 1], [1, 2], [2, 3], [3, 0]])
    >>> out = reff_pairs_pcg(4, e, conductances=np.ones(4), pairs=np.array([[0, 2], [0, 1]]))
    >>> np.round(np.asarray(out.values), 12).tolist()
    [1.0, 0.75]
    """
    n, e, c, scale = _edge_inputs("reff_pairs_pcg", n_nodes, edges, legacy, conductances, mask, max_nodes)
    if pairs is None:
        raise InvalidInputError("pairs", "must be an integer array of shape (k, 2)", received=None)
    if isinstance(pairs, jax.core.Tracer):  # under jit/vmap: shapes are checked, id ranges are not
        p = ints("pairs", pairs, shape_tail=(2,))
    else:
        p = V.as_index_array("pairs", V.as_real_array("pairs", pairs), n=n, shape=(None, 2))
    V.check_size("pairs", n * max(len(p), 1), cap=max_entries, unit="block entries (N k)")
    tol = V.check_scalar("tol", tol, positive=True)
    maxiter = V.check_int("maxiter", maxiter, lo=1)
    if ground is not None:
        ground = V.check_int("ground", ground, lo=0, hi=n - 1)
    vals, its, res, g = _reff_pcg_core(n, e, c, jnp.asarray(p), jnp.asarray(0 if ground is None else ground),
                                       ground is not None, tol, maxiter)
    vals = vals / scale
    result = None  # traced: the status is not decided on the host (PCGResult.result)
    if C.concrete(res):
        worst = float(jnp.max(res)) if res.size else 0.0
        result = (RESULTS.successful if worst <= tol else
                  RESULTS.max_steps_reached if int(jnp.max(its)) >= maxiter else
                  RESULTS.inaccurate)  # the recursive residual met tol, the true residual does not
        raise_or_flag(result, throw=throw, error=lambda: ConvergenceError(
            f"reff_pairs_pcg: relative residual {worst:.3e} > tol {tol:.1e} after {int(jnp.max(its))} iterations "
            f"(maxiter={maxiter})", iterations=int(jnp.max(its)), residual=worst, last_iterate=vals, result=result))
    return PCGResult(vals, its, res, g, result)


# ----------------------------------------------------------------------------------------------
# JAX: Spielman--Srivastava sketch


@provenance("M", where="result of reff_sketch")
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

    Examples
    --------
    >>> SketchResult._fields
    ('values', 'k', 'max_residual')
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


@provenance("M", source="spielman2008sparsification", where="Thm 2 (random projection of W^1/2 B L+)")
def reff_sketch(key: jax.Array, n_nodes: int, edges: Any, *legacy: Any, conductances: Any = None, mask: Any = None,
                k: int | None = None, eps: float = 0.5, pairs: Any = None, tol: float = 1e-10,
                maxiter: int = 1000, max_nodes: int = C.SPARSE_MAX_NODES,
                max_entries: int = C.DEFAULT_MAX_ENTRIES) -> SketchResult:
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
    conductances : float64 array, shape (E,)
        Keyword only; finite, >= 0.
    mask : bool array, shape (E,), optional
    k : int, optional
        Projections; default :math:`\\lceil 24\\ln N/\\epsilon^2\\rceil`.
    eps : float, default 0.5
        Target relative accuracy used for the default ``k``, in (0, 1].
    pairs : int array, shape (p, 2), optional
        Query pairs; default the edges themselves.
    tol : float, default 1e-10
        Relative residual tolerance of each PCG solve (no error when missed: read ``max_residual``).
    maxiter : int, default 1000
        PCG iterations at most per solve (static).
    max_nodes : int, default 10_000_000
        Size cap on ``n_nodes``, checked before any allocation (``SPARSE_MAX_NODES``).
    max_entries : int, default 2**28
        Size cap on :math:`k E` (the random signs; ``DEFAULT_MAX_ENTRIES``), checked before any allocation.

    Returns
    -------
    SketchResult

    Raises
    ------
    InvalidInputError
        Ids out of range, NaN/inf/negative conductances, ``eps`` outside (0, 1].
    SizeCapError, PrecisionError
        Size caps; float32 input or x64 off.

    Notes
    -----
    :math:`O(k\\cdot\\text{iterations}\\cdot(N+E))` time, :math:`O(N + E + p)` memory per row.

    Examples
    --------
    >>> from aligntheory.config import configure; configure()
    >>> import jax, numpy as np
    >>> e = np.array([[0, 1], [1, 2], [2, 3], [3, 0]])
    >>> out = reff_sketch(jax.random.PRNGKey(0), 4, e, conductances=np.ones(4), eps=0.5)
    >>> bool(np.all(np.abs(np.asarray(out.values) / 0.75 - 1) < 0.5)), out.k
    (True, 134)
    """
    if len(legacy) == 3:  # old positional (cond, mask, k)
        if k is not None:
            raise InvalidInputError("k", "given twice (positionally and by keyword)")
        k = legacy[2]
    n, e, c, scale = _edge_inputs("reff_sketch", n_nodes, edges, legacy, conductances, mask, max_nodes)
    eps = V.check_scalar("eps", eps, positive=True, hi=1.0)
    if k is None:
        k = int(math.ceil(24.0 * math.log(max(n, 2)) / eps**2))
    k = V.check_int("k", k, lo=1)
    V.check_size("k", k * max(int(e.shape[0]), 1), cap=max_entries, unit="random signs (k E)")
    q = np.asarray(e) if pairs is None else V.as_index_array("pairs", V.as_real_array("pairs", pairs), n=n,
                                                             shape=(None, 2))
    vals, res = _sketch_core(key, n, e, c, jnp.asarray(q), V.check_scalar("tol", tol, positive=True), k, None,
                             V.check_int("maxiter", maxiter, lo=1))
    return SketchResult(vals / scale, k, res)


# ----------------------------------------------------------------------------------------------
# Forests: exact elimination in a leaf-first order


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


@provenance("M", where="Gaussian elimination of a forest Laplacian in leaf-first order")
def solve_laplacian_tree(tree: TreeOrder, b: Any, *legacy: Any, conductances: Any = None) -> jax.Array:
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
    b : float64 array, shape (N,)
        Finite; must sum to zero on each tree (not checked).
    conductances : float64 array, shape (E,)
        Conductances of the edges given to :func:`tree_elimination_order` (keyword only; finite,
        > 0 on every tree edge: a zero or negative conductance would divide by zero or flip a sign).
        The older order ``solve_laplacian_tree(tree, conductances, b)`` is still accepted.

    Returns
    -------
    float64 array, shape (N,)

    Raises
    ------
    InvalidInputError
        NaN/inf/non-positive conductances on tree edges, non-finite ``b``, shape mismatch.
    PrecisionError
        float32 input or x64 off.

    Notes
    -----
    :math:`O(N)`.

    Examples
    --------
    Path 0-1-2 with conductances 1 and 2: :math:`R(0,2) = 1 + 1/2`.

    >>> from aligntheory.config import configure; configure()
    >>> import numpy as np
    >>> t = tree_elimination_order(3, [[0, 1], [1, 2]])
    >>> x = solve_laplacian_tree(t, np.array([1.0, 0.0, -1.0]), conductances=np.array([1.0, 2.0]))
    >>> float(x[0] - x[2])
    1.5
    """
    if legacy:  # old order (tree, cond, b)
        if len(legacy) != 1 or conductances is not None:
            raise TypeError("solve_laplacian_tree(tree, b, *, conductances=...) takes b and conductances= only")
        import warnings

        warnings.warn("solve_laplacian_tree(tree, cond, b) is deprecated; use solve_laplacian_tree(tree, b, "
                      "conductances=cond)", DeprecationWarning, stacklevel=2)
        conductances, b = b, legacy[0]
    if conductances is None:
        raise InvalidInputError("conductances", "is required (keyword argument)")
    require_x64("solve_laplacian_tree")
    check_precision_all("solve_laplacian_tree", conductances=conductances, b=b)
    n = len(tree.parent)
    pe = np.asarray(tree.parent_edge)
    n_edges = int(pe.max()) + 1 if len(pe) and pe.max() >= 0 else 0
    c = C.real_arg("conductances", conductances, ndim=1)
    if c.shape[0] < n_edges:
        raise InvalidInputError("conductances", f"must have one entry per edge of the tree (>= {n_edges})",
                                received=f"shape {tuple(c.shape)}")
    bb = C.real_arg("b", b, shape=(n,))
    pidx = jnp.asarray(np.maximum(pe, 0))
    pcond = jnp.where(jnp.asarray(pe >= 0), c[pidx], 1.0)
    if C.concrete(pcond) and not bool(jnp.all(pcond > 0)):
        raise InvalidInputError("conductances", "must be > 0 on every tree edge",
                                received=f"min {float(jnp.min(pcond))}")
    s = jnp.max(pcond, initial=0.0)
    s = jnp.where(s > 0, s, 1.0)
    bs = jnp.max(jnp.abs(bb), initial=0.0)
    bs = jnp.where(bs > 0, bs, 1.0)
    x = _tree_solve_core(jnp.asarray(tree.order), jnp.asarray(tree.parent), pcond / s, jnp.asarray(tree.is_root),
                         bb / bs)
    return x * (bs / s)

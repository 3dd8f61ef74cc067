"""Effective-resistance queries on large sparse graphs: AMG-preconditioned CG or sparse LU, chosen by size.

.. math:: R_{uv} = (e_u - e_v)^\\top L^{+} (e_u - e_v) = b^\\top x, \\qquad \\tilde L x = b

where :math:`\\tilde L` is the Laplacian grounded at one node per connected component (its row and
column removed: positive definite, and for :math:`b` summing to zero on the component the grounded
solution differs from :math:`L^+b` by a constant on the component, which :math:`b^\\top x` does not
see). One factorisation (LU) or one multigrid hierarchy (AMG) serves every right-hand side.

Solver choice (``method="auto"``), as :class:`~aligntheory.numerics.LaplacianSolver` chooses by
structure: below ``amg_min_nodes`` (default 20,000) a sparse LU with minimum-degree ordering
(exact to working precision, but the fill-in of an expander grows superlinearly: ~4.5x per doubling
on the IBN universes of issue 16, 11.5 M factor nonzeros at 56 k nodes); above it, conjugate
gradients preconditioned by one V-cycle of a classical (Ruge-Stueben) algebraic-multigrid
hierarchy (pyamg), run on up to ``BLOCK`` right-hand sides at once: every sparse product of the
cycle passes over a level's matrix once for the whole block (damped-Jacobi smoothing, one sweep
before and after, weight :math:`\\tfrac43/g` with :math:`g` the Gershgorin bound of
:math:`\\lambda_{\\max}(D^{-1}A)` on that level, so the cycle is a fixed symmetric positive
definite operator), and each column keeps its own CG scalars and stops at its own relative
residual ``rtol`` (default ``1e-10``). The energy-norm error of CG bounds the resistance error:
:math:`|b^\\top x_k - b^\\top x| = \\|x-x_k\\|_{\\tilde L}^2 = r_k^\\top \\tilde L^{-1} r_k
\\le \\mathrm{rtol}^2\\,\\|b\\|^2/\\lambda_{\\min}(\\tilde L)`; measured against the LU the resistances
agree to ~1e-12 relative at ``rtol = 1e-10`` (``tests/numerics/test_amg.py`` fixes 1e-8). On the
264,072-node chain IBN of issue 16 (n = 2^18 comparisons, 16 pairs) the block cycle costs 1.9 s of
setup and 10.9 s of CG in CPU time (19 iterations), against 1.5 s + 16 x 2.2 s (36 s) solving the
pairs one by one with pyamg's own cycle: its Gauss-Seidel smoother needs fewer iterations (11),
but it reads every level, dense coarse ones included, once per pair (``benchmarks/ibn_solver.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
import scipy.sparse.linalg as spla

from aligntheory import _optional
from aligntheory import _validate as V
from aligntheory.errors import ConvergenceError, DisconnectedGraphError, InvalidInputError, PrecisionError
from aligntheory.results import RESULTS, provenance, raise_or_flag

__all__ = ["ResistanceQueries", "effective_resistance_pairs"]

AMG_MIN_NODES = 20_000
"""Default size from which ``method="auto"`` uses AMG-preconditioned CG instead of the sparse LU."""

BLOCK = 32
"""Right-hand sides solved together (one block of simultaneous CG; bounds the memory to ~10 vectors of this width)."""


def _rs_levels(A: sp.csr_matrix):
    """Classical (Ruge-Stueben) hierarchy of ``A`` (pyamg) with a damped-Jacobi weight per level and the coarse LU.

    The weight is ``(4/3) / g`` with ``g = max_i sum_j |a_ij| / a_ii`` (Gershgorin: ``g >= lambda_max(D^-1 A)``),
    so ``omega * lambda_max <= 4/3 < 2``: the smoother contracts in the energy norm on every level and the
    V-cycle below is a fixed symmetric positive definite operator (plain CG applies).
    """
    pyamg = _optional.require("pyamg")
    # classical (Ruge-Stueben) AMG: a grounded Laplacian is an M-matrix, its natural setting; on the
    # IBN universes it needed 11-15 CG iterations against 22-40 for smoothed aggregation
    ml = pyamg.ruge_stuben_solver(A, max_coarse=300, coarse_solver="splu")
    levels = []
    for lev in ml.levels[:-1]:
        Al = lev.A.tocsr()
        d = Al.diagonal()
        g = float(np.max(np.asarray(abs(Al).sum(axis=1)).ravel() / d))
        levels.append((Al, lev.P.tocsr(), lev.R.tocsr(), (4.0 / 3.0) / g / d))
    coarse = spla.splu(ml.levels[-1].A.tocsc(), permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0,
                       options={"SymmetricMode": True})
    return levels, coarse


def _vcycle(levels, coarse, Bl: np.ndarray, lev: int = 0) -> np.ndarray:
    """One V-cycle on a block of right-hand sides: one damped-Jacobi sweep before and after, exact coarsest solve."""
    if lev == len(levels):
        return coarse.solve(Bl)
    A, P, R, wd = levels[lev]
    X = wd[:, None] * Bl  # pre-smoothing from zero
    X += P @ _vcycle(levels, coarse, R @ (Bl - A @ X), lev + 1)
    X += wd[:, None] * (Bl - A @ X)  # post-smoothing (the adjoint of the pre-smoother: symmetric cycle)
    return X


def _amg_block_solve(A: sp.csr_matrix, Bm: sp.csc_matrix, rtol: float, maxiter: int):
    """Simultaneous V-cycle-preconditioned CG on the columns of ``Bm``, ``BLOCK`` columns at a time.

    Every matrix product serves a whole block (one pass over each level's matrix for ``BLOCK`` vectors);
    each column has its own CG scalars and stops when its relative residual reaches ``rtol``. Returns
    the solutions, the largest iteration count and the largest relative residual, recomputed as
    ``||b - A x|| / ||b||`` after the iteration (not the recurrence's).
    """
    levels, coarse = _rs_levels(A)
    k = Bm.shape[1]
    X = np.empty((A.shape[0], k))
    iters, res = 0, 0.0
    for j0 in range(0, k, BLOCK):
        B = Bm[:, j0:j0 + BLOCK].toarray()
        bn = np.linalg.norm(B, axis=0)
        x = np.zeros_like(B)
        r = B.copy()
        z = _vcycle(levels, coarse, r)
        p = z.copy()
        rz = np.einsum("ik,ik->k", r, z)
        active = np.ones(B.shape[1], bool)
        it = 0
        while active.any() and it < maxiter:
            it += 1
            q = A @ p
            pq = np.einsum("ik,ik->k", p, q)
            alpha = np.where(active & (pq > 0), rz / np.where(pq > 0, pq, 1.0), 0.0)
            x += alpha * p
            r -= alpha * q
            active &= np.linalg.norm(r, axis=0) > rtol * bn
            if not active.any():
                break
            z = _vcycle(levels, coarse, r)
            rz_new = np.einsum("ik,ik->k", r, z)
            beta = np.where(active, rz_new / np.where(rz != 0, rz, 1.0), 0.0)
            rz = rz_new
            p = z + beta * p
        X[:, j0:j0 + BLOCK] = x
        iters = max(iters, it)
        res = max(res, float(np.max(np.linalg.norm(B - A @ x, axis=0) / bn)))
    return X, iters, res


@provenance("M", source="hendrickx2019graph", where="R_uv = (e_u-e_v)^T L^+ (e_u-e_v) (spec ibn.md §2.6, §3.3)")
@dataclass(frozen=True)
class ResistanceQueries:
    """Result of :func:`effective_resistance_pairs`.

    Attributes
    ----------
    values : ndarray of float64, shape (k,)
        Effective resistances of the queried pairs (``0`` for ``u == v``).
    method : str
        The back end actually used: ``"splu"`` or ``"amg"``.
    iterations : int
        Largest number of CG iterations over the right-hand sides (``0`` for the LU).
    residual : float
        Largest relative residual :math:`\\|b-\\tilde Lx\\|/\\|b\\|` over the right-hand sides.
    result : RESULTS
        ``successful``, ``max_steps_reached`` (CG did not reach ``rtol``) or ``inaccurate``.

    Examples
    --------
    >>> r = effective_resistance_pairs(3, [[0, 1], [1, 2]], [[0, 2]], conductances=[1.0, 1.0])
    >>> r.values.tolist(), r.method, r.converged
    ([2.0], 'splu', True)
    """

    values: np.ndarray
    method: str
    iterations: int
    residual: float
    result: RESULTS

    @property
    def converged(self) -> bool:
        """``result.succeeded``."""
        return self.result.succeeded


def _weights(n_edges: int, conductances: Any, variances: Any) -> np.ndarray:
    if (conductances is None) == (variances is None):
        raise InvalidInputError("conductances", "pass exactly one of conductances= or variances=",
                                received="both" if conductances is not None else "neither")
    if conductances is not None:
        return V.as_float_array("conductances", conductances, shape=(n_edges,), nonnegative=True)
    var = V.as_float_array("variances", variances, shape=(n_edges,), positive=True)
    with np.errstate(over="ignore", divide="ignore"):
        c = 1.0 / var
    return c


@provenance("M", source="hendrickx2019graph", where="effective resistance by grounded Laplacian solves (spec ibn.md §3.3)")
def effective_resistance_pairs(n_nodes: int, edges: Any, pairs: Any, *, conductances: Any = None,
                               variances: Any = None, method: Literal["auto", "amg", "splu"] = "auto",
                               rtol: float = 1e-10, maxiter: int = 500, amg_min_nodes: int = AMG_MIN_NODES,
                               throw: bool = True, max_nodes: int = 50_000_000) -> ResistanceQueries:
    """Effective resistances of node pairs on a sparse weighted graph, by AMG-PCG or sparse LU [M].

    .. math:: R_{uv} = (e_u-e_v)^\\top L_c^{+}(e_u-e_v)

    the inference distance of spec ``ibn.md`` §2.6 when the conductances are inverse variances.
    Each connected component is grounded at its node of largest weighted degree; one sparse LU
    (``"splu"``) or one classical (Ruge-Stueben) multigrid hierarchy (``"amg"``, pyamg, the
    ``solvers`` extra; conjugate gradients on blocks of ``BLOCK`` pairs at once) serves all pairs. ``"auto"`` picks the LU below ``amg_min_nodes`` nodes and
    AMG above (module docstring). Conductances are divided by their largest value before the
    solve and the resistances by the same factor after.

    Parameters
    ----------
    n_nodes : int
        :math:`N \\ge 1`.
    edges : int array, shape (n_edges, 2)
    pairs : int array, shape (k, 2)
        Queried node pairs, each within one connected component.
    conductances, variances : float array, shape (n_edges,)
        Exactly one, keyword only: conductances :math:`\\ge 0` (0 drops the edge) or variances
        :math:`> 0` (:math:`c = 1/\\sigma^2`). Parallel edges add; self-loops contribute nothing.
    method : {"auto", "amg", "splu"}
    rtol : float, default 1e-10
        Relative residual at which CG stops (AMG only), in :math:`(0, 10^{-4}]`.
    maxiter : int, default 500
        CG iteration cap, >= 1 (AMG only; each block of right-hand sides iterates until all its columns reach ``rtol``).
    amg_min_nodes : int, default 20_000
        Size from which ``"auto"`` uses AMG, >= 1 (``AMG_MIN_NODES``).
    throw : bool, default True
        ``True``: a solve that misses ``rtol`` raises :class:`~aligntheory.errors.ConvergenceError`;
        ``False``: it is returned with ``result`` flagged.
    max_nodes : int, default 50_000_000
        Size cap on ``n_nodes`` (checked before any allocation).

    Returns
    -------
    ResistanceQueries

    Raises
    ------
    InvalidInputError
        Bad ids or weights, both or neither of ``conductances``/``variances``, bad ``rtol``.
    DisconnectedGraphError
        A queried pair spans two connected components (infinite resistance).
    SizeCapError
        ``n_nodes > max_nodes``.
    MissingDependencyError
        ``method="amg"`` (or ``"auto"`` above ``amg_min_nodes``) without pyamg (extra ``solvers``).
    ConvergenceError
        CG missed ``rtol`` within ``maxiter`` iterations (``throw=True``).
    PrecisionError
        The LU solve is inaccurate (relative residual above ``1e-8``) with ``throw=True``; or the
        conductances span more than float64's range (largest/smallest above ~1e308).

    Notes
    -----
    AMG: setup :math:`O(N + E)` (times the operator complexity, 8 on the chain IBN at 2^18), each CG
    iteration one V-cycle and one product for a block of up to ``BLOCK`` pairs, iterations nearly
    independent of :math:`N` (15-20 with the Jacobi-smoothed block cycle on the IBN universes of
    issue 16 at 2^14-2^18 comparisons); the block amortises each pass over the matrices over its
    columns. Sparse LU: fill-in dependent, superlinear on expanders. Memory: about ten dense
    ``(N, min(k, BLOCK))`` arrays.

    Examples
    --------
    >>> e = [[0, 1], [1, 2], [2, 0], [2, 3]]
    >>> r = effective_resistance_pairs(4, e, [[0, 1], [0, 3]], variances=[1.0, 1.0, 1.0, 2.0], method="amg")
    >>> [round(float(x), 10) for x in r.values], r.method
    ([0.6666666667, 2.6666666667], 'amg')
    """
    n = V.check_int("n_nodes", n_nodes, lo=1)
    V.check_size("n_nodes", n, cap=max_nodes, unit="nodes")
    e = V.as_index_array("edges", V.as_real_array("edges", edges), n=n, shape=(None, 2))
    p = V.as_index_array("pairs", V.as_real_array("pairs", pairs), n=n, shape=(None, 2))
    c = _weights(len(e), conductances, variances)
    V.check_choice("method", method, ("auto", "amg", "splu"))
    rtol = V.check_scalar("rtol", rtol, positive=True)
    if rtol > 1e-4:
        raise InvalidInputError("rtol", "must be <= 1e-4", received=rtol)
    maxiter = V.check_int("maxiter", maxiter, lo=1)
    amg_min_nodes = V.check_int("amg_min_nodes", amg_min_nodes, lo=1)
    if not np.all(np.isfinite(c)):
        raise PrecisionError("effective_resistance_pairs: a conductance overflows float64 (variance below ~1e-308)")
    live = (c > 0) & (e[:, 0] != e[:, 1])
    e, c = e[live], c[live]
    out = np.zeros(len(p))
    if method == "auto":
        method = "amg" if n >= amg_min_nodes else "splu"
    q = np.flatnonzero(p[:, 0] != p[:, 1])
    if len(q) == 0:
        return ResistanceQueries(out, method, 0, 0.0, RESULTS.successful)
    ncomp, lab = csgraph.connected_components(sp.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n)),
                                              directed=False)
    cross = lab[p[q, 0]] != lab[p[q, 1]]
    if cross.any():
        u, w = (int(x) for x in p[q[np.argmax(cross)]])
        raise DisconnectedGraphError(f"effective_resistance_pairs: nodes {u} and {w} lie in different connected "
                                     "components: their effective resistance is infinite", nodes=(u, w))
    s = float(c.max())
    cs = c / s
    if cs.min() < np.finfo(np.float64).tiny:
        # an edge whose scaled conductance underflows would silently vanish (a wrong, possibly singular, system)
        raise PrecisionError("effective_resistance_pairs: the conductances span more than float64's range "
                             f"(largest/smallest = {s:.3g}/{float(c.min()):.3g} > 1e308); rescale or drop the weakest edges")
    deg = np.bincount(e[:, 0], cs, n) + np.bincount(e[:, 1], cs, n)
    ground = np.full(ncomp, -1)
    order = np.argsort(deg, kind="stable")
    ground[lab[order]] = order  # last write wins: the largest degree of each component
    keep = np.ones(n, bool)
    keep[ground] = False
    pos = np.cumsum(keep) - 1
    L = sp.coo_matrix((np.concatenate([-cs, -cs]), (np.concatenate([e[:, 0], e[:, 1]]),
                                                    np.concatenate([e[:, 1], e[:, 0]]))), shape=(n, n)).tocsr()
    L = (L + sp.diags(deg)).tocsr()
    idx = np.flatnonzero(keep)
    A = L[idx][:, idx].tocsr()
    k = len(q)
    rows, cols, vals = [], [], []
    for side, sign in ((0, 1.0), (1, -1.0)):
        nodes = p[q, side]
        ok = keep[nodes]
        rows.append(pos[nodes[ok]])
        cols.append(np.flatnonzero(ok))
        vals.append(np.full(int(ok.sum()), sign))
    Bm = sp.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                       shape=(len(idx), k)).tocsc()
    if method == "splu":
        lu = spla.splu(A.tocsc(), permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0, options={"SymmetricMode": True})
        X = np.empty((A.shape[0], k))
        res = 0.0
        for j0 in range(0, k, BLOCK):
            b = Bm[:, j0:j0 + BLOCK].toarray()
            X[:, j0:j0 + BLOCK] = x = lu.solve(b)
            res = max(res, float(np.max(np.linalg.norm(b - A @ x, axis=0) / np.linalg.norm(b, axis=0))))
        iters = 0
        result = RESULTS.successful if res <= 1e-8 else RESULTS.inaccurate
        if throw and result is RESULTS.inaccurate:
            raise PrecisionError(f"effective_resistance_pairs (splu): relative residual {res:.3g} above 1e-8")
    else:
        X, iters, res = _amg_block_solve(A, Bm, rtol, maxiter)
        result = RESULTS.successful if res <= 10 * rtol else RESULTS.max_steps_reached
        if result is not RESULTS.successful:
            raise_or_flag(result, throw=throw, error=lambda: ConvergenceError(
                f"effective_resistance_pairs (amg): CG reached relative residual {res:.3g} > rtol {rtol:.3g} in "
                f"{maxiter} iterations", iterations=iters, residual=res, result=result))
    with np.errstate(over="ignore"):
        vals_out = np.asarray(Bm.multiply(X).sum(axis=0)).ravel() / s
    if not np.all(np.isfinite(vals_out)):
        raise PrecisionError("effective_resistance_pairs: the resistances overflow float64")
    out[q] = vals_out
    return ResistanceQueries(out, method, int(iters), float(res), result)

"""Effective-resistance queries on large sparse graphs: AMG-preconditioned CG or sparse LU, chosen by size.

.. math:: R_{uv} = (e_u - e_v)^\\top L^{+} (e_u - e_v) = b^\\top x, \\qquad \\tilde L x = b

where :math:`\\tilde L` is the Laplacian grounded at one node per connected component (its row and
column removed: positive definite, and for :math:`b` summing to zero on the component the grounded
solution differs from :math:`L^+b` by a constant on the component, which :math:`b^\\top x` does not
see). One factorisation (LU) or one multigrid hierarchy (AMG) serves every right-hand side.

Solver choice (``method="auto"``), as :class:`~aligntheory.numerics.LaplacianSolver` chooses by
structure: below ``amg_min_nodes`` (default 20,000) a sparse LU with minimum-degree ordering
(exact to working precision, but the fill-in of an expander grows superlinearly: ~4.5x per doubling
on the IBN universes of issue 16); above it, classical (Ruge-Stueben) algebraic multigrid (pyamg) as a
preconditioner of conjugate gradients, to a relative residual ``rtol`` (default ``1e-10``) per
right-hand side. The energy-norm error of CG bounds the resistance error:
:math:`|b^\\top x_k - b^\\top x| = \\|x-x_k\\|_{\\tilde L}^2 \\le \\kappa\\,\\mathrm{rtol}^2\\,R`, so
``rtol = 1e-10`` gives resistances to about :math:`10^{-12}` relative even at condition
:math:`10^{8}` (measured against the LU: ``tests/numerics/test_amg.py``).
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
    ``solvers`` extra) serves all pairs. ``"auto"`` picks the LU below ``amg_min_nodes`` nodes and
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
    rtol : float
        Relative residual at which CG stops (AMG only), in :math:`(0, 10^{-4}]`.
    maxiter : int
        CG iteration cap per right-hand side (AMG only).
    amg_min_nodes : int
        Size from which ``"auto"`` uses AMG.
    throw : bool
        ``True``: a solve that misses ``rtol`` raises :class:`~aligntheory.errors.ConvergenceError`;
        ``False``: it is returned with ``result`` flagged.
    max_nodes : int
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
        The LU solve is inaccurate (relative residual above ``1e-8``) with ``throw=True``.

    Notes
    -----
    AMG: setup :math:`O(N + E)`, each CG iteration :math:`O(N + E)`, iterations nearly independent
    of :math:`N` (11-15 on the IBN universes of issue 16 at 2^12-2^16 comparisons); :math:`k` right-hand sides cost
    :math:`k` solves. Sparse LU: fill-in dependent, superlinear on expanders.

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
                       shape=(len(idx), k)).toarray()
    if method == "splu":
        X = spla.splu(A.tocsc(), permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0,
                      options={"SymmetricMode": True}).solve(Bm)
        iters = 0
        bn = np.linalg.norm(Bm, axis=0)
        res = float(np.max(np.linalg.norm(Bm - A @ X, axis=0) / bn))
        result = RESULTS.successful if res <= 1e-8 else RESULTS.inaccurate
        if throw and result is RESULTS.inaccurate:
            raise PrecisionError(f"effective_resistance_pairs (splu): relative residual {res:.3g} above 1e-8")
    else:
        pyamg = _optional.require("pyamg")
        # classical (Ruge-Stueben) AMG: a grounded Laplacian is an M-matrix, its natural setting; on the
        # IBN universes it needed 11-15 CG iterations against 22-40 for smoothed aggregation
        ml = pyamg.ruge_stuben_solver(A, max_coarse=300, coarse_solver="splu")
        X = np.empty_like(Bm)
        iters, res = 0, 0.0
        for j in range(k):
            hist: list[float] = []
            X[:, j] = ml.solve(Bm[:, j], tol=rtol, maxiter=maxiter, accel="cg", residuals=hist)
            iters = max(iters, len(hist) - 1)
            res = max(res, float(np.linalg.norm(Bm[:, j] - A @ X[:, j]) / np.linalg.norm(Bm[:, j])))
        result = RESULTS.successful if res <= 10 * rtol else RESULTS.max_steps_reached
        if result is not RESULTS.successful:
            raise_or_flag(result, throw=throw, error=lambda: ConvergenceError(
                f"effective_resistance_pairs (amg): CG reached relative residual {res:.3g} > rtol {rtol:.3g} in "
                f"{maxiter} iterations", iterations=iters, residual=res, result=result))
    with np.errstate(over="ignore"):
        vals_out = np.einsum("ik,ik->k", Bm, X) / s
    if not np.all(np.isfinite(vals_out)):
        raise PrecisionError("effective_resistance_pairs: the resistances overflow float64")
    out[q] = vals_out
    return ResistanceQueries(out, method, int(iters), float(res), result)

"""All-pairs effective resistance on the host: one Cholesky factorisation and a symmetric inverse (LAPACK).

.. math:: (L + J/N) = CC^\\top \\;(\\texttt{potrf}), \\qquad M = (L + J/N)^{-1} \\;(\\texttt{potri}), \\qquad
          R_{uv} = M_{uu} + M_{vv} - 2M_{uv}

(the :math:`-J/N` of :math:`L^{+} = (L+J/N)^{-1} - J/N` cancels in :math:`R`). ``potri`` forms the
inverse from the Cholesky factor in :math:`\\tfrac23N^3` flops, against :math:`2N^3` for triangular
solves with the identity as right-hand side, or :math:`\\approx 2N^3` for a general inverse;
everything after it is done in place on the one :math:`N\\times N` buffer.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
from scipy.linalg import lapack

from aligntheory import _validate as V
from aligntheory.errors import DisconnectedGraphError, PrecisionError
from aligntheory.numerics._amg import ResistanceQueries, effective_resistance_pairs
from aligntheory.results import provenance

# effective_resistance_pairs: queries on large sparse graphs by AMG-PCG or sparse LU (issue 16)
__all__ = ["effective_resistance_all_pairs", "ResistanceQueries", "effective_resistance_pairs"]


@provenance("M", source="hendrickx2019graph", where="R_uv = L+_uu + L+_vv - 2 L+_uv (spec ibn.md §3.3)")
def effective_resistance_all_pairs(n_nodes: int, edges: Any, *, conductances: Any, max_nodes: int = 20_000,
                                   max_dynamic_range: float = 1e8) -> np.ndarray:
    """All-pairs effective resistance by one Cholesky factorisation and a symmetric inverse [M].

    .. math:: R_{uv} = (e_u - e_v)^\\top (L_c + J/N)^{-1} (e_u - e_v)

    Host-side numpy/LAPACK (``dpotrf`` + ``dpotri``); the CPU path of
    :func:`aligntheory.kernels.ibn.effective_resistance_dense`. Conductances are divided by their
    largest value first and the result by the same factor (exact over
    :math:`10^{-300}\\ldots10^{300}`). Parallel edges add; self-loops contribute nothing.

    Parameters
    ----------
    n_nodes : int
    edges : int array, shape (E, 2)
    conductances : float array, shape (E,)
        Finite, >= 0 (keyword only).
    max_nodes : int
        Size cap on ``n_nodes`` (an N x N float64 buffer; 3.2 GB at the default 20000).
    max_dynamic_range : float, default 1e8
        Largest accepted ratio of largest to smallest positive conductance (beyond it the formula
        loses about that factor times 1e-16 on the smallest resistances).

    Returns
    -------
    ndarray, shape (N, N)
        Symmetric, zero diagonal.

    Raises
    ------
    InvalidInputError
        Bad ids, NaN/inf/negative conductances.
    DisconnectedGraphError
        The graph of positive-conductance edges is disconnected.
    SizeCapError
        ``n_nodes > max_nodes``.
    PrecisionError
        float32 input, conductances spanning more than ``max_dynamic_range``, or a result that
        overflows float64.

    Notes
    -----
    :math:`N^3` flops (:math:`N^3/3` for the factorisation, :math:`2N^3/3` for the inverse) and one
    :math:`N\\times N` buffer.

    Examples
    --------
    >>> R = effective_resistance_all_pairs(3, [[0, 1], [1, 2]], conductances=[1.0, 2.0])
    >>> float(R[0, 2]), float(R[0, 1])
    (1.5, 1.0)
    """
    n = V.check_int("n_nodes", n_nodes, lo=1)
    V.check_size("n_nodes", n, cap=max_nodes, unit="nodes")
    e = V.as_index_array("edges", V.as_real_array("edges", edges), n=n, shape=(None, 2))
    c = V.as_float_array("conductances", conductances, shape=(len(e),), nonnegative=True)
    live = (c > 0) & (e[:, 0] != e[:, 1])
    e, c = e[live], c[live]
    if n == 1:
        return np.zeros((1, 1))
    if len(c):
        lmax, lmin = np.log(c.max()), np.log(c.min())
        if lmax - lmin > np.log(max_dynamic_range):
            raise PrecisionError(f"effective_resistance_all_pairs: conductances span e^{lmax - lmin:.1f}, above "
                                 f"max_dynamic_range={max_dynamic_range:.3g}")
    ncomp, lab = csgraph.connected_components(
        sp.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n)), directed=False)
    if ncomp > 1:
        raise DisconnectedGraphError(
            f"effective_resistance_all_pairs: the graph is disconnected ({ncomp} components): the effective "
            "resistance between components is infinite",
            components=[np.flatnonzero(lab == i) for i in range(min(ncomp, 50))])
    s = float(c.max())
    cs = c / s
    u, v = e[:, 0], e[:, 1]
    A = np.full((n, n), 1.0 / n, order="F")  # J/N; Fortran order: LAPACK works in place
    np.add.at(A, (u, v), -cs)
    np.add.at(A, (v, u), -cs)
    A[np.diag_indices(n)] += np.bincount(u, cs, n) + np.bincount(v, cs, n)
    C, info = lapack.dpotrf(A, lower=1, overwrite_a=1, clean=0)
    if info != 0:
        raise PrecisionError(f"effective_resistance_all_pairs: Cholesky of L + J/N failed (LAPACK info {info}): the "
                             "Laplacian is numerically singular")
    M, info = lapack.dpotri(C, lower=1, overwrite_c=1)
    if info != 0:
        raise PrecisionError(f"effective_resistance_all_pairs: inverse failed (LAPACK info {info})")
    d = np.diagonal(M).copy()
    # only the lower triangle of M is the inverse: R_uv = d_u + d_v - 2 M_uv there, then mirror
    M *= -2.0
    M += d[:, None]
    M += d[None, :]
    R = np.tril(M, -1)
    R += R.T
    with np.errstate(over="ignore"):
        R /= s
    if not np.all(np.isfinite(R)):
        raise PrecisionError("effective_resistance_all_pairs: the resistances overflow float64")
    return R

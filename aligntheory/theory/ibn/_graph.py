"""Private graph numerics of the IBN theory layer: input rules, scale-safe resistance solves.

Everything here is private; the public functions live in :mod:`._resistance` and :mod:`._network`.

Scale safety (issue #12). Effective resistance is homogeneous of degree one in the edge
variances (:math:`R(c\\,\\sigma^2) = c\\,R(\\sigma^2)`) and well conditioned in them (Rayleigh
monotonicity: multiplying every conductance by a factor in :math:`[1-\\delta, 1+\\delta]` moves
every resistance by at most that factor). The solvers therefore

1. divide the variances by a power of two :math:`s` at the geometric centre of their range
   (exact: no rounding) and multiply the answer by :math:`s` (exact again), so that any common
   scale in :math:`[10^{-300}, 10^{300}]` gives the same significant digits;
2. solve with the *grounded* Laplacian (no :math:`J/N` term, which would swamp small
   conductances), estimate its condition number from the Cholesky factor (LAPACK ``dpocon``) and
   refine the solution with residuals formed edge by edge, checking that the refinement settles;
   a full resistance matrix is formed from the grounded inverse and every entry that lost more
   than three digits to cancellation is recomputed from its own right-hand side;
3. above :data:`COND_LIMIT`, or when refinement does not settle, switch to an elimination in
   positive arithmetic only (the Schur complement of a grounded Laplacian is again a grounded
   Laplacian; the GTH trick), which computes every resistance to a few ulps whatever the dynamic
   range, within :data:`ACCURATE_COST_CAP`; beyond that cost raise
   :class:`~aligntheory.errors.PrecisionError` naming the condition number and the dynamic range.
"""

from __future__ import annotations

import warnings
from typing import Any, NamedTuple

import numpy as np
import scipy.linalg
import scipy.linalg.lapack
import scipy.sparse
import scipy.sparse.csgraph

from aligntheory import _validate as V
from aligntheory.errors import DisconnectedGraphError, InvalidInputError, PrecisionError

COND_LIMIT = 1e12
"""Up to this estimated condition number of the scaled grounded Laplacian, a Cholesky solve with
iterative refinement is used (it settles to a few ulps; checked a posteriori); above it, or when
refinement does not settle, the positive-arithmetic elimination (cost-capped)."""

REFERENCE_COND_LIMIT = 1e8
"""The reference routes (``"cholesky"``: L + J/N, ``"pinv"``) refuse problems above this condition number."""

ACCURATE_COST_CAP = 2e9
"""Cost cap (floating-point operations, ``n_grounds * 2 n_nodes**3 / 3``) of the positive-arithmetic route."""

_EPS = float(np.finfo(np.float64).eps)


def index_array(name: str, x: Any, *, n: int, shape=None) -> np.ndarray:
    """Node-id array: ragged, complex, object and boolean inputs refused first, then ids checked."""
    V.as_real_array(name, x)
    return V.as_index_array(name, x, n=n, shape=shape)


def sympy_value(name: str, x: Any):
    """A sympy expression from a number or expression; booleans and non-expressions refused."""
    import sympy as sp

    if isinstance(x, (bool, np.bool_)):
        raise InvalidInputError(name, "must be a number or a sympy expression, not a boolean", received=x)
    val = V.as_sympy_value(name, x)
    if not isinstance(val, sp.Expr):
        raise InvalidInputError(name, "must be a number or a sympy expression", received=type(val).__name__)
    return val


def edge_weights(fn: str, positional: tuple, variances: Any, conductances: Any, *, max_positional: int = 1):
    """Resolve the keyword edge weights; a positional weight is the deprecated ``var`` (variances).

    Returns ``(weights, name, rest)``: the raw weights, ``"variances"`` or ``"conductances"`` (or
    ``None`` when absent), and the remaining positional arguments.
    """
    if len(positional) > max_positional:
        raise TypeError(f"{fn}() takes edge weights by keyword (variances= or conductances=); "
                        f"got {len(positional)} extra positional arguments")
    rest = positional[1:]
    if positional:
        if variances is not None or conductances is not None:
            raise InvalidInputError("variances", "edge weights given both positionally and by keyword")
        warnings.warn(f"{fn}: pass edge weights by keyword (variances= or conductances=); a positional weight "
                      "is read as variances (deprecated)", DeprecationWarning, stacklevel=4)
        return positional[0], "variances", rest
    if variances is not None and conductances is not None:
        raise InvalidInputError("variances, conductances", "give exactly one of variances= or conductances=")
    if conductances is not None:
        return conductances, "conductances", rest
    return variances, ("variances" if variances is not None else None), rest


def as_variances(name: str, w: Any) -> np.ndarray:
    """Validate edge weights named ``name`` and return them as variances (``inf`` allowed: no edge)."""
    arr = V.as_float_array(name, w, shape=(None,), finite=False)
    if np.any(np.isnan(arr)):
        raise InvalidInputError(name, "non-finite input: weights must not be NaN")
    if name == "conductances":
        if np.any(arr < 0) or np.any(arr == np.inf):
            raise InvalidInputError(name, "conductances must be finite and >= 0 (0 means no information)",
                                    received=f"min {float(arr.min())}, max {float(arr.max())}")
        with np.errstate(divide="ignore"):
            arr = 1.0 / arr
        if np.any(arr == 0):  # a subnormal-free conductance above 1/tiny: variance underflows
            raise PrecisionError("conductances: a conductance so large that its variance 1/c underflows to 0")
        return arr
    if np.any(arr == -np.inf) or np.any(arr < 0):
        raise InvalidInputError(name, "variance must be > 0", received=f"min {float(arr.min())}")
    if np.any(arr == 0):
        raise InvalidInputError(
            name, "variance must be > 0 (an exact relation means the nodes are one: contract the edge explicitly)")
    return arr


class GraphInput(NamedTuple):
    """What :func:`graph_input` resolved: arrays, the remaining positional arguments, and the labels."""

    n: int
    edges: np.ndarray
    variances: np.ndarray
    rest: tuple
    labels: dict | None  # node label -> index for a networkx graph, else None
    nodelist: list | None


def graph_input(fn: str, n_nodes: Any, edges: Any, positional: tuple, variances: Any, conductances: Any, *,
                weight: str | None = "var", invert_weight: bool = True, matrix: str | None = None,
                max_positional: int = 1) -> GraphInput:
    """Validate ``(n_nodes, edges, weights)``, a networkx graph, or a matrix; drop edges that carry no information.

    Conventions of the graph and matrix forms: :mod:`aligntheory.theory.ibn._inputs`.
    """
    from aligntheory.theory.ibn import _inputs as I

    w, wname, rest = edge_weights(fn, positional, variances, conductances, max_positional=max_positional)
    graph = I.is_networkx_graph(n_nodes)
    if graph or matrix is not None or I.is_matrix(n_nodes):
        if edges is not None or w is not None:
            raise InvalidInputError("edges, variances", "must be omitted when a graph or a matrix is passed")
    if not graph and (weight != "var" or invert_weight is not True):
        raise InvalidInputError("weight, invert_weight", "apply to networkx graphs only (arrays take variances= or "
                                "conductances=; a matrix states its kind with matrix=)")
    if graph:
        if matrix is not None:
            raise InvalidInputError("matrix", "applies to a matrix input, not to a networkx graph", received=matrix)
        g = I.from_networkx(n_nodes, weight, invert_weight=invert_weight)
        n, e, v = g.n_nodes, g.edges, g.variances
        labels, nodelist = {u: i for i, u in enumerate(g.nodelist)}, g.nodelist
    elif matrix is not None or I.is_matrix(n_nodes):
        if matrix is None:
            raise InvalidInputError("matrix", "a matrix was passed as the graph: say whether it is an adjacency "
                                    "matrix (entries are conductances) or a Laplacian: matrix='adjacency' or "
                                    "matrix='laplacian'")
        V.check_choice("matrix", matrix, ("adjacency", "laplacian"))
        if not I.is_matrix(n_nodes):
            raise InvalidInputError("n_nodes", "must be a square scipy.sparse or numpy matrix when matrix= is given",
                                    received=type(n_nodes).__name__)
        n, e, v = I.from_matrix(n_nodes, matrix)
        labels = nodelist = None
    else:
        labels = nodelist = None
        n = V.check_int("n_nodes", n_nodes, lo=1)
        if edges is None or w is None:
            raise InvalidInputError("edges, variances", "are required with an integer n_nodes (weights by keyword: "
                                    "variances= or conductances=)")
        e = index_array("edges", edges, n=n, shape=(None, 2))
        v = as_variances(wname, w)
        V.check_same_length(("edges", wname), e, v)
    keep = np.ones(len(e), dtype=bool)
    loops = e[:, 0] == e[:, 1]
    if loops.any() and labels is None and matrix is None:  # networkx ignores self-loops silently; so do we
        warnings.warn(f"dropping {int(loops.sum())} self-loop edge(s): a self-comparison observes no difference",
                      UserWarning, stacklevel=3)
    keep &= ~loops
    inf = np.isinf(v)
    if inf.any():
        warnings.warn(f"dropping {int(inf.sum())} edge(s) of infinite variance: they carry no information",
                      UserWarning, stacklevel=3)
        keep &= ~inf
    return GraphInput(n, e[keep], v[keep], rest, labels, nodelist)


def pairs_input(pairs: Any, gi: GraphInput) -> np.ndarray:
    """Node pairs as an int64 ``(k, 2)`` index array: labels for a networkx graph, indices otherwise."""
    if gi.labels is not None:
        from aligntheory.theory.ibn._inputs import label_pairs

        return label_pairs(pairs, gi.labels)
    return index_array("pairs", pairs, n=gi.n, shape=(None, 2))


def components(n: int, edges: np.ndarray) -> tuple[int, np.ndarray]:
    adj = scipy.sparse.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    return scipy.sparse.csgraph.connected_components(adj, directed=False)


def require_connected(n: int, edges: np.ndarray, pairs: np.ndarray | None = None) -> None:
    k, labels = components(n, edges)
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


# ----------------------------------------------------------------------------------------------
# scaling


def scale_of(v: np.ndarray) -> float:
    """Power of two at the geometric centre of the range of ``v`` (> 0, finite); 1.0 when empty."""
    if v.size == 0:
        return 1.0
    lo = int(np.frexp(v.min())[1])
    hi = int(np.frexp(v.max())[1])
    return float(np.ldexp(1.0, min(max((lo + hi) // 2, -1021), 1023)))


def dynamic_range(v: np.ndarray) -> float:
    return float(v.max() / v.min()) if v.size else 1.0


def check_range(v: np.ndarray) -> None:
    """Refuse weights whose binary exponents span more than 2000 (only subnormal extremes get there):
    the centred conductances would not fit float64."""
    if v.size:
        lo, hi = int(np.frexp(v.min())[1]), int(np.frexp(v.max())[1])
        if hi - lo > 2000:
            raise PrecisionError(f"variances span more than 2^2000 (min {v.min():.3g}, max {v.max():.3g}): the "
                                 "centred conductances do not fit float64")


def unscale(x: np.ndarray, s: float, what: str = "effective resistance") -> np.ndarray:
    with np.errstate(over="ignore"):
        out = x * s
    if np.any(np.isinf(out) & np.isfinite(x)):
        raise PrecisionError(f"the {what} exceeds the float64 range (scaled value {float(np.max(x)):.3g} times "
                             f"scale {s:.3g})")
    return out


def laplacian_np(n: int, e: np.ndarray, c: np.ndarray) -> np.ndarray:
    L = np.zeros((n, n))
    np.add.at(L, (e[:, 0], e[:, 1]), -c)
    np.add.at(L, (e[:, 1], e[:, 0]), -c)
    np.add.at(L, (e[:, 0], e[:, 0]), c)
    np.add.at(L, (e[:, 1], e[:, 1]), c)
    return L


def laplacian_sparse(n: int, e: np.ndarray, c: np.ndarray) -> scipy.sparse.csr_matrix:
    rows = np.concatenate([e[:, 0], e[:, 1], e[:, 0], e[:, 1]])
    cols = np.concatenate([e[:, 1], e[:, 0], e[:, 0], e[:, 1]])
    vals = np.concatenate([-c, -c, c, c])
    return scipy.sparse.csr_matrix((vals, (rows, cols)), shape=(n, n))


def cholesky_cond(A: np.ndarray):
    """``(cho_factor, cond)``: Cholesky of SPD ``A`` and LAPACK's estimate of its 1-norm condition number.

    A failed factorisation (not numerically positive definite) gives ``(None, inf)``.
    """
    try:
        factor = scipy.linalg.cho_factor(A, lower=True, check_finite=False)
    except np.linalg.LinAlgError:
        return None, float("inf")
    anorm = float(np.max(np.sum(np.abs(A), axis=0))) if A.size else 1.0
    rcond, info = scipy.linalg.lapack.dpocon(factor[0], anorm, uplo="L")
    cond = float("inf") if info != 0 or not rcond > 0 else 1.0 / float(rcond)
    return factor, cond


# ----------------------------------------------------------------------------------------------
# positive-arithmetic elimination (high relative accuracy whatever the dynamic range)


def _grounded_green_diag(W: np.ndarray, g: int, targets: np.ndarray) -> np.ndarray:
    """:math:`(L_g^{-1})_{uu}` for ``u`` in ``targets``: the resistance from each target to the ground ``g``.

    ``W`` is the dense symmetric conductance matrix (zero diagonal). The grounded Laplacian is
    factored as :math:`(I-\\Lambda)D(I-\\Lambda)^\\top` by eliminating nodes one at a time; every
    pivot, multiplier and update is a sum of non-negative terms (the Schur complement of a
    grounded Laplacian is a grounded Laplacian), so each entry carries a relative error of a few
    ulps per step. :math:`Y=(I-\\Lambda)^{-1}` is non-negative and computed by a triangular solve
    that adds non-negative terms only; :math:`(L_g^{-1})_{uu} = \\sum_k Y_{ku}^2/d_k`.
    """
    n = W.shape[0]
    keep = np.flatnonzero(np.arange(n) != g)
    C = W[np.ix_(keep, keep)].copy()
    s = W[keep, g].copy()  # conductance of each node to the ground
    m = len(keep)
    d = np.empty(m)
    Lam = np.zeros((m, m))
    for k in range(m):
        row = C[k, k + 1:].copy()
        dk = s[k] + row.sum()  # columns of eliminated nodes are already zero
        d[k] = dk
        lk = row / dk
        Lam[k + 1:, k] = lk
        # products before the division (row/dk or s/dk alone may underflow where the update does not);
        # the quotient form only where a product overflows
        with np.errstate(over="ignore", under="ignore"):
            upd = np.outer(row, row) / dk
            bad = ~np.isfinite(upd)
            if bad.any():
                upd[bad] = np.outer(row, lk)[bad]
            gs = row * s[k] / dk
            bad = ~np.isfinite(gs)
            if bad.any():
                gs[bad] = row[bad] * (s[k] / dk)
        C[k + 1:, k + 1:] += upd
        s[k + 1:] += gs
        np.fill_diagonal(C[k + 1:, k + 1:], 0.0)
    pos = np.searchsorted(keep, targets)
    rhs = np.zeros((m, len(pos)))
    rhs[pos, np.arange(len(pos))] = 1.0
    # (I - Lam) Y = E: forward substitution adding non-negative terms only
    Y = scipy.linalg.solve_triangular(np.eye(m) - Lam, rhs, lower=True, unit_diagonal=True, check_finite=False)
    return np.einsum("ku,ku,k->u", Y, Y, 1.0 / d)


def accurate_cost(n: int, pairs: np.ndarray) -> float:
    return len(np.unique(pairs[:, 1])) * 2.0 * n**3 / 3.0


def reff_accurate(n: int, e: np.ndarray, c: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Resistances of ``pairs`` by positive-arithmetic elimination (one elimination per distinct ground)."""
    W = np.zeros((n, n))
    np.add.at(W, (e[:, 0], e[:, 1]), c)
    np.add.at(W, (e[:, 1], e[:, 0]), c)
    np.fill_diagonal(W, 0.0)
    out = np.zeros(len(pairs))
    for g in np.unique(pairs[:, 1]):
        sel = np.flatnonzero((pairs[:, 1] == g) & (pairs[:, 0] != g))
        if len(sel):
            out[sel] = _grounded_green_diag(W, int(g), pairs[sel, 0])
    return out


def _orient(pairs: np.ndarray) -> np.ndarray:
    """Swap pair ends so that the second (the ground) is the more frequent endpoint: fewer eliminations."""
    counts = np.bincount(pairs.ravel())
    swap = counts[pairs[:, 0]] > counts[pairs[:, 1]]
    out = pairs.copy()
    out[swap] = out[swap][:, ::-1]
    return out


def incidence_columns(n: int, pairs: np.ndarray) -> np.ndarray:
    B = np.zeros((n, len(pairs)))
    idx = np.arange(len(pairs))
    np.add.at(B, (pairs[:, 0], idx), 1.0)
    np.add.at(B, (pairs[:, 1], idx), -1.0)
    return B


def _refined_solve(factor, n: int, e: np.ndarray, c: np.ndarray, keep: np.ndarray, B: np.ndarray):
    """Solve ``L_g X = B`` by Cholesky plus iterative refinement with the residual formed edge by edge.

    Returns ``(X, converged)``: ``converged`` when the last correction is below ``1e-14`` of ``X``
    (column-wise max norm). One or two steps bring the error to a few ulps up to condition
    numbers near ``1/eps`` (measured: 4e-16 at 5e7, where the plain solve erred by 1.5e-9).
    """
    X = scipy.linalg.cho_solve(factor, B, check_finite=False)
    Xf = np.zeros((n, B.shape[1]))
    m = len(e)
    inc = scipy.sparse.csr_matrix((np.concatenate([np.ones(m), -np.ones(m)]),
                                   (np.tile(np.arange(m), 2), np.concatenate([e[:, 0], e[:, 1]]))), shape=(m, n))
    incT = (inc.T).tocsr()
    for _ in range(3):
        Xf[keep] = X
        d = inc @ Xf  # x_u - x_v per edge, formed before multiplying by the conductance
        LX = incT @ (c[:, None] * d)
        dX = scipy.linalg.cho_solve(factor, B - LX[keep], check_finite=False)
        X = X + dX
        scale = np.max(np.abs(X), axis=0)
        if np.all(np.max(np.abs(dX), axis=0) <= 1e-14 * np.where(scale > 0, scale, 1.0)):
            return X, True
    return X, False


def _too_hard(n: int, e: np.ndarray, c: np.ndarray, pairs: np.ndarray, cond: float, why: str):
    cost = accurate_cost(n, pairs)
    if cost <= ACCURATE_COST_CAP:
        return reff_accurate(n, e, c, pairs)
    dyn = float(c.max() / c.min()) if c.size else 1.0
    raise PrecisionError(
        f"the scaled grounded Laplacian has condition number ~{cond:.3g} (conductances span a dynamic range of "
        f"{dyn:.3g}): {why}, and the exact positive-arithmetic route would need ~{cost:.3g} flops (cap "
        f"{ACCURATE_COST_CAP:.3g}); query fewer pairs or a smaller graph, or merge nodes joined by near-zero variances")


def reff_grounded(n: int, e: np.ndarray, c: np.ndarray, pairs: np.ndarray | None) -> np.ndarray:
    """Scale-free core: resistances of ``pairs`` (or the full matrix) from the grounded Laplacian of
    conductances ``c`` (already centred).

    Cholesky of the grounded Laplacian with iterative refinement; the full matrix is formed as
    :math:`G_{uu}+G_{vv}-2G_{uv}` and every entry where that difference cancels more than three
    digits is recomputed from its own right-hand side :math:`e_u-e_v`. Condition numbers above
    :data:`COND_LIMIT` or a refinement that does not settle go to the positive-arithmetic route,
    or raise :class:`PrecisionError` above its cost cap.
    """
    L = laplacian_np(n, e, c)
    g = int(np.argmax(np.diag(L)))
    keep = np.arange(n) != g
    factor, cond = cholesky_cond(L[np.ix_(keep, keep)])
    if factor is None or cond > COND_LIMIT:
        P = np.stack(np.triu_indices(n, 1), axis=1) if pairs is None else _orient(pairs)
        vals = _too_hard(n, e, c, P, cond, f"above the limit {COND_LIMIT:.0e} for a refined Cholesky solve")
        if pairs is not None:
            return vals
        R = np.zeros((n, n))
        R[P[:, 0], P[:, 1]] = vals
        return R + R.T
    if pairs is not None:
        B = incidence_columns(n, pairs)[keep]
        X, ok = _refined_solve(factor, n, e, c, keep, B)
        if not ok:
            return _too_hard(n, e, c, _orient(pairs), cond, "iterative refinement did not settle")
        return np.maximum(np.einsum("ik,ik->k", B, X), 0.0)
    Gk, ok = _refined_solve(factor, n, e, c, keep, np.eye(n - 1))
    if not ok:
        P = np.stack(np.triu_indices(n, 1), axis=1)
        vals = _too_hard(n, e, c, P, cond, "iterative refinement did not settle")
        R = np.zeros((n, n))
        R[P[:, 0], P[:, 1]] = vals
        return R + R.T
    Pg = np.zeros((n, n))
    Pg[np.ix_(keep, keep)] = 0.5 * (Gk + Gk.T)
    dg = np.diag(Pg)
    R = dg[:, None] + dg[None, :] - 2.0 * Pg
    np.fill_diagonal(R, 0.0)
    R = np.maximum(R, 0.0)
    # entries that lost more than three digits to cancellation: recompute from e_u - e_v
    iu = np.triu_indices(n, 1)
    mag = (dg[:, None] + dg[None, :])[iu]
    bad = mag > 1e3 * R[iu]
    if bad.any():
        P = np.stack([iu[0][bad], iu[1][bad]], axis=1)
        vals = np.empty(len(P))
        step = max(1, int(2e7 // max(n, 1)))  # right-hand sides per block: ~160 MB
        for a in range(0, len(P), step):
            vals[a:a + step] = reff_grounded(n, e, c, P[a:a + step])
        R[P[:, 0], P[:, 1]] = vals
        R[P[:, 1], P[:, 0]] = vals
    return R

"""Bradley--Terry fitting and continuous feedback (spec ``ibn.md`` §2.2, §2.3, §3.2, §4.2).

JAX kernels (pure, float64, explicit keys): :func:`simulate_bt_continuous`, :func:`fit_bt_newman`,
:func:`fit_ls_continuous`, :func:`mc_difference_variance_continuous`.

Public entry point: :func:`fit_bradley_terry`, which takes plain ``(winner, loser)`` pairs like
``choix`` and the Chatbot-Arena notebooks, aggregates them, checks that the maximum-likelihood
estimate exists (Ford 1957) and fits by Newton's method (one Laplacian solve per step, solver
chosen by the graph's structure) or by Newman's (2023) fixed point. The entry point runs on the
host (numpy/scipy): on CPU that is the fastest correct route, and it records the method and the
linear solver it used in the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
from jax import lax
from scipy.special import expit

from aligntheory import _validate as V
from aligntheory.errors import ConvergenceError, DisconnectedGraphError, InvalidInputError
from aligntheory.kernels._common import check_precision_all, f64, ints
from aligntheory.kernels.ibn._solvers import LaplacianSolver

__all__ = [
    "simulate_bt_continuous",
    "fit_bt_newman",
    "NewmanResult",
    "fit_ls_continuous",
    "mc_difference_variance_continuous",
    "MCVarianceContinuous",
    "aggregate_comparisons",
    "fit_bradley_terry",
    "BTFit",
]

def _check_beta(beta: Any) -> float:
    return V.check_scalar("beta", beta, positive=True)


def _label_counts(K: Any, n_edges: int) -> np.ndarray:
    """Labels per edge: positive whole numbers, shape ``(n_edges,)``."""
    k = V.as_float_array("K", np.asarray(K), shape=(n_edges,), positive=True)
    if not np.all(k == np.round(k)):
        raise InvalidInputError("K", "must hold whole numbers of labels", received=f"min {k.min()}")
    return k


# ----------------------------------------------------------------------------------------------
# continuous feedback


@partial(jax.jit, static_argnums=(5,))
def _simulate_cont(key, r, edges, K, beta, k_max):
    draws = jax.random.logistic(key, (edges.shape[0], k_max), dtype=r.dtype)
    keep = jnp.arange(k_max, dtype=K.dtype)[None, :] < K[:, None]
    mean = jnp.sum(jnp.where(keep, draws, 0.0), axis=1) / K
    return (r[edges[:, 0]] - r[edges[:, 1]]) + mean / beta


def simulate_bt_continuous(key: jax.Array, r: Any, edges: Any, K: Any, beta: float, *,
                           k_max: int | None = None) -> jax.Array:
    """Simulate continuous feedback: the mean of :math:`K_e` logistic labels per edge [R parametrisation; M].

    .. math:: \\bar\\delta_e = (r_{u_e} - r_{v_e}) + \\frac{1}{\\beta K_e}\\sum_{j=1}^{K_e}\\xi_{ej},
              \\qquad \\xi_{ej} \\sim \\mathrm{Logistic}(0, 1)

    Each single label satisfies the BT invariant :math:`\\Pr[\\delta>0]=\\sigma(\\beta\\Delta r)` and has
    variance :math:`\\pi^2/(3\\beta^2)` (spec ``ibn.md`` §2.2; the parametrisation is our [R] choice,
    the moments are [M]); the mean of :math:`K_e` labels has variance :math:`\\pi^2/(3\\beta^2K_e)`.

    Parameters
    ----------
    key : PRNG key
    r : float64 array, shape (N,)
    edges : int array, shape (E, 2)
    K : float64 array, shape (E,)
        Labels per edge (whole numbers >= 1).
    beta : float
    k_max : int, optional
        Static upper bound on ``K`` (default ``max(K)``, read on the host).

    Returns
    -------
    float64 array, shape (E,)

    Complexity
    ----------
    :math:`O(E\\cdot k_{\\max})`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> d = simulate_bt_continuous(jax.random.PRNGKey(0), np.array([1.0, 0.0]), np.array([[0, 1]]),
    ...                            np.array([20000.0]), 1.0)
    >>> abs(float(d[0]) - 1.0) < 0.05   # sd of the mean: pi/sqrt(3*20000) = 0.013
    True
    """
    check_precision_all("simulate_bt_continuous", r=r, K=K)
    rr = f64("r", r, ndim=1)
    e = ints("edges", edges, shape_tail=(2,))
    k = _label_counts(K, e.shape[0])
    km = int(k.max()) if k_max is None else V.check_int("k_max", k_max, lo=int(k.max()) if k.size else 1)
    return _simulate_cont(key, rr, e, jnp.asarray(k), _check_beta(beta), max(km, 1))


def _ls_solve(n_nodes, edges, deltas, K, beta):
    c = 3.0 * beta**2 * K / jnp.pi**2
    u, v = edges[:, 0], edges[:, 1]
    L = jnp.zeros((n_nodes, n_nodes), c.dtype).at[u, v].add(-c).at[v, u].add(-c)
    L = L + jnp.diag(jax.ops.segment_sum(c, u, n_nodes) + jax.ops.segment_sum(c, v, n_nodes))
    J = jnp.full((n_nodes, n_nodes), 1.0 / n_nodes, c.dtype)
    return jax.scipy.linalg.cho_factor(L + J, lower=True), c


def _ls_rhs(n_nodes, edges, deltas, c):
    f = c * deltas
    return jax.ops.segment_sum(f, edges[:, 0], n_nodes) - jax.ops.segment_sum(f, edges[:, 1], n_nodes)


@partial(jax.jit, static_argnums=0)
def _fit_ls_core(n_nodes, edges, deltas, K, beta):
    fac, c = _ls_solve(n_nodes, edges, deltas, K, beta)
    r = jax.scipy.linalg.cho_solve(fac, _ls_rhs(n_nodes, edges, deltas, c))
    return r - jnp.mean(r)


def fit_ls_continuous(n_nodes: int, edges: Any, deltas: Any, K: Any, beta: float) -> jax.Array:
    """Weighted least-squares rewards from continuous feedback: one Laplacian solve [M].

    .. math:: \\hat r = L_c^{+} B^\\top C\\,\\bar\\delta, \\qquad c_e = \\frac{3\\beta^2 K_e}{\\pi^2}
              = \\frac{1}{\\mathrm{Var}[\\bar\\delta_e]}

    Gauss--Markov: the estimator is linear and unbiased, and
    :math:`\\mathrm{Var}[\\hat r_u - \\hat r_v] = R_{\\rm eff}(u, v; c)` exactly at every :math:`K`
    (no Gaussianity needed). Spec ``ibn.md`` §3.2 (claim C6). Dense Cholesky of
    :math:`L_c + J/N`; the graph must be connected (otherwise NaN: unchecked kernel).

    Parameters
    ----------
    n_nodes : int
        :math:`N` (static).
    edges : int array, shape (E, 2)
    deltas : float64 array, shape (E,)
        Mean continuous label per edge (:func:`simulate_bt_continuous`).
    K : float64 array, shape (E,)
    beta : float

    Returns
    -------
    float64 array, shape (N,), centred.

    Complexity
    ----------
    :math:`O(N^3 + E)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> r = fit_ls_continuous(3, np.array([[0, 1], [1, 2]]), np.array([1.0, 1.0]), np.ones(2), 1.0)
    >>> np.round(np.asarray(r), 12).tolist()
    [1.0, 0.0, -1.0]
    """
    check_precision_all("fit_ls_continuous", deltas=deltas, K=K)
    e = ints("edges", edges, shape_tail=(2,))
    d, k = f64("deltas", deltas, ndim=1), f64("K", K, ndim=1)
    if not (e.ndim == 2 and d.shape[0] == e.shape[0] == k.shape[0]):
        raise InvalidInputError("edges, deltas, K", "must have shapes (E, 2), (E,), (E,)",
                                received=f"shapes {tuple(e.shape)}, {tuple(d.shape)}, {tuple(k.shape)}")
    return _fit_ls_core(V.check_int("n_nodes", n_nodes, lo=1), e, d, k, _check_beta(beta))


class MCVarianceContinuous(NamedTuple):
    """Result of :func:`mc_difference_variance_continuous`.

    Attributes
    ----------
    var : float64 array, shape (k,)
        Unbiased sample variance of :math:`\\hat r_u - \\hat r_v` over the replicates.
    m4 : float64 array, shape (k,)
        Sample central fourth moment.
    mean : float64 array, shape (k,)
        Sample mean (the estimator is unbiased: compare with :math:`r_u - r_v`).
    """

    var: jax.Array
    m4: jax.Array
    mean: jax.Array


@partial(jax.jit, static_argnums=(6, 7))
def _mc_cont(key, r, edges, K, beta, pairs, R, k_max):
    n = r.shape[0]
    fac, c = _ls_solve(n, edges, None, K, beta)  # factor once: L depends on K and beta only
    keys = jax.random.split(key, R)

    def rhs(k):
        return _ls_rhs(n, edges, _simulate_cont(k, r, edges, K, beta, k_max), c)

    # the estimator is linear with one shared factor: simulate under vmap, then solve all replicates
    # as one (n, R) right-hand side instead of R batched triangular solves
    X = jax.scipy.linalg.cho_solve(fac, jax.vmap(rhs)(keys).T)  # (n, R)
    diffs = (X[pairs[:, 0]] - X[pairs[:, 1]]).T  # (R, k)
    mean = jnp.mean(diffs, axis=0)
    dev = diffs - mean
    return jnp.sum(dev**2, axis=0) / (R - 1.0), jnp.mean(dev**4, axis=0), mean


def mc_difference_variance_continuous(key: jax.Array, r: Any, edges: Any, K: Any, beta: float, pairs: Any,
                                      R: int) -> MCVarianceContinuous:
    """Monte Carlo variance of least-squares reward differences under continuous feedback, ``vmap`` over replicates [M].

    Each replicate draws :func:`simulate_bt_continuous` labels and fits :func:`fit_ls_continuous`
    (the Laplacian depends only on :math:`K` and :math:`\\beta`, so it is factored once). Theory
    (spec ``ibn.md`` §3.2): :math:`\\mathrm{Var}[\\hat r_u-\\hat r_v] = R_{\\rm eff}(u,v)` with conductances
    :math:`3\\beta^2K_e/\\pi^2`, exactly. Used by claim C6.

    Parameters
    ----------
    key : PRNG key
    r : float64 array, shape (N,)
    edges : int array, shape (E, 2)
    K : float64 array, shape (E,)
    beta : float
    pairs : int array, shape (k, 2)
    R : int
        Replicates (static), >= 2.

    Returns
    -------
    MCVarianceContinuous

    Complexity
    ----------
    :math:`O(N^3 + R(N^2 + E k_{\\max}))`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> out = mc_difference_variance_continuous(jax.random.PRNGKey(0), np.zeros(2), np.array([[0, 1]]),
    ...                                         np.array([1.0]), 1.0, np.array([[0, 1]]), 4000)
    >>> abs(float(out.var[0]) / (np.pi**2 / 3) - 1) < 0.1
    True
    """
    check_precision_all("mc_difference_variance_continuous", r=r, K=K)
    rr = f64("r", r, ndim=1)
    e = ints("edges", edges, shape_tail=(2,))
    k = _label_counts(K, e.shape[0])
    p = V.as_index_array("pairs", np.asarray(pairs), n=int(rr.shape[0]), shape=(None, 2))
    R = V.check_int("R", R, lo=2)
    out = _mc_cont(key, rr, e, jnp.asarray(k), _check_beta(beta), jnp.asarray(p), R, int(k.max()))
    return MCVarianceContinuous(*out)


# ----------------------------------------------------------------------------------------------
# Newman's fixed point (JAX kernel)


class NewmanResult(NamedTuple):
    """Result of :func:`fit_bt_newman`.

    Attributes
    ----------
    r_hat : float64 array, shape (N,)
        Centred rewards :math:`\\hat r = \\ln\\hat\\pi/\\beta`.
    grad_norm : float64 scalar
        Euclidean norm of :math:`\\nabla_r\\ell` at ``r_hat``.
    iterations : int scalar
    """

    r_hat: jax.Array
    grad_norm: jax.Array
    iterations: jax.Array


def _newman_sums(n, theta, u, v, w, K, prior):
    """A_i = sum_j w_ij sigma(theta_j - theta_i), B_i = sum_j w_ji sigma(theta_i - theta_j); grad = A - B."""
    d = theta[u] - theta[v]
    s_uv = jax.nn.sigmoid(-d)  # sigma(theta_v - theta_u)
    s_vu = 1.0 - s_uv
    lose = K - w
    A = jax.ops.segment_sum(w * s_uv, u, n) + jax.ops.segment_sum(lose * s_vu, v, n)
    B = jax.ops.segment_sum(lose * s_vu, u, n) + jax.ops.segment_sum(w * s_uv, v, n)
    A = A + 0.5 * prior * jax.nn.sigmoid(-theta)
    B = B + 0.5 * prior * jax.nn.sigmoid(theta)
    return A, B


@partial(jax.jit, static_argnums=(0, 7))
def _newman_core(n, edges, wins, K, beta, prior, tol, maxiter):
    u, v = edges[:, 0], edges[:, 1]

    def cond(s):
        _, gn, _, it = s
        return jnp.logical_and(gn > tol, it < maxiter)

    def body(s):
        th, gn, om, it = s
        A, B = _newman_sums(n, th, u, v, wins, K, prior)
        th = th + om * (jnp.log(A) - jnp.log(B))
        th = jnp.where(prior > 0, th, th - jnp.mean(th))
        A, B = _newman_sums(n, th, u, v, wins, K, prior)
        gn_new = beta * jnp.linalg.norm(A - B)
        om = jnp.where(gn_new >= gn, jnp.maximum(0.5 * om, 0.125), om)
        return th, gn_new, om, it + 1

    th0 = jnp.zeros(n, K.dtype)
    A, B = _newman_sums(n, th0, u, v, wins, K, prior)
    init = (th0, beta * jnp.linalg.norm(A - B), jnp.asarray(1.0, K.dtype), jnp.asarray(0))
    th, gn, _, it = lax.while_loop(cond, body, init)
    return (th - jnp.mean(th)) / beta, gn, it


def fit_bt_newman(n_nodes: int, edges: Any, wins: Any, K: Any, beta: float, *, tol: float = 1e-10,
                  maxiter: int = 10000, prior_strength: float = 0.0) -> NewmanResult:
    """Bradley--Terry maximum likelihood by Newman's (2023) fixed-point iteration [M].

    With :math:`\\pi_i = e^{\\theta_i}`, :math:`\\theta = \\beta r`, Newman's update (JMLR 24(238), 2023)

    .. math:: \\pi_i \\leftarrow \\frac{\\sum_j w_{ij}\\,\\pi_j/(\\pi_i+\\pi_j)}{\\sum_j w_{ji}/(\\pi_i+\\pi_j)}
              \\iff \\theta_i \\leftarrow \\theta_i + \\ln A_i - \\ln B_i,

    :math:`A_i = \\sum_j w_{ij}\\sigma(\\theta_j-\\theta_i)`, :math:`B_i = \\sum_j w_{ji}\\sigma(\\theta_i-\\theta_j)`,
    evaluated in log space for stability; all items update at once and the scores are re-centred.
    Updating all items simultaneously can oscillate (two items: :math:`(\\pi_0,\\pi_1)\\mapsto
    (3\\pi_1,\\pi_0/3)` for 3 wins of 4), so the log-step is multiplied by :math:`\\omega`, which
    starts at 1 and halves (down to 1/8) whenever the gradient norm fails to decrease.
    The log-likelihood gradient is :math:`\\nabla_\\theta\\ell = A - B`, so the iteration stops on
    the gradient norm :math:`\\beta\\|A-B\\|\\le` ``tol`` (in reward units), not on the step size
    (spec ``ibn.md`` §4.2). ``prior_strength`` :math:`s>0` adds :math:`s/2` virtual wins and losses of
    every item against a fixed item of score 0 (Newman's pseudo-count prior). Unchecked kernel: if
    the MLE does not exist (beats graph not strongly connected) the iterate diverges and the
    gradient norm stays large. A first-order method: it needs many iterations on chains; use
    :func:`fit_bradley_terry` (Newton) there.

    Parameters
    ----------
    n_nodes : int
        :math:`N` (static).
    edges : int array, shape (E, 2)
    wins : float64 array, shape (E,)
        Wins of ``edges[:, 0]`` over ``edges[:, 1]``.
    K : float64 array, shape (E,)
        Comparisons per edge.
    beta : float
    tol : float
        Gradient-norm tolerance (reward units).
    maxiter : int
        Iterations at most (static).
    prior_strength : float
        Pseudo-comparisons per item against a virtual item of score 0.

    Returns
    -------
    NewmanResult

    Complexity
    ----------
    :math:`O(E)` per iteration.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> res = fit_bt_newman(2, np.array([[0, 1]]), np.array([3.0]), np.array([4.0]), 1.0)
    >>> round(float(res.r_hat[0] - res.r_hat[1]), 9), round(float(np.log(3)), 9)
    (1.098612289, 1.098612289)
    """
    check_precision_all("fit_bt_newman", wins=wins, K=K)
    e = ints("edges", edges, shape_tail=(2,))
    w, k = f64("wins", wins, ndim=1), f64("K", K, ndim=1)
    return NewmanResult(*_newman_core(V.check_int("n_nodes", n_nodes, lo=1), e, w, k, _check_beta(beta),
                                      V.check_scalar("prior_strength", prior_strength, nonnegative=True),
                                      V.check_scalar("tol", tol, positive=True),
                                      V.check_int("maxiter", maxiter, lo=1)))


# ----------------------------------------------------------------------------------------------
# public entry point (host-side)


def aggregate_comparisons(n_items: int, comparisons: Any, counts: Any = None
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Aggregate ``(winner, loser)`` pairs into distinct undirected pairs with win counts [M].

    Vectorised: one ``numpy.unique`` over the pair keys :math:`\\min(a,b)\\cdot N+\\max(a,b)` and two
    ``bincount`` calls.

    Parameters
    ----------
    n_items : int
    comparisons : int array, shape (m, 2)
        Row ``(a, b)``: item ``a`` beat item ``b``.
    counts : float array, shape (m,), optional
        Multiplicity (or fractional weight, e.g. 0.5 for each half of a tie) of each row.

    Returns
    -------
    edges : int64 array, shape (E, 2)
        Distinct pairs with ``edges[:, 0] < edges[:, 1]``.
    wins : float64 array, shape (E,)
        Wins of ``edges[:, 0]`` over ``edges[:, 1]``.
    K : float64 array, shape (E,)
        Comparisons per pair.

    Complexity
    ----------
    :math:`O(m\\log m)`.

    Examples
    --------
    >>> e, w, K = aggregate_comparisons(3, [[0, 1], [1, 0], [0, 1], [2, 1]])
    >>> e.tolist(), w.tolist(), K.tolist()
    ([[0, 1], [1, 2]], [2.0, 0.0], [3.0, 1.0])
    """
    n = V.check_int("n_items", n_items, lo=1)
    c = _index_pairs(np.asarray(comparisons), n)
    a, b = c[:, 0], c[:, 1]
    same = a == b
    if same.any():
        i = int(np.argmax(same))
        raise InvalidInputError("comparisons", "an item cannot beat itself", received=f"row {i}: ({a[i]}, {b[i]})")
    del same
    wt = None if counts is None else V.as_float_array("counts", counts, shape=(len(c),), nonnegative=True)
    lo = np.minimum(a, b)
    keys = np.maximum(a, b)
    keys += lo * n  # pair key min*n + max
    first_won = a == lo
    del lo
    if wt is None:
        # one sort of (pair key, did-the-smaller-id-win bit); runs of equal pair keys give K, and
        # the sum of the bits over a run gives the wins of the smaller id (no return_inverse)
        keys <<= 1
        keys |= first_won
        del first_won
        keys.sort()
        bit = (keys & 1).astype(np.float64)
        keys >>= 1
        newpair = np.empty(len(keys), bool)
        if len(keys):
            newpair[0] = True
        np.not_equal(keys[1:], keys[:-1], out=newpair[1:])
        starts = np.flatnonzero(newpair)
        uk = keys[starts]
        K = np.diff(np.append(starts, len(keys))).astype(np.float64)
        wins = np.add.reduceat(bit, starts) if len(starts) else np.zeros(0)
    else:
        uk, inv = np.unique(keys, return_inverse=True)
        wins = np.bincount(inv, first_won * wt, len(uk))
        K = np.bincount(inv, wt, len(uk))
    edges = np.empty((len(uk), 2), np.int64)
    np.floor_divide(uk, n, out=edges[:, 0])
    np.remainder(uk, n, out=edges[:, 1])
    keep = K > 0
    if not keep.all():
        return edges[keep], wins[keep], K[keep]
    return edges, wins, K


def _index_pairs(arr: np.ndarray, n: int) -> np.ndarray:
    """``(m, 2)`` int64 node ids in ``[0, n)``; like :func:`aligntheory._validate.as_index_array` without copies."""
    if arr.dtype.kind == "f":
        return V.as_index_array("comparisons", arr, n=n, shape=(None, 2))
    if arr.dtype.kind not in "iu":
        raise InvalidInputError("comparisons", "node ids must be integers", received=f"dtype {arr.dtype}")
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise InvalidInputError("comparisons", "must have shape (m, 2)", received=f"shape {arr.shape}")
    arr = arr.astype(np.int64, copy=False)
    if arr.size:
        lo, hi = int(arr.min()), int(arr.max())
        if lo < 0 or hi >= n:
            raise InvalidInputError("comparisons", f"node ids must lie in [0, {n - 1}]", received=lo if lo < 0 else hi)
    return arr


@dataclass
class BTFit:
    """Result of :func:`fit_bradley_terry`.

    Attributes
    ----------
    scores : ndarray, shape (N,)
        Centred rewards :math:`\\hat r = \\hat\\theta/\\beta` (natural-log odds scale when
        :math:`\\beta=1`; then identical to ``choix``'s parameters after centring).
    stderr : ndarray, shape (N,) or None
        Standard error of each *centred* score: :math:`\\sqrt{\\mathrm{diag}(P H^{-1} P)}` with
        :math:`H` the Fisher information at the optimum (the Fisher Laplacian, plus the prior's
        diagonal) and :math:`P = I - J/N`; without a prior this is :math:`\\sqrt{\\mathrm{diag}\\,L^{+}}`.
        ``None`` when not computed (see the ``stderr`` argument).
    grad_norm : float
        :math:`\\|\\nabla_r \\log p(\\text{data}, r)\\|_2` at ``scores``.
    iterations : int
    method : str
        ``"newton"``, ``"newman"`` or ``"newman+newton"`` (``method="auto"``: Newman stalled and
        Newton finished).
    solver : str
        Linear solver of the Newton steps (``"dense"``, ``"tree"``, ``"splu"``, ``"pcg"``,
        ``"pcg->splu"``) or ``"none"`` for Newman.
    converged : bool
    prior_strength : float
    beta : float
    n_items, n_pairs : int
    n_comparisons : float
    loglik : float
        Log-likelihood of the data at ``scores`` (without the prior).
    """

    scores: np.ndarray
    stderr: np.ndarray | None
    grad_norm: float
    iterations: int
    method: str
    solver: str
    converged: bool
    prior_strength: float
    beta: float
    n_items: int
    n_pairs: int
    n_comparisons: float
    loglik: float
    info: dict = field(default_factory=dict)


def _beats_components(n: int, edges: np.ndarray, wins: np.ndarray, K: np.ndarray) -> tuple[int, np.ndarray]:
    fw = wins > 0
    bw = (K - wins) > 0
    src = np.concatenate([edges[fw, 0], edges[bw, 1]])
    dst = np.concatenate([edges[fw, 1], edges[bw, 0]])
    G = sp.coo_matrix((np.ones(len(src)), (src, dst)), shape=(n, n)).tocsr()
    return csgraph.connected_components(G, directed=True, connection="strong")


def _log_sigmoid_and_p(d):
    ed = np.exp(-np.abs(d))
    lsp = np.minimum(d, 0.0) - np.log1p(ed)  # log sigma(d), stable
    p = np.where(d >= 0, 1.0, ed) / (1.0 + ed)  # sigma(d), stable
    return lsp, p


class _Work:
    """Preallocated edge-length buffers: the hot loops allocate nothing per iteration."""

    def __init__(self, n, edges, w, K, prior):
        self.n, self.u, self.v, self.w, self.K, self.prior = n, edges[:, 0], edges[:, 1], w, K, prior
        self.lose = K - w
        E = len(w)
        self.d = np.empty(E)
        self.t = np.empty(E)
        self.p = np.empty(E)

    def diff(self, theta):
        np.take(theta, self.u, out=self.d)
        np.take(theta, self.v, out=self.t)
        np.subtract(self.d, self.t, out=self.d)
        return self.d

    def sigmoid(self, d, out):
        """sigma(d) into ``out`` (overflow of exp(-d) gives 1/inf = 0, which is exact)."""
        with np.errstate(over="ignore"):
            np.negative(d, out=out)
            np.exp(out, out=out)
            out += 1.0
            np.reciprocal(out, out=out)
        return out

    def loglik(self, d):
        t = self.t
        np.abs(d, out=t)
        np.negative(t, out=t)
        np.exp(t, out=t)
        np.log1p(t, out=t)  # log(1 + e^{-|d|})
        # log sigma(d) = min(d, 0) - log1p(e^{-|d|});  loglik = K.lsp - (K - w).d
        return float(self.K @ np.minimum(d, 0.0) - self.K @ t - self.lose @ d)

    def eval(self, theta, need_obj=True):
        n, u, v, K, prior = self.n, self.u, self.v, self.K, self.prior
        d = self.diff(theta)
        loglik = self.loglik(d) if need_obj else float("nan")
        p = self.sigmoid(d, self.p)
        ge = self.t
        np.multiply(K, p, out=ge)
        np.subtract(self.w, ge, out=ge)
        g = np.bincount(u, ge, n)
        g -= np.bincount(v, ge, n)
        obj = loglik
        if prior > 0:
            lp, q = _log_sigmoid_and_p(theta)
            obj += float(0.5 * prior * np.sum(2.0 * lp - theta))  # s/2 [log s(t) + log s(-t)]
            g += prior * (0.5 - q)
        return obj, loglik, g, p

    def newman_sums(self, theta):
        n, u, v = self.n, self.u, self.v
        d = self.diff(theta)
        s_vu = self.sigmoid(d, self.p)  # sigma(theta_u - theta_v)
        a = self.t
        np.multiply(self.lose, s_vu, out=a)  # losses of u, weighted by sigma(theta_u - theta_v)
        A = np.bincount(v, a, n)
        B = np.bincount(u, a, n)
        np.subtract(1.0, s_vu, out=a)
        a *= self.w  # wins of u, weighted by sigma(theta_v - theta_u)
        A += np.bincount(u, a, n)
        B += np.bincount(v, a, n)
        if self.prior > 0:
            A += 0.5 * self.prior * _log_sigmoid_and_p(-theta)[1]
            B += 0.5 * self.prior * _log_sigmoid_and_p(theta)[1]
        return A, B


def _newton(n, edges, w, K, prior, beta, tol, maxiter, solver, warm_iters=4, W=None, theta0=None):
    W = _Work(n, edges, w, K, prior) if W is None else W
    S = LaplacianSolver(n, edges, method=solver)
    # warm start: a few of Newman's fixed-point iterations (cheap, O(E) each), which bring the
    # gradient down by one to three orders of magnitude on well-connected graphs; Newton's
    # quadratic phase then starts almost at once
    if theta0 is not None:
        theta = theta0
    else:
        theta = (_newman_host(n, edges, w, K, prior, beta, tol, warm_iters, W, ll=False)[0] if warm_iters
                 else np.zeros(n))
    obj, ll, g, p = W.eval(theta, need_obj=False)  # the objective is evaluated only when backtracking
    it, cg_iters = 0, 0
    trace: list = []
    gn = beta * float(np.linalg.norm(g))
    while gn > tol and it < maxiter:
        c = K * p * (1.0 - p)
        extra = None
        if prior > 0:
            q = expit(theta)
            extra = prior * q * (1.0 - q)
        rtol = min(1e-6, max(1e-14, 1e-3 * gn))
        step = S.solve(c, g, extra_diag=extra, rtol=rtol)
        cg_iters += S.last_iterations
        # full step accepted without evaluating the objective when the directional derivative at
        # the new point is still >= 0 (concavity then guarantees an increase); otherwise backtrack
        th_new = theta + step
        obj_new, ll_new, g_new, p_new = W.eval(th_new, need_obj=False)
        if not float(g_new @ step) >= 0.0:
            if not np.isfinite(obj):
                obj = W.eval(theta)[0]
            a = 1.0
            for _ in range(60):
                th_new = theta + a * step
                obj_new, ll_new, g_new, p_new = W.eval(th_new)
                if obj_new >= obj - 1e-13 * abs(obj):
                    break
                a *= 0.5
        trace.append(gn)
        theta, obj, ll, g, p = th_new, obj_new, ll_new, g_new, p_new
        it += 1
        gn = beta * float(np.linalg.norm(g))
    if not np.isfinite(ll):
        ll = W.eval(theta)[1]
    return theta, gn, it, ll, S, {"cg_iterations": cg_iters, "solver_detail": S.last_method,
                                  "grad_trace": trace + [gn]}


def _newman_host(n, edges, w, K, prior, beta, tol, maxiter, W=None, ll=True, stall_exit=False):
    """Newman's fixed point on the host. With ``stall_exit`` it returns early (``stalled=True``) once
    the gradient norm contracts by less than a factor 0.7 per iteration on average over 5 iterations
    (first-order methods stall on chains and other poorly connected graphs)."""
    W = _Work(n, edges, w, K, prior) if W is None else W
    theta = np.zeros(n)
    it, om, gn_old = 0, 1.0, np.inf
    hist: list = []
    stalled = False
    while True:
        A, B = W.newman_sums(theta)
        gn = beta * float(np.linalg.norm(A - B))
        if gn >= gn_old:
            om = max(0.5 * om, 0.125)
        gn_old = gn
        hist.append(gn)
        if gn <= tol or it >= maxiter:
            break
        if stall_exit and it >= 8 and gn > 0.7**5 * hist[-6]:
            stalled = True
            break
        theta = theta + om * (np.log(A) - np.log(B))
        if prior == 0:
            theta -= theta.mean()
        it += 1
    out_ll = W.loglik(W.diff(theta)) if ll else float("nan")
    return (theta, gn, it, out_ll, stalled) if stall_exit else (theta, gn, it, out_ll)


def fit_bradley_terry(n_items: int, comparisons: Any, *, counts: Any = None, method: str = "auto",
                      prior_strength: float = 0.0, tol: float = 1e-10, maxiter: int | None = None,
                      beta: float = 1.0, solver: str = "auto", stderr: str = "auto",
                      check: bool = True) -> BTFit:
    """Fit Bradley--Terry scores to ``(winner, loser)`` pairs, with standard errors [M].

    .. math:: \\ell(r) = \\sum_{\\{i,j\\}} w_{ij}\\log\\sigma(\\beta(r_i-r_j)) + w_{ji}\\log\\sigma(\\beta(r_j-r_i)),
              \\qquad -\\nabla^2\\ell = L_c,\\ c_{ij} = \\beta^2K_{ij}p_{ij}(1-p_{ij})

    Spec ``ibn.md`` §3.2 (Hendrickx et al. 2019: the Fisher information is a weighted Laplacian;
    Ford 1957: the MLE exists iff the beats graph is strongly connected; Newman 2023: fixed
    point). Steps:

    1. aggregate the pairs (:func:`aggregate_comparisons`, vectorised ``numpy.unique``);
    2. existence: without a prior, the directed beats graph (arc :math:`i\\to j` when :math:`i` beat
       :math:`j`) must be strongly connected (``scipy.sparse.csgraph``), else
       :class:`~aligntheory.errors.DisconnectedGraphError` with ``directed=True`` and its
       strongly connected components;
    3. fit: ``method="newton"`` takes Newton steps :math:`\\Delta = (L_c + D)^{-1}\\nabla` from a
       least-squares warm start, with backtracking on the objective and a linear solver chosen by
       the graph's structure (:class:`~aligntheory.kernels.ibn.LaplacianSolver`: dense Cholesky,
       exact tree elimination, sparse LU or Jacobi-PCG; recorded in ``solver``).
       ``method="newman"`` runs Newman's fixed point (first-order: fast per iteration on
       well-connected graphs, stalls on chains). ``"auto"`` (default) runs Newman while it
       contracts the gradient norm by at least a factor 0.7 per iteration (5-iteration average)
       and hands over to Newton from its iterate when it stalls; the result records which ran
       (``"newman"`` or ``"newman+newton"``). Newton reaches gradient norms of :math:`10^{-10}` on
       random graphs and on chains alike;
    4. standard errors from the Fisher information at the optimum (see :class:`BTFit`).

    This entry point runs on the host (numpy/scipy), which is the fastest correct route on CPU;
    the JAX kernels :func:`fit_bt_newman` and :func:`aligntheory.kernels.ibn.fit_bt_newton` serve
    ``jit``/``vmap`` pipelines.

    The prior (``prior_strength`` :math:`s>0`): every item gets :math:`s/2` virtual wins and
    :math:`s/2` virtual losses against a virtual item of score 0 (pseudo-counts; Newman 2023 uses
    :math:`s=2`). Its log-density :math:`\\tfrac s2[\\log\\sigma(\\theta_i)+\\log\\sigma(-\\theta_i)]` is
    strictly concave, so the MAP estimate exists for every dataset; it is reported in
    ``prior_strength``.

    Parameters
    ----------
    n_items : int
    comparisons : int array, shape (m, 2)
        Row ``(a, b)``: item ``a`` beat item ``b`` (the ``choix`` and Chatbot-Arena convention).
    counts : float array, shape (m,), optional
        Multiplicity of each row (aggregated counts; fractional weights allowed, e.g. ties as
        half a win each way).
    method : {"auto", "newton", "newman"}
    prior_strength : float
        Pseudo-comparisons per item (0: maximum likelihood).
    tol : float
        Stop when :math:`\\|\\nabla_r\\|_2\\le` ``tol``.
    maxiter : int, optional
        Default 100 (Newton), 100000 (Newman) or 200 (auto: for each phase).
    beta : float
        Inverse temperature: scores are :math:`r = \\theta/\\beta`.
    solver : {"auto", "dense", "tree", "splu", "pcg"}
        Linear solver for Newton steps.
    stderr : {"auto", "exact", "none"}
        ``"exact"``: dense :math:`O(N^3)` inverse of the Fisher matrix; ``"auto"``: exact when
        :math:`N\\le 2000`, else not computed (``None``).
    check : bool
        Raise :class:`~aligntheory.errors.ConvergenceError` (with iterations and gradient norm)
        when ``tol`` is not met within ``maxiter``; with ``False`` return ``converged=False``.

    Returns
    -------
    BTFit

    Complexity
    ----------
    Aggregation :math:`O(m\\log m)`; Newton: a few steps, each one Laplacian solve on the
    :math:`E` distinct pairs; Newman :math:`O(E)` per iteration.

    Examples
    --------
    Item 0 beat item 1 three times out of four, and item 1 beat item 2 once out of two:

    >>> fit = fit_bradley_terry(3, [[0, 1], [0, 1], [0, 1], [1, 0], [1, 2], [2, 1]], method="newton")
    >>> round(float(fit.scores[0] - fit.scores[1]), 9), round(float(np.log(3)), 9)
    (1.098612289, 1.098612289)
    >>> fit.method, fit.solver, fit.converged, fit.grad_norm <= 1e-10
    ('newton', 'dense', True, True)
    """
    n = V.check_int("n_items", n_items, lo=2)
    V.check_choice("method", method, ("auto", "newton", "newman"))
    V.check_choice("solver", solver, ("auto", "dense", "tree", "splu", "pcg"))
    V.check_choice("stderr", stderr, ("auto", "exact", "none"))
    prior = V.check_scalar("prior_strength", prior_strength, nonnegative=True)
    tol = V.check_scalar("tol", tol, positive=True)
    beta = _check_beta(beta)
    if maxiter is None:
        maxiter = {"newton": 100, "newman": 100000, "auto": 200}[method]
    maxiter = V.check_int("maxiter", maxiter, lo=1)
    edges, w, K = aggregate_comparisons(n, comparisons, counts)
    if prior == 0:
        ncomp, lab = _beats_components(n, edges, w, K)
        if ncomp > 1:
            comps = [np.nonzero(lab == i)[0] for i in range(ncomp)]
            comps.sort(key=len, reverse=True)
            shown = "; ".join(str(c[:8].tolist())[:-1] + (", ...]" if len(c) > 8 else "]") for c in comps[:4])
            raise DisconnectedGraphError(
                f"fit_bradley_terry: the Bradley-Terry MLE does not exist: the beats graph is not strongly "
                f"connected ({ncomp} strongly connected components, sizes "
                f"{[len(c) for c in comps[:8]]}{'...' if ncomp > 8 else ''}: {shown}{'; ...' if ncomp > 4 else ''}). "
                "Pass prior_strength > 0 for a MAP estimate, or fit each component separately.",
                components=comps, directed=True)
    info: dict = {}
    if method == "auto":
        # Newman first (O(E) per iteration, fastest on well-connected graphs); if it stalls
        # (chains, weakly connected graphs) Newton takes over from the Newman iterate
        W = _Work(n, edges, w, K, prior)
        theta, gn, it, ll, stalled = _newman_host(n, edges, w, K, prior, beta, tol, min(maxiter, 200), W,
                                                  stall_exit=True)
        if gn <= tol:
            method, solver_used = "newman", "none"
        else:
            theta, gn, it2, ll, S, info = _newton(n, edges, w, K, prior, beta, tol, maxiter, solver, W=W,
                                                  theta0=theta)
            info["newman_iterations"] = it
            it += it2
            method, solver_used = "newman+newton", info["solver_detail"]
    elif method == "newton":
        theta, gn, it, ll, S, info = _newton(n, edges, w, K, prior, beta, tol, maxiter, solver)
        solver_used = info["solver_detail"]
    else:
        theta, gn, it, ll = _newman_host(n, edges, w, K, prior, beta, tol, maxiter)
        solver_used = "none"
    converged = bool(gn <= tol)
    if check and not converged:
        raise ConvergenceError(f"fit_bradley_terry ({method}): gradient norm {gn:.3e} > tol {tol:.1e} after "
                               f"{it} iterations (maxiter={maxiter})", iterations=it, residual=gn)
    theta = theta - theta.mean()
    se = None
    if stderr == "exact" or (stderr == "auto" and n <= 2000):
        se = _stderr_dense(n, edges, K, theta, prior) / beta
    return BTFit(scores=theta / beta, stderr=se, grad_norm=gn, iterations=int(it), method=method,
                 solver=solver_used, converged=converged, prior_strength=prior, beta=beta, n_items=n,
                 n_pairs=len(edges), n_comparisons=float(K.sum()), loglik=ll, info=info)


def _stderr_dense(n, edges, K, theta, prior):
    u, v = edges[:, 0], edges[:, 1]
    p = expit(theta[u] - theta[v])
    c = K * p * (1.0 - p)
    H = np.zeros((n, n))
    np.add.at(H, (u, v), -c)
    np.add.at(H, (v, u), -c)
    H[np.diag_indices(n)] = np.bincount(u, c, n) + np.bincount(v, c, n)
    from scipy.linalg import cho_factor, cho_solve

    if prior > 0:
        q = expit(theta)
        H[np.diag_indices(n)] += prior * q * (1.0 - q)
        C = cho_solve(cho_factor(H, lower=True), np.eye(n))
        P = np.eye(n) - 1.0 / n
        C = P @ C @ P
    else:
        C = cho_solve(cho_factor(H + 1.0 / n, lower=True), np.eye(n)) - 1.0 / n
    return np.sqrt(np.clip(np.diag(C), 0.0, None))

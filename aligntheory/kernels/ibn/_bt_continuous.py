"""Continuous Bradley--Terry feedback: simulation, least squares, Monte Carlo variance (spec ``ibn.md`` §2.2, §3.2).

JAX kernels (pure, float64, explicit keys): :func:`simulate_bt_continuous`, :func:`fit_ls_continuous`,
:func:`mc_difference_variance_continuous`. Inputs pass the validation boundary of
:mod:`aligntheory.kernels.ibn._checks` before tracing (node ids are never clamped or wrapped).
"""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.kernels._common import require_x64
from aligntheory.kernels.ibn import _checks as C
from aligntheory.results import provenance

__all__ = [
    "simulate_bt_continuous",
    "fit_ls_continuous",
    "mc_difference_variance_continuous",
    "MCVarianceContinuous",
]


def _check_beta(beta: Any) -> float:
    return V.check_scalar("beta", beta, positive=True)


def _label_counts(K: Any, n_edges: int) -> np.ndarray:
    """Labels per edge: positive whole numbers, shape ``(n_edges,)`` (host side: ``k_max`` is static)."""
    if isinstance(K, jax.core.Tracer):
        raise InvalidInputError("K", "must be concrete (the number of draws k_max is a static size)")
    k = V.as_float_array("K", np.asarray(K) if isinstance(K, jax.Array) else K, shape=(n_edges,), positive=True)
    if not np.all(k == np.round(k)):
        raise InvalidInputError("K", "must hold whole numbers of labels", received=f"min {k.min()}")
    return k


@partial(jax.jit, static_argnums=(5,))
def _simulate_cont(key, r, edges, K, beta, k_max):
    draws = jax.random.logistic(key, (edges.shape[0], k_max), dtype=r.dtype)
    keep = jnp.arange(k_max, dtype=K.dtype)[None, :] < K[:, None]
    mean = jnp.sum(jnp.where(keep, draws, 0.0), axis=1) / K
    return (r[edges[:, 0]] - r[edges[:, 1]]) + mean / beta


@provenance("R", source="qiu2024reward", where="continuous feedback parametrisation (spec ibn.md §2.2)")
def simulate_bt_continuous(key: jax.Array, r: Any, edges: Any, K: Any, beta: float, *,
                           k_max: int | None = None, max_entries: int = C.DEFAULT_MAX_ENTRIES) -> jax.Array:
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
    max_entries : int, default 2**28
        Size cap on :math:`E\\cdot k_{\\max}` (the draws; ``DEFAULT_MAX_ENTRIES``), checked before allocation.

    Returns
    -------
    float64 array, shape (E,)

    Raises
    ------
    InvalidInputError
        Ids out of range (never clamped or wrapped), non-finite ``r``, ``K`` not whole numbers >= 1.
    SizeCapError
        Too many draws.

    Notes
    -----
    :math:`O(E\\cdot k_{\\max})`.

    Examples
    --------
    >>> from aligntheory.config import configure; configure()
    >>> import jax
    >>> import numpy as np
    >>> d = simulate_bt_continuous(jax.random.PRNGKey(0), np.array([1.0, 0.0]), np.array([[0, 1]]),
    ...                            np.array([20000.0]), 1.0)
    >>> abs(float(d[0]) - 1.0) < 0.05   # sd of the mean: pi/sqrt(3*20000) = 0.013
    True
    """
    require_x64("simulate_bt_continuous")
    rr = C.real_arg("r", r, ndim=1)
    e = C.edges_arg(edges, int(rr.shape[0]))
    k = _label_counts(K, e.shape[0])
    km = int(k.max()) if k_max is None else V.check_int("k_max", k_max, lo=int(k.max()) if k.size else 1)
    V.check_size("K", int(e.shape[0]) * max(km, 1), cap=max_entries, unit="logistic draws (E k_max)")
    return _simulate_cont(key, rr, e, jnp.asarray(k), _check_beta(beta), max(km, 1))


def _ls_solve(n_nodes, edges, deltas, K, beta):
    # weights c_e = 3 beta^2 K_e / pi^2 up to their common factor 3 beta^2 max(K) / pi^2, which cancels in the
    # estimate: K / max(K) keeps J/N commensurate with L at every beta (with 3 beta^2 K / pi^2 itself, beta = 1e-8
    # swamped L in L + J/N and gave a wrong estimate, and beta = 1e-110 or 1e110 gave NaN)
    s = jnp.max(K, initial=0.0)
    c = K / jnp.where(s > 0, s, 1.0)
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


@provenance("M", source="hendrickx2019graph", where="Gauss-Markov least squares on a graph (spec ibn.md §3.2)")
def fit_ls_continuous(n_nodes: int, edges: Any, deltas: Any, K: Any, beta: float, *,
                      max_nodes: int = C.DEFAULT_MAX_NODES) -> jax.Array:
    """Weighted least-squares rewards from continuous feedback: one Laplacian solve [M].

    .. math:: \\hat r = L_c^{+} B^\\top C\\,\\bar\\delta, \\qquad c_e = \\frac{3\\beta^2 K_e}{\\pi^2}
              = \\frac{1}{\\mathrm{Var}[\\bar\\delta_e]}

    The common factor :math:`3\\beta^2/\\pi^2` of the weights cancels: the estimate is the
    least-squares fit with weights :math:`K_e` at every :math:`\\beta > 0` (solved with
    :math:`K_e/\\max K`, so that no :math:`\\beta` under- or overflows).
    Gauss--Markov: the estimator is linear and unbiased, and
    :math:`\\mathrm{Var}[\\hat r_u - \\hat r_v] = R_{\\rm eff}(u, v; c)` exactly at every :math:`K`
    (no Gaussianity needed). Spec ``ibn.md`` §3.2 (claim C6). Dense Cholesky of
    :math:`L_c + J/N`; the graph must be connected (checked on concrete inputs).

    Parameters
    ----------
    n_nodes : int
        :math:`N` (static).
    edges : int array, shape (E, 2)
    deltas : float64 array, shape (E,)
        Mean continuous label per edge (:func:`simulate_bt_continuous`).
    K : float64 array, shape (E,)
        Labels per edge, > 0.
    beta : float
    max_nodes : int, default 20_000
        Size cap on ``n_nodes`` (dense :math:`N\\times N` factorisation; ``DEFAULT_MAX_NODES``).

    Returns
    -------
    float64 array, shape (N,), centred.

    Raises
    ------
    InvalidInputError
        Ids out of range, non-finite ``deltas``, non-positive ``K``, shape mismatch.
    DisconnectedGraphError
        The comparison graph is disconnected (concrete inputs; the differences across components
        are not identified).
    SizeCapError, PrecisionError
        ``n_nodes > max_nodes``; float32 input or x64 off.

    Notes
    -----
    :math:`O(N^3 + E)`.

    Examples
    --------
    >>> from aligntheory.config import configure; configure()
    >>> import jax
    >>> import numpy as np
    >>> r = fit_ls_continuous(3, np.array([[0, 1], [1, 2]]), np.array([1.0, 1.0]), np.ones(2), 1.0)
    >>> np.round(np.asarray(r), 12).tolist()
    [1.0, 0.0, -1.0]
    """
    require_x64("fit_ls_continuous")
    n = C.n_nodes_arg(n_nodes, max_nodes)
    e = C.edges_arg(edges, n)
    d = C.real_arg("deltas", deltas, ndim=1)
    k = C.real_arg("K", K, ndim=1, positive=True)
    if not (e.ndim == 2 and d.shape[0] == e.shape[0] == k.shape[0]):
        raise InvalidInputError("edges, deltas, K", "must have shapes (E, 2), (E,), (E,)",
                                received=f"shapes {tuple(e.shape)}, {tuple(d.shape)}, {tuple(k.shape)}")
    C.connected_check("fit_ls_continuous", n, e, k)
    return _fit_ls_core(n, e, d, k, _check_beta(beta))


@provenance("M", where="result of mc_difference_variance_continuous")
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

    Examples
    --------
    >>> MCVarianceContinuous._fields
    ('var', 'm4', 'mean')
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


@provenance("M", source="hendrickx2019graph", where="Var of LS differences = R_eff (spec ibn.md §3.2)")
def mc_difference_variance_continuous(key: jax.Array, r: Any, edges: Any, K: Any, beta: float, pairs: Any,
                                      R: int, *, max_entries: int = C.DEFAULT_MAX_ENTRIES) -> MCVarianceContinuous:
    """Monte Carlo variance of least-squares reward differences under continuous feedback, ``vmap`` over replicates [M].

    Replicate :math:`i` draws the labels ``simulate_bt_continuous(jax.random.split(key, R)[i], r, edges, K, beta)``
    and fits :func:`fit_ls_continuous` (the Laplacian depends only on :math:`K`, so it is factored once). Theory
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
    max_entries : int, default 2**28
        Size cap on :math:`R(E k_{\\max} + N) + N^2` (the draws and right-hand sides of all replicates;
        ``DEFAULT_MAX_ENTRIES``), checked before any work.

    Returns
    -------
    MCVarianceContinuous
        ``var`` divides by :math:`R-1` (unbiased).

    Raises
    ------
    InvalidInputError
        Ids out of range (never clamped or wrapped), non-finite ``r``, ``K`` not whole numbers >= 1,
        ``R < 2``.
    SizeCapError, PrecisionError
        Too many draws; float32 input or x64 off.

    Notes
    -----
    :math:`O(N^3 + R(N^2 + E k_{\\max}))`.

    Examples
    --------
    >>> from aligntheory.config import configure; configure()
    >>> import jax
    >>> import numpy as np
    >>> out = mc_difference_variance_continuous(jax.random.PRNGKey(0), np.zeros(2), np.array([[0, 1]]),
    ...                                         np.array([1.0]), 1.0, np.array([[0, 1]]), 4000)
    >>> abs(float(out.var[0]) / (np.pi**2 / 3) - 1) < 0.1
    True
    """
    require_x64("mc_difference_variance_continuous")
    rr = C.real_arg("r", r, ndim=1)
    n = int(rr.shape[0])
    e = C.edges_arg(edges, n)
    k = _label_counts(K, e.shape[0])
    p = V.as_index_array("pairs", V.as_real_array("pairs", pairs), n=n, shape=(None, 2))
    R = V.check_int("R", R, lo=2)
    V.check_size("R", R * (int(e.shape[0]) * int(k.max()) + n) + n * n, cap=max_entries,
                 unit="entries (R (E k_max + N) + N^2)")
    out = _mc_cont(key, rr, e, jnp.asarray(k), _check_beta(beta), jnp.asarray(p), R, int(k.max()))
    return MCVarianceContinuous(*out)



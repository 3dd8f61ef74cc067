"""Monte Carlo variance of fitted Bradley--Terry score differences (``mc_difference_variance``).

Split from :mod:`aligntheory.kernels.ibn._bt` (published at :mod:`aligntheory.kernels.ibn`): the
exact batched binomial sampler, the batched Newton that fits all replicates at once, and the
estimator.
"""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax.scipy.special import gammaln

from aligntheory import _validate as V
from aligntheory.errors import DisconnectedGraphError, InvalidInputError
from aligntheory.kernels._common import require_x64
from aligntheory.kernels.ibn import _checks as C
from aligntheory.kernels.ibn._bt import _check_beta, _graph_counts, _strongly_connected
from aligntheory.results import provenance

__all__ = ["MCVariance", "mc_difference_variance"]


@provenance("M", where="result of mc_difference_variance")
class MCVariance(NamedTuple):
    """Result of :func:`mc_difference_variance`.

    Attributes
    ----------
    var : float64 array, shape (k,)
        Unbiased sample variance (divisor :math:`n_{\\rm kept}-1`) of :math:`\\hat r_u - \\hat r_v`
        over kept replicates. Fewer than two kept replicates (``n_kept < 2``: no MLE in most
        replicates, e.g. a few comparisons per edge) raise ``DisconnectedGraphError`` in an eager call;
        with ``throw=False``, or under ``jit`` where the count is traced, ``var`` is NaN then, so read
        ``n_kept`` first.
    m4 : float64 array, shape (k,)
        Sample central fourth moment.
    n_excluded : int scalar
        Replicates masked out because the MLE did not exist (beats graph not strongly connected).
    n_kept : int scalar
    max_grad_norm : float64 scalar
        Largest final gradient norm over kept replicates.

    Examples
    --------
    >>> MCVariance._fields[0]
    'var'
    """

    var: jax.Array
    m4: jax.Array
    n_excluded: jax.Array
    n_kept: jax.Array
    max_grad_norm: jax.Array


_TABLE_CAP = 2**22  # entries of the inverse-CDF table (E x (k_max + 1)); above it jax.random.binomial


def _binomial_cdf_table(K, p, k_max):
    """CDF of Binomial(K_e, p_e) on 0..k_max for every edge, shape (E, k_max + 1), from log-pmfs."""
    k = jnp.arange(k_max + 1, dtype=K.dtype)
    Kc = K[:, None]
    logpmf = (gammaln(Kc + 1.0) - gammaln(k + 1.0) - gammaln(jnp.maximum(Kc - k, 0.0) + 1.0)
              + k * jnp.log(p)[:, None] + (Kc - k) * jnp.log1p(-p)[:, None])
    pmf = jnp.where(k[None, :] <= Kc, jnp.exp(jnp.where(k[None, :] <= Kc, logpmf, 0.0)), 0.0)
    cdf = jnp.cumsum(pmf, axis=1)
    return cdf / cdf[:, -1:]


def _sample_wins(key, r, edges, K, beta, R, k_max):
    """Binary labels of ``R`` replicates at once, shape (R, E).

    With a static ``k_max`` (small tables): exact inverse-CDF sampling, one uniform per replicate and
    edge and a binary search in the edge's binomial CDF (one table for all replicates); otherwise
    one batched ``jax.random.binomial`` call.
    """
    p = jax.nn.sigmoid(beta * (r[edges[:, 0]] - r[edges[:, 1]]))
    E = edges.shape[0]
    if k_max is None:
        return jax.random.binomial(key, jnp.broadcast_to(K, (R, E)), jnp.broadcast_to(p, (R, E))).astype(r.dtype)
    # p in (0, 1) strictly for the logs; p = 0 or 1 (|beta dr| > 745) puts all mass on 0 or K
    pc = jnp.clip(p, 1e-300, 1.0 - 1e-16)
    cdf = _binomial_cdf_table(K, pc, k_max)
    U = jax.random.uniform(key, (R, E), dtype=r.dtype)
    W = jax.vmap(lambda c, u: jnp.searchsorted(c, u, side="right"), in_axes=(0, 1), out_axes=1)(cdf, U)
    W = jnp.minimum(W.astype(r.dtype), K)
    return jnp.where(p >= 1.0, K, jnp.where(p <= 0.0, 0.0, W))


def _spd_solve_small(A, b):
    """Batched SPD solve ``A x = b`` (``A``: (R, n, n), ``b``: (R, n)) for a small static ``n``.

    Cholesky factorisation and the two substitutions unrolled over the columns at trace time and
    vectorised over the batch: a few hundred elementwise operations on ``(R,)`` vectors instead of
    ``R`` LAPACK calls on tiny matrices (which dominate a batched Newton step when ``n`` is small).
    """
    n = A.shape[-1]
    Lc = [[None] * n for _ in range(n)]
    for j in range(n):
        s = A[:, j, j]
        for k in range(j):
            s = s - Lc[j][k] * Lc[j][k]
        d = jnp.sqrt(s)
        Lc[j][j] = d
        for i in range(j + 1, n):
            t = A[:, i, j]
            for k in range(j):
                t = t - Lc[i][k] * Lc[j][k]
            Lc[i][j] = t / d
    y: list = [None] * n
    for i in range(n):
        t = b[:, i]
        for k in range(i):
            t = t - Lc[i][k] * y[k]
        y[i] = t / Lc[i][i]
    x: list = [None] * n
    for i in reversed(range(n)):
        t = y[i]
        for k in range(i + 1, n):
            t = t - Lc[k][i] * x[k]
        x[i] = t / Lc[i][i]
    return jnp.stack(x, 1)


_UNROLL_MAX_NODES = 12  # above this the unrolled solve's trace grows (n^3 / 6 ops): batched LU instead


def _newton_replicates(n, edges, W, K, beta, r0, tol, maxiter):
    """Damped Newton for all replicates at once (the MLE of each row of ``W``), from ``r0``.

    The same iteration as :func:`_newton_dense` (full Newton step, halved until the log-likelihood
    does not decrease, re-centred) written on ``(R, E)`` arrays: differences, gradients and the
    replicates' Fisher Laplacians :math:`B^\\top \\mathrm{diag}(c_r) B` are dense products with the
    incidence matrix :math:`B` (no scatter), and the ``R`` small systems are solved together
    (:func:`_spd_solve_small`). Replicates at ``tol`` take zero steps while others finish.
    Returns the fits ``(R, n)`` and their gradient norms ``(R,)``.
    """
    E = edges.shape[0]
    dtype = K.dtype
    ar = jnp.arange(E)
    Bm = jnp.zeros((E, n), dtype).at[ar, edges[:, 0]].add(1.0).at[ar, edges[:, 1]].add(-1.0)

    def terms(r):
        d = beta * (r @ Bm.T)
        ll = jnp.sum(W * jax.nn.log_sigmoid(d) + (K - W) * jax.nn.log_sigmoid(-d), axis=1)
        p = jax.nn.sigmoid(d)
        return ll, beta * ((W - K * p) @ Bm), p

    def cond(s):
        _, _, g, _, it = s
        return jnp.logical_and(jnp.any(jnp.linalg.norm(g, axis=1) > tol), it < maxiter)

    def body(s):
        r, ll, g, p, it = s
        active = jnp.linalg.norm(g, axis=1) > tol
        c = beta * beta * K * p * (1.0 - p)
        L = jnp.einsum("ei,re,ej->rij", Bm, c, Bm) + 1.0 / n
        if n <= _UNROLL_MAX_NODES:
            step = _spd_solve_small(L, g)
        else:
            step = jnp.linalg.solve(L, g[..., None])[..., 0]
        step = jnp.where(active[:, None], step, 0.0)
        floor = ll - 1e-12 * jnp.abs(ll)
        # the full step's terms are the next iterate's terms unless some replicate must backtrack
        r_new = r + step
        r_new = r_new - jnp.mean(r_new, axis=1, keepdims=True)
        full = terms(r_new)

        def backtrack(_):
            def ls_cond(t):
                _, ll_new, k = t
                return jnp.logical_and(jnp.any(ll_new < floor), k < 30)

            def ls_body(t):
                a, ll_new, k = t
                a = jnp.where(ll_new < floor, 0.5 * a, a)
                return a, terms(r + a[:, None] * step)[0], k + 1

            a, _, _ = lax.while_loop(ls_cond, ls_body, (jnp.ones(r.shape[0], dtype), full[0], 0))
            rb = r + a[:, None] * step
            rb = rb - jnp.mean(rb, axis=1, keepdims=True)
            return (rb, *terms(rb))

        r_new, ll_new, g_new, p_new = lax.cond(jnp.any(full[0] < floor), backtrack, lambda _: (r_new, *full), None)
        return r_new, ll_new, g_new, p_new, it + 1

    r = jnp.broadcast_to(r0 - jnp.mean(r0), (W.shape[0], n))
    ll, g, p = terms(r)
    r, _, g, _, _ = lax.while_loop(cond, body, (r, ll, g, p, jnp.asarray(0)))
    return r, jnp.linalg.norm(g, axis=1)


def _mc_replicate_diffs(key, r, edges, K, beta, pairs, R, tol, maxiter, k_max):
    """Per-replicate differences (R, k), existence flags and final gradient norms.

    All replicates are fitted together by :func:`_newton_replicates`, started at the true rewards
    ``r`` (the replicates' MLEs scatter around them at distance :math:`O(1/\\sqrt K)`, so a few
    quadratic steps reach ``tol``; the start does not change the maximiser).
    """
    n = r.shape[0]
    W = _sample_wins(key, r, edges, K, beta, R, k_max)
    ok = jax.vmap(lambda wins: _strongly_connected(n, edges, wins, K))(W)
    rh, g = _newton_replicates(n, edges, W, K, beta, r, tol, maxiter)
    return rh[:, pairs[:, 0]] - rh[:, pairs[:, 1]], ok, g


@partial(jax.jit, static_argnums=(6, 8, 9))
def _mc_var(key, r, edges, K, beta, pairs, R, tol, maxiter, k_max):
    diffs, ok, g = _mc_replicate_diffs(key, r, edges, K, beta, pairs, R, tol, maxiter, k_max)
    diffs = jnp.where(ok[:, None], diffs, 0.0)  # replicates without an MLE may hold non-finite fits
    w = ok.astype(r.dtype)
    n_kept = jnp.sum(w)
    mean = jnp.sum(diffs * w[:, None], axis=0) / n_kept
    dev = (diffs - mean) * w[:, None]
    var = jnp.sum(dev**2, axis=0) / (n_kept - 1.0)
    m4 = jnp.sum(dev**4, axis=0) / n_kept
    gmax = jnp.max(jnp.where(ok, g, 0.0))
    return var, m4, R - jnp.sum(ok), jnp.sum(ok), gmax


@provenance("M", source="hendrickx2019graph", where="Var of BT MLE differences -> R_eff of the Fisher graph")
def mc_difference_variance(key: jax.Array, r: Any, edges: Any, K: Any, beta: float, pairs: Any, R: int, *,
                           tol: float = 1e-10, maxiter: int = 100,
                           max_entries: int = C.DEFAULT_MAX_ENTRIES, k_max: int | None = None,
                           throw: bool = True) -> MCVariance:
    """Monte Carlo variance of fitted BT reward differences, ``vmap`` over replicates [M].

    Each replicate draws binary labels (all replicates at once: exact inverse-CDF sampling from one
    table of the edges' binomial CDFs when :math:`E(\\max K + 1) \\le 2^{22}`, else one batched
    ``jax.random.binomial``), fits the MLE by the damped Newton of :func:`fit_bt_newton` for all
    replicates at once (batched solves, started at the true rewards) and records :math:`\\hat r_u - \\hat r_v` for every pair. Replicates
    whose beats graph is not strongly connected (no MLE) are masked out (static shapes: no
    redraw) and counted. The variance divides by :math:`n_{\\rm kept}-1` (unbiased). Spec
    ``ibn.md`` §4.2; compared with :math:`R_{\\rm eff}` in claim C5.

    Parameters
    ----------
    key : PRNG key
    r : float64 array, shape (N,)
        True rewards (finite).
    edges : int array, shape (E, 2)
    K : float64 array, shape (E,)
        Comparisons per edge (whole numbers >= 0).
    beta : float
    pairs : int array, shape (k, 2)
    R : int
        Replicates (static), >= 2.
    tol : float, default 1e-10
        Gradient-norm tolerance of the Newton fitter (replicates at ``tol`` stop stepping).
    maxiter : int, default 100
        Newton steps at most (static), >= 1.
    max_entries : int, default 2**28
        Size cap on :math:`R N^2` (the replicates' dense Laplacians live together under ``vmap``;
        ``DEFAULT_MAX_ENTRIES``), checked before sampling.
    k_max : int, optional
        The largest entry of ``K`` (static), >= 0. It picks the sampler: the inverse-CDF table when
        :math:`E(k_{\\max}+1) \\le 2^{22}`, else ``jax.random.binomial`` (same distribution, other
        draws). Read from ``K`` when ``K`` is concrete; under ``jit``, where ``K`` is traced, pass
        it to get the same draws as the eager call (without it the binomial sampler is used).
    throw : bool, default True
        When the call is eager and fewer than two replicates have an MLE, raise (default) instead of
        returning a NaN variance.

    Returns
    -------
    MCVariance

    Raises
    ------
    InvalidInputError
        Ids out of range, NaN/negative/fractional ``K``, non-finite ``r``, ``R < 2``.
    SizeCapError
        :math:`R N^2` above ``max_entries``.
    DisconnectedGraphError
        ``throw=True``, an eager call, and fewer than two replicates with a strongly connected beats
        graph (the variance is undefined).

    Notes
    -----
    :math:`O(R \\cdot \\text{steps} \\cdot N^3)`; all replicates are fitted as one batch.

    Examples
    --------
    >>> from aligntheory.config import configure; configure()
    >>> import jax, numpy as np
    >>> out = mc_difference_variance(jax.random.PRNGKey(0), np.zeros(2), np.array([[0, 1]]),
    ...                              np.array([400.0]), 1.0, np.array([[0, 1]]), 200)
    >>> 0.005 < float(out.var[0]) < 0.015   # R_eff = 1/(K p(1-p)) = 0.01
    True
    """
    require_x64("mc_difference_variance")
    rr = C.real_arg("r", r, ndim=1)
    n = int(rr.shape[0])
    e, k = _graph_counts("mc_difference_variance", n, edges, K)
    p = V.as_index_array("pairs", V.as_real_array("pairs", pairs), n=n, shape=(None, 2))
    R = V.check_int("R", R, lo=2)
    V.check_size("R", R * n * n, cap=max_entries, unit="dense entries (R N^2)")
    km = None if k_max is None else V.check_int("k_max", k_max, lo=0)
    if km is None and C.concrete(k) and k.size:
        km = int(np.max(K)) if isinstance(K, np.ndarray) else int(jnp.max(k))  # host array: no device round trip
    elif km is not None and C.concrete(k) and k.size and float(jnp.max(k)) > km:
        raise InvalidInputError("k_max", "must be >= max(K)", received=km)
    k_max = km if km is not None and int(e.shape[0]) * (km + 1) <= _TABLE_CAP else None
    out = _mc_var(key, rr, e, k, _check_beta(beta), jnp.asarray(p), R,
                  V.check_scalar("tol", tol, positive=True), V.check_int("maxiter", maxiter, lo=1), k_max)
    res = MCVariance(*out)
    if throw and C.concrete(res.n_kept) and int(res.n_kept) < 2:
        raise DisconnectedGraphError(
            f"mc_difference_variance: only {int(res.n_kept)} of {R} replicates have a Bradley-Terry MLE (the "
            "others' beats graphs are not strongly connected), so the variance is undefined; raise K or R, "
            "or pass throw=False to get NaN with the counts", directed=True)
    return res


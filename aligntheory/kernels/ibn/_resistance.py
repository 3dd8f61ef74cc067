"""JAX kernels for reward generalization over comparison graphs (spec ``ibn.md`` §4.2).

Kernels take edge **conductances** ``cond`` (:math:`1/\\sigma_e^2`; a padded or dropped edge has
conductance exactly 0) in the order ``(n_nodes, edges, cond, mask, ...)``, with ``n_nodes``
static. Randomised kernels take a PRNG key first. Everything is float64: call
``jax.config.update("jax_enable_x64", True)`` first, or the kernels raise
:class:`~aligntheory.errors.PrecisionError`.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax.experimental import checkify

from aligntheory import _validate as V
from aligntheory.errors import DisconnectedGraphError, InvalidInputError
from aligntheory.kernels._common import check_precision_all, f64, ints, require_x64

__all__ = [
    "laplacian_dense",
    "reff_dense_cholesky",
    "effective_resistance_dense",
    "effective_resistance_dense_batched",
    "simulate_bt",
    "strongly_connected_dense",
    "fit_bt_newton",
    "BTNewtonResult",
    "mc_difference_variance",
    "MCVariance",
]


# ----------------------------------------------------------------------------------------------
# Laplacian and dense effective resistance


def _laplacian(n_nodes: int, edges: jax.Array, cond: jax.Array) -> jax.Array:
    u, v = edges[:, 0], edges[:, 1]
    off = jnp.zeros((n_nodes, n_nodes), cond.dtype)
    off = off.at[u, v].add(-cond).at[v, u].add(-cond)
    deg = jax.ops.segment_sum(cond, u, n_nodes) + jax.ops.segment_sum(cond, v, n_nodes)
    # a self-loop (u == v) adds -2c off the diagonal and +2c on it: net zero, as it must
    return off + jnp.diag(deg)


@partial(jax.jit, static_argnums=0)
def _laplacian_jit(n_nodes, edges, cond):
    return _laplacian(n_nodes, edges, cond)


def laplacian_dense(n_nodes: int, edges: Any, cond: Any, mask: Any = None) -> jax.Array:
    """Dense weighted Laplacian by scatter-add (``segment_sum``) [M].

    .. math:: L = \\sum_e c_e m_e (e_{u_e}-e_{v_e})(e_{u_e}-e_{v_e})^\\top

    Spec ``ibn.md`` §4.2. Self-loops contribute nothing, masked edges contribute nothing.

    Parameters
    ----------
    n_nodes : int
        :math:`N` (static).
    edges : int array, shape (E, 2)
    cond : float64 array, shape (E,)
        Conductances :math:`c_e \\ge 0`.
    mask : bool array, shape (E,), optional
        ``False`` marks a padded edge.

    Returns
    -------
    float64 array, shape (N, N)

    Complexity
    ----------
    :math:`O(N^2 + E)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> np.asarray(laplacian_dense(3, np.array([[0, 1], [1, 2]]), np.array([1.0, 2.0])))
    array([[ 1., -1.,  0.],
           [-1.,  3., -2.],
           [ 0., -2.,  2.]])
    """
    check_precision_all("laplacian_dense", cond=cond)
    e = ints("edges", edges, shape_tail=(2,))
    c = f64("cond", cond)
    if mask is not None:
        c = jnp.where(jnp.asarray(mask, bool), c, 0.0)
    return _laplacian_jit(int(n_nodes), e, c)


def _pinv_from_laplacian(L: jax.Array) -> jax.Array:
    n = L.shape[-1]
    J = jnp.full((n, n), 1.0 / n, L.dtype)
    factor = jax.scipy.linalg.cho_factor(L + J, lower=True)
    return jax.scipy.linalg.cho_solve(factor, jnp.eye(n, dtype=L.dtype)) - J


def _reff_from_laplacian(L: jax.Array) -> jax.Array:
    P = _pinv_from_laplacian(L)
    P = 0.5 * (P + P.T)
    d = jnp.diag(P)
    R = d[:, None] + d[None, :] - 2.0 * P
    return R * (1.0 - jnp.eye(L.shape[-1], dtype=L.dtype))


_reff_from_laplacian_jit = jax.jit(_reff_from_laplacian)


def reff_dense_cholesky(L: Any) -> jax.Array:
    """All-pairs effective resistance from a Laplacian, by Cholesky of :math:`L + J/N` [M].

    .. math:: L^{+} = (L + J/N)^{-1} - J/N, \\quad R_{uv} = L^{+}_{uu} + L^{+}_{vv} - 2L^{+}_{uv}

    Spec ``ibn.md`` §3.3. A disconnected graph makes :math:`L + J/N` singular; the unchecked
    kernel then returns NaN (use :func:`aligntheory.theory.ibn.effective_resistance` for a
    checked call).

    Parameters
    ----------
    L : float64 array, shape (N, N) or (G, N, N)
        Laplacian(s) of connected graphs; a leading batch axis is mapped with ``vmap``.

    Returns
    -------
    float64 array, shape like ``L``

    Complexity
    ----------
    :math:`O(N^3)` per graph.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> L = np.array([[1.0, -1.0], [-1.0, 1.0]])
    >>> float(reff_dense_cholesky(L)[0, 1])
    1.0
    """
    check_precision_all("reff_dense_cholesky", L=L)
    L = f64("L", L)
    if L.ndim == 2:
        return _reff_from_laplacian_jit(L)
    if L.ndim == 3:
        return _reff_batched(L)
    raise InvalidInputError("L", "must have shape (N, N) or (G, N, N)", received=f"shape {tuple(L.shape)}")


_reff_batched = jax.jit(jax.vmap(_reff_from_laplacian))


@partial(jax.jit, static_argnums=0)
def _reff_graph(n_nodes, edges, cond):
    return _reff_from_laplacian(_laplacian(n_nodes, edges, cond))


_reff_graph_batched = jax.jit(jax.vmap(_reff_graph.__wrapped__, in_axes=(None, 0, 0)), static_argnums=0)


def _component_labels(n_nodes, edges, cond):
    """Smallest node id of each node's component (edges of conductance 0 absent): min-label propagation."""
    u, v = edges[:, 0], edges[:, 1]
    live = cond > 0

    def body(_, lab):
        m = jnp.where(live, jnp.minimum(lab[u], lab[v]), n_nodes)
        return jnp.minimum(lab, jnp.minimum(jax.ops.segment_min(m, u, n_nodes), jax.ops.segment_min(m, v, n_nodes)))

    # a fixed trip count (N - 1 rounds reach every node of a component); a data-dependent
    # while-loop would be simpler but checkify cannot be batched over one
    return lax.fori_loop(0, max(n_nodes - 1, 1), body, jnp.arange(n_nodes))


def _reff_graph_checked_core(n_nodes, edges, cond):
    checkify.check(jnp.all(jnp.isfinite(cond)), "nonfinite|cond: non-finite input")
    checkify.check(jnp.all(cond >= 0), "invalid|cond: conductances must be >= 0")
    checkify.check(jnp.all(_component_labels(n_nodes, edges, cond) == 0),
                   "disconnected|the graph is disconnected: the effective resistance between components is infinite")
    return _reff_graph.__wrapped__(n_nodes, edges, cond)


_reff_graph_checked = jax.jit(checkify.checkify(_reff_graph_checked_core, errors=checkify.user_checks),
                              static_argnums=0)
@partial(jax.jit, static_argnums=0)
def _reff_graph_batched_checked(n_nodes, edges, cond):
    # vmap of checkify (checkify cannot wrap a vmapped while-loop); errors carry the batch index
    one = checkify.checkify(partial(_reff_graph_checked_core, n_nodes), errors=checkify.user_checks)
    return jax.vmap(one)(edges, cond)


def _throw(err, where: str) -> None:
    """Turn a checkify error into the library's exception classes (kind prefix before ``|``)."""
    msg = err.get()
    if msg is None:
        return
    text = re.sub(r"\s*\(`check` failed\).*$", "", msg.strip(), flags=re.S)
    batch = re.match(r"at mapped index (\d+): ", text)
    if batch:
        text = text[batch.end():]
        where = f"{where} (graph {batch.group(1)} of the batch)"
    kind, _, body = text.partition("|")
    if kind == "disconnected":
        raise DisconnectedGraphError(f"{where}: {body}")
    name, _, constraint = body.partition(": ")
    raise InvalidInputError(name, constraint + (f" [{where}]" if batch else ""))


def _edge_inputs(where: str, edges: Any, cond: Any, mask: Any, batch: bool):
    check_precision_all(where, cond=cond)
    e = ints("edges", edges, shape_tail=(2,))
    c = f64("cond", cond)
    want = 3 if batch else 2
    if e.ndim != want or c.ndim != want - 1 or e.shape[:-1] != c.shape:
        raise InvalidInputError(
            "edges, cond",
            f"must have shapes {'(G, E, 2) and (G, E)' if batch else '(E, 2) and (E,)'}",
            received=f"shapes {tuple(e.shape)} and {tuple(c.shape)}",
        )
    if mask is not None:
        m = jnp.asarray(mask)
        if m.shape != c.shape:
            raise InvalidInputError("mask", f"must have shape {tuple(c.shape)}", received=f"shape {tuple(m.shape)}")
        c = jnp.where(m.astype(bool), c, 0.0)
    return e, c


def effective_resistance_dense(n_nodes: int, edges: Any, cond: Any, mask: Any = None, *,
                               check: bool = False) -> jax.Array:
    """All-pairs effective resistance of one graph given by an edge list [M].

    Builds :func:`laplacian_dense` and applies :func:`reff_dense_cholesky` in one ``jit``.
    Spec ``ibn.md`` §3.3, §4.2.

    Parameters
    ----------
    n_nodes : int
        :math:`N` (static).
    edges : int array, shape (E, 2)
    cond : float64 array, shape (E,)
        Conductances (:math:`1/\\sigma_e^2`).
    mask : bool array, shape (E,), optional
    check : bool
        Checked variant (``jax.experimental.checkify``): non-finite or negative conductances raise
        :class:`~aligntheory.errors.InvalidInputError` and a disconnected graph raises
        :class:`~aligntheory.errors.DisconnectedGraphError` (connectivity by min-label propagation,
        :math:`O(N E)`). Unchecked (default), such input yields NaN or meaningless values.

    Returns
    -------
    float64 array, shape (N, N)

    Complexity
    ----------
    :math:`O(N^3 + E)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> R = effective_resistance_dense(3, np.array([[0, 1], [1, 2]]), np.array([1.0, 1.0]))
    >>> float(R[0, 2])
    2.0
    """
    e, c = _edge_inputs("effective_resistance_dense", edges, cond, mask, batch=False)
    if not check:
        return _reff_graph(int(n_nodes), e, c)
    err, R = _reff_graph_checked(int(n_nodes), e, c)
    _throw(err, "effective_resistance_dense")
    return R


def effective_resistance_dense_batched(n_nodes: int, edges: Any, cond: Any, mask: Any = None, *,
                                       check: bool = False) -> jax.Array:
    """Batched all-pairs effective resistance over ``G`` graphs with the same ``N`` and ``E`` [M].

    ``vmap`` of :func:`effective_resistance_dense` over a leading graph axis (pad edge lists to a
    common ``E`` with ``mask=False``, conductance 0). The batch axis is leading, so
    ``jax.sharding`` can spread it over devices.

    Parameters
    ----------
    n_nodes : int
        :math:`N` (static, shared).
    edges : int array, shape (G, E, 2)
    cond : float64 array, shape (G, E)
    mask : bool array, shape (G, E), optional
    check : bool
        Checked variant, as in :func:`effective_resistance_dense`; the error names the offending
        graph of the batch.

    Returns
    -------
    float64 array, shape (G, N, N)

    Complexity
    ----------
    :math:`O(G N^3)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> edges = np.array([[[0, 1], [1, 2]], [[0, 1], [0, 2]]])
    >>> R = effective_resistance_dense_batched(3, edges, np.ones((2, 2)))
    >>> np.asarray(R[:, 1, 2]).tolist()
    [1.0, 2.0]
    """
    e, c = _edge_inputs("effective_resistance_dense_batched", edges, cond, mask, batch=True)
    if not check:
        return _reff_graph_batched(int(n_nodes), e, c)
    err, R = _reff_graph_batched_checked(int(n_nodes), e, c)
    _throw(err, "effective_resistance_dense_batched")
    return R


# ----------------------------------------------------------------------------------------------
# Bradley--Terry simulation and fitting


def _check_beta(beta: Any) -> float:
    return V.check_scalar("beta", beta, positive=True)


@jax.jit
def _simulate_binary(key, r, edges, K, beta):
    p = jax.nn.sigmoid(beta * (r[edges[:, 0]] - r[edges[:, 1]]))
    return jax.random.binomial(key, K, p).astype(r.dtype)


def simulate_bt(key: jax.Array, r: Any, edges: Any, K: Any, beta: float) -> jax.Array:
    """Simulate binary Bradley--Terry labels on every edge [M].

    .. math:: w_e \\sim \\mathrm{Binomial}\\big(K_e,\\ \\sigma(\\beta(r_{u_e} - r_{v_e}))\\big)

    Spec ``ibn.md`` §2.2 (the BT invariant :math:`\\Pr[a\\succ b]=\\sigma(\\beta\\Delta r)`).

    Parameters
    ----------
    key : PRNG key
    r : float64 array, shape (N,)
        Latent rewards.
    edges : int array, shape (E, 2)
        ``edges[:, 0]`` is the first item of each comparison.
    K : float64 array, shape (E,)
        Comparisons per edge (whole numbers).
    beta : float
        Inverse temperature, > 0.

    Returns
    -------
    float64 array, shape (E,)
        Wins of ``edges[:, 0]`` over ``edges[:, 1]``.

    Complexity
    ----------
    :math:`O(E)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> w = simulate_bt(jax.random.PRNGKey(0), np.array([0.0, 0.0]), np.array([[0, 1]]), np.array([10.0]), 1.0)
    >>> 0.0 <= float(w[0]) <= 10.0
    True
    """
    check_precision_all("simulate_bt", r=r, K=K)
    return _simulate_binary(key, f64("r", r), ints("edges", edges, shape_tail=(2,)), f64("K", K), _check_beta(beta))


def _reachability(adj: jax.Array) -> jax.Array:
    n = adj.shape[-1]
    R = jnp.logical_or(adj, jnp.eye(n, dtype=bool))
    steps = max(1, int(np.ceil(np.log2(max(n, 2)))))

    def body(_, R):
        Rf = R.astype(jnp.float64)
        return (Rf @ Rf) > 0.5

    return lax.fori_loop(0, steps, body, R)


def _beats_adjacency(n_nodes, edges, wins, K):
    u, v = edges[:, 0], edges[:, 1]
    A = jnp.zeros((n_nodes, n_nodes), bool)
    A = A.at[u, v].max(wins > 0)
    return A.at[v, u].max((K - wins) > 0)


@partial(jax.jit, static_argnums=0)
def _strongly_connected(n_nodes, edges, wins, K):
    return jnp.all(_reachability(_beats_adjacency(n_nodes, edges, wins, K)))


def strongly_connected_dense(n_nodes: int, edges: Any, wins: Any, K: Any) -> jax.Array:
    """Whether the directed "beats" graph is strongly connected (the BT MLE exists; Ford 1957) [M].

    An arc :math:`i\\to j` exists when :math:`i` beat :math:`j` at least once. Dense transitive
    closure by :math:`\\lceil\\log_2 N\\rceil` boolean squarings: meant for small graphs inside
    ``vmap`` (Monte Carlo replicates).

    Parameters
    ----------
    n_nodes : int
        :math:`N` (static).
    edges : int array, shape (E, 2)
    wins, K : float64 arrays, shape (E,)

    Returns
    -------
    bool scalar array

    Complexity
    ----------
    :math:`O(N^3 \\log N)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> e = np.array([[0, 1], [1, 2]])
    >>> bool(strongly_connected_dense(3, e, np.array([1.0, 1.0]), np.array([2.0, 2.0])))
    True
    >>> bool(strongly_connected_dense(3, e, np.array([2.0, 1.0]), np.array([2.0, 2.0])))
    False
    """
    check_precision_all("strongly_connected_dense", wins=wins, K=K)
    return _strongly_connected(int(n_nodes), ints("edges", edges, shape_tail=(2,)), f64("wins", wins), f64("K", K))


def _bt_terms(r, edges, wins, K, beta):
    d = beta * (r[edges[:, 0]] - r[edges[:, 1]])
    loglik = jnp.sum(wins * jax.nn.log_sigmoid(d) + (K - wins) * jax.nn.log_sigmoid(-d))
    p = jax.nn.sigmoid(d)
    return loglik, p


def _bt_grad(n_nodes, r, edges, wins, K, beta):
    loglik, p = _bt_terms(r, edges, wins, K, beta)
    g_e = beta * (wins - K * p)
    grad = jax.ops.segment_sum(g_e, edges[:, 0], n_nodes) - jax.ops.segment_sum(g_e, edges[:, 1], n_nodes)
    cond = beta * beta * K * p * (1.0 - p)
    return loglik, grad, cond


def _newton_dense(n_nodes, edges, wins, K, beta, tol, maxiter):
    """Damped Newton on the BT log-likelihood; one dense Laplacian solve per step."""
    dtype = K.dtype

    def state_at(r):
        loglik, grad, cond = _bt_grad(n_nodes, r, edges, wins, K, beta)
        return loglik, grad, cond

    def cond_fn(s):
        r, loglik, grad, it = s
        return jnp.logical_and(jnp.linalg.norm(grad) > tol, it < maxiter)

    def body(s):
        r, loglik, grad, it = s
        _, _, c = state_at(r)
        L = _laplacian(n_nodes, edges, c)
        J = jnp.full((n_nodes, n_nodes), 1.0 / n_nodes, dtype)
        step = jax.scipy.linalg.solve(L + J, grad, assume_a="pos")

        # backtracking: halve until the log-likelihood does not decrease (at most 30 halvings)
        def ls_cond(t):
            a, ll_new, k = t
            return jnp.logical_and(ll_new < loglik - 1e-12 * jnp.abs(loglik), k < 30)

        def ls_body(t):
            a, _, k = t
            a = 0.5 * a
            return a, _bt_terms(r + a * step, edges, wins, K, beta)[0], k + 1

        a0 = jnp.asarray(1.0, dtype)
        a, _, _ = lax.while_loop(ls_cond, ls_body, (a0, _bt_terms(r + step, edges, wins, K, beta)[0], 0))
        r_new = r + a * step
        r_new = r_new - jnp.mean(r_new)
        ll_new, g_new, _ = state_at(r_new)
        return r_new, ll_new, g_new, it + 1

    r0 = jnp.zeros(n_nodes, dtype)
    ll0, g0, _ = state_at(r0)
    r, ll, g, it = lax.while_loop(cond_fn, body, (r0, ll0, g0, jnp.asarray(0)))
    _, _, c = state_at(r)
    return r, _laplacian(n_nodes, edges, c), jnp.linalg.norm(g), it


_newton_jit = jax.jit(_newton_dense, static_argnums=(0, 6))


class BTNewtonResult(NamedTuple):
    """Result of :func:`fit_bt_newton`.

    Attributes
    ----------
    r_hat : float64 array, shape (N,)
        Centred maximum-likelihood rewards (:math:`\\sum_i \\hat r_i = 0`).
    L_fisher : float64 array, shape (N, N)
        Fisher information at ``r_hat``: the Laplacian with conductances
        :math:`\\beta^2 K_e p_e (1-p_e)`.
    grad_norm : float64 scalar
        Euclidean norm of the log-likelihood gradient at ``r_hat``.
    iterations : int scalar
        Newton steps taken.
    """

    r_hat: jax.Array
    L_fisher: jax.Array
    grad_norm: jax.Array
    iterations: jax.Array


def fit_bt_newton(n_nodes: int, edges: Any, wins: Any, K: Any, beta: float, *, tol: float = 1e-10,
                  maxiter: int = 100) -> BTNewtonResult:
    """Bradley--Terry maximum likelihood by damped Newton steps with dense Laplacian solves [M].

    .. math:: r \\leftarrow r + a\\,L_c^{+}\\nabla\\ell(r), \\quad
              \\nabla_i\\ell = \\beta\\sum_j (w_{ij} - K_{ij}\\sigma(\\beta(r_i - r_j))), \\quad
              c_{ij} = \\beta^2 K_{ij} p_{ij}(1-p_{ij})

    The Hessian of :math:`-\\ell` is the Fisher Laplacian :math:`L_c` (Hendrickx et al. 2019;
    spec ``ibn.md`` §3.2), so one Cholesky solve per step; ``a`` halves until :math:`\\ell` does
    not decrease. Stops on the gradient norm (``tol``). The MLE exists iff the beats graph is
    strongly connected (Ford 1957); this unchecked kernel then returns the last iterate with a
    large gradient norm rather than raising.

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
        Inverse temperature :math:`\\beta > 0`; rewards are on the scale :math:`r = \\theta/\\beta`.
    tol : float
        Gradient-norm tolerance.
    maxiter : int
        Newton steps at most (static).

    Returns
    -------
    BTNewtonResult

    Complexity
    ----------
    :math:`O(N^3)` per step; typically under 10 steps.

    Examples
    --------
    Two items, 3 wins out of 4: :math:`\\hat r_0 - \\hat r_1 = \\operatorname{logit}(3/4)/\\beta`.

    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> res = fit_bt_newton(2, np.array([[0, 1]]), np.array([3.0]), np.array([4.0]), 1.0)
    >>> round(float(res.r_hat[0] - res.r_hat[1]), 12), round(float(np.log(3)), 12)
    (1.098612288668, 1.098612288668)
    """
    check_precision_all("fit_bt_newton", wins=wins, K=K)
    e = ints("edges", edges, shape_tail=(2,))
    w, k = f64("wins", wins), f64("K", K)
    tol = V.check_scalar("tol", tol, positive=True)
    maxiter = V.check_int("maxiter", maxiter, lo=1)
    r, L, g, it = _newton_jit(int(n_nodes), e, w, k, _check_beta(beta), tol, maxiter)
    return BTNewtonResult(r, L, g, it)


class MCVariance(NamedTuple):
    """Result of :func:`mc_difference_variance`.

    Attributes
    ----------
    var : float64 array, shape (k,)
        Unbiased sample variance of :math:`\\hat r_u - \\hat r_v` over kept replicates.
    m4 : float64 array, shape (k,)
        Sample central fourth moment.
    n_excluded : int scalar
        Replicates masked out because the MLE did not exist (beats graph not strongly connected).
    n_kept : int scalar
    max_grad_norm : float64 scalar
        Largest final gradient norm over kept replicates.
    """

    var: jax.Array
    m4: jax.Array
    n_excluded: jax.Array
    n_kept: jax.Array
    max_grad_norm: jax.Array


@partial(jax.jit, static_argnums=(6, 8))
def _mc_var(key, r, edges, K, beta, pairs, R, tol, maxiter):
    n = r.shape[0]
    keys = jax.random.split(key, R)

    def one(k):
        wins = _simulate_binary(k, r, edges, K, beta)
        ok = _strongly_connected(n, edges, wins, K)
        rh, _, g, _ = _newton_dense(n, edges, wins, K, beta, tol, maxiter)
        return rh[pairs[:, 0]] - rh[pairs[:, 1]], ok, g

    diffs, ok, g = jax.vmap(one)(keys)
    w = ok.astype(r.dtype)
    n_kept = jnp.sum(w)
    mean = jnp.sum(diffs * w[:, None], axis=0) / n_kept
    dev = (diffs - mean) * w[:, None]
    var = jnp.sum(dev**2, axis=0) / (n_kept - 1.0)
    m4 = jnp.sum(dev**4, axis=0) / n_kept
    gmax = jnp.max(jnp.where(ok, g, 0.0))
    return var, m4, R - jnp.sum(ok), jnp.sum(ok), gmax


def mc_difference_variance(key: jax.Array, r: Any, edges: Any, K: Any, beta: float, pairs: Any, R: int, *,
                           tol: float = 1e-10, maxiter: int = 100) -> MCVariance:
    """Monte Carlo variance of fitted BT reward differences, ``vmap`` over replicates [M].

    Each replicate draws binary labels with :func:`simulate_bt`, fits the MLE with
    :func:`fit_bt_newton` and records :math:`\\hat r_u - \\hat r_v` for every pair. Replicates
    whose beats graph is not strongly connected (no MLE) are masked out (static shapes: no
    redraw) and counted. Spec ``ibn.md`` §4.2; the quantity compared with :math:`R_{\\rm eff}` in
    claim C5.

    Parameters
    ----------
    key : PRNG key
    r : float64 array, shape (N,)
        True rewards.
    edges : int array, shape (E, 2)
    K : float64 array, shape (E,)
    beta : float
    pairs : int array, shape (k, 2)
    R : int
        Replicates (static).
    tol, maxiter
        Passed to the Newton fitter.

    Returns
    -------
    MCVariance

    Complexity
    ----------
    :math:`O(R \\cdot \\text{steps} \\cdot N^3)`; all replicates run in one ``vmap``.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> out = mc_difference_variance(jax.random.PRNGKey(0), np.zeros(2), np.array([[0, 1]]),
    ...                              np.array([400.0]), 1.0, np.array([[0, 1]]), 200)
    >>> 0.005 < float(out.var[0]) < 0.015   # R_eff = 1/(K p(1-p)) = 0.01
    True
    """
    check_precision_all("mc_difference_variance", r=r, K=K)
    rr = f64("r", r, ndim=1)
    e = ints("edges", edges, shape_tail=(2,))
    p = V.as_index_array("pairs", np.asarray(pairs), n=int(rr.shape[0]), shape=(None, 2))
    R = V.check_int("R", R, lo=2)
    out = _mc_var(key, rr, e, f64("K", K), _check_beta(beta), jnp.asarray(p), R,
                  V.check_scalar("tol", tol, positive=True), V.check_int("maxiter", maxiter, lo=1))
    return MCVariance(*out)

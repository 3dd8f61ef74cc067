"""JAX kernels for binary Bradley--Terry feedback (spec ``ibn.md`` §2.2, §3.2, §4.2).

Pure, float64, explicit keys: :func:`simulate_bt`, :func:`strongly_connected_dense`,
:func:`fit_bt_newton` (dense Newton), :func:`fit_bt_newman` (Newman's fixed point) and the
``vmap``-ed Monte Carlo :func:`mc_difference_variance`. The host-side estimator for user data is
:func:`aligntheory.numerics.fit_bradley_terry` (re-exported here). Inputs pass the validation
boundary of :mod:`aligntheory.kernels.ibn._checks` (ids in range, finite non-negative whole
counts, wins within counts, size caps) before tracing.
"""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from aligntheory import _validate as V
from aligntheory.errors import ConvergenceError, DisconnectedGraphError
from aligntheory.kernels._common import require_x64
from aligntheory.kernels.ibn import _checks as C
from aligntheory.kernels.ibn._resistance import _laplacian
from aligntheory.results import RESULTS, provenance, raise_or_flag

__all__ = [
    "simulate_bt",
    "strongly_connected_dense",
    "fit_bt_newton",
    "BTNewtonResult",
    "fit_bt_newman",
    "NewmanResult",
    "mc_difference_variance",
    "MCVariance",
]


def _check_beta(beta: Any) -> float:
    return V.check_scalar("beta", beta, positive=True)


def _graph_counts(where: str, n: int, edges: Any, K: Any):
    require_x64(where)
    e = C.edges_arg(edges, n)
    k = C.real_arg("K", K, shape=(e.shape[0],), nonnegative=True, whole=True)
    return e, k


@jax.jit
def _simulate_binary(key, r, edges, K, beta):
    p = jax.nn.sigmoid(beta * (r[edges[:, 0]] - r[edges[:, 1]]))
    return jax.random.binomial(key, K, p).astype(r.dtype)


@provenance("M", source="qiu2024reward", where="binary feedback, the BT invariant (spec ibn.md §2.2)")
def simulate_bt(key: jax.Array, r: Any, edges: Any, K: Any, beta: float) -> jax.Array:
    """Simulate binary Bradley--Terry labels on every edge [M].

    .. math:: w_e \\sim \\mathrm{Binomial}\\big(K_e,\\ \\sigma(\\beta(r_{u_e} - r_{v_e}))\\big)

    Spec ``ibn.md`` §2.2 (the BT invariant :math:`\\Pr[a\\succ b]=\\sigma(\\beta\\Delta r)`).

    Parameters
    ----------
    key : PRNG key
    r : float64 array, shape (N,)
        Latent rewards (finite).
    edges : int array, shape (E, 2)
        ``edges[:, 0]`` is the first item of each comparison; ids in ``[0, N)``.
    K : float64 array, shape (E,)
        Comparisons per edge (whole numbers >= 0).
    beta : float
        Inverse temperature, > 0.

    Returns
    -------
    float64 array, shape (E,)
        Wins of ``edges[:, 0]`` over ``edges[:, 1]``.

    Raises
    ------
    InvalidInputError
        Ids out of range (never clamped), non-finite ``r``, negative or fractional ``K``.
    PrecisionError
        float32 input or JAX x64 disabled.

    Notes
    -----
    :math:`O(E)`.

    Examples
    --------
    >>> from aligntheory.config import configure; configure()
    >>> import jax, numpy as np
    >>> w = simulate_bt(jax.random.PRNGKey(0), np.array([0.0, 0.0]), np.array([[0, 1]]), np.array([10.0]), 1.0)
    >>> 0.0 <= float(w[0]) <= 10.0
    True
    """
    require_x64("simulate_bt")
    rr = C.real_arg("r", r, ndim=1)
    e, k = _graph_counts("simulate_bt", int(rr.shape[0]), edges, K)
    return _simulate_binary(key, rr, e, k, _check_beta(beta))


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


@provenance("M", source="ford1957solution", where="existence of the BT MLE")
def strongly_connected_dense(n_nodes: int, edges: Any, wins: Any, K: Any, *, max_nodes: int = 8192) -> jax.Array:
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
        Finite, ``0 <= wins <= K``.
    max_nodes : int
        Size cap on ``n_nodes`` (default 8192), checked before any allocation.

    Returns
    -------
    bool scalar array

    Raises
    ------
    InvalidInputError
        Ids out of range, non-finite or negative counts, ``wins > K``.
    SizeCapError
        ``n_nodes > max_nodes``.

    Notes
    -----
    :math:`O(N^3 \\log N)` time, :math:`O(N^2)` memory.

    Examples
    --------
    >>> from aligntheory.config import configure; configure()
    >>> import numpy as np
    >>> e = np.array([[0, 1], [1, 2]])
    >>> bool(strongly_connected_dense(3, e, np.array([1.0, 1.0]), np.array([2.0, 2.0])))
    True
    >>> bool(strongly_connected_dense(3, e, np.array([2.0, 1.0]), np.array([2.0, 2.0])))
    False
    """
    n = C.n_nodes_arg(n_nodes, max_nodes)
    require_x64("strongly_connected_dense")
    e = C.edges_arg(edges, n)
    k = C.real_arg("K", K, shape=(e.shape[0],), nonnegative=True)
    return _strongly_connected(n, e, C.wins_arg(wins, k), k)


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


def _ls_start(n_nodes, edges, wins, K, beta):
    """Warm start: weighted least squares on smoothed empirical log-odds (one dense solve; 0 if it fails)."""
    u, v = edges[:, 0], edges[:, 1]
    ph = (wins + 0.5) / (K + 1.0)
    y = jnp.log(ph) - jnp.log1p(-ph)
    c0 = K * ph * (1.0 - ph)
    L0 = _laplacian(n_nodes, edges, c0) + 1.0 / n_nodes
    rhs = jax.ops.segment_sum(c0 * y, u, n_nodes) - jax.ops.segment_sum(c0 * y, v, n_nodes)
    r0 = jax.scipy.linalg.cho_solve(jax.scipy.linalg.cho_factor(L0, lower=True), rhs) / beta
    r0 = r0 - jnp.mean(r0)
    return jnp.where(jnp.all(jnp.isfinite(r0)), r0, jnp.zeros_like(r0))


def _newton_dense(n_nodes, edges, wins, K, beta, tol, maxiter, warm=True):
    """Damped Newton on the BT log-likelihood; one dense Laplacian solve per step.

    Starts from the least-squares log-odds fit (``warm``), which saves about two of five steps.
    """
    dtype = K.dtype

    def cond_fn(s):
        r, loglik, grad, it = s
        return jnp.logical_and(jnp.linalg.norm(grad) > tol, it < maxiter)

    def body(s):
        r, loglik, grad, it = s
        _, _, c = _bt_grad(n_nodes, r, edges, wins, K, beta)
        L = _laplacian(n_nodes, edges, c) + 1.0 / n_nodes
        step = jax.scipy.linalg.cho_solve(jax.scipy.linalg.cho_factor(L, lower=True), grad)

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
        ll_new, g_new, _ = _bt_grad(n_nodes, r_new, edges, wins, K, beta)
        return r_new, ll_new, g_new, it + 1

    r0 = _ls_start(n_nodes, edges, wins, K, beta) if warm else jnp.zeros(n_nodes, dtype)
    ll0, g0, _ = _bt_grad(n_nodes, r0, edges, wins, K, beta)
    r, ll, g, it = lax.while_loop(cond_fn, body, (r0, ll0, g0, jnp.asarray(0)))
    _, _, c = _bt_grad(n_nodes, r, edges, wins, K, beta)
    return r, _laplacian(n_nodes, edges, c), jnp.linalg.norm(g), it


_newton_jit = jax.jit(_newton_dense, static_argnums=(0, 6))


def _outcome(where: str, grad_norm: Any, iterations: Any, tol: float, scores: Any, throw: bool) -> RESULTS | None:
    """RESULTS of a JAX fit when its outputs are concrete (None under tracing); raise with ``throw``."""
    if not C.concrete(grad_norm):
        return None
    gn = float(grad_norm)
    result = (RESULTS.nonfinite if not np.isfinite(gn) else
              RESULTS.successful if gn <= tol else RESULTS.max_steps_reached)
    raise_or_flag(result, throw=throw, error=lambda: ConvergenceError(
        f"{where}: gradient norm {gn:.3e} > tol {tol:.1e} after {int(iterations)} iterations (does the MLE exist? "
        "the beats graph must be strongly connected)", iterations=int(iterations), residual=gn,
        last_iterate=np.asarray(scores), result=result))
    return result


def _no_mle(where: str, n: int, edges: Any, wins: Any, K: Any, throw: bool) -> bool:
    """Ford's condition on concrete inputs: True (after raising with ``throw``) when the beats graph is not
    strongly connected, so no unique finite MLE exists; False when it is, or when any input is traced."""
    if not C.concrete(edges, wins, K):
        return False
    from aligntheory.numerics._bt_fit import arc_components, largest_components

    e, w, k = np.asarray(edges), np.asarray(wins, dtype=np.float64), np.asarray(K, dtype=np.float64)
    fw, bw = w > 0, (k - w) > 0
    src = np.concatenate([e[fw, 0], e[bw, 1]])
    dst = np.concatenate([e[fw, 1], e[bw, 0]])
    ncomp, lab = arc_components(n, src, dst)
    if ncomp == 1:
        return False

    def err():
        shown = largest_components(lab, ncomp)
        return DisconnectedGraphError(
            f"{where}: the Bradley-Terry MLE does not exist (or is not unique): the beats graph (u -> v when u beat "
            f"v at least once) is not strongly connected ({ncomp} strongly connected components; nodes by component, "
            f"largest first: {shown}). Fit each component separately, or use fit_bt_newman with prior_strength > 0.",
            component_labels=lab, directed=True)

    raise_or_flag(RESULTS.disconnected, throw=throw, error=err)
    return True


@provenance("M", where="result of fit_bt_newton")
class BTNewtonResult(NamedTuple):
    """Result of :func:`fit_bt_newton`.

    Attributes
    ----------
    scores : float64 array, shape (N,)
        Centred maximum-likelihood rewards (:math:`\\sum_i \\hat r_i = 0`).
    L_fisher : float64 array, shape (N, N)
        Fisher information at ``scores``: the Laplacian with conductances
        :math:`\\beta^2 K_e p_e (1-p_e)`.
    grad_norm : float64 scalar
        Euclidean norm of the log-likelihood gradient at ``scores``.
    iterations : int scalar
        Newton steps taken.
    result : RESULTS or None
        Outcome (None when called under tracing, where it cannot be read on the host);
        ``disconnected`` (with NaN outputs and 0 iterations) when no unique finite MLE exists.

    Examples
    --------
    >>> BTNewtonResult._fields[:2]
    ('scores', 'L_fisher')
    """

    scores: jax.Array
    L_fisher: jax.Array
    grad_norm: jax.Array
    iterations: jax.Array
    result: RESULTS | None = None

    @property
    def r_hat(self) -> jax.Array:
        """Deprecated alias of :attr:`scores`."""
        return self.scores


@provenance("M", source="hendrickx2019graph", where="Newton on the BT likelihood; Hessian = Fisher Laplacian")
def fit_bt_newton(n_nodes: int, edges: Any, wins: Any, K: Any, beta: float, *, tol: float = 1e-10,
                  maxiter: int = 100, throw: bool = True, max_nodes: int = C.DEFAULT_MAX_NODES) -> BTNewtonResult:
    """Bradley--Terry maximum likelihood by damped Newton steps with dense Laplacian solves [M].

    .. math:: r \\leftarrow r + a\\,L_c^{+}\\nabla\\ell(r), \\quad
              \\nabla_i\\ell = \\beta\\sum_j (w_{ij} - K_{ij}\\sigma(\\beta(r_i - r_j))), \\quad
              c_{ij} = \\beta^2 K_{ij} p_{ij}(1-p_{ij})

    The Hessian of :math:`-\\ell` is the Fisher Laplacian :math:`L_c` (Hendrickx et al. 2019;
    spec ``ibn.md`` §3.2), so one Cholesky solve per step; ``a`` halves until :math:`\\ell` does
    not decrease (at most 30 halvings); the iterate is re-centred. Stops on the gradient norm (``tol``).
    The start is the weighted least-squares fit of the smoothed empirical log-odds
    :math:`y_e = \\operatorname{logit}\\hat p_e`, :math:`\\hat p_e = (w_e + 1/2)/(K_e + 1)`, with weights
    :math:`K_e\\hat p_e(1-\\hat p_e)` (inverse delta-method variances), divided by :math:`\\beta` and centred;
    so ``maxiter=1`` returns one damped Newton step from there. A unique finite MLE exists iff the beats
    graph (u -> v when u beat v at least once) is strongly connected (Ford 1957). On concrete inputs this is
    checked first (scipy's strong components, O(N + E)): when it fails the fit raises
    :class:`~aligntheory.errors.DisconnectedGraphError`, or with ``throw=False`` returns NaN outputs, 0
    iterations and ``disconnected``. The check matters: the gradient of a diverging score decays like
    :math:`e^{-\\beta |r|}`, so Newton alone would stop "successfully" (0 beating 1 three times: scores
    :math:`\\pm 12.6`, gradient 5e-11 < ``tol``). Under ``jax.jit``/``vmap`` (traced inputs) it cannot run:
    check the scores there.

    Parameters
    ----------
    n_nodes : int
        :math:`N` (static).
    edges : int array, shape (E, 2)
    wins : float64 array, shape (E,)
        Wins of ``edges[:, 0]`` over ``edges[:, 1]`` (finite, ``0 <= wins <= K``).
    K : float64 array, shape (E,)
        Comparisons per edge (finite, >= 0).
    beta : float
        Inverse temperature :math:`\\beta > 0`; rewards are on the scale :math:`r = \\theta/\\beta`.
    tol : float, default 1e-10
        Gradient-norm tolerance.
    maxiter : int, default 100
        Newton steps at most (static), >= 1.
    throw : bool, default True
        Raise :class:`~aligntheory.errors.ConvergenceError` when ``tol`` is not met (checked when
        the outputs are concrete); with ``False`` read ``result``.
    max_nodes : int, default 20_000
        Size cap on ``n_nodes`` (dense :math:`N\\times N` solves; ``DEFAULT_MAX_NODES``), checked first:
        :class:`~aligntheory.errors.SizeCapError` above it.

    Returns
    -------
    BTNewtonResult

    Raises
    ------
    InvalidInputError
        Ids out of range, NaN/negative counts, ``wins > K``.
    ConvergenceError
        ``throw=True`` and the gradient norm stays above ``tol``.
    DisconnectedGraphError
        ``throw=True``, concrete inputs and the beats graph is not strongly connected (no unique MLE).
    SizeCapError, PrecisionError
        Too many nodes; float32 input or x64 off.

    Notes
    -----
    :math:`O(N^3)` per step; typically under 10 steps.

    Examples
    --------
    Two items, 3 wins out of 4: :math:`\\hat r_0 - \\hat r_1 = \\operatorname{logit}(3/4)/\\beta`.

    >>> from aligntheory.config import configure; configure()
    >>> import numpy as np
    >>> res = fit_bt_newton(2, np.array([[0, 1]]), np.array([3.0]), np.array([4.0]), 1.0)
    >>> round(float(res.scores[0] - res.scores[1]), 12), round(float(np.log(3)), 12)
    (1.098612288668, 1.098612288668)
    """
    n = C.n_nodes_arg(n_nodes, max_nodes)
    e = C.edges_arg(edges, n)
    require_x64("fit_bt_newton")
    k = C.real_arg("K", K, shape=(e.shape[0],), nonnegative=True)
    w = C.wins_arg(wins, k)
    tol = V.check_scalar("tol", tol, positive=True)
    maxiter = V.check_int("maxiter", maxiter, lo=1)
    b = _check_beta(beta)
    if _no_mle("fit_bt_newton", n, e, w, k, throw):
        nan = jnp.float64(jnp.nan)
        return BTNewtonResult(jnp.full(n, nan), jnp.full((n, n), nan), nan, 0, RESULTS.disconnected)
    r, L, g, it = _newton_jit(n, e, w, k, b, tol, maxiter)
    return BTNewtonResult(r, L, g, it, _outcome("fit_bt_newton", g, it, tol, r, throw))


# ----------------------------------------------------------------------------------------------
# Newman's fixed point


@provenance("M", where="result of fit_bt_newman")
class NewmanResult(NamedTuple):
    """Result of :func:`fit_bt_newman`.

    Attributes
    ----------
    scores : float64 array, shape (N,)
        Centred rewards :math:`\\hat r = \\ln\\hat\\pi/\\beta`.
    grad_norm : float64 scalar
        Euclidean norm of :math:`\\nabla_r\\ell` at ``scores``.
    iterations : int scalar
    result : RESULTS or None
        Outcome (None under tracing); ``disconnected`` (NaN outputs, 0 iterations) when
        ``prior_strength == 0`` and no unique finite MLE exists.

    Examples
    --------
    >>> NewmanResult._fields[0]
    'scores'
    """

    scores: jax.Array
    grad_norm: jax.Array
    iterations: jax.Array
    result: RESULTS | None = None

    @property
    def r_hat(self) -> jax.Array:
        """Deprecated alias of :attr:`scores`."""
        return self.scores


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


@provenance("M", source="newman2023efficient", where="fixed-point iteration for the BT MLE")
def fit_bt_newman(n_nodes: int, edges: Any, wins: Any, K: Any, beta: float, *, tol: float = 1e-10,
                  maxiter: int = 10000, prior_strength: float = 0.0, throw: bool = True,
                  max_nodes: int = C.SPARSE_MAX_NODES) -> NewmanResult:
    """Bradley--Terry maximum likelihood by Newman's (2023) fixed-point iteration [M].

    With :math:`\\pi_i = e^{\\theta_i}`, :math:`\\theta = \\beta r`, Newman's update (JMLR 24(238), 2023)

    .. math:: \\pi_i \\leftarrow \\frac{\\sum_j w_{ij}\\,\\pi_j/(\\pi_i+\\pi_j)}{\\sum_j w_{ji}/(\\pi_i+\\pi_j)}
              \\iff \\theta_i \\leftarrow \\theta_i + \\ln A_i - \\ln B_i,

    :math:`A_i = \\sum_j w_{ij}\\sigma(\\theta_j-\\theta_i)`, :math:`B_i = \\sum_j w_{ji}\\sigma(\\theta_i-\\theta_j)`,
    evaluated in log space; all items update at once and the scores are re-centred. The log-step is
    multiplied by :math:`\\omega`, which starts at 1 and halves (down to 1/8) whenever the gradient
    norm fails to decrease (simultaneous updates can oscillate). Stops on the gradient norm
    :math:`\\beta\\|A-B\\|\\le` ``tol``. ``prior_strength`` :math:`s>0` adds :math:`s/2` virtual
    wins and losses of every item against a fixed item of score 0. Without it, on concrete inputs, Ford's
    condition is checked first as in :func:`fit_bt_newton` (a beats graph that is not strongly connected:
    :class:`~aligntheory.errors.DisconnectedGraphError`, or ``disconnected`` with ``throw=False``).

    Parameters
    ----------
    n_nodes : int
        :math:`N` (static).
    edges : int array, shape (E, 2)
    wins : float64 array, shape (E,)
        Wins of ``edges[:, 0]`` over ``edges[:, 1]`` (finite, ``0 <= wins <= K``).
    K : float64 array, shape (E,)
        Comparisons per edge (finite, >= 0).
    beta : float
    tol : float, default 1e-10
        Gradient-norm tolerance (reward units).
    maxiter : int, default 10_000
        Iterations at most (static), >= 1.
    prior_strength : float, default 0.0
        Pseudo-comparisons per item against a virtual item of score 0, ``>= 0`` (0: no prior).
    throw : bool, default True
        Raise :class:`~aligntheory.errors.ConvergenceError` when ``tol`` is not met (concrete
        outputs); with ``False`` read ``result``.
    max_nodes : int, default 10_000_000
        Size cap on ``n_nodes`` (``SPARSE_MAX_NODES``), checked first: :class:`~aligntheory.errors.SizeCapError`
        above it.

    Returns
    -------
    NewmanResult

    Raises
    ------
    InvalidInputError
        Ids out of range, NaN/negative counts, ``wins > K``, ``prior_strength < 0``.
    ConvergenceError
        ``throw=True`` and ``tol`` not met.
    DisconnectedGraphError
        ``throw=True``, ``prior_strength == 0``, concrete inputs and the beats graph is not strongly
        connected (no unique MLE).
    SizeCapError
        ``n_nodes`` above ``max_nodes``.
    PrecisionError
        float32 ``wins`` or ``K``, or JAX without float64 (``jax_enable_x64`` off).

    Notes
    -----
    :math:`O(E)` per iteration; first-order: many iterations on chains (use
    :func:`aligntheory.numerics.fit_bradley_terry` there).

    Examples
    --------
    >>> from aligntheory.config import configure; configure()
    >>> import numpy as np
    >>> res = fit_bt_newman(2, np.array([[0, 1]]), np.array([3.0]), np.array([4.0]), 1.0)
    >>> round(float(res.scores[0] - res.scores[1]), 9), round(float(np.log(3)), 9)
    (1.098612289, 1.098612289)
    """
    n = C.n_nodes_arg(n_nodes, max_nodes)
    e = C.edges_arg(edges, n)
    require_x64("fit_bt_newman")
    k = C.real_arg("K", K, shape=(e.shape[0],), nonnegative=True)
    w = C.wins_arg(wins, k)
    tol = V.check_scalar("tol", tol, positive=True)
    b = _check_beta(beta)
    prior = V.check_scalar("prior_strength", prior_strength, nonnegative=True)
    its = V.check_int("maxiter", maxiter, lo=1)
    if prior == 0 and _no_mle("fit_bt_newman", n, e, w, k, throw):
        nan = jnp.float64(jnp.nan)
        return NewmanResult(jnp.full(n, nan), nan, 0, RESULTS.disconnected)
    out = _newman_core(n, e, w, k, b, prior, tol, its)
    return NewmanResult(*out, _outcome("fit_bt_newman", out[1], out[2], tol, out[0], throw))


# ----------------------------------------------------------------------------------------------
# Monte Carlo variance of the binary MLE


# the Monte Carlo estimator lives in _bt_mc (same public path: aligntheory.kernels.ibn)
from aligntheory.kernels.ibn._bt_mc import (  # noqa: E402, F401  (after the names _bt_mc imports from here)
    MCVariance,
    _mc_var,
    _newton_replicates,
    _sample_wins,
    mc_difference_variance,
)

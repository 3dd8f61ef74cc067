"""JAX kernels for Safe-RLHF constrained optimisation (spec ``progress_and_safety.md`` Part B, B.3).

Batched tilted policies over prompts and multiplier grids (B-T1), a vmapped bisection for the
optimal multiplier (B-T2), log-space dual iterations with exact expectations (B-T4), simulated
primal--dual training with a sliding-window cost estimate (open question 4 of Part B), and the
dual-preference Bradley--Terry simulation and maximum-likelihood fit (B-T7). Float64 only
(:class:`~aligntheory.errors.PrecisionError` otherwise); randomised kernels take a PRNG key first.
"""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
from jax import lax

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.kernels._common import check_precision_all, f64

__all__ = [
    "batched_tilted_policy",
    "batched_tilted_moments",
    "batched_optimal_multiplier",
    "dual_ascent_batch",
    "PrimalDualTrace",
    "simulate_primal_dual",
    "simulate_dual_preferences",
    "fit_cost_model",
    "fit_dual_bt",
]


def _check_problem(where: str, ref_probs: Any, reward: Any, cost: Any, beta: Any) -> tuple:
    check_precision_all(where, ref_probs=ref_probs, reward=reward, cost=cost)
    p = f64("ref_probs", ref_probs)
    r = f64("reward", reward)
    c = f64("cost", cost)
    if p.ndim not in (1, 2) or r.shape != p.shape or c.shape != p.shape:
        raise InvalidInputError("ref_probs, reward, cost", "must share one shape (n,) or (P, n)",
                                received=f"{p.shape}, {r.shape}, {c.shape}")
    for name, x in (("ref_probs", p), ("reward", r), ("cost", c)):
        if not bool(jnp.all(jnp.isfinite(x))):
            raise InvalidInputError(name, "non-finite input: every entry must be finite (no NaN or inf)")
    if not bool(jnp.all(p > 0)):
        raise InvalidInputError("ref_probs", "must have full support (all entries > 0)")
    if not bool(jnp.all(jnp.abs(p.sum(-1) - 1.0) <= 1e-10)):
        raise InvalidInputError("ref_probs", "must sum to 1 along the last axis")
    b = V.check_scalar("beta", beta, positive=True)
    return p, r, c, b


def _log_tilt(logp, r, c, lam, beta):
    z = logp + (r - lam * c) / beta
    return z - jax.nn.logsumexp(z)


@jax.jit
def _tilt_core(logp, r, c, lams, beta):
    per_prompt = jax.vmap(lambda lp, rr, cc: jax.vmap(lambda l: jnp.exp(_log_tilt(lp, rr, cc, l, beta)))(lams))
    return per_prompt(logp, r, c)


def batched_tilted_policy(ref_probs: Any, reward: Any, cost: Any, lams: Any, beta: float) -> jax.Array:
    """Tilted policies :math:`\\pi_\\lambda\\propto\\pi_{\\rm ref}e^{(r-\\lambda c)/\\beta}` for prompts × multipliers [M].

    Spec B-T1; log-space with ``jax.nn.logsumexp``; ``vmap`` over prompts and over the
    :math:`\\lambda` grid.

    Parameters
    ----------
    ref_probs, reward, cost : float64 arrays, shape (P, n)
    lams : float64 array, shape (L,), entries >= 0
    beta : float

    Returns
    -------
    float64 array, shape (P, L, n)

    Complexity
    ----------
    :math:`O(PLn)` time and memory.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> pi = batched_tilted_policy(np.full((1, 2), 0.5), np.array([[0.0, 1.0]]), np.array([[0.0, 1.0]]),
    ...                            np.array([0.0, 1.0]), 1.0)
    >>> np.asarray(pi).round(6).tolist()
    [[[0.268941, 0.731059], [0.5, 0.5]]]
    """
    p, r, c, b = _check_problem("batched_tilted_policy", ref_probs, reward, cost, beta)
    check_precision_all("batched_tilted_policy", lams=lams)
    lam = f64("lams", lams, ndim=1)
    if not bool(jnp.all(jnp.isfinite(lam) & (lam >= 0))):
        raise InvalidInputError("lams", "multipliers must be finite and >= 0")
    if p.ndim != 2:
        raise InvalidInputError("ref_probs", "must have shape (P, n)", received=f"shape {p.shape}")
    return _tilt_core(jnp.log(p), r, c, lam, jnp.float64(b))


@jax.jit
def _moments_core(logp, r, c, lams, beta):
    def one(lp, rr, cc, l):
        pi = jnp.exp(_log_tilt(lp, rr, cc, l, beta))
        return pi @ rr, pi @ cc

    return jax.vmap(lambda lp, rr, cc: jax.vmap(lambda l: one(lp, rr, cc, l))(lams))(logp, r, c)


def batched_tilted_moments(ref_probs: Any, reward: Any, cost: Any, lams: Any, beta: float) -> tuple[jax.Array, jax.Array]:
    """:math:`\\mathbb E_{\\pi_\\lambda}[r]` and :math:`\\mathbb E_{\\pi_\\lambda}[c]` for prompts × multipliers [M].

    Same as :func:`batched_tilted_policy` followed by the two expectations, without keeping the
    (P, L, n) policies. Shapes: inputs (P, n), ``lams`` (L,); outputs (P, L) each. :math:`O(PLn)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> er, ec = batched_tilted_moments(np.full((1, 2), 0.5), np.array([[0.0, 1.0]]), np.array([[0.0, 1.0]]),
    ...                                 np.array([1.0]), 1.0)
    >>> float(ec[0, 0])
    0.5
    """
    p, r, c, b = _check_problem("batched_tilted_moments", ref_probs, reward, cost, beta)
    check_precision_all("batched_tilted_moments", lams=lams)
    lam = f64("lams", lams, ndim=1)
    if not bool(jnp.all(jnp.isfinite(lam) & (lam >= 0))):
        raise InvalidInputError("lams", "multipliers must be finite and >= 0")
    if p.ndim != 2:
        raise InvalidInputError("ref_probs", "must have shape (P, n)", received=f"shape {p.shape}")
    return _moments_core(jnp.log(p), r, c, lam, jnp.float64(b))


@partial(jax.jit, static_argnums=(5, 6))
def _bisect_core(logp, r, c, d, beta, n_double, n_bisect):
    def one(lp, rr, cc, dd):
        ec = lambda l: jnp.exp(_log_tilt(lp, rr, cc, l, beta)) @ cc  # noqa: E731
        cmin = jnp.min(cc)
        inactive = ec(0.0) <= dd

        hi_max = jnp.float64(2.0) ** n_double

        def dbl_cond(hi):
            return (ec(hi) > dd) & (hi < hi_max) & ~inactive

        hi = lax.while_loop(dbl_cond, lambda hi: 2.0 * hi, jnp.float64(1.0))

        def bis_cond(state):
            lo, hi, it = state
            return (it < n_bisect) & (hi - lo > 4.0 * jnp.finfo(jnp.float64).eps * hi) & ~inactive

        def bis(state):
            lo, hi, it = state
            mid = 0.5 * (lo + hi)
            above = ec(mid) > dd
            return jnp.where(above, mid, lo), jnp.where(above, hi, mid), it + 1

        lo, hi, _ = lax.while_loop(bis_cond, bis, (jnp.float64(0.0), hi, jnp.int64(0)))
        lam = 0.5 * (lo + hi)
        lam = jnp.where(dd == cmin, jnp.inf, lam)
        lam = jnp.where(dd < cmin, jnp.nan, lam)
        return jnp.where(inactive, 0.0, lam)

    return jax.vmap(one)(logp, r, c, d)


def batched_optimal_multiplier(ref_probs: Any, reward: Any, cost: Any, beta: float, budgets: Any, *,
                               n_double: int = 64, n_bisect: int = 200) -> jax.Array:
    """Optimal multipliers of many prompts by a vmapped bisection on :math:`\\mathbb E_{\\pi_\\lambda}[c]=d` [M].

    Spec B-T2: :math:`\\lambda^*=0` when :math:`\\mathbb E_{\\pi_0}[c]\\le d`, ``inf`` when
    :math:`d=\\min c`, ``nan`` when infeasible (:math:`d<\\min c`; the theory function raises).
    The bracket is doubled at most ``n_double`` times (so :math:`\\lambda^*\\le 2^{n\\_double}`), then
    bisected until its width is 4 ulp of the upper end or ``n_bisect`` steps (``lax.while_loop``).

    Parameters
    ----------
    ref_probs, reward, cost : float64 arrays, shape (P, n)
    beta : float
    budgets : float64 array, shape (P,)

    Returns
    -------
    float64 array, shape (P,)

    Complexity
    ----------
    :math:`O(P n (n\\_double + n\\_bisect))`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> lam = batched_optimal_multiplier(np.full((2, 2), 0.5), np.array([[0.0, 1.0]] * 2),
    ...                                  np.array([[0.0, 1.0]] * 2), 1.0, np.array([0.5, 0.9]))
    >>> np.asarray(lam).round(10).tolist()
    [1.0, 0.0]
    """
    p, r, c, b = _check_problem("batched_optimal_multiplier", ref_probs, reward, cost, beta)
    check_precision_all("batched_optimal_multiplier", budgets=budgets)
    d = f64("budgets", budgets, ndim=1)
    if p.ndim != 2 or d.shape != (p.shape[0],):
        raise InvalidInputError("budgets", "must have shape (P,) matching ref_probs (P, n)",
                                received=f"{d.shape}, {p.shape}")
    nd = V.check_int("n_double", n_double, lo=1, hi=1000)
    nb = V.check_int("n_bisect", n_bisect, lo=1)
    return _bisect_core(jnp.log(p), r, c, d, jnp.float64(b), nd, nb)


@partial(jax.jit, static_argnums=(7, 8))
def _dual_ascent_core(logp, r, c, beta, d, steps, lam0, n_steps, log_mode):
    def ec(l):
        return jnp.exp(_log_tilt(logp, r, c, l, beta)) @ c

    def body(lam, _):
        g = jax.vmap(ec)(lam) - d
        if log_mode:
            new = lam * jnp.exp(steps * lam * g)
        else:
            new = jnp.maximum(0.0, lam + steps * g)
        return new, new

    _, traj = lax.scan(body, lam0, None, length=n_steps)
    return jnp.concatenate([lam0[None, :], traj], axis=0)


def dual_ascent_batch(ref_probs: Any, reward: Any, cost: Any, beta: float, budget: float, steps: Any, lam0: Any,
                      n_steps: int, mode: str = "projected") -> jax.Array:
    """Dual ascent with exact expectations for many (step, start) pairs at once (``vmap``) [M].

    Same iterations as :func:`aligntheory.theory.safety.dual_ascent` (spec B-T3 ``projected``,
    B-T4 ``log``: :math:`\\lambda\\leftarrow\\lambda\\exp(\\eta\\lambda(\\mathbb E_{\\pi_\\lambda}[c]-d))`).

    Parameters
    ----------
    ref_probs, reward, cost : float64 arrays, shape (n,)
    steps, lam0 : float64 arrays, shape (B,)
    n_steps : int (static)
    mode : {"projected", "log"} (static)

    Returns
    -------
    float64 array, shape (n_steps+1, B)

    Complexity
    ----------
    :math:`O(n\\_steps \\cdot B n)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> tr = dual_ascent_batch(np.full(2, 0.5), np.array([0.0, 1.0]), np.array([0.0, 1.0]), 1.0, 0.5,
    ...                        np.array([4.0]), np.array([0.0]), 200)
    >>> round(float(tr[-1, 0]), 10)
    1.0
    """
    p, r, c, b = _check_problem("dual_ascent_batch", ref_probs, reward, cost, beta)
    if p.ndim != 1:
        raise InvalidInputError("ref_probs", "must have shape (n,)", received=f"shape {p.shape}")
    check_precision_all("dual_ascent_batch", steps=steps, lam0=lam0)
    s = f64("steps", steps, ndim=1)
    l0 = f64("lam0", lam0, ndim=1)
    if s.shape != l0.shape:
        raise InvalidInputError("steps, lam0", "must have the same shape (B,)", received=f"{s.shape}, {l0.shape}")
    if not bool(jnp.all(s > 0)):
        raise InvalidInputError("steps", "step size must be > 0")
    V.check_choice("mode", mode, ("projected", "log"))
    if not bool(jnp.all(l0 > 0 if mode == "log" else l0 >= 0)):
        raise InvalidInputError("lam0", "must be > 0 in log mode and >= 0 otherwise")
    d = V.check_scalar("budget", budget)
    n = V.check_int("n_steps", n_steps, lo=1)
    return _dual_ascent_core(jnp.log(p), r, c, jnp.float64(b), jnp.float64(d), s, l0, n, mode == "log")


class PrimalDualTrace(NamedTuple):
    """Trace of :func:`simulate_primal_dual`.

    ``lam`` (n_steps+1,); ``cost_estimate`` (n_steps,), the window mean used at each step;
    ``batch_cost`` (n_steps,), the mean cost of each step's samples.
    """

    lam: jax.Array
    cost_estimate: jax.Array
    batch_cost: jax.Array


@partial(jax.jit, static_argnums=(8, 9, 10, 11))
def _primal_dual_core(key, logp, r, c, beta, d, step, lam0, n_steps, window, n_samples, log_mode):
    def body(carry, k):
        lam, buf, count, idx = carry
        logpi = _log_tilt(logp, r, c, lam, beta)
        ys = jax.random.categorical(k, logpi, shape=(n_samples,))
        batch_mean = jnp.mean(c[ys])
        buf = buf.at[idx].set(batch_mean)
        count = jnp.minimum(count + 1, window)
        idx = (idx + 1) % window
        cbar = jnp.sum(buf) / count.astype(jnp.float64)
        g = cbar - d
        new = lam * jnp.exp(step * lam * g) if log_mode else jnp.maximum(0.0, lam + step * g)
        return (new, buf, count, idx), (new, cbar, batch_mean)

    keys = jax.random.split(key, n_steps)
    init = (lam0, jnp.zeros(window, jnp.float64), jnp.int64(0), jnp.int64(0))
    _, (lams, cbars, bms) = lax.scan(body, init, keys)
    return jnp.concatenate([lam0[None], lams]), cbars, bms


def simulate_primal_dual(key: Any, ref_probs: Any, reward: Any, cost: Any, beta: float, budget: float, step: float,
                         n_steps: int, *, window: int = 1, n_samples: int = 64, lam0: float = 0.0,
                         mode: str = "projected") -> PrimalDualTrace:
    """Simulated primal--dual training: exact best response, noisy cost estimate, sliding window [M].

    At step ``k`` the policy is the tilt :math:`\\pi_{\\lambda_k}` (B-T1); ``n_samples`` responses are
    sampled, their mean cost is pushed into a window of the last ``window`` batch means, and the
    window mean :math:`\\bar C_k` drives the multiplier update (projected, or Safe RLHF's log-space
    update :math:`\\lambda\\leftarrow\\lambda e^{\\eta\\lambda(\\bar C_k-d)}`; arXiv 2310.12773 training
    code [S]; spec Part B open question 4). ``vmap`` over keys for seeds.

    Returns
    -------
    PrimalDualTrace
        ``lam`` shape (n_steps+1,), ``cost_estimate`` and ``batch_cost`` shape (n_steps,).

    Complexity
    ----------
    :math:`O(n\\_steps (n + n\\_samples))`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> tr = simulate_primal_dual(jax.random.PRNGKey(0), np.full(2, 0.5), np.array([0.0, 1.0]),
    ...                           np.array([0.0, 1.0]), 1.0, 0.5, 0.5, 2000, window=20, n_samples=256)
    >>> abs(float(tr.lam[-200:].mean()) - 1.0) < 0.1
    True
    """
    p, r, c, b = _check_problem("simulate_primal_dual", ref_probs, reward, cost, beta)
    if p.ndim != 1:
        raise InvalidInputError("ref_probs", "must have shape (n,)", received=f"shape {p.shape}")
    d = V.check_scalar("budget", budget)
    eta = V.check_scalar("step", step, positive=True)
    n = V.check_int("n_steps", n_steps, lo=1)
    w = V.check_int("window", window, lo=1)
    ns = V.check_int("n_samples", n_samples, lo=1)
    V.check_choice("mode", mode, ("projected", "log"))
    l0 = V.check_scalar("lam0", lam0, nonnegative=True)
    if mode == "log" and l0 <= 0:
        raise InvalidInputError("lam0", "must be > 0 in log mode", received=l0)
    lam, cbar, bm = _primal_dual_core(key, jnp.log(p), r, c, jnp.float64(b), jnp.float64(d), jnp.float64(eta),
                                  jnp.float64(l0), n, w, ns, mode == "log")
    return PrimalDualTrace(lam, cbar, bm)


# ----------------------------------------------------------------------------------------------
# dual-preference Bradley--Terry (B-T7)


@partial(jax.jit, static_argnums=(2,))
def _sim_prefs_core(key, c, n_pairs):
    n = c.shape[0]
    k1, k2, k3, k4 = jax.random.split(key, 4)
    i = jax.random.randint(k1, (n_pairs,), 0, n)
    j = (i + jax.random.randint(k2, (n_pairs,), 1, n)) % n
    pairs = jnp.stack([i, j], axis=1)
    harm = jax.random.uniform(k3, (n_pairs,), dtype=jnp.float64) < jax.nn.sigmoid(c[i] - c[j])
    unsafe = jax.random.uniform(k4, (n_pairs, 2), dtype=jnp.float64) < jax.nn.sigmoid(c[pairs])
    return pairs, harm, unsafe


def simulate_dual_preferences(key: Any, cost: Any, n_pairs: int) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Simulate harmlessness comparisons and safety flags under the dual Bradley--Terry model [S].

    Pairs are uniform over ordered distinct pairs; :math:`P(i\\text{ more harmful than }j)=\\sigma(c_i-c_j)`,
    :math:`P(y\\text{ unsafe})=\\sigma(c(y))` (spec B-T7; Safe RLHF cost model, arXiv 2310.12773 §3.1).

    Returns
    -------
    pairs : int array (n_pairs, 2); harm_labels : bool (n_pairs,); unsafe_flags : bool (n_pairs, 2)

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> pairs, harm, unsafe = simulate_dual_preferences(jax.random.PRNGKey(0), np.zeros(3), 5)
    >>> pairs.shape, harm.shape, unsafe.shape
    ((5, 2), (5,), (5, 2))
    """
    check_precision_all("simulate_dual_preferences", cost=cost)
    c = f64("cost", cost, ndim=1)
    if c.shape[0] < 2:
        raise InvalidInputError("cost", "needs at least 2 responses", received=f"shape {c.shape}")
    n = V.check_int("n_pairs", n_pairs, lo=1)
    return _sim_prefs_core(key, c, n)


def _grad_hess(c, pairs, harm, unsafe, st, ridge, wt):
    """Analytic gradient and Hessian of the weighted cost NLL (+ ridge): scatter-adds, O(P + n^2)."""
    n = c.shape[0]
    i, j = pairs[:, 0], pairs[:, 1]
    s = jnp.where(harm, 1.0, -1.0)
    x = s * (c[i] - c[j])
    gx = -s * jax.nn.sigmoid(-x) * wt
    w = jax.nn.sigmoid(x) * jax.nn.sigmoid(-x) * wt
    g = jnp.zeros(n, jnp.float64).at[i].add(gx).at[j].add(-gx)
    H = jnp.zeros((n, n), jnp.float64).at[i, i].add(w).at[j, j].add(w).at[i, j].add(-w).at[j, i].add(-w)
    sg = jnp.where(unsafe, 1.0, -1.0)
    y = sg * c[pairs]
    g = g + st * jnp.zeros(n, jnp.float64).at[pairs].add(-sg * jax.nn.sigmoid(-y) * wt[:, None])
    dh = jnp.zeros(n, jnp.float64).at[pairs].add(jax.nn.sigmoid(y) * jax.nn.sigmoid(-y) * wt[:, None])
    H = H + st * jnp.diag(dh) + ridge * jnp.eye(n, dtype=jnp.float64)
    return g + ridge * c, H


@partial(jax.jit, static_argnums=(4, 5, 6))
def _fit_core(pairs, harm, unsafe, ridge, n_items, newton_steps, sign_terms, wt=None):
    st = 1.0 if sign_terms else 0.0
    wt = jnp.ones(pairs.shape[0], jnp.float64) if wt is None else wt
    ones = jnp.ones(n_items, jnp.float64) / jnp.sqrt(jnp.float64(n_items))

    def step(c, _):
        g, H = _grad_hess(c, pairs, harm, unsafe, st, ridge, wt)
        if not sign_terms:  # gauge: pin the sum to zero (the Hessian is singular along ones)
            H = H + jnp.outer(ones, ones)
        c = c - jnp.linalg.solve(H, g)
        if not sign_terms:
            c = c - jnp.mean(c)
        return c, None

    c, _ = lax.scan(step, jnp.zeros(n_items, jnp.float64), None, length=newton_steps)
    g, _ = _grad_hess(c, pairs, harm, unsafe, st, ridge, wt)
    if not sign_terms:
        g = g - jnp.mean(g)
    return c, jnp.linalg.norm(g)


def fit_cost_model(pairs: Any, harm_labels: Any, unsafe_flags: Any, n_items: int, *, sign_terms: bool = True,
                   newton_steps: int = 20, ridge: float = 0.0) -> tuple[jax.Array, jax.Array]:
    """Maximum-likelihood cost scores of the dual Bradley--Terry model by Newton's method [M].

    Minimises :func:`aligntheory.theory.safety.cost_nll` (plus an optional ridge). With
    ``sign_terms=False`` only differences are identified and the estimate is returned in the
    sum-zero gauge (spec B-T7).

    Returns
    -------
    c_hat : float64 array (n_items,); grad_norm : float64 scalar (final gradient norm)

    Complexity
    ----------
    :math:`O(newton\\_steps (P n + n^3))` (dense Hessian; small ``n``).

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> c, g = fit_cost_model(np.array([[0, 1], [0, 1]]), np.array([True, False]),
    ...                       np.array([[True, False], [False, True]]), 2)   # balanced data: c = 0
    >>> float(np.abs(c).max()) < 1e-12 and float(g) < 1e-12
    True
    """
    e = jnp.asarray(pairs)
    if e.ndim != 2 or e.shape[1] != 2 or not jnp.issubdtype(e.dtype, jnp.integer):
        raise InvalidInputError("pairs", "must be an integer array of shape (P, 2)", received=f"{e.dtype} {e.shape}")
    n = V.check_int("n_items", n_items, lo=2)
    h = jnp.asarray(harm_labels, dtype=bool)
    u = jnp.asarray(unsafe_flags, dtype=bool)
    if h.shape != (e.shape[0],) or u.shape != e.shape:
        raise InvalidInputError("harm_labels, unsafe_flags", "must have shapes (P,) and (P, 2)",
                                received=f"{h.shape}, {u.shape}")
    rid = V.check_scalar("ridge", ridge, nonnegative=True)
    ns = V.check_int("newton_steps", newton_steps, lo=1)
    return _fit_core(e, h, u, jnp.float64(rid), n, ns, bool(sign_terms))


@partial(jax.jit, static_argnums=(2, 3, 4))
def _fit_dual_bt_core(key, c, pad, sign_terms, newton_steps, n_used):
    pairs, harm, unsafe = _sim_prefs_core(key, c, pad)
    wt = (jnp.arange(pad) < n_used).astype(jnp.float64)
    est, gnorm = _fit_core(pairs, harm, unsafe, jnp.float64(0.0), c.shape[0], newton_steps, sign_terms, wt)
    return est, gnorm


def fit_dual_bt(key: Any, cost: Any, n_pairs: Any, *, sign_terms: bool = True, newton_steps: int = 20,
                pad_to: int | None = None) -> tuple[jax.Array, jax.Array]:
    """Simulate dual-preference data from true costs and fit the cost model (vmappable over keys) [M].

    Composition of :func:`simulate_dual_preferences` and :func:`fit_cost_model` (spec B-T7: with
    sign terms the MLE is consistent, error :math:`\\propto N^{-1/2}`). Use
    ``jax.vmap(lambda k: fit_dual_bt(k, c, N))`` over a batch of keys for seeds. With ``pad_to``
    (static), ``pad_to`` pairs are simulated and only the first ``n_pairs`` (may be traced, so one
    compilation serves every N) enter the likelihood.

    Returns
    -------
    c_hat : float64 array (n,); grad_norm : float64 scalar

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> c = np.array([-1.0, 0.0, 1.0])
    >>> est, g = fit_dual_bt(jax.random.PRNGKey(0), c, 20000)
    >>> bool(np.max(np.abs(np.asarray(est) - c)) < 0.1)
    True
    """
    check_precision_all("fit_dual_bt", cost=cost)
    c = f64("cost", cost, ndim=1)
    if c.shape[0] < 2:
        raise InvalidInputError("cost", "needs at least 2 responses", received=f"shape {c.shape}")
    ns = V.check_int("newton_steps", newton_steps, lo=1)
    if pad_to is None:
        n = V.check_int("n_pairs", n_pairs, lo=1)
        return _fit_dual_bt_core(key, c, n, bool(sign_terms), ns, jnp.int64(n))
    pad = V.check_int("pad_to", pad_to, lo=1)
    if isinstance(n_pairs, (int,)) and not 1 <= n_pairs <= pad:
        raise InvalidInputError("n_pairs", f"must lie in [1, pad_to = {pad}]", received=n_pairs)
    return _fit_dual_bt_core(key, c, pad, bool(sign_terms), ns, jnp.asarray(n_pairs, jnp.int64))

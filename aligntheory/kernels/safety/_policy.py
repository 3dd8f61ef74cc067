"""JAX kernels for the Safe-RLHF tilt, multiplier and dual iterations (spec ``progress_and_safety.md`` B.3).

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
import numpy as np
from jax import lax

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.kernels._common import check_precision_all, holds
from aligntheory.kernels.safety._boundary import _SAFE, MAX_ENTRIES, _real
from aligntheory.results import provenance

__all__ = [
    "tilted_policy_batched",
    "TiltedMomentsBatched",
    "tilted_moments_batched",
    "optimal_multiplier_batched",
    "dual_ascent_batched",
    "PrimalDualTrace",
    "simulate_primal_dual",
]


def _check_problem(where: str, ref_probs: Any, reward: Any, cost: Any, beta: Any) -> tuple:
    check_precision_all(where, ref_probs=ref_probs, reward=reward, cost=cost)
    p = _real("ref_probs", ref_probs)
    r = _real("reward", reward)
    c = _real("cost", cost)
    if p.ndim not in (1, 2) or r.shape != p.shape or c.shape != p.shape:
        raise InvalidInputError("ref_probs, reward, cost", "must share one shape (n,) or (P, n)",
                                received=f"{p.shape}, {r.shape}, {c.shape}")
    b = V.check_scalar("beta", beta, positive=True)
    if b < np.finfo(np.float64).tiny:  # XLA flushes subnormals to zero on CPU: beta would become 0
        raise InvalidInputError("beta", "must be a normal float64 (>= 2.2250738585072014e-308); XLA flushes "
                                "subnormal numbers to zero", received=b)
    if any(isinstance(x, jax.core.Tracer) for x in (p, r, c)):
        return p, r, c, b  # under jit/vmap tracing: the unchecked path (values are not known on the host)
    for name, x in (("ref_probs", p), ("reward", r), ("cost", c)):
        if not holds(jnp.all(jnp.isfinite(x))):
            raise InvalidInputError(name, "non-finite input: every entry must be finite (no NaN or inf)")
    if not holds(jnp.all(p > 0)):
        raise InvalidInputError("ref_probs", "must have full support (all entries > 0)")
    if not holds(jnp.all(jnp.abs(p.sum(-1) - 1.0) <= 1e-10)):
        raise InvalidInputError("ref_probs", "must sum to 1 along the last axis")
    with np.errstate(over="ignore", invalid="ignore"):
        scale = float(jnp.max(jnp.abs(r))) / b + float(jnp.max(jnp.abs(c))) / b
    if not np.isfinite(scale) or scale > 1e300:
        raise PrecisionError("reward, cost, beta: |reward| / beta or |cost| / beta overflows float64 in the tilt")
    return p, r, c, b


def _log_tilt(logp, r, c, lam, beta):
    a = r - lam * c
    z = logp + (a - jnp.max(a)) / beta  # shift-invariant: no cancellation against huge logits
    return z - jax.nn.logsumexp(z)


@jax.jit
def _tilt_core(logp, r, c, lams, beta):
    per_prompt = jax.vmap(lambda lp, rr, cc: jax.vmap(lambda l: jnp.exp(_log_tilt(lp, rr, cc, l, beta)))(lams))
    return per_prompt(logp, r, c)


@provenance("M", source=_SAFE, where="our B-T1")
def tilted_policy_batched(ref_probs: Any, reward: Any, cost: Any, lams: Any, beta: float) -> jax.Array:
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

    Raises
    ------
    InvalidInputError
        Bad shapes, non-finite entries, ``ref_probs`` without full support or not summing to 1, ``beta <= 0``.
    PrecisionError
        :math:`\\max|r|/\\beta+\\max|c|/\\beta > 10^{300}` (the tilt's exponents would overflow); exactly
        :math:`10^{300}` is accepted.

    Complexity
    ----------
    :math:`O(PLn)` time and memory.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> pi = tilted_policy_batched(np.full((1, 2), 0.5), np.array([[0.0, 1.0]]), np.array([[0.0, 1.0]]),
    ...                            np.array([0.0, 1.0]), 1.0)
    >>> np.asarray(pi).round(6).tolist()
    [[[0.268941, 0.731059], [0.5, 0.5]]]
    """
    p, r, c, b = _check_problem("tilted_policy_batched", ref_probs, reward, cost, beta)
    check_precision_all("tilted_policy_batched", lams=lams)
    lam = _real("lams", lams, ndim=1)
    if not holds(jnp.all(jnp.isfinite(lam) & (lam >= 0))):
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


@provenance("M", source=_SAFE, where="our B-T1, B-T5")
class TiltedMomentsBatched(NamedTuple):
    """Result of :func:`tilted_moments_batched`: ``reward`` and ``cost`` expectations, shape (P, L) each."""

    reward: jax.Array
    cost: jax.Array


@provenance("M", source=_SAFE, where="our B-T1, B-T5")
def tilted_moments_batched(ref_probs: Any, reward: Any, cost: Any, lams: Any, beta: float) -> TiltedMomentsBatched:
    """:math:`\\mathbb E_{\\pi_\\lambda}[r]` and :math:`\\mathbb E_{\\pi_\\lambda}[c]` for prompts × multipliers [M].

    Same as :func:`tilted_policy_batched` followed by the two expectations, without keeping the
    (P, L, n) policies. Shapes: inputs (P, n), ``lams`` (L,); outputs (P, L) each. :math:`O(PLn)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> er, ec = tilted_moments_batched(np.full((1, 2), 0.5), np.array([[0.0, 1.0]]), np.array([[0.0, 1.0]]),
    ...                                 np.array([1.0]), 1.0)
    >>> float(ec[0, 0])
    0.5
    """
    p, r, c, b = _check_problem("tilted_moments_batched", ref_probs, reward, cost, beta)
    check_precision_all("tilted_moments_batched", lams=lams)
    lam = _real("lams", lams, ndim=1)
    if not holds(jnp.all(jnp.isfinite(lam) & (lam >= 0))):
        raise InvalidInputError("lams", "multipliers must be finite and >= 0")
    if p.ndim != 2:
        raise InvalidInputError("ref_probs", "must have shape (P, n)", received=f"shape {p.shape}")
    return TiltedMomentsBatched(*_moments_core(jnp.log(p), r, c, lam, jnp.float64(b)))


@partial(jax.jit, static_argnums=(5, 6))
def _bisect_core(logp, r, c, d, beta, n_double, n_bisect):
    """(multipliers, saturated mask): geometric bracketing from 1 up to :math:`2^{n\\_double}` or down to
    :math:`2^{-n\\_double}`, then bisection of a bracket ``[lo, 2 lo]`` (or ``[0, 2^{-n_double}]``)."""
    eps = jnp.finfo(jnp.float64).eps

    def one(lp, rr, cc, dd):
        ec = lambda l: jnp.exp(_log_tilt(lp, rr, cc, l, beta)) @ cc  # noqa: E731
        cmin = jnp.min(cc)
        inactive = ec(0.0) <= dd
        above1 = ec(1.0) > dd  # lambda* > 1: double up; else halve down

        def up_cond(st):
            x, k = st
            return (ec(x) > dd) & (k < n_double) & ~inactive

        x_up, _ = lax.while_loop(up_cond, lambda st: (2.0 * st[0], st[1] + 1), (jnp.float64(1.0), 0))
        saturated = above1 & ~inactive & (ec(x_up) > dd)  # lambda* beyond 2**n_double

        def down_cond(st):
            x, k = st
            return (ec(x) <= dd) & (k < n_double) & ~inactive

        x_dn, _ = lax.while_loop(down_cond, lambda st: (0.5 * st[0], st[1] + 1), (jnp.float64(1.0), 0))
        # bracket s * [lo, hi] with ec(s lo) > d >= ec(s hi), s a power of two and [lo, hi] = [1, 2] (or [0, 1]
        # below 2**-n_double): bisecting the scaled bracket keeps its width relative (XLA flushes subnormals, so an
        # unscaled width below 2**-1022 read 0 and stopped roots near 1e-300 at 1e-9 relative)
        found_dn = ec(x_dn) > dd
        scale = jnp.where(above1, 0.5 * x_up, x_dn)
        lo = jnp.where(above1 | found_dn, 1.0, 0.0)
        hi = jnp.where(above1 | found_dn, 2.0, 1.0)

        def bis_cond(state):
            lo, hi, it = state
            return (it < n_bisect) & (hi - lo > 4.0 * eps * hi) & ~inactive

        def bis(state):
            lo, hi, it = state
            mid = 0.5 * (lo + hi)
            above = ec(scale * mid) > dd
            return jnp.where(above, mid, lo), jnp.where(above, hi, mid), it + 1

        lo, hi, _ = lax.while_loop(bis_cond, bis, (lo, hi, jnp.int64(0)))
        lam = scale * (0.5 * (lo + hi))
        lam = jnp.where(saturated, jnp.nan, lam)
        lam = jnp.where(dd == cmin, jnp.inf, lam)
        lam = jnp.where(dd < cmin, jnp.nan, lam)
        lam = jnp.where(inactive, 0.0, lam)
        return lam, saturated & (dd > cmin)

    return jax.vmap(one)(logp, r, c, d)


@provenance("M", source=_SAFE, where="our B-T2 (vmapped bisection)")
def optimal_multiplier_batched(ref_probs: Any, reward: Any, cost: Any, beta: float, budgets: Any, *,
                               n_double: int = 1023, n_bisect: int = 200) -> jax.Array:
    """Optimal multipliers of many prompts by a vmapped bisection on :math:`\\mathbb E_{\\pi_\\lambda}[c]=d` [M].

    Spec B-T2: :math:`\\lambda^*=0` when :math:`\\mathbb E_{\\pi_0}[c]\\le d`, ``inf`` when
    :math:`d=\\min c`, ``nan`` when infeasible (:math:`d<\\min c`; the theory function raises).
    The bracket is found geometrically from 1: doubled while :math:`\\mathbb E_{\\pi_\\lambda}[c] > d`, or
    halved while it is :math:`\\le d`, at most ``n_double`` times each way, so every root in
    :math:`[2^{-n\\_double}, 2^{n\\_double}]` is bracketed by ``[lo, 2 lo]`` and found to relative
    precision (a root below :math:`2^{-n\\_double}` is bisected on ``[0, 2^{-n_double}]``, to that absolute
    resolution). Bisection then runs until the width is 4 ulp of the upper end or ``n_bisect`` steps
    (``lax.while_loop``). A root above :math:`2^{n\\_double}` raises :class:`~aligntheory.errors.PrecisionError`
    on concrete input and is ``nan`` under tracing (before round 13 the bracket started at ``[0, 1]`` and
    capped at :math:`2^{64}`: roots below ~1e-61 and above 1.8e19 came back wrong without a flag).

    Parameters
    ----------
    ref_probs, reward, cost : float64 arrays, shape (P, n)
    beta : float
    budgets : float64 array, shape (P,)
    n_double : int, default 1023
        Bracket doublings (or halvings), 1 <= n_double <= 1023 (the default spans the float64 range).
    n_bisect : int, default 200
        Bisection steps, >= 1.

    Returns
    -------
    float64 array, shape (P,)

    Raises
    ------
    InvalidInputError
        Bad problem data, budgets, ``n_double`` or ``n_bisect``.
    PrecisionError
        float32 input or x64 off; a root above :math:`2^{n\\_double}` (concrete input).

    Complexity
    ----------
    :math:`O(P n (\\log_2|\\log_2\\lambda^*| + n\\_bisect))` at most, :math:`O(P n (n\\_double + n\\_bisect))`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> lam = optimal_multiplier_batched(np.full((2, 2), 0.5), np.array([[0.0, 1.0]] * 2),
    ...                                  np.array([[0.0, 1.0]] * 2), 1.0, np.array([0.5, 0.9]))
    >>> np.asarray(lam).round(10).tolist()
    [1.0, 0.0]
    """
    p, r, c, b = _check_problem("optimal_multiplier_batched", ref_probs, reward, cost, beta)
    check_precision_all("optimal_multiplier_batched", budgets=budgets)
    d = _real("budgets", budgets, ndim=1)
    if not holds(jnp.all(jnp.isfinite(d))):
        raise InvalidInputError("budgets", "non-finite input: every entry must be finite")
    if p.ndim != 2 or d.shape != (p.shape[0],):
        raise InvalidInputError("budgets", "must have shape (P,) matching ref_probs (P, n)",
                                received=f"{d.shape}, {p.shape}")
    nd = V.check_int("n_double", n_double, lo=1, hi=1023)
    nb = V.check_int("n_bisect", n_bisect, lo=1)
    lam, saturated = _bisect_core(jnp.log(p), r, c, d, jnp.float64(b), nd, nb)
    if not holds(~jnp.any(saturated)):
        rows = np.flatnonzero(np.asarray(saturated))
        raise PrecisionError(f"optimal_multiplier_batched: the optimal multiplier of prompts {rows[:8].tolist()}"
                             f"{'...' if len(rows) > 8 else ''} exceeds the bracket 2**n_double = 2**{nd}: raise "
                             "n_double (at most 1023)")
    return lam


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


@provenance("M", source=_SAFE, where="training code (log-space multiplier); our B-T3, B-T4")
def dual_ascent_batched(ref_probs: Any, reward: Any, cost: Any, beta: float, budget: float, steps: Any, lam0: Any,
                        n_steps: int, mode: str = "projected", *, max_entries: int = MAX_ENTRIES) -> jax.Array:
    """Dual ascent with exact expectations for many (step, start) pairs at once (``vmap``) [M].

    Same iterations as :func:`aligntheory.theory.safety.dual_ascent` (spec B-T3 ``projected``,
    B-T4 ``log``: :math:`\\lambda\\leftarrow\\lambda\\exp(\\eta\\lambda(\\mathbb E_{\\pi_\\lambda}[c]-d))`).

    Parameters
    ----------
    ref_probs, reward, cost : float64 arrays, shape (n,)
    steps, lam0 : float64 arrays, shape (B,)
    n_steps : int (static)
    mode : {"projected", "log"} (static)
    max_entries : int, default 100_000_000
        Cap (``MAX_ENTRIES``) on ``(n_steps + 1) * B``, checked before any allocation.

    Returns
    -------
    float64 array, shape (n_steps+1, B)

    Raises
    ------
    InvalidInputError
        Bad problem data, steps or starts.
    SizeCapError
        The trajectory would exceed ``max_entries``.
    PrecisionError
        float32 input or x64 off.

    Complexity
    ----------
    :math:`O(n\\_steps \\cdot B n)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> tr = dual_ascent_batched(np.full(2, 0.5), np.array([0.0, 1.0]), np.array([0.0, 1.0]), 1.0, 0.5,
    ...                        np.array([4.0]), np.array([0.0]), 200)
    >>> round(float(tr[-1, 0]), 10)
    1.0
    """
    p, r, c, b = _check_problem("dual_ascent_batched", ref_probs, reward, cost, beta)
    if p.ndim != 1:
        raise InvalidInputError("ref_probs", "must have shape (n,)", received=f"shape {p.shape}")
    check_precision_all("dual_ascent_batched", steps=steps, lam0=lam0)
    s = _real("steps", steps, ndim=1)
    l0 = _real("lam0", lam0, ndim=1)
    if s.shape != l0.shape:
        raise InvalidInputError("steps, lam0", "must have the same shape (B,)", received=f"{s.shape}, {l0.shape}")
    if not holds(jnp.all(jnp.isfinite(s) & (s > 0))):
        raise InvalidInputError("steps", "step size must be finite and > 0")
    V.check_choice("mode", mode, ("projected", "log"))
    if not holds(jnp.all(jnp.isfinite(l0) & (l0 > 0 if mode == "log" else l0 >= 0))):
        raise InvalidInputError("lam0", "must be finite, > 0 in log mode and >= 0 otherwise")
    d = V.check_scalar("budget", budget)
    n = V.check_int("n_steps", n_steps, lo=1)
    V.check_size("n_steps", (n + 1) * int(s.shape[0]), cap=max_entries, unit="stored multipliers")
    return _dual_ascent_core(jnp.log(p), r, c, jnp.float64(b), jnp.float64(d), s, l0, n, mode == "log")


@provenance("M", source=_SAFE, where="training code; spec Part B open question 4")
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


@provenance("S", source=_SAFE, where="training code (primal-dual with log-space multiplier)")
def simulate_primal_dual(key: Any, ref_probs: Any, reward: Any, cost: Any, beta: float, budget: float, step: float,
                         n_steps: int, *, window: int = 1, n_samples: int = 64, lam0: float = 0.0,
                         mode: str = "projected", max_entries: int = MAX_ENTRIES) -> PrimalDualTrace:
    """Simulated primal--dual training: exact best response, noisy cost estimate, sliding window [M].

    At step ``k`` the policy is the tilt :math:`\\pi_{\\lambda_k}` (B-T1); ``n_samples`` responses are
    sampled, their mean cost is pushed into a window of the last ``window`` batch means, and the
    window mean :math:`\\bar C_k` drives the multiplier update (projected, or Safe RLHF's log-space
    update :math:`\\lambda\\leftarrow\\lambda e^{\\eta\\lambda(\\bar C_k-d)}`; arXiv 2310.12773 training
    code [S]; spec Part B open question 4). ``vmap`` over keys for seeds.

    Parameters
    ----------
    key : PRNG key
    ref_probs, reward, cost : float64 arrays, shape (n,)
    beta : float
        Tilt temperature, > 0.
    budget : float
        Cost budget :math:`d`.
    step : float
        Multiplier step size :math:`\\eta`, > 0.
    n_steps : int (static)
        Number of multiplier updates, >= 1.
    window : int, default 1
        Number of most recent batch means averaged into the cost estimate, >= 1 (static).
    n_samples : int, default 64
        Responses sampled from the current policy at each step, >= 1 (static).
    lam0 : float, default 0.0
        Initial multiplier, >= 0 (> 0 with ``mode="log"``).
    mode : {"projected", "log"}
        Multiplier update (static).
    max_entries : int, default 100_000_000
        Cap (``MAX_ENTRIES``) on ``n_steps * (n_samples + 3) + window``, checked before any allocation;
        :class:`~aligntheory.errors.SizeCapError` past it.

    Returns
    -------
    PrimalDualTrace
        ``lam`` shape (n_steps+1,), ``cost_estimate`` and ``batch_cost`` shape (n_steps,).

    Raises
    ------
    InvalidInputError
        Bad problem data or options; ``lam0 < 0``, or ``lam0 <= 0`` with ``mode="log"`` (any ``lam0 > 0``
        is accepted there, also below 1).
    SizeCapError
        ``n_steps * (n_samples + 3) + window`` exceeds ``max_entries``.
    PrecisionError
        float32 input or x64 off.

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
    V.check_size("n_steps", n * (ns + 3) + w, cap=max_entries, unit="entries")
    V.check_choice("mode", mode, ("projected", "log"))
    l0 = V.check_scalar("lam0", lam0, nonnegative=True)
    if mode == "log" and l0 <= 0:
        raise InvalidInputError("lam0", "must be > 0 in log mode", received=l0)
    lam, cbar, bm = _primal_dual_core(key, jnp.log(p), r, c, jnp.float64(b), jnp.float64(d), jnp.float64(eta),
                                  jnp.float64(l0), n, w, ns, mode == "log")
    return PrimalDualTrace(lam, cbar, bm)

"""Batched JAX replay of Safe RLHF's multiplier update (issue 15 item 2).

One ``lax.scan`` over update steps per configuration, ``vmap`` over seeds (cost logs), windows
(padded to the largest window with a mask), thresholds and learning rates. The numpy reference is
:func:`aligntheory.theory.safety._lagrangian.lagrangian_multiplier_trajectory`; the two agree to 1e-12
(tests). float64 is required (see :mod:`aligntheory.kernels`).
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.kernels._common import require_x64
from aligntheory.results import provenance

__all__ = ["MAX_SWEEP_ENTRIES", "window_means_batched", "lagrangian_multiplier_sweep", "pid_multiplier_sweep"]

_SAFE = "dai2023safe"
MAX_SWEEP_ENTRIES = 10**8
"""Cap on the entries a sweep allocates (window gathers plus the output grid)."""


def _window_means(flat: jax.Array, window: jax.Array, n_rollouts: int, batch: int, wmax: int) -> jax.Array:
    """Mean of the last ``window`` samples after each rollout; ``flat`` is the (R*B,) sample stream."""
    padded = jnp.concatenate([jnp.zeros(wmax, flat.dtype), flat])
    ends = (jnp.arange(n_rollouts) + 1) * batch  # samples seen after rollout r
    idx = ends[:, None] + jnp.arange(wmax)[None, :]  # padded index of the wmax samples ending at `ends`
    vals = padded[idx]
    count = jnp.minimum(window, ends)
    mask = jnp.arange(wmax)[None, :] >= (wmax - count)[:, None]
    return jnp.sum(jnp.where(mask, vals, jnp.zeros((), flat.dtype)), axis=1) / count.astype(flat.dtype)


def _scan(jbar: jax.Array, lr: jax.Array, d: jax.Array, log_init: float, log_max: float, delay: int,
          upr: int) -> jax.Array:
    steps_jbar = jnp.repeat(jbar, upr)
    steps = jnp.arange(steps_jbar.shape[0])

    def body(u, xs):
        jb, s = xs
        new = jnp.minimum(u + lr * (jb - d) * jnp.exp(u), log_max)
        u = jnp.where(s >= delay, new, u)
        return u, u

    _, us = jax.lax.scan(body, jnp.asarray(log_init, jbar.dtype), (steps_jbar, steps))
    return jnp.exp(us)


@partial(jax.jit, static_argnames=("n_rollouts", "batch", "wmax"))
def _means_grid(costs: jax.Array, windows: jax.Array, n_rollouts: int, batch: int, wmax: int) -> jax.Array:
    per_seed = jax.vmap(lambda flat: jax.vmap(lambda w: _window_means(flat, w, n_rollouts, batch, wmax))(windows))
    return per_seed(costs.reshape(costs.shape[0], -1))


@partial(jax.jit, static_argnames=("delay", "upr"))
def _sweep(jbar: jax.Array, lrs: jax.Array, ds: jax.Array, log_init: float, log_max: float, delay: int,
           upr: int) -> jax.Array:
    f = lambda jb, lr, d: _scan(jb, lr, d, log_init, log_max, delay, upr)  # noqa: E731
    f = jax.vmap(f, in_axes=(None, 0, None))  # learning rates
    f = jax.vmap(f, in_axes=(None, None, 0))  # thresholds
    f = jax.vmap(f, in_axes=(0, None, None))  # windows
    f = jax.vmap(f, in_axes=(0, None, None))  # seeds
    return f(jbar, lrs, ds)


def _host(episode_costs: Any) -> tuple[Any, int, int, int]:
    if isinstance(episode_costs, jax.core.Tracer):  # under jit/vmap: shapes checked, values unchecked
        if not jnp.issubdtype(episode_costs.dtype, jnp.floating):
            raise InvalidInputError("episode_costs", "must be a float64 array", received=f"dtype {episode_costs.dtype}")
        c = episode_costs.astype(jnp.float64)
    else:
        c = V.as_float_array("episode_costs", episode_costs)
    if c.ndim == 2:
        c = c[None]
    if c.ndim != 3 or 0 in c.shape:
        raise InvalidInputError("episode_costs", "must have shape (n_seeds, n_rollouts, batch) or (n_rollouts, batch)",
                                received=f"shape {c.shape}")
    return c, c.shape[0], c.shape[1], c.shape[2]


@provenance("S", source=_SAFE, where="safe-rlhf window mean (deque of the last `window` per-sample costs)")
def window_means_batched(episode_costs: Any, windows: Any) -> jax.Array:
    """Window mean :math:`\\bar J_r` after each rollout, for every seed and window [S].

    :math:`\\bar J_r` is the mean of the last :math:`\\min(W, (r+1)B)` per-sample costs, as the
    trainer's bounded deque holds them; windows are padded to the largest with a mask.

    Parameters
    ----------
    episode_costs : array_like, shape (S, R, B) or (R, B)
    windows : array_like of int, shape (nW,)
        Non-empty, 1-D, integer dtype (integral floats such as ``2.0`` are refused), every entry >= 1.

    Returns
    -------
    jax.Array, shape (S, nW, R)

    Raises
    ------
    InvalidInputError
        Bad shapes, non-finite costs, ``windows`` empty, not 1-D, not of integer dtype, or < 1.
    PrecisionError
        float64 not enabled.
    SizeCapError
        ``S * nW * R * max(windows)`` over :data:`MAX_SWEEP_ENTRIES`.

    Notes
    -----
    :math:`O(S\\,n_W\\,R\\,W_{\\max})` work and memory, fully parallel.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> window_means_batched([[1.0, 3.0], [5.0, 7.0]], [1, 3]).tolist()
    [[[3.0, 7.0], [2.0, 5.0]]]
    """
    require_x64("window_means_batched")
    c, S, R, B = _host(episode_costs)
    w = _windows(windows)
    wmax = int(w.max())
    V.check_size("episode_costs", S * w.size * R * wmax, cap=MAX_SWEEP_ENTRIES, unit="gathered entries")
    return _means_grid(jnp.asarray(c), jnp.asarray(w), R, B, wmax)


def _windows(windows: Any) -> np.ndarray:
    w = V.as_real_array("windows", windows)
    w = np.atleast_1d(w)
    if w.ndim != 1 or w.size == 0 or w.dtype.kind not in "iu" or np.any(w < 1):
        raise InvalidInputError("windows", "must be a non-empty 1-D array of integers >= 1", received=w)
    return w.astype(np.int64)


def _vec(name: str, x: Any, **kw: Any) -> np.ndarray:
    a = np.atleast_1d(V.as_float_array(name, x, **kw))
    if a.ndim != 1 or a.size == 0:
        raise InvalidInputError(name, "must be a scalar or a non-empty 1-D array", received=f"shape {a.shape}")
    return a


@provenance("S", source=_SAFE, where="safe-rlhf PPO-Lagrangian trainer (multiplier update), batched")
def lagrangian_multiplier_sweep(episode_costs: Any, thresholds: Any, lambda_lrs: Any, windows: Any, *,
                                lambda_init: float = 1.0, lambda_max: float | None = None, delay_steps: int = 0,
                                updates_per_rollout: int = 1) -> jax.Array:
    """Safe RLHF's multiplier trajectory for a grid of seeds × windows × thresholds × learning rates [S].

    Same update as :func:`~aligntheory.theory.safety.lagrangian_multiplier_trajectory`:
    :math:`u\\leftarrow\\min(u+\\eta(\\bar J-d)e^u, \\log\\lambda_{\\max})` once ``step >= delay_steps``,
    ``updates_per_rollout`` steps per rollout, :math:`\\bar J` from :func:`window_means_batched`.

    Parameters
    ----------
    episode_costs : array_like, shape (S, R, B) or (R, B)
        Per-sample costs, fixed batch size ``B`` (one log per seed).
    thresholds, lambda_lrs : array_like, shape (nD,), (nL,)
    windows : array_like of int, shape (nW,)
        Non-empty, 1-D, integer dtype (integral floats such as ``2.0`` are refused), every entry >= 1.
    lambda_init : float, default 1.0
        Initial multiplier :math:`\\lambda_0 = e^{u_0}`, > 0.
    lambda_max : float, optional
        Upper cap on :math:`\\lambda` (> 0); ``None`` for no cap.
    delay_steps : int, default 0
        Updates at steps before ``delay_steps`` are skipped (:math:`\\lambda` stays), >= 0.
    updates_per_rollout : int, default 1
        Multiplier updates per rollout, each with that rollout's window mean, >= 1.

    Returns
    -------
    jax.Array, shape (S, nW, nD, nL, R * updates_per_rollout)
        :math:`\\lambda` after every step (non-finite after an overflow; the numpy version raises there).

    Raises
    ------
    InvalidInputError
        Bad shapes or values.
    PrecisionError
        float64 not enabled.
    SizeCapError
        Window gathers or output over :data:`MAX_SWEEP_ENTRIES`.

    Notes
    -----
    Work :math:`O(S n_W R W_{\\max} + S n_W n_D n_L R U)`; the scan is sequential in the steps only.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> lam = lagrangian_multiplier_sweep([[1.0, 0.0], [0.0, 0.0]], [0.0], [0.5], [2])
    >>> lam.shape, [round(float(x), 6) for x in lam[0, 0, 0, 0]]
    ((1, 1, 1, 1, 2), [1.284025, 1.284025])
    """
    require_x64("lagrangian_multiplier_sweep")
    c, S, R, B = _host(episode_costs)
    ds = _vec("thresholds", thresholds)
    lrs = _vec("lambda_lrs", lambda_lrs, nonnegative=True)
    w = _windows(windows)
    lam0 = V.check_scalar("lambda_init", lambda_init, positive=True)
    log_max = math.inf if lambda_max is None else math.log(V.check_scalar("lambda_max", lambda_max, positive=True))
    D = V.check_int("delay_steps", delay_steps, lo=0)
    U = V.check_int("updates_per_rollout", updates_per_rollout, lo=1)
    wmax = int(w.max())
    V.check_size("episode_costs", S * w.size * R * wmax, cap=MAX_SWEEP_ENTRIES, unit="gathered entries")
    V.check_size("lambda_lrs", S * w.size * ds.size * lrs.size * R * U, cap=MAX_SWEEP_ENTRIES, unit="output entries")
    jbar = _means_grid(jnp.asarray(c), jnp.asarray(w), R, B, wmax)
    return _sweep(jbar, jnp.asarray(lrs), jnp.asarray(ds), math.log(lam0), log_max, D, U)


def _pid_scan(jbar: jax.Array, kp: jax.Array, ki: jax.Array, kd: float, d: jax.Array, i0: float, delay: int,
              upr: int) -> jax.Array:
    steps_jbar = jnp.repeat(jbar, upr)
    steps = jnp.arange(steps_jbar.shape[0])
    zero = jnp.zeros((), jbar.dtype)

    def body(state, xs):
        integral, prev, started, lam = state
        jb, s = xs
        delta = jb - d
        deriv = jnp.where(started, jnp.maximum(zero, jb - prev), zero)
        new_i = jnp.maximum(zero, integral + delta)
        new_lam = jnp.maximum(zero, kp * delta + ki * new_i + kd * deriv)
        active = s >= delay
        state = (jnp.where(active, new_i, integral), jnp.where(active, jb, prev), started | active,
                 jnp.where(active, new_lam, lam))
        return state, state[3]

    init = (jnp.asarray(i0, jbar.dtype), zero, jnp.asarray(False), jnp.maximum(zero, ki * i0))
    _, lams = jax.lax.scan(body, init, (steps_jbar, steps))
    return lams


@partial(jax.jit, static_argnames=("delay", "upr"))
def _pid_sweep(jbar, kps, kis, ds, kd, i0, delay, upr):
    f = lambda jb, kp, ki, d: _pid_scan(jb, kp, ki, kd, d, i0, delay, upr)  # noqa: E731
    f = jax.vmap(f, in_axes=(None, None, 0, None))  # K_I
    f = jax.vmap(f, in_axes=(None, 0, None, None))  # K_P
    f = jax.vmap(f, in_axes=(None, None, None, 0))  # thresholds
    f = jax.vmap(f, in_axes=(0, None, None, None))  # windows
    f = jax.vmap(f, in_axes=(0, None, None, None))  # seeds
    return f(jbar, kps, kis, ds)


@provenance("S", source="stooke2020responsive", where="Algorithm 2 (PID-controlled Lagrange multiplier), batched")
def pid_multiplier_sweep(episode_costs: Any, thresholds: Any, kps: Any, kis: Any, windows: Any, *, kd: float = 0.0,
                         integral_init: float = 0.0, delay_steps: int = 0, updates_per_rollout: int = 1) -> jax.Array:
    """PID multiplier for a grid of seeds × windows × thresholds × :math:`K_P` × :math:`K_I` [S].

    Same update as :func:`~aligntheory.theory.safety.pid_multiplier_trajectory`.

    Parameters
    ----------
    episode_costs : array_like, shape (S, R, B) or (R, B)
    thresholds, kps, kis : array_like, shapes (nD,), (nP,), (nI,)
        Non-negative gains.
    windows : array_like of int, shape (nW,)
        Non-empty, 1-D, integer dtype (integral floats such as ``2.0`` are refused), every entry >= 1.
    kd : float, default 0.0
        Derivative gain :math:`K_D`, applied to the increase :math:`\\max(0, \\bar J_t - \\bar J_{t-1})`, >= 0.
    integral_init : float, default 0.0
        Initial integral state :math:`I_0`, >= 0 (the initial multiplier is :math:`\\max(0, K_I I_0)`).
    delay_steps : int, default 0
        Updates at steps before ``delay_steps`` are skipped (:math:`\\lambda` stays), >= 0.
    updates_per_rollout : int, default 1
        Multiplier updates per rollout, each with that rollout's window mean, >= 1.

    Returns
    -------
    jax.Array, shape (S, nW, nD, nP, nI, R * updates_per_rollout)

    Raises
    ------
    InvalidInputError
        Bad shapes or values.
    PrecisionError
        float64 not enabled.
    SizeCapError
        Window gathers or output over :data:`MAX_SWEEP_ENTRIES`.

    Notes
    -----
    Work :math:`O(S n_W R W_{\\max} + S n_W n_D n_P n_I R U)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> pid_multiplier_sweep([[2.0], [0.0], [0.0]], [1.0], [0.5], [1.0], [1])[0, 0, 0, 0, 0].tolist()
    [1.5, 0.0, 0.0]
    """
    require_x64("pid_multiplier_sweep")
    c, S, R, B = _host(episode_costs)
    ds = _vec("thresholds", thresholds)
    kps = _vec("kps", kps, nonnegative=True)
    kis = _vec("kis", kis, nonnegative=True)
    w = _windows(windows)
    kd_ = V.check_scalar("kd", kd, nonnegative=True)
    i0 = V.check_scalar("integral_init", integral_init, nonnegative=True)
    D = V.check_int("delay_steps", delay_steps, lo=0)
    U = V.check_int("updates_per_rollout", updates_per_rollout, lo=1)
    wmax = int(w.max())
    V.check_size("episode_costs", S * w.size * R * wmax, cap=MAX_SWEEP_ENTRIES, unit="gathered entries")
    V.check_size("kis", S * w.size * ds.size * kps.size * kis.size * R * U, cap=MAX_SWEEP_ENTRIES,
                 unit="output entries")
    jbar = _means_grid(jnp.asarray(c), jnp.asarray(w), R, B, wmax)
    return _pid_sweep(jbar, jnp.asarray(kps), jnp.asarray(kis), jnp.asarray(ds), kd_, i0, D, U)

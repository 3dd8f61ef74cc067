"""Gradient-descent training of a free softmax to the E1 mixture (spec ``elasticity.md`` §4.3 E1)."""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from aligntheory import _validate as VA
from aligntheory.errors import ConvergenceError, InvalidInputError
from aligntheory.kernels._common import holds, require_x64
from aligntheory.kernels.elasticity._validation import real64
from aligntheory.results import RESULTS, provenance, raise_or_flag
from aligntheory.theory.elasticity import check_distribution

__all__ = ["TrainResult", "train_softmax"]



@provenance("M", where="Proposition E1 (aligntheory)")
class TrainResult(NamedTuple):
    """Final logits, model ``q``, achieved ``residual`` :math:`\\|q-q^*\\|_1`, ``iterations`` taken and the
    outcome ``result`` (a :class:`~aligntheory.results.RESULTS`); ``converged`` is ``result.succeeded``.
    Under ``jax.jit``/``vmap`` the outcome is not known on the host: ``result`` is ``None`` and
    ``residual``/``iterations`` are arrays (``throw`` does not apply)."""

    logits: jax.Array
    q: jax.Array
    residual: float
    iterations: int
    result: RESULTS | None

    @property
    def converged(self) -> bool:
        """True when the tolerance was met (``result`` is ``successful``)."""
        return self.result.succeeded


@partial(jax.jit, static_argnames=("optimizer",))
def _train_core(z0, targets, weights, steps, lr, tol, optimizer):
    w = weights / weights.sum()
    qstar = w @ targets

    def loss(z):
        return -jnp.sum(w @ targets * jax.nn.log_softmax(z))

    g = jax.grad(loss)

    def cond(st):
        z, m, v, t, err = st
        return (err > tol) & (t < steps)

    def body(st):
        z, m, v, t, err = st
        gr = g(z)
        if optimizer == "gd":
            z = z - lr * gr
        else:
            m = 0.9 * m + 0.1 * gr
            v = 0.999 * v + 0.001 * gr * gr
            tt = (t + 1).astype(jnp.float64)
            z = z - lr * (m / (1 - 0.9**tt)) / (jnp.sqrt(v / (1 - 0.999**tt)) + 1e-8)
        err = jnp.sum(jnp.abs(jax.nn.softmax(z) - qstar))
        return z, m, v, t + 1, err

    err0 = jnp.sum(jnp.abs(jax.nn.softmax(z0) - qstar))
    z, _, _, t, err = lax.while_loop(cond, body, (z0, jnp.zeros_like(z0), jnp.zeros_like(z0), jnp.int64(0), err0))
    return z, jax.nn.softmax(z), err, t


@provenance("M", where="Proposition E1 (aligntheory), spec elasticity.md §4.3 E1")
def train_softmax(key: Any, logits0: Any, targets: Any, weights: Any, steps: int, lr: float, *,
                  tol: float = 1e-6, optimizer: str = "gd", throw: bool = True, validate: bool = True) -> TrainResult:
    """Train one free logit per leaf on :math:`\\sum_i N_i\\,\\mathrm{CE}(P_i, \\mathrm{softmax}(z))` [M].

    Proposition E1 (aligntheory): the unique minimiser is the mixture :math:`q^*`; the gradient
    is :math:`(\\sum_i w_i)(q - q^*)` (computed with ``jax.grad``). Stops when
    :math:`\\|q-q^*\\|_1 \\le` ``tol`` or after ``steps`` steps (GD, or Adam with the usual constants).

    Parameters
    ----------
    key : PRNG key
        Used only when ``logits0`` is None (initial logits :math:`\\mathcal N(0, 0.01^2)`).
    logits0 : float64 array, shape (M,), or None
    targets : float64 array, shape (m, M)
        Rows are probability vectors (checked when ``validate``).
    weights : float64 array, shape (m,)
        Dataset sizes > 0 (normalised by their sum; any finite scale).
    steps : int
    lr : float
    tol : float, default 1e-6
        Stopping tolerance on :math:`\\|q-q^*\\|_1`, > 0.
    optimizer : {"gd", "adam"}, default "gd"
    throw : bool, default True
        Raise :class:`~aligntheory.errors.ConvergenceError` (with ``last_iterate``, ``residual``,
        ``iterations`` and ``result``) when ``tol`` is not met; with ``throw=False`` return the
        result, whose ``result`` says what happened (``max_steps_reached`` or ``nonfinite``).
    validate : bool, default True
        Host-side checks of ``targets``.

    Returns
    -------
    TrainResult

    Raises
    ------
    ConvergenceError
        ``throw=True`` and the tolerance was not met (``result`` max_steps_reached or nonfinite).
    InvalidInputError
        Invalid targets, weights, sizes or options; complex input.
    PrecisionError
        float32 input or x64 off.

    Notes
    -----
    ``steps`` full-gradient steps of cost :math:`O(mM)`; GD needs about :math:`1/\\min_x q^*(x)` steps.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> r = train_softmax(None, np.zeros(2), np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([3.0, 1.0]), 10000, 1.0)
    >>> r.converged, r.result.value, np.asarray(r.q).round(6).tolist()
    (True, 'successful', [0.75, 0.25])
    """
    require_x64("train_softmax")
    T = real64("targets", targets, ndim=2)
    if validate:
        for i in range(T.shape[0]):
            check_distribution(f"targets[{i}]", np.asarray(T[i]))
    W = VA.as_float_array("weights", weights, shape=(T.shape[0],), positive=True)
    n = VA.check_int("steps", steps, lo=0)
    eta = VA.check_scalar("lr", lr, positive=True)
    tl = VA.check_scalar("tol", tol, positive=True)
    if optimizer not in ("gd", "adam"):
        raise InvalidInputError("optimizer", "must be 'gd' or 'adam'", received=optimizer)
    if logits0 is None:
        z0 = 0.01 * jax.random.normal(key, (T.shape[1],), jnp.float64)
    else:
        z0 = real64("logits0", logits0, ndim=1)
        if z0.shape[0] != T.shape[1]:
            raise InvalidInputError("logits0", f"must have shape ({T.shape[1]},)", received=f"shape {tuple(z0.shape)}")
        if not holds(jnp.all(jnp.isfinite(z0))):
            raise InvalidInputError("logits0", "non-finite input: every entry must be finite (no NaN or inf)")
    W = W / np.max(W)  # scale-safe: the minimiser depends only on the proportions
    z, q, err, t = _train_core(z0, T, jnp.asarray(W), jnp.int64(n), jnp.float64(eta), jnp.float64(tl), optimizer)
    if isinstance(err, jax.core.Tracer):  # under jit/vmap the status cannot be decided on the host
        return TrainResult(z, q, err, t, None)
    e = float(err)
    outcome = (RESULTS.successful if e <= tl else
               RESULTS.nonfinite if not (np.isfinite(e) and bool(jnp.all(jnp.isfinite(z)))) else
               RESULTS.max_steps_reached)
    res = TrainResult(z, q, e, int(t), outcome)
    raise_or_flag(outcome, throw=throw, error=lambda: ConvergenceError(
        f"train_softmax: ||q - q*||_1 = {e:.3e} > tol = {tl:g} after {res.iterations} steps ({outcome.value})",
        iterations=res.iterations, residual=e, last_iterate=res, result=outcome))
    return res

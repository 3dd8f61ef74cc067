"""Dual ascent on the multiplier of Safe RLHF with exact expectations (our B-T3, B-T4)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import ConvergenceError, InvalidInputError, PrecisionError
from aligntheory.results import RESULTS, Bound, provenance, raise_or_flag
from aligntheory.theory.safety._tilt import _log_policy, _moments, _problem

__all__ = ["smoothness_constant", "projected_ascent_bound", "DualAscentTrace", "dual_ascent",
           "log_update_stability_factor", "MAX_TRACE_ENTRIES", "MAX_STEPS"]

_SAFE = "dai2023safe"

MAX_TRACE_ENTRIES = 10**8
"""Default cap on ``(n_steps + 1) * B`` stored multipliers of :func:`dual_ascent` (keyword ``max_entries``)."""

MAX_STEPS = 100_000
"""Default cap on the iterations of :func:`dual_ascent` (keyword ``max_steps``; one vectorised step each)."""


@provenance("M", source="boyd2004convex", where="Popoviciu's inequality; our B-T2")
def smoothness_constant(cost: Any, beta: float) -> Bound:
    """Smoothness constant :math:`L = (\\max c - \\min c)^2/(4\\beta)` of the dual (Popoviciu) [M].

    Our B-T2: :math:`0\\le g''(\\lambda) = \\mathrm{Var}_{\\pi_\\lambda}(c)/\\beta\\le L` for every
    :math:`\\lambda`.

    Parameters
    ----------
    cost : array_like, shape (n,)
    beta : float

    Returns
    -------
    Bound
        ``kind="upper"`` bound on :math:`g''`; ``.sympy()`` gives the closed form.

    Raises
    ------
    InvalidInputError
        Non-finite cost, ``beta <= 0``.
    PrecisionError
        :math:`L` overflows float64 (computed as :math:`((\\max c-\\min c)/2)^2/\\beta`).

    Notes
    -----
    :math:`O(n)`.

    Examples
    --------
    >>> L = smoothness_constant([0.0, 2.0], 0.5)
    >>> float(L), L.kind, L.sympy()
    (2.0, 'upper', (c_max - c_min)**2/(4*beta))
    """
    c = V.as_float_array("cost", cost, ndim=1)
    if c.size == 0:
        raise InvalidInputError("cost", "must be non-empty")
    b = V.check_scalar("beta", beta, positive=True)
    with np.errstate(over="ignore", invalid="ignore"):
        half = float(c.max()) / 2.0 - float(c.min()) / 2.0  # no overflow of the range itself
        value = half * half / b
    if not np.isfinite(value):
        raise PrecisionError("cost, beta: (max c - min c)^2 / (4 beta) overflows float64")

    def expr():
        import sympy as sp

        cmax, cmin, bb = sp.symbols("c_max c_min beta", positive=True)
        return (cmax - cmin) ** 2 / (4 * bb)

    return Bound(value, kind="upper", quantity="g''(lambda) = Var_{pi_lambda}(c) / beta",
                 assumptions=("bounded cost on a finite response set",), source="boyd2004convex",
                 where="Popoviciu's inequality; our B-T2", provenance="M", expr=expr,
                 subs={"c_max": float(c.max()), "c_min": float(c.min()), "beta": b})


@provenance("M", source="boyd2004convex", where="§9.3 (gradient method); our B-T3")
def projected_ascent_bound(k: int, lam0: float, lam_star: float, step: float) -> Bound:
    """O(1/k) bound :math:`g(\\lambda_k)-g(\\lambda^*)\\le(\\lambda_0-\\lambda^*)^2/(2\\eta k)` for :math:`\\eta\\le1/L` [M].

    Our B-T3 (projected gradient descent on a convex L-smooth function; Boyd & Vandenberghe).

    Parameters
    ----------
    k : int
        Iteration count, >= 1.
    lam0, lam_star : float
        Start and optimum (>= 0).
    step : float
        :math:`0 < \\eta \\le 1/L`.

    Returns
    -------
    Bound
        ``kind="upper"`` on the dual gap after ``k`` steps.

    Raises
    ------
    InvalidInputError
        ``k < 1``, negative multipliers, ``step <= 0``.
    PrecisionError
        The bound overflows float64.

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> [float(projected_ascent_bound(k, 0.0, 1.0, 0.5)) for k in (1, 2)]
    [1.0, 0.5]
    """
    kk = V.check_int("k", k, lo=1)
    l0 = V.check_scalar("lam0", lam0, nonnegative=True)
    ls = V.check_scalar("lam_star", lam_star, nonnegative=True)
    eta = V.check_scalar("step", step, positive=True)
    with np.errstate(over="ignore", invalid="ignore"):
        diff = abs(l0 - ls)
        value = float(np.float64(diff) / (2.0 * eta * kk) * diff) if diff else 0.0
    if not np.isfinite(value):
        raise PrecisionError("lam0, lam_star, step: the bound overflows float64")

    def expr():
        import sympy as sp

        a, b, e, n = sp.symbols("lambda_0 lambda_star eta k", positive=True)
        return (a - b) ** 2 / (2 * e * n)

    return Bound(value, kind="upper", quantity="g(lambda_k) - g(lambda*)",
                 assumptions=("step <= 1/L (L from smoothness_constant)", "exact expectations"),
                 source="boyd2004convex", where="§9.3; our B-T3", provenance="M", expr=expr,
                 subs={"lambda_0": l0, "lambda_star": ls, "eta": eta, "k": kk})


@provenance("M", source=_SAFE, where="our B-T3/B-T4")
@dataclass(frozen=True)
class DualAscentTrace:
    """Trajectory of :func:`dual_ascent`.

    Attributes
    ----------
    lam : ndarray, shape (n_steps+1,) or (n_steps+1, B)
        Multipliers :math:`\\lambda_0 .. \\lambda_{n\\_steps}`.
    result : RESULTS
        ``successful``, or ``nonfinite`` when an iterate overflowed (``throw=False``).
    """

    lam: np.ndarray
    result: RESULTS = RESULTS.successful

    @property
    def converged(self) -> bool:
        """``result.succeeded`` (the iteration ran without non-finite iterates)."""
        return self.result.succeeded

    @property
    def final(self) -> np.ndarray | float:
        """The last iterate (float for one run, array of shape (B,) otherwise)."""
        last = self.lam[-1]
        return float(last) if np.ndim(last) == 0 else last


@provenance("M", source=_SAFE, where="§3 and training code (log-space multiplier); our B-T3, B-T4")
def dual_ascent(ref_probs: Any, reward: Any, cost: Any, beta: float, budget: float, step: Any, n_steps: int,
                lam0: Any = 0.0, mode: Literal["projected", "log"] = "projected", *,
                lam_max: float | None = None, support: Any = None, throw: bool = True,
                max_entries: int = MAX_TRACE_ENTRIES, max_steps: int = MAX_STEPS) -> DualAscentTrace:
    """Dual ascent on :math:`\\lambda` with exact expectations, vectorised over (step, lam0) pairs [M].

    * ``projected`` (our B-T3): :math:`\\lambda_{k+1}=\\max(0,\\lambda_k+\\eta(\\mathbb E_{\\pi_{\\lambda_k}}[c]-d))`.
    * ``log`` (our B-T4; Safe RLHF stores :math:`u=\\log\\lambda`, arXiv 2310.12773 training code):
      :math:`\\lambda_{k+1}=\\lambda_k\\exp(\\eta\\lambda_k(\\mathbb E_{\\pi_{\\lambda_k}}[c]-d))`, clipped at
      ``lam_max``; requires :math:`\\lambda_0>0`.

    Parameters
    ----------
    ref_probs, reward, cost : array_like, shape (n,)
    beta, budget : float
    step : float or array_like, broadcastable to shape (B,)
        Step size :math:`\\eta>0`.
    lam0 : float or array_like, broadcastable to shape (B,), default 0.0
        Start :math:`\\lambda_0 \\ge 0` (> 0 in ``log`` mode).
    n_steps : int
    mode : {"projected", "log"}
    lam_max : float, optional
        Clip of the log-space update, > 0 (``InvalidInputError`` otherwise); ``None``: no clip.
    throw : bool, default True
        Raise :class:`ConvergenceError` when an iterate becomes non-finite; with
        ``False`` the trace carries ``result = RESULTS.nonfinite`` and holds the finite iterates before it.
    max_entries : int, default 100_000_000
        Cap on ``(n_steps + 1) * B``, checked before allocating the trace (``MAX_TRACE_ENTRIES``).
    max_steps : int, default 100_000
        Cap on ``n_steps``, checked before any work (``MAX_STEPS``).

    Returns
    -------
    DualAscentTrace

    Raises
    ------
    InvalidInputError
        Bad inputs, each naming its argument: the problem data, ``budget``, ``mode`` (a string),
        ``throw`` (a bool), ``n_steps``, ``max_steps`` (an integer >= 0), ``max_entries`` (an integer >= 1),
        ``step``, ``lam0`` and ``lam_max``. Every argument is checked before it is used and before any
        iteration; ``max_steps`` and ``max_entries`` before their size checks, ``lam_max`` after both size
        checks (a too-large trace is refused first) and before the trace is allocated.
    SizeCapError
        ``n_steps`` above ``max_steps`` or the trace above ``max_entries``, before any work.
    ConvergenceError
        A non-finite iterate (``throw=True``).

    Notes
    -----
    :math:`O(n\\_steps \\cdot B \\cdot n)`.

    Examples
    --------
    >>> tr = dual_ascent([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 1.0, 0.5, step=4.0, n_steps=200)
    >>> round(tr.final, 10), tr.result
    (1.0, <RESULTS.successful: 'successful'>)
    """
    # the caps were compared unvalidated (max_steps="10" or None raised a raw TypeError, max_steps=-1 a
    # SizeCapError "needs 0, cap is -1"), an array mode a raw ValueError, and throw was never checked
    P = _problem(ref_probs, reward, cost, beta, support)
    d = V.check_scalar("budget", budget)
    if not isinstance(mode, str):  # check_choice would compare an array elementwise (a raw ValueError)
        raise InvalidInputError("mode", "must be one of ('projected', 'log')", received=type(mode).__name__)
    V.check_choice("mode", mode, ("projected", "log"))
    if not isinstance(throw, (bool, np.bool_)):
        raise InvalidInputError("throw", "must be a bool", received=type(throw).__name__)
    n_steps = V.check_int("n_steps", n_steps, lo=0)
    max_steps = V.check_int("max_steps", max_steps, lo=0)
    max_entries = V.check_int("max_entries", max_entries, lo=1)
    V.check_size("n_steps", n_steps, cap=max_steps, unit="iterations")
    eta = V.as_float_array("step", step)
    if np.any(eta <= 0):
        raise InvalidInputError("step", "step size must be > 0", received=float(np.min(eta)))
    l0 = V.as_float_array("lam0", lam0, nonnegative=True)
    if mode == "log" and np.any(l0 <= 0):
        raise InvalidInputError("lam0", "must be > 0 in log mode (u = log lam)", received=float(np.min(l0)))
    scalar = eta.ndim == 0 and l0.ndim == 0
    try:
        eta, l0 = np.broadcast_arrays(np.atleast_1d(eta), np.atleast_1d(l0))
    except ValueError as exc:
        raise InvalidInputError("step, lam0", "must broadcast to one shape (B,)") from exc
    if eta.ndim != 1:
        raise InvalidInputError("step, lam0", "must broadcast to one shape (B,)", received=f"shape {eta.shape}")
    V.check_size("n_steps", (n_steps + 1) * eta.shape[0], cap=max_entries, unit="stored multipliers")
    umax = math.inf if lam_max is None else math.log(V.check_scalar("lam_max", lam_max, positive=True))
    lam = l0.astype(np.float64).copy()
    traj = np.empty((n_steps + 1, lam.shape[0]))
    traj[0] = lam
    base = P.logref[None, :]
    with np.errstate(over="ignore", invalid="ignore"):
        # constant shifts of r and c leave every tilt unchanged; they keep the logits small
        rb = np.where(P.mask, (P.r - np.max(P.r[P.mask])) / P.beta, 0.0)[None, :]
        cb = np.where(P.mask, (P.c - np.min(P.c[P.mask])) / P.beta, 0.0)[None, :]
    result, last = RESULTS.successful, n_steps
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for k in range(n_steps):
            z = base + rb - lam[:, None] * cb
            z = z - np.logaddexp.reduce(z, axis=1, keepdims=True)
            ec = np.exp(z) @ P.c
            if mode == "projected":
                lam = np.maximum(0.0, lam + eta * (ec - d))
            else:
                u = np.minimum(np.log(lam) + eta * lam * (ec - d), umax)
                lam = np.exp(u)
            traj[k + 1] = lam
            if not np.all(np.isfinite(lam)):
                result, last = RESULTS.nonfinite, k + 1
                break
    if not result.succeeded:
        raise_or_flag(result, throw=throw, error=lambda: ConvergenceError(
            f"dual_ascent: non-finite multiplier at step {last} (overflow of the update)", iterations=last,
            result=result))
        traj = traj[:last]  # the finite iterates; the next one overflowed
    return DualAscentTrace(traj[:, 0] if scalar else traj, result)


@provenance("M", source=_SAFE, where="training code (log-space multiplier); our B-T4")
def log_update_stability_factor(lam_star: float, step: float, ref_probs: Any, reward: Any, cost: Any,
                                beta: float, *, support: Any = None) -> float:
    """Local stability factor :math:`\\eta\\,\\lambda^{*2} g''(\\lambda^*)` of the log-space update [M].

    Our B-T4: the fixed point :math:`\\lambda^*>0` of
    :math:`u\\mapsto u+\\eta e^u(\\mathbb E_{\\pi_{e^u}}[c]-d)` is locally stable iff the factor lies
    in :math:`(0, 2)`; :math:`g''=\\mathrm{Var}_{\\pi_{\\lambda^*}}(c)/\\beta`.

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        ``lam_star <= 0``, ``step <= 0``, bad problem data.
    PrecisionError
        The factor overflows float64.

    Notes
    -----
    :math:`O(n)`.

    Examples
    --------
    >>> log_update_stability_factor(1.0, 0.5, [0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 1.0)  # 0.5 * 1 * 0.25
    0.125
    """
    ls = V.check_scalar("lam_star", lam_star, positive=True)
    eta = V.check_scalar("step", step, positive=True)
    P = _problem(ref_probs, reward, cost, beta, support)
    _, _, var = _moments(P, _log_policy(P, ls)[0])
    with np.errstate(over="ignore", invalid="ignore"):
        value = float(np.float64(eta) * ls * ls * var / P.beta)
    if not np.isfinite(value):
        raise PrecisionError("lam_star, step: the stability factor overflows float64")
    return value

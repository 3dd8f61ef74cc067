"""The Lagrange-multiplier update of Safe RLHF training, exactly as the public trainer runs it (issue 15 item 2).

The safe-rlhf PPO-Lagrangian trainer (Dai et al., arXiv 2310.12773) keeps :math:`u=\\log\\lambda`; after
each rollout it appends the per-sample episode costs to a bounded window (a deque of the last ``window``
costs); at each update step, once ``step >= delay_steps``, with :math:`\\bar J` the window mean and
:math:`d` the threshold, one SGD step on the loss :math:`-(\\bar J-d)\\,e^{u}` gives

.. math:: u \\leftarrow u + \\eta\\,(\\bar J-d)\\,e^{u},\\qquad u \\leftarrow \\min(u, \\log\\lambda_{\\max})

(no lower clip). The PID Lagrangian (Stooke, Achiam & Abbeel, ICML 2020, Algorithm 2) replaces it by
:math:`\\Delta=\\bar J-d`, :math:`I\\leftarrow(I+\\Delta)_+`, :math:`\\partial=(\\bar J-\\bar J_{\\rm prev})_+`,
:math:`\\lambda=(K_P\\Delta+K_I I+K_D\\partial)_+`.

Our linear analysis of these updates (local stability at the fixed point) is in ``aligntheory.theory.safety._stability``.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.results import RESULTS, provenance, raise_or_flag

__all__ = ["MAX_MULTIPLIER_WORK", "MultiplierTrajectory", "lagrangian_multiplier_trajectory",
           "pid_multiplier_trajectory", "multiplier_closed_loop"]

_SAFE = "dai2023safe"
MAX_MULTIPLIER_WORK = 10**8
"""Cap on the total number of per-sample costs times update steps processed by one call."""


@provenance("S", source=_SAFE, where="safe-rlhf PPO-Lagrangian trainer (multiplier update)")
@dataclass(frozen=True)
class MultiplierTrajectory:
    """Multiplier after every update step.

    Attributes
    ----------
    lambdas : ndarray, shape (n_steps,)
        :math:`\\lambda` after each update step (unchanged at steps before ``delay_steps``).
    steps : ndarray of int, shape (n_steps,)
        Global step index (rollout ``r``, inner update ``j``: ``r*updates_per_rollout + j``).
    window_means : ndarray, shape (n_steps,)
        :math:`\\bar J` used at each step.
    updated : ndarray of bool, shape (n_steps,)
        Whether the step changed :math:`\\lambda` (``step >= delay_steps``).
    lambda_init : float
    result : RESULTS
        ``successful`` or (``throw=False``) ``nonfinite`` when :math:`\\lambda` overflowed.

    Examples
    --------
    >>> t = lagrangian_multiplier_trajectory([[0.0], [0.0]], 1.0, delay_steps=1)
    >>> t.updated.tolist(), round(t.final, 6)  # one step: log lambda = 0 - 0.1 * 1 * 1
    ([False, True], 0.904837)
    """

    lambdas: np.ndarray
    steps: np.ndarray
    window_means: np.ndarray
    updated: np.ndarray
    lambda_init: float
    result: RESULTS = RESULTS.successful

    @property
    def final(self) -> float:
        """Last multiplier (``lambda_init`` when there were no steps)."""
        return float(self.lambdas[-1]) if self.lambdas.size else self.lambda_init


def _rollouts(episode_costs: Any) -> list[np.ndarray]:
    if isinstance(episode_costs, np.ndarray) and episode_costs.ndim == 2:
        rows = list(episode_costs)
    elif isinstance(episode_costs, (str, bytes)) or not hasattr(episode_costs, "__len__"):
        raise InvalidInputError("episode_costs", "must be a sequence of per-rollout arrays of per-sample costs",
                                received=type(episode_costs).__name__)
    else:
        rows = list(episode_costs)
    out = []
    for i, row in enumerate(rows):
        arr = V.as_float_array(f"episode_costs[{i}]", row)
        if arr.ndim == 0:
            arr = arr.reshape(1)
        if arr.ndim != 1 or arr.size == 0:
            raise InvalidInputError(f"episode_costs[{i}]", "must be a non-empty 1-D array of per-sample costs",
                                    received=f"shape {arr.shape}")
        out.append(arr)
    return out


def _common(threshold: Any, window: Any, updates_per_rollout: Any, delay_steps: Any) -> tuple[float, int, int, int]:
    d = V.check_scalar("threshold", threshold)
    W = V.check_int("window", window, lo=1)
    U = V.check_int("updates_per_rollout", updates_per_rollout, lo=1)
    D = V.check_int("delay_steps", delay_steps, lo=0)
    return d, W, U, D


class _Window:
    """Bounded deque of per-sample costs; the mean is recomputed from the contents (safe-rlhf semantics)."""

    def __init__(self, size: int) -> None:
        self.buf: deque[float] = deque(maxlen=size)

    def extend(self, costs: np.ndarray) -> None:
        self.buf.extend(costs.tolist())

    def mean(self) -> float:
        return float(np.mean(np.fromiter(self.buf, float, len(self.buf))))


def _exp(u: float) -> float:
    """``exp(u)``, ``inf`` only where it really overflows (``u > log(max float) = 709.78...``); inf is flagged by _run.

    (A fixed cut at ``u >= 709`` flagged ``lambda_init = 1e308``, ``u = 709.2``, as an overflow.)
    """
    try:
        return math.exp(u)
    except OverflowError:
        return math.inf


def _log_rule(lambda_init: float, lambda_lr: float, lambda_max: float | None, d: float) -> Callable[[float, bool], float]:
    log_max = None if lambda_max is None else math.log(lambda_max)
    state = {"u": math.log(lambda_init)}

    def step(jbar: float, active: bool) -> float:
        if active:
            u = state["u"] + lambda_lr * (jbar - d) * _exp(state["u"])
            if log_max is not None:
                u = min(u, log_max)
            state["u"] = u
        lam = _exp(state["u"])
        if log_max is not None and state["u"] == log_max and not math.isfinite(lam):
            return lambda_max  # exp(log(lambda_max)) may round past the float64 range at lambda_max ~ 1.8e308
        return lam

    return step


def _pid_rule(kp: float, ki: float, kd: float, d: float, integral_init: float) -> Callable[[float, bool], float]:
    state: dict[str, Any] = {"I": integral_init, "prev": None, "lam": max(0.0, ki * integral_init)}

    def step(jbar: float, active: bool) -> float:
        if active:
            delta = jbar - d
            deriv = 0.0 if state["prev"] is None else max(0.0, jbar - state["prev"])
            state["I"] = max(0.0, state["I"] + delta)
            state["lam"] = max(0.0, kp * delta + ki * state["I"] + kd * deriv)
            state["prev"] = jbar
        return state["lam"]

    return step


def _run(costs_of: Callable[[int, float], np.ndarray], n_rollouts: int, rule: Callable[[float, bool], float],
         lam0: float, W: int, U: int, D: int, throw: bool) -> MultiplierTrajectory:
    win = _Window(W)
    n = n_rollouts * U
    lams = np.empty(n)
    means = np.empty(n)
    lam = lam0
    result = RESULTS.successful
    for r in range(n_rollouts):
        win.extend(costs_of(r, lam))
        jbar = win.mean()
        for j in range(U):
            s = r * U + j
            lam = rule(jbar, s >= D)
            lams[s], means[s] = lam, jbar
            if not math.isfinite(lam):
                result = raise_or_flag(RESULTS.nonfinite, throw=throw, error=lambda: PrecisionError(
                    f"lambda overflowed at step {s} (window mean {jbar:.6g}): set lambda_max or lower lambda_lr"))
                lams[s:] = np.inf
                means[s:] = jbar
                break
        if result is not RESULTS.successful:
            break
    steps = np.arange(n, dtype=np.int64)
    return MultiplierTrajectory(lams, steps, means, steps >= D, lam0, result)


def _check_work(rollouts: list[np.ndarray], U: int) -> None:
    work = sum(a.size for a in rollouts) + len(rollouts) * U
    V.check_size("episode_costs", work, cap=MAX_MULTIPLIER_WORK, unit="cost samples + update steps")


@provenance("S", source=_SAFE, where="safe-rlhf PPO-Lagrangian trainer: log-lambda SGD step on -(Jbar - d) lambda")
def lagrangian_multiplier_trajectory(episode_costs: Sequence[Any], threshold: float = 0.0, *,
                                     lambda_init: float = 1.0, lambda_lr: float = 0.1,
                                     lambda_max: float | None = None, delay_steps: int = 0, window: int = 128,
                                     updates_per_rollout: int = 1, throw: bool = True) -> MultiplierTrajectory:
    """Replay Safe RLHF's multiplier update on logged per-sample episode costs [S].

    For each rollout ``r`` its costs are appended to a window of the last ``window`` costs; then
    ``updates_per_rollout`` steps follow, each (once ``step >= delay_steps``)

    .. math:: \\log\\lambda \\leftarrow \\min\\bigl(\\log\\lambda + \\eta(\\bar J-d)\\lambda,\\ \\log\\lambda_{\\max}\\bigr)

    with :math:`\\bar J` the window mean and :math:`\\eta` = ``lambda_lr`` (the clip only when
    ``lambda_max`` is set; there is no lower clip, so :math:`\\lambda>0` always). This is the update of
    the safe-rlhf trainer (Dai et al., arXiv 2310.12773) as described in issue 15 [S]; its defaults are
    the trainer's (threshold 0, lambda_init 1, lambda_lr 0.1, window 128, no lambda_max).

    Parameters
    ----------
    episode_costs : sequence of array_like, each shape (batch_r,)
        Per-rollout per-sample costs (a 2-D array is read row by row; batches may differ in size).
    threshold : float, default 0.0
        :math:`d` (the trainer's ``threshold``).
    lambda_init : float, default 1.0
        Positive initial multiplier.
    lambda_lr : float, default 0.1
        Non-negative SGD learning rate :math:`\\eta`.
    lambda_max : float or None
        Upper clip of :math:`\\lambda`.
    delay_steps : int, default 0
        Steps before the first update.
    window : int, default 128
        Window length in samples.
    updates_per_rollout : int, default 1
        Update steps per rollout (all use the same window).
    throw : bool, default True
        Raise :class:`~aligntheory.errors.PrecisionError` on overflow (else flag ``result = nonfinite``).

    Returns
    -------
    MultiplierTrajectory

    Raises
    ------
    InvalidInputError
        Empty/non-finite/ragged-within-a-rollout costs, non-positive ``lambda_init`` or ``lambda_max``,
        negative ``lambda_lr``, bad integers.
    SizeCapError
        More than :data:`MAX_MULTIPLIER_WORK` samples + steps.
    PrecisionError
        :math:`\\lambda` overflowed (``throw=True``).

    Notes
    -----
    :math:`O(\\sum_r(B_r + U\\,W))` time (the window mean is recomputed from the window, as the trainer
    does). Our local-stability analysis: :func:`~aligntheory.theory.safety.log_multiplier_stability`.

    Examples
    --------
    >>> t = lagrangian_multiplier_trajectory([[1.0, 0.0], [0.0, 0.0]], 0.0, lambda_lr=0.5, window=2)
    >>> [round(float(x), 6) for x in t.lambdas]  # log 1 + 0.5*0.5*1, then + 0.5*0*e^0.25
    [1.284025, 1.284025]
    """
    d, W, U, D = _common(threshold, window, updates_per_rollout, delay_steps)
    lam0 = V.check_scalar("lambda_init", lambda_init, positive=True)
    eta = V.check_scalar("lambda_lr", lambda_lr, nonnegative=True)
    lam_max = None if lambda_max is None else V.check_scalar("lambda_max", lambda_max, positive=True)
    rollouts = _rollouts(episode_costs)
    _check_work(rollouts, U)
    return _run(lambda r, lam: rollouts[r], len(rollouts), _log_rule(lam0, eta, lam_max, d), lam0, W, U, D, throw)


@provenance("S", source="stooke2020responsive", where="Algorithm 2 (PID-controlled Lagrange multiplier)")
def pid_multiplier_trajectory(episode_costs: Sequence[Any], threshold: float = 0.0, *, kp: float = 0.0,
                              ki: float = 0.1, kd: float = 0.0, integral_init: float = 0.0, delay_steps: int = 0,
                              window: int = 128, updates_per_rollout: int = 1) -> MultiplierTrajectory:
    """Replay the PID-controlled Lagrange multiplier on logged costs [S].

    Stooke, Achiam & Abbeel, *Responsive Safety in RL by PID Lagrangian Methods* (ICML 2020),
    Algorithm 2, fed with the same window mean :math:`\\bar J` as :func:`lagrangian_multiplier_trajectory`:

    .. math:: \\Delta=\\bar J-d,\\quad \\partial=(\\bar J-\\bar J_{\\rm prev})_+,\\quad I\\leftarrow(I+\\Delta)_+,
              \\quad \\lambda=(K_P\\Delta+K_I I+K_D\\partial)_+ .

    With :math:`K_P=K_D=0` it is projected gradient ascent :math:`\\lambda\\leftarrow(\\lambda+K_I\\Delta)_+`.
    Our choices (documented, not the paper's): :math:`\\bar J_{\\rm prev}` starts at the first measurement
    (no derivative kick at the first step) and :math:`\\lambda_0=(K_I\\,I_0)_+` with ``integral_init``
    :math:`=I_0`.

    Parameters
    ----------
    episode_costs
        As in :func:`lagrangian_multiplier_trajectory`.
    threshold : float, default 0.0
        :math:`d`, as in :func:`lagrangian_multiplier_trajectory`.
    kp : float, default 0.0
        Non-negative proportional gain :math:`K_P`.
    ki : float, default 0.1
        Non-negative integral gain :math:`K_I`.
    kd : float, default 0.0
        Non-negative derivative gain :math:`K_D`.
    integral_init : float, default 0.0
        Non-negative initial integral :math:`I_0`.
    delay_steps : int, default 0
        Steps before the first update, as in :func:`lagrangian_multiplier_trajectory`.
    window : int, default 128
        Window length in samples, as in :func:`lagrangian_multiplier_trajectory`.
    updates_per_rollout : int, default 1
        Update steps per rollout, as in :func:`lagrangian_multiplier_trajectory`.

    Returns
    -------
    MultiplierTrajectory

    Raises
    ------
    InvalidInputError
        As :func:`lagrangian_multiplier_trajectory`; negative gains or ``integral_init``.
    SizeCapError
        More than :data:`MAX_MULTIPLIER_WORK` samples + steps.
    PrecisionError
        :math:`\\lambda` overflowed float64 (gains times window errors past ``1.8e308``).

    Notes
    -----
    :math:`O(\\sum_r(B_r + U\\,W))`; :math:`\\lambda` is linear in the window errors, so it stays finite
    unless the products of gains and errors exceed the float64 range.

    Examples
    --------
    >>> t = pid_multiplier_trajectory([[2.0], [0.0], [0.0]], 1.0, kp=0.5, ki=1.0, window=1)
    >>> t.lambdas.tolist()  # I: 1, 0, 0; lambda = (0.5*D + I)_+
    [1.5, 0.0, 0.0]
    """
    d, W, U, D = _common(threshold, window, updates_per_rollout, delay_steps)
    kp_ = V.check_scalar("kp", kp, nonnegative=True)
    ki_ = V.check_scalar("ki", ki, nonnegative=True)
    kd_ = V.check_scalar("kd", kd, nonnegative=True)
    i0 = V.check_scalar("integral_init", integral_init, nonnegative=True)
    rollouts = _rollouts(episode_costs)
    _check_work(rollouts, U)
    return _run(lambda r, lam: rollouts[r], len(rollouts), _pid_rule(kp_, ki_, kd_, d, i0), max(0.0, ki_ * i0),
                W, U, D, True)


@provenance("M", source=_SAFE, where="our closed-loop model of the multiplier on the tilted policy (B-T1, B-T4)")
def multiplier_closed_loop(ref_probs: Any, reward: Any, cost: Any, beta: float, threshold: float, n_rollouts: int, *,
                           batch_size: int = 1, rule: str = "log", lambda_init: float = 1.0, lambda_lr: float = 0.1,
                           lambda_max: float | None = None, kp: float = 0.0, ki: float = 0.1, kd: float = 0.0,
                           integral_init: float = 0.0, delay_steps: int = 0, window: int = 128,
                           updates_per_rollout: int = 1, rng: np.random.Generator | None = None,
                           throw: bool = True) -> MultiplierTrajectory:
    """Run the multiplier update in closed loop with the tilted policy [M].

    Rollout ``r`` is drawn from :math:`\\pi_{\\lambda_r}\\propto\\pi_{\\rm ref}\\exp((r-\\lambda_r c)/\\beta)`
    (our B-T1) with the current multiplier :math:`\\lambda_r`: ``batch_size`` samples of the cost when
    ``rng`` is given, else ``batch_size`` copies of the expected cost :math:`\\mathbb E_{\\pi_{\\lambda_r}}[c]`
    (the mean-field model of our stability analysis). The update is ``rule="log"``
    (:func:`lagrangian_multiplier_trajectory`) or ``"pid"`` (:func:`pid_multiplier_trajectory`).

    Parameters
    ----------
    ref_probs, reward, cost : array_like, shape (n,)
    beta : float
        KL strength.
    threshold : float
    n_rollouts : int
        Rollouts :math:`\\ge 0` (0: only the initial multiplier).
    batch_size : int, default 1
        Samples per rollout, :math:`\\ge 1`.
    rule : {"log", "pid"}
    rng : numpy.random.Generator or None
        Anything else (an integer seed, a legacy ``RandomState``) is refused.
    lambda_init : float, default 1.0
        As in :func:`lagrangian_multiplier_trajectory` (``rule="log"`` only).
    lambda_lr : float, default 0.1
        As in :func:`lagrangian_multiplier_trajectory` (``rule="log"`` only).
    lambda_max : float or None
        As in :func:`lagrangian_multiplier_trajectory` (``rule="log"`` only).
    kp : float, default 0.0
        As in :func:`pid_multiplier_trajectory` (``rule="pid"`` only).
    ki : float, default 0.1
        As in :func:`pid_multiplier_trajectory` (``rule="pid"`` only).
    kd : float, default 0.0
        As in :func:`pid_multiplier_trajectory` (``rule="pid"`` only).
    integral_init : float, default 0.0
        As in :func:`pid_multiplier_trajectory` (``rule="pid"`` only).
    delay_steps : int, default 0
        Steps before the first update, as in :func:`lagrangian_multiplier_trajectory`.
    window : int, default 128
        Window length in samples, as in :func:`lagrangian_multiplier_trajectory`.
    updates_per_rollout : int, default 1
        Update steps per rollout, as in :func:`lagrangian_multiplier_trajectory`.
    throw : bool, default True
        Raise :class:`~aligntheory.errors.PrecisionError` when :math:`\\lambda` overflows (else flag
        ``result = nonfinite``).

    Returns
    -------
    MultiplierTrajectory

    Raises
    ------
    InvalidInputError, SizeCapError, PrecisionError
        As the replay functions and :func:`~aligntheory.theory.safety.tilted_policy`; ``InvalidInputError``
        also for an ``rng`` that is neither ``None`` nor a :class:`numpy.random.Generator`.

    Notes
    -----
    :math:`O(R(n + B + UW))`.

    Examples
    --------
    >>> t = multiplier_closed_loop([0.5, 0.5], [0.0, 0.0], [0.0, 1.0], 1.0, 0.25, 400, lambda_lr=1.0, window=1)
    >>> round(t.final, 6)  # C(lam) = 1/(1+e^lam) = 0.25 at lam = log 3
    1.098612
    """
    from aligntheory.theory.safety._tilt import tilted_policy

    d, W, U, D = _common(threshold, window, updates_per_rollout, delay_steps)
    R = V.check_int("n_rollouts", n_rollouts, lo=0)
    B = V.check_int("batch_size", batch_size, lo=1)
    V.check_choice("rule", rule, ("log", "pid"))
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise InvalidInputError("rng", "must be a numpy.random.Generator or None (e.g. numpy.random.default_rng(0))",
                                received=type(rng).__name__)
    c = V.as_float_array("cost", cost, ndim=1)
    V.check_size("n_rollouts", R * (c.size + B + U), cap=MAX_MULTIPLIER_WORK, unit="operations")
    tilted_policy(ref_probs, reward, cost, 0.0, beta)  # validates the problem once

    def costs_of(r: int, lam: float) -> np.ndarray:
        pi = tilted_policy(ref_probs, reward, cost, lam, beta)
        if rng is None:
            return np.full(B, float(pi @ c))
        return c[rng.choice(c.size, size=B, p=pi)]

    if rule == "log":
        lam0 = V.check_scalar("lambda_init", lambda_init, positive=True)
        eta = V.check_scalar("lambda_lr", lambda_lr, nonnegative=True)
        lam_max = None if lambda_max is None else V.check_scalar("lambda_max", lambda_max, positive=True)
        return _run(costs_of, R, _log_rule(lam0, eta, lam_max, d), lam0, W, U, D, throw)
    kp_ = V.check_scalar("kp", kp, nonnegative=True)
    ki_ = V.check_scalar("ki", ki, nonnegative=True)
    kd_ = V.check_scalar("kd", kd, nonnegative=True)
    i0 = V.check_scalar("integral_init", integral_init, nonnegative=True)
    return _run(costs_of, R, _pid_rule(kp_, ki_, kd_, d, i0), max(0.0, ki_ * i0), W, U, D, throw)

"""The Lagrange-multiplier update of Safe RLHF training, exactly as the public trainer runs it (issue 15 item 2).

The safe-rlhf PPO-Lagrangian trainer (Dai et al., arXiv 2310.12773) keeps :math:`u=\\log\\lambda`; after
each rollout it appends the per-sample episode costs to a bounded window (a deque of the last ``window``
costs); at each update step, once ``step >= delay_steps``, with :math:`\\bar J` the window mean and
:math:`d` the threshold, one SGD step on the loss :math:`-(\\bar J-d)\\,e^{u}` gives

.. math:: u \\leftarrow u + \\eta\\,(\\bar J-d)\\,e^{u},\\qquad u \\leftarrow \\min(u, \\log\\lambda_{\\max})

(no lower clip). The PID Lagrangian (Stooke, Achiam & Abbeel, ICML 2020, Algorithm 2) replaces it by
:math:`\\Delta=\\bar J-d`, :math:`I\\leftarrow(I+\\Delta)_+`, :math:`\\partial=(\\bar J-\\bar J_{\\rm prev})_+`,
:math:`\\lambda=(K_P\\Delta+K_I I+K_D\\partial)_+`.

Our linear analysis (tag [M], extends our B-T4 of the spec to the window): on the tilted-policy model
(rollout :math:`r` is drawn from :math:`\\pi_{\\lambda_r}\\propto\\pi_{\\rm ref}e^{(r-\\lambda c)/\\beta}` with
``batch_size`` samples, expected cost :math:`C(\\lambda)=\\mathbb E_{\\pi_\\lambda}[c]`, curvature
:math:`\\kappa=-C'(\\lambda^*)=\\mathrm{Var}_{\\pi_{\\lambda^*}}(c)/\\beta`), the full window holds the last
rollouts with weights :math:`w_j=\\min(B,\\max(0,W-jB))/W`, and the error :math:`e_r=\\lambda_r-\\lambda^*`
obeys, to first order,

.. math:: e_{r+1} = e_r - a\\sum_j w_j e_{r-j},\\qquad a = U\\,\\eta\\,\\lambda^{*2}\\kappa

(:math:`U` = ``updates_per_rollout``). The fixed point is :math:`C(\\lambda^*)=d` (the constrained optimum,
our B-T2) and it is locally stable iff every root of
:math:`z^{m-1}(z-1)+a\\sum_{j<m} w_j z^{m-1-j}` lies inside the unit circle; with one rollout in the window
(:math:`W\\le B`) this is our B-T4, :math:`0<a<2`, with sign-alternating oscillation for :math:`1<a<2`.
For the PID rule with :math:`K_D=0` and an interior integral,
:math:`e_{r+1}=e_r+K_P(\\Delta_r-\\Delta_{r-1})+UK_I\\Delta_r` with :math:`\\Delta_r\\approx-\\kappa\\sum_j w_je_{r-j}`.
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
           "pid_multiplier_trajectory", "multiplier_closed_loop", "window_weights", "MultiplierStability",
           "log_multiplier_stability", "pid_multiplier_stability"]

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
    threshold : float
        :math:`d` (the trainer's ``threshold``).
    lambda_init, lambda_lr : float
        Positive initial multiplier; non-negative SGD learning rate.
    lambda_max : float or None
        Upper clip of :math:`\\lambda`.
    delay_steps : int
        Steps before the first update.
    window : int
        Window length in samples.
    updates_per_rollout : int
        Update steps per rollout (all use the same window).
    throw : bool
        Raise on overflow (else flag ``result = nonfinite``).

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
    does). Our local-stability analysis: :func:`log_multiplier_stability`.

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
    episode_costs, threshold, delay_steps, window, updates_per_rollout
        As in :func:`lagrangian_multiplier_trajectory`.
    kp, ki, kd : float
        Non-negative gains.
    integral_init : float
        Non-negative initial integral :math:`I_0`.

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
    n_rollouts, batch_size : int
        Rollouts :math:`\\ge 0` (0: only the initial multiplier); samples per rollout :math:`\\ge 1`.
    rule : {"log", "pid"}
    rng : numpy.random.Generator or None
        Anything else (an integer seed, a legacy ``RandomState``) is refused.
    lambda_init, lambda_lr, lambda_max, kp, ki, kd, integral_init, delay_steps, window, updates_per_rollout
        As in :func:`lagrangian_multiplier_trajectory` and :func:`pid_multiplier_trajectory`.

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


@provenance("M", source=_SAFE, where="our linearisation of the windowed update")
def window_weights(window: int, batch_size: int) -> np.ndarray:
    """Weights of past rollouts in the full window mean [M].

    .. math:: w_j = \\min\\bigl(B, \\max(0, W - jB)\\bigr)/W,\\qquad j = 0, \\dots, \\lceil W/B\\rceil - 1

    (rollout :math:`r-j` contributes its last samples when the window cuts it).

    Parameters
    ----------
    window, batch_size : int
        :math:`W \\ge 1`, :math:`B \\ge 1`, with :math:`\\lceil W/B\\rceil \\le 10^6` rollouts.

    Returns
    -------
    ndarray, shape (ceil(W/B),), summing to 1

    Raises
    ------
    InvalidInputError
        Non-positive integers.
    SizeCapError
        More than 10**6 weights.

    Notes
    -----
    :math:`O(W/B)`.

    Examples
    --------
    >>> window_weights(5, 2).tolist()
    [0.4, 0.4, 0.2]
    """
    W = V.check_int("window", window, lo=1)
    B = V.check_int("batch_size", batch_size, lo=1)
    m = -(-W // B)
    V.check_size("window", m, cap=10**6, unit="rollouts in the window")
    j = np.arange(m)
    return np.minimum(B, np.maximum(0, W - j * B)) / W


@provenance("M", source=_SAFE, where="our local stability of the windowed multiplier update")
@dataclass(frozen=True)
class MultiplierStability:
    """Linear stability of a multiplier update at its fixed point.

    Attributes
    ----------
    spectral_radius : float
        Largest modulus of the linearised per-rollout map's eigenvalues.
    dominant_root : complex
        An eigenvalue of largest modulus (a positive real one when there is one).
    stable : bool
        The exact spectral radius is < 1. For a small positive log-rule gain (:math:`0<a\\le` 1e-8, see
        :func:`log_multiplier_stability`) this is decided before rounding: the radius :math:`1-\\delta`,
        :math:`\\delta\\approx a`, is then ``True`` even where ``spectral_radius`` rounds to ``1.0``
        (:math:`a` below about 1.1e-16). Likewise for a PID integral gain :math:`0<UK_I\\kappa\\le` 1e-8 (see
        :func:`pid_multiplier_stability`), and without integral action (:math:`K_I\\kappa=0`) the root 1 is exact:
        ``False``.
    oscillatory : bool
        The spectral radius is positive and no eigenvalue of largest modulus is a positive real (the error
        changes sign infinitely often). A zero spectral radius (a nilpotent map, e.g. :math:`a=1` with one
        rollout in the window: the error vanishes after one step) is not oscillatory.
    gain : float
        The loop gain (:math:`a` for the log rule, :math:`U K_I\\kappa` for PID).

    Examples
    --------
    >>> s = log_multiplier_stability(1.0, 1.0, 2.5, window=1, batch_size=1)
    >>> s.stable, s.oscillatory, round(s.gain, 12)
    (False, True, 2.5)
    """

    spectral_radius: float
    dominant_root: complex
    stable: bool
    oscillatory: bool
    gain: float


def _gain(names: str, *factors: float) -> float:
    """Product of non-negative finite factors without intermediate overflow or underflow (mantissas and exponents
    apart, so the rounding is that of the plain left-to-right product); PrecisionError if the product itself
    leaves the float64 range."""
    m, e = 1.0, 0
    for x in factors:
        f, k = math.frexp(x)
        m *= f
        e += k
    try:
        return math.ldexp(m, e)
    except OverflowError:
        raise PrecisionError(f"{names}: the loop gain (their product) overflows float64 (> 1.8e308); the linearised "
                             "map's spectral radius is not representable (rescale the inputs)") from None


def _companion_eigvals(c: np.ndarray) -> np.ndarray:
    """Eigenvalues of the companion matrix with first row ``c`` and the shift below it.

    LAPACK's ``eigvals`` is wrong for entries past ~1e138 (``[[1 - 2e200, 1e200], [1, 0]]`` gave a root 1.5e138
    instead of -2e200), so when ``max |c| > 2^128`` the roots are computed for ``z = 2^k y`` with ``2^k`` the
    power of two above ``max_j |c_j|^(1/(j+1))`` (the polynomial's coefficients become ``c_j 2^(-k(j+1))`` and
    are all <= 1) and scaled back exactly; below that bound the matrix is used as it is.
    """
    m = c.size
    C = np.zeros((m, m))
    C[1:, :-1] += np.eye(m - 1)
    k = 0
    if float(np.max(np.abs(c))) > 2.0**128:
        j = np.arange(1, m + 1)
        nz = c != 0
        k = int(math.ceil(float(np.max(np.log2(np.abs(c[nz])) / j[nz]))))
        C[0, :] = np.ldexp(c, -k * j)
    else:
        C[0, :] = c
    ev = np.linalg.eigvals(C)
    if k:
        with np.errstate(over="ignore", invalid="ignore"):  # a root past the float64 range is refused by _report
            ev = ev * 2.0 ** (k // 2) * 2.0 ** (k - k // 2)
    return ev


def _report(M: np.ndarray, gain: float, names: str) -> MultiplierStability:
    if not np.all(np.isfinite(M)):
        raise PrecisionError(f"{names}: an entry of the linearised map overflows float64 (rescale the inputs)")
    return _verdict(_companion_eigvals(M[0, :]), gain, names)


def _verdict(ev: np.ndarray, gain: float, names: str) -> MultiplierStability:
    """Spectral radius, dominant root and verdict from the eigenvalues ``ev`` of the linearised map."""
    if not np.all(np.isfinite(ev)):
        raise PrecisionError(f"{names}: the eigenvalues of the linearised map overflow float64 (rescale the inputs)")
    mod = np.abs(ev)
    rho = float(mod.max())
    if rho == 0.0:  # nilpotent: the error is exactly 0 after finitely many rollouts, no sign change ever again
        return MultiplierStability(0.0, 0j, True, False, gain)
    top = ev[mod >= rho * (1 - 1e-9)]
    pos = top[(np.abs(top.imag) <= 1e-9 * rho) & (top.real > 0)]
    dom = complex(pos[0]) if pos.size else complex(top[np.argmax(np.abs(top.imag))])
    return MultiplierStability(rho, dom, rho < 1.0, pos.size == 0, gain)


_SMALL_GAIN = 1e-8
"""Log-rule gains in ``(0, _SMALL_GAIN]`` take the perturbative route of :func:`_small_gain_report`."""


def _small_gain_report(a: float, w: np.ndarray) -> MultiplierStability:
    """Stability of :math:`e_{r+1}=e_r-a\\sum_j w_je_{r-j}` for :math:`0<a\\le` ``_SMALL_GAIN``, exactly decided.

    The companion matrix's entry :math:`1-aw_0` rounds to 1 for :math:`a\\lesssim10^{-16}` (a spurious root 1:
    "not stable"). Here instead: the characteristic polynomial :math:`z^{m-1}(z-1)+a\\sum_jw_jz^{m-1-j}`
    (:math:`w_j\\ge0`, :math:`\\sum_jw_j=1`, :math:`m\\le10^6` by :func:`window_weights`' cap, so
    :math:`4a(m-1)\\le0.04<\\ln2`, i.e. :math:`((1+2a)/(1-2a))^{m-1}<2`) has, by Rouche on :math:`|z-1|=2a`
    (:math:`|z|^{m-1}|z-1|\\ge2a(1-2a)^{m-1}>a(1+2a)^{m-1}`), exactly one root in that disc;
    it is real (roots come in conjugate pairs), :math:`1-\\delta` with :math:`\\delta\\in(0,2a)` by the sign
    change of the polynomial on :math:`[1-2a,1]`. Any root with :math:`|z|\\ge1-2a` satisfies
    :math:`|z-1|\\le a(1-2a)^{-(m-1)}<2a`, so it is that root: the map is stable, the dominant root is the
    positive real :math:`1-\\delta` (no oscillation), and :math:`\\delta=a\\sum_jw_j(1-\\delta)^{-j}`, a
    contraction (factor :math:`\\le2am`) iterated on :math:`\\delta` itself, never on :math:`1-\\delta`.
    """
    j = np.arange(w.size, dtype=np.float64)
    delta = a
    for _ in range(50):
        nxt = a * float(np.sum(w * np.exp(-j * math.log1p(-delta))))
        if nxt == delta:
            break
        delta = nxt
    rho = 1.0 - delta
    return MultiplierStability(rho, complex(rho), True, False, a)


_PID_DECIDED = 1e-6
"""A PID map with a tiny integral gain outside the proven domain keeps the eigenvalue solver's verdict only where its
spectral radius exceeds ``1 + _PID_DECIDED`` (see :func:`pid_multiplier_stability`)."""


def _pid_small_gain_domain(p: float, m: int) -> bool:
    """Whether the bounds (A) and (B) of :func:`_pid_small_gain_report` hold for :math:`p=K_P\\kappa` and every
    integral gain :math:`0<g\\le` ``_SMALL_GAIN`` (checked at the largest radius :math:`\\bar r=c\\cdot10^{-8}`;
    both sides are monotone in :math:`r`, and a relative margin 1e-6 covers the rounding here and of :math:`p`, g).

    Always true for :math:`p\\le1/2` (:math:`m\\le10^6`); for :math:`1/2<p<1` it fails once :math:`rm` is not
    small against :math:`1-p`; false for :math:`p\\ge1`.
    """
    if not p < 1.0:
        return False
    c = 2.0 / (1.0 - p)
    r = c * _SMALL_GAIN * (1.0 + 1e-6)
    if r * m > 0.5:
        return False
    lo = math.log1p(-r)
    pw_lo = math.exp(m * lo)  # (1 - r)^m
    pw_hi = math.exp(m * math.log1p(r))  # (1 + r)^m
    s = 1.0 / pw_lo  # (1 - r)^-m
    s1 = math.exp(-(m - 1) * lo)  # (1 - r)^-(m-1)
    a_ok = c * (pw_lo - p) > pw_hi * (1.0 + 1e-6)
    b_ok = s1 * (1.0 + 1e-6) < c * (1.0 - p * s)
    return a_ok and b_ok


def _pid_small_gain_report(p: float, g: float, w: np.ndarray) -> MultiplierStability:
    """Stability of the PID map for a tiny integral gain :math:`0<g=UK_I\\kappa\\le` ``_SMALL_GAIN``, exactly decided.

    The map :math:`e_{r+1}=e_r-(p+g)\\sum_jw_je_{r-j}+p\\sum_jw_je_{r-1-j}` (:math:`p=K_P\\kappa`) has the
    characteristic polynomial (degree :math:`m+1`, :math:`W(z)=\\sum_{j<m}w_jz^{m-1-j}`)

    .. math:: P(z)=z^{m+1}-z^m+(p+g)\\sum_jw_jz^{m-j}-p\\sum_jw_jz^{m-1-j}=(z-1)R(z)+g\\,zW(z),
              \\qquad R(z)=z^m+pW(z).

    The companion matrix's entry :math:`1-(p+g)w_0` loses :math:`g` to rounding for :math:`g\\lesssim10^{-16}` (a
    spurious root 1 or a root a few ulps on either side of 1: "not stable" or a wrong radius). Instead, with
    :math:`c=2/(1-p)`, :math:`r=cg` and the bounds checked by :func:`_pid_small_gain_domain` (:math:`p<1`):

    (A) :math:`c\\,((1-r)^m-p)>(1+r)^m`,   (B) :math:`(1-r)^{-(m-1)}<c\\,(1-p(1-r)^{-m})`.

    For :math:`|z|\\ge1-r`: :math:`|R(z)|=|z|^m|1+p\\sum_jw_jz^{-j-1}|\\ge|z|^m(1-p(1-r)^{-m})>0` (by (B)) and
    :math:`|zW(z)|\\le|z|^m(1-r)^{-(m-1)}` (:math:`w_j\\ge0`, :math:`\\sum_jw_j=1`). Rouche on :math:`|z-1|=r`:
    :math:`|(z-1)R(z)|\\ge r((1-r)^m-p)>g(1+r)^m\\ge|gzW(z)|` by (A), and :math:`(z-1)R(z)` has exactly one zero in
    that disc (:math:`z=1`; :math:`R\\ne0` there), so :math:`P` has exactly one root there; it is real (roots come
    in conjugate pairs) and below 1, since :math:`P(x)=(x-1)R(x)+gxW(x)>0` for :math:`x\\ge1`: it is
    :math:`1-\\delta`, :math:`0<\\delta<r`. Any root with :math:`|z|\\ge1-r` has
    :math:`|z-1|=g|zW(z)|/|R(z)|\\le g(1-r)^{-(m-1)}/(1-p(1-r)^{-m})<r` by (B), so it is that root: every other root
    has :math:`|z|<1-r<1-\\delta`. Hence the map is stable, :math:`1-\\delta` is the only root of largest modulus,
    positive real (not oscillatory), and :math:`\\delta=F(\\delta)=g\\sum_jw_j(1-\\delta)^{-j}/(1+p\\sum_jw_j
    (1-\\delta)^{-j-1})`; :math:`F` maps :math:`[0,r]` into :math:`[0,r)` (by (B)) with Lipschitz constant
    :math:`\\le3gm(1-r)^{-m}\\le3\\cdot10^{-8}\\cdot10^6e^{0.51}<0.06` (:math:`m\\le10^6` by :func:`window_weights`' cap,
    :math:`rm\\le1/2` checked; below :math:`2\\cdot10^{-4}` for :math:`m\\le2000`), so 50 iterations of it on
    :math:`\\delta` itself (never on :math:`1-\\delta`) converge to :math:`\\delta` to working precision and
    ``1 - delta`` is correctly rounded.

    Domain: for :math:`p\\le1/2`, :math:`g\\le10^{-8}` and :math:`m\\le10^6` (the cap of :func:`window_weights`),
    :math:`rm\\le0.04`, so (A) reads :math:`\\ge2(1-0.04/0.5)=1.84>e^{0.04}` and (B) :math:`1.0417(1-p)/2<1-1.0417p`
    (true for :math:`p<0.92`); for :math:`1/2<p<1` they are checked in code. A gain :math:`g` that underflowed to 0
    with :math:`K_I,\\kappa>0` is still positive: the verdict holds and :math:`\\delta` rounds to 0.
    """
    j = np.arange(w.size, dtype=np.float64)
    delta = g / (1.0 + p)
    for _ in range(50):
        lz = -math.log1p(-delta)  # (1 - delta)^(-k) = exp(k lz)
        s0 = float(np.sum(w * np.exp(j * lz)))
        s1 = float(np.sum(w * np.exp((j + 1.0) * lz)))
        nxt = g * s0 / (1.0 + p * s1)
        if nxt == delta:
            break
        delta = nxt
    rho = 1.0 - delta
    return MultiplierStability(rho, complex(rho), True, False, g)


def _pid_no_integral_report(p: float, w: np.ndarray, names: str) -> MultiplierStability:
    """The PID map without integral action (:math:`g=UK_I\\kappa=0`: :math:`K_I=0` or :math:`\\kappa=0`).

    :math:`P(z)=(z-1)R(z)` exactly (:func:`_pid_small_gain_report`): the root 1 is exact, so the map is not stable
    (the companion matrix alone put it a few ulps below 1, "stable"). For :math:`p<1` every root of :math:`R`
    has :math:`|z|<1`: for :math:`|z|\\ge1`, :math:`|pW(z)|\\le p|z|^{m-1}<|z|^m`; so the spectral radius is
    exactly 1, the dominant root 1, not oscillatory. For :math:`p\\ge1` the roots of :math:`R` come from its own
    companion matrix (first row :math:`-pw`) next to the exact root 1.
    """
    if p < 1.0:
        return MultiplierStability(1.0, 1.0 + 0j, False, False, 0.0)
    ev = np.concatenate((np.array([1.0 + 0j]), _companion_eigvals(-p * w).astype(complex)))
    return _verdict(ev, 0.0, names)


def _lin_common(curvature: Any, window: Any, batch_size: Any, updates_per_rollout: Any) -> tuple[float, np.ndarray, int]:
    kappa = V.check_scalar("curvature", curvature, nonnegative=True)
    w = window_weights(window, batch_size)
    V.check_size("window", w.size, cap=2000, unit="rollouts in the window (eigenvalue problem)")
    U = V.check_int("updates_per_rollout", updates_per_rollout, lo=1)
    return kappa, w, U


@provenance("M", source=_SAFE, where="our B-T4 extended to the window")
def log_multiplier_stability(lam_star: float, curvature: float, lambda_lr: float, *, window: int = 128,
                             batch_size: int = 128, updates_per_rollout: int = 1) -> MultiplierStability:
    """Local stability of the log-space multiplier update at :math:`\\lambda^*` (our analysis) [M].

    Linearising :math:`u\\leftarrow u+\\eta(\\bar J-d)e^u` at :math:`C(\\lambda^*)=d` with
    :math:`C(\\lambda)\\approx d-\\kappa(\\lambda-\\lambda^*)` and the window weights :math:`w_j`
    (:func:`window_weights`) gives, per rollout, :math:`e_{r+1}=e_r-a\\sum_j w_je_{r-j}`,
    :math:`a=U\\eta\\lambda^{*2}\\kappa`; the companion matrix's spectral radius decides. With one
    rollout in the window the root is :math:`1-a`: stable iff :math:`0<a<2`, oscillating iff
    :math:`a>1` (spec B-T4; at :math:`a=1` exactly the error is 0 after one step, not oscillating).
    A gain :math:`0<a\\le10^{-8}` is decided perturbatively (the root :math:`1-\\delta`, :math:`\\delta\\approx a`,
    is found as :math:`\\delta`): stable, not oscillating, also where :math:`1-a` rounds to 1 (``lambda_lr =
    1e-17``: ``spectral_radius`` 1.0 but ``stable`` True; the companion matrix alone gave a root exactly 1).
    For the tilted policy, :math:`\\kappa=\\mathrm{Var}_{\\pi_{\\lambda^*}}(c)/\\beta`. The gain is
    formed without intermediate overflow (``lam_star = 1e200`` with ``lambda_lr = 1e-300`` gives
    :math:`a=10^{100}`).

    Parameters
    ----------
    lam_star : float
        Positive fixed point.
    curvature : float
        :math:`\\kappa=-C'(\\lambda^*)\\ge 0`.
    lambda_lr : float
    window, batch_size, updates_per_rollout : int

    Returns
    -------
    MultiplierStability

    Raises
    ------
    InvalidInputError
        Bad scalars.
    SizeCapError
        More than 2000 rollouts in the window.
    PrecisionError
        The gain :math:`a` (or the map's eigenvalues) overflows float64, e.g. ``lam_star = 1e200`` with
        ``curvature = lambda_lr = 1``: the spectral radius (:math:`a-1` for one rollout) is not representable.

    Notes
    -----
    :math:`O(m^3)` with :math:`m=\\lceil W/B\\rceil`.

    Examples
    --------
    >>> s = log_multiplier_stability(1.0, 1.0, 1.5, window=4, batch_size=4)
    >>> round(s.spectral_radius, 12), s.stable, s.oscillatory
    (0.5, True, True)
    >>> s = log_multiplier_stability(1.0, 1.0, 1.0, window=1, batch_size=1)  # a = 1: e_1 = 0, no sign change
    >>> s.spectral_radius, s.stable, s.oscillatory
    (0.0, True, False)
    """
    lam = V.check_scalar("lam_star", lam_star, positive=True)
    eta = V.check_scalar("lambda_lr", lambda_lr, nonnegative=True)
    kappa, w, U = _lin_common(curvature, window, batch_size, updates_per_rollout)
    names = "lam_star, curvature, lambda_lr, updates_per_rollout"
    a = _gain(names, float(U), eta, lam, lam, kappa)
    if 0.0 < a <= _SMALL_GAIN:
        return _small_gain_report(a, w)
    m = w.size
    M = np.zeros((m, m))
    M[0, :] = -a * w
    M[0, 0] += 1.0
    M[1:, :-1] += np.eye(m - 1)
    return _report(M, a, names)


@provenance("M", source="stooke2020responsive", where="our linearisation of Algorithm 2 (K_D = 0) with the window")
def pid_multiplier_stability(curvature: float, kp: float, ki: float, *, window: int = 128, batch_size: int = 128,
                             updates_per_rollout: int = 1) -> MultiplierStability:
    """Local stability of the PID multiplier (:math:`K_D=0`, interior integral, :math:`\\lambda^*>0`) [M].

    With :math:`\\Delta_r\\approx-\\kappa\\sum_j w_j e_{r-j}` the update gives
    :math:`e_{r+1}=e_r+K_P(\\Delta_r-\\Delta_{r-1})+UK_I\\Delta_r`; the state is the last
    :math:`m+1` errors. The derivative term :math:`K_D(\\cdot)_+` is one-sided (not linearisable), hence
    excluded. With :math:`p=K_P\\kappa`, :math:`g=UK_I\\kappa` and :math:`W(z)=\\sum_{j<m}w_jz^{m-1-j}` the
    characteristic polynomial is

    .. math:: z^{m+1}-z^m+(p+g)\\sum_jw_jz^{m-j}-p\\sum_jw_jz^{m-1-j}=(z-1)\\bigl(z^m+pW(z)\\bigr)+g\\,zW(z).

    Small and zero integral gains are decided before rounding (the companion matrix's entry :math:`1-(p+g)w_0`
    loses :math:`g` below ~1e-16: ``ki = 1e-17`` gave a root exactly 1, "not stable"):

    * :math:`g=0` (``ki = 0`` or ``curvature = 0``): the root 1 is exact, so not stable; for :math:`p<1` the
      spectral radius is exactly 1 with dominant root 1 (not oscillatory), for :math:`p\\ge1` the other roots come
      from the companion matrix of :math:`z^m+pW(z)`.
    * :math:`0<g\\le10^{-8}` with :math:`p\\le1/2` (or :math:`p<1` where two bounds checked in code hold; they
      fail once :math:`10^{-8}m/(1-p)` is not small against :math:`1-p`): a Rouche argument (in
      ``_pid_small_gain_report``) shows a single dominant root :math:`1-\\delta`, :math:`\\delta\\approx g/(1+p)`,
      found as :math:`\\delta`: stable, not oscillatory, ``spectral_radius`` correctly rounded (1.0 below
      :math:`\\delta\\approx1.1\\cdot10^{-16}`). A product :math:`UK_I\\kappa` that underflows to 0 with
      :math:`K_I,\\kappa>0` counts as such a gain (``gain`` is then reported as 0.0).
    * :math:`0<g\\le10^{-8}` outside that domain (e.g. :math:`p\\ge1`): the eigenvalue solver's verdict is kept only
      where its spectral radius exceeds :math:`1+10^{-6}` (a root far outside the unit circle decides, as for
      ordinary gains); otherwise PrecisionError.

    Parameters
    ----------
    curvature : float
    kp, ki : float
        Non-negative gains.
    window, batch_size, updates_per_rollout : int

    Returns
    -------
    MultiplierStability

    Raises
    ------
    InvalidInputError
        Bad scalars.
    SizeCapError
        More than 2000 rollouts in the window.
    PrecisionError
        :math:`K_P\\kappa`, :math:`UK_I\\kappa`, their sum, or the map's eigenvalues overflow float64
        (e.g. ``curvature = kp = 1e300``): the spectral radius is not representable. Or
        :math:`0<UK_I\\kappa\\le10^{-8}` outside the proven small-gain domain with a computed spectral radius
        :math:`\\le1+10^{-6}` (e.g. ``pid_multiplier_stability(1.0, 2.0, 1e-12, window=3, batch_size=1)``): the
        root near 1 is within about the gain of 1 and the verdict cannot be decided in float64.

    Notes
    -----
    :math:`O(m^3)`. With :math:`K_P=0` and one rollout in the window the roots are :math:`0` and
    :math:`1-UK_I\\kappa`: as for the log rule, oscillating iff the gain exceeds 1 (at exactly 1 the map is
    nilpotent, not oscillating).

    Examples
    --------
    >>> s = pid_multiplier_stability(1.0, 0.0, 1.5, window=1, batch_size=1)  # = log rule, a = 1.5
    >>> round(s.spectral_radius, 12), s.oscillatory
    (0.5, True)
    >>> pid_multiplier_stability(1.0, 0.0, 1.0, window=1, batch_size=1).oscillatory  # gain 1: nilpotent
    False
    >>> s = pid_multiplier_stability(1.0, 0.0, 1e-17, window=1, batch_size=1)  # root 1 - 1e-17, rounds to 1
    >>> s.spectral_radius, s.stable, s.oscillatory
    (1.0, True, False)
    >>> s = pid_multiplier_stability(1.0, 0.5, 0.0, window=4, batch_size=1)  # no integral action: root 1 exact
    >>> s.spectral_radius, s.stable
    (1.0, False)
    """
    kp_ = V.check_scalar("kp", kp, nonnegative=True)
    ki_ = V.check_scalar("ki", ki, nonnegative=True)
    kappa, w, U = _lin_common(curvature, window, batch_size, updates_per_rollout)
    names = "curvature, kp, ki, updates_per_rollout"
    g_p = _gain(names, kp_, kappa)
    g_i = _gain(names, float(U), ki_, kappa)
    m = w.size
    if ki_ == 0.0 or kappa == 0.0:
        return _pid_no_integral_report(g_p, w, names)
    tiny = g_i <= _SMALL_GAIN  # also a product that underflowed to 0: K_I, kappa > 0, so the exact gain is > 0
    if tiny and _pid_small_gain_domain(g_p, m):
        return _pid_small_gain_report(g_p, g_i, w)
    n = m + 1
    wd = np.zeros(n)
    wd[:m] = w  # Delta_r = -kappa * wd . e
    wprev = np.zeros(n)
    wprev[1:] = w  # Delta_{r-1}
    M = np.zeros((n, n))
    with np.errstate(over="ignore", invalid="ignore"):  # an overflowing K_P kappa + U K_I kappa is refused by _report
        M[0, :] = -(g_p + g_i) * wd + g_p * wprev
    M[0, 0] += 1.0
    M[1:, :-1] += np.eye(n - 1)
    s = _report(M, g_i, names)
    if tiny and not s.spectral_radius > 1.0 + _PID_DECIDED:
        raise PrecisionError(
            f"{names}: the integral loop gain U K_I kappa = {g_i:.3g} is <= {_SMALL_GAIN:g} and K_P kappa = {g_p:.6g} "
            f"is outside the proven small-gain domain (K_P kappa < 1 with bounds (A), (B) for {m} rollouts in the "
            "window): the root near z = 1 lies within about the gain of 1, below the eigenvalue solver's float64 "
            "resolution, and the verdict (stable or not, the dominant root) cannot be decided in float64 here")
    return s

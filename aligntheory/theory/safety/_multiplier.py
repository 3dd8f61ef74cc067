"""Optimal multiplier and the helpfulness--harmlessness frontier of Safe RLHF (our B-T2, B-T5).

Problem: maximise :math:`\\mathbb E_\\pi[r] - \\beta\\,\\mathrm{KL}(\\pi\\|\\pi_{\\rm ref})` subject to
:math:`\\mathbb E_\\pi[c] \\le d` (Safe RLHF, Dai et al., arXiv 2310.12773, writes the constraint with
an offset as :math:`\\mathbb E[C] + d \\le 0`; here ``d`` is the budget, ``d = -offset``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.optimize

from aligntheory import _validate as V
from aligntheory.errors import BracketError, ConvergenceError, InfeasibleBudgetError, PrecisionError
from aligntheory.results import RESULTS, provenance, raise_or_flag
from aligntheory.theory.safety._tilt import _lam, _log_policy, _moments, _problem, _value_of  # noqa: F401

__all__ = ["MultiplierSolution", "optimal_multiplier", "Frontier", "frontier"]

_SAFE = "dai2023safe"


@provenance("M", source=_SAFE, where="our B-T2")
@dataclass(frozen=True)
class MultiplierSolution:
    """Solution of the constrained problem (our B-T2).

    Attributes
    ----------
    lam : float
        :math:`\\lambda^*` (``inf`` on the boundary ``d == min c``; ``nan`` when ``result`` failed, except
        ``inaccurate``, which keeps the last iterate).
    active : bool
        Whether the cost constraint binds (:math:`\\lambda^*>0`).
    feasible : bool
        False only for an infeasible budget returned with ``throw=False``.
    boundary : bool
        ``d == min c``: only policies supported on :math:`\\arg\\min c` are feasible.
    policy : ndarray, shape (n,)
    value : float
        Regularised optimum :math:`\\mathbb E_\\pi[r]-\\beta\\mathrm{KL}(\\pi\\|\\pi_{\\rm ref})`.
    residual : float
        :math:`\\mathbb E_\\pi[c] - d` at the returned policy.
    iterations : int, default 0
        Brent iterations (0 when no root was needed).
    result : RESULTS
        ``successful``, or (``throw=False``) ``infeasible``, ``nonfinite``, ``max_steps_reached``,
        ``inaccurate`` (the residual misses the ``ctol`` bound of :func:`optimal_multiplier`).
    """

    lam: float
    active: bool
    feasible: bool
    boundary: bool
    policy: np.ndarray
    value: float
    residual: float
    iterations: int = 0
    result: RESULTS = RESULTS.successful

    @property
    def converged(self) -> bool:
        """``result.succeeded``."""
        return self.result.succeeded


def _failed(n: int, result: RESULTS, *, feasible: bool = True, residual: float = math.nan,
            iterations: int = 0) -> MultiplierSolution:
    return MultiplierSolution(math.nan, False, feasible, False, np.full(n, np.nan), math.nan, residual, iterations,
                              result)


@provenance("M", source=_SAFE, where="§3 (dual update); our B-T2 (Brent root of E[c] = d)")
def optimal_multiplier(ref_probs: Any, reward: Any, cost: Any, beta: float, budget: float, *,
                       xtol: float = 1e-15, ctol: float = 1e-9, support: Any = None,
                       throw: bool = True) -> MultiplierSolution:
    """Optimal multiplier :math:`\\lambda^*` and policy of the KL-regularised constrained problem [M].

    .. math:: \\lambda^* = 0 \\text{ if } \\mathbb E_{\\pi_0}[c]\\le d,\\quad\\text{else the root of }
              \\mathbb E_{\\pi_\\lambda}[c] = d,

    with :math:`\\pi_0` the reward-only tilt (our B-T2; strong duality by Slater when
    :math:`d>\\min c`). The root is bracketed by doubling :math:`\\lambda` from 1 (or halving it
    when :math:`\\lambda^*<1`), so the bracket is :math:`[\\lambda_h/2,\\lambda_h]` at every scale,
    and found by Brent's method (:func:`scipy.optimize.brentq`) to a tolerance *relative* to
    :math:`\\lambda` (``xtol``), so :math:`\\lambda^*=\\beta\\ln 9\\approx 2.2\\times 10^{-100}` is
    found as accurately as :math:`\\lambda^*=2.2`. ``d == min c`` returns ``lam = inf`` with
    ``boundary=True`` and the limit policy (the reward tilt restricted to :math:`\\arg\\min c`).

    ``successful`` is decided from the achieved constraint residual: the returned policy must satisfy

    .. math:: |\\mathbb E_\\pi[c]-d| \\le \\mathrm{ctol}\\,(\\max c-\\min c) + 4 n\\,\\varepsilon\\max|c|

    (max and min over the support, :math:`\\varepsilon` = float64 epsilon; the second term is the
    rounding of :math:`\\mathbb E_\\pi[c]`). When no float64 :math:`\\lambda` meets it, which happens
    when :math:`\\mathbb E_{\\pi_\\lambda}[c]` jumps across one ulp of :math:`\\lambda` (rewards or
    :math:`\\lambda^*` huge against :math:`\\beta`, e.g. ``reward = [0, 1e30]`` with ``beta = 1``), the
    result is ``inaccurate``.

    Parameters
    ----------
    ref_probs, reward, cost : array_like, shape (n,)
    beta : float
    budget : float
        :math:`d` in :math:`\\mathbb E_\\pi[c]\\le d`.
    xtol : float, default 1e-15
        Relative tolerance on :math:`\\lambda` for Brent (``> 0``): it stops once the bracket is narrower
        than :math:`\\max(\\mathrm{xtol}, 4\\varepsilon)\\,|\\lambda|` (scipy's ``rtol``; its absolute
        ``xtol`` is set to the smallest subnormal). It used to be an absolute tolerance, which returned a
        bracket end instead of the root when :math:`\\lambda^*\\lesssim 10^{-15}`.
    ctol : float, default 1e-9
        Tolerance on the constraint residual relative to the cost range, in :math:`(0, 1]`.
    support : bool array, shape (n,), optional
        Explicit support of ``ref_probs``.
    throw : bool, default True
        Raise on failure; with ``False`` the result carries ``result``.

    Returns
    -------
    MultiplierSolution

    Raises
    ------
    InvalidInputError
        Bad inputs.
    InfeasibleBudgetError
        ``d < min c`` (carries ``min_cost`` and ``budget``).
    BracketError
        The doubling could not bracket the root (only through overflow); carries ``bracket``.
    ConvergenceError
        Brent did not reach ``xtol`` (``result = max_steps_reached``), or the residual at the returned
        :math:`\\lambda` misses the ``ctol`` bound above (``result = inaccurate``: float64 cannot resolve
        :math:`\\lambda^*` finely enough); carries ``iterations``, ``residual``, ``last_iterate``, ``result``.
        With ``throw=False`` an ``inaccurate`` result carries the last iterate (its ``lam``, ``policy``,
        ``value`` and ``residual``), so the miss can be inspected.

    Notes
    -----
    :math:`O(n\\,(|\\log_2\\lambda^*| + \\log(1/\\mathrm{xtol})))`: at most ~1075 halvings or 1024
    doublings to bracket, then Brent (at most 500 iterations).

    Examples
    --------
    >>> sol = optimal_multiplier([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], beta=1.0, budget=0.5)
    >>> round(sol.lam, 12), sol.active, sol.result  # the tilt must be uniform: r - lam c = 0 -> lam = 1
    (1.0, True, <RESULTS.successful: 'successful'>)
    >>> optimal_multiplier([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], beta=1.0, budget=0.0).lam
    inf
    >>> optimal_multiplier([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], beta=1.0, budget=-1.0, throw=False).result
    <RESULTS.infeasible: 'infeasible'>
    >>> sol = optimal_multiplier([0.5, 0.5], [0.0, 0.0], [0.0, 1.0], beta=1e-16, budget=0.1)
    >>> bool(abs(sol.lam / (1e-16 * np.log(9.0)) - 1) < 1e-14), sol.policy.round(12).tolist()  # lam* = beta ln 9
    (True, [0.9, 0.1])
    >>> optimal_multiplier([0.5, 0.5], [0.0, 1e30], [0.0, 1.0], beta=1.0, budget=0.1, throw=False).result
    <RESULTS.inaccurate: 'inaccurate'>
    """
    P = _problem(ref_probs, reward, cost, beta, support)
    n = P.c.shape[0]
    d = V.check_scalar("budget", budget)
    xtol = V.check_scalar("xtol", xtol, positive=True)
    ctol = V.check_scalar("ctol", ctol, positive=True, hi=1.0)
    cmin = P.cmin
    if d < cmin:
        raise_or_flag(RESULTS.infeasible, throw=throw, error=lambda: InfeasibleBudgetError(cmin, budget=d))
        return _failed(n, RESULTS.infeasible, feasible=False, residual=cmin - d)
    logpi0, _ = _log_policy(P, 0.0)
    _, ec0, _ = _moments(P, logpi0)
    if ec0 <= d:
        return MultiplierSolution(0.0, False, True, False, np.exp(logpi0), _value_of(P, logpi0), ec0 - d)
    if d == cmin:
        arg = P.mask & (P.c == cmin)
        # shift the rewards by their maximum on arg min c before dividing by beta (as _logits does): the
        # logits stay O(1) and their normaliser exact, so the limit policy sums to 1 to n ulps even when
        # r / beta is huge (unshifted, 1e7-sized logits left 1e-9 on the sum; 1e300 / beta overflowed)
        top = float(np.max(P.r[arg]))
        with np.errstate(over="ignore"):  # (r - top) / beta -> -inf is an exact 0 in float64
            z = np.where(arg, P.logref + np.where(arg, (P.r - top) / P.beta, 0.0), -np.inf)
        logpi = z - np.logaddexp.reduce(z)
        return MultiplierSolution(math.inf, True, True, True, np.exp(logpi), _value_of(P, logpi), 0.0)

    def resid(lam: float) -> float:
        try:
            return _moments(P, _log_policy(P, lam)[0])[1] - d
        except PrecisionError:
            return math.nan

    lo, hi = 0.0, 1.0
    f_lo, f_hi = ec0 - d, resid(hi)
    for _ in range(2000):
        if not np.isfinite(f_hi) or f_hi < 0:
            break
        lo, hi, f_lo = hi, 2.0 * hi, f_hi
        f_hi = resid(hi)
    if not (np.isfinite(f_hi) and f_hi < 0):
        raise_or_flag(RESULTS.nonfinite, throw=throw, error=lambda: BracketError(
            f"optimal_multiplier: could not bracket the root of E[c] - d on [{lo}, {hi}] (last residual {f_hi})",
            bracket=(lo, hi)))
        return _failed(n, RESULTS.nonfinite, residual=float(f_hi))
    if lo == 0.0:
        # lambda* < 1: halve towards 0 so the bracket is [hi / 2, hi] whatever the scale of lambda* (on [0, 1] an
        # absolute stop returned a bracket end for lambda* ~ 1e-16 and Brent bisected hundreds of times for 1e-100)
        while True:
            mid = 0.5 * hi
            f_mid = resid(mid) if mid > 0.0 else math.nan  # below the smallest subnormal: keep [0, hi]
            if not np.isfinite(f_mid):
                break
            if f_mid < 0:
                hi, f_hi = mid, f_mid
            else:
                lo, f_lo = mid, f_mid
                break
    # cost range over the support, halved before subtracting so that it cannot overflow
    cmax = float(np.max(P.c[P.mask]))
    c_tol = ctol * 2.0 * (0.5 * cmax - 0.5 * cmin) + 4.0 * n * np.finfo(float).eps * max(abs(cmax), abs(cmin))
    if f_lo == 0.0:  # a bracketing step landed on the root exactly: no Brent step (scipy's count is then undefined)
        logpi, _ = _log_policy(P, lo)
        return MultiplierSolution(lo, True, True, False, np.exp(logpi), _value_of(P, logpi), 0.0, 0)
    # brentq stops when the bracket is narrower than xtol_abs + rtol |lam|: a relative stop (xtol_abs = the
    # smallest subnormal), so the multiplier is resolved to its own scale, 1e-300 or 1e300 alike
    lam, res = scipy.optimize.brentq(resid, lo, hi, xtol=math.ulp(0.0), rtol=max(xtol, 4 * np.finfo(float).eps),
                                     maxiter=500, full_output=True, disp=False)
    if not res.converged:  # pragma: no cover - Brent converges on a bracketed continuous residual
        r_last = resid(lam)
        raise_or_flag(RESULTS.max_steps_reached, throw=throw, error=lambda: ConvergenceError(
            f"optimal_multiplier: Brent did not reach xtol on [{lo}, {hi}]", iterations=res.iterations,
            residual=r_last, last_iterate=float(lam), result=RESULTS.max_steps_reached))
        return _failed(n, RESULTS.max_steps_reached, residual=r_last, iterations=int(res.iterations))
    lam = float(lam)
    logpi, _ = _log_policy(P, lam)
    r_lam = resid(lam)
    result = RESULTS.successful
    if not abs(r_lam) <= c_tol:  # also catches a NaN residual
        # Brent's stop guarantees a small bracket, not a small residual: E[c] may jump across one ulp of lambda
        result = raise_or_flag(RESULTS.inaccurate, throw=throw, error=lambda: ConvergenceError(
            f"optimal_multiplier: the constraint residual E[c] - d = {r_lam:.6g} at lambda = {lam!r} misses the "
            f"tolerance {c_tol:.3g} (ctol = {ctol:g} times the cost range): E_pi[c] varies too fast for float64 to "
            "resolve lambda* (rewards or lambda* too large against beta; rescale reward and cost or raise beta)",
            iterations=int(res.iterations), residual=r_lam, last_iterate=lam, result=RESULTS.inaccurate))
    return MultiplierSolution(lam, True, True, False, np.exp(logpi), _value_of(P, logpi), r_lam, int(res.iterations),
                              result)


@provenance("M", source=_SAFE, where="our B-T5")
@dataclass(frozen=True)
class Frontier:
    """Helpfulness--harmlessness frontier over budgets (our B-T5); arrays of shape (B,).

    Attributes
    ----------
    budgets, value, helpfulness, harm, lam : ndarray, shape (B,)
        Budget :math:`d`, regularised optimum :math:`F(d)`, :math:`\\mathbb E[r]`,
        :math:`\\mathbb E[c]` and :math:`\\lambda^*(d)` at the optimum.
    """

    budgets: np.ndarray
    value: np.ndarray
    helpfulness: np.ndarray
    harm: np.ndarray
    lam: np.ndarray


@provenance("M", source=_SAFE, where="our B-T5 (envelope theorem)")
def frontier(ref_probs: Any, reward: Any, cost: Any, beta: float, budgets: Any, *, support: Any = None,
             max_budgets: int = 100_000) -> Frontier:
    """Regularised optimum :math:`F(d)`, :math:`\\mathbb E[r]`, :math:`\\mathbb E[c]` and :math:`\\lambda^*(d)` over budgets [M].

    Our B-T5: :math:`F` is concave and non-decreasing on :math:`(\\min c,\\infty)`,
    constant for :math:`d\\ge\\mathbb E_{\\pi_0}[c]`, and :math:`F'(d)=\\lambda^*(d)` (envelope
    theorem). Note that :math:`d\\mathbb E[r]/d\\mathbb E[c] = \\mathrm{Cov}(r,c)/\\mathrm{Var}(c)`
    differs from :math:`\\lambda^*`.

    Parameters
    ----------
    budgets : array_like, shape (B,)
        Each :math:`\\ge \\min c`.
    max_budgets : int, default 100_000
        Cap on ``B`` (one root-finding per budget), checked before any work.

    Returns
    -------
    Frontier

    Raises
    ------
    InvalidInputError
        Bad inputs.
    InfeasibleBudgetError
        A budget below :math:`\\min c`.
    SizeCapError
        More than ``max_budgets`` budgets.
    ConvergenceError
        A budget whose multiplier float64 cannot resolve (``result = inaccurate``, see
        :func:`optimal_multiplier`).

    Notes
    -----
    :math:`B` calls of :func:`optimal_multiplier`.

    Examples
    --------
    >>> fr = frontier([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 1.0, [0.5, 1.0])
    >>> fr.lam.round(10).tolist(), fr.harm.round(10).tolist()
    ([1.0, 0.0], [0.5, 0.7310585786])
    """
    P = _problem(ref_probs, reward, cost, beta, support)
    ds = V.as_float_array("budgets", budgets, ndim=1)
    V.check_size("budgets", ds.shape[0], cap=max_budgets, unit="budgets")
    out = np.empty((4, len(ds)))
    for i, d in enumerate(ds):
        s = optimal_multiplier(ref_probs, reward, cost, beta, float(d), support=support)
        out[:, i] = (s.value, float(s.policy @ P.r), float(s.policy @ P.c), s.lam)
    return Frontier(ds, out[0], out[1], out[2], out[3])

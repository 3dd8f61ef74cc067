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
        :math:`\\lambda^*` (``inf`` on the boundary ``d == min c``; ``nan`` when ``result`` failed).
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
    iterations : int
        Brent iterations (0 when no root was needed).
    result : RESULTS
        ``successful``, or (``throw=False``) ``infeasible``, ``nonfinite``, ``max_steps_reached``.
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
                       xtol: float = 1e-15, support: Any = None, throw: bool = True) -> MultiplierSolution:
    """Optimal multiplier :math:`\\lambda^*` and policy of the KL-regularised constrained problem [M].

    .. math:: \\lambda^* = 0 \\text{ if } \\mathbb E_{\\pi_0}[c]\\le d,\\quad\\text{else the root of }
              \\mathbb E_{\\pi_\\lambda}[c] = d,

    with :math:`\\pi_0` the reward-only tilt (our B-T2; strong duality by Slater when
    :math:`d>\\min c`). The root is bracketed by doubling and found by Brent's method
    (:func:`scipy.optimize.brentq`, ``xtol``). ``d == min c`` returns ``lam = inf`` with
    ``boundary=True`` and the limit policy (the reward tilt restricted to :math:`\\arg\\min c`).

    Parameters
    ----------
    ref_probs, reward, cost : array_like, shape (n,)
    beta : float
    budget : float
        :math:`d` in :math:`\\mathbb E_\\pi[c]\\le d`.
    xtol : float
        Absolute tolerance on :math:`\\lambda` for Brent.
    support : bool array, shape (n,), optional
        Explicit support of ``ref_probs``.
    throw : bool
        Raise on failure (default); with ``False`` the result carries ``result``.

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
        Brent did not reach ``xtol``; carries ``iterations``, ``residual``, ``result``.

    Notes
    -----
    :math:`O(n \\log(\\lambda^*/x_{tol}))`.

    Examples
    --------
    >>> sol = optimal_multiplier([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], beta=1.0, budget=0.5)
    >>> round(sol.lam, 12), sol.active, sol.result  # the tilt must be uniform: r - lam c = 0 -> lam = 1
    (1.0, True, <RESULTS.successful: 'successful'>)
    >>> optimal_multiplier([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], beta=1.0, budget=0.0).lam
    inf
    >>> optimal_multiplier([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], beta=1.0, budget=-1.0, throw=False).result
    <RESULTS.infeasible: 'infeasible'>
    """
    P = _problem(ref_probs, reward, cost, beta, support)
    n = P.c.shape[0]
    d = V.check_scalar("budget", budget)
    xtol = V.check_scalar("xtol", xtol, positive=True)
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
    if f_lo == 0.0:  # a doubling step landed on the root exactly: no Brent step (scipy's count is then undefined)
        logpi, _ = _log_policy(P, lo)
        return MultiplierSolution(lo, True, True, False, np.exp(logpi), _value_of(P, logpi), 0.0, 0)
    lam, res = scipy.optimize.brentq(resid, lo, hi, xtol=xtol, rtol=4 * np.finfo(float).eps, maxiter=500,
                                     full_output=True, disp=False)
    if not res.converged:  # pragma: no cover - Brent converges on a bracketed continuous residual
        r_last = resid(lam)
        raise_or_flag(RESULTS.max_steps_reached, throw=throw, error=lambda: ConvergenceError(
            f"optimal_multiplier: Brent did not reach xtol on [{lo}, {hi}]", iterations=res.iterations,
            residual=r_last, last_iterate=float(lam), result=RESULTS.max_steps_reached))
        return _failed(n, RESULTS.max_steps_reached, residual=r_last, iterations=int(res.iterations))
    logpi, _ = _log_policy(P, float(lam))
    return MultiplierSolution(float(lam), True, True, False, np.exp(logpi), _value_of(P, logpi), resid(float(lam)),
                              int(res.iterations))


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
    max_budgets : int
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

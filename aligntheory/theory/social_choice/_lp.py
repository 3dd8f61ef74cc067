"""The linear programs of the pillar: R4's tightness LP and the scoring-vector fit (spec §3.3 R4, §3.4 S3).

Both are solved with cvxpy (HiGHS by default) and follow the failure contract: ``throw=True`` raises
:class:`~aligntheory.errors.ConvergenceError` when the solver fails, ``throw=False`` returns the result
with ``result`` set to a :class:`~aligntheory.results.RESULTS` member. Infeasibility of the scoring
fit is an answer (``feasible=False``), not a failure.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from aligntheory import _validate as V
from aligntheory._optional import require
from aligntheory.errors import ConvergenceError, InvalidInputError
from aligntheory.results import RESULTS, provenance, raise_or_flag
from aligntheory.theory.social_choice._caps import check_cap_value, check_log_size
from aligntheory.theory.social_choice._voting import _profiles_list, position_counts, scoring_winner_exact

__all__ = ["R4Result", "max_min_subset_mass", "ScoringFit", "fit_scoring_vector", "SUBSET_CAP"]

SUBSET_CAP = 200_000
"""Default cap on the :math:`\\binom{k_X}{h}` subset constraints of :func:`max_min_subset_mass`."""


@provenance("R", source="qiu2024representative", where="R4 (majority convergence); our reconstruction")
@dataclass(frozen=True)
class R4Result:
    """Optimum of :math:`\\max_\\nu \\min_{|A|=h}\\nu(A)` over distributions :math:`\\nu` on :math:`k_X` points.

    Attributes
    ----------
    value : float
        The LP optimum (NaN when the solve failed with ``throw=False``).
    nu : ndarray, shape (n_pairs,)
        A maximiser.
    h, n_pairs : int
    status : str
        cvxpy's status string.
    result : RESULTS

    Examples
    --------
    >>> r = max_min_subset_mass(4)
    >>> r.h, r.n_pairs, r.result.succeeded
    (3, 4, True)
    """

    value: float
    nu: np.ndarray
    h: int
    n_pairs: int
    status: str
    result: RESULTS = RESULTS.successful

    @property
    def converged(self) -> bool:
        """``result.succeeded``."""
        return self.result.succeeded


@provenance("R", source="qiu2024representative", where="R4 tightness of the averaging step; our reconstruction")
def max_min_subset_mass(n_pairs: int, h: int | None = None, *, solver: str = "HIGHS", max_subsets: int = SUBSET_CAP,
                        throw: bool = True) -> R4Result:
    """LP for the tightness of R4's averaging step [R] (§3.3 R4).

    .. math:: \\max_{\\nu \\in \\Delta_{k_X}} \\min_{|A| = h} \\nu(A) = \\frac{h}{k_X},
              \\qquad h = \\lfloor k_X/2 \\rfloor + 1 \\text{ by default}

    Reconstruction; the full text of Qiu (arXiv 2410.23953) was not available to us.

    Parameters
    ----------
    n_pairs : int
        :math:`k_X \\ge 1`.
    h : int, optional
        Subset size in :math:`[1, k_X]`.
    solver : str
        A cvxpy LP solver name.
    max_subsets : int, default 200_000
        Cap on :math:`\\binom{k_X}{h}` (:data:`SUBSET_CAP`), checked in logarithms before any work.
    throw : bool, default True
        Raise :class:`~aligntheory.errors.ConvergenceError` on solver failure; else flag ``result``.

    Returns
    -------
    R4Result

    Raises
    ------
    SizeCapError, ConvergenceError

    Notes
    -----
    Solved as ``maximise t`` subject to :math:`\\sum_{x\\in A}\\nu_x \\ge t` for all subsets: one LP with
    :math:`k_X + 1` variables and :math:`\\binom{k_X}{h}` rows.

    Examples
    --------
    >>> round(max_min_subset_mass(5).value, 9)
    0.6
    """
    k = V.check_int("n_pairs", n_pairs, lo=1)
    hh = k // 2 + 1 if h is None else V.check_int("h", h, lo=1, hi=k)
    cap = check_cap_value("max_subsets", max_subsets)
    log2c = (math.lgamma(k + 1) - math.lgamma(hh + 1) - math.lgamma(k - hh + 1)) / math.log(2.0)
    check_log_size("n_pairs", log2c, lambda: math.comb(k, hh), cap=cap, unit="subset constraints")
    cp = require("cvxpy")

    subsets = np.array(list(itertools.combinations(range(k), hh)), dtype=np.int64)
    A = np.zeros((subsets.shape[0], k))
    A[np.arange(subsets.shape[0])[:, None], subsets] = 1.0
    nu, tvar = cp.Variable(k), cp.Variable()
    prob = cp.Problem(cp.Maximize(tvar), [nu >= 0, cp.sum(nu) == 1, A @ nu >= tvar])
    try:
        prob.solve(solver=solver)
    except cp.error.SolverError as exc:
        raise_or_flag(RESULTS.breakdown, throw=throw,
                      error=lambda: ConvergenceError(f"max_min_subset_mass: LP solver {solver} failed: {exc}",
                                                     result=RESULTS.breakdown))
        return R4Result(math.nan, np.full(k, np.nan), hh, k, "solver_error", RESULTS.breakdown)
    value = prob.value
    if prob.status != cp.OPTIMAL or value is None or not math.isfinite(value):
        res = RESULTS.inaccurate if prob.status == cp.OPTIMAL_INACCURATE else RESULTS.breakdown
        raise_or_flag(res, throw=throw, error=lambda: ConvergenceError(
            f"max_min_subset_mass: LP ended with status {prob.status!r}", result=res))
        return R4Result(math.nan, np.full(k, np.nan), hh, k, str(prob.status), res)
    return R4Result(float(value), np.asarray(nu.value, dtype=np.float64), hh, k, str(prob.status))


@provenance("M", source="procaccia2009learnability", where="scoring rules; LP derived in spec §3.4 S3")
@dataclass(frozen=True)
class ScoringFit:
    """Result of :func:`fit_scoring_vector`.

    Attributes
    ----------
    feasible : bool
        Whether some scoring rule (lowest-index tie-break) is consistent with every example.
    vector : ndarray or None
        The solver's vector divided by :math:`s_1` (so :math:`s_1 = 1, s_m = 0`) when :math:`s_1 > 0`.
    raw : ndarray or None
        The margin-1 LP solution before normalisation.
    exact : tuple of Fraction or None
        ``raw`` rounded to rationals (``limit_denominator(10**6)``).
    consistent : bool or None
        Whether ``exact`` reproduces every training label in exact arithmetic.
    status : str
        cvxpy's status string.
    result : RESULTS
        ``successful`` (also when infeasible: that is an answer), or the failure with ``throw=False``.

    Examples
    --------
    >>> fit = fit_scoring_vector([[[0, 1, 2]]], [0])
    >>> fit.feasible, fit.result.succeeded
    (True, True)
    """

    feasible: bool
    vector: np.ndarray | None
    raw: np.ndarray | None
    exact: tuple[Fraction, ...] | None
    consistent: bool | None
    status: str
    result: RESULTS = RESULTS.successful



@provenance("M", source="procaccia2009learnability", where="abstract; the LP is derived in spec §3.4 S3")
def fit_scoring_vector(profiles: Any, winners: Any, *, solver: str = "HIGHS", throw: bool = True) -> ScoringFit:
    """Learn a scoring vector consistent with (profile, winner) examples by linear feasibility [M] (§3.4 S3).

    Variables :math:`s \\in \\mathbb R^m`; constraints :math:`s_r - s_{r+1} \\ge 0`, :math:`s_m = 0`, and for
    every example :math:`j` and :math:`c \\ne w_j`, with :math:`\\delta_{jc} = \\pi_{w_j}(P_j) - \\pi_c(P_j)`:
    :math:`\\langle s, \\delta_{jc}\\rangle \\ge 1` if :math:`c < w_j` (a tie would go to :math:`c`), and
    :math:`\\ge 0` if :math:`c > w_j`. All other constraints are homogeneous, so the margin-1 LP is
    feasible iff a consistent scoring rule exists. Objective: minimise :math:`s_1` (cvxpy, HiGHS).
    Infeasibility is a result (``feasible=False``); a solver that reaches no status raises
    :class:`~aligntheory.errors.ConvergenceError`. The answer is rounded to rationals and verified
    exactly (:func:`verify_scoring_vector`). Complexity: one LP with :math:`m` variables and
    :math:`J(m-1)` constraints.

    Parameters
    ----------
    profiles : sequence of profiles, or an array (J, n_voters, n_alternatives)
        Each an int array (n_voters_j, n_alternatives) (every row one ballot) or a profile object
        (:func:`as_profile`, pref_voting), whose ballots count with their multiplicities.
    winners : int array, shape (J,)
    solver : str
        A cvxpy LP solver name.
    throw : bool, default True
        Raise :class:`~aligntheory.errors.ConvergenceError` when the solver fails (not when the LP is
        infeasible: that is the answer ``feasible=False``); with ``throw=False`` flag ``result``.

    Returns
    -------
    ScoringFit

    Raises
    ------
    InvalidInputError, ConvergenceError

    Examples
    --------
    >>> fit = fit_scoring_vector([[[0, 1, 2]], [[1, 2, 0], [2, 1, 0]]], [0, 1])
    >>> fit.feasible, fit.consistent
    (True, True)
    """
    ps = _profiles_list(profiles)
    m = ps[0].rankings.shape[1]
    w = V.as_real_array("winners", winners)
    if w.shape != (len(ps),) or w.dtype.kind not in "iu" or w.min() < 0 or w.max() >= m:
        raise InvalidInputError("winners", f"must be candidate indices in [0, {m - 1}], shape ({len(ps)},)",
                                received=f"shape {w.shape}")
    rows, rhs = [], []
    for p, wj in zip(ps, w.tolist()):
        pc = position_counts(p.rankings, p.counts).astype(np.float64)
        for c in range(m):
            if c == wj:
                continue
            rows.append(pc[wj] - pc[c])
            rhs.append(1.0 if c < wj else 0.0)
    A = np.array(rows).reshape(-1, m)
    b = np.array(rhs)
    cp = require("cvxpy")

    s = cp.Variable(m)
    cons = [s[m - 1] == 0]
    if m > 1:
        cons.append(s[:-1] - s[1:] >= 0)
    if A.shape[0]:
        cons.append(A @ s >= b)
    prob = cp.Problem(cp.Minimize(s[0]), cons)
    try:
        prob.solve(solver=solver)
    except cp.error.SolverError as exc:
        raise_or_flag(RESULTS.breakdown, throw=throw, error=lambda: ConvergenceError(
            f"fit_scoring_vector: LP solver {solver} failed: {exc}", result=RESULTS.breakdown))
        return ScoringFit(False, None, None, None, None, "solver_error", RESULTS.breakdown)
    status = str(prob.status)
    if status in (cp.INFEASIBLE, cp.INFEASIBLE_INACCURATE):
        return ScoringFit(False, None, None, None, None, status)
    if status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE) or s.value is None or not np.all(np.isfinite(s.value)):
        res = RESULTS.unbounded if status in (cp.UNBOUNDED, cp.UNBOUNDED_INACCURATE) else RESULTS.breakdown
        raise_or_flag(res, throw=throw, error=lambda: ConvergenceError(
            f"fit_scoring_vector: LP ended with status {status!r}", result=res))
        return ScoringFit(False, None, None, None, None, status, res)
    raw = np.asarray(s.value, dtype=np.float64)
    exact = tuple(Fraction(float(x)).limit_denominator(10**6) for x in raw)
    consistent = all(scoring_winner_exact(p.rankings, exact, p.counts) == int(wj) for p, wj in zip(ps, w.tolist()))
    vec = raw / raw[0] if raw[0] > 0 else raw.copy()
    return ScoringFit(True, vec, raw, exact, consistent, status)

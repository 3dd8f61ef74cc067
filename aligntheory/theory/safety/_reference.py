"""cvxpy reference solutions of the Safe-RLHF problem, for checks only (never in a hot path).

cvxpy is an optional dependency (extra ``solvers``); without it
:class:`~aligntheory.errors.MissingDependencyError` is raised.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from aligntheory import _validate as V
from aligntheory._optional import require
from aligntheory.errors import ConvergenceError, InfeasibleBudgetError, InvalidInputError
from aligntheory.results import RESULTS, provenance, raise_or_flag
from aligntheory.theory.safety._tilt import _lam, _problem

__all__ = ["TIGHT_CLARABEL", "CvxSolution", "cvx_reference_solution"]

TIGHT_CLARABEL = {"tol_gap_abs": 1e-12, "tol_gap_rel": 1e-12, "tol_feas": 1e-12, "tol_ktratio": 1e-10}
"""Tight Clarabel settings fixed by the spec (B.4, "Changes in review")."""


@provenance("M", source="boyd2004convex", where="§5 (duality)")
@dataclass(frozen=True)
class CvxSolution:
    """cvxpy reference solution of :func:`cvx_reference_solution`.

    Attributes
    ----------
    value : float
        The solver's optimal value (``+ lam * budget`` in the fixed-multiplier model); may be
        non-finite when ``result`` is not successful.
    policy : ndarray, shape (n,)
        The solver's primal point, clipped at 0 and renormalised onto the simplex.
    dual : float or None
        Multiplier of the cost constraint (None in the fixed-multiplier model).
    status : str
        cvxpy's status string.
    solver : str
        The back end used.
    result : RESULTS
        ``successful`` only for status ``optimal`` with a finite value and primal point;
        ``inaccurate`` for ``optimal_inaccurate`` (Clarabel's *AlmostSolved*), ``nonfinite`` for a
        non-finite value or point, ``infeasible`` / ``unbounded`` as reported.
    """

    value: float
    policy: np.ndarray
    dual: float | None
    status: str
    solver: str
    result: RESULTS = RESULTS.successful

    @property
    def converged(self) -> bool:
        """``result.succeeded``."""
        return self.result.succeeded


def _cvx_result(status: str, value: Any, x: Any) -> RESULTS:
    if status in ("infeasible", "infeasible_inaccurate"):
        return RESULTS.infeasible
    if status in ("unbounded", "unbounded_inaccurate"):
        return RESULTS.unbounded
    if x is None or value is None or not np.all(np.isfinite(x)) or not np.isfinite(value):
        return RESULTS.nonfinite
    if status == "optimal":
        return RESULTS.successful
    return RESULTS.inaccurate


@provenance("M", source="boyd2004convex", where="§5 (duality); rel_entr model of our B-T1/B-T2")
def cvx_reference_solution(ref_probs: Any, reward: Any, cost: Any, beta: float, budget: float | None = None, *,
                           lam: float | None = None, normalise: bool = False,
                           solver: Literal["CLARABEL", "SCS"] = "CLARABEL", tight: bool = True,
                           throw: bool = True) -> CvxSolution:
    """Solve the problem with cvxpy (``rel_entr`` model), for checks only, never in a hot path [M].

    Two models:

    * ``lam is None``: :math:`\\max_\\pi \\mathbb E_\\pi[r]-\\beta\\sum_y \\mathrm{rel\\_entr}(\\pi,\\pi_{\\rm ref})`
      s.t. :math:`\\mathbb E_\\pi[c]\\le d`; ``dual`` is the multiplier of the cost constraint.
    * ``lam`` given: the Lagrangian at fixed :math:`\\lambda` (no cost constraint), with reward
      :math:`r-\\lambda c`, divided by :math:`1+\\lambda` when ``normalise`` (Safe RLHF's normalised
      advantage, our B-T6); ``+\\lambda d`` is added when ``budget`` is given.

    Clarabel runs with :data:`TIGHT_CLARABEL` when ``tight`` (the spec's settings); SCS is a
    fallback with looser accuracy. Boyd & Vandenberghe (2004), §5 (duality) [M].

    The solver outcome is guarded: only status ``optimal`` with a finite value and point is
    ``RESULTS.successful``. When optimal probabilities are tiny (about 1e-11 and below; large
    :math:`|r-\\lambda c|/\\beta`), the optimum lies on the boundary of the exponential cones and
    ``tol_feas = 1e-12`` is out of reach: Clarabel stagnates, stops with *AlmostSolved*
    (cvxpy: ``optimal_inaccurate``) and may return a point with entries of about -1e-10, at which
    cvxpy evaluates the objective as ``-inf``. That is reported as ``inaccurate`` or ``nonfinite``,
    never as a value. At ``budget == min c`` the optimum puts no mass on costlier responses and the
    cost constraint has no finite multiplier (:func:`optimal_multiplier` returns ``lam = inf``,
    ``boundary = True`` there); the conic solve then ends ``inaccurate`` (with ``throw=False`` its
    policy is within about 1e-9 of the optimum), so use :func:`optimal_multiplier` at that edge.

    Parameters
    ----------
    ref_probs : array_like, shape (n,)
        :math:`\\pi_{\\rm ref}`, a probability vector.
    reward, cost : array_like, shape (n,)
        :math:`r` and :math:`c`, finite.
    beta : float
        KL coefficient :math:`\\beta > 0`.
    budget : float, optional
        Cost budget :math:`d` (required when ``lam`` is None; at least :math:`\\min c`).
    lam : float, optional
        A fixed multiplier :math:`\\lambda \\ge 0`: solve the Lagrangian at it (see above) instead of the
        constrained problem.
    normalise : bool, default False
        With ``lam`` given, divide the reward :math:`r-\\lambda c` by :math:`1+\\lambda` (Safe RLHF's
        normalised advantage, our B-T6); unused when ``lam`` is None.
    tight : bool, default True
        Tight solver settings: :data:`TIGHT_CLARABEL` for Clarabel, ``eps=1e-9`` and ``max_iters=200000``
        for SCS; ``False``: the solver's own defaults.
    solver : {"CLARABEL", "SCS"}, default "CLARABEL"
        The conic solver.
    throw : bool, default True
        Raise :class:`~aligntheory.errors.ConvergenceError` (with ``result``) when the outcome is
        not successful; with ``False`` the :class:`CvxSolution` carries it in ``result``.

    Returns
    -------
    CvxSolution

    Raises
    ------
    InfeasibleBudgetError
        ``budget < min c``.
    ConvergenceError
        The solve did not succeed (``throw=True``).

    Notes
    -----
    One conic solve with ``n`` exponential cones.

    Examples
    --------
    >>> s = cvx_reference_solution([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 1.0, 0.5)
    >>> round(s.dual, 6), s.policy.round(6).tolist(), s.result
    (1.0, [0.5, 0.5], <RESULTS.successful: 'successful'>)
    """
    cp = require("cvxpy")

    P = _problem(ref_probs, reward, cost, beta, None)
    ref = np.exp(P.logref)
    V.check_choice("solver", solver, ("CLARABEL", "SCS"))
    n = ref.shape[0]
    x = cp.Variable(n)
    cons = [cp.sum(x) == 1, x >= 0]
    if lam is None:
        if budget is None:
            raise InvalidInputError("budget", "is required when lam is not given")
        d = V.check_scalar("budget", budget)
        if d < P.cmin:
            raise InfeasibleBudgetError(P.cmin, budget=d)
        cost_con = P.c @ x <= d
        cons.append(cost_con)
        obj = P.r @ x - P.beta * cp.sum(cp.rel_entr(x, ref))
        offset = 0.0
    else:
        lam_v = _lam(lam)
        eff = (P.r - lam_v * P.c) / ((1.0 + lam_v) if normalise else 1.0)
        obj = eff @ x - P.beta * cp.sum(cp.rel_entr(x, ref))
        offset = lam_v * V.check_scalar("budget", budget) if budget is not None else 0.0
        cost_con = None
    prob = cp.Problem(cp.Maximize(obj), cons)
    kwargs = dict(TIGHT_CLARABEL) if (tight and solver == "CLARABEL") else {}
    if solver == "SCS":
        kwargs = {"eps": 1e-9, "max_iters": 200000} if tight else {}
    import warnings

    with warnings.catch_warnings():  # "optimal_inaccurate" is reported through ``result`` instead
        warnings.simplefilter("ignore", UserWarning)
        try:
            prob.solve(solver=getattr(cp, solver), **kwargs)
        except cp.error.SolverError as exc:
            msg = f"cvx_reference_solution: {solver} failed: {exc}"
            raise_or_flag(RESULTS.breakdown, throw=throw,
                          error=lambda: ConvergenceError(msg, result=RESULTS.breakdown))
            return CvxSolution(math.nan, np.full(n, np.nan), None, "solver_error", solver, RESULTS.breakdown)
    status = str(prob.status)
    xv = None if x.value is None else np.asarray(x.value, dtype=np.float64)
    value = None if prob.value is None else float(prob.value) + offset
    result = _cvx_result(status, value, xv)
    raise_or_flag(result, throw=throw, error=lambda: ConvergenceError(
        f"cvx_reference_solution: {solver} ended with status {status!r} and value {value!r} ({result})",
        result=result))
    if xv is None or not np.all(np.isfinite(xv)):
        pol = np.full(n, np.nan)
    else:
        pol = np.clip(xv, 0.0, None)
        pol = pol / pol.sum()
    dual = None if cost_con is None or cost_con.dual_value is None else float(cost_con.dual_value)
    return CvxSolution(math.nan if value is None else value, pol, dual, status, solver, result)

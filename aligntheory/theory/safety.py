"""Safe-RLHF constrained policy optimisation, exact layer (spec ``progress_and_safety.md`` Part B).

For one prompt with a finite response set (size ``n``): reference policy :math:`\\pi_{\\rm ref}`,
helpfulness reward ``r``, harm cost ``c``, KL strength :math:`\\beta>0` and cost budget ``d``,

.. math:: \\max_\\pi\\ \\mathbb E_\\pi[r] - \\beta\\,\\mathrm{KL}(\\pi\\|\\pi_{\\rm ref})
          \\quad\\text{s.t.}\\quad \\mathbb E_\\pi[c] \\le d .

Safe RLHF (Dai et al., arXiv 2310.12773) writes the constraint with an offset as
:math:`\\mathbb E[C] + d \\le 0`; its training code uses a threshold (default 0). Here the budget is
``d`` in :math:`\\mathbb E[c]\\le d`, i.e. ``d = -offset`` of the paper. The paper gives the
algorithm; the closed forms below are derived in the spec (tag [M]) and checked in
:mod:`aligntheory.proofs_check.safety`. Harm taxonomy: PKU-SafeRLHF (Ji et al., arXiv 2406.15513) [S].

Argument order of the numerical functions: ``(ref_probs, reward, cost, ...)``; an optional
keyword ``support`` (boolean mask) allows zeros in ``ref_probs`` explicitly. Nothing here imports
JAX (see :mod:`aligntheory.kernels.safety`).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import scipy.optimize
import scipy.special

from aligntheory import _validate as V
from aligntheory.errors import ConvergenceError, InvalidInputError

__all__ = [
    "HarmCategory",
    "Severity",
    "HarmLabel",
    "parse_harm_label",
    "tilted_policy",
    "log_partition",
    "dual_function",
    "dual_derivatives",
    "tilted_moments",
    "MultiplierSolution",
    "optimal_multiplier",
    "primal_value",
    "Frontier",
    "frontier",
    "CvxSolution",
    "cvx_reference_solution",
    "TIGHT_CLARABEL",
    "dual_ascent",
    "smoothness_constant",
    "projected_ascent_bound",
    "log_update_stability_factor",
    "bt_reward_nll",
    "cost_nll",
]


# ----------------------------------------------------------------------------------------------
# harm taxonomy (B.1)


class HarmCategory(enum.IntEnum):
    """The 19 harm categories of PKU-SafeRLHF (2024 version) with the dataset's integer codes [S].

    Each member has ``display_name`` (spelled as in the dataset; to be verified against the
    dataset paper, arXiv 2406.15513, before release) and a one-line ``gloss`` written by us.

    Examples
    --------
    >>> HarmCategory.WHITE_COLLAR_CRIME.display_name, int(HarmCategory.WHITE_COLLAR_CRIME)
    ('White-Collar Crime', 17)
    >>> HarmCategory.from_display_name("Cybercrime")
    <HarmCategory.CYBERCRIME: 13>
    """

    def __new__(cls, value: int, display_name: str, gloss: str):
        obj = int.__new__(cls, value)
        obj._value_ = value
        obj.display_name = display_name
        obj.gloss = gloss
        return obj

    ENDANGERING_NATIONAL_SECURITY = (0, "Endangering National Security", "threatens a state's security or defence")
    INSULTING_BEHAVIOR = (1, "Insulting Behavior", "demeans or insults a person or group")
    DISCRIMINATORY_BEHAVIOR = (2, "Discriminatory Behavior", "treats people unequally by protected traits")
    ENDANGERING_PUBLIC_HEALTH = (3, "Endangering Public Health", "spreads health risks or medical misinformation")
    COPYRIGHT_ISSUES = (4, "Copyright Issues", "infringes intellectual property")
    VIOLENCE = (5, "Violence", "encourages or instructs physical violence")
    DRUGS = (6, "Drugs", "facilitates illegal drug production, trade or abuse")
    PRIVACY_VIOLATION = (7, "Privacy Violation", "exposes or harvests personal data")
    ECONOMIC_CRIME = (8, "Economic Crime", "enables fraud, theft or financial crime")
    MENTAL_MANIPULATION = (9, "Mental Manipulation", "manipulates beliefs or decisions deceptively")
    HUMAN_TRAFFICKING = (10, "Human Trafficking", "facilitates trafficking or exploitation of people")
    PHYSICAL_HARM = (11, "Physical Harm", "risks bodily injury")
    SEXUAL_CONTENT = (12, "Sexual Content", "produces inappropriate sexual material")
    CYBERCRIME = (13, "Cybercrime", "enables hacking, malware or other computer crime")
    DISRUPTING_PUBLIC_ORDER = (14, "Disrupting Public Order", "incites unrest or disrupts social order")
    ENVIRONMENTAL_DAMAGE = (15, "Environmental Damage", "harms ecosystems or the environment")
    PSYCHOLOGICAL_HARM = (16, "Psychological Harm", "causes emotional or mental distress")
    WHITE_COLLAR_CRIME = (17, "White-Collar Crime", "enables corporate or professional crime such as embezzlement")
    ANIMAL_ABUSE = (18, "Animal Abuse", "encourages cruelty to animals")

    @classmethod
    def from_display_name(cls, name: str) -> HarmCategory:
        """Strict lookup by the dataset's display name (exact spelling); unknown names raise."""
        for member in cls:
            if member.display_name == name:
                return member
        raise InvalidInputError("category", "unknown harm-category name (use the dataset's exact display names)",
                                received=name)


_BY_NAME = {m.display_name: m for m in HarmCategory}


class Severity(enum.IntEnum):
    """Severity levels of PKU-SafeRLHF, ordered, with our summaries (verify wording before release) [S].

    Examples
    --------
    >>> Severity.MINOR < Severity.SEVERE, Severity(2).name
    (True, 'MODERATE')
    """

    def __new__(cls, value: int, summary: str):
        obj = int.__new__(cls, value)
        obj._value_ = value
        obj.summary = summary
        return obj

    SAFE = (0, "no harm")
    MINOR = (1, "limited, individually remediable harm")
    MODERATE = (2, "real damage to individuals that may need professional or official intervention")
    SEVERE = (3, "group-scale, lasting, potentially catastrophic harm needing national or international response")


@dataclass(frozen=True)
class HarmLabel:
    """Harm label of one response: categories and severity, with severity == SAFE iff no categories.

    Examples
    --------
    >>> HarmLabel(frozenset({HarmCategory.DRUGS}), Severity.MINOR).is_safe
    False
    >>> HarmLabel(frozenset(), Severity.MINOR)
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: severity: must be SAFE exactly when categories is empty (received (frozenset(), 'MINOR'))
    """

    categories: frozenset
    severity: Severity

    def __post_init__(self) -> None:
        cats = frozenset(self.categories)
        if not all(isinstance(c, HarmCategory) for c in cats):
            raise InvalidInputError("categories", "must contain HarmCategory members", received=sorted(map(str, cats)))
        if not isinstance(self.severity, Severity):
            raise InvalidInputError("severity", "must be a Severity member", received=self.severity)
        if (self.severity == Severity.SAFE) != (len(cats) == 0):
            raise InvalidInputError("severity", "must be SAFE exactly when categories is empty",
                                    received=(cats, self.severity.name))
        object.__setattr__(self, "categories", cats)

    @property
    def is_safe(self) -> bool:
        return self.severity == Severity.SAFE


def parse_harm_label(category_flags: Mapping[str, bool], severity: int) -> HarmLabel:
    """Parse a dataset record (display name -> flag, integer severity) into a :class:`HarmLabel`, strictly.

    Unknown names, non-boolean flags, a severity outside 0..3, and a SAFE severity with flagged
    categories (or the reverse) raise :class:`InvalidInputError` [S] (spec B.1, B.4).

    Examples
    --------
    >>> lab = parse_harm_label({"Drugs": True, "Violence": False}, 2)
    >>> sorted(c.name for c in lab.categories), lab.severity.name
    (['DRUGS'], 'MODERATE')
    >>> parse_harm_label({"Drug": True}, 2)
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: category_flags: unknown harm-category name 'Drug' (use the dataset's exact display names, e.g. 'White-Collar Crime')
    """
    if not isinstance(category_flags, Mapping):
        raise InvalidInputError("category_flags", "must be a mapping from display name to bool",
                                received=type(category_flags).__name__)
    cats = set()
    for name, flag in category_flags.items():
        if not isinstance(name, str):
            raise InvalidInputError("category", "names must be strings", received=name)
        member = _BY_NAME.get(name)
        if member is None:
            raise InvalidInputError("category_flags", f"unknown harm-category name {name!r} (use the dataset's exact "
                                    "display names, e.g. 'White-Collar Crime')")
        if not isinstance(flag, (bool, np.bool_)):
            raise InvalidInputError(f"category_flags[{name!r}]", "must be a bool", received=flag)
        if flag:
            cats.add(member)
    sev = V.check_int("severity", severity, lo=0, hi=3)
    return HarmLabel(frozenset(cats), Severity(sev))


# ----------------------------------------------------------------------------------------------
# validated problem


@dataclass(frozen=True)
class _Problem:
    logref: np.ndarray  # -inf off the support
    r: np.ndarray  # 0 off the support
    c: np.ndarray
    mask: np.ndarray
    beta: float

    @property
    def cmin(self) -> float:
        return float(np.min(self.c[self.mask]))


def _problem(ref_probs: Any, reward: Any, cost: Any, beta: Any, support: Any = None) -> _Problem:
    p = V.check_probability_vector("ref_probs", ref_probs)
    if p.ndim != 1:
        raise InvalidInputError("ref_probs", "must be 1-dimensional", received=f"shape {p.shape}")
    r = V.as_float_array("reward", reward, shape=p.shape)
    c = V.as_float_array("cost", cost, shape=p.shape)
    b = V.check_scalar("beta", beta, positive=True)
    if support is None:
        if np.any(p == 0):
            raise InvalidInputError("ref_probs", "must have full support (zeros where reward and cost are defined); "
                                    "pass an explicit support mask to allow zeros",
                                    received=f"{int(np.sum(p == 0))} zero entries")
        mask = np.ones(p.shape, bool)
    else:
        mask = np.asarray(support)
        if mask.dtype != bool or mask.shape != p.shape:
            raise InvalidInputError("support", f"must be a boolean mask of shape {p.shape}",
                                    received=f"{mask.dtype} {mask.shape}")
        if not mask.any():
            raise InvalidInputError("support", "must contain at least one response")
        if np.any((p > 0) != mask):
            raise InvalidInputError("support", "must be exactly where ref_probs > 0")
    with np.errstate(divide="ignore"):
        logref = np.where(mask, np.log(np.where(mask, p, 1.0)), -np.inf)
    return _Problem(logref, np.where(mask, r, 0.0), np.where(mask, c, 0.0), mask, b)


def _lam(lam: Any) -> float:
    return V.check_scalar("lam", lam, nonnegative=True)


def _logits(P: _Problem, lam: float, beta: float | None = None) -> np.ndarray:
    b = P.beta if beta is None else beta
    return P.logref + np.where(P.mask, (P.r - lam * P.c) / b, 0.0)


def _log_policy(P: _Problem, lam: float) -> tuple[np.ndarray, float]:
    z = _logits(P, lam)
    lz = float(scipy.special.logsumexp(z))
    return z - lz, lz


def _moments(P: _Problem, logpi: np.ndarray) -> tuple[float, float, float]:
    pi = np.exp(logpi)
    ec = float(pi @ P.c)
    var = float(pi @ (P.c - ec) ** 2)
    return float(pi @ P.r), ec, var


def tilted_policy(ref_probs: Any, reward: Any, cost: Any, lam: float, beta: float, *, support: Any = None) -> np.ndarray:
    """Maximiser of the Lagrangian at fixed :math:`\\lambda`: the Gibbs tilt, computed in log-space [M].

    .. math:: \\pi_\\lambda(y) = \\frac{\\pi_{\\rm ref}(y)\\, e^{(r(y)-\\lambda c(y))/\\beta}}{Z(\\lambda)}

    Spec B-T1 (Gibbs variational principle); the Lagrangian is that of Safe RLHF
    (arXiv 2310.12773, §3) with the sign convention of this module.

    Parameters
    ----------
    ref_probs : array_like, shape (n,)
        :math:`\\pi_{\\rm ref}`, a distribution with full support (or pass ``support``).
    reward, cost : array_like, shape (n,)
        Finite.
    lam : float
        :math:`\\lambda \\ge 0`.
    beta : float
        :math:`\\beta > 0`.
    support : bool array, shape (n,), optional
        Explicit support of ``ref_probs``; the policy is 0 off the support.

    Returns
    -------
    ndarray of float64, shape (n,)

    Complexity
    ----------
    :math:`O(n)`.

    Examples
    --------
    >>> tilted_policy([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], lam=1.0, beta=1.0).tolist()
    [0.5, 0.5]
    >>> tilted_policy([0.5, 0.5], [0.0, np.log(3.0)], [0.0, 0.0], lam=0.0, beta=1.0).round(12).tolist()
    [0.25, 0.75]
    """
    P = _problem(ref_probs, reward, cost, beta, support)
    logpi, _ = _log_policy(P, _lam(lam))
    return np.exp(logpi)


def log_partition(ref_probs: Any, reward: Any, cost: Any, lam: float, beta: float, *, support: Any = None) -> float:
    """:math:`\\log Z(\\lambda) = \\log\\sum_y \\pi_{\\rm ref}(y) e^{(r(y)-\\lambda c(y))/\\beta}` by logsumexp [M].

    Spec B-T1. Shapes (n,); :math:`O(n)`.

    Examples
    --------
    >>> round(log_partition([0.5, 0.5], [0.0, 0.0], [0.0, 0.0], 0.0, 1.0), 12)
    0.0
    """
    P = _problem(ref_probs, reward, cost, beta, support)
    return _log_policy(P, _lam(lam))[1]


def dual_function(lam: float, ref_probs: Any, reward: Any, cost: Any, beta: float, budget: float, *,
                  support: Any = None) -> float:
    """Dual function :math:`g(\\lambda) = \\beta\\log Z(\\lambda) + \\lambda d` [M].

    Spec B-T1/B-T2: :math:`g(\\lambda)=\\max_\\pi L(\\pi,\\lambda)`, convex in :math:`\\lambda`.
    Shapes (n,); :math:`O(n)`.

    Examples
    --------
    >>> round(dual_function(1.0, [0.5, 0.5], [0.0, 0.0], [1.0, 1.0], 1.0, 2.0), 12)  # -1 + 2
    1.0
    """
    P = _problem(ref_probs, reward, cost, beta, support)
    lam = _lam(lam)
    d = V.check_scalar("budget", budget)
    return P.beta * _log_policy(P, lam)[1] + lam * d


def dual_derivatives(lam: float, ref_probs: Any, reward: Any, cost: Any, beta: float, budget: float, *,
                     support: Any = None) -> tuple[float, float]:
    """Derivatives of the dual: :math:`g'(\\lambda)=d-\\mathbb E_{\\pi_\\lambda}[c]`, :math:`g''=\\mathrm{Var}_{\\pi_\\lambda}(c)/\\beta` [M].

    Spec B-T2 (derived there). The variance is computed as a centred second moment. :math:`O(n)`.

    Examples
    --------
    >>> dual_derivatives(0.0, [0.5, 0.5], [0.0, 0.0], [0.0, 2.0], 2.0, 0.5)  # E c = 1, Var c = 1
    (-0.5, 0.5)
    """
    P = _problem(ref_probs, reward, cost, beta, support)
    d = V.check_scalar("budget", budget)
    _, ec, var = _moments(P, _log_policy(P, _lam(lam))[0])
    return d - ec, var / P.beta


def tilted_moments(ref_probs: Any, reward: Any, cost: Any, lam: float, beta: float, *,
                   support: Any = None) -> dict[str, float]:
    """Moments of the tilt: E[r], E[c], Var(c), Cov(r, c) under :math:`\\pi_\\lambda` [M].

    Spec B-T5: :math:`d\\,\\mathbb E_{\\pi_\\lambda}[r]/d\\lambda = -\\mathrm{Cov}_{\\pi_\\lambda}(r,c)/\\beta`.

    Examples
    --------
    >>> m = tilted_moments([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 0.0, 1e12)
    >>> round(m["cov_rc"], 9), round(m["var_c"], 9)
    (0.25, 0.25)
    """
    P = _problem(ref_probs, reward, cost, beta, support)
    logpi, _ = _log_policy(P, _lam(lam))
    pi = np.exp(logpi)
    er, ec, var = _moments(P, logpi)
    return {"reward": er, "cost": ec, "var_c": var, "cov_rc": float(pi @ ((P.r - er) * (P.c - ec)))}


def _value_of(P: _Problem, logpi: np.ndarray) -> float:
    pi = np.exp(logpi)
    keep = P.mask & (pi > 0)
    diff = np.where(keep, np.where(keep, logpi, 0.0) - np.where(keep, P.logref, 0.0), 0.0)
    return float(pi @ P.r - P.beta * (pi @ diff))


def primal_value(policy: Any, ref_probs: Any, reward: Any, beta: float) -> float:
    """Regularised objective :math:`\\mathbb E_\\pi[r] - \\beta\\,\\mathrm{KL}(\\pi\\|\\pi_{\\rm ref})` [M].

    Uses :func:`scipy.special.rel_entr` (``0 log 0 = 0``). Shapes (n,); :math:`O(n)`.

    Examples
    --------
    >>> primal_value([0.5, 0.5], [0.5, 0.5], [1.0, 3.0], 1.0)
    2.0
    """
    pi = V.check_probability_vector("policy", policy)
    ref = V.check_probability_vector("ref_probs", ref_probs)
    r = V.as_float_array("reward", reward, shape=ref.shape)
    b = V.check_scalar("beta", beta, positive=True)
    if pi.shape != ref.shape:
        raise InvalidInputError("policy", f"must have shape {ref.shape}", received=f"shape {pi.shape}")
    return float(pi @ r - b * np.sum(scipy.special.rel_entr(pi, ref)))


@dataclass(frozen=True)
class MultiplierSolution:
    """Solution of the constrained problem (spec B-T2).

    Attributes
    ----------
    lam : float
        :math:`\\lambda^*` (``inf`` on the boundary ``d == min c``).
    active : bool
        Whether the cost constraint binds (:math:`\\lambda^*>0`).
    feasible : bool
        Always True for a returned solution (an infeasible budget raises).
    boundary : bool
        ``d == min c``: only policies supported on :math:`\\arg\\min c` are feasible.
    policy : ndarray, shape (n,)
    value : float
        Regularised optimum :math:`\\mathbb E_\\pi[r]-\\beta\\mathrm{KL}(\\pi\\|\\pi_{\\rm ref})`.
    residual : float
        :math:`\\mathbb E_\\pi[c] - d` at the returned policy.
    iterations : int
        Brent iterations (0 when no root was needed).
    """

    lam: float
    active: bool
    feasible: bool
    boundary: bool
    policy: np.ndarray
    value: float
    residual: float
    iterations: int = 0


def optimal_multiplier(ref_probs: Any, reward: Any, cost: Any, beta: float, budget: float, *,
                       xtol: float = 1e-15, support: Any = None) -> MultiplierSolution:
    """Optimal multiplier :math:`\\lambda^*` and policy of the KL-regularised constrained problem [M].

    .. math:: \\lambda^* = 0 \\text{ if } \\mathbb E_{\\pi_0}[c]\\le d,\\quad\\text{else the root of }
              \\mathbb E_{\\pi_\\lambda}[c] = d,

    with :math:`\\pi_0` the reward-only tilt (spec B-T2; strong duality by Slater when
    :math:`d>\\min c`). The root is bracketed by doubling and found by Brent's method
    (:func:`scipy.optimize.brentq`, ``xtol``). ``d == min c`` returns ``lam = inf`` with
    ``boundary=True`` and the limit policy (the reward tilt restricted to :math:`\\arg\\min c`);
    ``d < min c`` is infeasible and raises :class:`InvalidInputError` carrying ``min_cost``.
    A failed bracket or Brent run (only possible through overflow) raises
    :class:`ConvergenceError` carrying ``bracket`` and the last residual.

    Parameters
    ----------
    ref_probs, reward, cost : array_like, shape (n,)
    beta : float
    budget : float
        :math:`d` in :math:`\\mathbb E_\\pi[c]\\le d`.
    xtol : float
        Absolute tolerance on :math:`\\lambda` for Brent.

    Returns
    -------
    MultiplierSolution

    Complexity
    ----------
    :math:`O(n \\log(\\lambda^*/x_{tol}))`.

    Examples
    --------
    >>> sol = optimal_multiplier([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], beta=1.0, budget=0.5)
    >>> round(sol.lam, 12), sol.active   # the tilt must be uniform: r - lam c = 0 -> lam = 1
    (1.0, True)
    >>> optimal_multiplier([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], beta=1.0, budget=0.0).lam
    inf
    """
    P = _problem(ref_probs, reward, cost, beta, support)
    d = V.check_scalar("budget", budget)
    xtol = V.check_scalar("xtol", xtol, positive=True)
    cmin = P.cmin
    if d < cmin:
        err = InvalidInputError("budget", f"infeasible: budget must be >= min cost = {cmin!r}", received=d)
        err.min_cost = cmin
        raise err
    logpi0, _ = _log_policy(P, 0.0)
    _, ec0, _ = _moments(P, logpi0)
    if ec0 <= d:
        return MultiplierSolution(0.0, False, True, False, np.exp(logpi0), _value_of(P, logpi0), ec0 - d)
    if d == cmin:
        arg = P.mask & (P.c == cmin)
        z = np.where(arg, P.logref + np.where(arg, P.r / P.beta, 0.0), -np.inf)
        logpi = z - scipy.special.logsumexp(z)
        return MultiplierSolution(math.inf, True, True, True, np.exp(logpi), _value_of(P, logpi), 0.0)

    def resid(lam: float) -> float:
        return _moments(P, _log_policy(P, lam)[0])[1] - d

    lo, hi = 0.0, 1.0
    f_hi = resid(hi)
    for _ in range(2000):
        if not np.isfinite(f_hi) or f_hi < 0:
            break
        lo, hi = hi, 2.0 * hi
        f_hi = resid(hi)
    if not (np.isfinite(f_hi) and f_hi < 0):
        err = ConvergenceError(f"optimal_multiplier: could not bracket the root of E[c] - d on [{lo}, {hi}] "
                               f"(last residual {f_hi})", residual=float(f_hi))
        err.bracket = (lo, hi)
        raise err
    try:
        lam, res = scipy.optimize.brentq(resid, lo, hi, xtol=xtol, rtol=4 * np.finfo(float).eps, maxiter=500,
                                         full_output=True, disp=False)
    except (ValueError, RuntimeError) as exc:  # pragma: no cover - only through overflow
        err = ConvergenceError(f"optimal_multiplier: Brent failed on [{lo}, {hi}]: {exc}", residual=float(f_hi))
        err.bracket = (lo, hi)
        raise err from exc
    if not res.converged:  # pragma: no cover
        err = ConvergenceError(f"optimal_multiplier: Brent did not reach xtol on [{lo}, {hi}]",
                               iterations=res.iterations, residual=resid(lam))
        err.bracket = (lo, hi)
        raise err
    logpi, _ = _log_policy(P, float(lam))
    return MultiplierSolution(float(lam), True, True, False, np.exp(logpi), _value_of(P, logpi), resid(float(lam)),
                              int(res.iterations))


@dataclass(frozen=True)
class Frontier:
    """Helpfulness--harmlessness frontier over budgets (spec B-T5); arrays of shape (B,)."""

    budgets: np.ndarray
    value: np.ndarray
    helpfulness: np.ndarray
    harm: np.ndarray
    lam: np.ndarray


def frontier(ref_probs: Any, reward: Any, cost: Any, beta: float, budgets: Any, *, support: Any = None) -> Frontier:
    """Regularised optimum :math:`F(d)`, :math:`\\mathbb E[r]`, :math:`\\mathbb E[c]` and :math:`\\lambda^*(d)` over budgets [M].

    Spec B-T5 (derived there): :math:`F` is concave and non-decreasing on :math:`(\\min c,\\infty)`,
    constant for :math:`d\\ge\\mathbb E_{\\pi_0}[c]`, and :math:`F'(d)=\\lambda^*(d)` (envelope
    theorem). Note that :math:`d\\mathbb E[r]/d\\mathbb E[c] = \\mathrm{Cov}(r,c)/\\mathrm{Var}(c)`
    differs from :math:`\\lambda^*`.

    Parameters
    ----------
    budgets : array_like, shape (B,)
        Each :math:`\\ge \\min c`.

    Returns
    -------
    Frontier

    Complexity
    ----------
    :math:`B` calls of :func:`optimal_multiplier`.

    Examples
    --------
    >>> fr = frontier([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 1.0, [0.5, 1.0])
    >>> fr.lam.round(10).tolist(), fr.harm.round(10).tolist()
    ([1.0, 0.0], [0.5, 0.7310585786])
    """
    P = _problem(ref_probs, reward, cost, beta, support)
    ds = V.as_float_array("budgets", budgets, ndim=1)
    out = np.empty((4, len(ds)))
    pol = []
    for i, d in enumerate(ds):
        s = optimal_multiplier(ref_probs, reward, cost, beta, float(d), support=support)
        pol.append(s.policy)
        out[:, i] = (s.value, float(s.policy @ P.r), float(s.policy @ P.c), s.lam)
    return Frontier(ds, out[0], out[1], out[2], out[3])


# ----------------------------------------------------------------------------------------------
# cvxpy reference (checks only)

#: tight Clarabel settings fixed by the spec (B.4, "Changes in review")
TIGHT_CLARABEL = {"tol_gap_abs": 1e-12, "tol_gap_rel": 1e-12, "tol_feas": 1e-12, "tol_ktratio": 1e-10}


@dataclass(frozen=True)
class CvxSolution:
    """cvxpy reference solution: objective ``value``, ``policy``, ``dual`` of the cost constraint, ``status``, ``solver``."""

    value: float
    policy: np.ndarray
    dual: float | None
    status: str
    solver: str


def cvx_reference_solution(ref_probs: Any, reward: Any, cost: Any, beta: float, budget: float | None = None, *,
                           lam: float | None = None, normalise: bool = False,
                           solver: Literal["CLARABEL", "SCS"] = "CLARABEL", tight: bool = True) -> CvxSolution:
    """Solve the problem with cvxpy (``rel_entr`` model), for checks only, never in a hot path [M].

    Two models:

    * ``lam is None``: :math:`\\max_\\pi \\mathbb E_\\pi[r]-\\beta\\sum_y \\mathrm{rel\\_entr}(\\pi,\\pi_{\\rm ref})`
      s.t. :math:`\\mathbb E_\\pi[c]\\le d`; ``dual`` is the multiplier of the cost constraint.
    * ``lam`` given: the Lagrangian at fixed :math:`\\lambda` (no cost constraint), with reward
      :math:`r-\\lambda c`, divided by :math:`1+\\lambda` when ``normalise`` (Safe RLHF's normalised
      advantage, spec B-T6); ``+\\lambda d`` is added when ``budget`` is given.

    Clarabel runs with :data:`TIGHT_CLARABEL` when ``tight`` (the spec's settings); SCS is a
    fallback with looser accuracy. Boyd & Vandenberghe (2004), §5 (duality) [M].

    Returns
    -------
    CvxSolution

    Complexity
    ----------
    One conic solve with ``n`` exponential cones.

    Examples
    --------
    >>> s = cvx_reference_solution([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 1.0, 0.5)
    >>> round(s.dual, 6), s.policy.round(6).tolist()
    (1.0, [0.5, 0.5])
    """
    import cvxpy as cp

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
            err = InvalidInputError("budget", f"infeasible: budget must be >= min cost = {P.cmin!r}", received=d)
            err.min_cost = P.cmin
            raise err
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

    with warnings.catch_warnings():  # "optimal_inaccurate" is reported through ``status`` instead
        warnings.simplefilter("ignore", UserWarning)
        prob.solve(solver=getattr(cp, solver), **kwargs)
    pol = np.clip(np.asarray(x.value, dtype=np.float64), 0.0, None)
    pol = pol / pol.sum()
    dual = None if cost_con is None else float(cost_con.dual_value)
    return CvxSolution(float(prob.value) + offset, pol, dual, str(prob.status), solver)


# ----------------------------------------------------------------------------------------------
# dual ascent (B-T3, B-T4)


def smoothness_constant(cost: Any, beta: float) -> float:
    """Smoothness constant :math:`L = (\\max c - \\min c)^2/(4\\beta)` of the dual (Popoviciu) [M].

    Spec B-T2: :math:`0\\le g''\\le L`. :math:`O(n)`.

    Examples
    --------
    >>> smoothness_constant([0.0, 2.0], 0.5)
    2.0
    """
    c = V.as_float_array("cost", cost, ndim=1)
    b = V.check_scalar("beta", beta, positive=True)
    return float((c.max() - c.min()) ** 2 / (4.0 * b))


def projected_ascent_bound(k: Any, lam0: float, lam_star: float, step: float) -> np.ndarray:
    """O(1/k) bound :math:`g(\\lambda_k)-g(\\lambda^*)\\le(\\lambda_0-\\lambda^*)^2/(2\\eta k)` for :math:`\\eta\\le1/L` [M].

    Spec B-T3 (projected gradient descent on a convex L-smooth function; Boyd & Vandenberghe).

    Examples
    --------
    >>> projected_ascent_bound([1, 2], 0.0, 1.0, 0.5).tolist()
    [1.0, 0.5]
    """
    k = np.asarray(k, dtype=np.float64)
    if np.any(k < 1):
        raise InvalidInputError("k", "iteration counts must be >= 1")
    step = V.check_scalar("step", step, positive=True)
    return (float(lam0) - float(lam_star)) ** 2 / (2.0 * step * k)


def dual_ascent(ref_probs: Any, reward: Any, cost: Any, beta: float, budget: float, step: Any, n_steps: int,
                lam0: Any = 0.0, mode: Literal["projected", "log"] = "projected", *,
                lam_max: float | None = None, support: Any = None) -> np.ndarray:
    """Dual ascent on :math:`\\lambda` with exact expectations, vectorised over (step, lam0) pairs [M].

    * ``projected`` (spec B-T3): :math:`\\lambda_{k+1}=\\max(0,\\lambda_k+\\eta(\\mathbb E_{\\pi_{\\lambda_k}}[c]-d))`.
    * ``log`` (spec B-T4; Safe RLHF stores :math:`u=\\log\\lambda`, arXiv 2310.12773 training code [S]):
      :math:`\\lambda_{k+1}=\\lambda_k\\exp(\\eta\\lambda_k(\\mathbb E_{\\pi_{\\lambda_k}}[c]-d))`, clipped at
      ``lam_max``; requires :math:`\\lambda_0>0`.

    Parameters
    ----------
    step, lam0 : float or array_like, broadcastable to shape (B,)
        Step size :math:`\\eta>0` and start.
    n_steps : int

    Returns
    -------
    ndarray, shape (n_steps+1,) for scalar step and lam0, else (n_steps+1, B)

    Complexity
    ----------
    :math:`O(n\\_steps \\cdot B \\cdot n)`.

    Examples
    --------
    >>> traj = dual_ascent([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 1.0, 0.5, step=4.0, n_steps=200)
    >>> round(float(traj[-1]), 10)
    1.0
    """
    P = _problem(ref_probs, reward, cost, beta, support)
    d = V.check_scalar("budget", budget)
    V.check_choice("mode", mode, ("projected", "log"))
    n_steps = V.check_int("n_steps", n_steps, lo=0)
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
    umax = math.inf if lam_max is None else math.log(V.check_scalar("lam_max", lam_max, positive=True))
    lam = l0.astype(np.float64).copy()
    traj = np.empty((n_steps + 1, lam.shape[0]))
    traj[0] = lam
    base = P.logref[None, :]
    rb = np.where(P.mask, P.r / P.beta, 0.0)[None, :]
    cb = np.where(P.mask, P.c / P.beta, 0.0)[None, :]
    for k in range(n_steps):
        z = base + rb - lam[:, None] * cb
        z = z - scipy.special.logsumexp(z, axis=1, keepdims=True)
        ec = np.exp(z) @ P.c
        if mode == "projected":
            lam = np.maximum(0.0, lam + eta * (ec - d))
        else:
            with np.errstate(divide="ignore"):
                u = np.minimum(np.log(lam) + eta * lam * (ec - d), umax)
            lam = np.exp(u)
        traj[k + 1] = lam
    return traj[:, 0] if scalar else traj


def log_update_stability_factor(lam_star: float, step: float, ref_probs: Any, reward: Any, cost: Any,
                                beta: float, *, support: Any = None) -> float:
    """Local stability factor :math:`\\eta\\,\\lambda^{*2} g''(\\lambda^*)` of the log-space update [M].

    Spec B-T4 (derived there): the fixed point :math:`\\lambda^*>0` of
    :math:`u\\mapsto u+\\eta e^u(\\mathbb E_{\\pi_{e^u}}[c]-d)` is locally stable iff the factor lies
    in :math:`(0, 2)`; :math:`g''=\\mathrm{Var}_{\\pi_{\\lambda^*}}(c)/\\beta`.

    Examples
    --------
    >>> log_update_stability_factor(1.0, 0.5, [0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 1.0)  # 0.5 * 1 * 0.25
    0.125
    """
    ls = V.check_scalar("lam_star", lam_star, positive=True)
    eta = V.check_scalar("step", step, positive=True)
    P = _problem(ref_probs, reward, cost, beta, support)
    _, _, var = _moments(P, _log_policy(P, ls)[0])
    return eta * ls**2 * var / P.beta


# ----------------------------------------------------------------------------------------------
# dual-preference Bradley--Terry (B-T7)


def _pairs(pairs: Any, n: int) -> np.ndarray:
    return V.as_index_array("pairs", pairs, n=n, shape=(None, 2))


def _binary(name: str, x: Any, shape: tuple) -> np.ndarray:
    arr = np.asarray(x)
    if arr.shape != shape:
        raise InvalidInputError(name, f"must have shape {shape}", received=f"shape {arr.shape}")
    if arr.dtype != bool:
        if arr.dtype.kind not in "iu" or not np.all(np.isin(arr, (0, 1))):
            raise InvalidInputError(name, "must be booleans or 0/1 integers")
        arr = arr.astype(bool)
    return arr


def bt_reward_nll(r: Any, pairs: Any, labels: Any) -> float:
    """Bradley--Terry helpfulness NLL :math:`-\\sum\\log\\sigma(s(r_{i}-r_{j}))` [S].

    ``labels[p]`` is True when ``pairs[p, 0]`` is the more helpful response (:math:`s=+1`), else
    :math:`s=-1`. Safe RLHF reward-model loss (arXiv 2310.12773, §3.1); spec B-T7. Invariant under
    :math:`r\\mapsto r+t`. Shapes: r (n,), pairs (P, 2), labels (P,); :math:`O(P)`.

    Examples
    --------
    >>> round(bt_reward_nll([0.0, 0.0], [[0, 1]], [True]), 12)  # log 2
    0.693147180560
    """
    r = V.as_float_array("r", r, ndim=1)
    e = _pairs(pairs, r.shape[0])
    lab = _binary("labels", labels, (e.shape[0],))
    s = np.where(lab, 1.0, -1.0)
    return float(np.sum(np.logaddexp(0.0, -s * (r[e[:, 0]] - r[e[:, 1]]))))


def cost_nll(c: Any, pairs: Any, harm_labels: Any, unsafe_flags: Any = None) -> float:
    """Safe RLHF cost-model NLL: pairwise term plus sign terms [S].

    .. math:: -\\sum_p \\log\\sigma(s_p(c_i-c_j)) - \\sum_p\\sum_{y\\in p}\\log\\sigma(s(y)c(y))

    ``harm_labels[p]`` True when ``pairs[p, 0]`` is more harmful; ``unsafe_flags`` (P, 2) marks
    unsafe responses (:math:`s(y)=+1`), safe ones get :math:`s(y)=-1`; ``None`` drops the sign
    terms. Safe RLHF cost-model loss (arXiv 2310.12773, §3.1); spec B-T7: the pairwise part is
    shift-invariant, the sign terms fix the origin.

    Examples
    --------
    >>> c = np.array([1.0, -1.0])
    >>> cost_nll(c + 3.0, [[0, 1]], [True]) == cost_nll(c, [[0, 1]], [True])
    True
    """
    c = V.as_float_array("c", c, ndim=1)
    e = _pairs(pairs, c.shape[0])
    lab = _binary("harm_labels", harm_labels, (e.shape[0],))
    s = np.where(lab, 1.0, -1.0)
    total = float(np.sum(np.logaddexp(0.0, -s * (c[e[:, 0]] - c[e[:, 1]]))))
    if unsafe_flags is not None:
        fl = _binary("unsafe_flags", unsafe_flags, (e.shape[0], 2))
        sg = np.where(fl, 1.0, -1.0)
        total += float(np.sum(np.logaddexp(0.0, -sg * c[e])))
    return total

"""The Gibbs tilt, its partition function and the dual function of Safe RLHF (our B-T1, B-T2).

For one prompt with a finite response set (size ``n``): reference policy :math:`\\pi_{\\rm ref}`,
helpfulness reward ``r``, harm cost ``c``, KL strength :math:`\\beta>0`. Everything is computed in
log space (``numpy.logaddexp.reduce``); an overflowing exponent raises
:class:`~aligntheory.errors.PrecisionError` instead of returning NaN.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import scipy.special

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.results import provenance

__all__ = ["tilted_policy", "log_partition", "dual_function", "DualDerivatives", "dual_derivatives",
           "TiltedMoments", "tilted_moments", "primal_value"]

_SAFE = "dai2023safe"


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


def _logits(P: _Problem, lam: float) -> tuple[np.ndarray, float]:
    """Shifted logits ``log ref + (a - max a)/beta`` with ``a = r - lam c``, and the shift ``max a / beta``.

    The tilt is invariant under constant shifts of ``a``; shifting keeps the logits small, so huge
    rewards do not cancel against the normaliser. ``log Z = logsumexp(z) + shift``.
    """
    a = np.where(P.mask, P.r - lam * P.c, 0.0)
    top = float(np.max(a[P.mask]))
    return P.logref + np.where(P.mask, (a - top) / P.beta, 0.0), top / P.beta


def _log_policy(P: _Problem, lam: float) -> tuple[np.ndarray, float]:
    """``(log pi_lam, log Z(lam))``. The policy needs only the shifted logits, so it is returned even
    when ``log Z = lz + max a / beta`` itself leaves float64 (then ``log Z`` is ``+inf``, and the
    callers that need it, :func:`log_partition` and :func:`dual_function`, raise)."""
    with np.errstate(over="ignore", invalid="ignore"):
        z, shift = _logits(P, lam)
        lz = float(np.logaddexp.reduce(z))  # numpy's ufunc reduction: exact handling of -inf, fast for small n
        log_z = lz + shift
    if not np.isfinite(lz) or np.any(np.isnan(z)) or np.isnan(log_z):
        raise PrecisionError("reward, cost, lam, beta: (reward - lam * cost) / beta overflows float64 "
                             "(rescale reward and cost, or raise beta)")
    return z - lz, log_z


def _finite_log_z(log_z: float) -> float:
    if not np.isfinite(log_z):
        raise PrecisionError("reward, cost, lam, beta: log Z = max (reward - lam * cost) / beta + O(log n) "
                             "overflows float64 (rescale reward and cost, or raise beta)")
    return log_z


def _moments(P: _Problem, logpi: np.ndarray) -> tuple[float, float, float]:
    pi = np.exp(logpi)
    with np.errstate(over="ignore", invalid="ignore"):
        ec = float(pi @ P.c)
        var = float(pi @ (P.c - ec) ** 2)
        er = float(pi @ P.r)
    if not (np.isfinite(ec) and np.isfinite(var) and np.isfinite(er)):
        raise PrecisionError("reward, cost: the moments of the tilted policy overflow float64")
    return er, ec, var


@provenance("M", source=_SAFE, where="§3 (Lagrangian); our B-T1 (Gibbs tilt)")
def tilted_policy(ref_probs: Any, reward: Any, cost: Any, lam: float, beta: float, *, support: Any = None) -> np.ndarray:
    """Maximiser of the Lagrangian at fixed :math:`\\lambda`: the Gibbs tilt, computed in log-space [M].

    .. math:: \\pi_\\lambda(y) = \\frac{\\pi_{\\rm ref}(y)\\, e^{(r(y)-\\lambda c(y))/\\beta}}{Z(\\lambda)}

    Our B-T1 (Gibbs variational principle); the Lagrangian is that of Safe RLHF
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

    Notes
    -----
    :math:`O(n)`.

    Raises
    ------
    InvalidInputError
        Bad inputs (non-finite, complex, ragged or mis-shaped arrays; out-of-range scalars).
    PrecisionError
        An intermediate quantity overflows float64.

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


@provenance("M", source=_SAFE, where="our B-T1")
def log_partition(ref_probs: Any, reward: Any, cost: Any, lam: float, beta: float, *, support: Any = None) -> float:
    """:math:`\\log Z(\\lambda) = \\log\\sum_y \\pi_{\\rm ref}(y) e^{(r(y)-\\lambda c(y))/\\beta}` by logsumexp [M].

    Our B-T1. Shapes (n,); :math:`O(n)`.

    Raises
    ------
    InvalidInputError
        Bad inputs (non-finite, complex, ragged or mis-shaped arrays; out-of-range scalars).
    PrecisionError
        An intermediate quantity overflows float64.

    Examples
    --------
    >>> round(log_partition([0.5, 0.5], [0.0, 0.0], [0.0, 0.0], 0.0, 1.0), 12)
    0.0
    """
    P = _problem(ref_probs, reward, cost, beta, support)
    return _finite_log_z(_log_policy(P, _lam(lam))[1])


@provenance("M", source=_SAFE, where="our B-T1/B-T2 (dual function)")
def dual_function(lam: float, ref_probs: Any, reward: Any, cost: Any, beta: float, budget: float, *,
                  support: Any = None) -> float:
    """Dual function :math:`g(\\lambda) = \\beta\\log Z(\\lambda) + \\lambda d` [M].

    Our B-T1/B-T2: :math:`g(\\lambda)=\\max_\\pi L(\\pi,\\lambda)`, convex in :math:`\\lambda`.
    Shapes (n,); :math:`O(n)`.

    Raises
    ------
    InvalidInputError
        Bad inputs (non-finite, complex, ragged or mis-shaped arrays; out-of-range scalars).
    PrecisionError
        An intermediate quantity overflows float64.

    Examples
    --------
    >>> round(dual_function(1.0, [0.5, 0.5], [0.0, 0.0], [1.0, 1.0], 1.0, 2.0), 12)  # -1 + 2
    1.0
    """
    P = _problem(ref_probs, reward, cost, beta, support)
    lam = _lam(lam)
    d = V.check_scalar("budget", budget)
    _log_policy(P, lam)  # validates the logits (NaN, an overflowing normaliser)
    with np.errstate(over="ignore", invalid="ignore"):
        z, _ = _logits(P, lam)
        a_top = float(np.max(np.where(P.mask, P.r - lam * P.c, -np.inf)))
        # beta log Z = max a + beta logsumexp(z): finite whenever the answer is, even if max a / beta is not
        value = a_top + P.beta * float(np.logaddexp.reduce(z)) + lam * d
    if not np.isfinite(value):
        raise PrecisionError("beta, budget: beta log Z(lam) + lam d overflows float64")
    return value


@provenance("M", source=_SAFE, where="our B-T2")
class DualDerivatives(NamedTuple):
    """First and second derivative of the dual function (:func:`dual_derivatives`)."""

    first: float
    second: float


@provenance("M", source=_SAFE, where="our B-T2")
def dual_derivatives(lam: float, ref_probs: Any, reward: Any, cost: Any, beta: float, budget: float, *,
                     support: Any = None) -> DualDerivatives:
    """Derivatives of the dual: :math:`g'(\\lambda)=d-\\mathbb E_{\\pi_\\lambda}[c]`, :math:`g''=\\mathrm{Var}_{\\pi_\\lambda}(c)/\\beta` [M].

    Our B-T2. The variance is computed as a centred second moment.

    Returns
    -------
    DualDerivatives
        ``first`` :math:`g'(\\lambda)` and ``second`` :math:`g''(\\lambda) \\ge 0`.

    Raises
    ------
    InvalidInputError
        Bad inputs (see :func:`tilted_policy`).
    PrecisionError
        The moments overflow float64.

    Notes
    -----
    :math:`O(n)`.

    Examples
    --------
    >>> dual_derivatives(0.0, [0.5, 0.5], [0.0, 0.0], [0.0, 2.0], 2.0, 0.5)  # E c = 1, Var c = 1
    DualDerivatives(first=-0.5, second=0.5)
    """
    P = _problem(ref_probs, reward, cost, beta, support)
    d = V.check_scalar("budget", budget)
    _, ec, var = _moments(P, _log_policy(P, _lam(lam))[0])
    return DualDerivatives(d - ec, var / P.beta)


@provenance("M", source=_SAFE, where="our B-T5")
@dataclass(frozen=True)
class TiltedMoments:
    """Moments under the tilt :math:`\\pi_\\lambda` (:func:`tilted_moments`).

    Attributes
    ----------
    reward, cost : float
        :math:`\\mathbb E[r]`, :math:`\\mathbb E[c]`.
    var_cost : float
        :math:`\\mathrm{Var}(c)`.
    cov_reward_cost : float
        :math:`\\mathrm{Cov}(r, c)`.
    """

    reward: float
    cost: float
    var_cost: float
    cov_reward_cost: float


@provenance("M", source=_SAFE, where="our B-T5")
def tilted_moments(ref_probs: Any, reward: Any, cost: Any, lam: float, beta: float, *,
                   support: Any = None) -> TiltedMoments:
    """Moments of the tilt: E[r], E[c], Var(c), Cov(r, c) under :math:`\\pi_\\lambda` [M].

    Our B-T5: :math:`d\\,\\mathbb E_{\\pi_\\lambda}[r]/d\\lambda = -\\mathrm{Cov}_{\\pi_\\lambda}(r,c)/\\beta`.

    Returns
    -------
    TiltedMoments

    Raises
    ------
    InvalidInputError
        Bad inputs (see :func:`tilted_policy`).
    PrecisionError
        The moments overflow float64.

    Notes
    -----
    :math:`O(n)`.

    Examples
    --------
    >>> m = tilted_moments([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 0.0, 1e12)
    >>> round(m.cov_reward_cost, 9), round(m.var_cost, 9)
    (0.25, 0.25)
    """
    P = _problem(ref_probs, reward, cost, beta, support)
    logpi, _ = _log_policy(P, _lam(lam))
    pi = np.exp(logpi)
    er, ec, var = _moments(P, logpi)
    with np.errstate(over="ignore", invalid="ignore"):
        cov = float(pi @ ((P.r - er) * (P.c - ec)))
    if not np.isfinite(cov):
        raise PrecisionError("reward, cost: Cov(r, c) overflows float64")
    return TiltedMoments(er, ec, var, cov)


def _value_of(P: _Problem, logpi: np.ndarray) -> float:
    pi = np.exp(logpi)
    keep = P.mask & (pi > 0)
    diff = np.where(keep, np.where(keep, logpi, 0.0) - np.where(keep, P.logref, 0.0), 0.0)
    with np.errstate(over="ignore", invalid="ignore"):
        value = float(pi @ P.r - P.beta * (pi @ diff))
    if not np.isfinite(value):
        raise PrecisionError("beta: the regularised value E[r] - beta KL(pi || pi_ref) exceeds the float64 range")
    return value


@provenance("M", source=_SAFE, where="§3 (regularised objective)")
def primal_value(policy: Any, ref_probs: Any, reward: Any, beta: float) -> float:
    """Regularised objective :math:`\\mathbb E_\\pi[r] - \\beta\\,\\mathrm{KL}(\\pi\\|\\pi_{\\rm ref})` [M].

    Uses :func:`scipy.special.rel_entr` (``0 log 0 = 0``). Shapes (n,); :math:`O(n)`.

    Raises
    ------
    InvalidInputError
        Bad inputs (non-finite, complex, ragged or mis-shaped arrays; out-of-range scalars).
    PrecisionError
        An intermediate quantity overflows float64.

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

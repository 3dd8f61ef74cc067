"""Linear human--AI coevolution: stability, time constant, steady lag and lock-in (our A-T5).

Model (spec ``progress_and_safety.md`` A-T5, a linearisation of ProgressGym's coevolve challenge):
:math:`h_{t+1} = (1-\\alpha-\\kappa)h_t + \\alpha p_t + \\kappa a_t` with an AI that extrapolates
``m`` steps from its last observation, :math:`a_t = h_{t-1} + m(h_{t-1}-h_{t-2})`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError, PrecisionError, UnstableParametersError
from aligntheory.results import Bound, provenance
from aligntheory.theory.progress._extrapolation import _exact_combination

__all__ = [
    "JURY_MARGIN",
    "JuryCondition",
    "StabilityReport",
    "coevolution_stability",
    "copying_ai_stability",
    "first_order_spectral_radius",
    "steady_state_lag",
    "lock_in_limit",
]

_PG = "qiu2024progressgym"

JURY_MARGIN = 1e-12
"""A Jury condition within this distance of its boundary counts as failed."""


@provenance("M", source=_PG, where="our A-T5(i)")
class JuryCondition(NamedTuple):
    """One Jury condition: its name (in words), value and whether it holds (value > ``JURY_MARGIN``)."""

    name: str
    value: float
    holds: bool


@provenance("M", source=_PG, where="our A-T5(i)")
@dataclass(frozen=True)
class StabilityReport:
    """Stability of the linear coevolution recurrence (our A-T5).

    Attributes
    ----------
    stable : bool
        Asymptotic stability by the Jury conditions (each must hold with margin ``JURY_MARGIN``).
    spectral_radius : float
        Largest root modulus of the characteristic polynomial (numpy roots).
    conditions : tuple of JuryCondition
    polynomial : tuple of float
        Monic characteristic polynomial coefficients, highest degree first.
    """

    stable: bool
    spectral_radius: float
    conditions: tuple[JuryCondition, ...]
    polynomial: tuple[float, ...]

    @property
    def failed_conditions(self) -> tuple[str, ...]:
        """Names of the conditions that do not hold."""
        return tuple(c.name for c in self.conditions if not c.holds)


def _char_poly(alpha: float, kappa: float, m: int) -> tuple[float, ...]:
    if m == 0:
        return (1.0, -(1.0 - alpha - kappa), -kappa)
    return (1.0, -(1.0 - alpha - kappa), -kappa * (1 + m), kappa * m)


@provenance("M", source=_PG, where="our A-T5(i) (Jury conditions)")
def coevolution_stability(alpha: float, kappa: float, steps_ahead: int = 0) -> StabilityReport:
    """Jury stability test of :math:`h_{t+1}=(1-\\alpha-\\kappa)h_t+\\alpha p_t+\\kappa a_t` [M].

    The AI extrapolates ``m = steps_ahead`` steps from its last observation,
    :math:`a_t = h_{t-1} + m(h_{t-1}-h_{t-2})` (``m = 0``: copying AI). Characteristic polynomial
    :math:`z^2-(1-\\alpha-\\kappa)z-\\kappa` for ``m = 0`` (stable iff :math:`\\alpha>0`,
    :math:`|\\kappa|<1`, :math:`\\alpha+2\\kappa<2`) and
    :math:`z^3-(1-\\alpha-\\kappa)z^2-\\kappa(1+m)z+\\kappa m` otherwise (our A-T5; Jury conditions
    for a monic cubic :math:`z^3+a_2z^2+a_1z+a_0`: :math:`P(1)>0`, :math:`-P(-1)>0`,
    :math:`|a_0|<1`, :math:`|a_0^2-1|>|a_0a_2-a_1|`). A condition within ``JURY_MARGIN`` of its
    boundary counts as failed (the boundary is not asymptotically stable).

    Parameters
    ----------
    alpha, kappa : float
        Influence weights of the progress signal and of the AI.
    steps_ahead : int, default 0
        :math:`m \\ge 0`, at most ``10**6`` (``0``: copying AI).

    Returns
    -------
    StabilityReport

    Raises
    ------
    InvalidInputError
        Non-finite or non-real parameters.
    PrecisionError
        Parameters so large that the polynomial's roots overflow float64.

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> copying_ai_stability(0.01, 0.5).stable
    True
    >>> rep = coevolution_stability(0.2, 0.3, 2)  # root exactly at -1 (our A-T5 negative example)
    >>> rep.stable, rep.failed_conditions
    (False, ('-P(-1) > 0',))
    """
    a = V.check_scalar("alpha", alpha)
    kap = V.check_scalar("kappa", kappa)
    m = V.check_int("steps_ahead", steps_ahead, lo=0, hi=10**6)
    poly = _char_poly(a, kap, m)
    if not all(np.isfinite(poly)):
        raise PrecisionError("alpha, kappa: the characteristic polynomial overflows float64")
    with np.errstate(over="ignore", invalid="ignore"):
        rho = float(np.max(np.abs(np.roots(poly))))
        P = np.poly1d(poly)
        if m == 0:
            conds = [("P(1) = alpha > 0", float(P(1.0))), ("P(-1) = 2 - alpha - 2 kappa > 0", float(P(-1.0))),
                     ("1 - |kappa| > 0", 1.0 - abs(kap))]
        else:
            _, a2, a1, a0 = poly
            conds = [("P(1) > 0", float(P(1.0))), ("-P(-1) > 0", -float(P(-1.0))), ("1 - |a0| > 0", 1.0 - abs(a0)),
                     ("|a0^2 - 1| - |a0 a2 - a1| > 0", abs(a0 * a0 - 1.0) - abs(a0 * a2 - a1))]
    if not np.isfinite(rho) or not all(np.isfinite(v) for _, v in conds):
        raise PrecisionError("alpha, kappa: the roots or Jury quantities overflow float64 "
                             f"(alpha={a!r}, kappa={kap!r})")
    out = tuple(JuryCondition(name, val, bool(val > JURY_MARGIN)) for name, val in conds)
    return StabilityReport(all(c.holds for c in out), rho, out, poly)


@provenance("M", source=_PG, where="our A-T5(i)")
def copying_ai_stability(alpha: float, kappa: float) -> StabilityReport:
    """Stability of the copying-AI recurrence (``steps_ahead = 0``); see :func:`coevolution_stability` [M].

    Companion matrix :math:`[[1-\\alpha-\\kappa, \\kappa],[1,0]]`; stable iff :math:`\\alpha>0`,
    :math:`|\\kappa|<1`, :math:`\\alpha+2\\kappa<2` (our A-T5(i)).

    Returns
    -------
    StabilityReport

    Raises
    ------
    InvalidInputError
        Non-finite parameters.

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> r = copying_ai_stability(0.001, 2.0)
    >>> r.stable, round(r.spectral_radius, 4)
    (False, 2.0007)
    """
    return coevolution_stability(alpha, kappa, 0)


@provenance("M", source=_PG, where="our A-T5(i) (implicit-function expansion)")
def first_order_spectral_radius(alpha: float, kappa: float) -> Bound:
    """First-order spectral radius :math:`1-\\alpha/(1+\\kappa)` of the copying-AI recurrence [M].

    Valid as :math:`\\alpha\\to0` with :math:`\\kappa\\in(-1,1)` fixed while the root near 1 dominates,
    roughly :math:`\\alpha<(1+\\kappa)(1-|\\kappa|)`; error :math:`O(\\alpha^2)` (our A-T5(i)).

    Returns
    -------
    Bound
        ``kind="asymptotic"``; ``.sympy()`` gives :math:`1-\\alpha/(1+\\kappa)`.

    Raises
    ------
    InvalidInputError
        :math:`\\kappa \\notin (-1, 1]`, non-finite input.

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> b = first_order_spectral_radius(0.01, 0.5)
    >>> round(float(b), 6), b.kind, b.sympy()
    (0.993333, 'asymptotic', -alpha/(kappa + 1) + 1)
    """
    a = V.check_scalar("alpha", alpha)
    kap = V.check_scalar("kappa", kappa, lo=-1.0, hi=1.0)
    if kap == -1.0:
        raise InvalidInputError("kappa", "must be > -1")
    value = 1.0 - a / (1.0 + kap)
    if not np.isfinite(value):
        raise PrecisionError("alpha: 1 - alpha/(1 + kappa) overflows float64")

    def expr():
        import sympy as sp

        al, ka = sp.symbols("alpha kappa", real=True)
        return 1 - al / (1 + ka)

    return Bound(value, kind="asymptotic", quantity="spectral radius of the copying-AI recurrence",
                 assumptions=("alpha -> 0", "|kappa| < 1", "alpha < (1 + kappa)(1 - |kappa|) roughly"),
                 source=_PG, where="our A-T5(i)", provenance="M", expr=expr, subs={"alpha": a, "kappa": kap})


@provenance("M", source=_PG, where="our A-T5(iii)")
def steady_state_lag(alpha: float, kappa: float, drift: float, steps_ahead: int = 0) -> Bound:
    """Steady tracking lag :math:`L = p_t - h_t = v(1+\\kappa(1-m))/\\alpha` under drift :math:`p_t=p_0+vt` [M].

    Our A-T5(iii): a copying AI (``m = 0``) inflates the no-AI lag :math:`v/\\alpha` by
    :math:`1+\\kappa`, a one-step predictor removes the inflation. Defined only for stable
    parameters.

    Parameters
    ----------
    alpha, kappa : float
        Influence weights of the progress signal (:math:`\\alpha > 0`) and of the AI, as in
        :func:`coevolution_stability`.
    drift : float
        Drift :math:`v` of the target, :math:`p_t = p_0 + vt`.
    steps_ahead : int, default 0
        :math:`m`, as in :func:`coevolution_stability` (``0``: copying AI).

    Returns
    -------
    Bound
        ``kind="exact"``; ``.sympy()`` gives the closed form.

    Raises
    ------
    InvalidInputError
        :math:`\\alpha \\le 0` (``alpha = 0`` is lock-in: see :func:`lock_in_limit`), non-finite input.
    UnstableParametersError
        Parameters outside the Jury region; carries ``spectral_radius`` and ``failed_conditions``.
    PrecisionError
        The lag overflows float64.

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> round(float(steady_state_lag(0.2, 0.3, 0.1, 0)), 12)
    0.65
    >>> steady_state_lag(0.2, 0.3, 0.1, 2)
    Traceback (most recent call last):
    ...
    aligntheory.errors.UnstableParametersError: unstable parameters: spectral radius 1 >= 1; failed: -P(-1) > 0
    """
    a = V.check_scalar("alpha", alpha)
    if not a > 0:
        raise InvalidInputError("alpha", "must be > 0 (alpha = 0 is lock-in: see lock_in_limit)", received=a)
    v = V.check_scalar("drift", drift)
    rep = coevolution_stability(a, kappa, steps_ahead)
    if not rep.stable:
        raise UnstableParametersError(rep.spectral_radius, rep.failed_conditions)
    kap, m = float(kappa), int(steps_ahead)
    with np.errstate(over="ignore", invalid="ignore"):
        value = float(np.float64(v) * (1.0 + kap * (1 - m)) / a)
    if not np.isfinite(value):
        raise PrecisionError("drift, alpha: the steady lag overflows float64")

    def expr():
        import sympy as sp

        al, ka, vv, mm = sp.symbols("alpha kappa v m", real=True)
        return vv * (1 + ka * (1 - mm)) / al

    return Bound(value, kind="exact", quantity="steady lag p_t - h_t",
                 assumptions=("stable parameters (Jury conditions)", "drift p_t = p_0 + v t", "noise-free"),
                 source=_PG, where="our A-T5(iii)", provenance="M", expr=expr,
                 subs={"alpha": a, "kappa": kap, "v": v, "m": m})


@provenance("M", source=_PG, where="our A-T5(ii)")
def lock_in_limit(kappa: float, h0: Any, h_prev: Any) -> Any:
    """Lock-in limit :math:`(h_0+\\kappa h_{-1})/(1+\\kappa)` of the copying-AI recurrence at :math:`\\alpha=0` [M].

    At :math:`\\alpha=0` the quantity :math:`h_t+\\kappa h_{t-1}` is invariant, so the limit depends
    only on the initial state, whatever the progress signal (our A-T5(ii)). Requires
    :math:`|\\kappa|<1` (the other root, :math:`-\\kappa`, must decay). Works elementwise on arrays.

    Returns
    -------
    float, or ndarray of the shape of ``h0``
        The exact value (the float inputs taken as exact rationals) rounded once to float64: correctly
        rounded also where :math:`h_0+\\kappa h_{-1}` cancels, and finite whenever the limit is
        (``lock_in_limit(-0.5, 1.7e308, 1.7e308)`` is ``1.7e308`` although :math:`h_0/(1+\\kappa)` is not).

    Raises
    ------
    InvalidInputError
        :math:`|\\kappa| \\ge 1`, shapes differ, non-finite input.
    PrecisionError
        The limit itself exceeds the float64 range.

    Notes
    -----
    :math:`O(d)` big-integer operations (with :math:`\\kappa=a/2^s`, the limit is
    :math:`(2^s h_0 + a h_{-1})/(2^s + a)`, one correctly rounded integer division per entry).

    Examples
    --------
    >>> lock_in_limit(0.6, 3.0, 1.0)
    2.25
    """
    kap = V.check_scalar("kappa", kappa)
    if not abs(kap) < 1:
        raise InvalidInputError("kappa", "must satisfy |kappa| < 1 for the limit to exist", received=kap)
    h0a = V.as_float_array("h0", h0)
    hpa = V.as_float_array("h_prev", h_prev, shape=h0a.shape)
    # exact: the two float64 terms h0 / (1 + kappa) + kappa / (1 + kappa) * h_prev overflowed where the limit
    # does not (kappa = -0.5, h0 = h_prev = 1.7e308) and cancelled where h0 + kappa h_prev is small
    q = Fraction(kap)  # a / 2^s with 2^s + a > 0 since kappa > -1
    out = _exact_combination([q.denominator, q.numerator], np.stack([h0a, hpa]), divisor=q.denominator + q.numerator)
    if not np.all(np.isfinite(out)):
        raise PrecisionError("h0, h_prev: the lock-in limit (h0 + kappa h_prev) / (1 + kappa) exceeds the float64 "
                             "range")
    return float(out) if out.ndim == 0 else out

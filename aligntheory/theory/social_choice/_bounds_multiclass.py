"""Generalization bounds G4 (k-ary outcomes, Natarajan dimension) and G6 (the binary product class) [M].

Split from ``_bounds`` (G1--G3 and the growth-function bound), whose validation and log-safe helpers these
calculators share; the same conventions hold (spec ``social_choice.md`` §3.1): utilities in :math:`[0,1]`,
:math:`N` i.i.d. (individual, issue) pairs, values computed with logarithms, returned as
:class:`aligntheory.results.Bound`. :func:`clipped` caps any bound at 1.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from aligntheory import _validate as V
from aligntheory.results import Bound, provenance
from aligntheory.theory.social_choice._bounds import (
    _IID,
    _SSBD,
    _bound,
    _delta,
    _growth_value,
    _int_text,
    _log2_over_delta,
    _mp_value,
    _n,
    _representable,
    _sqrt_ratio,
)

__all__ = ["natarajan_deviation", "product_class_deviation", "clipped"]


@provenance("M", source=_SSBD, where="Lemma 29.4 (Natarajan) with Thm 26.5")
def natarajan_deviation(n_samples: int, nat_dim: int, n_alternatives: int, delta: float) -> Bound:
    """G4: uniform deviation for :math:`k`-ary outcomes and Natarajan dimension :math:`d_N` [M].

    .. math:: \\varepsilon_{\\rm N}(N) = 2\\sqrt{\\frac{2(d_N\\ln N + 2 d_N\\ln k)}{N}} + \\sqrt{\\frac{\\ln(2/\\delta)}{2N}}

    from Natarajan's lemma :math:`\\Pi(N)\\le N^{d_N}k^{2d_N}` (Shalev-Shwartz & Ben-David 2014,
    Lemma 29.4; spec §3.1 G4). It holds for any :math:`[0,1]` utility, every scoring vector included.

    Parameters
    ----------
    n_samples : int
        Any :math:`N \\ge 1`.
    nat_dim : int
        :math:`d_N \\ge 0`.
    n_alternatives : int
        Outcomes per issue :math:`k \\ge 2`.
    delta : float

    Returns
    -------
    Bound

    Raises
    ------
    InvalidInputError
    PrecisionError
        The bound exceeds the float64 range (possible only for :math:`d_N` beyond about
        :math:`10^{615} N`, a Python int; such a bound is vacuous).

    Notes
    -----
    :math:`O(1)`. Where :math:`d_N\\ln(Nk^2)` leaves the float64 range (``nat_dim=10**400``) the
    bound is evaluated in mpmath (30 digits).

    Examples
    --------
    >>> round(float(natarajan_deviation(50, 1, 3, 0.05)), 12)
    1.180740244848
    """
    n = _n(n_samples)
    dn = V.check_int("nat_dim", nat_dim, lo=0)
    k = V.check_int("n_alternatives", n_alternatives, lo=2)
    dl = _delta(delta)
    lg = dn * math.log(n) + 2.0 * dn * math.log(k) if dn < 2**1000 else math.inf
    if math.isfinite(lg):
        value = _growth_value(n, lg, dl)
    else:  # d_N ln(N k^2) leaves the float64 range (d_N ~ 10**400); the bound may not
        value = _representable(_mp_value(lambda mp: 2 * mp.sqrt(2 * dn * (mp.log(n) + 2 * mp.log(k)) / n)
                                          + mp.sqrt((mp.log(2) - mp.log(mp.mpf(dl))) / (2 * n))),
                               "natarajan_deviation", "eps_N(N)")
    return _bound(value, quantity="uniform deviation Delta_S",
                  assumptions=_IID + (f"{_int_text(k)}-ary outcomes", f"Natarajan dimension {_int_text(dn)}",
                                      f"with probability >= 1 - {dl!r}"),
                  where="Lemma 29.4, Thm 26.5", form="G4", subs={"N": n, "d_N": dn, "k": k, "delta": dl})


@provenance("M", source=_SSBD, where="Cor. 4.6 with |F| = 2^Q")
def product_class_deviation(n_samples: int, n_issues: int, delta: float) -> Bound:
    """G6: G1 for the full product class :math:`\\{0,1\\}^{\\mathcal Q}`, :math:`|\\mathcal F| = 2^Q` [M].

    .. math:: \\varepsilon = \\sqrt{\\frac{Q\\ln 2 + \\ln(2/\\delta)}{2N}}

    The G1 sample size grows linearly in :math:`Q` (spec §3.1 G6; the [S] summary's "more expressive
    policies need more samples").

    Parameters
    ----------
    n_samples : int
    n_issues : int
        :math:`Q \\ge 1`.
    delta : float

    Returns
    -------
    Bound

    Raises
    ------
    InvalidInputError
    PrecisionError
        The bound exceeds the float64 range (possible only for :math:`Q` beyond about
        :math:`10^{617} N`, a Python int; such a bound is vacuous).

    Notes
    -----
    :math:`O(1)`. For :math:`Q \\ge 2^{1000}` (where :math:`Q\\ln 2` may leave the float64 range) the
    bound is evaluated in mpmath (30 digits).

    Examples
    --------
    >>> from aligntheory.theory.social_choice import finite_class_deviation
    >>> product_class_deviation(100, 10, 0.05) == finite_class_deviation(100, 2**10, 0.05)
    True
    """
    q = V.check_int("n_issues", n_issues, lo=1)
    n = _n(n_samples)
    d = _delta(delta)
    if q < 2**1000:
        value = _sqrt_ratio((q * math.log(2.0) + _log2_over_delta(d)) / 2.0, n)
    else:  # Q ln 2 leaves the float64 range (Q ~ 10**400); the bound may not
        value = _representable(_mp_value(lambda mp: mp.sqrt((q * mp.log(2) + mp.log(2) - mp.log(mp.mpf(d))) / (2 * n))),
                               "product_class_deviation", "sqrt((Q ln 2 + ln(2/delta)) / (2N))")
    return _bound(value,
                  quantity="uniform deviation Delta_S",
                  assumptions=_IID + (f"binary product class on {_int_text(q)} issues", f"with probability >= 1 - {d!r}"),
                  where="Cor. 4.6", form="G6", subs={"N": n, "F": 2**q if q < 4096 else f"2**{_int_text(q)}", "delta": d})


@provenance("M", where="a deviation of [0, 1] utilities never exceeds 1")
def clipped(value: Any) -> Any:
    """A bound capped at 1 (a deviation of :math:`[0,1]` utilities never exceeds 1) [M].

    The bound functions never clip silently; call this explicitly.

    Parameters
    ----------
    value : Bound or float
        Non-negative.

    Returns
    -------
    Bound or float
        A :class:`Bound` stays a :class:`Bound` (same metadata, value :math:`\\min(v, 1)`).

    Raises
    ------
    InvalidInputError

    Examples
    --------
    >>> from aligntheory.theory.social_choice import vc_deviation
    >>> float(clipped(vc_deviation(50, 1, 0.05))), clipped(0.25)
    (1.0, 0.25)
    """
    if isinstance(value, Bound):
        v = V.check_scalar("value", value.value, nonnegative=True)
        return dataclasses.replace(value, value=min(v, 1.0)) if v > 1.0 else value
    v = V.check_scalar("value", value, nonnegative=True)
    return min(v, 1.0)

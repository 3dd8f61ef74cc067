"""Derivatives of the compression rates in l (our Propositions E2-E5), the elasticity ratio and the
balance ("Hooke") residual, with the stable closed forms of spec ``elasticity.md`` §3."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.results import provenance
from aligntheory.theory.elasticity._validation import RATIO_UNDEFINED_REL, _kl_args, _support_error, _triple


@provenance("M", where="spec elasticity.md §4.1 (result object)")
class ElasticityDerivatives(NamedTuple):
    """:math:`(\\gamma_p', \\gamma_a', \\gamma_t')`: derivatives in :math:`l` of the three compression rates (nats)."""

    d_p: float
    d_a: float
    d_t: float


@provenance("M", where="spec elasticity.md §4.1 (result object)")
class DerivativeScales(NamedTuple):
    """Term scales :math:`c^{-2}\\sum_x P_t|\\mathrm{num}_i|/q_l` of the three stable forms."""

    d_p: float
    d_a: float
    d_t: float


_SCALE_AT = 1e150


def _terms(Pp, Pa, Pt, k, l):
    # Above 1e150 the sizes (k, 1, l) are divided by s = max(k, l) (every term is homogeneous of degree 0
    # after dividing the sum by c; the caller divides by s at the end), so c = k + 1 + l cannot overflow;
    # below, s = 1 and the arithmetic is exactly the unscaled stable form.
    s = max(k, l) if max(k, l) > _SCALE_AT else 1.0
    one, k, l = 1.0 / s, k / s, l / s
    c = k + one + l
    m = Pt > 0
    u = k * Pp[m] + one * Pa[m] + l * Pt[m]  # c * q_l on supp P_t
    if np.any(u <= 0):
        idx = int(np.flatnonzero(m)[np.flatnonzero(u <= 0)[0]])
        raise _support_error("P_t", idx, "q_l = 0 where P_t > 0 (derivative undefined)")
    pt = Pt[m]
    num_p = one * Pa[m] + l * pt - (one + l) * Pp[m]
    num_a = k * Pp[m] + l * pt - (k + l) * Pa[m]
    num_t = k * Pp[m] + one * Pa[m] - (k + one) * pt
    return c, pt, u, num_p, num_a, num_t, s


def _finite(name: str, d: list[float], k: float, l: float) -> list[float]:
    # P_t / q_l beyond the float64 range (q_l tiny on supp P_t, e.g. k = 1e-310 on a leaf of P_p alone): the true
    # derivative exceeds float64; refuse instead of returning inf or nan
    if not all(np.isfinite(d)):
        raise PrecisionError(f"{name}: a derivative leaves the float64 range at k = {k!r}, l = {l!r} (P_t / q_l "
                             f"overflows where q_l is tiny on supp P_t); got {tuple(d)}")
    return d


@provenance("M", where="Proposition E2 (aligntheory), spec elasticity.md §3")
def elasticity_derivatives(P_p: Any, P_a: Any, P_t: Any, k: Any, l: Any) -> ElasticityDerivatives:
    """Derivatives :math:`(\\gamma_p', \\gamma_a', \\gamma_t')` in :math:`l`, stable closed forms [M].

    Our Proposition E2 (aligntheory), motivated by Ji et al. (arXiv 2406.06144) Thm 4.2 (as reported in
    secondary summaries), which is stated for these derivatives:

    .. math:: \\gamma_i'(l) = \\frac1c\\sum_x P_t\\,\\frac{q_l - P_i}{q_l}, \\quad
       \\gamma_p' = \\frac{1}{c^2}\\sum_x P_t\\frac{P_a+lP_t-(1+l)P_p}{q_l},\\;
       \\gamma_a' = \\frac{1}{c^2}\\sum_x P_t\\frac{kP_p+lP_t-(k+l)P_a}{q_l},\\;
       \\gamma_t' = \\frac{1}{c^2}\\sum_x P_t\\frac{kP_p+P_a-(k+1)P_t}{q_l}.

    The numerators are formed before dividing, so :math:`\\gamma_p' = O(k^{-2})` keeps full
    relative precision (the form :math:`(1-\\sum P_iP_t/q)/c` cancels catastrophically).
    Natural logarithms; derivatives with :math:`N_a` fixed, so :math:`d/dN_t = N_a^{-1}d/dl`.

    Parameters
    ----------
    P_p, P_a, P_t : array_like, shape (M,)
    k : float
        :math:`N_p/N_a > 0`.
    l : float
        :math:`N_t/N_a \\ge 0`.

    Returns
    -------
    ElasticityDerivatives
        NamedTuple ``(d_p, d_a, d_t)``.

    Raises
    ------
    InvalidInputError
        Not probability vectors, mismatched shapes, :math:`k \\le 0`, :math:`l < 0`, or
        :math:`q_l = 0` where :math:`P_t > 0` ("support").
    PrecisionError
        A derivative beyond the float64 range (:math:`P_t/q_l` overflows where :math:`q_l` is tiny on
        supp :math:`P_t`).

    Notes
    -----
    :math:`O(M)`. Each derivative is accurate to about :math:`(M+10)\\varepsilon` times its term scale
    (:func:`derivative_scales`).

    Examples
    --------
    >>> d = elasticity_derivatives([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 1.0, 0.0)
    >>> [round(v, 12) for v in d]  # (d_p, d_a, d_t)
    [-0.5, 0.5, -1.5]
    """
    Pp, Pa, Pt = _triple(P_p, P_a, P_t)
    k, l = _kl_args(k, l)
    c, pt, u, num_p, num_a, num_t, s = _terms(Pp, Pa, Pt, k, l)
    with np.errstate(over="ignore", invalid="ignore"):
        d = [float(np.sum(pt * n / u) / c / s) for n in (num_p, num_a, num_t)]
    return ElasticityDerivatives(*_finite("elasticity_derivatives", d, k, l))


@provenance("M", where="spec elasticity.md §3 E5 and §7 (scaled tolerances)")
def derivative_scales(P_p: Any, P_a: Any, P_t: Any, k: Any, l: Any) -> DerivativeScales:
    """Term scales :math:`c^{-2}\\sum_x P_t|\\text{numerator}_i|/q_l` of the stable forms [M].

    Used for scaled tolerances (spec §3 E5, §7 "ratio undefined"): a derivative below about
    :math:`M\\varepsilon` times its scale is rounding noise.

    Parameters
    ----------
    P_p, P_a, P_t : array_like, shape (M,)
    k : float
        > 0.
    l : float
        >= 0.

    Returns
    -------
    DerivativeScales
        NamedTuple ``(d_p, d_a, d_t)``.

    Raises
    ------
    InvalidInputError
        As :func:`elasticity_derivatives`.
    PrecisionError
        As :func:`elasticity_derivatives`.

    Notes
    -----
    :math:`O(M)`.

    Examples
    --------
    >>> [round(v, 12) for v in derivative_scales([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 1.0, 0.0)]
    [0.5, 0.5, 1.5]
    """
    Pp, Pa, Pt = _triple(P_p, P_a, P_t)
    k, l = _kl_args(k, l)
    c, pt, u, num_p, num_a, num_t, s = _terms(Pp, Pa, Pt, k, l)
    with np.errstate(over="ignore", invalid="ignore"):
        d = [float(np.sum(pt * np.abs(n) / u) / c / s) for n in (num_p, num_a, num_t)]
    return DerivativeScales(*_finite("derivative_scales", d, k, l))


@provenance("R", source="ji2024language", where="Thm 4.2 (as reported in secondary summaries); R = -gamma_a'/gamma_p' is our reading")
def elasticity_ratio(P_p: Any, P_a: Any, P_t: Any, k: Any, l: Any) -> float:
    """Elasticity ratio :math:`R = -\\gamma_a'/\\gamma_p'` with the stable forms [R].

    Ji et al. (arXiv 2406.06144) Thm 4.2 states :math:`\\gamma_a' = \\Theta(-k\\gamma_p')` (as
    reported in secondary summaries); in our reading :math:`R(0) = k` exactly (our Proposition E4),
    :math:`k \\le R \\le (k+l(1+\\chi^2))/(1-l\\chi^2)` in the opposite-behaviour model (our bound E6)
    and :math:`R \\to cA/(A+l\\chi^2)` (our Proposition E7). If :math:`P_t = P_a` then
    :math:`A=\\chi^2(P_a\\|P_p)\\ge0`: the signs reverse (:math:`\\gamma_p'>0>\\gamma_a'`) but R stays positive.


    Parameters
    ----------
    P_p, P_a, P_t : array_like, shape (M,)
    k : float
        > 0.
    l : float
        >= 0.

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        "ratio undefined" when :math:`|\\gamma_p'|` is below :math:`10^{-14}` times its term scale
        :math:`\\sum_{P_t>0} P_t\\,(P_a+lP_t+(1+l)P_p)/(c\\,u)` (the un-cancelled magnitude of its
        terms, :math:`u = kP_p+P_a+lP_t`; this includes :math:`A+l\\chi^2=0` and :math:`P_t=P_p=P_a` at
        every l); and the errors of
        :func:`elasticity_derivatives` (complex input is refused, never truncated).

    Notes
    -----
    :math:`O(M)`. The relative error is about :math:`(M+10)\\varepsilon` times the sum of the
    condition numbers (term scale / value) of :math:`\\gamma_a'` and :math:`\\gamma_p'`.

    Examples
    --------
    >>> elasticity_ratio([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 10.0, 0.0)
    10.0
    """
    Pp, Pa, Pt = _triple(P_p, P_a, P_t)
    k, l = _kl_args(k, l)
    c, pt, u, num_p, num_a, _, s = _terms(Pp, Pa, Pt, k, l)  # the common factor 1/s cancels in the ratio
    dp = float(np.sum(pt * num_p / u) / c)
    # the term scale is the UN-cancelled magnitude of num_p = P_a + l P_t - (1 + l) P_p (same 1/s scaling): where
    # the three parts cancel exactly (P_a = P_t = P_p) num_p is rounding noise, and |num_p| would be noise too
    m = Pt > 0
    mag = (Pa[m] + l * pt + (1.0 + l) * Pp[m]) / s
    scale = float(np.sum(pt * mag / u) / c)
    if not abs(dp) > RATIO_UNDEFINED_REL * scale or scale == 0.0:
        raise InvalidInputError("P_t", "ratio undefined: |gamma_p'| is below 1e-14 times its term scale "
                                "(A + l chi^2 = 0 or P_t = P_p)", received=f"gamma_p' = {dp!r}, scale {scale!r}")
    da = float(np.sum(pt * num_a / u) / c)
    ratio = -da / dp
    if not np.isfinite(ratio):  # R grows like k: near the top of the float64 range it overflows
        raise PrecisionError(f"elasticity_ratio: the ratio overflows float64 at k = {k!r} "
                             f"(gamma_a' = {da!r}, gamma_p' = {dp!r})")
    return ratio


@provenance("M", where="Proposition E3 (aligntheory), spec elasticity.md §3")
def hooke_residual(P_p: Any, P_a: Any, P_t: Any, k: Any, l: Any) -> float:
    """Left-hand side of the balance ("Hooke") identity :math:`k\\gamma_p'+\\gamma_a'+l\\gamma_t'` [M].

    Our Proposition E3: it is 0 for every triple, i.e.
    :math:`\\sum_i N_i\\,d\\,D_{KL}(P_i\\|q)/dN_t = 0` (data first, model second); the precise form
    of the Hooke analogy of Ji et al. (arXiv 2406.06144) §4, as reported in secondary summaries.

    Parameters
    ----------
    P_p, P_a, P_t : array_like, shape (M,)
    k : float
        > 0.
    l : float
        >= 0.

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        As :func:`elasticity_derivatives`.

    Notes
    -----
    :math:`O(M)`.

    Examples
    --------
    >>> abs(hooke_residual([0.2, 0.3, 0.5], [0.6, 0.2, 0.2], [0.1, 0.1, 0.8], 7.0, 0.3)) < 1e-15
    True
    """
    k, l = _kl_args(k, l)
    dp, da, dt = elasticity_derivatives(P_p, P_a, P_t, k, l)
    return k * dp + da + l * dt

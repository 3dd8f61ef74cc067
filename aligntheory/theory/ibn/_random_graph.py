"""Random-graph hop counts and the Lambert-W connectivity boundary of spec ``ibn.md`` §3.4 [M].

Standard mathematics with citations (Fronczak, Fronczak & Hołyst 2004; Chung & Lu 2001) used by
the reconstructed chain-vs-tree mechanism model of :mod:`._mechanism`.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import scipy.special
import sympy as sp

from aligntheory import _validate as V
from aligntheory.errors import AsymptoticRangeWarning, InvalidInputError
from aligntheory.results import provenance
from aligntheory.theory.ibn import _graph as G

__all__ = [
    "er_hops_fronczak",
    "er_hops_asymptotic",
    "connectivity_granularity",
    "closed_form_connectivity_granularity",
    "n_for_granularity",
    "EULER_GAMMA",
]

EULER_GAMMA = float(np.euler_gamma)
"""Euler's constant :math:`\\gamma` (float64)."""


def _check_asymptotic_n(n: Any, name: str = "n") -> float:
    nv = V.check_scalar(name, n, positive=True)
    if nv < 100:
        raise InvalidInputError(name, "must be >= 100 for the asymptotic model (range [100, inf); "
                                "below 1000 an AsymptoticRangeWarning is issued)", received=nv)
    if _mconn(nv) < 20:  # pragma: no cover - implied by n >= 100
        raise InvalidInputError(name, "gives M_conn(n) < 20: outside the asymptotic range", received=nv)
    if nv < 1000:
        warnings.warn(f"{name}={nv:g} < 1000: the asymptotic hop-count model is a poor approximation here",
                      AsymptoticRangeWarning, stacklevel=3)
    return nv


def _check_M_c(M: Any, c: Any) -> tuple[float, float]:
    m = V.check_scalar("n_nodes", M, positive=True)
    cv = V.check_scalar("mean_degree", c, positive=True)
    if m < 20:
        raise InvalidInputError("n_nodes", "must be >= 20 nodes for the random-graph hop formula (range [20, inf))",
                                received=m)
    if cv <= 1:
        raise InvalidInputError("mean_degree", "must be > 1 (range (1, inf)): no giant component otherwise",
                                received=cv)
    if cv >= m:
        raise InvalidInputError("mean_degree", f"must be < n_nodes = {m:g} (a simple graph's mean degree)",
                                received=cv)
    if m < 100:
        warnings.warn(f"n_nodes={m:g} < 100: the hop-count formula is a poor approximation here",
                      AsymptoticRangeWarning, stacklevel=3)
    return m, cv


def _fronczak(m, c):
    return (np.log(m) - EULER_GAMMA) / np.log(c) + 0.5


@provenance("M", source="fronczak2004average", where="Eq. (average path length of random graphs)")
def er_hops_fronczak(n_nodes: Any, mean_degree: Any) -> float:
    """Finite-size mean hop distance in an Erdős–Rényi graph (Fronczak et al. 2004) [M].

    .. math:: \\bar\\ell_{\\rm Fr}(M,c) = \\frac{\\ln M - \\gamma}{\\ln c} + \\frac12

    with :math:`M` nodes, mean degree :math:`c` and :math:`\\gamma` Euler's constant. Spec
    ``ibn.md`` §3.4 (ii); checked against simulated graphs by claim ``ibn.er_hop_count_fronczak``.

    Parameters
    ----------
    n_nodes : float
        Number of nodes :math:`M`, >= 20 (an :class:`AsymptoticRangeWarning` below 100).
    mean_degree : float
        Mean degree :math:`c`, in ``(1, n_nodes)``.

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        Outside those ranges, non-finite input.

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> round(er_hops_fronczak(1000.0, 4.0), 10)
    5.0665190537
    """
    m, cv = _check_M_c(n_nodes, mean_degree)
    return float(_fronczak(m, cv))


@provenance("M", source="fronczak2004average", where="leading order ln M / ln c (Chung & Lu 2001)")
def er_hops_asymptotic(n_nodes: Any, mean_degree: Any) -> float:
    """Leading-order typical distance :math:`\\ln M/\\ln c` in a sparse random graph (Chung & Lu 2001) [M].

    Spec ``ibn.md`` §3.4 (ii). Off by 2--10% at practical sizes (use :func:`er_hops_fronczak`).

    Parameters
    ----------
    n_nodes : float
        Number of nodes :math:`M`, >= 20.
    mean_degree : float
        Mean degree :math:`c`, in ``(1, n_nodes)``.

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        Outside those ranges, non-finite input.

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> er_hops_asymptotic(1024.0, 4.0)
    5.0
    """
    m, cv = _check_M_c(n_nodes, mean_degree)
    return float(np.log(m) / np.log(cv))


def _lambertw(x: float) -> float:
    return float(np.real(scipy.special.lambertw(x)))


def _w_of_2n(n: float) -> float:
    """:math:`W(2n)`, also where :math:`2n` overflows (Newton on :math:`w+\\ln w=\\ln 2+\\ln n`)."""
    if n < 1e300:
        return _lambertw(2.0 * n)
    target = np.log(2.0) + np.log(n)
    w = target - np.log(target)
    for _ in range(50):
        step = (w + np.log(w) - target) / (1.0 + 1.0 / w)
        w -= step
        if abs(step) <= 4e-16 * w:
            break
    return float(w)


def _mconn(n: float) -> float:
    w = _w_of_2n(n)
    # 2n / W(2n) = exp(W(2n)); the exponential form is exact where 2n/W underflows (n near 1e-300),
    # and n / (W/2) keeps 2n from overflowing near the top of the range
    return float(np.exp(w)) if w < 1e-3 else n / (0.5 * w)


@provenance("M", source="fronczak2004average", where="connectivity threshold c = ln M; spec ibn.md §3.4 (iii)")
def connectivity_granularity(n_comparisons: Any) -> float:
    """Number of clusters at the connectivity boundary of a chain dataset [M].

    .. math:: M_{\\rm conn}(n) = \\frac{2n}{W(2n)} = e^{W(2n)}, \\qquad
              \\ln M_{\\rm conn} = c_{\\rm conn} = W(2n)

    solves :math:`M\\ln M = 2n` (mean degree :math:`c=2n/M` equal to :math:`\\ln M`); :math:`W` is
    the principal Lambert function (:func:`scipy.special.lambertw`). Spec ``ibn.md`` §3.4 (iii).
    The closed form is :func:`closed_form_connectivity_granularity`.

    Parameters
    ----------
    n_comparisons : float
        Number of comparisons :math:`n > 0`.

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        ``n_comparisons <= 0`` or non-finite.

    Notes
    -----
    :math:`O(1)` (one Lambert-W evaluation, accurate to a few ulps).

    Examples
    --------
    >>> round(connectivity_granularity(1e3), 2)
    342.66
    """
    return _mconn(V.check_scalar("n_comparisons", n_comparisons, positive=True))


_nsym = sp.Symbol("n", positive=True)


@provenance("M", source="fronczak2004average", where="connectivity threshold c = ln M; spec ibn.md §3.4 (iii)")
def closed_form_connectivity_granularity(n_comparisons: Any = None) -> sp.Expr:
    """Closed form :math:`M_{\\rm conn}(n) = 2n/W(2n)` as a sympy expression [M].

    Parameters
    ----------
    n_comparisons : number or sympy expression, optional
        Substituted for the positive symbol ``n`` when given (numbers must be > 0).

    Returns
    -------
    sympy.Expr

    Raises
    ------
    InvalidInputError
        Strings, non-positive numbers.

    Examples
    --------
    >>> closed_form_connectivity_granularity()
    2*n/LambertW(2*n)
    """
    if n_comparisons is None:
        x = _nsym
    else:
        x = G.sympy_value("n_comparisons", n_comparisons)
        if x.is_number and not (x.is_real and x > 0 and x.is_finite):
            raise InvalidInputError("n_comparisons", "must be > 0", received=str(x))
    return 2 * x / sp.LambertW(2 * x)


@provenance("M", source="fronczak2004average", where="inverse of M ln M = 2n; spec ibn.md §3.4")
def n_for_granularity(M: Any) -> float:
    """Budget whose connectivity granularity is :math:`M` [M]: :math:`n = \\tfrac12 M\\ln M`.

    Inverse of :func:`connectivity_granularity` (spec ``ibn.md`` §3.4).

    Parameters
    ----------
    M : float
        Number of clusters, > 1.

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        ``M <= 1`` or non-finite.
    PrecisionError
        :math:`\\tfrac12 M\\ln M` overflows float64.

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> n_for_granularity(np.e ** 2)
    7.38905609893...
    """
    m = V.check_scalar("M", M, positive=True)
    if m <= 1:
        raise InvalidInputError("M", "must be > 1", received=m)
    with np.errstate(over="ignore"):  # the overflow is reported as PrecisionError below, not as a RuntimeWarning
        out = 0.5 * m * np.log(m)
    if not np.isfinite(out):
        from aligntheory.errors import PrecisionError

        raise PrecisionError(f"n = M ln M / 2 overflows float64 (M = {m:.3g})")
    return float(out)

"""Metrics of the empirical protocol (spec ``elasticity.md`` §4.2 metrics 1 and 5): the continuous
two-segment fit and the first crossing of a level (numpy)."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from aligntheory import _validate as VA
from aligntheory.errors import InvalidInputError
from aligntheory.results import provenance

__all__ = ["TwoSegmentFit", "two_segment_fit", "first_crossing"]

MAX_POINTS = 10**4
"""Default cap on the curve length of :func:`two_segment_fit` (it builds a (T, T) design: O(T^2) memory)."""


@provenance("R", source="ji2024language", where="§5 rebound (as reported in secondary summaries); our metric, spec "
            "elasticity.md §4.2 metric 1")
class TwoSegmentFit(NamedTuple):
    """Breakpoint ``b``, slopes ``s1`` (before) and ``s2`` (after), ``rho = s1/s2`` and the residual ``sse``."""

    b: int
    s1: float
    s2: float
    rho: float
    sse: float


@provenance("R", source="ji2024language", where="§5 rebound (as reported in secondary summaries); our metric, spec "
            "elasticity.md §4.2 metric 1")
def two_segment_fit(y: Any, b_min: int = 5, b_max: int | None = None, *, max_points: int = MAX_POINTS) -> TwoSegmentFit:
    """Continuous two-segment linear least-squares fit of ``y(s)``, exhaustive over the breakpoint [R].

    Spec §4.2 metric 1: for every :math:`b\\in[b_{\\min}, T-b_{\\min}]` regress
    :math:`y(s)=\\beta_0+s_1 s+(s_2-s_1)(s-b)_+` and keep the least residual.

    Parameters
    ----------
    y : array_like, shape (T + 1,)
    b_min, b_max : int
        Breakpoint range (default ``[b_min, T - b_min]``).
    max_points : int
        Cap on ``T + 1`` (the design is :math:`O(T^2)` memory), checked before any allocation.

    Returns
    -------
    TwoSegmentFit
        ``b``, ``s1``, ``s2``, ``rho = s1/s2`` (``inf`` when ``s2 = 0``) and ``sse``.

    Raises
    ------
    InvalidInputError
        Fewer than ``2 b_min + 2`` points, non-finite or complex entries.
    SizeCapError
        More than ``max_points`` points.

    Notes
    -----
    :math:`O(T^2)` time and memory (all breakpoints at once).

    Examples
    --------
    >>> s = np.arange(101.0)
    >>> f = two_segment_fit(np.where(s < 30, 2 * s, 60 + 0.5 * (s - 30)))
    >>> f.b, round(f.s1, 9), round(f.s2, 9), round(f.rho, 9)
    (30, 2.0, 0.5, 4.0)
    """
    Y = VA.as_float_array("y", y, ndim=1)
    VA.check_size("y", Y.size, cap=max_points, unit="points")
    T = Y.size - 1
    b_max = T - b_min if b_max is None else b_max
    if T < 2 * b_min + 1 or b_max < b_min:
        raise InvalidInputError("y", f"needs at least {2 * b_min + 2} points", received=Y.size)
    s = np.arange(T + 1, dtype=np.float64)
    bs = np.arange(b_min, b_max + 1, dtype=np.float64)
    H = np.maximum(s[None, :] - bs[:, None], 0.0)  # (B, T+1)
    n = float(T + 1)
    S1, S2, Sy = s.sum(), (s * s).sum(), Y.sum()
    Ssy = (s * Y).sum()
    Hs, Hh, Hsum, Hy = H @ s, (H * H).sum(axis=1), H.sum(axis=1), H @ Y
    A = np.zeros((bs.size, 3, 3))
    A[:, 0, 0], A[:, 0, 1], A[:, 0, 2] = n, S1, Hsum
    A[:, 1, 1], A[:, 1, 2], A[:, 2, 2] = S2, Hs, Hh
    A[:, 1, 0], A[:, 2, 0], A[:, 2, 1] = A[:, 0, 1], A[:, 0, 2], A[:, 1, 2]
    rhs = np.stack([np.full(bs.size, Sy), np.full(bs.size, Ssy), Hy], axis=1)
    beta = np.linalg.solve(A, rhs[..., None])[..., 0]
    pred = beta[:, 0:1] + beta[:, 1:2] * s[None, :] + beta[:, 2:3] * H
    sse = ((pred - Y[None, :]) ** 2).sum(axis=1)
    i = int(np.argmin(sse))
    s1, s2 = float(beta[i, 1]), float(beta[i, 1] + beta[i, 2])
    return TwoSegmentFit(int(bs[i]), s1, s2, s1 / s2 if s2 != 0 else math.inf, float(sse[i]))


@provenance("R", source="ji2024language", where="Table 3 (as reported in secondary summaries); our metric, spec "
            "elasticity.md §4.2 metric 5")
def first_crossing(y: Any, level: float) -> int | None:
    """First index ``s`` with ``y[s] >= level`` (spec §4.2 :math:`s_\\times`), or None.

    Parameters
    ----------
    y : array_like, shape (T + 1,)
        Finite real values.
    level : float
        Finite level.

    Returns
    -------
    int or None

    Raises
    ------
    InvalidInputError
        Non-finite or complex entries, non-finite level.

    Notes
    -----
    :math:`O(T)`.

    Examples
    --------
    >>> first_crossing([0.0, 1.0, 2.0, 3.0], 1.5)
    2
    """
    Y = VA.as_float_array("y", y, ndim=1)
    idx = np.flatnonzero(Y >= VA.check_scalar("level", level))
    return int(idx[0]) if idx.size else None



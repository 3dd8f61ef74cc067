"""Metrics of the empirical protocol (spec ``elasticity.md`` §4.2 metrics 1 and 5): the continuous
two-segment fit and the first crossing of a level (numpy)."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from aligntheory import _validate as VA
from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.results import provenance

__all__ = ["TwoSegmentFit", "two_segment_fit", "two_segment_fit_batched", "first_crossing", "first_crossing_batched"]

MAX_POINTS = 10**4
"""Default cap on the curve length of :func:`two_segment_fit` (it builds a (T, T) design: O(T^2) memory)."""


def _b_max_error(T: int, b_min: int, b_max: int) -> InvalidInputError:
    """The refusal of ``b_max`` outside ``[b_min, T - b_min]`` (a curve long enough for ``b_min``)."""
    return InvalidInputError("b_max", f"must be an integer in [b_min, T - b_min] = [{b_min}, {T - b_min}] (at "
                             "least b_min steps on each side of the breakpoint)", received=b_max)


def _rescaled(Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``Y = c + 2^e Z`` along the last axis: ``c`` the lower median of the row, ``max|Z|`` in [1/2, 1) (``Z = 0``
    for a constant row).

    Both scalings are by powers of two (exact; an entry below ``2^-1022 max|y|`` may lose bits that are below
    the row's precision anyway), and the differences from ``c`` carry half an ulp each, so a fit of ``Z``
    does not see the offset ``c`` (no cancellation) nor the scale of ``y`` (no overflow or underflow of
    the squares). Returns ``(Z, e)`` with ``e`` of shape ``Y.shape[:-1] + (1,)``.
    """
    k = (Y.shape[-1] - 1) // 2
    e1 = np.frexp(np.max(np.abs(Y), axis=-1, keepdims=True))[1]
    D = np.ldexp(Y, -e1)  # max |D| in [1/2, 1)
    D -= np.partition(D, k, axis=-1)[..., k:k + 1]  # |D| < 2: no overflow
    e2 = np.frexp(np.max(np.abs(D), axis=-1, keepdims=True))[1]
    return np.ldexp(D, -e2, out=D), e1 + e2


def _scaled_back(where: str, e: np.ndarray, z1: np.ndarray, z2: np.ndarray, zsse: np.ndarray, b: np.ndarray,
                 rho: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Slopes ``2^e z`` and residual ``2^(2e) zsse`` of the original curves (exact unless they leave the float64
    range); PrecisionError where one overflows, never ``inf``."""
    with np.errstate(over="ignore", under="ignore"):
        s1, s2, sse = np.ldexp(z1, e), np.ldexp(z2, e), np.ldexp(zsse, 2 * e)
    bad = ~(np.isfinite(s1) & np.isfinite(s2) & np.isfinite(sse))
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        what = "the residual sum of squares" if np.isfinite(s1[i]) and np.isfinite(s2[i]) else "a slope"
        raise PrecisionError(
            f"{where}: {what} of the fit exceeds the float64 range at this scale of the curve (row {i}: "
            f"breakpoint {int(b[i])}, rho = {float(rho[i])!r}, residual 2^{2 * int(e[i])} x {float(zsse[i])!r} "
            "on the rescaled curve); divide the curve by a constant (the breakpoint and rho do not change)")
    return s1, s2, sse


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
        Finite real values.
    b_min : int, default 5
        Least number of steps on each side of the breakpoint, an integer >= 1 (each segment then has
        at least two points, so every fit is determined); ``y`` needs ``T >= 2 b_min + 1``.
    b_max : int, optional
        Last breakpoint tried, an integer in ``[b_min, T - b_min]`` (default ``T - b_min``).
    max_points : int, default 10_000
        Cap on ``T + 1`` (the design is :math:`O(T^2)` memory, ``MAX_POINTS``), checked before any allocation.

    Returns
    -------
    TwoSegmentFit
        ``b``, ``s1``, ``s2``, ``rho = s1/s2`` (``inf`` when ``s2 = 0``) and ``sse``.

    Raises
    ------
    InvalidInputError
        Fewer than ``2 b_min + 2`` points, non-finite or complex entries; ``b_min`` not an integer
        >= 1; ``b_max`` not an integer in ``[b_min, T - b_min]``.
    SizeCapError
        More than ``max_points`` points.
    PrecisionError
        A slope or ``sse`` beyond the float64 range (never returned as ``inf``). The ``sse`` is beyond
        it when the residuals are, and for every curve above roughly ``1e160`` in magnitude, where its
        rounding error alone (about :math:`(T+1)\\,\\epsilon^2\\max|y|^2`) is: divide ``y`` by a
        constant (``b`` and ``rho`` do not change).

    Notes
    -----
    :math:`O(T^2)` time and memory (all breakpoints at once). Scale- and shift-equivariant: the fit
    runs on :math:`z = (y - c)/2^e`, ``c`` the lower median entry of ``y`` and :math:`2^e` the power of
    two with :math:`\\max|z|\\in[1/2, 1)` (power-of-two scalings are exact, each difference rounds
    once), and maps back :math:`s_i = 2^e s_i(z)`, :math:`\\mathrm{sse} = 4^e\\,\\mathrm{sse}(z)`;
    ``b`` and ``rho`` are those of :math:`z`. So an offset costs no cancellation, the squares neither
    overflow nor underflow, and ``y``, ``y + c`` and ``a y`` have the same breakpoint up to the rounding
    of the data (an ``sse`` below the float64 range underflows to 0, as the exact value does).

    Examples
    --------
    >>> s = np.arange(101.0)
    >>> f = two_segment_fit(np.where(s < 30, 2 * s, 60 + 0.5 * (s - 30)))
    >>> f.b, round(f.s1, 9), round(f.s2, 9), round(f.rho, 9)
    (30, 2.0, 0.5, 4.0)
    >>> g = two_segment_fit(1e-300 * np.where(s < 30, 2 * s, 60 + 0.5 * (s - 30)))
    >>> g.b, round(g.s1 / 1e-300, 9), g.sse
    (30, 2.0, 0.0)
    """
    Y = VA.as_float_array("y", y, ndim=1)
    VA.check_size("y", Y.size, cap=max_points, unit="points")
    T = Y.size - 1
    b_min = VA.check_int("b_min", b_min, lo=1)
    b_max = T - b_min if b_max is None else VA.check_int("b_max", b_max)
    if T < 2 * b_min + 1 or b_max < b_min or b_max > T - b_min:
        if T < 2 * b_min + 1:
            raise InvalidInputError("y", f"needs at least {2 * b_min + 2} points", received=Y.size)
        raise _b_max_error(T, b_min, b_max)
    Z, e = _rescaled(Y)  # y = c + 2^e Z: the fit of Z is the fit of y, offset and scale removed exactly
    s = np.arange(T + 1, dtype=np.float64)
    bs = np.arange(b_min, b_max + 1, dtype=np.float64)
    H = np.maximum(s[None, :] - bs[:, None], 0.0)  # (B, T+1)
    n = float(T + 1)
    S1, S2, Sy = s.sum(), (s * s).sum(), Z.sum()
    Ssy = (s * Z).sum()
    Hs, Hh, Hsum, Hy = H @ s, (H * H).sum(axis=1), H.sum(axis=1), H @ Z
    A = np.zeros((bs.size, 3, 3))
    A[:, 0, 0], A[:, 0, 1], A[:, 0, 2] = n, S1, Hsum
    A[:, 1, 1], A[:, 1, 2], A[:, 2, 2] = S2, Hs, Hh
    A[:, 1, 0], A[:, 2, 0], A[:, 2, 1] = A[:, 0, 1], A[:, 0, 2], A[:, 1, 2]
    rhs = np.stack([np.full(bs.size, Sy), np.full(bs.size, Ssy), Hy], axis=1)
    beta = np.linalg.solve(A, rhs[..., None])[..., 0]
    pred = beta[:, 0:1] + beta[:, 1:2] * s[None, :] + beta[:, 2:3] * H
    sse = ((pred - Z[None, :]) ** 2).sum(axis=1)
    i = int(np.argmin(sse))
    z1, z2 = float(beta[i, 1]), float(beta[i, 1] + beta[i, 2])
    rho = z1 / z2 if z2 != 0 else math.inf  # on the rescaled curve: exact even where s1, s2 underflow
    s1, s2, sse_y = _scaled_back("two_segment_fit", e, np.array([z1]), np.array([z2]), sse[i:i + 1], bs[i:i + 1],
                                 np.array([rho]))
    return TwoSegmentFit(int(bs[i]), float(s1[0]), float(s2[0]), float(rho), float(sse_y[0]))


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


REFINE = 8
"""Candidates per curve whose residual :func:`two_segment_fit_batched` recomputes exactly."""


@provenance("R", source="ji2024language", where="§5 rebound (as reported in secondary summaries); our metric, spec "
            "elasticity.md §4.2 metric 1")
def two_segment_fit_batched(Y: Any, b_min: int = 5, b_max: int | None = None, *,
                            max_points: int = 10**8) -> TwoSegmentFit:
    """:func:`two_segment_fit` of every row of ``Y`` in :math:`O(B\\,T)` [R].

    The same continuous two-segment least-squares fit, exhaustive over the breakpoint, with the
    normal equations of every breakpoint in closed form: on the rescaled axis
    :math:`u = (s - T/2)/T` the sums of :math:`h = (u - u_b)_+` and :math:`h^2`, :math:`hu` are
    polynomials in :math:`m = T - b`, and :math:`\\sum_s h_s y_s` comes from reverse cumulative
    sums of :math:`y` and :math:`u y`. The residual :math:`\\|y\\|^2 - \\beta^\\top X^\\top y`
    (after centring :math:`y`) ranks the breakpoints; the ``REFINE`` best are recomputed from
    explicit residuals, so the chosen breakpoint is the exact least-squares one unless more than
    ``REFINE`` breakpoints tie to rounding.

    Parameters
    ----------
    Y : array_like, shape (B, T + 1)
        Finite real curves.
    b_min : int, default 5
        Least number of steps on each side of the breakpoint, an integer >= 1; every row needs
        ``T >= 2 b_min + 1``.
    b_max : int, optional
        Last breakpoint tried, an integer in ``[b_min, T - b_min]`` (default ``T - b_min``).
    max_points : int, default 100_000_000
        Cap on ``B (T + 1)``, checked before any allocation.

    Returns
    -------
    TwoSegmentFit
        Fields as arrays of shape (B,): ``b`` (int), ``s1``, ``s2``, ``rho`` (``inf`` where
        ``s2 = 0``), ``sse``.

    Raises
    ------
    InvalidInputError
        Not two-dimensional, fewer than ``2 b_min + 2`` points, non-finite or complex entries;
        ``b_min`` not an integer >= 1; ``b_max`` not an integer in ``[b_min, T - b_min]``.
    SizeCapError
        More than ``max_points`` entries.
    PrecisionError
        A slope or ``sse`` of some row beyond the float64 range (as for :func:`two_segment_fit`).

    Notes
    -----
    :math:`O(B\\,T)` time and memory (against :math:`O(T^2)` per curve for :func:`two_segment_fit`).
    Each row is fitted as :math:`(y - c)/2^e` and mapped back, as in :func:`two_segment_fit` (scale- and
    shift-equivariant breakpoints, no overflow of the squares).

    Examples
    --------
    >>> s = np.arange(101.0)
    >>> f = two_segment_fit_batched(np.stack([np.where(s < 30, 2 * s, 60 + 0.5 * (s - 30)),
    ...                                       np.where(s < 70, -s, -70 - 4 * (s - 70))]))
    >>> f.b.tolist(), np.round(f.rho, 9).tolist()
    ([30, 70], [4.0, 0.25])
    """
    Y = VA.as_float_array("Y", Y, ndim=2)
    VA.check_size("Y", Y.size, cap=max_points, unit="entries")
    nb, n = Y.shape
    T = n - 1
    b_min = VA.check_int("b_min", b_min, lo=1)
    b_max = T - b_min if b_max is None else VA.check_int("b_max", b_max)
    if T < 2 * b_min + 1 or b_max < b_min or b_max > T - b_min:
        if T < 2 * b_min + 1:
            raise InvalidInputError("Y", f"needs at least {2 * b_min + 2} points per row", received=n)
        raise _b_max_error(T, b_min, b_max)
    Z, e = _rescaled(Y)  # Y = c + 2^e Z row by row: offset and scale removed exactly
    u = (np.arange(n, dtype=np.float64) - T / 2) / T
    bs = np.arange(b_min, b_max + 1)
    m = (T - bs).astype(np.float64)
    ub = (bs - T / 2) / T
    Hsum = m * (m + 1) / 2 / T
    Hh = m * (m + 1) * (2 * m + 1) / 6 / T**2
    Hu = Hh + ub * Hsum
    Yc = Z - Z.mean(axis=1, keepdims=True)
    # reverse cumulative sums over s > b
    R0 = np.cumsum(Yc[:, ::-1], axis=1)[:, ::-1]
    R1 = np.cumsum((Yc * u)[:, ::-1], axis=1)[:, ::-1]
    R0b = np.concatenate([R0[:, 1:], np.zeros((nb, 1))], axis=1)[:, bs]
    R1b = np.concatenate([R1[:, 1:], np.zeros((nb, 1))], axis=1)[:, bs]
    Hy = R1b - ub * R0b  # (B, nbs)
    S1, S2 = u.sum(), (u * u).sum()
    A = np.zeros((bs.size, 3, 3))
    A[:, 0, 0], A[:, 0, 1], A[:, 0, 2] = n, S1, Hsum
    A[:, 1, 1], A[:, 1, 2], A[:, 2, 2] = S2, Hu, Hh
    A[:, 1, 0], A[:, 2, 0], A[:, 2, 1] = A[:, 0, 1], A[:, 0, 2], A[:, 1, 2]
    Ainv = np.linalg.inv(A)  # (nbs, 3, 3), shared by every curve
    rhs = np.stack([np.broadcast_to(Yc.sum(axis=1)[:, None], Hy.shape),
                    np.broadcast_to((Yc * u).sum(axis=1)[:, None], Hy.shape), Hy], axis=2)
    beta = np.einsum("kij,bkj->bki", Ainv, rhs)
    sse_fast = (Yc * Yc).sum(axis=1)[:, None] - np.einsum("bki,bki->bk", beta, rhs)
    K = min(REFINE, bs.size)
    cand = np.argpartition(sse_fast, K - 1, axis=1)[:, :K]  # (B, K)
    bc = beta[np.arange(nb)[:, None], cand]  # (B, K, 3)
    H = np.maximum(u[None, None, :] - ub[cand][:, :, None], 0.0)  # (B, K, n)
    resid = Yc[:, None, :] - bc[..., 0:1] - bc[..., 1:2] * u[None, None, :] - bc[..., 2:3] * H
    sse = (resid * resid).sum(axis=2)
    j = np.argmin(sse, axis=1)
    best = bc[np.arange(nb), j]
    z1, z2 = best[:, 1] / T, (best[:, 1] + best[:, 2]) / T
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rho = np.where(z2 != 0, z1 / np.where(z2 != 0, z2, 1.0), np.inf)  # on the rescaled curves
    b = bs[cand[np.arange(nb), j]].astype(np.int64)
    s1, s2, sse_y = _scaled_back("two_segment_fit_batched", e[:, 0], z1, z2, sse[np.arange(nb), j], b, rho)
    return TwoSegmentFit(b, s1, s2, rho, sse_y)


@provenance("R", source="ji2024language", where="Table 3 (as reported in secondary summaries); our metric, spec "
            "elasticity.md §4.2 metric 5")
def first_crossing_batched(Y: Any, levels: Any) -> np.ndarray:
    """:func:`first_crossing` of every row: first ``s`` with ``Y[b, s] >= levels[b]``, ``-1`` where none.

    Parameters
    ----------
    Y : array_like, shape (B, T + 1)
    levels : array_like, shape (B,)

    Returns
    -------
    numpy.ndarray of int, shape (B,)
        ``-1`` marks a curve that never reaches its level.

    Raises
    ------
    InvalidInputError
        Non-finite or complex entries, mismatched shapes.

    Notes
    -----
    :math:`O(B\\,T)`.

    Examples
    --------
    >>> first_crossing_batched([[0.0, 1.0, 2.0], [0.0, 0.0, 0.0]], [1.5, 1.0]).tolist()
    [2, -1]
    """
    Yv = VA.as_float_array("Y", Y, ndim=2)
    L = VA.as_float_array("levels", levels, ndim=1)
    if L.shape != (Yv.shape[0],):
        raise InvalidInputError("levels", f"must have shape ({Yv.shape[0]},)", received=f"shape {L.shape}")
    hit = Yv >= L[:, None]
    return np.where(hit.any(axis=1), np.argmax(hit, axis=1), -1).astype(np.int64)

"""Extrapolation estimators of progress alignment: our A-T1 to A-T4 (spec ``progress_and_safety.md``).

An order-``k`` extrapolation uses the last ``k + 1`` equispaced points and predicts
``m = steps_ahead`` steps past the last one; it is what ProgressGym's extrapolative DPO/RLHF does to
each pair's vote sequence (Qiu et al., arXiv 2406.20087).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import AlignTheoryError, InvalidInputError, PrecisionError
from aligntheory.results import Bound, provenance

__all__ = [
    "MAX_ORDER",
    "MAX_RECURRENCE_WORK",
    "extrapolation_coefficients",
    "lagrange_extrapolation_weights",
    "extrapolate",
    "extrapolate_by_recurrence",
    "extrapolation_error_bound",
    "noise_gain",
    "OrderChoice",
    "optimal_order",
]

_PG = "qiu2024progressgym"

MAX_ORDER = 200
"""Largest extrapolation order accepted (the exact weights cost :math:`O(k^2)` big-integer products)."""

MAX_RECURRENCE_WORK = 10**6
"""Default cap on ``(order + 1) * steps_ahead`` for the literal recurrence (keyword ``max_work``)."""

def _order(order: Any) -> int:
    return V.check_int("order", order, lo=0, hi=MAX_ORDER)


def _steps(steps_ahead: Any) -> int:
    return V.check_int("steps_ahead", steps_ahead, lo=1)


@provenance("M", source=_PG, where="extrapolative DPO/RLHF (reference code); our A-T1")
def extrapolation_coefficients(order: int) -> np.ndarray:
    """Coefficients of the vanishing-difference recurrence, exact integers [M].

    .. math:: c_i^{(k)} = \\binom{k+1}{i}(-1)^{k-i},\\quad i=0..k, \\qquad
              x_{n+1} = \\sum_i c_i^{(k)} x_{n-k+i}\\ \\Leftrightarrow\\ \\Delta^{k+1}x = 0.

    Our A-T1 (from :math:`(E-1)^{k+1}=0`); the recurrence is what ProgressGym's extrapolative
    algorithms apply to vote sequences (arXiv 2406.20087, reference code).

    Parameters
    ----------
    order : int
        :math:`0 \\le k \\le 60` (int64 range of the coefficients).

    Returns
    -------
    ndarray of int64, shape (k+1,)
        Oldest point first.

    Raises
    ------
    InvalidInputError
        ``order`` not an integer in [0, 60].

    Notes
    -----
    :math:`O(k)`.

    Examples
    --------
    >>> extrapolation_coefficients(2).tolist()
    [1, -3, 3]
    >>> int(extrapolation_coefficients(5).sum())
    1
    """
    k = V.check_int("order", order, lo=0, hi=60)
    return np.array([math.comb(k + 1, i) * (-1) ** (k - i) for i in range(k + 1)], dtype=np.int64)


def _lagrange_fractions(k: int, m: int) -> list[Fraction]:
    x = k + m
    out = []
    for j in range(k + 1):
        w = Fraction(1)
        for i in range(k + 1):
            if i != j:
                w *= Fraction(x - i, j - i)
        out.append(w)
    return out


def _float_weights(fr: list[Fraction], k: int, m: int) -> np.ndarray:
    try:
        return np.array([float(f) for f in fr], dtype=np.float64)
    except OverflowError as exc:
        raise PrecisionError(f"order, steps_ahead: the order-{k}, {m}-step Lagrange weights exceed the float64 range "
                             "(use exact=True for exact integers)") from exc


@provenance("M", source=_PG, where="our A-T1 (iterated recurrence = Lagrange extrapolation)")
def lagrange_extrapolation_weights(order: int, steps_ahead: int, *, exact: bool = False):
    """Lagrange weights extrapolating the last ``order+1`` equispaced points ``steps_ahead`` steps ahead [M].

    .. math:: \\ell_j(k+m) = \\prod_{i\\ne j} \\frac{k+m-i}{j-i},\\quad j = 0..k,

    with nodes :math:`0..k` (node :math:`k` is the newest). Iterating the order-``k`` recurrence
    ``m`` times gives exactly these weights (our A-T1).

    Parameters
    ----------
    order : int
        :math:`0 \\le k \\le` :data:`MAX_ORDER`.
    steps_ahead : int
        :math:`m \\ge 1`.
    exact : bool, default False
        Return a list of :class:`sympy.Rational` instead of float64 (the weights are integers).

    Returns
    -------
    ndarray of float64, shape (k+1,), or list of sympy.Rational

    Raises
    ------
    InvalidInputError
        Bad order or horizon.
    PrecisionError
        A weight exceeds the float64 range (``exact=False``).

    Notes
    -----
    :math:`O(k^2)` big-integer products.

    Examples
    --------
    >>> lagrange_extrapolation_weights(1, 2).tolist()
    [-2.0, 3.0]
    >>> lagrange_extrapolation_weights(2, 1, exact=True)
    [1, -3, 3]
    """
    k, m = _order(order), _steps(steps_ahead)
    fr = _lagrange_fractions(k, m)
    if exact:
        import sympy as sp

        return [sp.Rational(f.numerator, f.denominator) for f in fr]
    return _float_weights(fr, k, m)


def _exact_combination(weights: Sequence[int], rows: np.ndarray, divisor: int = 1) -> np.ndarray:
    """``sum_j weights[j] * rows[j] / divisor`` elementwise, exact, rounded once to float64.

    ``weights`` are Python integers (one per row of ``rows``, shape ``(n, ...)``) and ``divisor`` a positive
    integer. Every float64 is an integer times a power of two, so the weighted sum is an exact big integer
    times ``2**e0``; the one division by ``divisor`` (Python's ``int / int``) is correctly rounded, subnormal
    results included. Entries whose exact value exceeds the float64 range come back as ``+-inf`` (the caller
    raises). No cancellation error whatever the signs: ``[0.3, 0.2, 0.1]`` at order 2 gives the exact
    ``fl(0.3) - 3 fl(0.2) + 3 fl(0.1)``, not a rounding residue.
    """
    rows = np.asarray(rows, dtype=np.float64)
    flat = rows.reshape(rows.shape[0], -1)
    mant, expo = np.frexp(flat)
    imant = np.ldexp(mant, 53).astype(np.int64)  # |mant| < 1: exact 53-bit integers
    e = expo.astype(np.int64) - 53
    e0 = int(e.min()) if e.size else 0
    acc = np.zeros(flat.shape[1], dtype=object)
    for wj, im, sh in zip(weights, imant, e - e0):
        if wj:
            acc = acc + int(wj) * (im.astype(object) << sh.astype(object))
    num_shift, den = (e0, int(divisor)) if e0 >= 0 else (0, int(divisor) << -e0)

    def one(s: int) -> float:
        try:
            return (s << num_shift) / den
        except OverflowError:
            return math.inf if s > 0 else -math.inf

    return np.array([one(int(s)) for s in acc], dtype=np.float64).reshape(rows.shape[1:])


def _window(values: Any, k: int, allow_order_reduction: bool) -> tuple[np.ndarray, int]:
    arr = V.as_float_array("values", values)
    if arr.ndim not in (1, 2):
        raise InvalidInputError("values", "must have shape (n,) or (n, d)", received=f"shape {arr.shape}")
    n = arr.shape[0]
    if n < k + 1:
        if not allow_order_reduction or n == 0:
            raise InvalidInputError(
                "values", f"an order-{k} extrapolation needs at least order+1 = {k + 1} points "
                "(pass allow_order_reduction=True to lower the order as ProgressGym does)", received=f"{n} points")
        k = n - 1
    return arr[n - k - 1:], k


@provenance("M", source=_PG, where="extrapolative DPO/RLHF; our A-T1")
def extrapolate(values: Any, order: int, steps_ahead: int, *, allow_order_reduction: bool = False) -> np.ndarray:
    """Polynomial extrapolation of the last ``order+1`` equispaced values, ``steps_ahead`` steps ahead [M].

    .. math:: \\hat x_{n+m} = \\sum_{j=0}^{k} \\ell_j(k+m)\\, x_{n-k+j}

    Our A-T1; equals iterating ProgressGym's vanishing-difference recurrence ``m`` times
    (arXiv 2406.20087, extrapolative DPO/RLHF).

    Parameters
    ----------
    values : array_like, shape (n,) or (n, d)
        Oldest first; each column is extrapolated separately.
    order : int
        :math:`k \\ge 0`; needs :math:`n \\ge k+1`.
    steps_ahead : int
        :math:`m \\ge 1`.
    allow_order_reduction : bool, default False
        Lower the order to ``n - 1`` when too few points are given (ProgressGym does this
        silently; here it must be asked for).

    Returns
    -------
    ndarray of float64, shape () or (d,)
        The exact value of the weighted sum (exact integer weights, the float inputs taken as exact
        rationals) rounded once to float64: correctly rounded, also where the sum cancels
        (``[0.3, 0.2, 0.1]`` at order 2 gives ``fl(0.3) - 3 fl(0.2) + 3 fl(0.1)`` exactly, about ``-2.8e-17``).

    Raises
    ------
    InvalidInputError
        Too few points, non-finite or complex values, bad order or horizon.
    PrecisionError
        The extrapolated value overflows float64.

    Notes
    -----
    :math:`O(k^2 + k d)` big-integer operations (of at most about ``2100 + log2 max|w_j|`` bits).

    Examples
    --------
    >>> float(extrapolate([1.0, 4.0, 9.0], order=2, steps_ahead=1))  # t^2 at t = 1, 2, 3 -> 16
    16.0
    >>> extrapolate([[0.0, 1.0], [1.0, 1.0]], order=1, steps_ahead=2).tolist()
    [3.0, 1.0]
    """
    k, m = _order(order), _steps(steps_ahead)
    win, k = _window(values, k, allow_order_reduction)
    # exact integer weights and an exact sum rounded once: a float64 dot product cancels catastrophically
    # (the weights alternate in sign), e.g. [0.3, 0.2, 0.1] at order 2 gave -3.3e-17 for -2.8e-17
    out = _exact_combination([f.numerator for f in _lagrange_fractions(k, m)], win)
    if not np.all(np.isfinite(out)):
        raise PrecisionError("values: the extrapolated value exceeds the float64 range")
    return out


@provenance("S", source=_PG, where="extrapolative DPO/RLHF reference code (the literal recurrence)")
def extrapolate_by_recurrence(values: Sequence[Any], order: int, steps_ahead: int, *,
                              max_work: int = MAX_RECURRENCE_WORK) -> Any:
    """Iterate the order-``k`` vanishing-difference recurrence ``m`` times in exact arithmetic [S].

    The literal algorithm of ProgressGym's reference code (integer coefficients
    :func:`extrapolation_coefficients`), run on Python ints or :class:`fractions.Fraction` so that
    no rounding occurs.

    Parameters
    ----------
    values : sequence of int or Fraction, length >= order+1
    order, steps_ahead : int
    max_work : int, default 1_000_000
        Cap on :math:`(k+1)m` multiply-adds, checked before any work (``MAX_RECURRENCE_WORK``).

    Returns
    -------
    int or Fraction
        The value at ``n + m``.

    Raises
    ------
    InvalidInputError
        Too few values, bad order or horizon, ``max_work`` not an integer >= 1.
    SizeCapError
        :math:`(k+1)m` exceeds ``max_work``.

    Notes
    -----
    :math:`O(k m)` exact operations.

    Examples
    --------
    >>> extrapolate_by_recurrence([1, 4, 9], 2, 2)  # t^2 at t = 5
    25
    """
    k, m = _order(order), _steps(steps_ahead)
    max_work = V.check_int("max_work", max_work, lo=1)  # compared below: None or "10" raised a raw TypeError
    V.check_size("steps_ahead", (k + 1) * m, cap=max_work, unit="multiply-adds")
    if isinstance(values, (str, bytes)):
        raise InvalidInputError("values", "must be a sequence of integers or fractions", received=type(values).__name__)
    vals = list(values)
    for x in vals:
        if isinstance(x, bool) or not isinstance(x, (int, np.integer, Fraction)):
            raise InvalidInputError("values", "entries must be integers or fractions.Fraction (exact arithmetic)",
                                    received=type(x).__name__)
    vals = [int(x) if isinstance(x, np.integer) else x for x in vals]
    if len(vals) < k + 1:
        raise InvalidInputError("values", f"needs at least order+1 = {k + 1} points", received=f"{len(vals)} points")
    coeffs = [math.comb(k + 1, i) * (-1) ** (k - i) for i in range(k + 1)]
    win = vals[len(vals) - k - 1:]
    for _ in range(m):
        nxt = sum(c * x for c, x in zip(coeffs, win))
        win = win[1:] + [nxt]
    return win[-1]


def _exact_bound(k: int, m: int, h: float, M: float) -> float:
    """C(m+k, k+1) M h^(k+1) rounded once to float64 (exact rational product of the float inputs)."""
    try:
        return float(math.comb(m + k, k + 1) * Fraction(M) * Fraction(h) ** (k + 1))
    except OverflowError:
        raise PrecisionError("h, deriv_bound: the bound exceeds the float64 range") from None


@provenance("M", source=_PG, where="our A-T3 (interpolation remainder)")
def extrapolation_error_bound(order: int, steps_ahead: int, h: float, deriv_bound: float) -> Bound:
    """Deterministic error bound of order-``k``, ``m``-step extrapolation (our A-T3) [M].

    .. math:: |f(t_n+mh) - p(t_n+mh)| \\le \\binom{m+k}{k+1} M_{k+1} h^{k+1},\\quad
              M_{k+1} = \\sup_I |f^{(k+1)}|,

    on :math:`I=[t_n-kh, t_n+mh]` (interpolation remainder). Attained by
    :math:`f(t)=t^{k+1}` for every ``m``.

    Parameters
    ----------
    order, steps_ahead : int
    h : float
        Step size, > 0.
    deriv_bound : float
        :math:`M_{k+1} \\ge 0`.

    Returns
    -------
    Bound
        ``kind="upper"``; ``.sympy()`` gives the closed form in ``k, m, h, M``.

    Raises
    ------
    InvalidInputError
        Bad arguments.
    PrecisionError
        The bound exceeds the float64 range.

    Notes
    -----
    The value is the exact product of ``C(m+k, k+1)``, ``deriv_bound`` and ``h^(k+1)`` (the float inputs taken
    as exact rationals) rounded once to float64, so it is correctly rounded even where ``h^(k+1)`` alone would
    underflow (tiny ``h``, huge ``deriv_bound``); a bound below the smallest subnormal rounds to 0.
    :math:`O(k)` big-integer products (of at most about 1100 (k + 1) bits).

    Examples
    --------
    >>> b = extrapolation_error_bound(1, 1, 0.5, 2.0)  # C(2,2) * 2 * 0.25
    >>> float(b), b.kind
    (0.5, 'upper')
    >>> b.sympy()
    M*h**(k + 1)*binomial(k + m, k + 1)
    """
    k, m = _order(order), _steps(steps_ahead)
    h = V.check_scalar("h", h, positive=True)
    M = V.check_scalar("deriv_bound", deriv_bound, nonnegative=True)
    value = _exact_bound(k, m, h, M)

    def expr():
        import sympy as sp

        kk, mm, hh, MM = sp.symbols("k m h M", positive=True)
        return sp.binomial(mm + kk, kk + 1) * MM * hh ** (kk + 1)

    return Bound(value, kind="upper", quantity="|f(t_n + m h) - p(t_n + m h)|",
                 assumptions=("f is C^{k+1} on [t_n - k h, t_n + m h]", "M >= sup |f^{(k+1)}| there",
                              "equispaced nodes"),
                 source=_PG, where="our A-T3", provenance="M", expr=expr, subs={"k": k, "m": m, "h": h, "M": M})


@provenance("M", source=_PG, where="our A-T4 (noise amplification)")
def noise_gain(order: int, steps_ahead: int) -> Bound:
    """Noise gain :math:`\\|w\\|^2` of the extrapolation weights, exact integer (our A-T4) [M].

    .. math:: \\mathrm{Var}\\,\\hat y = \\sigma^2 \\|w\\|^2,\\qquad
              \\|w\\|^2 = \\binom{2k+2}{k+1} - 1 \\text{ for } m = 1.

    Returns
    -------
    Bound
        ``kind="exact"`` with an ``int`` value; ``.sympy()`` gives the closed form for ``m = 1``.

    Raises
    ------
    InvalidInputError
        Bad order or horizon.
    PrecisionError
        The gain exceeds the float64 range (the exact weights are still available).

    Notes
    -----
    :math:`O(k^2)` exact integer products.

    Examples
    --------
    >>> g = noise_gain(2, 1)  # 1 + 9 + 9 = C(6,3) - 1
    >>> int(g), g.sympy()
    (19, binomial(2*k + 2, k + 1) - 1)
    >>> int(noise_gain(2, 2))  # weights (3, -8, 6)
    109
    """
    k, m = _order(order), _steps(steps_ahead)
    s = sum(f * f for f in _lagrange_fractions(k, m))
    if s.denominator != 1:  # the weights are integers (binomial products); anything else is a bug
        raise AlignTheoryError(f"noise_gain: internal error, non-integer gain {s} for order {k}, horizon {m}")
    try:  # a Bound must behave as a float64 number: refuse exactly the integers float() cannot hold
        float(s.numerator)
    except OverflowError:
        raise PrecisionError(f"order, steps_ahead: the noise gain (about 2^{s.numerator.bit_length()}) exceeds the "
                             "float64 range; use lagrange_extrapolation_weights(exact=True) for exact weights") from None
    expr = None
    if m == 1:
        def expr():
            import sympy as sp

            kk = sp.Symbol("k", integer=True, nonnegative=True)
            return sp.binomial(2 * kk + 2, kk + 1) - 1
    return Bound(int(s), kind="exact", quantity="||w||^2 (variance of the extrapolant / sigma^2)",
                 assumptions=("independent errors of equal variance",), source=_PG, where="our A-T4",
                 provenance="M", expr=expr, subs={"k": k, "m": m})


@provenance("M", source=_PG, where="our A-T4")
@dataclass(frozen=True)
class OrderChoice:
    """Result of :func:`optimal_order`.

    Attributes
    ----------
    order : int
        Argmin of the upper bound (bias bound squared plus variance), taken on the exact rational values.
    bound : ndarray, shape (max_order+1,)
        The objective for each order, its exact value rounded once to float64; ``inf`` marks an order whose
        objective exceeds the float64 range (such an order is never chosen; when every order overflows,
        :class:`PrecisionError` is raised), and an objective below the smallest subnormal rounds to 0 (the
        order is still compared exactly).
    exact_order : int or None
        Argmin of the exact MSE when ``f`` was supplied (on the exact rational values).
    exact_mse : ndarray or None
        Exact MSE for each order (``f`` supplied), rounded once to float64.
    """

    order: int
    bound: np.ndarray
    exact_order: int | None = None
    exact_mse: np.ndarray | None = field(default=None)


def _round_fraction(q: Fraction) -> float:
    """``q`` rounded once to float64 (Python's correctly rounded ``int / int``); ``+-inf`` past the range."""
    try:
        return float(q)
    except OverflowError:
        return math.inf if q > 0 else -math.inf


def _deriv_bound(deriv_bounds: Any, j: int) -> float:
    if callable(deriv_bounds):
        val = deriv_bounds(j)
    else:
        seq = list(deriv_bounds)
        if j >= len(seq):
            raise InvalidInputError("deriv_bounds", f"needs entries M_0..M_{j} (index j = sup |f^(j)|)",
                                    received=f"length {len(seq)}")
        val = seq[j]
    return V.check_scalar(f"deriv_bounds[{j}]", val, nonnegative=True)


@provenance("M", source=_PG, where="our A-T4 (optimal order by enumeration)")
def optimal_order(h: float, sigma: float, deriv_bounds: Callable[[int], float] | Sequence[float],
                  steps_ahead: int = 1, max_order: int = 10, *, f: Callable[[np.ndarray], Any] | None = None,
                  t_last: float = 0.0) -> OrderChoice:
    """Order minimising the MSE bound of noisy extrapolation, by exact enumeration (our A-T4) [M].

    .. math:: k^* = \\arg\\min_{0\\le k\\le k_{\\max}} \\binom{m+k}{k+1}^2 M_{k+1}^2 h^{2k+2}
              + \\sigma^2 \\|w_k\\|^2

    With ``f`` supplied, also the exact-MSE argmin of
    :math:`(f(t_n+mh) - w\\cdot f(t))^2 + \\sigma^2\\|w\\|^2` with :math:`t_n` = ``t_last``.
    Ties go to the smaller order. Never iterates (no ``ConvergenceError``).

    Parameters
    ----------
    h, sigma : float
        Step > 0, noise standard deviation >= 0.
    deriv_bounds : callable j -> M_j, or sequence indexed by j
        :math:`M_j = \\sup|f^{(j)}|`; entries ``1..max_order+1`` are used.
    steps_ahead : int, default 1
        Horizon :math:`m \\ge 1`.
    max_order : int, default 10
        Largest order tried, :math:`0 \\le k_{\\max} \\le 60`.
    f : callable, optional
        Vectorised function of time for the exact MSE.
    t_last : float, default 0.0
        Time of the newest observation.

    Returns
    -------
    OrderChoice

    Raises
    ------
    InvalidInputError
        Bad arguments, or ``f`` returning non-finite values.
    PrecisionError
        The objective overflows float64 for every order.

    Notes
    -----
    Both objectives are evaluated exactly in rational arithmetic (the float inputs, the samples ``f(t)`` and
    ``f(t_n + m h)`` taken as exact, exact integer weights) and each table entry is rounded once to float64;
    ``order`` and ``exact_order`` are the argmins of the exact values, so a float64 underflow (``h = 1e-100``:
    every objective of order >= 1 below 1e-324) or overflow (``sigma = 1e200``) of the table cannot change
    them. :math:`O(k_{\\max}^3)` big-rational operations.

    Examples
    --------
    >>> import math
    >>> oc = optimal_order(0.25, 0.01, lambda j: math.exp(0.25), max_order=7, f=np.exp)
    >>> oc.exact_order
    2
    """
    h = V.check_scalar("h", h, positive=True)
    sigma = V.check_scalar("sigma", sigma, nonnegative=True)
    m = _steps(steps_ahead)
    kmax = V.check_int("max_order", max_order, lo=0, hi=60)
    t_last = V.check_scalar("t_last", t_last)
    # exact rational objectives (the float inputs taken as exact, exact integer weights): in float64, b * b
    # underflowed to 0 at several orders (h = 1e-100: every order >= 1 tied at 0 and order 1 was returned for
    # the true argmin max_order) and sigma**2 * gain overflowed; the argmins are taken on the exact values
    s2, hh = Fraction(sigma) ** 2, Fraction(h)
    obj_b: list[Fraction] = []
    obj_e: list[Fraction] = []
    for k in range(kmax + 1):
        w = [fr.numerator for fr in _lagrange_fractions(k, m)]  # integers (binomial products)
        gain = sum(x * x for x in w)
        M = _deriv_bound(deriv_bounds, k + 1)
        b = math.comb(m + k, k + 1) * Fraction(M) * hh ** (k + 1)
        obj_b.append(b * b + s2 * gain)
        if f is not None:
            t = t_last - h * np.arange(k, -1, -1, dtype=np.float64)
            fv = V.as_float_array("f(t)", f(t), shape=(k + 1,))
            target = float(V.as_float_array("f(t)", f(np.array([t_last + m * h])), shape=(1,))[0])
            d = Fraction(target) - sum(x * Fraction(y) for x, y in zip(w, fv.tolist()))
            obj_e.append(d * d + s2 * gain)
    bound = np.array([_round_fraction(x) for x in obj_b], dtype=np.float64)
    exact = np.array([_round_fraction(x) for x in obj_e], dtype=np.float64) if f is not None else None
    if not np.any(np.isfinite(bound)) or (exact is not None and not np.any(np.isfinite(exact))):
        raise PrecisionError("h, sigma, deriv_bounds: the MSE objective exceeds the float64 range for every order")

    def argmin(vals: list[Fraction]) -> int:
        return min(range(len(vals)), key=vals.__getitem__)  # the first minimum: ties go to the smaller order

    return OrderChoice(argmin(obj_b), bound, None if exact is None else argmin(obj_e), exact)

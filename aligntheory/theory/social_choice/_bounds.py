"""Generalization bounds G1--G6 of the representative social choice pillar (spec ``social_choice.md`` §3.1).

All bounds assume utilities in :math:`[0,1]` and :math:`N` i.i.d. (individual, issue) pairs. They are
standard learning theory [M] (Shalev-Shwartz & Ben-David 2014, Ch. 4, 6, 26, 29; Mohri et al. 2018,
Ch. 3); the paper (Qiu, arXiv 2410.23953) is reported [S] to state bounds of this kind, but its exact
constants are unknown to us.

Every calculator returns an :class:`aligntheory.results.Bound` (which behaves as its number) with its
assumptions, source and closed form (``.sympy()``, ``.latex()``). Deviations are computed with
logarithms, so huge :math:`N`, :math:`|\\mathcal F|` and tiny :math:`\\delta` neither overflow nor
divide by zero; sample sizes are exact Python integers (of any size: below :math:`2^{50}` by a float
search checked against the float bound, above it in ``mpmath`` with enough digits for the integer to
be exact). A bound larger than 1 is returned as computed (use :func:`clipped` to cap it at 1).

G4 (Natarajan), G6 (the product class) and :func:`clipped` are in ``_bounds_multiclass``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError, PrecisionError, SizeCapError
from aligntheory.results import Bound, provenance
from aligntheory.theory.social_choice._closed_forms import closed_form_bound

__all__ = [
    "finite_class_deviation",
    "finite_class_sample_size",
    "erm_regret_bound",
    "erm_regret_sample_size",
    "vc_deviation",
    "vc_sample_size",
    "growth_deviation",
]

_SSBD = "shalevshwartz2014understanding"
_IID = ("utilities in [0, 1]", "N i.i.d. (individual, issue) pairs")
_FLOAT_SEARCH_MAX = 2**50  # sample sizes above this are searched in mpmath
_VC_DIM_MAX_BITS = 13_000  # vc_sample_size: the mpmath search runs at ~log10(vc_dim) digits (~1 s at 10**3900)


# ----------------------------------------------------------------------------------------------
# validation and log-safe arithmetic


def _n(n_samples: Any) -> int:
    if isinstance(n_samples, Bound):  # an integer sample size from an inverse calculator
        n_samples = n_samples.value
    return V.check_int("n_samples", n_samples, lo=1)


def _delta(delta: Any) -> float:
    d = V.check_scalar("delta", delta)
    if not 0.0 < d < 1.0:
        raise InvalidInputError("delta", "must lie in the open interval (0, 1)", received=d)
    return d


def _eps(eps: Any) -> float:
    return V.check_scalar("eps", eps, positive=True)


_SQRT2 = math.sqrt(2.0)


def _log2_over_delta(d: float) -> float:
    """:math:`\\ln(2/\\delta)` without forming :math:`2/\\delta` (no overflow for subnormal delta)."""
    return math.log(2.0) - math.log(d)


def _log_class_size(class_size: Any) -> float:
    if isinstance(class_size, int) and not isinstance(class_size, bool):
        if class_size < 1:
            raise InvalidInputError("class_size", "must be >= 1 (|F| counts candidate policies)", received=class_size)
        return math.log(class_size)  # exact for huge Python ints such as 2**Q
    c = V.check_scalar("class_size", class_size)
    if not c >= 1:
        raise InvalidInputError("class_size", "must be >= 1 (|F| counts candidate policies)", received=c)
    return math.log(c)


def _sqrt_ratio(a: float, n: int) -> float:
    """:math:`\\sqrt{a/n}` for ``a >= 0`` and a Python int ``n >= 1`` of any size."""
    if a <= 0.0:
        return 0.0
    if n < 2**1000:
        return math.sqrt(a / float(n))
    return math.exp(0.5 * (math.log(a) - math.log(n)))


def _mp_value(f: Callable[[Any], Any]) -> Any:
    """``f(mpmath.mp)`` at 30 digits: for bounds whose float64 intermediates (a dimension such as
    ``10**400`` times a logarithm) leave the float64 range while the bound may not."""
    import mpmath

    with mpmath.workdps(30):
        return f(mpmath.mp)


def _representable(value: Any, func: str, form: str) -> float:
    """``value`` (a float or an mpmath number) as a finite float, else :class:`PrecisionError`."""
    v = float(value)
    if not math.isfinite(v):
        import mpmath

        raise PrecisionError(f"{func}: the bound {form} is about 10^{float(mpmath.log10(value)):.6g}, beyond the "
                             "float64 range; it is vacuous (a deviation of [0, 1] utilities never exceeds 1)")
    return v


def _int_text(x: int) -> str:
    """``str(x)``, or ``"about 10^..."`` above 4000 digits (``str`` refuses ints above 4300 digits)."""
    return str(x) if x.bit_length() < 13_000 else f"about 10^{math.log10(x):.6g}"


def _bound(value: float | int, *, quantity: str, assumptions: tuple[str, ...], where: str, form: str,
           subs: dict[str, Any], kind: str = "upper") -> Bound:
    return Bound(value, kind=kind, quantity=quantity, assumptions=assumptions, source=_SSBD, where=where,
                 provenance="M", expr=lambda: closed_form_bound(form), subs=subs)


# ----------------------------------------------------------------------------------------------
# G1, G2


@provenance("M", source=_SSBD, where="Cor. 4.6")
def finite_class_deviation(n_samples: int, class_size: Any, delta: float) -> Bound:
    """G1: uniform deviation bound of a finite candidate space [M].

    .. math:: \\Delta_S \\le \\varepsilon_{\\rm fin}(N,|\\mathcal F|,\\delta)
              = \\sqrt{\\frac{\\ln|\\mathcal F| + \\ln(2/\\delta)}{2N}}

    with probability at least :math:`1-\\delta` (Hoeffding plus a union bound; spec §3.1 G1;
    Shalev-Shwartz & Ben-David 2014, Cor. 4.6).

    Parameters
    ----------
    n_samples : int
        Sample size :math:`N \\ge 1` (any Python int).
    class_size : int or float
        :math:`|\\mathcal F| \\ge 1` (Python ints of any size are logged exactly).
    delta : float
        Failure probability in :math:`(0,1)`.

    Returns
    -------
    Bound
        ``kind="upper"``, unclipped.

    Raises
    ------
    InvalidInputError
        Out-of-range arguments.

    Notes
    -----
    :math:`O(1)`, in logarithms (no overflow for :math:`N` up to any size, :math:`\\delta` subnormal).

    Examples
    --------
    >>> b = finite_class_deviation(50, 101, 0.05)
    >>> round(float(b), 12), b.kind
    (0.288166617965, 'upper')
    """
    n = _n(n_samples)
    lf = _log_class_size(class_size)
    d = _delta(delta)
    return _bound(_sqrt_ratio((lf + _log2_over_delta(d)) / 2.0, n), quantity="uniform deviation Delta_S",
                  assumptions=_IID + ("finite candidate space", f"holds with probability >= 1 - {d!r}"),
                  where="Cor. 4.6", form="G1", subs={"N": n, "F": class_size, "delta": d})


def _mp_ceil_ratio(numer: Callable[[Any], Any], log10_size: float) -> int:
    """``ceil(numer(mp))`` in mpmath with enough digits for the integer part to be exact."""
    import mpmath

    with mpmath.workdps(int(log10_size) + 30):
        return int(mpmath.ceil(numer(mpmath.mp)))


def _inverse_finite(eps: float, lf_plus: float, factor: float, class_size: Any, delta: float,
                    bound: Callable[[int], float]) -> int:
    """Least integer :math:`N` with ``factor * L / eps^2 <= N`` (L = ln|F| + ln(2/delta))."""
    log_n = math.log(factor * lf_plus) - 2.0 * math.log(eps)
    if log_n < math.log(_FLOAT_SEARCH_MAX):
        n = max(1, math.ceil(factor * lf_plus / (eps * eps)))
        while n > 1 and bound(n - 1) <= eps:
            n -= 1
        while bound(n) > eps:
            n += 1
        return n

    def numer(mp):
        big = mp.log(class_size) if isinstance(class_size, int) else mp.log(mp.mpf(class_size))
        return mp.mpf(factor) * (big + mp.log(2) - mp.log(mp.mpf(delta))) / mp.mpf(eps) ** 2

    return max(1, _mp_ceil_ratio(numer, log_n / math.log(10.0)))


@provenance("M", source=_SSBD, where="Cor. 4.6 solved for N")
def finite_class_sample_size(eps: float, class_size: Any, delta: float) -> Bound:
    """G1 inverse: least :math:`N` with :math:`\\varepsilon_{\\rm fin}(N) \\le \\varepsilon` [M].

    .. math:: N_{\\rm fin}(\\varepsilon,\\delta) = \\left\\lceil \\frac{\\ln|\\mathcal F|+\\ln(2/\\delta)}{2\\varepsilon^2}\\right\\rceil

    Parameters
    ----------
    eps : float
        Target deviation :math:`> 0` (any positive float, subnormals included).
    class_size : int or float
    delta : float

    Returns
    -------
    Bound
        Integer-valued, ``kind="upper"`` (a sufficient sample size); ``.sympy()`` is the un-rounded form.

    Raises
    ------
    InvalidInputError

    Notes
    -----
    The ceiling is checked against the float bound itself below :math:`2^{50}`, so the result is
    minimal: the bound holds at :math:`N` and fails at :math:`N-1` (spec §3.1 G1, §5). Above, the
    ceiling is taken in mpmath with enough digits to be exact. :math:`O(1)`.

    Examples
    --------
    >>> finite_class_sample_size(0.05, 101, 0.05)
    Bound(value=1661, kind='upper', quantity='sample size N for Delta_S <= eps', ...)
    >>> finite_class_sample_size(1e-300, 101, 0.05) > 10**600
    True
    """
    e = _eps(eps)
    lf = _log_class_size(class_size)
    d = _delta(delta)
    n = _inverse_finite(e, lf + _log2_over_delta(d), 0.5, class_size, d,
                        lambda m: float(finite_class_deviation(m, class_size, d)))
    return Bound(n, kind="upper", quantity="sample size N for Delta_S <= eps",
                 assumptions=_IID + ("finite candidate space", f"with probability >= 1 - {d!r}"),
                 source=_SSBD, where="Cor. 4.6", provenance="M",
                 expr=lambda: closed_form_bound("G1_inverse"), subs={"epsilon": e, "F": class_size, "delta": d})


@provenance("M", source=_SSBD, where="Cor. 4.6 and the ERM decomposition (spec §3.1 G2)")
def erm_regret_bound(n_samples: int, class_size: Any, delta: float) -> Bound:
    """G2: regret of majority-vote / scoring ERM, :math:`\\mathrm{reg}(S) \\le 2\\varepsilon_{\\rm fin}` [M].

    .. math:: W(f^*) - W(\\hat f) \\le 2\\Delta_S \\le 2\\sqrt{\\frac{\\ln|\\mathcal F|+\\ln(2/\\delta)}{2N}}

    with probability at least :math:`1-\\delta`, whatever the tie-break (spec §3.1 G2).

    Parameters
    ----------
    n_samples : int
    class_size : int or float
    delta : float

    Returns
    -------
    Bound

    Raises
    ------
    InvalidInputError

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> round(float(erm_regret_bound(50, 101, 0.05)), 12)
    0.57633323593
    """
    g1 = finite_class_deviation(n_samples, class_size, delta)
    return dataclasses.replace(g1, value=2.0 * g1.value, quantity="welfare regret of ERM",
                               expr=lambda: closed_form_bound("G2"))


@provenance("M", source=_SSBD, where="Cor. 4.6 solved for N (regret 2 eps_fin)")
def erm_regret_sample_size(eps: float, class_size: Any, delta: float) -> Bound:
    """G2 inverse: least :math:`N` with :math:`2\\varepsilon_{\\rm fin}(N) \\le \\varepsilon` [M].

    .. math:: N = \\left\\lceil \\frac{2(\\ln|\\mathcal F|+\\ln(2/\\delta))}{\\varepsilon^2}\\right\\rceil

    Parameters
    ----------
    eps : float
    class_size : int or float
    delta : float

    Returns
    -------
    Bound
        Integer-valued, ``kind="upper"``.

    Raises
    ------
    InvalidInputError

    Notes
    -----
    As :func:`finite_class_sample_size`.

    Examples
    --------
    >>> int(erm_regret_sample_size(0.05, 101, 0.05))
    6644
    """
    e = _eps(eps)
    lf = _log_class_size(class_size)
    d = _delta(delta)
    n = _inverse_finite(e, lf + _log2_over_delta(d), 2.0, class_size, d,
                        lambda m: float(erm_regret_bound(m, class_size, d)))
    return Bound(n, kind="upper", quantity="sample size N for ERM regret <= eps",
                 assumptions=_IID + ("finite candidate space", f"with probability >= 1 - {d!r}"),
                 source=_SSBD, where="Cor. 4.6", provenance="M",
                 expr=lambda: closed_form_bound("G2_inverse"), subs={"epsilon": e, "F": class_size, "delta": d})


# ----------------------------------------------------------------------------------------------
# G3, G4, growth function


def _growth_value(n: int, lg: float, d: float) -> float:
    # 2 sqrt(2 lg / N) as 2 sqrt(2) sqrt(lg / N): 2 lg overflows for lg above 2**1023, where the bound is finite
    return 2.0 * _SQRT2 * _sqrt_ratio(lg, n) + _sqrt_ratio(_log2_over_delta(d) / 2.0, n)


@provenance("M", source=_SSBD, where="Thm 26.5 (McDiarmid, symmetrization) and Lemma 26.8 (Massart)")
def growth_deviation(n_samples: int, log_growth: float, delta: float) -> Bound:
    """Uniform deviation from an exactly known growth function [M].

    .. math:: \\Delta_S \\le 2\\sqrt{\\frac{2\\ln\\Pi_{\\mathcal F}(N)}{N}} + \\sqrt{\\frac{\\ln(2/\\delta)}{2N}}

    (McDiarmid, symmetrization, Massart's lemma; spec §3.1 G3 steps 1--4 and G4 "also exact").

    Parameters
    ----------
    n_samples : int
        Any :math:`N \\ge 1`.
    log_growth : float
        :math:`\\ln\\Pi_{\\mathcal F}(N) \\ge 0`.
    delta : float

    Returns
    -------
    Bound

    Raises
    ------
    InvalidInputError

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> round(float(growth_deviation(100, 0.0, 0.05)), 6) == round(math.sqrt(math.log(40) / 200), 6)
    True
    """
    n = _n(n_samples)
    lg = V.check_scalar("log_growth", log_growth, nonnegative=True)
    d = _delta(delta)
    return _bound(_growth_value(n, lg, d), quantity="uniform deviation Delta_S",
                  assumptions=_IID + ("growth function Pi_F(N) known exactly", f"with probability >= 1 - {d!r}"),
                  where="Thm 26.5, Lemma 26.8", form="growth", subs={"N": n, "log_Pi": lg, "delta": d})


def _vc_value(n: int, d: int, dl: float) -> float:
    if d == 0:
        return _sqrt_ratio(_log2_over_delta(dl) / 2.0, n)
    lg = d * (1.0 + math.log(n) - math.log(d)) if d < 2**1000 else math.inf
    if math.isfinite(lg):
        return _growth_value(n, lg, dl)
    # d ln(eN/d) leaves the float64 range (d ~ 10**400, or 10**308 with N >> d); the bound does not:
    # it is at most 2 sqrt(2) + sqrt(ln(2/delta)/(2N)) for N >= d
    return float(_mp_value(lambda mp: _mp_vc(mp, n, d, dl)))


@provenance("M", source=_SSBD, where="Thm 26.5 with Sauer's lemma (Lemma 6.10)")
def vc_deviation(n_samples: int, vc_dim: int, delta: float) -> Bound:
    """G3: uniform deviation for binary outcomes and VC dimension :math:`d` [M].

    .. math:: \\varepsilon_{\\rm VC}(N,d,\\delta) = 2\\sqrt{\\frac{2d\\ln(eN/d)}{N}} + \\sqrt{\\frac{\\ln(2/\\delta)}{2N}},
              \\qquad N \\ge d \\ge 1

    (Sauer's lemma :math:`\\Pi(N)\\le(eN/d)^d` in :func:`growth_deviation`; spec §3.1 G3). For
    :math:`d = 0` (a single candidate) this is G1 with :math:`|\\mathcal F|=1`.

    Parameters
    ----------
    n_samples : int
    vc_dim : int
    delta : float

    Returns
    -------
    Bound

    Raises
    ------
    InvalidInputError
        Also when :math:`N < d` (Sauer's bound needs :math:`N \\ge d`).

    Notes
    -----
    :math:`O(1)`. For :math:`d` so large that :math:`d\\ln(eN/d)` leaves the float64 range (Python ints
    such as ``10**400``) the bound, at most :math:`2\\sqrt2 + \\sqrt{\\ln(2/\\delta)/(2N)}` for
    :math:`N \\ge d`, is evaluated in mpmath (30 digits).

    Examples
    --------
    >>> round(float(vc_deviation(50, 1, 0.05)), 12)
    1.07858792562
    """
    n = _n(n_samples)
    d = V.check_int("vc_dim", vc_dim, lo=0)
    dl = _delta(delta)
    if d > 0 and n < d:
        raise InvalidInputError("n_samples", f"must be >= vc_dim = {_int_text(d)} (Sauer's bound needs N >= d)",
                                received=n if n.bit_length() < 13_000 else _int_text(n))
    return _bound(_vc_value(n, d, dl), quantity="uniform deviation Delta_S",
                  assumptions=_IID + ("binary outcomes", f"VC dimension {_int_text(d)}", f"with probability >= 1 - {dl!r}"),
                  where="Thm 26.5, Lemma 6.10", form="G3" if d else "G1",
                  subs={"N": n, "d": d, "delta": dl} if d else {"N": n, "F": 1, "delta": dl})


def _mp_vc(mp, n: int, d: int, dl: float):
    tail = mp.sqrt((mp.log(2) - mp.log(mp.mpf(dl))) / (2 * n))
    if d == 0:
        return tail
    return 2 * mp.sqrt(2 * d * (1 + mp.log(mp.mpf(n) / d)) / n) + tail


def _narrow_vc_bracket(lo: int, hi: int, d: int, dl: float, e: float, bound: Callable[[int], bool]) -> tuple[int, int]:
    """Shrink ``(lo, hi)`` (the bound fails at ``lo``, holds at ``hi``) around the real root of
    :math:`\\varepsilon_{\\rm VC}(x) = \\varepsilon`, found in mpmath: bisection alone needs
    :math:`\\log_2 N^*` evaluations at :math:`\\log_{10} N^*` digits (minutes for :math:`d \\sim 10^{2000}`).
    The probes keep the invariant whatever the root's accuracy, so the result stays the least :math:`N`."""
    import mpmath

    with mpmath.workdps(int(hi.bit_length() * math.log10(2.0)) + 31):
        try:
            root = mpmath.findroot(lambda x: _mp_vc(mpmath.mp, x, d, dl) - e, (mpmath.mpf(lo), mpmath.mpf(hi)),
                                   solver="anderson", tol=mpmath.mpf(2) ** (-2 * hi.bit_length() - 60), verify=False)
            c = int(mpmath.ceil(root))
        except (ArithmeticError, ValueError):  # no convergence: plain bisection from the full bracket
            return lo, hi
    for probe in (c - 1, c):
        if lo < probe < hi:
            if bound(probe):
                hi = probe
            else:
                lo = probe
    return lo, hi


@provenance("M", source=_SSBD, where="Thm 26.5 with Sauer's lemma, solved for N")
def vc_sample_size(eps: float, vc_dim: int, delta: float) -> Bound:
    """G3 inverse: least integer :math:`N \\ge d` with :math:`\\varepsilon_{\\rm VC}(N) \\le \\varepsilon` [M].

    Parameters
    ----------
    eps : float
    vc_dim : int
    delta : float

    Returns
    -------
    Bound
        Integer-valued, ``kind="upper"``.

    Raises
    ------
    InvalidInputError
    SizeCapError
        ``vc_dim`` of :math:`2^{13000}` (about :math:`10^{3913}`) or more, refused before any work: the
        search runs in mpmath with as many digits as :math:`N^* \\ge d` has.

    Notes
    -----
    :math:`\\varepsilon_{\\rm VC}` is strictly decreasing on :math:`N \\ge d` (the derivative of
    :math:`d\\ln(eN/d)/N` is :math:`-d\\ln(N/d)/N^2 \\le 0` and the second term decreases), so the
    search doubles :math:`N` until the bound holds, then bisects on integers: :math:`O(\\log N^*)`
    evaluations, in float64 below :math:`2^{50}` and in mpmath (digits growing with :math:`N`) above,
    where the bracket is first narrowed around the real root (``mpmath.findroot``) so that only a few
    integer evaluations remain.

    Examples
    --------
    >>> int(vc_sample_size(0.1, 1, 0.05)), int(vc_sample_size(0.05, 1, 0.05))
    (10886, 49057)
    """
    e = _eps(eps)
    d = V.check_int("vc_dim", vc_dim, lo=0)
    dl = _delta(delta)
    if d.bit_length() > _VC_DIM_MAX_BITS:
        raise SizeCapError("vc_dim", f"must be below 2^{_VC_DIM_MAX_BITS} (about 10^3913): the least N >= vc_dim is "
                           "searched in mpmath with as many digits as N has", received=_int_text(d),
                           cap=_VC_DIM_MAX_BITS, cost=d.bit_length(), unit="bits")
    lo = max(d, 1)
    if _vc_value(lo, d, dl) <= e:
        n = lo
    else:
        hi = lo
        while hi < _FLOAT_SEARCH_MAX and _vc_value(hi, d, dl) > e:
            lo, hi = hi, hi * 2
        if hi < _FLOAT_SEARCH_MAX:
            bound = lambda m: _vc_value(m, d, dl) <= e  # noqa: E731
        else:
            import mpmath

            def bound(m: int) -> bool:  # digits from the bit length: str() refuses ints above 4300 digits
                with mpmath.workdps(int(m.bit_length() * math.log10(2.0)) + 31):
                    return bool(_mp_vc(mpmath.mp, m, d, dl) <= mpmath.mpf(e))

            while not bound(hi):
                lo, hi = hi, hi * 2
            lo, hi = _narrow_vc_bracket(lo, hi, d, dl, e, bound)
        # invariant: bound fails at lo, holds at hi
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if bound(mid):
                hi = mid
            else:
                lo = mid
        n = hi
    return Bound(n, kind="upper", quantity="sample size N for Delta_S <= eps",
                 assumptions=_IID + ("binary outcomes", f"VC dimension {_int_text(d)}", f"with probability >= 1 - {dl!r}"),
                 source=_SSBD, where="Thm 26.5, Lemma 6.10", provenance="M",
                 expr=lambda: closed_form_bound("G3"), subs={"epsilon": e, "d": d, "delta": dl})

"""Generalization bounds G1--G6 of the representative social choice pillar (spec ``social_choice.md`` §3.1).

All bounds assume utilities in :math:`[0,1]` and :math:`N` i.i.d. (individual, issue) pairs. They are
standard learning theory [M] (Shalev-Shwartz & Ben-David 2014, Ch. 4, 6, 26, 29; Mohri et al. 2018,
Ch. 3); the paper (Qiu, arXiv 2410.23953) is reported [S] to state bounds of this kind, but its exact
constants are unknown to us. Every function computes with logarithms and returns a Python float;
a bound larger than 1 is returned as computed (use :func:`clipped` to cap it at 1).
"""

from __future__ import annotations

import math
from typing import Any

import sympy as sp

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError

__all__ = [
    "finite_class_deviation",
    "finite_class_sample_size",
    "erm_regret_bound",
    "erm_regret_sample_size",
    "vc_deviation",
    "vc_sample_size",
    "natarajan_deviation",
    "growth_deviation",
    "product_class_deviation",
    "clipped",
    "symbolic_bounds",
    "finite_class_sample_size_symbolic",
]


# ----------------------------------------------------------------------------------------------
# validation helpers


def _n(n: Any) -> int:
    return V.check_int("n", n, lo=1)


def _delta(delta: Any) -> float:
    d = V.check_scalar("delta", delta)
    if not 0.0 < d < 1.0:
        raise InvalidInputError("delta", "must lie in the open interval (0, 1)", received=d)
    return d


def _eps(eps: Any) -> float:
    return V.check_scalar("eps", eps, positive=True)


def _class_size(class_size: Any) -> float:
    c = V.check_scalar("class_size", class_size)
    if not c >= 1:
        raise InvalidInputError("class_size", "must be >= 1 (|F| counts candidate policies)", received=c)
    return c


def _log_class_size(class_size: Any) -> float:
    if isinstance(class_size, int) and not isinstance(class_size, bool):
        if class_size < 1:
            raise InvalidInputError("class_size", "must be >= 1 (|F| counts candidate policies)", received=class_size)
        return math.log(class_size)  # exact for huge Python ints such as 2**Q
    return math.log(_class_size(class_size))


# ----------------------------------------------------------------------------------------------
# G1, G2


def finite_class_deviation(n: int, class_size: Any, delta: float) -> float:
    """G1: uniform deviation bound of a finite candidate space [M].

    .. math:: \\Delta_S \\le \\varepsilon_{\\rm fin}(N,|\\mathcal F|,\\delta)
              = \\sqrt{\\frac{\\ln|\\mathcal F| + \\ln(2/\\delta)}{2N}}

    with probability at least :math:`1-\\delta` (Hoeffding plus a union bound; spec §3.1 G1;
    Shalev-Shwartz & Ben-David 2014, Cor. 4.6).

    Parameters
    ----------
    n : int
        Sample size :math:`N \\ge 1`.
    class_size : int or float
        :math:`|\\mathcal F| \\ge 1` (Python ints of any size are logged exactly).
    delta : float
        Failure probability in :math:`(0,1)`.

    Returns
    -------
    float
        The bound, unclipped. Complexity :math:`O(1)`.

    Examples
    --------
    >>> round(finite_class_deviation(50, 101, 0.05), 12)
    0.288166617965
    """
    n = _n(n)
    lf = _log_class_size(class_size)
    d = _delta(delta)
    return math.sqrt((lf + math.log(2.0 / d)) / (2.0 * n))


def _minimal_n(bound, eps: float, start: int) -> int:
    """Least integer ``N >= 1`` with ``bound(N) <= eps``, adjusting a closed-form guess by +-1 steps."""
    n = max(1, start)
    while n > 1 and bound(n - 1) <= eps:
        n -= 1
    while bound(n) > eps:
        n += 1
    return n


def finite_class_sample_size(eps: float, class_size: Any, delta: float) -> int:
    """G1 inverse: least :math:`N` with :math:`\\varepsilon_{\\rm fin}(N) \\le \\varepsilon` [M].

    .. math:: N_{\\rm fin}(\\varepsilon,\\delta) = \\left\\lceil \\frac{\\ln|\\mathcal F|+\\ln(2/\\delta)}{2\\varepsilon^2}\\right\\rceil

    The ceiling is checked against the bound itself, so the result is minimal: the bound holds at
    :math:`N` and fails at :math:`N-1` (spec §3.1 G1, §5).

    Examples
    --------
    >>> finite_class_sample_size(0.05, 101, 0.05)
    1661
    """
    e = _eps(eps)
    lf = _log_class_size(class_size)
    d = _delta(delta)
    guess = math.ceil((lf + math.log(2.0 / d)) / (2.0 * e * e))
    return _minimal_n(lambda m: finite_class_deviation(m, class_size, d), e, guess)


def erm_regret_bound(n: int, class_size: Any, delta: float) -> float:
    """G2: regret of majority-vote / scoring ERM, :math:`\\mathrm{reg}(S) \\le 2\\varepsilon_{\\rm fin}` [M].

    .. math:: W(f^*) - W(\\hat f) \\le 2\\Delta_S \\le 2\\sqrt{\\frac{\\ln|\\mathcal F|+\\ln(2/\\delta)}{2N}}

    with probability at least :math:`1-\\delta`, whatever the tie-break (spec §3.1 G2).

    Examples
    --------
    >>> round(erm_regret_bound(50, 101, 0.05), 12)
    0.57633323593
    """
    return 2.0 * finite_class_deviation(n, class_size, delta)


def erm_regret_sample_size(eps: float, class_size: Any, delta: float) -> int:
    """G2 inverse: least :math:`N` with :math:`2\\varepsilon_{\\rm fin}(N) \\le \\varepsilon` [M].

    .. math:: N = \\left\\lceil \\frac{2(\\ln|\\mathcal F|+\\ln(2/\\delta))}{\\varepsilon^2}\\right\\rceil

    Examples
    --------
    >>> erm_regret_sample_size(0.05, 101, 0.05)
    6644
    """
    e = _eps(eps)
    lf = _log_class_size(class_size)
    d = _delta(delta)
    guess = math.ceil(2.0 * (lf + math.log(2.0 / d)) / (e * e))
    return _minimal_n(lambda m: erm_regret_bound(m, class_size, d), e, guess)


# ----------------------------------------------------------------------------------------------
# G3, G4, growth function


def growth_deviation(n: int, log_growth: float, delta: float) -> float:
    """Uniform deviation from an exactly known growth function [M].

    .. math:: \\Delta_S \\le 2\\sqrt{\\frac{2\\ln\\Pi_{\\mathcal F}(N)}{N}} + \\sqrt{\\frac{\\ln(2/\\delta)}{2N}}

    (McDiarmid, symmetrization, Massart's lemma; spec §3.1 G3 steps 1--4 and G4 "also exact").
    Accepts every :math:`N \\ge 1`.

    Parameters
    ----------
    n : int
    log_growth : float
        :math:`\\ln\\Pi_{\\mathcal F}(N) \\ge 0`.
    delta : float

    Examples
    --------
    >>> round(growth_deviation(100, 0.0, 0.05), 6) == round(math.sqrt(math.log(40) / 200), 6)
    True
    """
    n = _n(n)
    lg = V.check_scalar("log_growth", log_growth, nonnegative=True)
    d = _delta(delta)
    return 2.0 * math.sqrt(2.0 * lg / n) + math.sqrt(math.log(2.0 / d) / (2.0 * n))


def vc_deviation(n: int, vc_dim: int, delta: float) -> float:
    """G3: uniform deviation for binary outcomes and VC dimension :math:`d` [M].

    .. math:: \\varepsilon_{\\rm VC}(N,d,\\delta) = 2\\sqrt{\\frac{2d\\ln(eN/d)}{N}} + \\sqrt{\\frac{\\ln(2/\\delta)}{2N}},
              \\qquad N \\ge d \\ge 1

    (Sauer's lemma :math:`\\Pi(N)\\le(eN/d)^d` in :func:`growth_deviation`; spec §3.1 G3). For
    :math:`d = 0` (a single candidate) this is G1 with :math:`|\\mathcal F|=1`. :math:`N < d` raises,
    because Sauer's bound needs :math:`N \\ge d`.

    Examples
    --------
    >>> round(vc_deviation(50, 1, 0.05), 12)
    1.07858792562
    """
    n = _n(n)
    d = V.check_int("vc_dim", vc_dim, lo=0)
    dl = _delta(delta)
    if d == 0:
        return finite_class_deviation(n, 1, dl)
    if n < d:
        raise InvalidInputError("n", f"must be >= vc_dim = {d} (Sauer's bound needs N >= d)", received=n)
    return growth_deviation(n, d * (1.0 + math.log(n / d)), dl)


def vc_sample_size(eps: float, vc_dim: int, delta: float) -> int:
    """G3 inverse: least integer :math:`N \\ge d` with :math:`\\varepsilon_{\\rm VC}(N) \\le \\varepsilon` [M].

    :math:`\\varepsilon_{\\rm VC}` is strictly decreasing on :math:`N \\ge d` (the derivative of
    :math:`d\\ln(eN/d)/N` is :math:`-d\\ln(N/d)/N^2 \\le 0` and the second term decreases), so the
    search doubles :math:`N` until the bound holds, then bisects on integers:
    :math:`O(\\log N^*)` evaluations.

    Examples
    --------
    >>> vc_sample_size(0.1, 1, 0.05), vc_sample_size(0.05, 1, 0.05)
    (10886, 49057)
    """
    e = _eps(eps)
    d = V.check_int("vc_dim", vc_dim, lo=0)
    dl = _delta(delta)
    lo = max(d, 1)
    if vc_deviation(lo, d, dl) <= e:
        return lo
    hi = lo
    while vc_deviation(hi, d, dl) > e:
        lo, hi = hi, hi * 2
    # invariant: bound(lo) > e >= bound(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if vc_deviation(mid, d, dl) <= e:
            hi = mid
        else:
            lo = mid
    return hi


def natarajan_deviation(n: int, nat_dim: int, n_outcomes: int, delta: float) -> float:
    """G4: uniform deviation for :math:`k`-ary outcomes and Natarajan dimension :math:`d_N` [M].

    .. math:: \\varepsilon_{\\rm N}(N) = 2\\sqrt{\\frac{2(d_N\\ln N + 2 d_N\\ln k)}{N}} + \\sqrt{\\frac{\\ln(2/\\delta)}{2N}}

    from Natarajan's lemma :math:`\\Pi(N)\\le N^{d_N}k^{2d_N}` (Shalev-Shwartz & Ben-David 2014,
    Lemma 29.4; spec §3.1 G4). It holds for any :math:`[0,1]` utility, every scoring vector
    included. Accepts every :math:`N \\ge 1`.

    Examples
    --------
    >>> round(natarajan_deviation(50, 1, 3, 0.05), 12)
    1.180740244848
    """
    n = _n(n)
    dn = V.check_int("nat_dim", nat_dim, lo=0)
    k = V.check_int("n_outcomes", n_outcomes, lo=2)
    dl = _delta(delta)
    return growth_deviation(n, dn * math.log(n) + 2.0 * dn * math.log(k), dl)


def product_class_deviation(n: int, n_issues: int, delta: float) -> float:
    """G6: G1 for the full product class :math:`\\{0,1\\}^{\\mathcal Q}`, :math:`|\\mathcal F| = 2^Q` [M].

    .. math:: \\varepsilon = \\sqrt{\\frac{Q\\ln 2 + \\ln(2/\\delta)}{2N}}

    The G1 sample size grows linearly in :math:`Q` (spec §3.1 G6; the [S] summary's "more expressive
    policies need more samples").

    Examples
    --------
    >>> product_class_deviation(100, 10, 0.05) == finite_class_deviation(100, 2**10, 0.05)
    True
    """
    q = V.check_int("n_issues", n_issues, lo=1)
    n = _n(n)
    d = _delta(delta)
    return math.sqrt((q * math.log(2.0) + math.log(2.0 / d)) / (2.0 * n))


def clipped(value: float) -> float:
    """A bound capped at 1 (a deviation of :math:`[0,1]` utilities never exceeds 1) [M].

    The bound functions never clip silently; call this explicitly.

    Examples
    --------
    >>> clipped(vc_deviation(50, 1, 0.05)), clipped(0.25)
    (1.0, 0.25)
    """
    v = V.check_scalar("value", value, nonnegative=True)
    return min(v, 1.0)


# ----------------------------------------------------------------------------------------------
# symbolic forms


def symbolic_bounds() -> dict[str, Any]:
    """Sympy forms of G1--G4 with positive symbols [M].

    Returns
    -------
    dict
        ``{"symbols": {"N", "delta", "F", "d", "k", "d_N", "eps", "log_growth"}, "G1", "G2", "G3", "G4",
        "growth", "G1_inverse"}``; ``G1_inverse`` is the real (un-rounded) solution of
        :math:`\\varepsilon_{\\rm fin}(N)=\\varepsilon` for :math:`N`. Tests lambdify these and compare
        with the numeric functions.

    Examples
    --------
    >>> forms = symbolic_bounds()
    >>> s = forms["symbols"]
    >>> float(forms["G1"].subs({s["N"]: 50, s["F"]: 101, s["delta"]: sp.Rational(1, 20)}))  # doctest: +ELLIPSIS
    0.28816661796528...
    """
    N, delta, F, d, k, dN, eps, lg = sp.symbols("N delta F d k d_N epsilon log_Pi", positive=True)
    g1 = sp.sqrt((sp.log(F) + sp.log(2 / delta)) / (2 * N))
    tail = sp.sqrt(sp.log(2 / delta) / (2 * N))
    growth = 2 * sp.sqrt(2 * lg / N) + tail
    g3 = 2 * sp.sqrt(2 * d * sp.log(sp.E * N / d) / N) + tail
    g4 = 2 * sp.sqrt(2 * (dN * sp.log(N) + 2 * dN * sp.log(k)) / N) + tail
    inv = (sp.log(F) + sp.log(2 / delta)) / (2 * eps**2)
    return {
        "symbols": {"N": N, "delta": delta, "F": F, "d": d, "k": k, "d_N": dN, "eps": eps, "log_growth": lg},
        "G1": g1,
        "G2": 2 * g1,
        "G3": g3,
        "G4": g4,
        "growth": growth,
        "G1_inverse": inv,
        "G2_inverse": 4 * inv,
    }


def finite_class_sample_size_symbolic():
    """The closed-form G1 inverse :math:`(\\ln|\\mathcal F|+\\ln(2/\\delta))/(2\\varepsilon^2)`, obtained by ``sympy.solve`` [M].

    Examples
    --------
    >>> expr = finite_class_sample_size_symbolic()
    >>> sorted(str(s) for s in expr.free_symbols)
    ['F', 'delta', 'epsilon']
    """
    forms = symbolic_bounds()
    s = forms["symbols"]
    sols = sp.solve(sp.Eq(forms["G1"], s["eps"]), s["N"])
    if len(sols) != 1:  # pragma: no cover - sympy returns the single positive root
        raise RuntimeError(f"unexpected sympy solutions {sols}")
    return sp.simplify(sols[0])

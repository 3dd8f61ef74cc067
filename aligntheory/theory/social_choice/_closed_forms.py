"""Closed forms of the bounds G1--G6 as sympy expressions (spec ``social_choice.md`` §3.1) [M].

One way to get a symbolic form (docs/DESIGN.md §7.2): every :class:`~aligntheory.results.Bound`
returned by the calculators carries its closed form (``.sympy()``), and the functions here, named
``closed_form_*``, return the expressions themselves. Sympy is imported only when called.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.results import provenance

__all__ = ["BoundSymbols", "bound_symbols", "closed_form_bound", "closed_form_finite_class_sample_size"]

_SSBD = "shalevshwartz2014understanding"




@provenance("M", source=_SSBD, where="Ch. 4, 6, 26, 29")
class BoundSymbols(NamedTuple):
    """The positive sympy symbols of the closed forms: ``N, delta, F, d, k, d_N, eps, log_growth``.

    Examples
    --------
    >>> str(bound_symbols().delta)
    'delta'
    """

    N: Any
    delta: Any
    F: Any
    d: Any
    k: Any
    d_N: Any
    eps: Any
    log_growth: Any


@provenance("M", source=_SSBD, where="Ch. 4, 6, 26, 29")
def bound_symbols() -> BoundSymbols:
    """The sympy symbols used by :func:`closed_form_bound` (all positive) [M].

    Examples
    --------
    >>> s = bound_symbols()
    >>> s.N.is_positive
    True
    """
    import sympy as sp

    return BoundSymbols(*sp.symbols("N delta F d k d_N epsilon log_Pi", positive=True))


_FORMS = ("G1", "G2", "G3", "G4", "G6", "growth", "G1_inverse", "G2_inverse")


@provenance("M", source=_SSBD, where="Cor. 4.6; Thm 26.5; Lemmas 6.10, 26.8, 29.4")
def closed_form_bound(name: str):
    """The closed form of a bound as a sympy expression in :func:`bound_symbols` [M] (spec §3.1).

    Parameters
    ----------
    name : {"G1", "G2", "G3", "G4", "G6", "growth", "G1_inverse", "G2_inverse"}
        ``G6`` uses ``F = 2**Q`` through :math:`\\ln F`; ``*_inverse`` are the real (un-rounded) sample
        sizes solving the bound for :math:`N`.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    InvalidInputError
        Unknown ``name``.

    Examples
    --------
    >>> closed_form_bound("G1")
    sqrt(2)*sqrt(log(F) + log(2/delta))/(2*sqrt(N))
    """
    import sympy as sp

    V.check_choice("name", name, _FORMS)
    s = bound_symbols()
    tail = sp.sqrt(sp.log(2 / s.delta) / (2 * s.N))
    g1 = sp.sqrt((sp.log(s.F) + sp.log(2 / s.delta)) / (2 * s.N))
    inv = (sp.log(s.F) + sp.log(2 / s.delta)) / (2 * s.eps**2)
    return {
        "G1": g1,
        "G6": g1,
        "G2": 2 * g1,
        "G3": 2 * sp.sqrt(2 * s.d * sp.log(sp.E * s.N / s.d) / s.N) + tail,
        "G4": 2 * sp.sqrt(2 * (s.d_N * sp.log(s.N) + 2 * s.d_N * sp.log(s.k)) / s.N) + tail,
        "growth": 2 * sp.sqrt(2 * s.log_growth / s.N) + tail,
        "G1_inverse": inv,
        "G2_inverse": 4 * inv,
    }[name]


@provenance("M", source=_SSBD, where="Cor. 4.6 solved for N")
def closed_form_finite_class_sample_size():
    """The G1 inverse :math:`(\\ln|\\mathcal F|+\\ln(2/\\delta))/(2\\varepsilon^2)`, obtained by ``sympy.solve`` [M].

    Returns
    -------
    sympy.Expr

    Examples
    --------
    >>> expr = closed_form_finite_class_sample_size()
    >>> sorted(str(s) for s in expr.free_symbols)
    ['F', 'delta', 'epsilon']
    """
    import sympy as sp

    s = bound_symbols()
    sols = sp.solve(sp.Eq(closed_form_bound("G1"), s.eps), s.N)
    if len(sols) != 1:  # pragma: no cover - sympy returns the single positive root
        raise InvalidInputError("sympy", "unexpected solutions of the G1 equation", received=str(sols))
    return sp.simplify(sols[0])

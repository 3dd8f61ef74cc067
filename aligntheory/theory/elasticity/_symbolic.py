"""Closed forms (sympy) of our Propositions E2-E4 and E6: symbolic derivatives, the E3 residual and
the opposite-behaviour model (spec ``elasticity.md`` §4.1 "Symbolic"). Never ``sympify`` user strings."""

from __future__ import annotations

from typing import Any, NamedTuple

from aligntheory import _validate as V
from aligntheory.results import provenance


@provenance("M", where="spec elasticity.md §4.1 (result object)")
class ClosedFormDerivatives(NamedTuple):
    """Sympy derivatives :math:`\\gamma_p', \\gamma_a', \\gamma_t'`, the simplified E3 residual and the symbols."""

    d_p: Any
    d_a: Any
    d_t: Any
    residual: Any
    symbols: dict


@provenance("M", where="spec elasticity.md §4.1 (result object)")
class ClosedFormOppositeModel(NamedTuple):
    """Sympy forms of the opposite-behaviour model: R(k, l), R at l = 0, the E6 upper bound and the tight-case gap."""

    R: Any
    R_at_0: Any
    upper: Any
    gap: Any
    symbols: dict


@provenance("M", where="Propositions E2, E3 (aligntheory), spec elasticity.md §3")
def closed_form_derivatives(M: Any) -> ClosedFormDerivatives:
    """Sympy forms of :math:`\\gamma_p', \\gamma_a', \\gamma_t'` and the E3 residual for M leaves [M].

    Symbols ``pp0..``, ``pa0..``, ``pt0..`` (positive), ``k``, ``l``; the last coordinate of each
    distribution is eliminated by :math:`\\sum_x P_i(x)=1`, so the residual
    :math:`k\\gamma_p'+\\gamma_a'+l\\gamma_t'` simplifies to 0 (our Proposition E3).
    The derivative is taken by ``sympy.diff`` of :math:`-\\sum_x P_i\\log q_l`, an independent route
    from the closed form.

    Parameters
    ----------
    M : int
        2 <= M <= 6 (expressions grow quickly).

    Returns
    -------
    ClosedFormDerivatives
        ``d_p, d_a, d_t`` (sympy expressions), ``residual`` (simplified) and ``symbols``.

    Raises
    ------
    InvalidInputError
        M outside [2, 6].

    Notes
    -----
    Symbolic simplification; the cost grows quickly with M (hence the cap 6).

    Examples
    --------
    >>> closed_form_derivatives(2).residual
    0
    """
    import sympy as sp

    M = V.check_int("M", M, lo=2, hi=6)
    k, l = sp.symbols("k l", positive=True)
    syms = {}
    dists = []
    for name in ("pp", "pa", "pt"):
        xs = list(sp.symbols(f"{name}0:{M - 1}", positive=True))
        syms[name] = xs
        dists.append(xs + [1 - sum(xs)])
    Pp, Pa, Pt = dists
    c = k + 1 + l
    q = [(k * Pp[x] + Pa[x] + l * Pt[x]) / c for x in range(M)]
    derivs = tuple(sp.diff(-sum(P[x] * sp.log(q[x]) for x in range(M)), l) for P in dists)
    residual = sp.simplify(sp.together(k * derivs[0] + derivs[1] + l * derivs[2]))
    return ClosedFormDerivatives(*derivs, residual, {"k": k, "l": l, **syms})


@provenance("M", where="our bound E6 and Proposition E4 (aligntheory), spec elasticity.md §3")
def closed_form_opposite_model() -> ClosedFormOppositeModel:
    """Sympy forms for the opposite-behaviour model with :math:`r_t` constant on :math:`S_t` [M].

    With :math:`P_t` on leaves where :math:`P_t/P_p = r` (so :math:`\\chi^2 = r-1`),
    :math:`\\gamma_a' = 1/c`, :math:`\\gamma_p' = 1/c - 1/(k+lr)` (our bound E6), hence
    :math:`R(k,0) = k` (our E4) and :math:`R` equals the E6 upper bound (the tight case).

    Returns
    -------
    ClosedFormOppositeModel
        ``R``, ``R_at_0`` (simplifies to ``k``), ``upper`` (E6 bound in ``chi2``), ``gap``
        (``R - upper`` at :math:`\\chi^2=r-1`, simplifies to 0), ``symbols``.

    Raises
    ------
    None
        It takes no input.

    Notes
    -----
    Constant-size symbolic simplification.

    Examples
    --------
    >>> f = closed_form_opposite_model()
    >>> f.R_at_0, f.gap
    (k, 0)
    """
    import sympy as sp

    k, l, r, chi2 = sp.symbols("k l r chi2", positive=True)
    c = k + 1 + l
    dgp = 1 / c - 1 / (k + l * r)
    dga = 1 / c
    R = sp.simplify(-dga / dgp)
    upper = (k + l * (1 + chi2)) / (1 - l * chi2)
    gap = sp.simplify(R - upper.subs(chi2, r - 1))
    return ClosedFormOppositeModel(R, sp.simplify(R.subs(l, 0)), upper, gap, {"k": k, "l": l, "r": r, "chi2": chi2})

"""Sample complexity of the mechanism model: the budget at which the inference cost falls to a target [R].

Spec ``ibn.md`` §4.1; the model (chain cost, tree cost under our Assumption T) is in ``_mechanism``.
"""

from __future__ import annotations

import warnings
from typing import Any, Literal

import numpy as np
import scipy.optimize
import sympy as sp

from aligntheory import _validate as V
from aligntheory.errors import AsymptoticRangeWarning, InvalidInputError
from aligntheory.results import Bound, provenance
from aligntheory.theory.ibn._mechanism import _ASSUME_ER, _ASSUME_T, _MODEL, optimal_M
from aligntheory.theory.ibn._universe import StructuralFunction, _as_F

__all__ = ["sample_size_for_distance"]


@provenance("R", source=_MODEL, where="§4 sample complexity (reconstructed), spec ibn.md §4.1")
def sample_size_for_distance(eps: Any, F: StructuralFunction, s2: Any, topology: Literal["chain", "tree"],
                             h_T: Any = 1) -> Bound:
    """Budget :math:`n` at which the model's inference cost falls to :math:`\\varepsilon` [R].

    Tree: :math:`F(M_{\\rm conn}(n))(1+h_T)+s_2h_T=\\varepsilon`, so
    :math:`M=F^{-1}\\big((\\varepsilon-s_2h_T)/(1+h_T)\\big)` (polynomial :math:`F`:
    :math:`M=(I(1+h_T)/(\\varepsilon-s_2h_T))^{1/\\alpha}`) and :math:`n=\\tfrac12M\\ln M`; defined only for
    :math:`\\varepsilon>s_2h_T`. Chain: ``brentq`` on :math:`\\ln n\\in[\\ln 100,\\ln 10^{15}]` of
    ``optimal_M(n).cost == eps``. Spec ``ibn.md`` §4.1; reconstruction; the full text was not
    available to us.

    Parameters
    ----------
    eps : float
        Target cost > 0.
    F : StructuralFunction
    s2 : float
        :math:`\\sigma^2_{\\rm HP} \\ge 0`.
    topology : {"chain", "tree"}
    h_T : float, default 1
        Hop count of Assumption T (tree only).

    Returns
    -------
    Bound
        ``kind="asymptotic"``, ``provenance="R"``; the tree value carries its closed form
        (``.sympy()`` in the symbols ``epsilon``, ``s_2``, ``h_T``, ``I``, ``alpha``).

    Raises
    ------
    InvalidInputError
        ``eps`` unreachable (below the model's floor, or above its value at one cluster / at
        :math:`n=100`), arguments outside their ranges.
    PrecisionError
        The budget overflows float64.

    Notes
    -----
    Tree: :math:`O(1)`. Chain: a Brent root search, ~40 :func:`optimal_M` calls.

    Examples
    --------
    >>> from aligntheory.theory.ibn import StructuralFunction, tree_cost
    >>> F = StructuralFunction("poly", 1.0, 1.0)
    >>> n = sample_size_for_distance(0.002, F, 0.0, "tree")
    >>> round(tree_cost(float(n), F, 0.0), 12)
    0.002
    >>> n.kind, n.provenance
    ('asymptotic', 'R')
    """
    e = V.check_scalar("eps", eps, positive=True)
    F = _as_F(F)
    s = V.check_scalar("s2", s2, nonnegative=True)
    V.check_choice("topology", topology, ("chain", "tree"))
    h = V.check_scalar("h_T", h_T, nonnegative=True)
    assumptions = (_ASSUME_ER, _ASSUME_T if topology == "tree" else "chain optimum over M in [2, M_conn(n)]",
                   f"structural function {F.regime}, I={F.I:g}, alpha={F.alpha:g}", f"s2={s:g}")
    common = dict(kind="asymptotic", quantity=f"budget n at which the {topology} model cost equals eps",
                  assumptions=assumptions, source=_MODEL, where="spec ibn.md §4.1 (reconstructed)", provenance="R")
    if topology == "tree":
        if e <= s * h:
            raise InvalidInputError("eps", f"must be > s2 * h_T = {s * h:g}: the tree cost never falls below it",
                                    received=e)
        target = (e - s * h) / (1.0 + h)
        if target >= F.I:
            raise InvalidInputError("eps", "is reached already with one cluster (F(1)(1+h_T) + s2 h_T <= eps)",
                                    received=e)
        M = F.inverse(target)
        with np.errstate(over="ignore"):
            n = 0.5 * M * np.log(M)
        if not np.isfinite(n):
            from aligntheory.errors import PrecisionError

            raise PrecisionError(f"the budget n = M ln M / 2 overflows float64 (M = {M:.3g})")
        return Bound(float(n), expr=lambda: _tree_budget_expr(F.regime),
                     subs={"epsilon": e, "s_2": s, "h_T": h, "I": F.I, "alpha": F.alpha}, **common)
    lo, hi = np.log(100.0), np.log(1e15)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AsymptoticRangeWarning)
        g = lambda t: optimal_M(float(np.exp(t)), F, s).cost - e  # noqa: E731
        glo, ghi = g(lo), g(hi)
    if glo <= 0:
        raise InvalidInputError("eps", "is reached already at n = 100, below the model's asymptotic range", received=e)
    if ghi > 0:
        raise InvalidInputError("eps", "is not reached by the chain cost for n <= 1e15", received=e)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AsymptoticRangeWarning)
        t = scipy.optimize.brentq(g, lo, hi, xtol=1e-13, rtol=1e-14)
    return Bound(float(np.exp(t)), **common)


def _tree_budget_expr(regime: str) -> sp.Expr:
    eps, s2, h, I, a = sp.symbols("epsilon s_2 h_T I alpha", positive=True)
    t = (I * (1 + h) / (eps - s2 * h)) ** (1 / a)
    M = {"poly": t, "log": sp.exp(t - 1), "sublog": sp.exp(sp.exp(t - 1) - 1)}[regime]
    return M * sp.log(M) / 2

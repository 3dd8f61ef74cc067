"""The reconstructed chain-vs-tree mechanism model of spec ``ibn.md`` §3.4 [R].

Reconstruction; the full text of Qiu et al. (arXiv 2402.10184) was not available to us. A
chain-based dataset of :math:`n` comparisons is modelled by its cluster graph at granularity
:math:`M` (an Erdős–Rényi-like graph of mean degree :math:`2n/M`); an inference path costs one IB
step inside each cluster it crosses plus one HP edge per hop. A tree-based dataset is assumed to
reach the connectivity granularity with a bounded hop count :math:`h_T` (our Assumption T).

These are statements about the *path surrogate* in our model: claim
``ibn.mechanism_ratio_vs_simulation`` confronts the model's ratio with the exact simulation in the
reference universe, and the simulation contradicts it (spec §3.5, issue 16).
"""

from __future__ import annotations

import warnings
from typing import Any, Literal, NamedTuple

import numpy as np
import scipy.optimize
import sympy as sp

from aligntheory import _validate as V
from aligntheory.errors import AsymptoticRangeWarning, ConvergenceError, InvalidInputError
from aligntheory.results import RESULTS, Bound, provenance, raise_or_flag
from aligntheory.theory.ibn import _graph as G
from aligntheory.theory.ibn._random_graph import EULER_GAMMA, _check_asymptotic_n, _fronczak, _mconn, _nsym
from aligntheory.theory.ibn._universe import StructuralFunction, _as_F

__all__ = [
    "chain_cost",
    "tree_cost",
    "OptimalM",
    "optimal_M",
    "chain_tree_ratio",
    "closed_form_chain_tree_ratio",
    "closed_form_headline_factor",
    "regime_of",
    "n_regime_A_limit",
]

_MODEL = "qiu2024reward"
_ASSUME_T = "Assumption T (ours): a tree dataset reaches granularity M_conn(n) with bounded hop count h_T"
_ASSUME_ER = "chain cluster graph at granularity M is Erdos-Renyi-like with mean degree 2n/M (Fronczak hop count)"


def _hops(kind: str, m, c):
    return _fronczak(m, c) if kind == "fronczak" else np.log(m) / np.log(c)


def _chain_cost(M, n, F, s2, hops):
    ell = _hops(hops, M, 2.0 * n / M)
    return F(M) * (1.0 + ell) + s2 * ell


@provenance("R", source=_MODEL, where="§3.4 mechanism model (ours), spec ibn.md §3.4")
def chain_cost(M: Any, n_comparisons: Any, F: StructuralFunction, s2: Any, *,
               hops: Literal["fronczak", "asymptotic"] = "fronczak") -> float:
    """Cost of a chain-based inference path at granularity :math:`M` [R].

    .. math:: C_{\\rm chain}(M;n) = F(M)\\,(1+\\ell) + s_2\\,\\ell, \\qquad
              \\ell = \\bar\\ell(M, 2n/M)

    one IB step inside each of :math:`\\ell+1` clusters plus :math:`\\ell` HP edges, subject to the
    connectivity constraint :math:`2n/M \\ge \\ln M` (:math:`M \\le M_{\\rm conn}(n)`). Spec
    ``ibn.md`` §3.4 (mechanism model); reconstruction; the full text was not available to us.

    Parameters
    ----------
    M : float
        Granularity in :math:`[2, M_{\\rm conn}(n)]`.
    n_comparisons : float
        Budget :math:`n`, >= 100 (warning below 1000).
    F : StructuralFunction
    s2 : float
        HP edge variance :math:`\\sigma^2_{\\rm HP} \\ge 0`.
    hops : {"fronczak", "asymptotic"}

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        Arguments outside their documented ranges, non-finite input, ``F`` not a
        :class:`StructuralFunction`.

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> from aligntheory.theory.ibn import StructuralFunction, connectivity_granularity
    >>> F = StructuralFunction("poly", 1.0, 1.0)
    >>> M = connectivity_granularity(1e4)
    >>> round(chain_cost(M, 1e4, F, 0.0) * M, 4)   # 1 + ell* at the boundary
    5.0279
    """
    nv = _check_asymptotic_n(n_comparisons, "n_comparisons")
    F = _as_F(F)
    s = V.check_scalar("s2", s2, nonnegative=True)
    V.check_choice("hops", hops, ("fronczak", "asymptotic"))
    m = V.check_scalar("M", M, positive=True)
    mc = _mconn(nv)
    if m < 2 or m > mc * (1 + 1e-12):
        raise InvalidInputError("M", f"must lie in [2, M_conn(n)] = [2, {mc:.6g}] (connectivity 2n/M >= ln M)",
                                received=m)
    return float(_chain_cost(m, nv, F, s, hops))



@provenance("R", source=_MODEL, where="§3.4 Assumption T (ours), spec ibn.md §3.4")
def tree_cost(n_comparisons: Any, F: StructuralFunction, s2: Any, *, h_T: Any = 1) -> float:
    """Cost of a tree-based inference path under Assumption T [R].

    .. math:: C_{\\rm tree}(n) = F(M_{\\rm conn}(n))\\,(1+h_T) + s_2\\,h_T

    Assumption T (ours, standing in for the paper's tree-dataset assumption): a tree-based
    dataset reaches granularity :math:`M_{\\rm conn}(n)` with a bounded hop count :math:`h_T`. Spec
    ``ibn.md`` §3.4; reconstruction; the full text was not available to us.

    Parameters
    ----------
    n_comparisons : float
        Budget :math:`n > 0`.
    F : StructuralFunction
    s2 : float
        :math:`\\sigma^2_{\\rm HP} \\ge 0`.
    h_T : float, default 1
        Hop count of Assumption T, >= 0.

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        Arguments outside their documented ranges, non-finite input, ``F`` not a
        :class:`StructuralFunction`.

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> from aligntheory.theory.ibn import StructuralFunction, connectivity_granularity
    >>> F = StructuralFunction("poly", 1.0, 1.0)
    >>> round(tree_cost(1e3, F, 0.0) * connectivity_granularity(1e3), 12)
    2.0
    """
    nv = V.check_scalar("n_comparisons", n_comparisons, positive=True)
    F = _as_F(F)
    s = V.check_scalar("s2", s2, nonnegative=True)
    h = V.check_scalar("h_T", h_T, nonnegative=True)
    return float(F(_mconn(nv)) * (1.0 + h) + s * h)



@provenance("R", source=_MODEL, where="§3.4 mechanism model (ours), spec ibn.md §3.4")
class OptimalM(NamedTuple):
    """Result of :func:`optimal_M`: the chain optimum ``M_star``, its ``cost``, ``at_boundary``, and ``result``.

    Examples
    --------
    >>> OptimalM(10.0, 0.5, True).result
    <RESULTS.successful: 'successful'>
    """

    M_star: float
    cost: float
    at_boundary: bool
    result: RESULTS = RESULTS.successful


def _dcost_dlnM(x, n, F, s2, hops):
    """Exact derivative of the chain cost with respect to :math:`x=\\ln M`."""
    m = np.exp(x)
    lnc = np.log(2.0 * n) - x
    if hops == "fronczak":
        ell = (x - EULER_GAMMA) / lnc + 0.5
        dell = (np.log(2.0 * n) - EULER_GAMMA) / lnc**2
    else:
        ell = x / lnc
        dell = np.log(2.0 * n) / lnc**2
    Fm = F(m)
    return Fm * F.log_slope(m) * (1.0 + ell) + (Fm + s2) * dell


@provenance("R", source=_MODEL, where="§3.4 mechanism model (ours), spec ibn.md §3.4")
def optimal_M(n_comparisons: Any, F: StructuralFunction, s2: Any, *,
              hops: Literal["fronczak", "asymptotic"] = "fronczak", throw: bool = True) -> OptimalM:
    """Granularity that minimises the chain cost, :math:`\\arg\\min_{2\\le M\\le M_{\\rm conn}} C_{\\rm chain}` [R].

    Bounded scalar minimisation on :math:`\\ln M\\in[\\ln 2,\\ln M_{\\rm conn}(n)]` (after a coarse
    grid). ``at_boundary`` is decided by the sign of the exact derivative
    :math:`dC/d\\ln M` at :math:`\\ln M_{\\rm conn}` (negative means the boundary), not by
    comparing a minimiser's output with :math:`M_{\\rm conn}`. For :math:`F=IM^{-\\alpha}`,
    :math:`s_2=0` the optimum is on the boundary roughly when :math:`\\alpha>1/\\ln M+1/\\ln\\ln M`.
    Spec ``ibn.md`` §3.4; reconstruction; the full text was not available to us.

    Parameters
    ----------
    n_comparisons : float
        Budget :math:`n`, >= 100.
    F : StructuralFunction
    s2 : float
        :math:`\\sigma^2_{\\rm HP} \\ge 0`.
    hops : {"fronczak", "asymptotic"}
    throw : bool, default True
        Raise :class:`~aligntheory.errors.ConvergenceError` when the minimiser fails;
        with ``False`` return the best grid point with ``result`` set to ``RESULTS.inaccurate``.

    Returns
    -------
    OptimalM

    Raises
    ------
    InvalidInputError
        Arguments outside their ranges.
    ConvergenceError
        The bounded minimiser failed or returned a non-finite cost (``throw=True``).

    Notes
    -----
    257 cost evaluations plus a bounded Brent search (``xatol`` 1e-12 in :math:`\\ln M`).

    Examples
    --------
    >>> from aligntheory.theory.ibn import StructuralFunction
    >>> F = StructuralFunction("poly", 1.0, 0.25)
    >>> round(optimal_M(1e4, F, 0.0).M_star, 1)
    677.2
    >>> optimal_M(1e4, StructuralFunction("poly", 1.0, 1.0), 0.0).at_boundary
    True
    """
    nv = _check_asymptotic_n(n_comparisons, "n_comparisons")
    F = _as_F(F)
    s = V.check_scalar("s2", s2, nonnegative=True)
    V.check_choice("hops", hops, ("fronczak", "asymptotic"))
    mc = _mconn(nv)
    xc = float(np.log(mc))
    if _dcost_dlnM(xc, nv, F, s, hops) < 0:
        return OptimalM(mc, float(_chain_cost(mc, nv, F, s, hops)), True)
    f = lambda x: float(_chain_cost(np.exp(x), nv, F, s, hops))  # noqa: E731
    grid = np.linspace(np.log(2.0), xc, 257)
    vals = np.array([f(x) for x in grid])
    i = int(np.argmin(vals))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
    res = scipy.optimize.minimize_scalar(f, bounds=(lo, hi), method="bounded", options={"xatol": 1e-12})
    ok = bool(res.success) and np.isfinite(res.fun)
    result = raise_or_flag(RESULTS.successful if ok else RESULTS.inaccurate, throw=throw,
                           error=lambda: ConvergenceError(f"bounded minimisation of the chain cost failed: {res.message}",
                                                          iterations=int(getattr(res, "nfev", 0)),
                                                          last_iterate=float(np.exp(res.x))))
    x, cost = (float(res.x), float(res.fun)) if ok and res.fun <= vals[i] else (float(grid[i]), float(vals[i]))
    return OptimalM(float(np.exp(x)), cost, False, result)




@provenance("R", source=_MODEL, where="abstract [V] headline; mechanism and Assumption T ours, spec ibn.md §3.4")
def chain_tree_ratio(n_comparisons: Any, F: StructuralFunction, s2: Any, h_T: Any = 1, *,
                     hops: Literal["fronczak", "asymptotic"] = "fronczak") -> Bound:
    """Chain-to-tree cost ratio of the mechanism model [R].

    .. math:: \\mathrm{ratio}(n) = \\frac{C_{\\rm chain}(M^\\*;n)}{C_{\\rm tree}(n)}
              \\;=\\;\\frac{1+\\ell^\\*(n)}{1+h_T}\\ \\text{(boundary optimum, } s_2=0),\\qquad
              \\ell^\\*(n) = \\frac{W(2n)-\\gamma}{\\ln W(2n)}+\\frac12

    which is :math:`\\Theta(\\ln n/\\ln\\ln n)`, the paper's headline [V] reproduced *under our
    model and Assumption T*. The value uses :func:`optimal_M`; the closed form
    (:func:`closed_form_chain_tree_ratio`, carried as ``.sympy()`` of the result) is valid only
    when ``s2 == 0``, the optimum is at the boundary and ``hops="fronczak"``. This is a property of the path
    surrogate in our model, not of the exact posterior variance (spec ``ibn.md`` §3.5), and the
    exact simulation in the reference universe contradicts it (claim
    ``ibn.mechanism_ratio_vs_simulation``). Reconstruction; the full text was not available to us.

    Parameters
    ----------
    n_comparisons : float
        Budget :math:`n`, >= 100 (warning below 1000).
    F : StructuralFunction
    s2 : float
        :math:`\\sigma^2_{\\rm HP} \\ge 0`.
    h_T : float, default 1
        Hop count of Assumption T, >= 0.
    hops : {"fronczak", "asymptotic"}

    Returns
    -------
    Bound
        ``kind="asymptotic"``, ``provenance="R"``; behaves as its float value. ``.sympy()`` is
        available exactly when the closed form applies (above); otherwise it raises
        ``InvalidInputError`` naming ``expr``.

    Raises
    ------
    InvalidInputError
        Arguments outside their ranges.
    ConvergenceError
        From :func:`optimal_M`.

    Notes
    -----
    One :func:`optimal_M` call.

    Examples
    --------
    >>> from aligntheory.theory.ibn import StructuralFunction
    >>> r = chain_tree_ratio(1e3, StructuralFunction("poly", 1.0, 1.0), 0.0)
    >>> round(float(r), 10)
    2.2406479971
    >>> r.sympy()
    ((LambertW(2*n) - EulerGamma)/log(LambertW(2*n)) + 3/2)/(h_T + 1)
    """
    nv = _check_asymptotic_n(n_comparisons, "n_comparisons")
    F = _as_F(F)
    s = V.check_scalar("s2", s2, nonnegative=True)
    h = V.check_scalar("h_T", h_T, nonnegative=True)
    V.check_choice("hops", hops, ("fronczak", "asymptotic"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AsymptoticRangeWarning)  # already issued once above
        opt = optimal_M(nv, F, s, hops=hops)
    mc = _mconn(nv)
    chain = _chain_cost(min(opt.M_star, mc), nv, F, s, hops)
    value = float(chain / (F(mc) * (1.0 + h) + s * h))
    closed = s == 0 and opt.at_boundary and hops == "fronczak"
    return Bound(value, kind="asymptotic", quantity="chain/tree inference-cost ratio of the mechanism model",
                 assumptions=(_ASSUME_ER, _ASSUME_T, f"structural function {F.regime}, alpha={F.alpha:g}",
                              f"s2={s:g}, h_T={h:g}", "path surrogate, not the exact posterior variance"),
                 source=_MODEL, where="abstract [V] headline; mechanism model ours (spec ibn.md §3.4)",
                 provenance="R", expr=(lambda: closed_form_chain_tree_ratio()) if closed else None,
                 subs={"n": nv, "h_T": h})


_hT = sp.Symbol("h_T", nonnegative=True)


@provenance("R", source=_MODEL, where="abstract [V] headline; mechanism and Assumption T ours, spec ibn.md §3.4")
def closed_form_chain_tree_ratio(n_comparisons: Any = None, h_T: Any = None) -> sp.Expr:
    """Closed form of the model ratio at a boundary optimum with :math:`s_2=0` [R].

    .. math:: \\frac{1+\\ell^\\*(n)}{1+h_T}, \\qquad \\ell^\\*(n)=\\frac{W(2n)-\\gamma}{\\ln W(2n)}+\\frac12

    Parameters
    ----------
    n_comparisons, h_T : number or sympy expression, optional
        Substituted for the symbols ``n`` (> 0) and ``h_T`` (>= 0) when given.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    InvalidInputError
        Strings, numbers outside the ranges.

    Examples
    --------
    >>> closed_form_chain_tree_ratio()
    ((LambertW(2*n) - EulerGamma)/log(LambertW(2*n)) + 3/2)/(h_T + 1)
    """
    x = _nsym if n_comparisons is None else G.sympy_value("n_comparisons", n_comparisons)
    h = _hT if h_T is None else G.sympy_value("h_T", h_T)
    if x.is_number and not (x.is_real and x > 0 and x.is_finite):
        raise InvalidInputError("n_comparisons", "must be > 0", received=str(x))
    if h.is_number and not (h.is_real and h >= 0 and h.is_finite):
        raise InvalidInputError("h_T", "must be >= 0", received=str(h))
    W = sp.LambertW(2 * x)
    ell = (W - sp.EulerGamma) / sp.log(W) + sp.Rational(1, 2)
    return (1 + ell) / (1 + h)


@provenance("V", source=_MODEL, where="abstract (arXiv 2402.10184 v7)")
def closed_form_headline_factor() -> sp.Expr:
    """The paper's headline factor :math:`\\log n/\\log\\log n` [V].

    The tree-based reward model has up to :math:`\\Theta(\\log n/\\log\\log n)` times less
    variance than the chain-based one (Qiu et al., abstract, arXiv 2402.10184).

    Returns
    -------
    sympy.Expr
        In the positive symbol ``n``.

    Examples
    --------
    >>> closed_form_headline_factor()
    log(n)/log(log(n))
    """
    return sp.log(_nsym) / sp.log(sp.log(_nsym))


@provenance("R", source=_MODEL, where="regimes A/B [S names]; definition ours, spec ibn.md §2.8")
def regime_of(n_comparisons: Any, F: StructuralFunction, s2: Any) -> Literal["A", "B"]:
    """Variance regime of a budget [S names; R definition].

    .. math:: \\rho(n) = \\sigma^2_{\\rm HP}/F(M_{\\rm conn}(n)); \\quad
              \\mathfrak A: \\rho\\le1 \\text{ (IB uncertainty dominates)}, \\quad \\mathfrak B: \\rho>1

    Spec ``ibn.md`` §2.8; reconstruction; the full text was not available to us.

    Parameters
    ----------
    n_comparisons : float
        Budget :math:`n > 0`.
    F : StructuralFunction
    s2 : float
        :math:`\\sigma^2_{\\rm HP} \\ge 0`.

    Returns
    -------
    {"A", "B"}

    Raises
    ------
    InvalidInputError
        Arguments outside their documented ranges.

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> from aligntheory.theory.ibn import StructuralFunction
    >>> F = StructuralFunction("poly", 1.0, 1.0)
    >>> regime_of(1e3, F, 1e-4), regime_of(1e6, F, 1e-4)
    ('A', 'B')
    """
    nv = V.check_scalar("n_comparisons", n_comparisons, positive=True)
    F = _as_F(F)
    s = V.check_scalar("s2", s2, nonnegative=True)
    return "A" if s <= F(_mconn(nv)) else "B"



@provenance("R", source=_MODEL, where="regime A boundary (ours), spec ibn.md §2.8")
def n_regime_A_limit(F: StructuralFunction, s2: Any) -> float:
    """Budget at which regime :math:`\\mathfrak A` ends: :math:`F(M_{\\rm conn}(n_{\\mathfrak A}))=\\sigma^2_{\\rm HP}` [R].

    .. math:: n_{\\mathfrak A} = \\tfrac12 m_0\\ln m_0, \\qquad m_0 = F^{-1}(\\sigma^2_{\\rm HP})
              \\ \\big(= (I/\\sigma^2_{\\rm HP})^{1/\\alpha}\\ \\text{for polynomial } F\\big)

    Returns ``inf`` when ``s2 == 0`` (never leaves :math:`\\mathfrak A`) and ``0.0`` when
    :math:`m_0\\le1` (:math:`\\mathfrak A` is never entered). Spec ``ibn.md`` §2.8; reconstruction;
    the full text was not available to us.

    Parameters
    ----------
    F : StructuralFunction
    s2 : float
        :math:`\\sigma^2_{\\rm HP} \\ge 0`.

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        Arguments outside their documented ranges, non-finite input, ``F`` not a
        :class:`StructuralFunction`.
    PrecisionError
        :math:`n_{\\mathfrak A}` overflows float64 (``s2`` near the smallest normal number).

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> from aligntheory.theory.ibn import StructuralFunction
    >>> F = StructuralFunction("poly", 1.0, 1.0)
    >>> round(n_regime_A_limit(F, 0.01), 6)   # m0 = 100: 50 ln 100
    230.258509
    >>> n_regime_A_limit(F, 0.0), n_regime_A_limit(F, 2.0)
    (inf, 0.0)
    """
    F = _as_F(F)
    s = V.check_scalar("s2", s2, nonnegative=True)
    if s == 0:
        return float("inf")
    if s >= F.I:
        return 0.0
    m0 = F.inverse(s)
    if m0 <= 1:
        return 0.0
    with np.errstate(over="ignore"):
        out = 0.5 * m0 * np.log(m0)
    if not np.isfinite(out):
        from aligntheory.errors import PrecisionError

        raise PrecisionError(f"n_A = m0 ln m0 / 2 overflows float64 (m0 = {m0:.3g}, s2 = {s:.3g})")
    return float(out)

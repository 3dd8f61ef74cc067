"""Divergence quantities, our bounds E6-E8 and the alignment-mass curve of E10 (spec ``elasticity.md``
§2.2 items 9-10, §3)."""

from __future__ import annotations

import math
import warnings
from typing import Any, NamedTuple

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import AsymptoticRangeWarning, InvalidInputError, PrecisionError
from aligntheory.results import Bound, provenance
from aligntheory.theory.elasticity._validation import (
    _kl_args,
    _pp_support,
    _same_shape,
    _triple,
    check_distribution,
)

_WHERE_E6 = "our bound E6 (aligntheory), spec elasticity.md §3"


@provenance("M", where="spec elasticity.md §4.1 (result object)")
class OppositeModelBounds(NamedTuple):
    """Lower and upper :class:`~aligntheory.results.Bound` on the elasticity ratio R (our bound E6)."""

    lower: Bound
    upper: Bound


@provenance("M", where="spec elasticity.md §2.2 item 10")
@V.overflow_guard
def cross_term_A(P_p: Any, P_a: Any, P_t: Any) -> float:
    """Cross term :math:`A = \\sum_x P_aP_t/P_p - 1 = \\mathrm{Cov}_{P_p}(P_a/P_p, P_t/P_p)` [M].

    Spec ``elasticity.md`` §2.2 item 10. :math:`A\\in[-1,\\infty)`; :math:`A=-1` exactly in the
    opposite-behaviour configuration; :math:`A=\\chi^2(P_a\\|P_p)` when :math:`P_t=P_a`.

    Parameters
    ----------
    P_p, P_a, P_t : array_like, shape (M,)
        :math:`P_p > 0` wherever :math:`P_a + P_t > 0`.

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        Not probability vectors, mismatched shapes, or :math:`P_p = 0` where the others are > 0
        ("support").
    PrecisionError
        The value exceeds the float64 range (:math:`P_p` tiny, e.g. subnormal, where the others have mass).

    Notes
    -----
    :math:`O(M)`.

    Examples
    --------
    >>> cross_term_A([0.5, 0.5], [1.0, 0.0], [0.0, 1.0])
    -1.0
    """
    Pp, Pa, Pt = _triple(P_p, P_a, P_t)
    _pp_support(Pp, Pa + Pt, "P_p")
    m = Pp > 0
    # sum (P_a - P_p)(P_t - P_p)/P_p equals A and avoids cancellation when P_a, P_t ~ P_p
    return float(np.sum((Pa[m] - Pp[m]) * (Pt[m] - Pp[m]) / Pp[m]))


@provenance("M", source="cover2006elements", where="spec elasticity.md §2.2 item 10")
@V.overflow_guard
def chi_square(P_t: Any, P_p: Any) -> float:
    """Pearson divergence :math:`\\chi^2(P_t\\|P_p) = \\sum_x P_t^2/P_p - 1 = \\sum_x (P_t-P_p)^2/P_p` [M].

    Spec ``elasticity.md`` §2.2 item 10 (Cover & Thomas 2006 context); the second form is used
    (non-negative by construction).

    Parameters
    ----------
    P_t, P_p : array_like, shape (M,)
        :math:`P_p > 0` wherever :math:`P_t > 0`.

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        Not probability vectors, mismatched shapes, support violation.
    PrecisionError
        The value exceeds the float64 range (:math:`P_p` tiny, e.g. subnormal, where :math:`P_t` has mass).

    Notes
    -----
    :math:`O(M)`.

    Examples
    --------
    >>> chi_square([0.0, 1.0], [0.5, 0.5])
    1.0
    """
    Pt, Pp = check_distribution("P_t", P_t), check_distribution("P_p", P_p)
    _same_shape(P_t=Pt, P_p=Pp)
    _pp_support(Pp, Pt, "P_p")
    m = Pp > 0
    return float(np.sum((Pt[m] - Pp[m]) ** 2 / Pp[m]))


@provenance("M", where="Proposition E7 (aligntheory), range of validity")
@V.overflow_guard
def r_max(P_p: Any, P_a: Any, P_t: Any, l: Any) -> float:
    """:math:`r_{\\max} = \\max_{x: P_a+P_t>0} (P_a + lP_t)/P_p`, the scale that sets where E7 holds [M].

    Parameters
    ----------
    P_p, P_a, P_t : array_like, shape (M,)
    l : float
        >= 0.

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        Invalid distributions, support violation, :math:`l < 0`.
    PrecisionError
        The value exceeds the float64 range (:math:`P_p` tiny where :math:`P_a + lP_t` has mass).

    Notes
    -----
    :math:`O(M)`.

    Examples
    --------
    >>> r_max([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 0.5)
    2.0
    """
    Pp, Pa, Pt = _triple(P_p, P_a, P_t)
    l = V.check_scalar("l", l, nonnegative=True)
    _pp_support(Pp, Pa + Pt, "P_p")
    m = (Pa + Pt) > 0
    return float(np.max((Pa[m] + l * Pt[m]) / Pp[m]))


@provenance("R", source="ji2024language", where="Thm 4.2 setting (as reported in secondary summaries); our configuration, spec §2.2 item 9")
def is_opposite_configuration(P_p: Any, P_a: Any, P_t: Any) -> bool:
    """Whether supp P_a ∩ supp P_t = ∅ and P_p > 0 on supp P_a ∪ supp P_t (spec §2.2 item 9) [R].

    Parameters
    ----------
    P_p, P_a, P_t : array_like, shape (M,)

    Returns
    -------
    bool

    Raises
    ------
    InvalidInputError
        Not probability vectors or mismatched shapes.

    Notes
    -----
    :math:`O(M)`.

    Examples
    --------
    >>> is_opposite_configuration([0.5, 0.5], [1.0, 0.0], [0.0, 1.0])
    True
    """
    Pp, Pa, Pt = _triple(P_p, P_a, P_t)
    return bool(not np.any((Pa > 0) & (Pt > 0)) and np.all(Pp[(Pa + Pt) > 0] > 0))


@provenance("M", where="our bound E6 (aligntheory), spec elasticity.md §3")
def opposite_model_bounds(k: Any, l: Any, chi2: Any, *, P_a: Any = None, P_t: Any = None) -> OppositeModelBounds:
    """Our bound E6: :math:`k \\le R \\le (k+l(1+\\chi^2))/(1-l\\chi^2)` in the opposite-behaviour model [M].

    Valid in the opposite-behaviour configuration when :math:`l\\chi^2<1`; there also
    :math:`\\gamma_p'<0<\\gamma_a'=1/c`. Ji et al. (arXiv 2406.06144) Thm 4.2 states
    :math:`\\gamma_a' = \\Theta(-k\\gamma_p')` (as reported in secondary summaries); these explicit
    constants are ours (proof by Jensen, spec §3 E6). Tight when :math:`r_t=P_t/P_p` is constant on
    :math:`S_t`.

    Parameters
    ----------
    k : float
        > 0.
    l : float
        >= 0 with :math:`l\\chi^2 < 1`.
    chi2 : float
        :math:`\\chi^2(P_t\\|P_p) \\ge 0`.
    P_a, P_t : array_like, optional
        When given, their supports must be disjoint.

    Returns
    -------
    OppositeModelBounds
        ``(lower, upper)``, each a :class:`~aligntheory.results.Bound` (kind ``lower`` / ``upper``,
        provenance [M], assumptions listed, ``.sympy()`` in ``k, l, chi2``).

    Raises
    ------
    InvalidInputError
        :math:`k \\le 0`, :math:`l < 0`, :math:`\\chi^2 < 0`, :math:`l\\chi^2 \\ge 1` (the message
        gives :math:`\\chi^2` and the admissible range), or overlapping supports of ``P_a``/``P_t``.
    PrecisionError
        The upper bound exceeds the float64 range.

    Notes
    -----
    :math:`O(1)`, or :math:`O(M)` with the supports.

    Examples
    --------
    >>> lo, hi = opposite_model_bounds(10.0, 0.1, 1.0)
    >>> float(lo), float(hi), hi.kind
    (10.0, 11.333333333333332, 'upper')
    >>> hi.sympy()
    (k + l*(chi2 + 1))/(-chi2*l + 1)
    """
    k, l = _kl_args(k, l)
    chi2 = V.check_scalar("chi2", chi2, nonnegative=True)
    if P_a is not None or P_t is not None:
        Pa, Pt = check_distribution("P_a", P_a), check_distribution("P_t", P_t)
        _same_shape(P_a=Pa, P_t=Pt)
        ov = np.flatnonzero((Pa > 0) & (Pt > 0))
        if ov.size:
            raise InvalidInputError("P_t", f"supports of P_a and P_t overlap (first shared leaf {int(ov[0])}); "
                                    f"the bounds need the opposite configuration (chi^2 = {chi2!r}, "
                                    f"admissible l < 1/chi^2)", received=int(ov[0]))
    if not l * chi2 < 1.0:
        lim = math.inf if chi2 == 0 else 1.0 / chi2
        raise InvalidInputError("l", f"needs l * chi^2 < 1: chi^2 = {chi2!r}, admissible range l < 1/chi^2 = {lim!r}",
                                received=l)
    assumptions = ("opposite-behaviour configuration: supp P_a and supp P_t disjoint, P_p > 0 on both",
                   "l chi^2 < 1", "trained model = size-weighted mixture (Proposition E1)", "ideal code lengths")
    subs = {"k": k, "l": l, "chi2": chi2}

    def upper_expr():
        import sympy as sp

        ks, ls, cs = sp.symbols("k l chi2", positive=True)
        return (ks + ls * (1 + cs)) / (1 - ls * cs)

    def lower_expr():
        import sympy as sp

        return sp.Symbol("k", positive=True)

    common = dict(quantity="elasticity ratio R = -gamma_a'/gamma_p'", assumptions=assumptions,
                  where="our bound E6 (aligntheory), spec elasticity.md §3", provenance="M", subs=subs)
    upper = k / (1.0 - l * chi2) + l * (1.0 + chi2) / (1.0 - l * chi2)
    if not math.isfinite(upper):
        raise PrecisionError(f"opposite_model_bounds: the upper bound (k + l(1 + chi^2))/(1 - l chi^2) exceeds the "
                             f"float64 range (k = {k!r}, l = {l!r}, chi2 = {chi2!r})")
    return OppositeModelBounds(Bound(k, kind="lower", expr=lower_expr, **common),
                               Bound(upper, kind="upper", expr=upper_expr, **common))


@provenance("M", where="Proposition E7 (aligntheory), spec elasticity.md §3")
def asymptotic_ratio(k: Any, l: Any, A: Any, chi2: Any, *, r_max: Any = None) -> Bound:
    """Leading term :math:`R \\approx c\\,A/(A+l\\chi^2)` as :math:`k\\to\\infty` (our Proposition E7) [M].

    Also :math:`\\gamma_p' \\approx (A+l\\chi^2)/c^2`, :math:`\\gamma_a' \\approx -A/c`; the relative
    correction is :math:`O(r_{\\max}/k)/|A+l\\chi^2|`. Given ``r_max`` it warns
    (:class:`~aligntheory.errors.AsymptoticRangeWarning`) when :math:`k < 10^4\\max(1,r_{\\max})`.

    Parameters
    ----------
    k : float
        > 0.
    l : float
        >= 0.
    A : float
        Cross term :math:`A \\ge -1` (:func:`cross_term_A`).
    chi2 : float
        :math:`\\chi^2(P_t\\|P_p) \\ge 0`.
    r_max : float, optional
        :func:`r_max`; enables the range warning.

    Returns
    -------
    Bound
        ``kind="asymptotic"``; ``.sympy()`` gives :math:`(k+1+l)A/(A+l\\chi^2)`.

    Raises
    ------
    InvalidInputError
        Invalid scalars, or :math:`A + l\\chi^2 = 0` ("ratio undefined").
    PrecisionError
        The value exceeds the float64 range.

    Warns
    -----
    AsymptoticRangeWarning
        When ``r_max`` is given and :math:`k < 10^4\\max(1,r_{\\max})`.

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> asymptotic_ratio(1e5, 0.01, -1.0, 7.9379) / 1e5
    1.0862...
    >>> asymptotic_ratio(1e5, 0.01, -1.0, 7.9379).kind
    'asymptotic'
    """
    k, l = _kl_args(k, l)
    A = V.check_scalar("A", A, lo=-1.0 - 1e-12)
    chi2 = V.check_scalar("chi2", chi2, nonnegative=True)
    den = A + l * chi2
    if den == 0.0:
        raise InvalidInputError("A", "ratio undefined: A + l chi^2 = 0", received=A)
    if r_max is not None:
        rm = V.check_scalar("r_max", r_max, nonnegative=True)
        if k < 1e4 * max(1.0, rm):
            warnings.warn(f"asymptotic_ratio: k = {k:g} < 1e4 max(1, r_max) = {1e4 * max(1.0, rm):g}; "
                          "the O(r_max/k) correction may be large", AsymptoticRangeWarning, stacklevel=2)
    def expr():
        import sympy as sp

        ks, ls, cs = sp.symbols("k l chi2", positive=True)
        As = sp.Symbol("A", real=True)
        return (ks + 1 + ls) * As / (As + ls * cs)

    ratio = A / den
    value = ratio * k + ratio * (1.0 + l)  # = (k + 1 + l) A / den without forming k + 1 + l first
    if not math.isfinite(value):
        raise PrecisionError(f"asymptotic_ratio: the leading term (k + 1 + l) A/(A + l chi^2) = {ratio!r} x "
                             f"{k!r} exceeds the float64 range")
    return Bound(value, kind="asymptotic", quantity="elasticity ratio R as k -> infinity",
                 assumptions=("P_p > 0 wherever P_a + P_t > 0", "l fixed", "A + l chi^2 != 0",
                              "relative correction O(r_max/k)/|A + l chi^2|"),
                 where="Proposition E7 (aligntheory), spec elasticity.md §3", provenance="M", expr=expr,
                 subs={"k": k, "l": l, "A": A, "chi2": chi2})


@provenance("M", where="Proposition E8 (aligntheory), spec elasticity.md §3")
def disjoint_support_rates(entropies: Any, sizes: Any) -> np.ndarray:
    """Rates :math:`\\gamma_i = H(P_i) - \\log(N_i/N)` for pairwise disjoint supports (our Proposition E8) [M].

    Then :math:`\\gamma_p' = \\gamma_a' = 1/c > 0` and :math:`R=-1`: Thm 4.2 of Ji et al. (arXiv
    2406.06144), as reported in secondary summaries, cannot hold for support-disjoint datasets
    (spec §8 item 2).

    Parameters
    ----------
    entropies : array_like, shape (m,)
        :math:`H(P_i) \\ge 0` (nats).
    sizes : array_like, shape (m,)
        :math:`N_i > 0` (any scale: normalised by their largest entry before the logarithm).

    Returns
    -------
    numpy.ndarray, shape (m,)

    Raises
    ------
    InvalidInputError
        Negative or non-finite entries, mismatched shapes.

    Notes
    -----
    :math:`O(m)`.

    Examples
    --------
    >>> disjoint_support_rates([0.0, 0.0], [1.0, 1.0]).round(6).tolist()
    [0.693147, 0.693147]
    """
    H = V.as_float_array("entropies", entropies, ndim=1, nonnegative=True)
    N = V.as_float_array("sizes", sizes, ndim=1, positive=True)
    if H.shape != N.shape:
        raise InvalidInputError("sizes", f"mismatched shapes: entropies {H.shape}", received=f"shape {N.shape}")
    # log(N_i/N) in log space (sizes from 1e-300 to 1e300 neither under- nor overflow):
    # log N_i - log N_max - log1p(sum_{j != max} N_j / N_max); log1p keeps full relative accuracy of
    # the largest set's rate, which is tiny when that set dominates
    logN = np.log(N)
    j = int(np.argmax(logN))
    rest = float(np.sum(np.exp(np.delete(logN, j) - logN[j])))
    return H - (logN - logN[j] - math.log1p(rest))


@provenance("M", where="Proposition E10 (aligntheory), spec elasticity.md §3")
def alignment_mass_curve(pi: Any, k: Any, ls: Any) -> np.ndarray:
    """Alignment mass :math:`m_a(l) = (k\\pi+1)/(k+1+l)` of the exact mixture (our Proposition E10) [M].

    In the opposite configuration with :math:`\\pi = P_p(S_a)`; it returns to :math:`\\pi` at
    :math:`l^*=(1-\\pi)/\\pi` independently of :math:`k`, and decays hyperbolically (no two-phase shape).

    Parameters
    ----------
    pi : float
        :math:`P_p(S_a) \\in [0, 1]`.
    k : float
        > 0.
    ls : array_like
        Values of :math:`l \\ge 0`.

    Returns
    -------
    numpy.ndarray, shape of ``ls``

    Raises
    ------
    InvalidInputError
        Out-of-range or non-finite inputs.

    Notes
    -----
    :math:`O(|ls|)`.

    Examples
    --------
    >>> alignment_mass_curve(0.25, 10.0, [0.0, 3.0]).tolist()
    [0.3181818181818182, 0.25]
    """
    p = V.check_scalar("pi", pi, lo=0.0, hi=1.0)
    k = V.check_scalar("k", k, positive=True)
    L = V.as_float_array("ls", ls, nonnegative=True)
    return (k * p + 1.0) / (k + 1.0 + L)

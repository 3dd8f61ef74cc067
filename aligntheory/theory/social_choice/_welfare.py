"""Exact welfare on finite instances (spec ``social_choice.md`` §2.1--2.2, §4.1) [R].

A finite instance has pairs :math:`x = (i, q)` with weights :math:`D(x)`, an issue index per pair and a
utility table ``util_table[x, o]`` :math:`= u_x(o)` (shape ``(n_pairs, k)``, :math:`k = \\max_q k_q`; entries
of outcomes that an issue lacks are ignored as long as no policy selects them). A policy table has shape
``(|F|, Q)`` with ``policy_outcomes[f, q]`` :math:`= f(q)`. The model is our reconstruction [R],
consistent with the [V] abstract of Qiu (arXiv 2410.23953).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.results import provenance

__all__ = [
    "MAX_ALTERNATIVES",
    "MAX_ISSUES",
    "scoring_vector",
    "utilities_from_rankings",
    "population_welfare",
    "empirical_welfare",
    "erm_choice",
    "issuewise_majority",
    "threshold_welfare",
    "threshold_empirical_welfare",
    "adversarial_policy",
]

_WEIGHT_TOL = 1e-12


def _index_array(name: str, x: Any, *, n: int, shape) -> np.ndarray:
    """Index array through the one refusal point for ragged/complex/object input, then range-checked."""
    return V.as_index_array(name, V.as_real_array(name, x), n=n, shape=shape)

MAX_ALTERNATIVES = 10**6
"""Default cap on the length of :func:`scoring_vector`."""

MAX_ISSUES = 10**7
"""Default cap on ``n_issues`` of :func:`issuewise_majority` (its output has one entry per issue)."""


@provenance("M", where="spec §2.1 positional scoring vectors")
def scoring_vector(kind: str, n_alternatives: int, *, max_alternatives: int = MAX_ALTERNATIVES) -> np.ndarray:
    """Normalised positional scoring vector of length :math:`k` [M] (spec §2.1).

    ``"plurality"``: :math:`s=(1,0,\\dots,0)`; ``"borda"``: :math:`s_r=(k-r)/(k-1)`.

    Parameters
    ----------
    kind : {"plurality", "borda"}
    n_alternatives : int
        :math:`k \\ge 2`.
    max_alternatives : int, default 1_000_000
        Cap on :math:`k` (:data:`MAX_ALTERNATIVES`), checked before allocating.

    Returns
    -------
    float64 array, shape (k,)

    Raises
    ------
    InvalidInputError, SizeCapError

    Notes
    -----
    :math:`O(k)`.

    Examples
    --------
    >>> scoring_vector("borda", 3).tolist()
    [1.0, 0.5, 0.0]
    """
    V.check_choice("kind", kind, ("plurality", "borda"))
    k = V.check_int("n_alternatives", n_alternatives, lo=2)
    V.check_size("n_alternatives", k, cap=V.check_int("max_alternatives", max_alternatives, lo=2), unit="entries")
    if kind == "plurality":
        s = np.zeros(k)
        s[0] = 1.0
        return s
    return (k - 1 - np.arange(k)) / (k - 1)


def _check_scoring(name: str, s: Any) -> np.ndarray:
    arr = V.as_float_array(name, s, ndim=1)
    if arr.size < 2:
        raise InvalidInputError(name, "must have length >= 2", received=f"shape {arr.shape}")
    if np.any(np.diff(arr) > 0):
        raise InvalidInputError(name, "must be non-increasing (s_1 >= s_2 >= ... >= s_k)", received=arr.tolist())
    if arr[0] != 1.0 or arr[-1] != 0.0:
        raise InvalidInputError(name, "must be normalised: s_1 = 1 and s_k = 0", received=arr.tolist())
    return arr


@provenance("R", source="qiu2024representative", where="ordinal utilities; spec §2.1")
def utilities_from_rankings(rankings: Any, scoring: Any) -> np.ndarray:
    """Utility table from strict rankings of outcomes and a positional scoring vector [R] (spec §2.1).

    .. math:: u_x(o) = s_{r_x(o)}

    Parameters
    ----------
    rankings : int array, shape (n_pairs, k)
        Row :math:`x` is a permutation of :math:`0..k-1`, best outcome first.
    scoring : float array, shape (k,)
        Non-increasing with :math:`s_1 = 1, s_k = 0`.

    Returns
    -------
    float64 array, shape (n_pairs, k). Complexity :math:`O(n k)`.

    Examples
    --------
    >>> utilities_from_rankings([[2, 0, 1]], [1.0, 0.5, 0.0]).tolist()
    [[0.5, 0.0, 1.0]]
    """
    s = _check_scoring("scoring", scoring)
    r = _check_rankings("rankings", rankings, s.size)
    util = np.empty(r.shape, dtype=np.float64)
    rows = np.arange(r.shape[0])[:, None]
    util[rows, r] = s[None, :]
    return util


def _check_rankings(name: str, rankings: Any, k: int | None = None) -> np.ndarray:
    r = V.as_real_array(name, rankings)
    if r.ndim != 2 or r.dtype.kind not in "iu":
        raise InvalidInputError(name, "must be a 2-d integer array of rankings", received=f"shape {r.shape}, dtype {r.dtype}")
    if k is not None and r.shape[1] != k:
        raise InvalidInputError(name, f"rows must have length {k}", received=f"shape {r.shape}")
    if not np.array_equal(np.sort(r, axis=1), np.broadcast_to(np.arange(r.shape[1]), r.shape)):
        raise InvalidInputError(name, f"every row must be a permutation of 0..{r.shape[1] - 1}")
    return r.astype(np.int64)


def _instance(util_table: Any, issue_of_pair: Any, policy_outcomes: Any):
    util = V.as_float_array("util_table", util_table, ndim=2)
    if util.size and (util.min() < 0 or util.max() > 1):
        raise InvalidInputError("util_table", "utilities must lie in [0, 1]",
                                received=f"range [{util.min()}, {util.max()}]")
    issues = V.as_real_array("issue_of_pair", issue_of_pair)
    if issues.ndim != 1 or issues.shape[0] != util.shape[0] or (issues.size and issues.dtype.kind not in "iu"):
        raise InvalidInputError("issue_of_pair", f"must be an integer vector of length n_pairs = {util.shape[0]}",
                                received=f"shape {issues.shape}, dtype {issues.dtype}")
    pol = V.as_real_array("policy_outcomes", policy_outcomes)
    if pol.ndim == 1:
        pol = pol[None, :]
    if pol.ndim != 2 or (pol.size and pol.dtype.kind not in "iu"):
        raise InvalidInputError("policy_outcomes", "must be an integer array of shape (n_policies, n_issues)",
                                received=f"shape {pol.shape}")
    q = pol.shape[1]
    if issues.size and (issues.min() < 0 or issues.max() >= q):
        raise InvalidInputError("issue_of_pair", f"issue index out of range: must lie in [0, {q - 1}] "
                                f"(policy table width = number of issues = {q})", received=int(issues.max()))
    if pol.size and (pol.min() < 0 or pol.max() >= util.shape[1]):
        raise InvalidInputError("policy_outcomes", f"outcomes must lie in [0, {util.shape[1] - 1}]",
                                received=int(pol.max()))
    return util, issues.astype(np.int64), pol.astype(np.int64)


def _weights(weights: Any, n: int) -> np.ndarray:
    w = V.as_float_array("weights", weights, shape=(n,))
    if np.any(w < 0):
        raise InvalidInputError("weights", "pair weights must be >= 0", received=f"min {float(w.min())}")
    if abs(math.fsum(w.tolist()) - 1.0) > _WEIGHT_TOL:
        raise InvalidInputError("weights", "pair weights must sum to 1 (tolerance 1e-12)",
                                received=f"sum {math.fsum(w.tolist())!r}")
    return w


def _agreement(util: np.ndarray, issues: np.ndarray, pol: np.ndarray) -> np.ndarray:
    """``U[f, x] = u_x(f(q_x))``, shape (|F|, n_pairs)."""
    return util[np.arange(util.shape[0])[None, :], pol[:, issues]]


_SPLIT = 134217729.0  # 2**27 + 1: Veltkamp's splitting constant for float64
_TINY = 2.0**-960  # below this the rounding error of a product may underflow: exact rationals instead


def _split(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = _SPLIT * x
    hi = c - (c - x)
    return hi, x - hi


def _exact_dot(a: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Correctly rounded :math:`\\sum_x a[f, x]\\,w[x]` per row ``f`` (entries in [0, 1]).

    Dekker's two-product gives ``a*w = p + e`` exactly unless the product is tiny, so ``math.fsum``
    over the ``p`` and ``e`` of a row is the correctly rounded exact sum; rows with a nonzero product
    below ``_TINY`` (or one that underflowed to 0) are summed in exact rationals.
    """
    p = a * w[None, :]
    (ah, al), (wh, wl) = _split(a), _split(w[None, :])
    e = ((ah * wh - p) + ah * wl + al * wh) + al * wl
    tiny = ((p != 0) & (np.abs(p) < _TINY)) | ((p == 0) & (a != 0) & (w[None, :] != 0))
    out = np.empty(a.shape[0], dtype=np.float64)
    for f in range(a.shape[0]):
        if tiny[f].any():
            out[f] = float(sum((Fraction(x) * Fraction(y) for x, y in zip(a[f].tolist(), w.tolist())), Fraction(0)))
        else:
            out[f] = math.fsum(p[f].tolist() + e[f].tolist())
    return out


@provenance("R", source="qiu2024representative", where="population welfare; spec §2.2")
def population_welfare(weights: Any, util_table: Any, issue_of_pair: Any, policy_outcomes: Any) -> np.ndarray:
    """Exact population welfare :math:`W(f)=\\mathbb E_{x\\sim D}u_x(f(q_x))` of every policy [R] (spec §2.2).

    .. math:: W(f) = \\sum_x D(x)\\, u_x(f(q_x))

    Each product :math:`D(x)\\,u_x` is split error-free into ``p + e`` (Dekker's two-product; exact
    rationals for the rare products small enough to underflow) and all pieces are summed by
    ``math.fsum``, so :math:`W(f)` is the correctly rounded value of the exact sum: equal exact
    welfare gives equal floats. Distinct welfare values closer than half an ulp may still round to
    the same float; decisions between them must not be taken on these floats.

    Parameters
    ----------
    weights : float array, shape (n_pairs,)
        :math:`D(x) \\ge 0`, summing to 1 within :math:`10^{-12}`.
    util_table : float array, shape (n_pairs, k)
    issue_of_pair : int array, shape (n_pairs,)
    policy_outcomes : int array, shape (|F|, Q) or (Q,)

    Returns
    -------
    float64 array, shape (|F|,). Complexity :math:`O(|F|\\, n)`.

    Examples
    --------
    >>> population_welfare([0.5, 0.5], [[1, 0], [0, 1]], [0, 0], [[0], [1]]).tolist()
    [0.5, 0.5]
    """
    util, issues, pol = _instance(util_table, issue_of_pair, policy_outcomes)
    w = _weights(weights, util.shape[0])
    return _exact_dot(_agreement(util, issues, pol), w)


@provenance("R", source="qiu2024representative", where="empirical welfare; spec §2.2")
def empirical_welfare(sample: Any, util_table: Any, issue_of_pair: Any, policy_outcomes: Any) -> np.ndarray:
    """Empirical welfare :math:`\\hat W_S(f) = \\frac1N\\sum_n u_{x_n}(f(q_n))` [R] (spec §2.2).

    Parameters
    ----------
    sample : int array, shape (N,)
        Indices of the sampled pairs (repeats allowed).

    Returns
    -------
    float64 array, shape (|F|,), correctly rounded sums. Complexity :math:`O(|F|N)`.

    Examples
    --------
    >>> empirical_welfare([0, 0, 1], [[1, 0], [0, 1]], [0, 0], [[0], [1]]).tolist()
    [0.6666666666666666, 0.3333333333333333]
    """
    agree = _sample_agreement(sample, util_table, issue_of_pair, policy_outcomes)
    return np.array([math.fsum(row) / len(row) for row in agree.tolist()], dtype=np.float64)


def _sample_agreement(sample: Any, util_table: Any, issue_of_pair: Any, policy_outcomes: Any) -> np.ndarray:
    """``A[f, n] = u_{x_n}(f(q_n))``, shape (|F|, N), after the checks of :func:`empirical_welfare`."""
    util, issues, pol = _instance(util_table, issue_of_pair, policy_outcomes)
    s = _index_array("sample", sample, n=util.shape[0], shape=(None,))
    if s.size == 0:
        raise InvalidInputError("sample", "must contain at least one pair (N >= 1)")
    return _agreement(util, issues, pol)[:, s]


@provenance("R", source="qiu2024representative", where="majority-vote / scoring mechanism; spec §2.2")
def erm_choice(sample: Any, util_table: Any, issue_of_pair: Any, policy_outcomes: Any) -> int:
    """Majority-vote / scoring ERM :math:`M(S) \\in \\arg\\max_f \\hat W_S(f)`, lowest index on ties [R] (spec §2.2).

    The comparison is exact: policies whose correctly rounded sums (``math.fsum``) are equal are
    compared by the sign of ``math.fsum`` of the difference of their terms (exact, since a nonzero
    exact sum of floats never rounds to 0), so only exactly equal empirical welfare counts as a tie,
    and a tie goes to the lowest index. Complexity :math:`O(|F|N)`.

    Examples
    --------
    >>> erm_choice([0, 1], [[1, 0], [0, 1]], [0, 0], [[0], [1]])  # a tie: lowest index wins
    0
    >>> erm_choice([0, 1, 2], [[1/3, 1], [1/3, 0], [1/3, 0]], [0, 0, 0], [[0], [1]])  # 3 fl(1/3) < 1
    1

    Raises
    ------
    InvalidInputError
        Indices out of range, or an empty policy class.
    """
    agree = _sample_agreement(sample, util_table, issue_of_pair, policy_outcomes)
    if agree.shape[0] == 0:  # an empty policy class has no argmax
        raise InvalidInputError("policy_outcomes", "must hold at least one policy (shape (|F| >= 1, Q))",
                                received=f"shape {np.shape(policy_outcomes)}")
    rows = agree.tolist()
    sums = np.array([math.fsum(row) for row in rows])
    cand = np.flatnonzero(sums == sums.max()).tolist()  # fsum is monotone: the exact argmax is among these
    best = cand[0]
    for f in cand[1:]:  # equal rounded sums: exact comparison, strictly larger replaces (lowest index on ties)
        if math.fsum(rows[f] + [-v for v in rows[best]]) > 0:
            best = f
    return int(best)


@provenance("R", source="qiu2024representative", where="issue-wise majority; spec §2.2, G6")
def issuewise_majority(sample_issues: Any, sample_prefs: Any, n_issues: int, *,
                       max_issues: int = MAX_ISSUES) -> np.ndarray:
    """Majority vote on the full binary product class :math:`\\{0,1\\}^{\\mathcal Q}` [R] (spec §2.2, G6).

    Each sampled issue takes the outcome preferred by most of the pairs sampled on it; ties and
    unsampled issues take outcome 0 (the lowest-index rule on the lexicographically indexed class).

    Parameters
    ----------
    sample_issues : int array, shape (N,)
    sample_prefs : int array of 0/1, shape (N,)
    n_issues : int
    max_issues : int, default 10_000_000
        Cap on :math:`Q` (:data:`MAX_ISSUES`), checked before allocating.

    Returns
    -------
    int64 array, shape (Q,). Complexity :math:`O(N + Q)`.

    Raises
    ------
    InvalidInputError, SizeCapError

    Examples
    --------
    >>> issuewise_majority([0, 0, 0, 2], [1, 1, 0, 0], 3).tolist()
    [1, 0, 0]
    """
    q = V.check_int("n_issues", n_issues, lo=1)
    V.check_size("n_issues", q, cap=V.check_int("max_issues", max_issues, lo=1), unit="issues")
    iss = _index_array("sample_issues", sample_issues, n=q, shape=(None,))
    y = _index_array("sample_prefs", sample_prefs, n=2, shape=(None,))
    V.check_same_length(("sample_issues", "sample_prefs"), iss, y)
    ones = np.bincount(iss, weights=y, minlength=q)
    tot = np.bincount(iss, minlength=q)
    return (2 * ones > tot).astype(np.int64)


@provenance("M", where="threshold benchmark, spec §4.2")
def threshold_welfare(t: Any) -> np.ndarray:
    """Closed-form welfare of the threshold policy :math:`f_t(q)=\\mathbf 1[q\\ge t]` [M] (spec §4.2).

    With :math:`q,\\theta \\sim U[0,1]` and preference :math:`\\mathbf 1[q \\ge \\theta]`, agreement fails
    exactly when :math:`q` lies between :math:`\\theta` and :math:`t`, so

    .. math:: W(t) = 1 - \\mathbb E|\\theta - t| = 1 - \\frac{t^2 + (1-t)^2}{2}.

    Examples
    --------
    >>> threshold_welfare([0.0, 0.5, 1.0]).tolist()
    [0.5, 0.75, 0.5]
    """
    tt = V.as_float_array("t", t)
    if tt.size and (tt.min() < 0 or tt.max() > 1):
        raise InvalidInputError("t", "thresholds must lie in [0, 1]")
    return 1.0 - (tt**2 + (1.0 - tt) ** 2) / 2.0


@provenance("M", where="threshold benchmark, spec §4.2")
def threshold_empirical_welfare(q: Any, y: Any, t: Any) -> np.ndarray:
    """:math:`\\hat W_S(t) = \\frac1N\\sum_n \\mathbf 1[\\mathbf 1[q_n \\ge t] = y_n]` for thresholds ``t`` [M].

    Reference implementation (:math:`O(N|T|)`) for the sorted and cumulative-count kernels.

    Examples
    --------
    >>> threshold_empirical_welfare([0.2, 0.7], [0, 1], [0.5]).tolist()
    [1.0]
    """
    qq = V.as_float_array("q", q, ndim=1)
    yy = _index_array("y", y, n=2, shape=(None,))
    V.check_same_length(("q", "y"), qq, yy)
    if qq.size == 0:
        raise InvalidInputError("q", "needs at least one sample (N >= 1): the welfare is a mean over it",
                                received="0 samples")
    tt = V.as_float_array("t", t, ndim=1)
    pred = (qq[None, :] >= tt[:, None]).astype(np.int64)
    return (pred == yy[None, :]).mean(axis=1)


@provenance("M", source="shalevshwartz2014understanding", where="no-free-lunch construction; spec §3.1 G5")
def adversarial_policy(sample_issues: Any, sample_prefs: Any, population_majority: Any) -> np.ndarray:
    """G5 construction: agree with the sample, oppose the population majority elsewhere [M] (spec §3.1 G5).

    .. math:: f(q) = \\begin{cases}\\text{sample majority on } q & q \\in U \\\\ 1 - m^*(q) & q\\notin U\\end{cases}

    Sample-majority ties take outcome 0. On a sample with pairwise distinct issues
    :math:`\\hat W_S(f)=1`, while :math:`W(f)` is at most :math:`(|U| + (Q-|U|)/2)/Q` on a uniform
    issue set with per-issue preference rates near 1/2.

    Parameters
    ----------
    sample_issues, sample_prefs : int arrays, shape (N,)
    population_majority : int array of 0/1, shape (Q,)
        :math:`m^*(q)`.

    Returns
    -------
    int64 array, shape (Q,).

    Examples
    --------
    >>> adversarial_policy([1], [1], [1, 1, 0]).tolist()
    [0, 1, 1]
    """
    m = _index_array("population_majority", population_majority, n=2, shape=(None,))
    q = m.size
    maj = issuewise_majority(sample_issues, sample_prefs, q)
    sampled = np.bincount(_index_array("sample_issues", sample_issues, n=q, shape=(None,)), minlength=q) > 0
    return np.where(sampled, maj, 1 - m)

"""Strict orders, Arrovian axioms, representative SWFs and privilege graphs (spec ``social_choice.md`` §2.4, §3.2--3.3).

A strict order on candidates ``0..m-1`` is a permutation tuple, best first. An SWF on ``n`` voters is
a callable ``swf(profile) -> order`` with ``profile`` a tuple of ``n`` orders. A *representative* SWF
is a callable ``phi(sample, profile) -> order`` where ``sample`` is a sorted tuple of pair ids and
``profile[i]`` is the order reported by ``sample[i]`` (identity-aware, §2.4 [R]). Checks are
exhaustive over :math:`\\mathcal L(C)^n`, so they are meant for small instances.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from dataclasses import dataclass

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.results import provenance
from aligntheory.theory.social_choice._caps import check_cap_value, check_log_size, int_sequence, log2_factorial

__all__ = [
    "AxiomViolation",
    "all_orders",
    "check_order",
    "pairwise_relation",
    "prefers",
    "is_strict_linear_order",
    "all_profiles",
    "iia_key",
    "pareto_violation",
    "iia_violation",
    "satisfies_pareto",
    "satisfies_iia",
    "dictatorship",
    "is_dictatorship",
    "pairwise_majority_relation",
    "borda_swf",
    "EXHAUSTIVE_CAP",
]

Order = tuple[int, ...]
Profile = tuple[Order, ...]

EXHAUSTIVE_CAP = 200_000
"""Default ``max_profiles``: most profiles an exhaustive check enumerates (larger raise :class:`SizeCapError`)."""


@provenance("M", source="arrow1951social", where="axioms of §2.4 (weak Pareto, IIA) and [R] SP, SIIA, AAC")
@dataclass(frozen=True)
class AxiomViolation:
    """A counterexample to an axiom found by an exhaustive check.

    Attributes
    ----------
    axiom : str
        ``"Pareto"``, ``"IIA"``, ``"SP"``, ``"SIIA"``, ``"AAC"`` or ``"strict order"``.
    profile : tuple of orders or None
        The profile where it fails (the first of two for IIA).
    pair : tuple of int or None
        The alternatives :math:`(a, b)` involved.
    output : tuple of int or None
        The social order returned on ``profile``.
    other_profile : tuple of orders or None
        For IIA/SIIA: a second profile agreeing on ``pair`` whose output orders ``pair`` differently.
    sample : tuple of int or None
        For representative SWFs: the sample :math:`S`.
    added : int or None
        For AAC: the pair added to ``sample``.

    Examples
    --------
    >>> v = pareto_violation(lambda p: (1, 0), 1, 2)
    >>> v.axiom, v.pair, v.output
    ('Pareto', (0, 1), (1, 0))
    """

    axiom: str
    profile: tuple | None = None
    pair: tuple[int, int] | None = None
    output: tuple[int, ...] | None = None
    other_profile: tuple | None = None
    sample: tuple[int, ...] | None = None
    added: int | None = None


def _check_rule(name: str, rule: Any) -> None:
    """A user's rule (``swf`` or ``phi``) must be callable."""
    if not callable(rule):
        raise InvalidInputError(name, "must be callable", received=type(rule).__name__)


def _rule_output(name: str, out: Any, m: int, *, strict: bool = True, profile: Any = None, sample: Any = None) -> Order:
    """What a rule (``swf``/``phi``) returned, as a tuple; a malformed output raises
    :class:`InvalidInputError` naming the rule, not a raw ``ValueError``/``TypeError`` deep in a check.

    With ``strict`` the output must be a strict order of ``0..m-1``; otherwise any sequence of
    integers passes (the caller reports a non-order as an ``AxiomViolation``).
    """
    try:
        t = tuple(out)
        if sorted(t) == list(range(m)):  # the common case, kept cheap
            return t
    except TypeError:  # not iterable, or incomparable entries
        t = None
    if t is not None and not strict:
        try:
            return int_sequence(name, t)
        except InvalidInputError:
            pass
    what = (f"must return a strict order of the n_alternatives = {m} candidates (a permutation of 0..{m - 1})"
            if strict else "must return a sequence of integer candidate ids")
    where = (f" on sample {sample}" if sample is not None else "") + (f", profile {profile}" if sample is not None
                                                                      else f" on profile {profile}")
    raise InvalidInputError(name, what, received=f"{out!r}{where}")


def _check_profiles_cap(n_voters: int, m: int, cap: Any, blocks: int = 1) -> int:
    """Refuse ``blocks * (m!)^n_voters`` profiles above ``max_profiles`` (logarithms first)."""
    cap = check_cap_value("max_profiles", cap)
    log2 = n_voters * log2_factorial(m) + math.log2(blocks)
    return check_log_size("n_voters", log2, lambda: blocks * math.factorial(m) ** n_voters, cap=cap, unit="profiles")


@provenance("M", where="strict linear orders")
def all_orders(n_alternatives: int, *, max_profiles: int = EXHAUSTIVE_CAP) -> list[Order]:
    """All :math:`m!` strict orders of ``0..m-1`` in lexicographic order [M].

    Parameters
    ----------
    n_alternatives : int
        :math:`m \\ge 1`.
    max_profiles : int, default 200_000
        Cap on :math:`m!` (:data:`EXHAUSTIVE_CAP`), checked before any work.

    Returns
    -------
    list of tuple

    Raises
    ------
    SizeCapError

    Notes
    -----
    :math:`O(m \\cdot m!)`.

    Examples
    --------
    >>> all_orders(2)
    [(0, 1), (1, 0)]
    """
    m = V.check_int("n_alternatives", n_alternatives, lo=1)
    _check_profiles_cap(1, m, max_profiles)
    return list(itertools.permutations(range(m)))


@provenance("M", where="strict linear orders")
def check_order(order: Any, n_alternatives: int | None = None, *, name: str = "order") -> Order:
    """Validate a strict order (permutation of ``0..m-1``) and return it as a tuple [M].

    Parameters
    ----------
    order : sequence of int
    n_alternatives : int, optional
        :math:`m`; by default the length of ``order``.
    name : str
        Argument name used in errors.

    Returns
    -------
    tuple of int

    Raises
    ------
    InvalidInputError
        Not a permutation of ``0..m-1``.

    Examples
    --------
    >>> check_order([2, 0, 1])
    (2, 0, 1)
    """
    t = int_sequence(name, order)
    mm = len(t) if n_alternatives is None else n_alternatives
    if sorted(t) != list(range(mm)):
        raise InvalidInputError(name, f"must be a permutation of 0..{mm - 1}", received=list(t))
    return t


@provenance("M", where="strict linear orders")
def prefers(order: Order, a: int, b: int) -> bool:
    """Whether ``a`` is ranked above ``b`` in ``order`` [M].

    Examples
    --------
    >>> prefers((2, 0, 1), 0, 1)
    True
    """
    return order.index(a) < order.index(b)


@provenance("M", where="strict linear orders")
def pairwise_relation(order: Any) -> np.ndarray:
    """Boolean matrix ``R[a, b]`` = ``a`` above ``b`` of a strict order [M].

    Examples
    --------
    >>> pairwise_relation((1, 0)).tolist()
    [[False, False], [True, False]]
    """
    o = check_order(order)
    m = len(o)
    rank = np.empty(m, dtype=np.int64)
    rank[list(o)] = np.arange(m)
    return rank[:, None] < rank[None, :]


@provenance("M", where="strict linear orders")
def is_strict_linear_order(rel: Any) -> bool:
    """Whether a boolean relation matrix is asymmetric, complete and transitive [M].

    Examples
    --------
    >>> is_strict_linear_order(pairwise_relation((2, 0, 1)))
    True
    >>> is_strict_linear_order(np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0]], dtype=bool))
    False
    """
    R = V.as_real_array("rel", rel, allow_bool=True)
    if R.ndim != 2 or R.shape[0] != R.shape[1]:
        raise InvalidInputError("rel", "must be a square relation matrix", received=f"shape {R.shape}")
    R = R != 0
    m = R.shape[0]
    off = ~np.eye(m, dtype=bool)
    if np.any(np.diag(R)) or np.any(R & R.T) or np.any(off & ~(R | R.T)):
        return False
    return not np.any(R[:, :, None] & R[None, :, :] & ~R[:, None, :])


@provenance("M", where="the full domain L(C)^n")
def all_profiles(n_voters: int, n_alternatives: int, *, max_profiles: int = EXHAUSTIVE_CAP) -> Iterable[Profile]:
    """Every profile in :math:`\\mathcal L(C)^n` (lexicographic), refusing more than :data:`EXHAUSTIVE_CAP` [M].

    Parameters
    ----------
    n_voters : int
        :math:`n \\ge 1`.
    n_alternatives : int
        :math:`m \\ge 1`.
    max_profiles : int, default 200_000
        Cap on :math:`(m!)^n` (:data:`EXHAUSTIVE_CAP`), checked before any profile is generated
        (:class:`SizeCapError` above it).

    Returns
    -------
    iterator of tuple
        Profiles as tuples of ``n_voters`` orders.

    Examples
    --------
    >>> len(list(all_profiles(2, 3)))
    36
    """
    n = V.check_int("n_voters", n_voters, lo=1)
    m = V.check_int("n_alternatives", n_alternatives, lo=1)
    _check_profiles_cap(n, m, max_profiles)
    return itertools.product(itertools.permutations(range(m)), repeat=n)


@provenance("M", source="arrow1951social", where="IIA restriction key")
def iia_key(profile: Profile, a: int, b: int) -> tuple[bool, ...]:
    """IIA restriction key: for each voter, whether ``a`` is above ``b`` [M] (§2.4 SIIA).

    Examples
    --------
    >>> iia_key(((0, 1, 2), (2, 1, 0)), 0, 1)
    (True, False)
    """
    return tuple(prefers(o, a, b) for o in profile)


@provenance("M", source="arrow1951social", where="weak Pareto")
def pareto_violation(swf: Callable[[Profile], Order], n_voters: int, n_alternatives: int, *,
                     max_profiles: int = EXHAUSTIVE_CAP) -> AxiomViolation | None:
    """First weak-Pareto violation of ``swf``, or ``None`` [M] (Arrow 1951; §3.2).

    Weak Pareto: if every voter ranks :math:`a` above :math:`b`, so does the social order.

    Parameters
    ----------
    swf : callable
        ``swf(profile) -> order`` with ``profile`` a tuple of ``n_voters`` orders.
    n_voters, n_alternatives : int
    max_profiles : int, default 200_000
        Cap on :math:`(m!)^n` (:data:`EXHAUSTIVE_CAP`), checked before any work.

    Returns
    -------
    AxiomViolation or None

    Raises
    ------
    InvalidInputError
        ``swf`` is not callable, or returns something other than a strict order of ``0..m-1``.
    SizeCapError

    Notes
    -----
    Exhaustive: :math:`O((m!)^n\\, n m^2)` plus the cost of ``swf``.

    Examples
    --------
    >>> pareto_violation(dictatorship(0), 2, 3) is None
    True
    """
    _check_rule("swf", swf)
    m = V.check_int("n_alternatives", n_alternatives, lo=1)
    for p in all_profiles(n_voters, m, max_profiles=max_profiles):
        out = _rule_output("swf", swf(p), m, profile=p)
        for a, b in itertools.permutations(range(m), 2):
            if all(prefers(o, a, b) for o in p) and not prefers(out, a, b):
                return AxiomViolation("Pareto", profile=p, pair=(a, b), output=out)
    return None


@provenance("M", source="arrow1951social", where="independence of irrelevant alternatives")
def iia_violation(swf: Callable[[Profile], Order], n_voters: int, n_alternatives: int, *,
                  max_profiles: int = EXHAUSTIVE_CAP) -> AxiomViolation | None:
    """First IIA violation of ``swf``: two profiles that agree on :math:`\\{a,b\\}` but whose outputs do not [M].

    Parameters
    ----------
    swf : callable
    n_voters, n_alternatives : int
    max_profiles : int, default 200_000
        Cap on :math:`(m!)^n` (:data:`EXHAUSTIVE_CAP`), checked before any work.

    Returns
    -------
    AxiomViolation or None
        ``profile`` and ``other_profile`` agree on ``pair``; their outputs do not.

    Raises
    ------
    InvalidInputError
        ``swf`` is not callable, or returns something other than a strict order of ``0..m-1``.
    SizeCapError

    Notes
    -----
    Exhaustive: :math:`O((m!)^n m^2 n)` time and :math:`O((m!)^n)` memory.

    Examples
    --------
    >>> iia_violation(dictatorship(1), 2, 3) is None
    True
    """
    _check_rule("swf", swf)
    m = V.check_int("n_alternatives", n_alternatives, lo=1)
    profiles = list(all_profiles(n_voters, m, max_profiles=max_profiles))
    outs = [_rule_output("swf", swf(p), m, profile=p) for p in profiles]
    for a, b in itertools.combinations(range(m), 2):
        seen: dict[tuple, tuple] = {}
        for p, out in zip(profiles, outs):
            k = iia_key(p, a, b)
            v = prefers(out, a, b)
            if k in seen and seen[k][0] != v:
                return AxiomViolation("IIA", profile=seen[k][1], pair=(a, b), output=seen[k][2], other_profile=p)
            seen.setdefault(k, (v, p, out))
    return None


@provenance("M", source="arrow1951social", where="weak Pareto")
def satisfies_pareto(swf: Callable[[Profile], Order], n_voters: int, n_alternatives: int, *,
                     max_profiles: int = EXHAUSTIVE_CAP) -> bool:
    """Whether ``swf`` satisfies weak Pareto on :math:`\\mathcal L(C)^n` (exhaustive) [M].

    Raises :class:`SizeCapError` above ``max_profiles`` and :class:`InvalidInputError` when ``swf`` is not
    callable or returns something other than a strict order of ``0..m-1``; see :func:`pareto_violation`.

    Parameters
    ----------
    swf : callable
        ``swf(profile) -> order`` with ``profile`` a tuple of ``n_voters`` orders.
    n_voters, n_alternatives : int
    max_profiles : int, default 200_000
        Cap on :math:`(m!)^n` (:data:`EXHAUSTIVE_CAP`), checked before any work.

    Returns
    -------
    bool

    Examples
    --------
    >>> satisfies_pareto(borda_swf, 3, 3)
    True
    """
    return pareto_violation(swf, n_voters, n_alternatives, max_profiles=max_profiles) is None


@provenance("M", source="arrow1951social", where="independence of irrelevant alternatives")
def satisfies_iia(swf: Callable[[Profile], Order], n_voters: int, n_alternatives: int, *,
                  max_profiles: int = EXHAUSTIVE_CAP) -> bool:
    """Whether ``swf`` satisfies IIA on :math:`\\mathcal L(C)^n` (exhaustive) [M].

    Raises :class:`SizeCapError` above ``max_profiles`` and :class:`InvalidInputError` when ``swf`` is not
    callable or returns something other than a strict order of ``0..m-1``; see :func:`iia_violation`.

    Parameters
    ----------
    swf : callable
        ``swf(profile) -> order`` with ``profile`` a tuple of ``n_voters`` orders.
    n_voters, n_alternatives : int
    max_profiles : int, default 200_000
        Cap on :math:`(m!)^n` (:data:`EXHAUSTIVE_CAP`), checked before any work.

    Returns
    -------
    bool

    Examples
    --------
    >>> satisfies_iia(borda_swf, 2, 3)
    False
    """
    return iia_violation(swf, n_voters, n_alternatives, max_profiles=max_profiles) is None


@provenance("M", source="arrow1951social", where="dictatorships (Thm 2)")
def dictatorship(voter: int) -> Callable[[Profile], Order]:
    """The SWF returning voter ``voter``'s order [M] (Arrow's dictatorships, §3.2 A1).

    Raises :class:`InvalidInputError` for a negative ``voter``; the returned SWF raises it (naming
    ``voter``) on a profile with ``voter`` or fewer voters.

    Examples
    --------
    >>> dictatorship(1)(((0, 1), (1, 0)))
    (1, 0)
    """
    i = V.check_int("voter", voter, lo=0)

    def swf(profile: Profile) -> Order:
        try:
            n = len(profile)
        except TypeError:
            raise InvalidInputError("profile", "must be a sequence of orders, one per voter",
                                    received=type(profile).__name__) from None
        if i >= n:
            raise InvalidInputError("voter", f"must be < the number of voters in the profile ({n}): voters are "
                                    f"0..{n - 1}", received=i)
        return tuple(profile[i])

    return swf


@provenance("M", source="arrow1951social", where="dictatorships (Thm 2)")
def is_dictatorship(swf: Callable[[Profile], Order], n_voters: int, n_alternatives: int, *,
                    max_profiles: int = EXHAUSTIVE_CAP) -> int | None:
    """The dictator of ``swf`` (voter whose order is always the output), or ``None`` [M].

    Parameters
    ----------
    swf : callable
    n_voters, n_alternatives : int
    max_profiles : int, default 200_000
        Cap on :math:`(m!)^n` (:data:`EXHAUSTIVE_CAP`), checked before any work.

    Returns
    -------
    int or None

    Raises
    ------
    InvalidInputError
        ``swf`` is not callable, or returns something other than a strict order of ``0..m-1``.
    SizeCapError

    Notes
    -----
    Exhaustive: :math:`O((m!)^n n)`.

    Examples
    --------
    >>> is_dictatorship(dictatorship(1), 2, 3)
    1
    """
    _check_rule("swf", swf)
    n = V.check_int("n_voters", n_voters, lo=1)
    m = V.check_int("n_alternatives", n_alternatives, lo=1)
    profiles = list(all_profiles(n, m, max_profiles=max_profiles))
    outs = [_rule_output("swf", swf(p), m, profile=p) for p in profiles]
    for i in range(n):
        if all(p[i] == o for p, o in zip(profiles, outs)):
            return i
    return None


@provenance("M", where="spec §2.5 pairwise majority relation")
def pairwise_majority_relation(profile: Profile) -> np.ndarray:
    """Pairwise majority relation :math:`a \\succ b` iff :math:`\\mathrm{mg}(a,b) > 0` [M] (§2.5).

    It may be cyclic (Condorcet paradox) or have ties; it is not an SWF.

    Parameters
    ----------
    profile : sequence of strict orders

    Returns
    -------
    bool array (m, m)

    Raises
    ------
    InvalidInputError
        As :func:`~aligntheory.theory.social_choice.check_profile`.

    Notes
    -----
    :math:`O(n m^2)`.

    Examples
    --------
    >>> R = pairwise_majority_relation(((0, 1, 2), (1, 2, 0), (2, 0, 1)))
    >>> is_strict_linear_order(R)
    False
    """
    from aligntheory.theory.social_choice._voting import margins

    return margins(V.as_real_array("profile", profile)) > 0


@provenance("M", where="spec §2.5 Borda ranking as an SWF")
def borda_swf(profile: Profile) -> Order:
    """Borda ranking as an SWF (score descending, index ascending; §2.5) [M].

    Examples
    --------
    >>> borda_swf(((2, 1, 0), (1, 2, 0)))
    (1, 2, 0)
    """
    from aligntheory.theory.social_choice._voting import borda_ranking

    return borda_ranking(np.array(profile, dtype=np.int64))

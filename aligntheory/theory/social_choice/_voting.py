"""Voting rules of spec ``social_choice.md`` §2.5 and the scoring-rule class of §3.4 [M].

A profile is an int array ``(n_voters, m)``: row = one voter's strict ranking of candidates
``0..m-1``, best first, optionally with positive integer ``counts`` per row. Winner functions return
the full winning set as a sorted tuple; ``*_resolute`` returns its smallest candidate; ranking
functions sort by score descending, then by candidate index ascending (library convention §2.5).

The scoring-rule class follows Procaccia, Zohar, Peleg & Rosenschein, "The learnability of voting
rules", AIJ 173 (2009) [M, abstract]; the dimension bound and the LP below are derived in the spec
(§3.4 S2, S3), not taken from the body of that paper.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.results import Bound, provenance
from aligntheory.theory.social_choice import _profiles as _P

__all__ = [
    "CheckedProfile",
    "check_profile",
    "position_counts",
    "scoring_scores",
    "scoring_winners",
    "plurality_winners",
    "borda_winners",
    "margins",
    "condorcet_winner",
    "weak_condorcet_winners",
    "copeland_scores",
    "copeland_winners",
    "resolute",
    "borda_ranking",
    "scoring_ranking",
    "scoring_rule_natarajan_bound",
    "scoring_winner_exact",
    "verify_scoring_vector",
]


@provenance("M", where="spec §2.5: a profile of strict rankings with counts")
class CheckedProfile(NamedTuple):
    """A validated strict-order profile: ``rankings`` int64 (n_rows, n_alternatives), ``counts`` int64 (n_rows,).

    Examples
    --------
    >>> rankings, counts = check_profile([[0, 1], [1, 0]], [2, 1])
    >>> counts.tolist()
    [2, 1]
    """

    rankings: np.ndarray
    counts: np.ndarray


@provenance("M", where="spec §2.5")
def check_profile(profile: Any, counts: Any = None, *, name: str = "profile", rule: str = "this rule") -> CheckedProfile:
    """Validate a strict-order profile and return it as a :class:`CheckedProfile` [M] (§2.5).

    Parameters
    ----------
    profile : int array (n_rows, n_alternatives), or any form :func:`as_profile` accepts
        Row = one ballot, best first, alternatives ``0..n_alternatives-1``. A pref_voting profile
        (detected by type; pref_voting is optional), a :class:`PreferenceProfile`, a list of
        indifference lists or a PrefLib path are converted by :func:`as_profile`; their candidates
        are mapped to ``0..m-1`` in the order of ``profile.candidates``; every ballot must then be a
        strict order of all candidates (weak or truncated ballots are refused, naming the ballot).
    counts : int array (n_rows,), optional
        Positive multiplicities (default 1 each); not allowed with forms that carry their own.
    name : str
        Argument name used in errors about an integer array.
    rule : str
        The rule named in the error for a weak or truncated ballot.

    Returns
    -------
    CheckedProfile

    Raises
    ------
    InvalidInputError
        Not a 2-d integer array of permutations, non-positive counts, or weak/truncated ballots.

    Notes
    -----
    :math:`O(n m \\log m)`.

    Examples
    --------
    >>> check_profile([[0, 1], [1, 0]]).counts.tolist()
    [1, 1]
    >>> check_profile([[0, 0]])
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: profile: every row must be a permutation of 0..m-1 (a strict order) (received row 0 = [0, 0])
    """
    if _P.is_profile_object(profile):
        prof = _P.as_profile(profile, counts)
        return CheckedProfile(prof.strict_rankings(rule), _exact_total(prof.counts))
    r = V.as_real_array(name, profile)
    if r.ndim != 2 or r.shape[0] < 1 or r.shape[1] < 1:
        raise InvalidInputError(name, "must have shape (n_voters >= 1, n_alternatives >= 1)", received=f"shape {r.shape}")
    if r.dtype.kind not in "iu":
        raise InvalidInputError(name, "must be an integer array of rankings", received=f"dtype {r.dtype}")
    m = r.shape[1]
    ok = np.all(np.sort(r, axis=1) == np.arange(m)[None, :], axis=1)
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise InvalidInputError(name, "every row must be a permutation of 0..m-1 (a strict order)",
                                received=f"row {i} = {r[i].tolist()}")
    if counts is None:
        c = np.ones(r.shape[0], dtype=np.int64)
    else:
        c = V.as_real_array("counts", counts)
        if c.shape != (r.shape[0],) or c.dtype.kind not in "iu" or np.any(c < 1):
            raise InvalidInputError("counts", f"must be positive integers, shape ({r.shape[0]},)",
                                    received=f"shape {c.shape}, dtype {c.dtype}")
        c = c.astype(np.int64)
    return CheckedProfile(r.astype(np.int64), _exact_total(c))


MAX_TOTAL_COUNT = 2**62
"""Largest total of ballot counts the rules accept: position counts, plurality tallies and margins are int64
sums of counts, exact while the total stays below :math:`2^{63}` (margins lie in :math:`[-n, n]`)."""


def _exact_total(c: np.ndarray) -> np.ndarray:
    """``c`` when the total number of voters (an exact Python sum) is at most :data:`MAX_TOTAL_COUNT`."""
    total = sum(int(x) for x in c.tolist()) if c.size else 0
    if total > MAX_TOTAL_COUNT:
        raise PrecisionError(f"counts: the ballots total {total} voters, above 2**62 = {MAX_TOTAL_COUNT}; the tallies "
                             "and margins are exact int64 sums only below that (rescaling counts changes the "
                             "profile, so it is refused rather than rounded)")
    return c


@provenance("M", where="spec §2.5 position counts")
def position_counts(profile: Any, counts: Any = None) -> np.ndarray:
    """Position counts :math:`\\pi_c(P)_r` = number of voters ranking :math:`c` in position :math:`r` [M] (§2.5).

    Returns
    -------
    int64 array, shape (m, m): row :math:`c`, column :math:`r-1`. Each row sums to :math:`n`.
    Complexity :math:`O(nm)`.

    Examples
    --------
    >>> position_counts([[0, 1, 2], [1, 0, 2]]).tolist()
    [[1, 1, 0], [1, 1, 0], [0, 0, 2]]
    """
    r, c = check_profile(profile, counts, rule="position_counts (and the scoring rules)")
    m = r.shape[1]
    out = np.zeros((m, m), dtype=np.int64)
    np.add.at(out, (r, np.broadcast_to(np.arange(m), r.shape)), c[:, None])
    return out


def _score_vector(score: Any, m: int) -> np.ndarray:
    s = V.as_float_array("score_vector", score, shape=(m,))
    if np.any(np.diff(s) > 0):
        raise InvalidInputError("score_vector", "must be non-increasing (s_1 >= ... >= s_m)", received=s.tolist())
    return s


@provenance("M", where="spec §2.5 positional scoring rules")
def scoring_scores(profile: Any, score_vector: Any, counts: Any = None) -> np.ndarray:
    """Positional scores :math:`\\mathrm{sc}_s(c) = \\langle s, \\pi_c(P)\\rangle` [M] (§2.5).

    Examples
    --------
    >>> scoring_scores([[0, 1, 2], [1, 0, 2]], [2, 1, 0]).tolist()
    [3.0, 3.0, 0.0]
    """
    pc = position_counts(profile, counts)
    s = _score_vector(score_vector, pc.shape[0])
    exact = _exact_scores(pc, s)
    if exact is None:
        return pc @ s
    try:
        return np.array([float(x) for x in exact])
    except OverflowError:
        raise PrecisionError("score_vector: a positional score exceeds the float64 range; scoring_winners "
                             "compares the exact scores and is unaffected") from None


def _exact_scores(pc: np.ndarray, s: np.ndarray) -> list[Fraction] | None:
    """The scores as exact rationals, or ``None`` when float64 ``pc @ s`` is already exact: every entry of
    ``s`` an integer and :math:`n \\max|s| \\le 2^{53}`, so each partial sum is an integer below
    :math:`2^{53}`. O(m^2) Fraction operations otherwise."""
    n = int(pc[0].sum()) if pc.size else 0
    top = float(np.max(np.abs(s))) if s.size else 0.0
    if np.all(s == np.floor(s)) and n * top <= 2.0**53:
        return None
    sf = [Fraction(float(x)) for x in s]
    return [sum((Fraction(int(v)) * sr for v, sr in zip(row, sf)), Fraction(0)) for row in pc.tolist()]


def _winners(scores: Any) -> tuple[int, ...]:
    best = max(scores)
    return tuple(i for i, x in enumerate(scores) if x == best)


@provenance("M", where="spec §2.5 positional scoring rules")
def scoring_winners(profile: Any, score_vector: Any, counts: Any = None) -> tuple[int, ...]:
    """Winning set of the positional scoring rule with vector :math:`s` [M] (§2.5).

    The comparisons are exact for every score vector: float64 when that is exact (integer entries and
    :math:`n\\max|s| \\le 2^{53}`), otherwise the scores are formed as exact rationals (each float is the
    rational it represents), so huge counts or entries near the float64 limit cannot create or break a
    tie. For rational vectors given as Fractions use :func:`scoring_winner_exact`.

    Examples
    --------
    >>> scoring_winners([[0, 1, 2], [1, 0, 2]], [2, 1, 0])
    (0, 1)
    """
    pc = position_counts(profile, counts)
    s = _score_vector(score_vector, pc.shape[0])
    exact = _exact_scores(pc, s)
    return _winners((pc @ s).tolist() if exact is None else exact)


@provenance("M", where="spec §2.5 plurality")
def plurality_winners(profile: Any, counts: Any = None) -> tuple[int, ...]:
    """Plurality winners, :math:`s = (1, 0, \\dots, 0)` [M] (§2.5).

    Examples
    --------
    >>> plurality_winners([[2, 0, 1], [2, 1, 0], [0, 1, 2]])
    (2,)
    """
    r, c = check_profile(profile, counts, rule="plurality_winners")
    tally = np.zeros(r.shape[1], dtype=np.int64)
    np.add.at(tally, r[:, 0], c)  # exact: the total is at most 2**62 (check_profile)
    return _winners(tally.tolist())


@provenance("M", where="spec §2.5 Borda")
def borda_winners(profile: Any, counts: Any = None) -> tuple[int, ...]:
    """Borda winners, :math:`s_r = m - r` [M] (§2.5).

    Examples
    --------
    >>> borda_winners([[0, 1, 2], [1, 2, 0]])
    (1,)
    """
    r, c = check_profile(profile, counts, rule="borda_winners")
    m = r.shape[1]
    return scoring_winners(r, np.arange(m - 1, -1, -1, dtype=np.float64), c)


@provenance("M", where="spec §2.5 margins")
def margins(profile: Any, counts: Any = None) -> np.ndarray:
    """Margin matrix :math:`\\mathrm{mg}(a,b) = \\#\\{a \\succ b\\} - \\#\\{b \\succ a\\}` [M] (§2.5).

    Returns
    -------
    int64 array, shape (m, m), antisymmetric. Complexity :math:`O(nm^2)`.

    Examples
    --------
    >>> margins([[0, 1, 2], [1, 2, 0], [2, 0, 1]]).tolist()
    [[0, 1, -1], [-1, 0, 1], [1, -1, 0]]

    Weak and truncated ballots (indifference lists; an unranked candidate is incomparable, as in
    pref_voting's ``ProfileWithTies``, unless ``as_profile(..., extended=True)``):

    >>> margins([[0, {1, 2}], [2]]).tolist()
    [[0, 1, 1], [-1, 0, 0], [-1, 0, 0]]
    """
    if _P.is_profile_object(profile):
        prof = _P.as_profile(profile, counts)
        rank, c, ext = prof.ranks, prof.counts, prof.extended
    else:
        r, c = check_profile(profile, counts)
        n, m = r.shape
        rank = np.empty_like(r)
        rank[np.arange(n)[:, None], r] = np.arange(m)[None, :]
        ext = False
    m = rank.shape[1]
    ranked = rank != _P.UNRANKED
    above = np.zeros((m, m), dtype=np.int64)
    for a in range(m):  # O(n m) memory per alternative instead of O(n m^2)
        # a above b: both ranked and a higher; or (extended) a ranked and b not
        pref = ranked[:, a][:, None] & ((ranked & (rank[:, a][:, None] < rank)) | (ext & ~ranked))
        above[a] = c @ pref.astype(np.int64)
    return above - above.T


@provenance("M", where="spec §2.5 Condorcet winner")
def condorcet_winner(profile: Any, counts: Any = None) -> int | None:
    """The Condorcet winner (:math:`\\mathrm{mg}(c,b) > 0` for all :math:`b \\ne c`) or ``None`` [M] (§2.5).

    Semantics: this is pref_voting's ``Profile.condorcet_winner()`` (``None`` when there is none, for
    example on a majority cycle). It is *not* pref_voting's voting method ``condorcet``, which returns
    the Condorcet winner when there is one and *every* candidate otherwise; the kernel
    :func:`aligntheory.kernels.social_choice.condorcet_winner_mask` marks no candidate then.
    On weak and truncated ballots the margins count strict preferences only (ties and, unless the
    profile is ``extended``, unranked candidates count for neither side), as pref_voting's
    ``ProfileWithTies.condorcet_winner()``.

    Parameters
    ----------
    profile : int array (n_voters, n_alternatives), or any form :func:`as_profile` accepts
        Weak and truncated orders included.
    counts : int array (n_voters,), optional

    Returns
    -------
    int or None
        An index into ``as_profile(profile).candidates``.

    Raises
    ------
    InvalidInputError
        As :func:`check_profile`.

    Notes
    -----
    :math:`O(n m^2)` time, :math:`O(nm + m^2)` memory.

    Examples
    --------
    >>> condorcet_winner([[0, 1, 2], [1, 2, 0], [2, 0, 1]]) is None, condorcet_winner([[1, 0, 2]])
    (True, 1)
    """
    mg = margins(profile, counts)
    m = mg.shape[0]
    wins = ((mg > 0) | np.eye(m, dtype=bool)).all(axis=1)
    idx = np.flatnonzero(wins)
    return int(idx[0]) if idx.size else None


@provenance("M", where="spec §2.5 weak Condorcet winners")
def weak_condorcet_winners(profile: Any, counts: Any = None) -> tuple[int, ...]:
    """Candidates :math:`c` with :math:`\\mathrm{mg}(b,c) \\le 0` for all :math:`b` [M] (§2.5).

    Examples
    --------
    >>> weak_condorcet_winners([[0, 1], [1, 0]])
    (0, 1)
    """
    mg = margins(profile, counts)
    return tuple(int(c) for c in np.flatnonzero((mg >= 0).all(axis=1)))


@provenance("M", where="spec §2.5 Copeland")
def copeland_scores(profile: Any, counts: Any = None) -> np.ndarray:
    """Copeland scores with the :math:`(+1, 0, -1)` convention [M] (§2.5).

    Examples
    --------
    >>> copeland_scores([[0, 1, 2], [0, 2, 1]]).tolist()
    [2, -1, -1]
    """
    return np.sign(margins(profile, counts)).sum(axis=1)


@provenance("M", where="spec §2.5 Copeland")
def copeland_winners(profile: Any, counts: Any = None) -> tuple[int, ...]:
    """Copeland winning set [M] (§2.5).

    Examples
    --------
    >>> copeland_winners([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    (0, 1, 2)
    """
    return _winners(copeland_scores(profile, counts))


@provenance("M", where="spec §2.5 tie-breaking")
def resolute(winners: tuple[int, ...]) -> int:
    """The library's resolute winner: the smallest candidate of a winning set [M] (§2.5).

    Parameters
    ----------
    winners : sequence of int
        A non-empty winning set of alternative indices.

    Returns
    -------
    int

    Raises
    ------
    InvalidInputError
        Empty, or not non-negative integers.

    Examples
    --------
    >>> resolute((2, 0))
    0
    """
    w = V.as_real_array("winners", winners)
    if w.ndim != 1 or w.size == 0 or w.dtype.kind not in "iu" or w.min() < 0:
        raise InvalidInputError("winners", "must be a non-empty winning set of alternative indices",
                                received=f"shape {w.shape}, dtype {w.dtype}")
    return int(w.min())


@provenance("M", where="spec §2.5 tie-breaking")
def scoring_ranking(profile: Any, score_vector: Any, counts: Any = None) -> tuple[int, ...]:
    """Social ranking by score descending, then candidate index ascending (a strict order) [M] (§2.5).

    Examples
    --------
    >>> scoring_ranking([[0, 1, 2], [1, 0, 2]], [2, 1, 0])
    (0, 1, 2)
    """
    sc = scoring_scores(profile, score_vector, counts)
    return tuple(int(c) for c in np.lexsort((np.arange(sc.size), -sc)))


@provenance("M", where="spec §2.5 tie-breaking")
def borda_ranking(profile: Any, counts: Any = None) -> tuple[int, ...]:
    """Borda ranking (score descending, index ascending) [M] (§2.5).

    Examples
    --------
    >>> borda_ranking([[2, 1, 0], [1, 2, 0]])
    (1, 2, 0)
    """
    r, c = check_profile(profile, counts, rule="borda_ranking")
    m = r.shape[1]
    return scoring_ranking(r, np.arange(m - 1, -1, -1, dtype=np.float64), c)


# ----------------------------------------------------------------------------------------------
# the scoring-rule class (spec §3.4)


@provenance("M", source="shalevshwartz2014understanding", where="§29.3; derived in spec §3.4 S2")
def scoring_rule_natarajan_bound(n_alternatives: int) -> Bound:
    """Upper bound :math:`m-1` on the Natarajan dimension of the scoring rules on :math:`m` candidates [M] (§3.4 S2).

    Derived in the spec (linear multiclass argument, SSBD §29.3, with feature map
    :math:`\\Psi(P,c) = \\pi_c(P)` and the lowest-index tie-break); no lower bound is claimed. With
    :math:`d_N = m-1, k = m`, :func:`natarajan_deviation` bounds the uniform deviation of the 0-1
    error of the class (Procaccia et al. 2009 show PAC-learnability; their constants are not reproduced).

    Parameters
    ----------
    n_alternatives : int
        :math:`m \\ge 1`.

    Returns
    -------
    Bound
        Integer-valued, ``kind="upper"``; ``.sympy()`` is :math:`m - 1`.

    Raises
    ------
    InvalidInputError

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> b = scoring_rule_natarajan_bound(4)
    >>> int(b), b.kind
    (3, 'upper')
    """
    m = V.check_int("n_alternatives", n_alternatives, lo=1)

    def expr():
        import sympy as sp

        return sp.Symbol("m", positive=True, integer=True) - 1

    return Bound(m - 1, kind="upper", quantity="Natarajan dimension of the positional scoring rules",
                 assumptions=("strict-order profiles", "lowest-index tie-break", f"{m} alternatives"),
                 source="shalevshwartz2014understanding", where="§29.3 (linear multiclass); derived in spec §3.4 S2",
                 provenance="M", expr=expr, subs={"m": m})


def _fractions(name: str, values: Any) -> list[Fraction]:
    """Exact rationals from Fractions, ints or finite floats; anything else raises ``InvalidInputError``."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise InvalidInputError(name, "must be a sequence of finite numbers", received=type(values).__name__)
    out = []
    for x in values:
        if isinstance(x, (bool, np.bool_, complex, str, bytes)):
            raise InvalidInputError(name, "must hold finite real numbers", received=repr(x))
        try:
            out.append(Fraction(x))
        except (TypeError, ValueError, OverflowError) as exc:
            raise InvalidInputError(name, "must hold finite real numbers", received=repr(x)) from exc
    return out


def _profiles_list(profiles: Any) -> list[CheckedProfile]:
    """Each profile checked, with its ballot counts (profile objects carry theirs; arrays count each row once)."""
    items = list(profiles)
    if not items:
        raise InvalidInputError("profiles", "must contain at least one profile")
    out = [check_profile(p, name="profiles") for p in items]
    m = out[0].rankings.shape[1]
    if any(p.rankings.shape[1] != m for p in out):
        raise InvalidInputError("profiles", "all profiles must have the same number of alternatives")
    return out


@provenance("M", source="procaccia2009learnability", where="spec §3.4 S3")
def scoring_winner_exact(profile: Any, score_vector: Any, counts: Any = None) -> int:
    """Resolute scoring winner in exact rational arithmetic (lowest index on ties) [M] (§3.4 S3).

    ``counts`` are the ballots' multiplicities, as in :func:`position_counts` (profile objects carry
    their own).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> scoring_winner_exact([[1, 0, 2], [0, 1, 2]], [F(1), F(1, 2), F(0)])
    0
    >>> scoring_winner_exact([[1, 0, 2], [0, 1, 2]], [F(1), F(1, 2), F(0)], counts=[2, 1])
    1
    """
    pc = position_counts(profile, counts)
    s = _fractions("score_vector", score_vector)
    if len(s) != pc.shape[0]:
        raise InvalidInputError("score_vector", f"must have length {pc.shape[0]}", received=len(s))
    scores = [sum((Fraction(int(v)) * sr for v, sr in zip(row, s)), Fraction(0)) for row in pc.tolist()]
    best = max(scores)
    return scores.index(best)


@provenance("M", source="procaccia2009learnability", where="spec §3.4 S3")
def verify_scoring_vector(profiles: Any, winners: Any, score_vector: Any) -> np.ndarray:
    """Exact check of a scoring vector against labelled profiles [M] (§3.4 S3).

    Returns a boolean array: entry :math:`j` is True iff the exact resolute winner of profile
    :math:`j` under ``score_vector`` (Fractions, or floats converted exactly) equals ``winners[j]``.
    A profile object (:func:`as_profile`, pref_voting) counts each ballot with its multiplicity; an
    array counts each row once.

    Examples
    --------
    >>> verify_scoring_vector([[[0, 1, 2]], [[2, 1, 0]]], [0, 2], [1, 0, 0]).tolist()
    [True, True]
    """
    ps = _profiles_list(profiles)
    w = V.as_real_array("winners", winners)
    if w.shape != (len(ps),) or w.dtype.kind not in "iu":
        raise InvalidInputError("winners", f"must have shape ({len(ps)},)", received=f"shape {w.shape}")
    return np.array([scoring_winner_exact(p.rankings, score_vector, p.counts) == int(wj)
                     for p, wj in zip(ps, w.tolist())])

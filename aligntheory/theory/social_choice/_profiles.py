"""Preference profiles the pref_voting way: weak orders, truncated ballots, candidate names, PrefLib files.

One representation, :class:`PreferenceProfile`, holds every ballot as a *rank matrix*: entry
``ranks[i, c]`` is the position of candidate ``c`` on ballot ``i`` (0 = top; tied candidates share
a position; ``-1`` = not ranked on a truncated ballot), with a multiplicity per ballot and the
candidates' names. :func:`as_profile` builds it from

* an int array ``(n_ballots, n_alternatives)`` of strict rankings, best first (the library's own form);
* a list of ballots written as *indifference lists* (``[0, {1, 2}]``: 0 above 1 and 2, which tie;
  candidates left out are unranked), as pref_voting's ``rankings_as_indifference_list``;
* a pref_voting ``Profile`` or ``ProfileWithTies`` (detected by type; pref_voting is optional);
* a path to a PrefLib file (``.soc``, ``.soi``, ``.toc``, ``.toi``), read by pref_voting's reader
  (:func:`read_preflib`), never by a parser of ours.

Semantics of truncated ballots, as pref_voting's ``ProfileWithTies``: by default an unranked
candidate is *incomparable* with every other (it counts neither for nor against anyone in the
margins); with ``extended=True`` (pref_voting's ``use_extended_strict_preference``) every ranked
candidate is preferred to every unranked one, and two unranked candidates tie. Results of the
voting functions are candidate *indices* into ``profile.candidates``.
"""

from __future__ import annotations

import os
from typing import Any, NamedTuple

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.results import provenance

__all__ = ["PreferenceProfile", "as_profile", "read_preflib", "UNRANKED"]

UNRANKED = -1
"""Entry of :attr:`PreferenceProfile.ranks` for a candidate a truncated ballot leaves out."""

_PREFLIB_SUFFIXES = (".soc", ".soi", ".toc", ".toi")


@provenance("M", where="spec social_choice.md §2.5 (profiles); pref_voting ProfileWithTies semantics")
class PreferenceProfile(NamedTuple):
    """A profile of weak, possibly truncated, orders with counts and candidate names [M].

    Attributes
    ----------
    ranks : int64 array, shape (n_ballots, n_alternatives)
        ``ranks[i, c]``: position of candidate ``c`` on ballot ``i`` (0 = top, ties share a
        position, positions are dense ``0, 1, 2, ...``), or :data:`UNRANKED` (``-1``).
    counts : int64 array, shape (n_ballots,)
        Positive multiplicities.
    candidates : tuple
        Names; candidate index ``c`` is ``candidates[c]``.
    extended : bool, default False
        Whether a ranked candidate is preferred to an unranked one (pref_voting's extended
        strict preference); ``False``: they are incomparable.

    Examples
    --------
    >>> p = as_profile([["x", {"y", "z"}], ["z", "y", "x"]], candidates=["x", "y", "z"])
    >>> p.ranks.tolist(), p.is_strict
    ([[0, 1, 1], [2, 1, 0]], False)
    """

    ranks: np.ndarray
    counts: np.ndarray
    candidates: tuple
    extended: bool = False

    @property
    def n_alternatives(self) -> int:
        return int(self.ranks.shape[1])

    @property
    def n_voters(self) -> int:
        return int(self.counts.sum())

    @property
    def is_strict(self) -> bool:
        """Every ballot is a strict order of every candidate (no ties, no truncation)."""
        m = self.n_alternatives
        return bool(np.all(np.sort(self.ranks, axis=1) == np.arange(m)[None, :]))

    def strict_rankings(self, rule: str = "this rule") -> np.ndarray:
        """Rankings ``(n_ballots, m)`` best first; ``InvalidInputError`` naming the first non-strict ballot."""
        m = self.n_alternatives
        ok = np.all(np.sort(self.ranks, axis=1) == np.arange(m)[None, :], axis=1)
        if not ok.all():
            i = int(np.flatnonzero(~ok)[0])
            kind = "truncated" if np.any(self.ranks[i] == UNRANKED) else "a weak order (it has ties)"
            raise InvalidInputError("profile", f"{rule} needs strict orders of every alternative, but ballot {i} is "
                                    f"{kind}; the rules defined on weak and truncated orders are margins, "
                                    "condorcet_winner, weak_condorcet_winners, copeland_scores and copeland_winners",
                                    received=f"ballot {i} = {_show(self, i)}")
        return np.argsort(self.ranks, axis=1, kind="stable").astype(np.int64)


def _show(p: PreferenceProfile, i: int) -> str:
    r = p.ranks[i]
    tiers = []
    for k in range(int(r.max()) + 1 if r.size and r.max() >= 0 else 0):
        names = [p.candidates[c] for c in np.flatnonzero(r == k)]
        tiers.append(repr(names[0]) if len(names) == 1 else "{" + ", ".join(map(repr, names)) + "}")
    return " > ".join(tiers) if tiers else "(empty)"


def is_pref_voting(obj: Any) -> bool:
    return type(obj).__module__.startswith("pref_voting.") and type(obj).__name__ in ("Profile", "ProfileWithTies")


def is_profile_object(obj: Any) -> bool:
    """Any profile form other than a rectangular integer array (those keep the array fast path)."""
    return (isinstance(obj, PreferenceProfile) or is_pref_voting(obj) or isinstance(obj, (str, os.PathLike))
            or _is_ballot_list(obj))


def _names(candidates: Any, m: int | None) -> tuple:
    names = tuple(candidates)
    if m is not None and len(names) != m:
        raise InvalidInputError("candidates", f"must name the {m} alternatives", received=f"{len(names)} names")
    try:
        distinct = len(set(names)) == len(names)
    except TypeError:
        raise InvalidInputError("candidates", "names must be hashable", received=repr(names[:5])) from None
    if not distinct:
        raise InvalidInputError("candidates", "names must be distinct", received=repr(names[:10]))
    return names


def _dense(ranks: np.ndarray) -> np.ndarray:
    """Positions made dense per row (1, 3, 3 -> 0, 1, 1), unranked kept at -1."""
    out = np.full(ranks.shape, UNRANKED, dtype=np.int64)
    for i, row in enumerate(ranks):
        live = row >= 0
        if live.any():
            _, inv = np.unique(row[live], return_inverse=True)
            out[i, live] = inv
    return out


def _counts(counts: Any, n: int) -> np.ndarray:
    if counts is None:
        return np.ones(n, dtype=np.int64)
    c = V.as_real_array("counts", counts)
    if c.shape != (n,) or c.dtype.kind not in "iu" or (c.size and np.any(c < 1)):
        raise InvalidInputError("counts", f"must be positive integers, shape ({n},)",
                                received=f"shape {c.shape}, dtype {c.dtype}")
    return c.astype(np.int64)


def _from_pref_voting(obj: Any, extended: bool | None) -> PreferenceProfile:
    cands = tuple(obj.candidates)
    index = {c: i for i, c in enumerate(cands)}
    m = len(cands)
    rankings, counts = obj.rankings_counts
    if type(obj).__name__ == "Profile":
        r = np.asarray(rankings).reshape(-1, m)
        ranks = np.empty(r.shape, dtype=np.int64)
        for i, row in enumerate(r.tolist()):
            ranks[i, [index[c] for c in row]] = np.arange(m)
        ext = bool(extended) if extended is not None else False
    else:
        ranks = np.full((len(rankings), m), UNRANKED, dtype=np.int64)
        for i, rk in enumerate(rankings):
            for c, pos in rk.rmap.items():
                ranks[i, index[c]] = int(pos)
        ranks = _dense(ranks)
        ext = bool(obj.using_extended_strict_preference) if extended is None else bool(extended)
    c = np.asarray(counts, dtype=np.int64).reshape(-1)
    return PreferenceProfile(ranks, _counts(c, len(ranks)), cands, ext)


def _from_indifference_lists(ballots: list, candidates: Any) -> PreferenceProfile:
    names = None if candidates is None else _names(candidates, None)
    index = None if names is None else {c: i for i, c in enumerate(names)}
    rows = []
    for i, ballot in enumerate(ballots):
        if isinstance(ballot, (str, bytes)) or not hasattr(ballot, "__iter__"):
            raise InvalidInputError("profile", "every ballot must be a sequence of candidates or sets of tied "
                                    "candidates (an indifference list)", received=f"ballot {i} = {ballot!r}")
        row = {}
        for pos, tier in enumerate(ballot):
            members = list(tier) if isinstance(tier, (set, frozenset, list, tuple)) else [tier]
            if not members:
                raise InvalidInputError("profile", "a tier of tied candidates must not be empty",
                                        received=f"ballot {i}")
            for c in members:
                if index is not None:
                    try:
                        ok = c in index
                    except TypeError:
                        ok = False
                    if not ok:
                        raise InvalidInputError("profile", "candidates must be among the given names",
                                                received=f"ballot {i}: {c!r}")
                    key = index[c]
                else:
                    if isinstance(c, (bool, np.bool_)) or not isinstance(c, (int, np.integer)) or int(c) < 0:
                        raise InvalidInputError("profile", "without candidates= the candidates are integers 0..m-1",
                                                received=f"ballot {i}: {c!r}")
                    key = int(c)
                if key in row:
                    raise InvalidInputError("profile", "a candidate appears twice on one ballot",
                                            received=f"ballot {i}: {c!r}")
                row[key] = pos
        rows.append(row)
    if names is None:
        m = 1 + max((max(r) for r in rows if r), default=-1)
        if m < 1:
            raise InvalidInputError("profile", "must rank at least one candidate")
        V.check_size("n_alternatives", m, cap=10**6, unit="alternatives")
        names = tuple(range(m))
    ranks = np.full((len(rows), len(names)), UNRANKED, dtype=np.int64)
    for i, row in enumerate(rows):
        for c, pos in row.items():
            ranks[i, c] = pos
    return PreferenceProfile(_dense(ranks), np.ones(len(rows), dtype=np.int64), names, False)


@provenance("M", where="spec social_choice.md §2.5 (profiles); pref_voting ProfileWithTies semantics")
def as_profile(profile: Any, counts: Any = None, *, candidates: Any = None,
               extended: bool | None = None) -> PreferenceProfile:
    """Normalise a profile given in any supported form to a :class:`PreferenceProfile` [M].

    Parameters
    ----------
    profile : array, list of indifference lists, pref_voting profile, PreferenceProfile, or path
        * int array ``(n_ballots, m)``: strict rankings of ``0..m-1``, best first;
        * list of ballots, each a sequence of tiers (a candidate, or a set/list of tied
          candidates), best first; candidates not listed are unranked (a truncated ballot);
        * pref_voting ``Profile`` / ``ProfileWithTies`` (names and counts are kept; a
          ``ProfileWithTies`` keeps its extended-strict-preference setting);
        * ``str`` or ``os.PathLike`` to a PrefLib ``.soc``/``.soi``/``.toc``/``.toi`` file (see
          :func:`read_preflib`).
    counts : int array (n_ballots,), optional
        Positive multiplicities; only for arrays and lists (the other forms carry their own).
    candidates : sequence, optional
        Candidate names for arrays and lists (with a list of ballots, the ballots are written in
        these names); default ``0..m-1``.
    extended : bool, optional
        Unranked candidates below ranked ones (``True``) or incomparable (``False``). Default:
        the pref_voting profile's own setting, else ``False`` (pref_voting's default).

    Returns
    -------
    PreferenceProfile

    Raises
    ------
    InvalidInputError
        Malformed arrays (not permutations), candidates that are not names of the profile, a
        candidate twice on a ballot, ``counts``/``candidates`` given with a form that carries its
        own, a file that is not a PrefLib ordinal file.
    MissingDependencyError
        A pref_voting profile or PrefLib file without pref_voting installed (``aligntheory[social]``).
    SizeCapError
        A list of ballots without ``candidates=`` whose largest integer candidate is :math:`\\ge 10^6`
        (it implies more than :math:`10^6` alternatives), before any allocation.

    Notes
    -----
    :math:`O(n m \\log m)` for ``n`` ballots and ``m`` candidates.

    Examples
    --------
    >>> p = as_profile([["b", {"a", "c"}], ["c"]], candidates=["a", "b", "c"])
    >>> p.ranks.tolist()
    [[1, 0, 1], [-1, -1, 0]]
    >>> as_profile([[1, 0, 2]], candidates=["x", "y", "z"]).ranks.tolist()
    [[1, 0, 2]]
    """
    if extended is not None and not isinstance(extended, (bool, np.bool_)):
        raise InvalidInputError("extended", "must be True, False or None", received=extended)
    if isinstance(profile, PreferenceProfile) or is_pref_voting(profile) or isinstance(profile, (str, os.PathLike)):
        if counts is not None:
            raise InvalidInputError("counts", "must be None: this profile form carries its own counts")
        if candidates is not None:
            raise InvalidInputError("candidates", "must be None: this profile form carries its own names")
        if isinstance(profile, PreferenceProfile):
            return profile if extended is None else profile._replace(extended=bool(extended))
        if is_pref_voting(profile):
            return _from_pref_voting(profile, extended)
        return read_preflib(profile, extended=extended)
    if _is_ballot_list(profile):
        prof = _from_indifference_lists(list(profile), candidates)
        return prof._replace(counts=_counts(counts, len(prof.ranks)),
                             extended=bool(extended) if extended is not None else False)
    r = V.as_real_array("profile", profile)
    if r.ndim != 2 or r.shape[0] < 1 or r.shape[1] < 1:
        raise InvalidInputError("profile", "must have shape (n_voters >= 1, n_alternatives >= 1)",
                                received=f"shape {r.shape}")
    if r.dtype.kind not in "iu":
        raise InvalidInputError("profile", "must be an integer array of rankings", received=f"dtype {r.dtype}")
    m = r.shape[1]
    ok = np.all(np.sort(r, axis=1) == np.arange(m)[None, :], axis=1)
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise InvalidInputError("profile", "every row must be a permutation of 0..m-1 (a strict order)",
                                received=f"row {i} = {r[i].tolist()}")
    ranks = np.empty(r.shape, dtype=np.int64)
    ranks[np.arange(r.shape[0])[:, None], r] = np.arange(m)[None, :]
    names = tuple(range(m)) if candidates is None else _names(candidates, m)
    return PreferenceProfile(ranks, _counts(counts, r.shape[0]), names,
                             bool(extended) if extended is not None else False)


def _is_ballot_list(profile: Any) -> bool:
    """A list of ballots that is not a rectangular integer array: ragged rows, tiers (sets), or names."""
    if not isinstance(profile, (list, tuple)) or not profile:
        return False
    if not all(isinstance(b, (list, tuple)) for b in profile):
        return False
    try:
        arr = np.asarray(profile)
    except (ValueError, TypeError):
        return True  # ragged
    return arr.dtype.kind in "OUS"  # sets of tied candidates, or candidate names


@provenance("M", where="PrefLib ordinal formats (preflib.org/format); read by pref_voting.io.readers")
def read_preflib(path: Any, *, extended: bool | None = None) -> PreferenceProfile:
    """Read a PrefLib ordinal file (``.soc``, ``.soi``, ``.toc``, ``.toi``) into a :class:`PreferenceProfile` [M].

    The file is parsed by preflibtools' ``OrdinalInstance`` and converted by pref_voting's
    ``pref_voting.io.readers.preflib_to_profile``, never by a parser of ours. Candidates are in
    the file's order (alternative 1 first), named by its ``ALTERNATIVE NAME`` lines (the numbers
    when names are missing or repeated); ``.soi``/``.toi`` ballots may be truncated and
    ``.toc``/``.toi`` ballots may hold ties.

    Parameters
    ----------
    path : str or os.PathLike
    extended : bool, optional
        As in :func:`as_profile`; default ``False`` (pref_voting's default: unranked candidates
        are incomparable).

    Returns
    -------
    PreferenceProfile

    Raises
    ------
    InvalidInputError
        No such file, a suffix other than the four ordinal ones, or a file the reader cannot parse.
    MissingDependencyError
        pref_voting (``aligntheory[social]``) is not installed.

    Notes
    -----
    :math:`O(\\text{file size})`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "tiny.soc"
    >>> _ = f.write_text("# DATA TYPE: soc\\n# NUMBER ALTERNATIVES: 2\\n# NUMBER VOTERS: 3\\n"
    ...                  "# NUMBER UNIQUE ORDERS: 2\\n# ALTERNATIVE NAME 1: yes\\n# ALTERNATIVE NAME 2: no\\n"
    ...                  "2: 1,2\\n1: 2,1\\n")
    >>> p = read_preflib(f)
    >>> p.candidates, p.n_voters
    (('yes', 'no'), 3)
    """
    from aligntheory._optional import require

    if not isinstance(path, (str, os.PathLike)):
        raise InvalidInputError("path", "must be a path to a PrefLib file", received=type(path).__name__)
    p = os.fspath(path)
    if not p.lower().endswith(_PREFLIB_SUFFIXES):
        raise InvalidInputError("path", f"must be a PrefLib ordinal file with suffix one of {_PREFLIB_SUFFIXES}",
                                received=p)
    if not os.path.isfile(p):
        raise InvalidInputError("path", "no such PrefLib file", received=p)
    require("pref_voting", extra="social")
    instances = require("preflibtools.instances", extra="social")
    readers = require("pref_voting.io.readers", extra="social")
    try:
        inst = instances.OrdinalInstance(p)
        prof = readers.preflib_to_profile(inst)  # candidates are the file's numbers 1..m, in file order
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        raise InvalidInputError("path", f"not a readable PrefLib ordinal file ({type(exc).__name__}: {exc})",
                                received=p) from exc
    out = _from_pref_voting(prof, extended)
    if not out.candidates or not out.n_voters:
        raise InvalidInputError("path", "the PrefLib file holds no ballots or no alternatives", received=p)
    names = getattr(inst, "alternatives_name", {}) or {}
    labels = tuple(names.get(c, c) for c in out.candidates)
    if len(set(labels)) != len(labels):  # duplicate names in the file: keep the numbers
        labels = out.candidates
    order = np.argsort(np.asarray(out.candidates))  # file order 1..m
    return PreferenceProfile(out.ranks[:, order], out.counts, tuple(labels[i] for i in order), out.extended)

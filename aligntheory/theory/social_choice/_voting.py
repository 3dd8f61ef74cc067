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

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import ConvergenceError, InvalidInputError

__all__ = [
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
    "ScoringFit",
    "fit_scoring_vector",
    "scoring_winner_exact",
    "verify_scoring_vector",
]


def check_profile(profile: Any, counts: Any = None, *, name: str = "profile") -> tuple[np.ndarray, np.ndarray]:
    """Validate a strict-order profile; return ``(rankings int64 (n, m), counts int64 (n,))`` [M] (§2.5).

    Examples
    --------
    >>> check_profile([[0, 1], [1, 0]])[1].tolist()
    [1, 1]
    >>> check_profile([[0, 0]])
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: profile: every row must be a permutation of 0..m-1 (a strict order) (received row 0 = [0, 0])
    """
    r = np.asarray(profile)
    if r.ndim != 2 or r.shape[0] < 1 or r.shape[1] < 1:
        raise InvalidInputError(name, "must have shape (n_voters >= 1, n_candidates >= 1)", received=f"shape {r.shape}")
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
        c = np.asarray(counts)
        if c.shape != (r.shape[0],) or c.dtype.kind not in "iu" or np.any(c < 1):
            raise InvalidInputError("counts", f"must be positive integers, shape ({r.shape[0]},)", received=c.tolist())
        c = c.astype(np.int64)
    return r.astype(np.int64), c


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
    r, c = check_profile(profile, counts)
    m = r.shape[1]
    out = np.zeros((m, m), dtype=np.int64)
    np.add.at(out, (r, np.broadcast_to(np.arange(m), r.shape)), c[:, None])
    return out


def _score_vector(score: Any, m: int) -> np.ndarray:
    s = V.as_float_array("score_vector", score, shape=(m,))
    if np.any(np.diff(s) > 0):
        raise InvalidInputError("score_vector", "must be non-increasing (s_1 >= ... >= s_m)", received=s.tolist())
    return s


def scoring_scores(profile: Any, score_vector: Any, counts: Any = None) -> np.ndarray:
    """Positional scores :math:`\\mathrm{sc}_s(c) = \\langle s, \\pi_c(P)\\rangle` [M] (§2.5).

    Examples
    --------
    >>> scoring_scores([[0, 1, 2], [1, 0, 2]], [2, 1, 0]).tolist()
    [3.0, 3.0, 0.0]
    """
    pc = position_counts(profile, counts)
    s = _score_vector(score_vector, pc.shape[0])
    return pc @ s


def _winners(scores: np.ndarray) -> tuple[int, ...]:
    return tuple(int(c) for c in np.flatnonzero(scores == scores.max()))


def scoring_winners(profile: Any, score_vector: Any, counts: Any = None) -> tuple[int, ...]:
    """Winning set of the positional scoring rule with vector :math:`s` [M] (§2.5).

    Integer-valued score vectors give exact comparisons; for exact arithmetic with rational vectors
    use :func:`scoring_winner_exact`.

    Examples
    --------
    >>> scoring_winners([[0, 1, 2], [1, 0, 2]], [2, 1, 0])
    (0, 1)
    """
    return _winners(scoring_scores(profile, score_vector, counts))


def plurality_winners(profile: Any, counts: Any = None) -> tuple[int, ...]:
    """Plurality winners, :math:`s = (1, 0, \\dots, 0)` [M] (§2.5).

    Examples
    --------
    >>> plurality_winners([[2, 0, 1], [2, 1, 0], [0, 1, 2]])
    (2,)
    """
    r, c = check_profile(profile, counts)
    return _winners(np.bincount(r[:, 0], weights=c, minlength=r.shape[1]))


def borda_winners(profile: Any, counts: Any = None) -> tuple[int, ...]:
    """Borda winners, :math:`s_r = m - r` [M] (§2.5).

    Examples
    --------
    >>> borda_winners([[0, 1, 2], [1, 2, 0]])
    (1,)
    """
    r, _ = check_profile(profile, counts)
    m = r.shape[1]
    return scoring_winners(profile, np.arange(m - 1, -1, -1, dtype=np.float64), counts)


def margins(profile: Any, counts: Any = None) -> np.ndarray:
    """Margin matrix :math:`\\mathrm{mg}(a,b) = \\#\\{a \\succ b\\} - \\#\\{b \\succ a\\}` [M] (§2.5).

    Returns
    -------
    int64 array, shape (m, m), antisymmetric. Complexity :math:`O(nm^2)`.

    Examples
    --------
    >>> margins([[0, 1, 2], [1, 2, 0], [2, 0, 1]]).tolist()
    [[0, 1, -1], [-1, 0, 1], [1, -1, 0]]
    """
    r, c = check_profile(profile, counts)
    n, m = r.shape
    rank = np.empty_like(r)
    rank[np.arange(n)[:, None], r] = np.arange(m)[None, :]
    pref = (rank[:, :, None] < rank[:, None, :]).astype(np.int64)  # pref[v, a, b] = a above b
    above = np.einsum("v,vab->ab", c, pref)
    return above - above.T


def condorcet_winner(profile: Any, counts: Any = None) -> int | None:
    """The Condorcet winner (:math:`\\mathrm{mg}(c,b) > 0` for all :math:`b \\ne c`) or ``None`` [M] (§2.5).

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


def weak_condorcet_winners(profile: Any, counts: Any = None) -> tuple[int, ...]:
    """Candidates :math:`c` with :math:`\\mathrm{mg}(b,c) \\le 0` for all :math:`b` [M] (§2.5).

    Examples
    --------
    >>> weak_condorcet_winners([[0, 1], [1, 0]])
    (0, 1)
    """
    mg = margins(profile, counts)
    return tuple(int(c) for c in np.flatnonzero((mg >= 0).all(axis=1)))


def copeland_scores(profile: Any, counts: Any = None) -> np.ndarray:
    """Copeland scores with the :math:`(+1, 0, -1)` convention [M] (§2.5).

    Examples
    --------
    >>> copeland_scores([[0, 1, 2], [0, 2, 1]]).tolist()
    [2, -1, -1]
    """
    return np.sign(margins(profile, counts)).sum(axis=1)


def copeland_winners(profile: Any, counts: Any = None) -> tuple[int, ...]:
    """Copeland winning set [M] (§2.5).

    Examples
    --------
    >>> copeland_winners([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    (0, 1, 2)
    """
    return _winners(copeland_scores(profile, counts))


def resolute(winners: tuple[int, ...]) -> int:
    """The library's resolute winner: the smallest candidate of a winning set [M] (§2.5).

    Examples
    --------
    >>> resolute((2, 0))
    0
    """
    if not winners:
        raise InvalidInputError("winners", "must be a non-empty winning set")
    return int(min(winners))


def scoring_ranking(profile: Any, score_vector: Any, counts: Any = None) -> tuple[int, ...]:
    """Social ranking by score descending, then candidate index ascending (a strict order) [M] (§2.5).

    Examples
    --------
    >>> scoring_ranking([[0, 1, 2], [1, 0, 2]], [2, 1, 0])
    (0, 1, 2)
    """
    sc = scoring_scores(profile, score_vector, counts)
    return tuple(int(c) for c in np.lexsort((np.arange(sc.size), -sc)))


def borda_ranking(profile: Any, counts: Any = None) -> tuple[int, ...]:
    """Borda ranking (score descending, index ascending) [M] (§2.5).

    Examples
    --------
    >>> borda_ranking([[2, 1, 0], [1, 2, 0]])
    (1, 2, 0)
    """
    m = np.asarray(profile).shape[-1]
    return scoring_ranking(profile, np.arange(m - 1, -1, -1, dtype=np.float64), counts)


# ----------------------------------------------------------------------------------------------
# the scoring-rule class (spec §3.4)


def scoring_rule_natarajan_bound(n_candidates: int) -> int:
    """Upper bound :math:`m-1` on the Natarajan dimension of the scoring rules on :math:`m` candidates [M] (§3.4 S2).

    Derived in the spec (linear multiclass argument, SSBD §29.3, with feature map
    :math:`\\Psi(P,c) = \\pi_c(P)` and the lowest-index tie-break); no lower bound is claimed. With
    :math:`d_N = m-1, k = m`, :func:`natarajan_deviation` bounds the uniform deviation of the 0-1
    error of the class (Procaccia et al. 2009 show PAC-learnability; their constants are not reproduced).

    Examples
    --------
    >>> scoring_rule_natarajan_bound(4)
    3
    """
    return V.check_int("n_candidates", n_candidates, lo=1) - 1


@dataclass(frozen=True)
class ScoringFit:
    """Result of :func:`fit_scoring_vector`.

    Attributes
    ----------
    feasible : bool
        Whether some scoring rule (lowest-index tie-break) is consistent with every example.
    vector : ndarray or None
        The solver's vector divided by :math:`s_1` (so :math:`s_1 = 1, s_m = 0`) when :math:`s_1 > 0`.
    raw : ndarray or None
        The margin-1 LP solution before normalisation.
    exact : tuple of Fraction or None
        ``raw`` rounded to rationals (``limit_denominator(10**6)``).
    consistent : bool or None
        Whether ``exact`` reproduces every training label in exact arithmetic.
    status : str
        cvxpy's status string.
    """

    feasible: bool
    vector: np.ndarray | None
    raw: np.ndarray | None
    exact: tuple[Fraction, ...] | None
    consistent: bool | None
    status: str


def _profiles_list(profiles: Any) -> list[np.ndarray]:
    if isinstance(profiles, np.ndarray) and profiles.ndim == 3:
        items = list(profiles)
    else:
        items = list(profiles)
    if not items:
        raise InvalidInputError("profiles", "must contain at least one profile")
    out = [check_profile(p, name="profiles")[0] for p in items]
    m = out[0].shape[1]
    if any(p.shape[1] != m for p in out):
        raise InvalidInputError("profiles", "all profiles must have the same number of candidates")
    return out


def scoring_winner_exact(profile: Any, score_vector: Any) -> int:
    """Resolute scoring winner in exact rational arithmetic (lowest index on ties) [M] (§3.4 S3).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> scoring_winner_exact([[1, 0, 2], [0, 1, 2]], [F(1), F(1, 2), F(0)])
    0
    """
    pc = position_counts(profile)
    s = [Fraction(x) for x in score_vector]
    if len(s) != pc.shape[0]:
        raise InvalidInputError("score_vector", f"must have length {pc.shape[0]}", received=len(s))
    scores = [sum((Fraction(int(v)) * sr for v, sr in zip(row, s)), Fraction(0)) for row in pc.tolist()]
    best = max(scores)
    return scores.index(best)


def verify_scoring_vector(profiles: Any, winners: Any, score_vector: Any) -> np.ndarray:
    """Exact check of a scoring vector against labelled profiles [M] (§3.4 S3).

    Returns a boolean array: entry :math:`j` is True iff the exact resolute winner of profile
    :math:`j` under ``score_vector`` (Fractions, or floats converted exactly) equals ``winners[j]``.

    Examples
    --------
    >>> verify_scoring_vector([[[0, 1, 2]], [[2, 1, 0]]], [0, 2], [1, 0, 0]).tolist()
    [True, True]
    """
    ps = _profiles_list(profiles)
    w = np.asarray(winners)
    if w.shape != (len(ps),):
        raise InvalidInputError("winners", f"must have shape ({len(ps)},)", received=f"shape {w.shape}")
    return np.array([scoring_winner_exact(p, score_vector) == int(wj) for p, wj in zip(ps, w.tolist())])


def fit_scoring_vector(profiles: Any, winners: Any, *, solver: str = "HIGHS") -> ScoringFit:
    """Learn a scoring vector consistent with (profile, winner) examples by linear feasibility [M] (§3.4 S3).

    Variables :math:`s \\in \\mathbb R^m`; constraints :math:`s_r - s_{r+1} \\ge 0`, :math:`s_m = 0`, and for
    every example :math:`j` and :math:`c \\ne w_j`, with :math:`\\delta_{jc} = \\pi_{w_j}(P_j) - \\pi_c(P_j)`:
    :math:`\\langle s, \\delta_{jc}\\rangle \\ge 1` if :math:`c < w_j` (a tie would go to :math:`c`), and
    :math:`\\ge 0` if :math:`c > w_j`. All other constraints are homogeneous, so the margin-1 LP is
    feasible iff a consistent scoring rule exists. Objective: minimise :math:`s_1` (cvxpy, HiGHS).
    Infeasibility is a result (``feasible=False``); a solver that reaches no status raises
    :class:`~aligntheory.errors.ConvergenceError`. The answer is rounded to rationals and verified
    exactly (:func:`verify_scoring_vector`). Complexity: one LP with :math:`m` variables and
    :math:`J(m-1)` constraints.

    Parameters
    ----------
    profiles : sequence of int arrays (n_voters_j, m), or an array (J, n, m)
    winners : int array, shape (J,)

    Examples
    --------
    >>> fit = fit_scoring_vector([[[0, 1, 2]], [[1, 2, 0], [2, 1, 0]]], [0, 1])
    >>> fit.feasible, fit.consistent
    (True, True)
    """
    import cvxpy as cp

    ps = _profiles_list(profiles)
    m = ps[0].shape[1]
    w = np.asarray(winners)
    if w.shape != (len(ps),) or w.dtype.kind not in "iu" or w.min() < 0 or w.max() >= m:
        raise InvalidInputError("winners", f"must be candidate indices in [0, {m - 1}], shape ({len(ps)},)",
                                received=f"shape {w.shape}")
    rows, rhs = [], []
    for p, wj in zip(ps, w.tolist()):
        pc = position_counts(p).astype(np.float64)
        for c in range(m):
            if c == wj:
                continue
            rows.append(pc[wj] - pc[c])
            rhs.append(1.0 if c < wj else 0.0)
    A = np.array(rows).reshape(-1, m)
    b = np.array(rhs)
    s = cp.Variable(m)
    cons = [s[m - 1] == 0]
    if m > 1:
        cons.append(s[:-1] - s[1:] >= 0)
    if A.shape[0]:
        cons.append(A @ s >= b)
    prob = cp.Problem(cp.Minimize(s[0]), cons)
    try:
        prob.solve(solver=solver)
    except cp.error.SolverError as exc:
        raise ConvergenceError(f"fit_scoring_vector: LP solver {solver} failed: {exc}") from exc
    status = str(prob.status)
    if status in (cp.INFEASIBLE, cp.INFEASIBLE_INACCURATE):
        return ScoringFit(False, None, None, None, None, status)
    if status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE) or s.value is None:
        raise ConvergenceError(f"fit_scoring_vector: LP ended with status {status!r}")
    raw = np.asarray(s.value, dtype=np.float64)
    exact = tuple(Fraction(float(x)).limit_denominator(10**6) for x in raw)
    consistent = bool(verify_scoring_vector(ps, w, exact).all())
    vec = raw / raw[0] if raw[0] > 0 else raw.copy()
    return ScoringFit(True, vec, raw, exact, consistent, status)

"""Guard-condition claim (issue 11, round 10): every condition of every hand-written raising guard of
:mod:`aligntheory.theory.social_choice` decides a row of its own (MC/DC).

* ``social_choice.guard_conditions_theory``.

A guard ``if A or B or C: raise`` gets one refused row where ONLY ``A`` holds, one where only ``B`` holds, one
where only ``C`` holds, and an accepted row where none holds; a guard ``if A and B: raise`` gets the refused row
with both and accepted rows with each alone; a comparison gets a row exactly at its edge and one step past it.
Where two guards of one function refuse with the same argument, the row also pins a documented detail of the
message (``match=``), so the row is decided by the guard it is written for. Accepted rows check their result
against an independent one-line value (a closed form or a direct count written here), not only finiteness.
The table is fixed in advance from the docstrings (never read from the source).
"""

from __future__ import annotations

import math

import numpy as np

from aligntheory.errors import InvalidInputError, SizeCapError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence, quiet
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_SRC = Source(key="qiu2024representative", where="failure contract, docs/DESIGN.md §7 (guard conditions)")
_IIE = InvalidInputError
_I = np.int64


_quiet = quiet  # proofs_check._helpers


def _C(label, call, refuse=None, match=None):
    return ContractCase(label, _quiet(call), refuse, match)


def _eq(got, want, *, rtol=0.0):
    """Assert ``got == want`` (elementwise, to ``rtol``) and return ``got`` -- an accepted row's result check."""
    g = np.asarray(got, dtype=np.float64) if not isinstance(got, (tuple, bool)) else got
    if isinstance(got, (tuple, bool)):
        if got != want:
            raise AssertionError(f"got {got!r}, expected {want!r}")
        return got
    w = np.asarray(want, dtype=np.float64)
    if g.shape != w.shape or not np.allclose(g, w, rtol=rtol, atol=0.0):
        raise AssertionError(f"got {g.tolist()!r}, expected {w.tolist()!r}")
    return got


def _util_of(rankings, s):
    """u[x, o] = s[position of o in ranking x] -- written here, independently of the library."""
    return [[s[list(r).index(o)] for o in range(len(r))] for r in rankings]


def _welfare_direct(util, issues, pol, sample=None, weights=None):
    """Mean (or weighted) agreement u_x(f(q_x)) for each policy f, by a plain double loop."""
    out = []
    for f in pol:
        if sample is not None:
            out.append(sum(util[x][f[issues[x]]] for x in sample) / len(sample))
        else:
            out.append(sum(w * util[x][f[issues[x]]] for x, w in enumerate(weights)))
    return out


def _rows_welfare() -> list[ContractCase]:
    import aligntheory.theory.social_choice as S

    U2 = [[1.0, 0.0], [0.0, 1.0]]
    P2 = [[0], [1]]
    R3 = [[2, 0, 1]]
    s3 = [1.0, 0.5, 0.0]
    ew = S.empirical_welfare
    return [
        # _check_scoring: size < 2, then any(diff > 0), then s_1 != 1 or s_k != 0
        _C("utilities: scoring length 1 refused (the length guard)", lambda: S.utilities_from_rankings([[0]], [1.0]),
           (_IIE, "scoring"), "length >= 2"),
        _C("utilities: scoring length 2 accepted", lambda: _eq(S.utilities_from_rankings([[1, 0]], [1.0, 0.0]),
                                                               _util_of([[1, 0]], [1.0, 0.0]))),
        _C("utilities: scoring increasing in the middle refused (monotonicity alone)",
           lambda: S.utilities_from_rankings([[0, 1, 2, 3]], [1.0, 0.0, 0.5, 0.0]), (_IIE, "scoring"), "non-increasing"),
        _C("utilities: scoring with equal entries accepted (diff = 0 at the edge)",
           lambda: _eq(S.utilities_from_rankings([[3, 1, 0, 2]], [1.0, 0.5, 0.5, 0.0]),
                       _util_of([[3, 1, 0, 2]], [1.0, 0.5, 0.5, 0.0]))),
        _C("utilities: s_1 = 0.5 refused (s_1 != 1 alone)", lambda: S.utilities_from_rankings([[0, 1]], [0.5, 0.0]),
           (_IIE, "scoring"), "normalised"),
        _C("utilities: s_k = 0.5 refused (s_k != 0 alone)", lambda: S.utilities_from_rankings([[0, 1]], [1.0, 0.5]),
           (_IIE, "scoring"), "normalised"),
        _C("utilities: docstring example [[2,0,1]], (1, 0.5, 0) accepted",
           lambda: _eq(S.utilities_from_rankings(R3, s3), _util_of(R3, s3))),
        # _check_rankings: ndim != 2 or dtype not integer; k given and width != k; rows permutations
        _C("utilities: 1-d integer rankings refused (ndim alone)", lambda: S.utilities_from_rankings([1, 0], [1.0, 0.0]),
           (_IIE, "rankings"), "2-d integer"),
        _C("utilities: 2-d float rankings refused (dtype alone)",
           lambda: S.utilities_from_rankings([[1.0, 0.0]], [1.0, 0.0]), (_IIE, "rankings"), "2-d integer"),
        _C("utilities: uint8 rankings accepted",
           lambda: _eq(S.utilities_from_rankings(np.array([[1, 0]], dtype=np.uint8), [1.0, 0.0]), [[0.0, 1.0]])),
        _C("utilities: rankings width 3 with scoring length 2 refused (width != k)",
           lambda: S.utilities_from_rankings([[0, 1, 2]], [1.0, 0.0]), (_IIE, "rankings"), "length 2"),
        _C("utilities: a repeated outcome refused (not a permutation)",
           lambda: S.utilities_from_rankings([[0, 0]], [1.0, 0.0]), (_IIE, "rankings"), "permutation"),
        # _instance: util in [0, 1]; issue vector; policy table; index ranges
        _C("empirical_welfare: docstring example accepted (direct mean)",
           lambda: _eq(ew([0, 0, 1], U2, [0, 0], P2), _welfare_direct(U2, [0, 0], P2, sample=[0, 0, 1]), rtol=1e-15)),
        _C("empirical_welfare: one-element sample [1] accepted (N = 1 edge)",
           lambda: _eq(ew([1], U2, [0, 0], P2), [0.0, 1.0])),
        _C("empirical_welfare: empty sample refused", lambda: ew(np.array([], dtype=_I), U2, [0, 0], P2),
           (_IIE, "sample"), "at least one"),
        _C("empirical_welfare: utility -1e-300 refused (min < 0 alone)",
           lambda: ew([0], [[1.0, -1e-300], [0.0, 1.0]], [0, 0], P2), (_IIE, "util_table"), "[0, 1]"),
        _C("empirical_welfare: utility 1 + 2^-52 refused (max > 1 alone)",
           lambda: ew([0], [[1.0 + 2.0**-52, 0.0], [0.0, 1.0]], [0, 0], P2), (_IIE, "util_table"), "[0, 1]"),
        _C("empirical_welfare: 2-d issue_of_pair of the right length refused (ndim alone)",
           lambda: ew([0], U2, [[0], [0]], P2), (_IIE, "issue_of_pair"), "integer vector"),
        _C("empirical_welfare: issue_of_pair of length 1 for 2 pairs refused (length alone)",
           lambda: ew([0], U2, [0], P2), (_IIE, "issue_of_pair"), "n_pairs = 2"),
        _C("empirical_welfare: float issue_of_pair refused (dtype alone)",
           lambda: ew([0], U2, [0.0, 0.0], P2), (_IIE, "issue_of_pair"), "integer vector"),
        _C("empirical_welfare: 3-d policy table refused (ndim alone)",
           lambda: ew([0], U2, [0, 0], [[[0]], [[1]]]), (_IIE, "policy_outcomes"), "n_policies"),
        _C("empirical_welfare: float policy table refused (dtype alone)",
           lambda: ew([0], U2, [0, 0], [[0.0], [1.0]]), (_IIE, "policy_outcomes"), "n_policies"),
        _C("empirical_welfare: 1-d policy [1] accepted as one policy",
           lambda: _eq(ew([0, 1], U2, [0, 0], [1]), [0.5])),
        _C("empirical_welfare: empty float policy table (0, 1) accepted: no policies, no values",
           lambda: _eq(ew([0], U2, [0, 0], np.zeros((0, 1))), np.zeros(0))),
        _C("erm_choice: empty policy class refused", lambda: S.erm_choice([0], U2, [0, 0], np.zeros((0, 1), dtype=_I)),
           (_IIE, "policy_outcomes"), "at least one policy"),
        _C("erm_choice: one policy accepted, index 0", lambda: _eq(S.erm_choice([0], U2, [0, 0], [[1]]), 0)),
        _C("empirical_welfare: issue -1 refused (min < 0 alone)",
           lambda: ew([0], U2, [-1, 0], [[0, 1]]), (_IIE, "issue_of_pair"), "issue index out of range"),
        _C("empirical_welfare: issue 1 with one issue column refused (max >= Q alone)",
           lambda: ew([0], U2, [0, 1], P2), (_IIE, "issue_of_pair"), "issue index out of range"),
        _C("empirical_welfare: issue Q - 1 = 1 with two issue columns accepted (edge)",
           lambda: _eq(ew([0, 1], U2, [0, 1], [[0, 1], [1, 0]]),
                       _welfare_direct(U2, [0, 1], [[0, 1], [1, 0]], sample=[0, 1]))),
        _C("empirical_welfare: 3 pairs over 2 outcomes accepted (n_pairs != k)",
           lambda: _eq(ew([2], [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]], [0, 0, 0], P2), [0.5, 0.5])),
        _C("empirical_welfare: 1 pair over 3 outcomes, outcome k - 1 = 2 accepted (edge, n_pairs != k)",
           lambda: _eq(ew([0], [[0.0, 0.5, 1.0]], [0], [[2], [1]]), [1.0, 0.5])),
        _C("empirical_welfare: outcome -1 refused (min < 0 alone)",
           lambda: ew([0], U2, [0, 0], [[-1], [1]]), (_IIE, "policy_outcomes"), "outcomes must lie"),
        _C("empirical_welfare: outcome k = 2 refused (max >= k alone)",
           lambda: ew([0], U2, [0, 0], [[0], [2]]), (_IIE, "policy_outcomes"), "outcomes must lie"),
        # _weights: >= 0, sum 1 within 1e-12
        _C("population_welfare: weights (0.25, 0.75) accepted (direct weighted sum)",
           lambda: _eq(S.population_welfare([0.25, 0.75], U2, [0, 0], P2),
                       _welfare_direct(U2, [0, 0], P2, weights=[0.25, 0.75]), rtol=1e-15)),
        _C("population_welfare: weights (1, 0) accepted (a zero weight at the edge)",
           lambda: _eq(S.population_welfare([1.0, 0.0], U2, [0, 0], P2), [1.0, 0.0])),
        _C("population_welfare: weights (1.5, -0.5) refused (negative, sum 1)",
           lambda: S.population_welfare([1.5, -0.5], U2, [0, 0], P2), (_IIE, "weights"), ">= 0"),
        _C("population_welfare: weights summing to 1 + 4e-12 refused",
           lambda: S.population_welfare([0.5, 0.5 + 4e-12], U2, [0, 0], P2), (_IIE, "weights"), "sum to 1"),
        _C("population_welfare: weights summing to 1 - 4e-12 refused",
           lambda: S.population_welfare([0.5, 0.5 - 4e-12], U2, [0, 0], P2), (_IIE, "weights"), "sum to 1"),
        _C("population_welfare: weights summing to 1 + 2.5e-13 accepted (inside the tolerance)",
           lambda: S.population_welfare([0.5, 0.5 + 2.5e-13], U2, [0, 0], P2)),
        # threshold_welfare: t in [0, 1]; W(t) = 1 - (t^2 + (1-t)^2)/2
        _C("threshold_welfare: t = 0, 1 accepted (edges), W = 1/2",
           lambda: _eq(S.threshold_welfare([0.0, 1.0]), [0.5, 0.5])),
        _C("threshold_welfare: t = -5e-324 refused", lambda: S.threshold_welfare([-5e-324]), (_IIE, "t")),
        _C("threshold_welfare: t = 1 + 2^-52 refused", lambda: S.threshold_welfare([0.5, 1.0 + 2.0**-52]), (_IIE, "t")),
        _C("threshold_welfare: empty t accepted (empty result)", lambda: _eq(S.threshold_welfare([]), np.zeros(0))),
        # scoring_vector: plurality (1, 0, ..., 0), Borda ((k - 1 - i) / (k - 1)); k <= MAX_ALTERNATIVES = 10**6
        _C("scoring_vector: plurality, k = 3 -> (1, 0, 0)", lambda: _eq(S.scoring_vector("plurality", 3), [1.0, 0.0, 0.0])),
        _C("scoring_vector: borda, k = 3 -> (1, 1/2, 0)", lambda: _eq(S.scoring_vector("borda", 3), [1.0, 0.5, 0.0])),
        _C("scoring_vector: k = 10**6 (the default cap) accepted",
           lambda: _eq(S.scoring_vector("plurality", 10**6)[:2], [1.0, 0.0])),
        _C("scoring_vector: k = 10**6 + 1 over the default cap refused",
           lambda: S.scoring_vector("plurality", 10**6 + 1), (SizeCapError, "n_alternatives")),
        # issuewise_majority: preferences are 0 or 1
        _C("issuewise_majority: a preference 2 refused",
           lambda: S.issuewise_majority([0, 1], [1, 2], 2), (_IIE, "sample_prefs")),
        _C("issuewise_majority: preferences 0 and 1 accepted",
           lambda: _eq(S.issuewise_majority([0, 1, 1], [1, 0, 0], 2), [1, 0])),
    ]


def _scores_direct(profile, s):
    m = len(profile[0])
    return [sum(s[list(r).index(c)] for r in profile) for c in range(m)]


def _rows_voting() -> list[ContractCase]:
    import aligntheory.theory.social_choice as S
    from aligntheory.theory.social_choice._rup import check_drup_refutation

    A = np.array
    P = A([[0, 1], [1, 0]])
    return [
        # check_profile: ndim != 2 or n < 1 or m < 1; counts shape / dtype / >= 1
        _C("check_profile: 1-d profile refused (ndim alone)", lambda: S.check_profile(A([0, 1])), (_IIE, "profile"),
           "shape"),
        _C("check_profile: (0, 2) profile refused (no voters alone)", lambda: S.check_profile(np.zeros((0, 2), _I)),
           (_IIE, "profile"), "shape"),
        _C("check_profile: (1, 0) profile refused (no alternatives alone)",
           lambda: S.check_profile(np.zeros((1, 0), _I)), (_IIE, "profile"), "shape"),
        _C("check_profile: (1, 1) profile accepted (edge), counts [1]",
           lambda: _eq(tuple(S.check_profile(A([[0]])).counts.tolist()), (1,))),
        _C("check_profile: counts of shape (1,) for 2 voters refused", lambda: S.check_profile(P, [1]),
           (_IIE, "counts")),
        _C("check_profile: float counts refused", lambda: S.check_profile(P, [1.0, 1.0]), (_IIE, "counts")),
        _C("check_profile: a zero count refused", lambda: S.check_profile(P, [1, 0]), (_IIE, "counts")),
        _C("check_profile: counts (1, 2) accepted (edge 1)",
           lambda: _eq(tuple(S.check_profile(P, A([1, 2], dtype=np.uint8)).counts.tolist()), (1, 2))),
        _C("check_profile: 2 voters over 3 alternatives, counts (1, 2) accepted (n != m)",
           lambda: _eq(tuple(S.check_profile(A([[0, 1, 2], [2, 1, 0]]), [1, 2]).counts.tolist()), (1, 2))),
        # _score_vector: non-increasing
        _C("scoring_scores: score (1, 2, 0) refused", lambda: S.scoring_scores(A([[0, 1, 2]]), [1.0, 2.0, 0.0]),
           (_IIE, "score_vector")),
        _C("scoring_scores: score (1, 1, 0) accepted (equal entries), direct sum",
           lambda: _eq(S.scoring_scores(A([[0, 1, 2], [2, 0, 1]]), [1.0, 1.0, 0.0]),
                       _scores_direct([[0, 1, 2], [2, 0, 1]], [1.0, 1.0, 0.0]))),
        # resolute: 1-d, non-empty, integer, >= 0
        _C("resolute: 2-d winners refused (ndim alone)", lambda: S.resolute([[0]]), (_IIE, "winners")),
        _C("resolute: empty integer winners refused (size alone)", lambda: S.resolute(A([], dtype=_I)),
           (_IIE, "winners")),
        _C("resolute: float winners refused (dtype alone)", lambda: S.resolute([0.0]), (_IIE, "winners")),
        _C("resolute: winner -1 refused (min < 0 alone)", lambda: S.resolute([-1, 0]), (_IIE, "winners")),
        _C("resolute: (0,) accepted (edge 0), lowest index", lambda: _eq(S.resolute([0]), 0)),
        _C("resolute: (2, 1) accepted, lowest index 1", lambda: _eq(S.resolute((2, 1)), 1)),
        # _fractions, scoring_winner_exact, _profiles_list, verify_scoring_vector
        _C("scoring_winner_exact: a string score vector refused",
           lambda: S.scoring_winner_exact([[1, 0]], "10"), (_IIE, "score_vector"), "sequence"),
        _C("scoring_winner_exact: a scalar score vector refused",
           lambda: S.scoring_winner_exact([[1, 0]], 5), (_IIE, "score_vector"), "sequence"),
        _C("scoring_winner_exact: score of length 2 for 3 alternatives refused",
           lambda: S.scoring_winner_exact([[1, 0, 2]], [1, 0]), (_IIE, "score_vector"), "length 3"),
        _C("scoring_winner_exact: (1, 0, 0) on [[1, 0, 2]] accepted, winner 1",
           lambda: _eq(S.scoring_winner_exact([[1, 0, 2]], [1, 0, 0]), 1)),
        _C("verify_scoring_vector: profiles with 2 and 3 alternatives refused",
           lambda: S.verify_scoring_vector([[[0, 1]], [[0, 1, 2]]], [0, 0], [1, 0, 0]), (_IIE, "profiles"),
           "same number"),
        _C("verify_scoring_vector: winners of shape (1,) for 2 profiles refused (shape alone)",
           lambda: S.verify_scoring_vector([[[0, 1, 2]], [[2, 1, 0]]], [0], [1, 0, 0]), (_IIE, "winners")),
        _C("verify_scoring_vector: float winners refused (dtype alone)",
           lambda: S.verify_scoring_vector([[[0, 1, 2]], [[2, 1, 0]]], [0.0, 2.0], [1, 0, 0]), (_IIE, "winners")),
        _C("verify_scoring_vector: docstring example accepted, (True, False) with winners (0, 1)",
           lambda: _eq(tuple(S.verify_scoring_vector([[[0, 1, 2]], [[2, 1, 0]]], [0, 1], [1, 0, 0]).tolist()),
                       (True, False))),
        # fit_scoring_vector: winners shape / dtype / >= 0 / < m
        _C("fit_scoring_vector: winners of shape (1,) refused (shape alone)",
           lambda: S.fit_scoring_vector([[[0, 1, 2]], [[1, 2, 0]]], [0]), (_IIE, "winners")),
        _C("fit_scoring_vector: float winners refused (dtype alone)",
           lambda: S.fit_scoring_vector([[[0, 1, 2]], [[1, 2, 0]]], [0.0, 1.0]), (_IIE, "winners")),
        _C("fit_scoring_vector: winner -1 refused (min < 0 alone)",
           lambda: S.fit_scoring_vector([[[0, 1, 2]], [[1, 2, 0]]], [-1, 1]), (_IIE, "winners")),
        _C("fit_scoring_vector: winner m = 3 refused (max >= m alone)",
           lambda: S.fit_scoring_vector([[[0, 1, 2]], [[1, 2, 0]]], [0, 3]), (_IIE, "winners")),
        _C("fit_scoring_vector: winner m - 1 = 2 accepted (edge)",
           lambda: S.fit_scoring_vector([[[0, 1, 2]], [[1, 2, 0], [2, 1, 0]]], [0, 2])),
        # check_drup_refutation's line parser: a terminating 0, no inner 0
        _C("drup: an empty proof line refused", lambda: check_drup_refutation([[1], [-1]], [""]), (_IIE, "proof"),
           "terminating 0"),
        _C("drup: a line without its final 0 refused", lambda: check_drup_refutation([[1], [-1]], ["2"]),
           (_IIE, "proof"), "terminating 0"),
        _C("drup: a line with an inner 0 refused", lambda: check_drup_refutation([[1], [-1]], ["2 0 0"]),
           (_IIE, "proof"), "terminating 0"),
        _C("drup: docstring refutation '2 0', '0' accepted, valid",
           lambda: _eq(bool(check_drup_refutation([[1, 2], [-1, 2], [1, -2], [-1, -2]], ["2 0", "0"]).valid), True)),
        _C("drup: the line '0' accepted, a valid refutation of (x1)(not x1)",
           lambda: _eq(bool(check_drup_refutation([[1], [-1]], ["0"]).valid), True)),
    ]


def _rows_orders_profiles_bounds() -> list[ContractCase]:
    import aligntheory.theory.social_choice as S

    A = np.array

    def sp_not_siia(Sm, p):  # the dictator is voter 1 when voter 1 ranks 0 first, else voter 0: SP holds, SIIA fails
        return tuple(p[1]) if p[1][0] == 0 else tuple(p[0])

    hoeff = math.sqrt(math.log(2.0 / 0.05) / 100.0)  # sqrt(ln(2|F|/delta)/(2N)) at |F| = 1, N = 50
    strict_rows = [
        # PreferenceProfile.is_strict: every ranking a permutation (no tied tier)
        _C("as_profile: two strict rankings -> is_strict True",
           lambda: _eq(S.as_profile([[0, 1, 2], [2, 1, 0]]).is_strict, True)),
        _C("as_profile: a ballot with the tier {0, 1} -> is_strict False",
           lambda: _eq(S.as_profile([[{0, 1}, 2], [0, 1, 2]]).is_strict, False)),
    ]
    return [
        # int_sequence (via check_order / reduce_sample): 1-d; float entries integral, finite, |x| <= 2^53
        _C("check_order: 2-d order refused", lambda: S.check_order([[0, 1]]), (_IIE, "order"), "1-d"),
        _C("check_order: 0.5 refused (non-integral alone)", lambda: S.check_order([0.5, 0.0]), (_IIE, "order"),
           "must hold integers"),
        _C("check_order: 2^53 + 2 refused (magnitude alone)", lambda: S.check_order([2.0**53 + 2]), (_IIE, "order"),
           "must hold integers"),
        _C("check_order: 2^53 passes the integer test (then is no permutation)", lambda: S.check_order([2.0**53]),
           (_IIE, "order"), "permutation"),
        _C("check_order: integral floats (1, 0) accepted", lambda: _eq(S.check_order([1.0, 0.0]), (1, 0))),
        _C("check_order: (0, 2) refused (not a permutation)", lambda: S.check_order([0, 2]), (_IIE, "order"),
           "permutation"),
        _C("check_order: (2, 0, 1) accepted", lambda: _eq(S.check_order([2, 0, 1]), (2, 0, 1))),
        # is_strict_linear_order: square 2-d
        _C("is_strict_linear_order: 1-d relation refused (ndim alone)",
           lambda: S.is_strict_linear_order(A([True, False])), (_IIE, "rel"), "square"),
        _C("is_strict_linear_order: (2, 3) relation refused (not square alone)",
           lambda: S.is_strict_linear_order(np.zeros((2, 3), bool)), (_IIE, "rel"), "square"),
        _C("is_strict_linear_order: 0 > 1 accepted, True", lambda: _eq(bool(S.is_strict_linear_order(
            A([[False, True], [False, False]]))), True)),
        # reduce_sample: draws in [0, n_pairs - 1]
        _C("reduce_sample: draw -1 refused (min < 0 alone)", lambda: S.reduce_sample([-1, 0], [(0, 1), (1, 0)]),
           (_IIE, "draws")),
        _C("reduce_sample: draw 2 of 2 pairs refused (max >= n alone)",
           lambda: S.reduce_sample([0, 2], [(0, 1), (1, 0)]), (_IIE, "draws")),
        _C("reduce_sample: draws (1, 0, 1) accepted (edge n - 1)",
           lambda: _eq(tuple(S.reduce_sample([1, 0, 1], [(0, 1), (1, 0)])), ((0, 1), ((0, 1), (1, 0))))),
        _C("reduce_sample: empty draws refused", lambda: S.reduce_sample([], [(0, 1)]), (_IIE, "draws"),
           "at least one"),
        # privilege_graph: strict outputs, SP, SIIA, a unique dictator
        _C("privilege_graph: privileged ordering (2, 0, 1) accepted, edges in that order",
           lambda: _eq(tuple(sorted(S.privilege_graph(S.privileged_ordering_mechanism([2, 0, 1]), 3).edges())),
                       ((0, 1), (2, 0), (2, 1)))),
        _C("privilege_graph: a non-order output refused", lambda: S.privilege_graph(lambda s, p: (0, 0, 1), 2),
           (_IIE, "phi"), "strict-order"),
        _C("privilege_graph: the reversed first ballot refused (SP fails)",
           lambda: S.privilege_graph(lambda s, p: tuple(reversed(p[0])), 2), (_IIE, "phi"), "SP fails"),
        _C("privilege_graph: a dictator chosen by a third alternative refused (SIIA fails)",
           lambda: S.privilege_graph(sp_not_siia, 2), (_IIE, "phi"), "SIIA fails"),
        # as_profile: extended flag; array shape; candidates; counts; integer ballots
        _C("as_profile: extended = 1 refused", lambda: S.as_profile(A([[0, 1]]), extended=1), (_IIE, "extended")),
        _C("as_profile: extended = numpy True accepted",
           lambda: _eq(bool(S.as_profile(A([[0, 1]]), extended=np.True_).extended), True)),
        _C("as_profile: 1-d array refused (ndim alone)", lambda: S.as_profile(A([0, 1])), (_IIE, "profile"), "shape"),
        _C("as_profile: (0, 2) array refused (no voters alone)", lambda: S.as_profile(np.zeros((0, 2), _I)),
           (_IIE, "profile"), "shape"),
        _C("as_profile: (1, 0) array refused (no alternatives alone)", lambda: S.as_profile(np.zeros((1, 0), _I)),
           (_IIE, "profile"), "shape"),
        _C("as_profile: (1, 1) array accepted, ranks [[0]]", lambda: _eq(S.as_profile(A([[0]])).ranks, [[0]])),
        _C("as_profile: one name for 2 alternatives refused", lambda: S.as_profile(A([[0, 1]]), candidates=["a"]),
           (_IIE, "candidates"), "2 alternatives"),
        _C("as_profile: two names accepted", lambda: _eq(S.as_profile(A([[1, 0]]), candidates=["a", "b"]).candidates,
                                                         ("a", "b"))),
        _C("as_profile: counts of shape (1,) for 2 ballots refused (shape alone)",
           lambda: S.as_profile(A([[0, 1], [1, 0]]), [1]), (_IIE, "counts")),
        _C("as_profile: float counts refused (dtype alone)", lambda: S.as_profile(A([[0, 1], [1, 0]]), [1.0, 2.0]),
           (_IIE, "counts")),
        _C("as_profile: a zero count refused (>= 1 alone)", lambda: S.as_profile(A([[0, 1], [1, 0]]), [1, 0]),
           (_IIE, "counts")),
        _C("as_profile: counts (1, 2) accepted (edge 1)",
           lambda: _eq(S.as_profile(A([[0, 1], [1, 0]]), [1, 2]).counts, [1, 2])),
        _C("as_profile: ballot candidate True refused (bool alone)", lambda: S.as_profile([[0, {1, 2}], [True]]),
           (_IIE, "profile"), "integers 0..m-1"),
        _C("as_profile: ballot candidate 1.0 refused (not an integer alone)",
           lambda: S.as_profile([[0, {1, 2}], [1.0]]), (_IIE, "profile"), "integers 0..m-1"),
        _C("as_profile: ballot candidate -1 refused (negative alone)", lambda: S.as_profile([[0, {1, 2}], [-1]]),
           (_IIE, "profile"), "integers 0..m-1"),
        _C("as_profile: one ballot of the one candidate {0} accepted (m = 1 edge)",
           lambda: _eq(S.as_profile([[{0}]]).ranks, [[0]])),
        _C("as_profile: ballots (0 > {1, 2}), (2) accepted, candidate 0 at the edge",
           lambda: _eq(S.as_profile([[0, {1, 2}], [2]]).ranks, [[0, 1, 1], [-1, -1, 0]])),
        # bounds: delta in (0, 1); class_size >= 1; N >= d when d > 0
        _C("finite_class_deviation: |F| = 1 accepted, sqrt(ln(2/delta)/(2N))",
           lambda: _eq(float(S.finite_class_deviation(50, 1, 0.05)), hoeff, rtol=1e-14)),
        _C("finite_class_deviation: |F| = 1.0 (float) accepted, same value",
           lambda: _eq(float(S.finite_class_deviation(50, 1.0, 0.05)), hoeff, rtol=1e-14)),
        _C("finite_class_deviation: |F| = 0 refused", lambda: S.finite_class_deviation(50, 0, 0.05),
           (_IIE, "class_size")),
        _C("finite_class_deviation: |F| = 1 - 2^-53 refused", lambda: S.finite_class_deviation(50, 1.0 - 2.0**-53, 0.05),
           (_IIE, "class_size")),
        _C("finite_class_deviation: |F| = nan refused", lambda: S.finite_class_deviation(50, np.nan, 0.05),
           (_IIE, "class_size")),
        _C("finite_class_deviation: delta 0 refused", lambda: S.finite_class_deviation(50, 1, 0.0), (_IIE, "delta")),
        _C("finite_class_deviation: delta 1 refused", lambda: S.finite_class_deviation(50, 1, 1.0), (_IIE, "delta")),
        _C("finite_class_deviation: delta 1 - 2^-53 accepted",
           lambda: S.finite_class_deviation(50, 1, 1.0 - 2.0**-53)),
        _C("vc_deviation: N = 1 < d = 2 refused", lambda: S.vc_deviation(1, 2, 0.05), (_IIE, "n_samples"), "vc_dim"),
        _C("vc_deviation: N = d = 2 accepted (edge)", lambda: S.vc_deviation(2, 2, 0.05)),
        _C("vc_deviation: d = 0 accepted, the |F| = 1 value",
           lambda: _eq(float(S.vc_deviation(50, 0, 0.05)), hoeff, rtol=1e-14)),
        # _encoding: quotient only with IIA
        _C("arrow_instance: quotient without IIA refused", lambda: S.arrow_instance(2, 3, iia=False, encoding="quotient"),
           (_IIE, "encoding"), "IIA"),
        _C("arrow_instance: full encoding with IIA accepted", lambda: S.arrow_instance(2, 3, encoding="full").n_variables),
        _C("arrow_instance: quotient with IIA accepted", lambda: S.arrow_instance(2, 3, encoding="quotient").n_variables),
        _C("privilege_graph: max_profiles = the 36 profiles of one 2-sample over 3 alternatives accepted",
           lambda: S.privilege_graph(S.privileged_ordering_mechanism([0, 1, 2]), 2, max_profiles=36).number_of_edges()),
        _C("privilege_graph: max_profiles 35 refused", lambda: S.privilege_graph(
            S.privileged_ordering_mechanism([0, 1, 2]), 2, max_profiles=35), (SizeCapError, "n_pairs")),
        _C("privilege_graph: max_profiles 1 refused before any work",
           lambda: S.privilege_graph(S.privileged_ordering_mechanism([0, 1, 2]), 2, max_profiles=1),
           (SizeCapError, "n_pairs")),
    ] + strict_rows


@claim(
    id="social_choice.guard_conditions_theory",
    statement="Every condition of each hand-written raising guard of aligntheory.theory.social_choice (scoring and "
    "ranking checks of utilities_from_rankings, the instance, weight and sample checks of empirical_welfare / "
    "population_welfare / erm_choice / threshold_welfare, check_profile, scoring_scores, resolute, "
    "scoring_winner_exact, verify_scoring_vector, fit_scoring_vector, the DRUP line parser, check_order, "
    "is_strict_linear_order, reduce_sample, privilege_graph, as_profile, the class-size / delta / N >= d checks of "
    "the bounds, the quotient-encoding check) decides a row alone: refused with the named argument (and the "
    "documented message) when only it holds, accepted -- with the result equal to an independent value -- when "
    "none holds, and each comparison pinned at its edge.",
    source=[_SRC],
    provenance="M",
    kind="contract",
    tolerance="exact: each row on its documented side; accepted results equal (rtol <= 1e-14) to a direct value",
    rice={"R"},
    stage="backward:governance",
)
def check_guard_conditions_theory(ctx: Context) -> Evidence:
    """Predicted: each row's documented side (docstrings) and, for accepted rows, a value computed here.

    Measured: the call. Tolerance: exact sides; accepted values to rtol 1e-14 (a few roundings of a closed form).
    """
    return contract_evidence(_rows_welfare() + _rows_voting() + _rows_orders_profiles_bounds())

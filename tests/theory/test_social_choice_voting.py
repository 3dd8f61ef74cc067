"""Voting rules (§2.5) and the scoring-rule class (§3.4) of the theory layer."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligntheory.errors import InvalidInputError
from aligntheory.testing import strict_order_profiles
from aligntheory.theory import social_choice as T


def _ref_scores(profile, s):
    """Pure-Python reference: loop over voters and positions."""
    m = len(profile[0])
    sc = [0] * m
    for row in profile:
        for r, c in enumerate(row):
            sc[c] += s[r]
    return sc


def _ref_margin(profile, a, b):
    return sum(1 if list(r).index(a) < list(r).index(b) else -1 for r in profile)


@given(strict_order_profiles(max_candidates=5, max_voters=9))
def test_rules_match_python_reference(P):
    n, m = P.shape
    rows = P.tolist()
    for name, s, fn in (("plurality", [1] + [0] * (m - 1), T.plurality_winners),
                        ("borda", list(range(m - 1, -1, -1)), T.borda_winners)):
        sc = _ref_scores(rows, s)
        assert fn(P) == tuple(c for c in range(m) if sc[c] == max(sc)), name
    mg = [[_ref_margin(rows, a, b) if a != b else 0 for b in range(m)] for a in range(m)]
    assert T.margins(P).tolist() == mg
    cop = [sum((mg[a][b] > 0) - (mg[a][b] < 0) for b in range(m) if b != a) for a in range(m)]
    assert T.copeland_winners(P) == tuple(c for c in range(m) if cop[c] == max(cop))
    cw = [c for c in range(m) if all(mg[c][b] > 0 for b in range(m) if b != c)]
    assert T.condorcet_winner(P) == (cw[0] if cw else None)
    if cw:  # a Condorcet winner is the unique Copeland winner with score m - 1
        assert T.copeland_winners(P) == (cw[0],) and T.copeland_scores(P)[cw[0]] == m - 1
    pc = T.position_counts(P)
    assert np.all(pc.sum(axis=1) == n)


@given(strict_order_profiles(min_candidates=2, max_candidates=5), st.data())
def test_scoring_affine_invariance(P, data):
    m = P.shape[1]
    s = sorted(data.draw(st.lists(st.integers(-5, 5), min_size=m, max_size=m)), reverse=True)
    lam = data.draw(st.integers(1, 4))
    beta = data.draw(st.integers(-3, 3))
    s2 = [lam * x + beta for x in s]
    assert T.scoring_winners(P, s) == T.scoring_winners(P, s2)


@given(strict_order_profiles(max_candidates=4))
def test_ranking_forms_are_strict_orders(P):
    r = T.borda_ranking(P)
    assert sorted(r) == list(range(P.shape[1]))
    assert r[0] == min(T.borda_winners(P))  # ties broken by index: resolute winner first
    assert T.resolute(T.borda_winners(P)) == r[0]


@pytest.mark.anchor
@given(strict_order_profiles(max_candidates=5, max_voters=9))
def test_rules_match_pref_voting(P):
    pv = pytest.importorskip("pref_voting")
    from pref_voting.c1_methods import copeland
    from pref_voting.profiles import Profile
    from pref_voting.scoring_methods import borda, plurality, scoring_rule

    prof = Profile(P.tolist())
    m = P.shape[1]
    assert list(T.plurality_winners(P)) == plurality(prof)
    assert list(T.borda_winners(P)) == borda(prof)
    assert list(T.copeland_winners(P)) == copeland(prof)
    s = [3 * (m - 1 - r) ** 2 for r in range(m)]
    assert list(T.scoring_winners(P, s)) == scoring_rule(prof, score=lambda k, r: s[r - 1])
    assert T.condorcet_winner(P) == prof.condorcet_winner()
    mg = T.margins(P)
    assert all(mg[a, b] == prof.margin(a, b) for a in range(m) for b in range(m) if a != b)
    assert pv is not None


# ---------------------------------------------------------------------------------------------- scoring LP


@given(st.integers(3, 5), st.integers(3, 9), st.data())
def test_scoring_lp_recovers_labels_exactly(m, n, data):
    seed = data.draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    s = np.sort(rng.integers(0, 6, m))[::-1].astype(float)
    P = np.argsort(rng.random((25, n, m)), axis=-1)
    labels = np.array([min(T.scoring_winners(p, s)) for p in P])
    fit = T.fit_scoring_vector(P, labels)
    assert fit.feasible and fit.consistent
    # the exact recomputation (Fractions) reproduces every label
    assert all(T.scoring_winner_exact(p, fit.exact) == w for p, w in zip(P, labels))


def test_scoring_lp_infeasible_for_copeland_labels():
    # spec §3.4 S3: 200 Copeland-labelled examples (m = 4, n = 7) admit no consistent scoring rule
    rng = np.random.default_rng(7)
    P = np.argsort(rng.random((200, 7, 4)), axis=-1)
    labels = np.array([min(T.copeland_winners(p)) for p in P])
    assert not T.fit_scoring_vector(P, labels).feasible


def test_nonstrict_margin_formulation_degenerates():
    # with ">= 0" instead of the margin, min s_1 returns s = 0, which outputs candidate 0 everywhere
    import cvxpy as cp

    rng = np.random.default_rng(3)
    P = np.argsort(rng.random((30, 5, 4)), axis=-1)
    labels = np.array([min(T.borda_winners(p)) for p in P])
    s = cp.Variable(4)
    cons = [s[3] == 0, s[:-1] - s[1:] >= 0]
    for p, w in zip(P, labels):
        pc = T.position_counts(p).astype(float)
        cons += [(pc[w] - pc[c]) @ s >= 0 for c in range(4) if c != w]
    cp.Problem(cp.Minimize(s[0]), cons).solve(solver="HIGHS")
    zero = [Fraction(0)] * 4
    assert np.allclose(s.value, 0, atol=1e-9)
    wrong = ~T.verify_scoring_vector(P, labels, zero)
    assert np.array_equal(wrong, labels != 0)


def test_natarajan_bound():
    assert T.scoring_rule_natarajan_bound(5) == 4


@pytest.mark.parametrize(
    "profile",
    [[[0, 0, 1]], [[0, 1, 3]], [[0.0, 1.0]], [[0, 1], [0, 1, 2]]],
)
def test_bad_profiles(profile):
    with pytest.raises(InvalidInputError) as exc:
        T.borda_winners(np.array(profile, dtype=object) if len({len(r) for r in profile}) > 1 else np.array(profile))
    assert exc.value.argument == "profile"


def test_single_candidate_and_bad_score_vector():
    assert T.plurality_winners([[0], [0]]) == (0,)
    with pytest.raises(InvalidInputError) as exc:
        T.scoring_winners([[0, 1, 2]], [0, 1, 2])
    assert exc.value.argument == "score_vector"

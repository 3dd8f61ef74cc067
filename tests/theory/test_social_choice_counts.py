"""Voter counts and pref_voting profiles (issue #11 item 4, issue #14 item 4).

The ``counts`` path of the voting rules is checked against two independent routes: the same rule on
the profile with every row repeated ``counts`` times (no counts involved), and pref-voting's
``Profile(rankings, rcounts=counts)``. pref_voting ``Profile`` / ``ProfileWithTies`` inputs must give
the answers pref_voting gives. The Condorcet semantics are pinned on cyclic profiles.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pref_voting.c1_methods import copeland
from pref_voting.profiles import Profile
from pref_voting.profiles_with_ties import ProfileWithTies
from pref_voting.scoring_methods import borda, plurality, scoring_rule
from pref_voting.voting_methods import condorcet

from aligntheory.errors import InvalidInputError
from aligntheory.theory import social_choice as T


@st.composite
def counted_profiles(draw, max_rows=6, max_alternatives=5, max_count=5):
    m = draw(st.integers(2, max_alternatives))
    rows = draw(st.integers(1, max_rows))
    P = np.array([draw(st.permutations(range(m))) for _ in range(rows)], dtype=np.int64)
    c = np.array(draw(st.lists(st.integers(1, max_count), min_size=rows, max_size=rows)), dtype=np.int64)
    return P, c


@settings(max_examples=60, deadline=None)
@given(counted_profiles())
def test_counts_equal_repeated_rows(Pc):
    P, c = Pc
    E = np.repeat(P, c, axis=0)  # independent route: no counts at all
    assert np.array_equal(T.margins(P, c), T.margins(E))
    assert np.array_equal(T.position_counts(P, c), T.position_counts(E))
    assert T.plurality_winners(P, c) == T.plurality_winners(E)
    assert T.borda_winners(P, c) == T.borda_winners(E)
    assert T.copeland_winners(P, c) == T.copeland_winners(E)
    assert T.condorcet_winner(P, c) == T.condorcet_winner(E)
    assert T.weak_condorcet_winners(P, c) == T.weak_condorcet_winners(E)
    s = np.array([3.0, 1.0] + [0.0] * (P.shape[1] - 2))
    assert T.scoring_winners(P, s, c) == T.scoring_winners(E, s)


@settings(max_examples=60, deadline=None)
@given(counted_profiles())
def test_counts_match_pref_voting(Pc):
    P, c = Pc
    prof = Profile(P.tolist(), rcounts=c.tolist())
    m = P.shape[1]
    assert list(T.plurality_winners(P, c)) == plurality(prof)
    assert list(T.borda_winners(P, c)) == borda(prof)
    assert list(T.copeland_winners(P, c)) == copeland(prof)
    assert T.condorcet_winner(P, c) == prof.condorcet_winner()
    mg = T.margins(P, c)
    assert all(mg[a, b] == prof.margin(a, b) for a in range(m) for b in range(m) if a != b)
    s = [float((m - 1 - r) ** 2) for r in range(m)]  # a non-Borda score vector
    assert list(T.scoring_winners(P, s, c)) == scoring_rule(prof, score=lambda k, r: s[r - 1])


@settings(max_examples=40, deadline=None)
@given(counted_profiles())
def test_pref_voting_profiles_are_accepted_and_agree(Pc):
    P, c = Pc
    prof = Profile(P.tolist(), rcounts=c.tolist())
    assert T.borda_winners(prof) == T.borda_winners(P, c)
    assert np.array_equal(T.margins(prof), T.margins(P, c))
    assert T.condorcet_winner(prof) == prof.condorcet_winner()
    assert list(T.copeland_winners(prof)) == copeland(prof)
    wt = ProfileWithTies([{int(x): r + 1 for r, x in enumerate(row)} for row in P], rcounts=c.tolist())
    assert T.borda_winners(wt) == T.borda_winners(P, c)
    assert T.condorcet_winner(wt) == T.condorcet_winner(P, c)


def test_pref_voting_weak_orders_are_refused_with_a_clear_message():
    wt = ProfileWithTies([{0: 1, 1: 1, 2: 2}, {0: 1, 1: 2}], candidates=[0, 1, 2])
    with pytest.raises(InvalidInputError) as exc:
        T.borda_winners(wt)
    assert "strict orders" in str(exc.value) and "ballot 0" in str(exc.value)
    with pytest.raises(InvalidInputError) as exc:
        T.margins(Profile([[0, 1]]), counts=[1])
    assert exc.value.argument == "counts"


def test_pref_voting_candidate_labels_are_mapped_in_candidate_order():
    wt = ProfileWithTies([{"b": 1, "a": 2, "c": 3}, {"b": 1, "c": 2, "a": 3}], candidates=["a", "b", "c"])
    assert T.condorcet_winner(wt) == 1  # "b" is the second candidate


@pytest.mark.parametrize("rows", [[[0, 1, 2], [1, 2, 0], [2, 0, 1]],
                                  [[0, 1, 2, 3], [1, 2, 0, 3], [2, 0, 1, 3]]])
def test_condorcet_semantics_on_cyclic_profiles(rows):
    # our condorcet_winner is Profile.condorcet_winner(): None on a cycle; pref_voting's *method*
    # `condorcet` returns every candidate then; the kernel mask marks none
    prof = Profile(rows)
    assert prof.condorcet_winner() is None and T.condorcet_winner(rows) is None
    assert condorcet(prof) == list(range(len(rows[0])))
    assert T.weak_condorcet_winners(rows) == ()


def test_counts_bad_input():
    with pytest.raises(InvalidInputError) as exc:
        T.margins([[0, 1]], counts=[0])
    assert exc.value.argument == "counts"
    with pytest.raises(InvalidInputError):
        T.margins([[0, 1]], counts=[1.5])

"""Scoring-vector verification and fitting count each ballot with its multiplicity (session 12).

Before, ``verify_scoring_vector`` and ``fit_scoring_vector`` dropped the counts of profile objects
(``as_profile(..., counts)``, pref_voting's ``rcounts``) and counted every ballot once. Expected values:
exact Fraction scores written here, and the same profile with each ballot repeated ``count`` times (the
definition of a multiplicity), which involves no counts at all.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from aligntheory.theory.social_choice import (
    as_profile,
    fit_scoring_vector,
    scoring_winner_exact,
    verify_scoring_vector,
)


def _exact_winner(rankings, counts, s) -> int:
    m = len(rankings[0])
    score = [Fraction(0)] * m
    for row, c in zip(rankings, counts):
        for pos, cand in enumerate(row):
            score[cand] += Fraction(c) * Fraction(s[pos])
    best = max(score)
    return score.index(best)


def test_the_reported_example():
    P = as_profile([[0, 1], [1, 0]], [1, 2])  # one voter 0 > 1, two voters 1 > 0: plurality winner 1
    assert verify_scoring_vector([P], [1], [1, 0]).tolist() == [True]
    assert scoring_winner_exact([[0, 1], [1, 0]], [1, 0], counts=[1, 2]) == 1
    fit = fit_scoring_vector([P], [1])
    assert fit.feasible and fit.consistent


def test_counts_agree_with_repeated_ballots_and_exact_scores():
    rng = np.random.default_rng(12)
    orders = [list(p) for p in ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0))]
    for _ in range(40):
        k = int(rng.integers(1, 4))
        idx = rng.choice(6, k, replace=False)
        rankings = [orders[i] for i in idx]
        counts = rng.integers(1, 6, k).tolist()
        s = sorted(rng.integers(0, 5, 3).tolist(), reverse=True)
        truth = _exact_winner(rankings, counts, s)
        expanded = np.array([r for r, c in zip(rankings, counts) for _ in range(c)])
        P = as_profile(rankings, counts)
        for w in range(3):
            got = verify_scoring_vector([P], [w], s).tolist()
            assert got == [w == truth], (rankings, counts, s, w)
            assert verify_scoring_vector([expanded], [w], s).tolist() == got
        assert scoring_winner_exact(rankings, s, counts=counts) == truth


def test_fit_with_counts_matches_the_fit_on_repeated_ballots():
    rng = np.random.default_rng(7)
    orders = [list(p) for p in ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0))]
    for _ in range(12):
        profiles, expanded, winners = [], [], []
        for _j in range(3):
            k = int(rng.integers(1, 4))
            idx = rng.choice(6, k, replace=False)
            rankings = [orders[i] for i in idx]
            counts = rng.integers(1, 5, k).tolist()
            profiles.append(as_profile(rankings, counts))
            expanded.append(np.array([r for r, c in zip(rankings, counts) for _ in range(c)]))
            winners.append(int(rng.integers(0, 3)))
        a = fit_scoring_vector(profiles, winners)
        b = fit_scoring_vector(expanded, winners)
        assert a.feasible == b.feasible
        if a.feasible:
            assert a.consistent and b.consistent
            assert all(_exact_winner([list(r) for r in e], [1] * len(e), a.exact) == w
                       for e, w in zip(expanded, winners))


def test_pref_voting_rcounts_are_counted():
    pytest.importorskip("pref_voting")
    from pref_voting.profiles import Profile

    prof = Profile([[0, 1], [1, 0]], rcounts=[1, 2])
    assert verify_scoring_vector([prof], [1], [1, 0]).tolist() == [True]
    assert fit_scoring_vector([prof], [1]).feasible

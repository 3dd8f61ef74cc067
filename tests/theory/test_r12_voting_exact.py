"""The theory-layer voting rules are exact for every count the library accepts (session 12).

Before, plurality tallied counts in float64 (``bincount(weights=)``), the scoring rules multiplied in
float64, and int64 margins could wrap: counts (2**53 + 1, 2**53) gave a plurality tie, a score vector near
1e308 gave inf scores and a false tie. Expected values: Python integers and Fractions written here.
"""
from __future__ import annotations

from fractions import Fraction

import pytest

from aligntheory.errors import PrecisionError
from aligntheory.theory.social_choice import (
    borda_winners,
    condorcet_winner,
    margins,
    plurality_winners,
    scoring_scores,
    scoring_winners,
)


def test_plurality_and_borda_with_counts_past_2_to_53():
    big = 2**53
    assert plurality_winners([[0, 1], [1, 0]], [big + 1, big]) == (0,)
    assert plurality_winners([[0, 1], [1, 0]], [big, big + 1]) == (1,)
    assert plurality_winners([[0, 1], [1, 0]], [big, big]) == (0, 1)
    assert borda_winners([[0, 1, 2], [1, 0, 2]], [big + 1, big]) == (0,)
    assert scoring_winners([[0, 1, 2], [1, 0, 2]], [3, 1, 0], [big, big + 1]) == (1,)


def test_margins_and_condorcet_at_the_int64_edge():
    a, b = 2**61 + 1, 2**61  # total 2**62 + 1: refused
    with pytest.raises(PrecisionError, match="counts"):
        condorcet_winner([[0, 1], [1, 0]], [a, b])
    a, b = 2**61, 2**61 - 1  # total 2**62 - 1: accepted, margin exactly 1
    assert margins([[0, 1], [1, 0]], [a, b]).tolist() == [[0, 1], [-1, 0]]
    assert condorcet_winner([[0, 1], [1, 0]], [a, b]) == 0
    assert margins([[0, 1]], [2**62]).tolist() == [[0, 2**62], [-(2**62), 0]]  # the total exactly at the cap
    with pytest.raises(PrecisionError):
        margins([[0, 1]], [2**62 + 1])


def test_scores_near_the_float64_limit_are_compared_exactly():
    s = [1e308, 0.9e308, 0.0]
    rankings, counts = [[0, 1, 2], [1, 0, 2]], [2, 1]
    exact = [Fraction(0)] * 3
    for row, c in zip(rankings, counts):
        for pos, cand in enumerate(row):
            exact[cand] += c * Fraction(s[pos])
    best = max(exact)
    assert scoring_winners(rankings, s, counts) == tuple(i for i, x in enumerate(exact) if x == best) == (0,)
    with pytest.raises(PrecisionError, match="score_vector"):
        scoring_scores(rankings, s, counts)  # 2.9e308 has no float64


def test_fractional_vectors_keep_their_float_values():
    # 0.1 + 0.2 != 0.3 in floats; the scores are the exact rationals of the given floats, rounded once
    got = scoring_scores([[0, 1, 2], [1, 0, 2]], [0.3, 0.1, 0.0], [1, 2])
    want = [float(Fraction(0.3) + 2 * Fraction(0.1)), float(Fraction(0.1) + 2 * Fraction(0.3)), 0.0]
    assert got.tolist() == want

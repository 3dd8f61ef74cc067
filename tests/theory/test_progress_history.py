"""ProgressGym preference histories and the named value schema (issue 15 item 3).

Expected votes come from the recurrence iterated by hand in the test (an independent route to the
library's Lagrange weights) and from small hand computations.
"""

import itertools

import numpy as np
import pytest

from aligntheory.errors import InvalidInputError
from aligntheory.theory.progress._history import extrapolate_preference_history
from aligntheory.theory.progress._schema import (
    PROGRESSGYM_VALUE_SCHEMA,
    ValueSchema,
    coevolve_score_labeled,
    follow_score_labeled,
    predict_score_labeled,
)
from aligntheory.theory.progress._scores import coevolve_score, follow_score, predict_score
from math import comb


def _recurrence(window, m):
    """ProgressGym's loop: append sum_i C(k+1,i)(-1)^(k-i) x_{n-k+i}, m times (Python integers)."""
    x = list(window)
    k = len(x) - 1
    for _ in range(m):
        x.append(sum(comb(k + 1, i) * (-1) ** (k - i) * x[-(k + 1) + i] for i in range(k + 1)))
    return x[-1]


def test_hand_values():
    # order 1, m = 1: 2 x_n - x_{n-1}
    h = extrapolate_preference_history([[-1, 1, 0], [1, 1, 1]], 1, 1)
    assert h.votes.tolist() == [3, 1, 2] and h.copies.tolist() == [3, 1, 2] and h.preferred.tolist() == [1, 1, 1]
    # order 2, m = 1: 3 x_n - 3 x_{n-1} + x_{n-2}; (1, -1, 1) -> 3 + 3 + 1 = 7 -> 5 copies
    h = extrapolate_preference_history([[1], [-1], [1]], 2, 1)
    assert h.votes.tolist() == [7] and h.copies.tolist() == [5]
    # the A-T2 zero: (0, 1, 1) gives 0 -> dropped, no assertion
    h = extrapolate_preference_history([[0], [1], [1]], 2, 1)
    assert h.votes.tolist() == [0] and h.copies.tolist() == [0] and h.preferred.tolist() == [0]
    # reversal: (-1, 1, 1) at order 2, m = 2: weights (3, -8, 6) -> -3 - 8 + 6 = -5
    h = extrapolate_preference_history([[-1], [1], [1]], 2, 2)
    assert h.weights.tolist() == [3, -8, 6] and h.votes.tolist() == [-5] and h.preferred.tolist() == [-1]


def test_order_reduced_for_short_history():
    h = extrapolate_preference_history([[1], [-1]], 5, 3)
    assert h.order == 1 and h.votes.tolist() == [_recurrence([1, -1], 3)]
    h = extrapolate_preference_history([[1, -1, 0]], 3, 4)
    assert h.order == 0 and h.votes.tolist() == [1, -1, 0]


@pytest.mark.parametrize("T", [1, 2, 3, 4])
@pytest.mark.parametrize("order", [0, 1, 2, 3, 6])
@pytest.mark.parametrize("m", [1, 2, 5])
def test_every_short_history_matches_the_recurrence(T, order, m):
    hist = np.array(list(itertools.product((-1, 0, 1), repeat=T))).T  # (T, 3^T)
    h = extrapolate_preference_history(hist, order, m)
    p = min(order, T - 1)
    expect = [_recurrence(col[T - 1 - p:], m) for col in hist.T.tolist()]
    assert h.votes.tolist() == expect
    assert h.copies.tolist() == [min(abs(v), 5) for v in expect]
    assert h.votes.dtype == np.int64


@pytest.mark.parametrize("votes", [[[2]], [[0.5]], [[np.nan]], [[]], [[[1]]], "x", [[True]]])
def test_bad_votes(votes):
    with pytest.raises((InvalidInputError, TypeError)):
        extrapolate_preference_history(votes, 1, 1)


def test_bad_vote_names_position():
    with pytest.raises(InvalidInputError, match="timestep 1, pair 2"):
        extrapolate_preference_history([[1, 1, 1], [1, 1, 3]], 1, 1)


@pytest.mark.parametrize("order, m", [(-1, 1), (1, 0), (1.5, 1)])
def test_bad_order_horizon(order, m):
    with pytest.raises(InvalidInputError):
        extrapolate_preference_history([[1], [1]], order, m)


def test_progressgym_schema_names_and_groups():
    s = PROGRESSGYM_VALUE_SCHEMA
    assert s.dim == 19 and [len(d) for _, d in s.groups] == [10, 5, 4]
    assert s.names[:2] == ("do_not_kill", "do_not_cause_pain")
    assert s.names[-4:] == ("traditional", "modern", "post_modern", "integrated")
    assert s.block_spec().names == ("moral_rules", "moral_foundations", "world_views")


def test_labeled_scores_equal_plain_scores():
    rng = np.random.default_rng(0)
    A, E = rng.normal(size=(6, 19)), rng.normal(size=(6, 19))
    names = PROGRESSGYM_VALUE_SCHEMA.names
    recs = lambda X: [dict(zip(reversed(names), row[::-1])) for row in X]  # noqa: E731 - shuffled key order
    assert follow_score_labeled(recs(A), recs(E)) == follow_score(A, E)
    assert follow_score_labeled(A, E) == follow_score(A, E)
    assert predict_score_labeled(recs(A), recs(E[:4]), 2) == predict_score(A, E[:4], 2)
    assert coevolve_score_labeled(recs(E), recs(A)) == coevolve_score(E, A)
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(A, columns=names)[list(reversed(names))]
    assert follow_score_labeled(df, E) == follow_score(A, E)
    assert follow_score_labeled(A, E, schema=None) == follow_score(A, E)


def test_schema_errors():
    names = PROGRESSGYM_VALUE_SCHEMA.names
    rec = dict.fromkeys(names, 1.0)
    bad = dict(rec)
    bad.pop("care")
    bad["kindness"] = 1.0
    with pytest.raises(InvalidInputError, match=r"actual\[1\].*kindness.*care"):
        follow_score_labeled([rec, bad], [rec, rec])
    with pytest.raises(InvalidInputError, match="19 columns"):
        follow_score_labeled(np.ones((2, 18)), np.ones((2, 18)))
    with pytest.raises(InvalidInputError, match="unique"):
        ValueSchema((("a", ("x", "x")),))
    with pytest.raises(InvalidInputError, match="at least one"):
        ValueSchema((("a", ()),))
    with pytest.raises(InvalidInputError, match="schema"):
        follow_score_labeled([[1.0]], [[1.0]], schema="progressgym")
    user = ValueSchema((("rules", ("r1", "r2")), ("views", ("v1",))))
    assert user.block_spec().sizes == (2, 1)

"""IBN diagnostics of leaderboards: adjacent-rank variance and the A-optimal next comparisons.

Independent routes: the Moore-Penrose pseudo-inverse of a Laplacian built here from the battle
counts and the fitted strengths (numpy.linalg.pinv), brute-force re-computation for every
candidate pair, and the bootstrap.
"""

import numpy as np
import pytest
from scipy.special import expit

from aligntheory.analysis.arena import adjacent_uncertainty, leaderboard, next_comparisons
from tests.analysis.test_arena import simulate


def laplacian_from(lb, extra=()):
    n = lb.n_models
    s = lb.scores
    L = np.zeros((n, n))
    for (i, j), cnt in zip(lb.comparison_pairs, lb.comparison_counts):
        p = expit(s[i] - s[j])
        c = cnt.sum() * p * (1 - p)  # "half": every battle (a tie too) carries p(1-p)
        L[i, i] += c
        L[j, j] += c
        L[i, j] -= c
        L[j, i] -= c
    for i, j, c in extra:
        L[i, i] += c
        L[j, j] += c
        L[i, j] -= c
        L[j, i] -= c
    return L


def adj_var(Lp, n):
    return np.array([Lp[k, k] + Lp[k + 1, k + 1] - 2 * Lp[k, k + 1] for k in range(n - 1)])


@pytest.fixture(scope="module")
def board():
    rng = np.random.default_rng(21)
    df, _ = simulate(rng, 7, 6000, model="half", spread=0.5)
    return leaderboard(df, n_bootstrap=800, seed=3, scale="natural")


def test_adjacent_variance_is_resistance_of_fisher_laplacian(board):
    u = adjacent_uncertainty(board)
    Lp = np.linalg.pinv(laplacian_from(board))
    np.testing.assert_allclose(u.variance, adj_var(Lp, board.n_models), rtol=1e-9)
    assert u.pairs == tuple(zip(board.models[:-1], board.models[1:]))
    np.testing.assert_allclose(u.difference, board.rating[:-1] - board.rating[1:])


def test_adjacent_sd_agrees_with_bootstrap(board):
    u = adjacent_uncertainty(board)
    # sd of an sd from 800 rounds ~ 2.5 %; 6000 battles: O(1/n) bias negligible; 12 % is > 4 se
    assert np.all(np.abs(u.sd_bootstrap / u.sd - 1) < 0.12)


def test_next_comparisons_matches_brute_force(board):
    n = board.n_models
    plan = next_comparisons(board, 3, battles_per_pair=50)
    L = laplacian_from(board)
    s = board.scores
    before = adj_var(np.linalg.pinv(L), n).sum()
    assert plan.variance_before == pytest.approx(before, rel=1e-9, abs=0.0)
    # first choice: brute force over every pair
    gains = {}
    for i in range(n):
        for j in range(i + 1, n):
            p = expit(s[i] - s[j])
            Lp = np.linalg.pinv(laplacian_from(board, [(i, j, 50 * p * (1 - p))]))
            gains[(i, j)] = before - adj_var(Lp, n).sum()
    best = max(gains, key=gains.get)
    assert plan.pairs[0] == (board.models[best[0]], board.models[best[1]])
    assert plan.reduction[0] == pytest.approx(gains[best], rel=1e-8, abs=0.0)
    # variance after all three additions, recomputed
    idx = {m: k for k, m in enumerate(board.models)}
    extra = []
    for a, b in plan.pairs:
        i, j = idx[a], idx[b]
        p = expit(s[i] - s[j])
        extra.append((i, j, 50 * p * (1 - p)))
    after = adj_var(np.linalg.pinv(laplacian_from(board, extra)), n).sum()
    assert plan.variance_after == pytest.approx(after, rel=1e-8, abs=0.0)
    assert plan.variance_before - plan.variance_after == pytest.approx(plan.reduction.sum(), rel=1e-8, abs=0.0)
    assert len(set(plan.pairs)) == 3


def test_prior_adds_a_virtual_node():
    df = {"model_a": ["a", "b", "c", "d", "a"], "model_b": ["b", "a", "d", "c", "b"], "winner": ["model_a"] * 5}
    lb = leaderboard(df, n_bootstrap=0, prior_strength=2.0, scale="natural")
    u = adjacent_uncertainty(lb)
    assert len(u.pairs) == lb.connected.sum() - 1
    assert np.all(np.isfinite(u.variance))
    plan = next_comparisons(lb, 2)
    # the unconnected pair {c, d} is reached only through the prior: the plan links the components
    names = {frozenset(p) for p in plan.pairs}
    assert any(len(p & {"c", "d"}) == 1 for p in names)

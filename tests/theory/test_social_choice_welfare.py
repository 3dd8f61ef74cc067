"""Exact welfare, ERM and the product class (spec §2.2, §5 "ERM", "Welfare", §7)."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate

from aligntheory.errors import InvalidInputError
from aligntheory.testing.social_choice import finite_instances
from aligntheory.theory import social_choice as T


@given(finite_instances(), st.data())
def test_erm_properties(inst, data):
    w, util, issues, pol = inst
    k = w.shape[0]
    sample = np.array(data.draw(st.lists(st.integers(0, k - 1), min_size=1, max_size=8)))
    emp = T.empirical_welfare(sample, util, issues, pol)
    c = T.erm_choice(sample, util, issues, pol)
    assert np.all(emp[c] >= emp)  # ERM maximises empirical welfare
    assert c == min(np.flatnonzero(emp == emp.max()))  # lowest index on ties
    perm = data.draw(st.permutations(range(sample.size)))
    assert T.erm_choice(sample[list(perm)], util, issues, pol) == c  # invariant under permuting the sample
    assert T.erm_choice(np.concatenate([sample, sample]), util, issues, pol) == c  # duplicated sample


@given(finite_instances(), st.data())
def test_consistent_sample_gets_welfare_one(inst, data):
    w, _, issues, pol = inst
    k, f = w.shape[0], pol.shape[0]
    j = data.draw(st.integers(0, f - 1))
    # every pair prefers the outcomes of policy j: utility 1 there, 0 elsewhere (binary agreement)
    util = np.zeros((k, int(pol.max()) + 2))
    util[np.arange(k), pol[j, issues]] = 1.0
    sample = np.array(data.draw(st.lists(st.integers(0, k - 1), min_size=1, max_size=6)))
    c = T.erm_choice(sample, util, issues, pol)
    assert T.empirical_welfare(sample, util, issues, pol)[c] == 1.0


@given(finite_instances(), finite_instances(), st.floats(0, 1))
def test_welfare_affine_in_weights_and_bounded(a, b, lam):
    w1, util, issues, pol = a
    k = w1.shape[0]
    rng = np.random.default_rng(k)
    w2 = rng.dirichlet(np.ones(k))
    w2[-1] = 1 - w2[:-1].sum()
    if w2[-1] < 0:
        return
    mix = lam * w1 + (1 - lam) * w2
    mix[-1] = 1 - mix[:-1].sum()
    W1 = T.population_welfare(w1, util, issues, pol)
    W2 = T.population_welfare(w2, util, issues, pol)
    Wm = T.population_welfare(mix, util, issues, pol)
    assert np.allclose(Wm, lam * W1 + (1 - lam) * W2, atol=1e-12)
    # a weighted mean of utilities in [0, 1]: in [0, 1] up to the rounding of a k-term float sum (k eps);
    # the dev profile drew weights whose float sum makes W exactly 1 + 2**-52
    slack = 2 * k * np.finfo(float).eps
    assert np.all((W1 >= -slack) & (W1 <= 1 + slack))


@given(finite_instances(max_pairs=4), st.integers(1, 3))
def test_mean_empirical_welfare_over_all_tuples_is_population_welfare(inst, n):
    # exhaustive enumeration of all N-tuples weighted by prod D(x_n): E hat W_S(f) = W(f)
    w, util, issues, pol = inst
    k = w.shape[0]
    acc = np.zeros(pol.shape[0])
    for tup in itertools.product(range(k), repeat=n):
        p = math.prod(w[list(tup)])
        if p:
            acc += p * T.empirical_welfare(np.array(tup), util, issues, pol)
    assert np.allclose(acc, T.population_welfare(w, util, issues, pol), atol=1e-12)


@given(st.integers(1, 3), st.data())
def test_issuewise_majority_is_erm_on_product_class(q, data):
    # independent route: brute-force ERM over the lexicographically indexed class {0,1}^Q
    pol = np.array(list(itertools.product([0, 1], repeat=q)), dtype=np.int64)
    n = data.draw(st.integers(1, 8))
    iss = np.array(data.draw(st.lists(st.integers(0, q - 1), min_size=n, max_size=n)))
    y = np.array(data.draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    # one pair per sampled (issue, preference): agreement utilities
    util = np.zeros((n, 2))
    util[np.arange(n), y] = 1.0
    c = T.erm_choice(np.arange(n), util, iss, pol)
    assert T.issuewise_majority(iss, y, q).tolist() == pol[c].tolist()


def test_threshold_welfare_closed_form_vs_quadrature():
    # W(t) = 1 - E|theta - t| with theta ~ U[0, 1], by scipy quadrature (independent of the formula)
    for t in (0.0, 0.17, 0.5, 0.9, 1.0):
        val = 1 - integrate.quad(lambda th: abs(th - t), 0, 1, points=[t])[0]
        assert T.threshold_welfare(t) == pytest.approx(val, abs=1e-12)


def test_threshold_empirical_by_hand():
    # q = (0.1, 0.6, 0.8), y = (1, 0, 1); t = 0.5 predicts (0, 1, 1): agrees on pair 3 only
    assert T.threshold_empirical_welfare([0.1, 0.6, 0.8], [1, 0, 1], [0.5]).tolist() == [1 / 3]


def test_utilities_from_rankings_borda():
    util = T.utilities_from_rankings([[1, 2, 0], [0, 1, 2]], T.scoring_vector("borda", 3))
    assert util.tolist() == [[0.0, 1.0, 0.5], [1.0, 0.5, 0.0]]


def test_adversarial_policy_construction():
    f = T.adversarial_policy([0, 0, 2], [1, 0, 1], [1, 1, 1, 0])
    # issue 0: tie -> 0; issue 2 sampled -> 1; unsampled 1, 3 -> 1 - m*
    assert f.tolist() == [0, 0, 1, 1]


GOOD = dict(util_table=[[1.0, 0.0], [0.0, 1.0]], issue_of_pair=[0, 0], policy_outcomes=[[0], [1]])


@pytest.mark.parametrize(
    "weights, arg",
    [([0.5, -0.5], "weights"), ([0.5, 0.4], "weights"), ([np.nan, 1.0], "weights"), ([np.inf, 0.0], "weights")],
)
def test_bad_weights(weights, arg):
    with pytest.raises(InvalidInputError) as exc:
        T.population_welfare(weights, **GOOD)
    assert exc.value.argument == arg


@pytest.mark.parametrize(
    "kw, arg",
    [
        (dict(util_table=[[1.5, 0.0], [0.0, 1.0]]), "util_table"),
        (dict(util_table=[[-0.1, 0.0], [0.0, 1.0]]), "util_table"),
        (dict(issue_of_pair=[0, 3]), "issue_of_pair"),
        (dict(policy_outcomes=[[0, 1, 0], [1, 0, 0]], issue_of_pair=[0, 5]), "issue_of_pair"),
        (dict(issue_of_pair=[0, 0, 0]), "issue_of_pair"),
        (dict(policy_outcomes=[[0], [2]]), "policy_outcomes"),
    ],
)
def test_bad_instance(kw, arg):
    args = dict(GOOD) | kw
    with pytest.raises(InvalidInputError) as exc:
        T.population_welfare([0.5, 0.5], **args)
    assert exc.value.argument == arg
    assert arg in str(exc.value)


@pytest.mark.parametrize("s", [[0.0, 1.0], [1.0, 0.5, 0.6, 0.0], [2.0, 1.0, 0.0], [1.0, 0.5, 0.1]])
def test_bad_scoring_vector(s):
    with pytest.raises(InvalidInputError) as exc:
        T.utilities_from_rankings([list(range(len(s)))], s)
    assert exc.value.argument == "scoring"


def test_all_pairs_identical_and_single_pair():
    # k_X = 1 and identical pairs: welfare is that pair's utility
    assert T.population_welfare([1.0], [[0.25, 1.0]], [0], [[0], [1]]).tolist() == [0.25, 1.0]
    assert T.erm_choice([0, 0, 0], [[0.25, 1.0]], [0], [[0], [1]]) == 1

"""Exact ties in the social-choice welfare / ERM kernels and theory (round 13).

Expected values come from ``fractions.Fraction`` brute force over the float inputs (every float is an
exact rational): the exact welfare sums, their correctly rounded floats (``float(Fraction)``) and the
exact argmax with the documented lowest-index tie rule.
"""

from __future__ import annotations

from fractions import Fraction

import jax
import numpy as np
import pytest

jax.config.update("jax_enable_x64", True)

from aligntheory.kernels.social_choice import empirical_welfare_batched, erm_argmax, scoring_erm  # noqa: E402
from aligntheory.theory.social_choice import empirical_welfare, erm_choice, population_welfare  # noqa: E402

THIRDS = (0.0, 1 / 3, 2 / 3, 1.0)


def _exact_sums(sample, util, issues, pol):
    """Exact S(f) = sum_n u_{x_n}(f(q_{x_n})) as Fractions, by a plain loop."""
    return [sum((Fraction(float(util[x][pol[f][issues[x]]])) for x in sample), Fraction(0)) for f in range(len(pol))]


def _exact_argmax(values):
    """Lowest index among the exact maxima."""
    best = max(values)
    return next(i for i, v in enumerate(values) if v == best)


def _exact_welfare_floats(sample, util, issues, pol):
    """Correctly rounded S(f), then one IEEE division by N (the documented value of hat W_S)."""
    return [float(v) / len(sample) for v in _exact_sums(sample, util, issues, pol)]


def _random_instance(rng, n_pairs=5, k=3, n_policies=4, n_issues=2, n_max=40, batch=3):
    util = np.array(THIRDS)[rng.integers(0, 4, size=(n_pairs, k))]
    issues = rng.integers(0, n_issues, size=n_pairs)
    pol = rng.integers(0, k, size=(n_policies, n_issues))
    samples = rng.integers(0, n_pairs, size=(batch, int(rng.integers(1, n_max))))
    return samples, util, issues, pol


# ---------------------------------------------------------------- item 1: kernel empirical welfare / ERM


def test_kernel_equal_exact_sums_give_equal_floats_whatever_the_order():
    # both policies see {1, e, e} (exact sum 1 + 2^-52), in different sample positions
    e = 2.0**-53
    util = np.array([[1.0, e], [e, e], [e, 1.0]])
    issues, pol, sample = np.zeros(3, int), np.array([[0], [1]]), np.array([[0, 1, 2]])
    s = _exact_sums(sample[0], util, issues, pol)
    assert s[0] == s[1] == 1 + Fraction(2) ** -52
    w = np.asarray(empirical_welfare_batched(sample, util, issues, pol))
    assert w[0, 0] == w[0, 1] == (1 + 2.0**-52) / 3
    assert int(np.asarray(erm_argmax(w))[0]) == 0 == _exact_argmax(s)  # an exact tie: lowest index


def test_kernel_erm_thirds_picks_the_exact_maximiser():
    # policy 0 sees (1, 2/3, 2/3), policy 1 sees (1/3, 1, 1): S(1) - S(0) = 2^-54 exactly
    util = np.array([[1.0, 0.0], [2 / 3, 1.0], [0.0, 0.0], [1.0, 1 / 3]])
    issues, pol, sample = np.zeros(4, int), np.array([[0], [1]]), np.array([[3, 1, 1]])
    s = _exact_sums(sample[0], util, issues, pol)
    assert s[1] - s[0] == Fraction(2) ** -54
    w = np.asarray(empirical_welfare_batched(sample, util, issues, pol))
    assert w[0].tolist() == _exact_welfare_floats(sample[0], util, issues, pol)
    assert int(np.asarray(erm_argmax(w))[0]) == 1 == _exact_argmax(s)


@pytest.mark.parametrize("mode", ["eager", "jit", "chunk"])
def test_kernel_welfare_is_the_correctly_rounded_sum_over_n(mode):
    rng = np.random.default_rng(13)
    fn = {"eager": empirical_welfare_batched, "jit": jax.jit(empirical_welfare_batched),
          "chunk": lambda *a: empirical_welfare_batched(*a, chunk=2)}[mode]
    for _ in range(40):
        samples, util, issues, pol = _random_instance(rng)
        got = np.asarray(fn(samples, util, issues, pol)).tolist()
        want = [_exact_welfare_floats(row, util, issues, pol) for row in samples]
        assert got == want  # bitwise
        assert got == [empirical_welfare(row, util, issues, pol).tolist() for row in samples]


def test_scoring_erm_decides_on_exact_sums():
    # Borda-like s = (1, 2/3, 1/3, 0): S(0) = 3 - 2^-54 and S(3) = 3 round to the same float 3.0
    s = np.array([1.0, 2 / 3, 1 / 3, 0.0])
    rankings = np.array([[0, 2, 1, 3], [3, 1, 0, 2], [3, 1, 0, 2]])
    util = np.zeros((3, 4))
    util[np.arange(3)[:, None], rankings] = s[None, :]
    issues, pol, sample = np.zeros(3, int), np.arange(4)[:, None], np.array([[1, 1, 1, 0, 0]])
    ex = _exact_sums(sample[0], util, issues, pol)
    assert ex[3] == 3 and ex[0] == 3 - Fraction(2) ** -54 and float(ex[0]) == float(ex[3])
    assert int(np.asarray(scoring_erm(sample, rankings, s, issues, pol))[0]) == 3 == _exact_argmax(ex)
    assert erm_choice(sample[0], util, issues, pol) == 3


def test_scoring_erm_matches_exact_argmax_random():
    rng = np.random.default_rng(7)
    s = np.array([1.0, 2 / 3, 1 / 3, 0.0])
    checked_close = 0
    for _ in range(150):
        n_pairs = 4
        rankings = np.array([rng.permutation(4) for _ in range(n_pairs)])
        util = np.zeros((n_pairs, 4))
        util[np.arange(n_pairs)[:, None], rankings] = s[None, :]
        issues, pol = np.zeros(n_pairs, int), np.arange(4)[:, None]
        samples = rng.integers(0, n_pairs, size=(4, int(rng.integers(1, 9))))
        got = np.asarray(scoring_erm(samples, rankings, s, issues, pol)).tolist()
        got_jit = np.asarray(jax.jit(scoring_erm)(samples, rankings, s, issues, pol)).tolist()
        for row, g, gj in zip(samples, got, got_jit):
            ex = _exact_sums(row, util, issues, pol)
            assert g == gj == _exact_argmax(ex) == erm_choice(row, util, issues, pol)
            top = sorted(ex)[-2:]
            checked_close += top[0] != top[1] and float(top[0]) == float(top[1])
    assert checked_close > 0  # the sweep did meet distinct sums that round to the same float


# ---------------------------------------------------------------- item 2: welfare floats of the theory


def test_population_welfare_equal_exact_welfare_gives_equal_floats():
    # W(0) = 0.5 fl(2/3) + 0.5 = W(1) exactly; the rounded products 0.125 fl(2/3), 0.375 fl(2/3) differ
    w = [0.5, 0.125, 0.375]
    util = [[2 / 3, 1.0], [1.0, 2 / 3], [1.0, 2 / 3]]
    ex = [sum((Fraction(w[x]) * Fraction(util[x][f]) for x in range(3)), Fraction(0)) for f in range(2)]
    assert ex[0] == ex[1]
    pw = population_welfare(w, util, [0, 0, 0], [[0], [1]]).tolist()
    assert pw == [float(ex[0])] * 2


def test_population_welfare_is_the_correctly_rounded_exact_sum():
    rng = np.random.default_rng(11)
    raw = [0.1, 0.2, 0.3, 0.4, 0.15, 0.35, 0.05, 0.25, 0.45, 0.6, 0.7]
    cases = 0
    for _ in range(400):
        n = int(rng.integers(2, 6))
        w = rng.choice(raw, size=n)
        w = w / w.sum()
        if abs(sum(w.tolist()) - 1.0) > 1e-13:
            continue
        util = np.array(THIRDS)[rng.integers(0, 4, size=(n, 3))]
        pol = rng.integers(0, 3, size=(4, 1))
        ex = [sum((Fraction(float(w[x])) * Fraction(float(util[x, pol[f, 0]])) for x in range(n)), Fraction(0))
              for f in range(4)]
        assert population_welfare(w, util, np.zeros(n, int), pol).tolist() == [float(v) for v in ex]
        cases += 1
    assert cases > 100
    # products small enough for their rounding error to underflow go through exact rationals
    w, util = [1.0, 2.0**-1000], [[2.0**-40 / 3, 0.0], [1 / 3, 0.0]]
    ex = Fraction(w[0]) * Fraction(util[0][0]) + Fraction(w[1]) * Fraction(util[1][0])
    assert population_welfare(w, util, [0, 0], [[0], [1]]).tolist() == [float(ex), 0.0]
    # ... and the documented example: equal welfare, then the two policies tie
    w = [0.5, 0.125, 0.375]
    assert len(set(population_welfare(w, [[2 / 3, 1.0], [1.0, 2 / 3], [1.0, 2 / 3]], [0, 0, 0], [[0], [1]]))) == 1


def test_theory_erm_choice_is_exact_where_rounding_merges_sums():
    # 3 fl(1/3) = 1 - 2^-54 rounds to 1.0 = the welfare of the (1, 0, 0) policy; exact argmax is policy 1
    util = [[1 / 3, 1.0], [1 / 3, 0.0], [1 / 3, 0.0]]
    ex = _exact_sums([0, 1, 2], util, [0, 0, 0], [[0], [1]])
    assert ex[1] - ex[0] == Fraction(2) ** -54 and float(ex[0]) == float(ex[1])
    assert erm_choice([0, 1, 2], util, [0, 0, 0], [[0], [1]]) == 1 == _exact_argmax(ex)
    rng = np.random.default_rng(3)
    for _ in range(300):
        samples, util, issues, pol = _random_instance(rng, n_max=12, batch=1)
        assert erm_choice(samples[0], util, issues, pol) == _exact_argmax(_exact_sums(samples[0], util, issues, pol))

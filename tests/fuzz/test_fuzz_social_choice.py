"""Fuzz suite of the social choice pillar (issue #12): bad input ends in a named error or a finite, correct result.

Quick under the default hypothesis profile; ``python -m pytest tests/fuzz --hypothesis-profile=fuzz``
is the long run. JAX kernels are fuzzed on a few fixed shapes so that no example recompiles.
"""

import math

import jax
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from aligntheory.errors import SizeCapError
from aligntheory.kernels import social_choice as K
from aligntheory.theory import social_choice as T
from tests.fuzz._harness import bad_arrays, bad_scalars, bad_sizes, call_gently, extreme_positive

BOUNDS = [
    (T.finite_class_deviation, ("n_samples", "class_size", "delta"), (50, 101, 0.05)),
    (T.erm_regret_bound, ("n_samples", "class_size", "delta"), (50, 101, 0.05)),
    (T.finite_class_sample_size, ("eps", "class_size", "delta"), (0.05, 101, 0.05)),
    (T.erm_regret_sample_size, ("eps", "class_size", "delta"), (0.05, 101, 0.05)),
    (T.vc_deviation, ("n_samples", "vc_dim", "delta"), (50, 1, 0.05)),
    (T.vc_sample_size, ("eps", "vc_dim", "delta"), (0.1, 1, 0.05)),
    (T.natarajan_deviation, ("n_samples", "nat_dim", "n_alternatives", "delta"), (50, 1, 3, 0.05)),
    (T.growth_deviation, ("n_samples", "log_growth", "delta"), (50, 1.0, 0.05)),
    (T.product_class_deviation, ("n_samples", "n_issues", "delta"), (50, 10, 0.05)),
]


def _value(fn):
    """The Bound's number: sample sizes may be Python ints beyond float range (10**600), which
    ``float()`` -- and so the harness's finiteness check of a Bound -- cannot convert."""
    return lambda *a: fn(*a).value


@given(st.sampled_from(range(len(BOUNDS))), st.data(), bad_scalars())
def test_bound_calculators_on_bad_scalars(i, data, bad):
    fn, names, good = BOUNDS[i]
    j = data.draw(st.integers(0, len(names) - 1))
    args = list(good)
    args[j] = bad
    kind, out = call_gently(_value(fn), *args)
    if kind == "ok":
        assert out >= 0 and (isinstance(out, int) or math.isfinite(out))


@given(st.sampled_from(range(len(BOUNDS))), st.data(), extreme_positive())
def test_bound_calculators_at_extreme_valid_magnitudes(i, data, x):
    fn, names, good = BOUNDS[i]
    j = data.draw(st.integers(0, len(names) - 1))
    args = list(good)
    args[j] = x
    kind, out = call_gently(_value(fn), *args)
    if names[0] == "eps" and j == 0:  # any positive eps is valid: an exact integer sample size
        assert kind == "ok" and isinstance(out, int) and out >= 1


SIZED = [
    lambda s: T.count_social_welfare_functions(s, 3),
    lambda s: T.count_social_welfare_functions(2, s),
    lambda s: T.arrow_instance(s, 3),
    lambda s: T.positional_instance(s, 3),
    lambda s: T.representative_instance(s),
    lambda s: T.pareto_violation(T.dictatorship(0), s, 3),
    lambda s: T.iia_violation(T.dictatorship(0), 2, s),
    lambda s: T.is_dictatorship(T.dictatorship(0), s, 3),
    lambda s: T.enumerate_iia_rules(s, 3),
    lambda s: T.max_min_subset_mass(s),
    lambda s: T.scoring_vector("borda", s),
    lambda s: T.all_orders(s),
    lambda s: T.issuewise_majority([0], [1], s),
    lambda s: K.sample_threshold_pairs(jax.random.PRNGKey(0), s, 2),
    lambda s: K.sample_pairs(jax.random.PRNGKey(0), np.array([0.5, 0.5]), s, 2),
]


@given(st.sampled_from(range(len(SIZED))), bad_sizes())
def test_sized_functions_refuse_before_work(i, size):
    kind, out = call_gently(SIZED[i], size)
    if isinstance(size, int) and not isinstance(size, bool) and size >= 10**9:
        assert kind == "error" and isinstance(out, SizeCapError)


PROFILE_FNS = [T.margins, T.borda_winners, T.plurality_winners, T.copeland_winners, T.condorcet_winner,
               T.position_counts, T.weak_condorcet_winners, T.borda_ranking, T.check_profile]


@given(st.sampled_from(range(len(PROFILE_FNS))), bad_arrays())
def test_theory_voting_rules_on_bad_profiles(i, bad):
    call_gently(PROFILE_FNS[i], bad)


@given(st.sampled_from(range(len(PROFILE_FNS))), bad_arrays())
def test_theory_voting_rules_on_bad_counts(i, bad):
    call_gently(PROFILE_FNS[i], [[0, 1, 2], [2, 1, 0]], bad)


@given(bad_arrays())
def test_scoring_winners_on_bad_score_vectors(bad):
    call_gently(T.scoring_winners, [[0, 1, 2], [2, 1, 0]], bad)


P = np.argsort(np.random.default_rng(0).random((3, 4, 3)), axis=-1)


@given(st.sampled_from([np.nan, np.inf, -np.inf, 1e300, -1e300, 5e-324]), st.integers(0, 2))
def test_scoring_rule_kernel_on_bad_score_vectors(bad, j):
    s = np.array([2.0, 1.0, 0.0])
    s[j] = bad
    kind, out = call_gently(K.scoring_rule, P, s)
    if kind == "ok":
        if np.all(s == np.floor(s)) and P.shape[1] * np.abs(s).max() <= 2.0**53:
            ref = [T.scoring_winners(p, s) for p in P]  # float64 sums are exact here: the exact winners
        else:  # the kernel's documented float64 sums (ties as rounded); the theory layer compares exactly
            sc = [T.position_counts(p).astype(np.float64) @ s for p in P]
            ref = [tuple(np.flatnonzero(x == x.max())) for x in sc]
        assert [tuple(np.flatnonzero(r)) for r in np.asarray(out)] == ref


@given(st.integers(-5, 5), st.integers(0, 2), st.integers(0, 3), st.integers(0, 2))
def test_voting_kernels_on_bad_entries(val, b, v, c):
    Q = P.copy()
    Q[b, v, c] = val
    for fn in (K.borda, K.plurality, K.copeland, K.condorcet_winner_mask, K.margins_batched):
        kind, out = call_gently(fn, Q)
        if kind == "ok":  # the entry left the ranking a permutation: same answers as the theory layer
            assert sorted(Q[b, v].tolist()) == [0, 1, 2]


@given(bad_arrays())
def test_voting_kernels_on_bad_arrays(bad):
    call_gently(K.borda, bad)
    call_gently(K.margins_batched, P, bad)


@given(st.sampled_from([np.nan, np.inf, -1.0, 2.0, 1e300]))
def test_threshold_kernels_on_bad_values(bad):
    q = np.full((1, 4), 0.5)
    q[0, 1] = bad
    y = np.array([[0, 1, 1, 0]])
    call_gently(K.threshold_continuum_deviation, q, y)
    call_gently(K.threshold_grid_welfare, q, y, np.linspace(0, 1, 3))


_U = np.array([[1.0, 0.0], [0.0, 1.0]])
_I = np.array([0, 0])
_F = np.array([[0], [1]])
_KEY = jax.random.PRNGKey(0)
_P = np.array([[[0, 1, 2], [2, 1, 0]]])

# one bad array at one argument position of every array-taking public function; the rest stay valid
THEORY_CALLS = {
    "population_welfare": (T.population_welfare, (np.array([0.5, 0.5]), _U, _I, _F)),
    "empirical_welfare": (T.empirical_welfare, (np.array([0, 1]), _U, _I, _F)),
    "erm_choice": (T.erm_choice, (np.array([0, 1]), _U, _I, _F)),
    "issuewise_majority": (T.issuewise_majority, (np.array([0, 1]), np.array([1, 0]), 3)),
    "threshold_welfare": (T.threshold_welfare, (np.array([0.5]),)),
    "threshold_empirical_welfare": (T.threshold_empirical_welfare,
                                    (np.array([0.2, 0.7]), np.array([0, 1]), np.array([0.5]))),
    "adversarial_policy": (T.adversarial_policy, (np.array([1]), np.array([1]), np.array([1, 1, 0]))),
    "utilities_from_rankings": (T.utilities_from_rankings, (np.array([[1, 0]]), np.array([1.0, 0.0]))),
    "scoring_winner_exact": (T.scoring_winner_exact, ([[0, 1]], [1, 0])),
    "verify_scoring_vector": (T.verify_scoring_vector, ([[[0, 1]]], [0], [1, 0])),
    "fit_scoring_vector": (T.fit_scoring_vector, ([[[0, 1]]], [0])),
    "reduce_sample": (T.reduce_sample, ([0], [(0, 1)])),
    "check_order": (T.check_order, ([1, 0],)),
    "pairwise_relation": (T.pairwise_relation, ([1, 0],)),
    "is_strict_linear_order": (T.is_strict_linear_order, (np.eye(2, dtype=bool),)),
    "pairwise_majority_relation": (T.pairwise_majority_relation, (((0, 1),),)),
    "scoring_ranking": (T.scoring_ranking, ([[0, 1]], [1.0, 0.0])),
    "resolute": (T.resolute, ((0,),)),
    "privileged_ordering_mechanism": (T.privileged_ordering_mechanism, ([0, 1],)),
}
KERNEL_CALLS = {
    "sample_pairs": (lambda w: K.sample_pairs(_KEY, w, 3, 2), (np.array([0.5, 0.5]),)),
    "empirical_welfare_batched": (K.empirical_welfare_batched, (np.array([[0, 1]]), _U, _I, _F)),
    "erm_argmax": (K.erm_argmax, (np.array([[0.5, 0.2]]),)),
    "scoring_utilities": (K.scoring_utilities, (np.array([[1, 0]]), np.array([1.0, 0.0]))),
    "uniform_deviation": (K.uniform_deviation, (np.array([[0.5, 0.2]]), np.array([0.4, 0.4]))),
    "regret": (K.regret, (np.array([[0.5, 0.2]]), np.array([0.4, 0.4]))),
    "threshold_grid_welfare": (K.threshold_grid_welfare,
                               (np.array([[0.2, 0.7]]), np.array([[0, 1]]), np.array([0.0, 0.5]))),
    "threshold_continuum_deviation": (K.threshold_continuum_deviation, (np.array([[0.2, 0.7]]), np.array([[0, 1]]))),
    "issuewise_majority_batched": (lambda a, b: K.issuewise_majority_batched(a, b, 3),
                                   (np.array([[0, 2]]), np.array([[1, 0]]))),
    "scoring_rule": (K.scoring_rule, (_P, np.array([2.0, 1.0, 0.0]))),
    "margins_batched": (K.margins_batched, (_P, np.array([[1, 2]]))),
    "ranks": (K.ranks, (_P,)),
}


@given(st.sampled_from(sorted(THEORY_CALLS)), st.data(), bad_arrays())
def test_theory_functions_on_a_bad_array_argument(name, data, bad):
    fn, good = THEORY_CALLS[name]
    j = data.draw(st.integers(0, len(good) - 1))
    args = list(good)
    args[j] = bad
    call_gently(fn, *args)


@given(st.sampled_from(sorted(KERNEL_CALLS)), st.data(), bad_arrays())
def test_kernels_on_a_bad_array_argument(name, data, bad):
    fn, good = KERNEL_CALLS[name]
    j = data.draw(st.integers(0, len(good) - 1))
    args = list(good)
    args[j] = bad
    call_gently(fn, *args, time_limit=60)  # a first call may compile a new shape on a loaded machine

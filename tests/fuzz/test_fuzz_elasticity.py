"""Bad-input fuzzing of the elasticity pillar (issue #12) with the shared harness.

Every public function of ``aligntheory.theory.elasticity`` and the array kernels of
``aligntheory.kernels.elasticity`` is called on hypothesis-generated bad inputs; the outcome must be
a named library error (or a ``TypeError`` with a message) or a finite result, within the harness's
time limit. JAX kernels are fuzzed with a few fixed shapes (leaf count 4) so that no example
recompiles. Results that come back are also checked for correctness where a cheap independent
route exists (probability vectors sum to 1, rates are >= the entropy).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligntheory.errors import AlignTheoryError, InvalidInputError, PrecisionError, SizeCapError
from aligntheory.theory import elasticity as T
from tests.fuzz._harness import bad_arrays, bad_scalars, bad_sizes, call_gently, extreme_positive

GOOD = (np.array([0.5, 0.3, 0.2]), np.array([0.1, 0.6, 0.3]), np.array([0.2, 0.2, 0.6]))


# ----------------------------------------------------------------------------------------------
# theory: distributions


@given(bad_arrays())
def test_theory_distribution_arguments(bad):
    for fn, args in ((T.entropy, (bad,)), (T.cross_entropy, (bad, GOOD[0])), (T.cross_entropy, (GOOD[0], bad)),
                     (T.huffman_code_lengths, (bad,)), (T.compression_rate, (bad, GOOD[0])),
                     (T.elasticity_derivatives, (bad, GOOD[1], GOOD[2], 3.0, 0.5)),
                     (T.elasticity_ratio, (GOOD[0], bad, GOOD[2], 3.0, 0.5)),
                     (T.hooke_residual, (GOOD[0], GOOD[1], bad, 3.0, 0.5)),
                     (T.derivative_scales, (bad, GOOD[1], GOOD[2], 3.0, 0.5)),
                     (T.cross_term_A, (bad, GOOD[1], GOOD[2])), (T.chi_square, (bad, GOOD[0])),
                     (T.r_max, (GOOD[0], bad, GOOD[2], 0.5)), (T.is_opposite_configuration, (bad, GOOD[1], GOOD[2])),
                     (T.mixture, ([bad, bad], [1.0, 2.0])), (T.mixture, (np.stack(GOOD), bad)),
                     (T.disjoint_support_rates, (bad, [1.0, 2.0])), (T.alignment_mass_curve, (0.3, 2.0, bad)),
                     (T.prune_leaf_probs, (bad, 2, 2, 1))):
        kind, out = call_gently(fn, *args)
        if kind == "ok" and fn is T.entropy:
            assert out >= 0


@given(bad_scalars(), bad_scalars())
def test_theory_scalar_arguments(k, l):
    for fn, args in ((T.elasticity_derivatives, (*GOOD, k, l)), (T.elasticity_ratio, (*GOOD, k, l)),
                     (T.opposite_model_bounds, (k, l, 1.0)), (T.opposite_model_bounds, (10.0, 0.1, k)),
                     (T.asymptotic_ratio, (k, 0.1, -1.0, l)), (T.entropy, (GOOD[0], k)),
                     (T.cross_entropy, (GOOD[0], GOOD[1], l)), (T.zipf_entropy_limit, (k,)),
                     (T.paper_block_code_length, (k, 3, 2)), (T.alignment_mass_curve, (k, l, [0.0, 1.0]))):
        kind, out = call_gently(fn, *args)
        if kind == "ok" and fn is T.entropy:
            assert out >= 0  # base <= 1 is refused, never a negative entropy


@given(bad_sizes(), bad_sizes())
def test_theory_size_arguments(a, b):
    rng = np.random.default_rng(0)
    for fn, args in ((T.tree_n_leaves, (a, b)), (T.tree_level_offsets, (2, a)), (T.zipf_pmf, (a, 1.1)),
                     (T.pareto_masses, (rng, a, 1.5)), (T.huffman_code_lengths, (GOOD[0], a)),
                     (T.normalized_compression_rate, (GOOD[0], GOOD[1], a)), (T.prune_leaf_probs, (np.full(7, 1 / 7),
                                                                                                    2, a, b)),
                     (T.closed_form_derivatives, (a,)), (T.paper_block_code_length, (1.0, a, b))):
        call_gently(fn, *args, time_limit=5.0)


@given(extreme_positive(), extreme_positive(), extreme_positive())
def test_theory_extreme_sizes_are_scale_safe(a, b, c):
    # scaling all sizes by a constant leaves the mixture unchanged (spec §5 property 7), at any magnitude
    q = T.mixture(np.stack(GOOD), [a, b, c])
    assert np.all(np.isfinite(q)) and abs(q.sum() - 1) < 1e-12
    rates = T.disjoint_support_rates([0.1, 0.2, 0.3], [a, b, c])
    assert np.all(np.isfinite(rates)) and np.all(rates >= [0.1, 0.2, 0.3])


# ----------------------------------------------------------------------------------------------
# kernels: a few fixed shapes (M = 4), so no example recompiles

fixed4 = st.lists(st.sampled_from([float("nan"), float("inf"), -float("inf"), -1.0, 0.0, 1e-300, 1e300, 0.25, 0.5, 2.0]),
                  min_size=4, max_size=4).map(lambda v: np.array(v, dtype=np.float64))
P4 = np.array([0.4, 0.3, 0.2, 0.1])


@pytest.fixture(scope="module")
def K():
    import jax

    from aligntheory.kernels import elasticity as K

    # compile each fuzzed kernel once for the fixed shapes, so that the time limit measures the call, not the
    # first compilation on a loaded machine
    Q = P4[::-1].copy()
    K.gamma(P4, Q, P4, 2.0, 0.5)
    K.gamma_grad(P4, Q, P4, 2.0, 0.5)
    K.stable_derivatives(P4, Q, P4, 2.0, 0.5)
    K.sample_counts(jax.random.PRNGKey(0), P4, 100.0)
    K.mixture_logq(np.log(np.stack([P4, Q])), np.zeros(2))
    K.mle_from_counts(np.stack([P4, Q]))
    return K


@given(st.one_of(fixed4, bad_arrays(4, 4)))
def test_kernel_distribution_arguments(K, bad):
    for fn, args in ((K.gamma, (bad, P4, P4[::-1].copy(), 2.0, 0.5)),
                     (K.gamma_grad, (P4, bad, P4[::-1].copy(), 2.0, 0.5)),
                     (K.stable_derivatives, (P4, P4[::-1].copy(), bad, 2.0, 0.5)),
                     (K.sample_counts, (_key(), bad, 100.0)),
                     (K.mixture_logq, ([bad, np.log(P4)], np.zeros(2))),
                     (K.mle_from_counts, ([bad, P4],))):
        kind, out = call_gently(fn, *args)
        if kind == "ok" and fn is K.sample_counts:
            assert float(np.sum(out)) == 100.0


@given(bad_scalars(), bad_scalars())
def test_kernel_scalar_arguments(K, k, l):
    for fn, args in ((K.stable_derivatives, (P4, P4[::-1].copy(), P4, k, l)), (K.gamma, (P4, P4, P4, k, l)),
                     (K.sample_counts, (_key(), P4, k))):
        call_gently(fn, *args)


@given(bad_sizes())
def test_kernel_size_arguments(K, n):
    # huge static shapes are refused before tracing (XLA would abort on them)
    call_gently(K.token_tree_leaf_probs, _key(), 2, n, 0.3, 1.0, time_limit=5.0)
    call_gently(K.token_tree_leaf_probs, _key(), n, 3, 0.3, 1.0, time_limit=5.0)
    call_gently(K.prune, np.log(np.full(7, 1 / 7)), 2, n, 1, time_limit=5.0)


def _key():
    import jax

    return jax.random.PRNGKey(0)


# ----------------------------------------------------------------------------------------------
# issue #12 regression examples


def test_regressions_issue_12(K):
    with pytest.raises(InvalidInputError, match="complex"):
        T.elasticity_ratio(np.array([0.5, 0.5]) + 0j, [1.0, 0.0], [0.0, 1.0], 10.0, 0.0)  # returned 11.07
    with pytest.raises(InvalidInputError, match="complex"):
        K.stable_derivatives(np.array([0.5, 0.5]) + 1j, [1.0, 0.0], [0.0, 1.0], 10.0, 0.0)
    with pytest.raises(InvalidInputError, match="base"):
        T.entropy([0.5, 0.5], base=0.5)  # gave a negative entropy
    assert T.huffman_code_lengths([0.5, 0.3, 0.2], base=10**12).tolist() == [1, 1, 1]  # hung
    with pytest.raises(SizeCapError):
        T.tree_n_leaves(2, 10**9)
    with pytest.raises(InvalidInputError, match="not a probability vector"):
        K.stable_derivatives([0.7, 0.5], [1.0, 0.0], [0.0, 1.0], 1.0, 0.0)  # non-distribution accepted
    with pytest.raises(InvalidInputError, match="counts"):
        K.mle_from_counts(np.array([[1.0, -3.0], [0.0, 4.0]]))  # negative counts gave negative probabilities
    with pytest.raises(AlignTheoryError):
        K.token_tree_leaf_probs(_key(), 2, 10**15, 0.3, 1.0)
    assert math.isfinite(float(T.zipf_entropy_limit(2.0)))
    # scale safety of the derivatives: E4 (R(0) = k) and E3 hold at sizes where c = k + 1 + l would overflow
    k = 1e300
    assert T.elasticity_ratio(*GOOD, k, 0.0) == pytest.approx(k, rel=1e-12, abs=0.0)
    dp, da, dt = T.elasticity_derivatives(*GOOD, 1.7e308, 1.7e308)
    assert all(math.isfinite(v) for v in (dp, da, dt))
    with pytest.raises(PrecisionError):
        T.asymptotic_ratio(1.7e308, 0.5, -1.0, 1.9)  # the leading term exceeds the float64 range
    # kernels: mixture weights formed on the host, so huge k neither overflows nor flushes 1/c to zero
    r = K.gamma(P4, P4[::-1].copy(), P4, 1.7e308, 0.0)
    assert float(r.gamma_p) == pytest.approx(T.entropy(P4), rel=1e-12, abs=0.0)  # q = P_p as k -> infinity

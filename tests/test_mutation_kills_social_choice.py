"""Tests written to kill surviving mutants of the social-choice pillar (``python -m tools.mutate``,
``docs/mutation-report/social_choice``). Expected values come from a direct count in the test."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("jax")


def test_threshold_grid_welfare_accepts_ties_in_a_non_decreasing_grid():
    # kills `jnp.diff(gg) < 0` -> `<= 0` (a documented non-decreasing grid with a repeated threshold
    # would be refused). Welfare at threshold t: the fraction of (q, y) pairs with 1[q > t] == y, counted
    # directly; no q equals a grid point, so > and >= agree.
    from aligntheory.config import configure
    from aligntheory.kernels.social_choice import threshold_grid_welfare

    configure()
    q = np.array([[0.2, 0.7, 0.45, 0.9], [0.1, 0.3, 0.6, 0.8]])
    y = np.array([[0, 1, 1, 1], [0, 0, 1, 0]])
    grid = np.array([0.0, 0.4, 0.5, 0.5, 1.0])
    got = np.asarray(threshold_grid_welfare(q, y, grid))
    want = np.array([[np.mean((q[b] > t).astype(int) == y[b]) for t in grid] for b in range(2)])
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-15)
    assert got[0, 2] == got[0, 3]  # the repeated threshold gives the same welfare


def test_privilege_graph_nodes_outside_the_pairs_are_refused_even_in_a_tournament():
    # kills `isinstance(v, int) and 0 <= v < k` -> `or` in the privilege-graph check: a complete tournament on
    # {0, 1, 2, 5} with n_pairs = 3 names a pair id (5) that does not exist and must be refused by name
    from aligntheory.errors import InvalidInputError
    from aligntheory.theory.social_choice import representative_instance

    arcs = [(0, 1), (1, 2), (0, 2), (0, 5), (1, 5), (2, 5)]
    with pytest.raises(InvalidInputError) as exc:
        representative_instance(3, 3, privilege_graph=arcs)
    assert exc.value.argument == "privilege_graph"
    assert 5 in exc.value.received


def test_brute_force_verifier_refuses_a_dictatorship_when_non_dictatorship_is_required():
    # kills `all(prof[i] == out ...)` -> `!=` in the brute-force re-verification of SAT models: a table in which
    # voter 0 dictates (output = voter 0's order in every profile) satisfies Pareto and IIA and must be refused
    # under non-dictatorship; the table is written out here from the orders, not decoded from a model
    import itertools

    from aligntheory.theory.social_choice import arrow_instance
    from aligntheory.theory.social_choice._counting import _verify

    m = 3
    inst = arrow_instance(2, m, encoding="full", non_dictatorship=True)
    orders = list(itertools.permutations(range(m)))

    def rel(order):
        return [[a != b and order.index(a) < order.index(b) for b in range(m)] for a in range(m)]

    table = {(0, 1): {(o0, o1): rel(o0) for o0 in orders for o1 in orders}}
    ok, why = _verify(inst, table)
    assert not ok and "dictator" in why
    # the same table without the axiom is a valid Pareto + IIA rule
    assert _verify(arrow_instance(2, m, encoding="full", non_dictatorship=False), table)[0]


def test_empirical_welfare_refuses_a_policy_outcome_one_past_the_last_alternative():
    # kills `int(jnp.max(pol)) >= util.shape[1]` -> `>`: outcome 2 with two alternatives would be clamped silently by
    # JAX's gather instead of refused
    from aligntheory.config import configure
    from aligntheory.errors import InvalidInputError
    from aligntheory.kernels.social_choice import empirical_welfare_batched

    configure()
    util = np.array([[1.0, 0.0], [0.0, 1.0]])
    with pytest.raises(InvalidInputError):
        empirical_welfare_batched(np.array([[0, 0, 1]]), util, np.array([0, 0]), np.array([[0], [2]]))


def test_check_profile_refuses_a_profile_without_voters():
    # kills `r.shape[0] < 1` -> `< 0` in check_profile: a (0, m) array has no voter and must be refused by name
    from aligntheory.errors import InvalidInputError
    from aligntheory.theory.social_choice import check_profile

    with pytest.raises(InvalidInputError) as exc:
        check_profile(np.zeros((0, 3), dtype=np.int64))
    assert exc.value.argument == "profile"


def test_int_sequence_accepts_integral_floats_up_to_two_to_the_53():
    # kills `np.abs(arr) > 2**53` -> `2*53` in int_sequence: integral floats are exact up to 2**53
    from aligntheory.errors import InvalidInputError
    from aligntheory.theory.social_choice._caps import int_sequence

    assert int_sequence("x", [1000.0, 2.0**52, -7.0]) == (1000, 2**52, -7)
    with pytest.raises(InvalidInputError):
        int_sequence("x", [2.0**54])

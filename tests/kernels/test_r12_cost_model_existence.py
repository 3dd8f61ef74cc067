"""fit_cost_model refuses data with no unique finite MLE (session 12).

The library decides existence by Ford's condition on a "beats" graph (scipy's strong components). The
prediction here comes from convex analysis instead, by a linear program (scipy's ``linprog``): the
negative log-likelihood sum_t -log sigma(a_t . c) has a unique finite minimiser iff no direction d != 0
(in the gauge: d orthogonal to 1 without sign terms) has a_t . d >= 0 for every row a_t. Split: no
direction with a_t . d >= 0 for all t and > 0 for some (LP optimum 0), and no nonzero d with A d = 0
(A has full rank on the gauge subspace).
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
scipy_optimize = pytest.importorskip("scipy.optimize")

from aligntheory.errors import DisconnectedGraphError  # noqa: E402
from aligntheory.kernels.safety import fit_cost_model  # noqa: E402


def _rows(n, pairs, harm, unsafe, sign_terms):
    A = []
    for (i, j), h in zip(pairs, harm):
        a = np.zeros(n)
        a[i] += 1.0 if h else -1.0
        a[j] -= 1.0 if h else -1.0
        A.append(a)
    if sign_terms:
        for (i, j), (ui, uj) in zip(pairs, unsafe):
            for k, u in ((i, ui), (j, uj)):
                a = np.zeros(n)
                a[k] = 1.0 if u else -1.0
                A.append(a)
    return np.array(A)


def _unique_finite_mle_by_lp(n, pairs, harm, unsafe, sign_terms) -> bool:
    A = _rows(n, pairs, harm, unsafe, sign_terms)
    # gauge basis: all of R^n with sign terms, the sum-zero subspace without them
    Q = np.eye(n) if sign_terms else np.linalg.svd(np.eye(n) - 1.0 / n)[0][:, : n - 1]
    B = A @ Q
    k = B.shape[1]
    # max sum(B z) s.t. B z >= 0, -1 <= z <= 1: positive iff a strictly improving direction exists
    res = scipy_optimize.linprog(-B.sum(axis=0), A_ub=-B, b_ub=np.zeros(len(B)), bounds=[(-1, 1)] * k,
                                 method="highs")
    assert res.status == 0
    improving = -res.fun > 1e-9
    flat = np.linalg.matrix_rank(B, tol=1e-9) < k
    return not improving and not flat


def _datasets(seed: int, count: int):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        n = int(rng.integers(2, 4))
        P = int(rng.integers(1, 5))
        pairs = np.array([rng.choice(n, 2, replace=False) for _ in range(P)])
        yield n, pairs, rng.random(P) < 0.5, rng.random((P, 2)) < 0.5, bool(rng.random() < 0.5)


def test_existence_check_agrees_with_the_linear_program_on_random_small_data():
    seen = {True: 0, False: 0}
    for n, pairs, harm, unsafe, st in _datasets(12, 400):
        expect = _unique_finite_mle_by_lp(n, pairs, harm, unsafe, st)
        seen[expect] += 1
        fit = fit_cost_model(pairs, harm, unsafe, n, sign_terms=st, throw=False, newton_steps=200)
        if expect:
            assert fit.result.value != "disconnected", (n, pairs, harm, unsafe, st)
            assert np.all(np.isfinite(np.asarray(fit.scores)))
        else:
            assert fit.result.value == "disconnected", (n, pairs, harm, unsafe, st, fit)
            assert np.isnan(np.asarray(fit.scores)).all() and np.isnan(float(fit.residual))
    assert min(seen.values()) >= 40  # both outcomes well represented


def test_every_two_item_dataset_of_up_to_three_pairs():
    # exhaustive: 2 items, 1-3 pairs, every orientation, harm label and flag pattern, both sign-term modes
    count = 0
    for P in (1, 2, 3):
        for orient in itertools.product((0, 1), repeat=P):
            pairs = np.array([[0, 1] if o == 0 else [1, 0] for o in orient])
            for harm in itertools.product((False, True), repeat=P):
                for flags in itertools.product((False, True), repeat=2 * P):
                    unsafe = np.array(flags).reshape(P, 2)
                    for st in (False, True):
                        expect = _unique_finite_mle_by_lp(2, pairs, np.array(harm), unsafe, st)
                        fit = fit_cost_model(pairs, np.array(harm), unsafe, 2, sign_terms=st, throw=False,
                                             newton_steps=200)
                        assert (fit.result.value == "disconnected") == (not expect), (pairs, harm, unsafe, st)
                        count += 1
    assert count == 2 * sum(2**P * 2**P * 2 ** (2 * P) for P in (1, 2, 3))


def test_a_ridge_always_has_a_unique_minimiser_so_nothing_is_refused():
    pairs, harm, unsafe = np.array([[0, 1]] * 3), np.ones(3, bool), np.zeros((3, 2), bool)
    fit = fit_cost_model(pairs, harm, unsafe, 2, sign_terms=False, ridge=0.5)
    assert fit.result.value == "successful"
    # the minimiser of 3 log(1 + e^{-(c0 - c1)}) + (0.5 / 2)(c0^2 + c1^2) has c0 = -c1 = x/2 (symmetry), so
    # the penalty is x^2/8 and the stationarity condition is 3 sigma(-x) = x/4
    x = float(fit.scores[0] - fit.scores[1])
    assert abs(3.0 / (1.0 + np.exp(x)) - x / 4) < 1e-10


def test_the_error_names_the_components_and_the_origin():
    pairs, harm = np.array([[0, 1], [1, 0], [0, 1]]), np.array([True, False, True])
    unsafe = np.array([[True, False], [False, True], [False, False]])
    with pytest.raises(DisconnectedGraphError) as exc:
        fit_cost_model(pairs, harm, unsafe, 2)
    assert exc.value.directed and sorted(exc.value.components) == [[0], [1]]
    assert "with the origin" in str(exc.value) and "ridge > 0" in str(exc.value)

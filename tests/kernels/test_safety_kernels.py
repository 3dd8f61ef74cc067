"""Tests of aligntheory.kernels.safety on fixed shapes.

Independent routes: the numpy theory layer (log-space tilt, Brent multiplier), hand-derived update
rules on constant costs, and scipy.optimize.minimize of the theory NLL for the Newton fit.
"""

import math

import jax
import numpy as np
import pytest
import scipy.optimize

from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.kernels import safety as K
from aligntheory.kernels.safety import _policy
from aligntheory.theory import safety as T


def _batch(P=3, n=6, seed=0):
    rng = np.random.default_rng(seed)
    ref = rng.dirichlet(np.ones(n), size=P)
    r = rng.normal(size=(P, n))
    c = 0.5 * r + rng.normal(size=(P, n))
    return ref, r, c


def test_batched_tilt_matches_theory():
    ref, r, c = _batch()
    lams = np.array([0.0, 0.5, 3.0])
    pi = np.asarray(K.tilted_policy_batched(ref, r, c, lams, 0.7))
    er, ec = (np.asarray(x) for x in K.tilted_moments_batched(ref, r, c, lams, 0.7))
    assert pi.shape == (3, 3, 6)
    for p in range(3):
        for j, lam in enumerate(lams):
            want = T.tilted_policy(ref[p], r[p], c[p], lam, 0.7)
            np.testing.assert_allclose(pi[p, j], want, rtol=1e-12, atol=1e-15)
            assert er[p, j] == pytest.approx(want @ r[p], rel=1e-12, abs=1e-14)
            assert ec[p, j] == pytest.approx(want @ c[p], rel=1e-12, abs=1e-14)


def test_batched_multiplier_matches_brent():
    ref, r, c = _batch(P=4)
    ec0 = np.array([T.tilted_policy(ref[p], r[p], c[p], 0.0, 0.5) @ c[p] for p in range(4)])
    d = np.array([0.5 * (c[0].min() + ec0[0]), ec0[1] + 0.1, c[2].min(), c[3].min() + 0.05])
    lam = np.asarray(K.optimal_multiplier_batched(ref, r, c, 0.5, d))
    assert lam[0] == pytest.approx(T.optimal_multiplier(ref[0], r[0], c[0], 0.5, d[0]).lam, rel=1e-10, abs=0.0)
    assert lam[1] == 0.0  # inactive
    assert lam[2] == math.inf  # boundary d == min c
    assert lam[3] == pytest.approx(T.optimal_multiplier(ref[3], r[3], c[3], 0.5, d[3]).lam, rel=1e-10, abs=0.0)
    bad = np.asarray(K.optimal_multiplier_batched(ref[:1], r[:1], c[:1], 0.5, np.array([c[0].min() - 1])))
    assert np.isnan(bad[0])  # infeasible budgets are NaN in the batched kernel (the theory function raises)


def test_dual_ascent_batch_matches_theory():
    ref, r, c = (x[0] for x in _batch())
    d = 0.5 * (c.min() + float(T.tilted_policy(ref, r, c, 0.0, 0.5) @ c))
    steps, l0 = np.array([0.1, 0.5, 1.0]), np.array([0.5, 1.0, 2.0])
    for mode in ("projected", "log"):
        got = np.asarray(K.dual_ascent_batched(ref, r, c, 0.5, d, steps, l0, 50, mode))
        want = T.dual_ascent(ref, r, c, 0.5, d, steps, 50, l0, mode).lam
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-13)


def test_primal_dual_update_rules_on_constant_cost():
    # constant cost 0.7: every window mean is exactly 0.7, so the updates are deterministic (hand)
    ref, r, c = np.full(3, 1 / 3), np.array([0.0, 1.0, 2.0]), np.full(3, 0.7)
    tr = K.simulate_primal_dual(jax.random.PRNGKey(0), ref, r, c, 1.0, 0.2, 0.1, 5, window=3, n_samples=4)
    np.testing.assert_allclose(np.asarray(tr.cost_estimate), 0.7, rtol=1e-15)
    np.testing.assert_allclose(np.asarray(tr.lam), 0.05 * np.arange(6), rtol=1e-12, atol=1e-15)
    tr = K.simulate_primal_dual(jax.random.PRNGKey(0), ref, r, c, 1.0, 0.2, 0.1, 3, window=2, n_samples=4,
                                lam0=1.0, mode="log")
    lam = [1.0]
    for _ in range(3):
        lam.append(lam[-1] * math.exp(0.1 * lam[-1] * 0.5))
    np.testing.assert_allclose(np.asarray(tr.lam), lam, rtol=1e-12)


def test_primal_dual_sliding_window_and_update():
    ref, r, c = _batch(P=1, n=5, seed=3)
    ref, r, c = ref[0], r[0], c[0]
    W, eta, d = 4, 0.3, float(np.mean(c))
    tr = K.simulate_primal_dual(jax.random.PRNGKey(9), ref, r, c, 0.5, d, eta, 12, window=W, n_samples=8)
    bm, est, lam = (np.asarray(x) for x in (tr.batch_cost, tr.cost_estimate, tr.lam))
    # window mean of the last min(k+1, W) batch means (plain numpy)
    want = np.array([bm[max(0, k - W + 1): k + 1].mean() for k in range(12)])
    np.testing.assert_allclose(est, want, rtol=1e-13)
    np.testing.assert_allclose(lam[1:], np.maximum(0.0, lam[:-1] + eta * (est - d)), rtol=1e-13, atol=1e-15)
    # batch means are averages of 8 sampled costs: each lies in [min c, max c] on the grid of c-sums / 8
    assert np.all(bm >= c.min() - 1e-12) and np.all(bm <= c.max() + 1e-12)


def test_hot_kernels_compile_once():
    ref, r, c = _batch(P=2, n=4, seed=4)  # a shape no other test uses
    before = (_policy._tilt_core._cache_size(), _policy._bisect_core._cache_size())
    for lam in (np.array([0.0, 1.0]), np.array([2.0, 3.0]), np.array([0.5, 0.1])):
        K.tilted_policy_batched(ref, r, c, lam, 0.5)
        K.optimal_multiplier_batched(ref, r, c, 0.5, c.max(axis=1) - lam)
    assert _policy._tilt_core._cache_size() - before[0] == 1  # new values, same shapes: no retrace
    assert _policy._bisect_core._cache_size() - before[1] == 1


def test_primal_dual_converges_near_lambda_star():
    ref, r, c = np.full(2, 0.5), np.array([0.0, 1.0]), np.array([0.0, 1.0])
    # lam* = 1 for d = 0.5 (E c = sigmoid(1 - lam) = 1/2, hand)
    tr = K.simulate_primal_dual(jax.random.PRNGKey(2), ref, r, c, 1.0, 0.5, 0.5, 3000, window=20, n_samples=256)
    assert abs(float(np.mean(np.asarray(tr.lam)[-500:])) - 1.0) < 0.05


def test_fit_cost_model_matches_scipy_minimize():
    c_true = np.array([-1.0, 0.0, 0.5, 1.5])
    pairs, harm, unsafe = (np.asarray(x) for x in K.simulate_dual_preferences(jax.random.PRNGKey(5), c_true, 400))
    est, g, result = K.fit_cost_model(pairs, harm, unsafe, 4)
    assert result.succeeded
    ref = scipy.optimize.minimize(lambda x: T.cost_nll(x, pairs, harm, unsafe), np.zeros(4), method="BFGS",
                                  options={"gtol": 1e-10}).x
    np.testing.assert_allclose(np.asarray(est), ref, atol=1e-5)
    assert float(g) < 1e-9
    est_pw = K.fit_cost_model(pairs, harm, unsafe, 4, sign_terms=False).scores
    ref_pw = scipy.optimize.minimize(lambda x: T.cost_nll(x, pairs, harm), np.zeros(4), method="BFGS",
                                     options={"gtol": 1e-10}).x
    np.testing.assert_allclose(np.asarray(est_pw), ref_pw - ref_pw.mean(), atol=1e-5)
    assert abs(float(np.sum(est_pw))) < 1e-10  # sum-zero gauge


def test_fit_dual_bt_padding_is_a_prefix():
    c = np.array([-0.5, 0.25, 1.0])
    key = jax.random.PRNGKey(7)
    est = K.fit_dual_bt(key, c, 300, pad_to=1000).scores
    pairs, harm, unsafe = K.simulate_dual_preferences(key, c, 1000)
    want = K.fit_cost_model(np.asarray(pairs)[:300], np.asarray(harm)[:300], np.asarray(unsafe)[:300], 3).scores
    np.testing.assert_allclose(np.asarray(est), np.asarray(want), atol=1e-10)


@pytest.mark.parametrize("call", [
    lambda: K.tilted_policy_batched(np.full((1, 2), 0.5, np.float32), np.zeros((1, 2)), np.zeros((1, 2)),
                                    np.zeros(1), 1.0),
    lambda: K.optimal_multiplier_batched(np.full((1, 2), 0.5), np.zeros((1, 2)), np.zeros((1, 2)), 1.0,
                                         np.zeros(1, np.float32)),
    lambda: K.simulate_primal_dual(jax.random.PRNGKey(0), np.full(2, 0.5), np.zeros(2, np.float32), np.zeros(2),
                                   1.0, 0.5, 0.1, 3),
    lambda: K.fit_dual_bt(jax.random.PRNGKey(0), np.zeros(3, np.float32), 10),
])
def test_float32_raises(call):
    with pytest.raises(PrecisionError):
        call()


@pytest.mark.parametrize("call,arg", [
    (lambda: K.tilted_policy_batched(np.full((1, 2), 0.6), np.zeros((1, 2)), np.zeros((1, 2)), np.zeros(1), 1.0),
     "ref_probs"),
    (lambda: K.tilted_policy_batched(np.array([[1.0, 0.0]]), np.zeros((1, 2)), np.zeros((1, 2)), np.zeros(1), 1.0),
     "ref_probs"),
    (lambda: K.tilted_policy_batched(np.full((1, 2), 0.5), np.zeros((1, 2)), np.zeros((1, 2)), np.zeros(1), 0.0),
     "beta"),
    (lambda: K.tilted_policy_batched(np.full((1, 2), 0.5), np.array([[0.0, np.nan]]), np.zeros((1, 2)),
                                     np.zeros(1), 1.0), "reward"),
    (lambda: K.tilted_policy_batched(np.full((1, 2), 0.5), np.zeros((1, 2)), np.zeros((1, 3)), np.zeros(1), 1.0),
     "ref_probs, reward, cost"),
    (lambda: K.tilted_policy_batched(np.full((1, 2), 0.5), np.zeros((1, 2)), np.zeros((1, 2)), -np.ones(1), 1.0),
     "lams"),
    (lambda: K.dual_ascent_batched(np.full(2, 0.5), np.zeros(2), np.zeros(2), 1.0, 0.5, -np.ones(1), np.ones(1), 3),
     "steps"),
    (lambda: K.simulate_primal_dual(jax.random.PRNGKey(0), np.full(2, 0.5), np.zeros(2), np.zeros(2), 1.0, 0.5,
                                    -0.1, 3), "step"),
    (lambda: K.simulate_primal_dual(jax.random.PRNGKey(0), np.full(2, 0.5), np.zeros(2), np.zeros(2), 1.0, 0.5,
                                    0.1, 3, window=0), "window"),
    (lambda: K.fit_cost_model(np.array([[0.5, 1.0]]), np.array([True]), np.array([[True, False]]), 2), "pairs"),
])
def test_bad_inputs(call, arg):
    with pytest.raises(InvalidInputError) as exc:
        call()
    assert exc.value.argument == arg


# ---------------------------------------------------------------------------------------------- issues 10, 12


def test_fit_cost_model_failure_contract():
    from aligntheory.errors import ConvergenceError, DisconnectedGraphError

    # one pair, separable data without sign terms: no finite MLE (the beats graph 0 -> 1 is not strongly
    # connected), refused before any Newton step
    pairs, harm, unsafe = np.array([[0, 1]]), np.array([True]), np.array([[True, False]])
    with pytest.raises(DisconnectedGraphError) as exc:
        K.fit_cost_model(pairs, harm, unsafe, 2, sign_terms=False, newton_steps=3)
    assert exc.value.directed and sorted(exc.value.components) == [[0], [1]]
    fit = K.fit_cost_model(pairs, harm, unsafe, 2, sign_terms=False, newton_steps=3, throw=False)
    assert fit.result.value == "disconnected" and np.isnan(np.asarray(fit.scores)).all()
    # the MLE exists (2 wins to 1: c0 - c1 = ln 2) but one Newton step from 0 does not reach it
    pairs, harm, unsafe = np.array([[0, 1]] * 3), np.array([True, True, False]), np.array([[True, False]] * 3)
    with pytest.raises(ConvergenceError) as exc2:
        K.fit_cost_model(pairs, harm, unsafe, 2, sign_terms=False, newton_steps=1)
    assert exc2.value.result.value == "max_steps_reached" and exc2.value.iterations == 1
    fit = K.fit_cost_model(pairs, harm, unsafe, 2, sign_terms=False, newton_steps=1, throw=False)
    assert fit.result.value == "max_steps_reached" and float(fit.residual) > 1e-8
    fit = K.fit_cost_model(pairs, harm, unsafe, 2, sign_terms=False)
    assert fit.result.value == "successful"
    assert abs(float(fit.scores[0] - fit.scores[1]) - np.log(2.0)) < 1e-12


def test_x64_off_fit_cost_model_raises():
    import os
    import subprocess
    import sys

    code = ("import numpy as np; from aligntheory.kernels import safety as K; from aligntheory.errors import "
            "PrecisionError\ntry:\n K.fit_cost_model(np.array([[0, 1]]), np.array([True]), np.array([[True, False]]), "
            "2)\nexcept PrecisionError:\n raise SystemExit(0)\nraise SystemExit(1)")
    env = {**os.environ, "JAX_ENABLE_X64": "0"}
    assert subprocess.run([sys.executable, "-c", code], env=env, timeout=120).returncode == 0


@pytest.mark.parametrize("call,arg", [
    (lambda: K.fit_cost_model(np.array([[0, 5]]), np.array([True]), np.array([[True, False]]), 2), "pairs"),
    (lambda: K.fit_cost_model(np.array([[0, -1]]), np.array([True]), np.array([[True, False]]), 2), "pairs"),
    (lambda: K.fit_cost_model(np.array([[0, 1]]), np.array([2]), np.array([[True, False]]), 2), "harm_labels"),
    (lambda: K.fit_cost_model([[0, 1], [1]], np.array([True]), np.array([[True, False]]), 2), "pairs"),
    (lambda: K.tilted_policy_batched(np.full((1, 2), 0.5), np.array([[0.0, 1j]]), np.zeros((1, 2)), np.zeros(1), 1.0),
     "reward"),
    (lambda: K.tilted_policy_batched([[0.5, 0.5], [1.0]], np.zeros((1, 2)), np.zeros((1, 2)), np.zeros(1), 1.0),
     "ref_probs"),
    (lambda: K.optimal_multiplier_batched(np.full((1, 2), 0.5), np.zeros((1, 2)), np.zeros((1, 2)), 1.0,
                                          np.array([np.nan])), "budgets"),
    (lambda: K.dual_ascent_batched(np.full(2, 0.5), np.zeros(2), np.zeros(2), 1.0, 0.5, np.array([np.inf]),
                                   np.ones(1), 3), "steps"),
    (lambda: K.simulate_dual_preferences(jax.random.PRNGKey(0), np.array([0.0, np.nan]), 3), "cost"),
])
def test_kernel_boundary_refuses(call, arg):
    with pytest.raises(InvalidInputError) as exc:
        call()
    assert exc.value.argument == arg


def test_kernel_size_caps_before_allocation():
    from aligntheory.errors import SizeCapError

    with pytest.raises(SizeCapError):
        K.simulate_dual_preferences(jax.random.PRNGKey(0), np.zeros(3), 10**12)
    with pytest.raises(SizeCapError):
        K.fit_dual_bt(jax.random.PRNGKey(0), np.zeros(3), 10**12)
    with pytest.raises(SizeCapError):
        K.simulate_primal_dual(jax.random.PRNGKey(0), np.full(2, 0.5), np.zeros(2), np.zeros(2), 1.0, 0.5, 0.1, 10**9)
    with pytest.raises(SizeCapError):
        K.dual_ascent_batched(np.full(2, 0.5), np.zeros(2), np.zeros(2), 1.0, 0.5, np.ones(1), np.ones(1), 10**9)
    with pytest.raises(SizeCapError):
        K.fit_cost_model(np.array([[0, 1]]), np.array([True]), np.array([[True, False]]), 10**6)


def test_huge_reward_over_beta_is_a_named_error():
    with pytest.raises(PrecisionError):
        K.tilted_policy_batched(np.full((1, 2), 0.5), np.array([[0.0, 1e300]]), np.zeros((1, 2)), np.zeros(1), 1e-10)

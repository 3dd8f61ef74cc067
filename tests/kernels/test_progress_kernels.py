"""Tests of aligntheory.kernels.progress on a few fixed shapes (JAX recompiles per shape).

Independent routes: plain-Python recurrences written here, the integer recurrence of the theory
layer, binomial statistics of simulated votes.
"""

import itertools
import subprocess
import sys

import jax
import numpy as np
import pytest

from aligntheory.errors import InvalidInputError, PrecisionError, SizeCapError, UnstableParametersError
from aligntheory.kernels import progress as K
from aligntheory.theory import progress as T


def _simulate(alpha, kappa, m, p, h0, hprev):
    h, h1, h2 = h0, hprev, hprev
    out = []
    for t in range(len(p)):
        out.append(h.copy())
        a = h1 + m * (h1 - h2)
        h, h1, h2 = (1 - alpha - kappa) * h + alpha * p[t] + kappa * a, h, h1
    return np.array(out)


def test_coevolution_matches_python_recurrence():
    rng = np.random.default_rng(0)
    p = rng.normal(size=(60, 3))
    h0, hp = rng.normal(size=3), rng.normal(size=3)
    for m in (0, 1, 2):
        h, a = K.simulate_coevolution(jax.random.PRNGKey(0), 0.3, 0.2, m, p, 0.0, 60, h_init=h0, h_prev=hp)
        np.testing.assert_allclose(np.asarray(h), _simulate(0.3, 0.2, m, p, h0, hp), rtol=1e-12, atol=1e-12)
        assert h.shape == a.shape == (60, 3)


def test_coevolution_noise_and_grid():
    p = np.ones((80, 2))
    key = jax.random.PRNGKey(1)
    h1, _ = K.simulate_coevolution(key, 0.2, 0.3, 0, p, 0.1)
    h2, _ = K.simulate_coevolution(key, 0.2, 0.3, 0, p, 0.1)
    np.testing.assert_array_equal(np.asarray(h1), np.asarray(h2))  # same key, same path
    # noise: increments of the deviation have the right scale (h_{t+1} - E[...] ~ N(0, 0.01))
    grid = K.simulate_coevolution_batched(key, np.array([0.2, 0.4, 0.6]), np.array([0.3, 0.1, -0.2]), 0, p, 0.0, 2)
    assert grid.shape == (3, 2, 80, 2)
    for g, (a, k) in enumerate([(0.2, 0.3), (0.4, 0.1), (0.6, -0.2)]):
        np.testing.assert_allclose(np.asarray(grid[g, 1]), _simulate(a, k, 0, p, p[0], p[0]), rtol=1e-12)
    noisy = np.asarray(K.simulate_coevolution_batched(key, np.array([1.0]), np.array([0.0]), 0, np.zeros((400, 2)),
                                                   0.1, 4))
    # alpha = 1, kappa = 0, p = 0: h_{t+1} = eps_t, so h[1:] are iid N(0, 0.01): sample sd within 10 %
    assert 0.09 < noisy[:, :, 1:].std() < 0.11
    assert not np.allclose(noisy[0, 0], noisy[0, 1], rtol=1e-5, atol=0.0)  # seeds differ


def test_extrapolate_batch_equals_integer_recurrence():
    windows = np.array(list(itertools.product((-1, 0, 1), repeat=4)), dtype=np.int64)
    for k, m in ((2, 1), (3, 2), (1, 4)):
        got = np.asarray(K.extrapolate_batched(windows, k, m))
        want = [T.extrapolated_vote(w, k, m) for w in windows]
        np.testing.assert_array_equal(got, np.array(want, dtype=float))


def test_vote_simulation_statistics():
    mu = np.array([-0.2, 0.1, 0.5])
    n = 200_000
    votes, est = K.simulate_vote_extrapolation(jax.random.PRNGKey(3), mu, 2, 2, n)
    votes = np.asarray(votes)
    assert set(np.unique(votes)) <= {-1, 1}
    freq = (votes == 1).mean(axis=0)
    p = (1 + mu) / 2
    assert np.all(np.abs(freq - p) <= 5 * np.sqrt(p * (1 - p) / n))  # binomial, 5 s.e.
    np.testing.assert_array_equal(np.asarray(est)[:50], [T.extrapolated_vote(v, 2, 2) for v in votes[:50]])


def test_mc_mse_exact_when_noise_free_and_unbiased_otherwise():
    f = np.array([1.0, 4.0, 9.0])  # t^2 at 1, 2, 3; order 1 from the last two: 9 + 5 = 14 vs 16 -> error 2
    mse, se = K.mc_extrapolation_mse(jax.random.PRNGKey(0), f[1:], 0.0, 1, 1, 100, target=16.0)
    assert float(mse) == 4.0 and float(se) == 0.0
    mse, se = K.mc_extrapolation_mse(jax.random.PRNGKey(0), f, 0.5, 2, 1, 200_000, target=16.0)
    exact = 0.0 + 0.25 * T.noise_gain(2, 1)  # quadratic reproduced: bias 0; variance sigma^2 ||w||^2
    assert abs(float(mse) - exact) <= 5 * float(se)


def test_coevolve_score_matches_numpy():
    rng = np.random.default_rng(4)
    S, A = rng.normal(size=(7, 5)), rng.normal(size=(9, 5))
    assert float(K.coevolve_score(S, A)) == pytest.approx(T.coevolve_score(S, A), abs=1e-14)


@pytest.mark.parametrize("call", [
    lambda: K.simulate_coevolution(jax.random.PRNGKey(0), 0.2, 0.3, 0, np.ones((5, 2), np.float32), 0.0),
    lambda: K.extrapolate_batched(np.ones((3, 3), np.float32), 1, 1),
    lambda: K.simulate_vote_extrapolation(jax.random.PRNGKey(0), np.zeros(3, np.float32), 1, 1, 4),
    lambda: K.mc_extrapolation_mse(jax.random.PRNGKey(0), np.ones(2, np.float32), 0.1, 1, 1, 4, target=1.0),
    lambda: K.coevolve_score(np.ones((2, 2), np.float32), np.ones((2, 2))),
    lambda: K.simulate_coevolution_batched(jax.random.PRNGKey(0), np.ones(2, np.float32), np.ones(2), 0,
                                        np.ones((5, 2)), 0.0),
])
def test_float32_raises_precision_error(call):
    with pytest.raises(PrecisionError):
        call()


def test_x64_off_raises_precision_error():
    code = ("import jax, numpy as np; from aligntheory.kernels import progress as K; from aligntheory.errors import "
            "PrecisionError\ntry:\n K.extrapolate_batched(np.ones((2, 3)), 1, 1)\nexcept PrecisionError:\n raise "
            "SystemExit(0)\nraise SystemExit(1)")
    env = {**__import__("os").environ, "JAX_ENABLE_X64": "0"}
    assert subprocess.run([sys.executable, "-c", code], env=env, timeout=120).returncode == 0


@pytest.mark.parametrize("call,arg", [
    (lambda: K.extrapolate_batched(np.ones((3, 2)), 2, 1), "values"),
    (lambda: K.extrapolate_batched(np.ones((3, 3)), -1, 1), "order"),
    (lambda: K.extrapolate_batched(np.ones((3, 3)), 1, 0), "steps_ahead"),
    (lambda: K.simulate_vote_extrapolation(jax.random.PRNGKey(0), np.array([0.0, 2.0]), 1, 1, 4), "mu"),
    (lambda: K.coevolve_score(np.zeros((2, 2)), np.ones((2, 2))), "simulated"),
    (lambda: K.coevolve_score(np.ones((2, 2)), np.ones((2, 3))), "simulated, actual"),
    (lambda: K.simulate_coevolution(jax.random.PRNGKey(0), 0.2, 0.3, 0, np.full((5, 2), np.nan), 0.0), "progress"),
    (lambda: K.simulate_coevolution(jax.random.PRNGKey(0), 0.2, 0.3, 0, np.ones((5, 2)), 0.0, 6), "T"),
    (lambda: K.simulate_coevolution(jax.random.PRNGKey(0), 0.2, 0.3, 0, np.ones((5, 2)), -1.0), "noise_sd"),
    (lambda: K.mc_extrapolation_mse(jax.random.PRNGKey(0), np.ones(3), 0.1, 1, 1, 4, target=1.0), "f_values"),
])
def test_kernel_bad_inputs(call, arg):
    with pytest.raises(InvalidInputError) as exc:
        call()
    assert exc.value.argument == arg


# ---------------------------------------------------------------------------------------------- issues 10, 12


def test_results_are_named():
    p = np.ones((20, 2))
    path = K.simulate_coevolution(jax.random.PRNGKey(0), 0.2, 0.3, 0, p, 0.0)
    assert path.human.shape == path.ai.shape == (20, 2)
    sim = K.simulate_vote_extrapolation(jax.random.PRNGKey(0), np.zeros(3), 2, 1, 4)
    assert sim.votes.shape == (4, 3) and sim.estimates.shape == (4,)
    est = K.mc_extrapolation_mse(jax.random.PRNGKey(0), np.ones(2), 0.0, 1, 1, 10, target=1.0)
    assert float(est.mse) == 0.0 and float(est.stderr) == 0.0


def test_unstable_coevolution_is_a_named_error_not_nan():
    # issue 12: NaN trajectories. alpha = 3, kappa = 0.5: |1 - alpha - kappa| = 2.5 > 1, overflow after ~800 steps
    p, h0 = np.ones((2000, 2)), np.zeros(2)  # start off the fixed point h = 1
    with pytest.raises(UnstableParametersError) as exc:
        K.simulate_coevolution(jax.random.PRNGKey(0), 3.0, 0.5, 0, p, 0.0, h_init=h0)
    assert exc.value.spectral_radius > 1 and exc.value.failed_conditions
    raw = K.simulate_coevolution(jax.random.PRNGKey(0), 3.0, 0.5, 0, p, 0.0, h_init=h0, validate=False)  # jitted
    assert not np.all(np.isfinite(np.asarray(raw.human)))
    with pytest.raises(UnstableParametersError):
        K.simulate_coevolution_batched(jax.random.PRNGKey(0), np.array([0.2, 3.0]), np.array([0.3, 0.5]), 0, p, 0.0,
                                       h_init=h0)


def test_coevolve_score_scale_safe():
    a = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    s = np.array([[1.0, 0.0], [1.0, 2.0]])
    want = T.coevolve_score(s, a)
    for scale in (1e-300, 1e300):
        assert float(K.coevolve_score(s * scale, a * scale)) == pytest.approx(want, abs=1e-15)


@pytest.mark.parametrize("call,arg", [
    (lambda: K.simulate_coevolution(jax.random.PRNGKey(0), 0.2, 0.3, 0, [[1.0, 2.0], [1.0]], 0.0), "progress"),
    (lambda: K.simulate_coevolution(jax.random.PRNGKey(0), 0.2, 0.3, 0, np.ones((3, 2)) * (1 + 1j), 0.0), "progress"),
    (lambda: K.simulate_coevolution(jax.random.PRNGKey(0), 0.2, 0.3, 0, np.ones((3, 2)), 0.0,
                                    h_init=np.array([np.nan, 0.0])), "h_init"),
    (lambda: K.simulate_coevolution(jax.random.PRNGKey(0), np.nan, 0.3, 0, np.ones((3, 2)), 0.0), "alpha"),
    (lambda: K.extrapolate_batched(np.array([[1.0, np.inf]]), 1, 1), "values"),
    (lambda: K.extrapolate_batched([[1.0, 2.0], [1.0]], 1, 1), "values"),
    (lambda: K.coevolve_score(np.ones((2, 2)) * 1j, np.ones((2, 2))), "simulated"),
    (lambda: K.mc_extrapolation_mse(jax.random.PRNGKey(0), np.array([1.0, np.nan]), 0.1, 1, 1, 4, target=1.0),
     "f_values"),
])
def test_kernel_boundary_refuses(call, arg):
    with pytest.raises(InvalidInputError) as exc:
        call()
    assert exc.value.argument == arg


def test_kernel_size_caps_before_allocation():
    with pytest.raises(SizeCapError):
        K.simulate_vote_extrapolation(jax.random.PRNGKey(0), np.zeros(3), 2, 1, 10**12)
    with pytest.raises(SizeCapError):
        K.mc_extrapolation_mse(jax.random.PRNGKey(0), np.ones(2), 0.1, 1, 1, 10**12, target=1.0)
    with pytest.raises(SizeCapError):
        K.simulate_coevolution_batched(jax.random.PRNGKey(0), np.ones(10**4), np.ones(10**4), 0, np.ones((10**4, 19)),
                                       0.0, 10)
    with pytest.raises(SizeCapError):
        K.coevolve_score(np.ones((10, 2)), np.ones((10, 2)), max_entries=50)


def test_extrapolate_batched_overflow_is_named():
    with pytest.raises(PrecisionError):
        K.extrapolate_batched(np.array([[1e308, -1e308]]), 1, 5)


# issue #12: NaN anywhere in values (also outside the extrapolation window) is refused; jit/vmap work


@pytest.mark.parametrize("col", [0, 3])
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
@pytest.mark.parametrize("as_jax", [False, True])
def test_extrapolate_batched_refuses_nonfinite_values_anywhere(col, bad, as_jax):
    import jax.numpy as jnp

    v = np.array([[0.0, 1.0, 2.0, 3.0], [1.0, 1.0, 1.0, 1.0]])
    v[0, col] = bad  # column 0 lies outside the window of order 2 (the last 3 columns)
    with pytest.raises(InvalidInputError, match="^values: non-finite"):
        K.extrapolate_batched(jnp.asarray(v) if as_jax else v, 2, 1)


def test_extrapolate_batched_jits_and_vmaps():
    import jax.numpy as jnp

    v = jnp.array([[0.0, 1.0, 4.0], [1.0, 2.0, 3.0]])
    # quadratic through (0,0),(1,1),(2,4) at 3 is 9; the line 1,2,3 continues to 4 (exact Lagrange)
    np.testing.assert_allclose(np.asarray(jax.jit(lambda x: K.extrapolate_batched(x, 2, 1))(v)), [9.0, 4.0],
                               rtol=1e-14)
    out = jax.vmap(lambda x: K.extrapolate_batched(x[None], 2, 1)[0])(v)
    np.testing.assert_allclose(np.asarray(out), [9.0, 4.0], rtol=1e-14)

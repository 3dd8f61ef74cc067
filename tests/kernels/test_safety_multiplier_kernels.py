"""Batched JAX multiplier sweep agrees with the numpy replay (issue 15 item 2)."""

import numpy as np
import pytest

from aligntheory.errors import InvalidInputError, SizeCapError
from aligntheory.kernels.safety_multiplier import lagrangian_multiplier_sweep, window_means_batched
from aligntheory.theory.safety._lagrangian import lagrangian_multiplier_trajectory


@pytest.mark.parametrize("kw", [
    {},
    {"lambda_max": 1.7, "delay_steps": 3, "updates_per_rollout": 2, "lambda_init": 0.5},
])
def test_sweep_matches_numpy_every_grid_point(kw):
    rng = np.random.default_rng(11)
    S, R, B = 3, 40, 5
    costs = rng.normal(0.0, 1.0, size=(S, R, B))
    ds, lrs, ws = [0.1, 0.4], [0.05, 0.2, 0.6], [1, 7, 25, 128]  # mean cost 0 < d: no overflow
    lam = np.asarray(lagrangian_multiplier_sweep(costs, ds, lrs, ws, **kw))
    assert lam.shape == (S, len(ws), len(ds), len(lrs), R * kw.get("updates_per_rollout", 1))
    worst = 0.0
    for s in range(S):
        for iw, w in enumerate(ws):
            for i_d, d in enumerate(ds):
                for il, lr in enumerate(lrs):
                    ref = lagrangian_multiplier_trajectory(costs[s], d, lambda_lr=lr, window=w, **kw).lambdas
                    worst = max(worst, float(np.max(np.abs(lam[s, iw, i_d, il] - ref) / ref)))
    assert worst <= 1e-12, worst


def test_window_means_by_hand():
    costs = np.array([[1.0, 3.0], [5.0, 7.0], [9.0, 11.0]])
    m = np.asarray(window_means_batched(costs, [1, 3, 100]))[0]
    np.testing.assert_array_equal(m[0], [3.0, 7.0, 11.0])
    np.testing.assert_allclose(m[1], [2.0, 5.0, 9.0], rtol=1e-15)
    np.testing.assert_allclose(m[2], [2.0, 4.0, 6.0], rtol=1e-15)


@pytest.mark.parametrize("args, arg", [
    (([[1.0]], [0.0], [0.1], [0]), "windows"),
    (([[1.0]], [0.0], [0.1], [1.5]), "windows"),
    (([[1.0]], [0.0], [-0.1], [1]), "lambda_lrs"),
    (([[np.inf]], [0.0], [0.1], [1]), "episode_costs"),
    (([1.0], [0.0], [0.1], [1]), "episode_costs"),
    (([[1.0]], [np.nan], [0.1], [1]), "thresholds"),
])
def test_bad_inputs(args, arg):
    with pytest.raises(InvalidInputError, match=arg):
        lagrangian_multiplier_sweep(*args)


def test_size_cap():
    with pytest.raises(SizeCapError):
        lagrangian_multiplier_sweep(np.zeros((10, 10)), [0.0], [0.1], [10**8])


@pytest.mark.parametrize("kw", [{}, {"kd": 0.7, "integral_init": 1.5, "delay_steps": 4, "updates_per_rollout": 2}])
def test_pid_sweep_matches_numpy_every_grid_point(kw):
    from aligntheory.kernels.safety_multiplier import pid_multiplier_sweep
    from aligntheory.theory.safety._lagrangian import pid_multiplier_trajectory

    rng = np.random.default_rng(5)
    S, R, B = 2, 30, 3
    costs = rng.normal(0.2, 1.0, size=(S, R, B))
    ds, kps, kis, ws = [0.0, 0.3], [0.0, 0.4], [0.1, 0.5], [1, 5, 64]
    lam = np.asarray(pid_multiplier_sweep(costs, ds, kps, kis, ws, **kw))
    assert lam.shape == (S, len(ws), len(ds), len(kps), len(kis), R * kw.get("updates_per_rollout", 1))
    worst = 0.0
    for s in range(S):
        for iw, w in enumerate(ws):
            for i_d, d in enumerate(ds):
                for ip, kp in enumerate(kps):
                    for ii, ki in enumerate(kis):
                        ref = pid_multiplier_trajectory(costs[s], d, kp=kp, ki=ki, window=w, **kw).lambdas
                        worst = max(worst, float(np.max(np.abs(lam[s, iw, i_d, ip, ii] - ref))))
    assert worst <= 1e-12, worst

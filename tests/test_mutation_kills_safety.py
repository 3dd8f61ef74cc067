"""Tests written to kill surviving mutants of the safety pillar (``python -m tools.mutate``,
``docs/mutation-report/safety``)."""

from __future__ import annotations

import numpy as np
import pytest


def test_window_weights_refuses_a_zero_batch_size_by_name():
    # kills `check_int("batch_size", batch_size, lo=1)` -> `lo=0` (a zero batch divides by zero)
    from aligntheory.errors import InvalidInputError
    from aligntheory.theory.safety import window_weights

    with pytest.raises(InvalidInputError) as exc:
        window_weights(5, 0)
    assert exc.value.argument == "batch_size"
    # by hand: W = 5, B = 2 -> rollouts of 2, 2, 1 samples -> weights 2/5, 2/5, 1/5
    np.testing.assert_allclose(window_weights(5, 2), [0.4, 0.4, 0.2], rtol=0, atol=1e-15)


def test_replay_multiplier_log_uses_the_documented_default_learning_rate():
    # kills the default lambda_lr = 0.1 -> 1.1 of replay_multiplier_log: its parameters are documented "as in
    # lagrangian_multiplier_trajectory", whose default learning rate is 0.1; the default call must equal the
    # explicit lambda_lr=0.1 call, in the trajectory and in the stability verdict
    from aligntheory.analysis.safety import replay_multiplier_log

    costs = [[1.0, 0.5], [0.2], [0.9, 0.1, 0.4], [0.3]]
    a = replay_multiplier_log(costs, threshold=0.4, lam_star=1.0, curvature=0.5, window=2)
    b = replay_multiplier_log(costs, threshold=0.4, lam_star=1.0, curvature=0.5, window=2, lambda_lr=0.1)
    np.testing.assert_array_equal(a.trajectory.lambdas, b.trajectory.lambdas)
    assert a.stability.spectral_radius == b.stability.spectral_radius
    c = replay_multiplier_log(costs, threshold=0.4, lam_star=1.0, curvature=0.5, window=2, lambda_lr=1.1)
    assert not np.array_equal(a.trajectory.lambdas, c.trajectory.lambdas)  # the test can tell the two apart


def test_cost_log_size_cap_is_the_documented_two_gigabytes(tmp_path):
    # kills MAX_LOG_BYTES = 2 * 10**9 -> 2 * 10**10: read_cost_log documents "File larger than 2 GB" as the
    # SizeCapError condition; a sparse file one byte over the cap is refused before any byte is read
    import os

    from aligntheory.analysis import safety as S
    from aligntheory.errors import SizeCapError

    assert "2 GB" in S.read_cost_log.__doc__
    assert S.MAX_LOG_BYTES == 2 * 10**9  # first: a larger cap would read the 2 GB file below
    f = tmp_path / "big.jsonl"
    with open(f, "wb") as fh:
        fh.truncate(2 * 10**9 + 1)  # sparse: no disk space used where the filesystem supports it
    if os.stat(f).st_blocks * 512 > 10**6:  # pragma: no cover - a filesystem without sparse files
        pytest.skip("no sparse files here")
    with pytest.raises(SizeCapError):
        S.read_cost_log(f)


def test_pid_multiplier_sweep_refuses_an_output_over_the_cap_before_any_work(monkeypatch):
    # kills any `*` -> `/` in the output-size product S nW nD nP nI R U of pid_multiplier_sweep: every factor is >= 2
    # and the product is 1.01e8 > MAX_SWEEP_ENTRIES = 1e8, so a divided factor brings it under the cap; the
    # kernels are replaced by a stub that fails, so the check must refuse before any work
    from aligntheory.config import configure
    from aligntheory.errors import SizeCapError
    from aligntheory.kernels import safety_multiplier as K

    configure()

    def boom(*a, **k):
        raise AssertionError("the size cap was not checked before the work")

    monkeypatch.setattr(K, "_means_grid", boom)
    monkeypatch.setattr(K, "_pid_sweep", boom)
    assert K.MAX_SWEEP_ENTRIES == 10**8
    costs = np.zeros((2, 250, 1))  # S = 2 seeds, R = 250 rollouts, B = 1
    with pytest.raises(SizeCapError):
        K.pid_multiplier_sweep(costs, np.zeros(10), np.ones(10), np.ones(10), [1, 2], updates_per_rollout=101)


def test_dual_ascent_default_step_cap_is_one_hundred_thousand():
    # kills MAX_STEPS = 100_000 -> 100001: the default cap on n_steps of dual_ascent (a public constant) refuses
    # 100 001 steps before any work
    from aligntheory.errors import SizeCapError
    from aligntheory.theory.safety import dual_ascent
    from aligntheory.theory.safety._ascent import MAX_STEPS

    assert MAX_STEPS == 10**5
    with pytest.raises(SizeCapError):
        dual_ascent([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 1.0, 0.5, step=4.0, n_steps=10**5 + 1)


def test_pid_multiplier_stability_defaults_are_the_trainers_window():
    # kills the default window = 128 -> 129 of pid_multiplier_stability: its window and batch size describe the same
    # trainer as lagrangian_multiplier_trajectory, whose default window (read from its signature) it must share
    import inspect

    from aligntheory.theory.safety import lagrangian_multiplier_trajectory, pid_multiplier_stability

    w = inspect.signature(lagrangian_multiplier_trajectory).parameters["window"].default
    a = pid_multiplier_stability(0.7, 0.2, 0.05)
    b = pid_multiplier_stability(0.7, 0.2, 0.05, window=w, batch_size=w)
    assert a.spectral_radius == b.spectral_radius and a.stable == b.stable
    assert pid_multiplier_stability(0.7, 0.2, 0.05, window=w + 1, batch_size=w).spectral_radius != a.spectral_radius


def test_fit_cost_model_with_a_strong_ridge_matches_a_second_optimiser():
    # kills `+ ridge * eye` -> `- ridge * eye` in the Newton Hessian of fit_cost_model: the fit must reach the
    # minimiser of cost_nll(c) + ridge/2 |c|^2 (the gradient's `+ ridge * c`), found here by scipy's BFGS
    from scipy.optimize import minimize

    from aligntheory.config import configure
    from aligntheory.kernels.safety import fit_cost_model
    from aligntheory.theory.safety import cost_nll

    configure()
    pairs = np.array([[0, 1], [1, 2], [2, 0], [0, 2], [1, 0], [2, 1], [0, 1]])
    harm = np.array([True, True, False, True, False, True, True])
    unsafe = np.array([[True, False], [True, False], [False, True], [True, False], [False, False], [True, True],
                       [False, False]])
    ridge = 5.0
    fit = fit_cost_model(pairs, harm, unsafe, 3, ridge=ridge)
    ref = minimize(lambda c: cost_nll(c, pairs, harm, unsafe) + 0.5 * ridge * float(c @ c), np.zeros(3),
                   method="BFGS", options={"gtol": 1e-10})
    np.testing.assert_allclose(np.asarray(fit.scores), ref.x, rtol=0, atol=1e-6)


def test_fit_cost_model_caps_newton_steps_at_ten_thousand():
    # kills `hi=10**4` -> `10**5` for newton_steps of fit_cost_model
    from aligntheory.config import configure
    from aligntheory.errors import InvalidInputError
    from aligntheory.kernels.safety import fit_cost_model

    configure()
    pairs, harm, unsafe = np.array([[0, 1]]), np.array([True]), np.array([[True, False]])
    with pytest.raises(InvalidInputError) as exc:
        fit_cost_model(pairs, harm, unsafe, 2, newton_steps=10**4 + 1)
    assert exc.value.argument == "newton_steps"


def test_pid_multiplier_sweep_refuses_window_gathers_over_the_cap_before_any_work(monkeypatch):
    # kills any `*` -> `/` in the gathered-entries product S nW R W_max of pid_multiplier_sweep: every factor is >= 2
    # and the product 2 * 2 * 5001 * 5001 = 1.0004e8 is just over MAX_SWEEP_ENTRIES = 1e8 (the output, 2 * 2 * 5001
    # entries, is far under it); the kernels are stubs that fail, so the check must refuse before any work
    from aligntheory.config import configure
    from aligntheory.errors import SizeCapError
    from aligntheory.kernels import safety_multiplier as K

    configure()

    def boom(*a, **k):
        raise AssertionError("the size cap was not checked before the work")

    monkeypatch.setattr(K, "_means_grid", boom)
    monkeypatch.setattr(K, "_pid_sweep", boom)
    with pytest.raises(SizeCapError):
        K.pid_multiplier_sweep(np.zeros((2, 5001, 1)), [0.0], [1.0], [1.0], [2, 5001])


def test_optimal_multiplier_batched_stops_after_n_bisect_steps():
    # kills `it + 1` -> `it + 0` in the bisection loop of optimal_multiplier_batched (n_bisect would never bind):
    # after 3 steps the answer is the midpoint of a bracket of width hi / 8, where hi is the doubled upper end (a
    # power of two >= lambda*), so it is within hi / 16 of the converged value, and in general not equal to it
    from aligntheory.config import configure
    from aligntheory.kernels.safety import optimal_multiplier_batched

    configure()
    ref = np.array([[0.25, 0.25, 0.5]])
    reward, cost = np.array([[0.0, 1.0, 2.0]]), np.array([[0.0, 1.0, 2.0]])
    budgets = np.array([0.7])
    full = float(np.asarray(optimal_multiplier_batched(ref, reward, cost, 1.0, budgets))[0])
    three = float(np.asarray(optimal_multiplier_batched(ref, reward, cost, 1.0, budgets, n_bisect=3))[0])
    hi = 2.0 ** np.ceil(np.log2(max(full, 1.0)))
    assert abs(three - full) <= hi / 16 and three != full


def test_pid_multiplier_trajectory_raises_when_the_multiplier_overflows():
    # kills the hard-coded `throw=True` -> `False` in pid_multiplier_trajectory (which has no throw argument): an
    # overflowing multiplier must raise, not come back as a flagged trajectory
    from aligntheory.errors import PrecisionError
    from aligntheory.theory.safety import pid_multiplier_trajectory

    with pytest.raises(PrecisionError):
        pid_multiplier_trajectory([[1e300], [1e300], [1e300]], 0.0, kp=1e10, ki=1e10)


def test_optimal_multiplier_with_a_slack_budget_is_inactive_and_feasible():
    # kills `MultiplierSolution(0.0, False, True, ...)` -> `(0.0, False, False, ...)` in the slack-budget branch of
    # optimal_multiplier: with E_ref[c] = 0.5 <= budget 0.9 the constraint is inactive, lambda* = 0, and the
    # problem is feasible (the reference policy itself meets the budget)
    from aligntheory.theory.safety import optimal_multiplier

    sol = optimal_multiplier([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], beta=1.0, budget=0.9)
    assert sol.lam == 0.0 and not sol.active and sol.feasible and not sol.boundary


def test_lagrangian_multiplier_sweep_checks_sizes_and_updates_before_any_work(monkeypatch):
    # kills any `*` -> `/` in the output-size product S nW nD nL R U of lagrangian_multiplier_sweep (every factor
    # >= 2, product 2 * 2 * 10 * 10 * 2500 * 101 = 1.01e8 > MAX_SWEEP_ENTRIES = 1e8) and `updates_per_rollout` lo=1 -> 0;
    # the kernels are stubs that fail, so both checks must refuse before any work
    from aligntheory.config import configure
    from aligntheory.errors import InvalidInputError, SizeCapError
    from aligntheory.kernels import safety_multiplier as K

    configure()

    def boom(*a, **k):
        raise AssertionError("the input was not checked before the work")

    monkeypatch.setattr(K, "_means_grid", boom)
    monkeypatch.setattr(K, "_sweep", boom)
    costs = np.zeros((2, 2500, 1))
    with pytest.raises(SizeCapError):
        K.lagrangian_multiplier_sweep(costs, np.zeros(10), np.ones(10), [1, 2], updates_per_rollout=101)
    with pytest.raises(InvalidInputError) as exc:
        K.lagrangian_multiplier_sweep(costs, [0.0], [0.5], [2], updates_per_rollout=0)
    assert exc.value.argument == "updates_per_rollout"

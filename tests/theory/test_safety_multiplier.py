"""Safe RLHF multiplier update as the trainer runs it, PID variant, closed loop and linear stability (issue 15 item 2).

Expected values are written by hand (a few steps of the update computed in the test) or come from
closed forms (B-T4 root 1 - a, 2x2 characteristic polynomials).
"""

import math

import numpy as np
import pytest

from aligntheory.errors import InvalidInputError, PrecisionError, SizeCapError
from aligntheory.results import RESULTS
from aligntheory.theory.safety._lagrangian import (
    lagrangian_multiplier_trajectory,
    multiplier_closed_loop,
    pid_multiplier_trajectory,
)
from aligntheory.theory.safety._stability import log_multiplier_stability, pid_multiplier_stability, window_weights


def test_hand_computed_log_trajectory_with_window_delay_and_clip():
    # window 3 samples, batches of 2, threshold 1, lr 0.5, delay 1, lambda_max 2, two updates per rollout
    costs = [[2.0, 4.0], [0.0, 3.0], [1.0, 1.0]]
    t = lagrangian_multiplier_trajectory(costs, 1.0, lambda_init=1.0, lambda_lr=0.5, lambda_max=2.0,
                                         delay_steps=1, window=3, updates_per_rollout=2)
    # rollout 0: window {2,4}, mean 3. step 0 skipped (delay): u = 0. step 1: u = 0 + 0.5*2*1 = 1 -> clip log 2
    # rollout 1: window {4,0,3}, mean 7/3. step 2: u = log2 + 0.5*(4/3)*2 = log2 + 4/3 -> clip log 2; step 3 same
    # rollout 2: window {3,1,1}, mean 5/3. steps 4,5: clipped at log 2 again
    u = [0.0, min(1.0, math.log(2))]
    u += [min(u[-1] + 0.5 * (4 / 3) * 2, math.log(2))] * 2
    u += [min(u[-1] + 0.5 * (2 / 3) * 2, math.log(2))] * 2
    np.testing.assert_allclose(t.lambdas, np.exp(u), rtol=1e-15)
    np.testing.assert_allclose(t.window_means, [3, 3, 7 / 3, 7 / 3, 5 / 3, 5 / 3], rtol=1e-15)
    assert t.updated.tolist() == [False, True, True, True, True, True]
    assert t.steps.tolist() == list(range(6))


def test_hand_computed_log_trajectory_no_clip_decreasing():
    costs = [[0.0], [0.0], [0.5], [2.0]]
    t = lagrangian_multiplier_trajectory(costs, 1.0, lambda_init=2.0, lambda_lr=0.25, window=2)
    u = math.log(2.0)
    expect = []
    for jbar in [0.0, 0.0, 0.25, 1.25]:  # means of the last 2 samples
        u = u + 0.25 * (jbar - 1.0) * math.exp(u)
        expect.append(math.exp(u))
    # first step by hand: log 2 - 0.25*2 = 0.19315 -> 1.21306
    assert expect[0] == pytest.approx(math.exp(math.log(2) - 0.5), rel=1e-15, abs=0.0)
    np.testing.assert_allclose(t.lambdas, expect, rtol=1e-14)
    assert np.all(t.lambdas > 0)  # no lower clip, never 0


def test_ragged_batches_and_defaults():
    t = lagrangian_multiplier_trajectory([[1.0], [1.0, 1.0, 1.0]])  # threshold 0, lr 0.1, init 1
    u1 = 0.1
    u2 = u1 + 0.1 * math.exp(u1)
    np.testing.assert_allclose(t.lambdas, np.exp([u1, u2]), rtol=1e-15)


def test_hand_computed_pid():
    costs = [[3.0], [2.0], [0.0], [0.0]]
    t = pid_multiplier_trajectory(costs, 1.0, kp=0.5, ki=0.25, kd=1.0, window=1)
    # step0: D=2, deriv 0 (first), I=2, lam=1+0.5=1.5
    # step1: D=1, deriv (2-3)+=0, I=3, lam=0.5+0.75=1.25
    # step2: D=-1, deriv 0, I=2, lam=-0.5+0.5=0
    # step3: D=-1, deriv 0, I=1, lam=(-0.5+0.25)+ = 0
    assert t.lambdas.tolist() == [1.5, 1.25, 0.0, 0.0]
    t2 = pid_multiplier_trajectory([[0.0], [2.0]], 1.0, kp=0.0, ki=0.0, kd=1.0, window=1)
    assert t2.lambdas.tolist() == [0.0, 2.0]  # derivative (2 - 0)+ at step 1


def test_pid_integral_only_is_projected_ascent():
    rng = np.random.default_rng(3)
    costs = rng.normal(size=(30, 4))
    t = pid_multiplier_trajectory(costs, 0.1, ki=0.3, integral_init=2.0, window=6)
    lam, out = 0.6, []
    buf = []
    for row in costs:
        buf = (buf + list(row))[-6:]
        lam = max(0.0, lam + 0.3 * (np.mean(buf) - 0.1))
        out.append(lam)
    np.testing.assert_allclose(t.lambdas, out, rtol=1e-12, atol=1e-14)


def test_overflow_flagged_or_raised():
    costs = np.ones((200, 1))
    with pytest.raises(PrecisionError):
        lagrangian_multiplier_trajectory(costs, 0.0, lambda_lr=5.0)
    t = lagrangian_multiplier_trajectory(costs, 0.0, lambda_lr=5.0, throw=False)
    assert t.result is RESULTS.nonfinite and np.isinf(t.lambdas[-1])
    t = lagrangian_multiplier_trajectory(costs, 0.0, lambda_lr=5.0, lambda_max=5.0)
    assert t.final == pytest.approx(5.0, rel=1e-15, abs=0.0)


@pytest.mark.parametrize("kw, arg", [
    ({"lambda_init": 0.0}, "lambda_init"), ({"lambda_lr": -1.0}, "lambda_lr"), ({"lambda_max": 0.0}, "lambda_max"),
    ({"window": 0}, "window"), ({"delay_steps": -1}, "delay_steps"), ({"updates_per_rollout": 0}, "updates_per_rollout"),
])
def test_bad_keywords(kw, arg):
    with pytest.raises(InvalidInputError, match=arg):
        lagrangian_multiplier_trajectory([[1.0]], 0.0, **kw)


@pytest.mark.parametrize("costs", [[[1.0, np.nan]], [[]], "abc", [[[1.0]]], 3.0])
def test_bad_costs(costs):
    with pytest.raises(InvalidInputError, match="episode_costs"):
        lagrangian_multiplier_trajectory(costs, 0.0)


def test_size_cap():
    with pytest.raises(SizeCapError):
        lagrangian_multiplier_trajectory([np.zeros(1)] * 10, 0.0, updates_per_rollout=10**8)


def test_window_weights():
    assert window_weights(5, 2).tolist() == [0.4, 0.4, 0.2]
    assert window_weights(3, 8).tolist() == [1.0]
    assert window_weights(128, 32).tolist() == [0.25] * 4


@pytest.mark.parametrize("a", [0.3, 0.9, 1.5, 1.99, 2.5])
def test_single_rollout_window_root_is_one_minus_a(a):
    # spec B-T4: with one rollout in the window the linearised map is e -> (1 - a) e
    lam, kappa = 0.7, 1.3
    s = log_multiplier_stability(lam, kappa, a / (lam * lam * kappa), window=16, batch_size=16)
    assert s.spectral_radius == pytest.approx(abs(1 - a), abs=1e-12)
    assert s.stable == (a < 2) and s.oscillatory == (a > 1)


def test_two_rollout_window_closed_form():
    # w = (1/2, 1/2): z^2 - (1 - a/2) z + a/2 = 0; complex roots of modulus sqrt(a/2) when discriminant < 0
    a = 1.0
    s = log_multiplier_stability(1.0, 1.0, a, window=2, batch_size=1)
    assert s.spectral_radius == pytest.approx(math.sqrt(a / 2), rel=1e-12, abs=0.0)
    assert s.oscillatory
    s = log_multiplier_stability(1.0, 1.0, 4.0, window=2, batch_size=1)  # a/2 = 2 > 1: unstable
    assert not s.stable


def test_pid_stability_closed_form():
    # one rollout in the window: z^2 - (1 - (kp+ki) k) z - kp k = 0
    kappa, kp, ki = 0.8, 0.25, 0.5
    s = pid_multiplier_stability(kappa, kp, ki, window=1, batch_size=1)
    roots = np.roots([1.0, -(1 - (kp + ki) * kappa), -kp * kappa])
    assert s.spectral_radius == pytest.approx(np.abs(roots).max(), rel=1e-12, abs=0.0)
    same = log_multiplier_stability(2.0, kappa, ki / 4, window=4, batch_size=1)
    assert pid_multiplier_stability(kappa, 0.0, ki, window=4, batch_size=1).spectral_radius == pytest.approx(
        same.spectral_radius, rel=1e-12, abs=0.0)


def test_closed_loop_converges_to_constrained_optimum():
    from aligntheory.theory.safety import optimal_multiplier

    ref, r, c, beta = [0.2, 0.3, 0.5], [1.0, 0.0, -0.5], [1.0, 0.2, -0.3], 0.7
    d = 0.1
    lam_star = optimal_multiplier(ref, r, c, beta, d).lam
    t = multiplier_closed_loop(ref, r, c, beta, d, 600, batch_size=4, window=8, lambda_lr=0.5)
    assert t.final == pytest.approx(lam_star, rel=1e-10, abs=0.0)
    t = multiplier_closed_loop(ref, r, c, beta, d, 3000, batch_size=4, window=8, rule="pid", ki=0.2,
                               kp=0.1, integral_init=1.0)
    assert t.final == pytest.approx(lam_star, rel=1e-10, abs=0.0)
    s = multiplier_closed_loop(ref, r, c, beta, d, 5, batch_size=3, rng=np.random.default_rng(0))
    assert s.lambdas.shape == (5,) and np.all(np.isfinite(s.lambdas))


def test_closed_loop_bad_rule():
    with pytest.raises(InvalidInputError, match="rule"):
        multiplier_closed_loop([1.0], [0.0], [0.0], 1.0, 0.0, 3, rule="pd")

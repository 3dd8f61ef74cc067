"""Session 11 of issue 11: tests for behaviour the eighth fresh mutation sample showed no test pinned.

Each expected value comes from a closed form written here, not from the library.
"""

import math

import numpy as np
import pytest

from aligntheory.theory.safety import cvx_reference_solution


def _lse(x):
    m = max(x)
    return m + math.log(sum(math.exp(v - m) for v in x))


@pytest.mark.parametrize("normalise", [False, True])
def test_cvx_reference_lagrangian_value_is_the_log_partition_plus_lambda_budget(normalise):
    # at fixed lambda the maximum over policies of E_pi[r'] - beta KL(pi || ref) is
    # beta * log sum_y ref_y exp(r'_y / beta) (Donsker-Varadhan), r' = (r - lam c) / (1 + lam if normalise else 1);
    # the Lagrangian adds lam * budget (fresh sample 8 survivor ff8e5ffed8 wrote lam / budget)
    ref, r, c, beta, lam = [0.2, 0.3, 0.5], [1.0, 0.0, 2.0], [0.5, 0.0, 1.5], 0.7, 0.4
    div = (1.0 + lam) if normalise else 1.0
    free = beta * _lse([math.log(p) + (ri - lam * ci) / div / beta for p, ri, ci in zip(ref, r, c)])
    for budget in (None, 0.25, 2.0):
        s = cvx_reference_solution(ref, r, c, beta, budget, lam=lam, normalise=normalise)
        want = free + (lam * budget if budget is not None else 0.0)
        assert math.isclose(s.value, want, rel_tol=1e-7, abs_tol=1e-8), (budget, s.value, want)
        tilt = np.array(ref) * np.exp((np.array(r) - lam * np.array(c)) / div / beta)
        np.testing.assert_allclose(s.policy, tilt / tilt.sum(), atol=1e-7)


def test_fit_scoring_vector_raises_on_a_solver_failure_by_default(monkeypatch):
    # documented: throw=True by default (a solver failure raises ConvergenceError with its result); throw=False
    # flags it (fresh sample 8 survivor 3fe4806a62 flipped the default)
    cp = pytest.importorskip("cvxpy")
    from aligntheory.errors import ConvergenceError
    from aligntheory.results import RESULTS
    from aligntheory.theory.social_choice import fit_scoring_vector

    def broken(self, *a, **k):
        raise cp.error.SolverError("simulated failure")

    monkeypatch.setattr(cp.Problem, "solve", broken)
    args = ([[[0, 1, 2]], [[1, 2, 0], [2, 1, 0]]], [0, 1])
    with pytest.raises(ConvergenceError, match="simulated failure") as ei:
        fit_scoring_vector(*args)
    assert ei.value.result is RESULTS.breakdown
    fit = fit_scoring_vector(*args, throw=False)
    assert (fit.feasible, fit.status, fit.result) == (False, "solver_error", RESULTS.breakdown)



@pytest.mark.parametrize("ki, i0", [(0.1, 0.0), (0.1, 2.0), (0.5, 0.5)])
def test_pid_closed_loop_starts_at_ki_times_the_integral_and_steps_by_the_window_mean(ki, i0):
    # integral PID (kp = kd = 0), window 1, expected costs: lambda_0 = ki * I_0 and
    # lambda_{r+1} = ki * (I_0 + sum_{j <= r} (C(lambda_j) - d)), with C(lam) = 1 / (1 + e^lam) for
    # ref (1/2, 1/2), reward 0, cost (0, 1), beta 1 (fresh sample 8 survivor 6a1f3e74aa started at max(1, ki I_0))
    from aligntheory.theory.safety import multiplier_closed_loop

    d = 0.25
    t = multiplier_closed_loop([0.5, 0.5], [0.0, 0.0], [0.0, 1.0], 1.0, d, 4, rule="pid", ki=ki, integral_init=i0,
                               window=1)
    lam, integral, want = ki * i0, i0, []
    for _ in range(4):
        integral += 1.0 / (1.0 + math.exp(lam)) - d
        lam = ki * integral
        want.append(lam)
    assert t.lambda_init == ki * i0
    np.testing.assert_allclose(t.lambdas, want, rtol=1e-13)


@pytest.mark.parametrize("k, m", [(1, 2), (2, 3), (3, 3), (2, 4)])
def test_representative_full_encoding_cap_is_the_built_variable_count(k, m):
    # documented cost m(m-1)((1 + m!)^k - 1) variables: the instance built at that cap has exactly that many, and
    # one below it is refused with that exact cost (fresh sample 8 survivor 6bff091064 wrote ... + 1 in the count)
    from aligntheory.errors import SizeCapError
    from aligntheory.theory.social_choice import representative_instance

    want = m * (m - 1) * ((1 + math.factorial(m)) ** k - 1)
    assert representative_instance(k, m, encoding="full", max_variables=want).n_variables == want
    with pytest.raises(SizeCapError) as ei:
        representative_instance(k, m, encoding="full", max_variables=want - 1)
    assert ei.value.cost == want


def test_log_size_check_reports_exact_costs_below_2_to_the_64_and_trusts_the_exact_count():
    # a refusal used to report round(2.0 ** estimate) up to 2^256: 2^50 profiles read 1125899906842607 (the float's
    # digits); fresh sample 8 survivor 6a6a02c53e moved that threshold unseen
    from aligntheory.errors import SizeCapError
    from aligntheory.theory.social_choice import all_profiles
    from aligntheory.theory.social_choice._caps import check_log_size

    for n in (50, 63):
        with pytest.raises(SizeCapError) as ei:
            list(all_profiles(n, 2, max_profiles=1))
        assert type(ei.value.cost) is int and ei.value.cost == 2**n
    with pytest.raises(SizeCapError) as ei:
        list(all_profiles(65, 2, max_profiles=1))
    assert ei.value.cost == "about 2^65"
    # an estimate far above the cap but below 2^64 defers to the exact count, which decides
    assert check_log_size("x", 40.0, lambda: 1000, cap=1000, unit="u") == 1000
    with pytest.raises(SizeCapError) as ei:
        check_log_size("x", 40.0, lambda: 1001, cap=1000, unit="u")
    assert ei.value.cost == 1001
    with pytest.raises(SizeCapError) as ei:  # above 2^64 the exact count is never formed
        check_log_size("x", 64.5, lambda: pytest.fail("formed the count"), cap=1000, unit="u")
    assert ei.value.cost == "about 2^64.5"

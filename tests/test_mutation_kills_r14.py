"""Tests aimed at survivors of the ninth fresh mutation sample (session 14, ``docs/mutation-report/fresh-r11``).

Each test names its mutant id; each was checked to fail with that mutation applied to a scratch copy of the
tree. These are in-sample kills: they pin what the sample showed unpinned, and are no estimate of the kill rate.
Expected values come from an independent route: exact rationals, a plain loop, or a closed form written here.
"""

from __future__ import annotations

from fractions import Fraction

import jax
import numpy as np
import pytest

jax.config.update("jax_enable_x64", True)

from aligntheory.errors import SizeCapError  # noqa: E402


def test_cross_term_a_keeps_relative_precision_when_both_laws_are_near_p_p():
    # f833a62369: (P_t - P_p) -> (P_t + P_p) in cross_term_A. On exact probability vectors the two forms agree (the
    # extra sum of P_a - P_p is 0), so the mutant shows only in precision: near P_p, A ~ 1e-23 while the mutant's
    # extra sum is float rounding of order 1e-16. Expected: the documented form in exact rationals over the floats
    from aligntheory.theory.elasticity import cross_term_A

    e = 3e-12
    pp, pa, pt = [0.3, 0.7], [0.3 + e, 0.7 - e], [0.3 - 2 * e / 3, 0.7 + 2 * e / 3]
    exact = sum((Fraction(a) - Fraction(p)) * (Fraction(t) - Fraction(p)) / Fraction(p) for p, a, t in zip(pp, pa, pt))
    assert float(exact) < 0
    assert cross_term_A(pp, pa, pt) == pytest.approx(float(exact), rel=1e-12, abs=0.0)


def test_cross_term_a_at_a_generic_point_is_the_exact_covariance():
    from aligntheory.theory.elasticity import cross_term_A

    pp, pa, pt = [0.5, 0.25, 0.25], [0.125, 0.625, 0.25], [0.375, 0.125, 0.5]
    exact = sum(Fraction(a) * Fraction(t) / Fraction(p) for p, a, t in zip(pp, pa, pt)) - 1
    assert cross_term_A(pp, pa, pt) == pytest.approx(float(exact), rel=1e-15, abs=1e-16)
    # A = chi^2(P_a || P_p) when P_t = P_a
    chi2 = sum((Fraction(a) - Fraction(p)) ** 2 / Fraction(p) for p, a in zip(pp, pa))
    assert cross_term_A(pp, pa, pa) == pytest.approx(float(chi2), rel=1e-15, abs=0.0)


def test_scoring_winners_separates_scores_one_apart_above_two_to_the_53():
    # 04d74f05bc: the float route's guard n * max|s| <= 2**53 -> 2**54. With s = (2**53, 1, 0) and two voters the
    # exact scores are 2**53, 2**53 + 1 and 1; in float64 2**53 + 1 rounds to 2**53 and candidates 0 and 1 tie
    from aligntheory.theory.social_choice import scoring_winners

    assert scoring_winners([[0, 1, 2], [1, 2, 0]], [2.0**53, 1.0, 0.0]) == (1,)
    assert scoring_winners([[0, 1, 2], [1, 2, 0]], [2.0**52, 1.0, 0.0]) == (1,)  # the float route, exact here


def test_coevolution_batched_size_cap_counts_time_steps_times_dimensions():
    # eba99fd706: G * n_seeds * T * d -> G * n_seeds * T * T. Progress (T = 3, d = 5): 2 * 1 * 15 = 30 entries
    from aligntheory.kernels.progress import simulate_coevolution_batched

    key, al, ka, prog = jax.random.PRNGKey(0), np.array([0.2, 0.5]), np.array([0.3, 0.1]), np.ones((3, 5))
    out = simulate_coevolution_batched(key, al, ka, 0.0, prog, 0.0, 1, max_entries=30)
    assert out.shape == (2, 1, 3, 5)
    with pytest.raises(SizeCapError):
        simulate_coevolution_batched(key, al, ka, 0.0, prog, 0.0, 1, max_entries=29)


def test_stable_derivatives_batched_refuses_a_subnormal_mixture_made_of_p_a_alone():
    # 53d923a7cf: u_min = P_p k_min + P_a + l_min P_t -> P_p k_min - P_a + ...: with P_p = 0 and l = 0 on a leaf the
    # mixture mass there is P_a alone; 1e-310 (subnormal, below 4 * tiny) must raise, 1e-300 is representable
    from aligntheory.errors import PrecisionError
    from aligntheory.kernels.elasticity import stable_derivatives_batched

    pp, pt, ks, ls = np.array([0.0, 1.0]), np.array([0.5, 0.5]), np.array([1.0]), np.array([0.0])
    with pytest.raises(PrecisionError, match="leaf 0"):
        stable_derivatives_batched(pp, np.array([1e-310, 1.0 - 1e-310]), pt, ks, ls)
    out = stable_derivatives_batched(pp, np.array([1e-300, 1.0 - 1e-300]), pt, ks, ls)
    # the representable case: finite derivatives (d_t is of order P_t / q at leaf 0, about 1e299)
    assert np.all(np.isfinite(np.asarray(out.d_t)))


def test_effective_resistance_pairs_by_lu_reports_zero_iterations_and_the_series_law():
    # f5c0dca628: the LU route's iteration count 0 -> 1 (documented: "0 for the LU"); values by the series law
    from aligntheory.numerics import effective_resistance_pairs

    res = effective_resistance_pairs(4, [[0, 1], [1, 2], [2, 3]], [[0, 3], [1, 2]], conductances=[1.0, 0.5, 0.25],
                                     method="splu")
    assert res.iterations == 0
    np.testing.assert_allclose(res.values, [1.0 + 2.0 + 4.0, 2.0], rtol=1e-14)


def test_bt_gradient_rounding_floor_counts_both_ends_of_each_pair():
    # 4e255a623d: the degrees d_i summed edges[:, 1] twice instead of both ends. The documented floor is
    # 16 * 2**-52 * beta * ||d||_2 with d_i = comparisons of item i plus the prior; on a star centred at item 0 the
    # centre's degree is the sum of all counts, which the mutant drops. Degrees by a plain loop here.
    from aligntheory.numerics._bt_fit import _rounding_floor

    edges, K, prior, beta = np.array([[0, 1], [0, 2], [0, 3], [1, 3]]), np.array([5.0, 7.0, 11.0, 2.0]), 0.5, 1.5
    deg = [prior] * 4
    for (u, v), k in zip(edges.tolist(), K.tolist()):
        deg[u] += k
        deg[v] += k
    want = 16.0 * 2.0**-52 * beta * float(np.sqrt(sum(x * x for x in deg)))
    assert _rounding_floor(4, edges, K, prior, beta) == pytest.approx(want, rel=1e-14, abs=0.0)


def test_dense_resistance_names_the_disconnected_graph_of_a_batch_only_for_a_batch():
    # f078e70fde: `if h.ndim == 3` -> `!= 3` for the "(graph g of the batch)" part of the DisconnectedGraphError
    from aligntheory.errors import DisconnectedGraphError
    from aligntheory.kernels.ibn import reff_dense_cholesky

    path = np.array([[1.0, -1.0, 0.0], [-1.0, 2.0, -1.0], [0.0, -1.0, 1.0]])
    split = np.array([[1.0, -1.0, 0.0], [-1.0, 1.0, 0.0], [0.0, 0.0, 0.0]])  # node 2 isolated
    with pytest.raises(DisconnectedGraphError, match=r"\(graph 1 of the batch\)"):
        reff_dense_cholesky(np.stack([path, split]))
    with pytest.raises(DisconnectedGraphError) as err:
        reff_dense_cholesky(split)
    assert "of the batch" not in str(err.value)
    # the connected graph's resistances by the series law: R_01 = R_12 = 1, R_02 = 2
    np.testing.assert_allclose(np.asarray(reff_dense_cholesky(path)), [[0, 1, 2], [1, 0, 1], [2, 1, 0]], atol=1e-14)


def test_voting_kernels_count_exactly_up_to_int32_max_voters_and_refuse_one_more():
    # ccb8c18a2e: the exact-count limit 2**31 - 1 -> 2**31 (with x64): 2**31 voters overflow the int32 tallies
    from aligntheory.errors import PrecisionError
    from aligntheory.kernels.social_choice import position_counts_batched

    p = np.array([[[0, 1, 2], [2, 1, 0]]])
    a, b = 2**30, 2**30 - 1  # total 2**31 - 1
    got = np.asarray(position_counts_batched(p, counts=np.array([[a, b]])))
    # by hand: candidate 0 is first for a voters and last for b; candidate 1 is second for all a + b
    assert got.tolist() == [[[a, 0, b], [0, a + b, 0], [b, 0, a]]]
    with pytest.raises(PrecisionError, match="2147483648"):
        position_counts_batched(p, counts=np.array([[a, a]]))


@pytest.mark.parametrize("fitter", ["fit_bt_newton", "fit_bt_newman"])
def test_bt_kernel_fitters_under_jit_return_the_mle(fitter):
    # 7c03ae41c6: _no_mle's "traced input: cannot check, go on" (False) -> True, which made every jitted fit
    # return NaN scores flagged disconnected. Expected: the likelihood's stationarity, written out here
    import aligntheory.kernels.ibn as KI

    fit = getattr(KI, fitter)
    e, w, K = np.array([[0, 1], [1, 2], [0, 2]]), np.array([3.0, 2.0, 1.0]), np.array([4.0, 4.0, 4.0])
    s = np.asarray(jax.jit(lambda ww: fit(3, e, ww, K, 1.0).scores)(w))
    assert np.all(np.isfinite(s))
    grad = np.zeros(3)
    for (u, v), wi, ki in zip(e.tolist(), w.tolist(), K.tolist()):
        g = wi - ki / (1.0 + np.exp(-(s[u] - s[v])))
        grad[u] += g
        grad[v] -= g
    assert np.max(np.abs(grad)) < 1e-8
    np.testing.assert_allclose(s, np.asarray(fit(3, e, w, K, 1.0).scores), rtol=0, atol=1e-9)


@pytest.mark.parametrize("kind", ["cycle", "path"])
def test_closed_form_reff_refuses_a_fractional_hop_distance(kind):
    # 396ea020f0: the hop distance k checked with integer=True -> integer=False (k = 5/2 accepted)
    from aligntheory.errors import InvalidInputError
    from aligntheory.theory.ibn import closed_form_reff

    with pytest.raises(InvalidInputError, match="integer") as err:
        closed_form_reff(kind, N=5, c=1, k=2.5)
    assert err.value.argument == "k"
    # accepted integers: path k/c, cycle k (N - k) / (N c), by hand
    assert closed_form_reff(kind, N=5, c=1, k=2) == (2 if kind == "path" else pytest.approx(2 * 3 / 5, rel=1e-6, abs=0.0))


def test_safety_analysis_frontier_runs_from_binding_budgets_to_the_unconstrained_policy():
    # 50248ef2d0: the frontier's lowest budget min c + 0.02 ptp(c) -> min c + 1.02 ptp(c), above every harm, so the
    # budgets ran backwards and no budget bound. Expected from the KKT conditions: where lambda > 0 the harm equals
    # the budget (complementary slackness); the budgets rise from near the least harmful response past the
    # uniform reference's harm mean(c), where the constraint no longer binds (lambda = 0)
    import json
    from pathlib import Path

    import aligntheory
    from aligntheory.analysis.safety import analyse_safety_preferences

    path = Path(aligntheory.__file__).parent / "data" / "example_safety_preferences.jsonl"
    out = analyse_safety_preferences([json.loads(line) for line in path.read_text().splitlines() if line.strip()])
    c = np.asarray(out["fit"]["cost"])
    fr = {k: np.asarray(v) for k, v in out["frontier"].items() if k != "beta"}
    b, lam, harm = fr["budgets"], fr["lambda"], fr["harm"]
    assert np.all(np.diff(b) > 0)
    assert c.min() < b[0] < c.mean() < b[-1] <= c.max()
    assert lam[0] > 0 and lam[-1] == 0
    binding = lam > 0
    np.testing.assert_allclose(harm[binding], b[binding], rtol=1e-9, atol=1e-12)
    assert np.all(harm[~binding] <= b[~binding] + 1e-12)


def test_optimal_m_flags_a_failed_bounded_minimisation(monkeypatch):
    # 6d6d205374: `ok = res.success and isfinite(res.fun)` -> `or`: a minimiser that reports failure with a finite
    # value was taken as converged. Planted here by reporting failure from scipy's own (converged) result
    import scipy.optimize

    import aligntheory.theory.ibn as T
    from aligntheory.errors import ConvergenceError
    from aligntheory.results import RESULTS

    F5 = T.StructuralFunction("poly", 1.0, 0.5)
    best = T.optimal_M(1e3, F5, 0.0)
    assert not best.at_boundary  # the interior case (spec §3.4: M* = 338.7)
    real = scipy.optimize.minimize_scalar

    def failing(*a, **kw):
        res = real(*a, **kw)
        res.success, res.message = False, "planted failure"
        return res

    monkeypatch.setattr(scipy.optimize, "minimize_scalar", failing)
    with pytest.raises(ConvergenceError, match="planted failure"):
        T.optimal_M(1e3, F5, 0.0)
    flagged = T.optimal_M(1e3, F5, 0.0, throw=False)
    assert flagged.result is RESULTS.inaccurate
    # the best point of the 257-point grid in ln M over [ln 2, ln M_conn] is returned: within one grid step of the
    # optimum, and no cheaper than it
    step = (np.log(T.connectivity_granularity(1e3)) - np.log(2.0)) / 256
    assert abs(np.log(flagged.M_star) - np.log(best.M_star)) <= step
    assert flagged.cost >= best.cost


def test_safety_analysis_newton_stops_at_its_iteration_cap(monkeypatch):
    # 96e3a65cfd: the Newton loop's counter `it += 1` -> `it += 0`: the cap never bound. With the cap planted at
    # one iteration, a fit that needs more must raise ConvergenceError naming 1 iteration
    import json
    from pathlib import Path

    import aligntheory
    import aligntheory.analysis._safety_pku as PKU
    from aligntheory.analysis.safety import analyse_safety_preferences
    from aligntheory.errors import ConvergenceError

    path = Path(aligntheory.__file__).parent / "data" / "example_safety_preferences.jsonl"
    recs = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    analyse_safety_preferences(recs)  # converges with the default cap
    monkeypatch.setattr(PKU, "NEWTON_MAX_ITER", 1)
    with pytest.raises(ConvergenceError, match="did not converge in 1 iterations") as err:
        analyse_safety_preferences(recs)
    assert err.value.iterations == 1


def test_projected_ascent_bound_symbolic_form_matches_its_value():
    # 2131e87dc1: the sympy form (a - b)**2 / (2 eta k) -> (a - b)*2 / (2 eta k); value by hand: 1.5**2 / 1.5 = 1.5
    import sympy as sp

    from aligntheory.theory.safety import projected_ascent_bound

    b = projected_ascent_bound(3, 0.5, 2.0, 0.25)
    assert float(b) == 1.5
    expr = b.sympy()
    at = expr.subs({s: sp.nsimplify(b.subs[s.name]) for s in expr.free_symbols})
    assert at == sp.Rational(3, 2)


def test_mc_extrapolation_mse_refuses_a_non_finite_standard_error():
    # bc8324c0c9: `isfinite(mse) and isfinite(se)` -> `or`. With sigma = 1e100 the squared errors (~1e200) are
    # finite but their spread overflows, so the standard error is inf: refused, not returned
    from aligntheory.errors import PrecisionError
    from aligntheory.kernels.progress import mc_extrapolation_mse

    key, f = jax.random.PRNGKey(0), np.array([0.0, 1.0])
    with pytest.raises(PrecisionError, match="overflow"):
        mc_extrapolation_mse(key, f, 1e100, 1, 1, 100, target=2.0)
    ok = mc_extrapolation_mse(key, f, 1.0, 1, 1, 100, target=2.0)
    assert np.isfinite(float(ok.mse)) and np.isfinite(float(ok.stderr))


def test_fit_bradley_terry_refuses_fractional_ids_without_n_items():
    # 705bc316ea: in _encode, `arr.dtype.kind == "f"` -> `!=`: float ids were no longer checked to be integers
    from aligntheory.errors import InvalidInputError
    from aligntheory.numerics import fit_bradley_terry

    with pytest.raises(InvalidInputError, match="integers"):
        fit_bradley_terry(np.array([[0.0, 1.5], [1.5, 0.0]]))
    # NaN, inf and ids past 2**62 are refused before any int() of them (int(nan) would be a raw ValueError)
    for bad, match in ((np.nan, "integers"), (np.inf, "integers"), (1e300, "must lie in")):
        with pytest.raises(InvalidInputError, match=match) as err:
            fit_bradley_terry(np.array([[0.0, bad], [bad, 0.0]]))
        assert err.value.argument == "comparisons"
    # whole-number floats are ids: 0 beat 1 twice, 1 beat 0 once -> score gap ln 2 (MLE of a two-item BT)
    fit = fit_bradley_terry(np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 1.0]]))
    assert float(fit.scores[0] - fit.scores[1]) == pytest.approx(np.log(2.0), rel=1e-9, abs=0.0)

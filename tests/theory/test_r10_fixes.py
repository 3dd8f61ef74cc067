"""Library defects found in round 10 of issue 11, each with a test that failed before its fix."""

import math

import pytest

from aligntheory.errors import PrecisionError
from aligntheory.theory.progress import optimal_order


@pytest.mark.parametrize("sigma,scale", [(0.0, 1e200), (1e200, 1.0)])
def test_optimal_order_refuses_an_overflowing_exact_mse_with_precision_error(sigma, scale):
    # the exact MSE (f given) was formed in Python floats: (target - w @ f(t)) ** 2 and sigma ** 2 raised
    # OverflowError instead of the documented PrecisionError (found by helper gB)
    with pytest.raises(PrecisionError, match="float64 range"):
        optimal_order(1.0, sigma, [1.0, 1.0], 1, 0, f=lambda t: scale * t)


def test_optimal_order_exact_mse_unchanged_in_range():
    # f(t) = t^2 on the grid t_last = 0, h = 1: order 2 extrapolates a quadratic exactly (MSE = sigma^2 * gain)
    oc = optimal_order(1.0, 0.0, [2.0, 2.0, 2.0, 2.0, 2.0], 1, 3, f=lambda t: t * t)
    assert oc.exact_order == 2 and oc.exact_mse[2] == 0.0 and oc.exact_mse[0] == 1.0


def test_mc_delta_gamma_d_t_is_zero_when_p_t_lies_outside_the_other_supports():
    # d_t was 0 * gamma_t(0) = 0 * inf = NaN for every seed when P_t lives where P_p and P_a vanish; the docstring
    # says zeros (found by helper nE)
    pytest.importorskip("jax")
    import numpy as np

    from aligntheory.config import configure

    configure()
    import jax

    from aligntheory.kernels.elasticity import mc_delta_gamma

    Pp = np.r_[np.full(8, 1 / 8), np.zeros(8)]
    Pt = np.r_[np.zeros(8), np.full(8, 1 / 8)]
    r = mc_delta_gamma(jax.random.PRNGKey(0), Pp, Pp, Pt, 1e3, 4.0, 0.5, 4)
    assert np.asarray(r.d_t).tolist() == [0.0] * 4
    assert np.allclose(np.asarray(r.d_p), np.log1p(0.5 / 5.0), rtol=1e-12, atol=0)


def test_social_choice_bounds_key_subs_by_the_symbol_names_of_their_closed_forms():
    # Bound.subs holds "values of the symbols of expr": growth_deviation keyed log_Pi as 'log_growth' and the
    # sample sizes keyed epsilon as 'eps', so expr.evalf(subs={s: b.subs[s.name]}) failed (found by helper nS)
    from aligntheory.theory import social_choice as T

    for b in (T.growth_deviation(1000, 5.5, 0.07), T.finite_class_sample_size(0.1, 50, 0.05),
              T.erm_regret_sample_size(0.1, 50, 0.05)):
        expr = b.sympy()
        assert {s.name for s in expr.free_symbols} <= set(b.subs), (b.subs, expr.free_symbols)
        val = float(expr.evalf(30, subs={s: b.subs[s.name] for s in expr.free_symbols}))
        if b.quantity.startswith("sample size"):
            assert int(b) == math.ceil(val)  # the least integer N meeting the closed form
        else:
            assert val == pytest.approx(float(b), rel=1e-12, abs=0.0)


@pytest.mark.parametrize("case", ["dense_xla", "cholesky"])
def test_dense_resistance_kernels_refuse_instead_of_returning_nan(case):
    # both returned an all-NaN matrix and raised nothing (found by helper gC): a subnormal conductance under a
    # raised max_dynamic_range, and a Laplacian that is not positive semidefinite after symmetrisation
    pytest.importorskip("jax")
    import numpy as np

    from aligntheory.config import configure

    configure()
    from aligntheory.kernels.ibn import effective_resistance_dense, reff_dense_cholesky

    with pytest.raises(PrecisionError, match="non-finite"):
        if case == "dense_xla":
            effective_resistance_dense(3, [[0, 1], [1, 2]], conductances=[1e-250, 5e-324], method="xla",
                                       max_dynamic_range=1e308)
        else:
            reff_dense_cholesky(np.array([[1.0, -1.0, 0.0], [-1.0, 1.0, -1e-12], [0.0, 0.0, 0.0]]))


def test_tree_layout_states_the_exact_leaf_count_it_refuses():
    # the log pre-check reported "needs inf leaves" for every tree over the cap, even b**d = 4 (found by nI)
    pytest.importorskip("jax")
    from aligntheory.errors import SizeCapError
    from aligntheory.kernels.ibn import tree_layout

    with pytest.raises(SizeCapError, match="needs 4 leaves per tree"):
        tree_layout(40, 2, 2, max_entries=3)
    with pytest.raises(SizeCapError, match="needs inf leaves per tree"):  # 2**(10**9): not formed
        tree_layout(40, 2, 10**9, max_entries=100)

"""``mc_delta_gamma``'s sample sizes: before round 15, k N_a and l1 N_a were rounded silently, so a size that
rounded to 0 gave ``ratio = -inf`` with ``ratio_se = nan`` (k N_a = 0.1) or ``ratio = nan`` (l1 N_a = 0.1), and a
fractional N_a was drawn from as if it were a count. The sizes are now whole numbers >= 1 or refused."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from aligntheory.errors import InvalidInputError
from aligntheory.kernels.elasticity import _sampling as S
from aligntheory.kernels.elasticity import mc_delta_gamma

jax.config.update("jax_enable_x64", True)

KEY = jax.random.PRNGKey(0)
PP, PA, PT = [0.5, 0.5], [1.0, 0.0], [0.0, 1.0]


@pytest.mark.parametrize("Na, k, l1, arg", [
    (1000.0, 1e-4, 0.1, "k"),      # k N_a = 0.1: a zero-size pre-training sample (was ratio -inf, se nan)
    (1000.0, 10.0, 1e-4, "l1"),    # l1 N_a = 0.1: a zero-size fine-tuning sample (was ratio nan)
    (1000.5, 10.0, 0.1, "N_a"),    # a fractional count (was accepted)
    (1024.0, 0.1, 1.0, "k"),       # k N_a = 102.4
    (1024.0, 1.0, 0.1, "l1"),      # l1 N_a = 102.4
    (1000.0, 0.0015, 1.0, "k"),    # k N_a = 1.5: rounds to 2 under round(), still not a sample size
])
def test_sizes_that_are_not_whole_numbers_are_refused(Na, k, l1, arg):
    with pytest.raises(InvalidInputError, match=f"^{arg}:"):
        mc_delta_gamma(KEY, PP, PA, PT, Na, k, l1, 8)


def test_rounding_of_k_and_of_the_product_is_accepted():
    # 0.29 * 100 = 28.999999999999996 and 0.57 * 100 = 56.99999999999999 in float64; one ulp up, the products are
    # 29.000000000000004 and 57.00000000000001. Both pairs are the sizes 29 and 57, so the draws (same key) and the
    # results are identical; truncation instead of rounding would give 28 and 56 for the first pair only.
    up = lambda x: float(np.nextafter(x, 1.0))  # noqa: E731
    assert 0.29 * 100.0 < 29.0 < up(0.29) * 100.0 and 0.57 * 100.0 < 57.0 < up(0.57) * 100.0
    r = mc_delta_gamma(KEY, PP, PA, PT, 100.0, 0.29, 0.57, 8)
    r2 = mc_delta_gamma(KEY, PP, PA, PT, 100.0, up(0.29), up(0.57), 8)
    assert np.isfinite(r.ratio) and np.isfinite(r.ratio_se)
    np.testing.assert_array_equal(np.asarray(r.d_a), np.asarray(r2.d_a))
    np.testing.assert_array_equal(np.asarray(r.d_p), np.asarray(r2.d_p))


def test_an_undefined_ratio_is_refused_not_returned_as_inf(monkeypatch):
    # planted: every seed's d_p is 0 (the sampled fine-tuning data leave gamma_p unchanged), so -mean(d_a)/mean(d_p)
    # has no value; the host path raises instead of returning -inf with a NaN standard error
    real = S._mc_jit

    def zero_dp(*args):
        dp, da, dt = real(*args)
        return jnp.zeros_like(dp), da, dt

    monkeypatch.setattr(S, "_mc_jit", zero_dp)
    with pytest.raises(InvalidInputError, match="undefined"):
        mc_delta_gamma(KEY, PP, PA, PT, 1000.0, 10.0, 0.1, 8)

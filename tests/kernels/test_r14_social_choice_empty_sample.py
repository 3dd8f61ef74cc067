"""Empty samples (N = 0) in the social-choice kernels (session 14).

Before: ``empirical_welfare_batched`` on samples of zero pairs returned 0/0 = NaN for every policy, and
``scoring_erm`` returned policy 0 as if it had won; the theory (``empirical_welfare``, ``erm_choice``)
refuses N = 0. Both kernels now refuse it too, naming ``sample_idx``, also under ``jit`` (the shape is static).
"""

from __future__ import annotations

import jax
import numpy as np
import pytest

jax.config.update("jax_enable_x64", True)

from aligntheory.errors import InvalidInputError  # noqa: E402
from aligntheory.kernels.social_choice import empirical_welfare_batched, scoring_erm  # noqa: E402
from aligntheory.theory.social_choice import empirical_welfare, erm_choice  # noqa: E402

UTIL = np.array([[1.0, 0.0], [0.0, 1.0], [0.25, 0.75]])
ISS = np.zeros(3, int)
POL = np.array([[0], [1]])


@pytest.mark.parametrize("b", [1, 3])
def test_empirical_welfare_batched_refuses_empty_samples_like_the_theory(b):
    with pytest.raises(InvalidInputError, match="sample_idx") as err:
        empirical_welfare_batched(np.zeros((b, 0), int), UTIL, ISS, POL)
    assert "N >= 1" in str(err.value)
    with pytest.raises(InvalidInputError, match="N >= 1"):
        empirical_welfare(np.zeros(0, int), UTIL, ISS, POL)


def test_empirical_welfare_batched_refuses_empty_samples_under_jit():
    f = jax.jit(lambda s: empirical_welfare_batched(s, UTIL, ISS, POL, validate=False))
    with pytest.raises(InvalidInputError, match="sample_idx"):
        f(np.zeros((2, 0), int))


def test_scoring_erm_refuses_empty_samples_like_erm_choice():
    r = np.array([[0, 1], [1, 0], [0, 1]])
    with pytest.raises(InvalidInputError, match="sample_idx"):
        scoring_erm(np.zeros((1, 0), int), r, np.array([1.0, 0.0]), ISS, POL)
    with pytest.raises(InvalidInputError, match="N >= 1"):
        erm_choice(np.zeros(0, int), UTIL, ISS, POL)


@pytest.mark.parametrize("sample, want", [([2], [0.25, 0.75]), ([0, 1], [0.5, 0.5]), ([0, 0, 2], [0.75, 0.25])])
def test_one_and_more_pairs_still_give_the_plain_mean(sample, want):
    # expected: the mean of u_x(f) over the sample, written out by hand from UTIL
    got = np.asarray(empirical_welfare_batched(np.array([sample]), UTIL, ISS, POL))
    np.testing.assert_allclose(got, [want], rtol=0, atol=1e-15)

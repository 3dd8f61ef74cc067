"""Empty samples are refused by the threshold-welfare functions, as by empirical_welfare (session 12).

Before, a sample with N = 0 gave NaN (a mean over nothing) from the two kernels and the theory reference.
"""
from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)

from aligntheory.errors import InvalidInputError  # noqa: E402
from aligntheory.kernels import social_choice as K  # noqa: E402
from aligntheory.theory.social_choice import threshold_empirical_welfare  # noqa: E402


def test_zero_samples_are_refused_naming_q():
    q, y = np.zeros((2, 0)), np.zeros((2, 0), dtype=np.int64)
    for call in (lambda: K.threshold_grid_welfare(q, y, np.array([0.5])),
                 lambda: K.threshold_continuum_deviation(q, y),
                 lambda: threshold_empirical_welfare([], [], [0.5])):
        with pytest.raises(InvalidInputError) as exc:
            call()
        assert exc.value.argument == "q" and "N >= 1" in str(exc.value)


def test_one_sample_is_the_smallest_accepted_and_has_its_closed_form():
    # N = 1, q = 0.3, y = 1: W_S(t) = 1[1[0.3 >= t] = 1] = 1 for t <= 0.3, 0 above
    got = np.asarray(K.threshold_grid_welfare(np.array([[0.3]]), np.array([[1]]), np.array([0.2, 0.3, 0.4])))
    assert got.tolist() == [[1.0, 1.0, 0.0]]
    assert threshold_empirical_welfare([0.3], [1], [0.2, 0.3, 0.4]).tolist() == [1.0, 1.0, 0.0]

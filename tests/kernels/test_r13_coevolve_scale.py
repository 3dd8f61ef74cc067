"""kernels.progress.coevolve_score at the ends of the float64 range (round 13).

Before: rows near 1.7e308 gave NaN (XLA divides by multiplying with the reciprocal, and 1/1.7e308 is subnormal,
flushed to zero), and rows of subnormal numbers were refused as zero vectors (XLA flushes them on CPU). The cosine
is scale-invariant, so the prediction is the score of the unscaled rows, written out here as a loop: the mean over
simulated rows i and actual rows j of max_{j' >= j} cos(s_i, a_j').
"""

from __future__ import annotations

import math

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)

from aligntheory.kernels.progress import coevolve_score  # noqa: E402


def _score(S, A):
    tot, cnt = 0.0, 0
    for s in S:
        cos = [float(s @ a) / (math.hypot(*s) * math.hypot(*a)) for a in A]
        for j in range(len(A)):
            tot += max(cos[j:])
            cnt += 1
    return tot / cnt


A = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
S = np.array([[2.0, 1.0], [1.0, 3.0]])


@pytest.mark.parametrize("scale", [5.9e307, 1e300, 1.0, 1e-300, 1e-310, 2.0**-1070])
def test_scaled_rows_give_the_unscaled_score(scale):
    pred = _score(S, A)
    got = float(coevolve_score(S * scale, A))
    # S * 2**-1070 keeps 4 significant bits only (2 -> 2**-1069, 3 -> 3 * 2**-1070): the cosine of those exact
    # values is still the unscaled one, since both entries are exact multiples of 2**-1070
    assert abs(got - pred) <= 4e-16


def test_subnormal_entry_beside_a_tiny_row_max_counts():
    """Row (1e-300, 1e-309): the second entry is 1e-9 of the first, so dropping it (flushed) moves the cosine
    with (0, 1) from 1e-9 to 0 and the score by ~1e-10: visible at the 1e-15 tolerance."""
    S2 = np.array([[1e-300, 1e-309]])
    A2 = np.array([[0.0, 1.0]])
    pred = 1e-309 / math.hypot(1e-300, 1e-309)
    assert abs(float(coevolve_score(S2, A2)) - pred) <= 1e-15 * pred

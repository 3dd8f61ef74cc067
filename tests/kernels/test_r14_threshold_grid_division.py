"""``threshold_grid_welfare`` divides the agreement counts by N exactly (session 14).

Before: the batched kernel computed count * (1/N) (XLA rewrites a division by a constant as a multiply by
its reciprocal), one ulp off the correctly rounded count / N for many N (e.g. N = 5), so it disagreed
with the theory's ``threshold_empirical_welfare`` (a numpy mean) in the last bit. Expected values: the
counts by a plain comparison loop here, divided with Python's correctly rounded ``/``.
"""

from __future__ import annotations

import jax
import numpy as np
import pytest

jax.config.update("jax_enable_x64", True)

from aligntheory.kernels.social_choice import threshold_grid_welfare  # noqa: E402
from aligntheory.theory.social_choice import threshold_empirical_welfare  # noqa: E402


@pytest.mark.parametrize("n", [1, 3, 5, 7, 10, 11, 13, 29, 49, 97])
def test_grid_welfare_is_count_over_n_correctly_rounded(n):
    rng = np.random.default_rng(n)
    q, y, grid = rng.random((3, n)), rng.integers(0, 2, (3, n)), np.linspace(0.0, 1.0, 41)
    got = np.asarray(threshold_grid_welfare(q, y, grid))
    for b in range(3):
        counts = [sum(int(qi >= t) == int(yi) for qi, yi in zip(q[b].tolist(), y[b].tolist())) for t in grid.tolist()]
        want = [c / n for c in counts]
        assert got[b].tolist() == want  # bitwise
        assert got[b].tolist() == np.asarray(threshold_empirical_welfare(q[b], y[b], grid)).tolist()


def test_grid_welfare_is_exact_under_an_outer_jit_and_vmap_too():
    n = 5
    rng = np.random.default_rng(0)
    q, y, grid = rng.random((4, n)), rng.integers(0, 2, (4, n)), np.linspace(0.0, 1.0, 21)
    want = np.asarray(threshold_grid_welfare(q, y, grid))
    got = np.asarray(jax.jit(lambda a, b: threshold_grid_welfare(a, b, grid, validate=False))(q, y))
    assert got.tolist() == want.tolist()
    exact = [[sum(int(qi >= t) == int(yi) for qi, yi in zip(q[b], y[b])) / n for t in grid] for b in range(4)]
    assert want.tolist() == exact

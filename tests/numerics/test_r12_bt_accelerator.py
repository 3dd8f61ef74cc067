"""BTFit.accelerator records the route that computed a Bradley-Terry fit (session 12).

The documented rule (``fit_bradley_terry``'s ``accelerator``, ``NUMBA_MIN_ROWS``): ``"auto"`` takes the
compiled kernels from ``NUMBA_MIN_ROWS`` comparison rows on, the numpy route below. Both routes must give
the same fit.
"""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("numba")

from aligntheory.numerics import fit_bradley_terry  # noqa: E402
from aligntheory.numerics._bt_fit import NUMBA_MIN_ROWS  # noqa: E402


def _rows(m: int, n_items: int = 40, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, n_items, m)
    b = (a + rng.integers(1, n_items, m)) % n_items
    strength = np.linspace(-1.0, 1.0, n_items)
    a_wins = rng.random(m) < 1.0 / (1.0 + np.exp(strength[b] - strength[a]))
    return np.where(a_wins[:, None], np.stack([a, b], 1), np.stack([b, a], 1))


def test_auto_switches_to_numba_exactly_at_the_documented_row_count():
    assert NUMBA_MIN_ROWS == 20_000  # the value the docstring of NUMBA_MIN_ROWS states
    rows = _rows(NUMBA_MIN_ROWS)
    below = fit_bradley_terry(rows[:-1], n_items=40)
    at = fit_bradley_terry(rows, n_items=40)
    assert below.accelerator == "numpy" and at.accelerator == "numba"
    # the same data through both routes: one fit, to rounding
    forced = fit_bradley_terry(rows, n_items=40, accelerator="numpy")
    assert forced.accelerator == "numpy"
    np.testing.assert_allclose(at.scores, forced.scores, rtol=0, atol=1e-9 * np.abs(forced.scores).max())


def test_forced_routes_are_reported_at_any_size():
    rows = _rows(3000)
    assert fit_bradley_terry(rows, n_items=40, accelerator="numba").accelerator == "numba"
    assert fit_bradley_terry(rows, n_items=40, accelerator="numpy").accelerator == "numpy"
    assert fit_bradley_terry(rows, n_items=40).accelerator == "numpy"  # auto, 3000 rows


def test_a_refused_fit_still_says_which_route_decided():
    # 0 always beats 1: the beats graph is not strongly connected, no MLE
    rows = np.array([[0, 1]] * 3)
    for acc in ("numpy", "numba"):
        fit = fit_bradley_terry(rows, n_items=2, accelerator=acc, throw=False)
        assert fit.result.value == "disconnected" and fit.accelerator == acc

"""Regression tests for the library fixes of issue 11 round 7 (social choice and safety, ss7)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402

configure()


def _sup_by_definition(q, y):
    """sup_t |W_S(t) - W(t)| from the definition, evaluated at every issue, 1e-10 either side, 0, 1/2, 1."""
    ts = np.clip(np.concatenate([[0.0, 0.5, 1.0], q, q + 1e-10, q - 1e-10]), 0.0, 1.0)
    what = (y[None, :] == (q[None, :] >= ts[:, None])).mean(axis=1)
    return float(np.max(np.abs(what - (1.0 - (ts**2 + (1.0 - ts) ** 2) / 2.0))))


@pytest.mark.parametrize("q, y", [
    # two samples at the same issue 0.5, one of each preference: no threshold separates them, so W_S = 1/2 for every
    # t; the empty cell between the ties (one sample below t, the other above) would give W_S = 0 and a sup of 3/4
    ([0.5, 0.5], [1, 0]),
    ([0.2, 0.2, 0.7, 0.7], [1, 0, 0, 1]),
    ([0.3, 1.0, 1.0], [0, 0, 1]),  # ties at the upper end: the cell (1, 1] is empty
])
def test_continuum_deviation_skips_the_empty_cells_of_tied_issues(q, y):
    from aligntheory.kernels.social_choice import threshold_continuum_deviation

    q, y = np.array(q), np.array(y)
    got = float(np.asarray(threshold_continuum_deviation(q[None, :], y[None, :]))[0])
    assert got == pytest.approx(_sup_by_definition(q, y), abs=1e-9)


def test_continuum_deviation_of_two_tied_opposite_samples_is_a_closed_form():
    from aligntheory.kernels.social_choice import threshold_continuum_deviation

    # W_S = 1/2 everywhere; W(t) ranges over [1/2, 3/4]: the sup is 3/4 - 1/2 = 1/4 (at t = 1/2)
    got = float(np.asarray(threshold_continuum_deviation(np.array([[0.5, 0.5]]), np.array([[1, 0]])))[0])
    assert got == pytest.approx(0.25, abs=1e-15)

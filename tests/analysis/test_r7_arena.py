"""Round-7 arena tests (issue 11): internal rules no public parameter reaches (fresh-r6 report, arena.md)."""

from __future__ import annotations

import numpy as np
import pytest

from aligntheory.analysis import _arena_fit as F


def _one_pair_rao_kupper(wi: float, wj: float, t: float):
    """``terms`` of one Rao-Kupper pair, parameters (s_0, s_1, alpha), assembled from ``unit_terms``."""
    Wi, Wj, T = np.array([[wi]]), np.array([[wj]]), np.array([[t]])

    def terms(theta, rows, hess):
        d = (theta[:, 0] - theta[:, 1])[:, None]
        ll, gd, gx, cdd, cdx, cxx = F.unit_terms("rao_kupper", d, theta[:, 2], Wi[rows], Wj[rows], T[rows],
                                                 np.zeros(len(rows), bool), hess=hess)
        if not hess:
            return ll, None, None
        g = np.stack([gd[:, 0], -gd[:, 0], gx], 1)
        H = np.zeros((len(rows), 3, 3))
        H[:, 0, 0] = H[:, 1, 1] = cdd[:, 0]
        H[:, 0, 1] = H[:, 1, 0] = -cdd[:, 0]
        H[:, 0, 2] = H[:, 2, 0] = cdx[:, 0]
        H[:, 1, 2] = H[:, 2, 1] = -cdx[:, 0]
        H[:, 2, 2] = cxx
        return ll, g, H
    return terms


@pytest.mark.parametrize("alpha0", [0.1, 0.2])
def test_rao_kupper_threshold_step_at_most_halves(alpha0):
    """A Newton step never lowers the Rao-Kupper threshold below half its value (it must stay > 0).

    One pair with 20 wins each way and one tie: the MLE threshold is 2 artanh(1/41) = 0.0488, so from 0.1 or 0.2
    the full Newton step would overshoot below 0; the damped step lands exactly on alpha0 / 2 (a bootstrap round
    drawing half the point data's ties starts in this situation). Kills fresh-r6 survivor ee1236dee8 (0.5 -> 0.25
    gives 0.75 alpha0). The fit still converges to the closed-form MLE.
    """
    terms = _one_pair_rao_kupper(20.0, 20.0, 1.0)
    th0 = np.array([[0.0, 0.0, alpha0]])
    kw = dict(prior=0.0, positive_extra=True, fixed=np.zeros(1, bool), tol=1e-9)
    one = F.newton_batched(terms, th0, 2, np.array([41.0]), maxiter=1, **kw)
    assert one.theta[0, 2] == alpha0 / 2
    full = F.newton_batched(terms, th0, 2, np.array([41.0]), maxiter=100, **kw)
    assert bool(full.converged[0])
    # closed form for one pair with equal wins: d = 0 and P(tie) = tanh(alpha / 2) = 1/41
    assert abs(full.theta[0, 2] - 2 * np.arctanh(1 / 41)) <= 1e-9

"""Round-14: the arena's batched damped Newton (``_arena_fit.newton_batched``) step by step.

Fresh mutation samples (issue 11) left the arena fit's backtracking factor and starting point among the survivors:
fits that converge reach the same MLE whatever the damping, so only iterates and iteration counts show them. Here
the documented iteration (its docstring) is written out per round in plain numpy (dense Bradley--Terry terms,
``numpy.linalg.solve``, a halving loop) and compared iterate by iterate with the batched routine, from starting
points on the wrong side of the MLE where full Newton steps overshoot and are halved.
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit, log_expit

from aligntheory.analysis import _arena_fit as F


def _bt_terms(W):
    """``terms(theta, rows, hess)`` for rounds with win matrices ``W[b]`` (``W[b, i, j]``: wins of i over j)."""

    def terms(theta, rows, hess):
        Wr = W[rows]
        d = theta[:, :, None] - theta[:, None, :]
        ll = np.sum(Wr * log_expit(d), axis=(1, 2))
        q = Wr * expit(-d)
        g = q.sum(2) - q.sum(1)
        if not hess:
            return ll, g, None
        c = (Wr + Wr.transpose(0, 2, 1)) * expit(d) * expit(-d)
        H = -c
        idx = np.arange(theta.shape[1])
        H[:, idx, idx] = c.sum(2)
        return ll, g, H

    return terms


def _reference_round(W, x0, tol, maxiter):
    """One round of the documented iteration, no prior: returns (iterates, halvings per step)."""
    n = len(x0)
    scale = max(W.sum(), 1.0)
    U = np.full((n, n), 1.0 / n)
    x, xs, halvings = x0.copy(), [x0.copy()], []
    terms = _bt_terms(W[None])

    def ll_g_h(x):  # the same terms for this one round (the iteration, not the terms, is under test)
        ll, g, H = terms(x[None], np.array([0]), True)
        return float(ll[0]), g[0], H[0]

    for _ in range(maxiter):
        ll, g, H = ll_g_h(x)
        if not np.max(np.abs(g)) / scale > tol:
            break
        delta = np.linalg.solve(H + U, g)
        t, k = 1.0, 0
        while k < 50 and not ll_g_h(x + t * delta)[0] >= ll - 1e-13 * max(1.0, abs(ll)):
            t, k = t * 0.5, k + 1
        x = x + t * delta
        x = x - x.mean()
        xs.append(x)
        halvings.append(k)
    return xs, halvings


def _rounds():
    """Twelve two-item rounds ``(wins of 0 over 1, wins of 1 over 0, starting gap)``, all started off-centre (mean
    0.7: the re-centring shows). The first six start at gaps of the wrong sign and size where the curvature
    sigma(d) sigma(-d) is small: full Newton steps overshoot by far and are halved up to 47 times. The other six
    overshoot mildly: the full step lowers the log-likelihood by 2 % to 60 % of ``max(1, |ll|)``, so the acceptance
    test's ``1e-13`` relative slack (not a coarser one) decides. Rounds converge at different iterations; Fisher
    matrices ``H + u u^T / 2`` have condition below ~1e3 along the way."""
    table = [(9.0, 2.0, -6.0), (3.0, 4.0, 4.0), (20.0, 1.0, -3.0), (5.5, 1.5, -5.0), (1.0, 7.0, 6.0),
             (40.0, 3.0, -2.0),
             (9.0, 2.0, -3.0), (3.0, 4.0, -2.5), (1.0, 7.0, 3.5), (40.0, 3.0, 4.0), (6.0, 6.0, 2.5),
             (2.0, 0.5, -3.0)]
    w01, w10, gap0 = (np.array(col) for col in zip(*table))
    W = np.zeros((len(table), 2, 2))
    W[:, 0, 1], W[:, 1, 0] = w01, w10
    X0 = np.stack([gap0 / 2, -gap0 / 2], 1) + 0.7
    return W, X0


def _relgrad(W, x):
    d = x[0] - x[1]
    return abs(W[0, 1] * expit(-d) - W[1, 0] * expit(d)) / max(W.sum(), 1.0)


@pytest.mark.parametrize("k", [1, 2, 3, 5, 8, 40])
def test_iterates_match_the_documented_iteration(k):
    """After ``maxiter = k`` every round sits at the reference's k-th iterate (or its last, where it stopped),
    within 1e-9 relative (floor 1): the same steps computed in another order, on Fisher matrices of condition
    below ~1e3 (measured: bit-identical). ``iterations`` equals the reference's step count exactly. At least one step
    of the reference is halved, so the damping is exercised."""
    W, X0 = _rounds()
    tol = 1e-12
    out = F.newton_batched(_bt_terms(W), X0, 2, W.sum(axis=(1, 2)), prior=0.0, tol=tol, maxiter=k)
    total_halvings = 0
    for b in range(len(W)):
        xs, halvings = _reference_round(W[b], X0[b], tol, k)
        total_halvings += sum(halvings)
        pred = xs[-1]
        err = float(np.max(np.abs(out.theta[b] - pred))) / max(1.0, float(np.max(np.abs(pred))))
        assert err <= 1e-9, (b, k, err)
        assert out.iterations[b] == len(xs) - 1, (b, k)
        rg = _relgrad(W[b], pred)  # the relative gradient at the returned iterate, reported for every round
        assert abs(out.relgrad[b] - rg) <= 1e-9 * rg + 1e-15, (b, k)
        assert bool(out.converged[b]) is bool(rg <= tol)
    assert total_halvings >= 1
    if k == 40:  # converged: the MLE's gradient condition holds in every round
        assert out.converged.all() and np.all(out.relgrad <= tol)


@pytest.mark.parametrize("b", range(12))
def test_each_round_alone_matches_the_reference(b):
    """The same rounds one at a time (a batch of one): a round's iterates do not depend on the other rounds of its
    batch, and the first acceptance test is then the only one a round that needs no halving meets (in a batch,
    the halving loop re-tests every round). k = 1, 2 and 40 steps; tolerances as above."""
    W, X0 = _rounds()
    for k in (1, 2, 40):
        out = F.newton_batched(_bt_terms(W[b:b + 1]), X0[b:b + 1], 2, W[b:b + 1].sum(axis=(1, 2)), prior=0.0,
                               tol=1e-12, maxiter=k)
        xs, _ = _reference_round(W[b], X0[b], 1e-12, k)
        pred = xs[-1]
        err = float(np.max(np.abs(out.theta[0] - pred))) / max(1.0, float(np.max(np.abs(pred))))
        assert err <= 1e-9 and out.iterations[0] == len(xs) - 1, (b, k, err)

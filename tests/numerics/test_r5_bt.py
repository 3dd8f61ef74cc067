"""fit_bradley_terry at huge pair counts (issue #11 round 5): the stopping rule is scale-safe.

Before round 5 the gradient tolerance was absolute (``tol=1e-10``) while the gradient's terms are of the
size of the counts: from pair counts of about 1e6 on, the rounding floor of the gradient exceeded ``tol`` and
Newton/Newman raised ``ConvergenceError`` at an MLE already exact to working precision. The expected values
here come from routes that share no code with the fit: the two-item closed form
:math:`\\theta_1-\\theta_0=\\log(w_{10}/w_{01})`, the scale invariance of the MLE in the counts (the likelihood
of :math:`cW` is :math:`c` times that of :math:`W`), and scipy's BFGS on the likelihood written here.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize
from scipy.special import log_expit

from aligntheory.errors import PrecisionError
from aligntheory.numerics import fit_bradley_terry

TWO53 = float(2**53)
METHODS = ("auto", "newton", "newman")


def _rows(n):
    return [(i, j) for i in range(n) for j in range(n) if i != j]


def _bfgs(n, W):
    """MLE of the counts ``W[i, j]`` (i beat j) by BFGS on the log-likelihood written here (theta_0 = 0)."""
    def nll(x):
        th = np.concatenate([[0.0], x])
        d = th[:, None] - th[None, :]
        return -float(np.sum(W * log_expit(d)))

    def grad(x):
        th = np.concatenate([[0.0], x])
        p = 1.0 / (1.0 + np.exp(-(th[:, None] - th[None, :])))
        g = np.sum(W * (1 - p), 1) - np.sum(W.T * (1 - p.T), 1)
        return -g[1:]

    x = minimize(nll, np.zeros(n - 1), jac=grad, method="BFGS", options={"gtol": 1e-12}).x
    th = np.concatenate([[0.0], x])
    return th - th.mean()


@pytest.mark.parametrize("k", range(16))
@pytest.mark.parametrize("method", METHODS)
def test_two_items_closed_form_at_every_scale(k, method):
    # w_10 = 3 s, w_01 = s with s = 10**k (pair total 4e15 < 2**53 at k = 15)
    s = 10.0**k
    fit = fit_bradley_terry([[1, 0], [0, 1]], counts=[3 * s, s], method=method, accelerator="numpy")
    assert fit.converged
    assert abs((fit.scores[1] - fit.scores[0]) - np.log(3.0)) <= 4e-15  # a few ulps of log 3


@pytest.mark.parametrize("method", METHODS)
def test_pair_total_exactly_two_to_the_53_is_fitted(method):
    fit = fit_bradley_terry([[1, 0], [0, 1]], counts=[0.75 * TWO53, 0.25 * TWO53], method=method)
    assert fit.converged and abs((fit.scores[1] - fit.scores[0]) - np.log(3.0)) <= 4e-15
    with pytest.raises(PrecisionError):  # one count more: the documented refusal
        fit_bradley_terry([[1, 0], [0, 1]], counts=[0.75 * TWO53, 0.25 * TWO53 + 2.0], method=method)


# the cycle of the issue: a three-item instance whose Newton/Newman fits raised ConvergenceError at 1e6 .. 1e12
_W3 = np.array([[0, 851, 511], [85, 0, 300], [44, 630, 0]], dtype=float)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("accelerator", ["numpy", "numba"])
def test_three_items_scale_invariance_and_bfgs(method, accelerator):
    if accelerator == "numba":
        pytest.importorskip("aligntheory.numerics._bt_numba")
    ref = _bfgs(3, _W3)
    rows = _rows(3)
    base = fit_bradley_terry(rows, counts=[_W3[i, j] for i, j in rows], method=method, accelerator=accelerator)
    assert np.max(np.abs(base.scores - ref)) <= 1e-7  # BFGS at gtol 1e-12 on a Hessian of size ~1e2
    for k in range(13):  # max pair total 936e12 < 2**53
        s = 10.0**k
        fit = fit_bradley_terry(rows, counts=[s * _W3[i, j] for i, j in rows], method=method, accelerator=accelerator)
        assert fit.converged
        assert np.max(np.abs(fit.scores - base.scores)) <= 1e-9, k


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 5), data=st.data(), k=st.integers(0, 15), method=st.sampled_from(METHODS))
def test_scaled_counts_give_the_same_fit(n, data, k, method):
    W = np.array(data.draw(st.lists(st.integers(1, 1000), min_size=n * (n - 1), max_size=n * (n - 1))), float)
    rows = _rows(n)
    Wm = np.zeros((n, n))
    for (i, j), c in zip(rows, W):
        Wm[i, j] = c
    top = float(max(Wm[i, j] + Wm[j, i] for i, j in rows))
    s = min(10.0**k, np.floor(TWO53 / top))  # every pair total <= 2**53
    base = fit_bradley_terry(rows, counts=W, method=method, accelerator="numpy")
    fit = fit_bradley_terry(rows, counts=s * W, method=method, accelerator="numpy")
    assert fit.converged
    assert np.max(np.abs(fit.scores - base.scores)) <= 1e-9


@pytest.mark.parametrize("k", [0, 4, 8, 12, 15])
def test_two_item_stderr_closed_form_at_every_scale(k):
    # stderr of each centred score: sqrt(diag L^+) = 1 / (2 sqrt(c)), c = K p (1 - p) = s a b / (a + b)
    # (round 5: the grounding J/n on the unit scale cancelled; at s = 1e8 the stderr was 2**-14, not 5.77e-5)
    s = 10.0**k
    fit = fit_bradley_terry([[1, 0], [0, 1]], counts=[3 * s, s], accelerator="numpy")
    pred = 0.5 / np.sqrt(s * 3.0 / 4.0)
    assert np.max(np.abs(fit.stderr / pred - 1.0)) <= 1e-12


def test_three_item_stderr_scales_as_one_over_sqrt_counts():
    rows = _rows(3)
    base = fit_bradley_terry(rows, counts=[_W3[i, j] for i, j in rows], accelerator="numpy")
    for k in (6, 12):
        big = fit_bradley_terry(rows, counts=[10.0**k * _W3[i, j] for i, j in rows], accelerator="numpy")
        assert np.max(np.abs(big.stderr * 10.0 ** (k / 2) / base.stderr - 1.0)) <= 1e-9


@pytest.mark.parametrize("n", [1, 3])
def test_solve_laplacian_without_edges(n):
    # round 5: the degree vector of an edgeless graph came out int64 (bincount without weights) and the grounding
    # raised UFuncTypeError; L = 0 and b = 0 give the centred solution x = 0
    from aligntheory.numerics import solve_laplacian

    sol = solve_laplacian(n, np.zeros((0, 2), np.int64), np.zeros(n), conductances=[])
    assert sol.converged and sol.x.tolist() == [0.0] * n

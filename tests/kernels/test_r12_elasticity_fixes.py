"""Round-12 fixes of the elasticity kernels ``two_segment_fit`` / ``two_segment_fit_batched`` (scale and offset
equivariance, validated ``b_min`` / ``b_max``) and ``mle_from_counts`` (no overflow of the pooled sums, subnormal
counts).

Every expected value comes from a route independent of the kernels: the closed form of an exactly piecewise-linear
curve (breakpoint and slopes written here), exact rational least squares with :class:`fractions.Fraction`, and the
pooled-MLE formula :math:`(\\sum_i n_i + \\beta)/(\\sum_i N_i + M\\beta)` evaluated in exact rationals.
"""

from __future__ import annotations

import sys
from fractions import Fraction

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.kernels import elasticity as K

EPS = float(np.finfo(np.float64).eps)
FMAX = sys.float_info.max

# the reviewer's curve: slope 2 before s = 8, slope 1/2 after, continuous (y(8) = 16); T = 20
S = np.arange(21.0)
KINK = np.where(S < 8, 2 * S, 16 + 0.5 * (S - 8))


def _kink(n: int, b: int, s1: float = 2.0, s2: float = 0.5) -> np.ndarray:
    s = np.arange(float(n))
    return np.where(s < b, s1 * s, s1 * b + s2 * (s - b))


def _both(y: np.ndarray, **kw):
    """(b, s1, s2, rho, sse) from the single-curve and the batched kernel."""
    f = K.two_segment_fit(y, **kw)
    g = K.two_segment_fit_batched(y[None, :], **kw)
    return [tuple(f), tuple(float(x[0]) if i else int(x[0]) for i, x in enumerate(g))]


def _exact_min_sse(y: np.ndarray, bs) -> Fraction:
    """Least residual over the breakpoints ``bs`` of the continuous two-segment fit, in exact rationals."""
    Y = [Fraction(float(v)) for v in y]
    best = None
    for b in bs:
        X = [[Fraction(1), Fraction(s), Fraction(max(s - b, 0))] for s in range(len(Y))]
        A = [[sum(r[i] * r[j] for r in X) for j in range(3)] + [sum(r[i] * v for r, v in zip(X, Y))] for i in range(3)]
        for i in range(3):  # Gauss-Jordan on the 3x3 normal equations (full rank for 1 <= b <= T - 1)
            A[i] = [a / A[i][i] for a in A[i]]
            for k in range(3):
                if k != i:
                    A[k] = [a - A[k][i] * c for a, c in zip(A[k], A[i])]
        coef = [A[i][3] for i in range(3)]
        sse = sum((v - sum(c * x for c, x in zip(coef, r))) ** 2 for r, v in zip(X, Y))
        best = sse if best is None else min(best, sse)
    return best


# ----------------------------------------------------------------------------------------------
# defect 1: scale and offset equivariance of the breakpoint


def test_two_segment_fit_breakpoint_and_slopes_are_scale_equivariant():
    # closed form: b = 8, s1 = 2 a, s2 = a / 2, rho = 4 for a * KINK; the data a * KINK are exact up to one
    # rounding per entry, so the least sse is at most (T + 1) (eps/2 max|y|)^2; allow rounding of the fit on top
    for a in (1e-300, 1e-150, 1.0, 1e150):
        y = a * KINK
        bound = 21 * (64 * EPS * float(np.max(np.abs(y)))) ** 2  # underflows to 0 at a = 1e-300, as the sse does
        for name, (b, s1, s2, rho, sse) in zip(("single", "batched"), _both(y)):
            assert b == 8, (a, name, b)
            assert s1 == pytest.approx(2.0 * a, rel=1e-12, abs=0.0), (a, name)
            assert s2 == pytest.approx(0.5 * a, rel=1e-12, abs=0.0), (a, name)
            assert rho == pytest.approx(4.0, rel=1e-12, abs=0.0), (a, name)
            assert 0.0 <= sse <= bound and np.isfinite(sse), (a, name, sse, bound)


def test_two_segment_fit_batched_rows_of_every_scale_in_one_batch():
    Y = np.stack([1e-300 * KINK, KINK, 1e150 * KINK, KINK + 1e12, -1e-200 * KINK])
    f = K.two_segment_fit_batched(Y)
    assert f.b.tolist() == [8] * 5
    np.testing.assert_allclose(f.s1, [2e-300, 2.0, 2e150, 2.0, -2e-200], rtol=1e-12)
    np.testing.assert_allclose(f.s2, [0.5e-300, 0.5, 0.5e150, 0.5, -0.5e-200], rtol=1e-12)
    np.testing.assert_allclose(f.rho, [4.0] * 5, rtol=1e-12)


def test_two_segment_fit_offset_1e12_costs_no_cancellation():
    # KINK + 1e12 is exact in float64 (ulp(1e12) = 2^-13 and KINK is a multiple of 1/2): the exact fit is
    # slopes 2 and 1/2 with sse 0, so only the rounding of the fit of the deviations (max 27.5) remains
    y = KINK + 1e12
    assert np.array_equal(y - 1e12, KINK)
    assert _exact_min_sse(y, range(5, 16)) == 0
    for name, (b, s1, s2, rho, sse) in zip(("single", "batched"), _both(y)):
        assert b == 8, name
        assert s1 == pytest.approx(2.0, rel=1e-12, abs=0.0), name
        assert s2 == pytest.approx(0.5, rel=1e-12, abs=0.0), name
        assert rho == pytest.approx(4.0, rel=1e-12, abs=0.0), name
        assert sse <= 21 * (64 * EPS * 32) ** 2, (name, sse)


def test_two_segment_fit_refuses_an_sse_beyond_float64_instead_of_inf():
    # 1e200 * KINK: each entry rounds by up to half an ulp (~1.6e185), and the exact least sse of the float data,
    # computed here in rationals, is beyond the float64 range: the kernels must say so, not return inf
    y = 1e200 * KINK
    exact = _exact_min_sse(y, range(5, 16))
    assert exact > Fraction(FMAX)
    for call in (lambda: K.two_segment_fit(y), lambda: K.two_segment_fit_batched(np.stack([KINK, y]))):
        with pytest.raises(PrecisionError, match="exceeds the float64 range"):
            call()
    # the breakpoint itself is scale-free: the same curve divided by 2^600 (exact) is fitted
    f = K.two_segment_fit(y * 2.0**-600)
    assert f.b == 8 and f.rho == pytest.approx(4.0, rel=1e-12, abs=0.0)


def test_two_segment_fit_constant_curves():
    # a constant is fitted exactly by zero slopes at every breakpoint: sse 0, s1 = s2 = 0, rho = inf (s2 = 0),
    # and the first breakpoint of the range (the tie rule of argmin); 1e300 used to overflow the squares
    for c in (0.0, 7.0, -3e-310, 1e300, -1.7e308):
        y = np.full(21, c)
        for name, (b, s1, s2, rho, sse) in zip(("single", "batched"), _both(y)):
            assert (b, s1, s2, rho, sse) == (5, 0.0, 0.0, np.inf, 0.0), (c, name)


# ----------------------------------------------------------------------------------------------
# defect 2: b_min and b_max validated (integers, 1 <= b_min, b_min <= b_max <= T - b_min)


@pytest.mark.parametrize("batched", [False, True])
def test_two_segment_fit_b_min_and_b_max_domain(batched):
    fit = (lambda y, *a, **k: K.two_segment_fit_batched(y[None, :], *a, **k)) if batched \
        else K.two_segment_fit
    arg = "Y" if batched else "y"

    def b_of(f):
        return int(np.ravel(f.b)[0])

    # b_min: integers >= 1 only
    for bad in (0, -1):
        with pytest.raises(InvalidInputError, match="must be >= 1") as ei:
            fit(KINK, b_min=bad)
        assert ei.value.argument == "b_min"
    for bad in (2.5, 5.0, True):
        with pytest.raises(InvalidInputError, match="integer") as ei:
            fit(KINK, b_min=bad)
        assert ei.value.argument == "b_min"
    # b_min = 1 exactly at the bound: a kink at s = 1 (closed form) is found among b in [1, 19]
    assert b_of(fit(_kink(21, 1), b_min=1)) == 1
    assert b_of(fit(KINK, b_min=np.int64(5))) == 8
    # the length guard still names the curve: 2 b_min + 2 points needed
    with pytest.raises(InvalidInputError, match="at least 22 points") as ei:
        fit(KINK, b_min=10)
    assert ei.value.argument == arg
    # b_max: at T - b_min = 15 accepted (a kink at 15 found), one past refused; at b_min accepted, one below refused
    assert b_of(fit(_kink(21, 15), b_min=5, b_max=15)) == 15
    assert b_of(fit(KINK, b_min=5, b_max=5)) == 5
    for bad in (16, 25, 4, -3):
        with pytest.raises(InvalidInputError, match=r"\[5, 15\]") as ei:
            fit(KINK, b_min=5, b_max=bad)
        assert ei.value.argument == "b_max"
    with pytest.raises(InvalidInputError, match="integer") as ei:
        fit(KINK, b_min=5, b_max=8.0)
    assert ei.value.argument == "b_max"


# ----------------------------------------------------------------------------------------------
# defect 3: mle_from_counts without overflow of the pooled sums


def _mle_exact(C: np.ndarray, beta: float) -> np.ndarray:
    """(sum_i n_i + beta) / (sum_i N_i + M beta), per batch, in exact rationals, rounded once."""
    C = np.asarray(C, dtype=np.float64)
    out = np.empty(C.shape[:-2] + C.shape[-1:])
    for idx in np.ndindex(C.shape[:-2]):
        rows = C[idx]
        M = rows.shape[-1]
        b = Fraction(beta)
        pooled = [sum(Fraction(float(v)) for v in rows[:, x]) + b for x in range(M)]
        tot = sum(pooled)
        out[idx] = [float(p / tot) for p in pooled]
    return out


def test_mle_from_counts_near_the_float64_maximum():
    C = np.array([[1e308, 1e308], [1e308, 0.0]])
    q = np.asarray(K.mle_from_counts(C).q)
    np.testing.assert_allclose(q, [2 / 3, 1 / 3], rtol=2 * EPS, atol=0)
    np.testing.assert_allclose(q, _mle_exact(C, 0.0), rtol=2 * EPS, atol=0)
    # beta a pseudo-count beyond every count: (1 + beta, 3 + beta) / (4 + 2 beta) = 1/2 to working precision
    q = np.asarray(K.mle_from_counts(np.array([[1.0, 3.0]]), beta=1e308).q)
    np.testing.assert_allclose(q, _mle_exact(np.array([[1.0, 3.0]]), 1e308), rtol=2 * EPS, atol=0)
    assert q.tolist() == [0.5, 0.5]
    # batched: one batch at the top of the range, one ordinary, one all zero with beta
    rng = np.random.default_rng(12)
    C3 = np.stack([rng.integers(0, 1000, (4, 3)) * 1e305, rng.integers(0, 9, (4, 3)), np.zeros((4, 3))])
    for beta in (0.5, 1e306):
        q = np.asarray(K.mle_from_counts(C3, beta).q)
        np.testing.assert_allclose(q, _mle_exact(C3, beta), rtol=64 * EPS, atol=0)


def test_mle_from_counts_subnormal_counts_are_valid():
    # the docstring asks for finite counts >= 0 with a positive pooled total: 5e-324 > 0 is one
    C = np.array([[5e-324, 0.0], [0.0, 1e-323]])
    np.testing.assert_allclose(np.asarray(K.mle_from_counts(C).q), [1 / 3, 2 / 3], rtol=2 * EPS, atol=0)
    np.testing.assert_array_equal(np.asarray(K.mle_from_counts(np.array([[5e-324, 0.0]])).q), [1.0, 0.0])
    np.testing.assert_array_equal(np.asarray(K.mle_from_counts(np.zeros((2, 2)), 5e-324).q), [0.5, 0.5])
    # a total of exactly 0 is still refused, with the reason
    with pytest.raises(InvalidInputError, match="sum to 0") as ei:
        K.mle_from_counts(np.zeros((2, 2)))
    assert ei.value.argument == "counts_list"


def test_mle_from_counts_large_counts_under_jit_and_vmap():
    C = jnp.asarray([[1e308, 1e308], [1e308, 0.0]])
    q = jax.jit(lambda c: K.mle_from_counts(c, validate=False).q)(C)
    np.testing.assert_allclose(np.asarray(q), [2 / 3, 1 / 3], rtol=2 * EPS, atol=0)
    q = jax.jit(lambda c: K.mle_from_counts(c, 1e308, validate=False).q)(jnp.asarray([[1.0, 3.0]]))
    np.testing.assert_allclose(np.asarray(q), [0.5, 0.5], rtol=2 * EPS, atol=0)
    C3 = np.stack([np.array([[1.7e308, 1e308], [1.7e308, 0.0]]), np.array([[1.0, 3.0], [0.0, 4.0]])])
    q = jax.vmap(lambda c: K.mle_from_counts(c, 0.25, validate=False).q)(jnp.asarray(C3))
    np.testing.assert_allclose(np.asarray(q), _mle_exact(C3, 0.25), rtol=4 * EPS, atol=0)

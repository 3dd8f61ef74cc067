"""Tests of aligntheory.theory.elasticity (spec elasticity.md §5 properties 1-10, §7 bad input, edge cases).

Expected values come from independent routes: closed forms written here, direct numpy sums,
finite differences, sympy, exact rationals, or hand computation (noted at each golden number).
"""

from __future__ import annotations

import math
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from aligntheory.errors import AsymptoticRangeWarning, InvalidInputError
from aligntheory.theory import elasticity as T

# ----------------------------------------------------------------------------------------------
# strategies (spec §5)


@st.composite
def dists(draw, M=None):
    """Dirichlet(conc) on M in [2, 64] leaves, conc in [0.1, 5], floored at 1e-12 and renormalised."""
    M = draw(st.integers(2, 64)) if M is None else M
    conc = draw(st.floats(0.1, 5.0))
    seed = draw(st.integers(0, 2**31 - 1))
    p = np.maximum(np.random.default_rng(seed).dirichlet(np.full(M, conc)), 1e-12)
    return p / p.sum()


@st.composite
def triples(draw):
    M = draw(st.integers(2, 64))
    return draw(dists(M)), draw(dists(M)), draw(dists(M))


ks = st.floats(0.0, math.log(1e6)).map(math.exp)
ls = st.floats(0.0, 1.0)


@st.composite
def opposite(draw):
    """Random split of the leaves into S_a and S_t (spec §5)."""
    M = draw(st.integers(2, 64))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    perm = rng.permutation(M)
    n_a = draw(st.integers(1, M - 1))
    Pp = draw(dists(M))
    Pa, Pt = np.zeros(M), np.zeros(M)
    Pa[perm[:n_a]] = rng.dirichlet(np.ones(n_a)) if n_a > 1 else 1.0
    Pt[perm[n_a:]] = rng.dirichlet(np.ones(M - n_a)) if M - n_a > 1 else 1.0
    return Pp, Pa / Pa.sum(), Pt / Pt.sum()


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


# ----------------------------------------------------------------------------------------------
# a-priori floating-point error bounds: the tolerances of the property tests are derived, not tuned

EPS = float(np.finfo(np.float64).eps)


def stable_form_error(Pp, Pa, Pt, k, l):
    """Rounding-error bound on each stable closed form of Prop. E2, written here from the formula.

    Each term is P_t num_i / u with u = k P_p + P_a + l P_t and num_i a signed sum of three
    products: forming num_i costs at most 3 roundings relative to the sum of the *absolute*
    components, P_t/u costs 4 (three positive additions and a division), the product 1, the M-term
    sum M - 1 and the final division by c 2. So |d_hat_i - d_i| <= (M + 9) eps c^-1 sum_x P_t
    |num_i|_abs / u to first order; (M + 10) eps covers the second-order terms.
    """
    c = k + 1.0 + l
    m = Pt > 0
    u = k * Pp[m] + Pa[m] + l * Pt[m]
    w = Pt[m] / u
    comps = (Pa[m] + l * Pt[m] + (1 + l) * Pp[m], k * Pp[m] + l * Pt[m] + (k + l) * Pa[m],
             k * Pp[m] + Pa[m] + (k + 1) * Pt[m])
    g = (Pp.size + 10) * EPS
    return np.array([g * float(np.sum(w * a)) / c for a in comps])


def ratio_error(Pp, Pa, Pt, k, l):
    """Bound on the relative error of R = -gamma_a'/gamma_p' computed from the stable forms.

    The condition of a quotient adds the relative errors of numerator and denominator (first order;
    factor 1.01 for the rest). A triple whose gamma_p' nearly cancels (sum |terms| >> |gamma_p'|) gets
    a proportionally larger tolerance: that is the conditioning of the ratio, not slack.
    """
    dp, da, _ = T.elasticity_derivatives(Pp, Pa, Pt, k, l)
    ep, ea, _ = stable_form_error(Pp, Pa, Pt, k, l)
    return 1.01 * (ep / abs(dp) + ea / abs(da)) + 4 * EPS


def gamma_by_library(tr, P, k, t):
    """gamma_i(t) = CE(P_i, q_t) through the library's mixture and cross-entropy (nats)."""
    return T.cross_entropy(P, T.mixture(np.stack(tr), [k, 1.0, t]))


def _g3(tr, P, k, t):
    """Bound on |gamma_i'''| on [t, infinity): gamma_i''' = -sum_x P_i (2 (P_t/u)^3 - 2/c^3), from
    log q = log u - log c differentiated three times (u = kP_p + P_a + tP_t, c = k + 1 + t both
    increase with t, so the bound at the left end holds on the whole interval)."""
    Pp, Pa, Pt = tr
    m = Pt > 0
    u = k * Pp[m] + Pa[m] + t * Pt[m]
    return 2 * float(np.sum(P[m] * (Pt[m] / u) ** 3)) + 2 / (k + 1.0 + t) ** 3


def _dgamma(tr, P, k, l):
    """Rounding bound of the library's gamma_i: q comes from a 3-term positive sum with normalised
    weights (6 roundings in log q), then M products and M - 1 additions:
    eps (6 + (M + 1) sum_x P_i |log q|)."""
    q = T.mixture(np.stack(tr), [k, 1.0, l])
    s = P > 0
    return EPS * (6 + (P.size + 1) * float(np.sum(P[s] * np.abs(np.log(q[s])))))


def fd_error_bound(tr, k, l, h):
    """Bound on |central difference - derivative| for gamma_i(l) = -sum_x P_i log q_l, per i.

    truncation h^2/6 max|gamma_i'''| on [l - h, l + h]  +  rounding (delta gamma)/h  +  rounding of
    the abscissae l +- h (|gamma_i'| eps (l + h)/h)  +  the stable form's own error; factor 2 over
    the sum because the rounding model is first order.
    """
    d = np.array(T.elasticity_derivatives(*tr, k, l))
    out = [h * h / 6 * _g3(tr, P, k, l - h) + 1.01 * _dgamma(tr, P, k, l) / h + abs(d[i]) * EPS * (l + h) / h
           for i, P in enumerate(tr)]
    return 2 * (np.array(out) + stable_form_error(*tr, k, l))


def fd_step(tr, k, l):
    """The step minimising h^2 G3/6 + dgamma/h, h = (3 dgamma / G3)^(1/3), with G3 taken at l/2 and
    h capped at l/2 (so the truncation bound at l - h is covered)."""
    g3 = max(_g3(tr, P, k, l / 2) for P in tr)
    dg = max(_dgamma(tr, P, k, l) for P in tr)
    return min(l / 2, (3 * dg / g3) ** (1 / 3))


# ----------------------------------------------------------------------------------------------
# property 1: mixture


@given(triples(), st.lists(st.floats(0.01, 1e6), min_size=3, max_size=3), st.randoms(use_true_random=False))
def test_mixture_is_distribution_and_equivariant(tr, sizes, rnd):
    D = np.stack(tr)
    q = T.mixture(D, sizes)
    assert np.all(q >= 0) and abs(q.sum() - 1) < 1e-12
    # direct formula (independent): sum N_i P_i / sum N_i
    np.testing.assert_allclose(q, (np.array(sizes) @ D) / sum(sizes), rtol=1e-12, atol=1e-300)
    perm = list(range(D.shape[1]))
    rnd.shuffle(perm)
    np.testing.assert_allclose(T.mixture(D[:, perm], sizes), q[perm], rtol=1e-12)
    order = [2, 0, 1]
    np.testing.assert_allclose(T.mixture(D[order], np.array(sizes)[order]), q, rtol=1e-12)


# ----------------------------------------------------------------------------------------------
# property 2: Gibbs and normalisation


@given(triples())
def test_rate_at_least_entropy_and_normalisation(tr):
    Pp, Pa, Pt = tr
    q = T.mixture(np.stack(tr), [3.0, 1.0, 0.5])
    H = T.entropy(Pa)
    assert T.cross_entropy(Pa, q) >= H - 1e-12
    assert abs(T.cross_entropy(Pa, Pa) - H) <= 1e-12 * max(1, H)
    M = Pa.size
    g = T.compression_rate(Pa, q)
    assert abs(T.normalized_compression_rate(Pa, q, M) - (g - math.log2(M))) < 1e-12
    gt = T.compression_rate(Pa, q, depth=3, per_token=True)
    assert abs(T.normalized_compression_rate(Pa, q, M, depth=3, per_token=True) - (gt - math.log2(M) / 3)) < 1e-12


# ----------------------------------------------------------------------------------------------
# properties 3-5: E3, E4, E5


@given(triples(), ks, ls)
def test_e3_hooke_identity(tr, k, l):
    dp, da, dt = T.elasticity_derivatives(*tr, k, l)
    scale = k * abs(dp) + abs(da) + l * abs(dt)
    # spec tolerance plus an absolute 1e-14 floor: when P_p = P_a = P_t every derivative is 0 exactly and the
    # scale itself is rounding noise (each derivative's rounding is ~eps/c, times k in the residual: <= 1e-15)
    assert abs(T.hooke_residual(*tr, k, l)) <= 1e-12 * scale + 1e-14


@given(triples(), ks)
def test_e4_ratio_at_zero_is_k(tr, k):
    try:
        R = T.elasticity_ratio(*tr, k, 0.0)
    except InvalidInputError:
        assume(False)
    # spec §4.3 E4: relative 1e-10 for well-conditioned triples; the a-priori bound covers ill-conditioned ones
    assert rel(R, k) <= max(1e-10, ratio_error(*tr, k, 0.0))


@given(triples(), ks, ls)
def test_e5_gamma_t_nonpositive(tr, k, l):
    _, _, dt = T.elasticity_derivatives(*tr, k, l)
    # spec slack plus a rounding floor eps/c: for P_p = P_a = P_t the numerators cancel exactly and the term
    # scale is itself rounding noise
    assert dt <= 1e-13 * T.derivative_scales(*tr, k, l)[2] + 1e-15 / (k + 1 + l)


@given(triples(), st.floats(1.0, 100.0), st.floats(0.01, 1.0))
def test_derivatives_match_finite_differences(tr, k, l):
    # independent route: central differences of the naive cross-entropies (spec §4.3 E2, k <= 1e2)
    # the tolerance is the a-priori bound on truncation + rounding (fd_error_bound), per derivative
    h = fd_step(tr, k, l)
    fd = np.array([(gamma_by_library(tr, P, k, l + h) - gamma_by_library(tr, P, k, l - h)) / (2 * h) for P in tr])
    d = np.array(T.elasticity_derivatives(*tr, k, l))
    bound = fd_error_bound(tr, k, l, h)
    assert np.all(np.abs(d - fd) <= bound), (d, fd, bound)
    # power: dropping the 1/c factor (a plausible slip) is caught wherever the derivative is resolved
    res = np.abs(d) > 10 * bound
    assert np.all(np.abs(d * (k + 1 + l) - fd)[res] > bound[res])


# ----------------------------------------------------------------------------------------------
# property 6: E6


@given(opposite(), ks, st.floats(0.0, 0.999))
def test_e6_bounds(op, k, frac):
    Pp, Pa, Pt = op
    chi2 = T.chi_square(Pt, Pp)
    l = frac / chi2
    dp, da, _ = T.elasticity_derivatives(Pp, Pa, Pt, k, l)
    c = k + 1 + l
    assert rel(da, 1 / c) <= max(1e-10, 1.01 * stable_form_error(Pp, Pa, Pt, k, l)[1] * c)
    assert dp < 0 < da
    R = -da / dp
    lo, hi = T.opposite_model_bounds(k, l, chi2, P_a=Pa, P_t=Pt)
    # spec slack 1e-10, or the ratio's a-priori rounding bound where gamma_p' is ill-conditioned (l chi^2 -> 1),
    # plus the rounding of the bound itself (chi^2 carries (M + 4) eps relative, amplified by 1/(1 - l chi^2))
    slack = max(1e-10, ratio_error(Pp, Pa, Pt, k, l) + (Pp.size + 4) * EPS * 2 / (1 - l * chi2))
    assert R >= lo * (1 - slack) and R <= hi * (1 + slack)
    # closed form of the lower/upper bound written here (spec §3 E6)
    assert hi == pytest.approx((k + l * (1 + chi2)) / (1 - l * chi2), rel=1e-14, abs=0.0)
    assert T.cross_term_A(Pp, Pa, Pt) == pytest.approx(-1.0, abs=1e-12)


def test_e6_tight_when_rt_constant():
    # P_t proportional to P_p on S_t: Jensen is an equality, R equals the upper bound (hand derivation, spec §3 E6)
    Pp = np.array([0.1, 0.2, 0.3, 0.4])
    Pa = np.array([1.0, 0.0, 0.0, 0.0])
    Pt = np.array([0.0, 0.0, 3 / 7, 4 / 7])
    chi2 = T.chi_square(Pt, Pp)
    assert chi2 == pytest.approx(1 / 0.7 - 1, rel=1e-14, abs=0.0)  # r_t = 1/0.7 on S_t
    k, l = 50.0, 0.5
    R = T.elasticity_ratio(Pp, Pa, Pt, k, l)
    assert R == pytest.approx(T.opposite_model_bounds(k, l, chi2)[1], rel=1e-12, abs=0.0)


def test_e6_worked_example_table():
    # spec §3 E6 table (printed to 5 decimals); chi^2 = 7.9379
    Pp = T.zipf_pmf(64, 1.1)
    Pa = np.r_[np.full(32, 1 / 32), np.zeros(32)]
    Pt = np.r_[np.zeros(32), np.full(32, 1 / 32)]
    assert T.chi_square(Pt, Pp) == pytest.approx(7.9379, abs=5e-5)
    for k, want, up in ((10, 1.09589, 1.09593), (1e2, 1.08719, 1.08719), (1e3, 1.08632, 1.08632),
                        (1e5, 1.08622, 1.08622)):
        assert T.elasticity_ratio(Pp, Pa, Pt, k, 0.01) / k == pytest.approx(want, abs=6e-6)
        assert T.opposite_model_bounds(k, 0.01, T.chi_square(Pt, Pp))[1] / k == pytest.approx(up, abs=6e-6)


def test_e7_asymptotic_ratio_matches_large_k():
    Pp = T.zipf_pmf(64, 1.1)
    Pa = np.r_[np.full(32, 1 / 32), np.zeros(32)]
    Pt = np.r_[np.zeros(32), np.full(32, 1 / 32)]
    A, chi2 = T.cross_term_A(Pp, Pa, Pt), T.chi_square(Pt, Pp)
    rm = T.r_max(Pp, Pa, Pt, 0.01)
    k = 1e7 * rm
    assert T.elasticity_ratio(Pp, Pa, Pt, k, 0.01) == pytest.approx(T.asymptotic_ratio(k, 0.01, A, chi2, r_max=rm),
                                                                    rel=1e-4, abs=0.0)
    with pytest.warns(AsymptoticRangeWarning):
        T.asymptotic_ratio(10.0, 0.01, A, chi2, r_max=rm)


def test_e8_disjoint_supports():
    P = [np.array([0.5, 0.5, 0, 0, 0]), np.array([0, 0, 1.0, 0, 0]), np.array([0, 0, 0, 0.25, 0.75])]
    k, l = 7.0, 0.3
    c = k + 1 + l
    dp, da, dt = T.elasticity_derivatives(*P, k, l)
    assert dp == pytest.approx(1 / c, rel=1e-12, abs=0.0) and da == pytest.approx(1 / c, rel=1e-12, abs=0.0)
    assert dt == pytest.approx(1 / c - 1 / l, rel=1e-12, abs=0.0)  # d/dl [-log(l/c)], by hand
    q = T.mixture(np.stack(P), [k, 1, l])
    want = [math.log(2) - math.log(k / c), -math.log(1 / c), T.entropy(P[2]) - math.log(l / c)]
    np.testing.assert_allclose(T.disjoint_support_rates([T.entropy(p) for p in P], [k, 1, l]), want, rtol=1e-13)
    np.testing.assert_allclose([T.cross_entropy(p, q) for p in P], want, rtol=1e-13)


# ----------------------------------------------------------------------------------------------
# properties 7-9


@given(triples(), st.floats(1.0, 100.0), st.floats(0.01, 1.0), st.floats(0.01, 100.0))
def test_scaling_sizes(tr, k, l, t):
    D = np.stack(tr)
    q1 = T.mixture(D, [k, 1.0, l])
    q2 = T.mixture(D, [t * k, t, t * l])
    np.testing.assert_allclose(q1, q2, rtol=1e-12)
    # d/dN_t with all sizes scaled by t (N_a = t): central differences in N_t equal (d/dl)/t
    d = np.array(T.elasticity_derivatives(*tr, k, l))
    hl = fd_step(tr, k, l)
    h = hl * t

    def g(P, nt):
        return T.cross_entropy(P, T.mixture(D, [t * k, t, nt]))

    fd = np.array([(g(P, t * l + h) - g(P, t * l - h)) / (2 * h) for P in tr])
    # in units of l this is the same difference quotient (step hl): its bound divided by t, plus the
    # rounding of the scaled sizes and abscissae (a few eps relative in l, i.e. eps (l + hl)/hl of the quotient)
    bound = (fd_error_bound(tr, k, l, hl) + np.abs(d) * 4 * EPS * (l + hl) / hl) / t
    assert np.all(np.abs(fd - d / t) <= bound)
    for P in tr:
        assert T.cross_entropy(P, q1) == pytest.approx(T.cross_entropy(P, q2), rel=1e-12, abs=0.0)


@given(triples(), ks, ls, st.randoms(use_true_random=False))
def test_relabelling_leaves(tr, k, l, rnd):
    perm = list(range(tr[0].size))
    rnd.shuffle(perm)
    d1 = np.array(T.elasticity_derivatives(*tr, k, l))
    d2 = np.array(T.elasticity_derivatives(*(P[perm] for P in tr), k, l))
    # the summation order changes: the two results differ by at most twice the a-priori rounding bound
    assert np.all(np.abs(d1 - d2) <= 2 * stable_form_error(*tr, k, l))


@given(opposite(), ks, st.floats(0.01, 0.99), st.data())
def test_refinement_raises_chi2_and_R(op, k, frac, data):
    Pp, Pa, Pt = op
    x = data.draw(st.integers(0, Pp.size - 1))
    sa, st_, sp = (data.draw(st.floats(0.0, 1.0)) for _ in range(3))
    sp = min(max(sp, 1e-3), 1 - 1e-3)

    def refine(P, s):
        return np.r_[P[:x], s * P[x], (1 - s) * P[x], P[x + 1:]]

    Pp2, Pa2, Pt2 = refine(Pp, sp), refine(Pa, sa), refine(Pt, st_)
    chi1, chi2 = T.chi_square(Pt, Pp), T.chi_square(Pt2, Pp2)
    assert chi2 >= chi1 * (1 - 1e-12) - 1e-15
    l = frac / chi2  # l chi^2 < 1 after the split (the E9 proviso)
    R1, R2 = T.elasticity_ratio(Pp, Pa, Pt, k, l), T.elasticity_ratio(Pp2, Pa2, Pt2, k, l)
    # spec tolerance 1e-9, or the two ratios' a-priori rounding bounds where gamma_p' is ill-conditioned
    slack = max(1e-9, ratio_error(Pp, Pa, Pt, k, l) + ratio_error(Pp2, Pa2, Pt2, k, l))
    assert R2 >= R1 * (1 - slack)


def test_refinement_without_proviso_can_decrease_R():
    # negative control for property 9: with l chi^2 > 1 after refinement, gamma_p' changes sign (spec §3 E9)
    Pp = np.array([0.5, 0.5])
    Pa = np.array([1.0, 0.0])
    Pt = np.array([0.0, 1.0])
    Pp2, Pa2, Pt2 = np.array([0.5, 0.49, 0.01]), np.array([1.0, 0, 0]), np.array([0.0, 0.01, 0.99])
    k, l = 100.0, 0.9
    assert T.chi_square(Pt, Pp) * l < 1 < T.chi_square(Pt2, Pp2) * l
    assert T.elasticity_derivatives(Pp, Pa, Pt, k, l)[0] < 0 < T.elasticity_derivatives(Pp2, Pa2, Pt2, k, l)[0]
    assert T.elasticity_ratio(Pp2, Pa2, Pt2, k, l) < 0 < T.elasticity_ratio(Pp, Pa, Pt, k, l)


# ----------------------------------------------------------------------------------------------
# property 10: Huffman


@given(dists(), st.sampled_from([2, 3]))
def test_huffman_kraft_and_bounds(q, b):
    L = T.huffman_code_lengths(q, base=b)
    H = T.entropy(q, base=b)
    LH = float(np.dot(q, L))
    assert H - 1e-12 <= LH < H + 1
    kraft = sum(Fraction(1, b ** int(x)) for x in L)
    assert kraft <= 1 and (b != 2 or kraft == 1)
    # non-increasing lengths in probability: strictly more probable symbols never get longer codes
    for i in range(len(q)):
        for j in range(len(q)):
            if q[i] > q[j]:
                assert L[i] <= L[j]


def test_huffman_counterexample_and_paper_factor():
    # spec §3 Huffman facts: H = 1.99296, L_H = 2.0511; lengths by hand-merging 0.0371+0.1288, +0.1496, +0.2542
    p = [0.2542, 0.1288, 0.1496, 0.4303, 0.0371]
    assert T.huffman_code_lengths(p).tolist() == [2, 4, 3, 1, 4]
    assert T.entropy(p, base=2) == pytest.approx(1.99296, abs=5e-6)
    assert T.compression_rate(p, p, code="huffman") == pytest.approx(2.0511, abs=1e-12)
    assert T.paper_block_code_length(T.entropy(p, base=2), 4, 4) == 2 < 2.0511
    assert T.huffman_code_lengths([0.5, 0.25, 0.25]).tolist() == [1, 2, 2]  # dyadic: L_H = H


def test_huffman_ties_deterministic():
    assert T.huffman_code_lengths([0.25] * 4).tolist() == [2, 2, 2, 2]
    a = T.huffman_code_lengths([0.2, 0.2, 0.2, 0.2, 0.2])
    assert a.tolist() == T.huffman_code_lengths([0.2, 0.2, 0.2, 0.2, 0.2]).tolist()
    assert sorted(a.tolist()) == [2, 2, 2, 3, 3]


# ----------------------------------------------------------------------------------------------
# Zipf, trees, symbolic


def test_zipf_entropy_limit():
    # spec §2.2 item 8: s=2 gives 1.637622 and s=3 gives 0.678502; truncated sums as a second route
    assert T.zipf_entropy_limit(2.0) == pytest.approx(1.637622, abs=1e-6)
    assert T.zipf_entropy_limit(3.0) == pytest.approx(0.678502, abs=1e-6)
    p = T.zipf_pmf(200000, 3.0)
    assert T.entropy(p) == pytest.approx(T.zipf_entropy_limit(3.0), abs=1e-6)


def test_zipf_and_pareto():
    p = T.zipf_pmf(4, 1.0, perm=[3, 2, 1, 0])
    # perm[r-1] receives rank r: ranks 4, 3, 2, 1 on leaves 0..3; harmonic number H_4 = 25/12
    np.testing.assert_allclose(p, np.array([1 / 4, 1 / 3, 1 / 2, 1.0]) / (25 / 12), rtol=1e-14)
    w = T.pareto_masses(np.random.default_rng(0), 100000, 3.0)
    # Pareto(3, 1) has mean 3/2: normalised masses average 1/M and the max/min ratio is large
    assert abs(w.sum() - 1) < 1e-12 and w.max() / w.min() > 10


def test_prune_refinement_and_sizes():
    rng = np.random.default_rng(1)
    V, D = 3, 4
    M = T.tree_n_leaves(V, D)
    assert M == 1 + 3 + 9 + 27 + 81  # EOS leaves at levels 0..3 plus 3^4 nodes
    P = rng.dirichlet(np.ones(M))
    for d in range(1, D):
        coarse, fine = T.prune_leaf_probs(P, V, D, d), T.prune_leaf_probs(P, V, D, d + 1)
        assert coarse.size == T.tree_n_leaves(V, d)
        # coarse-graining: the depth-d node weights are sums of V children plus their EOS leaf
        off = T.tree_level_offsets(V, d + 1)
        eos_d = fine[off[d]: off[d] + V**d]
        kids = fine[off[d + 1]:].reshape(V**d, V).sum(axis=1)
        np.testing.assert_allclose(coarse[-V**d:], eos_d + kids, rtol=1e-12)
    np.testing.assert_allclose(T.prune_leaf_probs(P, V, D, D), P)


def test_symbolic_forms():
    for M in (2, 3, 4):
        f = T.closed_form_derivatives(M)
        assert f.residual == 0
    # numeric cross-check of the sympy derivative against the stable closed form (M = 3)
    f = T.closed_form_derivatives(3)
    s = f.symbols
    Pp, Pa, Pt = np.array([0.2, 0.3, 0.5]), np.array([0.6, 0.2, 0.2]), np.array([0.1, 0.1, 0.8])
    sub = {s["k"]: 7.0, s["l"]: 0.3}
    for name, P in (("pp", Pp), ("pa", Pa), ("pt", Pt)):
        sub.update({sym: float(v) for sym, v in zip(s[name], P[:-1])})
    got = [float(d.subs(sub)) for d in (f.d_p, f.d_a, f.d_t)]
    np.testing.assert_allclose(got, T.elasticity_derivatives(Pp, Pa, Pt, 7.0, 0.3), rtol=1e-12)
    g = T.closed_form_opposite_model()
    assert g.R_at_0 == g.symbols["k"] and g.gap == 0


def test_theory_does_not_import_jax():
    out = subprocess.run([sys.executable, "-c", "import sys, aligntheory.theory.elasticity; "
                          "print('jax' in sys.modules)"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ----------------------------------------------------------------------------------------------
# edge cases (spec §7)


def test_edge_l_zero_k_one_and_one_leaf_supports():
    Pp, Pa, Pt = np.array([0.5, 0.5]), np.array([1.0, 0.0]), np.array([0.0, 1.0])
    # by hand: gamma_p'(0) = -1/(k(k+1)) = -1/2, gamma_a' = 1/c = 1/2 at k=1 (spec §3 E6)
    dp, da, _ = T.elasticity_derivatives(Pp, Pa, Pt, 1.0, 0.0)
    assert dp == pytest.approx(-0.5, rel=1e-15, abs=0.0) and da == pytest.approx(0.5, rel=1e-15, abs=0.0)
    assert T.elasticity_ratio(Pp, Pa, Pt, 1.0, 0.0) == pytest.approx(1.0, rel=1e-15, abs=0.0)


def test_edge_pt_equals_pa_reverses_signs():
    Pp, Pa = np.array([0.5, 0.3, 0.2]), np.array([0.1, 0.2, 0.7])
    A = T.cross_term_A(Pp, Pa, Pa)
    assert A == pytest.approx(T.chi_square(Pa, Pp), rel=1e-12, abs=0.0) and A > 0
    dp, da, _ = T.elasticity_derivatives(Pp, Pa, Pa, 1e3, 0.1)
    assert dp > 0 > da
    assert 0 < T.elasticity_ratio(Pp, Pa, Pa, 1e3, 0.1) <= 1e3


# ----------------------------------------------------------------------------------------------
# bad input (spec §7)


GOOD = (np.array([0.5, 0.5]), np.array([1.0, 0.0]), np.array([0.0, 1.0]))


@pytest.mark.parametrize("bad", [[0.5, -0.1, 0.6], [0.5, float("nan"), 0.5], [0.5, float("inf")], [0.4, 0.4]])
def test_bad_distribution(bad):
    with pytest.raises(InvalidInputError, match="not a probability vector") as e:
        T.cross_entropy(bad, [1 / len(bad)] * len(bad))
    assert e.value.argument == "p" and "sum" in str(e.value) and "most negative" in str(e.value)


def test_bad_mismatched_shapes():
    with pytest.raises(InvalidInputError, match=r"\(3,\).*\(2,\)|\(2,\).*\(3,\)") as e:
        T.elasticity_derivatives(GOOD[0], GOOD[1], [0.2, 0.3, 0.5], 1.0, 0.0)
    assert e.value.argument == "P_t"


@pytest.mark.parametrize("k,l,arg", [(0.0, 0.1, "k"), (-1.0, 0.1, "k"), (float("inf"), 0.1, "k"),
                                     (1.0, -0.1, "l"), (1.0, float("nan"), "l")])
def test_bad_k_l(k, l, arg):
    with pytest.raises(InvalidInputError, match=arg) as e:
        T.elasticity_ratio(*GOOD, k, l)
    assert e.value.argument == arg


@pytest.mark.parametrize("sizes", [[1.0, 0.0], [1.0, -2.0], [1.0, float("nan")]])
def test_bad_sizes(sizes):
    with pytest.raises(InvalidInputError, match="sizes"):
        T.mixture([[0.5, 0.5], [1.0, 0.0]], sizes)


def test_bad_small_alphabet():
    with pytest.raises(InvalidInputError, match="M >= 2") as e:
        T.huffman_code_lengths([1.0])
    assert e.value.argument == "q"
    with pytest.raises(InvalidInputError, match="n_leaves"):
        T.normalized_compression_rate([1.0], [1.0], 1)


def test_bad_support():
    with pytest.raises(InvalidInputError, match=r"support.*index 1") as e:
        T.cross_entropy([0.5, 0.5], [1.0, 0.0])
    assert e.value.received == 1
    with pytest.raises(InvalidInputError, match=r"support.*index 0"):
        T.chi_square([1.0, 0.0], [0.0, 1.0])
    with pytest.raises(InvalidInputError, match=r"support.*index 0"):
        T.cross_term_A([0.0, 1.0], [1.0, 0.0], [0.0, 1.0])
    with pytest.raises(InvalidInputError, match=r"support"):
        T.elasticity_derivatives([1.0, 0.0], [1.0, 0.0], [0.0, 1.0], 1.0, 0.0)


def test_bad_opposite_bounds():
    with pytest.raises(InvalidInputError, match=r"chi\^2 = 2.0.*l < 1/chi\^2") as e:
        T.opposite_model_bounds(10.0, 0.5, 2.0)
    assert e.value.argument == "l"
    with pytest.raises(InvalidInputError, match="overlap"):
        T.opposite_model_bounds(10.0, 0.1, 1.0, P_a=[0.5, 0.5], P_t=[0.5, 0.5])


def test_bad_ratio_undefined():
    Pp = np.array([0.25, 0.25, 0.5])
    with pytest.raises(InvalidInputError, match="ratio undefined") as e:
        T.elasticity_ratio(Pp, Pp, Pp, 10.0, 0.3)  # P_p = P_a = P_t: gamma_p' = 0 exactly
    assert e.value.argument == "P_t"
    # P_t = P_p alone does not make gamma_p' vanish at finite k (Cauchy-Schwarz: sum P_p^2/q > 1 unless P_a = P_p)
    assert T.elasticity_derivatives(Pp, np.array([0.5, 0.25, 0.25]), Pp, 10.0, 0.3)[0] < 0
    with pytest.raises(InvalidInputError, match="ratio undefined"):
        T.asymptotic_ratio(10.0, 0.5, -1.0, 2.0)


def test_bad_zipf_and_depth():
    with pytest.raises(InvalidInputError, match="s"):
        T.zipf_pmf(5, 0.0)
    with pytest.raises(InvalidInputError, match="diverges") as e:
        T.zipf_entropy_limit(1.0)
    assert e.value.argument == "s"
    P = np.full(7, 1 / 7)
    for d in (0, 3):
        with pytest.raises(InvalidInputError, match="d") as e:
            T.prune_leaf_probs(P, 2, 2, d)
        assert e.value.argument == "d"


def test_compression_rate_options():
    with pytest.raises(InvalidInputError, match="depth"):
        T.compression_rate([0.5, 0.5], [0.5, 0.5], per_token=True)
    with pytest.raises(InvalidInputError, match="code"):
        T.compression_rate([0.5, 0.5], [0.5, 0.5], code="arith")
    # nats vs bits: ideal rate in base e equals the bits value times log 2
    assert T.compression_rate([0.5, 0.5], [0.25, 0.75], base=math.e) == pytest.approx(
        T.compression_rate([0.5, 0.5], [0.25, 0.75]) * math.log(2), rel=1e-14, abs=0.0)

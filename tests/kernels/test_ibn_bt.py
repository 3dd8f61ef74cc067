"""Bradley--Terry fitting and continuous feedback (spec ibn.md §2.2, §3.2, §4.2, §7).

Expected values come from independent routes: scipy.optimize on the log-likelihood written out in
the test, numpy least squares, numpy pseudo-inverses, choix (anchor), closed forms.
"""

from collections import Counter

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import optimize, stats

from aligntheory.errors import ConvergenceError, DisconnectedGraphError, InvalidInputError, PrecisionError
from aligntheory.kernels import ibn as KI


def _bt_data(rng, n, m, spread=1.0):
    r = rng.normal(0.0, spread, n)
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = a != b
    a, b = a[keep], b[keep]
    win = rng.random(len(a)) < 1.0 / (1.0 + np.exp(-(r[a] - r[b])))
    return np.stack([np.where(win, a, b), np.where(win, b, a)], 1)


def _negloglik(theta, data, prior=0.0):
    # written independently of the library: sum over rows of -log sigma(theta_w - theta_l)
    d = theta[data[:, 0]] - theta[data[:, 1]]
    nll = np.sum(np.logaddexp(0.0, -d))
    if prior:
        nll -= 0.5 * prior * np.sum(-np.logaddexp(0.0, -theta) - np.logaddexp(0.0, theta))
    return nll


def _scipy_fit(n, data, prior=0.0):
    # independent route: BFGS with analytic-free numerical optimisation, item 0 pinned when no prior
    if prior:
        res = optimize.minimize(_negloglik, np.zeros(n), args=(data, prior), method="BFGS",
                                options={"gtol": 1e-10, "maxiter": 10000})
        x = res.x
    else:
        f = lambda z: _negloglik(np.concatenate([[0.0], z]), data)  # noqa: E731
        res = optimize.minimize(f, np.zeros(n - 1), method="BFGS", options={"gtol": 1e-10, "maxiter": 10000})
        x = np.concatenate([[0.0], res.x])
    return x - x.mean()


@pytest.fixture(scope="module")
def small():
    rng = np.random.default_rng(11)
    return 12, _bt_data(rng, 12, 400)


def test_newton_matches_scipy_optimize(small):
    n, data = small
    fit = KI.fit_bradley_terry(n, data)
    ref = _scipy_fit(n, data)
    assert fit.converged and fit.grad_norm <= 1e-10
    assert np.max(np.abs(fit.scores - ref)) <= 1e-5  # BFGS with gtol 1e-10 is accurate to ~1e-6
    assert abs(fit.scores.sum()) <= 1e-12


def test_newman_matches_newton(small):
    n, data = small
    a = KI.fit_bradley_terry(n, data, method="newton")
    b = KI.fit_bradley_terry(n, data, method="newman")
    # b.solver: the step test's solve at Newman's iterate (round 13); Newman took every step
    assert a.method == "newton" and b.method == "newman" and b.solver == "dense" and b.newman_iterations == b.iterations
    assert np.max(np.abs(a.scores - b.scores)) <= 1e-6


@pytest.mark.anchor
def test_matches_choix(small):
    choix = pytest.importorskip("choix")
    n, data = small
    fit = KI.fit_bradley_terry(n, data)
    ref = choix.ilsr_pairwise(n, data, alpha=0.0, tol=1e-12)  # choix fits theta = beta r (beta = 1)
    assert np.max(np.abs(fit.scores - (ref - ref.mean()))) <= 1e-6
    ref2 = choix.opt_pairwise(n, data, alpha=0.0, tol=1e-12)
    assert np.max(np.abs(fit.scores - (ref2 - ref2.mean()))) <= 1e-6


def test_beta_scaling_and_permutation(small):
    n, data = small
    f1 = KI.fit_bradley_terry(n, data)
    f2 = KI.fit_bradley_terry(n, data, beta=2.0)
    np.testing.assert_allclose(f2.scores, f1.scores / 2.0, atol=1e-10)  # r = theta / beta
    perm = np.random.default_rng(3).permutation(n)
    fp = KI.fit_bradley_terry(n, perm[data])
    np.testing.assert_allclose(fp.scores[perm], f1.scores, atol=1e-10)


def test_shift_invariance_of_likelihood(small):
    # the likelihood is invariant under r -> r + k: the reported (centred) optimum is an optimum of
    # every shift, and the fit does not depend on how labels are offset
    n, data = small
    fit = KI.fit_bradley_terry(n, data)
    base = _negloglik(fit.scores, data)
    for k in (-3.0, 0.5, 7.0):
        assert abs(_negloglik(fit.scores + k, data) - base) <= 1e-9 * abs(base)
    assert abs(-base - fit.loglik) <= 1e-9 * abs(base)


def test_jax_kernels_agree_and_shift_invariant(small):
    n, data = small
    e, w, K = KI.aggregate_comparisons(n, data)
    ref = KI.fit_bradley_terry(n, data).scores
    nm = KI.fit_bt_newman(n, e, w, K, 1.0)
    nt = KI.fit_bt_newton(n, e, w, K, 1.0)
    assert float(nm.grad_norm) <= 1e-10
    np.testing.assert_allclose(np.asarray(nm.scores), ref, atol=1e-6)
    np.testing.assert_allclose(np.asarray(nt.scores), ref, atol=1e-6)
    assert abs(float(jnp.sum(nm.scores))) <= 1e-10


def test_two_items_closed_form():
    # 3 wins out of 4: r0 - r1 = logit(3/4) = log 3 (closed form), for both methods
    data = [[0, 1]] * 3 + [[1, 0]]
    for method in ("newton", "newman"):
        fit = KI.fit_bradley_terry(2, data, method=method)
        assert abs(fit.scores[0] - fit.scores[1] - np.log(3.0)) <= 1e-10


def test_stderr_is_sqrt_diag_pinv_fisher(small):
    n, data = small
    fit = KI.fit_bradley_terry(n, data)
    # independent: Fisher Laplacian at the optimum from the raw rows, numpy pinv
    p = 1.0 / (1.0 + np.exp(-(fit.scores[data[:, 0]] - fit.scores[data[:, 1]])))
    L = np.zeros((n, n))
    for (a, b), q in zip(data, p):
        c = q * (1 - q)
        L[a, a] += c
        L[b, b] += c
        L[a, b] -= c
        L[b, a] -= c
    np.testing.assert_allclose(fit.stderr, np.sqrt(np.diag(np.linalg.pinv(L))), rtol=1e-8)


def test_aggregate_matches_counter():
    rng = np.random.default_rng(5)
    data = _bt_data(rng, 7, 300)
    e, w, K = KI.aggregate_comparisons(7, data)
    cnt = Counter(map(tuple, data.tolist()))
    for (a, b), wa, k in zip(e.tolist(), w, K):
        assert a < b
        assert wa == cnt[(a, b)] and k == cnt[(a, b)] + cnt[(b, a)]
    assert K.sum() == len(data)
    # weighted counts: two rows with weights equal one row counted twice
    e2, w2, K2 = KI.aggregate_comparisons(3, [[0, 1], [1, 0]], counts=[2.0, 0.5])
    assert e2.tolist() == [[0, 1]] and w2.tolist() == [2.0] and K2.tolist() == [2.5]


def test_not_strongly_connected_raises_with_components():
    # item 2 never wins: the beats graph has strongly connected components {0, 1} and {2}
    data = [[0, 1], [1, 0], [0, 2], [1, 2]]
    with pytest.raises(DisconnectedGraphError) as ei:
        KI.fit_bradley_terry(3, data)
    assert ei.value.directed is True
    assert sorted(map(sorted, ei.value.components)) == [[0, 1], [2]]
    assert "strongly connected" in str(ei.value)


def test_prior_strength_gives_map(small):
    data = np.array([[0, 1], [1, 0], [0, 2], [1, 2]])
    fit = KI.fit_bradley_terry(3, data, prior_strength=2.0)
    assert fit.prior_strength == 2.0 and fit.converged
    assert fit.scores[2] < min(fit.scores[0], fit.scores[1])
    ref = _scipy_fit(3, data, prior=2.0)
    np.testing.assert_allclose(fit.scores, ref, atol=1e-5)
    fn = KI.fit_bradley_terry(3, data, prior_strength=2.0, method="newman")
    np.testing.assert_allclose(fn.scores, fit.scores, atol=1e-6)
    e, w, K = KI.aggregate_comparisons(3, data)
    kj = KI.fit_bt_newman(3, e, w, K, 1.0, prior_strength=2.0)
    np.testing.assert_allclose(np.asarray(kj.scores), fit.scores, atol=1e-6)
    # with a prior, an item that was never compared still gets a finite score (the prior mean)
    f4 = KI.fit_bradley_terry(4, data, prior_strength=2.0)
    assert np.all(np.isfinite(f4.scores)) and np.all(np.isfinite(f4.stderr))


def test_convergence_error(small):
    n, data = small
    with pytest.raises(ConvergenceError) as ei:
        KI.fit_bradley_terry(n, data, method="newman", maxiter=2, tol=1e-14)
    assert ei.value.iterations == 2 and ei.value.residual > 1e-14
    fit = KI.fit_bradley_terry(n, data, method="newman", maxiter=2, tol=1e-14, throw=False)
    assert fit.converged is False


def test_chain_newton_reaches_tight_gradient():
    # on a chain (path comparison graph) first-order iterations stall; Newton uses exact elimination
    rng = np.random.default_rng(2)
    n = 1500
    r = np.cumsum(rng.normal(0.0, 0.2, n))
    u = np.repeat(np.arange(n - 1), 10)
    win = rng.random(len(u)) < 1.0 / (1.0 + np.exp(-(r[u] - r[u + 1])))
    data = np.stack([np.where(win, u, u + 1), np.where(win, u + 1, u)], 1)
    # make every pair two-sided so the MLE exists
    data = np.concatenate([data, np.stack([np.arange(n - 1), np.arange(1, n)], 1),
                           np.stack([np.arange(1, n), np.arange(n - 1)], 1)])
    fit = KI.fit_bradley_terry(n, data, stderr="none")
    assert fit.solver == "tree" and fit.grad_norm <= 1e-10
    slow = KI.fit_bradley_terry(n, data, method="newman", maxiter=200, throw=False, stderr="none")
    assert slow.grad_norm > 1e3 * fit.grad_norm


@pytest.mark.parametrize("kwargs,arg", [
    ({"comparisons": np.zeros((3, 3), np.int64)}, "comparisons"),
    ({"comparisons": [[0, 5]]}, "comparisons"),
    ({"comparisons": [[1, 1]]}, "comparisons"),
    ({"comparisons": [[0, 1], [1, 0]], "beta": 0.0}, "beta"),
    ({"comparisons": [[0, 1], [1, 0]], "beta": float("nan")}, "beta"),
    ({"comparisons": [[0, 1], [1, 0]], "method": "lbfgs"}, "method"),
    ({"comparisons": [[0, 1], [1, 0]], "counts": [1.0, -1.0]}, "counts"),
    ({"comparisons": [[0, 1], [1, 0]], "prior_strength": -1.0}, "prior_strength"),
])
def test_bad_input(kwargs, arg):
    with pytest.raises(InvalidInputError) as ei:
        KI.fit_bradley_terry(kwargs.pop("comparisons"), n_items=3, **kwargs)
    assert ei.value.argument == arg and arg in str(ei.value)


def test_precision_errors():
    e = np.array([[0, 1]])
    f32 = np.array([1.0], np.float32)
    with pytest.raises(PrecisionError):
        KI.fit_bt_newman(2, e, f32, np.array([2.0]), 1.0)
    with pytest.raises(PrecisionError):
        KI.fit_ls_continuous(2, e, f32, np.array([1.0]), 1.0)
    with pytest.raises(PrecisionError):
        KI.simulate_bt_continuous(jax.random.PRNGKey(0), np.zeros(2, np.float32), e, np.array([1.0]), 1.0)
    with pytest.raises(PrecisionError):
        KI.mc_difference_variance_continuous(jax.random.PRNGKey(0), np.zeros(2), e, f32, 1.0, e, 10)


def test_ls_continuous_matches_weighted_lstsq():
    rng = np.random.default_rng(8)
    n = 9
    e = np.array([[i, j] for i in range(n) for j in range(i + 1, n) if rng.random() < 0.5] + [[0, n - 1]])
    e = np.concatenate([e, np.stack([np.arange(n - 1), np.arange(1, n)], 1)])
    d = rng.normal(size=len(e))
    K = rng.integers(1, 5, len(e)).astype(float)
    beta = 1.7
    r = np.asarray(KI.fit_ls_continuous(n, e, d, K, beta))
    # independent: weighted least squares with weights K (constant factors cancel), min-norm solution
    B = np.zeros((len(e), n))
    B[np.arange(len(e)), e[:, 0]] = 1.0
    B[np.arange(len(e)), e[:, 1]] = -1.0
    sw = np.sqrt(K)
    ref = np.linalg.lstsq(B * sw[:, None], d * sw, rcond=None)[0]
    np.testing.assert_allclose(r, ref - ref.mean(), atol=1e-10)


def test_continuous_sampler_bt_invariant():
    # Pr[delta > 0] = sigma(beta (r_a - r_b)) for one logistic label (spec §2.2); binomial test at level 1e-3
    r = np.array([0.3, -0.2])
    beta = 2.0
    N = 100_000
    e = np.tile(np.array([[0, 1]]), (N, 1))
    d = np.asarray(KI.simulate_bt_continuous(jax.random.PRNGKey(1), r, e, np.ones(N), beta))
    p = 1.0 / (1.0 + np.exp(-beta * 0.5))
    assert stats.binomtest(int((d > 0).sum()), N, p).pvalue > 1e-3
    # variance of one label: pi^2 / (3 beta^2) (chi-square band, level 1e-3, kurtosis 1.2 -> nu = 2(N-1)/3.2)
    nu = 2 * (N - 1) / 3.2
    ratio = d.var(ddof=1) / (np.pi**2 / (3 * beta**2))
    assert stats.chi2.ppf(5e-4, nu) / nu <= ratio <= stats.chi2.ppf(1 - 5e-4, nu) / nu


def test_mc_continuous_variance_is_resistance():
    from aligntheory.theory import ibn as T

    e = np.array([[0, 1], [1, 2], [2, 0], [2, 3]])
    beta, R = 1.5, 6000
    K = np.array([1.0, 2.0, 1.0, 3.0])
    pairs = np.array([[0, 3], [1, 2]])
    out = KI.mc_difference_variance_continuous(jax.random.PRNGKey(2), np.array([0.1, -0.4, 0.2, 0.0]), e, K, beta,
                                               pairs, R)
    reff = T.effective_resistance(4, e, variances=np.pi**2 / (3 * beta**2 * K), pairs=pairs)
    nu = 2 * (R - 1) / (2 + 1.2)  # kurtosis-corrected chi-square, level 1e-3 per pair
    lo, hi = stats.chi2.ppf(2.5e-4, nu) / nu, stats.chi2.ppf(1 - 2.5e-4, nu) / nu
    ratio = np.asarray(out.var) / reff
    assert np.all((lo <= ratio) & (ratio <= hi)), ratio


def test_accelerated_newman_on_dense_pairs_matches_choix():
    """The Anderson-accelerated fixed point (dense random pairs, the benchmark regime) against choix, and
    against the plain fixed point, which needs more iterations to the same gradient."""
    choix = pytest.importorskip("choix")
    from aligntheory.numerics import _bt_fit as BF
    from aligntheory.numerics.bradley_terry import aggregate_comparisons

    rng = np.random.default_rng(21)
    n, m = 300, 30_000
    r = rng.normal(size=n)
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    a, b = a[a != b], b[a != b]
    win = rng.random(len(a)) < 1 / (1 + np.exp(-(r[a] - r[b])))
    data = np.stack([np.where(win, a, b), np.where(win, b, a)], 1)
    fit = KI.fit_bradley_terry(data, n_items=n, method="newman", tol=1e-10, stderr="none")
    ref = choix.ilsr_pairwise(n, data, alpha=0.0, tol=1e-12)
    assert np.max(np.abs(fit.scores - (ref - ref.mean()))) <= 1e-6  # choix stops on a parameter change of 1e-12
    e, w, K = aggregate_comparisons(n, data)
    th0, gn0, it0, _ = BF._newman_host(n, e, w, K, 0.0, 1.0, 1e-10, 10_000, anderson=0)
    th5, gn5, it5, _ = BF._newman_host(n, e, w, K, 0.0, 1.0, 1e-10, 10_000, anderson=5)
    assert gn0 <= 1e-10 and gn5 <= 1e-10 and it5 < it0
    assert np.max(np.abs(th0 - th5)) <= 1e-9  # both at |grad| <= 1e-10, Fisher eigenvalues >= ~1

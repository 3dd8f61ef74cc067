"""The IBN model and the reconstructed asymptotics (spec ``ibn.md`` §2, §3.4, §4.1) against independent values.

Golden numbers come from the spec's reference tables (computed there with mpmath) or are
recomputed here with mpmath / sympy / scipy quadrature; each says where it comes from.
"""

import math
import subprocess
import sys
import warnings

import mpmath
import networkx as nx
import numpy as np
import pytest
import scipy.integrate
import scipy.optimize
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from aligntheory.errors import InvalidInputError, PaperUnverifiedError
from aligntheory.theory import ibn as T

GAMMA = 0.5772156649015329  # Euler's constant (mpmath.euler)


def test_theory_import_does_not_load_jax():
    code = "import sys, aligntheory.theory.ibn; print('jax' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# feedback model ---------------------------------------------------------------------------------


@given(st.floats(-20, 20), st.floats(-20, 20), st.floats(0.01, 10))
def test_bt_prob_is_logistic(a, b, beta):
    x = beta * (a - b)
    expected = 1 / (1 + mpmath.exp(-x))  # mpmath, independent of scipy.special.expit
    assert T.bt_prob(a, b, beta) == pytest.approx(float(expected), rel=1e-13, abs=1e-300)
    assert T.bt_prob(a, b, beta) + T.bt_prob(b, a, beta) == pytest.approx(1.0, abs=1e-15)


def test_bt_prob_does_not_overflow():
    assert T.bt_prob(1e6, 0.0, 1.0) == 1.0
    assert T.bt_prob(-1e6, 0.0, 1.0) == 0.0


@pytest.mark.parametrize("beta", [0.5, 1.0, 3.0])
def test_hp_edge_var_continuous_by_quadrature(beta):
    s = 1 / beta  # logistic scale
    f = lambda x: math.exp(-x / s) / (s * (1 + math.exp(-x / s)) ** 2)  # noqa: E731
    var = scipy.integrate.quad(lambda x: x * x * f(x), -60 * s, 60 * s, epsabs=1e-13)[0]
    score = lambda x: -(1 / s) * math.tanh(x / (2 * s))  # d/dx log f  # noqa: E731
    fisher = scipy.integrate.quad(lambda x: score(x) ** 2 * f(x), -60 * s, 60 * s, epsabs=1e-13)[0]
    assert T.hp_edge_var(beta, feedback="continuous") == pytest.approx(var, rel=1e-9, abs=0.0)
    assert T.hp_edge_var(beta, feedback="continuous", estimator="mle") == pytest.approx(1 / fisher, rel=1e-9, abs=0.0)


@given(st.floats(0.01, 0.99), st.floats(0.1, 5))
def test_hp_edge_var_binary(p, beta):
    v = T.hp_edge_var(beta, feedback="binary", p=p)
    # inverse Fisher information of one Bernoulli(sigma(beta * dr)) label about dr, written out
    assert v == pytest.approx(1 / (beta**2 * p * (1 - p)), rel=1e-14, abs=0.0)
    assert v >= 4 / beta**2 * (1 - 1e-12)
    dr = math.log(p / (1 - p)) / beta
    assert T.hp_edge_var(beta, feedback="binary", delta_r=dr) == pytest.approx(v, rel=1e-9, abs=0.0)


def test_hp_edge_var_binary_stable_at_large_difference():
    # p(1-p) = sigma(x) sigma(-x) ~ e^{-x} for x = 500: computed without cancellation
    v = T.hp_edge_var(1.0, feedback="binary", delta_r=500.0)
    assert v == pytest.approx(float(1 / (mpmath.exp(500) / (1 + mpmath.exp(500)) ** 2)), rel=1e-10, abs=0.0)


@given(st.floats(0, 5), st.floats(0.01, 10))
def test_decoder_bounds_formula(eps, beta):
    b = T.decoder_bounds(eps, beta)
    assert float(b.sup_log_ratio) == float(b.kl) == pytest.approx(beta * eps, rel=1e-6, abs=0.0)
    # (e^x - 1)/2 capped at the trivial bound 1
    assert float(b.tv) == pytest.approx(min(1.0, float(mpmath.expm1(beta * eps) / 2)), rel=1e-12, abs=1e-300)
    assert b.kl.kind == b.tv.kind == "upper" and b.kl.provenance == "M"
    x = sp.Symbol("beta", positive=True) * sp.Symbol("epsilon", positive=True)
    assert sp.simplify(b.tv.sympy() - (sp.exp(x) - 1) / 2) == 0


@given(st.integers(2, 8), st.floats(0.1, 5), st.data())
def test_decoder_bounds_hold_on_random_instances(N, beta, data):
    r = np.array(data.draw(st.lists(st.floats(-3, 3), min_size=N, max_size=N)))
    e = np.array(data.draw(st.lists(st.floats(-1, 1), min_size=N, max_size=N)))
    lp = lambda x: beta * x - np.log(np.sum(np.exp(beta * x)))  # noqa: E731
    lh, ll = lp(r), lp(r + e)
    b = T.decoder_bounds(float(e.max() - e.min()), beta)
    assert np.max(np.abs(ll - lh)) <= float(b.sup_log_ratio) + 1e-12
    assert np.sum(np.exp(ll) * (ll - lh)) <= float(b.kl) + 1e-12
    assert 0.5 * np.sum(np.abs(np.exp(ll) - np.exp(lh))) <= float(b.tv) + 1e-12


# IBN and inference distances -------------------------------------------------------------------


def test_ibn_validates_and_freezes():
    g = T.IBN(3, [[0, 1], [1, 2]], [1.0, 2.0], kind=["HP", "IB"])
    assert g.kind.tolist() == ["HP", "IB"] and g.is_response.all()
    with pytest.raises(ValueError):
        g.edges[0, 0] = 2
    with pytest.raises(Exception):
        g.n_nodes = 4


def test_exact_distance_closed_forms():
    # cycle C_6, conductance 2: R at hop distance k is k(N-k)/(Nc) (spec §3.3)
    g = T.IBN(6, [[i, (i + 1) % 6] for i in range(6)], [0.5] * 6)
    for k in range(1, 6):
        assert T.inference_distance_exact(g, 0, k) == pytest.approx(k * (6 - k) / 12, rel=1e-12, abs=0.0)
    assert T.inference_distance_exact(g, 3, 3) == 0.0


def test_prior_variance_matches_direct_inverse_and_tends_to_reff():
    g = T.IBN(4, [[0, 1], [1, 2], [2, 3], [0, 2]], [1.0, 2.0, 0.5, 3.0])
    L = T.laplacian(4, g.edges, variances=g.variances)
    ev = np.array([1.0, 0, 0, -1.0])
    for tau2 in (1.0, 10.0, 1e3):
        direct = ev @ np.linalg.inv(L + np.eye(4) / tau2) @ ev
        assert T.inference_distance_exact(g, 0, 3, prior_var=tau2) == pytest.approx(direct, rel=1e-12, abs=0.0)
    R = T.inference_distance_exact(g, 0, 3)
    assert T.inference_distance_exact(g, 0, 3, prior_var=1e8) == pytest.approx(R, rel=1e-7, abs=0.0)


def test_path_distance_against_networkx_dijkstra():
    rng = np.random.default_rng(3)
    G = nx.gnp_random_graph(15, 0.3, seed=4)
    e = np.array(G.edges())
    v = 10 ** rng.uniform(-2, 2, len(e))
    for (a, b), w in zip(e, v):
        G[a][b]["w"] = w
    g = T.IBN(15, e, v)
    lengths = dict(nx.all_pairs_dijkstra_path_length(G, weight="w"))
    for u in range(15):
        for t in range(15):
            want = lengths[u].get(t, np.inf)
            assert T.inference_distance_path(g, u, t) == pytest.approx(want, rel=1e-12, abs=0.0)


def test_mean_inference_distance_is_mean_and_standard_error():
    g = T.IBN(4, [[0, 1], [1, 2], [2, 3]], [1.0, 2.0, 3.0])
    pairs = [[0, 1], [0, 2], [0, 3], [1, 3]]
    d = np.array([1.0, 3.0, 6.0, 5.0])  # path sums (a tree: exact = path)
    for method in ("exact", "path"):
        m, se = T.mean_inference_distance(g, pairs, method=method)
        assert m == pytest.approx(d.mean(), rel=1e-12, abs=0.0)
        assert se == pytest.approx(d.std(ddof=1) / 2, rel=1e-10, abs=0.0)


def test_sparse_route_agrees_with_dense():
    # above 3000 nodes the exact distance uses a sparse LU of the grounded Laplacian
    rng = np.random.default_rng(0)
    n = 3100
    tree = np.array([[i, int(rng.integers(0, i))] for i in range(1, n)])
    extra = rng.integers(0, n, (400, 2))
    extra = extra[extra[:, 0] != extra[:, 1]]
    e = np.vstack([tree, extra])
    v = 10 ** rng.uniform(-1, 1, len(e))
    pairs = rng.integers(0, n, (20, 2))
    g = T.IBN(n, e, v)
    m, _ = T.mean_inference_distance(g, pairs)
    R = T.effective_resistance(n, e, variances=v, pairs=pairs, method="sparse", tol=1e-13)
    assert m == pytest.approx(R.mean(), rel=1e-9, abs=0.0)
    m2, _ = T.mean_inference_distance(g, pairs, prior_var=1e4)
    assert m2 < m and m2 == pytest.approx(m, rel=1e-2, abs=0.0)


# structural function and the universe -----------------------------------------------------------


@pytest.mark.parametrize("regime", ["poly", "log", "sublog"])
def test_structural_function_against_sympy(regime):
    F = T.StructuralFunction(regime, 2.5, 0.7)
    M = sp.Symbol("M", positive=True)
    written = {"poly": 2.5 * M**-0.7, "log": 2.5 * (1 + sp.log(M)) ** -0.7,
               "sublog": 2.5 * (1 + sp.log(1 + sp.log(M))) ** -0.7}[regime]
    for m in (1.0, 3.0, 100.0, 1e6):
        assert F(m) == pytest.approx(float(written.subs(M, m)), rel=1e-12, abs=0.0)
        assert F(m) == pytest.approx(float(F.sympy().subs(M, m)), rel=1e-12, abs=0.0)
        slope = float(sp.diff(sp.log(written), M).subs(M, m) * m)  # d ln F / d ln M
        assert F.log_slope(m) == pytest.approx(slope, rel=1e-10, abs=0.0)
    assert F(1.0) == 2.5
    ms = np.geomspace(1, 1e8, 50)
    assert np.all(np.diff(F(ms)) < 0)
    assert F.inverse(F(37.0)) == pytest.approx(37.0, rel=1e-10, abs=0.0)


@pytest.mark.parametrize("regime", ["poly", "log", "sublog"])
def test_tau_schedule_telescopes(regime):
    F = T.StructuralFunction(regime, 1.0, 0.5)
    B, D = 3, 5
    tau = T.tau_schedule(F, B, D)
    assert 2 * tau.sum() == pytest.approx(1.0, rel=1e-14, abs=0.0)
    for m in range(D):
        assert 2 * tau[m:].sum() == pytest.approx(F(float(B**m)), rel=1e-12, abs=0.0)
    assert np.all(tau > 0)


def test_tau_schedule_poly_infinite_depth_column():
    # spec §2.7 column: tau_k^2 = I/2 (B^alpha - 1) B^{-alpha k} for k < D
    F = T.StructuralFunction("poly", 2.0, 1.5)
    tau = T.tau_schedule(F, 4, 6)
    k = np.arange(1, 6)
    assert np.allclose(tau[:-1], 1.0 * (4**1.5 - 1) * 4.0 ** (-1.5 * k), rtol=1e-12, atol=0.0)


def test_ibn_from_universe_tree_distances():
    rng = np.random.default_rng(1)
    B, D = 3, 4
    resp = rng.integers(0, B, (25, D))
    tau = np.array([1.0, 0.3, 0.1, 0.05])
    g = T.ibn_from_universe(resp, B, tau, np.zeros((0, 2), int), 1.0)
    # independent prefix tree with networkx: nodes are prefixes as tuples
    G = nx.Graph()
    for y in resp.tolist():
        for k in range(1, D + 1):
            G.add_edge(tuple(y[: k - 1]), tuple(y[:k]))
    assert g.n_nodes == G.number_of_nodes()
    assert g.is_response.sum() == len({tuple(y) for y in resp.tolist()})
    for i in range(10):
        for j in range(10):
            a, b = resp[i], resp[j]
            h = next((k for k in range(D) if a[k] != b[k]), D)  # LCA depth
            want = 2 * tau[h:].sum()
            u, w = int(g.response_node[i]), int(g.response_node[j])
            assert T.inference_distance_path(g, u, w) == pytest.approx(want, rel=1e-12, abs=0.0)
            assert T.inference_distance_exact(g, u, w) == pytest.approx(want, rel=1e-9, abs=1e-14)
    assert (g.prefix_id == -1).sum() == 1 and set(g.kind.tolist()) == {"IB"}


def test_ibn_from_universe_hp_edges_shorten_distances():
    resp = np.array([[0, 0], [1, 1]])
    g = T.ibn_from_universe(resp, 2, [1.0, 1.0], [[0, 1]], 0.5)
    u, w = g.response_node
    # IB path 4 in parallel with the HP edge 0.5: 1/(1/4 + 1/0.5)
    assert T.inference_distance_exact(g, int(u), int(w)) == pytest.approx(1 / (0.25 + 2), rel=1e-12, abs=0.0)
    assert T.inference_distance_path(g, int(u), int(w)) == 0.5


# hop counts and Lambert W ----------------------------------------------------------------------


@given(st.floats(20, 1e9), st.floats(1.01, 19.9))
def test_er_hops_formulas(M, c):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert T.er_hops_fronczak(M, c) == pytest.approx((math.log(M) - GAMMA) / math.log(c) + 0.5, rel=1e-13, abs=0.0)
        assert T.er_hops_asymptotic(M, c) == pytest.approx(math.log(M) / math.log(c), rel=1e-13, abs=0.0)


# spec §3.4 reference table (computed there with mpmath): n -> (W(2n), M_conn, l*)
SPEC_34 = {1e3: (5.8367, 342.66, 3.4813), 1e4: (7.8438, 2549.79, 4.0279), 1e6: (12.0219, 166362.7, 5.1023),
           1e9: (18.4987, 1.0812e8, 6.6423)}


@pytest.mark.parametrize("n", sorted(SPEC_34))
def test_connectivity_granularity_reference_table(n):
    W, Mc, ell = SPEC_34[n]
    M = T.connectivity_granularity(n)
    assert M == pytest.approx(Mc, rel=5e-5, abs=0.0)
    assert math.log(M) == pytest.approx(W, abs=5e-5)
    mp = 2 * n / mpmath.lambertw(2 * n).real  # mpmath, independent of scipy
    assert M == pytest.approx(float(mp), rel=1e-13, abs=0.0)
    assert float(sp.N(T.closed_form_connectivity_granularity(int(n)), 20)) == pytest.approx(float(mp), rel=1e-13, abs=0.0)
    assert T.n_for_granularity(M) == pytest.approx(n, rel=1e-12, abs=0.0)
    F = T.StructuralFunction("poly", 1.0, 1.0)
    # at the boundary the chain cost is F(M_conn)(1 + l*)
    assert T.chain_cost(M, n, F, 0.0) * M == pytest.approx(1 + ell, abs=6e-5)
    assert T.tree_cost(n, F, 0.3, h_T=2) == pytest.approx(3 / M + 0.6, rel=1e-12, abs=0.0)


def test_connectivity_granularity_symbolic():
    n = sp.Symbol("n", positive=True)
    assert sp.simplify(T.closed_form_connectivity_granularity() - 2 * n / sp.LambertW(2 * n)) == 0


# optimal_M: spec §3.4 numbers (computed there) and an independent brute-force grid


@pytest.mark.parametrize("n,M_star,ratio", [(1e3, 77.65, 0.861), (1e4, 677.2, 0.902), (1e6, 5.755e4, 0.946),
                                            (1e9, 5.066e7, 0.976)])
def test_optimal_M_interior_alpha_quarter(n, M_star, ratio):
    F = T.StructuralFunction("poly", 1.0, 0.25)
    opt = T.optimal_M(n, F, 0.0)
    assert not opt.at_boundary
    assert opt.M_star == pytest.approx(M_star, rel=5e-4, abs=0.0)
    Mc = T.connectivity_granularity(n)
    assert opt.cost / T.chain_cost(Mc, n, F, 0.0) == pytest.approx(ratio, abs=5e-4)
    xs = np.linspace(np.log(2), np.log(Mc), 20001)
    ell = (xs - GAMMA) / np.log(2 * n / np.exp(xs)) + 0.5
    brute = np.min(np.exp(-0.25 * xs) * (1 + ell))
    assert opt.cost <= brute * (1 + 1e-12)
    assert opt.cost == pytest.approx(brute, rel=1e-7, abs=0.0)


def test_optimal_M_boundary_cases():
    F1 = T.StructuralFunction("poly", 1.0, 1.0)
    for n in (1e3, 1e5, 1e9):
        opt = T.optimal_M(n, F1, 0.0)
        assert opt.at_boundary and opt.M_star == T.connectivity_granularity(n)
    F5 = T.StructuralFunction("poly", 1.0, 0.5)
    assert T.optimal_M(1e4, F5, 0.0).at_boundary
    opt = T.optimal_M(1e3, F5, 0.0)  # spec §3.4: interior, 338.7 vs boundary 342.7
    assert not opt.at_boundary and opt.M_star == pytest.approx(338.7, rel=5e-4, abs=0.0)


def test_optimal_M_derivative_sign_decides_boundary():
    # d ln C / d ln M of the F*l model without the (1+l) factor (spec §3.4, sympy-verified) is
    # -alpha + 1/ln M + 1/ln c; checked here against a central finite difference of chain_cost
    F = T.StructuralFunction("poly", 1.0, 0.5)
    n = 1e5
    for M in (50.0, 500.0, 5000.0):
        h = 1e-6
        f = lambda x: math.log(T.chain_cost(math.exp(x), n, F, 0.0, hops="asymptotic") / (1 + 0))  # noqa: E731
        num = (f(math.log(M) + h) - f(math.log(M) - h)) / (2 * h)
        ell = math.log(M) / math.log(2 * n / M)
        want = -0.5 + ell / (1 + ell) * (1 / math.log(M) + 1 / math.log(2 * n / M))
        assert num == pytest.approx(want, rel=1e-6, abs=0.0)


# C11 golden numbers (spec §4.3, mpmath 30 digits)
GOLDEN = {3: 2.240647997117, 6: 3.051154570407, 9: 3.821167267331, 12: 4.554632551501}


@pytest.mark.parametrize("k", sorted(GOLDEN))
def test_chain_tree_ratio_golden(k):
    F = T.StructuralFunction("poly", 3.0, 1.0)  # I cancels at the boundary
    r = T.chain_tree_ratio(10.0**k, F, 0.0, 1)
    assert float(r) == pytest.approx(GOLDEN[k], rel=1e-11, abs=0.0)
    assert r.kind == "asymptotic" and r.provenance == "R"
    assert float(sp.N(T.closed_form_chain_tree_ratio(10**k, 1), 30)) == pytest.approx(GOLDEN[k], rel=1e-11, abs=0.0)
    # the closed form carried by the Bound, evaluated at its own substitutions
    expr = r.sympy().subs({sp.Symbol("n", positive=True): 10**k, sp.Symbol("h_T", nonnegative=True): 1})
    assert float(sp.N(expr, 30)) == pytest.approx(GOLDEN[k], rel=1e-11, abs=0.0)
    # h_T = 3 divides by 4 instead of 2
    assert T.chain_tree_ratio(10.0**k, F, 0.0, 3) == pytest.approx(GOLDEN[k] / 2, rel=1e-11, abs=0.0)


def test_chain_tree_ratio_with_hp_noise_uses_numeric_optimum():
    F = T.StructuralFunction("poly", 1.0, 1.0)
    n, s2 = 1e5, 1e-3
    opt = T.optimal_M(n, F, s2)
    want = T.chain_cost(opt.M_star, n, F, s2) / T.tree_cost(n, F, s2, h_T=1)
    assert T.chain_tree_ratio(n, F, s2, 1) == pytest.approx(want, rel=1e-12, abs=0.0)


def test_headline_factor():
    n = sp.Symbol("n", positive=True)
    assert sp.simplify(T.closed_form_headline_factor() - sp.log(n) / sp.log(sp.log(n))) == 0


# regimes and sample sizes ----------------------------------------------------------------------


@pytest.mark.parametrize("regime", ["poly", "log"])
def test_n_regime_A_limit_solves_the_boundary(regime):
    F = T.StructuralFunction(regime, 1.0, 1.0)
    s2 = 0.05
    nA = T.n_regime_A_limit(F, s2)
    # independent: solve F(2n/W(2n)) = s2 for n by brentq with mpmath's Lambert W
    g = lambda t: F(float(2 * math.exp(t) / mpmath.lambertw(2 * math.exp(t)).real)) - s2  # noqa: E731
    t = scipy.optimize.brentq(g, 0.0, 40.0, xtol=1e-14)
    assert nA == pytest.approx(math.exp(t), rel=1e-9, abs=0.0)
    assert T.regime_of(nA * 0.99, F, s2) == "A" and T.regime_of(nA * 1.01, F, s2) == "B"


def test_n_regime_A_limit_poly_closed_form_and_edges():
    F = T.StructuralFunction("poly", 2.0, 0.5)
    m0 = (2.0 / 0.1) ** 2
    assert T.n_regime_A_limit(F, 0.1) == pytest.approx(0.5 * m0 * math.log(m0), rel=1e-13, abs=0.0)
    assert T.n_regime_A_limit(F, 0.0) == math.inf
    assert T.n_regime_A_limit(F, 2.0) == 0.0 and T.n_regime_A_limit(F, 5.0) == 0.0


def test_sample_size_for_distance_tree_closed_form():
    F = T.StructuralFunction("poly", 1.5, 0.8)
    eps, s2, h = 0.01, 1e-3, 2
    M = (1.5 * (1 + h) / (eps - s2 * h)) ** (1 / 0.8)  # spec §4.1 closed form
    n = T.sample_size_for_distance(eps, F, s2, "tree", h_T=h)
    assert float(n) == pytest.approx(0.5 * M * math.log(M), rel=1e-10, abs=0.0)
    assert T.tree_cost(float(n), F, s2, h_T=h) == pytest.approx(eps, rel=1e-9, abs=0.0)
    syms = {sp.Symbol(k, positive=True): v for k, v in n.subs.items()}
    assert float(n.sympy().subs(syms)) == pytest.approx(float(n), rel=1e-12, abs=0.0)


def test_sample_size_for_distance_chain_inverts_the_cost():
    F = T.StructuralFunction("poly", 1.0, 1.0)
    n = T.sample_size_for_distance(0.005, F, 0.0, "chain")
    assert T.optimal_M(float(n), F, 0.0).cost == pytest.approx(0.005, rel=1e-9, abs=0.0)
    # the tree reaches the same cost with fewer comparisons (ratio > 1 in the model)
    assert T.sample_size_for_distance(0.005, F, 0.0, "tree") < n


# paper tables and provenance -------------------------------------------------------------------


def test_paper_table2_guarded():
    assert len(T.paper_table2) == 12
    for key in T.paper_table2:
        assert not T.paper_table2.is_filled(key)
        with pytest.raises(PaperUnverifiedError):
            T.paper_table2[key]


def test_experiment_tables_arithmetic():
    X = T.experiment_tables
    assert X["datasets"] == ("HH-RLHF", "GSM-8K", "DialogSum")
    # spec §4.3 C12: (0.74+0.63+0.58)/3 = 0.65; chain length mean 301.3; tree-excluding mean 237.2
    assert np.mean(X["win_rate"]["tree_vs_chain"]) == pytest.approx(0.65, abs=1e-12)
    assert np.mean(X["annotation_length"]["chain"]) == pytest.approx(301.3, abs=1e-9)
    assert np.mean(X["annotation_length"]["tree_excluding_prefix"]) == pytest.approx(237.2, abs=1e-9)


@pytest.mark.parametrize("name", ["inference_distance_path", "mean_inference_distance", "StructuralFunction", "tau_schedule",
                                  "ibn_from_universe", "chain_cost", "tree_cost", "optimal_M", "chain_tree_ratio",
                                  "regime_of", "n_regime_A_limit", "sample_size_for_distance", "paper_table2"])
def test_reconstructions_are_flagged(name):
    obj = getattr(T, name)
    assert obj.__aligntheory_provenance__ == "R" and obj.paper_unverified is True
    doc = (obj.__doc__ or "") if name != "paper_table2" else type(obj).__doc__
    assert "reconstruction; the full text was not available to us" in " ".join(doc.lower().split())


# annotation lengths (issue 16 groundwork: what "equal budget" can mean) --------------------------


@given(st.integers(1, 6), st.integers(2, 4), st.data())
def test_annotation_lengths_against_a_loop(D, B, data):
    rng = np.random.default_rng(data.draw(st.integers(0, 10**6)))
    resp = rng.integers(0, B, (12, D))
    pairs = rng.integers(0, 12, (20, 2))
    got = T.annotation_lengths(resp, pairs)
    for (a, b), g in zip(pairs, got):
        k = 0
        while k < D and resp[a, k] == resp[b, k]:
            k += 1
        assert g == 2 * D - 2 * k


def test_annotation_lengths_siblings_read_less_than_strangers():
    resp = np.array([[0, 0, 0], [0, 0, 1], [1, 1, 1]])
    assert T.annotation_lengths(resp, [[0, 1], [0, 2]]).tolist() == [2, 6]


def test_from_networkx_conductance_weights():
    G = nx.Graph()
    G.add_edge("a", "b", w=4.0)
    G.add_edge("b", "c", w=0.5)
    g = T.from_networkx(G, "w", invert_weight=False)
    assert g.n_nodes == 3 and g.nodelist == ["a", "b", "c"] and g.variances.tolist() == [0.25, 2.0]
    assert T.effective_resistance(g.n_nodes, g.edges, variances=g.variances, pairs=[[0, 2]])[0] == 2.25


def test_ib_sharing_switch_root_only_removes_prefix_sharing():
    F = T.StructuralFunction("poly", 1.0, 1.0)
    tau = T.tau_schedule(F, 3, 3)
    resp = np.array([[0, 0, 0], [0, 0, 1], [0, 1, 0], [2, 2, 2], [0, 0, 0]])
    g = T.ibn_from_universe(resp, 3, tau, np.zeros((0, 2), dtype=np.int64), 1e-3, ib_sharing="root_only")
    rn = g.response_node
    assert rn[0] == rn[4] and g.n_nodes == 1 + 4
    total = 2 * tau.sum()  # = F(1) = I, whatever the shared prefix
    for a in range(4):
        for b in range(a + 1, 4):
            assert T.inference_distance_exact(g, int(rn[a]), int(rn[b])) == pytest.approx(total, rel=1e-12, abs=0.0)
    gp = T.ibn_from_universe(resp, 3, tau, np.zeros((0, 2), dtype=np.int64), 1e-3)
    # with prefix sharing, siblings at depth 2 are 2 tau_3^2 apart (spec §2.5)
    assert T.inference_distance_exact(gp, int(gp.response_node[0]), int(gp.response_node[1])) == pytest.approx(
        2 * tau[2], rel=1e-12, abs=0.0)
    with pytest.raises(InvalidInputError, match="^ib_sharing:"):
        T.ibn_from_universe(resp, 3, tau, [[0, 1]], 1e-3, ib_sharing="leaves")

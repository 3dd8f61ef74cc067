"""Issue #12 regressions for the IBN kernels and host numerics: sizes before work, one validation
boundary (ids, signs, finiteness), the x64 rule and scale-safe results. Expected values come from
closed forms written here (series/parallel resistances) or from networkx."""

from __future__ import annotations

import subprocess
import sys

import jax
import networkx as nx
import numpy as np
import pytest

from aligntheory.errors import InvalidInputError, PrecisionError, SizeCapError
from aligntheory.kernels import ibn as KI

KEY = jax.random.PRNGKey(0)
PATH = np.array([[0, 1], [1, 2], [2, 3]])


# ---------------------------------------------------------------------------------------------- sizes


@pytest.mark.parametrize("validate", [False, True])
def test_huge_n_nodes_is_capped_not_aborted(validate):
    # issue 12: effective_resistance_dense(10**15, ...) aborted the interpreter (absl overflow)
    with pytest.raises(SizeCapError) as ei:
        KI.effective_resistance_dense(10**15, PATH, conductances=np.ones(3), validate=validate)
    assert ei.value.argument == "n_nodes" and ei.value.cap == 20_000
    with pytest.raises(SizeCapError):
        KI.effective_resistance_dense_batched(10**15, PATH[None], conductances=np.ones((1, 3)))
    with pytest.raises(SizeCapError):
        KI.effective_resistance_dense_batched(3000, PATH[None].repeat(40, 0), conductances=np.ones((40, 3)))


def test_strongly_connected_dense_capped():
    with pytest.raises(SizeCapError) as ei:
        KI.strongly_connected_dense(10**15, PATH, np.ones(3), np.full(3, 2.0))
    assert ei.value.argument == "n_nodes"


def test_other_size_caps():
    with pytest.raises(SizeCapError):
        KI.laplacian_dense(10**12, PATH, conductances=np.ones(3))
    with pytest.raises(SizeCapError):
        KI.fit_bt_newton(10**9, PATH, np.ones(3), np.full(3, 2.0), 1.0)
    with pytest.raises(SizeCapError):
        KI.mc_difference_variance(KEY, np.zeros(4), PATH, np.full(3, 2.0), 1.0, PATH[:1], 10**9)
    with pytest.raises(SizeCapError):
        KI.simulate_bt_continuous(KEY, np.zeros(4), PATH, np.array([1.0, 1.0, 1e12]), 1.0)
    with pytest.raises(SizeCapError):
        KI.reff_pairs_pcg(10**12, PATH, conductances=np.ones(3), pairs=PATH)


def test_size_cap_in_subprocess_does_not_abort():
    code = ("from aligntheory.config import configure; configure(); import numpy as np; "
            "from aligntheory.kernels.ibn import effective_resistance_dense, strongly_connected_dense\n"
            "for f in (lambda: effective_resistance_dense(10**15, [[0, 1]], conductances=[1.0]),"
            " lambda: strongly_connected_dense(10**15, [[0, 1]], [1.0], [2.0])):\n"
            "    try: f()\n"
            "    except Exception as e: print(type(e).__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["SizeCapError", "SizeCapError"]


# ---------------------------------------------------------------------------------------------- ids


@pytest.mark.parametrize("bad", [[[0, 4]], [[-1, 1]], [[0, 2**40]]])
def test_node_ids_never_clamped_or_wrapped(bad):
    e = np.array(bad)
    with pytest.raises(InvalidInputError) as ei:
        KI.simulate_bt(KEY, np.zeros(4), e, np.ones(1), 1.0)
    assert ei.value.argument == "edges"
    with pytest.raises(InvalidInputError) as ei:
        KI.simulate_bt_continuous(KEY, np.zeros(4), e, np.ones(1), 1.0)
    assert ei.value.argument == "edges"
    with pytest.raises(InvalidInputError) as ei:
        KI.mc_difference_variance_continuous(KEY, np.zeros(4), e, np.ones(1), 1.0, np.array([[0, 1]]), 10)
    assert ei.value.argument == "edges"
    with pytest.raises(InvalidInputError) as ei:
        KI.effective_resistance_dense(4, e, conductances=np.ones(1))
    assert ei.value.argument == "edges"


# ---------------------------------------------------------------------------------------------- counts


@pytest.mark.parametrize("K, wins", [([2.0, np.nan, 2.0], [1.0, 1.0, 1.0]), ([2.0, -2.0, 2.0], [1.0, 0.0, 1.0]),
                                     ([2.0, 2.0, 2.0], [1.0, np.nan, 1.0]), ([2.0, 2.0, 2.0], [1.0, 3.0, 1.0]),
                                     ([2.0, 2.0, 2.0], [1.0, -1.0, 1.0])])
def test_bad_counts_in_fitters(K, wins):
    for fit in (KI.fit_bt_newman, KI.fit_bt_newton):
        with pytest.raises(InvalidInputError) as ei:
            fit(4, PATH, np.array(wins), np.array(K), 1.0)
        assert ei.value.argument in ("K", "wins")


@pytest.mark.parametrize("K", [[2.0, np.nan, 2.0], [2.0, -1.0, 2.0], [2.0, 1.5, 2.0], [2.0, np.inf, 2.0]])
def test_bad_counts_in_monte_carlo_and_simulation(K):
    with pytest.raises(InvalidInputError) as ei:
        KI.mc_difference_variance(KEY, np.zeros(4), PATH, np.array(K), 1.0, PATH[:1], 10)
    assert ei.value.argument == "K"
    with pytest.raises(InvalidInputError):
        KI.simulate_bt(KEY, np.zeros(4), PATH, np.array(K), 1.0)


# ---------------------------------------------------------------------------------------------- conductances


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, -1.0, -1e-12])
def test_bad_conductances_everywhere(bad):
    c = np.array([1.0, bad, 1.0])
    calls = [
        lambda: KI.laplacian_dense(4, PATH, conductances=c),
        lambda: KI.effective_resistance_dense(4, PATH, conductances=c),
        lambda: KI.effective_resistance_dense_batched(4, PATH[None], conductances=c[None]),
        lambda: KI.reff_pairs_pcg(4, PATH, conductances=c, pairs=PATH),
        lambda: KI.reff_sketch(KEY, 4, PATH, conductances=c, k=4),
        lambda: KI.solve_laplacian_tree(KI.tree_elimination_order(4, PATH), np.array([1.0, 0, 0, -1.0]),
                                        conductances=c),
        lambda: KI.solve_laplacian(4, PATH, np.array([1.0, 0, 0, -1.0]), conductances=c),
    ]
    for call in calls:
        with pytest.raises(InvalidInputError) as ei:
            call()
        assert ei.value.argument == "conductances"


def test_tree_solver_negative_tiny_conductance_regression():
    # issue 12: conductance -1e-12 gave a resistance of -1e12; zero would divide by zero
    t = KI.tree_elimination_order(3, [[0, 1], [1, 2]])
    for bad in (-1e-12, 0.0):
        with pytest.raises(InvalidInputError):
            KI.solve_laplacian_tree(t, np.array([1.0, 0.0, -1.0]), conductances=np.array([1.0, bad]))


@pytest.mark.parametrize("L", [
    [[1.0, np.nan], [np.nan, 1.0]],
    [[1.0, 1.0], [1.0, 1.0]],  # positive off-diagonal: a negative conductance
    [[1.0, -1.0], [-0.5, 1.0]],  # not symmetric
    [[2.0, -1.0], [-1.0, 1.0]],  # rows do not sum to zero
])
def test_reff_dense_cholesky_refuses_non_laplacians(L):
    with pytest.raises(InvalidInputError) as ei:
        KI.reff_dense_cholesky(np.array(L))
    assert ei.value.argument == "L"


# ---------------------------------------------------------------------------------------------- scale


@pytest.mark.parametrize("s", [1e-300, 1e-200, 1e-100, 1.0, 1e100, 1e200, 1e300])
def test_dense_resistance_exact_over_all_scales(s):
    # issue 12: conductance 1e300 returned 0.0. Path 0-1-2-3 (c = 1, 2, 4) plus chord 0-2 (c = 1):
    # R(0, 2) = 1 / (1 + 1/(1 + 1/2)) = 0.6 and R(0, 3) = 0.6 + 1/4, both divided by s
    e = np.array([[0, 1], [1, 2], [2, 3], [0, 2]])
    c = np.array([1.0, 2.0, 4.0, 1.0])
    R = np.asarray(KI.effective_resistance_dense(4, e, conductances=c * s))
    assert abs(R[0, 2] * s / 0.6 - 1) <= 1e-13 and abs(R[0, 3] * s / 0.85 - 1) <= 1e-13
    Rb = np.asarray(KI.effective_resistance_dense_batched(4, e[None], conductances=(c * s)[None]))
    assert abs(Rb[0, 0, 3] * s / 0.85 - 1) <= 1e-13
    L = np.asarray(KI.laplacian_dense(4, e, conductances=c * s))
    assert abs(float(KI.reff_dense_cholesky(L)[0, 3]) * s / 0.85 - 1) <= 1e-13
    pc = KI.reff_pairs_pcg(4, e, conductances=c * s, pairs=np.array([[0, 3]]), tol=1e-13)
    assert abs(float(pc.values[0]) * s / 0.85 - 1) <= 1e-11


@pytest.mark.parametrize("s", [1e-300, 1.0, 1e300])
def test_tree_solver_exact_over_all_scales(s):
    t = KI.tree_elimination_order(4, PATH)
    x = np.asarray(KI.solve_laplacian_tree(t, np.array([1.0, 0.0, 0.0, -1.0]), conductances=np.array([1.0, 2.0, 4.0]) * s))
    assert abs((x[0] - x[3]) * s / 1.75 - 1) <= 1e-14  # series: 1 + 1/2 + 1/4


def test_dynamic_range_beyond_cap_raises_precision_error():
    c = np.array([1.0, 1e-12, 1.0])
    with pytest.raises(PrecisionError, match="max_dynamic_range"):
        KI.effective_resistance_dense(4, PATH, conductances=c)
    # raised deliberately: the answer is computed and agrees with the series sum to ~ range * eps
    R = np.asarray(KI.effective_resistance_dense(4, PATH, conductances=c, max_dynamic_range=1e13))
    assert abs(R[0, 3] / (2 + 1e12) - 1) <= 1e-3
    # within the cap: accurate, checked against networkx
    rng = np.random.default_rng(0)
    G = nx.gnm_random_graph(12, 30, seed=1)
    e = np.array(G.edges())
    c = 10.0 ** rng.uniform(-3, 3, len(e))
    R = np.asarray(KI.effective_resistance_dense(12, e, conductances=c))
    for (a, b), w in zip(e, c):
        G[a][b]["w"] = w
    for u, v in [(0, 5), (3, 11)]:
        ref = nx.resistance_distance(G, u, v, weight="w", invert_weight=False)
        assert abs(R[u, v] / ref - 1) <= 1e-9


# ---------------------------------------------------------------------------------------------- x64


def test_host_numerics_do_not_depend_on_jax_x64():
    # issue 12: solve_laplacian and fit_bradley_terry "ran with x64 off"; they are numpy float64 now
    code = ("import jax; jax.config.update('jax_enable_x64', False)\n"
            "from aligntheory.kernels.ibn import fit_bradley_terry, solve_laplacian\n"
            "f = fit_bradley_terry([[0, 1], [0, 1], [0, 1], [1, 0]])\n"
            "s = solve_laplacian(2, [[0, 1]], [1.0, -1.0], conductances=[3.0])\n"
            "print(f.scores.dtype, repr(float(f.scores[0] - f.scores[1])), s.x.dtype)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    dt, diff, dt2 = out.stdout.split()
    assert dt == dt2 == "float64" and abs(float(diff) - np.log(3.0)) <= 1e-12


def test_float32_refused_by_kernels():
    f32 = np.ones(3, np.float32)
    for call in (lambda: KI.simulate_bt(KEY, np.zeros(4), PATH, f32, 1.0),
                 lambda: KI.fit_bt_newman(4, PATH, f32, np.full(3, 2.0), 1.0),
                 lambda: KI.reff_sketch(KEY, 4, PATH, conductances=f32, k=2),
                 lambda: KI.solve_laplacian_tree(KI.tree_elimination_order(4, PATH), np.zeros(4, np.float32),
                                                 conductances=np.ones(3))):
        with pytest.raises(PrecisionError):
            call()


def test_ragged_and_complex_refused():
    with pytest.raises(InvalidInputError):
        KI.effective_resistance_dense(3, [[0, 1], [1]], conductances=[1.0, 1.0])
    with pytest.raises(InvalidInputError):
        KI.laplacian_dense(3, PATH[:2], conductances=[1 + 1j, 1.0])
    with pytest.raises(InvalidInputError):
        KI.fit_bradley_terry([[0, 1], [1]])


def test_positional_conductances_deprecated_but_working():
    with pytest.warns(DeprecationWarning, match="conductances="):
        R = np.asarray(KI.effective_resistance_dense(4, PATH, np.ones(3)))
    assert R[0, 3] == pytest.approx(3.0, rel=1e-14, abs=0.0)
    with pytest.raises(InvalidInputError):
        KI.effective_resistance_dense(4, PATH)  # conductances missing


def test_throw_contract_of_jax_fitters():
    from aligntheory.errors import ConvergenceError, DisconnectedGraphError
    from aligntheory.results import RESULTS

    w, K = np.array([2.0, 1.0, 1.0]), np.array([2.0, 2.0, 2.0])  # 0 beat 1 twice: no MLE
    for fit in (KI.fit_bt_newton, KI.fit_bt_newman):
        with pytest.raises(DisconnectedGraphError):
            fit(4, PATH, w, K, 1.0, maxiter=5)
        res = fit(4, PATH, w, K, 1.0, maxiter=5, throw=False)
        assert res.result is RESULTS.disconnected and np.isnan(np.asarray(res.scores)).all()
    # an MLE exists (every edge won both ways) but one Newton step from the start does not reach it
    w, K = np.array([3.0, 1.0, 2.5]), np.array([4.0, 4.0, 3.0])
    with pytest.raises(ConvergenceError):
        KI.fit_bt_newton(4, PATH, w, K, 1.0, maxiter=1)
    res = KI.fit_bt_newton(4, PATH, w, K, 1.0, maxiter=1, throw=False)
    assert res.result is RESULTS.max_steps_reached
    assert KI.fit_bt_newton(4, PATH, w, K, 1.0).result is RESULTS.successful
    ok = KI.fit_bt_newman(4, PATH, np.ones(3), K, 1.0)
    assert ok.result is RESULTS.successful and np.allclose(np.asarray(ok.r_hat), np.asarray(ok.scores), rtol=1e-12, atol=0.0)


@pytest.mark.parametrize("seed", [0, 1])
def test_lapack_and_xla_routes_agree_with_networkx(seed):
    rng = np.random.default_rng(seed)
    G = nx.random_regular_graph(4, 40, seed=seed)
    e = np.array(G.edges())
    c = rng.uniform(0.2, 5.0, len(e))
    Rl = np.asarray(KI.effective_resistance_dense(40, e, conductances=c, method="lapack"))
    Rx = np.asarray(KI.effective_resistance_dense(40, e, conductances=c, method="xla"))
    np.testing.assert_allclose(Rl, Rx, rtol=1e-12, atol=1e-14)
    assert np.array_equal(Rl, Rl.T) and np.all(np.diag(Rl) == 0)
    for (a, b), w in zip(e, c):
        G[a][b]["w"] = w
    for u, v in [(0, 17), (5, 39)]:
        assert abs(Rl[u, v] / nx.resistance_distance(G, u, v, weight="w", invert_weight=False) - 1) <= 1e-10


def test_fit_ls_continuous_disconnected_raises():
    from aligntheory.errors import DisconnectedGraphError

    with pytest.raises(DisconnectedGraphError):
        KI.fit_ls_continuous(4, np.array([[0, 1], [2, 3]]), np.array([1.0, 0.5]), np.ones(2), 1.0)

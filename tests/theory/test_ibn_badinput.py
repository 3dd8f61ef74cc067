"""Bad input and edge cases of spec ``ibn.md`` §7 (theory layer and the dataset kernels).

Each test asserts the error class and that the message names the offending argument.
"""

import warnings

import jax
import numpy as np
import pytest

from aligntheory.errors import (
    SizeCapError,
    AsymptoticRangeWarning,
    DisconnectedGraphError,
    InvalidInputError,
    PaperUnverifiedError,
    PrecisionError,
)
from aligntheory.kernels import ibn as K
from aligntheory.theory import ibn as T

F1 = T.StructuralFunction("poly", 1.0, 1.0)


def _two_components():
    # component A = {0, 1, 2} (path), component B = {3, 4} (one edge)
    return T.IBN(5, [[0, 1], [1, 2], [3, 4]], [1.0, 2.0, 0.5])


# row 1: disconnected graph with a flat prior


def test_disconnected_raises_naming_components():
    g = _two_components()
    with pytest.raises(DisconnectedGraphError) as exc:
        T.inference_distance_exact(g, 0, 4)
    msg = str(exc.value)
    assert "component of 0: [0, 1, 2]" in msg and "component of 4: [3, 4]" in msg
    assert exc.value.nodes == (0, 4)
    with pytest.raises(DisconnectedGraphError):  # allow_disconnected does not cover cross-component pairs
        T.inference_distance_exact(g, 0, 4, allow_disconnected=True)


def test_same_component_requires_allow_disconnected():
    g = _two_components()
    with pytest.raises(DisconnectedGraphError, match="allow_disconnected"):
        T.inference_distance_exact(g, 0, 2)
    assert T.inference_distance_exact(g, 0, 2, allow_disconnected=True) == pytest.approx(3.0, rel=1e-12, abs=0.0)
    m, _ = T.mean_inference_distance(g, [[0, 2], [3, 4]], allow_disconnected=True)
    assert m == pytest.approx((3.0 + 0.5) / 2, rel=1e-12, abs=0.0)


# row 2: disconnected graph with a proper prior


def test_prior_across_components_formula():
    g = _two_components()
    tau2 = 1e4
    got = T.inference_distance_exact(g, 0, 4, prior_var=tau2)
    # tau^2 (1/|A| + 1/|B|) + (L_A^+)_00 + (L_B^+)_44 + O(1/tau^2); L^+ of the pieces via numpy pinv
    LA = np.array([[1.0, -1, 0], [-1, 1.5, -0.5], [0, -0.5, 0.5]])
    LB = np.array([[2.0, -2], [-2, 2]])
    want = tau2 * (1 / 3 + 1 / 2) + np.linalg.pinv(LA)[0, 0] + np.linalg.pinv(LB)[1, 1]
    assert got == pytest.approx(want, rel=1e-6, abs=0.0)
    iso = T.IBN(2, np.zeros((0, 2), int), np.zeros(0))
    assert T.inference_distance_exact(iso, 0, 1, prior_var=3.0) == pytest.approx(6.0, rel=1e-14, abs=0.0)


# row 3: u == v


def test_same_node_is_zero():
    assert T.inference_distance_exact(_two_components(), 2, 2) == 0.0
    assert T.inference_distance_path(_two_components(), 2, 2) == 0.0


# row 4: node ids


@pytest.mark.parametrize("bad", [5, -1, 1.5, "0", True])
@pytest.mark.parametrize("arg", ["u", "v"])
def test_bad_node_ids(bad, arg):
    g = _two_components()
    kw = {"u": 0, "v": 1, arg: bad}
    for fn in (T.inference_distance_exact, T.inference_distance_path):
        with pytest.raises(InvalidInputError) as exc:
            fn(g, kw["u"], kw["v"])
        assert str(exc.value).startswith(f"{arg}:") and "[0, 4]" in str(exc.value)


def test_bad_pairs_and_edges_ids():
    with pytest.raises(InvalidInputError, match="^pairs:"):
        T.mean_inference_distance(_two_components(), [[0, 7]])
    with pytest.raises(InvalidInputError, match="^edges:"):
        T.IBN(3, [[0, 3]], [1.0])


# rows 5-7: zero, negative, infinite variance


def test_zero_variance_raises_and_contracts_on_request():
    g = T.IBN(3, [[0, 1], [1, 2]], [0.0, 2.0])
    with pytest.raises(InvalidInputError, match=r"^variances: variance must be > 0"):
        T.inference_distance_exact(g, 0, 2)
    assert T.inference_distance_exact(g, 0, 2, contract_zero_variance=True) == pytest.approx(2.0, rel=1e-6, abs=0.0)
    assert T.inference_distance_exact(g, 0, 1, contract_zero_variance=True) == 0.0
    assert T.inference_distance_path(g, 0, 2, contract_zero_variance=True) == 2.0


def test_negative_variance():
    with pytest.raises(InvalidInputError, match="^variances:"):
        T.IBN(2, [[0, 1]], [-1.0])
    with pytest.raises(InvalidInputError, match="^variances:"):
        T.effective_resistance(2, [[0, 1]], variances=[-1.0])
    with pytest.raises(InvalidInputError, match="^conductances:"):
        T.effective_resistance(2, [[0, 1]], conductances=[-1.0])


def test_infinite_variance_dropped_with_warning():
    g = T.IBN(3, [[0, 1], [1, 2], [0, 2]], [1.0, 1.0, np.inf])
    with pytest.warns(UserWarning, match="infinite variance"):
        assert T.inference_distance_exact(g, 0, 2) == pytest.approx(2.0, rel=1e-6, abs=0.0)
    g2 = T.IBN(3, [[0, 1], [1, 2]], [1.0, np.inf])
    with pytest.warns(UserWarning), pytest.raises(DisconnectedGraphError):
        T.inference_distance_exact(g2, 0, 2)


# row 8: non-finite input elsewhere


@pytest.mark.parametrize("call,arg", [
    (lambda: T.bt_prob(np.nan, 0.0, 1.0), "r_a"),
    (lambda: T.bt_prob(0.0, np.inf, 1.0), "r_b"),
    (lambda: T.bt_prob(0.0, 0.0, np.nan), "beta"),
    (lambda: T.hp_edge_var(np.inf, feedback="continuous"), "beta"),
    (lambda: T.decoder_bounds(np.nan, 1.0), "eps"),
    (lambda: T.IBN(2, [[0, 1]], [np.nan]), "variances"),
    (lambda: T.chain_tree_ratio(np.inf, F1, 0.0), "n_comparisons"),
])
def test_non_finite_input(call, arg):
    with pytest.raises(InvalidInputError) as exc:
        call()
    assert str(exc.value).startswith(f"{arg}:")
    assert "non-finite" in str(exc.value) or "NaN" in str(exc.value)


# row 9: shapes


@pytest.mark.parametrize("edges,var,pairs,arg", [
    ([0, 1], [1.0], None, "edges"),
    ([[0, 1, 2]], [1.0], None, "edges"),
    ([[0, 1]], [[1.0]], None, "variances"),
    ([[0, 1], [1, 2]], [1.0], None, "edges, variances"),
    ([[0, 1]], [1.0], [0, 1], "pairs"),
])
def test_shapes(edges, var, pairs, arg):
    with pytest.raises(InvalidInputError) as exc:
        T.effective_resistance(3, edges, variances=var, pairs=pairs)
    assert str(exc.value).startswith(f"{arg}:") and "shape" in str(exc.value)


def test_ibn_shapes():
    with pytest.raises(InvalidInputError, match="^kind:"):
        T.IBN(2, [[0, 1]], [1.0], kind=["HP", "IB"])
    with pytest.raises(InvalidInputError, match="^is_response:"):
        T.IBN(2, [[0, 1]], [1.0], is_response=[True])


# row 10: self-loops


def test_self_loop_dropped_with_warning_in_theory():
    g = T.IBN(2, [[0, 1], [1, 1]], [1.0, 1.0])
    with pytest.warns(UserWarning, match="self-loop"):
        assert T.inference_distance_exact(g, 0, 1) == pytest.approx(1.0, rel=1e-6, abs=0.0)


def test_self_loop_ignored_silently_in_kernels():
    e = np.array([[0, 1], [1, 1], [1, 2]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        L = np.asarray(K.laplacian_dense(3, e, conductances=np.array([1.0, 5.0, 2.0])))
    assert np.array_equal(L, np.array([[1.0, -1, 0], [-1, 3, -2], [0, -2, 2]]))


# rows 11-12: float32 into kernels


def test_float32_into_kernels_raises():
    e = np.array([[0, 1]])
    with pytest.raises(PrecisionError, match="jax_enable_x64"):
        K.effective_resistance_dense(2, e, conductances=np.ones(1, np.float32))


# row 13: beta


@pytest.mark.parametrize("beta", [0.0, -1.0, np.nan])
def test_bad_beta(beta):
    for call in (lambda: T.bt_prob(0.0, 1.0, beta), lambda: T.hp_edge_var(beta, feedback="continuous"),
                 lambda: T.decoder_bounds(0.1, beta)):
        with pytest.raises(InvalidInputError, match="^beta:"):
            call()


# row 16: binary HP variance at p in {0, 1}


@pytest.mark.parametrize("p", [0.0, 1.0, 1.5])
def test_binary_hp_bad_p(p):
    with pytest.raises(InvalidInputError, match="^p:"):
        T.hp_edge_var(1.0, feedback="binary", p=p)


def test_binary_hp_uninformative():
    with pytest.raises(InvalidInputError, match="uninformative comparison"):
        T.hp_edge_var(1.0, feedback="binary", delta_r=1e4)


def test_hp_edge_var_estimator_feedback_mismatch():
    with pytest.raises(InvalidInputError, match="^estimator:"):
        T.hp_edge_var(1.0, feedback="continuous", estimator="fisher")
    with pytest.raises(InvalidInputError, match="^estimator:"):
        T.hp_edge_var(1.0, feedback="binary", estimator="ls", p=0.5)
    with pytest.raises(InvalidInputError, match="^p, delta_r:"):
        T.hp_edge_var(1.0, feedback="binary")


# row 17: dataset generator sizes (kernels: before tracing)


KEY = jax.random.PRNGKey(0)


@pytest.mark.parametrize("kw,arg", [
    (dict(n=4, B=4, D=3, b=5, d=2), "b"),
    (dict(n=4, B=4, D=3, b=1, d=2), "b"),
    (dict(n=4, B=4, D=3, b=2, d=4), "d"),
    (dict(n=4, B=4, D=3, b=2, d=0), "d"),
    (dict(n=0, B=4, D=3, b=2, d=2), "n"),
    (dict(n=4, B=1, D=3, b=2, d=2), "B"),
    (dict(n=4, B=4, D=0, b=2, d=1), "D"),
])
def test_tree_pairs_sizes(kw, arg):
    with pytest.raises(InvalidInputError) as exc:
        K.tree_pairs(KEY, **kw)
    assert str(exc.value).startswith(f"{arg}:")


@pytest.mark.parametrize("call,arg", [
    (lambda: K.chain_pairs(KEY, 0, 4, 3), "n"),
    (lambda: K.chain_pairs(KEY, 3, 1, 3), "B"),
    (lambda: K.chain_pairs(KEY, 3, 4, 0), "D"),
    (lambda: K.chain_cluster_graph(KEY, 0, 4), "n"),
    (lambda: K.chain_cluster_graph(KEY, 4, 1), "M"),
    (lambda: K.er_graph(KEY, 1, 4.0), "M"),
    (lambda: K.er_graph(KEY, 10, 0.1), "c"),
    (lambda: K.tree_pairs(KEY, 4, 4, 3, 2, 2, "random"), "policy"),
    (lambda: K.hops_bfs(3, np.array([[0, 5]]), None, np.array([0])), "edges"),
    (lambda: K.hops_bfs(3, np.array([[0, 1]]), None, np.array([3])), "sources"),
    (lambda: K.hops_bfs(3, np.array([[0, 1]]), np.array([1]), np.array([0])), "mask"),
])
def test_generator_arguments(call, arg):
    with pytest.raises(InvalidInputError) as exc:
        call()
    assert str(exc.value).startswith(f"{arg}:")


# row 18: asymptotic functions at small n


@pytest.mark.parametrize("call,arg", [
    (lambda: T.chain_tree_ratio(50, F1, 0.0), "n_comparisons"),
    (lambda: T.optimal_M(99, F1, 0.0), "n_comparisons"),
    (lambda: T.chain_cost(10, 50, F1, 0.0), "n_comparisons"),
    (lambda: T.chain_cost(1e6, 1e3, F1, 0.0), "M"),
    (lambda: T.er_hops_fronczak(10, 4.0), "n_nodes"),
    (lambda: T.er_hops_fronczak(1000, 0.9), "mean_degree"),
    (lambda: T.er_hops_asymptotic(1000, 1.0), "mean_degree"),
])
def test_asymptotic_range_errors(call, arg):
    with pytest.raises(InvalidInputError) as exc:
        call()
    assert str(exc.value).startswith(f"{arg}:") and ("range" in str(exc.value) or "M_conn" in str(exc.value))


def test_asymptotic_range_warning():
    with pytest.warns(AsymptoticRangeWarning):
        T.chain_tree_ratio(500, F1, 0.0)
    with pytest.warns(AsymptoticRangeWarning):
        T.optimal_M(200, F1, 0.0)
    with pytest.warns(AsymptoticRangeWarning):
        T.er_hops_fronczak(50, 4.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        T.chain_tree_ratio(1000, F1, 0.0)


# row 19: StructuralFunction parameters


@pytest.mark.parametrize("kw,arg", [
    (dict(regime="poly", I=1.0, alpha=0.0), "alpha"),
    (dict(regime="poly", I=1.0, alpha=-1.0), "alpha"),
    (dict(regime="log", I=0.0, alpha=1.0), "I"),
    (dict(regime="log", I=-2.0, alpha=1.0), "I"),
    (dict(regime="exp", I=1.0, alpha=1.0), "regime"),
])
def test_structural_function_parameters(kw, arg):
    with pytest.raises(InvalidInputError, match=f"^{arg}:"):
        T.StructuralFunction(**kw)


def test_structural_function_domain():
    with pytest.raises(InvalidInputError, match="^M:"):
        F1(0.5)


# row 20: paper_table2


def test_paper_table2_unfilled_entry():
    with pytest.raises(PaperUnverifiedError):
        T.paper_table2["poly", "A", "chain"]
    with pytest.raises(InvalidInputError, match="^key:"):
        T.paper_table2["cubic", "A", "chain"]


# row 22: a dense method on a huge graph is refused before any dense work (size cap, issue #12)


def test_dense_method_refused_above_cap():
    n = T.DENSE_CPU_LIMIT + 1
    e = np.stack([np.arange(n - 1), np.arange(1, n)], 1)
    with pytest.raises(SizeCapError, match="^n_nodes:") as exc:
        T.effective_resistance(n, e, variances=np.ones(n - 1), pairs=[[0, 1]])
    assert exc.value.cap == T.DENSE_CPU_LIMIT and exc.value.cost == n
    # the sparse method is not capped by max_nodes, and a user may raise the cap deliberately
    got = T.effective_resistance(n, e, variances=np.ones(n - 1), pairs=[[0, 5]], method="sparse")
    assert got == pytest.approx([5.0], rel=1e-9, abs=0.0)


# sample_size_for_distance domain


def test_sample_size_unreachable_tree_cost():
    with pytest.raises(InvalidInputError, match="^eps:"):
        T.sample_size_for_distance(0.001, F1, 0.01, "tree", h_T=1)

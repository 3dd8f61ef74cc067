"""The chain-vs-tree sweep (issue 16) against independent routes."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from aligntheory.analysis import chain_tree as CT
from aligntheory.analysis.chain_tree import REFERENCE_CONFIG, ChainTreeConfig, chain_tree_sweep
from aligntheory.errors import InvalidInputError, SizeCapError


@pytest.fixture(scope="module")
def small_map():
    cfgs = [REFERENCE_CONFIG, ChainTreeConfig(ib_sharing="root_only"), ChainTreeConfig(budget="annotation")]
    return chain_tree_sweep([64], cfgs, seeds=2, eval_pairs=6, n_boot=200)


def test_shapes_and_fields(small_map):
    m = small_map
    assert m.log_ratio_exact.shape == (3, 1) and m.mean_exact.shape == (3, 1, 2) and m.ci_path.shape == (3, 1, 2)
    assert np.all(m.ci_exact[..., 0] <= m.log_ratio_exact + 1e-12) and np.all(m.log_ratio_exact <= m.ci_exact[..., 1] + 1e-12)
    np.testing.assert_allclose(m.log_ratio_exact, np.log(m.mean_exact[..., 0] / m.mean_exact[..., 1]), rtol=1e-12)
    assert len(m.summary()) == 3


def test_root_only_sharing_gives_the_prior_distance_closed_form(small_map):
    """root_only: an evaluation response absent from the data is joined only through the root by
    sum_k tau_k^2 = F(1)/2, so every such pair is exactly F(1) = I = 1 apart in both datasets
    (with 2*64*... responses out of 8^6 = 262,144, a collision has probability < 1e-3 per seed)."""
    m = small_map
    np.testing.assert_allclose(m.mean_exact[1, 0], [1.0, 1.0], rtol=1e-9)
    assert abs(m.log_ratio_exact[1, 0]) < 1e-9


def test_exact_means_match_a_dense_pseudo_inverse(small_map):
    """Recompute the reference configuration's chain mean from the same datasets with numpy.linalg.pinv."""
    import jax

    from aligntheory.kernels import ibn as KI
    from aligntheory.theory import ibn as T

    c = REFERENCE_CONFIG
    keys = jax.random.split(jax.random.PRNGKey(0 * 7919 + 0), 2)
    data = KI.chain_tree_datasets_batched(keys, 64, 64, c.B, c.D, c.b, c.d)
    tau = T.tau_schedule(T.StructuralFunction("poly", 1.0, 1.0), c.B, c.D)
    ev_rng = np.random.default_rng([0, 0, 0])
    vals = {0: [], 1: []}
    for s in range(2):
        ev = ev_rng.integers(0, c.B, (12, c.D))
        for t, (resp, pairs) in enumerate(((data.chain_responses[s], data.chain_pairs[s]),
                                           (data.tree_responses[s], data.tree_pairs[s]))):
            resp = np.asarray(resp).astype(np.int64)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                g = T.ibn_from_universe(np.concatenate([resp, ev]), c.B, tau, np.asarray(pairs), c.s2)
            L = np.zeros((g.n_nodes, g.n_nodes))
            for (a, b), v in zip(g.edges, g.variances):
                if a != b:
                    L[[a, b], [a, b]] += 1 / v
                    L[a, b] -= 1 / v
                    L[b, a] -= 1 / v
            P = np.linalg.pinv(L)
            ep = g.response_node[len(resp) + np.arange(12).reshape(6, 2)]
            vals[t].extend(P[a, a] + P[b, b] - 2 * P[a, b] for a, b in ep)
    # pinv of a ~700-node Laplacian with conductances up to 1e4: ~1e-9 relative
    np.testing.assert_allclose(small_map.mean_exact[0, 0], [np.mean(vals[0]), np.mean(vals[1])], rtol=1e-6)


def test_annotation_budget_gives_the_tree_more_comparisons(small_map):
    """Independent route: measured annotation lengths of generated datasets (theory.annotation_lengths)."""
    import jax

    from aligntheory.kernels import ibn as KI
    from aligntheory.theory import ibn as T

    resp, pairs = KI.chain_pairs(jax.random.PRNGKey(1), 4000, 8, 6)
    chain_len = T.annotation_lengths(np.asarray(resp).astype(np.int64), np.asarray(pairs)).mean()
    ds = KI.tree_pairs(jax.random.PRNGKey(2), 31 * 20, 8, 6, 2, 5)
    tree_len = T.annotation_lengths(np.asarray(ds.responses).astype(np.int64), np.asarray(ds.pairs)).mean()
    want = 64 * chain_len / tree_len
    got = small_map.n_tree[2, 0]
    assert small_map.n_tree[0, 0] == 64
    assert abs(got - want) / want < 0.03  # the sample mean of 4000 chain lengths is within ~1% of its expectation


def test_crossover_interpolation():
    ns = np.array([2.0**8, 2.0**10, 2.0**12, 2.0**14])
    assert CT._crossover(ns, np.array([-1.0, -0.5, 0.5, 1.0])) == pytest.approx(2.0**11, rel=1e-6, abs=0.0)
    assert CT._crossover(ns, np.array([-1.0, 0.5, -0.5, 1.0])) == pytest.approx(2.0 ** (12 + 2 / 3), rel=1e-6, abs=0.0)  # must win at every larger n
    assert CT._crossover(ns, np.array([-1.0, -0.5, -0.2, -0.1])) is None
    assert CT._crossover(ns, np.array([0.1, 0.2, 0.3, 0.4])) == 2.0**8


def test_bad_input():
    with pytest.raises(InvalidInputError):
        chain_tree_sweep([128, 64])
    with pytest.raises(InvalidInputError):
        chain_tree_sweep([8])
    with pytest.raises(SizeCapError):
        chain_tree_sweep([2**21], max_comparisons=2**20)
    with pytest.raises(InvalidInputError):
        chain_tree_sweep([64], configs=[{"B": 8}])
    with pytest.raises(InvalidInputError):
        ChainTreeConfig(b=9)
    with pytest.raises(InvalidInputError):
        chain_tree_sweep([64], seeds=1)


def test_plot_writes_a_png(small_map, tmp_path):
    pytest.importorskip("matplotlib")
    small_map.plot(tmp_path / "m.png")
    assert (tmp_path / "m.png").stat().st_size > 10_000


def test_coverage_model_against_monte_carlo_coverage():
    """theory.coverage_distance: limits in closed form, and the coverage probabilities u_k it assumes against
    the fraction of ALL B^k prefixes absent from generated datasets (8 seeds of each topology)."""
    import jax

    from aligntheory.kernels import ibn as KI
    from aligntheory.theory import ibn as T

    F = T.StructuralFunction("poly", 1.0, 1.0)
    B, D, b, d = 8, 6, 2, 5
    tau = T.tau_schedule(F, B, D)
    # n = 1 covers almost nothing: d -> 2 sum tau_k (1 - B^-k)^2 = F(1) up to one comparison's prefixes
    assert T.coverage_distance(1, F, B, D, "chain") == pytest.approx(2 * np.sum(tau * (1 - 8.0 ** -np.arange(1, 7)) ** 2), rel=1e-6, abs=0.0)
    assert T.coverage_distance(2**40, F, B, D, "chain") < 1e-12
    n_chain, n_tree, S = 700, 31 * 40, 8
    data = KI.chain_tree_datasets_batched(jax.random.split(jax.random.PRNGKey(3), S), n_chain, n_tree, B, D, b, d)
    for topo, resp_all, m_of_k in (("chain", data.chain_responses, lambda k: 2 * n_chain),
                                   ("tree", data.tree_responses, lambda k: 40 * b ** min(k, d))):
        for k in (3, 4):
            frac = []
            for s in range(S):
                codes = np.asarray(resp_all[s])[:, :k].astype(np.int64) @ (B ** np.arange(k - 1, -1, -1))
                frac.append(1.0 - len(np.unique(codes)) / B**k)
            u = (1 - B**-k) ** m_of_k(k)
            sd = np.sqrt(u * (1 - u) / B**k / S)
            assert abs(np.mean(frac) - u) <= 5 * sd, (topo, k, np.mean(frac), u, sd)
        # the distance is the tau-weighted sum of these u_k (both ends of an evaluation pair)
        u_all = (1 - 8.0 ** -np.arange(1, D + 1)) ** np.array([m_of_k(k) for k in range(1, D + 1)], dtype=float)
        assert T.coverage_distance(n_chain if topo == "chain" else n_tree, F, B, D, topo, b=b, d=d) == pytest.approx(
            2 * np.sum(tau * u_all), rel=1e-12, abs=0.0)

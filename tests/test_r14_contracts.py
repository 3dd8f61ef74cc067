"""Round-14 contract tests across pillars: documented edges a fresh mutation sample (issue 11) showed unchecked.

Each expected value comes from the documentation of the function and an independent route (networkx, a closed
form, the definition), not from the code under test.
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)

from aligntheory.errors import InvalidInputError, PrecisionError, SizeCapError  # noqa: E402


def test_threshold_welfare_labels_are_zero_or_one():
    """``y`` are binary labels (0/1): a 2 is refused, naming ``y``."""
    from aligntheory.theory.social_choice import threshold_empirical_welfare

    assert threshold_empirical_welfare([0.2, 0.7], [0, 1], [0.5]).tolist() == [1.0]
    with pytest.raises(InvalidInputError) as ei:
        threshold_empirical_welfare([0.2, 0.7], [0, 2], [0.5])
    assert ei.value.argument == "y"


@pytest.mark.parametrize("G", [3, 5])
def test_reff_dense_cholesky_checks_every_graph_of_a_batch(G):
    """A batch of G Laplacians of 4 nodes (G != 4): valid ones give networkx's resistances; a positive
    off-diagonal entry in the last graph is refused (the check reads the node axis, not the batch axis)."""
    from aligntheory.kernels.ibn import reff_dense_cholesky

    rng = np.random.default_rng(G)
    graphs = []
    for _ in range(G):
        g = nx.cycle_graph(4)
        for u, v in g.edges:
            g[u][v]["weight"] = float(rng.uniform(0.5, 2.0))
        graphs.append(g)
    L = np.stack([nx.laplacian_matrix(g, nodelist=range(4), weight="weight").toarray() for g in graphs]).astype(float)
    R = np.asarray(reff_dense_cholesky(L))
    for b, g in enumerate(graphs):
        want = nx.resistance_distance(g, 0, 2, weight="weight", invert_weight=False)  # weights are conductances
        assert R[b, 0, 2] == pytest.approx(want, rel=1e-12, abs=0)
    bad = L.copy()
    bad[-1, 0, 2] = bad[-1, 2, 0] = 0.5
    bad[-1, 0, 0] -= 0.5
    bad[-1, 2, 2] -= 0.5  # rows still sum to zero; only the sign of an off-diagonal entry is wrong
    with pytest.raises(InvalidInputError) as ei:
        reff_dense_cholesky(bad)
    assert ei.value.argument == "L"


def test_reff_sketch_caps_k_times_edges_even_without_edges():
    """The size check counts ``k * max(E, 1)`` random signs: with no edges a huge ``k`` is still refused."""
    from aligntheory.kernels.ibn import reff_sketch

    with pytest.raises(SizeCapError) as ei:
        reff_sketch(jax.random.PRNGKey(0), 3, np.zeros((0, 2), np.int64), conductances=np.zeros(0), k=10**12,
                    max_entries=10**6)
    assert ei.value.argument == "k"


def test_sample_counts_single_leaf():
    """One leaf: all N draws land on it (tree and sequential methods)."""
    from aligntheory.kernels.elasticity import sample_counts

    for method in ("tree", "sequential"):
        c = np.asarray(sample_counts(jax.random.PRNGKey(1), np.array([1.0]), 7, method=method))
        assert c.tolist() == [7.0], method


def test_safety_tilt_scale_overflow_is_a_precision_error():
    """|reward| / beta or |cost| / beta beyond float64 (1e300 / 1e-10) is refused before any work, as documented."""
    from aligntheory.kernels.safety import optimal_multiplier_batched

    p = np.full((1, 2), 0.5)
    with pytest.raises(PrecisionError, match="overflows"):
        optimal_multiplier_batched(p, np.array([[0.0, 1e300]]), np.array([[0.0, 1.0]]), 1e-10, np.array([0.5]))
    with pytest.raises(PrecisionError, match="overflows"):
        optimal_multiplier_batched(p, np.array([[0.0, 1.0]]), np.array([[0.0, 1e300]]), 1e-10, np.array([5.0]))


def test_leaderboard_dict_keeps_the_anchor():
    from aligntheory.analysis.arena import leaderboard

    battles = {"model_a": ["x", "x", "y", "x", "z", "z"], "model_b": ["y", "y", "x", "z", "x", "y"],
               "winner": ["model_a", "model_a", "model_a", "tie", "model_b", "model_b"]}
    lb = leaderboard(battles, n_bootstrap=0, anchor=("y", 1200.0))
    assert lb.as_dict()["anchor"] == ["y", 1200.0]
    i = lb.models.index("y")
    assert lb.rating[i] == pytest.approx(1200.0, rel=1e-12, abs=0)


def test_chat_responses_are_identified_by_content_not_key_order():
    """Chat-format responses: the same messages with their keys in another order are the same response (one node
    per distinct response, as for strings)."""
    from aligntheory.analysis.ibn import analyse_preferences

    a1 = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "A"}]
    a2 = [{"content": "hi", "role": "user"}, {"content": "A", "role": "assistant"}]  # a1, keys reordered
    b = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "B"}]
    recs = [{"chosen": a1, "rejected": b}, {"chosen": b, "rejected": a2}]
    an = analyse_preferences(recs, hp_var=1.0)
    assert len(an.labels) == 2


def test_chain_tree_crossover_interpolates_in_log_size():
    """The crossover size: log-linear interpolation of the log ratio between the last size where it is <= 0
    and the next. lr = (-0.2, 0.1, 0.5) at 2^8, 2^10, 2^12 crosses at 256 * 4^(2/3); lr = (-0.3, -0.1, 0.2) at
    1024 * 4^(1/3)."""
    from aligntheory.analysis.chain_tree import _crossover

    ns = np.array([2.0**8, 2.0**10, 2.0**12])
    assert _crossover(ns, np.array([-0.2, 0.1, 0.5])) == pytest.approx(256 * 4 ** (2 / 3), rel=1e-13, abs=0)
    assert _crossover(ns, np.array([-0.3, -0.1, 0.2])) == pytest.approx(1024 * 4 ** (1 / 3), rel=1e-13, abs=0)
    assert _crossover(ns, np.array([0.1, 0.2, 0.3])) == 256.0
    assert _crossover(ns, np.array([-0.1, 0.2, -0.3])) is None
    assert math.isfinite(_crossover(ns, np.array([-0.1, 0.2, 0.3])))


def test_preference_history_weights_exact_beyond_2_53():
    """Order 60, one step ahead: the Lagrange weights are (-1)^(60-j) C(61, j) (our A-T1 at m = 1), the largest
    C(61, 30) ~ 2.3e17 > 2^53, and their magnitudes sum to 2^61 - 1 < 2^62 (inside the documented cap). They must be
    the exact integers (computed here with math.comb), and the extrapolated votes the exact integer sums."""
    from aligntheory.theory.progress import extrapolate_preference_history

    p = 60
    want_w = [(-1) ** (p - j) * math.comb(p + 1, j) for j in range(p + 1)]
    assert max(abs(w) for w in want_w) > 2**53
    rng = np.random.default_rng(60)
    votes = rng.integers(-1, 2, (p + 1, 4))
    h = extrapolate_preference_history(votes, order=p, timesteps_ahead=1)
    assert [int(w) for w in h.weights] == want_w
    y = [sum(w * int(votes[j, k]) for j, w in enumerate(want_w)) for k in range(4)]
    assert [int(v) for v in h.votes] == y
    assert [int(c) for c in h.copies] == [min(abs(v), 5) for v in y]


def test_inference_distance_path_refuses_zero_variance_by_default():
    """A zero-variance edge needs ``contract_zero_variance=True`` (default False): refused by default, and with
    it the contracted path's distance is the remaining variance (0 + 2)."""
    from aligntheory.theory.ibn import IBN, inference_distance_path

    ibn = IBN(3, np.array([[0, 1], [1, 2]]), np.array([0.0, 2.0]))
    with pytest.raises(InvalidInputError):
        inference_distance_path(ibn, 0, 2)
    assert inference_distance_path(ibn, 0, 2, contract_zero_variance=True) == 2.0

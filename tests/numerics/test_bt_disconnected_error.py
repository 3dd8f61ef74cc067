"""The DisconnectedGraphError of fit_bradley_terry: its components against networkx, built lazily, and
cheap to raise for millions of uncompared items (it once built one list per component inside the raise)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from aligntheory.errors import DisconnectedGraphError
from aligntheory.numerics import fit_bradley_terry


@pytest.mark.parametrize("seed", range(6))
def test_components_are_the_strongly_connected_components_largest_first(seed):
    rng = np.random.default_rng(seed)
    n = 30
    pairs = rng.integers(0, n, size=(40, 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_edges_from(pairs.tolist())  # winner -> loser: the beats graph
    want = [sorted(c) for c in nx.strongly_connected_components(G)]
    assert len(want) > 1  # 40 random arcs on 30 nodes: never strongly connected for these seeds
    with pytest.raises(DisconnectedGraphError) as ei:
        fit_bradley_terry(pairs, n_items=n)
    got = ei.value.components
    assert sorted(got) == sorted(want)
    assert [len(c) for c in got] == sorted((len(c) for c in want), reverse=True)
    assert ei.value.directed
    assert f"({len(want)} strongly connected components" in str(ei.value)


def test_millions_of_uncompared_items_raise_at_once():
    import time

    n = 2_000_000
    t0 = time.perf_counter()
    with pytest.raises(DisconnectedGraphError, match=f"{n - 1} strongly connected components") as ei:
        fit_bradley_terry(np.array([[0, 1], [1, 0]]), n_items=n)
    # generous: ~0.3 s here; building 2e6 component lists inside the raise took ~35 s
    assert time.perf_counter() - t0 < 20.0
    comps = ei.value.components  # built on demand
    assert len(comps) == n - 1 and comps[0] == [0, 1] and comps[1] == [2] and comps[-1] == [n - 1]

"""Hypothesis strategies for the representative social choice pillar (spec ``social_choice.md`` §5).

>>> from hypothesis import given, settings
>>> from aligntheory.testing.social_choice import finite_instances
>>> @settings(max_examples=5)
... @given(finite_instances())
... def test_shapes(inst):
...     w, util, issues, pol = inst
...     assert util.shape[0] == w.shape[0] == issues.shape[0]
>>> test_shapes()
"""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
from hypothesis import strategies as st

__all__ = ["finite_instances", "tournaments", "pair_weights"]


@st.composite
def pair_weights(draw, min_pairs: int = 1, max_pairs: int = 8):
    """A probability vector over pairs (exactly summing to 1 up to rounding, checked at 1e-12).

    Examples
    --------
    >>> from hypothesis import find
    >>> w = find(pair_weights(3, 3), lambda w: True)
    >>> w.shape, abs(float(w.sum()) - 1.0) <= 1e-12
    ((3,), True)
    """
    k = draw(st.integers(min_pairs, max_pairs))
    raw = np.array(draw(st.lists(st.integers(0, 20), min_size=k, max_size=k)), dtype=np.float64)
    if raw.sum() == 0:
        raw[0] = 1.0
    w = raw / raw.sum()
    w[-1] = 1.0 - w[:-1].sum()
    if w[-1] < 0:  # pragma: no cover - rounding guard
        w = np.full(k, 1.0 / k)
    return w


@st.composite
def finite_instances(draw, max_pairs: int = 6, max_issues: int = 3, max_outcomes: int = 3, max_policies: int = 6):
    """``(weights, util_table, issue_of_pair, policy_outcomes)`` of a small finite instance.

    Utilities are multiples of 1/4 in [0, 1] (exact in binary floating point).

    Examples
    --------
    >>> from hypothesis import find
    >>> w, util, issues, pol = find(finite_instances(), lambda inst: True)
    >>> util.shape[0] == w.shape[0] == issues.shape[0], bool(((util >= 0) & (util <= 1)).all())
    (True, True)
    """
    w = draw(pair_weights(1, max_pairs))
    k = w.shape[0]
    q = draw(st.integers(1, max_issues))
    o = draw(st.integers(2, max_outcomes))
    util = np.array(draw(st.lists(st.integers(0, 4), min_size=k * o, max_size=k * o)), dtype=np.float64).reshape(k, o) / 4
    issues = np.array(draw(st.lists(st.integers(0, q - 1), min_size=k, max_size=k)), dtype=np.int64)
    f = draw(st.integers(1, max_policies))
    pol = np.array(draw(st.lists(st.integers(0, o - 1), min_size=f * q, max_size=f * q)), dtype=np.int64).reshape(f, q)
    return w, util, issues, pol


@st.composite
def tournaments(draw, min_nodes: int = 3, max_nodes: int = 7, cyclic: bool | None = None):
    """A random tournament on ``range(n)`` as a ``networkx.DiGraph``.

    ``cyclic=True`` forces a directed 3-cycle (nodes 0 -> 1 -> 2 -> 0), ``False`` an acyclic one
    (a random linear order), ``None`` anything.

    Examples
    --------
    >>> import networkx as nx
    >>> from hypothesis import find
    >>> G = find(tournaments(cyclic=False), lambda G: True)
    >>> nx.is_directed_acyclic_graph(G)
    True
    """
    n = draw(st.integers(min_nodes, max_nodes))
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    if cyclic is False:
        order = draw(st.permutations(range(n)))
        G.add_edges_from((order[i], order[j]) for i in range(n) for j in range(i + 1, n))
        return G
    for u, v in itertools.combinations(range(n), 2):
        G.add_edge(*((u, v) if draw(st.booleans()) else (v, u)))
    if cyclic:
        for u, v in ((0, 1), (1, 2), (2, 0)):
            if G.has_edge(v, u):
                G.remove_edge(v, u)
            G.add_edge(u, v)
    return G

"""Hypothesis strategies: connected weighted graphs, comparison datasets, strict-order profiles.

All strategies produce plain numpy data in the library's conventions (edge arrays ``(E, 2)``
int64, variances ``(E,)`` float64, rankings as integer arrays with the best candidate first), so
they drive the theory layer directly and kernels on fixed shapes.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

__all__ = ["log_uniform", "connected_weighted_graphs", "comparison_datasets", "strict_order_profiles"]


def log_uniform(lo: float = 1e-3, hi: float = 1e3) -> st.SearchStrategy[float]:
    """Floats whose logarithm is uniform on ``[log lo, log hi]``.

    Examples
    --------
    >>> from hypothesis import find
    >>> 1e-3 <= find(log_uniform(), lambda x: True) <= 1e3
    True
    """
    return st.floats(np.log(lo), np.log(hi)).map(lambda t: float(min(max(np.exp(t), lo), hi)))


@st.composite
def connected_weighted_graphs(draw, min_nodes: int = 2, max_nodes: int = 40, *, multigraph: bool = True,
                              var_lo: float = 1e-3, var_hi: float = 1e3, extra_edges: int | None = None):
    """Connected weighted (multi)graphs ``(n_nodes, edges, var)``.

    A uniformly random recursive spanning tree (node ``i`` attaches to a node ``< i`` after a
    random relabelling) plus up to ``extra_edges`` random extra edges (parallel edges allowed when
    ``multigraph``; never self-loops), with log-uniform variances on ``[var_lo, var_hi]``
    (spec ``ibn.md`` §5).

    Returns
    -------
    tuple ``(int, ndarray (E, 2) int64, ndarray (E,) float64)``

    Examples
    --------
    >>> from hypothesis import find
    >>> n, edges, var = find(connected_weighted_graphs(min_nodes=4, max_nodes=4), lambda g: True)
    >>> n, edges.shape[1], bool((var > 0).all())
    (4, 2, True)
    """
    n = draw(st.integers(min_nodes, max_nodes))
    perm = draw(st.permutations(range(n)))
    parents = [draw(st.integers(0, i - 1)) for i in range(1, n)]
    edges = [(perm[i], perm[p]) for i, p in zip(range(1, n), parents)]
    k = draw(st.integers(0, extra_edges if extra_edges is not None else min(2 * n, 60)))
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda t: t[0] != t[1])
    seen = {tuple(sorted(e)) for e in edges}
    for _ in range(k if n > 1 else 0):
        a, b = draw(pair)
        if not multigraph and tuple(sorted((a, b))) in seen:
            continue
        seen.add(tuple(sorted((a, b))))
        edges.append((a, b))
    e = np.array(edges, dtype=np.int64).reshape(-1, 2)
    var = np.array([draw(log_uniform(var_lo, var_hi)) for _ in range(len(e))], dtype=np.float64)
    return n, e, var


@st.composite
def comparison_datasets(draw, min_items: int = 2, max_items: int = 12, max_count: int = 20,
                        strongly_connected: bool = False):
    """Aggregated pairwise-comparison data ``(n_items, edges, wins, K)``.

    ``edges`` is a connected comparison graph, ``K`` the comparisons per edge (>= 1) and ``wins``
    the wins of ``edges[:, 0]``. With ``strongly_connected=True`` every edge has at least one win
    each way, so the Bradley--Terry MLE exists (Ford 1957).

    Examples
    --------
    >>> from hypothesis import find
    >>> n, edges, wins, K = find(comparison_datasets(strongly_connected=True), lambda d: True)
    >>> bool(((wins >= 1) & (wins <= K - 1)).all())
    True
    """
    n, e, _ = draw(connected_weighted_graphs(min_items, max_items, multigraph=False))
    lo = 2 if strongly_connected else 1
    K = np.array([draw(st.integers(lo, max_count)) for _ in range(len(e))], dtype=np.float64)
    wins = np.array([draw(st.integers(1 if strongly_connected else 0, int(k) - (1 if strongly_connected else 0)))
                     for k in K], dtype=np.float64)
    return n, e, wins, K


@st.composite
def strict_order_profiles(draw, min_voters: int = 1, max_voters: int = 9, min_candidates: int = 2,
                          max_candidates: int = 5, n_profiles: int | None = None):
    """Profiles of strict rankings as an int array ``(n_voters, n_candidates)``, best first.

    With ``n_profiles`` set, a batch ``(n_profiles, n_voters, n_candidates)`` of profiles with the
    same numbers of voters and candidates.

    Examples
    --------
    >>> from hypothesis import find
    >>> P = find(strict_order_profiles(min_candidates=3, max_candidates=3), lambda P: True)
    >>> sorted(P[0].tolist())
    [0, 1, 2]
    """
    v = draw(st.integers(min_voters, max_voters))
    m = draw(st.integers(min_candidates, max_candidates))
    ranking = st.permutations(range(m))
    if n_profiles is None:
        return np.array([draw(ranking) for _ in range(v)], dtype=np.int64).reshape(v, m)
    return np.array([[draw(ranking) for _ in range(v)] for _ in range(n_profiles)], dtype=np.int64).reshape(
        n_profiles, v, m)

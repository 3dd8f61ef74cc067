"""The public hypothesis strategies produce what they promise (checked independently with networkx)."""

import networkx as nx
import numpy as np
from hypothesis import given

from aligntheory.testing import comparison_datasets, connected_weighted_graphs, strict_order_profiles


@given(connected_weighted_graphs(max_nodes=15))
def test_graphs_are_connected_without_self_loops(g):
    n, e, var = g
    G = nx.MultiGraph()
    G.add_nodes_from(range(n))
    G.add_edges_from(map(tuple, e))
    assert nx.is_connected(G)
    assert e.dtype == np.int64 and var.dtype == np.float64 and e.shape == (len(var), 2)
    assert np.all(e[:, 0] != e[:, 1])
    assert np.all((var >= 1e-3) & (var <= 1e3))


@given(comparison_datasets(strongly_connected=True))
def test_strongly_connected_datasets(d):
    n, e, wins, K = d
    D = nx.DiGraph()
    D.add_nodes_from(range(n))
    for (a, b), w, k in zip(e, wins, K):
        if w > 0:
            D.add_edge(int(a), int(b))
        if k - w > 0:
            D.add_edge(int(b), int(a))
    assert nx.is_strongly_connected(D)
    assert np.all((wins >= 0) & (wins <= K))


@given(strict_order_profiles(n_profiles=3))
def test_profiles_are_permutations(P):
    m = P.shape[-1]
    assert P.ndim == 3 and P.shape[0] == 3
    assert np.all(np.sort(P, axis=-1) == np.arange(m))


def test_no_profile_relies_on_the_example_database():
    """Determinism never comes from hypothesis' example database: every profile has database=None."""
    from hypothesis import settings

    assert settings().database is None  # the profile this session loaded
    for name in ("dev", "ci", "fuzz"):
        assert settings.get_profile(name).database is None, name


def test_no_test_overrides_the_database_or_profile():
    """Tests may not re-enable the database or pin a profile of their own (the suite passes under any)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    offenders = []
    for path in [*root.joinpath("tests").rglob("*.py"), *root.joinpath("aligntheory").rglob("*.py")]:
        if path.name == "_config.py" and path.parent.name == "testing":
            continue  # the one place profiles are registered
        if path == Path(__file__).resolve():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if re.search(r"database\s*=\s*(?!None)\S|load_profile\(|register_profile\(", text):
            offenders.append(str(path.relative_to(root)))
    assert not offenders, offenders

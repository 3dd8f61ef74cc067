"""Public hypothesis strategies for testing your own estimators and mechanisms.

>>> from aligntheory.testing import connected_weighted_graphs
>>> from hypothesis import given
>>> @given(connected_weighted_graphs(max_nodes=6))
... def test_foster(g):
...     n, edges, var = g
...     assert len(edges) >= n - 1
>>> test_foster()
"""

from aligntheory.testing.social_choice import finite_instances, pair_weights, tournaments
from aligntheory.testing.strategies import (
    comparison_datasets,
    connected_weighted_graphs,
    log_uniform,
    strict_order_profiles,
)

__all__ = ["comparison_datasets", "connected_weighted_graphs", "log_uniform", "strict_order_profiles",
           "finite_instances", "pair_weights", "tournaments"]

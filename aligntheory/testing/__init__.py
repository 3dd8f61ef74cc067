"""Public hypothesis strategies for testing your own estimators and mechanisms.

>>> from aligntheory.testing import connected_weighted_graphs
>>> from hypothesis import given
>>> @given(connected_weighted_graphs(max_nodes=6))
... def test_foster(g):
...     n, edges, var = g
...     assert len(edges) >= n - 1
>>> test_foster()

Needs the ``testing`` extra (``pip install 'aligntheory[testing]'``, which installs hypothesis);
without it, importing this package raises :class:`~aligntheory.errors.MissingDependencyError`
naming the extra.
"""

from aligntheory._optional import require as _require

_require("hypothesis")

from aligntheory.testing.social_choice import finite_instances, pair_weights, tournaments  # noqa: E402
from aligntheory.testing.strategies import (  # noqa: E402
    comparison_datasets,
    connected_weighted_graphs,
    log_uniform,
    strict_order_profiles,
)

__all__ = ["comparison_datasets", "connected_weighted_graphs", "log_uniform", "strict_order_profiles",
           "finite_instances", "pair_weights", "tournaments"]

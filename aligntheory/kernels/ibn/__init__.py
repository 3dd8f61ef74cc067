"""JAX kernels of the IBN pillar (spec ``ibn.md`` §4.2): conductances by keyword, float64, explicit keys.

The host-side estimators and solvers (:func:`fit_bradley_terry`, :func:`aggregate_comparisons`,
:class:`BTFit`, :func:`solve_laplacian`, :class:`LaplacianSolver`, :func:`tree_elimination_order`)
live in :mod:`aligntheory.numerics` (numpy/scipy, no JAX) and are re-exported here, where they were
first published.
"""

from aligntheory.kernels.ibn import _bt as _bt_mod
from aligntheory.kernels.ibn import _bt_continuous as _btc_mod
from aligntheory.kernels.ibn import _datasets as _datasets_mod
from aligntheory.kernels.ibn import _resistance as _res_mod
from aligntheory.kernels.ibn import _solvers as _sol_mod
from aligntheory.kernels.ibn._bt import *  # noqa: F401,F403
from aligntheory.kernels.ibn._bt_continuous import *  # noqa: F401,F403
from aligntheory.kernels.ibn._datasets import *  # noqa: F401,F403
from aligntheory.kernels.ibn._resistance import *  # noqa: F401,F403
from aligntheory.kernels.ibn._solvers import *  # noqa: F401,F403
from aligntheory.numerics.bradley_terry import (  # noqa: F401  (re-exports at the published path)
    AggregatedComparisons,
    BTFit,
    aggregate_comparisons,
    fit_bradley_terry,
)

__all__ = (list(_res_mod.__all__) + list(_datasets_mod.__all__) + list(_sol_mod.__all__) + list(_bt_mod.__all__)
           + list(_btc_mod.__all__) + ["aggregate_comparisons", "AggregatedComparisons", "fit_bradley_terry", "BTFit"])

# issue 16: chain/tree datasets batched over seeds, sharded over the local devices
from aligntheory.kernels.ibn import _sweep as _sweep_mod  # noqa: E402
from aligntheory.kernels.ibn._sweep import *  # noqa: E402,F401,F403

__all__ += list(_sweep_mod.__all__)

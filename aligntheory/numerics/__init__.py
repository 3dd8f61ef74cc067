"""Host-side numerics (numpy/scipy; never JAX): estimators and solvers that run on the CPU.

Importing this package does not import JAX. The JAX layer (:mod:`aligntheory.kernels`) re-exports
these names where they were first published (``aligntheory.kernels.ibn.fit_bradley_terry``), so
both paths work.

* :mod:`aligntheory.numerics.bradley_terry` -- :func:`fit_bradley_terry` (integer or named ids),
  :func:`aggregate_comparisons`, :class:`BTFit`;
* :mod:`aligntheory.numerics.laplacian` -- :func:`solve_laplacian`, :class:`LaplacianSolver`
  (solver chosen by the graph's structure), :func:`tree_elimination_order`;
* :mod:`aligntheory.numerics.resistance` -- :func:`effective_resistance_all_pairs` (LAPACK
  ``potrf`` + ``potri``: the CPU path of the dense all-pairs kernel).
"""

from aligntheory.numerics.bradley_terry import *  # noqa: F401,F403
from aligntheory.numerics.bradley_terry import __all__ as _bt_all
from aligntheory.numerics.laplacian import *  # noqa: F401,F403
from aligntheory.numerics.laplacian import __all__ as _lap_all
from aligntheory.numerics.resistance import *  # noqa: F401,F403
from aligntheory.numerics.resistance import __all__ as _res_all

__all__ = list(_bt_all) + list(_lap_all) + list(_res_all)

"""JAX kernels of the IBN pillar (spec ``ibn.md`` §4.2): conductances, float64, explicit keys."""

from aligntheory.kernels.ibn._resistance import *  # noqa: F401,F403
from aligntheory.kernels.ibn._resistance import __all__ as _res_all
from aligntheory.kernels.ibn._datasets import *  # noqa: F401,F403
from aligntheory.kernels.ibn._datasets import __all__ as _datasets_all

__all__ = list(_res_all) + list(_datasets_all)
from aligntheory.kernels.ibn import _bt as _bt_mod, _solvers as _sol_mod  # noqa: E402
from aligntheory.kernels.ibn._bt import *  # noqa: F401,F403,E402
from aligntheory.kernels.ibn._solvers import *  # noqa: F401,F403,E402

__all__ += list(_sol_mod.__all__) + list(_bt_mod.__all__)

"""JAX kernels of the IBN pillar (spec ``ibn.md`` §4.2): conductances, float64, explicit keys."""

from aligntheory.kernels.ibn._resistance import *  # noqa: F401,F403
from aligntheory.kernels.ibn._resistance import __all__ as _res_all

__all__ = list(_res_all)

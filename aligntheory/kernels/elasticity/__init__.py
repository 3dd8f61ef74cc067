"""JAX kernels of the elasticity pillar (spec ``elasticity.md`` §4.2): float64, explicit PRNG keys.

Submodules: ``_core`` (token trees, log-space mixtures, derivatives, (k, l) sweeps, sampling,
softmax training) and ``_simulate`` (the empirical resistance/rebound protocol: sequential
fine-tuning of small low-rank softmax and MLP language models, change-point metrics).
"""

from aligntheory.kernels.elasticity._core import *  # noqa: F401,F403
from aligntheory.kernels.elasticity._core import __all__ as _core_all
from aligntheory.kernels.elasticity._simulate import *  # noqa: F401,F403
from aligntheory.kernels.elasticity._simulate import __all__ as _sim_all

__all__ = list(_core_all) + list(_sim_all)

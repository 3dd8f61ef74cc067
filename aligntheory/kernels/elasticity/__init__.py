"""JAX kernels of the elasticity pillar (spec ``elasticity.md`` §4.2): float64, explicit PRNG keys.

Modules (one seam each): ``_validation`` (the one host-side validation boundary: distributions,
log-distributions, counts, dtypes, size caps), ``_trees`` (token trees, pruning), ``_rates``
(log-space mixtures, rates and derivatives, (k, l) grids), ``_sampling`` (multinomial counts,
pooled MLEs, Monte Carlo finite differences), ``_training`` (softmax training to the E1 mixture),
``_simulate`` (the empirical resistance/rebound protocol: sequential fine-tuning of small low-rank
softmax and MLP language models), ``_batched`` (the protocol over a batch of seeds, vmapped) and
``_metrics`` (change-point fit, first crossing). Public kernels take ``validate=`` (host-side value
checks; pass False under ``jit``) and solver-like kernels ``throw=`` (docs/DESIGN.md §7).
"""

from aligntheory.kernels.elasticity._batched import *  # noqa: F401,F403
from aligntheory.kernels.elasticity._batched import __all__ as _b_all
from aligntheory.kernels.elasticity._metrics import *  # noqa: F401,F403
from aligntheory.kernels.elasticity._metrics import __all__ as _m_all
from aligntheory.kernels.elasticity._rates import *  # noqa: F401,F403
from aligntheory.kernels.elasticity._rates import __all__ as _r_all
from aligntheory.kernels.elasticity._sampling import *  # noqa: F401,F403
from aligntheory.kernels.elasticity._sampling import __all__ as _s_all
from aligntheory.kernels.elasticity._simulate import *  # noqa: F401,F403
from aligntheory.kernels.elasticity._simulate import __all__ as _sim_all
from aligntheory.kernels.elasticity._training import *  # noqa: F401,F403
from aligntheory.kernels.elasticity._training import __all__ as _t_all
from aligntheory.kernels.elasticity._trees import *  # noqa: F401,F403
from aligntheory.kernels.elasticity._trees import __all__ as _tr_all

__all__ = list(_tr_all) + list(_r_all) + list(_s_all) + list(_t_all) + list(_sim_all) + list(_b_all) + list(_m_all)

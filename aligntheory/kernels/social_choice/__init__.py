"""JAX kernels of the representative social choice pillar (spec ``social_choice.md`` §4.2).

``_learning``: pair sampling, batched empirical welfare, ERM, uniform deviation and regret,
threshold and issue-wise majority families. ``_voting``: vectorised voting rules over batches of
profiles (``plurality``, ``borda``, ``scoring_rule``, ``copeland``, ``condorcet_winner_mask``) returning
boolean winner masks. Every public kernel works under ``jax.jit`` and ``jax.vmap``: value checks run on
the host (``validate=True``) and are skipped on tracers.
"""

from aligntheory.kernels.social_choice._learning import *  # noqa: F401,F403
from aligntheory.kernels.social_choice._learning import __all__ as _l
from aligntheory.kernels.social_choice._voting import *  # noqa: F401,F403
from aligntheory.kernels.social_choice._voting import __all__ as _v

from aligntheory.kernels.social_choice._voting import condorcet_winner  # noqa: F401  (deprecated alias, README)

__all__ = list(_l) + list(_v)

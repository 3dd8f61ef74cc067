"""JAX kernels of the representative social choice pillar (spec ``social_choice.md`` §4.2).

``_learning``: pair sampling, batched empirical welfare, ERM, uniform deviation and regret,
issue-wise majority; ``_threshold``: the threshold benchmark; ``_voting`` (jitted cores in
``_voting_core``): vectorised voting rules over batches of profiles (``plurality``, ``borda``,
``scoring_rule``, ``copeland``, ``condorcet_winner_mask``) returning boolean winner masks. Every
public kernel works under ``jax.jit`` and ``jax.vmap``: value checks run on
the host (``validate=True``) and are skipped on tracers.
"""

from aligntheory.kernels.social_choice._learning import *  # noqa: F401,F403
from aligntheory.kernels.social_choice._learning import __all__ as _l
from aligntheory.kernels.social_choice._voting import *  # noqa: F401,F403
from aligntheory.kernels.social_choice._voting import __all__ as _v

from aligntheory.kernels.social_choice._voting import condorcet_winner  # noqa: F401  (deprecated alias, README)

__all__ = list(_l) + list(_v)

"""JAX kernels for Safe-RLHF constrained optimisation (spec ``progress_and_safety.md`` Part B, B.3).

Batched tilted policies over prompts and multiplier grids (our B-T1), a vmapped bisection for the
optimal multiplier (B-T2), dual iterations with exact expectations (B-T3, B-T4), simulated
primal--dual training with a sliding-window cost estimate (open question 4 of Part B), and the
dual-preference Bradley--Terry simulation and maximum-likelihood fit (B-T7). Float64 only
(:class:`~aligntheory.errors.PrecisionError` otherwise); randomised kernels take a PRNG key first.
Inputs are validated on the host (real, rectangular, finite, sizes against keyword caps) before
the jitted cores run.

Modules: :mod:`._policy` (tilt, multiplier, dual iterations), :mod:`._preferences` (B-T7).
"""

from aligntheory.kernels.safety._boundary import MAX_ENTRIES
from aligntheory.kernels.safety._policy import (
    PrimalDualTrace,
    TiltedMomentsBatched,
    dual_ascent_batched,
    optimal_multiplier_batched,
    simulate_primal_dual,
    tilted_moments_batched,
    tilted_policy_batched,
)
from aligntheory.kernels.safety._preferences import (
    MAX_FIT_PAIRS,
    MAX_PAIRS,
    CostModelFit,
    DualPreferences,
    fit_cost_model,
    fit_dual_bt,
    simulate_dual_preferences,
)

__all__ = [
    "MAX_ENTRIES",
    "tilted_policy_batched",
    "TiltedMomentsBatched",
    "tilted_moments_batched",
    "optimal_multiplier_batched",
    "dual_ascent_batched",
    "PrimalDualTrace",
    "simulate_primal_dual",
    "MAX_PAIRS",
    "MAX_FIT_PAIRS",
    "DualPreferences",
    "simulate_dual_preferences",
    "CostModelFit",
    "fit_cost_model",
    "fit_dual_bt",
]

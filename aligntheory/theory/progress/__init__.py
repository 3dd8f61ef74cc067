"""Progress-alignment dynamics, exact layer (spec ``progress_and_safety.md`` Part A).

Value trajectories and the three ProgressGym challenge scores (follow, predict, coevolve), the
extrapolation estimators behind ProgressGym's extrapolative DPO/RLHF (vanishing finite differences
= polynomial extrapolation, our A-T1), their parity (A-T2), error bound (A-T3), noise gain and
optimal order (A-T4), and the linear human--AI coevolution model (A-T5: stability, time constant,
steady lag, lock-in). Paper: Qiu et al., *ProgressGym: Alignment with a Millennium of Moral
Progress* (arXiv 2406.20087) [S for the tasks and scores]; the theorems A-T1 ... A-T6 are ours
(derived in the spec, tagged [M]).

Modules: :mod:`._values` (value vectors and trajectories), :mod:`._extrapolation` (A-T1 to A-T4),
:mod:`._votes` (extrapolated votes, A-T2), :mod:`._scores` (challenge scores, scale-safe cosines), :mod:`._coevolution` (A-T5). Nothing here
imports JAX (the kernels live in :mod:`aligntheory.kernels.progress`).
"""

from aligntheory.theory.progress._coevolution import (
    JURY_MARGIN,
    JuryCondition,
    StabilityReport,
    coevolution_stability,
    copying_ai_stability,
    first_order_spectral_radius,
    lock_in_limit,
    steady_state_lag,
)
from aligntheory.theory.progress._extrapolation import (
    MAX_ORDER,
    MAX_RECURRENCE_WORK,
    OrderChoice,
    extrapolate,
    extrapolate_by_recurrence,
    extrapolation_coefficients,
    extrapolation_error_bound,
    lagrange_extrapolation_weights,
    noise_gain,
    optimal_order,
)
from aligntheory.theory.progress._scores import coevolve_score, cosine, follow_score, predict_score
from aligntheory.theory.progress._values import BlockSpec, ValueTrajectory, ValueVector
from aligntheory.theory.progress._votes import VoteMoments, extrapolated_vote, vote_extrapolation_moments

__all__ = [
    "BlockSpec",
    "ValueVector",
    "ValueTrajectory",
    "MAX_ORDER",
    "MAX_RECURRENCE_WORK",
    "extrapolation_coefficients",
    "lagrange_extrapolation_weights",
    "extrapolate",
    "extrapolate_by_recurrence",
    "extrapolation_error_bound",
    "noise_gain",
    "OrderChoice",
    "optimal_order",
    "extrapolated_vote",
    "VoteMoments",
    "vote_extrapolation_moments",
    "cosine",
    "follow_score",
    "predict_score",
    "coevolve_score",
    "JURY_MARGIN",
    "JuryCondition",
    "StabilityReport",
    "coevolution_stability",
    "copying_ai_stability",
    "first_order_spectral_radius",
    "steady_state_lag",
    "lock_in_limit",
]

# Issue 15 item 3: ProgressGym preference histories and the named value schema.
from aligntheory.theory.progress._history import (  # noqa: E402
    MAX_COPIES,
    PreferenceHistoryExtrapolation,
    extrapolate_preference_history,
)
from aligntheory.theory.progress._schema import (  # noqa: E402
    PROGRESSGYM_VALUE_SCHEMA,
    ValueSchema,
    coevolve_score_labeled,
    follow_score_labeled,
    predict_score_labeled,
)

__all__ += [
    "MAX_COPIES",
    "PreferenceHistoryExtrapolation",
    "extrapolate_preference_history",
    "ValueSchema",
    "PROGRESSGYM_VALUE_SCHEMA",
    "follow_score_labeled",
    "predict_score_labeled",
    "coevolve_score_labeled",
]

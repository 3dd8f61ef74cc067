"""Safe-RLHF constrained policy optimisation, exact layer (spec ``progress_and_safety.md`` Part B).

For one prompt with a finite response set (size ``n``): reference policy :math:`\\pi_{\\rm ref}`,
helpfulness reward ``r``, harm cost ``c``, KL strength :math:`\\beta>0` and cost budget ``d``,

.. math:: \\max_\\pi\\ \\mathbb E_\\pi[r] - \\beta\\,\\mathrm{KL}(\\pi\\|\\pi_{\\rm ref})
          \\quad\\text{s.t.}\\quad \\mathbb E_\\pi[c] \\le d .

Safe RLHF (Dai et al., arXiv 2310.12773) writes the constraint with an offset as
:math:`\\mathbb E[C] + d \\le 0`; its training code uses a threshold (default 0). Here the budget is
``d`` in :math:`\\mathbb E[c]\\le d`, i.e. ``d = -offset`` of the paper. The paper gives the
algorithm; the closed forms (B-T1 ... B-T7) are ours, derived in the spec (tag [M]) and checked in
:mod:`aligntheory.proofs_check.safety`. Harm taxonomy: PKU-SafeRLHF (Ji et al., arXiv 2406.15513) [S].

Modules: :mod:`._taxonomy` (harm labels), :mod:`._tilt` (Gibbs tilt, dual function),
:mod:`._multiplier` (optimal multiplier, frontier), :mod:`._ascent` (dual ascent),
:mod:`._reference` (cvxpy reference, checks only), :mod:`._preferences` (dual Bradley--Terry NLLs).

Argument order of the numerical functions: ``(ref_probs, reward, cost, ...)``; an optional
keyword ``support`` (boolean mask) allows zeros in ``ref_probs`` explicitly. Nothing here imports
JAX (see :mod:`aligntheory.kernels.safety`).
"""

from aligntheory.theory.safety._ascent import (
    MAX_TRACE_ENTRIES,
    DualAscentTrace,
    dual_ascent,
    log_update_stability_factor,
    projected_ascent_bound,
    smoothness_constant,
)
from aligntheory.theory.safety._multiplier import Frontier, MultiplierSolution, frontier, optimal_multiplier
from aligntheory.theory.safety._preferences import bt_reward_nll, cost_nll
from aligntheory.theory.safety._reference import TIGHT_CLARABEL, CvxSolution, cvx_reference_solution
from aligntheory.theory.safety._taxonomy import HarmCategory, HarmLabel, Severity, parse_harm_label
from aligntheory.theory.safety._tilt import (
    DualDerivatives,
    TiltedMoments,
    dual_derivatives,
    dual_function,
    log_partition,
    primal_value,
    tilted_moments,
    tilted_policy,
)

__all__ = [
    "HarmCategory",
    "Severity",
    "HarmLabel",
    "parse_harm_label",
    "tilted_policy",
    "log_partition",
    "dual_function",
    "DualDerivatives",
    "dual_derivatives",
    "TiltedMoments",
    "tilted_moments",
    "MultiplierSolution",
    "optimal_multiplier",
    "primal_value",
    "Frontier",
    "frontier",
    "CvxSolution",
    "cvx_reference_solution",
    "TIGHT_CLARABEL",
    "DualAscentTrace",
    "dual_ascent",
    "MAX_TRACE_ENTRIES",
    "smoothness_constant",
    "projected_ascent_bound",
    "log_update_stability_factor",
    "bt_reward_nll",
    "cost_nll",
]

# Issue 15 item 2: the multiplier update as the safe-rlhf trainer runs it, the PID Lagrangian, our windowed stability.
from aligntheory.theory.safety._lagrangian import (  # noqa: E402
    MultiplierTrajectory,
    lagrangian_multiplier_trajectory,
    multiplier_closed_loop,
    pid_multiplier_trajectory,
)
from aligntheory.theory.safety._stability import (  # noqa: E402
    MultiplierStability,
    log_multiplier_stability,
    pid_multiplier_stability,
    window_weights,
)

__all__ += [
    "MultiplierTrajectory",
    "lagrangian_multiplier_trajectory",
    "pid_multiplier_trajectory",
    "multiplier_closed_loop",
    "window_weights",
    "MultiplierStability",
    "log_multiplier_stability",
    "pid_multiplier_stability",
]

"""Elasticity of language models: compression rates of mixed datasets (spec ``elasticity.md``).

Paper: Ji et al., *Language Models Resist Alignment: Evidence From Data Compression*
(arXiv 2406.06144, ACL 2025). The full text was not available to us; the paper's statements
reach this module only through secondary summaries [S], and everything the code computes is
either standard mathematics [M] or our reconstruction [R] (spec §2.2, §3).

Setting [R]. Leaves :math:`x\\in\\mathcal X`, :math:`|\\mathcal X|=M`; pre-training, alignment and
perturbation leaf distributions :math:`P_p, P_a, P_t`; sizes :math:`N_p = kN_a`, :math:`N_t = lN_a`.
The trained model is the size-weighted mixture (Proposition E1 (aligntheory))

.. math:: q_l = \\frac{kP_p + P_a + lP_t}{c}, \\qquad c = k + 1 + l,

and the compression rate of dataset :math:`i` is :math:`\\gamma_i(l) = \\mathbb E_{P_i}[-\\log q_l]`.
The elasticity ratio is :math:`R = -\\gamma_a'/\\gamma_p'` (derivatives in :math:`l`).

Logarithms are natural in the derivative functions; the ``compression_rate`` family takes a
``base`` (bits by default). Nothing here imports JAX.

Modules (one seam each): ``_validation`` (input checks), ``_codes`` (mixture, entropies, Huffman,
compression rates), ``_derivatives`` (our Propositions E2-E5: stable derivatives, ratio, balance
residual), ``_bounds`` (divergences, our bound E6, E7 asymptotics, E8, E10),
``_distributions`` (Zipf/Pareto masses, token trees, pruning) and ``_symbolic`` (sympy closed forms).
Results are NamedTuples (:class:`ElasticityDerivatives`, :class:`OppositeModelBounds`, ...) and
:class:`~aligntheory.results.Bound` for every bound; provenance is declared with
:func:`~aligntheory.results.provenance` on every public function.
"""

from __future__ import annotations

from aligntheory.theory.elasticity._bounds import (
    OppositeModelBounds,
    alignment_mass_curve,
    asymptotic_ratio,
    chi_square,
    cross_term_A,
    disjoint_support_rates,
    is_opposite_configuration,
    opposite_model_bounds,
    r_max,
)
from aligntheory.theory.elasticity._codes import (
    MAX_DISTRIBUTIONS,  # noqa: F401
    compression_rate,
    cross_entropy,
    entropy,
    huffman_code_lengths,
    mixture,
    normalized_compression_rate,
    paper_block_code_length,
)
from aligntheory.theory.elasticity._derivatives import (
    DerivativeScales,
    ElasticityDerivatives,
    derivative_scales,
    elasticity_derivatives,
    elasticity_ratio,
    hooke_residual,
)
from aligntheory.theory.elasticity._distributions import (
    MAX_LEAVES,  # noqa: F401
    pareto_masses,
    prune_leaf_probs,
    tree_level_offsets,
    tree_n_leaves,
    zipf_entropy_limit,
    zipf_pmf,
)
from aligntheory.theory.elasticity._symbolic import (
    ClosedFormDerivatives,
    ClosedFormOppositeModel,
    closed_form_derivatives,
    closed_form_opposite_model,
)
from aligntheory.theory.elasticity._validation import (  # noqa: F401  (constants kept importable)
    RATIO_UNDEFINED_REL,
    SUM_TOL,
    check_distribution,
)

__all__ = [
    "check_distribution",
    "mixture",
    "entropy",
    "cross_entropy",
    "huffman_code_lengths",
    "compression_rate",
    "normalized_compression_rate",
    "paper_block_code_length",
    "ElasticityDerivatives",
    "DerivativeScales",
    "elasticity_derivatives",
    "elasticity_ratio",
    "hooke_residual",
    "derivative_scales",
    "cross_term_A",
    "chi_square",
    "r_max",
    "is_opposite_configuration",
    "OppositeModelBounds",
    "opposite_model_bounds",
    "asymptotic_ratio",
    "disjoint_support_rates",
    "alignment_mass_curve",
    "zipf_pmf",
    "pareto_masses",
    "zipf_entropy_limit",
    "tree_n_leaves",
    "tree_level_offsets",
    "prune_leaf_probs",
    "ClosedFormDerivatives",
    "ClosedFormOppositeModel",
    "closed_form_derivatives",
    "closed_form_opposite_model",
]

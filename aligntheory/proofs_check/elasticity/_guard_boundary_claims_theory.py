"""Guard-condition claims (issue 11, round 10): every condition of every raising guard of the elasticity theory decides a row.

``elasticity.guard_conditions_theory`` (``contract``) calls the public functions of
``aligntheory.theory.elasticity`` (distribution checks, the opposite-model bounds, codes, derivatives,
Zipf and tree distributions) on inputs chosen so that EACH atomic condition of each hand-written
raising guard decides the outcome once: ``A or B`` gets a row where only A holds and one where only B
holds (refused, the named error and argument), comparisons a row at their edge and one step off.
Accepted rows check their result against a one-line closed form (binary entropies, the E6 upper bound
``(k + l (chi^2 + 1)) / (1 - l chi^2)``, Zipf weights ``1/i`` over the harmonic number, Huffman lengths
of dyadic distributions). The table is fixed in advance and reads no seed.
"""

from __future__ import annotations

import math

import numpy as np

from aligntheory.errors import InvalidInputError
from aligntheory.proofs_check._helpers import ContractCase, accepted, contract_evidence, refused
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_IIE = InvalidInputError
_Q = [0.5, 0.25, 0.25]  # dyadic: ideal = Huffman code lengths (1, 2, 2), entropy 1.5 bits


_ok, _no = accepted, refused  # the shared row builders of proofs_check._helpers


def _rows() -> list[ContractCase]:
    import aligntheory.theory.elasticity as E

    cd = E.check_distribution
    p7 = np.full(7, 1 / 7)
    return [
        # check_distribution: 1-D non-empty; finite, >= 0, |sum - 1| <= 1e-9
        _ok("check_distribution: one leaf (1)", lambda: cd("P", [1.0]), [1.0]),
        _ok("check_distribution: a zero entry (0, 1)", lambda: cd("P", [0.0, 1.0]), [0.0, 1.0]),
        _ok("check_distribution: sum 1 + 2^-30 (within 1e-9)", lambda: cd("P", [0.75, 0.25 + 2.0**-30]),
            [0.75, 0.25 + 2.0**-30]),
        _no("check_distribution: shape (1, 2)", lambda: cd("P", [[0.5, 0.5]]), "P"),
        _no("check_distribution: empty", lambda: cd("P", []), "P"),
        _no("check_distribution: nan", lambda: cd("P", [np.nan, 1.0]), "P"),
        _no("check_distribution: inf", lambda: cd("P", [np.inf, 0.0]), "P"),
        _no("check_distribution: sum 1 but an entry -0.5", lambda: cd("P", [1.5, -0.5]), "P"),
        _no("check_distribution: sum 1 + 2^-29 (beyond 1e-9)", lambda: cd("P", [0.75, 0.25 + 2.0**-29]), "P"),
        _no("check_distribution: sum 1.2", lambda: cd("P", [0.7, 0.5]), "P", match="sum 1.2"),
        # _same_shape of the triple
        _ok("cross_term_A: docstring triple", lambda: E.cross_term_A([0.5, 0.5], [1.0, 0.0], [0.0, 1.0]), -1.0),
        _no("cross_term_A: P_t of 3 leaves", lambda: E.cross_term_A([0.5, 0.5], [1.0, 0.0], [0.0, 0.0, 1.0]), "P_t"),
        _no("cross_term_A: P_a of 3 leaves", lambda: E.cross_term_A([0.5, 0.5], [1.0, 0.0, 0.0], [0.0, 1.0]), "P_a"),
        # the support: P_p = 0 where P_a or P_t is > 0 (A is infinite there); here P_a = P_t on leaf 2
        _no("cross_term_A: leaf 2 in supp P_a and supp P_t, not in supp P_p",
            lambda: E.cross_term_A([0.5, 0.5, 0.0], [0.4, 0.4, 0.2], [0.4, 0.4, 0.2]), "P_p"),
        _no("cross_term_A: leaf 2 in supp P_t only",
            lambda: E.cross_term_A([0.5, 0.5, 0.0], [0.5, 0.5, 0.0], [0.4, 0.4, 0.2]), "P_p"),
        # opposite_model_bounds: disjoint supports when given; l chi^2 < 1
        _ok("opposite_model_bounds: l chi^2 = 1/2, upper (10 + 0.75) / 0.5",
            lambda: float(E.opposite_model_bounds(10.0, 0.25, 2.0).upper), 21.5),
        _ok("opposite_model_bounds: chi^2 = 0, l = 1e300: upper k + l",
            lambda: float(E.opposite_model_bounds(10.0, 1e300, 0.0).upper), 1e300),
        _ok("opposite_model_bounds: disjoint P_a, P_t", lambda: float(E.opposite_model_bounds(
            10.0, 0.25, 2.0, P_a=[1.0, 0.0], P_t=[0.0, 1.0]).lower), 10.0),
        _no("opposite_model_bounds: l chi^2 = 1 (edge)", lambda: E.opposite_model_bounds(10.0, 0.5, 2.0), "l"),
        _no("opposite_model_bounds: overlapping supports at leaf 0", lambda: E.opposite_model_bounds(
            10.0, 0.25, 2.0, P_a=[1.0, 0.0], P_t=[0.5, 0.5]), "P_t", match="first shared leaf 0"),
        _no("opposite_model_bounds: P_a alone (P_t missing)", lambda: E.opposite_model_bounds(
            10.0, 0.25, 2.0, P_a=[1.0, 0.0]), "P_t"),
        _no("opposite_model_bounds: P_a, P_t of different lengths", lambda: E.opposite_model_bounds(
            10.0, 0.25, 2.0, P_a=[1.0, 0.0], P_t=[0.0, 0.0, 1.0]), "P_t"),
        # asymptotic_ratio: A + l chi^2 = 0
        _ok("asymptotic_ratio: docstring example", lambda: float(E.asymptotic_ratio(1e5, 0.01, -1.0, 7.9379)) > 1e5, 1.0),
        _no("asymptotic_ratio: A + l chi^2 = -1 + 0.5 * 2 = 0", lambda: E.asymptotic_ratio(1e5, 0.5, -1.0, 2.0), "A"),
        # disjoint_support_rates: shapes
        _ok("disjoint_support_rates: two equal sets, log 2 each", lambda: E.disjoint_support_rates([0.0, 0.0], [1.0, 1.0]),
            [math.log(2.0)] * 2),
        _no("disjoint_support_rates: 2 entropies, 3 sizes", lambda: E.disjoint_support_rates([0.0, 0.0], [1.0] * 3),
            "sizes"),
        # mixture: one size per row
        _ok("mixture: sizes 3 : 1", lambda: E.mixture([[1.0, 0.0], [0.0, 1.0]], [3.0, 1.0]), [0.75, 0.25]),
        _ok("mixture: one row", lambda: E.mixture([[0.5, 0.5]], [2.0]), [0.5, 0.5]),
        _no("mixture: 2 rows, 3 sizes", lambda: E.mixture([[1.0, 0.0], [0.0, 1.0]], [3.0, 1.0, 1.0]), "sizes"),
        _no("mixture: 2 rows, 1 size", lambda: E.mixture([[1.0, 0.0], [0.0, 1.0]], [3.0]), "sizes"),
        # huffman_code_lengths: M >= 2; base >= M gives all ones
        _ok("huffman_code_lengths: M = 2", lambda: E.huffman_code_lengths([0.5, 0.5]), [1, 1]),
        _ok("huffman_code_lengths: dyadic (1/2, 1/4, 1/4) -> (1, 2, 2)", lambda: E.huffman_code_lengths(_Q), [1, 2, 2]),
        _ok("huffman_code_lengths: base 3, M = 3 -> ones", lambda: E.huffman_code_lengths(_Q, 3), [1, 1, 1]),
        _ok("huffman_code_lengths: base 3, M = 4, one dummy -> (1, 1, 2, 2)",
            lambda: E.huffman_code_lengths([0.4, 0.3, 0.2, 0.1], 3), [1, 1, 2, 2]),
        # the documented tie rule (smallest original index first): after 2 and 3 merge (weight 1/3, index 2), the
        # three weights 1/3 are taken as 0, 1 (indices 0, 1 < 2), so every codeword has length 2, not (2, 1, 3, 3)
        _ok("huffman_code_lengths: ties (1/3, 1/3, 1/6, 1/6) by the smallest index -> (2, 2, 2, 2)",
            lambda: E.huffman_code_lengths([1 / 3, 1 / 3, 1 / 6, 1 / 6]), [2, 2, 2, 2]),
        _no("huffman_code_lengths: M = 1", lambda: E.huffman_code_lengths([1.0]), "q"),
        # compression_rate: per_token needs depth; Huffman base an integer
        _ok("compression_rate: ideal, H = 1.5 bits", lambda: E.compression_rate(_Q, _Q), 1.5),
        _ok("compression_rate: depth without per_token", lambda: E.compression_rate(_Q, _Q, depth=3), 1.5),
        _ok("compression_rate: per_token, depth 3 -> 1.5 / 3", lambda: E.compression_rate(
            _Q, _Q, code="huffman", depth=3, per_token=True), 0.5),
        _ok("compression_rate: Huffman base 3.0 -> length 1", lambda: E.compression_rate(_Q, _Q, code="huffman",
                                                                                        base=3.0), 1.0),
        _ok("compression_rate: Huffman base 2 -> 1.5", lambda: E.compression_rate(_Q, _Q, code="huffman"), 1.5),
        _no("compression_rate: per_token without depth", lambda: E.compression_rate(_Q, _Q, per_token=True), "depth"),
        _no("compression_rate: Huffman base 2.5", lambda: E.compression_rate(_Q, _Q, code="huffman", base=2.5), "base"),
        _no("compression_rate: Huffman, q of 2 leaves", lambda: E.compression_rate(_Q, [0.5, 0.5], code="huffman"), "q"),
        # normalized_compression_rate: M >= 2
        _ok("normalized_compression_rate: M = 2, H = log2 2", lambda: E.normalized_compression_rate(
            [0.5, 0.5], [0.5, 0.5], 2), 0.0),
        _no("normalized_compression_rate: M = 1", lambda: E.normalized_compression_rate([1.0], [1.0], 1), "n_leaves"),
        # _check_base: base > 1
        _ok("entropy: base 2, (1/2, 1/2) -> 1", lambda: E.entropy([0.5, 0.5], base=2.0), 1.0),
        _ok("cross_entropy: base 4, (1/2, 1/2) -> 1/2", lambda: E.cross_entropy([0.5, 0.5], [0.5, 0.5], base=4.0), 0.5),
        _no("entropy: base 1", lambda: E.entropy([0.5, 0.5], base=1.0), "base"),
        _no("entropy: base 1/2", lambda: E.entropy([0.5, 0.5], base=0.5), "base"),
        # derivatives: q_l > 0 on supp P_t; |gamma_p'| above its term scale
        _ok("elasticity_ratio: docstring (k = 10, l = 0)", lambda: E.elasticity_ratio(
            [0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 10.0, 0.0), 10.0),
        _ok("elasticity_ratio: opposite configuration, l = 0, k = 1 (q_l = 1/2 < 1 on supp P_t): R = k",
            lambda: E.elasticity_ratio([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 1.0, 0.0), 1.0),
        _ok("elasticity_ratio: l = 0, k = 0.6180339887498948 (a float root of the term scale 1/(k(k+1)) = 1): R = k",
            lambda: E.elasticity_ratio([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 0.6180339887498948, 0.0),
            0.6180339887498948),
        _ok("elasticity_ratio: l = 0, k = 1e10 (term scale ~ 1e-20): R = k",
            lambda: E.elasticity_ratio([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 1e10, 0.0), 1e10),
        _no("elasticity_ratio: q_l = 0 at leaf 1 (P_p = P_a = 0 there, l = 0)", lambda: E.elasticity_ratio(
            [1.0, 0.0], [1.0, 0.0], [0.0, 1.0], 1.0, 0.0), "P_t"),
        _no("elasticity_derivatives: q_l = 0 at leaf 1", lambda: E.elasticity_derivatives(
            [1.0, 0.0], [1.0, 0.0], [0.0, 1.0], 1.0, 0.0), "P_t"),
        _no("elasticity_ratio: P_p = P_a = P_t (gamma_p' = 0)", lambda: E.elasticity_ratio(
            [0.5, 0.5], [0.5, 0.5], [0.5, 0.5], 1.0, 1.0), "P_t"),
        # zipf_pmf: perm a permutation of range(M)
        _ok("zipf_pmf: M = 3, s = 1, perm (2, 0, 1): out[perm] = (6, 3, 2)/11",
            lambda: E.zipf_pmf(3, 1.0, perm=[2, 0, 1]), [3 / 11, 2 / 11, 6 / 11]),
        _no("zipf_pmf: perm (0, 0, 1)", lambda: E.zipf_pmf(3, 1.0, perm=[0, 0, 1]), "perm"),
        _no("zipf_pmf: perm of length 2", lambda: E.zipf_pmf(3, 1.0, perm=[0, 1]), "perm"),
        _no("zipf_pmf: perm of shape (1, 3)", lambda: E.zipf_pmf(3, 1.0, perm=[[0, 1, 2]]), "perm"),
        # zipf_entropy_limit: s > 1
        _ok("zipf_entropy_limit: s = 2 (docstring)", lambda: round(float(E.zipf_entropy_limit(2.0)), 6), 1.637622),
        _no("zipf_entropy_limit: s = 1", lambda: E.zipf_entropy_limit(1.0), "s"),
        # prune_leaf_probs: d <= depth; leaf count
        _ok("prune_leaf_probs: d = depth = 2 keeps the 7 nodes", lambda: E.prune_leaf_probs(p7, 2, 2, 2), p7),
        _ok("prune_leaf_probs: d = 1 (docstring) -> (1, 3, 3)/7", lambda: E.prune_leaf_probs(p7, 2, 2, 1),
            np.array([1.0, 3.0, 3.0]) / 7),
        _no("prune_leaf_probs: d = 3 > depth = 2", lambda: E.prune_leaf_probs(p7, 2, 2, 3), "d"),
        _no("prune_leaf_probs: 6 leaves for a 7-node tree", lambda: E.prune_leaf_probs(np.full(6, 1 / 6), 2, 2, 1),
            "leaf_p"),
    ]


@claim(
    id="elasticity.guard_conditions_theory",
    statement="Each atomic condition of each raising guard of the elasticity theory (aligntheory.theory.elasticity) "
              "decides one row: a row where it alone holds is refused with the named error and argument, a row "
              "where none holds is accepted with its closed-form result, comparisons are tested at their edge and "
              "one step off.",
    source=[Source(key="ji2024language", where="Raises sections of the elasticity docstrings; spec elasticity.md §3")],
    provenance="M",
    kind="contract",
    tolerance="exact sides; accepted values within 1e-12 relative of their closed forms",
    rice={"C"},
    stage="backward:assurance",
)
def check_guard_conditions_theory(ctx: Context) -> Evidence:
    """Predicted: each row's documented side and closed-form value; measured: the library's call."""
    return contract_evidence(_rows())

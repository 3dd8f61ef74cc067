"""Argument-boundary claims (issue 11): each validated argument of the social_choice pillar refused one step past its documented boundary and accepted at it.

* ``social_choice.argument_boundaries`` -- the public functions of
  :mod:`aligntheory.theory.social_choice` and :mod:`aligntheory.kernels.social_choice` with validated
  scalar arguments (sample sizes, dimensions, confidence levels, caps), each called EXACTLY at a closed
  boundary its docstring's Parameters section states (a finite result expected) and ONE STEP past it
  (``lo - 1``, ``hi + 1``, ``0.0`` for ``> 0``, ``-5e-324`` for ``>= 0``, the open ends of ``(0, 1)``,
  a cap one below the cost; the documented error naming the argument expected). The table is written
  here, fixed in advance; ``social_choice.failure_contract`` keeps the rows of earlier rounds.
"""

from __future__ import annotations

import numpy as np

from aligntheory.errors import InvalidInputError, SizeCapError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_SRC = Source(key="qiu2024representative", where="failure contract, docs/DESIGN.md §7 (argument boundaries)")
_IIE = InvalidInputError
_NEG = -5e-324  # one step below 0.0


def _rows_bounds() -> list[ContractCase]:
    import aligntheory.theory.social_choice as T

    below1 = float(np.nextafter(1.0, 0.0))
    return [
        # finite-class bounds: n_samples >= 1, class_size >= 1, delta in the open (0, 1), eps > 0
        ContractCase("finite_class_deviation: n 1, |F| 1, delta 1 - 2^-53 accepted",
                     lambda: float(T.finite_class_deviation(1, 1, below1))),
        ContractCase("finite_class_deviation: n 0 refused", lambda: T.finite_class_deviation(0, 10, 0.05),
                     (_IIE, "n_samples")),
        ContractCase("finite_class_deviation: |F| 0 (int) refused", lambda: T.finite_class_deviation(10, 0, 0.05),
                     (_IIE, "class_size")),
        ContractCase("finite_class_deviation: |F| 1 - 2^-53 (float) refused",
                     lambda: T.finite_class_deviation(10, below1, 0.05), (_IIE, "class_size")),
        ContractCase("finite_class_deviation: |F| 1.0 (float) accepted", lambda: float(T.finite_class_deviation(10, 1.0, 0.05))),
        ContractCase("finite_class_deviation: delta 0 refused", lambda: T.finite_class_deviation(10, 10, 0.0),
                     (_IIE, "delta")),
        ContractCase("finite_class_deviation: delta 1 refused", lambda: T.finite_class_deviation(10, 10, 1.0),
                     (_IIE, "delta")),
        ContractCase("finite_class_deviation: delta nan refused", lambda: T.finite_class_deviation(10, 10, np.nan),
                     (_IIE, "delta")),
        ContractCase("finite_class_deviation: delta 5e-324 accepted", lambda: float(T.finite_class_deviation(10, 10, 5e-324))),
        ContractCase("finite_class_sample_size: eps 0 refused", lambda: T.finite_class_sample_size(0.0, 10, 0.05),
                     (_IIE, "eps")),
        ContractCase("finite_class_sample_size: eps 0.1 accepted", lambda: int(T.finite_class_sample_size(0.1, 10, 0.05))),
        ContractCase("erm_regret_bound: n 0 refused", lambda: T.erm_regret_bound(0, 10, 0.05), (_IIE, "n_samples")),
        ContractCase("erm_regret_bound: delta 1 refused", lambda: T.erm_regret_bound(10, 10, 1.0), (_IIE, "delta")),
        ContractCase("erm_regret_sample_size: eps 0 refused", lambda: T.erm_regret_sample_size(0.0, 10, 0.05),
                     (_IIE, "eps")),
        # growth / VC / Natarajan / product bounds: log_growth >= 0, dims >= 0, n_alternatives >= 2, n_issues >= 1
        ContractCase("growth_deviation: log_growth 0 accepted", lambda: float(T.growth_deviation(100, 0.0, 0.05))),
        ContractCase("growth_deviation: log_growth -5e-324 refused", lambda: T.growth_deviation(100, _NEG, 0.05),
                     (_IIE, "log_growth")),
        ContractCase("growth_deviation: n 0 refused", lambda: T.growth_deviation(0, 0.0, 0.05), (_IIE, "n_samples")),
        ContractCase("vc_deviation: vc_dim 0 accepted", lambda: float(T.vc_deviation(50, 0, 0.05))),
        ContractCase("vc_deviation: vc_dim -1 refused", lambda: T.vc_deviation(50, -1, 0.05), (_IIE, "vc_dim")),
        ContractCase("vc_deviation: delta 0 refused", lambda: T.vc_deviation(50, 1, 0.0), (_IIE, "delta")),
        ContractCase("vc_sample_size: vc_dim 0 accepted", lambda: int(T.vc_sample_size(0.1, 0, 0.05))),
        ContractCase("vc_sample_size: vc_dim -1 refused", lambda: T.vc_sample_size(0.1, -1, 0.05), (_IIE, "vc_dim")),
        ContractCase("vc_sample_size: eps 0 refused", lambda: T.vc_sample_size(0.0, 1, 0.05), (_IIE, "eps")),
        ContractCase("natarajan_deviation: nat_dim 0, m 2 accepted", lambda: float(T.natarajan_deviation(50, 0, 2, 0.05))),
        ContractCase("natarajan_deviation: nat_dim -1 refused", lambda: T.natarajan_deviation(50, -1, 3, 0.05),
                     (_IIE, "nat_dim")),
        ContractCase("natarajan_deviation: m 1 refused", lambda: T.natarajan_deviation(50, 1, 1, 0.05),
                     (_IIE, "n_alternatives")),
        ContractCase("product_class_deviation: n_issues 1 accepted", lambda: float(T.product_class_deviation(100, 1, 0.05))),
        ContractCase("product_class_deviation: n_issues 0 refused", lambda: T.product_class_deviation(100, 0, 0.05),
                     (_IIE, "n_issues")),
        ContractCase("clipped: 0 accepted", lambda: float(T.clipped(0.0))),
        ContractCase("clipped: -5e-324 refused", lambda: T.clipped(_NEG), (_IIE, "value")),
        ContractCase("scoring_rule_natarajan_bound: m 1 accepted", lambda: int(T.scoring_rule_natarajan_bound(1))),
        ContractCase("scoring_rule_natarajan_bound: m 0 refused", lambda: T.scoring_rule_natarajan_bound(0),
                     (_IIE, "n_alternatives")),
        ContractCase("closed_form_bound: name 'G0' refused", lambda: T.closed_form_bound("G0"), (_IIE, "name")),
    ]


def _subset_mass_default_h() -> float:
    """max_min_subset_mass(4) with the documented default h = k // 2 + 1 = 3: the value 3/4 (h/k), else raise."""
    import aligntheory.theory.social_choice as T

    v = float(T.max_min_subset_mass(4).value)
    if not abs(v - 0.75) <= 1e-7:
        raise AssertionError(f"max_min_subset_mass(4).value = {v}, h / k = 3/4 for the default h = 3")
    return v


def _rows_axioms() -> list[ContractCase]:
    import aligntheory.theory.social_choice as T

    phi = T.privileged_ordering_mechanism([1, 0, 2])
    d0 = T.dictatorship(0)
    return [
        # SAT instances: n_voters / n_positions / n_pairs >= 1, n_alternatives >= 2, caps >= 1, limit >= 1
        ContractCase("count_models: limit 1 accepted", lambda: T.count_models(T.arrow_instance(1, 2), limit=1).count),
        ContractCase("count_models: limit 0 refused", lambda: T.count_models(T.arrow_instance(1, 2), limit=0),
                     (_IIE, "limit")),
        ContractCase("enumerate_iia_rules: n 1, m 2 accepted", lambda: T.enumerate_iia_rules(1, 2).iia_rules),
        ContractCase("enumerate_iia_rules: n 0 refused", lambda: T.enumerate_iia_rules(0, 2), (_IIE, "n_voters")),
        ContractCase("enumerate_iia_rules: m 1 refused", lambda: T.enumerate_iia_rules(1, 1), (_IIE, "n_alternatives")),
        ContractCase("enumerate_iia_rules: max_rules 0 refused", lambda: T.enumerate_iia_rules(1, 2, max_rules=0),
                     (_IIE, "max_rules")),
        ContractCase("arrow_instance: n 1, m 2 accepted", lambda: T.arrow_instance(1, 2).n_variables),
        ContractCase("arrow_instance: n 0 refused", lambda: T.arrow_instance(0, 3), (_IIE, "n_voters")),
        ContractCase("arrow_instance: m 1 refused", lambda: T.arrow_instance(2, 1), (_IIE, "n_alternatives")),
        ContractCase("arrow_instance: max_variables 0 refused", lambda: T.arrow_instance(2, 3, max_variables=0),
                     (_IIE, "max_variables")),
        ContractCase("arrow_instance: encoding 'sparse' refused", lambda: T.arrow_instance(2, 3, encoding="sparse"),
                     (_IIE, "encoding")),
        ContractCase("positional_instance: n_positions 1, m 2 accepted", lambda: T.positional_instance(1, 2).n_variables),
        ContractCase("positional_instance: n_positions 0 refused", lambda: T.positional_instance(0, 3),
                     (_IIE, "n_positions")),
        ContractCase("positional_instance: m 1 refused", lambda: T.positional_instance(2, 1), (_IIE, "n_alternatives")),
        ContractCase("representative_instance: max_variables 0 refused",
                     lambda: T.representative_instance(2, 3, max_variables=0), (_IIE, "max_variables")),
        # LP: n_pairs >= 1, h in [1, n_pairs], C(k, h) <= max_subsets
        ContractCase("max_min_subset_mass: h = n_pairs = 3 accepted", lambda: T.max_min_subset_mass(3, h=3).value),
        ContractCase("max_min_subset_mass: h 1, C(3, 1) = 3 at max_subsets 3 accepted",
                     lambda: T.max_min_subset_mass(3, h=1, max_subsets=3).value),
        ContractCase("max_min_subset_mass: default h = 4 // 2 + 1 = 3, C(4, 3) = 4 subsets at max_subsets 4 accepted",
                     lambda: T.max_min_subset_mass(4, max_subsets=4).value),
        ContractCase("max_min_subset_mass: default h = 4 // 2 + 1 = 3 gives the value h / k = 3/4 (uniform weights, by "
                     "symmetry; 1e-7 = the LP solver's feasibility tolerance)", _subset_mass_default_h),
        ContractCase("max_min_subset_mass: default h, C(4, 3) = 4 subsets over max_subsets 3 refused",
                     lambda: T.max_min_subset_mass(4, max_subsets=3), (SizeCapError, "n_pairs")),
        ContractCase("max_min_subset_mass: h = n_pairs + 1 refused", lambda: T.max_min_subset_mass(3, h=4), (_IIE, "h")),
        ContractCase("max_min_subset_mass: h 0 refused", lambda: T.max_min_subset_mass(3, h=0), (_IIE, "h")),
        ContractCase("max_min_subset_mass: n_pairs 0 refused", lambda: T.max_min_subset_mass(0), (_IIE, "n_pairs")),
        ContractCase("max_min_subset_mass: max_subsets 0 refused", lambda: T.max_min_subset_mass(3, max_subsets=0),
                     (_IIE, "max_subsets")),
        # orders and axiom checks: n_alternatives >= 1, n_voters >= 1, voter >= 0, caps >= 1
        ContractCase("all_orders: m 1 accepted", lambda: len(T.all_orders(1))),
        ContractCase("all_orders: m 0 refused", lambda: T.all_orders(0), (_IIE, "n_alternatives")),
        ContractCase("all_orders: max_profiles 0 refused", lambda: T.all_orders(2, max_profiles=0), (_IIE, "max_profiles")),
        ContractCase("all_profiles: n 1, m 1 accepted", lambda: len(list(T.all_profiles(1, 1)))),
        ContractCase("all_profiles: 3!^2 = 36 profiles at max_profiles 36 accepted",
                     lambda: len(list(T.all_profiles(2, 3, max_profiles=36)))),
        ContractCase("all_profiles: 36 profiles over max_profiles 35 refused",
                     lambda: list(T.all_profiles(2, 3, max_profiles=35)), (SizeCapError, "n_voters")),
        ContractCase("all_profiles: n 0 refused", lambda: list(T.all_profiles(0, 2)), (_IIE, "n_voters")),
        ContractCase("all_profiles: m 0 refused", lambda: list(T.all_profiles(1, 0)), (_IIE, "n_alternatives")),
        ContractCase("pareto_violation: m 1 accepted", lambda: T.pareto_violation(d0, 1, 1)),
        ContractCase("pareto_violation: m 0 refused", lambda: T.pareto_violation(d0, 1, 0), (_IIE, "n_alternatives")),
        ContractCase("iia_violation: m 0 refused", lambda: T.iia_violation(d0, 1, 0), (_IIE, "n_alternatives")),
        ContractCase("iia_violation: m 1 accepted", lambda: T.iia_violation(d0, 1, 1)),
        ContractCase("dictatorship: voter 0 accepted", lambda: T.dictatorship(0)(((0, 1),))),
        ContractCase("dictatorship: voter -1 refused", lambda: T.dictatorship(-1), (_IIE, "voter")),
        ContractCase("is_dictatorship: n 1 accepted", lambda: T.is_dictatorship(d0, 1, 2)),
        ContractCase("is_dictatorship: n 0 refused", lambda: T.is_dictatorship(d0, 0, 2), (_IIE, "n_voters")),
        ContractCase("representative_axiom_violation: k 1, m 1 accepted",
                     lambda: T.representative_axiom_violation(T.privileged_ordering_mechanism([0]), 1, 1)),
        ContractCase("representative_axiom_violation: k 0 refused",
                     lambda: T.representative_axiom_violation(phi, 0, 3), (_IIE, "n_pairs")),
        ContractCase("representative_axiom_violation: m 0 refused",
                     lambda: T.representative_axiom_violation(phi, 3, 0), (_IIE, "n_alternatives")),
        ContractCase("privilege_graph: m 3 accepted", lambda: T.privilege_graph(phi, 3, 3).number_of_edges()),
        ContractCase("privilege_graph: m 2 refused", lambda: T.privilege_graph(phi, 3, 2), (_IIE, "n_alternatives")),
        # welfare helpers: n_alternatives >= 2 <= max_alternatives (>= 2); n_issues >= 1 <= max_issues (>= 1)
        ContractCase("scoring_vector: m 2 accepted", lambda: T.scoring_vector("borda", 2)),
        ContractCase("scoring_vector: m 1 refused", lambda: T.scoring_vector("borda", 1), (_IIE, "n_alternatives")),
        ContractCase("scoring_vector: m 3 at max_alternatives 3 accepted",
                     lambda: T.scoring_vector("plurality", 3, max_alternatives=3)),
        ContractCase("scoring_vector: m 3 over max_alternatives 2 refused",
                     lambda: T.scoring_vector("plurality", 3, max_alternatives=2), (SizeCapError, "n_alternatives")),
        ContractCase("scoring_vector: max_alternatives 1 refused",
                     lambda: T.scoring_vector("plurality", 2, max_alternatives=1), (_IIE, "max_alternatives")),
        ContractCase("scoring_vector: kind 'veto' refused", lambda: T.scoring_vector("veto", 3), (_IIE, "kind")),
        ContractCase("issuewise_majority: n_issues 3 at max_issues 3 accepted",
                     lambda: T.issuewise_majority([0, 0, 0, 2], [1, 1, 0, 0], 3, max_issues=3)),
        ContractCase("issuewise_majority: n_issues 3 over max_issues 2 refused",
                     lambda: T.issuewise_majority([0, 0, 0, 1], [1, 1, 0, 0], 3, max_issues=2),
                     (SizeCapError, "n_issues")),
        ContractCase("issuewise_majority: max_issues 0 refused",
                     lambda: T.issuewise_majority([0], [1], 1, max_issues=0), (_IIE, "max_issues")),
        ContractCase("issuewise_majority: n_issues 0 refused", lambda: T.issuewise_majority([0], [1], 0),
                     (_IIE, "n_issues")),
    ]


def _rows_kernels() -> list[ContractCase]:
    import jax

    import aligntheory.kernels.social_choice as K

    key = jax.random.PRNGKey(0)
    w01 = np.array([0.0, 1.0])
    u, iss, pol, s = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0, 0]), np.array([[0], [1]]), np.array([[0, 0, 1]])
    si, sp = np.array([[0, 0, 0, 2]]), np.array([[1, 1, 0, 0]])
    prof = np.array([[[0, 1, 2], [1, 2, 0]]])
    return [
        # sample_pairs: n_samples, batch_size >= 1; N B <= max_elements (>= 1)
        ContractCase("sample_pairs: N B = 8 at max_elements 8 accepted",
                     lambda: np.asarray(K.sample_pairs(key, w01, 4, 2, max_elements=8))),
        ContractCase("sample_pairs: N B = 8 over max_elements 7 refused",
                     lambda: K.sample_pairs(key, w01, 4, 2, max_elements=7), (SizeCapError, "n_samples")),
        ContractCase("sample_pairs: batch_size 0 refused", lambda: K.sample_pairs(key, w01, 4, 0), (_IIE, "batch_size")),
        ContractCase("sample_pairs: max_elements 0 refused", lambda: K.sample_pairs(key, w01, 4, 2, max_elements=0),
                     (_IIE, "max_elements")),
        # empirical_welfare_batched: |F| N = 6 per sample; chunk >= 1, chunk |F| N <= max_elements
        ContractCase("empirical_welfare_batched: |F| N = 6 at max_elements 6, chunk 1 accepted",
                     lambda: np.asarray(K.empirical_welfare_batched(s, u, iss, pol, chunk=1, max_elements=6))),
        ContractCase("empirical_welfare_batched: |F| N = 6 over max_elements 5 refused",
                     lambda: K.empirical_welfare_batched(s, u, iss, pol, max_elements=5), (SizeCapError, "policy_outcomes")),
        # issuewise_majority_batched: n_issues >= 1; B Q <= max_elements (>= 1)
        ContractCase("issuewise_majority_batched: B Q = 3 at max_elements 3 accepted",
                     lambda: np.asarray(K.issuewise_majority_batched(si, sp, 3, max_elements=3))),
        ContractCase("issuewise_majority_batched: B Q = 3 over max_elements 2 refused",
                     lambda: K.issuewise_majority_batched(si, sp, 3, max_elements=2), (SizeCapError, "n_issues")),
        ContractCase("issuewise_majority_batched: n_issues 0 refused",
                     lambda: K.issuewise_majority_batched(si, sp, 0), (_IIE, "n_issues")),
        ContractCase("issuewise_majority_batched: max_elements 0 refused",
                     lambda: K.issuewise_majority_batched(si, sp, 3, max_elements=0), (_IIE, "max_elements")),
        # scoring_rule: working set P V m + P (m! + 1)(1 + 2 m^2) = 6 + 7 * 19 = 139 for (1, 2, 3)
        ContractCase("scoring_rule: (1, 2, 3) at max_elements 139 accepted",
                     lambda: np.asarray(K.scoring_rule(prof, np.array([2.0, 1.0, 0.0]), max_elements=139))),
        ContractCase("scoring_rule: (1, 2, 3) over max_elements 138 refused",
                     lambda: K.scoring_rule(prof, np.array([2.0, 1.0, 0.0]), max_elements=138), (SizeCapError, "profiles")),
        ContractCase("scoring_rule: max_elements 0 refused",
                     lambda: K.scoring_rule(prof, np.array([2.0, 1.0, 0.0]), max_elements=0), (_IIE, "max_elements")),
        ContractCase("sample_threshold_pairs: n_samples 1, batch_size 1 accepted",
                     lambda: np.asarray(K.sample_threshold_pairs(key, 1, 1).q)),
    ]


@claim(
    id="social_choice.argument_boundaries",
    statement="Every validated scalar argument of the public functions of aligntheory.theory.social_choice and "
    "aligntheory.kernels.social_choice (the learning bounds, SAT instances and counts, the subset-mass LP, the order "
    "and axiom checks, scoring_vector, issuewise_majority, sample_pairs, empirical_welfare_batched, "
    "issuewise_majority_batched, scoring_rule, sample_threshold_pairs) is accepted exactly at each closed boundary "
    "its docstring states and refused, with InvalidInputError or SizeCapError naming the argument, one step past it.",
    source=[_SRC],
    provenance="M",
    kind="contract",
    tolerance="exact: each boundary on its documented side",
    rice={"R"},
    stage="backward:governance",
)
def check_argument_boundaries(ctx: Context) -> Evidence:
    """Predicted: each row's documented side, from the Parameters sections of the functions' docstrings.

    Measured: the call. Tolerance: exact (a boundary is on one side or the other).
    """
    return contract_evidence(_rows_bounds() + _rows_axioms() + _rows_kernels())

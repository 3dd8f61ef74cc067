"""Social choice claims of issue #11, round 3: the failure contract, Arrow counts by enumeration, profile forms.

* ``social_choice.failure_contract`` -- the documented failure contract (docs/DESIGN.md §7) of the
  pillar's main public functions at the boundary of each documented constraint (a ``contract``
  claim: the table is built from the Parameters/Raises sections of their docstrings);
* ``social_choice.swf_counts_match_enumeration`` --
  :func:`~aligntheory.theory.social_choice.count_social_welfare_functions` (SAT count with every
  model re-verified by brute force) against an enumeration, written here, of every map from
  profiles to orders on two alternatives, with and without Pareto and non-dictatorship;
* ``social_choice.profile_forms_agree`` -- :func:`~aligntheory.theory.social_choice.as_profile`
  builds the same :class:`~aligntheory.theory.social_choice.PreferenceProfile` from an integer
  array with counts, repeated rows, indifference lists written in candidate names and (full
  tier) a pref_voting ``Profile``; its rank matrix, counts, and the margins computed from it agree with
  plain loops over the ballots written here.
"""

from __future__ import annotations

import itertools

import numpy as np

from aligntheory.errors import InvalidInputError, SizeCapError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

_SRC = Source(key="qiu2024representative", where="failure contract, docs/DESIGN.md §7")
_ARROW = Source(key="arrow1951social", where="Thm 2 (SWFs on L(C)^n); n-voter counts on two alternatives")
_IIE = InvalidInputError


def _rows_theory() -> list[ContractCase]:
    import aligntheory.theory.social_choice as T

    u, iss, pol = [[1.0, 0.0], [0.0, 1.0]], [0, 0], [[0], [1]]
    orders151 = [(0, 1)] * 151
    return [
        # check_profile: "shape (n_voters >= 1, n_alternatives >= 1)", permutations, positive counts
        ContractCase("check_profile: 1 voter, 3 alternatives accepted", lambda: T.check_profile([[2, 0, 1]]).counts),
        ContractCase("check_profile: 0 voters refused", lambda: T.check_profile(np.zeros((0, 3), np.int64)),
                     (_IIE, "profile")),
        ContractCase("check_profile: 0 alternatives refused", lambda: T.check_profile(np.zeros((1, 0), np.int64)),
                     (_IIE, "profile")),
        ContractCase("check_profile: a non-permutation row refused", lambda: T.check_profile([[0, 0]]),
                     (_IIE, "profile")),
        ContractCase("check_profile: counts 1 accepted", lambda: T.check_profile([[0, 1]], counts=[1]).counts),
        ContractCase("check_profile: counts 0 refused", lambda: T.check_profile([[0, 1]], counts=[0]),
                     (_IIE, "counts")),
        ContractCase("as_profile: 0 ballots refused", lambda: T.as_profile(np.zeros((0, 2), np.int64)),
                     (_IIE, "profile")),
        ContractCase("as_profile: counts with a PreferenceProfile refused",
                     lambda: T.as_profile(T.as_profile([[0, 1]]), counts=[1]), (_IIE, "counts")),
        # check_order / reduce_sample: sequences of integers (integral values), ids in range, non-empty draws
        ContractCase("check_order: integral floats accepted", lambda: T.check_order([2.0, 0.0, 1.0])),
        ContractCase("check_order: a non-integral entry refused", lambda: T.check_order([0.5, 1.0]), (_IIE, "order")),
        ContractCase("check_order: not a permutation refused", lambda: T.check_order([0, 2]), (_IIE, "order")),
        ContractCase("reduce_sample: pair id 150 (float 150.0) of 151 accepted",
                     lambda: T.reduce_sample([150.0], orders151).sample),
        ContractCase("reduce_sample: pair id 151 of 151 refused", lambda: T.reduce_sample([151], orders151),
                     (_IIE, "draws")),
        ContractCase("reduce_sample: pair id -1 refused", lambda: T.reduce_sample([-1], orders151), (_IIE, "draws")),
        ContractCase("reduce_sample: empty draws refused", lambda: T.reduce_sample([], orders151), (_IIE, "draws")),
        # representative_instance: n_pairs >= 1, m >= 2, privilege graph a tournament on range(n_pairs)
        ContractCase("representative_instance: k_X = 1, m = 2 accepted",
                     lambda: T.representative_instance(1, 2).n_variables),
        ContractCase("representative_instance: k_X = 0 refused", lambda: T.representative_instance(0, 3),
                     (_IIE, "n_pairs")),
        ContractCase("representative_instance: m = 1 refused", lambda: T.representative_instance(1, 1),
                     (_IIE, "n_alternatives")),
        ContractCase("representative_instance: tournament on range(2) accepted",
                     lambda: T.representative_instance(2, 3, privilege_graph=[(1, 0)]).n_variables),
        ContractCase("representative_instance: a privilege-graph node outside range(n_pairs) refused",
                     lambda: T.representative_instance(2, 3, privilege_graph=[(0, 1), (0, 2), (1, 2)]),
                     (_IIE, "privilege_graph")),
        ContractCase("representative_instance: a missing arc refused",
                     lambda: T.representative_instance(3, 3, privilege_graph=[(0, 1), (1, 2)]), (_IIE, None)),
        # privilege_graph: a tournament on range(n_pairs), k_X >= 1 as for representative_instance (round 4)
        ContractCase("privilege_graph: k_X = 1 accepted",
                     lambda: T.privilege_graph(T.privileged_ordering_mechanism([0]), 1).number_of_nodes()),
        ContractCase("privilege_graph: k_X = 0 refused",
                     lambda: T.privilege_graph(T.privileged_ordering_mechanism([0]), 0), (_IIE, "n_pairs")),
        # arrow_instance: full encoding (m!)^n m(m-1) <= max_variables
        ContractCase("arrow_instance: (3!)^2 * 6 = 216 variables, cap 216 accepted",
                     lambda: T.arrow_instance(2, 3, encoding="full", max_variables=216).n_variables),
        ContractCase("arrow_instance: 216 variables, cap 215 refused",
                     lambda: T.arrow_instance(2, 3, encoding="full", max_variables=215), (SizeCapError, None)),
        ContractCase("all_orders: 3! = 6 orders, cap 6 accepted", lambda: len(T.all_orders(3, max_profiles=6))),
        ContractCase("all_orders: 6 orders, cap 5 refused", lambda: T.all_orders(3, max_profiles=5),
                     (SizeCapError, None)),
        # welfare: utilities in [0, 1], issue_of_pair an integer vector of length n_pairs, weights a distribution
        ContractCase("population_welfare: documented example accepted",
                     lambda: T.population_welfare([0.5, 0.5], u, iss, pol)),
        ContractCase("population_welfare: issue_of_pair of length n_pairs - 1 refused",
                     lambda: T.population_welfare([0.5, 0.5], u, [0], pol), (_IIE, "issue_of_pair")),
        ContractCase("population_welfare: float issue_of_pair refused",
                     lambda: T.population_welfare([0.5, 0.5], u, [0.0, 0.0], pol), (_IIE, "issue_of_pair")),
        ContractCase("population_welfare: issue index = width refused",
                     lambda: T.population_welfare([0.5, 0.5], u, [0, 1], pol), (_IIE, "issue_of_pair")),
        ContractCase("population_welfare: utility 1 + 1e-15 refused",
                     lambda: T.population_welfare([0.5, 0.5], [[1 + 1e-15, 0.0], [0.0, 1.0]], iss, pol),
                     (_IIE, "util_table")),
        ContractCase("population_welfare: outcome = k refused",
                     lambda: T.population_welfare([0.5, 0.5], u, iss, [[0], [2]]), (_IIE, "policy_outcomes")),
        ContractCase("population_welfare: weights summing to 1 + 1e-9 refused",
                     lambda: T.population_welfare([0.5, 0.5 + 1e-9], u, iss, pol), (_IIE, "weights")),
        ContractCase("population_welfare: weight -1e-300 refused",
                     lambda: T.population_welfare([1.0, -1e-300], u, iss, pol), (_IIE, "weights")),
        ContractCase("empirical_welfare: N = 0 refused", lambda: T.empirical_welfare([], u, iss, pol),
                     (_IIE, "sample")),
        ContractCase("erm_choice: an empty policy class refused",
                     lambda: T.erm_choice([0], u, iss, np.zeros((0, 1), np.int64)), (_IIE, "policy_outcomes")),
        ContractCase("vc_deviation: N = d accepted", lambda: float(T.vc_deviation(3, 3, 0.1))),
        ContractCase("vc_deviation: N < d refused", lambda: T.vc_deviation(2, 3, 0.1), (_IIE, None)),
    ]


def _rows_kernels() -> list[ContractCase]:
    import jax

    import aligntheory.kernels.social_choice as K

    key = jax.random.PRNGKey(0)
    u = np.array([[1.0, 0.0], [0.0, 1.0]])
    s, iss = np.array([[0, 1]]), np.array([0, 0])
    return [
        # sample_pairs: weights non-negative, summing to 1 within 1e-12; B N <= max_elements
        ContractCase("sample_pairs: weights summing to 1 + 2e-12 refused",
                     lambda: K.sample_pairs(key, np.array([0.5, 0.5 + 2e-12]), 2, 1), (_IIE, "weights")),
        ContractCase("sample_pairs: a weight -1e-300 refused",
                     lambda: K.sample_pairs(key, np.array([1.0, -1e-300]), 2, 1), (_IIE, "weights")),
        ContractCase("sample_pairs: N = 0 refused", lambda: K.sample_pairs(key, np.array([0.5, 0.5]), 0, 1),
                     (_IIE, "n_samples")),
        ContractCase("sample_pairs: B N = 4 > max_elements = 3 refused",
                     lambda: K.sample_pairs(key, np.array([0.5, 0.5]), 2, 2, max_elements=3), (SizeCapError, None)),
        # scoring_utilities: scoring "non-increasing, s_1 = 1, s_k = 0" (round 4: a rise of 0.5 inside is refused)
        ContractCase("scoring_utilities: scoring [1, 0, 0.5, 0] (not non-increasing) refused",
                     lambda: K.scoring_utilities(np.array([[0, 1, 2, 3]]), np.array([1.0, 0.0, 0.5, 0.0])),
                     (_IIE, "scoring")),
        # empirical_welfare_batched: outcomes in [0, k - 1], issues in [0, Q - 1], pair ids in [0, n_pairs - 1]
        ContractCase("empirical_welfare_batched: outcome = k refused",
                     lambda: K.empirical_welfare_batched(s, u, iss, np.array([[0], [2]])), (_IIE, "policy_outcomes")),
        ContractCase("empirical_welfare_batched: outcome -1 refused",
                     lambda: K.empirical_welfare_batched(s, u, iss, np.array([[0], [-1]])), (_IIE, "policy_outcomes")),
        ContractCase("empirical_welfare_batched: issue = Q refused",
                     lambda: K.empirical_welfare_batched(s, u, np.array([0, 1]), np.array([[0], [1]])),
                     (_IIE, "issue_of_pair")),
        ContractCase("empirical_welfare_batched: pair id = n_pairs refused",
                     lambda: K.empirical_welfare_batched(np.array([[0, 2]]), u, iss, np.array([[0], [1]])),
                     (_IIE, "sample_idx")),
        # round 6: the documented working set of the profile kernels, exactly at and one below the cap:
        # m <= 7: P V m + P (m! + 1)(1 + 2 m^2) = 3 + 7 * 19 = 136 for (1, 1, 3); m = 8: P V m + P m^2 = 72
        ContractCase("ranks: (1, 1, 3) with max_elements = 136 accepted",
                     lambda: np.asarray(K.ranks(np.array([[[0, 1, 2]]]), max_elements=136))),
        ContractCase("ranks: (1, 1, 3) with max_elements = 135 refused",
                     lambda: K.ranks(np.array([[[0, 1, 2]]]), max_elements=135), (SizeCapError, "profiles")),
        ContractCase("ranks: (1, 2, 8) with max_elements = 80 accepted",
                     lambda: np.asarray(K.ranks(np.array([[list(range(8))] * 2]), max_elements=80))),
        ContractCase("ranks: (1, 2, 8) with max_elements = 79 refused",
                     lambda: K.ranks(np.array([[list(range(8))] * 2]), max_elements=79), (SizeCapError, "profiles")),
    ]


def _rows_r5() -> list[ContractCase]:
    """Round 5 (second fresh mutation sample): documented caps at their exact boundary."""
    import aligntheory.kernels.social_choice as K
    import aligntheory.theory.social_choice as T

    u, iss, pol = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0, 0]), np.array([[0], [1]])
    s3 = np.array([[0, 1], [1, 0], [0, 0]])  # B = 3 samples of N = 2: |F| N = 4 per sample
    phi = T.privileged_ordering_mechanism([1, 0, 2])
    def iia_two(n: int, **kw):  # two alternatives: 2^(2^n) rules, all transitive, 2^(2^n - 2) weakly Paretian
        def run():
            r = T.enumerate_iia_rules(n, 2, **kw)
            got = (r.iia_rules, r.transitive, r.transitive_pareto)
            want = (2 ** 2**n, 2 ** 2**n, 2 ** (2**n - 2))
            if got != want:
                raise AssertionError(f"enumerate_iia_rules({n}, 2) = {got}, closed form {want}")
            return got
        return run

    return [
        # enumerate_iia_rules: (2^(2^n))^C(m, 2) rules <= max_rules (default IIA_RULES_CAP = 2^16), exact count checked
        ContractCase("enumerate_iia_rules: 4096 rules at max_rules = 4096 accepted",
                     lambda: T.enumerate_iia_rules(2, 3, max_rules=4096)),
        ContractCase("enumerate_iia_rules: 4096 rules over max_rules = 4095 refused",
                     lambda: T.enumerate_iia_rules(2, 3, max_rules=4095), (SizeCapError, "n_voters")),
        ContractCase("enumerate_iia_rules: n = 4 voters, 2 alternatives: 2^16 rules at the default cap accepted, "
                     "counts (2^16, 2^16, 2^14) in closed form", iia_two(4)),
        ContractCase("enumerate_iia_rules: n = 3, 2 alternatives: counts (2^8, 2^8, 2^6) in closed form", iia_two(3)),
        ContractCase("enumerate_iia_rules: n = 1, 5 alternatives: 2^20 rules over the default cap 2^16 refused",
                     lambda: T.enumerate_iia_rules(1, 5), (SizeCapError, "n_voters")),
        ContractCase("enumerate_iia_rules: 2^1056 rules (n = 4, m = 12) over max_rules = 2^1056 - 1 refused (the count "
                     "beyond the float range, in exact integers)",
                     lambda: T.enumerate_iia_rules(4, 12, max_rules=2**1056 - 1), (SizeCapError, "n_voters")),
        # exhaustive checks: C(k, 2) (m!)^2 (privilege_graph), (1 + m!)^k - 1 (axiom check) <= max_profiles
        # (default EXHAUSTIVE_CAP = 200_000); C(k, k//2 + 1) subsets <= max_subsets (default 200_000); the full
        # Arrow encoding (m!)^n m (m - 1) <= max_variables (default 5_000_000)
        ContractCase("privilege_graph: C(3, 2) 36 = 108 profiles at max_profiles = 108 accepted",
                     lambda: T.privilege_graph(phi, 3, 3, max_profiles=108).number_of_edges()),
        ContractCase("privilege_graph: 108 profiles over max_profiles = 107 refused",
                     lambda: T.privilege_graph(phi, 3, 3, max_profiles=107), (SizeCapError, "n_pairs")),
        ContractCase("privilege_graph: k = 106, m = 3: 200_340 profiles over the default 200_000 refused (k = 105: "
                     "196_560)", lambda: T.privilege_graph(T.privileged_ordering_mechanism(list(range(106))), 106, 3),
                     (SizeCapError, "n_pairs")),
        ContractCase("representative_axiom_violation: 7^3 - 1 = 342 profiles at max_profiles = 342 accepted",
                     lambda: T.representative_axiom_violation(phi, 3, 3, max_profiles=342)),
        ContractCase("representative_axiom_violation: 342 profiles over max_profiles = 341 refused",
                     lambda: T.representative_axiom_violation(phi, 3, 3, max_profiles=341), (SizeCapError, "n_pairs")),
        ContractCase("max_min_subset_mass: C(5, 3) = 10 subsets over max_subsets = 9 refused before the LP",
                     lambda: T.max_min_subset_mass(5, max_subsets=9), (SizeCapError, "n_pairs")),
        ContractCase("max_min_subset_mass: C(21, 11) = 352_716 subsets over the default 200_000 refused (C(20, 11) = "
                     "167_960)", lambda: T.max_min_subset_mass(21), (SizeCapError, "n_pairs")),
        ContractCase("arrow_instance: 6^8 * 6 = 10_077_696 variables over the default 5_000_000 refused",
                     lambda: T.arrow_instance(8, 3, encoding="full"), (SizeCapError, "n_voters")),
        # as_profile (ballot lists without candidates=): integer labels imply m = 1 + max label <= 10^6
        ContractCase("as_profile: label 999_999 (10^6 alternatives, at the cap) accepted",
                     lambda: T.as_profile([[0], [1, 999_999]]).n_alternatives),
        ContractCase("as_profile: label 10^6 (10^6 + 1 alternatives) refused before allocation",
                     lambda: T.as_profile([[0], [1, 10**6]]), (SizeCapError, "n_alternatives")),
        # empirical_welfare_batched: |F| N <= max_elements, chunk |F| N <= max_elements, chunk >= 1
        ContractCase("empirical_welfare_batched: |F| N = 4 > max_elements = 3 refused",
                     lambda: K.empirical_welfare_batched(s3, u, iss, pol, max_elements=3),
                     (SizeCapError, "policy_outcomes")),
        ContractCase("empirical_welfare_batched: chunk 2 x |F| N 4 = 8 > max_elements = 7 refused",
                     lambda: K.empirical_welfare_batched(s3, u, iss, pol, chunk=2, max_elements=7),
                     (SizeCapError, "chunk")),
        ContractCase("empirical_welfare_batched: chunk 0 refused",
                     lambda: K.empirical_welfare_batched(s3, u, iss, pol, chunk=0), (_IIE, "chunk")),
        ContractCase("empirical_welfare_batched: max_elements 0 refused",
                     lambda: K.empirical_welfare_batched(s3, u, iss, pol, max_elements=0), (_IIE, "max_elements")),
    ]


def _rows_r7() -> list[ContractCase]:
    """Round 7 (fourth fresh mutation sample): sample_threshold_pairs' sizes and cap at their exact boundary."""
    import jax

    import aligntheory.kernels.social_choice as K
    import aligntheory.theory.social_choice as T

    key = jax.random.PRNGKey(0)
    return [
        # sample_threshold_pairs: n_samples, batch_size >= 1; B N <= max_elements; max_elements >= 1
        ContractCase("sample_threshold_pairs: B N = 10 at max_elements = 10 accepted",
                     lambda: np.asarray(K.sample_threshold_pairs(key, 5, 2, max_elements=10).q)),
        ContractCase("sample_threshold_pairs: B N = 10 over max_elements = 9 refused",
                     lambda: K.sample_threshold_pairs(key, 5, 2, max_elements=9), (SizeCapError, "n_samples")),
        ContractCase("sample_threshold_pairs: max_elements 0 refused (a cap must be >= 1)",
                     lambda: K.sample_threshold_pairs(key, 5, 2, max_elements=0), (_IIE, "max_elements")),
        ContractCase("sample_threshold_pairs: n_samples 0 refused",
                     lambda: K.sample_threshold_pairs(key, 0, 2), (_IIE, "n_samples")),
        ContractCase("sample_threshold_pairs: batch_size 0 refused",
                     lambda: K.sample_threshold_pairs(key, 5, 0), (_IIE, "batch_size")),
        ContractCase("sample_threshold_pairs: 10^6 x 10^6 = 10^12 draws over the default cap refused",
                     lambda: K.sample_threshold_pairs(key, 10**6, 10**6), (SizeCapError, "n_samples")),
        # threshold_continuum_deviation: issues q in the closed interval [0, 1], preferences 0 or 1
        ContractCase("threshold_continuum_deviation: issues exactly 0 and 1 accepted",
                     lambda: np.asarray(K.threshold_continuum_deviation(np.array([[0.0, 1.0]]), np.array([[0, 1]])))),
        ContractCase("threshold_continuum_deviation: an issue 1 + 2^-52 refused",
                     lambda: K.threshold_continuum_deviation(np.array([[0.0, 1.0 + 2.0**-52]]), np.array([[0, 1]])),
                     (_IIE, "q")),
        ContractCase("threshold_continuum_deviation: an issue -1e-300 refused",
                     lambda: K.threshold_continuum_deviation(np.array([[-1e-300, 1.0]]), np.array([[0, 1]])),
                     (_IIE, "q")),
        ContractCase("threshold_continuum_deviation: a preference 2 refused",
                     lambda: K.threshold_continuum_deviation(np.array([[0.0, 1.0]]), np.array([[0, 2]])), (_IIE, "y")),
        # scoring_rule_natarajan_bound: m >= 1 (m = 1: the bound 0)
        ContractCase("scoring_rule_natarajan_bound: n_alternatives 1 accepted",
                     lambda: float(T.scoring_rule_natarajan_bound(1))),
        ContractCase("scoring_rule_natarajan_bound: n_alternatives 0 refused",
                     lambda: T.scoring_rule_natarajan_bound(0), (_IIE, "n_alternatives")),
    ]


def _rows_r8() -> list[ContractCase]:
    """Round 8 (fifth fresh mutation sample): documented defaults of ``validate`` (on, skipped under tracing)."""
    import jax

    import aligntheory.kernels.social_choice as K

    q, y, grid = np.array([[0.2, 0.7]]), np.array([[0, 1]]), np.array([0.0, 0.5, 1.0])  # the documented example
    u, iss, pol, s = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0, 0]), np.array([[0], [1]]), np.array([[0, 0, 1]])
    return [
        # threshold_grid_welfare: validate=True by default: q, grid finite; grid non-decreasing; y in {0, 1}
        ContractCase("threshold_grid_welfare: grid with a tie [0, 0.5, 0.5] accepted",
                     lambda: K.threshold_grid_welfare(q, y, np.array([0.0, 0.5, 0.5]))),
        ContractCase("threshold_grid_welfare (default validate): a NaN in q refused",
                     lambda: K.threshold_grid_welfare(np.array([[0.2, np.nan]]), y, grid), (_IIE, "q, grid")),
        ContractCase("threshold_grid_welfare (default validate): an inf in grid refused",
                     lambda: K.threshold_grid_welfare(q, y, np.array([0.0, 0.5, np.inf])), (_IIE, "q, grid")),
        ContractCase("threshold_grid_welfare (default validate): grid [0, 0.5, 0.5 - 2^-53] refused",
                     lambda: K.threshold_grid_welfare(q, y, np.array([0.0, 0.5, 0.5 - 2.0**-53])), (_IIE, "grid")),
        ContractCase("threshold_grid_welfare (default validate): y = 2 refused",
                     lambda: K.threshold_grid_welfare(q, np.array([[0, 2]]), grid), (_IIE, "y")),
        ContractCase("threshold_grid_welfare (default validate): y = -1 refused",
                     lambda: K.threshold_grid_welfare(q, np.array([[-1, 1]]), grid), (_IIE, "y")),
        ContractCase("threshold_grid_welfare: y of shape (1, 3) for q (1, 2) refused",
                     lambda: K.threshold_grid_welfare(q, np.array([[0, 1, 1]]), grid), (_IIE, "y")),
        # empirical_welfare_batched: validate (default True) is skipped under tracing, so jax.jit works
        ContractCase("empirical_welfare_batched under jax.jit (default validate) accepted",
                     lambda: np.asarray(jax.jit(K.empirical_welfare_batched)(s, u, iss, pol))),
        ContractCase("threshold_grid_welfare under jax.jit (default validate) accepted",
                     lambda: np.asarray(jax.jit(K.threshold_grid_welfare)(q, y, grid))),
    ]


def _rows_r9() -> list[ContractCase]:
    """Round 9 (sixth fresh mutation sample): R4's LP at its smallest documented size; the kernels' working set."""
    import aligntheory.kernels.social_choice as K
    import aligntheory.theory.social_choice as T

    return [
        # max_min_subset_mass: n_pairs >= 1, h in [1, n_pairs]
        ContractCase("max_min_subset_mass: n_pairs 1 accepted", lambda: T.max_min_subset_mass(1).value),
        ContractCase("max_min_subset_mass: n_pairs 0 refused", lambda: T.max_min_subset_mass(0), (_IIE, "n_pairs")),
        ContractCase("max_min_subset_mass: h = n_pairs = 3 accepted", lambda: T.max_min_subset_mass(3, 3).value),
        ContractCase("max_min_subset_mass: h = 4 > n_pairs = 3 refused", lambda: T.max_min_subset_mass(3, 4),
                     (_IIE, "h")),
        ContractCase("max_min_subset_mass: h 0 refused", lambda: T.max_min_subset_mass(3, 0), (_IIE, "h")),
        # the profile kernels' documented working set PVm + P(m!+1)(1+2m^2) for m <= 7 (m = 3 and m = 8 rows above):
        # at m = 7 itself, exactly at the cap accepted, one element below refused
        *[row for shape, work in (((1, 1, 7), 7 + (5040 + 1) * (1 + 2 * 49)),)
          for row in (ContractCase(f"ranks: profiles {shape} with max_elements = {work} (its working set) accepted",
                                   lambda shape=shape, work=work: np.asarray(K.ranks(_identity(shape),
                                                                                     max_elements=work))),
                      ContractCase(f"ranks: profiles {shape} with max_elements = {work - 1} refused",
                                   lambda shape=shape, work=work: K.ranks(_identity(shape), max_elements=work - 1),
                                   (SizeCapError, "profiles")))],
    ]


def _identity(shape: tuple[int, int, int]) -> np.ndarray:
    """Profiles of the given shape where every voter ranks 0, 1, ..., m - 1."""
    return np.broadcast_to(np.arange(shape[2], dtype=np.int64), shape).copy()


@claim(
    id="social_choice.failure_contract",
    statement="The documented failure contract of the social choice pillar's main public functions (check_profile, "
    "as_profile, check_order, reduce_sample, representative_instance, privilege_graph, arrow_instance, all_orders, "
    "population_welfare, empirical_welfare, erm_choice, vc_deviation, sample_pairs, scoring_utilities, "
    "empirical_welfare_batched, sample_threshold_pairs, threshold_continuum_deviation, scoring_rule_natarajan_bound) holds at the boundary of "
    "each documented constraint: the accepted side returns a finite result, one step outside is refused with the "
    "documented error class naming the argument.",
    source=[_SRC],
    provenance="M",
    kind="contract",
    tolerance="exact: each documented boundary on its documented side",
    rice={"R"},
    stage="backward:governance",
)
def check_failure_contract(ctx: Context) -> Evidence:
    """Predicted: each row's documented side (a finite result, or the documented error naming the argument).

    Measured: the call. Tolerance: exact (a boundary is on one side or the other).
    """
    rows = _rows_theory() + _rows_kernels() + _rows_r5() + _rows_r7() + _rows_r8() + _rows_r9()
    return contract_evidence(rows)


def _enumerated_swfs(n: int, pareto: bool, non_dictatorship: bool) -> int:
    """Maps {0, 1}^n -> {0, 1} (ballot bit: voter ranks 0 above 1) with the axioms, by brute force.

    On two alternatives IIA is vacuous; Pareto fixes the two unanimous profiles; voter i dictates
    when the output equals ballot i at every profile.
    """
    profiles = list(itertools.product((0, 1), repeat=n))
    count = 0
    for outs in itertools.product((0, 1), repeat=len(profiles)):
        f = dict(zip(profiles, outs))
        if pareto and any(f[p] != p[0] for p in profiles if len(set(p)) == 1):
            continue
        if non_dictatorship and any(all(f[p] == p[i] for p in profiles) for i in range(n)):
            continue
        count += 1
    return count


@claim(
    id="social_choice.swf_counts_match_enumeration",
    statement="count_social_welfare_functions(n, 2, pareto=., iia=True, non_dictatorship=.) equals the number of "
    "maps from the 2^n profiles on two alternatives to the two orders satisfying the chosen axioms, enumerated "
    "(2^(2^n) maps without Pareto, 2^(2^n - 2) with it, less the n dictatorships under non-dictatorship), for n = 1, "
    "2, 3; every SAT model passes the library's brute-force re-verification (else it raises).",
    source=[_ARROW, Source(key="geist2011automated", where="SAT model counting")],
    provenance="M",
    kind="theorem",
    tolerance="exact (integer counts)",
    rice={"E"},
    stage="backward:assurance",
)
def check_swf_counts_match_enumeration(ctx: Context) -> Evidence:
    """Predicted: the enumeration of all 2^(2^n) maps (n <= 3: at most 256) written here.

    Measured: ``count_social_welfare_functions`` (SAT count plus the library's own re-verification of
    each model, which raises on a model violating an axiom). Tolerance: exact (integers).
    """
    from aligntheory.theory.social_choice import count_social_welfare_functions

    pred, meas = {}, {}
    for n in (1, 2, 3):
        for pareto in (False, True):
            for nd in (False, True):
                key = f"n={n}, pareto={pareto}, nd={nd}"
                pred[key] = _enumerated_swfs(n, pareto, nd)
                meas[key] = int(count_social_welfare_functions(n, 2, pareto=pareto, non_dictatorship=nd))
    wrong = {k: (meas[k], pred[k]) for k in pred if meas[k] != pred[k]}
    return Evidence(
        verdict=Verdict.of(not wrong),
        predicted=pred,
        measured=meas,
        tolerance="exact",
        why="integer counts",
        sizes={"n_voters": [1, 2, 3], "n_alternatives": 2},
        details=f"mismatches (measured, enumerated): {wrong}" if wrong else "all 12 counts match the enumeration",
    )


def _pairwise(ranks: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Margins sum_v c_v ([a above b] - [b above a]) from a rank matrix, by loops over ballots."""
    m = ranks.shape[1]
    out = np.zeros((m, m), dtype=np.int64)
    for row, c in zip(ranks.tolist(), counts.tolist()):
        for a in range(m):
            for b in range(m):
                if a != b:
                    out[a, b] += c * ((row[a] < row[b]) - (row[b] < row[a]))
    return out


@claim(
    id="social_choice.profile_forms_agree",
    statement="as_profile gives the same PreferenceProfile (rank matrix ranks[i, c] = position of c on ballot i, "
    "counts, n_voters) from strict rankings given as an integer array with counts, as repeated rows, as indifference "
    "lists in candidate names, and (full tier) as a pref_voting Profile; check_profile of it returns the rankings, and margins "
    "of every form equal the count-weighted pairwise majorities counted ballot by ballot.",
    source=[Source(key="qiu2024representative", where="spec social_choice.md §2.5 (profiles)")],
    provenance="M",
    kind="theorem",
    tolerance="exact (integer ranks, counts and margins)",
    rice={"R"},
    stage="backward:governance",
)
def check_profile_forms_agree(ctx: Context) -> Evidence:
    """Predicted: the rank matrix inverted from the rankings by a loop, the counts, and loop margins.

    Measured: ``as_profile`` on four input forms, ``check_profile`` and ``margins``. Exact.
    """
    import aligntheory.theory.social_choice as T

    rng = ctx.rng(83)
    m, nb = 4, ctx.pick(quick=6, full=20)
    rankings = np.array([rng.permutation(m) for _ in range(nb)], dtype=np.int64)
    counts = rng.integers(1, 4, size=nb).astype(np.int64)
    names = ("w", "x", "y", "z")
    ranks = np.empty((nb, m), dtype=np.int64)
    for i in range(nb):
        for pos, c in enumerate(rankings[i].tolist()):
            ranks[i, c] = pos
    forms = {
        "array + counts": T.as_profile(rankings, counts, candidates=names),
        "indifference lists": T.as_profile([[names[c] for c in r] for r in rankings.tolist()], counts,
                                           candidates=names),
        "repeated rows": T.as_profile(np.repeat(rankings, counts, axis=0), candidates=names),
    }
    if ctx.tier == "full":  # importing pref_voting costs ~2 s (matplotlib, numba): the full tier only
        from aligntheory._optional import require

        Profile = require("pref_voting.profiles").Profile
        forms["pref_voting Profile"] = T.as_profile(Profile([list(map(int, r)) for r in rankings],
                                                            rcounts=[int(c) for c in counts]))
    bad = []
    for label, p in forms.items():
        exp_ranks = np.repeat(ranks, counts, axis=0) if label == "repeated rows" else ranks
        exp_counts = np.ones(int(counts.sum()), np.int64) if label == "repeated rows" else counts
        if not (np.array_equal(p.ranks, exp_ranks) and np.array_equal(p.counts, exp_counts)
                and p.n_voters == int(counts.sum()) and p.n_alternatives == m):
            bad.append(f"{label}: ranks/counts differ")
        if not np.array_equal(T.margins(p), _pairwise(ranks, counts)):
            bad.append(f"{label}: margins differ")
    chk = T.check_profile(forms["array + counts"])
    if not (np.array_equal(chk.rankings, rankings) and np.array_equal(chk.counts, counts)):
        bad.append("check_profile(PreferenceProfile) does not return the rankings and counts")
    return Evidence(
        verdict=Verdict.of(not bad),
        predicted={"n_voters": int(counts.sum()), "forms": len(forms)},
        measured={"forms agreeing": len(forms) - len({b.split(':')[0] for b in bad})},
        tolerance="exact",
        why="integer ranks, counts and margins",
        sizes={"ballots": nb, "n_alternatives": m},
        details="; ".join(bad) if bad else f"{len(forms)} forms agree with the loops",
    )

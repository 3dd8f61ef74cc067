"""Registry metadata and the pieces of the social choice claims (the claims themselves run in the lead's central test)."""

import math

import numpy as np
from scipy import stats

import aligntheory.proofs_check.social_choice  # noqa: F401  (registers the claims)
from aligntheory.proofs_check import REGISTRY
from aligntheory.proofs_check.social_choice import _learning_claims as L
from aligntheory.theory import social_choice as T

IDS = {
    "social_choice.bound_reference_values", "social_choice.finite_class_deviation_bound_holds",
    "social_choice.erm_regret_bound_holds", "social_choice.vc_deviation_bound_holds",
    "social_choice.deviation_decays_as_inverse_sqrt_n", "social_choice.no_generalization_without_restriction",
    "social_choice.arrow_base_case_counts", "social_choice.representative_swf_counts",
    "social_choice.majority_convergence_lp_tightness", "social_choice.scoring_vector_lp_fit",
    "social_choice.voting_kernels_match_exact_rules", "social_choice.learning_kernels_match_exact_welfare",
    # issue 11 round 3: the contract claim, SWF counts by enumeration, profile input forms
    "social_choice.failure_contract", "social_choice.swf_counts_match_enumeration",
    "social_choice.profile_forms_agree",
    "social_choice.finite_sample_sizes_beyond_float",  # issue 11 round 4
    "social_choice.empirical_welfare_chunked_blocks",  # issue 11 round 5
    # issue 11 round 6
    "social_choice.iia_violation_witness", "social_choice.sat_instance_axioms_and_arcs",
    "social_choice.size_cap_reported_costs",
    "social_choice.drup_checker_deletions", "social_choice.threshold_continuum_deviation_exact",  # issue 11 round 7
    "social_choice.drup_checker_top_level_units", "social_choice.lp_optima_tables",  # issue 11 round 9
    # issue 11 round 10
    "social_choice.sample_size_inverses_both_regimes", "social_choice.profile_kernel_working_set_caps",
    "social_choice.two_alternative_model_counts", "social_choice.bound_closed_forms_generic_point",
    "social_choice.scoring_fit_infeasible_branch", "social_choice.threshold_welfare_at_ties",
    "social_choice.named_ballot_candidates_contract",
    "social_choice.multiclass_bounds_beyond_float_range",  # issue 11 round 11
    "social_choice.population_welfare_correctly_rounded",
}
OLD_IDS = {  # opaque ids renamed under issue #10; kept resolvable as aliases
    "social_choice.bound_values": "social_choice.bound_reference_values",
    "social_choice.g1_holds": "social_choice.finite_class_deviation_bound_holds",
    "social_choice.g2_holds": "social_choice.erm_regret_bound_holds",
    "social_choice.g3_holds": "social_choice.vc_deviation_bound_holds",
    "social_choice.rate": "social_choice.deviation_decays_as_inverse_sqrt_n",
    "social_choice.g5_no_restriction": "social_choice.no_generalization_without_restriction",
    "social_choice.a2_counts": "social_choice.arrow_base_case_counts",
    "social_choice.r1_r2_counts": "social_choice.representative_swf_counts",
    "social_choice.r4_lp": "social_choice.majority_convergence_lp_tightness",
    "social_choice.s3_scoring_lp": "social_choice.scoring_vector_lp_fit",
}


def test_all_claims_registered_with_tags():
    claims = {c.id: c for c in REGISTRY.select(pillars=["social_choice"])}
    # the reach claims of issue 11 are listed and checked in test_reach_claims.py; the argument-boundary claims (_boundary_claims) in their own test file
    assert IDS == {cid for cid, c in claims.items() if not any(m in c.check.__module__ for m in ("_reach_claims", "_progress_reach", "_safety_reach", "_boundary_claims"))}
    for c in claims.values():
        assert c.rice and c.stage and c.tolerance.strip()
    for cid in ("social_choice.representative_swf_counts", "social_choice.majority_convergence_lp_tightness"):
        assert claims[cid].provenance == "R" and claims[cid].kind == "reconstruction"


def test_old_claim_ids_resolve_to_the_renamed_claims():
    for old, new in OLD_IDS.items():
        assert REGISTRY.get(old).id == new


def test_three_sigma_threshold_matches_spec():
    # spec §4.3: with B = 2000 and delta = 0.05 the test fails when more than 129 exceedances occur
    thr = L._three_sigma(2000)
    assert math.floor(thr * 2000) == 129
    # exact binomial false-failure probability ~1.8e-3 (spec)
    p = stats.binom.sf(129, 2000, 0.05)
    assert 1e-3 < p < 3e-3


def test_r_functions_carry_provenance():
    from aligntheory.results import get_provenance
    from aligntheory.theory import social_choice as T

    for fn in (T.count_representative_swfs, T.max_min_subset_mass, T.representative_instance):
        assert get_provenance(fn).tag == "R" and get_provenance(fn).source == "qiu2024representative"
        assert "reconstruction" in fn.__doc__.lower() or "[R]" in fn.__doc__


def test_every_public_name_of_the_pillar_declares_provenance():
    from aligntheory.kernels import social_choice as K
    from aligntheory.results import get_provenance

    for mod in (T, K):
        for name in mod.__all__:
            obj = getattr(mod, name)
            if callable(obj):
                assert get_provenance(obj) is not None, f"{mod.__name__}.{name}"


def test_claims_catch_a_kernel_that_ignores_counts(monkeypatch):
    # fault injection: margins that ignore voter counts must turn the kernel claim to FAIL
    from aligntheory.kernels import social_choice as K
    from aligntheory.proofs_check import Context

    orig = K.margins_batched
    monkeypatch.setattr(K, "margins_batched", lambda P, c=None, **kw: orig(P, **kw))
    ev = REGISTRY.get("social_choice.voting_kernels_match_exact_rules").run(Context(seed=0))
    assert ev.verdict.value == "FAIL" and "margins_batched" in ev.measured["mismatches"]


def test_simulation_piece_small():
    # the shared simulation kernels reproduce the spec's q95 at N = 50 (0.188-0.190) within sampling error
    import jax

    from aligntheory.kernels import social_choice as K
    from aligntheory.theory import social_choice as T

    q, y = K.sample_threshold_pairs(jax.random.PRNGKey(1), 50, 1000)
    wh = K.threshold_grid_welfare(q, y, L.GRID)
    dev = np.asarray(K.uniform_deviation(wh, T.threshold_welfare(L.GRID)))
    assert 0.16 < np.quantile(dev, 0.95) < 0.22
    assert np.mean(dev > T.finite_class_deviation(50, 101, 0.05)) <= L._three_sigma(1000)

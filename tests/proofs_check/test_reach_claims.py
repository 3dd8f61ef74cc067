"""The reach claims of issue #11 item 2: each reaches the public functions it is about, and each can fail.

``tests/proofs_check/test_all_claims.py`` already runs every claim at several seeds; here:

* coverage: the tracer of ``aligntheory list --coverage`` sees each claim reach the public names its
  measurement calls (so the claim cannot silently stop calling the library);
* sabotage: replacing one public function by a plausibly wrong version (a lost factor, a swapped
  sign, a shifted index) turns the claim that is about it into FAIL, so the claim is not blind to it.
"""

from __future__ import annotations

import numpy as np
import pytest

from aligntheory.config import configure
from aligntheory.proofs_check import Context, Verdict, load_all

configure()
REG = load_all()

# claim id -> public names (as `aligntheory list --coverage` spells them) its measurement must reach
REACHES = {
    "ibn.pcg_resistance_matches_pinv": ["aligntheory.kernels.ibn.reff_pairs_pcg"],
    "ibn.sketch_resistance_jl_band": ["aligntheory.kernels.ibn.reff_sketch"],
    "ibn.networkx_input_resistance": ["aligntheory.theory.ibn.from_networkx"],
    "ibn.sample_size_inverts_cost": ["aligntheory.theory.ibn.sample_size_for_distance"],
    "ibn.decoder_closed_forms_evaluate": ["aligntheory.theory.ibn.decoder_bounds"],
    "ibn.analyse_preferences_exact_routes": ["aligntheory.analysis.ibn.analyse_preferences"],
    "ibn.mle_exists_iff_strongly_connected": ["aligntheory.kernels.ibn.strongly_connected_dense"],
    "ibn.resistance_infinite_across_components": ["aligntheory.theory.ibn.inference_distances"],
    "ibn.tree_pairs_structure": ["aligntheory.kernels.ibn.tree_pairs"],
    "ibn.bt_and_laplacian_kernels_match_routes": [
        "aligntheory.kernels.ibn.fit_bt_newton", "aligntheory.kernels.ibn.fit_bt_newman",
        "aligntheory.kernels.ibn.simulate_bt", "aligntheory.kernels.ibn.fit_ls_continuous",
        "aligntheory.kernels.ibn.solve_laplacian_tree", "aligntheory.numerics.solve_laplacian",
        "aligntheory.numerics.aggregate_comparisons", "aligntheory.theory.ibn.kirchhoff_index",
        "aligntheory.theory.ibn.closed_form_reff", "aligntheory.theory.ibn.inference_distance_path"],
    "ibn.reference_routes_refuse_ill_conditioned": ["aligntheory.theory.ibn.effective_resistance"],
    "ibn.inference_distance_api_matches_pinv": ["aligntheory.theory.ibn.inference_distance_exact",
                                                "aligntheory.theory.ibn.mean_inference_distance",
                                                "aligntheory.theory.ibn.from_matrix"],
    "ibn.model_costs_closed_forms": ["aligntheory.theory.ibn.tree_cost", "aligntheory.theory.ibn.n_regime_A_limit",
                                     "aligntheory.theory.ibn.regime_of",
                                     "aligntheory.theory.ibn.closed_form_headline_factor"],
    "ibn.chain_data_and_continuous_feedback_laws": ["aligntheory.kernels.ibn.chain_pairs",
                                                    "aligntheory.kernels.ibn.simulate_bt_continuous"],
    "safety.harm_taxonomy_codes": ["aligntheory.theory.safety.parse_harm_label"],
    "elasticity.derivative_routes_agree": ["aligntheory.kernels.elasticity.stable_derivatives",
                                           "aligntheory.theory.elasticity.closed_form_derivatives",
                                           "aligntheory.theory.elasticity.is_opposite_configuration"],
    "elasticity.fit_and_prune_kernels": ["aligntheory.kernels.elasticity.two_segment_fit_batched",
                                         "aligntheory.kernels.elasticity.prune"],
    "safety.analyse_safety_preferences_routes": ["aligntheory.analysis.safety.analyse_safety_preferences"],
    "elasticity.masses_and_normalised_rate": ["aligntheory.theory.elasticity.pareto_masses",
                                              "aligntheory.theory.elasticity.normalized_compression_rate"],
    "social_choice.positional_encodings_agree": ["aligntheory.theory.social_choice.positional_instance"],
    "elasticity.kernel_closed_forms": ["aligntheory.kernels.elasticity.mle_from_counts",
                                       "aligntheory.kernels.elasticity.mixture_logq",
                                       "aligntheory.kernels.elasticity.gamma",
                                       "aligntheory.kernels.elasticity.first_crossing_batched",
                                       "aligntheory.theory.elasticity.zipf_entropy_limit"],
    "progress.closed_forms_evaluate": ["aligntheory.theory.progress.steady_state_lag"],
    "progress.optimal_order_enumeration": ["aligntheory.theory.progress.optimal_order"],
    "progress.scores_are_mean_cosines": ["aligntheory.theory.progress.follow_score",
                                         "aligntheory.theory.progress.predict_score",
                                         "aligntheory.theory.progress.cosine"],
    "progress.labeled_scores_and_value_types": ["aligntheory.theory.progress.follow_score_labeled",
                                                "aligntheory.theory.progress.predict_score_labeled",
                                                "aligntheory.theory.progress.coevolve_score_labeled"],
    "progress.unstable_radius_fractional_horizon": ["aligntheory.kernels.progress.simulate_coevolution"],
    "progress.batched_kernels_match_recurrence": ["aligntheory.kernels.progress.extrapolate_batched",
                                                  "aligntheory.kernels.progress.simulate_coevolution_batched"],
    "safety.multiplier_sweeps_match_update": ["aligntheory.kernels.safety_multiplier.lagrangian_multiplier_sweep",
                                              "aligntheory.kernels.safety_multiplier.pid_multiplier_sweep",
                                              "aligntheory.analysis.safety.replay_multiplier_log"],
    "safety.batched_dual_kernels_match": ["aligntheory.kernels.safety.optimal_multiplier_batched",
                                          "aligntheory.kernels.safety.dual_ascent_batched",
                                          "aligntheory.kernels.safety.simulate_primal_dual"],
    "safety.losses_and_smoothness_closed_forms": ["aligntheory.theory.safety.bt_reward_nll"],
    "safety.batched_tilts_and_fits_match": ["aligntheory.kernels.safety.tilted_policy_batched",
                                            "aligntheory.kernels.safety.tilted_moments_batched",
                                            "aligntheory.kernels.safety.fit_cost_model",
                                            "aligntheory.kernels.safety_multiplier.window_means_batched",
                                            "aligntheory.theory.safety.primal_value",
                                            "aligntheory.theory.safety.pid_multiplier_trajectory"],
    "social_choice.sample_pairs_follow_weights": ["aligntheory.kernels.social_choice.sample_pairs"],
    "social_choice.voting_kernels_count_weighted_voters": ["aligntheory.kernels.social_choice.margins_batched"],
    "social_choice.sample_sizes_are_least": [
        "aligntheory.theory.social_choice.closed_form_finite_class_sample_size"],
    "social_choice.drup_checker_sound_and_complete": [],  # the checker is private: reached through _rup
    "social_choice.rankings_relations_and_axioms": ["aligntheory.kernels.social_choice.ranks",
                                                    "aligntheory.theory.social_choice.weak_condorcet_winners",
                                                    "aligntheory.theory.social_choice.three_cycle",
                                                    "aligntheory.theory.social_choice.satisfies_iia"],
}


def test_every_reach_claim_is_registered_with_a_justified_tolerance():
    mods = ("_reach_claims", "_progress_reach", "_safety_reach")
    mine = {c.id for c in REG if any(m in c.check.__module__ for m in mods)}
    assert mine == set(REACHES), sorted(mine ^ set(REACHES))
    for cid in REACHES:
        c = REG.get(cid)
        assert c.kind in ("theorem", "reconstruction"), cid
        assert len(c.tolerance) > 20, cid


@pytest.mark.slow
def test_reach_claims_reach_their_public_functions():
    from aligntheory.proofs_check._coverage import claim_coverage

    cov = claim_coverage([REG.get(cid) for cid in REACHES])
    missing = {cid: sorted(set(names) - set(cov.per_claim[cid])) for cid, names in REACHES.items()}
    assert not {k: v for k, v in missing.items() if v}, missing


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed, tier="quick", device="cpu")).verdict


def _wrap(monkeypatch, module: str, name: str, change):
    """Replace ``module.name`` by ``change(original)``."""
    import importlib

    mod = importlib.import_module(module)
    monkeypatch.setattr(mod, name, change(getattr(mod, name)))


SABOTAGE = [
    # (claim, module the claim imports from, name, wrong version)
    ("ibn.pcg_resistance_matches_pinv", "aligntheory.kernels.ibn", "reff_pairs_pcg",
     lambda f: lambda *a, **k: f(*a, **k)._replace(values=f(*a, **k).values * 1.01)),
    ("ibn.sketch_resistance_jl_band", "aligntheory.kernels.ibn", "reff_sketch",
     lambda f: lambda *a, **k: f(*a, **k)._replace(k=f(*a, **k).k + 1)),
    ("ibn.decoder_closed_forms_evaluate", "aligntheory.theory.ibn", "decoder_bounds",
     lambda f: lambda eps, beta: f(eps, 1.01 * beta)),
    ("ibn.sample_size_inverts_cost", "aligntheory.theory.ibn", "sample_size_for_distance",
     lambda f: lambda eps, F, s2, topo, **k: f(eps * 1.001, F, s2, topo, **k)),
    ("ibn.analyse_preferences_exact_routes", "aligntheory.analysis.ibn", "analyse_preferences",
     lambda f: lambda *a, **k: _perturb_analysis(f(*a, **k))),
    ("ibn.mle_exists_iff_strongly_connected", "aligntheory.kernels.ibn", "strongly_connected_dense",
     lambda f: lambda *a, **k: True),
    ("ibn.bt_and_laplacian_kernels_match_routes", "aligntheory.kernels.ibn", "fit_bt_newman",
     lambda f: lambda n, e, w, K, beta, **k: f(n, e, w, K, beta * 1.01, **k)),
    ("ibn.inference_distance_api_matches_pinv", "aligntheory.theory.ibn", "mean_inference_distance",
     lambda f: lambda ibn, pairs, **k: f(ibn, pairs[:-1], **k)),
    ("ibn.model_costs_closed_forms", "aligntheory.theory.ibn", "tree_cost",
     lambda f: lambda n, F, s2, h_T=1: f(n, F, s2, h_T=h_T + 0.01)),
    ("ibn.tree_pairs_structure", "aligntheory.kernels.ibn", "tree_pairs",
     lambda f: lambda *a, **k: _swap_first_segment(f(*a, **k))),
    ("ibn.chain_data_and_continuous_feedback_laws", "aligntheory.kernels.ibn", "simulate_bt_continuous",
     lambda f: lambda key, r, e, K, beta, **k: f(key, r, e, K, beta * 1.15, **k)),
    ("elasticity.derivative_routes_agree", "aligntheory.kernels.elasticity", "stable_derivatives",
     lambda f: lambda *a, **k: type(f(*a, **k))(*(1.001 * x for x in f(*a, **k)))),
    ("elasticity.fit_and_prune_kernels", "aligntheory.kernels.elasticity", "two_segment_fit_batched",
     lambda f: lambda Y, *a, **k: f(np.asarray(Y)[:, ::-1], *a, **k)),
    ("safety.analyse_safety_preferences_routes", "aligntheory.analysis.safety", "analyse_safety_preferences",
     lambda f: lambda recs, **k: f(recs, **{**k, "ridge": 1.1})),
    ("elasticity.masses_and_normalised_rate", "aligntheory.theory.elasticity", "pareto_masses",
     lambda f: lambda rng, M, alpha, **k: f(rng, M, 1.3 * alpha, **k)),
    ("social_choice.positional_encodings_agree", "aligntheory.theory.social_choice", "positional_instance",
     lambda f: lambda N, m, **k: f(N + 1, m, **k)),
    ("elasticity.kernel_closed_forms", "aligntheory.kernels.elasticity", "mle_from_counts",
     lambda f: lambda C, beta=0.0, **k: f(C, beta + 0.1, **k)),
    ("progress.closed_forms_evaluate", "aligntheory.theory.progress", "extrapolation_error_bound",
     lambda f: lambda k, m, h, M: f(k, 1, h, M)),
    ("progress.optimal_order_enumeration", "aligntheory.theory.progress", "optimal_order",
     lambda f: lambda h, sigma, Ms, steps_ahead=1, **k: f(h, sigma, Ms, 1, **k)),
    ("progress.scores_are_mean_cosines", "aligntheory.theory.progress", "predict_score",
     lambda f: lambda a, e, k: f(a[:-1], e[:-1], k) if k > 1 else f(a, e, k)),
    ("progress.labeled_scores_and_value_types", "aligntheory.theory.progress", "follow_score_labeled",
     lambda f: lambda a, e, **k: f(a, e[::-1], **k)),
    ("progress.batched_kernels_match_recurrence", "aligntheory.kernels.progress", "simulate_coevolution_batched",
     lambda f: lambda key, al, ka, m, p, s, n=1, **k: f(key, al, ka, m, p, 1.5 * s, n, **k) if s else f(
         key, al, ka, m, p, s, n, **k)),
    ("progress.unstable_radius_fractional_horizon", "aligntheory.kernels.progress", "simulate_coevolution",
     lambda f: lambda key, a, k, m, *r, **kw: f(key, a, k, round(m), *r, **kw)),
    ("safety.multiplier_sweeps_match_update", "aligntheory.kernels.safety_multiplier", "pid_multiplier_sweep",
     lambda f: lambda *a, **k: f(*a, **{**k, "integral_init": 0.5})),
    ("safety.batched_dual_kernels_match", "aligntheory.kernels.safety", "dual_ascent_batched",
     lambda f: lambda p, r, c, beta, d, steps, lam0, n, *a, **k: f(p, r, c, beta, d * 1.01, steps, lam0, n, *a, **k)),
    ("safety.losses_and_smoothness_closed_forms", "aligntheory.theory.safety", "smoothness_constant",
     lambda f: lambda c, beta: f(c, 2 * beta)),
    ("safety.batched_tilts_and_fits_match", "aligntheory.kernels.safety_multiplier", "window_means_batched",
     lambda f: lambda c, w: f(c, np.asarray(w) + 1)),
    ("social_choice.sample_pairs_follow_weights", "aligntheory.kernels.social_choice", "sample_pairs",
     lambda f: lambda key, w, N, B, **k: f(key, np.roll(w, 1), N, B, **k)),
    ("social_choice.voting_kernels_count_weighted_voters", "aligntheory.kernels.social_choice", "margins_batched",
     lambda f: lambda prof, counts=None, **k: f(prof, **k)),
    ("social_choice.rankings_relations_and_axioms", "aligntheory.theory.social_choice", "weak_condorcet_winners",
     lambda f: lambda prof, counts=None: f(prof)),
    ("social_choice.drup_checker_sound_and_complete", "aligntheory.theory.social_choice._rup", "check_drup_refutation",
     lambda f: lambda cnf, proof, **k: _accept_all(f(cnf, ["0"], **k))),
]


def _swap_first_segment(ds):
    """Leaves 0 and 1 of every tree exchange their depth-1 segment label (breaks the prefix structure)."""
    r = np.asarray(ds.responses).copy()
    r[0::8, 0], r[1::8, 0] = r[1::8, 0] + 1, r[0::8, 0]
    return ds._replace(responses=r)


def _accept_all(check):
    import dataclasses

    return dataclasses.replace(check, valid=True)


def _perturb_analysis(a):
    import dataclasses

    return dataclasses.replace(a, rank_in_component=a.rank_in_component[::-1].copy())


@pytest.mark.parametrize("cid,module,name,change", SABOTAGE, ids=[s[0] for s in SABOTAGE])
def test_a_wrong_library_function_turns_the_claim_into_fail(monkeypatch, cid, module, name, change):
    # the unpatched PASS is test_all_claims.py's (every claim, seed 0), not repeated here
    _wrap(monkeypatch, module, name, change)
    assert _run(cid) is Verdict.FAIL

"""Pieces of the safety claims (the claims themselves run in test_all_claims.py)."""

import numpy as np
import pytest

from aligntheory.proofs_check import REGISTRY, load_all
from aligntheory.proofs_check import safety as S
from aligntheory.theory import safety as T

SPEC_IDS = {"safety.tilt_optimal", "safety.dual_convex", "safety.strong_duality", "safety.multiplier_matches_cvx",
            "safety.projected_ascent_rate", "safety.log_update_stability", "safety.frontier_envelope",
            "safety.normalised_temperature", "safety.bt_identifiability"}


def test_every_spec_claim_registered_with_tags():
    load_all()
    # the reach claims of issue 11 are listed and checked in test_reach_claims.py; the argument-boundary
    # claims (_progress_boundaries, _safety_boundaries) in test_boundary_claims_b.py
    ids = {c.id for c in REGISTRY if c.pillar == "safety" and not any(m in c.check.__module__ for m in ("_reach_claims", "_progress_reach", "_safety_reach", "_boundaries"))}
    # the spec table exactly, plus the claims of issue 15 (registered with this pillar)
    assert ids == SPEC_IDS | {"safety.multiplier_window_stability", "safety.multiplier_oscillation_pid_damping",
                              # issue 11 round 3: the contract claim and the default-window closed forms
                              "safety.failure_contract", "safety.stability_defaults_one_rollout_window",
                              # issue 11 round 4
                              "safety.batched_multiplier_bracket_cap", "safety.replay_estimates_linear_curvature",
                              "safety.multiplier_root_two_outcomes",  # issue 11 round 5
                              "safety.multiplier_replay_defaults",  # issue 11 round 6
                              # issue 11 round 7
                              "safety.optimal_multiplier_branch_table", "safety.dual_ascent_trace_and_final",
                              "safety.primal_dual_trace_defaults", "safety.pid_sweep_delay_integral_derivative",
                              "safety.cost_model_fit_defaults",
                              "safety.smoothness_constant_bound_object",  # issue 11 round 8
                              # issue 11 round 9
                              "safety.dual_preferences_simulation_law", "safety.cost_model_ridge_gauge_and_composition",
                              "safety.multiplier_sweep_cap_and_defaults",
                              # issue 11 round 10 (_safety_r10; _safety_analysis_r10)
                              "safety.dual_ascent_default_caps_at_edge", "safety.replay_table_matches_update",
                              # issue 11 round 11 (_safety_r11)
                              "safety.stability_matches_high_precision_roots",
                              "safety.projected_ascent_bound_value_and_expression"}
    # spec §B.4 table, exactly
    assert REGISTRY.get("safety.log_update_stability").rice == frozenset({"R", "C"})  # Part C example
    assert REGISTRY.get("safety.bt_identifiability").rice == frozenset({"I", "R"})
    for i in SPEC_IDS:
        assert REGISTRY.get(i).stage == "forward:feedback"
    assert "1e-12" in REGISTRY.get("safety.tilt_optimal").tolerance  # tight Clarabel settings fixed in advance


def test_tight_clarabel_settings_are_the_spec_values():
    assert T.TIGHT_CLARABEL == {"tol_gap_abs": 1e-12, "tol_gap_rel": 1e-12, "tol_feas": 1e-12, "tol_ktratio": 1e-10}


def test_reference_instance_is_fixed_and_budget_cases_ordered():
    a, b = S.reference_instance(), S.reference_instance()
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    ref, r, c, beta = a
    cases = S._budget_cases(ref, r, c, beta)
    ec0 = float(T.tilted_policy(ref, r, c, 0.0, beta) @ c)
    assert c.min() < cases["min c + 0.2"] and cases["mid-range"] < cases["just below E_pi0[c]"] < ec0
    assert cases["inactive"] > ec0
    assert S._budget_between(ref, r, c, beta, 0.0) == pytest.approx(c.min(), rel=1e-6, abs=0.0)
    assert S._budget_between(ref, r, c, beta, 1.0) == pytest.approx(ec0, rel=1e-6, abs=0.0)


def test_log_update_factor_threshold_behaviour_small():
    # the B-T4 mechanism on the two-response instance: factor 1 converges, factor 6 does not (fixed starts)
    ref, r, c = np.array([0.5, 0.5]), np.array([0.0, 1.0]), np.array([0.0, 1.0])
    beta, d = 0.5, 0.3
    lam_star = T.optimal_multiplier(ref, r, c, beta, d).lam
    unit = T.log_update_stability_factor(lam_star, 1.0, ref, r, c, beta)
    tr = T.dual_ascent(ref, r, c, beta, d, np.array([1.0, 6.0]) / unit, 3000, np.array([1.0, 1.0]), "log").lam
    assert abs(tr[-1, 0] - lam_star) < 1e-10
    assert abs(tr[-1, 1] - lam_star) > 1e-3

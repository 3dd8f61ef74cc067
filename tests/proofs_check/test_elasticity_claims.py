"""Tests of the elasticity claims' pieces (registration, instance generators, verdict rules).

Whole claims are run by the lead's central test at the quick tier; here only their parts are tested.
"""

from __future__ import annotations

import numpy as np
import pytest

import aligntheory.proofs_check.elasticity  # noqa: F401  (registers the claims)
from aligntheory.proofs_check._registry import REGISTRY, Verdict
from aligntheory.proofs_check.elasticity import _empirical_claims as EC
from aligntheory.proofs_check.elasticity import _theory_claims as TC
from aligntheory.proofs_check.elasticity import _theory_claims_e6_e9 as TC2
from aligntheory.theory import elasticity as T

SPEC_IDS = {
    "elasticity.e1_training_is_mixture", "elasticity.e2_closed_form_derivative", "elasticity.e3_hooke_identity",
    "elasticity.e4_onset_ratio_k", "elasticity.e5_perturbation_helps_itself", "elasticity.e6_opposite_model_bounds",
    "elasticity.e7_asymptotic_slopes", "elasticity.e7_asymptotic_limit", "elasticity.e8_disjoint_supports",
    "elasticity.e9_refinement_monotone", "elasticity.sample_finite_difference_ratio", "elasticity.huffman_bounds",
    "elasticity.rebound_two_phase", "elasticity.rebound_size_and_volume", "elasticity.rebound_resistance",
    "elasticity.rebound_dose_response",
}


def test_all_spec_claims_registered_with_tags():
    claims = {c.id: c for c in REGISTRY.select(pillars=["elasticity"])}
    assert SPEC_IDS <= set(claims)
    for cid in SPEC_IDS:
        c = claims[cid]
        assert c.rice and c.stage and c.tolerance.strip()
        assert any(s.key == "ji2024language" for s in c.sources)
    for cid in ("elasticity.rebound_two_phase", "elasticity.rebound_size_and_volume", "elasticity.rebound_resistance",
                "elasticity.rebound_dose_response"):
        assert claims[cid].kind == "empirical"


def test_opposite_triple_generator():
    rng = np.random.default_rng(0)
    for tight in (False, True):
        for _ in range(50):
            Pp, Pa, Pt = TC.opposite_triple(rng, tight=tight)
            assert T.is_opposite_configuration(Pp, Pa, Pt)
            assert T.cross_term_A(Pp, Pa, Pt) == pytest.approx(-1.0, abs=1e-12)
            if tight:
                r = Pt[Pt > 0] / Pp[Pt > 0]
                assert np.ptp(r) <= 1e-9 * r.max()


def test_random_dist_floor():
    p = TC.random_dist(np.random.default_rng(1), 64, conc=0.1)
    assert p.min() > 0 and abs(p.sum() - 1) < 1e-12


def test_e7_instances_respect_conditions():
    inst = TC2._e7_instances(np.random.default_rng(2), 20)
    for Pp, Pa, Pt, l, A, chi2, rm in inst:
        assert abs(A + l * chi2) >= 0.05 * (abs(A) + l * chi2)
        assert rm == pytest.approx(np.max((Pa + l * Pt)[(Pa + Pt) > 0] / Pp[(Pa + Pt) > 0]), rel=1e-6, abs=0.0)


def test_e6_mutated_bound_is_caught_on_tight_instances():
    # the tight instance attains the upper bound; a bound with chi^2 for (1 + chi^2) is strictly smaller
    rng = np.random.default_rng(3)
    Pp, Pa, Pt = TC.opposite_triple(rng, M=10, tight=True)
    chi2 = T.chi_square(Pt, Pp)
    k, l = 100.0, 0.5 / chi2
    R = T.elasticity_ratio(Pp, Pa, Pt, k, l)
    assert R > (k + l * chi2) / (1 - l * chi2) * (1 + 1e-10)


def test_e9_tree_configuration_and_monotone_curve():
    import jax

    rng = np.random.default_rng(4)
    Pp, Pa, Pt = TC2.e9_tree(rng, jax.random.PRNGKey(0), D=5)
    assert T.is_opposite_configuration(Pp, Pa, Pt)
    for d in range(1, 6):
        assert T.is_opposite_configuration(*(T.prune_leaf_probs(P, 2, 5, d) for P in (Pp, Pa, Pt)))
    chi2 = T.chi_square(Pt, Pp)
    R, gp = TC2.e9_curve(Pp, Pa, Pt, 1e3, 0.5 / chi2, D=5)
    assert np.all(np.diff(R) >= -1e-9 * R[:-1]) and np.all(gp < 0)


def test_empirical_decision_rule():
    # the binomial rule: PASS at >= 80% of >= 5 seeds; CONTRADICTED when the exact 95% interval lies below 0.8
    assert EC.decide_rate(5, 5)[0] is Verdict.PASS and EC.decide_rate(4, 5)[0] is Verdict.PASS
    assert EC.decide_rate(4, 4)[0] is Verdict.INCONCLUSIVE  # fewer than 5 seeds never counts as reproduced
    assert EC.decide_rate(0, 5)[0] is Verdict.CONTRADICTED and EC.decide_rate(1, 5)[0] is Verdict.CONTRADICTED
    v, text = EC.decide_rate(2, 5)
    assert v is Verdict.INCONCLUSIVE and "would" in text  # says what would decide
    # Clopper-Pearson by hand: the upper limit for 1/5 solves P(X <= 1 | p) = 0.025, p = 0.7164
    from scipy import stats
    assert abs(stats.binom.cdf(1, 5, 0.7164) - 0.025) < 1e-4
    assert EC.combine({"lowrank": Verdict.PASS, "mlp": Verdict.PASS}) is Verdict.PASS
    assert EC.combine({"lowrank": Verdict.CONTRADICTED, "mlp": Verdict.CONTRADICTED}) is Verdict.CONTRADICTED
    assert EC.combine({"lowrank": Verdict.PASS, "mlp": Verdict.CONTRADICTED}) is Verdict.INCONCLUSIVE
    p = EC.power_figures(5)
    # by hand: P(X <= 1 | n=5, p=0.2) = 0.8^5 + 5*0.2*0.8^4 = 0.73728; P(X >= 4 | 0.95) = 0.95^5 + 5*0.05*0.95^4
    assert p["P(CONTRADICTED | true rate 0.2)"] == round(0.8**5 + 5 * 0.2 * 0.8**4, 3)
    assert p["P(PASS | true rate 0.95)"] == round(0.95**5 + 5 * 0.05 * 0.95**4, 3)
    assert EC._spearman([1, 2, 3, 4], [1, 3, 2, 4]) >= 0.8  # exactly 1 - 6*2/(4*15) = 0.8
    assert EC._spearman([1, 2, 3], [1, 1, 1]) == 0.0  # constant input: no evidence of growth


def test_effect_decision_rule_against_hand_computed_z_scores():
    from aligntheory.proofs_check.elasticity import _decide as D

    # mean 0.3, sd of (0.28, 0.30, 0.32, 0.30, 0.30) = sqrt(0.0008/4) = 0.01414, se = 0.006325: z = 47.4
    v, nums, _ = D.decide_effect([0.28, 0.30, 0.32, 0.30, 0.30], min_effect=0.05, what="x")
    assert v is Verdict.PASS and nums["z against no effect"] == pytest.approx(0.3 / (np.sqrt(0.0002) / np.sqrt(5)), rel=1e-3, abs=0.0)
    # shown below zero: the opposite direction
    assert D.decide_effect([-0.28, -0.30, -0.32, -0.30, -0.30], min_effect=0.0, what="x")[0] is Verdict.CONTRADICTED
    # mean 0.5, sd 0.1 over 4 seeds (0.4, 0.5, 0.6, 0.5 -> sd sqrt(0.02/3)), se 0.0408: z 12 > 4 but the mean is not
    # above min_effect 0.7, and mean + 2 se = 0.582 < 0.7: an effect of 0.7 is excluded
    v, nums, _ = D.decide_effect([0.4, 0.5, 0.6, 0.5], min_effect=0.7, what="x")
    assert v is Verdict.CONTRADICTED and nums["upper bound (mean + 2 se)"] == pytest.approx(0.5 + 2 * np.sqrt(0.02 / 3) / 2, rel=1e-6, abs=0.0)
    # z = 0.06 / (0.1 / sqrt(4)) = 1.2: neither; seeds that would show it: (4 * 0.1 / 0.06)^2 = 44.4 -> 45
    v, nums, text = D.decide_effect([-0.0266, 0.0866, 0.1466, 0.0334], min_effect=0.0, what="x")
    sd = float(np.std([-0.0266, 0.0866, 0.1466, 0.0334], ddof=1))
    assert v is Verdict.INCONCLUSIVE and "would decide" in text
    assert nums["seeds that would decide at this mean and spread"] == int(np.ceil((4 * sd / 0.06) ** 2))
    assert D.decide_effect([0.1], min_effect=0.0, what="x")[0] is Verdict.INCONCLUSIVE  # one seed: no spread
    every = D.combine_every
    assert every({"a": Verdict.PASS, "b": Verdict.PASS}) is Verdict.PASS
    assert every({"a": Verdict.PASS, "b": Verdict.CONTRADICTED}) is Verdict.CONTRADICTED
    assert every({"a": Verdict.INCONCLUSIVE, "b": Verdict.PASS}) is Verdict.INCONCLUSIVE


def test_spearman_threshold_is_the_spec_criterion_on_the_four_point_lattice():
    from itertools import permutations

    from aligntheory.proofs_check.elasticity._empirical_claims import SPEARMAN_MIN

    values = {round(EC._spearman([1, 2, 3, 4], list(p)), 12) for p in permutations([1, 2, 3, 4])}
    # 1 - 6 sum d^2 / 60 with sum d^2 even in 0..20: the lattice 1, 0.8, ..., -1
    assert values == {round(1 - 6 * d / 60, 12) for d in range(0, 21, 2)}
    assert all((v > SPEARMAN_MIN) == (v >= 0.8) for v in values)


def test_protocol_seeds_come_from_the_context_and_are_prefix_consistent():
    from aligntheory.proofs_check._registry import Context
    from aligntheory.proofs_check.elasticity._protocol import SEED_STREAM, protocol_seeds

    a, b = protocol_seeds(Context(seed=3), 4), protocol_seeds(Context(seed=3), 10)
    assert a == b[:4] and len(set(b)) == 10
    assert protocol_seeds(Context(seed=4), 4) != a
    want = Context(seed=3).rng(SEED_STREAM).integers(0, 2**31 - 1, size=4)
    assert a == tuple(int(x) for x in want)


def test_dose_response_rule_on_hand_computed_slopes():
    # per-seed log-log slopes of (s_x at T_a = 100, 300, 1000); least squares by hand for one seed
    from aligntheory.proofs_check.elasticity import _decide as D

    x = np.log([100.0, 300.0, 1000.0])
    y = np.log([300.0, 850.0, 1250.0])
    slope = float(((x - x.mean()) * (y - y.mean())).sum() / ((x - x.mean()) ** 2).sum())
    assert slope == pytest.approx(float(np.polyfit(x, y, 1)[0]), rel=1e-12, abs=0.0)
    # steps growing with T_a in every seed: the decrease -slope is shown negative, CONTRADICTED
    slopes = [slope, 0.35, 0.42, 0.30, 0.38]
    assert D.decide_effect([-s for s in slopes], min_effect=0.0, what="x")[0] is Verdict.CONTRADICTED
    assert D.decide_effect(slopes, min_effect=0.0, what="x")[0] is Verdict.PASS  # the mirror image passes

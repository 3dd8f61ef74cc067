"""Issue #11 round 5 (elasticity, social choice, progress, safety): each new claim and contract row can fail.

Each test plants, through ``monkeypatch``, the behaviour of a surviving mutant of the second fresh
sample (docs/mutation-report/fresh-r4/oth.md), or of a bug of the same class, in the public function
a claim measures and asserts that the claim's verdict is FAIL; the unpatched claims PASS.
"""

from __future__ import annotations

import numpy as np
import pytest

from aligntheory.proofs_check import Context, Verdict, load_all

REG = load_all()
NEW = ["elasticity.support_predicates_enumerated", "safety.multiplier_root_two_outcomes",
       "social_choice.empirical_welfare_chunked_blocks", "progress.vote_simulation_exact_parts"]


def _verdict(cid: str) -> Verdict:
    return REG.get(cid).run(Context(seed=0)).verdict


@pytest.mark.parametrize("cid", NEW)
def test_round5_claims_pass_unpatched(cid):
    assert _verdict(cid) is Verdict.PASS


def test_support_predicates_see_a_mask_over_all_outcomes(monkeypatch):
    """Survivor 16d054433a: P_p > 0 required on every outcome ((P_a + P_t) >= 0) instead of on the union."""
    import aligntheory.theory.elasticity as T

    def mutant(P_p, P_a, P_t):
        Pp, Pa, Pt = (np.asarray(x, dtype=float) for x in (P_p, P_a, P_t))
        return bool(not np.any((Pa > 0) & (Pt > 0)) and np.all(Pp[(Pa + Pt) >= 0] > 0))

    monkeypatch.setattr(T, "is_opposite_configuration", mutant)
    assert _verdict("elasticity.support_predicates_enumerated") is Verdict.FAIL


def test_support_predicates_see_an_r_max_over_all_outcomes(monkeypatch):
    import aligntheory.theory.elasticity as T

    orig = T.r_max
    monkeypatch.setattr(T, "r_max", lambda P_p, P_a, P_t, l: orig(P_p, P_a, P_t, l) * (1 + 1e-14))
    assert _verdict("elasticity.support_predicates_enumerated") is Verdict.FAIL


def test_support_predicates_see_a_nan_r_max(monkeypatch):
    """r_max over all outcomes (mask ``>= 0``) gives 0/0 = NaN where P_p vanishes off the union."""
    import aligntheory.theory.elasticity as T

    orig = T.r_max

    def mutant(P_p, P_a, P_t, l):
        out = orig(P_p, P_a, P_t, l)
        return float("nan") if np.any(np.asarray(P_p) == 0) else out

    monkeypatch.setattr(T, "r_max", mutant)
    assert _verdict("elasticity.support_predicates_enumerated") is Verdict.FAIL


def test_multiplier_claim_sees_a_bracket_error_at_an_exact_root(monkeypatch):
    """Survivor 045cf9f124: ``f_hi <= 0`` stops the doubling on an exact root and raises BracketError."""
    import aligntheory.theory.safety as S
    from aligntheory.errors import BracketError

    orig = S.optimal_multiplier

    def mutant(*args, **kw):
        sol = orig(*args, **kw)
        if sol.active and sol.lam > 0 and np.log2(sol.lam) == round(np.log2(sol.lam)):
            raise BracketError("could not bracket", bracket=(sol.lam / 2, sol.lam))
        return sol

    monkeypatch.setattr(S, "optimal_multiplier", mutant)
    assert _verdict("safety.multiplier_root_two_outcomes") is Verdict.FAIL


def test_multiplier_claim_sees_an_undefined_iteration_count(monkeypatch):
    """The bug fixed in round 5: scipy's count (e.g. -707301640) reported for a root hit by the doubling."""
    import dataclasses

    import aligntheory.theory.safety as S

    orig = S.optimal_multiplier
    monkeypatch.setattr(S, "optimal_multiplier",
                        lambda *a, **k: dataclasses.replace(orig(*a, **k), iterations=-707301640))
    assert _verdict("safety.multiplier_root_two_outcomes") is Verdict.FAIL


def test_multiplier_claim_sees_a_loose_root(monkeypatch):
    import dataclasses

    import aligntheory.theory.safety as S

    orig = S.optimal_multiplier
    monkeypatch.setattr(S, "optimal_multiplier",
                        lambda *a, **k: dataclasses.replace(orig(*a, **k), lam=orig(*a, **k).lam * (1 + 1e-13)))
    assert _verdict("safety.multiplier_root_two_outcomes") is Verdict.FAIL


def test_chunked_welfare_claim_sees_rows_out_of_order(monkeypatch):
    """Survivor 2990303894 crashes the blocked route; a block layout that shifts rows fails too."""
    import aligntheory.kernels.social_choice as K

    orig = K.empirical_welfare_batched

    def shifted(*args, chunk=None, **kw):
        out = np.asarray(orig(*args, chunk=chunk, **kw))
        return out if chunk is None and "max_elements" not in kw else np.roll(out, 1, axis=0)

    monkeypatch.setattr(K, "empirical_welfare_batched", shifted)
    assert _verdict("social_choice.empirical_welfare_chunked_blocks") is Verdict.FAIL


def test_chunked_welfare_claim_sees_the_padding_returned(monkeypatch):
    import aligntheory.kernels.social_choice as K

    orig = K.empirical_welfare_batched

    def padded(*args, **kw):
        out = np.asarray(orig(*args, **kw))
        return np.vstack([out, out[:1]])

    monkeypatch.setattr(K, "empirical_welfare_batched", padded)
    assert _verdict("social_choice.empirical_welfare_chunked_blocks") is Verdict.FAIL


def test_vote_claim_sees_a_flipped_vote_rule(monkeypatch):
    """A vote probability (1 - mu)/2 instead of (1 + mu)/2 (the class of 345ee8124b: the threshold of the draw)."""
    import aligntheory.kernels.progress as K

    orig = K.simulate_vote_extrapolation
    monkeypatch.setattr(K, "simulate_vote_extrapolation", lambda key, mu, *a, **k: orig(key, -np.asarray(mu), *a, **k))
    assert _verdict("progress.vote_simulation_exact_parts") is Verdict.FAIL


def test_vote_claim_sees_wrong_estimates(monkeypatch):
    import aligntheory.kernels.progress as K

    orig = K.simulate_vote_extrapolation

    def shifted(*a, **k):
        r = orig(*a, **k)
        return K.VoteSimulation(r.votes, r.estimates + 2.0**-40)

    monkeypatch.setattr(K, "simulate_vote_extrapolation", shifted)
    assert _verdict("progress.vote_simulation_exact_parts") is Verdict.FAIL


def test_elasticity_contract_sees_pareto_scale_unchecked_or_default_moved(monkeypatch):
    """Survivors b3ae1b2ff2 (x_m > 0 not checked) and 2a1860c03b (default x_m = 0.0)."""
    import aligntheory.theory.elasticity as T

    orig = T.pareto_masses
    monkeypatch.setattr(T, "pareto_masses", lambda rng, M, alpha, x_m=1.0, **kw: orig(rng, M, alpha, **kw))
    assert _verdict("elasticity.failure_contract") is Verdict.FAIL
    monkeypatch.setattr(T, "pareto_masses", lambda rng, M, alpha, x_m=0.0, **kw: orig(rng, M, alpha, x_m, **kw))
    assert _verdict("elasticity.failure_contract") is Verdict.FAIL


def test_safety_contract_sees_integral_float_windows_accepted(monkeypatch):
    """Survivor 19ffed5df0: ``or`` -> ``and`` lets non-integer (and empty integer) window arrays through."""
    import aligntheory._validate as V
    import aligntheory.kernels.safety_multiplier as KM
    from aligntheory.errors import InvalidInputError

    def mutant(windows):
        w = np.atleast_1d(V.as_real_array("windows", windows))
        if w.ndim != 1 or w.size == 0 and w.dtype.kind not in "iu" or np.any(w < 1):
            raise InvalidInputError("windows", "must be a non-empty 1-D array of integers >= 1", received=w)
        return w.astype(np.int64)

    monkeypatch.setattr(KM, "_windows", mutant)
    assert _verdict("safety.failure_contract") is Verdict.FAIL

"""Issue #11 round 3 (social choice, progress, safety): each new claim can fail, and the noise-gain boundary.

Each test plants, through ``monkeypatch``, the behaviour of a surviving mutant (or of the fixed bug) in
the public function a claim measures and asserts that the claim's verdict is FAIL; the unpatched
claim PASSes. Expected values come from routes written here (exact Fractions for the noise gain).
"""

from __future__ import annotations

import functools
import math
import sys
from fractions import Fraction

import pytest

from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.proofs_check import Context, Verdict, load_all

REG = load_all()


def _verdict(cid: str) -> Verdict:
    return REG.get(cid).run(Context(seed=0)).verdict


def _gain(k: int, m: int) -> int:
    """||w||^2 of the Lagrange weights l_j(k + m) on the nodes 0..k, in exact rationals (written here)."""
    t = k + m
    total = Fraction(0)
    for j in range(k + 1):
        w = Fraction(1)
        for i in range(k + 1):
            if i != j:
                w *= Fraction(t - i, j - i)
        total += w * w
    assert total.denominator == 1
    return int(total)


def test_noise_gain_accepts_every_gain_float64_holds_and_refuses_the_next():
    """Round-1 survivor d17f41527a exposed a guard refusing 1024-bit gains below the float64 maximum."""
    from aligntheory.proofs_check._progress_contract import NG_LAST, NG_ORDER
    from aligntheory.theory.progress import noise_gain

    last, nxt = _gain(NG_ORDER, NG_LAST), _gain(NG_ORDER, NG_LAST + 1)
    assert last.bit_length() == 1024 and last <= int(sys.float_info.max)  # above 2^1023, within float64
    assert nxt > int(sys.float_info.max)
    g = noise_gain(NG_ORDER, NG_LAST)
    assert int(g) == last and math.isfinite(float(g))
    with pytest.raises(PrecisionError):
        noise_gain(NG_ORDER, NG_LAST + 1)
    assert int(noise_gain(25, 7_667_666)) == _gain(25, 7_667_666)  # the example of the bug report


@pytest.mark.parametrize("cid", ["social_choice.failure_contract", "social_choice.swf_counts_match_enumeration",
                                 "social_choice.profile_forms_agree", "progress.failure_contract",
                                 "safety.failure_contract", "safety.stability_defaults_one_rollout_window"])
def test_new_claims_pass_unpatched(cid):
    assert _verdict(cid) is Verdict.PASS


def test_progress_contract_fails_on_the_old_noise_gain_guard(monkeypatch):
    import aligntheory.theory.progress as T

    orig = T.noise_gain

    def old_guard(order, steps_ahead):  # the guard before the fix: bit_length > 1023 refused
        g = orig(order, steps_ahead)
        if int(g).bit_length() > 1023:
            raise PrecisionError("order, steps_ahead: the noise gain exceeds the float64 range")
        return g

    monkeypatch.setattr(T, "noise_gain", old_guard)
    assert _verdict("progress.failure_contract") is Verdict.FAIL


def test_progress_contract_fails_when_a_bad_vote_is_reported_wrongly(monkeypatch):
    import aligntheory.theory.progress as T

    orig = T.extrapolated_vote

    def wrong_received(votes, *a, **k):  # mutant 108e50d588: the error names another entry
        try:
            return orig(votes, *a, **k)
        except InvalidInputError as exc:
            raise InvalidInputError("votes", exc.constraint, received=0) from None

    monkeypatch.setattr(T, "extrapolated_vote", wrong_received)
    assert _verdict("progress.failure_contract") is Verdict.FAIL


def test_social_choice_contract_fails_when_integral_floats_are_refused(monkeypatch):
    import aligntheory.theory.social_choice as T

    orig = T.check_order

    def strict(order, *a, **k):  # mutant dcef987fb2: integral floats refused
        if any(isinstance(v, float) for v in order):
            raise InvalidInputError(k.get("name", "order"), "must hold integers")
        return orig(order, *a, **k)

    monkeypatch.setattr(T, "check_order", strict)
    assert _verdict("social_choice.failure_contract") is Verdict.FAIL


def test_social_choice_contract_fails_when_empty_profiles_pass(monkeypatch):
    import aligntheory.theory.social_choice as T

    monkeypatch.setattr(T, "check_profile", lambda profile, counts=None, **k: T.CheckedProfile(profile, counts))
    assert _verdict("social_choice.failure_contract") is Verdict.FAIL


def test_swf_count_claim_fails_on_a_wrong_count(monkeypatch):
    import aligntheory.theory.social_choice as T

    orig = T.count_social_welfare_functions
    monkeypatch.setattr(T, "count_social_welfare_functions",
                        lambda n, m, **k: orig(n, m, **k) + (1 if k.get("non_dictatorship") else 0))
    assert _verdict("social_choice.swf_counts_match_enumeration") is Verdict.FAIL


def test_profile_forms_claim_fails_on_wrong_margins(monkeypatch):
    import aligntheory.theory.social_choice as T

    orig = T.margins
    monkeypatch.setattr(T, "margins", lambda p, counts=None: orig(p, counts).T)  # transposed: a sign error
    assert _verdict("social_choice.profile_forms_agree") is Verdict.FAIL


def test_safety_contract_fails_on_a_raised_step_cap(monkeypatch):
    import aligntheory.theory.safety as S

    monkeypatch.setattr(S, "dual_ascent", functools.partial(S.dual_ascent, max_steps=100_001))  # cad4b8f00f
    assert _verdict("safety.failure_contract") is Verdict.FAIL


def test_safety_contract_fails_when_pid_overflow_is_flagged_silently(monkeypatch):
    from aligntheory.theory.safety import _lagrangian as L

    orig = L._run

    def silent(*a):  # mutant 1fc146afc7: the replay runs with throw=False (overflow flagged, not raised)
        return orig(*a[:-1], False)

    monkeypatch.setattr(L, "_run", silent)
    assert _verdict("safety.failure_contract") is Verdict.FAIL


def test_stability_defaults_claim_fails_on_a_window_of_129(monkeypatch):
    from aligntheory.proofs_check import _safety_multiplier_claims as M

    monkeypatch.setattr(M, "pid_multiplier_stability", functools.partial(M.pid_multiplier_stability, window=129))
    assert _verdict("safety.stability_defaults_one_rollout_window") is Verdict.FAIL

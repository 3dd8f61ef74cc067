"""The social choice and safety claims of issue #11 round 6 can fail: each turns FAIL when the library function it
measures is replaced by the behaviour of a surviving mutant of the third fresh sample
(docs/mutation-report/fresh-r5/social_choice_safety.md), and PASSes unpatched.
"""

from __future__ import annotations

import dataclasses
import math

import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402
from aligntheory.errors import InvalidInputError, SizeCapError  # noqa: E402
from aligntheory.proofs_check import Context, Verdict, load_all  # noqa: E402

configure()
REG = load_all()

NEW = ("safety.multiplier_replay_defaults", "social_choice.iia_violation_witness",
       "social_choice.sat_instance_axioms_and_arcs", "social_choice.size_cap_reported_costs")


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


@pytest.mark.parametrize("cid", NEW)
def test_round6_claims_pass(cid):
    assert _run(cid) is Verdict.PASS


def test_replay_defaults_fail_under_window_129(monkeypatch):
    import aligntheory.theory.safety as S

    real = S.pid_multiplier_trajectory
    monkeypatch.setattr(S, "pid_multiplier_trajectory", lambda c, d=0.0, **kw: real(c, d, **{"window": 129, **kw}))
    assert _run("safety.multiplier_replay_defaults") is Verdict.FAIL


def test_iia_witness_fails_when_profile_is_a_flag(monkeypatch):
    import aligntheory.theory.social_choice as T

    real = T.iia_violation

    def mutant(*a, **kw):
        v = real(*a, **kw)
        return v if v is None else dataclasses.replace(v, profile=True)

    monkeypatch.setattr(T, "iia_violation", mutant)
    assert _run("social_choice.iia_violation_witness") is Verdict.FAIL


def test_sat_axioms_fail_when_iia_not_recorded(monkeypatch):
    import aligntheory.theory.social_choice as T

    real = T.positional_instance

    def mutant(*a, **kw):
        inst = real(*a, **kw)
        inst.axioms = {**inst.axioms, "iia": False}
        return inst

    monkeypatch.setattr(T, "positional_instance", mutant)
    assert _run("social_choice.sat_instance_axioms_and_arcs") is Verdict.FAIL


def test_sat_arcs_fail_when_arcs_dropped(monkeypatch):
    import aligntheory.theory.social_choice as T

    real = T.representative_instance
    def mutant(*a, privilege_graph=None, siia=True, **kw):  # arcs dropped under SIIA (2 models, not 1);
        return real(*a, siia=siia, privilege_graph=None if siia else privilege_graph, **kw)  # kept otherwise:
        # without SIIA an arc-free instance has a huge number of models

    monkeypatch.setattr(T, "representative_instance", mutant)
    assert _run("social_choice.sat_instance_axioms_and_arcs") is Verdict.FAIL


def test_reported_costs_fail_with_log2_of_m_minus_1_factorial(monkeypatch):
    import aligntheory.theory.social_choice as T

    def mutant(n, m, **kw):
        raise SizeCapError("n_voters", cap=1, cost=math.factorial(m - 1) ** n, unit="profiles")

    monkeypatch.setattr(T, "all_profiles", mutant)
    assert _run("social_choice.size_cap_reported_costs") is Verdict.FAIL


def test_safety_contract_fails_when_log_mode_refuses_lam0_below_1(monkeypatch):
    import aligntheory.kernels.safety as KS

    real = KS.simulate_primal_dual

    def mutant(*a, lam0=0.0, mode="projected", **kw):
        if mode == "log" and lam0 <= 1:
            raise InvalidInputError("lam0", "must be > 0 in log mode", received=lam0)
        return real(*a, lam0=lam0, mode=mode, **kw)

    monkeypatch.setattr(KS, "simulate_primal_dual", mutant)
    assert _run("safety.failure_contract") is Verdict.FAIL


def test_social_choice_contract_fails_with_a_smaller_working_set(monkeypatch):
    import aligntheory.kernels.social_choice as K

    real = K.ranks
    monkeypatch.setattr(K, "ranks", lambda p, **kw: real(p))  # the cap ignored: 135 accepted
    assert _run("social_choice.failure_contract") is Verdict.FAIL

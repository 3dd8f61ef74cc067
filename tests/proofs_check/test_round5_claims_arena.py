"""The round-5 arena and IBN-analysis claims (issue 11) pass, and each CAN fail.

Each test replaces the library function a claim measures by the behaviour of a mutant it must kill
(a wrong conductance, a wrong interval end, a refused size accepted, a single pair's distance 0)
and asserts the verdict FAIL.
"""

from __future__ import annotations

import numpy as np
import pytest

from aligntheory.config import configure
from aligntheory.proofs_check import Context, load_all
from aligntheory.proofs_check._registry import Verdict

configure()
REG = load_all()
IDS = ["arena.conductance_is_fisher_information", "arena.next_comparisons_match_brute_force",
       "arena.interval_ends_are_bootstrap_quantiles", "arena.failure_contract", "arena.standard_errors_are_inverse_fisher",
       "ibn.analysis_resistance_tables_match_networkx", "ibn.analysis_failure_contract",
       "ibn.analysis_structure_tables_match_networkx", "ibn.analysis_sample_size_is_bisection_root"]


def _verdict(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


@pytest.mark.parametrize("cid", IDS)
def test_claim_passes(cid):
    assert _verdict(cid) == Verdict.PASS


def test_conductance_claim_fails_on_a_wrong_rao_kupper_term(monkeypatch):
    import aligntheory.analysis.arena as A
    from aligntheory.analysis import _arena_fit as F

    orig = A._unit_conductance

    def wrong(ties, d, tau):  # the surviving mutant: q1 = sigma(tau + d) instead of sigma(tau - d)
        if ties != "rao_kupper" or not tau:
            return orig(ties, d, tau)
        pw, pl = F.sigmoid(d - tau), F.sigmoid(-d - tau)
        pt = 1 - pw - pl
        q = F.sigmoid(tau + d)
        return (pw + pt) * q * (1 - q) + (pl + pt) * q * (1 - q)

    monkeypatch.setattr(A, "_unit_conductance", wrong)
    assert _verdict("arena.conductance_is_fisher_information") == Verdict.FAIL


def test_next_comparisons_claim_fails_on_a_wrong_gain(monkeypatch):
    import aligntheory.analysis._leaderboard as LB

    orig = LB._unit_conductance
    # candidate conductances 10 % off: the Sherman-Morrison gains no longer match the brute force
    monkeypatch.setattr(LB, "_unit_conductance", lambda t, d, tau: 1.1 * orig(t, d, tau))
    assert _verdict("arena.next_comparisons_match_brute_force") == Verdict.FAIL


def test_interval_claim_fails_on_a_wrong_quantile(monkeypatch):
    import aligntheory.analysis.arena as A

    real = np.quantile

    class _NP:  # numpy with the upper quantile of every interval moved (the 1 - alpha -> 0.5 - alpha family)
        def __getattr__(self, name):
            return getattr(np, name)

        @staticmethod
        def quantile(x, q, *a, **k):
            return real(x, 0.5 if np.ndim(q) == 0 and q > 0.5 else q, *a, **k)

    monkeypatch.setattr(A, "np", _NP())
    assert _verdict("arena.interval_ends_are_bootstrap_quantiles") == Verdict.FAIL


def test_arena_contract_fails_when_a_cap_is_not_checked(monkeypatch):
    import aligntheory._validate as VV
    import aligntheory.analysis.arena as A

    class _V:  # the validation module with the cap on models moved one up (an off-by-one at the cap)
        def __getattr__(self, name):
            return getattr(VV, name)

        @staticmethod
        def check_size(name, cost, *, cap, **k):
            return VV.check_size(name, cost, cap=cap + 1 if name == "n_models" else cap, **k)

    monkeypatch.setattr(A, "V", _V())
    assert _verdict("arena.failure_contract") == Verdict.FAIL


def test_resistance_claim_fails_when_one_pair_gives_zero(monkeypatch):
    import aligntheory.analysis.ibn as I

    orig = I._resistances

    def mutant(C, N, edges, cond_of, pairs, **kw):  # the surviving mutant: `len(pairs) == 1` returns zeros
        return np.zeros(1) if len(pairs) == 1 else orig(C, N, edges, cond_of, pairs, **kw)

    monkeypatch.setattr(I, "_resistances", mutant)
    assert _verdict("ibn.analysis_resistance_tables_match_networkx") == Verdict.FAIL


def test_analysis_contract_fails_when_the_default_sample_size_moves(monkeypatch):
    import aligntheory.analysis.ibn as I

    orig = I._sample_pairs

    def fewer(rng, C, n, mp):  # one pair fewer than max_pairs whenever max_pairs is reached
        p = orig(rng, C, n, mp)
        return p[: mp - 1] if len(p) >= mp else p

    monkeypatch.setattr(I, "_sample_pairs", fewer)
    assert _verdict("ibn.analysis_failure_contract") == Verdict.FAIL


def test_standard_error_claim_fails_on_a_wrong_delta_method(monkeypatch):
    import dataclasses

    import aligntheory.analysis.arena as A

    orig = A.leaderboard

    def wrong(*a, **k):  # the surviving mutant tau_hat / se instead of tau_hat * se (Davidson)
        lb = orig(*a, **k)
        if lb.ties != "davidson":
            return lb
        se_log = lb.tie_parameter_stderr / lb.tie_parameter
        return dataclasses.replace(lb, tie_parameter_stderr=lb.tie_parameter / se_log)

    monkeypatch.setattr(A, "leaderboard", wrong)
    assert _verdict("arena.standard_errors_are_inverse_fisher") == Verdict.FAIL


def test_interval_claim_fails_on_a_wrong_anchor_shift(monkeypatch):
    import dataclasses

    import aligntheory.analysis.arena as A

    orig = A.leaderboard

    def wrong(*a, **k):  # as the mutant rating - shift: anchored ratings off by a constant
        lb = orig(*a, **k)
        return lb if k.get("anchor") is None else dataclasses.replace(lb, rating=lb.rating + 1.0)

    monkeypatch.setattr(A, "leaderboard", wrong)
    assert _verdict("arena.interval_ends_are_bootstrap_quantiles") == Verdict.FAIL


def test_structure_claim_fails_on_wrong_degrees(monkeypatch):
    import dataclasses

    import aligntheory.analysis.ibn as I

    orig = I.analyse_preferences

    def wrong(*a, **k):  # as the mutant deg = 2 x (comparisons as winner): degrees doubled on one side
        an = orig(*a, **k)
        return dataclasses.replace(an, degrees=an.degrees + (np.arange(len(an.degrees)) == 0))

    monkeypatch.setattr(I, "analyse_preferences", wrong)
    assert _verdict("ibn.analysis_structure_tables_match_networkx") == Verdict.FAIL


def test_sample_size_claim_fails_on_a_wrong_bracket(monkeypatch):
    import aligntheory.analysis.ibn as I

    orig = I._multiplier
    monkeypatch.setattr(I, "_multiplier", lambda q90, target: (lambda r: (r[0] and 1.01 * r[0], r[1]))(
        orig(q90, target)))  # 1 % high: outside the bisection width
    assert _verdict("ibn.analysis_sample_size_is_bisection_root") == Verdict.FAIL

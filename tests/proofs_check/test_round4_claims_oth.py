"""Issue #11 round 4 (safety, social choice): each new claim and contract row can fail.

Each test plants, through ``monkeypatch``, the behaviour of a surviving mutant of the fresh sample
(docs/mutation-report/fresh-r3/oth.md) in the public function a claim measures and asserts that the
claim's verdict is FAIL; the unpatched claims PASS.
"""

from __future__ import annotations

import dataclasses
import functools

import networkx as nx
import pytest

from aligntheory.proofs_check import Context, Verdict, load_all

REG = load_all()
NEW = ["social_choice.finite_sample_sizes_beyond_float", "safety.batched_multiplier_bracket_cap",
       "safety.replay_estimates_linear_curvature", "social_choice.failure_contract"]


def _verdict(cid: str) -> Verdict:
    return REG.get(cid).run(Context(seed=0)).verdict


@pytest.mark.parametrize("cid", NEW)
def test_round4_claims_pass_unpatched(cid):
    assert _verdict(cid) is Verdict.PASS


def test_sample_size_claim_sees_a_wrong_sign_in_the_high_precision_numerator(monkeypatch):
    """Survivor 55b23bc48a: ln(2) + ln(delta) instead of ln(2) - ln(delta) beyond 2^50 samples."""
    import mpmath

    import aligntheory.theory.social_choice as T

    def mutant(eps, F, delta):
        with mpmath.workdps(400):
            return int(mpmath.ceil(0.5 * (mpmath.log(F) + mpmath.log(2) + mpmath.log(delta)) / mpmath.mpf(eps) ** 2))

    monkeypatch.setattr(T, "finite_class_sample_size", mutant)
    assert _verdict("social_choice.finite_sample_sizes_beyond_float") is Verdict.FAIL


@pytest.mark.parametrize("n_double", [1022, 65])
def test_bracket_cap_claim_sees_a_smaller_default(monkeypatch, n_double):
    """Survivor 01404f5762 (then: default n_double 65 instead of 64; since round 13 the default is 1023)."""
    import aligntheory.kernels.safety as K

    monkeypatch.setattr(K, "optimal_multiplier_batched",
                        functools.partial(K.optimal_multiplier_batched, n_double=n_double))
    assert _verdict("safety.batched_multiplier_bracket_cap") is Verdict.FAIL


def test_curvature_claim_sees_a_wrong_estimate(monkeypatch):
    """Survivor 72a3145ccd crashed the estimate (mismatched lengths); a biased estimate fails too."""
    import aligntheory.analysis.safety as A

    orig = A.replay_multiplier_log

    def biased(*args, **kw):
        rep = orig(*args, **kw)
        return dataclasses.replace(rep, curvature=rep.curvature * (1 + 1e-6))

    monkeypatch.setattr(A, "replay_multiplier_log", biased)
    assert _verdict("safety.replay_estimates_linear_curvature") is Verdict.FAIL


def test_contract_rows_see_a_rising_scoring_vector_accepted(monkeypatch):
    """Survivor 59aebd5b4f: np.diff(s) > 1 accepted [1, 0, 0.5, 0]."""
    import aligntheory.kernels.social_choice as K

    monkeypatch.setattr(K, "scoring_utilities", functools.partial(K.scoring_utilities, validate=False))
    assert _verdict("social_choice.failure_contract") is Verdict.FAIL


def test_contract_rows_see_zero_pairs_accepted(monkeypatch):
    """Survivor 1ba02eb0d2: n_pairs >= 0 let privilege_graph return an empty graph."""
    import aligntheory.theory.social_choice as T

    orig = T.privilege_graph
    monkeypatch.setattr(T, "privilege_graph", lambda phi, k, *a, **kw: nx.DiGraph() if k == 0 else orig(phi, k, *a, **kw))
    assert _verdict("social_choice.failure_contract") is Verdict.FAIL

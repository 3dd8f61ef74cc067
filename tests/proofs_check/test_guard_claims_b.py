"""The guard-condition claims of issue #11 round 10 (helper gB: progress, elasticity and safety theory, host
numerics, the IBN / safety / arena analysis) can fail: each turns FAIL when one condition of a raising guard it
covers is replaced by a single-token mutant (``or`` -> ``and``, an index or a bound moved by one);
test_all_claims.py runs them unpatched.
"""

from __future__ import annotations

import pytest

from aligntheory.config import configure
from aligntheory.proofs_check import Context, Verdict, load_all
from tests.proofs_check._plant import plant

configure()
REG = load_all()

IDS = ["progress.guard_conditions_theory", "elasticity.guard_conditions_theory", "safety.guard_conditions_theory",
       "ibn.guard_conditions_numerics", "arena.guard_conditions"]


def _run(cid: str) -> Verdict:
    return REG.get(cid).run(Context(seed=0)).verdict


@pytest.mark.parametrize("cid", IDS)
def test_guard_claims_are_registered_contracts(cid):
    # their unpatched PASS is tests/proofs_check/test_all_claims.py's (not repeated here)
    assert REG.get(cid).kind == "contract"


def test_progress_claim_fails_when_the_dimension_check_compares_lengths(monkeypatch):
    # _pair2d: `A.shape[1] != B.shape[1]` -> `A.shape[0] != B.shape[0]` (T = 2 vs T = 3 refused, d = 2 vs 3 accepted)
    plant(monkeypatch, "aligntheory.theory.progress._scores", "_pair2d", "if A.shape[1] != B.shape[1]",
          "if A.shape[0] != B.shape[0]")
    assert _run("progress.guard_conditions_theory") is Verdict.FAIL


def test_elasticity_claim_fails_when_a_negative_entry_needs_a_bad_sum(monkeypatch):
    # check_distribution: `mn < 0 or not abs(s - 1.0) <= SUM_TOL` -> `and` ((1.5, -0.5) accepted)
    plant(monkeypatch, "aligntheory.theory.elasticity._validation", "check_distribution",
          "mn < 0 or not abs", "mn < 0 and not abs", packages=("aligntheory.theory.elasticity",))
    assert _run("elasticity.guard_conditions_theory") is Verdict.FAIL


def test_safety_claim_fails_when_the_mask_needs_both_faults(monkeypatch):
    # _problem: `mask.dtype != bool or mask.shape != p.shape` -> `and` (an int mask of the right shape accepted)
    plant(monkeypatch, "aligntheory.theory.safety._tilt", "_problem", "mask.dtype != bool or mask.shape",
          "mask.dtype != bool and mask.shape")
    assert _run("safety.guard_conditions_theory") is Verdict.FAIL


def test_numerics_claim_fails_when_id_n_is_accepted(monkeypatch):
    # _index_pairs: `hi >= n` -> `hi > n` (id 3 of 3 items accepted)
    plant(monkeypatch, "aligntheory.numerics._bt_fit", "_index_pairs", "hi >= n", "hi > n",
          packages=("aligntheory.numerics.bradley_terry",))
    assert _run("ibn.guard_conditions_numerics") is Verdict.FAIL


def test_arena_claim_fails_when_an_anchor_triple_is_accepted(monkeypatch):
    # _check_anchor: `len(anchor) == 2` -> `len(anchor) >= 2` (('x', 0, 1) accepted)
    plant(monkeypatch, "aligntheory.analysis.arena", "_check_anchor", "len(anchor) == 2", "len(anchor) >= 2")
    assert _run("arena.guard_conditions") is Verdict.FAIL

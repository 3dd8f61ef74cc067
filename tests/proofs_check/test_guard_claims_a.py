"""The guard-condition claims of issue #11 round 10 (ibn and social-choice theory) can fail: each turns FAIL when
one condition of a raising guard it covers is replaced by a single-token mutant (``or`` made ``and``, a
comparison made weak, a constant moved), and PASSes unpatched.
"""

from __future__ import annotations

import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402
from aligntheory.proofs_check import Context, Verdict, load_all  # noqa: E402
from tests.proofs_check._plant import plant  # noqa: E402

configure()
REG = load_all()

IDS = ["ibn.guard_conditions_theory", "social_choice.guard_conditions_theory"]


def _run(cid: str) -> Verdict:
    return REG.get(cid).run(Context(seed=0)).verdict


@pytest.mark.parametrize("cid", IDS)
def test_guard_claims_registered_as_contracts(cid):
    c = REG.get(cid)
    assert c.kind == "contract"
    assert c.pillar == cid.split(".")[0]




def test_ibn_claim_fails_when_continuous_feedback_needs_both_p_and_delta_r(monkeypatch):
    # hp_edge_var: `p is not None or delta_r is not None` -> `and` (continuous feedback with p alone accepted)
    plant(monkeypatch, "aligntheory.theory.ibn._feedback", "hp_edge_var", "if p is not None or delta_r is not None:",
          "if p is not None and delta_r is not None:", packages=("aligntheory.theory.ibn",))
    assert _run("ibn.guard_conditions_theory") is Verdict.FAIL


def test_ibn_claim_fails_when_the_symmetry_tolerance_moves(monkeypatch):
    # from_matrix: `diff - 4 * _EPS * big` -> `diff - 5 * _EPS * big` (an asymmetry of 5 eps accepted)
    plant(monkeypatch, "aligntheory.theory.ibn._inputs", "from_matrix", "(diff - 4 * _EPS * big)",
          "(diff - 5 * _EPS * big)", packages=("aligntheory.theory.ibn",))
    assert _run("ibn.guard_conditions_theory") is Verdict.FAIL


def test_social_choice_claim_fails_when_scoring_normalisation_needs_both_ends(monkeypatch):
    # _check_scoring: `arr[0] != 1.0 or arr[-1] != 0.0` -> `and` (s_1 = 0.5 with s_k = 0 accepted)
    plant(monkeypatch, "aligntheory.theory.social_choice._welfare", "_check_scoring",
          "arr[0] != 1.0 or arr[-1] != 0.0", "arr[0] != 1.0 and arr[-1] != 0.0")
    assert _run("social_choice.guard_conditions_theory") is Verdict.FAIL


def test_social_choice_claim_fails_when_profile_counts_may_be_float(monkeypatch):
    # _counts: `c.shape != (n,) or c.dtype.kind not in "iu"` -> `and` (float counts of the right shape accepted)
    plant(monkeypatch, "aligntheory.theory.social_choice._profiles", "_counts",
          'c.shape != (n,) or c.dtype.kind not in "iu"', 'c.shape != (n,) and c.dtype.kind not in "iu"')
    assert _run("social_choice.guard_conditions_theory") is Verdict.FAIL

"""The argument-boundary claims of issue #11 round 9 (ibn, shared numerics, social choice, arena) can fail: each
turns FAIL when one validation of a function it covers is replaced by a single-token mutant (a bound moved by one
step, a flag flipped, a strict comparison made weak); test_all_claims.py runs them unpatched.
"""

from __future__ import annotations

import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402
from aligntheory.proofs_check import Context, Verdict, load_all  # noqa: E402
from tests.proofs_check._plant import plant  # noqa: E402

configure()
REG = load_all()

IDS = ["ibn.argument_boundaries_theory", "ibn.argument_boundaries_kernels", "ibn.argument_boundaries_numerics",
       "social_choice.argument_boundaries", "arena.argument_boundaries"]


def _run(cid: str) -> Verdict:
    return REG.get(cid).run(Context(seed=0)).verdict


@pytest.mark.parametrize("cid", IDS)
def test_boundary_claims_are_registered_contracts(cid):
    # their unpatched PASS is tests/proofs_check/test_all_claims.py's (not repeated here: the kernel rows compile)
    assert REG.get(cid).kind == "contract"


def test_theory_claim_fails_when_b_may_exceed_B(monkeypatch):
    # coverage_distance: `b, lo=2, hi=B` -> `hi=B + 1` (b = B + 1 accepted)
    plant(monkeypatch, "aligntheory.theory.ibn._universe", "coverage_distance", "lo=2, hi=B)", "lo=2, hi=B + 1)",
          packages=("aligntheory.theory.ibn",))
    assert _run("ibn.argument_boundaries_theory") is Verdict.FAIL


def test_theory_claim_fails_when_s2_may_be_negative(monkeypatch):
    # tree_cost: `s2, nonnegative=True` -> `nonnegative=False`
    plant(monkeypatch, "aligntheory.theory.ibn._mechanism", "tree_cost", '"s2", s2, nonnegative=True',
          '"s2", s2, nonnegative=False', packages=("aligntheory.theory.ibn",))
    assert _run("ibn.argument_boundaries_theory") is Verdict.FAIL


def test_kernels_claim_fails_when_eps_hi_moves(monkeypatch):
    # reff_sketch: `eps, positive=True, hi=1.0` -> `hi=2.0` (eps 1 + 2^-52 accepted)
    plant(monkeypatch, "aligntheory.kernels.ibn._solvers", "reff_sketch", "hi=1.0", "hi=2.0",
          packages=("aligntheory.kernels.ibn",))
    assert _run("ibn.argument_boundaries_kernels") is Verdict.FAIL


def test_kernels_claim_fails_when_the_ground_cap_is_divided(monkeypatch):
    # reff_pairs_pcg: the block cap `n * max(len(p), 1)` -> `n / max(len(p), 1)` (N k = 8 over 7 accepted)
    plant(monkeypatch, "aligntheory.kernels.ibn._solvers", "reff_pairs_pcg", "n * max(len(p), 1)",
          "n / max(len(p), 1)", packages=("aligntheory.kernels.ibn",))
    assert _run("ibn.argument_boundaries_kernels") is Verdict.FAIL


def test_numerics_claim_fails_when_prior_strength_may_be_negative(monkeypatch):
    plant(monkeypatch, "aligntheory.numerics.bradley_terry", "fit_bradley_terry", "prior_strength, nonnegative=True",
          "prior_strength, nonnegative=False", packages=("aligntheory.numerics",))
    assert _run("ibn.argument_boundaries_numerics") is Verdict.FAIL


def test_social_choice_claim_fails_when_vc_dim_zero_is_refused(monkeypatch):
    # vc_deviation: `vc_dim, lo=0` -> `lo=1` (the documented vc_dim 0 refused)
    plant(monkeypatch, "aligntheory.theory.social_choice._bounds", "vc_deviation", '"vc_dim", vc_dim, lo=0',
          '"vc_dim", vc_dim, lo=1', packages=("aligntheory.theory.social_choice",))
    assert _run("social_choice.argument_boundaries") is Verdict.FAIL


def test_arena_claim_fails_when_ci_one_is_accepted(monkeypatch):
    # leaderboard: `if not ci < 1` -> `if not ci <= 1`
    plant(monkeypatch, "aligntheory.analysis.arena", "leaderboard", "if not ci < 1", "if not ci <= 1")
    assert _run("arena.argument_boundaries") is Verdict.FAIL

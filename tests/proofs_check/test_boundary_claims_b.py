"""The argument-boundary claims of issue #11 round 9 (elasticity, safety, progress) can fail: each turns FAIL when
one validation of a function it covers is replaced by a single-token mutant (a bound moved by one step, a flag
flipped, a size cap's product turned into a quotient); test_all_claims.py runs them unpatched.
"""

from __future__ import annotations

import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402
from aligntheory.proofs_check import Context, Verdict, load_all  # noqa: E402
from tests.proofs_check._plant import plant  # noqa: E402

configure()
REG = load_all()

IDS = ["elasticity.argument_boundaries_theory", "elasticity.argument_boundaries_kernels",
       "safety.argument_boundaries_theory", "safety.argument_boundaries_kernels", "progress.argument_boundaries"]


def _run(cid: str) -> Verdict:
    return REG.get(cid).run(Context(seed=0)).verdict


def test_boundary_ids_registered():
    assert all(REG.get(cid).kind == "contract" for cid in IDS)


@pytest.mark.parametrize("cid", IDS)
def test_boundary_claims_are_registered_contracts(cid):
    # their unpatched PASS is tests/proofs_check/test_all_claims.py's (not repeated here: the kernel rows compile)
    assert REG.get(cid).kind == "contract"


def test_elasticity_theory_fails_when_pi_may_exceed_1(monkeypatch):
    # alignment_mass_curve: `pi, lo=0.0, hi=1.0` -> `hi=2.0` (pi = nextafter(1, 2) accepted)
    plant(monkeypatch, "aligntheory.theory.elasticity._bounds", "alignment_mass_curve", "lo=0.0, hi=1.0)",
          "lo=0.0, hi=2.0)", packages=("aligntheory.theory.elasticity",))
    assert _run("elasticity.argument_boundaries_theory") is Verdict.FAIL


def test_elasticity_theory_fails_when_depth_may_be_negative(monkeypatch):
    # tree_n_leaves: `depth, lo=0` -> `lo=-1`
    plant(monkeypatch, "aligntheory.theory.elasticity._distributions", "tree_n_leaves", '"depth", depth, lo=0)',
          '"depth", depth, lo=-1)', packages=("aligntheory.theory.elasticity",))
    assert _run("elasticity.argument_boundaries_theory") is Verdict.FAIL


def test_elasticity_kernels_fails_when_v_bound_moves_up(monkeypatch):
    # make_protocol_data: `V, lo=2 * n_tokens` -> `lo=3 * n_tokens` (V = 16 = 2 * 8, at its bound, refused)
    plant(monkeypatch, "aligntheory.kernels.elasticity._simulate", "make_protocol_data", "lo=2 * n_tokens)",
          "lo=3 * n_tokens)", packages=("aligntheory.kernels.elasticity",))
    assert _run("elasticity.argument_boundaries_kernels") is Verdict.FAIL


def test_safety_theory_fails_when_ki_may_be_negative(monkeypatch):
    # pid_multiplier_trajectory: `ki, nonnegative=True` -> `nonnegative=False`
    plant(monkeypatch, "aligntheory.theory.safety._lagrangian", "pid_multiplier_trajectory",
          'ki_ = V.check_scalar("ki", ki, nonnegative=True)', 'ki_ = V.check_scalar("ki", ki, nonnegative=False)',
          packages=("aligntheory.theory.safety",))
    assert _run("safety.argument_boundaries_theory") is Verdict.FAIL


def test_safety_kernels_fails_when_size_cap_is_a_quotient(monkeypatch):
    # simulate_primal_dual: `n * (ns + 3) + w` -> `n / (ns + 3) + w` (an 11-entry trace passes a cap of 10)
    plant(monkeypatch, "aligntheory.kernels.safety._policy", "simulate_primal_dual", "n * (ns + 3) + w",
          "n / (ns + 3) + w", packages=("aligntheory.kernels.safety",))
    assert _run("safety.argument_boundaries_kernels") is Verdict.FAIL


def test_progress_fails_when_steps_ahead_may_pass_10_6(monkeypatch):
    # coevolution_stability: `hi=10**6` -> `hi=10**6 + 1`
    plant(monkeypatch, "aligntheory.theory.progress._coevolution", "coevolution_stability", "hi=10**6)",
          "hi=10**6 + 1)", packages=("aligntheory.theory.progress",))
    assert _run("progress.argument_boundaries") is Verdict.FAIL

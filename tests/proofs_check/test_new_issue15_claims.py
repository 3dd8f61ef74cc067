"""Issue 15 claims (multiplier dynamics, ProgressGym histories): verdicts at several seeds, and they can fail."""

import importlib

import pytest

from aligntheory.proofs_check import Context, load_all
from aligntheory.proofs_check._registry import Verdict

SAFETY = ("safety.multiplier_window_stability", "safety.multiplier_oscillation_pid_damping")


@pytest.fixture(scope="module")
def registry():
    reg = load_all()
    importlib.import_module("aligntheory.proofs_check._safety_multiplier_claims")
    return reg


@pytest.mark.parametrize("cid", SAFETY)
@pytest.mark.parametrize("seed", [0, 3])
def test_safety_claims_pass(registry, cid, seed):
    ev = registry.get(cid).run(Context(seed=seed))
    assert ev.verdict is Verdict.PASS, (ev.counterexample, ev.traceback)


def test_stability_claim_fails_with_a_wrong_gain(registry, monkeypatch):
    # a linearisation that forgets one factor lambda* in a = eta lambda*^2 kappa must be caught
    mod = importlib.import_module("aligntheory.proofs_check._safety_multiplier_claims")
    real = mod.log_multiplier_stability
    monkeypatch.setattr(mod, "log_multiplier_stability",
                        lambda lam, kappa, eta, **kw: real(lam, kappa, eta / lam, **kw))
    ev = registry.get(SAFETY[0]).run(Context(seed=0))
    assert ev.verdict is Verdict.FAIL

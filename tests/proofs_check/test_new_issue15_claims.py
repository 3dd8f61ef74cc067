"""Issue 15 claims (multiplier dynamics, ProgressGym histories): verdicts at several seeds, and they can fail."""

import importlib

import pytest

from aligntheory.proofs_check import Context, load_all
from aligntheory.proofs_check._registry import Verdict

SAFETY = ("safety.multiplier_window_stability", "safety.multiplier_oscillation_pid_damping")
PROGRESS = ("progress.history_is_lagrange", "progress.history_copies_random_walk")


@pytest.fixture(scope="module")
def registry():
    reg = load_all()
    importlib.import_module("aligntheory.proofs_check._safety_multiplier_claims")
    importlib.import_module("aligntheory.proofs_check._progress_history_claims")
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


@pytest.mark.parametrize("cid", PROGRESS)
def test_progress_claims_pass(registry, cid):
    ev = registry.get(cid).run(Context(seed=1))
    assert ev.verdict is Verdict.PASS, (ev.counterexample, ev.traceback)


@pytest.mark.parametrize("cid", PROGRESS)
def test_progress_claims_catch_a_wrong_cap(registry, monkeypatch, cid):
    from dataclasses import replace

    import numpy as np

    mod = importlib.import_module("aligntheory.proofs_check._progress_history_claims")
    real = mod.extrapolate_preference_history

    def capped_at_three(*a, **kw):
        h = real(*a, **kw)
        return replace(h, copies=np.minimum(h.copies, 3))

    monkeypatch.setattr(mod, "extrapolate_preference_history", capped_at_three)
    assert registry.get(cid).run(Context(seed=1)).verdict is Verdict.FAIL

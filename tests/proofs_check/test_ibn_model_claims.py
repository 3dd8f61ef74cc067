"""The IBN model/mechanism claims catch plausible bugs, keep their old ids, and decide (issue #11)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from aligntheory.proofs_check import Context, load_all
from aligntheory.proofs_check._registry import Verdict
from aligntheory.results import Bound
from aligntheory.theory import ibn as T


@pytest.fixture(scope="module")
def reg():
    return load_all()


@pytest.mark.parametrize("old,new", [("ibn.chain_tree_ratio_theta", "ibn.mechanism_ratio_theta_arithmetic"),
                                     ("ibn.chain_vs_tree_simulation", "ibn.mechanism_ratio_vs_simulation")])
def test_old_ids_resolve(reg, old, new):
    assert reg.get(old).id == new


def test_theta_claim_says_it_checks_the_models_own_arithmetic(reg):
    c = reg.get("ibn.mechanism_ratio_theta_arithmetic")
    assert "OUR mechanism model only" in c.statement and "not the paper's claim" in c.statement


def test_theta_claim_passes_and_catches_a_factor_error(reg, monkeypatch):
    c = reg.get("ibn.mechanism_ratio_theta_arithmetic")
    assert c.run(Context(seed=0)).verdict is Verdict.PASS
    real = T.chain_tree_ratio

    def off(*a, **k):  # h_T ignored: a factor-2 error the loose band [0.25, 4] alone cannot see
        b = real(*a, **k)
        return dataclasses.replace(b, value=2.0 * float(b))

    monkeypatch.setattr(T, "chain_tree_ratio", off)
    assert c.run(Context(seed=0)).verdict is Verdict.FAIL


def test_decoder_claim_is_not_blind_to_a_looser_bound(reg, monkeypatch):
    c = reg.get("ibn.decoder_lemma")
    real = T.decoder_bounds

    def loose(eps, beta):
        b = real(eps, beta)
        return dataclasses.replace(b, sup_log_ratio=dataclasses.replace(b.sup_log_ratio,
                                                                        value=1.01 * float(b.sup_log_ratio)))

    monkeypatch.setattr(T, "decoder_bounds", loose)
    ev = c.run(Context(seed=0))
    assert ev.verdict is Verdict.FAIL


def test_log_ratio_bootstrap_against_known_ratio():
    # chain distances 3x the tree's, lognormal noise: ln ratio ~ ln 3; SE shrinks like 1/sqrt(pairs * seeds)
    rng = np.random.default_rng(0)
    dist = np.empty((8, 2, 400))
    dist[:, 0] = 3.0 * rng.lognormal(0.0, 0.3, (8, 400))
    dist[:, 1] = rng.lognormal(0.0, 0.3, (8, 400))
    from aligntheory.analysis import chain_tree as CT  # the nested bootstrap moved there with issue 16

    est, se, ci = CT._log_ratio_boot(dist[:, 0], dist[:, 1], np.random.default_rng(1), n_boot=500)
    assert ci[0] < est < ci[1]
    assert est == pytest.approx(np.log(3.0), abs=4 * se)
    # the mean of a lognormal(0, 0.3) has relative SD 0.307 per draw; two means of 3200 draws: SE ~ 0.0077
    assert 0.004 < se < 0.015


def test_bound_results_used_by_claims_behave_as_numbers():
    r = T.chain_tree_ratio(1e4, T.StructuralFunction("poly", 1.0, 1.0), 0.0)
    assert isinstance(r, Bound) and np.log(float(r)) == pytest.approx(np.log(2.513966656340), rel=1e-10, abs=0.0)

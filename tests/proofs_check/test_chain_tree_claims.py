"""Decision logic of the issue-16 chain-vs-tree claims on synthetic maps (the sweep itself is tested in
tests/analysis/test_chain_tree.py; the claims run end to end in tests/proofs_check/test_all_claims.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from aligntheory.analysis.chain_tree import REFERENCE_CONFIG, ChainTreeMap
from aligntheory.analysis.chain_tree import _crossover as crossover
from aligntheory.proofs_check import Context, load_all
from aligntheory.proofs_check.ibn import _chain_tree_claims as CTC

IDS = ("ibn.tree_beats_chain_beyond_crossover", "ibn.chain_tree_ratio_growth", "ibn.mechanism_ratio_vs_simulation")


def _map(ratios, se=0.05):
    ns = np.array([2**k for k in range(10, 10 + 2 * len(ratios), 2)], dtype=np.int64)
    lr = np.log(np.asarray(ratios, dtype=float))[None, :]
    ci = np.stack([lr - 1.96 * se, lr + 1.96 * se], axis=-1)
    cross = crossover(ns.astype(float), lr[0])
    sel = ns >= (cross if cross is not None else np.inf)
    head = np.log(ns[sel]) / np.log(np.log(ns[sel]))
    q = tuple(np.exp(lr[0][sel]) / head)
    means = np.stack([np.exp(lr), np.ones_like(lr)], axis=-1)
    return ChainTreeMap((REFERENCE_CONFIG,), ns, means, means, lr, lr, ci, ci, np.full(lr.shape, se),
                        np.tile(ns, (1, 1)), (cross,), (q,), (None,), 4, 16, ("splu",))


@pytest.fixture()
def fake(monkeypatch):
    box = {}
    monkeypatch.setattr(CTC, "_sweep", lambda ctx: box["map"])
    return box


def _run(cid):
    return load_all().get(cid).run(Context(seed=0)).verdict.value


def test_registered():
    reg = load_all()
    for cid in IDS:
        assert reg.get(cid).id == cid


def test_chain_winning_throughout_is_contradicted(fake):
    fake["map"] = _map([0.1, 0.3, 0.6])
    assert _run(IDS[0]) == "CONTRADICTED"
    assert _run(IDS[1]) == "CONTRADICTED"


def test_crossover_with_log_growth_passes(fake):
    ns = np.array([2.0**k for k in (10, 12, 14, 16)])
    head = np.log(ns) / np.log(np.log(ns))
    r = 0.5 * head - np.array([1.2, 0.6, 0.0, -0.6])  # below 1 at first, then grows like the rate
    fake["map"] = _map(np.maximum(r, 0.2))
    assert _run(IDS[0]) == "PASS"
    fake["map"] = _map([0.5, *(0.4 * head[1:])])  # ratio = 0.4 ln n / ln ln n beyond the crossover
    assert _run(IDS[1]) == "PASS"
    fake["map"] = _map([0.5, 1.5, 2.2, 2.8])  # q = 0.38, 0.52, 0.61: drift 0.17 > 0.1, a faster rate
    assert _run(IDS[1]) == "CONTRADICTED"


def test_growth_too_fast_is_contradicted_and_undecided_is_inconclusive(fake):
    fake["map"] = _map([0.5, 2.0, 40.0, 800.0])
    assert _run(IDS[1]) == "CONTRADICTED"
    fake["map"] = _map([0.5, 0.8, 0.99], se=0.2)  # chain ahead but not decisively: more data decides
    assert _run(IDS[0]) == "INCONCLUSIVE"
    fake["map"] = _map([0.5, 0.8, 1.3])  # tree wins only at the largest size: one point beyond n*
    assert _run(IDS[1]) == "INCONCLUSIVE"


def test_mechanism_claim_against_its_own_prediction(fake):
    from aligntheory.theory import ibn as T

    F = T.StructuralFunction("poly", 1.0, 1.0)
    model = [float(T.chain_tree_ratio(float(2**k), F, 1e-4, 1)) for k in (10, 12, 14)]
    fake["map"] = _map(model)
    assert _run(IDS[2]) == "PASS"
    fake["map"] = _map([m / 10 for m in model])
    assert _run(IDS[2]) == "CONTRADICTED"
    assert math.isfinite(model[0])

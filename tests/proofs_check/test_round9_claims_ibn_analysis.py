"""The round-9 IBN analysis claim can fail: one single-token mutant per group of rows, planted with ``_plant.plant``."""

from __future__ import annotations

import pytest

from aligntheory.config import configure
from aligntheory.proofs_check import Context, load_all
from aligntheory.proofs_check._registry import Verdict
from tests.proofs_check._plant import plant

configure()
ID = "ibn.analysis_branch_table"
_IBN = "aligntheory.analysis.ibn"


def _verdict():
    return load_all().get(ID).run(Context(seed=0)).verdict


def test_branch_table_passes():
    assert _verdict() == Verdict.PASS


@pytest.mark.parametrize("modname,fname,old,new", [
    (_IBN, "analyse_preferences", 'fr["chain-like prompts"] > 0.5', 'fr["chain-like prompts"] >= 0.5'),
    (_IBN, "analyse_preferences", 'fr["tree-like prompts"] > 0.5', 'fr["tree-like prompts"] >= 0.5'),
    (_IBN, "analyse_preferences", "(n_resp >= 3)", "(n_resp > 3)"),
    ("aligntheory.analysis._ibn_read", "parse_records", "LABEL_CHARS - 1", "LABEL_CHARS + 1"),
    ("aligntheory.analysis._ibn_read", "parse_records", "every: int = 50000", "every: int = 50001"),
    ("aligntheory.analysis._ibn_read", "parse_records", "wt.extend((0.5, 0.5))", "wt.extend((1.0, 1.0))"),
    ("aligntheory.analysis._ibn_graph", "_multiplier", "lo_t, hi_t = 1e-6, 1.0", "lo_t, hi_t = 1e-5, 1.0"),
    ("aligntheory.analysis._ibn_graph", "_multiplier", "lo_t, hi_t = 1.0, 1e9", "lo_t, hi_t = 1.0, 1e10"),
])
def test_branch_table_fails_under_a_mutant(monkeypatch, modname, fname, old, new):
    plant(monkeypatch, modname, fname, old, new, packages=() if modname == _IBN else (_IBN,))
    assert _verdict() == Verdict.FAIL


# ibn.chain_tree_map_derived_fields: the quick sweep is replaced by a small map whose derived fields come from the
# library's own helpers (the crossover, the summary), so that a mutant planted in those helpers shows in the claim
def _synthetic_map():
    import numpy as np

    from aligntheory.analysis import chain_tree as CT

    ns = np.array([256, 1024, 4096])
    lr = np.array([[-0.2, 0.3, 0.6]])
    ci = np.stack([lr - 0.1, lr + 0.1], -1)
    means = np.stack([np.exp(lr), np.ones_like(lr)], -1)
    nstar = CT._crossover(ns.astype(float), lr[0])
    sel = (ns >= nstar) & (lr[0] > 0)
    q = np.exp(lr[0][sel]) / (np.log(ns[sel]) / np.log(np.log(ns[sel])))
    drift = float(np.polyfit(np.log(ns[sel]), np.log(q), 1)[0])
    return CT.ChainTreeMap((CT.REFERENCE_CONFIG,), ns, means, means, lr, lr, ci, ci, np.full((1, 3), 0.05),
                           np.tile(ns, (1, 1)), (nstar,), (tuple(q.tolist()),), (drift,), 3, 16, ("splu",))


def _derived_verdict(monkeypatch):
    import aligntheory.proofs_check.ibn._chain_tree_claims as C

    monkeypatch.setattr(C, "_sweep", lambda ctx: _synthetic_map())
    return load_all().get("ibn.chain_tree_map_derived_fields").run(Context(seed=0)).verdict


def test_derived_fields_pass_on_a_consistent_map(monkeypatch):
    assert _derived_verdict(monkeypatch) == Verdict.PASS


@pytest.mark.parametrize("name,old,new", [
    ("_crossover", "t = lr[j] / (lr[j] - lr[j + 1])", "t = lr[j + 1] / (lr[j] - lr[j + 1])"),
    ("_crossover", "x0 + t * (x1 - x0)", "x0 - t * (x1 - x0)"),
])
def test_derived_fields_fail_under_a_crossover_mutant(monkeypatch, name, old, new):
    plant(monkeypatch, "aligntheory.analysis.chain_tree", name, old, new)
    assert _derived_verdict(monkeypatch) == Verdict.FAIL


def test_derived_fields_fail_under_a_summary_mutant(monkeypatch):
    from aligntheory.analysis.chain_tree import ChainTreeMap
    from tests.proofs_check._plant import recompiled

    fn = recompiled(ChainTreeMap, "summary", '"mean_exact_tree": float(self.mean_exact[i, j, 1])',
                    '"mean_exact_tree": float(self.mean_exact[i, j, 0])')
    monkeypatch.setattr(ChainTreeMap, "summary", fn)
    assert _derived_verdict(monkeypatch) == Verdict.FAIL

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

"""The claims of proofs_check/ibn/_analysis_budget_claims.py can fail: each turns FAIL under a planted defect of the
function it measures, and PASSes unpatched (at two seeds)."""

from __future__ import annotations

import dataclasses

import pytest

from aligntheory.config import configure
from aligntheory.proofs_check import Context, Verdict, load_all

configure()
REG = load_all()


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


@pytest.mark.parametrize("cid", ["ibn.chain_tree_annotation_budget", "ibn.analysis_recommendation_echo"])
@pytest.mark.parametrize("seed", [0, 3])
def test_passes_unpatched(cid, seed):
    assert _run(cid, seed) is Verdict.PASS


def test_annotation_budget_fails_on_a_wrong_tree_length(monkeypatch):
    """A mean tree annotation length off by a factor 2 doubles the tree budget."""
    from aligntheory.analysis import chain_tree as CT

    orig = CT._tree_length_per_comparison
    monkeypatch.setattr(CT, "_tree_length_per_comparison", lambda D, b, d: orig(D, b, d) * 0.5)
    assert _run("ibn.chain_tree_annotation_budget") is Verdict.FAIL


def test_annotation_budget_fails_on_a_wrong_cap(monkeypatch):
    """The refusal must come at the documented cap 4 max_comparisons (here: a cap read as 5 max_comparisons)."""
    from aligntheory import _validate as V
    from aligntheory.analysis import chain_tree as CT

    orig = V.check_size

    def check_size(name, cost, cap=None, unit=""):
        if name == "n_tree":
            cap = cap // 4 * 5
        return orig(name, cost, cap=cap, unit=unit)

    monkeypatch.setattr(CT.V, "check_size", check_size)
    assert _run("ibn.chain_tree_annotation_budget") is Verdict.FAIL


def test_echo_fails_when_the_target_is_dropped_from_an_answered_note(monkeypatch):
    """Mutant 01ed3ca6f8 (``or`` -> ``and``): an unreachable target answered by a note is reported as None."""
    from aligntheory.analysis import ibn as A

    orig = A.analyse_preferences

    def mutated(*a, **k):
        out = orig(*a, **k)
        if out.recommended_multiplier is None:
            out = dataclasses.replace(out, target_variance=None)
        return out

    monkeypatch.setattr(A, "analyse_preferences", mutated)
    assert _run("ibn.analysis_recommendation_echo") is Verdict.FAIL

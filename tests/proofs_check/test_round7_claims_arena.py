"""The round-7 arena claims (issue 11) pass, and each CAN fail.

Each test replaces the library function a claim measures by the behaviour of a surviving mutant of the fourth
fresh sample (docs/mutation-report/fresh-r6/arena.md) and asserts the verdict FAIL.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from aligntheory.config import configure
from aligntheory.proofs_check import Context, load_all
from aligntheory.proofs_check._registry import Verdict

configure()
REG = load_all()
IDS = ["arena.adjacent_uncertainty_table", "arena.battle_input_forms_read_alike", "arena.two_model_tie_fits_closed_form"]


def _verdict(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


@pytest.mark.parametrize("cid", IDS)
def test_claim_passes(cid):
    assert _verdict(cid) == Verdict.PASS


def _patch_adjacent(monkeypatch, change):
    import aligntheory.analysis.arena as A

    orig = A.adjacent_uncertainty

    def wrong(lb):
        return change(orig(lb))

    monkeypatch.setattr(A, "adjacent_uncertainty", wrong)


def test_adjacent_table_fails_when_the_difference_reads_one_model_twice(monkeypatch):
    # mutant 2914b1a696: rating[adj[:, 1]] - rating[adj[:, 1]]
    _patch_adjacent(monkeypatch, lambda u: dataclasses.replace(u, difference=np.zeros_like(u.difference)))
    assert _verdict("arena.adjacent_uncertainty_table") == Verdict.FAIL


def test_adjacent_table_fails_when_an_empty_table_has_a_difference(monkeypatch):
    # mutant c7f08a490e: np.zeros(1) when no pair is comparable
    _patch_adjacent(monkeypatch, lambda u: u if len(u.pairs) else dataclasses.replace(u, difference=np.zeros(1)))
    assert _verdict("arena.adjacent_uncertainty_table") == Verdict.FAIL


def test_adjacent_table_fails_on_a_population_sd(monkeypatch):
    # divisor B instead of B - 1 (ddof=0): visible with 2 and 3 rounds
    def ddof0(u):
        if u.sd_bootstrap is None:
            return u
        return dataclasses.replace(u, sd_bootstrap=u.sd_bootstrap * 0.9)
    _patch_adjacent(monkeypatch, ddof0)
    assert _verdict("arena.adjacent_uncertainty_table") == Verdict.FAIL


def test_input_forms_fail_when_the_record_reader_starts_with_one_dropped(monkeypatch):
    # mutant 689efe1c04: _Collector.dropped starts at 1 (records and files report one self-battle too many)
    from aligntheory.analysis import _arena_io as io

    orig = io._Collector.__init__

    def init(self, *a, **k):
        orig(self, *a, **k)
        self.dropped = 1

    monkeypatch.setattr(io._Collector, "__init__", init)
    assert _verdict("arena.battle_input_forms_read_alike") == Verdict.FAIL


def test_input_forms_fail_when_integer_ids_stay_integers(monkeypatch):
    # mutant cff3a0acfb: `isinstance(v, str) or v` keeps a truthy integer id as an integer (and accepts "")
    from aligntheory.analysis import _arena_io as io

    orig = io._model_name

    def keep(v, where, col):
        return v if isinstance(v, (int, np.integer)) and v else orig(v, where, col)

    monkeypatch.setattr(io, "_model_name", keep)
    assert _verdict("arena.battle_input_forms_read_alike") == Verdict.FAIL


def test_two_model_claim_fails_on_a_tie_parameter_held_at_its_start(monkeypatch):
    # mutant d0aa2ba455 (`t_total == 1` is "fixed"): with one tie the Davidson nu stays at its starting value
    import aligntheory.analysis.arena as A

    orig = A.leaderboard

    def wrong(battles, **kw):
        lb = orig(battles, **kw)
        if kw.get("ties") == "davidson" and lb.n_ties == 1:
            return dataclasses.replace(lb, tie_parameter=lb.tie_parameter * 1.01)
        return lb

    monkeypatch.setattr(A, "leaderboard", wrong)
    assert _verdict("arena.two_model_tie_fits_closed_form") == Verdict.FAIL


def test_two_model_claim_fails_when_rounds_are_not_resample_mles(monkeypatch):
    # mutant 821d7b8d92: a Davidson round without a tie fitted with nu = 1 instead of 0
    import aligntheory.analysis.arena as A

    orig = A.leaderboard

    def wrong(battles, **kw):
        lb = orig(battles, **kw)
        if kw.get("ties") == "davidson" and lb.bootstrap.shape[0]:
            boot = lb.bootstrap.copy()
            boot[0] *= 0.97
            return dataclasses.replace(lb, bootstrap=boot)
        return lb

    monkeypatch.setattr(A, "leaderboard", wrong)
    assert _verdict("arena.two_model_tie_fits_closed_form") == Verdict.FAIL


def test_tolerance_claim_passes():
    assert _verdict("arena.fit_stopping_rule") == Verdict.PASS


def test_tolerance_claim_fails_on_an_exclusive_stopping_rule(tmp_path, monkeypatch):
    # mutant 3bd46cd441 (`cont = rg >= tol`): edit the source of newton_batched, as the mutation tool does
    import importlib
    import inspect
    import sys

    from aligntheory.analysis import _arena_fit as F

    src = inspect.getsource(F)
    assert src.count("cont = rg > tol") == 1
    mod = tmp_path / "aligntheory_arena_fit_mutant.py"
    mod.write_text(src.replace("cont = rg > tol", "cont = rg >= tol"))
    monkeypatch.syspath_prepend(str(tmp_path))
    mutant = importlib.import_module("aligntheory_arena_fit_mutant")
    monkeypatch.setattr(F, "newton_batched", mutant.newton_batched)
    try:
        assert _verdict("arena.fit_stopping_rule") == Verdict.FAIL
    finally:
        sys.modules.pop("aligntheory_arena_fit_mutant", None)


def test_map_claim_passes():
    assert _verdict("arena.prior_fit_is_map") == Verdict.PASS


def test_map_claim_fails_when_the_prior_fit_is_recentred(tmp_path, monkeypatch):
    # mutant 16fc991d81 (`if prior == 1:` re-centres the strengths after each step): edit newton_batched's source
    import importlib
    import inspect
    import sys

    from aligntheory.analysis import _arena_fit as F

    src = inspect.getsource(F)
    old = "        if prior == 0:\n            new[:, :n] -= new[:, :n].mean(1, keepdims=True)"
    assert src.count(old) == 1
    mod = tmp_path / "aligntheory_arena_fit_mutant2.py"
    mod.write_text(src.replace(old, old.replace("prior == 0", "prior == 1")))
    monkeypatch.syspath_prepend(str(tmp_path))
    mutant = importlib.import_module("aligntheory_arena_fit_mutant2")
    monkeypatch.setattr(F, "newton_batched", mutant.newton_batched)
    try:
        assert _verdict("arena.prior_fit_is_map") == Verdict.FAIL
    finally:
        sys.modules.pop("aligntheory_arena_fit_mutant2", None)

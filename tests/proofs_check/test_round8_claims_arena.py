"""The round-8 arena claims (issue 11) pass, and each CAN fail.

Each test applies the behaviour of a surviving mutant of the fifth fresh sample (docs/mutation-report/fresh-r7/arena.md)
by editing the library's source as the mutation tool does, and asserts the verdict FAIL.
"""

from __future__ import annotations

import importlib
import inspect
import sys

import pytest

from aligntheory.config import configure
from aligntheory.proofs_check import Context, load_all
from aligntheory.proofs_check._registry import Verdict

configure()
REG = load_all()
COV = "arena.several_covariates_information_closed_form"


def _verdict(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


def _mutate_fit(tmp_path, monkeypatch, old: str, new: str, names: tuple[str, ...], tag: str):
    """Install a copy of ``_arena_fit`` with ``old`` replaced by ``new`` (exactly one occurrence) for ``names``."""
    from aligntheory.analysis import _arena_fit as F

    src = inspect.getsource(F)
    assert src.count(old) == 1, old
    mod = tmp_path / f"aligntheory_arena_fit_{tag}.py"
    mod.write_text(src.replace(old, new))
    monkeypatch.syspath_prepend(str(tmp_path))
    mutant = importlib.import_module(f"aligntheory_arena_fit_{tag}")
    for name in names:
        monkeypatch.setattr(F, name, getattr(mutant, name))
    return f"aligntheory_arena_fit_{tag}"


def test_covariate_claim_passes():
    assert _verdict(COV) == Verdict.PASS


@pytest.mark.parametrize("old,new,tag", [
    # 3648625da2: the covariate-strength block of the information written into a neighbouring column
    ("H[:, :n, n + nt + q] = cross", "H[:, :n, n + nt - q] = cross", "m1"),
    # the covariate-covariate block filled only on the diagonal
    ("for r in range(q, k):", "for r in range(q, q + 1):", "m2"),
    # the tie-parameter-covariate block left out
    ("H[:, n, n + 1:] = gx_cross", "H[:, n, n + 1:] = 0.0 * gx_cross", "m3"),
])
def test_covariate_claim_fails_on_a_misplaced_information_block(tmp_path, monkeypatch, old, new, tag):
    name = _mutate_fit(tmp_path, monkeypatch, old, new, ("row_terms",), tag)
    try:
        assert _verdict(COV) == Verdict.FAIL
    finally:
        sys.modules.pop(name, None)


LOP = "arena.prior_keeps_every_lopsided_bootstrap_round"


def test_lopsided_claim_passes():
    assert _verdict(LOP) == Verdict.PASS


@pytest.mark.parametrize("old,new,tag", [
    # 0a96c26cfa: the backtracking step grows instead of halving
    ("step[bad] *= 0.5", "step[bad] /= 0.5", "b1"),
    # f64e0565ec: the line search re-reads the gradient instead of the log-likelihood
    ("ll_new[bad] = terms(nb, act[bad], False)[0]", "ll_new[bad] = terms(nb, act[bad], False)[1]", "b2"),
])
def test_lopsided_claim_fails_when_the_line_search_does_not_halve(tmp_path, monkeypatch, old, new, tag):
    name = _mutate_fit(tmp_path, monkeypatch, old, new, ("newton_batched",), tag)
    try:
        assert _verdict(LOP) == Verdict.FAIL
    finally:
        sys.modules.pop(name, None)


ORDER = "arena.bootstrap_rounds_in_draw_order"


def test_order_claim_passes():
    assert _verdict(ORDER) == Verdict.PASS


def test_order_claim_fails_when_rounds_are_written_at_minus_their_index(monkeypatch):
    # 275eff51b7 (`sel = start - rows[good]`): with one chunk, round k lands in row -k (mod B)
    import dataclasses

    import numpy as np

    import aligntheory.analysis.arena as A

    orig = A.leaderboard

    def mutant(*args, **kw):
        lb = orig(*args, **kw)
        x = np.asarray(lb.bootstrap)
        return dataclasses.replace(lb, bootstrap=x[(-np.arange(len(x))) % max(len(x), 1)])

    monkeypatch.setattr(A, "leaderboard", mutant)
    assert _verdict(ORDER) == Verdict.FAIL


def test_lopsided_claim_fails_when_the_line_search_gains_from_the_penalty(tmp_path, monkeypatch):
    # 4f198d4e48: the line search's objective adds the covariate penalty instead of subtracting it
    name = _mutate_fit(tmp_path, monkeypatch, "ll = ll - rm.penalty / 2 * (gam**2).sum(1)",
                       "ll = ll + rm.penalty / 2 * (gam**2).sum(1)", ("row_terms",), "b3")
    try:
        assert _verdict(LOP) == Verdict.FAIL
    finally:
        sys.modules.pop(name, None)


@pytest.mark.parametrize("cap,value", [("max_models", 5001), ("max_bootstrap", 100_001),
                                       ("max_bootstrap_cells", 100_000_001), ("max_models", 4999),
                                       ("maxiter", 101)])
def test_contract_fails_when_a_default_cap_moves(monkeypatch, cap, value):
    # the documented defaults 5000 / 100_000 / 100_000_000 / maxiter 100 moved by one
    import aligntheory.analysis.arena as A

    orig = A.leaderboard
    monkeypatch.setattr(A, "leaderboard", lambda *a, **kw: orig(*a, **{cap: value, **kw}))
    assert _verdict("arena.failure_contract") == Verdict.FAIL

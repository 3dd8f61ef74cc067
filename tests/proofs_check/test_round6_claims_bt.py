"""The shared-numerics and analysis claims of issue #11 round 6 can fail: each turns FAIL when the library function it
measures is replaced by the behaviour of a surviving mutant of the third fresh sample
(docs/mutation-report/fresh-r5/shared_analysis.md), and PASSes unpatched.
"""

from __future__ import annotations

import numpy as np
import pytest

from aligntheory.config import configure
from aligntheory.proofs_check import Context, Verdict, load_all

configure()
REG = load_all()

IDS = ("ibn.bt_existence_one_sided_searches", "ibn.laplacian_pcg_unit_rhs", "ibn.implicit_prompt_prefix_records",
       "arena.win_probability_tie_models", "ibn.laplacian_edges_contract")


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


@pytest.mark.parametrize("cid", IDS)
def test_passes_unpatched(cid):
    assert _run(cid) is Verdict.PASS


def test_existence_fails_when_the_compiled_check_says_connected(monkeypatch):
    """Mutant dd6ab647f1: the compiled check reports a graph that is not strongly connected as connected (the fit's
    scipy fallback runs only after a "no"). (f82300e7ae, empty transposed lists, can only err towards "no", which
    the fallback re-decides: judged equivalent in tools/mutate_equivalent.txt.)"""
    from aligntheory.numerics import bradley_terry as B

    monkeypatch.setattr(B, "strongly_connected", lambda *a: True)
    assert _run("ibn.bt_existence_one_sided_searches") is Verdict.FAIL


def test_pcg_fails_when_a_unit_rhs_is_taken_for_zero(monkeypatch):
    """Mutant 0cb5b4e607 (``bnorm == 1.0``): a right-hand side of norm 1 returns zero at once."""
    from aligntheory.numerics import laplacian as L

    orig = L._pcg_numpy

    def mutated(A, dinv, b, x0, rtol, maxiter):
        if float(np.linalg.norm(b)) == 1.0:
            return np.zeros_like(b), 0, 0.0
        return orig(A, dinv, b, x0, rtol, maxiter)

    monkeypatch.setattr(L, "_pcg_numpy", mutated)
    assert _run("ibn.laplacian_pcg_unit_rhs") is Verdict.FAIL


def test_implicit_prompt_fails_when_a_prefix_record_moves_its_split(monkeypatch):
    """A split moved on a prefix record (``0 < k <= m``): the split moves one character left."""
    from aligntheory.analysis import _ibn_read as R

    orig = R.implicit_prompt

    def mutated(chosen, rejected, where="record"):
        if isinstance(chosen, str) and rejected.startswith(chosen) and chosen.endswith(" "):
            k = len(chosen) - 1
            return chosen[:k], chosen[k:], rejected[k:]
        return orig(chosen, rejected, where)

    monkeypatch.setattr(R, "implicit_prompt", mutated)
    assert _run("ibn.implicit_prompt_prefix_records") is Verdict.FAIL


def test_implicit_prompt_fails_when_a_split_at_zero_reads_the_last_character(monkeypatch):
    """Mutant 6459e61fd2 (``0 <= k < m``), planted by editing the source: at ``k = 0`` the test ``chosen[-1] == " "``
    reads the last character, and records with no common prefix get the prompt ``chosen[:-1]``."""
    from aligntheory.analysis import _ibn_read as R
    from tests.proofs_check._plant import recompiled

    mutant = recompiled(R, "implicit_prompt", "if 0 < k < m and", "if 0 <= k < m and")
    assert mutant("yes ", "no") == ("yes", " ", "o")
    assert R.implicit_prompt("yes ", "no") == ("", "yes ", "no")
    monkeypatch.setattr(R, "implicit_prompt", mutant)
    assert _run("ibn.implicit_prompt_prefix_records") is Verdict.FAIL


def test_win_probability_fails_on_a_tie_sign_slip(monkeypatch):
    """Mutant 9d7cd380be (``1 - pw + pl``): the Rao--Kupper tie probability with a wrong sign."""
    from aligntheory.analysis import _leaderboard as LB

    orig = LB._expected_score

    def mutated(ties, d, tau):
        if ties == "rao_kupper" and tau:
            pw, pl = LB.F.sigmoid(d - tau), LB.F.sigmoid(-d - tau)
            return pw + 0.5 * (1.0 - pw + pl)
        return orig(ties, d, tau)

    monkeypatch.setattr(LB, "_expected_score", mutated)
    assert _run("arena.win_probability_tie_models") is Verdict.FAIL


def test_edges_contract_fails_when_repeated_pairs_are_accepted(monkeypatch):
    """The round-6 fix undone: repeated pairs and self-loops pass the constructor (they then break ``solve``)."""
    import aligntheory.numerics as N

    orig = N.LaplacianSolver

    def lenient(n, edges, **kw):
        e = np.unique(np.sort(np.asarray(edges), axis=1), axis=0)
        return orig(n, e[e[:, 0] != e[:, 1]], **kw)

    monkeypatch.setattr(N, "LaplacianSolver", lenient)
    assert _run("ibn.laplacian_edges_contract") is Verdict.FAIL

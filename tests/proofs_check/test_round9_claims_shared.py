"""The shared-numerics claims of issue #11 (sixth fresh sample) can fail: each turns FAIL when the library function it
measures is replaced by the behaviour of a mutant (docs/mutation-report/fresh-r8/shared.md), planted by editing the
function's source (a numba kernel runs as Python), and PASSes unpatched.
"""

from __future__ import annotations

import pytest

from aligntheory.config import configure
from aligntheory.proofs_check import Context, Verdict, load_all
from tests.proofs_check._plant import recompiled as _planted

configure()
REG = load_all()

AGG = "ibn.bt_compiled_aggregation_matches_tally"
NEWMAN = "ibn.bt_compiled_newman_iterates_match_reference"
BOUNDS = "ibn.bt_fit_boundaries"


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


@pytest.mark.parametrize("cid", (AGG, NEWMAN, BOUNDS))
def test_passes_unpatched(cid):
    assert _run(cid) is Verdict.PASS


@pytest.mark.parametrize("fname,old,new", [
    ("_runs_weighted", "wins[e - 1] += y * (x & 1)", "wins[e - 1] += y"),  # every weight counted as a win
    ("_runs", "K[e - 1] += 1.0", "K[e - 1] += 2.0"),  # counts doubled
    ("_sort_rows", "p1[j] = 2 * min(a, b) + (a < b)", "p1[j] = 2 * min(a, b) + (a > b)"),  # win bit flipped
    ("_sort_rows", "if a < 0 or a >= n", "if a < 0 or a > n"),  # id n let through (as Python: IndexError)
])
def test_aggregation_fails_under_a_planted_mutant(monkeypatch, fname, old, new):
    from aligntheory.numerics import _bt_numba as N

    monkeypatch.setattr(N, fname, _planted(N, fname, old, new))
    cid = BOUNDS if "a >= n" in old else AGG
    assert _run(cid) is Verdict.FAIL


def test_aggregation_python_kernels_unpatched_pass(monkeypatch):
    """The kernels run as Python with no token changed still pass: the failures above come from the token."""
    from aligntheory.numerics import _bt_numba as N

    for f, token in (("_runs", "edges = np.empty"), ("_runs_weighted", "edges = np.empty"),
                     ("_sort_rows", "m = c.shape[0]")):
        monkeypatch.setattr(N, f, _planted(N, f, token, token))
    assert _run(AGG) is Verdict.PASS


@pytest.mark.parametrize("old,new", [
    ("a = w * (pv * s)", "a = w * (pu * s)"),  # the winner's probability in place of the loser's
    ("B[v] += a", "B[u] += a"),  # a sum scattered to the wrong item
])
def test_newman_iterates_fail_under_a_planted_mutant(monkeypatch, old, new):
    from aligntheory.numerics import _bt_numba as N

    monkeypatch.setattr(N, "newman_sums", _planted(N, "newman_sums", old, new))
    assert _run(NEWMAN) is Verdict.FAIL


@pytest.mark.parametrize("fname,old,new", [
    ("kernels_for", "rows >= NUMBA_MIN_ROWS", "rows > NUMBA_MIN_ROWS"),  # a31844c8f9
    ("aggregate_compiled", 'arr.dtype.kind not in "iu" or arr.ndim', 'arr.dtype.kind not in "iu" and arr.ndim'),
])
def test_boundaries_fail_under_a_listed_survivor(monkeypatch, fname, old, new):
    from aligntheory.numerics import _bt_fit as F
    from aligntheory.numerics import bradley_terry as B

    mutant = _planted(F, fname, old, new)
    monkeypatch.setattr(F, fname, mutant)
    monkeypatch.setattr(B, fname, mutant)
    assert _run(BOUNDS) is Verdict.FAIL


NEWTON = "ibn.bt_newton_iterates_match_reference"


def test_newton_iterates_pass_unpatched():
    assert _run(NEWTON) is Verdict.PASS


@pytest.mark.parametrize("old,new", [
    ("warm_iters=4", "warm_iters=5"),  # the documented warm start's length
    ("extra = prior * expit(theta) * expit(-theta)", "extra = prior * expit(theta) * expit(theta)"),  # the prior's diagonal
])
def test_newton_iterates_fail_under_a_planted_mutant(monkeypatch, old, new):
    from aligntheory.numerics import _bt_fit as F
    from aligntheory.numerics import bradley_terry as B

    mutant = _planted(F, "_newton", old, new)
    monkeypatch.setattr(F, "_newton", mutant)
    monkeypatch.setattr(B, "_newton", mutant)
    assert _run(NEWTON) is Verdict.FAIL


def test_newton_iterates_fail_when_the_fisher_weights_change(monkeypatch):
    """The Fisher weights moved into ``_Work.eval`` in round 13 (both sigmoids in full precision)."""
    from aligntheory.numerics import _bt_fit as F

    monkeypatch.setattr(F._Work, "eval", _planted(F._Work, "eval", "c = self.K * sp_ * sm_",
                                                  "c = self.K * sp_ * sp_"))
    assert _run(NEWTON) is Verdict.FAIL


def test_newton_iterates_follow_the_step_cap_and_the_stopping_rule_at_seeds_15_and_23(monkeypatch):
    """Session 15's sweep of seeds 0--19: the claim FAILed at seed 15 (a steep chain whose full step moved a
    score by more than 30: the library caps it at 30, the old reference did not) and seed 23 (the stopping rule
    held after 2 of ``maxiter=3`` steps). Both now pass; without the library's cap, seed 15 fails again."""
    from aligntheory.numerics import _bt_fit as F

    claim = REG.get(NEWTON)
    for seed in (15, 23):
        assert claim.run(Context(seed=seed)).verdict is Verdict.PASS, seed
    ev = claim.run(Context(seed=23))
    assert ev.measured["datasets stopped before 3 steps"] >= 1
    monkeypatch.setattr(F, "_STEP_CAP", 1e300)
    assert claim.run(Context(seed=15)).verdict is Verdict.FAIL


LAPL = "ibn.solve_laplacian_matches_pseudoinverse"


def test_solve_laplacian_passes_unpatched():
    assert _run(LAPL) is Verdict.PASS


@pytest.mark.parametrize("old,new", [
    ("cm = np.bincount(inv, c, len(keys))", "cm = np.bincount(inv, None, len(keys))"),  # parallel pairs not summed
    ("x = sol.x * (bs / s)", "x = sol.x * (bs * s)"),  # the rescaling inverted
])
def test_solve_laplacian_fails_under_a_planted_mutant(monkeypatch, old, new):
    from tests.proofs_check._plant import plant

    plant(monkeypatch, "aligntheory.numerics.laplacian", "solve_laplacian", old, new,
          packages=("aligntheory.numerics",))
    assert _run(LAPL) is Verdict.FAIL


def test_solve_laplacian_fails_when_components_are_not_centred(monkeypatch):
    from aligntheory.numerics import laplacian as L

    monkeypatch.setattr(L.LaplacianSolver, "_centre", _planted(L.LaplacianSolver, "_centre", "x - means[self.labels]",
                                                               "x + means[self.labels]"))
    assert _run(LAPL) is Verdict.FAIL


TREE = "ibn.tree_elimination_order_matches_networkx"


def test_tree_order_passes_unpatched():
    assert _run(TREE) is Verdict.PASS


@pytest.mark.parametrize("old,new", [
    ("np.lexsort((np.arange(n), -deg))", "np.lexsort((np.arange(n), deg))"),  # roots of smallest degree
    ("for v in orderd[::-1]:", "for v in orderd:"),  # the last write wins: roots of smallest degree
    ("pedge[e[up, 0]] = idx[up]", "pedge[e[up, 0]] = idx[up] + 1"),  # parent edges off by one
    ("np.minimum(e[:, 0], e[:, 1]) * n", "np.minimum(e[:, 0], e[:, 0]) * n"),  # 4b6c8a104b: false repeats
])
def test_tree_order_fails_under_a_planted_mutant(monkeypatch, old, new):
    from tests.proofs_check._plant import plant

    plant(monkeypatch, "aligntheory.numerics.laplacian", "tree_elimination_order", old, new,
          packages=("aligntheory.numerics",))
    assert _run(TREE) is Verdict.FAIL

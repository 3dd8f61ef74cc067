"""The shared-numerics claims of issue #11 round 7 can fail: each turns FAIL when the library function it measures is
replaced by the behaviour of a surviving mutant of the fourth fresh sample (docs/mutation-report/fresh-r6/shared.md),
planted by editing the function's source, and PASSes unpatched.
"""

from __future__ import annotations

import pytest

from aligntheory.config import configure
from aligntheory.proofs_check import Context, Verdict, load_all
from tests.proofs_check._plant import recompiled as _planted  # noqa: E402

configure()
REG = load_all()

NEWMAN = "ibn.bt_newman_iterates_match_reference"
PATHS = "ibn.bt_existence_paths_with_one_one_sided_pair"
IDS = (NEWMAN, "ibn.bt_fit_boundaries", "ibn.laplacian_pcg_residual_and_fallback", PATHS)


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


@pytest.mark.parametrize("cid", IDS)
def test_passes_unpatched(cid):
    assert _run(cid) is Verdict.PASS


@pytest.mark.parametrize("old,new", [
    ("g -= g.mean()", "g += g.mean()"),  # b4aa3a5630: Anderson's residuals keep twice their mean
    ("Gs.pop(0)", "Gs.pop(1)"),  # ce01540811: the iterate history drops the wrong entry
    ("it >= 8 and", "it >= 9 and"),  # 951f288c3d: the stall rule checked one iteration late
    ("0.5 * om", "0.25 * om"),  # 767b401983: the relaxation quartered instead of halved
])
def test_newman_iterates_fail_under_a_planted_mutant(monkeypatch, old, new):
    from aligntheory.numerics import _bt_fit as F
    from aligntheory.numerics import bradley_terry as B

    mutant = _planted(F, "_newman_host", old, new)
    monkeypatch.setattr(F, "_newman_host", mutant)  # Newton's warm start
    monkeypatch.setattr(B, "_newman_host", mutant)
    assert _run(NEWMAN) is Verdict.FAIL


def test_auto_iterations_fail_when_newton_steps_are_subtracted(monkeypatch):
    """Mutant 948dbe0494 (``it -= it2``): ``method="auto"`` reports Newman's iterations minus Newton's."""
    from aligntheory.numerics import bradley_terry as B

    orig = B._newton

    def mutated(*a, **k):
        theta, gn, it2, ll, used, cg = orig(*a, **k)
        return theta, gn, -it2, ll, used, cg

    monkeypatch.setattr(B, "_newton", mutated)
    assert _run(NEWMAN) is Verdict.FAIL


def test_boundaries_fail_when_boolean_ids_are_read_as_numbers(monkeypatch):
    """Mutant 3670ecabd1 (``arr.size != 0``): non-empty boolean id arrays take the integer route and are refused."""
    from aligntheory.numerics import bradley_terry as B

    monkeypatch.setattr(B, "_encode", _planted(B, "_encode", "arr.size == 0 and arr.dtype", "arr.size != 0 and arr.dtype"))
    assert _run("ibn.bt_fit_boundaries") is Verdict.FAIL


def test_newman_iterates_fail_when_the_prior_pulls_the_wrong_way(monkeypatch):
    """Mutant 0fc39af102 (extra sample): the prior's virtual wins weighted by sigma(theta) instead of sigma(-theta)."""
    from aligntheory.numerics import _bt_fit as F

    monkeypatch.setattr(F._Work, "newman_sums", _planted(F._Work, "newman_sums", "_log_sigmoid_and_p(-theta)",
                                                         "_log_sigmoid_and_p(theta)"))
    assert _run(NEWMAN) is Verdict.FAIL


def test_boundaries_fail_when_ragged_rows_reach_the_string_route(monkeypatch):
    """Mutant f18c41642c (extra sample): ``... and arr.shape[1] == 2 or arr.dtype.kind in "US"`` reads the dtype of
    rows numpy could not make an array of (AttributeError instead of the documented refusal)."""
    from aligntheory.numerics import bradley_terry as B

    monkeypatch.setattr(B, "_encode", _planted(B, "_encode", 'arr.shape[1] == 2 and arr.dtype.kind in "US"',
                                               'arr.shape[1] == 2 or arr.dtype.kind in "US"'))
    assert _run("ibn.bt_fit_boundaries") is Verdict.FAIL


def test_boundaries_fail_when_float_ids_take_the_integer_route(monkeypatch):
    """Mutant 44a2328780 (extra sample): ``arr.dtype.kind != "f"``: float ids holding integers are refused."""
    from aligntheory.numerics import _bt_fit as F
    from aligntheory.numerics import bradley_terry as B

    monkeypatch.setattr(B, "_index_pairs", _planted(F, "_index_pairs", 'kind == "f"', 'kind != "f"'))
    assert _run("ibn.bt_fit_boundaries") is Verdict.FAIL


def test_boundaries_fail_when_the_dense_solve_checks_finiteness(monkeypatch):
    """Mutant 228ad8b290 (extra sample): ``cho_solve(..., check_finite=True)`` raises ValueError on b = inf instead
    of the documented 'nonfinite' outcome."""
    from aligntheory.numerics import laplacian as L

    monkeypatch.setattr(L.LaplacianSolver, "solve", _planted(L.LaplacianSolver, "solve", "bb, check_finite=False)",
                                                             "bb, check_finite=True)"))
    assert _run("ibn.bt_fit_boundaries") is Verdict.FAIL


def test_pcg_fallback_fails_when_the_residual_is_scaled_the_wrong_way(monkeypatch):
    """Mutant bc5dd92d06 (extra sample): PCG's residual multiplied by |b| instead of divided: the solve falls back
    to LU although CG converged."""
    from aligntheory.numerics import laplacian as L

    monkeypatch.setattr(L, "_pcg_numpy", _planted(L, "_pcg_numpy", ")) / bnorm", ")) * bnorm"))
    assert _run("ibn.laplacian_pcg_residual_and_fallback") is Verdict.FAIL


def test_paths_fail_when_the_bfs_prefix_sum_runs_backwards(monkeypatch):
    """Mutant 8a32483f90 (extra sample): ``ptr_u[k - 1] += ptr_u[k]`` in the compiled BFS (run here as Python):
    the pair lists of the ``u`` side are wrong, and 4 of the 48 paths the BFS decides are called connected."""
    pytest.importorskip("numba")
    from aligntheory.numerics import _bt_numba as NB

    monkeypatch.setattr(NB, "_strongly_connected_bfs", _planted(NB, "_strongly_connected_bfs", "ptr_u[k + 1] += ptr_u[k]",
                                                                "ptr_u[k - 1] += ptr_u[k]"))
    assert _run(PATHS) is Verdict.FAIL

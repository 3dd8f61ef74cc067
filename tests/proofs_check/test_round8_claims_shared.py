"""The shared-numerics claims of issue #11 (fifth fresh sample) can fail: each turns FAIL when the library function it
measures is replaced by the behaviour of a surviving mutant (docs/mutation-report/fresh-r7/shared.md), planted by
editing the function's source (the numba kernel run as Python), and PASSes unpatched.
"""

from __future__ import annotations

import pytest

from aligntheory.config import configure
from aligntheory.proofs_check import Context, Verdict, load_all
from tests.proofs_check._plant import recompiled as _planted  # noqa: E402

configure()
REG = load_all()

LOGLIK = "ibn.bt_compiled_loglik_matches_closed_form"
GROUND = "ibn.laplacian_matrix_grounding_rule"


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


@pytest.mark.parametrize("cid", (LOGLIK, GROUND))
def test_passes_unpatched(cid):
    assert _run(cid) is Verdict.PASS


def test_loglik_unpatched_python_kernel_passes(monkeypatch):
    """The kernel run as Python (no token changed) still passes: the failures below come from the token."""
    from aligntheory.numerics import _bt_numba as N

    monkeypatch.setattr(N, "loglik", _planted(N, "loglik", "r > 1e-4", "r > 1e-4"))
    assert _run(LOGLIK) is Verdict.PASS


@pytest.mark.parametrize("old,new", [
    ("r > 1e-4", "r > 1.0001"),  # f48f9ef790: the series used for every r
    ("- (K[e] - w) * max", "+ (K[e] - w) * max"),  # 23adf0fd8e: the losses' term with the wrong sign
    ("(1.0 / 3.0 - 0.25 * r)", "(1.0 / 4.0 - 0.25 * r)"),  # 093f2fa714: the series' cubic coefficient
])
def test_loglik_fails_under_a_planted_mutant(monkeypatch, old, new):
    from aligntheory.numerics import _bt_numba as N

    monkeypatch.setattr(N, "loglik", _planted(N, "loglik", old, new))
    assert _run(LOGLIK) is Verdict.FAIL


@pytest.mark.parametrize("old,new", [
    ("deg[g] > 0", "deg[g] > 1"),  # f720a8d8c5: components of degree <= 1 grounded with 1 instead of the degree
    ("np.all(extra_diag > 0)", "np.all(extra_diag >= 0)"),  # 98b379fdf7: a zero extra no longer grounds
])
def test_grounding_fails_under_a_planted_mutant(monkeypatch, old, new):
    from aligntheory.numerics import laplacian as L

    monkeypatch.setattr(L.LaplacianSolver, "matrix", _planted(L.LaplacianSolver, "matrix", old, new))
    assert _run(GROUND) is Verdict.FAIL


FORCING = "ibn.bt_newton_pcg_forcing_tolerance"


def test_forcing_passes_unpatched():
    assert _run(FORCING) is Verdict.PASS


@pytest.mark.parametrize("old,new", [
    ("1e-3 * gn", "1e-3 / gn"),  # d089b485bf: the forcing term inverted (PCG stops at 1e-6 near convergence)
    ("cg_iters += its", "cg_iters -= its"),  # c079e7c2bb (the line as of round 13)
])
def test_forcing_fails_under_a_planted_mutant(monkeypatch, old, new):
    from aligntheory.numerics import _bt_fit as F
    from aligntheory.numerics import bradley_terry as B

    mutant = _planted(F, "_newton", old, new)
    monkeypatch.setattr(F, "_newton", mutant)
    monkeypatch.setattr(B, "_newton", mutant)
    assert _run(FORCING) is Verdict.FAIL

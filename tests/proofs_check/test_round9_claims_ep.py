"""Issue #11 round 9 (elasticity and progress): each new claim CAN fail.

Each test plants a surviving mutant of the sixth fresh sample (docs/mutation-report/fresh-r8/elasticity_progress.md),
or a part-B site, by editing the function's source (one token, as the mutation tool does) and asserts that the claim
FAILS. (The claims PASS unmutated: tests/proofs_check/test_all_claims.py.)
"""

import pytest

from aligntheory.config import configure
from aligntheory.proofs_check import Context, Verdict, load_all
from tests.proofs_check._plant import plant as _mutate  # noqa: E402

configure()


def _run(cid):
    return load_all().get(cid).run(Context(seed=0))


SAMPLING, RATES = "aligntheory.kernels.elasticity._sampling", "aligntheory.kernels.elasticity._rates"
KE = ("aligntheory.kernels.elasticity",)


@pytest.mark.parametrize("old,new", [
    ("keepdims=True), b)", "keepdims=False), b)"),  # b59a6a391e (survivor): batched counts
    ("beta: float = 0.0,", "beta: float = 1.0,"),  # 45a0a0f4d5: the documented default
    ("pooled.sum(axis=-1)) <= 0", "pooled.sum(axis=-0)) <= 0"),  # dc0ea1099b: one zero batch of three
])
def test_mle_table_fails_under_planted_sites(monkeypatch, old, new):
    _mutate(monkeypatch, SAMPLING, "mle_from_counts", old, new, KE)
    assert _run("elasticity.mle_pooled_table").verdict is Verdict.FAIL


@pytest.mark.parametrize("fname,old,new", [
    ("gamma", "(q < _Q_MIN)", "(q <= _Q_MIN)"),  # the guard exactly at 4 * 2^-1022
    ("_batched_core", "ks[:, None] * dp + da", "ks[:, None] * dp - da"),  # the E3 residual
])
def test_rates_table_fails_under_planted_sites(monkeypatch, fname, old, new):
    _mutate(monkeypatch, RATES, fname, old, new, KE if fname == "gamma" else ())
    assert _run("elasticity.rates_closed_form_tables").verdict is Verdict.FAIL


KP, TP = "aligntheory.kernels.progress", "aligntheory.theory.progress._coevolution"


@pytest.mark.parametrize("mod,fname,old,new,pk", [
    (KP, "coevolve_score", "A.shape[0] == 0:", "A.shape[0] == 1:", ("aligntheory.kernels.progress",)),  # 7533627524
    (TP, "steady_state_lag", "if not a > 0:", "if not a >= 0:", ("aligntheory.theory.progress",)),  # 5f0e3d043f
    (TP, "steady_state_lag", "(1.0 + kap * (1 - m))", "(0.0 + kap * (1 - m))", ("aligntheory.theory.progress",)),
])
def test_coevolution_tables_fail_under_planted_sites(monkeypatch, mod, fname, old, new, pk):
    _mutate(monkeypatch, mod, fname, old, new, pk)
    assert _run("progress.coevolution_kernel_tables").verdict is Verdict.FAIL

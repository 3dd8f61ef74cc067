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


METRICS, BOUNDS = "aligntheory.kernels.elasticity._metrics", "aligntheory.theory.elasticity._bounds"
DERIV = "aligntheory.theory.elasticity._derivatives"


@pytest.mark.parametrize("mod,fname,old,new,pk", [
    (METRICS, "two_segment_fit_batched", "Hu = Hh + ub * Hsum", "Hu = Hh - ub * Hsum", KE),
    (METRICS, "two_segment_fit", "b_min: int = 5", "b_min: int = 4", KE),  # the documented default range
    (METRICS, "first_crossing_batched", "hit = Yv >= L[:, None]", "hit = Yv > L[:, None]", KE),
])
def test_two_segment_tables_fail_under_planted_sites(monkeypatch, mod, fname, old, new, pk):
    _mutate(monkeypatch, mod, fname, old, new, pk)
    assert _run("elasticity.two_segment_tables").verdict is Verdict.FAIL


@pytest.mark.parametrize("fname,old,new", [
    ("opposite_model_bounds", "l * (1.0 + chi2) / (1.0 - l * chi2)", "l * (1.0 + chi2) / (1.0 - l / chi2)"),
    ("asymptotic_ratio", "if k < 1e4 * max(1.0, rm):", "if k <= 1e4 * max(1.0, rm):"),
    ("r_max", "m = (Pa + Pt) > 0", "m = (Pa - Pt) > 0"),
])
def test_bounds_tables_fail_under_planted_sites(monkeypatch, fname, old, new):
    _mutate(monkeypatch, BOUNDS, fname, old, new, ("aligntheory.theory.elasticity",))
    assert _run("elasticity.bounds_closed_form_tables").verdict is Verdict.FAIL


@pytest.mark.parametrize("fname,old,new", [
    ("_terms", "num_t = k * Pp[m] + one * Pa[m] - (k + one) * pt", "num_t = k * Pp[m] + one * Pa[m] - (k - one) * pt"),
    ("_terms", "s = max(k, l) if max(k, l) > _SCALE_AT else 1.0", "s = max(k, l) if max(k, l) > _SCALE_AT else 0.0"),
])
def test_derivatives_tables_fail_under_planted_sites(monkeypatch, fname, old, new):
    _mutate(monkeypatch, DERIV, fname, old, new)
    assert _run("elasticity.derivatives_theory_tables").verdict is Verdict.FAIL


def test_derivatives_tables_fail_on_the_ratio_before_the_fix(monkeypatch):
    # the term scale of elasticity_ratio before round 9: |num_p| after cancellation (gamma_p' = 0 not refused at l > 0)
    _mutate(monkeypatch, DERIV, "elasticity_ratio", "mag = (Pa[m] + l * pt + (1.0 + l) * Pp[m]) / s",
            "mag = np.abs(num_p)", ("aligntheory.theory.elasticity",))
    assert _run("elasticity.derivatives_theory_tables").verdict is Verdict.FAIL


def test_sample_counts_laws_fail_for_a_sampler_that_loses_a_count(monkeypatch):
    # a numpy stand-in (no compilation): multinomial draws with one count moved off the total
    import numpy as np

    import aligntheory.kernels.elasticity as K

    def fake(key, P, N, *, method="tree", **kw):
        rng = np.random.default_rng(0)
        n = rng.multinomial(int(N), np.asarray(P), size=np.asarray(key).shape[0]).astype(float)
        n[:, 0] -= n[:, 0] > 0
        return n

    monkeypatch.setattr(K, "sample_counts", fake)
    assert _run("elasticity.sample_counts_laws").verdict is Verdict.FAIL


@pytest.mark.parametrize("mod,fname,old,new,pk", [
    (KP, "coevolve_score", "if S.shape[1] != A.shape[1] or", "if S.shape[1] != A.shape[1] and",
     ("aligntheory.kernels.progress",)),
    (TP, "steady_state_lag", "return vv * (1 + ka * (1 - mm)) / al", "return vv * (1 + ka * (1 + mm)) / al",
     ("aligntheory.theory.progress",)),
])
def test_coevolution_tables_fail_under_more_planted_sites(monkeypatch, mod, fname, old, new, pk):
    _mutate(monkeypatch, mod, fname, old, new, pk)
    assert _run("progress.coevolution_kernel_tables").verdict is Verdict.FAIL


@pytest.mark.parametrize("fname,old,new", [
    ("predict_score", "A[k:k + T]", "A[k - 1:k - 1 + T]"),  # the horizon offset
    ("predict_score", "if T == 0 or T - 1 + k > A.shape[0] - 1:", "if T == 0 or T - 1 + k >= A.shape[0] - 1:"),
])
def test_coevolution_tables_fail_under_planted_score_sites(monkeypatch, fname, old, new):
    _mutate(monkeypatch, "aligntheory.theory.progress._scores", fname, old, new, ("aligntheory.theory.progress",))
    assert _run("progress.coevolution_kernel_tables").verdict is Verdict.FAIL

"""Issue #11 round 7 (elasticity and progress): each new claim and contract row CAN fail.

Each test plants the surviving mutant of the fourth fresh sample (docs/mutation-report/fresh-r6/elasticity_progress.md)
by editing the function's source (one token, as the mutation tool does) and asserts that the claim FAILS.
"""


import pytest

from aligntheory.config import configure
from aligntheory.proofs_check import Context, Verdict, load_all
from tests.proofs_check._plant import plant as _mutate  # noqa: E402

configure()


def _run(cid):
    return load_all().get(cid).run(Context(seed=0))


RATES, KE = "aligntheory.kernels.elasticity._rates", ("aligntheory.kernels.elasticity",)


@pytest.mark.parametrize("old,new", [
    ("1.0 / top, lt / top])", "1.0 * top, lt / top])"),  # d863c57c0b: the traced weight of P_a
    ("jnp.maximum(kt, 1.0)", "jnp.maximum(kt, 0.0)"),  # 8e89356fa7: the scale without the 1 (subnormal k)
    ("Tracer) or isinstance(l", "Tracer) and isinstance(l"),  # 8c8c6563e6: only l traced
])
def test_gamma_paths_see_the_traced_weights(monkeypatch, old, new):
    assert _run("elasticity.gamma_paths_are_cross_entropies").verdict is Verdict.PASS
    _mutate(monkeypatch, RATES, "gamma", old, new, KE)
    assert _run("elasticity.gamma_paths_are_cross_entropies").verdict is Verdict.FAIL


def test_first_crossing_ties_see_a_strict_comparison(monkeypatch):
    assert _run("elasticity.first_crossing_ties").verdict is Verdict.PASS
    _mutate(monkeypatch, "aligntheory.kernels.elasticity._metrics", "first_crossing", "Y >= VA", "Y > VA", KE)
    assert _run("elasticity.first_crossing_ties").verdict is Verdict.FAIL


@pytest.mark.parametrize("modname,fname,old,new,packages", [
    ("aligntheory.theory.elasticity._derivatives", "_terms", "np.any(u <= 0)", "np.any(u < 0)", ()),  # f76c451ec0
    (RATES, "gamma", "w[2] * np.asarray(Pt)\n", "w[2] / np.asarray(Pt)\n", KE),  # a522893820
    (RATES, "gamma", "(np.asarray(P) > 0) & (q <= 0)", "(np.asarray(P) >= 0) & (q <= 0)", KE),  # 39ed927a1b
    (RATES, "gamma", "w[1] * np.asarray(Pa) + w[2] * np.asarray(Pt)\n",
     "w[0] * np.asarray(Pa) + w[2] * np.asarray(Pt)\n", KE),  # 761659d94c
])
def test_elasticity_contract_sees_the_support_refusals(monkeypatch, modname, fname, old, new, packages):
    _mutate(monkeypatch, modname, fname, old, new, packages)
    assert _run("elasticity.failure_contract").verdict is Verdict.FAIL


def test_progress_contract_sees_mismatched_score_shapes(monkeypatch):
    _mutate(monkeypatch, "aligntheory.theory.progress._scores", "follow_score", "A.shape != E.shape or A",
            "A.shape != E.shape and A", ("aligntheory.theory.progress",))  # 04e871ede8
    assert _run("progress.failure_contract").verdict is Verdict.FAIL


@pytest.mark.parametrize("old,new", [("kk + 1) - 1", "kk + 0) - 1"),  # b1eb62ef2c
                                     ("integer=True, nonnegative", "integer=False, nonnegative")])  # 4275f4cda9
def test_noise_gain_closed_form_sees_the_expression(monkeypatch, old, new):
    assert _run("progress.noise_gain_closed_form").verdict is Verdict.PASS
    _mutate(monkeypatch, "aligntheory.theory.progress._extrapolation", "noise_gain", old, new,
            ("aligntheory.theory.progress",))
    assert _run("progress.noise_gain_closed_form").verdict is Verdict.FAIL


def test_derivatives_beyond_the_threshold_see_a_scale_applied_the_wrong_way(monkeypatch):
    assert _run("elasticity.derivatives_beyond_the_scaling_threshold").verdict is Verdict.PASS
    _mutate(monkeypatch, "aligntheory.theory.elasticity._derivatives", "_terms", "one, k, l = 1.0 / s,",
            "one, k, l = 1.0 * s,")  # 5f5ca2db0b
    assert _run("elasticity.derivatives_beyond_the_scaling_threshold").verdict is Verdict.FAIL


def test_batched_default_chunk_sees_a_doubled_chunk(monkeypatch):
    import aligntheory.kernels.elasticity as K

    orig = K.stable_derivatives_batched
    monkeypatch.setattr(K, "stable_derivatives_batched",  # the default of 2^23 leaf values per chunk (32da8a4663)
                        lambda *a, batch_size=None, **kw: orig(*a, batch_size=batch_size or (1 << 23) // 2**12, **kw))
    assert _run("elasticity.batched_derivatives_default_chunk").verdict is Verdict.FAIL


def test_contract_sees_a_mixture_scaled_by_its_largest_size(monkeypatch):
    _mutate(monkeypatch, "aligntheory.theory.elasticity._codes", "mixture", "w = N / np.max(N)", "w = N * np.max(N)",
            ("aligntheory.theory.elasticity",))  # 8f5a16c4db
    assert _run("elasticity.failure_contract").verdict is Verdict.FAIL


def test_spectral_radius_closed_form_sees_a_sign(monkeypatch):
    assert _run("progress.spectral_radius_closed_form").verdict is Verdict.PASS
    _mutate(monkeypatch, "aligntheory.theory.progress._coevolution", "first_order_spectral_radius",
            "return 1 - al / (1 + ka)", "return 1 + al / (1 + ka)", ("aligntheory.theory.progress",))  # aa487ed15d
    assert _run("progress.spectral_radius_closed_form").verdict is Verdict.FAIL

"""Issue #11 round 6 (elasticity and progress): each new claim and contract row CAN fail."""

import numpy as np
import pytest

from aligntheory.config import configure
from aligntheory.errors import InvalidInputError
from aligntheory.proofs_check import Context, Verdict, load_all

configure()


def _run(cid):
    return load_all().get(cid).run(Context(seed=0))


def test_mc_mse_sample_path_passes_and_sees_a_flipped_noise_sign(monkeypatch):
    import aligntheory.kernels.progress as K

    assert _run("progress.mc_mse_sample_path").verdict is Verdict.PASS
    orig = K.mc_extrapolation_mse
    # mean(((-f + eps) w + t)^2) = mean(((f - eps) w - t)^2): the f - eps model, same distribution, other sample
    monkeypatch.setattr(K, "mc_extrapolation_mse",
                        lambda key, f, sigma, k, m, n, *, target: orig(key, -np.asarray(f), sigma, k, m, n,
                                                                       target=-target))
    assert _run("progress.mc_mse_sample_path").verdict is Verdict.FAIL


def test_mass_curve_sees_the_sign_of_l(monkeypatch):
    import aligntheory.theory.elasticity as T

    assert _run("elasticity.mass_curve_and_short_fits").verdict is Verdict.PASS
    monkeypatch.setattr(T, "alignment_mass_curve",
                        lambda pi, k, ls: (k * pi + 1.0) / (k + 1.0 - np.asarray(ls, dtype=float)))
    assert _run("elasticity.mass_curve_and_short_fits").verdict is Verdict.FAIL


@pytest.mark.parametrize("name", ["two_segment_fit", "two_segment_fit_batched"])
def test_short_fits_see_a_moved_default(monkeypatch, name):
    import aligntheory.kernels.elasticity as K

    orig = getattr(K, name)
    monkeypatch.setattr(K, name, lambda y, b_min=6, **kw: orig(y, b_min, **kw))
    assert _run("elasticity.mass_curve_and_short_fits").verdict is Verdict.FAIL


def test_contract_rows_see_a_strict_length_and_a_missing_column_check(monkeypatch):
    import aligntheory.kernels.elasticity as KE
    import aligntheory.kernels.progress as KP

    orig = KE.two_segment_fit_batched

    def strict(Y, b_min=5, b_max=None, **kw):
        if np.shape(Y)[-1] <= 2 * b_min + 2:
            raise InvalidInputError("Y", "too short")
        return orig(Y, b_min, b_max, **kw)

    monkeypatch.setattr(KE, "two_segment_fit_batched", strict)
    assert _run("elasticity.failure_contract").verdict is Verdict.FAIL
    monkeypatch.undo()

    def no_check(values, order, steps_ahead, **kw):
        x = np.asarray(values, dtype=float)
        return x[:, -(order + 1):] @ np.ones(order + 1)  # a shape error, not the documented refusal

    monkeypatch.setattr(KP, "extrapolate_batched", no_check)
    assert _run("progress.failure_contract").verdict is Verdict.FAIL

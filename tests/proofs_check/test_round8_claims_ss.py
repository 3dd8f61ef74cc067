"""The social choice and safety claims of issue #11 round 8 can fail: each turns FAIL when the library function it
measures is replaced by the behaviour of a surviving mutant of the fifth fresh sample
(docs/mutation-report/fresh-r7/social_choice_safety.md), and PASSes unpatched.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402
from aligntheory.proofs_check import Context, Verdict, load_all  # noqa: E402

configure()
REG = load_all()


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


def _rows8(pillar: str) -> Verdict:
    """The round-8 rows of a failure-contract claim alone (the whole claim runs in test_all_claims)."""
    from aligntheory.proofs_check._helpers import check_contract

    if pillar == "safety":
        from aligntheory.proofs_check._safety_contract import _rows_r8
    else:
        from aligntheory.proofs_check.social_choice._contract_claims import _rows_r8
    return check_contract(_rows_r8())[0]


@pytest.mark.parametrize("pillar", ["safety", "social_choice"])
def test_round8_contract_rows_pass(pillar):
    assert _rows8(pillar) is Verdict.PASS


def test_smoothness_bound_object_passes():
    assert _run("safety.smoothness_constant_bound_object") is Verdict.PASS


def test_smoothness_bound_object_fails_when_the_closed_form_cubes_the_range(monkeypatch):
    import sympy as sp

    import aligntheory.theory.safety as S

    real = S.smoothness_constant

    def cubed(cost, beta):  # mutant b6047e81b0: expr (c_max - c_min) ** 3 / (4 beta), value untouched
        B = real(cost, beta)
        cmax, cmin, bb = sp.symbols("c_max c_min beta", positive=True)
        return dataclasses.replace(B, expr=lambda: (cmax - cmin) ** 3 / (4 * bb))

    monkeypatch.setattr(S, "smoothness_constant", cubed)
    assert _run("safety.smoothness_constant_bound_object") is Verdict.FAIL


def test_smoothness_bound_object_fails_when_the_range_is_squared_unhalved(monkeypatch):
    import aligntheory.theory.safety as S

    real = S.smoothness_constant

    def naive(cost, beta):  # (max - min)^2 overflows at +-1.2e154
        c = np.asarray(cost, float)
        with np.errstate(over="ignore"):
            v = (c.max() - c.min()) ** 2 / (4 * beta)
        if not np.isfinite(v):
            from aligntheory.errors import PrecisionError
            raise PrecisionError("overflow")
        return real(cost, beta)

    monkeypatch.setattr(S, "smoothness_constant", naive)
    assert _run("safety.smoothness_constant_bound_object") is Verdict.FAIL


def test_safety_contract_fails_when_n_bisect_zero_is_accepted(monkeypatch):
    from aligntheory.kernels import safety as KS

    real = KS.optimal_multiplier_batched

    def lenient(*a, n_bisect=200, **kw):  # mutant 189c1ea6e1: n_bisect >= 0
        return real(*a, n_bisect=max(n_bisect, 1), **kw)

    monkeypatch.setattr(KS, "optimal_multiplier_batched", lenient)
    assert _rows8("safety") is Verdict.FAIL


def test_safety_contract_fails_when_an_integer_support_is_accepted(monkeypatch):
    import aligntheory.theory.safety as S

    real = S.tilted_policy

    def lenient(*a, support=None, **kw):  # mutant ad7186a84b: the dtype check alone does not refuse
        if support is not None and np.asarray(support).dtype != bool and np.shape(support) == np.shape(a[0]):
            support = np.asarray(support).astype(bool)
        return real(*a, support=support, **kw)

    monkeypatch.setattr(S, "tilted_policy", lenient)
    assert _rows8("safety") is Verdict.FAIL


def test_social_choice_contract_fails_when_threshold_grid_skips_validation_by_default(monkeypatch):
    import aligntheory.kernels.social_choice as K

    real = K.threshold_grid_welfare

    def lenient(q, y, grid, *, validate=False):  # mutant 4e4d06493b: default validate=False
        return real(q, y, grid, validate=validate)

    monkeypatch.setattr(K, "threshold_grid_welfare", lenient)
    assert _rows8("social_choice") is Verdict.FAIL


def test_social_choice_contract_fails_when_validation_runs_under_jit(monkeypatch):
    import jax

    import aligntheory.kernels.social_choice as K

    real = K.empirical_welfare_batched

    def eager_checks(s, u, iss, pol, **kw):  # mutant fcc5fda418: host checks run on tracers
        if isinstance(u, jax.core.Tracer):
            np.asarray(u)  # raises TracerArrayConversionError, as the mutant's host check does
        return real(s, u, iss, pol, **kw)

    monkeypatch.setattr(K, "empirical_welfare_batched", eager_checks)
    assert _rows8("social_choice") is Verdict.FAIL


def test_safety_contract_fails_when_gtol_equal_to_the_residual_is_not_success(monkeypatch):
    from aligntheory.kernels import safety as KS

    real = KS.fit_cost_model

    def strict(*a, gtol=1e-8, **kw):  # mutant 065904206b: success needs residual < gtol (not <=)
        return real(*a, gtol=gtol * (1 - 2**-52), **kw)

    monkeypatch.setattr(KS, "fit_cost_model", strict)
    assert _rows8("safety") is Verdict.FAIL

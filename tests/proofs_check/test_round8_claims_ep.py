"""Issue #11 round 8 (elasticity and progress): each new claim and contract row CAN fail.

Each test plants a surviving mutant of the fifth fresh sample (docs/mutation-report/fresh-r7/elasticity_progress.md),
or the behaviour of the code before the round-8 fix, by editing the function's source (one token, as the mutation
tool does) and asserts that the claim FAILS.
"""

import importlib
import math

import pytest

from aligntheory.config import configure
from aligntheory.proofs_check import Context, Verdict, load_all
from tests.proofs_check._plant import plant as _mutate  # noqa: E402

configure()


def _run(cid):
    return load_all().get(cid).run(Context(seed=0))


EXTRAP, TP = "aligntheory.theory.progress._extrapolation", ("aligntheory.theory.progress",)


def test_error_bound_claim_passes():
    assert _run("progress.error_bound_correctly_rounded").verdict is Verdict.PASS


def test_error_bound_claim_fails_on_the_old_product_that_underflows(monkeypatch):
    # the code before the round-8 fix: C * M * exp((k + 1) log h), 0.0 where h^(k+1) alone underflows
    def old(k, m, h, M):
        return float(math.comb(m + k, k + 1) * M * math.exp((k + 1) * math.log(h)))

    monkeypatch.setattr(importlib.import_module(EXTRAP), "_exact_bound", old)
    assert _run("progress.error_bound_correctly_rounded").verdict is Verdict.FAIL


@pytest.mark.parametrize("old,new", [
    ("** (k + 1))", "** (k + 0))"),  # cde27eb1bf
    ("math.comb(m + k, k + 1) * Fraction(M)", "math.comb(m + k, k + 0) * Fraction(M)"),  # 06bccc2355
])
def test_error_bound_claim_fails_under_planted_sites(monkeypatch, old, new):
    _mutate(monkeypatch, EXTRAP, "_exact_bound", old, new)
    assert _run("progress.error_bound_correctly_rounded").verdict is Verdict.FAIL


@pytest.mark.parametrize("fname,old,new", [
    ("extrapolate_by_recurrence", "if len(vals) < k + 1:", "if len(vals) < k + 0:"),  # 7c1add7ff9 (survivor)
    ("extrapolate_by_recurrence", "if len(vals) < k + 1:", "if len(vals) <= k + 1:"),  # fe8ebbc250
    ("extrapolation_coefficients", "lo=0, hi=60)", "lo=0, hi=61)"),  # 29cdfc4d11
    ("extrapolate", "allow_order_reduction: bool = False", "allow_order_reduction: bool = True"),  # f848d6c1b2
    ("optimal_order", "lo=0, hi=60)", "lo=0, hi=61)"),  # b9f36ad3ae
])
def test_progress_contract_rows_fail_under_planted_sites(monkeypatch, fname, old, new):
    _mutate(monkeypatch, EXTRAP, fname, old, new, TP)
    assert _run("progress.failure_contract").verdict is Verdict.FAIL


def test_mc_delta_traced_claim_fails_under_the_survivor(monkeypatch):
    # (it PASSES unmutated: tests/proofs_check/test_all_claims.py) b2119a8117: the traced standard error with Rt / dp instead of Rt * dp
    monkeypatch.setattr(importlib.import_module("aligntheory.proofs_check.elasticity._r8_claims"), "_JIT", [])
    _mutate(monkeypatch, "aligntheory.kernels.elasticity._sampling", "mc_delta_gamma",
            "jnp.std(da + Rt * dp, ddof=1)", "jnp.std(da + Rt / dp, ddof=1)", ("aligntheory.kernels.elasticity",))
    assert _run("elasticity.mc_delta_traced_estimate").verdict is Verdict.FAIL


@pytest.mark.parametrize("old,new", [
    ("t_last: float = 0.0)", "t_last: float = 1.0)"),  # 25fa24c650: a documented default
    # 358d58212a: the objective table (its line, exact since round 13)
    ("s2, hh = Fraction(sigma) ** 2, Fraction(h)", "s2, hh = Fraction(sigma) ** 3, Fraction(h)"),
])
def test_optimal_order_tables_fail_under_planted_sites(monkeypatch, old, new):
    assert _run("progress.optimal_order_tables").verdict is Verdict.PASS
    _mutate(monkeypatch, EXTRAP, "optimal_order", old, new, TP)
    assert _run("progress.optimal_order_tables").verdict is Verdict.FAIL


def test_contract_refuses_an_objective_past_float64_at_every_order(monkeypatch):
    _mutate(monkeypatch, EXTRAP, "optimal_order", "if not np.any(np.isfinite(bound)) or (exact",
            "if not np.any(np.isfinite(bound)) and (exact", TP)  # 43bea7a58d
    assert _run("progress.failure_contract").verdict is Verdict.FAIL

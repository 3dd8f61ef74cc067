"""The social choice and safety claims of issue #11 round 7 can fail: each turns FAIL when the library function it
measures is replaced by the behaviour of a surviving mutant of the fourth fresh sample
(docs/mutation-report/fresh-r6/social_choice_safety.md), and PASSes unpatched.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402
from aligntheory.errors import ConvergenceError, SizeCapError  # noqa: E402
from aligntheory.proofs_check import Context, Verdict, load_all  # noqa: E402

configure()
REG = load_all()

NEW = ("safety.optimal_multiplier_branch_table", "safety.dual_ascent_trace_and_final",
       "safety.primal_dual_trace_defaults", "safety.pid_sweep_delay_integral_derivative",
       "safety.cost_model_fit_defaults", "social_choice.drup_checker_deletions",
       "social_choice.threshold_continuum_deviation_exact")


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


@pytest.mark.parametrize("cid", NEW)
def test_round7_claims_pass(cid):
    assert _run(cid) is Verdict.PASS


def test_branch_table_fails_when_a_failed_solve_reports_one_iteration(monkeypatch):
    import aligntheory.theory.safety as S

    real = S.optimal_multiplier

    def mutant(*a, **kw):  # bb2f97f450: _failed(iterations=1) by default
        sol = real(*a, **kw)
        return dataclasses.replace(sol, iterations=1) if not sol.result.succeeded else sol

    monkeypatch.setattr(S, "optimal_multiplier", mutant)
    assert _run("safety.optimal_multiplier_branch_table") is Verdict.FAIL


def test_branch_table_fails_when_an_exact_slack_budget_is_called_active(monkeypatch):
    import aligntheory.theory.safety as S

    real = S.optimal_multiplier

    def mutant(*a, **kw):  # 99bf2eba83: `ec0 < d` sends E_pi0 c = d to the root finder, which flags it active
        sol = real(*a, **kw)
        return dataclasses.replace(sol, active=True) if sol.lam == 0.0 and sol.residual == 0.0 else sol

    monkeypatch.setattr(S, "optimal_multiplier", mutant)
    assert _run("safety.optimal_multiplier_branch_table") is Verdict.FAIL


def test_dual_ascent_final_fails_with_the_type_test_on_ndim_1(monkeypatch):
    from aligntheory.theory.safety import _ascent

    def final(self):  # d1f3f7c91c
        last = self.lam[-1]
        return float(last) if np.ndim(last) == 1 else last

    monkeypatch.setattr(_ascent.DualAscentTrace, "final", property(final))
    assert _run("safety.dual_ascent_trace_and_final") is Verdict.FAIL


def test_primal_dual_defaults_fail_when_the_window_skips_its_first_slot(monkeypatch):
    import aligntheory.kernels.safety as KS

    real = KS.simulate_primal_dual

    def mutant(*a, **kw):  # d28e075750: with window 1 the first batch mean is written out of bounds (dropped)
        tr = real(*a, **kw)
        return tr._replace(cost_estimate=tr.cost_estimate.at[0].set(0.0)) if kw.get("window", 1) == 1 else tr

    monkeypatch.setattr(KS, "simulate_primal_dual", mutant)
    assert _run("safety.primal_dual_trace_defaults") is Verdict.FAIL


def test_pid_sweep_fails_when_the_held_start_is_ki_over_i0(monkeypatch):
    import aligntheory.kernels.safety_multiplier as KM

    real = KM.pid_multiplier_sweep

    def mutant(costs, ds, kps, kis, windows, **kw):  # 73b4971975
        out = real(costs, ds, kps, kis, windows, **kw)
        k = np.asarray(kis, dtype=float)
        held = np.maximum(0.0, k / kw["integral_init"])[:, None]
        return out.at[..., : kw["delay_steps"]].set(np.broadcast_to(held, out.shape[-2:-1] + (kw["delay_steps"],)))

    monkeypatch.setattr(KM, "pid_multiplier_sweep", mutant)
    assert _run("safety.pid_sweep_delay_integral_derivative") is Verdict.FAIL


def test_safety_contract_fails_when_fit_cost_model_accepts_4097_items(monkeypatch):
    import aligntheory.kernels.safety as KS

    real = KS.fit_cost_model

    def mutant(pairs, harm, unsafe, n_items, **kw):  # 1c0e68c87d: default max_items 4097; that fit then fails
        if n_items == 4097 and "max_items" not in kw:
            raise ConvergenceError("fit_cost_model: gradient norm nan after 1 Newton steps", iterations=1)
        return real(pairs, harm, unsafe, n_items, **kw)

    monkeypatch.setattr(KS, "fit_cost_model", mutant)
    assert _run("safety.failure_contract") is Verdict.FAIL


def test_social_choice_contract_fails_when_a_zero_cap_is_a_size_refusal(monkeypatch):
    import aligntheory.kernels.social_choice as K

    real = K.sample_threshold_pairs

    def mutant(key, n, b, *, max_elements=10**8):  # ba506ca1d9: max_elements checked with lo=0
        if max_elements == 0:
            raise SizeCapError("n_samples", cap=0, cost=n * b, unit="draws")
        return real(key, n, b, max_elements=max_elements)

    monkeypatch.setattr(K, "sample_threshold_pairs", mutant)
    assert _run("social_choice.failure_contract") is Verdict.FAIL


def test_cost_model_defaults_fail_with_21_default_newton_steps(monkeypatch):
    import aligntheory.kernels.safety as KS

    real = KS.fit_cost_model
    monkeypatch.setattr(KS, "fit_cost_model", lambda *a, **kw: real(*a, **{"newton_steps": 21, **kw}))  # b1559b7b3a
    assert _run("safety.cost_model_fit_defaults") is Verdict.FAIL


def test_drup_deletions_fail_when_deletions_are_ignored(monkeypatch):
    from aligntheory.theory.social_choice import _rup

    monkeypatch.setattr(_rup._Db, "delete", lambda self, lits: True)  # as 0a6b4fd50f: the clause stays live
    assert _run("social_choice.drup_checker_deletions") is Verdict.FAIL


def test_continuum_deviation_exact_fails_when_empty_cells_count(monkeypatch):
    import jax.numpy as jnp

    import aligntheory.kernels.social_choice as K
    from aligntheory.kernels.social_choice import _threshold

    def old_cont(q, y):  # the kernel before the round-7 fix: the empty cells of tied issues counted
        order = jnp.argsort(q)
        qs, ys = q[order], y[order].astype(jnp.float64)
        lo, hi = jnp.concatenate([jnp.zeros(1), qs]), jnp.concatenate([qs, jnp.ones(1)])
        what = (jnp.concatenate([jnp.zeros(1), jnp.cumsum(1.0 - ys)]) + jnp.sum(ys)
                - jnp.concatenate([jnp.zeros(1), jnp.cumsum(ys)])) / q.shape[0]
        return jnp.maximum(jnp.max(what - jnp.minimum(_threshold._W(lo), _threshold._W(hi))),
                           jnp.max(_threshold._W(jnp.clip(0.5, lo, hi)) - what))

    import jax

    batched = jax.vmap(old_cont)
    monkeypatch.setattr(K, "threshold_continuum_deviation", lambda q, y, **kw: batched(jnp.asarray(q), jnp.asarray(y)))
    assert _run("social_choice.threshold_continuum_deviation_exact") is Verdict.FAIL

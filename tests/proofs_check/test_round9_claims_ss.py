"""The social choice and safety claims of issue #11 round 9 can fail: each turns FAIL when the library function it
measures is replaced by a surviving mutant of the sixth fresh sample (docs/mutation-report/fresh-r8/report.md) or a
part-B site (docs/mutation-report/fresh-r8/social_choice_safety.md), and PASSes unpatched.
"""

from __future__ import annotations

import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402
from aligntheory.proofs_check import Context, Verdict, load_all  # noqa: E402
from tests.proofs_check._plant import plant, recompiled  # noqa: E402

configure()
REG = load_all()


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


def _rows9(pillar: str) -> Verdict:
    """The round-9 rows of a failure-contract claim alone (the whole claim runs in test_all_claims)."""
    from aligntheory.proofs_check._helpers import check_contract

    if pillar == "safety":
        from aligntheory.proofs_check._safety_contract import _rows_r9
    else:
        from aligntheory.proofs_check.social_choice._contract_claims import _rows_r9
    return check_contract(_rows_r9())[0]


@pytest.mark.parametrize("pillar", ["safety", "social_choice"])
def test_round9_contract_rows_pass(pillar):
    assert _rows9(pillar) is Verdict.PASS


def test_contract_rows_fail_when_a_1d_episode_cost_passes_the_shape_check(monkeypatch):
    # mutant f8863a58bd: `c.ndim != 3 or 0 in c.shape` -> `and`
    plant(monkeypatch, "aligntheory.kernels.safety_multiplier", "_host", "c.ndim != 3 or 0", "c.ndim != 3 and 0")
    assert _rows9("safety") is Verdict.FAIL


def test_contract_rows_fail_when_a_finite_mean_hides_an_infinite_variance(monkeypatch):
    # mutant 8fb7d59ad9: `isfinite(ec) and isfinite(var) and ...` -> `isfinite(ec) or ...`
    plant(monkeypatch, "aligntheory.theory.safety._tilt", "_moments", "np.isfinite(ec) and", "np.isfinite(ec) or")
    assert _rows9("safety") is Verdict.FAIL


def test_contract_rows_fail_when_n_pairs_zero_is_accepted(monkeypatch):
    # mutant 4651313c80: max_min_subset_mass n_pairs lo=1 -> lo=0 (a math domain error instead of the refusal)
    plant(monkeypatch, "aligntheory.theory.social_choice._lp", "max_min_subset_mass", '"n_pairs", n_pairs, lo=1',
          '"n_pairs", n_pairs, lo=0', packages=("aligntheory.theory.social_choice",))
    assert _rows9("social_choice") is Verdict.FAIL


def test_drup_units_claim_passes_and_fails_when_a_unit_assigns_the_false_literal(monkeypatch):
    assert _run("social_choice.drup_checker_top_level_units") is Verdict.PASS
    from aligntheory.theory.social_choice import _rup

    # mutant b5f812f230: a clause that becomes unit when added assigns c[1] (false) instead of c[0]
    old = "elif v1 == -1 and v0 == 0:\n        self.assign(c[0], cid)"  # dedented source of the method
    monkeypatch.setattr(_rup._Db, "add", recompiled(_rup._Db, "add", old, old.replace("c[0], cid", "c[1], cid")))
    assert _run("social_choice.drup_checker_top_level_units") is Verdict.FAIL


def test_lp_tables_claim_passes_and_fails_when_the_default_h_changes(monkeypatch):
    assert _run("social_choice.lp_optima_tables") is Verdict.PASS
    plant(monkeypatch, "aligntheory.theory.social_choice._lp", "max_min_subset_mass", "k // 2 + 1", "k // 3 + 1",
          packages=("aligntheory.theory.social_choice",))
    assert _run("social_choice.lp_optima_tables") is Verdict.FAIL


def test_lp_tables_claim_fails_when_the_tie_margin_is_dropped(monkeypatch):
    plant(monkeypatch, "aligntheory.theory.social_choice._lp", "fit_scoring_vector", "1.0 if c < wj else 0.0",
          "0.0 if c < wj else 0.0", packages=("aligntheory.theory.social_choice",))
    assert _run("social_choice.lp_optima_tables") is Verdict.FAIL


def test_simulation_law_claim_passes_and_fails_when_response_0_is_never_first(monkeypatch):
    assert _run("safety.dual_preferences_simulation_law") is Verdict.PASS
    # mutant 1bdcb342ab: i = randint(k1, (n_pairs,), 1, n)
    plant(monkeypatch, "aligntheory.kernels.safety._preferences", "_sim_prefs_core", "(n_pairs,), 0, n)",
          "(n_pairs,), 1, n)")
    assert _run("safety.dual_preferences_simulation_law") is Verdict.FAIL


def test_ridge_gauge_claim_passes_and_fails_when_the_ridge_gradient_flips(monkeypatch):
    assert _run("safety.cost_model_ridge_gauge_and_composition") is Verdict.PASS
    plant(monkeypatch, "aligntheory.kernels.safety._preferences", "_grad_hess", "return g + ridge * c, H",
          "return g - ridge * c, H")
    from aligntheory.kernels.safety import _preferences as P

    monkeypatch.setattr(P, "_fit_core", recompiled(P, "_fit_core", "st = 1.0", "st = 1.0"))  # binds the mutant
    assert _run("safety.cost_model_ridge_gauge_and_composition") is Verdict.FAIL


def test_ridge_gauge_claim_fails_when_pad_to_keeps_one_pair_too_many(monkeypatch):
    plant(monkeypatch, "aligntheory.kernels.safety._preferences", "_fit_dual_bt_core", "jnp.arange(pad) < n_used",
          "jnp.arange(pad) <= n_used")
    assert _run("safety.cost_model_ridge_gauge_and_composition") is Verdict.FAIL


def test_sweep_cap_claim_passes_and_fails_when_the_cap_is_ignored(monkeypatch):
    assert _run("safety.multiplier_sweep_cap_and_defaults") is Verdict.PASS
    plant(monkeypatch, "aligntheory.kernels.safety_multiplier", "_scan", "jnp.minimum(u + lr", "jnp.maximum(u + lr")
    from aligntheory.kernels import safety_multiplier as KM

    monkeypatch.setattr(KM, "_sweep", recompiled(KM, "_sweep", "f = jax.vmap(f, in_axes=(None, 0, None))",
                                                 "f = jax.vmap(f, in_axes=(None, 0, None))"))  # binds the mutant
    assert _run("safety.multiplier_sweep_cap_and_defaults") is Verdict.FAIL


def test_contract_rows_fail_when_the_histogram_threshold_moves(monkeypatch):
    # part B: the working-set formula switches at m = 7 (`m > _HIST_MAX_M` -> `>=`)
    plant(monkeypatch, "aligntheory.kernels.social_choice._voting", "_cap", "m > _HIST_MAX_M", "m >= _HIST_MAX_M")
    assert _rows9("social_choice") is Verdict.FAIL

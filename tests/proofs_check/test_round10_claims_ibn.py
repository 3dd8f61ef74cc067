"""The IBN claims of issue #11 round 10 (helper nI) can fail: each turns FAIL when the library function it measures is
replaced by the behaviour of a surviving mutant of the seventh fresh sample (docs/mutation-report/fresh-r9) or of a
part-B mutant of the same code (docs/mutation-report/round10/nI.md); that they PASS unpatched is tested by
tests/proofs_check/test_all_claims.py. Mutants are planted by editing one token of the function's source in a copy
of its module's namespace.
"""

from __future__ import annotations

import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402
from aligntheory.proofs_check import Context, Verdict, load_all  # noqa: E402
from tests.proofs_check._plant import plant, recompiled  # noqa: E402

configure()
REG = load_all()

CLAIMS = {
    "ibn.tree_budget_closed_form_table": "theorem",
    "ibn.disconnected_messages_name_the_pair": "contract",
    "ibn.inference_distances_per_component_table": "theorem",
    "ibn.bt_disconnected_message_table": "contract",
    "ibn.bt_existence_undecided_sweeps": "theorem",
    "ibn.laplacian_pcg_iterations_match_scipy": "theorem",
    "ibn.tree_pairs_uniform_matching": "theorem",
    "ibn.dynamic_range_below_one_contract": "contract",
    "ibn.grounded_resistance_extreme_range_table": "theorem",
    "ibn.inference_distances_large_tree_table": "theorem",
    "ibn.reference_route_messages_state_the_range": "contract",
    "ibn.kernel_caps_state_their_documented_cost": "contract",
    "ibn.bt_loglik_field_without_prior_table": "theorem",
}


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


def test_round10_claims_registered_with_their_kind():
    for cid, kind in CLAIMS.items():
        assert REG.get(cid).kind == kind, cid


def test_tree_budget_table_fails_on_a_wrong_log_regime_closed_form(monkeypatch):
    """Mutant 645f95aafe: _tree_budget_expr log regime ``sp.exp(t - 1)`` -> ``sp.exp(t + 1)``."""
    plant(monkeypatch, "aligntheory.theory.ibn._sample_size", "_tree_budget_expr", '"log": sp.exp(t - 1)',
          '"log": sp.exp(t + 1)')
    assert _run("ibn.tree_budget_closed_form_table") is Verdict.FAIL


def test_disconnected_message_claim_fails_when_a_label_is_compared_with_itself(monkeypatch):
    """Mutant ad13f701f7: require_connected ``labels[pairs[:, 0]] !=`` -> ``labels[pairs[:, 1]] !=``."""
    plant(monkeypatch, "aligntheory.theory.ibn._graph", "require_connected", "labels[pairs[:, 0]] !=",
          "labels[pairs[:, 1]] !=")
    assert _run("ibn.disconnected_messages_name_the_pair") is Verdict.FAIL


def test_per_component_table_fails_on_a_wrong_component_selection(monkeypatch):
    """Part-B mutant c5b54b1e06: _pairs_variance ``labels[p[:, 0]] == lab`` -> ``!=``."""
    plant(monkeypatch, "aligntheory.theory.ibn._network", "_pairs_variance", "sel = labels[p[:, 0]] == lab",
          "sel = labels[p[:, 0]] != lab")
    assert _run("ibn.inference_distances_per_component_table") is Verdict.FAIL


def test_bt_message_table_fails_on_a_truncated_member_list(monkeypatch):
    """Mutant e43de12607: fit_bradley_terry's message ``str([...])[:-1]`` -> ``[:1]``."""
    plant(monkeypatch, "aligntheory.numerics.bradley_terry", "fit_bradley_terry", "m[:8]])[:-1]", "m[:8]])[:1]",
          packages=("aligntheory.numerics",))
    assert _run("ibn.bt_disconnected_message_table") is Verdict.FAIL


def test_undecided_sweeps_claim_fails_when_the_exact_search_misses_one_item(monkeypatch):
    """_strongly_connected_bfs ``if count < n:`` -> ``if count < n - 1:`` (one unreached item tolerated; run as
    Python)."""
    plant(monkeypatch, "aligntheory.numerics._bt_numba", "_strongly_connected_bfs", "if count < n:",
          "if count < n - 1:")
    assert _run("ibn.bt_existence_undecided_sweeps") is Verdict.FAIL


def test_pcg_iterations_claim_fails_on_a_wrong_jacobi_preconditioner(monkeypatch):
    """Part-B mutant 978b83bf5f: LaplacianSolver.solve ``1.0 / A.diagonal()`` -> ``1.0 * A.diagonal()``."""
    from aligntheory.numerics import laplacian

    cls = laplacian.LaplacianSolver
    monkeypatch.setattr(cls, "solve", recompiled(cls, "solve", "1.0 / A.diagonal()", "1.0 * A.diagonal()"))
    assert _run("ibn.laplacian_pcg_iterations_match_scipy") is Verdict.FAIL


def test_tree_pairs_uniform_claim_fails_on_a_wrong_matching_width(monkeypatch):
    """Mutant 2685f40f8b: _tree_pairs ``perm[:, : 2 * (L // 2)]`` -> ``perm[:, : 2 * (L // 3)]`` (fails at trace)."""
    plant(monkeypatch, "aligntheory.kernels.ibn._datasets", "_tree_pairs", "perm[:, : 2 * (L // 2)]",
          "perm[:, : 2 * (L // 3)]")
    assert _run("ibn.tree_pairs_uniform_matching") is Verdict.FAIL


def test_dynamic_range_contract_fails_when_conductances_below_one_are_ignored(monkeypatch):
    """Part-B mutant 902df66f1f: dynamic_range_check ``h[h > 0]`` -> ``h[h > 1]``."""
    plant(monkeypatch, "aligntheory.kernels.ibn._checks", "dynamic_range_check", "h[h > 0]", "h[h > 1]")
    assert _run("ibn.dynamic_range_below_one_contract") is Verdict.FAIL


def test_extreme_range_table_fails_on_a_wrong_overflow_fallback(monkeypatch):
    """Part-B mutant 5401c2a5d9: _grounded_green_diag's quotient form ``row[bad] * (s[k] / dk)`` -> ``* (s[k] * dk)``."""
    plant(monkeypatch, "aligntheory.theory.ibn._graph", "_grounded_green_diag", "row[bad] * (s[k] / dk)",
          "row[bad] * (s[k] * dk)")
    assert _run("ibn.grounded_resistance_extreme_range_table") is Verdict.FAIL


def test_large_tree_table_fails_when_the_first_kept_node_loses_its_column(monkeypatch):
    """Estimate mutant 844535e8b7: _difference_variance ``if pos[b] >= 0:`` -> ``if pos[b] >= 1:``."""
    plant(monkeypatch, "aligntheory.theory.ibn._network", "_difference_variance", "if pos[b] >= 0:", "if pos[b] >= 1:")
    assert _run("ibn.inference_distances_large_tree_table") is Verdict.FAIL


def test_range_messages_fail_on_a_wrong_dynamic_range(monkeypatch):
    """Part-B mutant 84e7fbae04: dynamic_range ``v.max() / v.min()`` -> ``v.max() * v.min()``."""
    plant(monkeypatch, "aligntheory.theory.ibn._graph", "dynamic_range", "v.max() / v.min()", "v.max() * v.min()")
    assert _run("ibn.reference_route_messages_state_the_range") is Verdict.FAIL


def test_caps_contract_fails_on_a_wrong_hops_bfs_cost(monkeypatch):
    """Part-B mutant d1b1a36fa7: hops_bfs cost ``(3 * n + 2 * int(e.shape[0]))`` -> ``2 / int(...)`` (the row
    at max_entries = cost - 1 is then accepted)."""
    plant(monkeypatch, "aligntheory.kernels.ibn._datasets", "hops_bfs", "(3 * n + 2 * int(e.shape[0]))",
          "(3 * n + 2 / int(e.shape[0]))", packages=("aligntheory.kernels.ibn",))
    assert _run("ibn.kernel_caps_state_their_documented_cost") is Verdict.FAIL


def test_loglik_table_fails_when_the_log_posterior_is_reported(monkeypatch):
    """Estimate mutant 2d23acc674: _newton's final log-likelihood replaced by the objective, prior included (the
    line reads ``ll = W.loglik_at(theta)`` since round 13)."""
    plant(monkeypatch, "aligntheory.numerics._bt_fit", "_newton", "ll = W.loglik_at(theta)", "ll = W.eval(theta)[0]",
          packages=("aligntheory.numerics.bradley_terry",))
    assert _run("ibn.bt_loglik_field_without_prior_table") is Verdict.FAIL

"""The IBN claims of issue #11 round 7 can fail: each turns FAIL when the library function it measures is replaced by
the behaviour of a surviving mutant of the fourth fresh sample (docs/mutation-report/fresh-r6/ibn.md); that they
PASS unpatched is tested by tests/proofs_check/test_all_claims.py (seeds 0-4), which compiles them anyway. Mutants of private jitted helpers are planted by editing their source (one token) in a copy of the
module's namespace, then re-jitting only what calls them.
"""

from __future__ import annotations

import inspect
import types

import numpy as np
import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402
from aligntheory.proofs_check import Context, Verdict, load_all  # noqa: E402
from tests.proofs_check._plant import recompiled as _mutant  # noqa: E402

configure()
REG = load_all()

def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


def _fresh(f):
    """A new function object with ``f``'s code and globals: jax.jit caches traces per function object, so a jit of
    the copy re-traces and sees a patched module global (a jit of ``f`` itself would reuse ``f``'s trace)."""
    return types.FunctionType(f.__code__, f.__globals__, f.__name__, f.__defaults__, f.__closure__)


def test_scale_exact_fails_when_small_conductances_skip_the_scaling(monkeypatch):
    """Mutant 643a248c1d: ``jnp.max(cond, initial=1.0)`` in ``_reff_graph``: below max c = 1 the conductances are not
    divided by their largest value, and 2^k c no longer gives 2^-k R(c) bit for bit."""
    from aligntheory.kernels.ibn import _resistance

    monkeypatch.setattr(_resistance, "_reff_graph", _mutant(_resistance, "_reff_graph", "initial=0.0", "initial=1.0"))
    assert _run("ibn.reff_dense_scale_exact") is Verdict.FAIL


def test_ls_beta_free_fails_with_the_unnormalised_weights(monkeypatch):
    """The bug fixed in round 7 (and mutant 84bcb3af32 on it, beta**3): weights 3 beta^2 K / pi^2 used as they are."""
    import jax
    import jax.numpy as jnp

    from aligntheory.kernels.ibn import _bt_continuous as BC

    def old_ls_solve(n_nodes, edges, deltas, K, beta):
        c = 3.0 * beta**2 * K / jnp.pi**2
        u, v = edges[:, 0], edges[:, 1]
        L = jnp.zeros((n_nodes, n_nodes), c.dtype).at[u, v].add(-c).at[v, u].add(-c)
        L = L + jnp.diag(jax.ops.segment_sum(c, u, n_nodes) + jax.ops.segment_sum(c, v, n_nodes))
        J = jnp.full((n_nodes, n_nodes), 1.0 / n_nodes, c.dtype)
        return jax.scipy.linalg.cho_factor(L + J, lower=True), c

    monkeypatch.setattr(BC, "_ls_solve", old_ls_solve)
    monkeypatch.setattr(BC, "_fit_ls_core", jax.jit(_fresh(BC._fit_ls_core.__wrapped__), static_argnums=0))
    assert _run("ibn.ls_continuous_beta_free") is Verdict.FAIL


def test_ls_beta_free_fails_on_a_biased_mc_variance(monkeypatch):
    """Part B: the Monte Carlo variance divided by R instead of R - 1 (documented unbiased)."""
    from aligntheory.kernels.ibn import _bt_continuous as BC

    monkeypatch.setattr(BC, "_mc_cont", _mutant(BC, "_mc_cont", "/ (R - 1.0)", "/ (R - 0.0)"))
    assert _run("ibn.ls_continuous_beta_free") is Verdict.FAIL


def test_two_point_fails_when_excluded_replicates_leak(monkeypatch):
    """Mutant 5b69c41d0d: ``dev = (diffs - mean) / w[:, None]``: excluded replicates (w = 0) give inf/NaN."""
    from aligntheory.kernels.ibn import _bt_mc

    monkeypatch.setattr(_bt_mc, "_mc_var", _mutant(_bt_mc, "_mc_var", "(diffs - mean) * w", "(diffs - mean) / w"))
    assert _run("ibn.mc_variance_two_point") is Verdict.FAIL


def test_warm_start_fails_on_wrong_weights(monkeypatch):
    """Mutant abcef479d4: ``c0 = K * ph * (1.0 + ph)`` in ``_ls_start``: another warm start, another first step."""
    import jax

    from aligntheory.kernels.ibn import _bt

    monkeypatch.setattr(_bt, "_ls_start", _mutant(_bt, "_ls_start", "(1.0 - ph)", "(1.0 + ph)"))
    monkeypatch.setattr(_bt, "_newton_jit", jax.jit(_fresh(_bt._newton_dense), static_argnums=(0, 6)))
    assert _run("ibn.newton_warm_start_step") is Verdict.FAIL


def test_contract_fails_on_chain_cluster_graph_n_zero(monkeypatch):
    """Mutant d009c4012b: ``check_int("n", n, lo=0)``: n = 0 accepted (an empty graph)."""
    import aligntheory.kernels.ibn as KI
    from aligntheory.kernels.ibn import _datasets

    monkeypatch.setattr(KI, "chain_cluster_graph", _mutant(_datasets, "chain_cluster_graph", "lo=1)", "lo=0)"))
    assert _run("ibn.boundary_contract") is Verdict.FAIL


def test_contract_fails_on_negative_prior_accepted(monkeypatch):
    """Mutant 8b2b3c2802: ``nonnegative=False`` for ``prior_strength``: -1e-300 accepted."""
    import aligntheory.kernels.ibn as KI
    from aligntheory.kernels.ibn import _bt

    monkeypatch.setattr(KI, "fit_bt_newman", _mutant(_bt, "fit_bt_newman", "prior_strength, nonnegative=True)", "prior_strength, nonnegative=False)"))
    assert _run("ibn.boundary_contract") is Verdict.FAIL


def test_contract_fails_when_the_closed_form_is_carried_at_s2_zero(monkeypatch):
    """Mutant f895c997ae: ``closed = s == 0 or ...``: the closed form is carried whenever s2 = 0."""
    import aligntheory.theory.ibn as TI
    from aligntheory.theory.ibn import _mechanism

    monkeypatch.setattr(TI, "chain_tree_ratio", _mutant(_mechanism, "chain_tree_ratio", "s == 0 and opt", "s == 0 or opt"))
    assert _run("ibn.boundary_contract") is Verdict.FAIL


def test_two_point_moments_table():
    """The helper's table: n = 3 values (+a, +a, -a): var = 4 a^2 2/(3 2) = 4a^2/3, m4 = 16 a^4 2 (8 + 1)/243."""
    from aligntheory.proofs_check.ibn._r7_claims import _two_point

    p, var, m4 = _two_point(3, 1.0)[2]
    x = np.array([1.0, 1.0, -1.0])
    assert p == 2 and np.isclose(var, np.var(x, ddof=1), rtol=1e-12, atol=0.0) and np.isclose(m4, np.mean((x - x.mean()) ** 4), rtol=1e-12, atol=0.0)


def test_tree_root_fails_when_the_root_is_not_zero(monkeypatch):
    """Extra survivor 5d8332a4bd: ``jnp.where(is_root[v], 1.0, ...)`` in ``_tree_solve_core.back``: every tree is
    shifted (documented x_root = 0)."""
    from aligntheory.kernels.ibn import _solvers

    monkeypatch.setattr(_solvers, "_tree_solve_core", _mutant(
        _solvers, "_tree_solve_core", "jnp.where(is_root[v], 0.0, x[p]", "jnp.where(is_root[v], 1.0, x[p]"))
    assert _run("ibn.tree_solve_root_zero") is Verdict.FAIL


def test_closed_forms_fail_when_tv_uses_other_symbols(monkeypatch):
    """Extra survivor 1237fcb760: ``positive=False`` for the TV closed form's symbols."""
    import aligntheory.theory.ibn as TI
    from aligntheory.theory.ibn import _feedback

    monkeypatch.setattr(TI, "decoder_bounds", _mutant(
        _feedback, "decoder_bounds", 'positive=True)\n        return (sp.exp', 'positive=False)\n        return (sp.exp'))
    assert _run("ibn.closed_forms_match_values") is Verdict.FAIL


def test_closed_forms_fail_on_a_wrong_log_family(monkeypatch):
    """Extra survivor ac09d97f74: ``I * (1 + sp.log(x)) * (-a)`` in ``StructuralFunction.sympy``."""
    import textwrap

    from aligntheory.theory.ibn import _universe

    src = textwrap.dedent(inspect.getsource(_universe.StructuralFunction.sympy))
    old = '"log": I * (1 + sp.log(x)) ** (-a),'
    assert src.count(old) == 1
    ns = dict(vars(_universe))
    exec(compile(src.replace(old, '"log": I * (1 + sp.log(x)) * (-a),'), "<mutant sympy>", "exec"), ns)
    monkeypatch.setattr(_universe.StructuralFunction, "sympy", ns["sympy"])
    assert _run("ibn.closed_forms_match_values") is Verdict.FAIL


def test_contract_fails_when_the_condition_limit_moves(monkeypatch):
    """Part B: the reference routes' condition limit 1e8 -> 1e8 + 1 (the tool's constant mutation)."""
    from aligntheory.theory.ibn import _graph

    monkeypatch.setattr(_graph, "REFERENCE_COND_LIMIT", 100000001.0)
    assert _run("ibn.boundary_contract") is Verdict.FAIL


def test_warm_start_claim_fails_on_another_default_maxiter(monkeypatch):
    """Part B, 0ec46b7b60: ``maxiter: int = 101`` in ``fit_bt_newton`` (tol=1e-300 then takes 101 steps)."""
    import aligntheory.kernels.ibn as KI
    from aligntheory.kernels.ibn import _bt

    monkeypatch.setattr(KI, "fit_bt_newton", _mutant(_bt, "fit_bt_newton", "maxiter: int = 100,", "maxiter: int = 101,"))
    assert _run("ibn.newton_warm_start_step") is Verdict.FAIL


def test_cost_quotient_fails_on_a_wrong_tree_term(monkeypatch):
    """Part B, b51bea3d76: ``s / h`` for ``s * h`` in chain_tree_ratio's tree cost."""
    import aligntheory.theory.ibn as TI
    from aligntheory.theory.ibn import _mechanism

    monkeypatch.setattr(TI, "chain_tree_ratio", _mutant(_mechanism, "chain_tree_ratio", "+ s * h))", "+ s / h))"))
    assert _run("ibn.chain_tree_ratio_is_cost_quotient") is Verdict.FAIL


def test_reference_tables_fail_on_a_nonzero_diagonal(monkeypatch):
    """Part B, 4a5af78ee1: a pair (u, u) gets 1.0 instead of 0.0 in ``_reff_reference``."""
    from aligntheory.theory.ibn import _resistance

    monkeypatch.setattr(_resistance, "_reff_reference", _mutant(
        _resistance, "_reff_reference", "np.where(u == w, 0.0,", "np.where(u == w, 1.0,"))
    assert _run("ibn.reff_reference_routes_tables") is Verdict.FAIL

"""The shared-numerics claims of issue #11 round 5 can fail: each turns FAIL when the library function it measures is
replaced by the behaviour of a surviving mutant of the second fresh sample (docs/mutation-report/fresh-r4/shared.md)
or of a planted mutant of the same class, and PASSes unpatched.
"""

from __future__ import annotations

import numpy as np
import pytest

from aligntheory import _validate as V
from aligntheory.config import configure
from aligntheory.proofs_check import Context, Verdict, load_all

configure()
REG = load_all()

IDS = ("ibn.bt_fit_boundaries", "ibn.bt_fit_closed_forms_at_scale", "ibn.laplacian_solver_dispatch",
       "ibn.bt_auto_handover_rule", "ibn.resistance_routes_exact", "ibn.bt_existence_matches_networkx")


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


@pytest.mark.parametrize("cid", IDS)
def test_passes_unpatched(cid):
    assert _run(cid) is Verdict.PASS


def test_boundaries_fail_on_a_cap_one_too_high(monkeypatch):
    """Mutant 2b8ee85b72 (DEFAULT_MAX_ITEMS 10_000_001): the cap accepts one item more."""
    from aligntheory.numerics import bradley_terry as B

    def mutated(n_items, max_items):
        n = V.check_int("n_items", n_items, lo=1)
        V.check_size("n_items", n, cap=min(int(max_items), B._HARD_MAX_ITEMS) + (max_items == 10_000_000),
                     unit="items")
        return n

    monkeypatch.setattr(B, "_check_n_items", mutated)
    assert _run("ibn.bt_fit_boundaries") is Verdict.FAIL


def test_boundaries_fail_when_two_items_are_refused(monkeypatch):
    """Mutant bb7440753a (``n <= 2``): two items refused."""
    from aligntheory.errors import InvalidInputError
    from aligntheory.numerics import bradley_terry as B

    orig = B._encode

    def mutated(*a, **k):
        idx, labs, n = orig(*a, **k)
        if n <= 2:
            raise InvalidInputError("comparisons", "need at least two items", received=f"{n} item")
        return idx, labs, n

    monkeypatch.setattr(B, "_encode", mutated)
    assert _run("ibn.bt_fit_boundaries") is Verdict.FAIL


def test_closed_forms_fail_on_an_absolute_stopping_rule(monkeypatch):
    """The defect of round 5: an absolute tol below the gradient's rounding floor (ConvergenceError at 1e8)."""
    import aligntheory.numerics as N
    from aligntheory.numerics import _bt_fit

    orig = N.fit_bradley_terry
    monkeypatch.setattr(_bt_fit, "_FLOOR_FACTOR", 0.0)
    # cheap stand-in: at most 300 iterations, so Newman's 100000 default does not run out the clock
    monkeypatch.setattr(N, "fit_bradley_terry", lambda *a, **k: orig(*a, **{**k, "maxiter": k.get("maxiter") or 300}))
    assert _run("ibn.bt_fit_closed_forms_at_scale") is Verdict.FAIL


def test_closed_forms_fail_on_unit_grounding_of_the_stderr(monkeypatch):
    """The stderr of round 4 (grounding J/n on the unit scale: cancels at large counts)."""
    from scipy.linalg import cho_factor, cho_solve
    from scipy.special import expit

    from aligntheory.numerics import bradley_terry as B

    orig = B._stderr_dense

    def mutated(n, edges, K, theta, prior):
        if prior > 0:
            return orig(n, edges, K, theta, prior)
        u, v = edges[:, 0], edges[:, 1]
        p = expit(theta[u] - theta[v])
        c = K * p * (1.0 - p)
        H = np.zeros((n, n))
        np.add.at(H, (u, v), -c)
        np.add.at(H, (v, u), -c)
        H[np.diag_indices(n)] = np.bincount(u, c, n) + np.bincount(v, c, n)
        C = cho_solve(cho_factor(H + 1.0 / n, lower=True), np.eye(n)) - 1.0 / n
        return np.sqrt(np.clip(np.diag(C), 0.0, None))

    monkeypatch.setattr(B, "_stderr_dense", mutated)
    assert _run("ibn.bt_fit_closed_forms_at_scale") is Verdict.FAIL


def test_dispatch_fails_on_root_first_elimination(monkeypatch):
    """Mutant 94a9b29d61 (``perm = t.order[::1]``): the tree is eliminated root first (fill-in)."""
    from aligntheory.numerics import laplacian as L

    orig = L.tree_elimination_order

    def mutated(*a, **k):
        t = orig(*a, **k)
        return t._replace(order=t.order[::-1])

    monkeypatch.setattr(L, "tree_elimination_order", mutated)
    assert _run("ibn.laplacian_solver_dispatch") is Verdict.FAIL


def test_dispatch_fails_on_a_moved_threshold(monkeypatch):
    """Planted: dense for N < dense_max (not <=)."""
    from aligntheory.numerics import laplacian as L

    orig = L.LaplacianSolver.__init__

    def mutated(self, n_nodes, edges, **k):
        orig(self, n_nodes, edges, dense_max=199, **k)

    monkeypatch.setattr(L.LaplacianSolver, "__init__", mutated)
    assert _run("ibn.laplacian_solver_dispatch") is Verdict.FAIL


def test_handover_fails_without_the_stall_rule(monkeypatch):
    """Planted: method='auto' never leaves Newman early (the stall test removed)."""
    from aligntheory.numerics import bradley_terry as B

    orig = B._newman_host

    def mutated(*a, stall_exit=False, **k):
        out = orig(*a, **k)
        return (*out, False) if stall_exit else out

    monkeypatch.setattr(B, "_newman_host", mutated)
    assert _run("ibn.bt_auto_handover_rule") is Verdict.FAIL


def test_resistance_routes_fail_on_a_loose_cg(monkeypatch):
    """Planted: AMG-PCG stopped at rtol 1e-4 whatever was asked (the resistance error grows to ~rtol**2 kappa)."""
    from aligntheory.numerics import _amg

    orig = _amg._amg_block_solve
    monkeypatch.setattr(_amg, "_amg_block_solve", lambda A, Bm, rtol, maxiter: orig(A, Bm, 1e-3, maxiter))
    assert _run("ibn.resistance_routes_exact") is Verdict.FAIL


def test_resistance_routes_fail_on_a_relative_error_of_1e_9(monkeypatch):
    """Stand-in: the dense all-pairs route off by 1e-9 relative (ten times the tolerance)."""
    import aligntheory.numerics as N

    orig = N.effective_resistance_all_pairs
    monkeypatch.setattr(N, "effective_resistance_all_pairs", lambda *a, **k: orig(*a, **k) * (1.0 + 1e-9))
    assert _run("ibn.resistance_routes_exact") is Verdict.FAIL


def test_existence_fails_on_a_false_positive(monkeypatch):
    """Planted (class of N5): the compiled existence check says 'strongly connected' for every beats graph."""
    from aligntheory.numerics import bradley_terry as B

    monkeypatch.setattr(B, "strongly_connected", lambda *a, **k: True)
    assert _run("ibn.bt_existence_matches_networkx") is Verdict.FAIL

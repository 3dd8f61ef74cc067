"""The IBN claims of issue #11 round 5 can fail: each turns FAIL when the library function it measures is replaced by
the behaviour of a surviving mutant of the second fresh sample (docs/mutation-report/fresh-r4/ibn.md), and PASSes
unpatched. Stand-ins wrap the real functions, so little new is compiled.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402
from aligntheory.proofs_check import Context, Verdict, load_all  # noqa: E402

configure()
REG = load_all()

NEW = ("ibn.mconn_regime_edges", "ibn.reff_degenerate_pairs_all_methods", "ibn.bt_newton_tree_iterations",
       "ibn.pcg_default_maxiter")


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


@pytest.mark.parametrize("cid", NEW + ("ibn.failure_contract",))
def test_round5_claims_pass(cid):
    assert _run(cid) is Verdict.PASS


# ----------------------------------------------------------------------------------------------
# ibn.mconn_regime_edges


def test_mconn_fails_on_newton_ascent(monkeypatch):
    """Mutant b807c34018: ``w += step`` in the Newton iteration for W(2n), n >= 1e300."""
    from aligntheory.theory.ibn import _random_graph as RG

    def mutated(n):
        if n < 1e300:
            return RG._lambertw(2.0 * n)
        target = np.log(2.0) + np.log(n)
        w = target - np.log(target)
        with np.errstate(invalid="ignore"):
            for _ in range(50):
                step = (w + np.log(w) - target) / (1.0 + 1.0 / w)
                w += step
                if abs(step) <= 4e-16 * w:
                    break
        return float(w)

    monkeypatch.setattr(RG, "_w_of_2n", mutated)
    assert _run("ibn.mconn_regime_edges") is Verdict.FAIL


def test_mconn_fails_on_regime_A_edge(monkeypatch):
    """Mutant 5764f55357: n_regime_A_limit returns 1.0 instead of 0.0 for s2 >= I."""
    import aligntheory.theory.ibn as TI

    orig = TI.n_regime_A_limit
    monkeypatch.setattr(TI, "n_regime_A_limit", lambda F, s2: 1.0 if s2 >= F.I else orig(F, s2))
    assert _run("ibn.mconn_regime_edges") is Verdict.FAIL


# ----------------------------------------------------------------------------------------------
# ibn.reff_degenerate_pairs_all_methods


def test_reff_fails_on_degenerate_pair(monkeypatch):
    """Mutant 4a5af78ee1: the 'pinv' route returns 1.0 (before unscaling) for a pair (u, u)."""
    from aligntheory.theory.ibn import _resistance as TR

    orig = TR._reff_reference

    def mutated(n, e, c, p, method):
        out = orig(n, e, c, p, method)
        if p is not None and method == "pinv":
            out = np.where(p[:, 0] == p[:, 1], 1.0, out)
        return out

    monkeypatch.setattr(TR, "_reff_reference", mutated)
    assert _run("ibn.reff_degenerate_pairs_all_methods") is Verdict.FAIL


# ----------------------------------------------------------------------------------------------
# ibn.bt_newton_tree_iterations


def test_bt_tree_fails_on_extra_steps(monkeypatch):
    """Mutant 4ec561578f (a worse warm start: 6 steps instead of 3 at seed 0), stood in by two extra steps."""
    import aligntheory.kernels.ibn as KI

    orig = KI.fit_bt_newton
    monkeypatch.setattr(KI, "fit_bt_newton", lambda *a, **k: orig(*a, **k)._replace(
        iterations=orig(*a, **k).iterations + 2))
    assert _run("ibn.bt_newton_tree_iterations") is Verdict.FAIL


def test_bt_tree_fails_on_other_default_tol(monkeypatch):
    """A default tol of 1.0000000001 instead of 1e-10 (stops early: fewer steps, logits off)."""
    import aligntheory.kernels.ibn as KI

    orig = KI.fit_bt_newton
    monkeypatch.setattr(KI, "fit_bt_newton", lambda *a, **k: orig(*a, **{"tol": 1.0000000001, "throw": False, **k}))
    assert _run("ibn.bt_newton_tree_iterations") is Verdict.FAIL


def test_bt_tree_fails_on_other_default_maxiter(monkeypatch):
    """A default maxiter of 101 instead of 100, stood in by one more step reported when tol is unattainable."""
    import aligntheory.kernels.ibn as KI

    orig = KI.fit_bt_newton

    def mutated(*a, **k):
        out = orig(*a, **k)
        return out._replace(iterations=out.iterations + 1) if k.get("tol", 1.0) < 1e-200 else out

    monkeypatch.setattr(KI, "fit_bt_newton", mutated)
    assert _run("ibn.bt_newton_tree_iterations") is Verdict.FAIL


# ----------------------------------------------------------------------------------------------
# ibn.pcg_default_maxiter


def test_pcg_default_maxiter_fails_on_other_default(monkeypatch):
    """A default maxiter of 999 instead of 1000 (n = 2100 and maxiter 999: one compilation of the PCG loop)."""
    import aligntheory.kernels.ibn as KI

    orig = KI.reff_pairs_pcg
    monkeypatch.setattr(KI, "reff_pairs_pcg", lambda *a, **k: orig(*a, **{"maxiter": 999, **k}))
    assert _run("ibn.pcg_default_maxiter") is Verdict.FAIL


# ----------------------------------------------------------------------------------------------
# ibn.failure_contract, round-5 rows


def test_contract_fails_on_other_dense_limit(monkeypatch):
    """Mutant 3df022ce8e: DENSE_CPU_LIMIT = 10001."""
    import aligntheory.theory.ibn as TI

    monkeypatch.setattr(TI, "DENSE_CPU_LIMIT", 10001)
    assert _run("ibn.failure_contract") is Verdict.FAIL


def test_contract_fails_on_unchecked_row_sums(monkeypatch):
    """Mutant e77c116e69: the row-sum test of reff_dense_cholesky is 1.0000000001 N instead of 1e-10 N."""
    import aligntheory.kernels.ibn as KI
    from aligntheory.kernels.ibn import _resistance as KR

    monkeypatch.setattr(KI, "reff_dense_cholesky", lambda L, **k: KR._reff_from_laplacian_jit(np.asarray(L)))
    assert _run("ibn.failure_contract") is Verdict.FAIL


def test_contract_fails_on_unchecked_K(monkeypatch):
    """Mutant 79d7a6f3f3: strongly_connected_dense does not check K >= 0 (the refusal then names wins)."""
    import aligntheory.kernels.ibn as KI
    from aligntheory.errors import InvalidInputError

    orig = KI.strongly_connected_dense

    def mutated(n, e, wins, K, **k):
        if np.any(np.asarray(K) < np.asarray(wins)):
            raise InvalidInputError("wins", "must not exceed the comparisons K on any edge")
        return orig(n, e, wins, K, **k)

    monkeypatch.setattr(KI, "strongly_connected_dense", mutated)
    assert _run("ibn.failure_contract") is Verdict.FAIL

"""The IBN claims of issue #11 round 6 can fail: each turns FAIL when the library function it measures is replaced by
the behaviour of a surviving mutant of the third fresh sample (docs/mutation-report/fresh-r5/ibn.md), and PASSes
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

NEW = ("ibn.boundary_contract", "ibn.tree_pairs_global_ids", "ibn.newman_prior_map")


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


@pytest.mark.parametrize("cid", NEW)
def test_round6_claims_pass(cid):
    assert _run(cid) is Verdict.PASS


def test_contract_fails_on_undercounted_tree_cost(monkeypatch):
    """Mutant 23cf6e4515: ``... - 2 * T * per_tree`` in ``_tree_cost``: max_entries one below the cost accepted."""
    from aligntheory.kernels.ibn import _datasets

    def mutated(lay, B, D, d):
        T, L, I = lay["trees"], lay["leaves_per_tree"], lay["internal_per_tree"]
        return T * I * B + T * L * (D + d) + 4 * T * max(I, L) - 2 * T * lay["per_tree"]

    monkeypatch.setattr(_datasets, "_tree_cost", mutated)
    assert _run("ibn.boundary_contract") is Verdict.FAIL


def test_contract_fails_on_mean_degree_one_accepted(monkeypatch):
    """Mutant 0e58887c87: ``if cv <= 0`` in ``_check_M_c``: mean_degree = 1 accepted."""
    from aligntheory.theory.ibn import _random_graph as RG

    real = RG._check_M_c

    def mutated(M, c):
        if c == 1.0:
            return float(M), 1.0
        return real(M, c)

    monkeypatch.setattr(RG, "_check_M_c", mutated)
    assert _run("ibn.boundary_contract") is Verdict.FAIL


def test_contract_fails_on_single_pair_stderr(monkeypatch):
    """Mutant 30f4ec0d67: ``len(d) >= 1``: one pair gets stderr = std(ddof=1) = NaN instead of None."""
    import aligntheory.theory.ibn as T

    real = T.mean_inference_distance

    def mutated(*a, **k):
        res = real(*a, **k)
        return res._replace(stderr=float("nan")) if res.stderr is None else res

    monkeypatch.setattr(T, "mean_inference_distance", mutated)
    assert _run("ibn.boundary_contract") is Verdict.FAIL


def test_contract_fails_on_zero_rhs_nan(monkeypatch):
    """Mutant 564fae5d3d: ``bs >= 0`` keeps the scale 0 for b = 0, and 0/0 gives NaN."""
    import aligntheory.kernels.ibn as K

    real = K.solve_laplacian_tree

    def mutated(tree, b, *a, **k):
        x = np.asarray(real(tree, b, *a, **k))
        return x / 0.0 if not np.any(np.asarray(b)) else x

    monkeypatch.setattr(K, "solve_laplacian_tree", mutated)
    with np.errstate(invalid="ignore"):
        assert _run("ibn.boundary_contract") is Verdict.FAIL


def test_global_ids_fail_on_local_ids(monkeypatch):
    """Mutant cdae594ef4: ``np.arange(T) / per_tree_nodes`` truncates to 0: every tree reuses tree 0's ids."""
    import aligntheory.kernels.ibn as K

    real = K.tree_pairs

    def mutated(*a, **k):
        ds = real(*a, **k)
        b, d = a[4], a[5]
        N = (b ** (d + 1) - b) // (b - 1)
        return ds._replace(prefix_ids=np.asarray(ds.prefix_ids) % N)

    monkeypatch.setattr(K, "tree_pairs", mutated)
    assert _run("ibn.tree_pairs_global_ids") is Verdict.FAIL


def test_newman_prior_fails_on_weaker_prior(monkeypatch):
    """Mutant 4a318fed29 (0.25 instead of 0.5 on one side of the prior): the fixed point is not the MAP. Stand-in:
    the real fit with a prior 3/4 as strong."""
    import aligntheory.kernels.ibn as K

    real = K.fit_bt_newman

    def mutated(*a, prior_strength=0.0, **k):
        return real(*a, prior_strength=0.75 * prior_strength, **k)

    monkeypatch.setattr(K, "fit_bt_newman", mutated)
    assert _run("ibn.newman_prior_map") is Verdict.FAIL

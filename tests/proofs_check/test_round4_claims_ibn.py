"""The IBN and arena claims of issue #11 round 4 can fail: each turns FAIL when the library function it measures is
replaced by the behaviour of a surviving mutant of the fresh sample (docs/mutation-report/fresh-r3/ibn.md), and
PASSes unpatched. Stand-ins wrap the real functions, so little new is compiled.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402
from aligntheory.errors import ConvergenceError  # noqa: E402
from aligntheory.proofs_check import Context, Verdict, load_all  # noqa: E402

configure()
REG = load_all()


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


# ----------------------------------------------------------------------------------------------
# ibn.bt_numba_route_matches_likelihood


def test_bt_route_passes():
    assert _run("ibn.bt_numba_route_matches_likelihood") is Verdict.PASS


def test_bt_route_fails_on_prior_pseudo_count(monkeypatch):
    """Mutant 9a0433baef: B's prior term 0.5 / prior instead of 0.5 * prior (either route).

    Since round 13 a wrong Newman fixed point cannot come back as the fit: Newton's step test at Newman's iterate
    (with the gradient formed independently of Newman's sums) rejects it and Newton finishes. So the mutant now
    changes the route (``newman+newton``, more iterations), not the scores: both are checked here against the
    unpatched fit, the scores to 1e-8 (the step test's xtol) and the method exactly.
    """
    from aligntheory.numerics import _bt_fit, fit_bradley_terry

    rows = [(0, 1), (1, 2), (2, 0), (0, 1), (1, 3), (3, 2), (2, 3)]
    ref = fit_bradley_terry(rows, n_items=4, prior_strength=2.0, method="newman", accelerator="numpy")
    assert ref.method == "newman"
    for cls in (_bt_fit._Work, _bt_fit._NumbaWork):
        orig = cls.__dict__["newman_sums"]

        def mutated(self, theta, orig=orig):
            A, B = orig(self, theta)
            if self.prior > 0:
                B = B + (0.5 / self.prior - 0.5 * self.prior) * _bt_fit._log_sigmoid_and_p(theta)[1]
            return A, B

        monkeypatch.setattr(cls, "newman_sums", mutated)
    got = fit_bradley_terry(rows, n_items=4, prior_strength=2.0, method="newman", accelerator="numpy")
    assert got.method == "newman+newton" and got.converged
    np.testing.assert_allclose(got.scores, ref.scores, rtol=0, atol=1e-8 * max(1.0, np.max(np.abs(ref.scores))))


def test_bt_route_fails_on_lost_count(monkeypatch):
    """Mutant 51f172d493 (run lengths lost): one comparison missing from the aggregation."""
    import aligntheory.numerics as N

    orig = N.aggregate_comparisons

    def mutated(n, rows, *a, **k):
        out = orig(n, rows, *a, **k)
        K = out.K.copy()
        K[0] -= 1.0
        return type(out)(out.edges, out.wins, K)

    monkeypatch.setattr(N, "aggregate_comparisons", mutated)
    assert _run("ibn.bt_numba_route_matches_likelihood") is Verdict.FAIL


# ----------------------------------------------------------------------------------------------
# ibn.bt_newman_default_maxiter


def test_newman_default_maxiter_fails_on_other_default(monkeypatch):
    """Mutant a293ed4178 (default 10001); a default of 9 steps is compiled by the round-3 claims already."""
    import aligntheory.kernels.ibn as KI

    orig = KI.fit_bt_newman
    monkeypatch.setattr(KI, "fit_bt_newman", lambda *a, **k: orig(*a, **{"maxiter": 9, **k}))
    assert _run("ibn.bt_newman_default_maxiter") is Verdict.FAIL


# ----------------------------------------------------------------------------------------------
# ibn.analysis_sampled_pairs_share_component


def test_sampled_pairs_passes():
    assert _run("ibn.analysis_sampled_pairs_share_component") is Verdict.PASS


def test_sampled_pairs_fails_on_offset_sign(monkeypatch):
    """Mutant 2bb3709cad: the second node of a pair taken at start - b instead of start + b."""
    import aligntheory.analysis.ibn as AI

    def mutated(rng, C, n_nodes, max_pairs):
        resp = C.labels[:n_nodes]
        sizes = np.bincount(resp, minlength=C.n_comp).astype(np.int64)
        counts = sizes * (sizes - 1) // 2
        order = np.argsort(resp, kind="stable")
        start = np.concatenate([[0], np.cumsum(sizes)])
        comp = rng.choice(C.n_comp, size=max_pairs, p=counts / counts.sum())
        a = rng.integers(0, sizes[comp])
        b = rng.integers(0, sizes[comp] - 1)
        b = b + (b >= a)
        return np.stack([order[start[comp] + a], order[start[comp] - b]], 1).astype(np.int64)

    monkeypatch.setattr(AI, "_sample_pairs", mutated)
    assert _run("ibn.analysis_sampled_pairs_share_component") is Verdict.FAIL


# ----------------------------------------------------------------------------------------------
# ibn.pcg_tolerance_is_inclusive


def test_pcg_inclusive_passes():
    assert _run("ibn.pcg_tolerance_is_inclusive") is Verdict.PASS


def test_pcg_inclusive_fails_on_strict_test(monkeypatch):
    """Mutant 7fe3742cb6: success only when residual < tol."""
    import jax.numpy as jnp

    import aligntheory.kernels.ibn as KI

    orig = KI.reff_pairs_pcg

    def mutated(*a, tol=1e-10, throw=True, **k):
        out = orig(*a, tol=tol, throw=False, **k)
        worst = float(jnp.max(out.residual))
        if throw and not worst < tol:
            raise ConvergenceError("strict", iterations=1, residual=worst, last_iterate=out.values, result=None)
        return out

    monkeypatch.setattr(KI, "reff_pairs_pcg", mutated)
    assert _run("ibn.pcg_tolerance_is_inclusive") is Verdict.FAIL


# ----------------------------------------------------------------------------------------------
# ibn.failure_contract rows of round 4


def test_contract_fails_on_open_eps_boundary(monkeypatch):
    """Mutant 3a52119742: eps == s2 h_T no longer refused as eps."""
    import aligntheory.theory.ibn as TI

    orig = TI.sample_size_for_distance

    def mutated(eps, F, s2, topology, h_T=1):
        if topology == "tree" and eps == s2 * h_T:
            return 1.0
        return orig(eps, F, s2, topology, h_T)

    monkeypatch.setattr(TI, "sample_size_for_distance", mutated)
    assert _run("ibn.failure_contract") is Verdict.FAIL


def test_contract_fails_on_chain_pairs_cap(monkeypatch):
    """Mutant 7a5adfd2ab: the cap on 2 n D + 2 n not enforced."""
    import aligntheory.kernels.ibn as KI

    def mutated(key, n, B, D, max_entries=None):
        return np.zeros((2 * n, D), np.int32), np.zeros((n, 2), np.int32)

    monkeypatch.setattr(KI, "chain_pairs", mutated)
    assert _run("ibn.failure_contract") is Verdict.FAIL


# ----------------------------------------------------------------------------------------------
# arena claims of round 4


def test_cluster_point_estimate_passes():
    assert _run("arena.cluster_column_keeps_point_estimate") is Verdict.PASS


def test_cluster_point_estimate_fails_on_lost_battle(monkeypatch):
    """A wrong pair table on the cluster route (mutant b3220ac1d0 raises): one battle lost."""
    import aligntheory.analysis.arena as AR

    orig = AR.leaderboard

    def mutated(frame, **k):
        if k.get("cluster"):
            frame = {c: v[:-1] for c, v in frame.items()}
        return orig(frame, **k)

    monkeypatch.setattr(AR, "leaderboard", mutated)
    assert _run("arena.cluster_column_keeps_point_estimate") is Verdict.FAIL


def test_bootstrap_rounds_pass():
    assert _run("arena.bootstrap_rounds_are_resample_mles") is Verdict.PASS


def test_bootstrap_rounds_fail_on_wrong_chord_optimum(monkeypatch):
    """Mutant f06950254f: the chord rounds settle at a point that is not their MLE."""
    from aligntheory.analysis import _arena_fit as F

    orig = F.bt_rounds_chord

    def mutated(*a, **k):
        out = orig(*a, **k)
        out.theta[:, 0] += 0.1
        return out

    monkeypatch.setattr(F, "bt_rounds_chord", mutated)
    assert _run("arena.bootstrap_rounds_are_resample_mles") is Verdict.FAIL

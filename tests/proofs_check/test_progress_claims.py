"""Pieces of the progress claims (the claims themselves run in test_all_claims.py)."""

import numpy as np
import pytest

from aligntheory.proofs_check import REGISTRY, load_all
from aligntheory.proofs_check import progress as P

SPEC_IDS = {"progress.recurrence_is_lagrange", "progress.parity_nonzero", "progress.error_bound",
            "progress.error_order", "progress.mse_decomposition", "progress.optimal_order",
            "progress.copying_stability", "progress.time_constant", "progress.lock_in", "progress.steady_lag",
            "progress.coevolve_score_props"}


def test_every_spec_claim_registered_with_tags():
    load_all()
    # the reach claims of issue 11 are listed and checked in test_reach_claims.py; the argument-boundary
    # claims (_progress_boundaries, _safety_boundaries) in test_boundary_claims_b.py
    ids = {c.id for c in REGISTRY if c.pillar == "progress" and not any(m in c.check.__module__ for m in ("_reach_claims", "_progress_reach", "_safety_reach", "_boundaries"))}
    # the spec table exactly, plus the claims of issue 15 (registered with this pillar)
    assert ids == SPEC_IDS | {"progress.history_is_lagrange", "progress.history_copies_random_walk",
                              "progress.failure_contract",  # spec §A.4 table, exactly (+ issue 11 round 3 contract)
                              "progress.vote_simulation_exact_parts",  # issue 11 round 5
                              "progress.mc_mse_sample_path",  # issue 11 round 6
                              "progress.noise_gain_closed_form",  # issue 11 round 7
                              "progress.spectral_radius_closed_form",
                              "progress.error_bound_correctly_rounded",  # issue 11 round 8
                              "progress.optimal_order_tables",
                              "progress.coevolution_kernel_tables",  # issue 11 round 9
                              "progress.score_rows_and_refusal_details"}  # issue 11 round 10
    for c in REGISTRY:
        if c.pillar == "progress":
            assert c.rice and c.rice <= {"R", "I", "C", "E"}
            assert c.stage in ("forward:feedback", "forward:distribution_shift", "backward:assurance",
                               "backward:governance")
    assert REGISTRY.get("progress.lock_in").stage == "backward:governance"  # Part C example
    assert REGISTRY.get("progress.coevolve_score_props").rice == frozenset({"E"})


@pytest.mark.parametrize("j,a,b", [(1, 0.0, 0.1), (1, 0.0, 4.0), (2, 0.2, 0.4), (3, 1.0, 1.3), (4, -0.2, 0.3)])
def test_sup_abs_sin_derivative_against_dense_grid(j, a, b):
    t = np.linspace(a, b, 200001)
    f = np.abs(np.sin(t)) if j % 2 == 0 else np.abs(np.cos(t))
    assert P._sup_abs_sin_deriv(j, a, b) == pytest.approx(f.max(), abs=1e-9)


def test_companion_radius_against_roots():
    rng = np.random.default_rng(0)
    al, ka = rng.uniform(-0.5, 3, 50), rng.uniform(-1.5, 1.5, 50)
    for m in (0, 1, 2):
        rho = P._companion_radius(al, ka, m)
        for a, k, r in zip(al, ka, rho):
            poly = [1, -(1 - a - k), -k * (1 + m), k * m] if m else [1, -(1 - a - k), -k]
            assert r == pytest.approx(np.max(np.abs(np.roots(poly))), rel=1e-9, abs=0.0)

"""The guard-condition claims of issue #11 round 10 (elasticity, progress and safety kernels, kernels/_common) can
fail: each turns FAIL when one condition of a raising guard it covers is replaced by a single-token mutant (``or``
made ``and``, ``!=`` made a one-sided comparison, an edge constant moved), and PASSes unpatched.
"""

from __future__ import annotations

import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402
from aligntheory.proofs_check import Context, Verdict, load_all  # noqa: E402
from tests.proofs_check._plant import plant  # noqa: E402

configure()
REG = load_all()

IDS = ["elasticity.guard_conditions_kernels", "progress.guard_conditions_kernels", "safety.guard_conditions_kernels"]


def _run(cid: str) -> Verdict:
    return REG.get(cid).run(Context(seed=0)).verdict


def test_claims_registered_as_contracts():
    for cid in IDS:
        c = REG.get(cid)
        assert c.id == cid and c.kind == "contract"




def test_safety_claim_fails_when_the_shared_shape_guard_needs_two_conditions(monkeypatch):
    # _check_problem: `p.ndim not in (1, 2) or r.shape != p.shape` -> `and` (a reward of another shape accepted)
    plant(monkeypatch, "aligntheory.kernels.safety._policy", "_check_problem", "p.ndim not in (1, 2) or r.shape",
          "p.ndim not in (1, 2) and r.shape")
    assert _run("safety.guard_conditions_kernels") is Verdict.FAIL


def test_safety_claim_fails_when_f64_checks_only_too_many_dimensions(monkeypatch):
    # kernels/_common.f64: `arr.ndim != ndim` -> `arr.ndim > ndim` (a 1-D input accepted for ndim = 2)
    plant(monkeypatch, "aligntheory.kernels._common", "f64", "arr.ndim != ndim", "arr.ndim > ndim")
    assert _run("safety.guard_conditions_kernels") is Verdict.FAIL


def test_progress_claim_fails_when_an_empty_side_needs_both_empty(monkeypatch):
    # coevolve_score: `S.shape[0] == 0 or A.shape[0] == 0` -> `and` (simulated with no row accepted)
    plant(monkeypatch, "aligntheory.kernels.progress", "coevolve_score", "S.shape[0] == 0 or A.shape[0] == 0",
          "S.shape[0] == 0 and A.shape[0] == 0")
    assert _run("progress.guard_conditions_kernels") is Verdict.FAIL


def test_elasticity_claim_fails_when_nan_and_inf_must_both_appear(monkeypatch):
    # log_distribution: `np.any(np.isnan(a)) or np.any(a == np.inf)` -> `and` (a NaN row reaches the sum check)
    plant(monkeypatch, "aligntheory.kernels.elasticity._validation", "log_distribution",
          "np.any(np.isnan(a)) or np.any(a == np.inf)", "np.any(np.isnan(a)) and np.any(a == np.inf)",
          packages=("aligntheory.kernels.elasticity._rates", "aligntheory.kernels.elasticity._trees"))
    assert _run("elasticity.guard_conditions_kernels") is Verdict.FAIL


def test_elasticity_claim_fails_when_b_max_may_fall_below_b_min(monkeypatch):
    # two_segment_fit: `T < 2 * b_min + 1 or b_max < b_min` -> `and` (b_max = 2 < b_min = 3 on 20 points accepted)
    plant(monkeypatch, "aligntheory.kernels.elasticity._metrics", "two_segment_fit",
          "T < 2 * b_min + 1 or b_max < b_min", "T < 2 * b_min + 1 and b_max < b_min",
          packages=("aligntheory.kernels.elasticity",))
    assert _run("elasticity.guard_conditions_kernels") is Verdict.FAIL

"""Reproducibility: the same seed gives the same evidence; CPU and GPU agree (when a GPU is present)."""

import json

import jax
import numpy as np
import pytest

from aligntheory.proofs_check import Context, load_all

# fast claims that draw random instances (numpy generators and JAX keys)
RANDOMISED = ["ibn.foster_theorem", "ibn.resistance_le_path_distance", "social_choice.g5_no_restriction"]


@pytest.mark.parametrize("claim_id", RANDOMISED)
def test_same_seed_same_evidence(claim_id):
    c = load_all().get(claim_id)
    a, b = c.run(Context(seed=11)), c.run(Context(seed=11))
    assert json.dumps(a.to_json()["measured"], sort_keys=True) == json.dumps(b.to_json()["measured"], sort_keys=True)


@pytest.mark.parametrize("claim_id", ["ibn.resistance_le_path_distance", "social_choice.g5_no_restriction"])
def test_different_seed_different_instances(claim_id):
    c = load_all().get(claim_id)
    a, b = c.run(Context(seed=1)).to_json(), c.run(Context(seed=2)).to_json()
    assert (a["measured"], a["details"]) != (b["measured"], b["details"])


def _gpu():
    try:
        return jax.devices("gpu")[0]
    except RuntimeError:
        return None


@pytest.mark.gpu
@pytest.mark.skipif(_gpu() is None, reason="no GPU backend in this JAX installation")
def test_cpu_and_gpu_agree_on_resistance_and_bt_fit():
    """Tolerance: 1e-10 relative, the float64 Cholesky rounding bound of spec ibn.md §3.3 (8 orders above eps)."""
    from aligntheory.kernels.ibn import effective_resistance_dense, fit_bt_newton

    rng = np.random.default_rng(0)
    n = 64
    edges = np.array([(i, (i + 1) % n) for i in range(n)] + [tuple(rng.choice(n, 2, replace=False)) for _ in range(200)])
    cond = 10.0 ** rng.uniform(-2, 2, len(edges))
    K = np.full(len(edges), 50.0)
    wins = rng.integers(1, 50, len(edges)).astype(np.float64)
    out = {}
    for dev in (jax.devices("cpu")[0], _gpu()):
        with jax.default_device(dev):
            R = np.asarray(effective_resistance_dense(n, edges, conductances=cond))
            r = np.asarray(fit_bt_newton(n, edges, wins, K, 1.0).scores)
        out[dev.platform] = (R, r)
    (Rc, rc), (Rg, rg) = out["cpu"], out["gpu"]
    assert np.max(np.abs(Rc - Rg)) <= 1e-10 * np.max(np.abs(Rc))
    assert np.max(np.abs(rc - rg)) <= 1e-10 * max(1.0, np.max(np.abs(rc)))


@pytest.mark.gpu
@pytest.mark.skipif(_gpu() is None, reason="no GPU backend in this JAX installation")
@pytest.mark.parametrize("claim_id", ["ibn.foster_theorem", "ibn.resistance_backends_agree"])
def test_claim_verdict_is_the_same_on_cpu_and_gpu(claim_id):
    """Context.device is honoured (the check runs under jax.default_device) and the verdict does not move."""
    c = load_all().get(claim_id)
    cpu, gpu = c.run(Context(seed=0, device="cpu")), c.run(Context(seed=0, device="gpu"))
    assert cpu.verdict is gpu.verdict, (cpu.details, gpu.details)

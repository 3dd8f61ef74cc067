"""Benchmark (issue 15 item 2): batched JAX sweep of Safe RLHF's multiplier update against a Python loop.

Grid: seeds x windows x thresholds x learning rates, each replaying R rollouts of B per-sample costs.
Ours: ``lagrangian_multiplier_sweep`` (vmap x4 over one ``lax.scan``). Anchor: the numpy/Python replay
``lagrangian_multiplier_trajectory`` called once per grid point (what a practitioner's loop does).
Agreement (max relative difference over the whole grid) is checked first.
"""

from __future__ import annotations

import numpy as np

from benchmarks._harness import block


def _grid(h, S, R, B, windows, ds, lrs):
    from aligntheory.kernels.safety_multiplier import lagrangian_multiplier_sweep
    from aligntheory.theory.safety._lagrangian import lagrangian_multiplier_trajectory

    costs = np.random.default_rng(0).normal(0.0, 1.0, size=(S, R, B))

    def jax_fn():
        return lagrangian_multiplier_sweep(costs, ds, lrs, windows, lambda_max=10.0)

    def loop_fn():
        out = np.empty((S, len(windows), len(ds), len(lrs), R))
        for s in range(S):
            for iw, w in enumerate(windows):
                for i_d, d in enumerate(ds):
                    for il, lr in enumerate(lrs):
                        out[s, iw, i_d, il] = lagrangian_multiplier_trajectory(
                            costs[s], d, lambda_lr=lr, window=w, lambda_max=10.0).lambdas
        return out

    ref = loop_fn()
    err = float(np.max(np.abs(np.asarray(block(jax_fn())) - ref) / ref))
    if err > 1e-12:
        raise AssertionError(f"multiplier sweep disagrees with the Python loop: {err}")
    h.compare("lagrangian_multiplier_sweep",
              {"seeds": S, "rollouts": R, "batch": B, "windows": len(windows), "thresholds": len(ds),
               "learning_rates": len(lrs)},
              ours=("jax lax.scan, vmap over seeds/windows/thresholds/lrs", jax_fn),
              anchor=("python loop of lagrangian_multiplier_trajectory", loop_fn),
              agreement={"max_rel": err}, target=">= 10x", target_ratio=10.0, repeat=2)


def run(h) -> None:
    if h.quick:
        _grid(h, S=2, R=50, B=8, windows=[8, 32], ds=[0.0, 0.2], lrs=[0.05, 0.2])
    else:
        _grid(h, S=8, R=500, B=64, windows=[64, 128, 512], ds=[0.0, 0.1, 0.3], lrs=[0.01, 0.05, 0.1, 0.3])

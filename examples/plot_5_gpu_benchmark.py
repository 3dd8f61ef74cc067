"""
A GPU benchmark
===============

The kernels of aligntheory are pure JAX with a leading batch axis, so the same call runs on a
CPU or a GPU. This example times the batched all-pairs effective resistance
(`effective_resistance_dense_batched`: one Laplacian and one Cholesky solve per graph, all graphs
in one compiled call) against a numpy reference (one pseudo-inverse per graph), after checking
that both give the same numbers. It detects the device with ``jax.devices()``: on a GPU it runs
larger sizes; on a CPU (as when these docs are built) it runs small sizes and says so. Timings
on a documentation build machine say little; run this script on your own hardware. For the full
benchmarks against networkx, scipy, choix and pref-voting see ``python -m benchmarks`` in a
checkout.
"""

import functools
import time

import jax
import matplotlib.pyplot as plt
import numpy as np

from aligntheory.config import configure
from aligntheory.kernels.ibn import effective_resistance_dense_batched

configure()


device = jax.devices()[0]
on_gpu = device.platform == "gpu"
print(f"JAX device: {device.platform} ({device.device_kind})")
if on_gpu:
    sizes, n_graphs = [64, 128, 256, 512], 32
else:
    sizes, n_graphs = [16, 32, 48], 4
    print(f"no GPU: running the small CPU sizes N = {sizes}, {n_graphs} graphs per batch")
    print("(on a CPU, XLA's batched Cholesky is slower than LAPACK: the unbatched "
          "effective_resistance_dense takes the LAPACK route there; the batched kernel is for accelerators)")

# %%
# A batch of random connected graphs with the same number of nodes and edges: a random
# spanning tree plus random extra edges, conductances log-uniform on [0.1, 10].
rng = np.random.default_rng(0)


def random_batch(n_nodes: int, n_graphs: int, extra: int) -> tuple[np.ndarray, np.ndarray]:
    edges, cond = [], []
    for _ in range(n_graphs):
        perm = rng.permutation(n_nodes)
        tree = np.stack([perm[1:], perm[rng.integers(0, np.arange(1, n_nodes))]], axis=1)
        more = rng.integers(0, n_nodes, size=(extra, 2))
        more[:, 1] = (more[:, 0] + 1 + rng.integers(0, n_nodes - 1, size=extra)) % n_nodes  # no self-loops
        edges.append(np.concatenate([tree, more]))
        cond.append(np.exp(rng.uniform(np.log(0.1), np.log(10.0), size=n_nodes - 1 + extra)))
    return np.stack(edges), np.stack(cond)


def numpy_reference(n_nodes: int, edges: np.ndarray, cond: np.ndarray) -> np.ndarray:
    out = np.empty((len(edges), n_nodes, n_nodes))
    for g, (e, c) in enumerate(zip(edges, cond)):
        L = np.zeros((n_nodes, n_nodes))
        np.add.at(L, (e[:, 0], e[:, 1]), -c)
        np.add.at(L, (e[:, 1], e[:, 0]), -c)
        L[np.diag_indices(n_nodes)] = -L.sum(axis=1)
        P = np.linalg.pinv(L, hermitian=True)
        d = np.diag(P)
        out[g] = d[:, None] + d[None, :] - 2 * P
    return out


def kernel(n_nodes: int, edges: np.ndarray, cond: np.ndarray):
    return effective_resistance_dense_batched(n_nodes, edges, conductances=cond).block_until_ready()


def best_time(fn, repeats: int = 3 if on_gpu else 2) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


# %%
# Agreement first, then time: the kernel is called once to compile (not timed), then the best of
# three runs (two on a CPU) is kept (``block_until_ready`` waits for the device).
rows = []
for n in sizes:
    edges, cond = random_batch(n, n_graphs, extra=2 * n)
    run = functools.partial(kernel, n, edges, cond)
    R = np.asarray(run())  # compile + first run
    R_ref = numpy_reference(n, edges, cond)
    err = np.max(np.abs(R - R_ref)) / np.max(np.abs(R_ref))
    assert err < 1e-9, f"kernel and numpy disagree at N = {n}: relative error {err:.1e}"
    t_kernel = best_time(run)
    t_numpy = best_time(functools.partial(numpy_reference, n, edges, cond))
    rows.append((n, t_kernel, t_numpy, err))
    print(f"N = {n:5d}: kernel {1e3 * t_kernel:8.2f} ms, numpy {1e3 * t_numpy:8.2f} ms "
          f"(numpy / kernel = {t_numpy / t_kernel:.2g}), max relative difference {err:.1e}")

# %%
# Time per batch against the number of nodes (both axes logarithmic; the dense solves are
# $O(G N^3)$).

n_arr, tk, tn, _ = map(np.array, zip(*rows))
fig, ax = plt.subplots(figsize=(5.5, 3.5))
ax.loglog(n_arr, tk, "o-", label=f"effective_resistance_dense_batched ({device.platform})")
ax.loglog(n_arr, tn, "s--", label="numpy pinv per graph (CPU)")
ax.set_xticks(n_arr, [str(n) for n in n_arr], minor=False)
ax.minorticks_off()
ax.set_xlabel("nodes N")
ax.set_ylabel(f"seconds per batch of {n_graphs} graphs")
ax.legend(fontsize=8)
fig.tight_layout()

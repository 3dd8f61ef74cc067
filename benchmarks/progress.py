"""Benchmarks of the progress-alignment pillar (spec ``progress_and_safety.md`` §A.4), numpy vs JAX in one run.

1. ``extrapolate`` on (pairs x window 9) vote arrays: JAX ``extrapolate_batched`` against a numpy
   matrix-vector product with the same Lagrange weights (and, on a sample, the integer recurrence).
2. ``simulate_coevolution`` vmapped over an (alpha, kappa) grid x T steps: JAX ``lax.scan`` + ``vmap``
   against a numpy loop over time vectorised over the grid.
3. ``coevolve_score`` for M = N = 10^3, d = 19: JAX against the numpy theory function (both use a
   normalised matrix product and a reverse cumulative maximum).
"""

from __future__ import annotations

import numpy as np

from benchmarks._harness import block


def _extrapolate(h, n_pairs: int, window: int = 9, order: int = 2, m: int = 1) -> None:
    from aligntheory.kernels import progress as K
    from aligntheory.theory import progress as T

    rng = np.random.default_rng(0)
    votes = rng.choice(np.array([-1, 0, 1], dtype=np.int64), size=(n_pairs, window))
    w = T.lagrange_extrapolation_weights(order, m)

    def numpy_fn():
        return votes[:, window - order - 1:].astype(np.float64) @ w

    def jax_fn():
        return K.extrapolate_batched(votes, order, m)

    ours = np.asarray(block(jax_fn()))
    ref = numpy_fn()
    sample = [T.extrapolated_vote(v, order, m) for v in votes[:2000]]
    err = float(np.max(np.abs(ours - ref)))
    if err != 0.0 or not np.array_equal(ours[:2000], np.array(sample, dtype=float)):
        raise AssertionError(f"extrapolate disagrees: max {err}")
    h.compare("extrapolate (votes)", {"pairs": n_pairs, "window": window, "order": order, "m": m},
              ours=("jax extrapolate_batched", jax_fn), anchor=("numpy matvec", numpy_fn),
              agreement={"max_abs": err, "integer recurrence (2000 pairs)": "equal"},
              target="memory-bound: parity with numpy expected on CPU", target_ratio=None)


def _coevolution(h, G: int, T_: int) -> None:
    from aligntheory.kernels import progress as K

    rng = np.random.default_rng(1)
    alphas = rng.uniform(0.05, 0.5, G)
    kappas = rng.uniform(-0.5, 0.5, G)
    progress = (0.01 * np.arange(T_, dtype=np.float64))[:, None]
    key = __import__("jax").random.PRNGKey(0)

    def jax_fn():
        return K.simulate_coevolution_batched(key, alphas, kappas, 0.0, progress, 0.0, 1)

    def numpy_fn():
        h_ = np.full(G, progress[0, 0])
        h1 = h_.copy()
        out = np.empty((T_, G))
        for t in range(T_):
            out[t] = h_
            h_, h1 = (1 - alphas - kappas) * h_ + alphas * progress[t, 0] + kappas * h1, h_
        return out

    ours = np.asarray(block(jax_fn()))[:, 0, :, 0].T
    ref = numpy_fn()
    err = float(np.max(np.abs(ours - ref)))
    if err > 1e-10:
        raise AssertionError(f"coevolution disagrees: {err}")
    h.compare("simulate_coevolution (vmapped grid)", {"grid": G, "T": T_, "d": 1},
              ours=("jax scan+vmap", jax_fn), anchor=("numpy time loop (vectorised over grid)", numpy_fn),
              agreement={"max_abs": err}, target=">= 1x", target_ratio=1.0, repeat=2)


def _coevolve_score(h, M: int, N: int, d: int = 19) -> None:
    from aligntheory.kernels import progress as K
    from aligntheory.theory import progress as T

    rng = np.random.default_rng(2)
    S, A = rng.normal(size=(M, d)), rng.normal(size=(N, d))

    def jax_fn():
        return K.coevolve_score(S, A)

    def numpy_fn():
        return T.coevolve_score(S, A)

    err = abs(float(block(jax_fn())) - numpy_fn())
    if err > 1e-12:
        raise AssertionError(f"coevolve_score disagrees: {err}")
    h.compare("coevolve_score", {"M": M, "N": N, "d": d}, ours=("jax", jax_fn), anchor=("numpy (theory)", numpy_fn),
              agreement={"abs": err}, target="parity or better", target_ratio=None)


def run(h) -> None:
    q = h.quick
    _extrapolate(h, 100_000 if q else 1_000_000)
    _coevolution(h, 1000 if q else 10_000, 1000)
    _coevolve_score(h, 1000, 1000)

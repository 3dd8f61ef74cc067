"""Elasticity benchmarks (spec elasticity.md §6): (k, l) sweeps on large token trees, sampling, training, pruning.

Every case computes our JAX kernel and a numpy/scipy anchor on the same input in the same run,
checks agreement first, then times both (ratio = anchor time / our time; > 1 means we are faster).
"""

from __future__ import annotations

import time

import numpy as np


def _tree(seed: int, depth: int):
    """P_p from a binary Zipf token tree; P_a, P_t on the two depth-1 subtrees (opposite configuration)."""
    import jax

    from aligntheory.kernels import elasticity as K
    from aligntheory.theory import elasticity as T

    lp = np.asarray(K.token_tree_leaf_probs(jax.random.PRNGKey(seed), 2, depth, 0.2, 1.1))
    Pp = np.exp(lp - np.log(np.exp(lp).sum()))
    other = np.exp(np.asarray(K.token_tree_leaf_probs(jax.random.PRNGKey(seed + 1), 2, depth, 0.2, 1.1)))
    offs = T.tree_level_offsets(2, depth)
    child = np.full(Pp.size, -1)
    for j in range(1, depth + 1):
        child[offs[j]: offs[j] + 2**j] = np.arange(2**j) // 2 ** (j - 1)
    Pa, Pt = np.where(child == 0, other, 0.0), np.where(child == 1, other, 0.0)
    return Pp, Pa / Pa.sum(), Pt / Pt.sum()


def _np_sweep(Pp, Pa, Pt, ks, ls, chunk=8):
    """numpy closed form (stable E2 forms), vectorised over chunks of l values."""
    m = Pt > 0
    pp, pa, pt = Pp[m], Pa[m], Pt[m]
    out = np.empty((3, ks.size, ls.size))
    for i, k in enumerate(ks):
        for j0 in range(0, ls.size, chunk):
            l = ls[j0:j0 + chunk, None]
            c = k + 1.0 + l[:, 0]
            w = pt / (k * pp + pa + l * pt)
            out[0, i, j0:j0 + chunk] = np.sum(w * (pa + l * pt - (1 + l) * pp), axis=1) / c
            out[1, i, j0:j0 + chunk] = np.sum(w * (k * pp + l * pt - (k + l) * pa), axis=1) / c
            out[2, i, j0:j0 + chunk] = np.sum(w * (k * pp + pa - (k + 1) * pt), axis=1) / c
    return out


def bench_sweep(h) -> None:
    from aligntheory.kernels import elasticity as K

    depths = (9, 16) if h.quick else (9, 16, 19)  # M = 2^(d+1) - 1: 1e3, 1.3e5, 1.05e6 leaves
    G = 16 if h.quick else 64
    ks, ls = np.logspace(0, 6, G), np.linspace(0.0, 1.0, G)
    for d in depths:
        Pp, Pa, Pt = _tree(d, d)
        M = Pp.size
        ours = K.stable_derivatives_batched(Pp, Pa, Pt, ks, ls)
        ref = _np_sweep(Pp, Pa, Pt, ks, ls)
        got = np.stack([np.asarray(ours.d_p), np.asarray(ours.d_a), np.asarray(ours.d_t)])
        rel = float(np.max(np.abs(got - ref) / np.abs(ref)))
        resid = float(np.max(np.abs(np.asarray(ours.residual))
                             / (ks[:, None] * np.abs(got[0]) + np.abs(got[1]) + ls[None, :] * np.abs(got[2]))))
        rec = h.compare(f"stable_derivatives_batched M={M} grid {G}x{G}", {"M": M, "grid": f"{G}x{G}"},
                        ours=("jax vmap/lax.map (CPU)", lambda: K.stable_derivatives_batched(Pp, Pa, Pt, ks, ls)),
                        anchor=("numpy closed form (CPU)", lambda: _np_sweep(Pp, Pa, Pt, ks, ls)),
                        agreement={"max rel err (all grid points)": rel, "max E3 scaled residual": resid},
                        target="agreement 1e-10 relative; faster than numpy", target_ratio=1.0,
                        repeat=1 if M > 1e5 else 3)
        t_ours = rec.ours_seconds
        rec.extra["grid points per second (ours)"] = G * G / t_ours
        rec.extra["grid points per second (numpy)"] = G * G / rec.anchor_seconds


def bench_sample(h) -> None:
    import jax

    from aligntheory.kernels import elasticity as K

    M = 10**4 if h.quick else 10**5
    B = 8
    P = np.random.default_rng(0).dirichlet(np.full(M, 0.5))
    for N in ((1e6, 1e9) if h.quick else (1e6, 1e8, 1e9)):
        keys = jax.random.split(jax.random.PRNGKey(1), B)
        rng = np.random.default_rng(2)
        ref = np.stack([rng.multinomial(int(N), P) for _ in range(B)]).astype(float)
        # agreement in distribution: mean TV distance of the MLE to P, both near the sqrt(M/N) scale
        tv_r = float(np.mean(0.5 * np.abs(ref / N - P).sum(axis=1)))
        for method in ("tree", "sequential"):
            ours = np.asarray(K.sample_counts(keys, P, N, method=method))
            tv_o = float(np.mean(0.5 * np.abs(ours / N - P).sum(axis=1)))
            h.compare(f"sample_counts[{method}] M={M} N={N:.0e} x{B} seeds", {"M": M, "N": N, "seeds": B},
                      ours=(f"jax binomial splitting ({method}), vmapped seeds",
                            lambda method=method: K.sample_counts(keys, P, N, method=method)),
                      anchor=("numpy Generator.multinomial loop",
                              lambda: [rng.multinomial(int(N), P) for _ in range(B)]),
                      agreement={"TV(ours MLE, P)": tv_o, "TV(numpy MLE, P)": tv_r, "ratio": tv_o / tv_r,
                                 "counts sum exactly N": bool(np.all(ours.sum(axis=1) == N))},
                      target="same sampling error as numpy (TV ratio ~ 1)", target_ratio=None, repeat=1)


def bench_train(h) -> None:
    import jax.numpy as jnp

    from aligntheory.kernels import elasticity as K
    from aligntheory.theory import elasticity as T

    M = 10**4 if h.quick else 10**6
    rng = np.random.default_rng(3)
    P = np.stack([rng.dirichlet(np.full(M, 5.0)) for _ in range(3)])
    N = np.array([100.0, 1.0, 0.3])
    qs = T.mixture(P, N)
    lr = 0.5 / qs.max()
    res = K.train_softmax(None, jnp.zeros(M), P, N, 100000, lr)
    steps = res.iterations

    def np_gd():
        z = np.zeros(M)
        for _ in range(steps):
            q = np.exp(z - z.max())
            q /= q.sum()
            z -= lr * (q - qs)
        return z

    z = np_gd()
    q = np.exp(z - z.max())
    q /= q.sum()
    h.compare(f"train_softmax M={M}", {"M": M, "steps": steps, "lr": lr},
              ours=("jax while_loop GD (CPU)", lambda: K.train_softmax(None, jnp.zeros(M), P, N, 100000, lr)),
              anchor=("numpy GD loop, same steps", np_gd),
              agreement={"||q_ours - q*||_1": res.residual, "||q_numpy - q*||_1": float(np.abs(q - qs).sum()),
                         "||q_ours - q_numpy||_1": float(np.abs(np.asarray(res.q) - q).sum())},
              target="reach 1e-6 in L1; faster than numpy", target_ratio=1.0, repeat=1)


def bench_refinement(h) -> None:
    import jax

    from aligntheory.kernels import elasticity as K
    from aligntheory.theory import elasticity as T

    D = 14 if h.quick else 20
    lp = K.token_tree_leaf_probs(jax.random.PRNGKey(4), 2, D, 0.2, 1.1)
    P = np.exp(np.asarray(lp))
    P /= P.sum()

    def ours():
        return [K.prune(lp, 2, D, d) for d in range(1, D + 1)]

    def anchor():
        return [T.prune_leaf_probs(P, 2, D, d) for d in range(1, D + 1)]

    err = max(float(np.max(np.abs(np.exp(np.asarray(a)) - b) / b)) for a, b in zip(ours(), anchor()))
    t0 = time.perf_counter()
    ours()
    rec = h.compare(f"prune d=1..{D} (refinement sweep)", {"D": D, "M": P.size},
                    ours=("jax logsumexp prune", ours), anchor=("numpy sum prune", anchor),
                    agreement={"max rel err": err}, target="relative 1e-12", target_ratio=None, repeat=3)
    rec.extra["seconds per depth (ours)"] = rec.ours_seconds / D
    del t0


def run(h) -> None:
    bench_sweep(h)
    bench_sample(h)
    bench_train(h)
    bench_refinement(h)

"""Benchmarks of the Safe-RLHF pillar (spec ``progress_and_safety.md`` §B.4), numpy vs JAX in one run.

1. Tilted policies over prompts x responses x multipliers: JAX ``tilted_policy_batched`` (vmap over
   prompts and the lambda grid) against numpy broadcasting with ``scipy.special.logsumexp``. The
   spec's 10^4 x 10^3 x 64 policy tensor is 5 GB in float64, so the full policy tensor is timed at
   10^3 prompts and the moments (``tilted_moments_batched``, no tensor kept) at the full size in chunks.
2. ``optimal_multiplier`` per prompt (numpy + Brent, the theory function) against the vmapped
   bisection ``optimal_multiplier_batched``.
3. The cvxpy reference (Clarabel, tight settings) for n <= 200, timed separately against the
   closed form: a check tool, never a hot path.
"""

from __future__ import annotations

import numpy as np
import scipy.special

from benchmarks._harness import block


def _instances(P, n, seed=0):
    rng = np.random.default_rng(seed)
    ref = rng.dirichlet(np.ones(n), size=P)
    r = rng.normal(size=(P, n))
    c = 0.5 * r + rng.normal(size=(P, n))
    return ref, r, c


def _tilt(h, P, n, L, beta=0.5):
    from aligntheory.kernels import safety as K

    ref, r, c = _instances(P, n)
    lams = np.linspace(0.0, 5.0, L)
    logp = np.log(ref)

    def numpy_fn():
        z = logp[:, None, :] + (r[:, None, :] - lams[None, :, None] * c[:, None, :]) / beta
        return np.exp(z - scipy.special.logsumexp(z, axis=-1, keepdims=True))

    def jax_fn():
        return K.tilted_policy_batched(ref, r, c, lams, beta)

    err = float(np.max(np.abs(np.asarray(block(jax_fn())) - numpy_fn())))
    if err > 1e-12:
        raise AssertionError(f"tilted policies disagree: {err}")
    h.compare("tilted_policy_batched", {"prompts": P, "responses": n, "lambdas": L},
              ours=("jax vmap x vmap", jax_fn), anchor=("numpy broadcast + scipy logsumexp", numpy_fn),
              agreement={"max_abs": err}, target=">= 1x", target_ratio=1.0, repeat=2)


def _moments(h, P, n, L, chunk, beta=0.5):
    from aligntheory.kernels import safety as K

    ref, r, c = _instances(P, n, 1)
    lams = np.linspace(0.0, 5.0, L)
    logp = np.log(ref)

    def numpy_fn():
        out = np.empty((P, L))
        for s in range(0, P, chunk):
            z = logp[s:s + chunk, None, :] + (r[s:s + chunk, None, :] - lams[None, :, None] * c[s:s + chunk, None, :]) / beta
            pi = np.exp(z - scipy.special.logsumexp(z, axis=-1, keepdims=True))
            out[s:s + chunk] = np.einsum("pln,pn->pl", pi, c[s:s + chunk])
        return out

    def jax_fn():
        return np.concatenate([np.asarray(K.tilted_moments_batched(ref[s:s + chunk], r[s:s + chunk], c[s:s + chunk],
                                                                   lams, beta)[1]) for s in range(0, P, chunk)])

    err = float(np.max(np.abs(jax_fn() - numpy_fn())))
    if err > 1e-10:
        raise AssertionError(f"tilted moments disagree: {err}")
    h.compare("tilted_moments_batched (E[c])", {"prompts": P, "responses": n, "lambdas": L, "chunk": chunk},
              ours=("jax vmap x vmap (chunked)", jax_fn), anchor=("numpy broadcast (chunked)", numpy_fn),
              agreement={"max_abs": err}, target=">= 1x", target_ratio=1.0, repeat=1)


def _multiplier(h, P, n, beta=0.5):
    from aligntheory.kernels import safety as K
    from aligntheory.theory import safety as T

    ref, r, c = _instances(P, n, 2)
    ec0 = np.array([T.tilted_policy(ref[p], r[p], c[p], 0.0, beta) @ c[p] for p in range(P)])
    d = c.min(axis=1) + 0.5 * (ec0 - c.min(axis=1))

    def numpy_fn():
        return np.array([T.optimal_multiplier(ref[p], r[p], c[p], beta, d[p]).lam for p in range(P)])

    def jax_fn():
        return K.optimal_multiplier_batched(ref, r, c, beta, d)

    a, b = np.asarray(block(jax_fn())), numpy_fn()
    err = float(np.max(np.abs(a - b) / b))
    if err > 1e-9:
        raise AssertionError(f"multipliers disagree: {err}")
    h.compare("optimal_multiplier (per prompt)", {"prompts": P, "responses": n},
              ours=("jax vmapped bisection", jax_fn), anchor=("numpy + Brent per prompt (theory)", numpy_fn),
              agreement={"max_rel": err}, target=">= 10x", target_ratio=10.0, repeat=2)


def _cvx(h, n, beta=0.5):
    from aligntheory.theory import safety as T

    ref, r, c = (x[0] for x in _instances(1, n, 3))
    d = float(c.min() + 0.5 * (T.tilted_policy(ref, r, c, 0.0, beta) @ c - c.min()))

    def closed():
        return T.optimal_multiplier(ref, r, c, beta, d)

    def cvx():
        return T.cvx_reference_solution(ref, r, c, beta, d, throw=False)

    s, cv = closed(), cvx()
    err = abs(cv.dual - s.lam)
    if err > 1e-3 * s.lam + 1e-7:
        raise AssertionError(f"cvxpy dual disagrees: {err}")
    h.compare("cvxpy reference (check tool, not a hot path)", {"responses": n},
              ours=("closed form + Brent", closed), anchor=("cvxpy Clarabel tight", cvx),
              agreement={"abs_lambda": err, "status": cv.status}, target="reported separately", target_ratio=None,
              repeat=2)


def run(h) -> None:
    q = h.quick
    _tilt(h, 200 if q else 1000, 1000, 16 if q else 64)
    _moments(h, 1000 if q else 10_000, 1000, 64, 250)
    _multiplier(h, 200 if q else 1000, 100)
    _cvx(h, 50)
    if not q:
        _cvx(h, 200)

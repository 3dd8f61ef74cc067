"""The jitted cores of the voting rules (private; the public, validated entry points are in ``_voting``).

Exact integer computations on batches of strict-order profiles: position counts, pairwise margins
and the winner masks of each rule, from ranking histograms for small m (spec ``social_choice.md`` §2.5).
"""

from __future__ import annotations

import functools
import itertools

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

_HIST_MAX_M = 7  # ranking histograms (m**m <= 1e6 codes) are used for m <= 7


@functools.cache
def _tables(m: int):
    """Per-ranking tables: code -> ranking index (invalid codes -> K), position counts and 'a above b'."""
    perms = np.array(list(itertools.permutations(range(m))), dtype=np.int64).reshape(-1, m)
    k = perms.shape[0]
    code = (perms * (m ** np.arange(m))).sum(axis=1)
    lut = np.full(m**m, k, dtype=np.int32)
    lut[code] = np.arange(k, dtype=np.int32)
    rank = np.argsort(perms, axis=1)
    pos = np.zeros((k + 1, m, m))  # pos[k, c, r] = ranking k puts c in position r
    pos[np.arange(k)[:, None], perms, np.arange(m)[None, :]] = 1.0
    above = np.zeros((k + 1, m, m))
    above[:k] = rank[:, :, None] < rank[:, None, :]
    return lut, pos.reshape(k + 1, m * m), above.reshape(k + 1, m * m), k


def _valid_rows(p):
    m = p.shape[-1]
    return jnp.all(jnp.sort(p, axis=-1) == jnp.arange(m, dtype=p.dtype), axis=-1)  # (B, V)


def _counts_and_margins(p, w):
    """Position counts (B, c, r), margins (B, a, b) as exact integer-valued floats, and per-profile validity.

    Invalid rankings contribute nothing; ``valid[b]`` is False when profile ``b`` holds one. For
    m**m <= 1e6 each ranking is coded as an integer and the profile reduced to a count-weighted
    histogram over the m! rankings (``segment_sum``); every rule is then a matrix product with a
    per-ranking table. Larger m accumulates ranks voter by voter (``lax.scan``), O(B m^2) memory.
    """
    b, v, m = p.shape
    rows_ok = _valid_rows(p)
    valid = jnp.all(rows_ok, axis=-1)
    w = jnp.where(rows_ok, w, 0)
    if m <= _HIST_MAX_M:
        lut, pos, above, k = _tables(m)
        inrange = (p >= 0) & (p < m)
        code = jnp.sum(jnp.where(inrange, p, 0) * jnp.asarray(m ** np.arange(m), dtype=p.dtype), axis=-1)
        idx = jnp.where(rows_ok, jnp.asarray(lut)[code], k).astype(jnp.int32)
        flat = (idx + (k + 1) * jnp.arange(b, dtype=jnp.int32)[:, None]).ravel()
        hist = jax.ops.segment_sum(w.ravel(), flat, b * (k + 1)).reshape(b, k + 1)
        hist = hist.astype(float)
        pc = (hist @ jnp.asarray(pos)).reshape(b, m, m)
        ab = (hist @ jnp.asarray(above)).reshape(b, m, m)
        return pc, ab - jnp.swapaxes(ab, -1, -2), valid
    rank = jnp.argsort(p, axis=-1).astype(jnp.int32)  # (B, V, c): position of c (valid rows)

    def step(acc, xs):  # one voter position for every profile at once
        r, wv = xs  # r: (B, m), wv: (B,)
        ab = acc[0] + (r[:, :, None] < r[:, None, :]).astype(jnp.int32) * wv[:, None, None]
        pc = acc[1] + (r[:, :, None] == jnp.arange(m, dtype=r.dtype)).astype(jnp.int32) * wv[:, None, None]
        return (ab, pc), None

    zeros = jnp.zeros((b, m, m), jnp.int32)
    (ab, pc), _ = lax.scan(step, (zeros, zeros), (jnp.swapaxes(rank, 0, 1), jnp.swapaxes(w, 0, 1).astype(jnp.int32)),
                           unroll=4)
    ab = ab.astype(float)
    return pc.astype(float), ab - jnp.swapaxes(ab, -1, -2), valid


def _mask(scores, valid):
    return (scores == jnp.max(scores, axis=-1, keepdims=True)) & valid[:, None]


def _borda_vec(m):
    return jnp.arange(m - 1, -1, -1, dtype=float)


def _copeland_from_margins(mg, valid):
    return _mask(jnp.sum(jnp.sign(mg), axis=-1), valid)


def _condorcet_from_margins(mg, valid):
    m = mg.shape[-1]
    return jnp.all((mg > 0) | jnp.eye(m, dtype=bool), axis=-1) & valid[:, None]


@jax.jit
def _plurality(p, w):
    pc, _, valid = _counts_and_margins(p, w)
    return _mask(pc[..., 0], valid)


@jax.jit
def _borda(p, w):
    pc, _, valid = _counts_and_margins(p, w)
    return _mask(pc @ _borda_vec(p.shape[-1]), valid)


@jax.jit
def _scoring(p, w, s):
    pc, _, valid = _counts_and_margins(p, w)
    return _mask(pc @ s, valid)


@jax.jit
def _position_counts(p, w):
    pc, _, _ = _counts_and_margins(p, w)
    return pc.astype(jnp.int32)


@jax.jit
def _margins(p, w):
    _, mg, _ = _counts_and_margins(p, w)
    return mg.astype(jnp.int32)


@jax.jit
def _copeland(p, w):
    _, mg, valid = _counts_and_margins(p, w)
    return _copeland_from_margins(mg, valid)


@jax.jit
def _condorcet(p, w):
    _, mg, valid = _counts_and_margins(p, w)
    return _condorcet_from_margins(mg, valid)


@jax.jit
def _all(p, w):
    pc, mg, valid = _counts_and_margins(p, w)
    plur = _mask(pc[..., 0], valid)
    bor = _mask(pc @ _borda_vec(p.shape[-1]), valid)
    return plur, bor, _copeland_from_margins(mg, valid), _condorcet_from_margins(mg, valid)

"""Vectorised voting rules over batches of profiles (spec ``social_choice.md`` §2.5) [M].

Input: an int array ``profiles`` of shape ``(n_profiles, n_voters, n_candidates)``; row = one voter's
ranking, best first. Output: the winning set as a boolean mask ``(n_profiles, n_candidates)`` with all
tied winners marked (``condorcet_winner`` marks none when there is none). All rules except
``scoring_rule`` are exact integer computations; ``scoring_rule`` uses float64 score vectors
(exact for integer or dyadic vectors). Conventions match pref-voting 1.18 (winner lists without
tie-breaking; see the spec §2.5).
"""

from __future__ import annotations

import functools
import itertools
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from aligntheory.errors import InvalidInputError
from aligntheory.kernels._common import check_precision_all, f64

__all__ = [
    "ranks",
    "position_counts",
    "plurality",
    "borda",
    "scoring_rule",
    "margins",
    "copeland",
    "condorcet_winner",
    "all_rules",
]


def _profiles(profiles: Any) -> jax.Array:
    arr = profiles if isinstance(profiles, jax.Array) else np.asarray(profiles)
    if arr.ndim != 3:
        raise InvalidInputError("profiles", "must have shape (n_profiles, n_voters, n_candidates)",
                                received=f"shape {tuple(arr.shape)}")
    if not jnp.issubdtype(arr.dtype, jnp.integer):
        raise InvalidInputError("profiles", "must be an integer array of rankings", received=f"dtype {arr.dtype}")
    if min(arr.shape) < 1:
        raise InvalidInputError("profiles", "every dimension must be >= 1", received=f"shape {tuple(arr.shape)}")
    return jnp.asarray(arr)


def _ranks(p):
    # rank[b, v, c] = position of candidate c in voter v's ranking; valid iff every row is a permutation
    m = p.shape[-1]
    onehot = p[..., :, None] == jnp.arange(m, dtype=p.dtype)  # (B, V, r, c)
    valid = jnp.all(jnp.sum(onehot, axis=-2) == 1)
    rank = jnp.argmax(onehot, axis=-2)
    return rank, valid


_HIST_MAX_CODES = 10**6  # ranking histograms are used when m**m <= this (m <= 7)


@functools.lru_cache(maxsize=None)
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


def _counts_and_margins(p):
    """Position counts (B, c, r) and margins (B, a, b) as exact integer-valued arrays, plus validity.

    For m**m <= 1e6 each ranking is coded as an integer and the profile is reduced to a histogram over
    the m! rankings (``bincount``); every rule is then a matrix product with a per-ranking table.
    Larger m falls back to ranks accumulated voter by voter (``lax.scan`` over voter positions).
    """
    b, v, m = p.shape
    if m**m <= _HIST_MAX_CODES:
        lut, pos, above, k = _tables(m)
        inrange = (p >= 0) & (p < m)
        code = jnp.sum(jnp.where(inrange, p, 0) * jnp.asarray(m ** np.arange(m), dtype=p.dtype), axis=-1)
        idx = jnp.where(jnp.all(inrange, axis=-1), jnp.asarray(lut)[code], k).astype(jnp.int32)
        flat = (idx + (k + 1) * jnp.arange(b, dtype=jnp.int32)[:, None]).ravel()
        hist = jax.ops.segment_sum(jnp.ones(flat.shape, jnp.int32), flat, b * (k + 1)).reshape(b, k + 1)
        valid = jnp.all(hist[:, k] == 0)
        hist = hist.astype(float)
        pc = (hist @ jnp.asarray(pos)).reshape(b, m, m)
        ab = (hist @ jnp.asarray(above)).reshape(b, m, m)
        return pc, ab - jnp.swapaxes(ab, -1, -2), valid
    onehot = p[..., :, None] == jnp.arange(m, dtype=p.dtype)  # (B, V, r, c)
    valid = jnp.all(jnp.sum(onehot, axis=-2) == 1)
    rank = jnp.sum(onehot.astype(jnp.int32) * jnp.arange(m, dtype=jnp.int32)[:, None], axis=-2)  # (B, V, c)

    def step(acc, r):  # one voter position for every profile at once: r has shape (B, m)
        ab = acc[0] + (r[:, :, None] < r[:, None, :]).astype(jnp.int32)
        pc = acc[1] + (r[:, :, None] == jnp.arange(m, dtype=r.dtype)).astype(jnp.int32)
        return (ab, pc), None

    zeros = jnp.zeros((b, m, m), jnp.int32)
    (ab, pc), _ = lax.scan(step, (zeros, zeros), jnp.swapaxes(rank, 0, 1), unroll=4)
    ab = ab.astype(float)
    return pc.astype(float), ab - jnp.swapaxes(ab, -1, -2), valid


def _mask(scores):
    return scores == jnp.max(scores, axis=-1, keepdims=True)


def _borda_vec(m):
    return jnp.arange(m - 1, -1, -1, dtype=float)


def _copeland_from_margins(mg):
    return _mask(jnp.sum(jnp.sign(mg), axis=-1))


def _condorcet_from_margins(mg):
    m = mg.shape[-1]
    return jnp.all((mg > 0) | jnp.eye(m, dtype=bool), axis=-1)


@jax.jit
def _plurality(p):
    pc, _, valid = _counts_and_margins(p)
    return _mask(pc[..., 0]), valid


@jax.jit
def _borda(p):
    pc, _, valid = _counts_and_margins(p)
    return _mask(pc @ _borda_vec(p.shape[-1])), valid


@jax.jit
def _scoring(p, s):
    pc, _, valid = _counts_and_margins(p)
    return _mask(pc @ s), valid


@jax.jit
def _position_counts(p):
    pc, _, valid = _counts_and_margins(p)
    return pc.astype(jnp.int32), valid


@jax.jit
def _margins(p):
    _, mg, valid = _counts_and_margins(p)
    return mg.astype(jnp.int32), valid


@jax.jit
def _copeland(p):
    _, mg, valid = _counts_and_margins(p)
    return _copeland_from_margins(mg), valid


@jax.jit
def _condorcet(p):
    _, mg, valid = _counts_and_margins(p)
    return _condorcet_from_margins(mg), valid


@jax.jit
def _all(p):
    pc, mg, valid = _counts_and_margins(p)
    plur = _mask(pc[..., 0])
    bor = _mask(pc @ _borda_vec(p.shape[-1]))
    return (plur, bor, _copeland_from_margins(mg), _condorcet_from_margins(mg)), valid


def _checked(out, valid):
    if not bool(valid):
        raise InvalidInputError("profiles", "every ranking must be a permutation of 0..n_candidates-1")
    return out


def ranks(profiles: Any) -> jax.Array:
    """Position of each candidate in each voter's ranking (0 = top), shape (P, V, m) [M].

    Examples
    --------
    >>> np.asarray(ranks(np.array([[[2, 0, 1]]]))).tolist()
    [[[1, 2, 0]]]
    """
    p = _profiles(profiles)
    return _checked(*_ranks_jit(p))


_ranks_jit = jax.jit(_ranks)


def position_counts(profiles: Any) -> jax.Array:
    """:math:`\\pi_c(P)_r` for a batch: int array (P, m, m), row = candidate, column = position [M].

    Examples
    --------
    >>> np.asarray(position_counts(np.array([[[0, 1], [1, 0], [0, 1]]]))).tolist()
    [[[2, 1], [1, 2]]]
    """
    return _checked(*_position_counts(_profiles(profiles)))


def plurality(profiles: Any) -> jax.Array:
    """Plurality winning sets, boolean mask (P, m) [M] (§2.5).

    Examples
    --------
    >>> np.asarray(plurality(np.array([[[0, 1, 2], [1, 0, 2]]]))).tolist()
    [[True, True, False]]
    """
    return _checked(*_plurality(_profiles(profiles)))


def borda(profiles: Any) -> jax.Array:
    """Borda winning sets (:math:`s_r = m - r`), boolean mask (P, m) [M] (§2.5).

    Examples
    --------
    >>> np.asarray(borda(np.array([[[0, 1, 2], [1, 2, 0]]]))).tolist()
    [[False, True, False]]
    """
    return _checked(*_borda(_profiles(profiles)))


def scoring_rule(profiles: Any, score_vector: Any) -> jax.Array:
    """Positional scoring rule winning sets for a non-increasing float64 ``score_vector`` (m,) [M] (§2.5).

    Scores are :math:`\\langle s, \\pi_c(P)\\rangle` from integer position counts.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> np.asarray(scoring_rule(np.array([[[0, 1, 2], [1, 2, 0]]]), np.array([2.0, 1.0, 0.0]))).tolist()
    [[False, True, False]]
    """
    check_precision_all("scoring_rule", score_vector=score_vector)
    p = _profiles(profiles)
    s = f64("score_vector", score_vector, ndim=1)
    if s.shape[0] != p.shape[-1]:
        raise InvalidInputError("score_vector", f"must have length n_candidates = {p.shape[-1]}",
                                received=f"shape {tuple(s.shape)}")
    if not bool(jnp.all(jnp.isfinite(s))):
        raise InvalidInputError("score_vector", "non-finite input: entries must be finite")
    if s.shape[0] > 1 and bool(jnp.any(jnp.diff(s) > 0)):
        raise InvalidInputError("score_vector", "must be non-increasing (s_1 >= ... >= s_m)")
    return _checked(*_scoring(p, s))


def margins(profiles: Any) -> jax.Array:
    """Margin matrices :math:`\\mathrm{mg}(a,b)`, int array (P, m, m) [M] (§2.5).

    Examples
    --------
    >>> np.asarray(margins(np.array([[[0, 1], [0, 1], [1, 0]]]))).tolist()
    [[[0, 1], [-1, 0]]]
    """
    return _checked(*_margins(_profiles(profiles)))


def copeland(profiles: Any) -> jax.Array:
    """Copeland winning sets (scores +1 / 0 / -1), boolean mask (P, m) [M] (§2.5).

    Examples
    --------
    >>> np.asarray(copeland(np.array([[[0, 1, 2], [1, 2, 0], [2, 0, 1]]]))).tolist()
    [[True, True, True]]
    """
    return _checked(*_copeland(_profiles(profiles)))


def condorcet_winner(profiles: Any) -> jax.Array:
    """Condorcet winner as a boolean mask (P, m): at most one True per row, none when there is none [M].

    Examples
    --------
    >>> np.asarray(condorcet_winner(np.array([[[0, 1, 2], [1, 2, 0], [2, 0, 1]], [[1, 0, 2], [1, 2, 0], [0, 1, 2]]]))).tolist()
    [[False, False, False], [False, True, False]]
    """
    return _checked(*_condorcet(_profiles(profiles)))


def all_rules(profiles: Any) -> dict[str, jax.Array]:
    """Plurality, Borda, Copeland and Condorcet masks in one fused pass (shared ranks and margins) [M].

    Examples
    --------
    >>> out = all_rules(np.array([[[0, 1, 2], [1, 0, 2], [0, 2, 1]]]))
    >>> {k: np.asarray(v).tolist() for k, v in out.items()}
    {'plurality': [[True, False, False]], 'borda': [[True, False, False]], 'copeland': [[True, False, False]], 'condorcet': [[True, False, False]]}
    """
    (pl, bo, co, cw), valid = _all(_profiles(profiles))
    _checked(None, valid)
    return {"plurality": pl, "borda": bo, "copeland": co, "condorcet": cw}

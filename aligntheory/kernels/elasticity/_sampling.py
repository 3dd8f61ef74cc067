"""Sample version: multinomial counts by binomial splitting, pooled-count MLEs and Monte Carlo finite
differences of the rates (spec ``elasticity.md`` §4.2)."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from aligntheory import _validate as VA
from aligntheory.errors import InvalidInputError
from aligntheory.kernels._common import require_x64
from aligntheory.kernels.elasticity._validation import MAX_LEAVES, counts, distribution, triple
from aligntheory.results import provenance

__all__ = ["sample_counts", "MLE", "mle_from_counts", "MCDelta", "mc_delta_gamma"]



def _split_core(key, P, N):
    M = P.shape[0]
    L = max(1, math.ceil(math.log2(M)))
    size = 1 << L
    p = jnp.zeros(size, jnp.float64).at[:M].set(P)
    sums = [p]  # sums[j]: masses of the 2^(L-j) blocks of size 2^j (exact pairwise sums)
    for _ in range(L):
        sums.append(sums[-1].reshape(-1, 2).sum(axis=1))
    fr = []
    for m in range(L):  # split of each level-m node (2^m nodes, blocks of 2^(L-m)) into its two children
        parent, child = sums[L - m], sums[L - m - 1].reshape(-1, 2)[:, 0]
        f = jnp.clip(jnp.where(parent > 0, child / jnp.where(parent > 0, parent, 1.0), 0.0), 0.0, 1.0)
        fr.append(jnp.repeat(f, size >> m))
    frac_pos = jnp.stack(fr)  # (L, size): the split fraction of the node containing each position
    pos = jnp.arange(size)

    def body(m, c):
        shift = L - m
        start = jnp.left_shift(jnp.right_shift(pos, shift), shift)
        half = jnp.left_shift(1, shift - 1)
        frac = frac_pos[m]
        # node starts are even positions, so draws are needed only there (half the binomials)
        draws = jax.random.binomial(jax.random.fold_in(key, m), c[::2], frac[::2], dtype=jnp.float64)
        left = draws[jnp.right_shift(start, 1)]  # one draw per node: the one at the node's first position
        left = jnp.where(frac >= 1.0, c, jnp.where(frac <= 0.0, 0.0, left))
        return jnp.where(pos - start < half, left, c - left)

    c = lax.fori_loop(0, L, body, jnp.full(size, N, jnp.float64))
    return c[:M]


def _seq_core(key, P, N):
    # conditional binomials along the leaves: n_x ~ Bin(remaining, P_x / P(x..M-1)); suffix sums add small first
    suf = jnp.cumsum(P[::-1])[::-1]
    frac = jnp.clip(jnp.where(suf > 0, P / jnp.where(suf > 0, suf, 1.0), 0.0), 0.0, 1.0)
    keys = jax.random.split(key, P.shape[0])

    def body(rem, xs):
        k, f = xs
        n = jax.random.binomial(k, rem, f, dtype=jnp.float64)
        n = jnp.where(f >= 1.0, rem, jnp.where(f <= 0.0, 0.0, n))
        return rem - n, n

    return lax.scan(body, N, (keys, frac))[1]


_split_jit = jax.jit(_split_core)
_split_batched = jax.jit(jax.vmap(_split_core, in_axes=(0, None, None)))
_seq_jit = jax.jit(_seq_core)
_seq_batched = jax.jit(jax.vmap(_seq_core, in_axes=(0, None, None)))


@provenance("M", where="multinomial sampling by conditional binomials (standard)")
def sample_counts(key: Any, P: Any, N: Any, *, method: str = "tree", max_leaves: int = MAX_LEAVES,
                  validate: bool = True) -> jax.Array:
    """Multinomial counts :math:`n\\sim\\mathrm{Mult}(N, P)` by binomial splitting [M].

    ``method="tree"``: down a binary tree, :math:`\\lceil\\log_2 M\\rceil` levels of vectorised
    binomials (log depth; suited to accelerators). ``method="sequential"``: conditional binomials
    :math:`n_x\\sim\\mathrm{Bin}(N-\\sum_{y<x}n_y,\\,P_x/\\sum_{y\\ge x}P_y)` in a ``lax.scan`` (depth
    M; fewer draws, faster on CPU). Both are exact. :math:`N` may be :math:`10^9` or more (counts are
    float64, exact below :math:`2^{53}`). A batch of keys (shape (B, 2)) gives a batch of count
    vectors (vmapped).

    Parameters
    ----------
    key : PRNG key, or array of keys with a leading batch axis
    P : float64 array, shape (M,)
    N : float
        Total count (an integer value, 0 <= N <= 2^53 so that counts stay exact in float64).
    method : {"tree", "sequential"}
    max_leaves : int, default 100_000_000
        Cap on ``B * M`` (the draws, ``MAX_LEAVES``), checked before compiling.
    validate : bool, default True
        Check that ``P`` is a probability vector (host side).

    Returns
    -------
    float64 array, shape (M,) or (B, M)

    Raises
    ------
    InvalidInputError
        ``P`` not a probability vector or complex, ``N`` negative, fractional or above 2^53, unknown
        ``method``, keys of the wrong shape.
    SizeCapError
        ``B * M`` above ``max_leaves``.
    PrecisionError
        float32 input or x64 off.

    Notes
    -----
    :math:`O(M)` binomial draws per key.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> n = sample_counts(jax.random.PRNGKey(0), [0.2, 0.3, 0.5], 1000.0)
    >>> float(n.sum())
    1000.0
    """
    require_x64("sample_counts")
    Pj = distribution("P", P, validate=validate)
    n = VA.check_scalar("N", N, nonnegative=True, hi=2.0**53)
    if n != math.floor(n):
        raise InvalidInputError("N", "must be an integer count", received=n)
    if method not in ("tree", "sequential"):
        raise InvalidInputError("method", "must be 'tree' or 'sequential'", received=method)
    k = jnp.asarray(key)
    if k.ndim not in (1, 2) or k.shape[-1] != 2:
        raise InvalidInputError("key", "must be a PRNG key of shape (2,) or a batch (B, 2)", received=f"shape {k.shape}")
    VA.check_size("P", int(Pj.shape[0]) * (int(k.shape[0]) if k.ndim == 2 else 1), cap=max_leaves, unit="draws")
    single, batched = (_split_jit, _split_batched) if method == "tree" else (_seq_jit, _seq_batched)
    if k.ndim == 2:
        return batched(k, Pj, jnp.float64(n))
    return single(k, Pj, jnp.float64(n))


@provenance("M", where="pooled-count maximum likelihood (standard)")
class MLE(NamedTuple):
    """Pooled-count MLE ``q`` (add-``beta`` smoothed when ``beta > 0``) and the ``beta`` used."""

    q: jax.Array
    beta: float


_TINY = float(np.finfo(np.float64).tiny)


def _pow2(k: jax.Array) -> jax.Array:
    """``2.0 ** k`` exactly, for integer ``k`` in [-1022, 1023] (built from the exponent bits)."""
    return lax.bitcast_convert_type(jnp.left_shift(k.astype(jnp.int64) + 1023, 52), jnp.float64)


def _scaled_counts(C: jax.Array, b: float) -> tuple[jax.Array, jax.Array]:
    """``C / 2^e`` and ``beta / 2^e`` with ``2^e`` the power of two just above ``max(max |C|, beta)`` of each
    batch: exact (a power of two; entries below ``2^-1022`` of that maximum flush, far below rounding), and
    the largest entry lands in [1/2, 1), so no pooled sum can overflow and the quotient is unchanged.

    Concrete counts are scaled on the host (numpy keeps subnormal counts, which XLA's CPU backend flushes to
    0); traced counts in the graph (``2^-e`` as two normal factors, as ``2^-1024`` is itself subnormal).
    """
    if isinstance(C, jax.core.Tracer):
        mx = jnp.maximum(jnp.max(jnp.abs(C), axis=(-2, -1), initial=0.0), b)
        e = jnp.where(mx >= _TINY, jnp.frexp(mx)[1], 0)  # below the normal range XLA flushes anyway
        f1, f2 = _pow2(-e // 2), _pow2(-e - (-e // 2))  # applied one after the other: 2^-e may be subnormal
        return C * f1[..., None, None] * f2[..., None, None], b * f1 * f2
    a = np.asarray(C)
    e = np.frexp(np.maximum(np.max(np.abs(a), axis=(-2, -1), initial=0.0), b))[1]
    return jnp.asarray(np.ldexp(a, -e[..., None, None])), jnp.asarray(np.ldexp(b, -e))


@provenance("M", where="Proposition E1 (aligntheory), sample version")
def mle_from_counts(counts_list: Any, beta: float = 0.0, *, validate: bool = True) -> MLE:
    """Pooled MLE :math:`\\hat q = (\\sum_i n_i + \\beta)/(\\sum_i N_i + M\\beta)` [M].

    In the sample version of Proposition E1 (aligntheory) the trained model is the MLE on pooled
    counts. ``beta`` is recorded in the result.

    Parameters
    ----------
    counts_list : float64 array, shape (m, M) (or (..., m, M))
        Finite counts >= 0 (fractional and subnormal counts included); :math:`N_i` is the total of row
        :math:`i`.
    beta : float, default 0.0
        Add-beta pseudo-count, finite and >= 0.
    validate : bool, default True
        Check that the counts are finite and >= 0 and that every pooled row has positive total.

    Returns
    -------
    MLE

    Raises
    ------
    InvalidInputError
        Negative, NaN or infinite counts, complex input, fewer than 2 dimensions, a pooled total of 0
        (every count 0 with ``beta = 0``, or ``M = 0``).
    PrecisionError
        float32 input or x64 off.

    Notes
    -----
    :math:`O(mM)`. Scale-safe: the counts and :math:`\\beta` of each batch are divided by the power of
    two just above their largest value before summing (exact, and the quotient does not change), so
    totals beyond the float64 range (counts near ``1e308``, ``beta = 1e308``) give the exact quotient
    rather than ``nan`` or 0. Subnormal counts are valid (a positive total); they are scaled on the host
    when the counts are concrete. Under ``jax.jit``/``vmap`` the scaling runs in the graph, where
    XLA's CPU backend flushes subnormal inputs to 0. Entries of :math:`\\hat q` below the normal range
    (``2.2e-308``) flush to 0 likewise.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> np.asarray(mle_from_counts(np.array([[1.0, 3.0], [0.0, 4.0]])).q).tolist()
    [0.125, 0.875]
    >>> np.asarray(mle_from_counts(np.array([[1e308, 1e308], [1e308, 0.0]])).q).tolist() == [2 / 3, 1 / 3]
    True
    """
    require_x64("mle_from_counts")
    b = VA.check_scalar("beta", beta, nonnegative=True)
    C = counts("counts_list", counts_list, min_ndim=2, validate=validate)
    Cs, bs = _scaled_counts(C, b)  # the largest of the counts and beta in [1/2, 1): a positive total is >= 1/2
    pooled = Cs.sum(axis=-2) + bs[..., None]
    if validate and np.any(np.asarray(pooled.sum(axis=-1)) <= 0):
        raise InvalidInputError("counts_list", "pooled counts sum to 0 (the MLE is undefined; use beta > 0)",
                                received="total 0")
    return MLE(pooled / pooled.sum(axis=-1, keepdims=True), b)


@provenance("M", where="Propositions E1-E4 (aligntheory), sample version")
class MCDelta(NamedTuple):
    """Monte Carlo finite differences between l = 0 and l1 (per seed) and the ratio estimate."""

    d_p: jax.Array
    d_a: jax.Array
    d_t: jax.Array
    ratio: float
    ratio_se: float
    n_seeds: int


def _mc_one(key, Pp, Pa, Pt, Np, Na, Nt):
    kp, ka, kt = jax.random.split(key, 3)
    n_p, n_a, n_t = _split_core(kp, Pp, Np), _split_core(ka, Pa, Na), _split_core(kt, Pt, Nt)
    q0 = (n_p + n_a) / (Np + Na)
    q1 = (n_p + n_a + n_t) / (Np + Na + Nt)

    def dg(n, N):
        Ph = n / N
        m = Ph > 0
        return jnp.sum(jnp.where(m, Ph * (jnp.log(jnp.where(m, q0, 1.0)) - jnp.log(jnp.where(m, q1, 1.0))), 0.0))

    # gamma_t at l = 0: q0 may vanish where P_t-hat > 0 (then gamma_t(0) is infinite and 0 * it would be NaN), so
    # only the finite rates p and a are estimated and d_t is a literal zero, as documented
    return dg(n_p, Np), dg(n_a, Na), jnp.zeros((), jnp.float64)


_mc_jit = jax.jit(jax.vmap(_mc_one, in_axes=(0, None, None, None, None, None, None)))


def _whole_size(name: str, factor: float, n_a: float) -> int:
    """``factor * n_a`` as a whole sample size >= 1; within relative 1e-12 of an integer (the two roundings of
    ``factor`` and of the product are below 3e-16), else ``InvalidInputError`` naming ``name``."""
    x = factor * n_a
    n = round(x)
    if n < 1 or abs(x - n) > 1e-12 * x:
        raise InvalidInputError(name, f"{name} * N_a must be a whole number >= 1 (a sample size)",
                                received=f"{name} * N_a = {x!r}")
    return n


@provenance("M", where="Propositions E1-E4 (aligntheory), sample version, spec elasticity.md §4.3")
def mc_delta_gamma(key: Any, P_p: Any, P_a: Any, P_t: Any, N_a: float, k: float, l1: float, n_seeds: int, *,
                   max_draws: int = MAX_LEAVES, validate: bool = True) -> MCDelta:
    """Monte Carlo :math:`\\Delta\\gamma_i = \\gamma_i(\\hat q_{l_1}) - \\gamma_i(\\hat q_0)` from pooled-count MLEs
    [M].

    Sample version of Props. E1--E4 (aligntheory): per seed, counts
    :math:`n_p\\sim\\mathrm{Mult}(kN_a,P_p)`, :math:`n_a\\sim\\mathrm{Mult}(N_a,P_a)`,
    :math:`n_t\\sim\\mathrm{Mult}(l_1N_a,P_t)`; the datasets are the empirical distributions
    :math:`\\hat P_i=n_i/N_i` and the models the pooled MLEs without and with :math:`n_t`.
    The ratio estimate is :math:`-\\overline{\\Delta\\gamma_a}/\\overline{\\Delta\\gamma_p}` with a
    delta-method standard error. ``d_t`` is returned as zeros (:math:`\\hat\\gamma_t(0)` may be infinite).

    Parameters
    ----------
    key : PRNG key
    P_p, P_a, P_t : float64 arrays, shape (M,)
    N_a : float
        Alignment sample size (a whole number).
    k, l1 : float
        :math:`kN_a` and :math:`l_1N_a` must be whole numbers >= 1 (within relative 1e-12, for the rounding of
        ``k`` and of the product).
    n_seeds : int
        >= 2.
    max_draws : int, default 100_000_000
        Cap on ``3 n_seeds M`` binomial draws (``MAX_LEAVES``), checked before compiling.
    validate : bool, default True
        Host-side checks of the distributions.

    Returns
    -------
    MCDelta

    Raises
    ------
    InvalidInputError
        Invalid distributions, sizes above 2^53 or non-positive, ``N_a``, :math:`kN_a` or :math:`l_1N_a` not a
        whole number (or below 1), ``n_seeds < 2``; the sampled data leaving :math:`\\gamma_p` unchanged on
        average (mean ``d_p`` = 0: the ratio is undefined). Under ``jit``/``vmap`` the last is not checked and the
        ratio is then infinite or NaN.
    SizeCapError
        Too many draws.
    PrecisionError
        float32 input or x64 off.

    Notes
    -----
    :math:`O(n_{\\rm seeds} M)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> r = mc_delta_gamma(jax.random.PRNGKey(0), [0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 1000.0, 10.0, 0.1, 8)
    >>> r.n_seeds, bool(r.ratio > 0)
    (8, True)
    """
    Pp, Pa, Pt = triple(P_p, P_a, P_t, "mc_delta_gamma", validate=validate)
    Na = VA.check_scalar("N_a", N_a, positive=True, hi=2.0**53)
    k = VA.check_scalar("k", k, positive=True, hi=2.0**53 / Na)
    l1 = VA.check_scalar("l1", l1, positive=True, hi=2.0**53 / Na)
    S = VA.check_int("n_seeds", n_seeds, lo=2)
    VA.check_size("n_seeds", 3 * S * int(Pp.shape[0]), cap=max_draws, unit="draws")
    if Na != math.floor(Na):
        raise InvalidInputError("N_a", "must be a whole number (the alignment sample size)", received=N_a)
    Np, Nt = _whole_size("k", k, Na), _whole_size("l1", l1, Na)
    keys = jax.random.split(key, S)
    dp, da, dt = _mc_jit(keys, Pp, Pa, Pt, jnp.float64(Np), jnp.float64(Na), jnp.float64(Nt))
    if isinstance(da, jax.core.Tracer):  # under jit/vmap over the key: the same estimate, in the graph
        Rt = -jnp.mean(da) / jnp.mean(dp)
        return MCDelta(dp, da, dt, Rt, jnp.std(da + Rt * dp, ddof=1) / math.sqrt(S) / jnp.abs(jnp.mean(dp)), S)
    a, p = np.asarray(da), np.asarray(dp)
    if p.mean() == 0.0:
        raise InvalidInputError("P_t", "the ratio -mean(d_a)/mean(d_p) is undefined: the sampled fine-tuning data "
                                "left the pre-training rate unchanged (mean d_p = 0 over the seeds)",
                                received=f"d_p = 0 in all {S} seeds" if not p.any() else "mean d_p = 0")
    R = -a.mean() / p.mean()
    se = float(np.std(a + R * p, ddof=1) / math.sqrt(S) / abs(p.mean()))
    return MCDelta(dp, da, dt, float(R), se, S)



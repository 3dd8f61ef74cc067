"""Core JAX kernels of the elasticity pillar (spec ``elasticity.md`` §4.2).

Token trees with Zipf next-symbol laws (leaf log-probabilities), pruning by ``logsumexp``,
log-space mixtures, the rates :math:`\\gamma_i(l)` and their derivatives (``jax.grad`` of the
naive form and the stable closed forms of Proposition E2 (aligntheory)), vmapped (k, l) sweeps,
multinomial sampling by binomial splitting, pooled-count MLEs, and gradient-descent training of a
softmax that converges to the E1 mixture. Everything is float64: enable ``jax_enable_x64`` first,
or the kernels raise :class:`~aligntheory.errors.PrecisionError`.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax.scipy.special import logsumexp, xlogy

from aligntheory import _validate as VA
from aligntheory.errors import ConvergenceError, InvalidInputError
from aligntheory.kernels._common import check_precision_all, f64

__all__ = [
    "token_tree_leaf_probs",
    "prune",
    "mixture_logq",
    "gamma",
    "gamma_grad",
    "stable_derivatives",
    "elasticity_sweep",
    "SweepResult",
    "sample_counts",
    "mle_from_counts",
    "MLE",
    "mc_delta_gamma",
    "MCDelta",
    "train_softmax",
    "TrainResult",
]


# ----------------------------------------------------------------------------------------------
# token trees


def _n_leaves(V_: int, depth: int) -> int:
    return sum(V_**j for j in range(depth)) + V_**depth


@partial(jax.jit, static_argnums=(1, 2))
def _tree_core(key, V_, depth, eos_prob, zipf_s):
    ranks = jnp.arange(1, V_ + 1, dtype=jnp.float64)
    logz = -zipf_s * jnp.log(ranks)
    logz = logz - logsumexp(logz)
    log_cont = jnp.log1p(-eos_prob)
    log_eos = jnp.log(eos_prob)
    logW = jnp.zeros((1,), jnp.float64)
    out = []
    for j in range(depth):
        out.append(logW + log_eos)
        u = jax.random.uniform(jax.random.fold_in(key, j), (V_**j, V_), jnp.float64)
        perm = jnp.argsort(u, axis=1)  # a uniform random permutation of ranks per node
        child = log_cont + logz[perm]
        logW = (logW[:, None] + child).reshape(-1)
    out.append(logW)
    return jnp.concatenate(out)


def token_tree_leaf_probs(key: Any, V: int, depth: int, eos_prob: float, zipf_s: float) -> jax.Array:
    """Log leaf probabilities of a random complete V-ary token tree [R].

    Spec ``elasticity.md`` §2.2 items 1--2 (reconstruction; the full text was not available to
    us). Every node of depth :math:`< D` ends (EOS) with probability ``eos_prob``; otherwise it
    emits one of V tokens with Zipf(``zipf_s``) probabilities under a fresh random permutation.
    Leaf layout: EOS leaves of levels 0..D-1 in prefix order, then the :math:`V^D` depth-D nodes.

    .. math:: \\log P(z) = \\sum_t \\log\\pi(z_t\\mid z_{<t}) + \\log\\pi(\\mathrm{EOS}\\mid z)

    computed level by level in log space, so leaf masses far below 1e-308 stay exact.

    Parameters
    ----------
    key : PRNG key
    V : int
        Alphabet size >= 2 (static).
    depth : int
        :math:`D \\ge 1` (static).
    eos_prob : float
        In (0, 1).
    zipf_s : float
        > 0.

    Returns
    -------
    float64 array, shape (sum_{j<D} V^j + V^D,)

    Complexity
    ----------
    :math:`O(V^{D+1}\\log V)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> lp = token_tree_leaf_probs(jax.random.PRNGKey(0), 2, 3, 0.3, 1.0)
    >>> lp.shape, round(float(jax.numpy.exp(lp).sum()), 12)
    ((15,), 1.0)
    """
    check_precision_all("token_tree_leaf_probs")
    v = _int("V", V, lo=2)
    d = _int("depth", depth, lo=1)
    e = VA.check_scalar("eos_prob", eos_prob, lo=0.0, hi=1.0)
    if not 0.0 < e < 1.0:
        raise InvalidInputError("eos_prob", "must be in (0, 1)", received=e)
    s = VA.check_scalar("zipf_s", zipf_s, positive=True)
    return _tree_core(key, v, d, jnp.float64(e), jnp.float64(s))


def _int(name, x, lo=None, hi=None):
    return VA.check_int(name, x, lo=lo, hi=hi)


@partial(jax.jit, static_argnums=(1, 2, 3))
def _prune_core(leaf_logp, V_, depth, d):
    offs = [sum(V_**i for i in range(j)) for j in range(depth + 1)]
    head = leaf_logp[: offs[d]]
    blocks = [logsumexp(leaf_logp[offs[j]: offs[j] + V_**j].reshape(V_**d, V_ ** (j - d)), axis=1)
              for j in range(d, depth + 1)]
    return jnp.concatenate([head, logsumexp(jnp.stack(blocks), axis=0)])


def prune(leaf_logp: Any, V: int, depth: int, d: int) -> jax.Array:
    """Prune a token tree to depth d: lump each depth-d subtree with ``logsumexp`` over blocks [R].

    Spec §2.2 item 2 (reconstruction; the full text was not available to us); the numpy
    reference is :func:`aligntheory.theory.elasticity.prune_leaf_probs`.

    Parameters
    ----------
    leaf_logp : float64 array, shape (M_D,)
    V, depth, d : int
        Static; :math:`1 \\le d \\le D`.

    Returns
    -------
    float64 array, shape (M_d,)

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> (np.exp(np.asarray(prune(np.log(np.full(7, 1 / 7)), 2, 2, 1))) * 7).round(6).tolist()
    [1.0, 3.0, 3.0]
    """
    check_precision_all("prune", leaf_logp=leaf_logp)
    v, D, dd = _int("V", V, lo=2), _int("depth", depth, lo=1), _int("d", d)
    if not 1 <= dd <= D:
        raise InvalidInputError("d", f"pruning depth must satisfy 1 <= d <= D = {D}", received=dd)
    lp = f64("leaf_logp", leaf_logp, ndim=1)
    if lp.shape[0] != _n_leaves(v, D):
        raise InvalidInputError("leaf_logp", f"must have {_n_leaves(v, D)} entries for V={v}, depth={D}",
                                received=f"shape {tuple(lp.shape)}")
    return _prune_core(lp, v, D, dd)


# ----------------------------------------------------------------------------------------------
# mixtures and rates


@jax.jit
def _mixture_logq(log_dists, log_sizes):
    w = log_sizes - logsumexp(log_sizes)
    return logsumexp(log_dists + w[:, None], axis=0)


def mixture_logq(log_dists: Any, log_sizes: Any) -> jax.Array:
    """Log of the E1 mixture :math:`\\log q = \\operatorname{logsumexp}_i(\\log P_i + \\log N_i - \\log N)` [M].

    Proposition E1 (aligntheory), in log space (no underflow for tiny leaf masses).

    Parameters
    ----------
    log_dists : float64 array, shape (m, M)
    log_sizes : float64 array, shape (m,)

    Returns
    -------
    float64 array, shape (M,)

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> np.exp(np.asarray(mixture_logq(np.log([[0.5, 0.5], [1.0, 1e-300]]), np.log([1.0, 3.0])))).round(6).tolist()
    [0.875, 0.125]
    """
    check_precision_all("mixture_logq", log_dists=log_dists, log_sizes=log_sizes)
    ld = f64("log_dists", log_dists, ndim=2)
    ls = f64("log_sizes", log_sizes, ndim=1)
    if ld.shape[0] != ls.shape[0]:
        raise InvalidInputError("log_sizes", f"must have one entry per row of log_dists {tuple(ld.shape)}",
                                received=f"shape {tuple(ls.shape)}")
    return _mixture_logq(ld, ls)


def _gamma_naive(l, Pp, Pa, Pt, k):
    c = k + 1.0 + l
    q = (k * Pp + Pa + l * Pt) / c
    return jnp.stack([-jnp.sum(xlogy(P, q)) for P in (Pp, Pa, Pt)])


_gamma_jit = jax.jit(_gamma_naive)


def _grad_core(Pp, Pa, Pt, k, l):
    return jnp.stack([jax.grad(lambda t, i=i: _gamma_naive(t, Pp, Pa, Pt, k)[i])(l) for i in range(3)])


_grad_jit = jax.jit(_grad_core)


def _stable_core(Pp, Pa, Pt, k, l):
    c = k + 1.0 + l
    m = Pt > 0
    u = jnp.where(m, k * Pp + Pa + l * Pt, 1.0)
    w = jnp.where(m, Pt / u, 0.0)
    dp = jnp.sum(w * (Pa + l * Pt - (1.0 + l) * Pp)) / c
    da = jnp.sum(w * (k * Pp + l * Pt - (k + l) * Pa)) / c
    dt = jnp.sum(w * (k * Pp + Pa - (k + 1.0) * Pt)) / c
    return jnp.stack([dp, da, dt])


_stable_jit = jax.jit(_stable_core)


def _triple(P_p, P_a, P_t, where):
    check_precision_all(where, P_p=P_p, P_a=P_a, P_t=P_t)
    Pp, Pa, Pt = (f64(n, x, ndim=1) for n, x in (("P_p", P_p), ("P_a", P_a), ("P_t", P_t)))
    if not (Pp.shape == Pa.shape == Pt.shape):
        raise InvalidInputError("P_t", "mismatched leaf counts", received=f"shapes {Pp.shape}, {Pa.shape}, {Pt.shape}")
    return Pp, Pa, Pt


def gamma(l: Any, P_p: Any, P_a: Any, P_t: Any, k: Any) -> jax.Array:
    """Rates :math:`(\\gamma_p, \\gamma_a, \\gamma_t)(l) = -\\sum_x P_i\\log q_l` as written (nats) [M].

    Spec §4.2; :math:`q_l = (kP_p + P_a + lP_t)/c`. Differentiate with :func:`gamma_grad`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> [round(float(g), 6) for g in gamma(0.0, [0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 1.0)]
    [0.836988, 0.287682, 1.386294]
    """
    Pp, Pa, Pt = _triple(P_p, P_a, P_t, "gamma")
    return _gamma_jit(jnp.float64(VA.check_scalar("l", l, nonnegative=True)), Pp, Pa, Pt,
                      jnp.float64(VA.check_scalar("k", k, positive=True)))


def gamma_grad(P_p: Any, P_a: Any, P_t: Any, k: Any, l: Any) -> jax.Array:
    """``jax.grad`` of the naive rates :math:`\\gamma_i(l)`: :math:`(\\gamma_p', \\gamma_a', \\gamma_t')` [M].

    Agrees with Proposition E2 (aligntheory) to relative :math:`\\approx k\\varepsilon_{\\rm mach}`
    (the naive form cancels; spec §3 E2). Prefer :func:`stable_derivatives` for accuracy.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> [round(float(g), 12) for g in gamma_grad([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 1.0, 0.0)]
    [-0.5, 0.5, -1.5]
    """
    Pp, Pa, Pt = _triple(P_p, P_a, P_t, "gamma_grad")
    return _grad_jit(Pp, Pa, Pt, jnp.float64(VA.check_scalar("k", k, positive=True)),
                     jnp.float64(VA.check_scalar("l", l, nonnegative=True)))


def stable_derivatives(P_p: Any, P_a: Any, P_t: Any, k: Any, l: Any) -> jax.Array:
    """Stable closed forms of Proposition E2 (aligntheory) in JAX: :math:`(\\gamma_p', \\gamma_a', \\gamma_t')` [M].

    .. math:: \\gamma_p' = c^{-2}\\sum_x P_t\\,(P_a+lP_t-(1+l)P_p)/q_l \\;\\text{(and likewise, spec §3 E2)}

    Numpy reference: :func:`aligntheory.theory.elasticity.elasticity_derivatives`. Assumes
    :math:`q_l>0` on supp :math:`P_t` (unchecked here; the theory function checks it).

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> [round(float(g), 12) for g in stable_derivatives([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 1.0, 0.0)]
    [-0.5, 0.5, -1.5]
    """
    Pp, Pa, Pt = _triple(P_p, P_a, P_t, "stable_derivatives")
    return _stable_jit(Pp, Pa, Pt, jnp.float64(VA.check_scalar("k", k, positive=True)),
                       jnp.float64(VA.check_scalar("l", l, nonnegative=True)))


class SweepResult(NamedTuple):
    """Derivatives, ratio and Hooke residual on a (k, l) grid; each of shape (K, L)."""

    d_p: jax.Array
    d_a: jax.Array
    d_t: jax.Array
    ratio: jax.Array
    residual: jax.Array


def _stable_masked(pp, pa, pt, k, l):
    # inputs restricted to supp P_t (done outside jit): no masking needed
    c = k + 1.0 + l
    w = pt / (k * pp + pa + l * pt)
    return jnp.stack([jnp.dot(w, pa + l * pt - (1.0 + l) * pp), jnp.dot(w, k * pp + l * pt - (k + l) * pa),
                      jnp.dot(w, k * pp + pa - (k + 1.0) * pt)]) / c


@partial(jax.jit, static_argnames=("batch_size",))
def _sweep_core(pp, pa, pt, ks, ls, batch_size):
    def row(k):  # one k: the l values in vmapped chunks of batch_size
        return lax.map(lambda l: _stable_masked(pp, pa, pt, k, l), ls, batch_size=batch_size)

    d = lax.map(row, ks)  # (K, L, 3)
    dp, da, dt = d[..., 0], d[..., 1], d[..., 2]
    return SweepResult(dp, da, dt, -da / dp, ks[:, None] * dp + da + ls[None, :] * dt)


def elasticity_sweep(P_p: Any, P_a: Any, P_t: Any, ks: Any, ls: Any, *, batch_size: int | None = None) -> SweepResult:
    """Stable derivatives, ratio :math:`R=-\\gamma_a'/\\gamma_p'` and E3 residual on a (k, l) grid [M].

    Propositions E2--E4 (aligntheory). The grid is mapped in batches (``lax.map`` over vmapped
    chunks of ``batch_size`` points, default so that a chunk holds about :math:`2^{22}` leaf
    values; ``lax.map`` over k), so memory is :math:`O(\\text{batch}\\cdot M)`. Leaves outside
    supp :math:`P_t` contribute nothing and are dropped first.

    Parameters
    ----------
    P_p, P_a, P_t : float64 arrays, shape (M,)
    ks : float64 array, shape (K,), entries > 0
    ls : float64 array, shape (L,), entries >= 0

    Returns
    -------
    SweepResult, fields of shape (K, L)

    Complexity
    ----------
    :math:`O(KLM)` work.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> r = elasticity_sweep([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], np.array([1.0, 10.0]), np.array([0.0]))
    >>> np.asarray(r.ratio).ravel().round(10).tolist()
    [1.0, 10.0]
    """
    Pp, Pa, Pt = _triple(P_p, P_a, P_t, "elasticity_sweep")
    check_precision_all("elasticity_sweep", ks=ks, ls=ls)
    VA.as_float_array("ks", ks, ndim=1, positive=True)
    VA.as_float_array("ls", ls, ndim=1, nonnegative=True)
    K_, L_ = f64("ks", ks, ndim=1), f64("ls", ls, ndim=1)
    m = np.asarray(Pt) > 0  # restrict to supp P_t once (a data-dependent shape, so outside jit)
    pp, pa, pt = Pp[m], Pa[m], Pt[m]
    if batch_size is None:
        batch_size = max(1, min(L_.shape[0], (1 << 22) // max(1, int(m.sum()))))
    return _sweep_core(pp, pa, pt, K_, L_, batch_size=int(batch_size))


# ----------------------------------------------------------------------------------------------
# sample version


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


def sample_counts(key: Any, P: Any, N: Any, *, method: str = "tree") -> jax.Array:
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
        Total count (an integer value >= 0).

    Returns
    -------
    float64 array, shape (M,) or (B, M)

    Complexity
    ----------
    :math:`O(M)` binomial draws.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> n = sample_counts(jax.random.PRNGKey(0), [0.2, 0.3, 0.5], 1000.0)
    >>> float(n.sum())
    1000.0
    """
    check_precision_all("sample_counts", P=P)
    Pv = np.asarray(P, dtype=np.float64)
    if Pv.ndim != 1 or not np.all(np.isfinite(Pv)) or np.any(Pv < 0) or abs(Pv.sum() - 1) > 1e-9:
        raise InvalidInputError("P", "not a probability vector", received=f"sum {Pv.sum()!r}, min {Pv.min()!r}")
    n = VA.check_scalar("N", N, nonnegative=True)
    if n != math.floor(n):
        raise InvalidInputError("N", "must be an integer count", received=n)
    if method not in ("tree", "sequential"):
        raise InvalidInputError("method", "must be 'tree' or 'sequential'", received=method)
    k = jnp.asarray(key)
    Pj = jnp.asarray(Pv)
    single, batched = (_split_jit, _split_batched) if method == "tree" else (_seq_jit, _seq_batched)
    if k.ndim == 2:
        return batched(k, Pj, jnp.float64(n))
    return single(k, Pj, jnp.float64(n))


class MLE(NamedTuple):
    """Pooled-count MLE ``q`` (add-``beta`` smoothed when ``beta > 0``) and the ``beta`` used."""

    q: jax.Array
    beta: float


def mle_from_counts(counts_list: Any, beta: float = 0.0) -> MLE:
    """Pooled MLE :math:`\\hat q = (\\sum_i n_i + \\beta)/(\\sum_i N_i + M\\beta)` [M].

    In the sample version of Proposition E1 (aligntheory) the trained model is the MLE on pooled
    counts. ``beta`` is recorded in the result.

    Parameters
    ----------
    counts_list : float64 array, shape (m, M) (or (..., m, M))
    beta : float
        Add-beta pseudo-count, >= 0.

    Returns
    -------
    MLE

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> np.asarray(mle_from_counts(np.array([[1.0, 3.0], [0.0, 4.0]])).q).tolist()
    [0.125, 0.875]
    """
    check_precision_all("mle_from_counts", counts_list=counts_list)
    b = VA.check_scalar("beta", beta, nonnegative=True)
    C = f64("counts_list", counts_list)
    if C.ndim < 2:
        raise InvalidInputError("counts_list", "must have shape (m, M)", received=f"shape {tuple(C.shape)}")
    pooled = C.sum(axis=-2) + b
    return MLE(pooled / pooled.sum(axis=-1, keepdims=True), b)


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

    # gamma_t at l = 0: q0 may vanish where P_t-hat > 0, so only the finite rates p and a are used
    return dg(n_p, Np), dg(n_a, Na), jnp.float64(0.0) * dg(n_t, Nt)


_mc_jit = jax.jit(jax.vmap(_mc_one, in_axes=(0, None, None, None, None, None, None)))


def mc_delta_gamma(key: Any, P_p: Any, P_a: Any, P_t: Any, N_a: float, k: float, l1: float, n_seeds: int) -> MCDelta:
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
        Alignment sample size (integer value).
    k, l1 : float
        :math:`kN_a` and :math:`l_1N_a` must be integers.
    n_seeds : int

    Returns
    -------
    MCDelta

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> r = mc_delta_gamma(jax.random.PRNGKey(0), [0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 1000.0, 10.0, 0.1, 8)
    >>> r.n_seeds, bool(r.ratio > 0)
    (8, True)
    """
    Pp, Pa, Pt = _triple(P_p, P_a, P_t, "mc_delta_gamma")
    Na = VA.check_scalar("N_a", N_a, positive=True)
    k = VA.check_scalar("k", k, positive=True)
    l1 = VA.check_scalar("l1", l1, positive=True)
    S = VA.check_int("n_seeds", n_seeds, lo=2)
    Np, Nt = round(k * Na), round(l1 * Na)
    keys = jax.random.split(key, S)
    dp, da, dt = _mc_jit(keys, Pp, Pa, Pt, jnp.float64(Np), jnp.float64(Na), jnp.float64(Nt))
    a, p = np.asarray(da), np.asarray(dp)
    R = -a.mean() / p.mean()
    se = float(np.std(a + R * p, ddof=1) / math.sqrt(S) / abs(p.mean()))
    return MCDelta(dp, da, dt, float(R), se, S)


# ----------------------------------------------------------------------------------------------
# softmax training (Prop. E1)


class TrainResult(NamedTuple):
    """Final logits, model ``q``, achieved :math:`\\|q-q^*\\|_1`, steps taken, and convergence flag."""

    logits: jax.Array
    q: jax.Array
    l1: float
    steps: int
    converged: bool


@partial(jax.jit, static_argnames=("optimizer",))
def _train_core(z0, targets, weights, steps, lr, tol, optimizer):
    w = weights / weights.sum()
    qstar = w @ targets

    def loss(z):
        return -jnp.sum(w @ targets * jax.nn.log_softmax(z))

    g = jax.grad(loss)

    def cond(st):
        z, m, v, t, err = st
        return (err > tol) & (t < steps)

    def body(st):
        z, m, v, t, err = st
        gr = g(z)
        if optimizer == "gd":
            z = z - lr * gr
        else:
            m = 0.9 * m + 0.1 * gr
            v = 0.999 * v + 0.001 * gr * gr
            tt = (t + 1).astype(jnp.float64)
            z = z - lr * (m / (1 - 0.9**tt)) / (jnp.sqrt(v / (1 - 0.999**tt)) + 1e-8)
        err = jnp.sum(jnp.abs(jax.nn.softmax(z) - qstar))
        return z, m, v, t + 1, err

    err0 = jnp.sum(jnp.abs(jax.nn.softmax(z0) - qstar))
    z, _, _, t, err = lax.while_loop(cond, body, (z0, jnp.zeros_like(z0), jnp.zeros_like(z0), jnp.int64(0), err0))
    return z, jax.nn.softmax(z), err, t


def train_softmax(key: Any, logits0: Any, targets: Any, weights: Any, steps: int, lr: float, *,
                  tol: float = 1e-6, optimizer: str = "gd", raise_on_fail: bool = True) -> TrainResult:
    """Train one free logit per leaf on :math:`\\sum_i N_i\\,\\mathrm{CE}(P_i, \\mathrm{softmax}(z))` [M].

    Proposition E1 (aligntheory): the unique minimiser is the mixture :math:`q^*`; the gradient
    is :math:`(\\sum_i w_i)(q - q^*)` (computed with ``jax.grad``). Stops when
    :math:`\\|q-q^*\\|_1 \\le` ``tol`` or after ``steps`` steps (GD, or Adam with the usual constants).

    Parameters
    ----------
    key : PRNG key
        Used only when ``logits0`` is None (initial logits :math:`\\mathcal N(0, 0.01^2)`).
    logits0 : float64 array, shape (M,), or None
    targets : float64 array, shape (m, M)
    weights : float64 array, shape (m,)
        Dataset sizes > 0.
    steps : int
    lr : float
    tol : float
    optimizer : {"gd", "adam"}
    raise_on_fail : bool
        Raise :class:`~aligntheory.errors.ConvergenceError` (with ``last_iterate``, ``residual``
        and ``iterations``) when ``tol`` is not met; else return the result.

    Returns
    -------
    TrainResult

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> r = train_softmax(None, np.zeros(2), np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([3.0, 1.0]), 10000, 1.0)
    >>> r.converged, np.asarray(r.q).round(6).tolist()
    (True, [0.75, 0.25])
    """
    check_precision_all("train_softmax", logits0=logits0, targets=targets, weights=weights)
    T = f64("targets", targets, ndim=2)
    W = VA.as_float_array("weights", weights, shape=(T.shape[0],), positive=True)
    n = VA.check_int("steps", steps, lo=0)
    eta = VA.check_scalar("lr", lr, positive=True)
    tl = VA.check_scalar("tol", tol, positive=True)
    if optimizer not in ("gd", "adam"):
        raise InvalidInputError("optimizer", "must be 'gd' or 'adam'", received=optimizer)
    if logits0 is None:
        z0 = 0.01 * jax.random.normal(key, (T.shape[1],), jnp.float64)
    else:
        z0 = f64("logits0", logits0, ndim=1)
        if z0.shape[0] != T.shape[1]:
            raise InvalidInputError("logits0", f"must have shape ({T.shape[1]},)", received=f"shape {tuple(z0.shape)}")
    z, q, err, t = _train_core(z0, T, jnp.asarray(W), jnp.int64(n), jnp.float64(eta), jnp.float64(tl), optimizer)
    res = TrainResult(z, q, float(err), int(t), bool(err <= tl))
    if not res.converged and raise_on_fail:
        exc = ConvergenceError(f"train_softmax: ||q - q*||_1 = {res.l1:.3e} > tol = {tl:g} after {res.steps} steps",
                               iterations=res.steps, residual=res.l1)
        exc.last_iterate = res  # type: ignore[attr-defined]
        raise exc
    return res

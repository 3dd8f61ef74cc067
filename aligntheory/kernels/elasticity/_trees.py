"""Random token trees and pruning in log space (spec ``elasticity.md`` §2.2 items 1-2, §4.2)."""

from __future__ import annotations

from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import logsumexp

from aligntheory import _validate as VA
from aligntheory.errors import InvalidInputError
from aligntheory.kernels._common import check_precision_all
from aligntheory.kernels.elasticity._validation import MAX_LEAVES, log_distribution, n_tree_leaves
from aligntheory.results import provenance

__all__ = ["token_tree_leaf_probs", "prune"]



def _n_leaves(V_: int, depth: int) -> int:
    return (V_ ** (depth + 1) - 1) // (V_ - 1)  # = sum_{j<depth} V^j + V^depth


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


@provenance("R", source="ji2024language", where="Def 3.1 token tree (as reported in secondary summaries); our "
            "random tree, spec elasticity.md §2.2 items 1-2")
def token_tree_leaf_probs(key: Any, V: int, depth: int, eos_prob: float, zipf_s: float, *,
                          max_leaves: int = MAX_LEAVES) -> jax.Array:
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
    max_leaves : int, default 100_000_000
        Cap on the number of leaves (``MAX_LEAVES``), checked before tracing (a huge static shape would abort XLA).

    Returns
    -------
    float64 array, shape (sum_{j<D} V^j + V^D,)

    Raises
    ------
    InvalidInputError
        ``V < 2``, ``depth < 1``, ``eos_prob`` outside (0, 1), ``zipf_s <= 0``.
    SizeCapError
        More than ``max_leaves`` leaves.
    PrecisionError
        ``jax_enable_x64`` is off.

    Notes
    -----
    :math:`O(V^{D+1}\\log V)` work, :math:`O(V^{D+1})` memory.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> lp = token_tree_leaf_probs(jax.random.PRNGKey(0), 2, 3, 0.3, 1.0)
    >>> lp.shape, round(float(jax.numpy.exp(lp).sum()), 12)
    ((15,), 1.0)
    """
    check_precision_all("token_tree_leaf_probs")
    v = VA.check_int("V", V, lo=2)
    d = VA.check_int("depth", depth, lo=1)
    n_tree_leaves(v, d, cap=max_leaves)
    e = VA.check_scalar("eos_prob", eos_prob, lo=0.0, hi=1.0)
    if not 0.0 < e < 1.0:
        raise InvalidInputError("eos_prob", "must be in (0, 1)", received=e)
    s = VA.check_scalar("zipf_s", zipf_s, positive=True)
    return _tree_core(key, v, d, jnp.float64(e), jnp.float64(s))


@partial(jax.jit, static_argnums=(1, 2, 3))
def _prune_core(leaf_logp, V_, depth, d):
    offs = [sum(V_**i for i in range(j)) for j in range(depth + 1)]
    head = leaf_logp[: offs[d]]
    blocks = [logsumexp(leaf_logp[offs[j]: offs[j] + V_**j].reshape(V_**d, V_ ** (j - d)), axis=1)
              for j in range(d, depth + 1)]
    return jnp.concatenate([head, logsumexp(jnp.stack(blocks), axis=0)])


@provenance("R", source="ji2024language", where="Def 3.3 pruning (as reported in secondary summaries); our lumping "
            "rule, spec elasticity.md §2.2 item 2")
def prune(leaf_logp: Any, V: int, depth: int, d: int, *, validate: bool = True) -> jax.Array:
    """Prune a token tree to depth d: lump each depth-d subtree with ``logsumexp`` over blocks [R].

    Spec §2.2 item 2 (reconstruction; the full text was not available to us); the numpy
    reference is :func:`aligntheory.theory.elasticity.prune_leaf_probs`.

    Parameters
    ----------
    leaf_logp : float64 array, shape (M_D,)
    V, depth, d : int
        Static; vocabulary :math:`V \\ge 2`, depth :math:`D \\ge 1`, :math:`1 \\le d \\le D`.
    validate : bool, default True
        Check that ``exp(leaf_logp)`` is a probability vector (host side; pass False under ``jit``).

    Returns
    -------
    float64 array, shape (M_d,)

    Raises
    ------
    InvalidInputError
        :math:`d \\notin [1, D]`, wrong length, not a log-probability vector, complex input.
    PrecisionError
        float32 input or x64 off.

    Notes
    -----
    :math:`O(M_D)` work.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> (np.exp(np.asarray(prune(np.log(np.full(7, 1 / 7)), 2, 2, 1))) * 7).round(6).tolist()
    [1.0, 3.0, 3.0]
    """
    check_precision_all("prune", leaf_logp=leaf_logp)
    v, D, dd = VA.check_int("V", V, lo=2), VA.check_int("depth", depth, lo=1), VA.check_int("d", d)
    if not 1 <= dd <= D:
        raise InvalidInputError("d", f"pruning depth must satisfy 1 <= d <= D = {D}", received=dd)
    n_tree_leaves(v, D, cap=max(MAX_LEAVES, int(np.size(leaf_logp))))  # D is bounded by the array given
    lp = log_distribution("leaf_logp", leaf_logp, ndim=1, validate=validate)
    if lp.shape[0] != _n_leaves(v, D):
        raise InvalidInputError("leaf_logp", f"must have {_n_leaves(v, D)} entries for V={v}, depth={D}",
                                received=f"shape {tuple(lp.shape)}")
    return _prune_core(lp, v, D, dd)



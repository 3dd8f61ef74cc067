"""Batched chain/tree datasets over seeds, sharded over all local devices (issue 16).

The batched part of the chain-vs-tree sweep (:mod:`aligntheory.analysis.chain_tree`) is the
generation of one chain and one tree dataset per seed. :func:`chain_tree_datasets_batched` maps
:func:`~aligntheory.kernels.ibn.chain_pairs` and :func:`~aligntheory.kernels.ibn.tree_pairs` over a
leading seed axis (``vmap``) and, when more than one device is visible, shards that axis over a
one-dimensional :class:`jax.sharding.Mesh` built from ``jax.devices()`` with a
:class:`jax.sharding.NamedSharding` (``PartitionSpec("seeds")``): each device generates its own
seeds, nothing is home-made. Multi-host runs call :func:`jax.distributed.initialize` first (one
process per host); ``jax.devices()`` then lists every device of the cluster and the same mesh spans
them (docs/ibn_chain_vs_tree.md, "Running on several devices").
"""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.kernels.ibn._datasets import _chain_pairs, _sizes, _tree_pairs
from aligntheory.results import provenance

__all__ = ["ChainTreeDatasets", "chain_tree_datasets_batched", "seed_mesh"]


@provenance("R", source="qiu2024reward", where="§4 chain and tree datasets (our reconstruction), batched over seeds")
class ChainTreeDatasets(NamedTuple):
    """Result of :func:`chain_tree_datasets_batched` (leading axis: seeds).

    Attributes
    ----------
    chain_responses : int32 array, shape (S, 2n, D)
    chain_pairs : int32 array, shape (S, n, 2)
    tree_responses : int32 array, shape (S, T * b**d, D)
    tree_pairs : int32 array, shape (S, n_tree, 2)
    n_devices : int
        Devices the seed axis was sharded over (1: no sharding).

    Examples
    --------
    >>> ChainTreeDatasets._fields[-1]
    'n_devices'
    """

    chain_responses: jax.Array
    chain_pairs: jax.Array
    tree_responses: jax.Array
    tree_pairs: jax.Array
    n_devices: int


@provenance("M", where="jax.sharding: one-dimensional device mesh over the seed axis")
def seed_mesh(devices: Any = None) -> jax.sharding.Mesh:
    """One-dimensional :class:`~jax.sharding.Mesh` named ``"seeds"`` over ``devices`` (default: ``jax.devices()``).

    After :func:`jax.distributed.initialize`, ``jax.devices()`` lists the devices of every process,
    so the mesh spans the cluster.

    Parameters
    ----------
    devices : sequence of jax.Device, optional

    Returns
    -------
    jax.sharding.Mesh

    Raises
    ------
    InvalidInputError
        An empty device list.

    Examples
    --------
    >>> seed_mesh().axis_names
    ('seeds',)
    """
    devs = list(jax.devices() if devices is None else devices)
    if not devs:
        raise InvalidInputError("devices", "must name at least one device", received="[]")
    return jax.sharding.Mesh(np.array(devs), ("seeds",))


@partial(jax.jit, static_argnums=(1, 2, 3, 4, 5, 6, 7))
def _batched(keys, n_chain, n_tree, B, D, b, d, policy):
    def one(key):
        k1, k2 = jax.random.split(key)
        cr, cp = _chain_pairs(k1, n_chain, B, D)
        tr, tp, _ = _tree_pairs(k2, n_tree, B, D, b, d, policy)
        return cr, cp, tr, tp

    return jax.vmap(one)(keys)


@provenance("R", source="qiu2024reward", where="§4 chain and tree datasets (our reconstruction), batched over seeds")
def chain_tree_datasets_batched(keys: jax.Array, n_chain: int, n_tree: int, B: int, D: int, b: int, d: int,
                                policy: str = "cross_subtree", *, devices: Any = None,
                                max_comparisons: int = 2**22) -> ChainTreeDatasets:
    """One chain and one tree dataset per key, the key axis sharded over the local devices [R procedure].

    For key :math:`k_s` (split into two): ``chain_pairs(k1, n_chain, B, D)`` and
    ``tree_pairs(k2, n_tree, B, D, b, d, policy)`` (spec ``ibn.md`` §2.5; reconstruction, the full
    text was not available to us). The two budgets are separate so that "equal budget" can mean
    equal comparisons or equal annotation length (:mod:`aligntheory.analysis.chain_tree`). With
    :math:`P>1` devices the seed axis is padded to a multiple of :math:`P` (repeating the last key),
    placed with ``NamedSharding(seed_mesh(devices), PartitionSpec("seeds"))``, and the padding
    dropped; each seed's datasets are the same on one device or many (integer outputs of the same
    threefry streams: bit-for-bit).

    Parameters
    ----------
    keys : PRNG key array, shape (S, 2)
        One key per seed (``jax.random.split(key, S)``).
    n_chain, n_tree : int
        Comparisons of the chain and of the tree dataset, >= 1 (static).
    B, D, b, d : int
        Universe branching and depth, tree expansion branching and depth (static).
    policy : {"cross_subtree", "uniform"}
    devices : sequence of jax.Device, optional
        Default ``jax.devices()`` (all local devices, or the cluster's after
        :func:`jax.distributed.initialize`).
    max_comparisons : int
        Cap on ``n_chain`` and ``n_tree`` (default 2**22), checked before any work.

    Returns
    -------
    ChainTreeDatasets

    Raises
    ------
    InvalidInputError
        Bad sizes (as :func:`~aligntheory.kernels.ibn.tree_pairs`), keys not of shape (S, 2).
    SizeCapError
        A budget above ``max_comparisons``.

    Notes
    -----
    :math:`O(S\\,(n_{\\rm chain} + n_{\\rm tree})\\,D)` work, :math:`S/P` seeds per device.

    Examples
    --------
    >>> import jax
    >>> out = chain_tree_datasets_batched(jax.random.split(jax.random.PRNGKey(0), 3), 8, 6, 4, 3, 2, 2)
    >>> out.chain_pairs.shape, out.tree_pairs.shape, out.tree_responses.shape
    ((3, 8, 2), (3, 6, 2), (3, 8, 3))
    """
    s = _sizes(n=n_chain, B=B, D=D, b=b, d=d)
    n_tree = V.check_int("n_tree", n_tree, lo=1)
    V.check_size("n_chain", s["n"], cap=max_comparisons, unit="comparisons")
    V.check_size("n_tree", n_tree, cap=max_comparisons, unit="comparisons")
    V.check_choice("policy", policy, ("cross_subtree", "uniform"))
    k = jnp.asarray(keys)
    if k.ndim != 2 or k.shape[1] != 2 or k.shape[0] < 1:
        raise InvalidInputError("keys", "must have shape (S, 2) with S >= 1 (jax.random.split(key, S))",
                                received=f"shape {tuple(k.shape)}")
    mesh = seed_mesh(devices)
    P = mesh.devices.size
    S = k.shape[0]
    if P > 1:
        pad = (-S) % P
        if pad:
            k = jnp.concatenate([k, jnp.repeat(k[-1:], pad, axis=0)])
        k = jax.device_put(k, jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec("seeds")))
    out = _batched(k, s["n"], n_tree, s["B"], s["D"], s["b"], s["d"], policy)
    return ChainTreeDatasets(*(x[:S] for x in out), n_devices=int(P))

"""The validation boundary of the IBN kernels (host side, before tracing).

Every public kernel converts and checks its inputs here: dtypes and shapes always; values (node
ids in range, finite and non-negative conductances and counts, whole label counts, wins within
counts) whenever the inputs are concrete arrays. Under ``jit``/``vmap`` tracing the values are not
known on the host, so value checks are skipped there (the unchecked, jittable path); the dense
resistance kernels offer in-graph checks with ``validate=True`` (checkify). Sizes are checked
against documented caps before anything is allocated.
"""

from __future__ import annotations

import warnings
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import DisconnectedGraphError, InvalidInputError, PrecisionError
from aligntheory.kernels._common import check_precision_all, f64, ints, refuse_non_array

DEFAULT_MAX_NODES = 20_000
"""Default cap on ``n_nodes`` of the dense kernels (``max_nodes=``): an N x N float64 matrix is 3.2 GB at the cap."""

SPARSE_MAX_NODES = 10_000_000
"""Default cap on ``n_nodes`` of the edge-list kernels (``fit_bt_newman``, ``reff_pairs_pcg``, ``reff_sketch``):
O(N + E) memory, a few float64 vectors of N entries (80 MB each at the cap)."""

DEFAULT_MAX_ENTRIES = 2**28
"""Default cap on dense entries of batched/vmapped kernels (``max_entries=``): 2 GiB of float64."""

DEFAULT_MAX_DYNAMIC_RANGE = 1e8
"""Largest ratio of largest to smallest positive conductance accepted by the dense all-pairs kernels."""


def concrete(*xs: Any) -> bool:
    """True when no argument is a JAX tracer (values can be inspected on the host)."""
    return not any(isinstance(x, jax.core.Tracer) for x in xs)


def resolve_conductances(where: str, legacy: tuple, conductances: Any, mask: Any,
                         names: tuple[str, ...] = ("conductances", "mask")) -> tuple[Any, Any]:
    """Accept the deprecated positional ``(cond, mask)`` after ``edges``; return ``(conductances, mask)``."""
    if legacy:
        if len(legacy) > len(names):
            raise TypeError(f"{where}() takes at most {len(names)} positional arguments after edges "
                            f"({len(legacy)} given); pass conductances= and mask= by keyword")
        if conductances is not None:
            raise InvalidInputError("conductances", "given twice (positionally and by keyword)")
        warnings.warn(f"{where}: passing conductances positionally is deprecated; use conductances=",
                      DeprecationWarning, stacklevel=3)
        conductances = legacy[0]
        if len(legacy) > 1:
            if mask is not None:
                raise InvalidInputError("mask", "given twice (positionally and by keyword)")
            mask = legacy[1]
    if conductances is None:
        raise InvalidInputError("conductances", "is required (edge conductances 1/variance, keyword argument)")
    return conductances, mask


def n_nodes_arg(n_nodes: Any, cap: int) -> int:
    refuse_non_array("n_nodes", n_nodes)
    n = V.check_int("n_nodes", n_nodes, lo=1)
    V.check_size("n_nodes", n, cap=V.check_int("max_nodes", cap, lo=1), unit="nodes")
    return n


def edges_arg(edges: Any, n: int | None, *, batch: bool = False) -> jax.Array:
    """Integer edge array ``(E, 2)`` (``(G, E, 2)`` with ``batch``) with ids checked in ``[0, n)``."""
    refuse_non_array("edges", edges)
    if not isinstance(edges, jax.Array):
        edges = V.as_real_array("edges", edges)
        if edges.size == 0 and edges.dtype.kind == "f":
            edges = edges.astype(np.int64)
    e = ints("edges", edges, shape_tail=(2,))
    if e.ndim != (3 if batch else 2):
        raise InvalidInputError("edges", f"must have shape {'(G, E, 2)' if batch else '(E, 2)'}",
                                received=f"shape {tuple(e.shape)}")
    if n is not None and concrete(e) and e.size:
        lo, hi = int(jnp.min(e)), int(jnp.max(e))
        if lo < 0 or hi >= n:
            raise InvalidInputError("edges", f"node ids must lie in [0, {n - 1}]", received=lo if lo < 0 else hi)
    return e


def real_arg(name: str, x: Any, *, shape: tuple | None = None, ndim: int | None = None, nonnegative: bool = False,
             positive: bool = False, whole: bool = False) -> jax.Array:
    """float64 JAX array; float32 raises PrecisionError; values checked when concrete."""
    refuse_non_array(name, x)
    check_precision_all(name, **{name: x})
    if not isinstance(x, jax.Array):
        x = V.as_real_array(name, x)
    a = f64(name, x)
    if shape is not None and tuple(a.shape) != tuple(shape):
        raise InvalidInputError(name, f"must have shape {tuple(shape)}", received=f"shape {tuple(a.shape)}")
    if ndim is not None and a.ndim != ndim:
        raise InvalidInputError(name, f"must be {ndim}-dimensional", received=f"shape {tuple(a.shape)}")
    if concrete(a) and a.size:
        h = np.asarray(a)
        if not np.all(np.isfinite(h)):
            raise InvalidInputError(name, "non-finite input: every entry must be finite (no NaN or inf)")
        if positive and not np.all(h > 0):
            raise InvalidInputError(name, "all entries must be > 0", received=f"min {float(h.min())}")
        if nonnegative and not np.all(h >= 0):
            raise InvalidInputError(name, "all entries must be >= 0", received=f"min {float(h.min())}")
        if whole and not np.all(h == np.round(h)):
            raise InvalidInputError(name, "must hold whole numbers", received="a fractional entry")
    return a


def mask_arg(mask: Any, shape: tuple) -> jax.Array | None:
    if mask is None:
        return None
    if not isinstance(mask, jax.Array):
        mask = V.as_real_array("mask", mask, allow_bool=True)
    m = jnp.asarray(mask)
    if tuple(m.shape) != tuple(shape):
        raise InvalidInputError("mask", f"must have shape {tuple(shape)}", received=f"shape {tuple(m.shape)}")
    return m.astype(bool)


def wins_arg(wins: Any, K: jax.Array) -> jax.Array:
    w = real_arg("wins", wins, shape=tuple(K.shape), nonnegative=True)
    if concrete(w, K) and w.size and not bool(jnp.all(w <= K)):
        raise InvalidInputError("wins", "must not exceed the comparisons K on any edge")
    return w


def dynamic_range_check(where: str, c: jax.Array, cap: float) -> None:
    """PrecisionError when positive conductances span more than ``cap`` (host side, concrete only)."""
    if not concrete(c) or c.size == 0:
        return
    h = np.asarray(c)
    pos = h[h > 0]
    if len(pos) and np.log(pos.max()) - np.log(pos.min()) > np.log(cap):
        span = np.exp(min(np.log(pos.max()) - np.log(pos.min()), 700.0))
        raise PrecisionError(
            f"{where}: conductances span {span:.3g} (largest/smallest positive), above "
            f"max_dynamic_range={cap:.3g}: the all-pairs formula L+_uu + L+_vv - 2 L+_uv would lose about "
            "that factor times 1e-16 in relative accuracy on the smallest resistances; solve per pair "
            "(aligntheory.theory.ibn.effective_resistance) or raise max_dynamic_range deliberately")


def connected_check(where: str, n: int, edges: jax.Array, c: jax.Array) -> None:
    """DisconnectedGraphError when the graph of positive-conductance edges is disconnected (concrete only).

    O(N + E) with scipy; the dense kernels would otherwise return NaN (L + J/N singular).
    """
    if n <= 1 or not C_concrete(edges, c):
        return
    import scipy.sparse as sp
    import scipy.sparse.csgraph as csgraph

    e = np.asarray(edges)
    live = np.asarray(c) > 0
    e = e[live]
    A = sp.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
    ncomp, lab = csgraph.connected_components(A, directed=False)
    if ncomp > 1:
        comps = [np.flatnonzero(lab == i) for i in range(min(ncomp, 50))]
        raise DisconnectedGraphError(
            f"{where}: the graph is disconnected ({ncomp} components; edges of conductance 0 are absent): the "
            "effective resistance between components is infinite", components=comps)


C_concrete = concrete

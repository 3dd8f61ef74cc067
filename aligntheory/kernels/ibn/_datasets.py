"""Dataset generators of the IBN pillar (spec ``ibn.md`` §2.5, §4.2): chain and tree datasets, random graphs, BFS.

Sizes are static (``jit`` recompiles per size); randomised kernels take a PRNG key first. Invalid
sizes (``b > B``, ``b < 2``, ``d > D``, ``d < 1``, ``n < 1``, ``B < 2``) raise
:class:`~aligntheory.errors.InvalidInputError` before tracing; sizes whose arrays would exceed the
documented ``max_entries=`` cap (:data:`MAX_DATASET_ENTRIES`) raise
:class:`~aligntheory.errors.SizeCapError` before anything is allocated or traced (the cost is
computed in Python integers, so ``10**15`` or ``2**63`` cannot overflow or abort XLA). Node ids and segments are
``int32``. The procedures are our reconstruction [R] of the paper's dataset designs (Qiu et al.,
arXiv 2402.10184, §4); reconstruction; the full text was not available to us.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any, Literal, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.kernels._common import holds, ints, refuse_non_array
from aligntheory.results import provenance

__all__ = [
    "chain_pairs",
    "chain_cluster_graph",
    "tree_pairs",
    "TreeDataset",
    "tree_layout",
    "er_graph",
    "hops_bfs",
    "MAX_DATASET_ENTRIES",
]

MAX_DATASET_ENTRIES = 2**28
"""Default ``max_entries=`` of the dataset generators: array entries a call may allocate (responses,
pairs, prefix ids, random draws), 1-2 GiB at the cap. Raise it deliberately for larger datasets."""

_INT32_MAX = 2**31 - 1  # node ids, row indices and segment labels are int32


def _cap(name: str, cost: int, max_entries: Any, unit: str = "array entries", received: Any = None) -> None:
    cap = V.check_int("max_entries", max_entries, lo=1)
    V.check_size(name, cost, cap=cap, unit=unit, received=received)


def _int32_ids(name: str, count: int, what: str) -> None:
    if count > _INT32_MAX:
        raise InvalidInputError(name, f"{what} must fit int32 ids (<= {_INT32_MAX})", received=count)


def _sizes(n=None, B=None, D=None, b=None, d=None):
    out = {}
    if n is not None:
        out["n"] = V.check_int("n", n, lo=1)
    if B is not None:
        out["B"] = V.check_int("B", B, lo=2, hi=_INT32_MAX)
    if D is not None:
        out["D"] = V.check_int("D", D, lo=1)
    if b is not None:
        out["b"] = V.check_int("b", b, lo=2, hi=out.get("B"))
    if d is not None:
        out["d"] = V.check_int("d", d, lo=1, hi=out.get("D"))
    return out


# ----------------------------------------------------------------------------------------------
# chain datasets


@partial(jax.jit, static_argnums=(1, 2, 3))
def _chain_pairs(key, n, B, D):
    responses = jax.random.randint(key, (2 * n, D), 0, B, dtype=jnp.int32)
    pairs = jnp.arange(2 * n, dtype=jnp.int32).reshape(n, 2)
    return responses, pairs


@provenance("R", source="qiu2024reward", where="§4 chain-based dataset (our reconstruction of the procedure)")
def chain_pairs(key: jax.Array, n: int, B: int, D: int, *,
                max_entries: int = MAX_DATASET_ENTRIES) -> tuple[jax.Array, jax.Array]:
    """Chain-based dataset: :math:`2n` iid uniform responses paired consecutively [S idea; R procedure].

    Response :math:`y_j\\in[B]^D` has iid uniform segments; comparison :math:`i` is
    :math:`(y_{2i}, y_{2i+1})` (0-based). Spec ``ibn.md`` §2.5. Reconstruction; the full text was
    not available to us.

    Parameters
    ----------
    key : PRNG key
    n : int
        Comparisons, >= 1 (static).
    B : int
        Segment alphabet size, >= 2 (static).
    D : int
        Segments per response, >= 1 (static).
    max_entries : int, default 2**28
        Cap on the entries allocated, :math:`2nD + 2n` (default :data:`MAX_DATASET_ENTRIES`).

    Returns
    -------
    responses : int32 array, shape (2n, D)
    pairs : int32 array, shape (n, 2)
        Row indices into ``responses``.

    Raises
    ------
    InvalidInputError
        A size out of range (``n < 1``, ``B < 2`` or past int32, ``D < 1``).
    SizeCapError
        :math:`2nD + 2n` exceeds ``max_entries`` (checked before tracing).

    Notes
    -----
    :math:`O(nD)` time and memory.

    Examples
    --------
    >>> import jax
    >>> resp, pairs = chain_pairs(jax.random.PRNGKey(0), 3, 4, 2)
    >>> resp.shape, pairs.tolist()
    ((6, 2), [[0, 1], [2, 3], [4, 5]])
    """
    s = _sizes(n=n, B=B, D=D)
    _cap("n", 2 * s["n"] * s["D"] + 2 * s["n"], max_entries, received=f"n = {s['n']}, D = {s['D']}")
    return _chain_pairs(key, s["n"], s["B"], s["D"])



@partial(jax.jit, static_argnums=(1, 2))
def _chain_cluster(key, n, M):
    return jax.random.randint(key, (n, 2), 0, M, dtype=jnp.int32)


@provenance("M", where="uniform random multigraph (cluster graph of a chain dataset)")
def chain_cluster_graph(key: jax.Array, n: int, M: int, *, max_entries: int = MAX_DATASET_ENTRIES) -> jax.Array:
    """Cluster graph of a chain dataset: :math:`n` edges with iid uniform endpoints in :math:`[M]` [M].

    Each response of the chain dataset gets an iid uniform cluster label, so the cluster graph is
    the uniform random multigraph with :math:`n` edges and mean degree :math:`c=2n/M`
    (Erdős–Rényi-like). Self-loops are kept (kernels ignore them: they add nothing to :math:`L`).
    Spec ``ibn.md`` §2.5.

    Parameters
    ----------
    key : PRNG key
    n : int
        Edges (comparisons), >= 1 (static).
    M : int
        Clusters, :math:`2 \\le M < 2^{31}` (static).
    max_entries : int, default 2**28
        Cap on the entries allocated, :math:`2n` (default :data:`MAX_DATASET_ENTRIES`).

    Returns
    -------
    int32 array, shape (n, 2)

    Raises
    ------
    InvalidInputError
        ``n < 1``, ``M < 2`` or ``M`` past int32.
    SizeCapError
        :math:`2n` exceeds ``max_entries``.

    Notes
    -----
    :math:`O(n)`.

    Examples
    --------
    >>> import jax
    >>> e = chain_cluster_graph(jax.random.PRNGKey(1), 5, 3)
    >>> e.shape, bool((e >= 0).all() & (e < 3).all())
    ((5, 2), True)
    """
    n = V.check_int("n", n, lo=1)
    M = V.check_int("M", M, lo=2, hi=_INT32_MAX)
    _cap("n", 2 * n, max_entries)
    return _chain_cluster(key, n, M)


# ----------------------------------------------------------------------------------------------
# tree datasets


@provenance("R", source="qiu2024reward", where="§4 tree-based dataset (our reconstruction)")
class TreeDataset(NamedTuple):
    """Result of :func:`tree_pairs`.

    Attributes
    ----------
    responses : int32 array, shape (T * b**d, D)
        Leaves of every expanded tree (``T`` trees), each a full response.
    pairs : int32 array, shape (n, 2)
        Row indices into ``responses``.
    prefix_ids : int32 array, shape (T * b**d, d)
        Global id of the expanded-tree node at depths ``1..d`` on each response's prefix path
        (unique across trees; the shared root, the prompt, is depth 0 and omitted).

    Examples
    --------
    >>> TreeDataset._fields[:2]
    ('responses', 'pairs')
    """

    responses: jax.Array
    pairs: jax.Array
    prefix_ids: jax.Array


@provenance("R", source="qiu2024reward", where="§4 tree-based dataset layout (our reconstruction)")
def tree_layout(n: int, b: int, d: int, policy: str = "cross_subtree", *,
                max_entries: int = MAX_DATASET_ENTRIES) -> dict[str, int]:
    """Static sizes of :func:`tree_pairs`: comparisons per tree, trees, leaves and nodes per tree.

    ``cross_subtree`` makes one comparison per internal node, :math:`(b^d-1)/(b-1)` per tree;
    ``uniform`` makes :math:`\\lfloor b^d/2\\rfloor`. The number of trees is
    :math:`\\lceil n/\\text{per tree}\\rceil` (the last tree is truncated).

    Parameters
    ----------
    n : int
        Comparisons, >= 1.
    b, d : int
        Expansion branching >= 2 and depth >= 1.
    policy : {"cross_subtree", "uniform"}
    max_entries : int, default 2**28
        Cap on the leaves of one tree, :math:`b^d` (default :data:`MAX_DATASET_ENTRIES`); checked
        from :math:`d \\log b` before :math:`b^d` is formed, so ``d = 10**9`` cannot hang.

    Returns
    -------
    dict of str to int
        ``per_tree``, ``trees``, ``leaves_per_tree``, ``internal_per_tree``, ``nodes_per_tree``.

    Raises
    ------
    InvalidInputError
        A size out of range or an unknown ``policy``.
    SizeCapError
        :math:`b^d` exceeds ``max_entries``.

    Notes
    -----
    :math:`O(1)` big-integer arithmetic after the cap check.

    Examples
    --------
    >>> tree_layout(40, 2, 3)
    {'per_tree': 7, 'trees': 6, 'leaves_per_tree': 8, 'internal_per_tree': 7, 'nodes_per_tree': 14}
    """
    V.check_choice("policy", policy, ("cross_subtree", "uniform"))
    n = V.check_int("n", n, lo=1)
    b = V.check_int("b", b, lo=2)
    d = V.check_int("d", d, lo=1)
    cap = V.check_int("max_entries", max_entries, lo=1)
    if d * math.log(b) > math.log(cap) + 1e-9:  # b**d itself may be a huge integer (d = 10**9 hangs)
        cost = b**d if d * math.log2(b) <= 4096 else math.inf  # the exact count when it is cheap to form
        V.check_size("d", cost, cap=cap, unit="leaves per tree (b**d)", received=f"b = {b}, d = {d}")
    leaves = b**d
    V.check_size("d", leaves, cap=cap, unit="leaves per tree (b**d)", received=f"b = {b}, d = {d}")
    internal = (leaves - 1) // (b - 1)
    per_tree = internal if policy == "cross_subtree" else leaves // 2
    return {"per_tree": per_tree, "trees": -(-n // per_tree), "leaves_per_tree": leaves,
            "internal_per_tree": internal, "nodes_per_tree": (b * leaves - b) // (b - 1)}


def _tree_cost(lay: dict[str, int], B: int, D: int, d: int) -> int:
    """Entries :func:`_tree_pairs` allocates: uniform draws (T I B, float64), responses (T L D), prefix ids
    (T L d), pair draws (4 T I or T L) and pairs (2 n)."""
    T, L, I = lay["trees"], lay["leaves_per_tree"], lay["internal_per_tree"]
    return T * I * B + T * L * (D + d) + 4 * T * max(I, L) + 2 * T * lay["per_tree"]


@partial(jax.jit, static_argnums=(1, 2, 3, 4, 5, 6))
def _tree_pairs(key, n, B, D, b, d, policy):
    lay = tree_layout(n, b, d, policy, max_entries=b**d)  # sizes already checked by tree_pairs
    T, L, I = lay["trees"], lay["leaves_per_tree"], lay["internal_per_tree"]
    k_lab, k_roll, k_pair = jax.random.split(key, 3)

    # (a) child segment labels: b distinct labels from [B] per internal node, without replacement
    u = jax.random.uniform(k_lab, (T, I, B))
    labels = jnp.argsort(u, axis=-1)[..., :b].astype(jnp.int32)  # (T, I, b)

    # static tree structure (numpy): for leaf j and level k=1..d, its parent internal node and digit
    j = np.arange(L)
    par = np.stack([((b ** (k - 1) - 1) // (b - 1)) + j // b ** (d - k + 1) for k in range(1, d + 1)], axis=1)
    dig = np.stack([(j // b ** (d - k)) % b for k in range(1, d + 1)], axis=1)
    seg = labels[:, par, dig]  # (T, L, d)
    roll = jax.random.randint(k_roll, (T, L, D - d), 0, B, dtype=jnp.int32)
    responses = jnp.concatenate([seg, roll], axis=-1).reshape(T * L, D)

    # prefix node ids: non-root nodes in BFS order; depth-k node of leaf j has in-level index j // b^(d-k)
    per_tree_nodes = (b ** (d + 1) - b) // (b - 1)
    local = np.stack([((b**k - b) // (b - 1)) + j // b ** (d - k) for k in range(1, d + 1)], axis=1)
    prefix = (np.arange(T)[:, None, None] * per_tree_nodes + local[None]).reshape(T * L, d).astype(np.int32)

    if policy == "cross_subtree":
        # internal node t at depth h (index i in its level): two distinct children, one uniform leaf under each
        depth = np.concatenate([np.full(b**h, h) for h in range(d)])
        idx = np.concatenate([np.arange(b**h) for h in range(d)])
        span = b ** (d - depth - 1)  # leaves under each child
        k1, k2, k3, k4 = jax.random.split(k_pair, 4)
        c1 = jax.random.randint(k1, (T, I), 0, b)
        c2 = (c1 + 1 + jax.random.randint(k2, (T, I), 0, b - 1)) % b
        span_i = jnp.asarray(span, dtype=jnp.int32)
        span_f = jnp.asarray(span, dtype=jnp.float64)
        o1 = jnp.floor(jax.random.uniform(k3, (T, I), dtype=jnp.float64) * span_f).astype(jnp.int32)
        o2 = jnp.floor(jax.random.uniform(k4, (T, I), dtype=jnp.float64) * span_f).astype(jnp.int32)
        base = jnp.asarray(idx * b * span, dtype=jnp.int32)
        a = base + c1.astype(jnp.int32) * span_i + jnp.minimum(o1, span_i - 1)
        bb = base + c2.astype(jnp.int32) * span_i + jnp.minimum(o2, span_i - 1)
        local_pairs = jnp.stack([a, bb], axis=-1)  # (T, I, 2)
    else:
        perm = jnp.argsort(jax.random.uniform(k_pair, (T, L)), axis=-1).astype(jnp.int32)
        local_pairs = perm[:, : 2 * (L // 2)].reshape(T, L // 2, 2)
    offs = (jnp.arange(T, dtype=jnp.int32) * L)[:, None, None]
    pairs = (local_pairs + offs).reshape(-1, 2)[:n]
    return responses, pairs.astype(jnp.int32), jnp.asarray(prefix)


@provenance("R", source="qiu2024reward", where="§4 tree-based dataset (our reconstruction of the procedure)")
def tree_pairs(key: jax.Array, n: int, B: int, D: int, b: int, d: int,
               policy: Literal["cross_subtree", "uniform"] = "cross_subtree", *,
               max_entries: int = MAX_DATASET_ENTRIES) -> TreeDataset:
    """Tree-based dataset: expanded prefix trees with comparisons across subtrees [S idea; R procedure].

    For each tree: expand the root (the prompt) to depth :math:`d` with :math:`b` children per node,
    whose segment labels are drawn uniformly **without replacement** from :math:`[B]`; complete
    each of the :math:`b^d` depth-:math:`d` nodes by iid uniform segments :math:`d+1..D`.
    ``"cross_subtree"``: for every internal node, in breadth-first order, two distinct children
    uniformly, then one uniform leaf under each (:math:`(b^d-1)/(b-1)` comparisons per tree; for
    :math:`b=2` a spanning tree on the leaves). ``"uniform"``: a uniformly random perfect matching
    of the leaves, :math:`\\lfloor b^d/2\\rfloor` disjoint pairs. Trees are added until :math:`n`
    comparisons exist; the last is truncated. Spec ``ibn.md`` §2.5; reconstruction; the full text
    was not available to us.

    Parameters
    ----------
    key : PRNG key
    n : int
        Comparisons, >= 1 (static).
    B, D : int
        Universe branching (>= 2) and depth (>= 1) (static).
    b, d : int
        Expansion branching :math:`2\\le b\\le B` and depth :math:`1\\le d\\le D` (static).
    policy : {"cross_subtree", "uniform"}
    max_entries : int, default 2**28
        Cap on the entries allocated, :math:`T(I B + L(D + d) + 4\\max(I, L) + 2P)` with :math:`T` trees,
        :math:`L=b^d` leaves, :math:`I` internal nodes and :math:`P` comparisons per tree
        (:math:`TP\\ge n`, equal when :math:`n` fills its trees; default :data:`MAX_DATASET_ENTRIES`).

    Returns
    -------
    TreeDataset

    Raises
    ------
    InvalidInputError
        A size out of range, an unknown ``policy``, or ids past int32.
    SizeCapError
        The allocation exceeds ``max_entries`` (checked before tracing).

    Notes
    -----
    :math:`O(T b^d (D + B))` time and memory with :math:`T` trees.

    Examples
    --------
    >>> import jax
    >>> ds = tree_pairs(jax.random.PRNGKey(0), 5, 4, 3, 2, 2)
    >>> ds.responses.shape, ds.pairs.shape, ds.prefix_ids.shape
    ((8, 3), (5, 2), (8, 2))
    """
    s = _sizes(n=n, B=B, D=D, b=b, d=d)
    V.check_choice("policy", policy, ("cross_subtree", "uniform"))
    lay = tree_layout(s["n"], s["b"], s["d"], policy, max_entries=max_entries)
    _cap("n", _tree_cost(lay, s["B"], s["D"], s["d"]), max_entries,
         received=f"n = {s['n']}, B = {s['B']}, D = {s['D']}, b = {s['b']}, d = {s['d']}")
    _int32_ids("n", lay["trees"] * lay["nodes_per_tree"], "tree nodes (trees x nodes per tree)")
    out = _tree_pairs(key, s["n"], s["B"], s["D"], s["b"], s["d"], policy)
    return TreeDataset(*out)



# ----------------------------------------------------------------------------------------------
# Erdős–Rényi stand-in and BFS


@partial(jax.jit, static_argnums=(1, 2))
def _er_graph(key, M, m):
    e = jax.random.randint(key, (m, 2), 0, M, dtype=jnp.int32)
    return e, e[:, 0] != e[:, 1]


@provenance("M", where="Erdos-Renyi G(M, m) random graph")
def er_graph(key: jax.Array, M: int, c: float, *,
             max_entries: int = MAX_DATASET_ENTRIES) -> tuple[jax.Array, jax.Array]:
    """Random multigraph with :math:`m=\\lfloor cM/2\\rfloor` iid uniform edges, self-loops masked [M].

    A multigraph stand-in for :math:`G(M, m)` (duplicates change hop counts negligibly); mean
    degree :math:`\\approx c`. Spec ``ibn.md`` §4.2; used by claim C8 against the Fronczak formula.

    Parameters
    ----------
    key : PRNG key
    M : int
        Nodes, >= 2 (static).
    c : float
        Mean degree > 0 with :math:`cM/2 \\ge 1` (static).
    max_entries : int, default 2**28
        Cap on the entries allocated, :math:`3m` (default :data:`MAX_DATASET_ENTRIES`).

    Returns
    -------
    edges : int32 array, shape (m, 2)
    mask : bool array, shape (m,)
        ``False`` on self-loops.

    Raises
    ------
    InvalidInputError
        ``M < 2`` or past int32, ``c`` not positive and finite, or no edge.
    SizeCapError
        :math:`3m` exceeds ``max_entries`` (also when :math:`cM/2` overflows float64).

    Notes
    -----
    :math:`O(m)`.

    Examples
    --------
    >>> import jax
    >>> e, mask = er_graph(jax.random.PRNGKey(0), 100, 4.0)
    >>> e.shape, mask.dtype
    ((200, 2), dtype('bool'))
    """
    M = V.check_int("M", M, lo=2, hi=_INT32_MAX)
    cv = V.check_scalar("c", c, positive=True)
    half = cv * (M / 2.0)  # M < 2**31, so only a huge c can overflow: then the size cap refuses it
    _cap("c", 3 * math.floor(half) if math.isfinite(half) else math.inf, max_entries,
         received=f"M = {M}, c = {cv}")
    m = int(math.floor(half))
    if m < 1:
        raise InvalidInputError("c", "must satisfy floor(c * M / 2) >= 1 (at least one edge)", received=cv)
    return _er_graph(key, M, m)


@partial(jax.jit, static_argnums=0)
def _bfs(n_nodes, edges, mask, sources):
    u, v = edges[:, 0], edges[:, 1]
    m = mask.astype(jnp.int32)

    def one(src):
        dist = jnp.full((n_nodes,), -1, jnp.int32).at[src].set(0)
        front = jnp.zeros((n_nodes,), jnp.int32).at[src].set(1)

        def cond(s):
            _, f, _ = s
            return jnp.any(f > 0)

        def body(s):
            dist, f, level = s
            hit = jax.ops.segment_sum(f[u] * m, v, n_nodes) + jax.ops.segment_sum(f[v] * m, u, n_nodes)
            new = jnp.logical_and(hit > 0, dist < 0)
            dist = jnp.where(new, level + 1, dist)
            return dist, new.astype(jnp.int32), level + 1

        dist, _, _ = lax.while_loop(cond, body, (dist, front, jnp.asarray(0, jnp.int32)))
        return dist

    return jax.vmap(one)(sources)


@provenance("M", where="breadth-first search hop distances")
def hops_bfs(n_nodes: int, edges: Any, mask: Any, sources: Any, *,
             max_entries: int = MAX_DATASET_ENTRIES) -> jax.Array:
    """Hop distances from each source by level-synchronous BFS (``lax.while_loop``, ``vmap`` over sources) [M].

    Each level expands the frontier along every unmasked edge with ``segment_sum``. Unreachable
    nodes get ``-1``. Spec ``ibn.md`` §4.2.

    Parameters
    ----------
    n_nodes : int
        :math:`N` (static).
    edges : int array, shape (E, 2)
    mask : bool array, shape (E,), or None
        ``False`` marks an edge to ignore (padding, self-loops).
    sources : int array, shape (S,)
    max_entries : int, default 2**28
        Cap on the entries the vmapped search holds, :math:`S(3N + 2E)` (distances, frontier and
        hits per node, gathered frontier per edge); default :data:`MAX_DATASET_ENTRIES`.

    Returns
    -------
    int32 array, shape (S, N)

    Raises
    ------
    InvalidInputError
        Bad ``edges``/``mask``/``sources`` (shape, dtype, ids out of ``[0, N)``), ``N`` past int32.
    SizeCapError
        :math:`S(3N + 2E)` exceeds ``max_entries`` (checked before tracing).

    Notes
    -----
    Under ``jit``/``vmap`` the id ranges of traced ``edges``/``sources`` are not checked (out-of-range
    ids are clamped by JAX's gather, as everywhere on the unchecked path).
    :math:`O(S\\,(N + E)\\,\\mathrm{diam})` time; the number of levels is at most
    :math:`\\min(N, E + 1)`.

    Examples
    --------
    >>> import numpy as np
    >>> hops_bfs(4, np.array([[0, 1], [1, 2]]), None, np.array([0])).tolist()
    [[0, 1, 2, -1]]
    """
    refuse_non_array("edges", edges)
    n = V.check_int("n_nodes", n_nodes, lo=1, hi=_INT32_MAX)
    e = ints("edges", edges, shape_tail=(2,))
    if e.ndim != 2:
        raise InvalidInputError("edges", "must have shape (E, 2)", received=f"shape {tuple(e.shape)}")
    m = jnp.ones(e.shape[0], bool) if mask is None else jnp.asarray(mask)
    if m.shape != (e.shape[0],) or m.dtype != jnp.bool_:
        raise InvalidInputError("mask", f"must be a bool array of shape ({e.shape[0]},)",
                                received=f"shape {tuple(m.shape)}, dtype {m.dtype}")
    if isinstance(sources, jax.core.Tracer):  # under jit/vmap: shapes are checked, values are not (DESIGN §7.1)
        s = ints("sources", sources)
        if s.ndim != 1:
            raise InvalidInputError("sources", "must have shape (S,)", received=f"shape {tuple(s.shape)}")
    else:
        s = V.as_index_array("sources", sources, n=n, shape=(None,))
    _cap("n_nodes", int(s.shape[0]) * (3 * n + 2 * int(e.shape[0])), max_entries,
         received=f"S = {s.shape[0]} sources, N = {n}, E = {e.shape[0]}")
    if e.size and not holds((jnp.min(e) >= 0) & (jnp.max(e) < n)):
        raise InvalidInputError("edges", f"node ids must lie in [0, {n - 1}]")
    return _bfs(n, e.astype(jnp.int32), m, jnp.asarray(s, dtype=jnp.int32))

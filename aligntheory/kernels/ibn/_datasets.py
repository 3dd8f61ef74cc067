"""Dataset generators of the IBN pillar (spec ``ibn.md`` §2.5, §4.2): chain and tree datasets, random graphs, BFS.

Sizes are static (``jit`` recompiles per size); randomised kernels take a PRNG key first. Invalid
sizes (``b > B``, ``b < 2``, ``d > D``, ``d < 1``, ``n < 1``, ``B < 2``) raise
:class:`~aligntheory.errors.InvalidInputError` before tracing. Node ids and segments are
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
from aligntheory.kernels._common import ints
from aligntheory.results import provenance

__all__ = [
    "chain_pairs",
    "chain_cluster_graph",
    "tree_pairs",
    "TreeDataset",
    "tree_layout",
    "er_graph",
    "hops_bfs",
]


def _sizes(n=None, B=None, D=None, b=None, d=None):
    out = {}
    if n is not None:
        out["n"] = V.check_int("n", n, lo=1)
    if B is not None:
        out["B"] = V.check_int("B", B, lo=2)
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
def chain_pairs(key: jax.Array, n: int, B: int, D: int) -> tuple[jax.Array, jax.Array]:
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

    Returns
    -------
    responses : int32 array, shape (2n, D)
    pairs : int32 array, shape (n, 2)
        Row indices into ``responses``.

    Complexity
    ----------
    :math:`O(nD)`.

    Examples
    --------
    >>> import jax
    >>> resp, pairs = chain_pairs(jax.random.PRNGKey(0), 3, 4, 2)
    >>> resp.shape, pairs.tolist()
    ((6, 2), [[0, 1], [2, 3], [4, 5]])
    """
    s = _sizes(n=n, B=B, D=D)
    return _chain_pairs(key, s["n"], s["B"], s["D"])



@partial(jax.jit, static_argnums=(1, 2))
def _chain_cluster(key, n, M):
    return jax.random.randint(key, (n, 2), 0, M, dtype=jnp.int32)


@provenance("M", where="uniform random multigraph (cluster graph of a chain dataset)")
def chain_cluster_graph(key: jax.Array, n: int, M: int) -> jax.Array:
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
        Clusters, >= 2 (static).

    Returns
    -------
    int32 array, shape (n, 2)

    Examples
    --------
    >>> import jax
    >>> e = chain_cluster_graph(jax.random.PRNGKey(1), 5, 3)
    >>> e.shape, bool((e >= 0).all() & (e < 3).all())
    ((5, 2), True)
    """
    n = V.check_int("n", n, lo=1)
    M = V.check_int("M", M, lo=2)
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
def tree_layout(n: int, b: int, d: int, policy: str = "cross_subtree") -> dict[str, int]:
    """Static sizes of :func:`tree_pairs`: comparisons per tree, trees, leaves and nodes per tree.

    ``cross_subtree`` makes one comparison per internal node, :math:`(b^d-1)/(b-1)` per tree;
    ``uniform`` makes :math:`\\lfloor b^d/2\\rfloor`. The number of trees is
    :math:`\\lceil n/\\text{per tree}\\rceil` (the last tree is truncated).

    Examples
    --------
    >>> tree_layout(40, 2, 3)
    {'per_tree': 7, 'trees': 6, 'leaves_per_tree': 8, 'internal_per_tree': 7, 'nodes_per_tree': 14}
    """
    V.check_choice("policy", policy, ("cross_subtree", "uniform"))
    internal = (b**d - 1) // (b - 1)
    per_tree = internal if policy == "cross_subtree" else (b**d) // 2
    return {"per_tree": per_tree, "trees": -(-n // per_tree), "leaves_per_tree": b**d,
            "internal_per_tree": internal, "nodes_per_tree": (b ** (d + 1) - b) // (b - 1)}


@partial(jax.jit, static_argnums=(1, 2, 3, 4, 5, 6))
def _tree_pairs(key, n, B, D, b, d, policy):
    lay = tree_layout(n, b, d, policy)
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
               policy: Literal["cross_subtree", "uniform"] = "cross_subtree") -> TreeDataset:
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

    Returns
    -------
    TreeDataset

    Complexity
    ----------
    :math:`O(T b^d (D + B))` with :math:`T` trees.

    Examples
    --------
    >>> import jax
    >>> ds = tree_pairs(jax.random.PRNGKey(0), 5, 4, 3, 2, 2)
    >>> ds.responses.shape, ds.pairs.shape, ds.prefix_ids.shape
    ((8, 3), (5, 2), (8, 2))
    """
    s = _sizes(n=n, B=B, D=D, b=b, d=d)
    V.check_choice("policy", policy, ("cross_subtree", "uniform"))
    out = _tree_pairs(key, s["n"], s["B"], s["D"], s["b"], s["d"], policy)
    return TreeDataset(*out)



# ----------------------------------------------------------------------------------------------
# Erdős–Rényi stand-in and BFS


@partial(jax.jit, static_argnums=(1, 2))
def _er_graph(key, M, m):
    e = jax.random.randint(key, (m, 2), 0, M, dtype=jnp.int32)
    return e, e[:, 0] != e[:, 1]


@provenance("M", where="Erdos-Renyi G(M, m) random graph")
def er_graph(key: jax.Array, M: int, c: float) -> tuple[jax.Array, jax.Array]:
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

    Returns
    -------
    edges : int32 array, shape (m, 2)
    mask : bool array, shape (m,)
        ``False`` on self-loops.

    Examples
    --------
    >>> import jax
    >>> e, mask = er_graph(jax.random.PRNGKey(0), 100, 4.0)
    >>> e.shape, mask.dtype
    ((200, 2), dtype('bool'))
    """
    M = V.check_int("M", M, lo=2)
    cv = V.check_scalar("c", c, positive=True)
    m = int(math.floor(cv * M / 2.0))
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
def hops_bfs(n_nodes: int, edges: Any, mask: Any, sources: Any) -> jax.Array:
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

    Returns
    -------
    int32 array, shape (S, N)

    Complexity
    ----------
    :math:`O(S\\,E\\,\\mathrm{diam})`.

    Examples
    --------
    >>> import numpy as np
    >>> hops_bfs(4, np.array([[0, 1], [1, 2]]), None, np.array([0])).tolist()
    [[0, 1, 2, -1]]
    """
    n = V.check_int("n_nodes", n_nodes, lo=1)
    e = ints("edges", edges, shape_tail=(2,))
    if e.ndim != 2:
        raise InvalidInputError("edges", "must have shape (E, 2)", received=f"shape {tuple(e.shape)}")
    m = jnp.ones(e.shape[0], bool) if mask is None else jnp.asarray(mask)
    if m.shape != (e.shape[0],) or m.dtype != jnp.bool_:
        raise InvalidInputError("mask", f"must be a bool array of shape ({e.shape[0]},)",
                                received=f"shape {tuple(m.shape)}, dtype {m.dtype}")
    s = V.as_index_array("sources", np.asarray(sources), n=n, shape=(None,))
    if e.size and (int(jnp.min(e)) < 0 or int(jnp.max(e)) >= n):
        raise InvalidInputError("edges", f"node ids must lie in [0, {n - 1}]")
    return _bfs(n, e.astype(jnp.int32), m, jnp.asarray(s, dtype=jnp.int32))

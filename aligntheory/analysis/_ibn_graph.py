"""Graph helpers of :func:`aligntheory.analysis.ibn.analyse_preferences`: components, grouped exact
resistances of sampled pairs, pair sampling, plug-in HP conductances, the Bradley--Terry fit, and the
sample-size bisection (split from ``ibn.py``; private)."""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph

from aligntheory.errors import InvalidInputError

__all__: list[str] = []


def _quantiles(x: np.ndarray) -> dict[str, float]:
    x = np.asarray(x, float)
    if x.size == 0:
        return {}
    qs = np.quantile(x, [0.0, 0.1, 0.5, 0.9, 1.0])
    return {"min": float(qs[0]), "q10": float(qs[1]), "median": float(qs[2]), "q90": float(qs[3]),
            "max": float(qs[4]), "mean": float(x.mean())}


def _library_reff(n: int, edges: np.ndarray, cond: np.ndarray, pairs: np.ndarray, method: str | None) -> np.ndarray:
    """One call of ``aligntheory.theory.ibn.effective_resistance`` with the conductances."""
    from aligntheory.theory.ibn import effective_resistance

    kw = {} if method is None else {"method": method}
    return effective_resistance(n, edges, conductances=cond, pairs=pairs, **kw)


class _Components:
    """Node and edge lists of every connected component of a (multi-component) graph."""

    def __init__(self, N: int, edges: np.ndarray):
        A = sp.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(N, N))
        self.n_comp, self.labels = csgraph.connected_components(A, directed=False)
        self.node_order = np.argsort(self.labels, kind="stable")
        self.node_start = np.concatenate([[0], np.cumsum(np.bincount(self.labels, minlength=self.n_comp))])
        elab = self.labels[edges[:, 0]] if len(edges) else np.zeros(0, np.int64)
        self.edge_order = np.argsort(elab, kind="stable")
        self.edge_start = np.concatenate([[0], np.cumsum(np.bincount(elab, minlength=self.n_comp))])

    def nodes(self, c: int) -> np.ndarray:
        return self.node_order[self.node_start[c]:self.node_start[c + 1]]

    def edge_ids(self, c: int) -> np.ndarray:
        return self.edge_order[self.edge_start[c]:self.edge_start[c + 1]]


def _resistances(C: _Components, N: int, edges: np.ndarray, cond_of, pairs: np.ndarray, *, group_nodes: int = 96,
                 sparse_above: int = 3000) -> np.ndarray:
    """Exact resistances of same-component ``pairs``: sampled components solved in bridged groups.

    ``cond_of(edge_ids)`` returns the conductances of those edges. Components are packed into groups
    of at most ``group_nodes`` nodes joined by bridge edges to the group's first node (a bridge is
    a cut edge: it carries no current between two nodes of one component, so it changes no
    resistance inside a component); each group is one call of the library's effective resistance.
    """
    out = np.zeros(len(pairs))
    if len(pairs) == 0:
        return out
    pc = C.labels[pairs[:, 0]]
    comps, inv = np.unique(pc, return_inverse=True)
    local = np.full(N, -1, np.int64)
    groups: list[list[int]] = [[]]
    size = 0
    for k, c in enumerate(comps):
        nc = C.node_start[c + 1] - C.node_start[c]
        if size and size + nc > group_nodes:
            groups.append([])
            size = 0
        groups[-1].append(k)
        size += nc
    for grp in groups:
        nodes = [C.nodes(comps[k]) for k in grp]
        eids = np.concatenate([C.edge_ids(comps[k]) for k in grp])
        allnodes = np.concatenate(nodes)
        local[allnodes] = np.arange(len(allnodes))
        e = local[edges[eids]]
        cnd = cond_of(eids)
        heads = np.array([local[ns[0]] for ns in nodes[1:]], np.int64)
        if len(heads):
            e = np.concatenate([e, np.stack([np.zeros(len(heads), np.int64), heads], 1)])
            cnd = np.concatenate([cnd, np.full(len(heads), float(np.median(cnd)) if len(cnd) else 1.0)])
        sel = np.flatnonzero(np.isin(inv, grp))
        p = local[pairs[sel]]
        method = "sparse" if len(allnodes) > sparse_above else None
        out[sel] = _library_reff(len(allnodes), e, cnd, p, method)
        local[allnodes] = -1
    return out


def _sample_pairs(rng: np.random.Generator, C: _Components, n_nodes: int, max_pairs: int) -> np.ndarray:
    """Uniform sample of distinct-node pairs of response nodes (``< n_nodes``) sharing a component."""
    resp = C.labels[:n_nodes]
    sizes = np.bincount(resp, minlength=C.n_comp).astype(np.int64)
    counts = sizes * (sizes - 1) // 2
    total = int(counts.sum())
    if total == 0:
        return np.zeros((0, 2), np.int64)
    order = np.argsort(resp, kind="stable")
    start = np.concatenate([[0], np.cumsum(sizes)])
    if total <= max_pairs:
        out = []
        for c in np.flatnonzero(sizes > 1):
            m = order[start[c]:start[c + 1]]
            i, j = np.triu_indices(len(m), 1)
            out.append(np.stack([m[i], m[j]], 1))
        return np.concatenate(out).astype(np.int64)
    comp = rng.choice(C.n_comp, size=max_pairs, p=counts / total)
    a = rng.integers(0, sizes[comp])
    b = rng.integers(0, sizes[comp] - 1)
    b = b + (b >= a)
    return np.stack([order[start[comp] + a], order[start[comp] + b]], 1).astype(np.int64)


def _hp_cond(beta: float, K: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """``K / hp_edge_var(beta, binary, delta_r)`` per edge: the library's Fisher variance."""
    from aligntheory.theory.ibn import hp_edge_var

    return np.array([k / hp_edge_var(beta, feedback="binary", delta_r=float(d)) for k, d in zip(K, delta)])


def _bt_fit(n: int, wl: np.ndarray, wt: np.ndarray, beta: float, prior_strength: float):
    """The library's Bradley--Terry fit: MLE when it exists (checked here first), else MAP."""
    try:
        from aligntheory.numerics import fit_bradley_terry
    except ImportError:  # before the host-numerics package
        from aligntheory.kernels.ibn import fit_bradley_terry
    G = sp.coo_matrix((np.ones(len(wl)), (wl[:, 0], wl[:, 1])), shape=(n, n)).tocsr()
    ncomp, scc = csgraph.connected_components(G, directed=True, connection="strong")
    prior = 0.0 if ncomp == 1 else prior_strength
    if prior == 0.0 and ncomp > 1:
        raise InvalidInputError("prior_strength", "must be > 0: the beats graph is not strongly connected, so the "
                                "maximum-likelihood scores do not exist", received=prior_strength)
    fit = fit_bradley_terry(wl, n_items=n, counts=wt, beta=beta, prior_strength=prior, stderr="auto")
    sizes = np.bincount(scc, minlength=ncomp)
    return fit, sizes[scc] < 2


def _multiplier(q90, target: float) -> tuple[float | None, str]:
    """Smallest t (HP conductances x t) with q90 of the pair resistances <= target; bisection on log t."""
    if q90(1.0) <= target:
        lo_t, hi_t = 1e-6, 1.0
        if q90(lo_t) <= target:
            return lo_t, "already met with a millionth of the data"
    else:
        lo_t, hi_t = 1.0, 1e9
        if q90(hi_t) > target:
            return None, ("not reachable by repeating the same comparisons: the IB edges alone (or missing "
                          "comparisons between components) keep the distance above the target")
    for _ in range(60):
        mid = math.sqrt(lo_t * hi_t)
        if q90(mid) <= target:
            hi_t = mid
        else:
            lo_t = mid
        if hi_t / lo_t < 1.001:
            break
    return hi_t, "every comparison repeated t times (exact resistances, bisection)"

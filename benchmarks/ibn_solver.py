"""Effective-resistance solver benchmark (issue 16): AMG-PCG vs sparse LU vs networkx on the same graphs.

The graphs are the IBNs of chain-based datasets in the reference universe of issue 16 (B=8, D=6,
polynomial F with alpha=1, sigma_HP^2=1e-4, prefix-shared IB edges), with 16 evaluation pairs:
exactly what :func:`aligntheory.analysis.chain_tree.chain_tree_sweep` solves. Each case checks
agreement first (AMG against the LU where the LU runs; networkx's ``resistance_distance`` where it
runs), then times.

``python -m benchmarks --pillar ibn_solver --quick`` (n = 2^8, 2^12) or without ``--quick``
(n = 2^8 .. 2^18; the LU stops at 2^14, networkx at 2^8: they take minutes beyond).
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from benchmarks._harness import Harness, Record

K_PAIRS = 16


def _universe_graph(n: int):
    import jax

    from aligntheory.kernels import ibn as KI
    from aligntheory.theory import ibn as T

    B, D = 8, 6
    tau = T.tau_schedule(T.StructuralFunction("poly", 1.0, 1.0), B, D)
    resp, pairs = KI.chain_pairs(jax.random.PRNGKey(n), n, B, D)
    resp = np.asarray(resp).astype(np.int64)
    ev = np.random.default_rng(n).integers(0, B, (2 * K_PAIRS, D))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        g = T.ibn_from_universe(np.concatenate([resp, ev]), B, tau, np.asarray(pairs), 1e-4)
    ep = g.response_node[len(resp) + np.arange(2 * K_PAIRS).reshape(K_PAIRS, 2)]
    return g, ep


def _timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def run(h: Harness) -> None:
    from aligntheory.numerics import effective_resistance_pairs

    exps = [8, 12] if h.quick else [8, 10, 12, 14, 16, 18]
    for ex in exps:
        g, ep = _universe_graph(2**ex)
        t_amg, amg = _timed(lambda: effective_resistance_pairs(g.n_nodes, g.edges, ep, variances=g.variances,
                                                               method="amg"))
        agreement: dict = {"amg iterations (max over pairs)": amg.iterations, "amg residual": amg.residual}
        t_lu = None
        if ex <= 14:
            t_lu, lu = _timed(lambda: effective_resistance_pairs(g.n_nodes, g.edges, ep, variances=g.variances,
                                                                 method="splu"))
            agreement["max rel diff amg vs lu"] = float(np.max(np.abs(amg.values - lu.values) / lu.values))
        t_nx = None
        if ex <= 8:
            import networkx as nx

            G = nx.Graph()
            w: dict = {}
            for (a, b), v in zip(g.edges.tolist(), g.variances.tolist()):
                if a != b:
                    w[(min(a, b), max(a, b))] = w.get((min(a, b), max(a, b)), 0.0) + 1.0 / v
            G.add_weighted_edges_from((a, b, c) for (a, b), c in w.items())
            t_nx, nxv = _timed(lambda: [nx.resistance_distance(G, int(a), int(b), weight="weight",
                                                               invert_weight=False) for a, b in ep])
            agreement["max rel diff amg vs networkx"] = float(np.max(np.abs(amg.values - np.array(nxv)) / amg.values))
        sizes = {"n_comparisons": 2**ex, "n_nodes": int(g.n_nodes), "n_edges": int(len(g.edges)), "pairs": K_PAIRS}
        for anchor, t_anchor in (("scipy sparse LU (splu, MMD on A+A^T)", t_lu), ("networkx resistance_distance", t_nx)):
            ratio = None if t_anchor is None else t_anchor / t_amg
            h.add(Record(h.pillar, f"effective resistance, chain universe n=2^{ex}", sizes,
                         "effective_resistance_pairs(method='amg')", anchor, t_amg, t_anchor, ratio, agreement,
                         "AMG faster than LU from 2^14", None if ratio is None else bool(ratio >= 1.0),
                         "" if t_anchor is not None else "anchor not run at this size (minutes)"))
            r = f"{ratio:8.2f}x" if ratio is not None else "     n/a"
            print(f"[{h.pillar}] n=2^{ex:<3} N={g.n_nodes:<7} amg {t_amg:8.3f}s  {anchor[:28]:<28} "
                  f"{(t_anchor if t_anchor is not None else float('nan')):9.3f}s ratio {r}  {agreement}", flush=True)

"""Effective-resistance solver benchmark (issue 16): block AMG-PCG vs per-pair AMG vs sparse LU vs networkx.

The graphs are the IBNs of chain and tree datasets in the reference universe of issue 16 (B=8,
D=6, polynomial F with alpha=1, sigma_HP^2=1e-4, prefix-shared IB edges, tree b=2, d=5), with 16
evaluation pairs: exactly what :func:`aligntheory.analysis.chain_tree.chain_tree_sweep` solves.
Each case checks agreement first, then times, all in one process so that the ratios are
comparable on a loaded machine:

* ours: ``effective_resistance_pairs(method="amg")`` (one Ruge-Stueben hierarchy, conjugate
  gradients on the 16 pairs as one block), with its stage breakdown (hierarchy setup, block CG,
  wall and CPU seconds);
* anchors: the previous route (pyamg's own cycle, ``ml.solve(..., accel="cg")`` pair by pair on
  the same hierarchy settings), scipy's sparse LU (``method="splu"``, where it runs in reasonable
  time: chain up to 2^14, tree up to 2^16) and networkx's ``resistance_distance`` (the 953-node tree IBN at n = 2^8
  only, one of the 16 pairs, its time scaled to 16: it does not reuse work between pairs and
  takes minutes per pair at 2,000 nodes on a loaded machine).

``python -m benchmarks --pillar ibn_solver --quick`` (n = 2^8, 2^12) or without ``--quick``
(n = 2^8 .. 2^18, both topologies: tens of minutes, the per-pair route dominates).
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from benchmarks._harness import Harness, Record

K_PAIRS = 16
NX_PAIRS = 1  # networkx rebuilds a dense pseudo-inverse per pair (~90 s at 2,000 nodes on a loaded machine)
LU_MAX_EXP = {"chain": 14, "tree": 16}


def _universe_graph(n: int, topology: str):
    import jax

    from aligntheory.kernels import ibn as KI
    from aligntheory.theory import ibn as T

    B, D = 8, 6
    tau = T.tau_schedule(T.StructuralFunction("poly", 1.0, 1.0), B, D)
    data = KI.chain_tree_datasets_batched(jax.random.split(jax.random.PRNGKey(n), 1), n, n, B, D, 2, 5)
    resp, pairs = ((data.chain_responses[0], data.chain_pairs[0]) if topology == "chain"
                   else (data.tree_responses[0], data.tree_pairs[0]))
    resp = np.asarray(resp).astype(np.int64)
    ev = np.random.default_rng(n).integers(0, B, (2 * K_PAIRS, D))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        g = T.ibn_from_universe(np.concatenate([resp, ev]), B, tau, np.asarray(pairs), 1e-4)
    ep = g.response_node[len(resp) + np.arange(2 * K_PAIRS).reshape(K_PAIRS, 2)]
    return g, ep


def _timed(fn):
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - t, time.process_time() - c, out


def _stages(g, ep):
    """Our route with its stage breakdown: (wall, cpu, result, {stage: (wall, cpu)})."""
    from aligntheory.numerics import _amg, effective_resistance_pairs

    stages: dict = {}
    levels, solve = _amg._rs_levels, _amg._amg_block_solve

    def timed_levels(A):
        w, c, out = _timed(lambda: levels(A))
        stages["hierarchy setup"] = (w, c)
        return out

    def timed_solve(A, Bm, rtol, maxiter):
        w, c, out = _timed(lambda: solve(A, Bm, rtol, maxiter))
        sw, sc = stages["hierarchy setup"]
        stages["block CG"] = (w - sw, c - sc)
        stages["_matrix"] = (A, Bm)
        return out

    _amg._rs_levels, _amg._amg_block_solve = timed_levels, timed_solve
    try:
        w, c, r = _timed(lambda: effective_resistance_pairs(g.n_nodes, g.edges, ep, variances=g.variances,
                                                            method="amg"))
    finally:
        _amg._rs_levels, _amg._amg_block_solve = levels, solve
    stages["assembly"] = (w - sum(stages[k][0] for k in ("hierarchy setup", "block CG")),
                          c - sum(stages[k][1] for k in ("hierarchy setup", "block CG")))
    return w, c, r, stages


def _per_pair_pyamg(A, Bm, scale):
    """The previous route: pyamg's own V-cycle (symmetric Gauss-Seidel) and CG, one pair at a time."""
    import pyamg

    ml = pyamg.ruge_stuben_solver(A, max_coarse=300, coarse_solver="splu")
    B = Bm.toarray()
    return np.array([B[:, j] @ ml.solve(B[:, j], tol=1e-10, maxiter=500, accel="cg")
                     for j in range(B.shape[1])]) / scale


def run(h: Harness) -> None:
    from aligntheory.numerics import effective_resistance_pairs

    exps = [8, 12] if h.quick else [8, 10, 12, 14, 16, 18]
    for ex in exps:
        for topo in ("chain", "tree"):
            g, ep = _universe_graph(2**ex, topo)
            t_amg, c_amg, amg, st = _stages(g, ep)
            A, Bm = st.pop("_matrix")
            scale = float((1.0 / g.variances).max())
            agreement: dict = {"amg iterations (max over pairs)": amg.iterations, "amg residual": amg.residual,
                               "stages wall s": {k: round(v[0], 3) for k, v in st.items()},
                               "stages cpu s": {k: round(v[1], 3) for k, v in st.items()}, "cpu s": round(c_amg, 3)}
            anchors = []
            t_pp, c_pp, pp = _timed(lambda: _per_pair_pyamg(A, Bm, scale))
            agreement["max rel diff vs per-pair pyamg"] = float(np.max(np.abs(amg.values - pp) / pp))
            anchors.append(("pyamg per pair (previous route)", t_pp, c_pp))
            if ex <= LU_MAX_EXP[topo]:
                t_lu, c_lu, lu = _timed(lambda: effective_resistance_pairs(g.n_nodes, g.edges, ep,
                                                                           variances=g.variances, method="splu"))
                agreement["max rel diff vs lu"] = float(np.max(np.abs(amg.values - lu.values) / lu.values))
                anchors.append(("scipy sparse LU (splu, MMD on A+A^T)", t_lu, c_lu))
            else:
                anchors.append(("scipy sparse LU (splu, MMD on A+A^T)", None, None))
            if ex <= 8 and topo == "tree":  # the smallest graph only (953 nodes)
                import networkx as nx

                G = nx.Graph()
                w: dict = {}
                for (a, b), v in zip(g.edges.tolist(), g.variances.tolist()):
                    if a != b:
                        w[(min(a, b), max(a, b))] = w.get((min(a, b), max(a, b)), 0.0) + 1.0 / v
                G.add_weighted_edges_from((a, b, c) for (a, b), c in w.items())
                t_nx, c_nx, nxv = _timed(lambda: [nx.resistance_distance(G, int(a), int(b), weight="weight",
                                                                         invert_weight=False) for a, b in ep[:NX_PAIRS]])
                agreement["max rel diff vs networkx"] = float(np.max(np.abs(amg.values[:NX_PAIRS] - np.array(nxv))
                                                                     / amg.values[:NX_PAIRS]))
                scale_nx = K_PAIRS / NX_PAIRS  # networkx has no reuse between pairs: its time is linear in the pairs
                anchors.append((f"networkx resistance_distance ({NX_PAIRS} pairs, time x{scale_nx:g})",
                                t_nx * scale_nx, c_nx * scale_nx))
            sizes = {"topology": topo, "n_comparisons": 2**ex, "n_nodes": int(g.n_nodes), "n_edges": int(len(g.edges)),
                     "pairs": K_PAIRS}
            for anchor, t_anchor, c_anchor in anchors:
                ratio = None if t_anchor is None else t_anchor / t_amg
                h.add(Record(h.pillar, f"effective resistance, {topo} universe n=2^{ex}", sizes,
                             "effective_resistance_pairs(method='amg'), block CG", anchor, t_amg, t_anchor, ratio,
                             agreement, "block AMG faster than the per-pair route; faster than LU from ~2^14",
                             None if ratio is None else bool(ratio >= 1.0),
                             "" if t_anchor is not None else "anchor not run at this size (fill-in: minutes, GBs)",
                             extra={"ours_cpu_s": c_amg, "anchor_cpu_s": c_anchor}))
                r = f"{ratio:8.2f}x" if ratio is not None else "     n/a"
                rc = f"{c_anchor / c_amg:8.2f}x" if c_anchor is not None else "     n/a"
                print(f"[{h.pillar}] {topo:5s} n=2^{ex:<3} N={g.n_nodes:<7} amg {t_amg:8.3f}s (cpu {c_amg:7.3f}s)  "
                      f"{anchor[:30]:<30} {(t_anchor if t_anchor is not None else float('nan')):9.3f}s "
                      f"(cpu {(c_anchor if c_anchor is not None else float('nan')):8.3f}s) ratio wall {r} cpu {rc}",
                      flush=True)
            print(f"[{h.pillar}] {topo:5s} n=2^{ex:<3} {agreement}", flush=True)

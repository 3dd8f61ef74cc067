"""Guard-condition claims (issue 11, round 10): every condition of every raising guard of the host numerics and the IBN analysis decides a row.

``ibn.guard_conditions_numerics`` (``contract``) calls the public functions of
``aligntheory.numerics`` (effective resistances, Laplacian solves, tree orders, the Bradley--Terry fit
and its comparison encoding) and of ``aligntheory.analysis.ibn`` / ``aligntheory.analysis.chain_tree``
on inputs chosen so that EACH atomic condition of each hand-written raising guard decides the outcome
once: ``A or B`` gets a row where only A holds and one where only B holds (refused, the named error
and argument), ``A and B`` a refused row with both and accepted rows with one alone, comparisons a
row at their edge and one step off. Accepted rows check their result against a one-line closed form
(series and parallel resistances ``1/c``, the two-item Bradley--Terry MLE ``+-log(w/l)/2``, a 2x2
linear solve). The chain/tree sweep's rows fail in validation before any JAX work. The table is
fixed in advance and reads no seed.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np

from aligntheory.errors import DisconnectedGraphError, InvalidInputError, PrecisionError
from aligntheory.proofs_check._helpers import ContractCase, accepted, contract_evidence, refused
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_IIE = InvalidInputError
_H = math.log(2.0) / 2  # two items, wins 2 : 1 -> scores +-log(2)/2 (centred MLE)
_TINY = float(np.finfo(np.float64).tiny)
_EDGE_T = 1.0000000010000002e-09  # the fixed point t = fl(1e-9 * fl(fl(1/2 + 1/2) + t)): sum b = t hits the tolerance


_ok = partial(accepted, tol=1e-9, atol=1e-12)  # the shared row builder of proofs_check._helpers


_no = refused  # the shared row builder of proofs_check._helpers


def _numerics_rows() -> list[ContractCase]:
    import aligntheory.numerics as N

    def rp(**kw):
        return N.effective_resistance_pairs(2, [[0, 1]], [[0, 1]], **kw)

    fit = N.fit_bradley_terry
    agg = N.aggregate_comparisons
    path3 = [[0, 1], [1, 2]]
    tri = [[0, 1], [1, 2], [2, 0]]
    return [
        # effective_resistance_pairs: exactly one of conductances / variances; rtol <= 1e-4; scaled c >= tiny
        _ok("effective_resistance_pairs: conductance 2 -> 1/2", lambda: rp(conductances=[2.0]).values, [0.5]),
        _ok("effective_resistance_pairs: variance 3 -> 3", lambda: rp(variances=[3.0]).values, [3.0]),
        _no("effective_resistance_pairs: neither", lambda: rp(), "conductances"),
        _no("effective_resistance_pairs: both", lambda: rp(conductances=[1.0], variances=[1.0]), "conductances"),
        _ok("effective_resistance_pairs: rtol = 1e-4 (edge)", lambda: rp(conductances=[2.0], rtol=1e-4).values, [0.5]),
        _no("effective_resistance_pairs: rtol = 2e-4", lambda: rp(conductances=[2.0], rtol=2e-4), "rtol"),
        _ok("effective_resistance_pairs: scaled conductance = tiny (edge), series 1 + 1/tiny",
            lambda: N.effective_resistance_pairs(3, path3, [[0, 2]], conductances=[1.0, _TINY]).values, [1.0 / _TINY]),
        _no("effective_resistance_pairs: scaled conductance tiny/2", lambda: N.effective_resistance_pairs(
            3, path3, [[0, 2]], conductances=[1.0, _TINY / 2]), None, PrecisionError),
        # effective_resistance_all_pairs: dynamic range; connected; Cholesky info
        _ok("effective_resistance_all_pairs: path 0-1-2, unit conductances", lambda: N.effective_resistance_all_pairs(
            3, path3, conductances=[1.0, 1.0]), [[0.0, 1.0, 2.0], [1.0, 0.0, 1.0], [2.0, 1.0, 0.0]]),
        _ok("effective_resistance_all_pairs: span = max_dynamic_range (edge), parallel 1/(1 + 1e12)",
            lambda: N.effective_resistance_all_pairs(2, [[0, 1], [0, 1]], conductances=[1.0, 1e12],
                                                     max_dynamic_range=1e12)[0, 1], 1.0 / (1.0 + 1e12)),
        _ok("effective_resistance_all_pairs: span 1e6 within 1e12, parallel 1/(1e6 + 1e12)",
            lambda: N.effective_resistance_all_pairs(2, [[0, 1], [0, 1]], conductances=[1e6, 1e12],
                                                     max_dynamic_range=1e12)[0, 1], 1.0 / (1e6 + 1e12)),
        _no("effective_resistance_all_pairs: span 1e13 from 1e-6 to 1e7", lambda: N.effective_resistance_all_pairs(
            2, [[0, 1], [0, 1]], conductances=[1e-6, 1e7], max_dynamic_range=1e12), None, PrecisionError),
        _no("effective_resistance_all_pairs: span 1e13 > 1e12", lambda: N.effective_resistance_all_pairs(
            2, [[0, 1], [0, 1]], conductances=[1.0, 1e13], max_dynamic_range=1e12), None, PrecisionError),
        _no("effective_resistance_all_pairs: 2 components", lambda: N.effective_resistance_all_pairs(
            3, [[0, 1]], conductances=[1.0]), None, DisconnectedGraphError),
        # tree_elimination_order: no repeated pair; E = N - components
        _ok("tree_elimination_order: docstring path", lambda: N.tree_elimination_order(3, path3).order, [1, 0, 2]),
        _ok("tree_elimination_order: a forest of 2 components, a self-loop dropped",
            lambda: len(N.tree_elimination_order(3, [[0, 1], [2, 2]]).order), 3),
        _no("tree_elimination_order: a repeated pair", lambda: N.tree_elimination_order(3, [[0, 1], [1, 0]]), "edges"),
        _no("tree_elimination_order: a cycle", lambda: N.tree_elimination_order(3, tri), "edges"),
        # LaplacianSolver: 'tree' needs a forest; distinct pairs without self-loops
        _ok("LaplacianSolver: tree on a path", lambda: N.LaplacianSolver(3, path3, method="tree").n, 3),
        _ok("LaplacianSolver: splu on a triangle", lambda: N.LaplacianSolver(3, tri, method="splu").n, 3),
        _no("LaplacianSolver: tree on a triangle", lambda: N.LaplacianSolver(3, tri, method="tree"), "method"),
        _no("LaplacianSolver: a repeated pair", lambda: N.LaplacianSolver(3, [[0, 1], [1, 0]], method="splu"), "edges"),
        _no("LaplacianSolver: a self-loop", lambda: N.LaplacianSolver(3, [[0, 1], [1, 1]], method="splu"), "edges"),
        # solve_laplacian: b sums to zero on each component (without extra_diag)
        _ok("solve_laplacian: one edge, b = (1, -1) -> x = (1/2, -1/2)", lambda: N.solve_laplacian(
            2, [[0, 1]], [1.0, -1.0], conductances=[1.0]).x, [0.5, -0.5]),
        _ok("solve_laplacian: two balanced components", lambda: N.solve_laplacian(
            4, [[0, 1], [2, 3]], [1.0, -1.0, 2.0, -2.0], conductances=[1.0, 1.0]).x, [0.5, -0.5, 1.0, -1.0]),
        _ok("solve_laplacian: extra_diag 1, b = (1, 0): (L + I) x = b -> (2/3, 1/3)", lambda: N.solve_laplacian(
            2, [[0, 1]], [1.0, 0.0], conductances=[1.0], extra_diag=[1.0, 1.0]).x, [2 / 3, 1 / 3]),
        _ok("solve_laplacian: |sum b| = 1e-9 sum |b| exactly (edge): b = (1/2, -1/2, t), t = fl(1e-9 fl(1 + t))",
            lambda: N.solve_laplacian(3, [[0, 1], [1, 2]], [0.5, -0.5, _EDGE_T], conductances=[1.0, 1.0]).x.size, 3),
        _no("solve_laplacian: b sums to 1e-6", lambda: N.solve_laplacian(2, [[0, 1]], [1.0, -1.0 + 1e-6],
                                                                         conductances=[1.0]), "b"),
        _no("solve_laplacian: b sums to 0 overall, not per component", lambda: N.solve_laplacian(
            4, [[0, 1], [2, 3]], [1.0, 0.0, 0.0, -1.0], conductances=[1.0, 1.0]), "b"),
        # comparison rows (winner, loser); integer id arrays of shape (m, 2) in [0, n)
        _ok("fit_bradley_terry: ints, wins 2 : 1 -> +-log(2)/2", lambda: fit([[0, 1], [1, 0], [0, 1]]).scores, [_H, -_H]),
        _ok("fit_bradley_terry: mixed ids ('a', 1)", lambda: sorted(fit([("a", 1), (1, "a"), ("a", 1)]).scores.tolist()),
            [-_H, _H]),
        _no("fit_bradley_terry: a 3-tuple row", lambda: fit([("a", 1), ("a", 1, 2)]), "comparisons"),
        _no("fit_bradley_terry: a 3-tuple row with labels", lambda: fit([("x", "y", "z")], labels=["x", "y", "z"]),
            "comparisons"),
        _no("fit_bradley_terry: a repeated label", lambda: fit([("a", "b")], labels=["a", "b", "a"]), "labels"),
        _no("fit_bradley_terry: no comparison, no n_items", lambda: fit(np.zeros((0, 2), np.int64)), "comparisons"),
        _no("fit_bradley_terry: id -1", lambda: fit([[0, -1], [-1, 0]]), "comparisons"),
        _no("fit_bradley_terry: one item (0 vs 0)", lambda: fit([[0, 0]]), "comparisons", match="1 item"),
        _ok("fit_bradley_terry: pair count 2^53 (edge), equal wins -> 0", lambda: fit(
            [[0, 1], [1, 0]], counts=[2.0**52, 2.0**52]).scores, [0.0, 0.0]),
        _no("fit_bradley_terry: pair count 2^54", lambda: fit([[0, 1], [1, 0]], counts=[2.0**53, 2.0**53]), None,
            PrecisionError),
        _ok("aggregate_comparisons: docstring, ids 0 and n - 1", lambda: agg(3, [[0, 1], [1, 0], [0, 1], [2, 1]]).K,
            [3.0, 1.0]),
        _ok("aggregate_comparisons: int64 (0, 2)", lambda: agg(3, np.array([[0, 2]])).K, [1.0]),
        _ok("aggregate_comparisons: int (0, 3) empty", lambda: agg(3, np.zeros((0, 3), np.int64)).K, np.zeros(0)),
        _no("aggregate_comparisons: int shape (1, 3)", lambda: agg(3, np.array([[0, 1, 2]])), "comparisons"),
        _no("aggregate_comparisons: int shape (2,)", lambda: agg(3, np.array([0, 1])), "comparisons"),
        _no("aggregate_comparisons: id n = 3", lambda: agg(3, np.array([[0, 3]])), "comparisons"),
        _no("aggregate_comparisons: id -1", lambda: agg(3, np.array([[-1, 0]])), "comparisons"),
        _no("aggregate_comparisons: bool ids", lambda: agg(3, np.array([[True, False]])), "comparisons"),
    ]


def _analysis_rows() -> list[ContractCase]:
    from aligntheory.analysis import chain_tree as CT
    from aligntheory.analysis import ibn as AI

    pair = {"prompt": "p", "chosen": "a", "rejected": "b"}
    back = {"prompt": "p", "chosen": "b", "rejected": "a"}
    arena_rec = {"model_a": "x", "model_b": "y", "winner": "model_a"}

    def ap(recs, **kw):
        return AI.analyse_preferences(recs, **kw)

    return [
        # analyse_preferences: >= 2 nodes and a comparison; MLE needs a strongly connected beats graph
        _ok("analyse_preferences: a > b twice, b > a once: +-log(2)/2", lambda: ap([pair, back, pair]).scores, [_H, -_H]),
        _ok("analyse_preferences: a > b only, prior 1 (MAP)", lambda: ap([pair]).prior_only.tolist(), [True, True]),
        _no("analyse_preferences: a > b only, prior 0", lambda: ap([pair], prior_strength=0.0), "prior_strength"),
        _no("analyse_preferences: chosen = rejected (one node)", lambda: ap([{"prompt": "p", "chosen": "a",
                                                                              "rejected": "a"}]), "records"),
        _no("analyse_preferences: two self-comparisons (2 nodes, 0 comparisons)", lambda: ap(
            [{"prompt": "p", "chosen": t, "rejected": t} for t in ("a", "b")]), "records", match="2 nodes, 0 comparisons"),
        _no("analyse_preferences: no records", lambda: ap([]), "records"),
        _no("analyse_preferences: a dict", lambda: ap(pair), "records"),
        _no("analyse_preferences: an int", lambda: ap(5), "records"),
        _no("analyse_preferences: missing 'rejected'", lambda: ap([{"prompt": "p", "chosen": "a"}]), "records[0].rejected"),
        _no("analyse_preferences: 'rejected' None", lambda: ap([{"prompt": "p", "chosen": "a", "rejected": None}]),
            "records[0].rejected"),
        _no("analyse_preferences: an arena record after a pairwise one", lambda: ap([pair, arena_rec]), "records[1]"),
        _no("analyse_preferences: a pairwise record after an arena one", lambda: ap([arena_rec, pair]), "records[1]"),
        # chain_tree_sweep: n_comparisons non-empty increasing; configs ChainTreeConfig (validation before JAX work)
        _no("chain_tree_sweep: n_comparisons ()", lambda: CT.chain_tree_sweep([]), "n_comparisons"),
        _no("chain_tree_sweep: n_comparisons (32, 16)", lambda: CT.chain_tree_sweep([32, 16]), "n_comparisons"),
        _no("chain_tree_sweep: n_comparisons (16, 16)", lambda: CT.chain_tree_sweep([16, 16]), "n_comparisons"),
        _no("chain_tree_sweep: increasing (16, 32), configs ()", lambda: CT.chain_tree_sweep([16, 32], ()), "configs"),
        _no("chain_tree_sweep: increasing by 1 (16, 17), configs ()", lambda: CT.chain_tree_sweep([16, 17], ()),
            "configs"),
        _no("chain_tree_sweep: one n, configs (1,)", lambda: CT.chain_tree_sweep([16], (1,)), "configs"),
        _no("chain_tree_sweep: a config and a 1", lambda: CT.chain_tree_sweep([16], (CT.REFERENCE_CONFIG, 1)), "configs"),
        _no("chain_tree_sweep: good n and configs, seeds 1", lambda: CT.chain_tree_sweep(
            [16, 32], (CT.REFERENCE_CONFIG,), seeds=1), "seeds"),
    ]


@claim(
    id="ibn.guard_conditions_numerics",
    statement="Each atomic condition of each raising guard of the host numerics (aligntheory.numerics: effective "
              "resistances, Laplacian solves, tree orders, the Bradley-Terry fit) and the IBN analysis "
              "(analyse_preferences, chain_tree_sweep) decides one row: a row where it alone holds is refused with "
              "the named error and argument, a row where none holds is accepted with its closed-form result, "
              "comparisons are tested at their edge and one step off.",
    source=[Source(key="qiu2024reward", where="Raises sections of the numerics and analysis docstrings; DESIGN.md §7")],
    provenance="M",
    kind="contract",
    tolerance="exact sides; accepted values within 1e-9 relative of their closed forms",
    rice={"C"},
    stage="backward:assurance",
)
def check_guard_conditions_numerics(ctx: Context) -> Evidence:
    """Predicted: each row's documented side and closed-form value; measured: the library's call."""
    return contract_evidence(_numerics_rows() + _analysis_rows())

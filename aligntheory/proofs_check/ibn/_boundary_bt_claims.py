"""Argument-boundary claims (issue 11): each validated argument of the shared numerics refused one step past its documented boundary and accepted at it.

* ``ibn.argument_boundaries_numerics`` -- the public functions of :mod:`aligntheory.numerics`
  (Bradley-Terry fits and aggregation, Laplacian solves, effective resistances) and of
  :mod:`aligntheory.analysis.chain_tree` (:class:`ChainTreeConfig`, :func:`chain_tree_sweep`), each
  validated argument called EXACTLY at a closed boundary its docstring's Parameters section states (a
  finite result expected) and ONE STEP past it (``lo - 1``, ``0.0`` for ``> 0``, ``-5e-324`` for ``>= 0``,
  a cap one below the cost; the documented error naming the argument expected). The table is written
  here, fixed in advance. ``chain_tree_sweep`` keeps only refused rows (an accepted call compiles and runs
  a sweep; its validation runs before any work).
"""

from __future__ import annotations

import numpy as np

from aligntheory.errors import InvalidInputError, SizeCapError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_SRC = Source(key="qiu2024reward", where="failure contract, docs/DESIGN.md §7 (argument boundaries)")
_IIE = InvalidInputError
_NEG = -5e-324  # one step below 0.0


def _rows_bt() -> list[ContractCase]:
    import aligntheory.numerics as N

    comps = [[0, 1], [0, 1], [0, 1], [1, 0], [1, 2], [2, 1]]  # the docstring example: 3 items
    chain20001 = [[i, i + 1] for i in range(20_000)]  # 20_001 items: one past the exact-stderr cap
    return [
        # fit_bradley_terry: prior_strength >= 0, tol > 0, beta > 0, maxiter >= 1, n_items <= max_items (>= 1)
        ContractCase("fit_bradley_terry: 3 items at max_items 3, prior_strength 0 accepted",
                     lambda: N.fit_bradley_terry(comps, method="newton", prior_strength=0.0, max_items=3).scores),
        ContractCase("fit_bradley_terry: 3 items over max_items 2 refused",
                     lambda: N.fit_bradley_terry(comps, max_items=2), (SizeCapError, "n_items")),
        ContractCase("fit_bradley_terry: max_items 0 refused", lambda: N.fit_bradley_terry(comps, max_items=0),
                     (_IIE, "max_items")),
        ContractCase("fit_bradley_terry: prior_strength -5e-324 refused",
                     lambda: N.fit_bradley_terry(comps, prior_strength=_NEG), (_IIE, "prior_strength")),
        ContractCase("fit_bradley_terry: tol 0 refused", lambda: N.fit_bradley_terry(comps, tol=0.0), (_IIE, "tol")),
        ContractCase("fit_bradley_terry: beta 0 refused", lambda: N.fit_bradley_terry(comps, beta=0.0), (_IIE, "beta")),
        ContractCase("fit_bradley_terry: maxiter 0 refused", lambda: N.fit_bradley_terry(comps, maxiter=0),
                     (_IIE, "maxiter")),
        ContractCase("fit_bradley_terry: maxiter 1 (throw=False) accepted",
                     lambda: N.fit_bradley_terry(comps, method="newton", maxiter=1, throw=False).scores),
        ContractCase("fit_bradley_terry: method 'mm' refused", lambda: N.fit_bradley_terry(comps, method="mm"),
                     (_IIE, "method")),
        ContractCase("fit_bradley_terry: solver 'lu' refused", lambda: N.fit_bradley_terry(comps, solver="lu"),
                     (_IIE, "solver")),
        ContractCase("fit_bradley_terry: stderr 'sandwich' refused", lambda: N.fit_bradley_terry(comps, stderr="sandwich"),
                     (_IIE, "stderr")),
        ContractCase("fit_bradley_terry: accelerator 'gpu' refused",
                     lambda: N.fit_bradley_terry(comps, accelerator="gpu"), (_IIE, "accelerator")),
        ContractCase("fit_bradley_terry: stderr='exact' on 20_001 items (cap 20_000) refused before the fit",
                     lambda: N.fit_bradley_terry(chain20001, stderr="exact"), (SizeCapError, "stderr")),
        ContractCase("fit_bradley_terry: labels= with n_items = len(labels) = 2 accepted",
                     lambda: N.fit_bradley_terry([("a", "b"), ("b", "a"), ("a", "b")], labels=["a", "b"], n_items=2).scores),
        ContractCase("fit_bradley_terry: labels= with n_items 3 != len(labels) refused",
                     lambda: N.fit_bradley_terry([("a", "b"), ("b", "a")], labels=["a", "b"], n_items=3),
                     (_IIE, "n_items")),
        ContractCase("fit_bradley_terry: n_items 0 (legacy positional form) refused",
                     lambda: N.fit_bradley_terry(0, comps), (_IIE, "n_items")),
        # aggregate_comparisons: n_items >= 1, <= max_items; accelerator a choice
        ContractCase("aggregate_comparisons: 3 items at max_items 3 accepted",
                     lambda: N.aggregate_comparisons(3, [[0, 1], [2, 1]], max_items=3)),
        ContractCase("aggregate_comparisons: 3 items over max_items 2 refused",
                     lambda: N.aggregate_comparisons(3, [[0, 1], [2, 1]], max_items=2), (SizeCapError, "n_items")),
        ContractCase("aggregate_comparisons: n_items 0 refused", lambda: N.aggregate_comparisons(0, [[0, 1]]),
                     (_IIE, "n_items")),
        ContractCase("aggregate_comparisons: accelerator 'gpu' refused",
                     lambda: N.aggregate_comparisons(3, [[0, 1]], accelerator="gpu"), (_IIE, "accelerator")),
    ]


def _rows_laplacian() -> list[ContractCase]:
    import aligntheory.numerics as N

    e2, e3 = np.array([[0, 1], [1, 2]]), np.array([[0, 1], [1, 2], [2, 3]])
    b4 = np.array([1.0, 0.0, 0.0, -1.0])
    e4, p4, v4 = [[0, 1], [1, 2], [2, 0], [2, 3]], [[0, 1], [0, 3]], [1.0, 1.0, 1.0, 2.0]
    return [
        # n_nodes >= 1 and <= max_nodes everywhere
        ContractCase("tree_elimination_order: 3 nodes at max_nodes 3 accepted",
                     lambda: N.tree_elimination_order(3, e2, max_nodes=3).order),
        ContractCase("tree_elimination_order: 3 nodes over max_nodes 2 refused",
                     lambda: N.tree_elimination_order(3, e2, max_nodes=2), (SizeCapError, "n_nodes")),
        ContractCase("tree_elimination_order: n_nodes 0 refused", lambda: N.tree_elimination_order(0, e2),
                     (_IIE, "n_nodes")),
        ContractCase("LaplacianSolver: 3 nodes at max_nodes 3, pcg_maxiter 1 accepted",
                     lambda: N.LaplacianSolver(3, e2, max_nodes=3, pcg_maxiter=1).n),
        ContractCase("LaplacianSolver: 3 nodes over max_nodes 2 refused", lambda: N.LaplacianSolver(3, e2, max_nodes=2),
                     (SizeCapError, "n_nodes")),
        ContractCase("LaplacianSolver: n_nodes 0 refused", lambda: N.LaplacianSolver(0, e2), (_IIE, "n_nodes")),
        ContractCase("LaplacianSolver: pcg_maxiter 0 refused", lambda: N.LaplacianSolver(3, e2, pcg_maxiter=0),
                     (_IIE, "pcg_maxiter")),
        ContractCase("LaplacianSolver: method 'lu' refused", lambda: N.LaplacianSolver(3, e2, method="lu"),
                     (_IIE, "method")),
        ContractCase("LaplacianSolver: method='dense' on 20_001 nodes (dense cap 20_000) refused",
                     lambda: N.LaplacianSolver(20_001, np.zeros((0, 2), np.int64), method="dense"),
                     (SizeCapError, "n_nodes")),
        ContractCase("solve_laplacian: 4 nodes at max_nodes 4 accepted",
                     lambda: N.solve_laplacian(4, e3, b4, conductances=np.ones(3), method="tree", max_nodes=4).x),
        ContractCase("solve_laplacian: 4 nodes over max_nodes 3 refused",
                     lambda: N.solve_laplacian(4, e3, b4, conductances=np.ones(3), max_nodes=3), (SizeCapError, "n_nodes")),
        ContractCase("solve_laplacian: rtol 0 refused",
                     lambda: N.solve_laplacian(4, e3, b4, conductances=np.ones(3), rtol=0.0), (_IIE, "rtol")),
        ContractCase("solve_laplacian: n_nodes 0 refused",
                     lambda: N.solve_laplacian(0, e3, b4, conductances=np.ones(3)), (_IIE, "n_nodes")),
        ContractCase("effective_resistance_all_pairs: 3 nodes at max_nodes 3 accepted",
                     lambda: N.effective_resistance_all_pairs(3, e2, conductances=[1.0, 2.0], max_nodes=3)),
        ContractCase("effective_resistance_all_pairs: 3 nodes over max_nodes 2 refused",
                     lambda: N.effective_resistance_all_pairs(3, e2, conductances=[1.0, 2.0], max_nodes=2),
                     (SizeCapError, "n_nodes")),
        ContractCase("effective_resistance_all_pairs: n_nodes 0 refused",
                     lambda: N.effective_resistance_all_pairs(0, e2, conductances=[1.0, 2.0]), (_IIE, "n_nodes")),
        # effective_resistance_pairs: rtol > 0, maxiter >= 1, amg_min_nodes >= 1, method a choice
        ContractCase("effective_resistance_pairs: 4 nodes at max_nodes 4, amg_min_nodes 1, maxiter 1 accepted",
                     lambda: N.effective_resistance_pairs(4, e4, p4, variances=v4, max_nodes=4, amg_min_nodes=1,
                                                          maxiter=1, throw=False).values),
        ContractCase("effective_resistance_pairs: 4 nodes over max_nodes 3 refused",
                     lambda: N.effective_resistance_pairs(4, e4, p4, variances=v4, max_nodes=3),
                     (SizeCapError, "n_nodes")),
        ContractCase("effective_resistance_pairs: n_nodes 0 refused",
                     lambda: N.effective_resistance_pairs(0, e4, p4, variances=v4), (_IIE, "n_nodes")),
        ContractCase("effective_resistance_pairs: method 'lu' refused",
                     lambda: N.effective_resistance_pairs(4, e4, p4, variances=v4, method="lu"), (_IIE, "method")),
        ContractCase("effective_resistance_pairs: rtol 0 refused",
                     lambda: N.effective_resistance_pairs(4, e4, p4, variances=v4, rtol=0.0), (_IIE, "rtol")),
        ContractCase("effective_resistance_pairs: maxiter 0 refused",
                     lambda: N.effective_resistance_pairs(4, e4, p4, variances=v4, maxiter=0), (_IIE, "maxiter")),
        ContractCase("effective_resistance_pairs: amg_min_nodes 0 refused",
                     lambda: N.effective_resistance_pairs(4, e4, p4, variances=v4, amg_min_nodes=0),
                     (_IIE, "amg_min_nodes")),
    ]


def _rows_chain_tree() -> list[ContractCase]:
    from aligntheory.analysis.chain_tree import ChainTreeConfig as Cfg
    from aligntheory.analysis.chain_tree import chain_tree_sweep as sweep

    kw = {"seeds": 2, "eval_pairs": 4, "n_boot": 200}
    return [
        # ChainTreeConfig: B >= 2, D >= 1, b in [2, B], d in [1, D]; alpha, I, s2 > 0; choices
        ContractCase("ChainTreeConfig: B 2, D 1, b = B 2, d = D 1 accepted", lambda: Cfg(B=2, D=1, b=2, d=1).label()),
        ContractCase("ChainTreeConfig: b = B 8, d = D 6 accepted", lambda: Cfg(b=8, d=6).label()),
        ContractCase("ChainTreeConfig: B 1 refused", lambda: Cfg(B=1, b=2, d=1), (_IIE, "B")),
        ContractCase("ChainTreeConfig: D 0 refused", lambda: Cfg(D=0, d=1), (_IIE, "D")),
        ContractCase("ChainTreeConfig: b = B + 1 refused", lambda: Cfg(b=9), (_IIE, "b")),
        ContractCase("ChainTreeConfig: b 1 refused", lambda: Cfg(b=1), (_IIE, "b")),
        ContractCase("ChainTreeConfig: d = D + 1 refused", lambda: Cfg(d=7), (_IIE, "d")),
        ContractCase("ChainTreeConfig: d 0 refused", lambda: Cfg(d=0), (_IIE, "d")),
        ContractCase("ChainTreeConfig: alpha 0 refused", lambda: Cfg(alpha=0.0), (_IIE, "alpha")),
        ContractCase("ChainTreeConfig: I 0 refused", lambda: Cfg(I=0.0), (_IIE, "I")),
        ContractCase("ChainTreeConfig: s2 0 refused", lambda: Cfg(s2=0.0), (_IIE, "s2")),
        ContractCase("ChainTreeConfig: regime 'exp' refused", lambda: Cfg(regime="exp"), (_IIE, "regime")),
        ContractCase("ChainTreeConfig: ib_sharing 'none' refused", lambda: Cfg(ib_sharing="none"), (_IIE, "ib_sharing")),
        ContractCase("ChainTreeConfig: budget 'tokens' refused", lambda: Cfg(budget="tokens"), (_IIE, "budget")),
        # chain_tree_sweep: n_comparisons >= 16 and <= max_comparisons; seeds, eval_pairs >= 2; n_boot >= 100; seed >= 0
        ContractCase("chain_tree_sweep: n_comparisons 15 refused", lambda: sweep([15], **kw), (_IIE, "n_comparisons")),
        ContractCase("chain_tree_sweep: n 64 over max_comparisons 63 refused",
                     lambda: sweep([64], max_comparisons=63, **kw), (SizeCapError, "n_comparisons")),
        ContractCase("chain_tree_sweep: seeds 1 refused", lambda: sweep([64], seeds=1, eval_pairs=4, n_boot=200),
                     (_IIE, "seeds")),
        ContractCase("chain_tree_sweep: eval_pairs 1 refused", lambda: sweep([64], seeds=2, eval_pairs=1, n_boot=200),
                     (_IIE, "eval_pairs")),
        ContractCase("chain_tree_sweep: n_boot 99 refused", lambda: sweep([64], seeds=2, eval_pairs=4, n_boot=99),
                     (_IIE, "n_boot")),
        ContractCase("chain_tree_sweep: seed -1 refused", lambda: sweep([64], seed=-1, **kw), (_IIE, "seed")),
    ]


@claim(
    id="ibn.argument_boundaries_numerics",
    statement="Every validated argument of the public functions of aligntheory.numerics (fit_bradley_terry, "
    "aggregate_comparisons, tree_elimination_order, LaplacianSolver, solve_laplacian, effective_resistance_all_pairs, "
    "effective_resistance_pairs) and of aligntheory.analysis.chain_tree (ChainTreeConfig, chain_tree_sweep) is "
    "accepted exactly at each closed boundary its docstring states and refused, with InvalidInputError or "
    "SizeCapError naming the argument, one step past it.",
    source=[_SRC],
    provenance="M",
    kind="contract",
    tolerance="exact: each boundary on its documented side",
    rice={"R"},
    stage="backward:governance",
)
def check_argument_boundaries_numerics(ctx: Context) -> Evidence:
    """Predicted: each row's documented side, from the Parameters sections of the functions' docstrings.

    Measured: the call. Tolerance: exact (a boundary is on one side or the other).
    """
    return contract_evidence(_rows_bt() + _rows_laplacian() + _rows_chain_tree())
